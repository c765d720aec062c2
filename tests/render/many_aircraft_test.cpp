// Many aircraft and what the legend, icons, labels and trails say about them: the legend lists
// only what the map shows, --color-by altitude colours icons like their trails, aircraft
// without a callsign are named by registration or ICAO address, and busy skies fade trails.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "analysis/airport_table.hpp"
#include "core/timeline.hpp"
#include "io/map/assets.hpp"
#include "pipeline/scene_sources.hpp"
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
        const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, options());
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
        const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, opt);
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
    const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, options());
    bool dashed = false;
    for (const auto& piece : scene.flights()[0].trail) dashed = dashed || (piece.gap && piece.v.size() >= 2);
    ASSERT_TRUE(dashed) << "the scene should draw the hour without fixes as a gap";
    const auto e = render::CairoRenderer(scene, text()).legend_entries();
    EXPECT_TRUE(has(e, "coverage gap")) << joined(e);
}

TEST(Legend, BusySkyListsNoGreatCircleOrStop) {
    // Above kBusyAircraft aircraft great circles and stop cards are not drawn.
    auto fa = test::analysed(swarm(render::kBusyAircraft + 1));
    const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, options());
    const auto e = render::CairoRenderer(scene, text()).legend_entries();
    EXPECT_TRUE(has(e, "synthetic tracks (colour: aircraft)")) << joined(e);
    EXPECT_FALSE(has(e, "great circle")) << joined(e);
    EXPECT_FALSE(has(e, "ground stop")) << joined(e);
}

TEST(ColourByAltitude, IconsTakeTheirTrailsRampColour) {
    auto fa = test::analysed(
        {test::synthetic_flight("SYN1", test::kHKG, test::kLAX, t0), test::synthetic_flight("SYN2", test::kEWR, test::kHKG, t0)});
    auto opt = options();
    opt.color_by_altitude = true;
    const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, opt);
    const render::CairoRenderer r(scene, text());
    const TimePoint t = t0 + 5h;  // both cruising at 11,000 m
    const auto icons = r.aircraft_icons(t);
    ASSERT_EQ(icons.size(), 2u);
    for (const auto& ic : icons) {
        const auto st = render::state_at(scene.flights()[ic.flight].flight, scene.flights()[ic.flight].analysis, t);
        ASSERT_TRUE(st && st->altitude);
        // The ramp's colour at this altitude, to within one of its 32 bins (each ~430 m): viridis's
        // green rises monotonically along the ramp.
        const double f = st->altitude->m() / render::kRampMaxAltM;
        const auto lo = render::viridis(f - 1.0 / 32), hi = render::viridis(f + 1.0 / 32);
        EXPECT_GE(ic.fill.g, std::min(lo.g, hi.g) - 1e-9) << "flight " << ic.flight;
        EXPECT_LE(ic.fill.g, std::max(lo.g, hi.g) + 1e-9) << "flight " << ic.flight;
        // Not the per-aircraft colour.
        const auto own = scene.flights()[ic.flight].colour;
        EXPECT_FALSE(ic.fill.r == own.r && ic.fill.g == own.g && ic.fill.b == own.b) << "flight " << ic.flight;
    }
    EXPECT_TRUE(has(r.legend_entries(), "synthetic tracks (colour: altitude)")) << joined(r.legend_entries());
}

TEST(AircraftLabel, NamesByRegistrationThenIcaoWhenTheCallsignIsMissing) {
    AircraftId id;
    id.icao24 = "4b1805";
    id.registration = "HB-JNA";
    id.callsign = "SWR8";
    EXPECT_EQ(render::aircraft_label_name(id), "SWR8");
    for (const char* placeholder : {"", "   ", "00000000", "????????", "unknown", "UNKNOWN"}) {
        id.callsign = placeholder;
        EXPECT_EQ(render::aircraft_label_name(id), "HB-JNA") << "callsign '" << placeholder << "'";
    }
    id.registration = "";
    EXPECT_EQ(render::aircraft_label_name(id), "4b1805");
    id.registration = "unknown";
    EXPECT_EQ(render::aircraft_label_name(id), "4b1805");
    id.icao24 = "";
    EXPECT_EQ(render::aircraft_label_name(id), "unidentified");
}

TEST(AircraftLabel, BusyLabelsNeverSayUnknown) {
    // A busy sky where every aircraft has a placeholder callsign: labels name the registration.
    auto flights = swarm(render::kBusyAircraft + 1);
    for (std::size_t i = 0; i < flights.size(); ++i) {
        flights[i].aircraft.callsign = "unknown";
        flights[i].aircraft.registration = "HB-J" + std::string(1, static_cast<char>('A' + i));
    }
    auto fa = test::analysed(std::move(flights));
    const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, options());
    const render::CairoRenderer r(scene, text());
    const auto labels = r.label_layout(t0 + 20min);
    ASSERT_FALSE(labels.empty());
    for (const auto& l : labels) {
        EXPECT_EQ(l.text.find("unknown"), std::string::npos) << l.text;
        EXPECT_EQ(l.text.rfind("HB-J", 0), 0u) << l.text;
    }
}

TEST(BusyTrails, FadeByDefaultAboveTheThresholdAndAnExplicitValueWins) {
    {
        auto fa = test::analysed(swarm(render::kFadeAboveAircraft));
        const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, options());
        EXPECT_FALSE(scene.options().trail_minutes.has_value()) << "at the threshold trails stay whole";
    }
    {
        auto fa = test::analysed(swarm(render::kFadeAboveAircraft + 1));
        const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, options());
        ASSERT_TRUE(scene.options().trail_minutes.has_value()) << "above the threshold trails fade";
        EXPECT_DOUBLE_EQ(*scene.options().trail_minutes, render::kBusyTrailMinutes);
    }
    {
        auto fa = test::analysed(swarm(render::kFadeAboveAircraft + 1));
        auto opt = options();
        opt.trail_minutes = 240;
        const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, opt);
        ASSERT_TRUE(scene.options().trail_minutes.has_value());
        EXPECT_DOUBLE_EQ(*scene.options().trail_minutes, 240.0);
    }
}

// The one fade rule, shared by the Scene (exports) and the window's GPU trails.
TEST(BusyTrails, DefaultTrailMinutesRule) {
    using render::default_trail_minutes;
    EXPECT_FALSE(default_trail_minutes(std::nullopt, 0).has_value());
    EXPECT_FALSE(default_trail_minutes(std::nullopt, render::kFadeAboveAircraft).has_value()) << "at the threshold: whole trails";
    ASSERT_TRUE(default_trail_minutes(std::nullopt, render::kFadeAboveAircraft + 1).has_value()) << "above it: a fade";
    EXPECT_DOUBLE_EQ(*default_trail_minutes(std::nullopt, render::kFadeAboveAircraft + 1), render::kBusyTrailMinutes);
    EXPECT_DOUBLE_EQ(*default_trail_minutes(std::nullopt, 1000), render::kBusyTrailMinutes);
    // --trail-minutes wins either way.
    EXPECT_DOUBLE_EQ(*default_trail_minutes(5.0, 1), 5.0);
    EXPECT_DOUBLE_EQ(*default_trail_minutes(1e6, 1000), 1e6);
}

// The timeline bar of a busy sky: how many aircraft are in the air, column by column.
TEST(TimelineDensity, CountsTheAircraftInTheAirPerColumn) {
    // Flights from Zurich to points 40-120 km away, leaving 0, 10, 20 ... 90 minutes after t0:
    // each is in the air for some minutes, so the count rises, plateaus and falls.
    auto fa = test::analysed(swarm(render::kBusyAircraft + 1));
    const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, options());
    const render::CairoRenderer r(scene, text());
    const auto tl = Timeline::at_speed(scene.start(), scene.end(), {}, 60.0, {2.0, 0.0});
    const int cols = 600;
    const auto counts = r.airborne_counts(tl, cols);
    ASSERT_EQ(counts.size(), static_cast<std::size_t>(cols));
    // Expected from the legs themselves, at each column's centre (a column counts a leg that
    // touches it, so allow the neighbouring columns' answers at the legs' ends).
    int checked = 0;
    for (int c = 0; c < cols; ++c) {
        const TimePoint t = tl.replay_time((c + 0.5) / cols * tl.video_duration_s());
        int inside = 0, touching = 0;
        const double col_s = tl.video_duration_s() / cols * tl.speed();
        for (const auto& a : fa.analyses)
            for (const auto& leg : a.legs) {
                inside += leg.departure_time <= t && t <= leg.arrival_time;
                touching += leg.departure_time <= t + std::chrono::seconds(static_cast<long long>(col_s)) &&
                            t - std::chrono::seconds(static_cast<long long>(col_s)) <= leg.arrival_time;
            }
        EXPECT_GE(counts[static_cast<std::size_t>(c)], inside) << "column " << c;
        EXPECT_LE(counts[static_cast<std::size_t>(c)], touching) << "column " << c;
        checked += inside > 1;
    }
    EXPECT_GT(checked, 10) << "several aircraft in the air at once somewhere";
    EXPECT_EQ(*std::max_element(counts.begin(), counts.end()) > 1, true);
}

// Airports whose label finds no room are counted in the legend, with the ring as its sample.
TEST(AirportLabels, TheLegendCountsTheAirportsLeftUnlabelled) {
    // Departures from Hong Kong to the 30 nearest large airports beyond 800 km.
    std::vector<std::pair<double, const io::Airport*>> dests;
    for (const auto& a : pipeline::bundled_airports().airports()) {
        const double d = geo::distance(test::kHKG, a.position).m();
        if (a.size == io::AirportSize::large && !a.icao.empty() && d > 800e3) dests.emplace_back(d, &a);
    }
    std::sort(dests.begin(), dests.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    ASSERT_GE(dests.size(), 30u);
    std::vector<Flight> flights;
    for (std::size_t i = 0; i < 30; ++i)
        flights.push_back(
            test::synthetic_flight("DEP" + std::to_string(i), test::kHKG, dests[i].second->position, t0 + std::chrono::minutes(5 * i)));
    auto fa = test::analysed(std::move(flights));
    auto opt = options();
    opt.width = 320;  // too small for 31 airport codes
    opt.height = 180;
    const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, opt);
    render::CairoRenderer r(scene, text());
    auto s = render::make_image_surface(opt.width, opt.height);
    auto cr = render::make_context(s.get());
    r.draw_frame(cr.get(), {scene.end(), nullptr, 0});
    const int n = r.last_unlabelled_airports();
    ASSERT_GT(n, 0);
    const auto legend = r.furniture(false).legend;
    const std::string want = std::to_string(n) + " airports not labelled";
    EXPECT_TRUE(std::any_of(legend.begin(), legend.end(), [&](const auto& it) { return it.text == want && it.ring; })) << want;
    // And in a frame where every code fits, no such line.
    auto big = options();
    big.width = 1920;
    big.height = 1080;
    const render::Scene scene2 = pipeline::make_scene(fa.flights, fa.analyses, big);
    render::CairoRenderer r2(scene2, text());
    auto s2 = render::make_image_surface(big.width, big.height);
    auto cr2 = render::make_context(s2.get());
    r2.draw_frame(cr2.get(), {scene2.end(), nullptr, 0});
    EXPECT_EQ(r2.last_unlabelled_airports(), 0);
    const auto legend2 = r2.furniture(false).legend;
    EXPECT_TRUE(std::none_of(legend2.begin(), legend2.end(), [](const auto& it) { return it.ring; }));
}

// A crowded map (more airports than label slots: a day of a continent's traffic) keeps each code
// near its airport: leaders of at most ~90 px, never fanned across the map to a free spot.
TEST(AirportLabels, ACrowdedMapKeepsCodesNearTheirAirports) {
    std::vector<const io::Airport*> aps;
    for (const auto& a : pipeline::bundled_airports().airports())
        if (a.size == io::AirportSize::large && !a.icao.empty() && a.position.lat_deg() > 36 && a.position.lat_deg() < 60 &&
            a.position.lon_deg() > -10 && a.position.lon_deg() < 30)
            aps.push_back(&a);
    ASSERT_GE(aps.size(), 60u);
    std::vector<Flight> flights;
    for (std::size_t i = 0; i + 1 < aps.size(); i += 2)
        flights.push_back(test::synthetic_flight("EU" + std::to_string(i), aps[i]->position, aps[i + 1]->position,
                                                 t0 + std::chrono::minutes(3 * static_cast<long long>(i))));
    auto fa = test::analysed(std::move(flights));
    auto opt = options();
    opt.width = 1280;  // 40 label slots for the airports above
    opt.height = 720;
    const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, opt);
    render::CairoRenderer r(scene, text());
    auto s = render::make_image_surface(opt.width, opt.height);
    auto cr = render::make_context(s.get());
    r.draw_frame(cr.get(), {scene.end(), nullptr, 0});
    ASSERT_GT(r.last_unlabelled_airports(), 0) << "crowded: some airports left unlabelled";
    double longest = 0;
    int with_leader = 0;
    for (const auto& l : r.last_airport_labels())
        if (l.leader) {
            ++with_leader;
            longest = std::max(longest, std::hypot(l.leader->second.x - l.leader->first.x, l.leader->second.y - l.leader->first.y));
        }
    EXPECT_GT(with_leader, 0) << "some codes set off with a leader";
    // 90 px from the ring to the label's centre at this scale (0.67 at 720 px), plus the code's half
    // diagonal: 80 px is generous; the old placement reached 168 px here.
    EXPECT_LT(longest, 80.0) << "longest leader, px";
}

// Airports off the frame (a follow camera between them) are not counted as unlabelled.
TEST(AirportLabels, AirportsOffTheFrameAreNotCounted) {
    auto fa = test::analysed({test::synthetic_flight("SOLO1", test::kHKG, test::kLAX, t0)});
    auto opt = options();
    opt.follow = "SOLO1";
    opt.zoom_km = 50;
    const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, opt);
    const TimePoint mid = scene.start() + (scene.end() - scene.start()) / 2;
    render::CairoRenderer r(scene, text());  // frames the scene at mid when drawing
    auto s = render::make_image_surface(opt.width, opt.height);
    auto cr = render::make_context(s.get());
    r.draw_frame(cr.get(), {mid, nullptr, 0});
    EXPECT_EQ(r.last_unlabelled_airports(), 0);
    EXPECT_TRUE(r.last_airport_labels().empty());
    const auto legend = r.furniture(false).legend;
    EXPECT_TRUE(std::none_of(legend.begin(), legend.end(), [](const auto& it) { return it.ring; })) << "no 'airports not labelled' line";
}

TEST(TrackBoxes, FollowTheTrailOnScreenNotItsFixes) {
    // A fix every second for 500 km (250 m apart: several fixes per pixel on a 960 px frame).
    Flight f;
    f.aircraft.callsign = "DENSE1";
    f.aircraft.icao24 = "fdense";
    f.provenance = Provenance::synthetic;
    f.sources = {"dense_synthetic.csv"};
    const auto to = LatLon::from_degrees(46.0, 15.0);
    const auto line = geo::densify(test::kZRH, to, Length::metres(250));
    for (std::size_t i = 0; i < line.size(); ++i) {
        TrackPoint p(t0 + std::chrono::seconds(static_cast<long long>(i)), line[i]);
        p.set_altitude(Length::metres(10'000)).set_ground_speed(Speed::metres_per_second(250)).set_on_ground(OnGround::airborne);
        f.points.push_back(p);
    }
    auto fa = test::analysed({f});
    auto opt = options();
    opt.great_circles = false;
    const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, opt);
    const render::CairoRenderer r(scene, text());
    std::size_t vertices = 0;
    for (const auto& piece : scene.flights()[0].trail) {
        vertices += piece.v.size();
        // One vertex per fix: each step starts where the last one ended, never on a copy of it.
        for (std::size_t i = 1; i < piece.v.size(); ++i) EXPECT_LT(piece.v[i - 1].t, piece.v[i].t) << "vertex " << i;
    }
    ASSERT_GT(vertices, 1000u);
    EXPECT_LE(vertices, line.size());
    const auto boxes = r.track_boxes();
    // Vertices within 4 px of each other share a box: far fewer boxes than fixes.
    EXPECT_LT(boxes.size() * 8, vertices) << boxes.size() << " boxes for " << vertices << " vertices";
    // Every vertex still lies inside some box (labels keep clear of the whole trail).
    std::size_t uncovered = 0;
    for (const auto& piece : scene.flights()[0].trail)
        for (const auto& v : piece.v)
            if (std::none_of(boxes.begin(), boxes.end(),
                             [&](const render::Box& b) { return b.x0 < v.x && v.x < b.x1 && b.y0 < v.y && v.y < b.y1; }))
                ++uncovered;
    EXPECT_EQ(uncovered, 0u);
}

// A crowded sky's icons shrink by one rule (render/frame_layout.hpp), the same in the export
// and the window (both draw the layout's icons).
TEST(CrowdedSky, IconFactorFollowsTheRoomPerAircraft) {
    using render::crowded_icon_factor;
    // 1920 x 1080 at scale 1 holds 5,184 aircraft of 20 x 20 px: up to there, full size.
    EXPECT_EQ(crowded_icon_factor(0, 1920, 1080, 1), 1.0);
    EXPECT_EQ(crowded_icon_factor(5184, 1920, 1080, 1), 1.0);
    EXPECT_EQ(crowded_icon_factor(5185, 1920, 1080, 1), 0.9) << "just short of room: the next tenth down";
    EXPECT_EQ(crowded_icon_factor(6400, 1920, 1080, 1), 0.9);  // sqrt(0.81) = 0.9 exactly
    EXPECT_EQ(crowded_icon_factor(6401, 1920, 1080, 1), 0.8);
    EXPECT_EQ(crowded_icon_factor(9973, 1920, 1080, 1), 0.7);  // the 10,000-aircraft bench's peak
    EXPECT_EQ(crowded_icon_factor(1000000, 1920, 1080, 1), 0.7) << "never below 0.7";
    // A 4K frame at scale 2 is the 1080p frame at scale 1, pixel for pixel doubled.
    EXPECT_EQ(crowded_icon_factor(9973, 3840, 2160, 2), crowded_icon_factor(9973, 1920, 1080, 1));
}

TEST(CrowdedSky, PeakIsTheMostLegsInTheAirAtOnceAndSizesTheIcons) {
    auto fa = test::analysed(swarm(render::kBusyAircraft + 8));
    auto opt = options();
    const render::Scene roomy = pipeline::make_scene(fa.flights, fa.analyses, opt);
    // The peak, counted leg by leg at every departure (a leg arriving then is no longer counted).
    std::size_t expected = 0;
    for (const auto& a : fa.analyses)
        for (const auto& l : a.legs) {
            std::size_t n = 0;
            for (const auto& b : fa.analyses)
                for (const auto& m : b.legs) n += m.departure_time <= l.departure_time && l.departure_time < m.arrival_time;
            expected = std::max(expected, n);
        }
    ASSERT_GT(expected, 5u) << "the swarm should overlap in time";
    EXPECT_EQ(render::peak_airborne(roomy), expected);
    // Room to spare at 960 x 540: the busy sky's icon (scale s), outline 1.2 s.
    const TimePoint mid = roomy.start() + (roomy.end() - roomy.start()) / 2;
    const render::CairoRenderer r1(roomy, text());
    const auto big = r1.aircraft_icons(mid);
    ASSERT_FALSE(big.empty());
    const double s1 = render::ui_scale(opt.width, opt.height);
    EXPECT_DOUBLE_EQ(big.front().k, s1);
    EXPECT_DOUBLE_EQ(big.front().line_width, 1.2 * s1);
    // A 48 x 32 frame (scale 0.6) holds ~10 icons: the same aircraft get smaller ones.
    opt.width = 48, opt.height = 32;
    const render::Scene tight = pipeline::make_scene(fa.flights, fa.analyses, opt);
    const double s2 = render::ui_scale(48, 32), f = render::crowded_icon_factor(expected, 48, 32, s2);
    ASSERT_LT(f, 1.0);
    const render::CairoRenderer r2(tight, text());
    const auto small = r2.aircraft_icons(mid);
    ASSERT_FALSE(small.empty());
    EXPECT_DOUBLE_EQ(small.front().k, f * s2);
    EXPECT_DOUBLE_EQ(small.front().line_width, 1.2 * s2 * f);
}
