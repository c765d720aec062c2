// scale: rendering many simultaneous aircraft at 1920x1080. A synthetic generator (provenance
// "synthetic", so every frame says so) makes N aircraft flying geodesics between random points
// over Europe and the North Atlantic, all airborne during the same two hours, one point a minute.
// For N in the list it reports scene setup time, drawing frames/s (whole frames over the cached
// map layer; and consecutive frames drawn incrementally, as exports draw them: only the tiles
// that changed) and the process's peak resident memory.
//   build/release/bench/scale_bench [N...]        (default: 100 1000 10000)
// The last line is export frames/s at the largest N.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>

#include "analysis/analysis.hpp"
#include "app/pipeline.hpp"
#include "core/timeline.hpp"
#include "geo/geodesic.hpp"
#include "io/assets.hpp"
#include "render/cairo_renderer.hpp"

using namespace fr;

namespace {

std::vector<Flight> synthetic_flights(int n, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> lat(35, 62), lon(-30, 30), start_min(0, 30), speed(0.8, 1.2);
    const TimePoint t0 = *parse_iso8601("2024-01-01T08:00:00Z");
    std::vector<Flight> out;
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        Flight f;
        char hex[16];
        std::snprintf(hex, sizeof hex, "%06x", static_cast<unsigned>(0x100000 + i) & 0xffffffu);
        f.aircraft.icao24 = hex;
        f.aircraft.callsign = "SYN" + std::to_string(i);
        f.provenance = Provenance::synthetic;
        f.sources = {"synthetic:scale_bench"};
        const LatLon a = *LatLon::checked(lat(rng), lon(rng)), b = *LatLon::checked(lat(rng), lon(rng));
        const int minutes = static_cast<int>(90 * speed(rng));
        const TimePoint s = t0 + std::chrono::minutes(static_cast<int>(start_min(rng)));
        for (int m = 0; m <= minutes; ++m) {
            TrackPoint p(s + std::chrono::minutes(m), geo::interpolate(a, b, static_cast<double>(m) / minutes));
            p.set_altitude(Length::metres(10000)).set_on_ground(OnGround::airborne);
            f.points.push_back(p);
        }
        out.push_back(std::move(f));
    }
    return out;
}

double peak_rss_mib() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<int> sizes;
    for (int i = 1; i < argc; ++i) sizes.push_back(std::atoi(argv[i]));
    if (sizes.empty()) sizes = {100, 1000, 10000};
    std::ifstream la("/proc/loadavg");
    std::string l1, l2, l3;
    la >> l1 >> l2 >> l3;
    std::printf("machine: load average %s %s %s; 1920x1080, synthetic aircraft (provenance synthetic)\n", l1.c_str(), l2.c_str(), l3.c_str());
    render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    double last_fps = 0;
    for (const int n : sizes) {
        using clock = std::chrono::steady_clock;
        auto t0 = clock::now();
        auto flights = synthetic_flights(n, 42);
        std::vector<analysis::FlightAnalysis> analyses;
        for (const auto& f : flights) analyses.push_back(analysis::analyse(f, app::bundled_airports()));
        render::SceneOptions opt;
        render::Scene scene(std::move(flights), std::move(analyses), opt);
        render::CairoRenderer renderer(scene, text);
        const Timeline tl = Timeline::fit(scene.start(), scene.end(), {}, 10.0, {});
        auto surface = render::make_image_surface(1920, 1080);
        auto cr = render::make_context(surface.get());
        renderer.draw_frame(cr.get(), {tl.replay_time(0), &tl, 0});  // builds the static cache
        const double setup_s = std::chrono::duration<double>(clock::now() - t0).count();
        const int frames = n >= 5000 ? 10 : 30;
        auto t1 = clock::now();
        for (int i = 0; i < frames; ++i) {
            const double v = frame_time_s(60 + i * 5, 30);  // mid-flight: every aircraft airborne
            renderer.draw_frame(cr.get(), {tl.replay_time(v), &tl, v});
            cairo_surface_flush(surface.get());
        }
        const double secs = std::chrono::duration<double>(clock::now() - t1).count();
        const double full_fps = frames / secs;
        // What exports do: consecutive frames, each redrawn only where it changed.
        render::IncrementalFrame frame(1920, 1080);
        renderer.draw_frame(frame, {tl.replay_time(frame_time_s(200, 30)), &tl, frame_time_s(200, 30)});
        auto t2 = clock::now();
        double changed = 0;
        for (int i = 1; i <= frames; ++i) {
            const double v = frame_time_s(200 + i, 30);
            renderer.draw_frame(frame, {tl.replay_time(v), &tl, v});
            changed += static_cast<double>(frame.changed().pixels()) / (1920.0 * 1080.0);
        }
        last_fps = frames / std::chrono::duration<double>(clock::now() - t2).count();
        std::printf("%6d aircraft: setup %.2f s, whole frame %.2f frames/s (%.1f ms), consecutive export frames %.2f frames/s (%.1f ms, %.0f%% of pixels changed), peak RSS %.0f MiB\n",
                    n, setup_s, full_fps, 1000.0 / full_fps, last_fps, 1000.0 / last_fps, 100 * changed / frames, peak_rss_mib());
    }
    std::printf("scale: %.2f export frames/s at %d aircraft\n", last_fps, sizes.back());
    return 0;
}
