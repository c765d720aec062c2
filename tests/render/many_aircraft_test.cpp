// Many aircraft and what the legend, icons, labels and trails say about them: the legend lists
// only what the map shows, --color-by altitude colours icons like their trails, aircraft
// without a callsign are named by registration or ICAO address, and busy skies fade trails.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "io/assets.hpp"
#include "render/cairo_renderer.hpp"
#include "synthetic_flights.hpp"

using namespace fr;
using namespace std::chrono_literals;

namespace {

const TimePoint t0 = *parse_iso8601("2024-03-01T00:00:00Z");

const render::TextEngine& text() {
    static const render::TextEngine t(io::asset_path("fonts/fonts.conf"));
    return t;
}

render::SceneOptions options() {
    render::SceneOptions opt;
    opt.width = 960;
    opt.height = 540;
    opt.basemap = io::asset_path("basemap/naturalearth_110m.gpkg");
    return opt;
}

bool has(const std::vector<std::string>& v, const std::string& prefix) {
    return std::any_of(v.begin(), v.end(), [&](const std::string& s) { return s.rfind(prefix, 0) == 0; });
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += "[" + x + "] ";
    return s;
}

/// `n` short flights around Zurich, staggered by a minute.
std::vector<Flight> swarm(std::size_t n) {
    std::vector<Flight> out;
    for (std::size_t i = 0; i < n; ++i) {
        const auto to = LatLon::from_degrees(46.0 + 0.2 * static_cast<double>(i % 7), 6.0 + 0.5 * static_cast<double>(i % 5));
        out.push_back(test::synthetic_flight("SWM" + std::to_string(i), test::kZRH, to, t0 + std::chrono::minutes(i)));
    }
    return out;
}

}  // namespace

TEST(Legend, ListsOnlyWhatTheMapShows) {
    // One gap-free flight with no ground stop: trail and great circle, nothing else.
    auto fa = test::analysed({test::synthetic_flight("SYN1", test::kHKG, test::kLAX, t0)});
    ASSERT_TRUE(fa.analyses[0].stops.empty());
    {
        const render::Scene scene(fa.flights, fa.analyses, options());
        const render::CairoRenderer r(scene, text());
        const auto e = r.legend_entries();
        EXPECT_TRUE(has(e, "synthetic track")) << joined(e);
        EXPECT_TRUE(has(e, "great circle")) << joined(e);
        EXPECT_FALSE(has(e, "coverage gap")) << joined(e);
        EXPECT_FALSE(has(e, "ground stop")) << joined(e);
        EXPECT_EQ(e.size(), 2u) << joined(e);
    }
    {
        auto opt = options();
        opt.great_circles = false;
        const render::Scene scene(fa.flights, fa.analyses, opt);
        const auto e = render::CairoRenderer(scene, text()).legend_entries();
        EXPECT_FALSE(has(e, "great circle")) << joined(e);
        EXPECT_EQ(e.size(), 1u) << joined(e);
    }
}

TEST(Legend, ListsACoverageGapWhenOneIsDrawn) {
    auto f = test::synthetic_flight("SYN1", test::kHKG, test::kLAX, t0);
    // Drop an hour of fixes in the middle: a coverage gap, drawn dashed.
    const TimePoint a = f.points.front().time() + 3h, b = a + 1h;
    std::erase_if(f.points, [&](const TrackPoint& p) { return p.time() > a && p.time() < b; });
    auto fa = test::analysed({f});
    const render::Scene scene(fa.flights, fa.analyses, options());
    bool dashed = false;
    for (const auto& piece : scene.flights()[0].trail) dashed = dashed || (piece.gap && piece.v.size() >= 2);
    ASSERT_TRUE(dashed) << "the scene should draw the hour without fixes as a gap";
    const auto e = render::CairoRenderer(scene, text()).legend_entries();
    EXPECT_TRUE(has(e, "coverage gap")) << joined(e);
}

TEST(Legend, BusySkyListsNoGreatCircleOrStop) {
    // Above kBusyAircraft aircraft great circles and stop cards are not drawn.
    auto fa = test::analysed(swarm(render::kBusyAircraft + 1));
    const render::Scene scene(fa.flights, fa.analyses, options());
    const auto e = render::CairoRenderer(scene, text()).legend_entries();
    EXPECT_TRUE(has(e, "synthetic tracks")) << joined(e);
    EXPECT_FALSE(has(e, "great circle")) << joined(e);
    EXPECT_FALSE(has(e, "ground stop")) << joined(e);
}
