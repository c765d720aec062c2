// scale: rendering many simultaneous aircraft at 1920x1080. A synthetic generator (provenance
// "synthetic", so every frame says so) makes N aircraft flying geodesics between random points
// over Europe and the North Atlantic, all airborne during the same two hours, one point a minute.
// For N in the list it reports scene setup time, drawing frames/s (whole frames over the cached
// map layer; and 30 consecutive frames drawn incrementally, as exports draw them: only the tiles
// that changed), then the encoder alone on those same frames (conversion of the changed tiles +
// x264 at the video defaults, as for --density below), the ratio drawing / encoder, and the
// process's peak resident memory.
//   build/release/bench/scale_bench [--look FILE.png] [N...]        (default: 100 1000 10000)
// The last line is export frames/s and the ratio drawing / encoder at the largest N. --look writes
// the last export frame of the first N as a PNG to look at.
//
// Density (--density [--look FILE.png] [N...], default 10000 100000): the same aircraft drawn with
// --style density; per N, consecutive export frames drawn incrementally, then the encoder alone
// on the same frames (colour conversion of the changed tiles + x264 at the video defaults), and
// the ratio drawing / encoder. --look writes the last frame of the first N as a PNG to look at.
//   build/release/bench/scale_bench --density --look /tmp/density_synthetic.png 2000
//
// Pipeline scaling (--pipeline): time and memory per point of every stage before drawing --
// load (file read + parse of an OpenSky state-vector CSV), merge, analyse (airport lookups),
// `info` table, scene building -- at 10^4 .. 10^7 points (1,000 aircraft) and at 10 .. 200,000
// aircraft (10^6 points), plus 10^8 points with --huge (about 10 GB of CSV on disk and ~6 GB of
// memory). The CSV is SYNTHETIC (callsigns SYN..., written to $TMPDIR and deleted after use).
// Linear stages show a flat ns/point column (fixed costs dominate at 10^4); the last lines divide
// each stage's time growth between the two largest sizes by the size growth (1.00 = linear).
//   build/release/bench/scale_bench --pipeline [--huge]
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string_view>

#include "analysis/analysis.hpp"
#include "analysis/report_json.hpp"
#include "core/timeline.hpp"
#include "export/video_encoder.hpp"
#include "export/yuv_convert.hpp"
#include "geo/geodesic.hpp"
#include "io/loader.hpp"
#include "io/map/assets.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/scene_sources.hpp"
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

double current_rss_bytes() {
    std::ifstream statm("/proc/self/statm");
    double pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * static_cast<double>(sysconf(_SC_PAGESIZE));
}

/// SYNTHETIC OpenSky state-vector CSV: `aircraft` aircraft, `points` rows in all, one fix every
/// 10 s per aircraft, rows in time order as OpenSky's hourly dumps have them.
std::uintmax_t write_opensky_csv(const std::filesystem::path& file, long long points, long long aircraft) {
    std::FILE* f = std::fopen(file.c_str(), "wb");
    if (!f) throw std::runtime_error("cannot write " + file.string());
    std::fputs(
        "time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,alert,spi,squawk,baroaltitude,geoaltitude,lastposupdate,"
        "lastcontact\n",
        f);
    std::mt19937_64 rng(7203);
    std::uniform_real_distribution<double> lat(-60, 70), lon(-180, 180);
    std::vector<std::pair<double, double>> start(static_cast<std::size_t>(aircraft));
    for (auto& p : start) p = {lat(rng), lon(rng)};
    const long long per = points / aircraft, t0 = 1'700'000'000;
    char line[256];
    for (long long k = 0; k < per; ++k)
        for (long long i = 0; i < aircraft; ++i) {
            const long long t = t0 + 10 * k;
            const double la = start[static_cast<std::size_t>(i)].first;
            double lo = std::fmod(start[static_cast<std::size_t>(i)].second + 180.0 + 0.02 * static_cast<double>(k), 360.0) - 180.0;
            const int n = std::snprintf(line, sizeof line,
                                        "%lld,%06llx,%.5f,%.5f,230.0,90.0,0.0,SYN%lld,False,False,False,1000,10000.0,10100.0,%lld,%lld\n",
                                        t, 0x100000 + i, la, lo, i, t, t);
            std::fwrite(line, 1, static_cast<std::size_t>(n), f);
        }
    if (std::fclose(f) != 0) throw std::runtime_error("cannot write " + file.string());
    return std::filesystem::file_size(file);
}

struct StageTimes {
    long long points = 0, aircraft = 0;
    double load = 0, merge = 0, analyse = 0, info = 0, scene = 0, bytes_per_point = 0, file_mb = 0;
};

StageTimes run_pipeline_once(long long points, long long aircraft) {
    using clock = std::chrono::steady_clock;
    auto secs = [](clock::time_point a) { return std::chrono::duration<double>(clock::now() - a).count(); };
    StageTimes st{points, aircraft};
    const auto file = std::filesystem::temp_directory_path() / ("fr_scale_bench_" + std::to_string(getpid()) + ".csv");
    st.file_mb = static_cast<double>(write_opensky_csv(file, points, aircraft)) / 1e6;
    const analysis::AirportTable& airports = pipeline::bundled_airports();
    malloc_trim(0);
    const double rss0 = current_rss_bytes();
    auto t = clock::now();
    io::LoadResult r = io::load_file(file);
    st.load = secs(t);
    std::filesystem::remove(file);
    t = clock::now();
    std::vector<Flight> flights = merge_tracks(std::move(r.tracks));
    st.merge = secs(t);
    t = clock::now();
    std::vector<analysis::FlightAnalysis> analyses;
    analyses.reserve(flights.size());
    for (const auto& f : flights) analyses.push_back(analysis::analyse(f, airports));
    st.analyse = secs(t);
    malloc_trim(0);
    st.bytes_per_point = (current_rss_bytes() - rss0) / static_cast<double>(points);
    t = clock::now();
    const std::string table = analysis::to_table(flights, analyses);
    st.info = secs(t);
    if (table.empty()) std::abort();
    t = clock::now();
    {
        render::Scene scene = pipeline::make_scene(std::move(flights), std::move(analyses), render::SceneOptions{});
        st.scene = secs(t);
    }
    return st;
}

int run_pipeline(bool huge) {
    std::ifstream la("/proc/loadavg");
    std::string l1, l2, l3;
    la >> l1 >> l2 >> l3;
    std::printf(
        "pipeline scaling: load average %s %s %s at start, %ld online CPUs; SYNTHETIC OpenSky CSV (time-ordered rows, fix every 10 s)\n",
        l1.c_str(), l2.c_str(), l3.c_str(), sysconf(_SC_NPROCESSORS_ONLN));
    std::printf("%11s %9s %8s | %-15s %-15s %-15s %-15s %-15s | %s\n", "points", "aircraft", "CSV MB", "load s (ns/pt)", "merge s (ns/pt)",
                "analyse s(ns/pt)", "info s (ns/pt)", "scene s (ns/pt)", "bytes/point after analyse");
    auto print = [](const StageTimes& s) {
        const double n = static_cast<double>(s.points);
        auto cell = [n](double v) {
            static char buf[8][32];
            static int k = 0;
            char* b = buf[k++ % 8];
            std::snprintf(b, 32, "%6.2f (%5.0f)", v, v * 1e9 / n);
            return b;
        };
        std::printf("%11lld %9lld %8.0f | %-15s %-15s %-15s %-15s %-15s | %.0f\n", s.points, s.aircraft, s.file_mb, cell(s.load),
                    cell(s.merge), cell(s.analyse), cell(s.info), cell(s.scene), s.bytes_per_point);
        std::fflush(stdout);
    };
    // Growth of each stage's time between two runs, divided by the growth of `n` (points or
    // aircraft): 1.00 is linear, 2.00 would be quadratic over a doubling (and 10.0 over x10).
    auto ratio_line = [](const char* what, const StageTimes& a, const StageTimes& b, double growth) {
        auto r = [&](double x, double y) { return (y / x) / growth; };
        std::printf("%s: stage time growth / size growth: load %.2f, merge %.2f, analyse %.2f, info %.2f, scene %.2f (1.00 = linear)\n",
                    what, r(a.load, b.load), r(a.merge, b.merge), r(a.analyse, b.analyse), r(a.info, b.info), r(a.scene, b.scene));
    };
    std::vector<long long> sizes = {10'000, 100'000, 1'000'000, 10'000'000};
    if (huge) sizes.push_back(100'000'000);
    std::vector<StageTimes> by_points, by_aircraft;
    for (long long p : sizes) by_points.push_back(run_pipeline_once(p, 1000)), print(by_points.back());
    for (long long a : {10LL, 100LL, 1000LL, 10'000LL, 100'000LL, 200'000LL})
        by_aircraft.push_back(run_pipeline_once(1'000'000, a)), print(by_aircraft.back());
    const StageTimes& p_big = by_points.back();
    const StageTimes& p_small = by_points[by_points.size() - 2];
    std::printf("points x%.0f (%lld -> %lld, 1,000 aircraft) and aircraft x2 (100,000 -> 200,000, 10^6 points):\n",
                static_cast<double>(p_big.points) / static_cast<double>(p_small.points), p_small.points, p_big.points);
    ratio_line("  points  ", p_small, p_big, static_cast<double>(p_big.points) / static_cast<double>(p_small.points));
    ratio_line("  aircraft", by_aircraft[by_aircraft.size() - 2], by_aircraft.back(), 2.0);
    std::printf("peak RSS %.0f MiB\n", peak_rss_mib());
    return 0;
}

/// Consecutive export frames drawn incrementally (as `flightreplay render` draws a video), each
/// kept with its changed tiles for the encoder pass.
struct ExportFrames {
    std::vector<std::vector<std::uint8_t>> pixels;
    std::vector<render::TileDamage> changed;
    int width = 0, height = 0, stride = 0;
    double draw_s = 0;         ///< drawing time of all frames, seconds
    double changed_share = 0;  ///< mean share of the pixels changed per frame
    double draw_ms() const { return 1000 * draw_s / static_cast<double>(pixels.size()); }
};

/// Draws video frames first+1 .. first+n (30 frames/s on `tl`) into `frame`, which already holds
/// frame `first`, and keeps each.
ExportFrames draw_export_frames(render::CairoRenderer& renderer, const Timeline& tl, render::IncrementalFrame& frame, int first, int n) {
    using clock = std::chrono::steady_clock;
    ExportFrames out;
    out.width = cairo_image_surface_get_width(frame.surface());
    out.height = cairo_image_surface_get_height(frame.surface());
    out.stride = frame.stride();
    const double px = static_cast<double>(out.width) * out.height;
    for (int i = 1; i <= n; ++i) {
        const double v = frame_time_s(first + i, 30);
        auto t = clock::now();
        renderer.draw_frame(frame, {tl.replay_time(v), &tl, v});
        cairo_surface_flush(frame.surface());
        out.draw_s += std::chrono::duration<double>(clock::now() - t).count();
        out.pixels.emplace_back(frame.data(), frame.data() + static_cast<std::ptrdiff_t>(frame.stride()) * out.height);
        out.changed.push_back(frame.changed());
        out.changed_share += static_cast<double>(frame.changed().pixels()) / px / n;
    }
    return out;
}

/// The encoder alone on the same frames, ms per frame: conversion of the changed tiles (as the
/// video path converts them) and x264 at the video defaults (flush included).
struct EncoderCost {
    double conv_ms = 0, x264_ms = 0;
    double ms() const { return conv_ms + x264_ms; }
};

EncoderCost encode_alone(const ExportFrames& fr) {
    using clock = std::chrono::steady_clock;
    const auto path = std::filesystem::temp_directory_path() / ("fr_scale_bench_" + std::to_string(getpid()) + ".mp4");
    double conv_s = 0, enc_s = 0;
    const int W = fr.width, H = fr.height, n = static_cast<int>(fr.pixels.size());
    {
        output::VideoOptions vo;
        output::VideoEncoder enc(path, vo);
        output::Yuv420Image yuv(W, H);
        output::argb32_to_yuv420p_rect(fr.pixels[0].data(), fr.stride, 0, 0, W, H, yuv);
        for (int i = 0; i < n; ++i) {
            auto t = clock::now();
            fr.changed[static_cast<std::size_t>(i)].for_each_run([&](int x0, int y0, int x1, int y1) {
                output::argb32_to_yuv420p_rect(fr.pixels[static_cast<std::size_t>(i)].data(), fr.stride, x0, y0, x1, y1, yuv);
            });
            auto t2 = clock::now();
            conv_s += std::chrono::duration<double>(t2 - t).count();
            enc.add_frame_yuv420p(yuv);
            enc_s += std::chrono::duration<double>(clock::now() - t2).count();
        }
        auto t = clock::now();
        enc.finish();
        enc_s += std::chrono::duration<double>(clock::now() - t).count();
    }
    std::filesystem::remove(path);
    return {1000 * conv_s / n, 1000 * enc_s / n};
}

/// Per-stage drawing cost of the frames first+1 .. first+n, us per aircraft: aircraft states
/// (state_at, projection, screen heading), label placement, trails (the fading trails or the
/// trail tips drawn per frame), icons with their labels' drawing (draw_aircraft less its label
/// placement). Each stage alone on a scratch frame, recording damage as exports do.
void print_stages(render::CairoRenderer& renderer, const Timeline& tl, int first, int n, int aircraft) {
    using clock = std::chrono::steady_clock;
    auto surface = render::make_image_surface(1920, 1080);
    auto cr = render::make_context(surface.get());
    render::TileDamage damage(1920, 1080);
    double states = 0, labels = 0, trails = 0, aircraft_s = 0;
    for (int i = 1; i <= n; ++i) {
        const double v = frame_time_s(first + i, 30);
        const render::FrameInfo f{tl.replay_time(v), &tl, v};
        const render::FrameKey q{f.t, true, &f};
        auto t = clock::now();
        (void)renderer.layout().aircraft_now(f.t);
        auto t2 = clock::now();
        states += std::chrono::duration<double>(t2 - t).count();
        (void)renderer.layout().label_layout(q);
        auto t3 = clock::now();
        labels += std::chrono::duration<double>(t3 - t2).count();
        renderer.painter().draw_trails(cr.get(), &damage, f.t, /*tips_only=*/true);
        cairo_surface_flush(surface.get());
        auto t4 = clock::now();
        trails += std::chrono::duration<double>(t4 - t3).count();
        renderer.painter().draw_aircraft(cr.get(), &damage, q);
        cairo_surface_flush(surface.get());
        aircraft_s += std::chrono::duration<double>(clock::now() - t4).count();
    }
    const double k = 1e6 / n / aircraft;
    std::printf("        stages, us per aircraft: states %.2f, label placement %.2f, trails %.2f, icons + label drawing %.2f\n", states * k,
                labels * k, trails * k, (aircraft_s - labels) * k);
}

int run_density(int argc, char** argv) {
    std::vector<int> sizes;
    std::string look;
    for (int i = 2; i < argc; ++i) {
        if (std::strcmp(argv[i], "--look") == 0 && i + 1 < argc)
            look = argv[++i];
        else
            sizes.push_back(std::atoi(argv[i]));
    }
    if (sizes.empty()) sizes = {10000, 100000};
    std::ifstream la("/proc/loadavg");
    std::string l1, l2, l3;
    la >> l1 >> l2 >> l3;
    std::printf("density: machine load average %s %s %s, %ld online CPUs; 1920x1080, synthetic aircraft, --style density\n", l1.c_str(),
                l2.c_str(), l3.c_str(), sysconf(_SC_NPROCESSORS_ONLN));
    output::quiet_ffmpeg_logs();
    render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    constexpr int W = 1920, H = 1080, kFrames = 30;
    for (const int n : sizes) {
        using clock = std::chrono::steady_clock;
        auto t0 = clock::now();
        auto flights = synthetic_flights(n, 42);
        std::vector<analysis::FlightAnalysis> analyses;
        for (const auto& f : flights) analyses.push_back(analysis::analyse(f, pipeline::bundled_airports()));
        render::SceneOptions opt;
        opt.density = true;
        render::Scene scene = pipeline::make_scene(std::move(flights), std::move(analyses), opt);
        render::CairoRenderer renderer(scene, text);
        const Timeline tl = Timeline::fit(scene.start(), scene.end(), {}, 10.0, {});
        render::IncrementalFrame frame(W, H);
        renderer.draw_frame(frame, {tl.replay_time(frame_time_s(150, 30)), &tl, frame_time_s(150, 30)});  // map cache, grid
        const double setup_s = std::chrono::duration<double>(clock::now() - t0).count();
        const ExportFrames fr = draw_export_frames(renderer, tl, frame, 150, kFrames);
        if (!look.empty()) {
            cairo_surface_write_to_png(frame.surface(), look.c_str());
            look.clear();
        }
        const EncoderCost enc = encode_alone(fr);
        const double draw_ms = fr.draw_ms();
        std::printf(
            "%6d aircraft: setup %.1f s, %zu density samples; drawing %.1f ms/frame (%.1f frames/s, %.0f%% of pixels changed); encoder "
            "alone %.1f ms/frame "
            "(conversion %.1f + x264 %.1f); drawing / encoder %.2f; peak RSS %.0f MiB\n",
            n, setup_s, renderer.density_grid() ? renderer.density_grid()->samples() : 0, draw_ms, 1000.0 / draw_ms, 100 * fr.changed_share,
            enc.ms(), enc.conv_ms, enc.x264_ms, draw_ms / enc.ms(), peak_rss_mib());
        std::fflush(stdout);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && std::strcmp(argv[1], "--pipeline") == 0) return run_pipeline(argc >= 3 && std::strcmp(argv[2], "--huge") == 0);
    if (argc >= 2 && std::strcmp(argv[1], "--density") == 0) return run_density(argc, argv);
    std::vector<int> sizes;
    std::string look;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--look") == 0 && i + 1 < argc)
            look = argv[++i];
        else
            sizes.push_back(std::atoi(argv[i]));
    }
    if (sizes.empty()) sizes = {100, 1000, 10000};
    std::ifstream la("/proc/loadavg");
    std::string l1, l2, l3;
    la >> l1 >> l2 >> l3;
    std::printf("machine: load average %s %s %s; 1920x1080, synthetic aircraft (provenance synthetic)\n", l1.c_str(), l2.c_str(),
                l3.c_str());
    output::quiet_ffmpeg_logs();
    render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    constexpr int kExportFrames = 30;
    double last_fps = 0, last_ratio = 0;
    for (const int n : sizes) {
        using clock = std::chrono::steady_clock;
        auto t0 = clock::now();
        auto flights = synthetic_flights(n, 42);
        std::vector<analysis::FlightAnalysis> analyses;
        for (const auto& f : flights) analyses.push_back(analysis::analyse(f, pipeline::bundled_airports()));
        render::SceneOptions opt;
        render::Scene scene = pipeline::make_scene(std::move(flights), std::move(analyses), opt);
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
        // What exports do: consecutive frames, each redrawn only where it changed; then the encoder
        // alone on the same frames (the density path's measurement).
        render::IncrementalFrame frame(1920, 1080);
        renderer.draw_frame(frame, {tl.replay_time(frame_time_s(200, 30)), &tl, frame_time_s(200, 30)});
        const ExportFrames fr = draw_export_frames(renderer, tl, frame, 200, kExportFrames);
        if (!look.empty()) {  // the last export frame of the first N, to look at
            cairo_surface_write_to_png(frame.surface(), look.c_str());
            look.clear();
        }
        const EncoderCost enc = encode_alone(fr);
        last_fps = 1000.0 / fr.draw_ms();
        last_ratio = fr.draw_ms() / enc.ms();
        std::printf(
            "%6d aircraft: setup %.2f s, whole frame %.2f frames/s (%.1f ms), consecutive export frames %.2f frames/s (%.1f ms, %.2f us "
            "per aircraft, %.0f%% of pixels changed); encoder alone %.1f ms/frame (conversion %.1f + x264 %.1f); drawing / encoder "
            "%.2f; peak RSS %.0f MiB\n",
            n, setup_s, full_fps, 1000.0 / full_fps, last_fps, fr.draw_ms(), 1000 * fr.draw_ms() / n, 100 * fr.changed_share, enc.ms(),
            enc.conv_ms, enc.x264_ms, last_ratio, peak_rss_mib());
        print_stages(renderer, tl, 200, kExportFrames, n);
        std::fflush(stdout);
    }
    std::printf("scale: %.2f export frames/s at %d aircraft, drawing / encoder %.2f\n", last_fps, sizes.back(), last_ratio);
    return 0;
}
