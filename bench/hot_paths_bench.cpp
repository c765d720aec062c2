// Micro-benchmarks of the per-frame hot paths of video export, on the bundled RFF7203 sample at
// 1920x1080: geodesic interpolation, projection, drawing one frame over the cached static layer
// (the per-frame overlay), drawing consecutive frames incrementally (damaged tiles only, as
// exports do), and colour conversion (libswscale on every pixel, this project's
// converter on every pixel, the memcmp-driven incremental converter, and the video path's
// conversion of only the tiles the renderer reports changed), plus the x264 encode of one frame.
// The figure printed last is full-frame libswscale time divided by the video path's conversion
// time on real consecutive frames.
//   build/release/bench/hot_paths_bench
#include <benchmark/benchmark.h>

extern "C" {
#include <libswscale/swscale.h>
}

#include <cstdio>
#include <filesystem>
#include <map>

#include "core/timeline.hpp"
#include "export/video_encoder.hpp"
#include "export/yuv_convert.hpp"
#include "geo/geodesic.hpp"
#include "geo/projector.hpp"
#include "io/map/assets.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/cairo_renderer.hpp"

using namespace fr;

namespace {

constexpr int W = 1920, H = 1080, kFrames = 300;

struct Fixture {
    pipeline::LoadedData data;
    std::unique_ptr<render::Scene> scene;
    std::unique_ptr<render::TextEngine> text;
    std::unique_ptr<render::CairoRenderer> renderer;
    std::unique_ptr<Timeline> tl;
    std::vector<std::vector<std::uint8_t>> frames;        // 60 consecutive video frames (ARGB32)
    std::vector<std::vector<output::PixelRect>> changed;  // per frame: tiles changed since the frame before

    Fixture() {
        pipeline::LoadRequest req;
        req.inputs = {io::asset_dir() / "samples"};
        data = pipeline::load_and_analyse(req);
        render::SceneOptions opt;
        scene = std::make_unique<render::Scene>(pipeline::make_scene(data.flights, data.analyses, opt));
        text = std::make_unique<render::TextEngine>(io::asset_path("fonts/fonts.conf"));
        renderer = std::make_unique<render::CairoRenderer>(*scene, *text);
        tl = std::make_unique<Timeline>(Timeline::fit(scene->start(), scene->end(), scene->holds(std::chrono::hours{2}), 10.0, {}));
        render::IncrementalFrame frame(W, H);
        for (int i = 100; i < 160; ++i) {
            const double v = frame_time_s(i, 30);
            renderer->draw_frame(frame, {tl->replay_time(v), tl.get(), v});
            const auto* d = frame.data();
            frames.emplace_back(d, d + static_cast<std::size_t>(W) * H * 4);
            auto& rects = changed.emplace_back();
            frame.changed().for_each_run([&](int x0, int y0, int x1, int y1) { rects.push_back({x0, y0, x1, y1}); });
        }
    }
};

Fixture& fx() {
    static Fixture f;
    return f;
}

void BM_GeodesicInterpolate(benchmark::State& state) {
    const LatLon a = *LatLon::checked(55.97, 37.41), b = *LatLon::checked(-22.01, 166.21);
    double f = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(geo::interpolate(a, b, f));
        f = f > 0.99 ? 0 : f + 0.001;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GeodesicInterpolate);

void BM_ProjectForward1k(benchmark::State& state) {
    geo::Projector p("+proj=robin +lon_0=100");
    std::vector<double> lon(1000), lat(1000);
    for (auto _ : state) {
        for (int i = 0; i < 1000; ++i) lon[i] = -180 + 0.36 * i, lat[i] = -60 + 0.12 * i;
        p.forward_inplace(lon, lat);
        benchmark::DoNotOptimize(lon.data());
    }
    state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_ProjectForward1k);

void BM_DrawFrameOverlay(benchmark::State& state) {
    auto& f = fx();
    auto s = render::make_image_surface(W, H);
    auto cr = render::make_context(s.get());
    int i = 0;
    for (auto _ : state) {
        const double v = frame_time_s(i++ % kFrames, 30);
        f.renderer->draw_frame(cr.get(), {f.tl->replay_time(v), f.tl.get(), v});
        cairo_surface_flush(s.get());
    }
}
BENCHMARK(BM_DrawFrameOverlay)->Unit(benchmark::kMillisecond);

void BM_DrawFrameIncremental(benchmark::State& state) {  // what exports do: consecutive frames, damaged tiles only
    auto& f = fx();
    render::IncrementalFrame frame(W, H);
    int i = 0;
    double changed = 0;
    for (auto _ : state) {
        const double v = frame_time_s(i++ % kFrames, 30);
        f.renderer->draw_frame(frame, {f.tl->replay_time(v), f.tl.get(), v});
        changed += static_cast<double>(frame.changed().pixels());
    }
    state.counters["changed_fraction"] = changed / (static_cast<double>(state.iterations()) * W * H);
}
BENCHMARK(BM_DrawFrameIncremental)->Unit(benchmark::kMillisecond);

void BM_DrawDynamicOnly(benchmark::State& state) {  // the overlay without the static layer copy
    auto& f = fx();
    auto s = render::make_image_surface(W, H);
    auto cr = render::make_context(s.get());
    int i = 0;
    for (auto _ : state) {
        const double v = frame_time_s(i++ % kFrames, 30);
        f.renderer->draw_dynamic(cr.get(), {f.tl->replay_time(v), f.tl.get(), v});
        cairo_surface_flush(s.get());
    }
}
BENCHMARK(BM_DrawDynamicOnly)->Unit(benchmark::kMillisecond);

void BM_DynamicInkExtents(benchmark::State& state) {  // recording the overlay and measuring its extents
    auto& f = fx();
    int i = 0;
    for (auto _ : state) {
        cairo_rectangle_t r{0, 0, W, H};
        cairo_surface_t* rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &r);
        cairo_t* cr = cairo_create(rec);
        const double v = frame_time_s(i++ % kFrames, 30);
        f.renderer->draw_dynamic(cr, {f.tl->replay_time(v), f.tl.get(), v});
        double x, y, w, h;
        cairo_recording_surface_ink_extents(rec, &x, &y, &w, &h);
        benchmark::DoNotOptimize(w);
        state.counters["area_fraction"] = w * h / (double(W) * H);
        cairo_destroy(cr);
        cairo_surface_destroy(rec);
    }
}
BENCHMARK(BM_DynamicInkExtents)->Unit(benchmark::kMillisecond);

void BM_ConvertSwscaleFull(benchmark::State& state) {
    auto& f = fx();
    SwsContext* sws =
        sws_getContext(W, H, AV_PIX_FMT_RGB32, W, H, AV_PIX_FMT_YUV420P, SWS_BILINEAR | SWS_ACCURATE_RND, nullptr, nullptr, nullptr);
    const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
    sws_setColorspaceDetails(sws, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);
    output::Yuv420Image out(W, H);
    std::uint8_t* dst[3] = {out.y.data(), out.u.data(), out.v.data()};
    const int ds[3] = {W, W / 2, W / 2};
    const int ss[1] = {W * 4};
    std::size_t i = 0;
    for (auto _ : state) {
        const std::uint8_t* src[1] = {f.frames[i++ % f.frames.size()].data()};
        sws_scale(sws, src, ss, 0, H, dst, ds);
    }
    sws_freeContext(sws);
}
BENCHMARK(BM_ConvertSwscaleFull)->Unit(benchmark::kMillisecond);

void BM_ConvertOwnFull(benchmark::State& state) {
    auto& f = fx();
    output::Yuv420Image out(W, H);
    std::size_t i = 0;
    for (auto _ : state) output::argb32_to_yuv420p_rect(f.frames[i++ % f.frames.size()].data(), W * 4, 0, 0, W, H, out);
}
BENCHMARK(BM_ConvertOwnFull)->Unit(benchmark::kMillisecond);

void BM_ConvertIncremental(benchmark::State& state) {
    auto& f = fx();
    output::IncrementalYuvConverter conv(W, H);
    conv.convert(f.frames[0].data(), W * 4);
    std::size_t i = 1;
    long long px = 0;
    for (auto _ : state) {
        // Consecutive frames, as in a render (frame 59 -> 0 is a bigger jump, 1 in 60).
        px += conv.convert(f.frames[i++ % f.frames.size()].data(), W * 4);
    }
    state.counters["converted_fraction"] = static_cast<double>(px) / (static_cast<double>(state.iterations()) * W * H);
}
BENCHMARK(BM_ConvertIncremental)->Unit(benchmark::kMillisecond);

void BM_ConvertDamaged(benchmark::State& state) {  // the video path: only the tiles the renderer reports changed
    auto& f = fx();
    output::Yuv420Image out(W, H);
    output::argb32_to_yuv420p_rect(f.frames[0].data(), W * 4, 0, 0, W, H, out);
    std::size_t i = 1;
    long long px = 0;
    for (auto _ : state) {
        const std::size_t k = 1 + (i++ % (f.frames.size() - 1));  // consecutive frames only
        for (const auto& r : f.changed[k]) {
            output::argb32_to_yuv420p_rect(f.frames[k].data(), W * 4, r.x0, r.y0, r.x1, r.y1, out);
            px += static_cast<long long>(r.x1 - r.x0) * (r.y1 - r.y0);
        }
    }
    state.counters["converted_fraction"] = static_cast<double>(px) / (static_cast<double>(state.iterations()) * W * H);
}
BENCHMARK(BM_ConvertDamaged)->Unit(benchmark::kMillisecond);

void BM_EncodeYuvFrame(benchmark::State& state) {
    auto& f = fx();
    std::vector<output::Yuv420Image> yuv;
    for (std::size_t i = 0; i < f.frames.size(); ++i) {
        yuv.emplace_back(W, H);
        output::argb32_to_yuv420p_rect(f.frames[i].data(), W * 4, 0, 0, W, H, yuv.back());
    }
    const auto path = std::filesystem::temp_directory_path() / "fr_hot_paths_bench.mp4";
    output::VideoOptions vo;
    auto enc = std::make_unique<output::VideoEncoder>(path, vo);
    std::size_t i = 0;
    for (auto _ : state) enc->add_frame_yuv420p(yuv[i++ % yuv.size()]);
    enc->finish();
    std::filesystem::remove(path);
}
BENCHMARK(BM_EncodeYuvFrame)->Unit(benchmark::kMillisecond)->MinTime(2.0);

class Reporter : public benchmark::ConsoleReporter {
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
    Reporter rep;
    benchmark::RunSpecifiedBenchmarks(&rep);
    const auto a = rep.times.find("BM_ConvertSwscaleFull"), b = rep.times.find("BM_ConvertDamaged");
    if (a != rep.times.end() && b != rep.times.end())
        std::printf(
            "colour conversion per 1920x1080 frame, libswscale full / damaged tiles only (the video path): %.3f ms / %.3f ms = %.1f\n",
            a->second, b->second, a->second / b->second);
    return 0;
}
