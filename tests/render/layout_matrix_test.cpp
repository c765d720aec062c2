// The frame layout across a matrix of scenes x sizes x aspect ratios: in every frame no two
// laid-out boxes overlap, none is clipped by the frame's edge, the provenance banner is whole,
// the title, clock and source line are there, no text is smaller than 8 px, and no gap label
// lies on its own dashed line.
// Scenes: the bundled RFF7203 pair (a still during the ground stop and a video frame in the
// fast-forwarded stop, with its hold banner); the four-leg readsb day from the shared data
// (skipped when absent); a busy sky of 60 synthetic departures from Hong Kong to 60 airports
// (every destination labelled at 1920x1080 and larger, leaders crossing no label). Sizes: short sides 180, 360, 720, 1080, 2160 px, each at 9:16, 4:5,
// 1:1, 3:2 and 16:9. FR_LAYOUT_MATRIX=small runs three sizes (sanitizer builds);
// FR_LAYOUT_SAVE=DIR writes each frame there as PNG to look at.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "analysis/airport_table.hpp"
#include "io/map/assets.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/cairo_renderer.hpp"
#include "render/layout.hpp"
#include "synthetic_flights.hpp"
#include "test_paths.hpp"

using namespace fr;
using render::layout::Role;

namespace {

// 88 characters: a headline as people write them.
const std::string kTitle = "Chkalovsky to Pyongyang and back: the 2023 round trip of a Russian Air Force Il-96-300PU";
const std::string kSubtitle = "Reconstructed from public ADS-B coverage, 31 July to 3 August 2023";
constexpr double kTolPx = 0.5;  // boxes may touch; overlap or clipping of more than half a pixel fails

struct Sizes {
    int w, h;
};
std::vector<Sizes> matrix_sizes() {
    const char* env = std::getenv("FR_LAYOUT_MATRIX");
    const bool small = env && std::string(env) == "small";
    std::vector<int> shorts = small ? std::vector<int>{180, 360, 1080} : std::vector<int>{180, 360, 720, 1080, 2160};
    const std::vector<std::pair<int, int>> aspects{{9, 16}, {4, 5}, {1, 1}, {3, 2}, {16, 9}};
    std::vector<Sizes> out;
    for (int sh : shorts)
        for (auto [a, b] : aspects) {
            // The short side is sh; the long one follows the aspect (even sizes, as video needs).
            int w = a >= b ? sh * a / b : sh, h = a >= b ? sh : sh * b / a;
            if (small && !(a == 9 || a == 1 || a == 16)) continue;
            out.push_back({w + (w & 1), h + (h & 1)});
        }
    return out;
}

struct Result {
    int frames = 0, boxes = 0, overlaps = 0, clipped = 0, small_text = 0, missing = 0, gap_labels = 0;
    int airport_labels = 0, leaders = 0, unlabelled_large = 0;  ///< unlabelled airports in frames >= 1920x1080
};

void check_frame(const render::CairoRenderer& r, int W, int H, const std::string& name, bool expect_banner, Result& res) {
    const auto boxes = r.last_layout();
    ++res.frames;
    res.boxes += static_cast<int>(boxes.size());
    bool banner = false, title = false, clock = false, source = false;
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        const auto& a = boxes[i];
        banner |= a.role == Role::banner;
        title |= a.role == Role::title;
        clock |= a.role == Role::clock;
        source |= a.role == Role::source_line;
        if (a.box.x0 < -kTolPx || a.box.y0 < -kTolPx || a.box.x1 > W + kTolPx || a.box.y1 > H + kTolPx) {
            ++res.clipped;
            ADD_FAILURE() << name << ": " << to_string(a.role) << " clipped by the frame: " << a.box.x0 << "," << a.box.y0 << " - "
                          << a.box.x1 << "," << a.box.y1;
        }
        if (a.min_text_px > 0 && a.min_text_px < render::layout::kMinTextPx - 1e-6) {
            ++res.small_text;
            ADD_FAILURE() << name << ": " << to_string(a.role) << " text " << a.min_text_px << " px (< 8 px)";
        }
        for (std::size_t j = i + 1; j < boxes.size(); ++j) {
            const auto& b = boxes[j];
            const render::Box shrunk{a.box.x0 + kTolPx, a.box.y0 + kTolPx, a.box.x1 - kTolPx, a.box.y1 - kTolPx};
            if (shrunk.overlaps(b.box)) {
                ++res.overlaps;
                ADD_FAILURE() << name << ": " << to_string(a.role) << " [" << a.box.x0 << "," << a.box.y0 << " " << a.box.x1 << ","
                              << a.box.y1 << "] overlaps " << to_string(b.role) << " [" << b.box.x0 << "," << b.box.y0 << " " << b.box.x1
                              << "," << b.box.y1 << "]";
            }
        }
    }
    auto need = [&](bool have, const char* what) {
        if (have) return;
        ++res.missing;
        ADD_FAILURE() << name << ": no " << what;
    };
    // Gap labels beside their dashed line, never on it (the line sampled every half pixel).
    for (const auto& g : r.gap_label_lines()) {
        ++res.gap_labels;
        const double len = std::hypot(g.b.x - g.a.x, g.b.y - g.a.y);
        const int n = std::max(1, static_cast<int>(len * 2));
        for (int k = 0; k <= n; ++k) {
            const double x = g.a.x + (g.b.x - g.a.x) * k / n, y = g.a.y + (g.b.y - g.a.y) * k / n;
            if (x > g.box.x0 && x < g.box.x1 && y > g.box.y0 && y < g.box.y1) {
                ++res.overlaps;
                ADD_FAILURE() << name << ": gap label on its own dashed line at " << x << "," << y;
                break;
            }
        }
    }
    // Airport labels: a leader (from the ring to a label set off) crosses no other box; at
    // 1920x1080 and larger every airport on the map has its label.
    for (const auto& l : r.last_airport_labels()) {
        ++res.airport_labels;
        if (!l.leader) continue;
        ++res.leaders;
        const auto [a, b] = *l.leader;
        const int n = std::max(1, static_cast<int>(std::hypot(b.x - a.x, b.y - a.y) * 2));
        for (const auto& o : boxes) {
            if (std::abs(o.box.x0 - l.box.x0) < 1e-9 && std::abs(o.box.y0 - l.box.y0) < 1e-9) continue;  // its own label
            for (int k = 0; k <= n; ++k) {
                const double x = a.x + (b.x - a.x) * k / n, y = a.y + (b.y - a.y) * k / n;
                if (x > o.box.x0 + kTolPx && x < o.box.x1 - kTolPx && y > o.box.y0 + kTolPx && y < o.box.y1 - kTolPx) {
                    ++res.overlaps;
                    ADD_FAILURE() << name << ": the leader of " << l.text << " crosses " << to_string(o.role) << " at " << x << "," << y;
                    break;
                }
            }
        }
    }
    // (An airport whose ring lies under the title or banner is not on the visible map: it is
    // counted in the legend's "not labelled" line, not here.)
    if (const int n = r.last_unlabelled_airports() - r.last_covered_airports(); W >= 1920 && H >= 1080 && n > 0) {
        res.unlabelled_large += n;
        ADD_FAILURE() << name << ": " << n << " visible airports not labelled at " << W << "x" << H;
    }
    if (expect_banner) need(banner, "provenance banner");
    need(title, "title");
    need(clock, "clock");
    need(source, "source line");
}

void save(cairo_surface_t* s, const std::string& name) {
    const char* dir = std::getenv("FR_LAYOUT_SAVE");
    if (!dir) return;
    const std::string path = std::string(dir) + "/" + name + ".png";
    cairo_surface_write_to_png(s, path.c_str());
}

/// Renders a still at `still_t` and a video frame at video time `video_s` of a fitted timeline
/// (in a hold when there is one) for every size, checking each.
Result run_matrix(const pipeline::LoadedData& data, const std::string& scene_name, TimePoint still_t, bool expect_banner) {
    Result res;
    render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    for (const auto sz : matrix_sizes()) {
        render::SceneOptions opt;
        opt.width = sz.w;
        opt.height = sz.h;
        opt.title = kTitle;
        opt.subtitle = kSubtitle;
        opt.gshhg_max = 'l';  // committed GSHHG only
        render::Scene scene = pipeline::make_scene(data.flights, data.analyses, opt);
        const auto tl = Timeline::fit(scene.start(), scene.end(), scene.holds(std::chrono::hours{2}), 20.0, {2.0, 1.0});
        double hold_s = 10;
        for (const auto& seg : tl.segments())
            if (seg.kind == SegmentKind::hold) {
                hold_s = (seg.video_start_s + seg.video_end_s) / 2;
                break;
            }
        const std::string base = scene_name + "_" + std::to_string(sz.w) + "x" + std::to_string(sz.h);
        {
            render::CairoRenderer r(scene, text);
            auto s = render::make_image_surface(sz.w, sz.h);
            auto cr = render::make_context(s.get());
            r.draw_frame(cr.get(), {still_t, nullptr, 0});
            check_frame(r, sz.w, sz.h, base + "_still", expect_banner, res);
            save(s.get(), base + "_still");
        }
        {
            render::CairoRenderer r(scene, text);
            auto s = render::make_image_surface(sz.w, sz.h);
            auto cr = render::make_context(s.get());
            const render::FrameInfo f{tl.replay_time(hold_s), &tl, hold_s};
            r.draw_frame(cr.get(), f);
            check_frame(r, sz.w, sz.h, base + "_video", expect_banner, res);
            save(s.get(), base + "_video");
        }
    }
    std::printf(
        "%s: %d frames, %d boxes (%d gap labels, %d airport labels, %d with leaders): %d overlaps, %d clipped, %d below 8 px, "
        "%d missing, %d airports unlabelled at >= 1920x1080\n",
        scene_name.c_str(), res.frames, res.boxes, res.gap_labels, res.airport_labels, res.leaders, res.overlaps, res.clipped,
        res.small_text, res.missing, res.unlabelled_large);
    return res;
}

}  // namespace

TEST(LayoutMatrix, Rff7203) {
    pipeline::LoadRequest req;
    req.inputs = {test::source_dir() / "assets/samples"};
    const auto data = pipeline::load_and_analyse(req);
    const auto r = run_matrix(data, "rff7203", *parse_iso8601("2023-08-01T12:00:00Z"), true);
    EXPECT_EQ(r.overlaps + r.clipped + r.small_text + r.missing, 0);
}

TEST(LayoutMatrix, ReadsbFourLegDay) {
    const auto path = test::shared_data("xoolive-traffic/readsb/trace_full_ac671b.json");
    FR_REQUIRE_SHARED(path);
    pipeline::LoadRequest req;
    req.inputs = {path};
    const auto data = pipeline::load_and_analyse(req);
    ASSERT_FALSE(data.flights.empty());
    // The end of the day: every stop card has opened.
    const auto r = run_matrix(data, "readsb_ac671b", data.flights.front().points.back().time(), false);
    EXPECT_EQ(r.overlaps + r.clipped + r.small_text + r.missing, 0);
}

TEST(LayoutMatrix, BusySky) {
    // 60 departures from Hong Kong, one every 6 minutes, to the 60 large airports nearest to
    // it beyond 800 km (a day's long- and medium-haul destinations, crowded in places: the Gulf,
    // Taiwan, Japan).
    const auto hkg = test::kHKG;
    std::vector<std::pair<double, const io::Airport*>> dests;
    for (const auto& a : pipeline::bundled_airports().airports()) {
        if (a.size != io::AirportSize::large || a.icao.empty()) continue;
        const double d = geo::distance(hkg, a.position).m();
        if (d > 800e3 && d < 7000e3) dests.emplace_back(d, &a);
    }
    std::sort(dests.begin(), dests.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    ASSERT_GE(dests.size(), 60u);
    dests.resize(60);
    std::vector<Flight> flights;
    const TimePoint t0 = *parse_iso8601("2023-11-15T00:00:00Z");
    for (std::size_t i = 0; i < dests.size(); ++i)
        flights.push_back(
            test::synthetic_flight("HKB" + std::to_string(100 + i), hkg, dests[i].second->position, t0 + std::chrono::minutes(6 * i)));
    auto fa = test::analysed(std::move(flights));
    pipeline::LoadedData data;
    data.flights = std::move(fa.flights);
    data.analyses = std::move(fa.analyses);
    const auto r = run_matrix(data, "busy_sky", t0 + std::chrono::hours(4), true);
    EXPECT_GT(r.airport_labels, 0);
    EXPECT_EQ(r.overlaps + r.clipped + r.small_text + r.missing + r.unlabelled_large, 0);
}

// The layout is pure: checked here without rendering.
TEST(Layout, WrapsThenShrinksTheTitleAndKeepsTheBannerWhole) {
    const render::layout::Measure measure = [](const std::string& t, double px, bool) {
        return render::layout::Size{0.55 * px * static_cast<double>(t.size()), 1.2 * px};
    };
    render::layout::FurnitureSpec sp;
    sp.width = 320;
    sp.height = 180;
    sp.s = 0.6;
    sp.measure = measure;
    sp.title = {kTitle, 18, 8, true};
    sp.banner = {"RECONSTRUCTED TRACK - modelled positions, not recorded data", "RECONSTRUCTED TRACK"};
    sp.banner_px = 11.4;
    sp.banner_pad = 7.2;
    sp.clock = {{200, 40}, 15.6, true};
    sp.source = {"Natural Earth | Track: 2 files (reconstructed, not recorded)", 8.1, 8, false};
    const auto L = render::layout::solve_furniture(sp);
    const auto* title = L.find(Role::title);
    const auto* banner = L.find(Role::banner);
    ASSERT_NE(title, nullptr);
    ASSERT_NE(banner, nullptr);
    EXPECT_GT(title->text.lines.size(), 1u) << "an 88-character title wraps in 320 px";
    EXPECT_GE(title->text.px, 8.0);
    for (const auto& l : banner->text.lines) EXPECT_LE(measure(l, banner->text.px, true).w, banner->box.w() + 1e-9);
    EXPECT_LE(banner->box.x1, 320.0);
    EXPECT_GE(banner->box.x0, 0.0);
    const auto boxes = L.boxes();
    for (std::size_t i = 0; i < boxes.size(); ++i)
        for (std::size_t j = i + 1; j < boxes.size(); ++j) EXPECT_FALSE(boxes[i].overlaps(boxes[j])) << i << " " << j;
}
