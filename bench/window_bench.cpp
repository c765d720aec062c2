// Frame times of the interactive window at 1920x1080 under a private Xvfb with software
// OpenGL (Mesa llvmpipe): the RFF7203 sample, and 1,000 and 10,000 simultaneous SYNTHETIC
// aircraft (bench/synthetic_traffic.hpp), as tracks and as traffic density (--style density). One iteration = one frame while playing: clock tick, GPU
// trails (cached finished segments + the ones in flight), GPU aircraft icons in busy scenes,
// the Cairo overlay (stop cards, aircraft, labels, clock, timeline bar) by tiles, composited,
// glFinish. FR_WINDOW_STAGES=1: per-stage medians; FR_WINDOW_BENCH_SHOT=DIR: last frame PNGs. Counters: median_ms and worst_ms over the run, and fps from
// the median; labels: aircraft labels on the last frame. Targets: >= 60 fps for the sample,
// >= 30 fps for 1,000 aircraft; 10,000 aircraft: >= 15 fps as tracks (icons, at most 60
// labels) and >= 30 fps as density.
// The --no-shaders (all-Cairo) path is measured too.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "app/window/replay_window.hpp"
#include "io/map/assets.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/scene_sources.hpp"
#include "synthetic_traffic.hpp"
#include "window/xvfb.hpp"

namespace fs = std::filesystem;
using namespace fr;

namespace {

XvfbServer& xserver() {
    static XvfbServer x(1920, 1080);
    return x;
}

const render::TextEngine& text() {
    static render::TextEngine t(io::asset_path("fonts/fonts.conf"));
    return t;
}

struct Data {
    std::vector<Flight> flights;
    std::vector<analysis::FlightAnalysis> analyses;
};

Data sample() {
    pipeline::LoadRequest lr;
    lr.inputs = {fs::path(FR_SOURCE_DIR) / "assets/samples"};
    auto d = pipeline::load_and_analyse(lr);
    return {d.flights, d.analyses};
}

Data synthetic(int n) {
    Data d;
    d.flights = bench::synthetic_traffic(n);
    for (const auto& f : d.flights) d.analyses.push_back(analysis::analyse(f, pipeline::bundled_airports()));
    return d;
}

const Data& synthetic1000() {
    static const Data d = synthetic(1000);
    return d;
}

const Data& synthetic10000() {
    static const Data d = synthetic(10000);
    return d;
}

render::SceneOptions density_style() {
    render::SceneOptions o;
    o.density = true;
    return o;
}

void run_frames(benchmark::State& state, const Data& d, bool shaders, double start_fraction, double zoom = 1, double pan_px = 0,
                const render::SceneOptions& so = {}) {
    xserver();
    app::window::WindowOptions wo;
    wo.width = 1920;
    wo.height = 1080;
    wo.shaders = shaders;
    wo.quiet = true;
    app::window::ReplayWindow win(d.flights, d.analyses, so, text(), wo);
    if (shaders && !win.shaders_active()) {
        state.SkipWithError("no GLSL shaders in this OpenGL context");
        return;
    }
    auto& c = win.controller();
    c.set_video_s(c.timeline().video_duration_s() * start_fraction);
    if (zoom != 1 || pan_px != 0) {  // the user saw a frame before touching the map
        win.draw();
        win.finish();
    }
    if (zoom != 1) {  // one wheel notch about the centre; the view settles (re-drawn for it)
        win.zoom(wo.width / 2.0, wo.height / 2.0, zoom);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        win.update(0);
    }
    c.set_paused(false);
    // FR_WINDOW_STAGES=1: per-stage medians (each stage waits for the GPU, so frames get slower).
    const bool stages = std::getenv("FR_WINDOW_STAGES") != nullptr;
    win.set_stage_timing(stages);
    std::vector<double> ms;
    std::vector<app::window::ReplayWindow::StageTimes> st;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        if (pan_px != 0) win.pan(pan_px, 0);  // a drag in progress: the view never settles
        win.update(1.0 / 60);
        win.draw();
        win.finish();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        if (stages) st.push_back(win.stage_times());
        win.present();
        if (c.paused()) c.set_video_s(c.timeline().video_duration_s() * start_fraction), c.set_paused(false);
    }
    // FR_WINDOW_BENCH_SHOT=DIR: the last frame of each case as a PNG, to look at.
    if (const char* dir = std::getenv("FR_WINDOW_BENCH_SHOT"); dir && *dir) {
        win.draw();
        win.capture(fs::path(dir) /
                    ("window_" + std::to_string(d.flights.size()) + (shaders ? "_shaders" : "_cairo") + (so.density ? "_density" : "") +
                     (zoom != 1 ? "_zoomed" : "") + (pan_px != 0 ? "_panning" : "") + ".png"));
    }
    std::sort(ms.begin(), ms.end());
    const double median = ms.empty() ? 0 : ms[ms.size() / 2];
    state.counters["median_ms"] = median;
    state.counters["worst_ms"] = ms.empty() ? 0 : ms.back();
    state.counters["fps"] = median > 0 ? 1000.0 / median : 0;
    auto stage_median = [&](double app::window::ReplayWindow::StageTimes::*m) {
        std::vector<double> v;
        for (const auto& x : st) v.push_back(x.*m);
        std::sort(v.begin(), v.end());
        return v.empty() ? 0.0 : v[v.size() / 2];
    };
    if (stages) {
        state.counters["s_base_ms"] = stage_median(&app::window::ReplayWindow::StageTimes::base_ms);
        state.counters["s_trails_ms"] = stage_median(&app::window::ReplayWindow::StageTimes::trails_ms);
        state.counters["s_icons_ms"] = stage_median(&app::window::ReplayWindow::StageTimes::icons_ms);
        state.counters["s_overlay_ms"] = stage_median(&app::window::ReplayWindow::StageTimes::overlay_ms);
        state.counters["s_upload_ms"] = stage_median(&app::window::ReplayWindow::StageTimes::upload_ms);
        state.counters["s_composite_ms"] = stage_median(&app::window::ReplayWindow::StageTimes::composite_ms);
    }
    state.counters["gpu_segments"] = static_cast<double>(win.gpu_segments());
    state.counters["gpu_level_segments"] = static_cast<double>(win.gpu_level_segments());
    // What the last frame showed (outside the timed part): aircraft labels laid out.
    state.counters["labels"] = so.density ? 0.0 : static_cast<double>(win.renderer().label_layout(win.shown_time()).size());
}

void BM_Window_RFF7203_1080p(benchmark::State& state) {
    static const Data d = sample();
    run_frames(state, d, state.range(0) != 0, 0.3);
}
BENCHMARK(BM_Window_RFF7203_1080p)->Arg(1)->Arg(0)->ArgName("shaders")->Iterations(300)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Window_1000Synthetic_1080p(benchmark::State& state) { run_frames(state, synthetic1000(), state.range(0) != 0, 0.5); }
BENCHMARK(BM_Window_1000Synthetic_1080p)->Arg(1)->Arg(0)->ArgName("shaders")->Iterations(100)->Unit(benchmark::kMillisecond)->UseRealTime();

// 10,000 aircraft at once (the all-Cairo path is left out: seconds a frame).
void BM_Window_10000Synthetic_1080p(benchmark::State& state) { run_frames(state, synthetic10000(), true, 0.5); }
BENCHMARK(BM_Window_10000Synthetic_1080p)->Iterations(60)->Unit(benchmark::kMillisecond)->UseRealTime();

// --style density: traffic heat over the trail fade window instead of trails, icons and labels.
void BM_Window_Density_1080p(benchmark::State& state) {
    run_frames(state, state.range(0) == 10000 ? synthetic10000() : synthetic1000(), true, 0.5, 1, 0, density_style());
}
BENCHMARK(BM_Window_Density_1080p)
    ->Arg(1000)
    ->Arg(10000)
    ->ArgName("aircraft")
    ->Iterations(100)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The same after one zoom step about the centre has settled (the view a user has after any
// wheel or pan: the overlay's map transform is then the identity only up to rounding). The
// trail cache is rebuilt for the new view over the first frames.
void BM_Window_1000Synthetic_1080p_Zoomed(benchmark::State& state) { run_frames(state, synthetic1000(), true, 0.5, 1.25); }
BENCHMARK(BM_Window_1000Synthetic_1080p_Zoomed)->Iterations(100)->Unit(benchmark::kMillisecond)->UseRealTime();

// While the map is dragged (1 px a frame): the static layer and trails drawn for the settled
// view are moved with it until the drag ends.
void BM_Window_1000Synthetic_1080p_Panning(benchmark::State& state) { run_frames(state, synthetic1000(), true, 0.5, 1, 1); }
BENCHMARK(BM_Window_1000Synthetic_1080p_Panning)->Iterations(30)->Unit(benchmark::kMillisecond)->UseRealTime();

// Settle: the view a pan or zoom leaves is re-drawn once it has rested (ReplayWindow::update
// after settle_s): a Scene for the new view, then its static layer. cached:1 keeps one
// SceneSources for the session (the basemap, GSHHG, places read once, in lon/lat, and cut and
// projected again for each view); cached:0 is the way before, every view reading its files
// again. The RFF7203 sample at 1920x1080, cycling through four views (zoom in, pan, zoom out,
// pan back); settle_ms is the median of the re-draw itself, scene_ms of the Scene alone
// (the same four views built outside the window, one-shot against a session's sources).
void BM_Window_Settle(benchmark::State& state) {
    static const Data d = sample();
    const bool cached = state.range(0) != 0;
    xserver();
    app::window::WindowOptions wo;
    wo.width = 1920;
    wo.height = 1080;
    wo.quiet = true;
    wo.cache_sources = cached;
    app::window::ReplayWindow win(d.flights, d.analyses, render::SceneOptions{}, text(), wo);
    auto& c = win.controller();
    c.set_video_s(c.timeline().video_duration_s() * 0.3);
    win.draw();
    win.finish();
    std::vector<double> settle, scene;
    const std::size_t reads0 = win.sources()->files_read();
    int step = 0;
    std::size_t once_reads = 0;
    for (auto _ : state) {
        switch (step++ % 4) {  // the user's gesture (not timed), then the view rests
            case 0: win.zoom(wo.width / 2.0, wo.height / 2.0, 1.25); break;
            case 1: win.pan(240, 0); break;
            case 2: win.zoom(wo.width / 2.0, wo.height / 2.0, 0.8); break;
            default: win.pan(-240, 0); break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        const auto t0 = std::chrono::steady_clock::now();
        win.update(0);  // settled: re-draws the static layer for the new view
        settle.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        // The Scene alone for that view, the same way (one-shot or through the session's sources).
        render::SceneOptions o = win.scene().options();
        auto sources = std::make_shared<pipeline::SceneSources>(pipeline::SceneSources::Reuse::once);
        const auto t1 = std::chrono::steady_clock::now();
        if (cached)
            render::Scene s(d.flights, d.analyses, o, win.sources());
        else
            render::Scene s(d.flights, d.analyses, o, sources);
        once_reads += sources->files_read();
        scene.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count());
        win.draw();
        win.finish();
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v.empty() ? 0.0 : v[v.size() / 2];
    };
    state.counters["settle_ms"] = median(settle);
    state.counters["scene_ms"] = median(scene);
    // Files opened per settled view: the session's (none once the first view was read) or a
    // one-shot scene's.
    state.counters["files_per_view"] = cached ? static_cast<double>(win.sources()->files_read() - reads0) / static_cast<double>(step)
                                              : static_cast<double>(once_reads) / static_cast<double>(step);
}
BENCHMARK(BM_Window_Settle)->Arg(0)->Arg(1)->ArgName("cached")->Iterations(12)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
