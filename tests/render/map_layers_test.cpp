// Map layers: place names placed clear of everything else, lakes from GSHHG (Lake Baikal on
// the RFF7203 map), runways at close range, the --layers switch, and every projection preset
// covering its visible world with the basemap.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "geo/geodesic.hpp"
#include "geo/projection_preset.hpp"
#include "io/map/assets.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/cairo_renderer.hpp"
#include "test_paths.hpp"

using namespace fr;

namespace {

const pipeline::LoadedData& sample() {
    static const pipeline::LoadedData d = [] {
        pipeline::LoadRequest req;
        req.inputs = {test::source_dir() / "assets/samples"};
        return pipeline::load_and_analyse(req);
    }();
    return d;
}

const render::TextEngine& text() {
    static const render::TextEngine t(io::asset_path("fonts/fonts.conf"));
    return t;
}

render::Scene rff_scene(int w, int h, render::SceneOptions opt = {}) {
    opt.width = w;
    opt.height = h;
    return pipeline::make_scene(sample().flights, sample().analyses, opt);
}

render::SurfacePtr draw_static(const render::Scene& scene) {
    render::CairoRenderer r(scene, text());
    auto s = render::make_image_surface(scene.options().width, scene.options().height);
    auto cr = render::make_context(s.get());
    r.draw_static(cr.get());
    cairo_surface_flush(s.get());
    return s;
}

/// The pixel at (x, y) as 0..1 RGB (ARGB32, opaque here).
render::Rgba pixel(cairo_surface_t* s, int x, int y) {
    const auto* row = cairo_image_surface_get_data(s) + static_cast<std::ptrdiff_t>(y) * cairo_image_surface_get_stride(s);
    const auto v = reinterpret_cast<const std::uint32_t*>(row)[x];
    return {((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0, 1};
}

bool near_colour(const render::Rgba& a, const render::Rgba& b, double tol) {
    return std::abs(a.r - b.r) <= tol && std::abs(a.g - b.g) <= tol && std::abs(a.b - b.b) <= tol;
}

std::string box_text(const render::Box& b) {
    return "[" + std::to_string(b.x0) + "," + std::to_string(b.y0) + " .. " + std::to_string(b.x1) + "," + std::to_string(b.y1) + "]";
}

}  // namespace

TEST(MapLayers, ParsesTheLayerSwitch) {
    render::MapLayers l;
    render::apply_layers(l, "-cities,+rivers, -runways");
    EXPECT_FALSE(l.cities);
    EXPECT_TRUE(l.rivers);
    EXPECT_FALSE(l.runways);
    EXPECT_TRUE(l.countries);
    render::apply_layers(l, "cities");  // bare name: on
    EXPECT_TRUE(l.cities);
    try {
        render::apply_layers(l, "-cities,+volcanoes");
        FAIL() << "expected UsageError";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("unknown layer 'volcanoes'"), std::string::npos) << e.what();
    }
}

// On the sample's still and frames, no place label box overlaps another place label, the
// furniture, the flights' airports and labels, stop cards, gap labels, aircraft labels or
// icons, or the track.
TEST(MapLayers, PlaceLabelsOverlapNothingDrawn) {
    const TimePoint times[] = {*parse_iso8601("2023-07-31T23:00:00Z"), *parse_iso8601("2023-08-01T12:00:00Z"),
                               *parse_iso8601("2023-08-02T18:00:00Z"), sample().flights.front().points.back().time()};
    for (const auto& [w, h] : {std::pair{1920, 1080}, std::pair{960, 540}, std::pair{1280, 720}}) {
        const auto scene = rff_scene(w, h);
        render::CairoRenderer r(scene, text());
        const auto& placed = r.place_layout(false);
        ASSERT_GE(placed.size(), 5u) << w << "x" << h;
        int cities = 0, countries = 0;
        for (const auto& p : placed) {
            cities += scene.places()[p.place].kind == render::ScenePlace::Kind::city;
            countries += scene.places()[p.place].kind == render::ScenePlace::Kind::country;
        }
        EXPECT_GT(cities, 0);
        EXPECT_GT(countries, 0);
        EXPECT_NE(scene.attribution().find("GeoNames (CC BY 4.0)"), std::string::npos);
        for (std::size_t i = 0; i < placed.size(); ++i)
            for (std::size_t j = i + 1; j < placed.size(); ++j)
                EXPECT_FALSE(placed[i].box.overlaps(placed[j].box)) << placed[i].text << " / " << placed[j].text;
        std::vector<std::pair<std::string, render::Box>> others;
        for (const auto& b : r.furniture_boxes(false)) others.emplace_back("furniture", b);
        for (const auto& b : r.track_boxes()) others.emplace_back("track", b);
        for (const auto t : times) {
            for (const auto& b : r.stop_card_boxes(t)) others.emplace_back("stop card", b);
            for (const auto& l : r.label_layout(t)) others.emplace_back("aircraft label " + l.text, l.box);
            for (const auto& ic : r.aircraft_icons(t)) {
                const double k = 9 * ic.k;
                others.emplace_back("aircraft icon", render::Box{ic.x - k, ic.y - k, ic.x + k, ic.y + k});
            }
        }
        std::size_t hits = 0;
        for (const auto& p : placed)
            for (const auto& [what, b] : others)
                if (p.box.overlaps(b) && ++hits < 10)
                    ADD_FAILURE() << p.text << " " << box_text(p.box) << " overlaps " << what << " " << box_text(b);
        EXPECT_EQ(hits, 0u) << w << "x" << h;
        // The annotation boxes at each time (airport names, stop cards, gap labels) as drawn then.
        for (const auto t : times) {
            // annotation_boxes_without_places is private; the aircraft labels avoid the place
            // labels and the annotations, so a frame's labels are checked above. The stop card at t:
            for (const auto& fv : scene.flights())
                for (const auto& stp : fv.analysis.stops) {
                    if (t < stp.start) continue;
                    const auto at = scene.to_screen(stp.airport->position);
                    ASSERT_TRUE(at);
                    for (const auto& p : placed)  // a label on the airport mark itself would be hidden by the stop ring
                        EXPECT_FALSE(p.box.overlaps({at->x - 12, at->y - 12, at->x + 12, at->y + 12})) << p.text;
                }
        }
    }
    // Without cities: none placed, and GeoNames is not credited.
    render::SceneOptions o;
    o.layers.cities = false;
    const auto scene = rff_scene(960, 540, o);
    render::CairoRenderer r(scene, text());
    for (const auto& p : r.place_layout(false)) EXPECT_NE(scene.places()[p.place].kind, render::ScenePlace::Kind::city) << p.text;
    EXPECT_EQ(scene.attribution().find("GeoNames"), std::string::npos) << scene.attribution();
}

TEST(MapLayers, LakeBaikalShowsOnTheRff7203Map) {
    const auto scene = rff_scene(1920, 1080);
    const auto s = draw_static(scene);
    const auto& st = scene.options().style;
    EXPECT_NE(scene.attribution().find("GSHHG low (LGPL)"), std::string::npos) << scene.attribution();
    // Points along the lake's axis (degrees; the lake is 25-80 km wide, 2 px per 8 km here).
    int lake = 0, land = 0;
    for (const auto& [lat, lon] :
         {std::pair{51.8, 104.9}, std::pair{52.7, 106.6}, std::pair{53.5, 108.2}, std::pair{54.5, 109.4}, std::pair{55.3, 109.5}}) {
        const auto p = scene.to_screen(*LatLon::checked(lat, lon));
        ASSERT_TRUE(p);
        const auto c = pixel(s.get(), static_cast<int>(p->x), static_cast<int>(p->y));
        lake += near_colour(c, st.lake, 3 / 255.0) && !near_colour(st.lake, st.land, 0.01);
        land += near_colour(c, st.land, 3 / 255.0);
    }
    EXPECT_GE(lake, 4) << "lake pixels along Baikal";
    // With the lakes layer off, the same places are land (Natural Earth has no lakes).
    render::SceneOptions o;
    o.layers.lakes = false;
    const auto off = rff_scene(1920, 1080, o);
    const auto s2 = draw_static(off);
    const auto p = off.to_screen(*LatLon::checked(53.5, 108.2));
    EXPECT_TRUE(near_colour(pixel(s2.get(), static_cast<int>(p->x), static_cast<int>(p->y)), st.land, 3 / 255.0));
    EXPECT_EQ(off.attribution().find("GSHHG"), std::string::npos);
}

TEST(MapLayers, RunwaysAtCloseRangeOnlyWithEndCoordinates) {
    // 75 km around Moscow Chkalovsky (UUMU): its runway has no end coordinates in OurAirports,
    // so it is not drawn, but the airport and its label stay; other runways in view are drawn.
    render::SceneOptions o;
    o.bbox = geo::GeoBounds{37.3, 38.45, 55.65, 56.1};  // lon_min, lon_max, lat_min, lat_max
    const auto scene = rff_scene(960, 540, o);
    ASSERT_LT(scene.view_width_km(), 150);
    EXPECT_TRUE(
        std::none_of(scene.runways().begin(), scene.runways().end(), [](const render::SceneRunway& r) { return r.icao == "UUMU"; }));
    const auto it =
        std::find_if(scene.airports().begin(), scene.airports().end(), [](const render::SceneAirport& a) { return a.icao == "UUMU"; });
    ASSERT_NE(it, scene.airports().end());
    EXPECT_TRUE(it->px);
    // Sheremetyevo (UUEE) lies in view with both ends of its runways known.
    EXPECT_TRUE(std::any_of(scene.runways().begin(), scene.runways().end(), [](const render::SceneRunway& r) { return r.icao == "UUEE"; }));
    for (const auto& r : scene.runways()) {
        ASSERT_EQ(r.corners.size(), 4u);
        // To scale: the drawn length matches the thresholds' distance (within 1 px).
        EXPECT_NEAR(std::hypot(r.he.x - r.le.x, r.he.y - r.le.y),
                    std::hypot(r.corners[2].x - r.corners[1].x, r.corners[2].y - r.corners[1].y), 1.0);
    }
    // Every other airport drawn carries its label (an airport is drawn only with its label).
    render::CairoRenderer rr(scene, text());
    int airports = 0;
    for (const auto& p : rr.place_layout(false))
        if (scene.places()[p.place].kind == render::ScenePlace::Kind::airport) {
            ++airports;
            EXPECT_FALSE(p.text.empty());
            EXPECT_TRUE(p.dot);
        }
    EXPECT_GT(airports, 0);
    // At continental scale no runways.
    EXPECT_TRUE(rff_scene(960, 540).runways().empty());
}

TEST(MapLayers, FollowedLandingShowsRunwayAirportAndPlaces) {
    const auto file = test::shared_data("xoolive-traffic/fr24_csv/20171214_KL1300_(fd43298).csv");
    FR_REQUIRE_SHARED(file);
    pipeline::LoadRequest req;
    req.inputs = {file};
    auto data = pipeline::load_and_analyse(req);
    render::SceneOptions o;
    o.width = 960;
    o.height = 540;
    o.follow = "KLM98C";
    o.zoom_km = 50;
    const render::Scene followed = pipeline::make_scene(data.flights, data.analyses, o);
    const auto framed = followed.framed_at(data.flights.front().points.back().time());
    ASSERT_TRUE(framed);
    const render::Scene& scene = *framed;
    EXPECT_NEAR(scene.view_width_km(), 50, 1.0);
    EXPECT_TRUE(std::any_of(scene.runways().begin(), scene.runways().end(), [](const render::SceneRunway& r) { return r.icao == "EHAM"; }));
    const auto ap =
        std::find_if(scene.airports().begin(), scene.airports().end(), [](const render::SceneAirport& a) { return a.icao == "EHAM"; });
    ASSERT_NE(ap, scene.airports().end());
    ASSERT_TRUE(ap->px);
    EXPECT_NE(ap->label.find("Schiphol"), std::string::npos);
    render::CairoRenderer r(scene, text());
    int cities = 0;
    for (const auto& p : r.place_layout(false)) cities += scene.places()[p.place].kind == render::ScenePlace::Kind::city;
    EXPECT_GE(cities, 3);
}

// Land where the land is and sea where the sea is, in every preset, landscape and portrait:
// a portrait RFF7203 frame reaches the North Pole, and land closed along the antimeridian
// came back from rectangle clipping as its complement (the sea drawn as land, the land as
// sea). Each probe is a 5x5 pixel block, away from coasts; most of its pixels must match.
TEST(MapLayers, LandAndSeaWhereTheyAreInEveryPresetAndAspect) {
    struct Probe {
        const char* name;
        double lat, lon;
        bool land;
    };
    const Probe probes[] = {{"Kazakh steppe", 48, 68, true}, {"central Siberia", 62, 100, true}, {"Mongolia", 46, 103, true},
                            {"Kara Sea", 75, 68, false},     {"Arctic Ocean", 86, 100, false},   {"Sea of Okhotsk", 55, 149, false}};
    for (const auto preset : geo::all_presets())
        for (const auto [w, h] : {std::pair{960, 540}, std::pair{540, 960}}) {
            render::SceneOptions o;
            o.projection = geo::to_string(preset);
            o.layers.countries = o.layers.cities = o.layers.water = o.layers.graticule = o.layers.borders = false;
            o.great_circles = false;
            const auto scene = rff_scene(w, h, o);
            render::CairoRenderer r(scene, text());
            auto s = render::make_image_surface(w, h);
            {
                auto cr = render::make_context(s.get());
                r.draw_static(cr.get());
            }
            cairo_surface_flush(s.get());
            auto furniture = r.frame_layout(false).boxes();
            for (const auto& a : r.last_airport_labels()) furniture.push_back(a.box);
            int land = 0, sea = 0;
            for (const auto& p : probes) {
                const auto px = scene.to_screen(LatLon::from_degrees(p.lat, p.lon));
                if (!px || px->x < 3 || px->y < 3 || px->x > w - 4 || px->y > h - 4) continue;
                const render::Box block{px->x - 4, px->y - 4, px->x + 4, px->y + 4};
                if (std::any_of(furniture.begin(), furniture.end(), [&](const render::Box& b) { return b.overlaps(block); }))
                    continue;  // under a box
                int match = 0;
                for (int dy = -2; dy <= 2; ++dy)
                    for (int dx = -2; dx <= 2; ++dx)
                        match += near_colour(pixel(s.get(), static_cast<int>(px->x) + dx, static_cast<int>(px->y) + dy),
                                             p.land ? o.style.land : o.style.ocean, 0.03);
                (p.land ? land : sea) += 1;
                EXPECT_GE(match, 13) << geo::to_string(preset) << " " << w << "x" << h << ": " << p.name << " ("
                                     << (p.land ? "land" : "sea") << ") drawn in the wrong colour at " << px->x << "," << px->y;
            }
            EXPECT_GE(land, 1) << geo::to_string(preset) << " " << w << "x" << h;
            EXPECT_GE(sea + land, 3) << geo::to_string(preset) << " " << w << "x" << h;
        }
}

// Every preset: wherever a pixel shows a point of the visible world (inside the globe's limb
// or the world map's outline), the basemap is drawn there: never the background colour.
// (azimuthal-equidistant drew the basemap only in a central strip.)
TEST(MapLayers, EveryPresetCoversItsVisibleWorld) {
    for (const auto preset : geo::all_presets()) {
        render::SceneOptions o;
        o.projection = geo::to_string(preset);
        o.style.background = {1, 0, 1, 1};  // magenta: used by nothing else
        o.layers.countries = o.layers.cities = o.layers.water = false;
        const auto scene = rff_scene(480, 270, o);
        const auto s = draw_static(scene);
        const auto& tr = scene.crs_traits();
        int bad = 0, checked = 0;
        for (int y = 4; y < 270; y += 8)
            for (int x = 4; x < 480; x += 8) {
                const auto ll = scene.from_screen({x + 0.5, y + 0.5});
                if (!ll) continue;
                // Leave out a 2-degree band at the horizon and near the seam, where the outline is drawn.
                if ((tr.globe || tr.world) &&
                    geo::distance(tr.centre, *ll).m() / 111'195.0 > (tr.globe ? 88.0 : std::min(tr.horizon_deg, 178.0)))
                    continue;
                if (tr.world && std::abs(std::remainder(ll->lon_deg() - (scene.projector().central_meridian() + 180.0), 360.0)) < 2.0)
                    continue;
                if (tr.lat_limit_deg < 90 && std::abs(ll->lat_deg()) > tr.lat_limit_deg - 1) continue;
                ++checked;
                if (near_colour(pixel(s.get(), x, y), o.style.background, 0.02) && ++bad <= 3)
                    ADD_FAILURE() << geo::to_string(preset) << ": background at pixel " << x << "," << y << " (" << ll->lat_deg() << ","
                                  << ll->lon_deg() << ")";
            }
        EXPECT_GT(checked, 100) << geo::to_string(preset);
        EXPECT_EQ(bad, 0) << geo::to_string(preset);
    }
}
