// Rendering cost per 1920x1080 frame of the RFF7203 replay, next to the cost of encoding the
// same frames (BGRA -> yuv420p + libx264 veryfast crf 23), measured in the same run.
// The figure printed last is draw / encode: the target is that drawing is small next to
// encoding, so a video export is bound by the encoder.
//   build/release/bench/render_bench
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <map>

#include "export/video_encoder.hpp"
#include "io/map/assets.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/cairo_renderer.hpp"

using namespace fr;

namespace {

struct Fixture {
    pipeline::LoadedData data;
    std::unique_ptr<render::Scene> scene;
    std::unique_ptr<render::TextEngine> text;
    std::unique_ptr<render::CairoRenderer> renderer;
    render::SurfacePtr surface;
    render::CairoPtr cr;

    Fixture() {
        pipeline::LoadRequest req;
        req.inputs = {io::asset_dir() / "samples"};
        data = pipeline::load_and_analyse(req);
        render::SceneOptions opt;
        scene = std::make_unique<render::Scene>(pipeline::make_scene(data.flights, data.analyses, opt));
        text = std::make_unique<render::TextEngine>(io::asset_path("fonts/fonts.conf"));
        renderer = std::make_unique<render::CairoRenderer>(*scene, *text);
        surface = render::make_image_surface(opt.width, opt.height);
        cr = render::make_context(surface.get());
    }
    TimePoint time_of(std::int64_t i, std::int64_t n) const {
        const auto span = scene->end() - scene->start();
        return scene->start() + span * (i % n) / n;
    }
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

constexpr std::int64_t kFrames = 300;

void BM_DrawFrame(benchmark::State& state) {
    auto& f = fixture();
    std::int64_t i = 0;
    for (auto _ : state) {
        f.renderer->draw_frame(f.cr.get(), {f.time_of(i++, kFrames), nullptr, 0});
        cairo_surface_flush(f.surface.get());
        benchmark::DoNotOptimize(cairo_image_surface_get_data(f.surface.get()));
    }
}
BENCHMARK(BM_DrawFrame)->Unit(benchmark::kMillisecond);

void BM_DrawBasemapUncached(benchmark::State& state) {
    auto& f = fixture();
    for (auto _ : state) {
        f.renderer->draw_static(f.cr.get());
        cairo_surface_flush(f.surface.get());
    }
}
BENCHMARK(BM_DrawBasemapUncached)->Unit(benchmark::kMillisecond);

void BM_EncodeFrame(benchmark::State& state) {
    auto& f = fixture();
    // Pre-render the frames so only conversion + encoding is timed.
    std::vector<std::vector<std::uint8_t>> frames;
    const int stride = cairo_image_surface_get_stride(f.surface.get());
    const int h = cairo_image_surface_get_height(f.surface.get());
    for (std::int64_t i = 0; i < 30; ++i) {
        f.renderer->draw_frame(f.cr.get(), {f.time_of(i * 10, kFrames), nullptr, 0});
        cairo_surface_flush(f.surface.get());
        const auto* d = cairo_image_surface_get_data(f.surface.get());
        frames.emplace_back(d, d + static_cast<std::size_t>(stride) * h);
    }
    const auto path = std::filesystem::temp_directory_path() / "fr_render_bench.mp4";
    output::VideoOptions vo;
    vo.width = 1920;
    vo.height = 1080;
    auto enc = std::make_unique<output::VideoEncoder>(path, vo);
    std::size_t i = 0;
    for (auto _ : state) enc->add_frame_argb32(frames[i++ % frames.size()].data(), stride);
    enc->finish();  // after the timed loop: flushing delayed frames is not in the per-frame figure
    std::filesystem::remove(path);
}
BENCHMARK(BM_EncodeFrame)->Unit(benchmark::kMillisecond)->MinTime(2.0);

class RatioReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        for (const auto& r : runs) times[r.benchmark_name()] = r.GetAdjustedRealTime();
        ConsoleReporter::ReportRuns(runs);
    }
    std::map<std::string, double> times;
};

}  // namespace

int main(int argc, char** argv) {
    output::quiet_ffmpeg_logs();
    benchmark::Initialize(&argc, argv);
    RatioReporter rep;
    benchmark::RunSpecifiedBenchmarks(&rep);
    const auto draw = rep.times.find("BM_DrawFrame"), enc = rep.times.find("BM_EncodeFrame");
    if (draw != rep.times.end() && enc != rep.times.end())
        std::printf("draw/encode per 1920x1080 frame: %.3f ms / %.3f ms = %.3f\n", draw->second, enc->second, draw->second / enc->second);
    return 0;
}
