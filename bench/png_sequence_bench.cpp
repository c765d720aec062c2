// png_sequence: frames per second of a 1920x1080 PNG sequence of the RFF7203 replay written by
// `render -o frames/` (drawing on one thread, libpng writers on every core through a bounded
// FramePipeline, --png-level 3 by default) against drawing and cairo_surface_write_to_png one
// frame after another on one thread (Cairo's writer: fixed zlib level, no choice).
// Output goes to /dev/shm so the disk is not what is measured. Prints the speed-up last.
//   build/release/bench/png_sequence_bench [FRAMES=60]
#include <cairo.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/timeline.hpp"
#include "export/png_sequence.hpp"
#include "io/map/assets.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/cairo_renderer.hpp"

using namespace fr;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
    const int frames = argc > 1 ? std::atoi(argv[1]) : 60;
    constexpr int W = 1920, H = 1080;
    pipeline::LoadRequest req;
    req.inputs = {io::asset_dir() / "samples"};
    auto data = pipeline::load_and_analyse(req);
    render::SceneOptions opt;
    render::Scene scene = pipeline::make_scene(data.flights, data.analyses, opt);
    render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    render::CairoRenderer renderer(scene, text);
    const Timeline tl =
        Timeline::fit(scene.start(), scene.end(), scene.holds(std::chrono::hours{2}), 24.0, {});  // frames from the start of a 24 s video
    auto info = [&](long long i) {
        const double v = frame_time_s(i, 30);
        return render::FrameInfo{tl.replay_time(v), &tl, v};
    };
    const fs::path dir = fs::path("/dev/shm") / ("fr_png_bench_" + std::to_string(::getpid()));
    fs::create_directories(dir / "cairo");
    using clock = std::chrono::steady_clock;

    // Baseline: one thread, cairo_surface_write_to_png per frame.
    auto surface = render::make_image_surface(W, H);
    auto cr = render::make_context(surface.get());
    renderer.draw_frame(cr.get(), info(0));  // static layer cached outside both timings
    auto t0 = clock::now();
    std::uintmax_t cairo_bytes = 0;
    for (int i = 0; i < frames; ++i) {
        renderer.draw_frame(cr.get(), info(i));
        cairo_surface_flush(surface.get());
        char name[32];
        std::snprintf(name, sizeof name, "%05d.png", i);
        if (cairo_surface_write_to_png(surface.get(), (dir / "cairo" / name).c_str()) != CAIRO_STATUS_SUCCESS) return 1;
        cairo_bytes += fs::file_size(dir / "cairo" / name);
    }
    const double base_s = std::chrono::duration<double>(clock::now() - t0).count();

    auto ours = [&](int level) {
        const fs::path sub = dir / ("level" + std::to_string(level));
        auto t = clock::now();
        {
            output::PngSequenceWriter writer((sub / "%05d.png").string(), W, H, level, {{"Software", "flightreplay bench"}});
            std::vector<render::SurfacePtr> surfaces;
            std::vector<render::CairoPtr> contexts;
            auto& p = writer.pipeline();
            for (int s = 0; s < p.slots(); ++s) {
                surfaces.emplace_back(cairo_image_surface_create_for_data(p.data(s), CAIRO_FORMAT_ARGB32, W, H, p.stride()));
                contexts.push_back(render::make_context(surfaces.back().get()));
            }
            for (int i = 0; i < frames; ++i) {
                const int s = p.acquire();
                renderer.draw_frame(contexts[s].get(), info(i));
                cairo_surface_flush(surfaces[s].get());
                p.submit(s, i);
            }
            writer.finish();
        }
        const double secs = std::chrono::duration<double>(clock::now() - t).count();
        std::uintmax_t bytes = 0;
        for (const auto& e : fs::directory_iterator(sub)) bytes += e.file_size();
        std::printf("flightreplay PNG sequence, --png-level %d, %u writer threads: %.1f frames/s, %.0f KiB/frame\n", level,
                    std::max(1u, std::thread::hardware_concurrency()), frames / secs, bytes / 1024.0 / frames);
        return secs;
    };
    std::printf("machine: %u hardware threads; load average ", std::thread::hardware_concurrency());
    std::ifstream la("/proc/loadavg");
    std::string l1, l2, l3;
    la >> l1 >> l2 >> l3;
    std::printf("%s %s %s\n", l1.c_str(), l2.c_str(), l3.c_str());
    std::printf("cairo_surface_write_to_png, 1 thread: %.1f frames/s, %.0f KiB/frame\n", frames / base_s, cairo_bytes / 1024.0 / frames);
    ours(1);
    ours(6);
    const double s3 = ours(3);
    fs::remove_all(dir);
    std::printf("png_sequence speed-up (--png-level 3 vs cairo_surface_write_to_png): %.2f\n", base_s / s3);
    return 0;
}
