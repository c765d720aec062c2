// Incremental frames (exports): a frame brought up to date from the previous one by redrawing
// only the damaged tiles must equal, bit for bit (tolerance: 0 of 255 in every channel), the
// same frame drawn from scratch without any cache. Covered: the RFF7203 sample through a whole
// video timeline (stop card, hold card, profile inset, timeline bar), time going back (title
// card, scrubbing), fading trails, trails coloured by altitude, a busy synthetic sky with labels
// and leaders, and a following camera. A dropped damage report is shown to be caught.
#include <gtest/gtest.h>

#include <cstring>
#include <optional>

#include "core/timeline.hpp"
#include "io/map/assets.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/cairo_renderer.hpp"
#include "synthetic_flights.hpp"
#include "test_paths.hpp"

using namespace fr;

namespace {

struct Case {
    std::vector<Flight> flights;
    std::vector<analysis::FlightAnalysis> analyses;
    render::SceneOptions opt;
};

Case sample_case() {
    pipeline::LoadRequest req;
    req.inputs = {test::source_dir() / "assets/samples"};
    auto data = pipeline::load_and_analyse(req);
    Case c{data.flights, data.analyses, {}};
    c.opt.width = 640;
    c.opt.height = 360;
    c.opt.title = "incremental";
    return c;
}

Case busy_case() {
    std::vector<Flight> flights;
    const TimePoint t0 = *parse_iso8601("2024-03-01T06:00:00Z");
    const LatLon hubs[] = {LatLon::from_degrees(47.46, 8.55), LatLon::from_degrees(48.35, 11.79), LatLon::from_degrees(45.63, 8.72),
                           LatLon::from_degrees(46.24, 6.11), LatLon::from_degrees(50.03, 8.56),  LatLon::from_degrees(48.11, 16.57)};
    for (int i = 0; i < 24; ++i) {
        const auto& a = hubs[i % 6];
        const auto& b = hubs[(i * 5 + 1) % 6 == i % 6 ? (i + 1) % 6 : (i * 5 + 1) % 6];
        flights.push_back(test::synthetic_flight("SYN" + std::to_string(100 + i), a, b, t0 + std::chrono::minutes(7 * i)));
    }
    auto fa = test::analysed(std::move(flights));
    Case c{fa.flights, fa.analyses, {}};
    c.opt.width = 640;
    c.opt.height = 360;
    return c;
}

/// A frame drawn with no cache at all: static layer and every trail chunk drawn as vectors.
render::SurfacePtr fresh(const Case& c, const render::FrameInfo& f) {
    render::Scene scene = pipeline::make_scene(c.flights, c.analyses, c.opt);
    render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    render::CairoRenderer r(scene, text);
    auto s = render::make_image_surface(c.opt.width, c.opt.height);
    auto cr = render::make_context(s.get());
    r.draw_frame(cr.get(), f, /*use_cache=*/false);
    cairo_surface_flush(s.get());
    return s;
}

/// Number of pixels that differ in any channel.
long long differing(const std::uint8_t* a, int sa, cairo_surface_t* b, int w, int h) {
    const std::uint8_t* pb = cairo_image_surface_get_data(b);
    const int sb = cairo_image_surface_get_stride(b);
    long long n = 0;
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            if (std::memcmp(a + y * sa + 4 * x, pb + y * sb + 4 * x, 4) != 0) {
                ++n;
                x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
            }
    if (n) std::printf("%lld pixels differ within x %d..%d, y %d..%d\n", n, x0, x1, y0, y1);
    return n;
}

/// Draws the video times `times` (seconds) incrementally and compares each with a fresh frame.
void check_sequence(Case c, const std::vector<double>& times, bool mutable_scene = false) {
    render::Scene scene = pipeline::make_scene(c.flights, c.analyses, c.opt);
    render::Scene fresh_scene_probe = pipeline::make_scene(c.flights, c.analyses, c.opt);  // holds / timeline only
    const auto tl =
        Timeline::fit(fresh_scene_probe.start(), fresh_scene_probe.end(), fresh_scene_probe.holds(std::chrono::hours{2}), 20.0, {2.0, 1.0});
    render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    std::optional<render::CairoRenderer> r;
    if (mutable_scene)
        r.emplace(scene, text);
    else
        r.emplace(static_cast<const render::Scene&>(scene), text);
    render::IncrementalFrame frame(c.opt.width, c.opt.height);
    for (double v : times) {
        const render::FrameInfo f{tl.replay_time(v), &tl, v};
        r->draw_frame(frame, f);
        cairo_surface_flush(frame.surface());
        auto ref = fresh(c, f);
        EXPECT_EQ(differing(frame.data(), frame.stride(), ref.get(), c.opt.width, c.opt.height), 0)
            << "video time " << v << " s (replay " << format_iso8601(f.t) << ")";
        EXPECT_FALSE(frame.changed().empty());
    }
}

std::vector<double> steps(double from, double to, int n) {
    std::vector<double> v;
    for (int i = 0; i < n; ++i) v.push_back(from + (to - from) * i / (n - 1));
    return v;
}

/// A renderer over one case with a 20 s video timeline and an incremental frame.
struct Rig {
    Case c;
    render::Scene scene;
    Timeline tl;
    render::TextEngine text;
    render::CairoRenderer r;
    render::IncrementalFrame frame;
    explicit Rig(Case cs)
        : c(std::move(cs)), scene(pipeline::make_scene(c.flights, c.analyses, c.opt)),
          tl(Timeline::fit(scene.start(), scene.end(), scene.holds(std::chrono::hours{2}), 20.0, {2.0, 1.0})),
          text(io::asset_path("fonts/fonts.conf")), r(scene, text), frame(c.opt.width, c.opt.height) {}
    render::FrameInfo at(double v) const { return {tl.replay_time(v), &tl, v}; }
    render::FrameInfo draw(double v) {
        const auto f = at(v);
        r.draw_frame(frame, f);
        cairo_surface_flush(frame.surface());
        return f;
    }
    long long differs_from_fresh(const render::FrameInfo& f) const {
        return differing(frame.data(), frame.stride(), fresh(c, f).get(), c.opt.width, c.opt.height);
    }
};

}  // namespace

TEST(IncrementalFrame, SampleWholeVideoMatchesFreshFrames) {
    auto c = sample_case();
    c.opt.profile = true;
    auto times = steps(0, 20, 41);
    times.insert(times.begin() + 10, 1.0);  // time goes back (title card, scrubbing)
    check_sequence(c, times);
}

TEST(IncrementalFrame, FadingAndAltitudeColouredTrails) {
    auto c = sample_case();
    c.opt.trail_minutes = 90;
    check_sequence(c, steps(2, 12, 12));
    c = sample_case();
    c.opt.color_by_altitude = true;
    check_sequence(c, steps(2, 12, 12));
}

TEST(IncrementalFrame, BusySkyWithLabels) { check_sequence(busy_case(), steps(0, 20, 16)); }

TEST(IncrementalFrame, FollowingCamera) {
    auto c = sample_case();
    c.opt.follow = "RFF7203";
    check_sequence(c, steps(3, 6, 4), /*mutable_scene=*/true);
}

TEST(IncrementalFrame, ConsecutiveFramesChangeLittle) {
    // Two frames 1/30 s of video apart during the cruise, at 1080p: a small part of the frame
    // changes (the clock, aircraft, label, trail tip and the playhead's tiles).
    auto c = sample_case();
    c.opt.width = 1920;
    c.opt.height = 1080;
    Rig rig(std::move(c));
    rig.draw(4.0);
    EXPECT_TRUE(rig.frame.changed().all());  // the first frame is drawn whole
    rig.draw(4.0 + 1.0 / 30);
    const double fraction = static_cast<double>(rig.frame.changed().pixels()) / (1920.0 * 1080.0);
    std::printf("changed: %.2f%% of the frame\n", 100 * fraction);
    EXPECT_LT(fraction, 0.05);
}

TEST(IncrementalFrame, AMissingDamageReportIsCaught) {
    // Simulates drawing that forgets to report what it drew: (1) the frame's own report of the
    // playhead dropped, (2) a caller's box over the frame left unreported. The next frame then
    // keeps stale pixels, and the comparison with a fresh frame sees them.
    Rig rig(sample_case());
    rig.draw(4.0);
    rig.frame.overlay().clear();
    EXPECT_GT(rig.differs_from_fresh(rig.draw(5.0)), 0);

    cairo_rectangle(rig.frame.context(), 300, 150, 40, 30);  // over open map: nothing else redraws it
    cairo_fill(rig.frame.context());
    EXPECT_GE(rig.differs_from_fresh(rig.draw(6.0)), 1000);
}

TEST(TileDamage, MarksTilesUnderBoxesAndRunsCoverThem) {
    constexpr int T = render::TileDamage::kTile;
    render::TileDamage d(6 * T + 4, 4 * T + 6);  // 7 x 5 tiles, the last column 4 px wide, the last row 6 px high
    EXPECT_TRUE(d.empty());
    d.add({2.5 * T, 0.5 * T, 2.5 * T + 1, 0.5 * T + 1}, 0);  // inside tile (2, 0)
    EXPECT_EQ(d.pixels(), T * T);
    d.add({3.5 * T, 0.5 * T, 3.5 * T + 1, 0.5 * T + 1}, 0);  // tile (3, 0): one run of two tiles
    int runs = 0;
    d.for_each_run([&](int x0, int y0, int x1, int y1) {
        ++runs;
        EXPECT_EQ(x0, 2 * T);
        EXPECT_EQ(x1, 4 * T);
        EXPECT_EQ(y0, 0);
        EXPECT_EQ(y1, T);
    });
    EXPECT_EQ(runs, 1);
    d.add({6.0 * T + 1, 4.0 * T + 1, 500, 500}, 0);  // clipped to the frame: tile (6, 4) is 4 x 6 px
    EXPECT_EQ(d.pixels(), 2 * T * T + 4 * 6);
    d.add({-50, -50, -10, -10}, 0);  // off the frame: nothing
    EXPECT_EQ(d.pixels(), 2 * T * T + 4 * 6);
    d.add({T - 0.5, 2.5 * T, T - 0.4, 2.5 * T + 1}, 1.0);  // the pad reaches the tile on the left too
    EXPECT_EQ(d.pixels(), 4 * T * T + 4 * 6);
    d.add({NAN, 0, 1, 1});
    EXPECT_TRUE(d.all());
    EXPECT_EQ(d.pixels(), (6 * T + 4) * (4 * T + 6));
}
