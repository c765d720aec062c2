#include <gtest/gtest.h>

#include <cmath>

#include "geo/geodesic.hpp"
#include "geo/view.hpp"

using namespace fr;
namespace g = fr::geo;

namespace {
std::vector<LatLon> pts(std::initializer_list<std::pair<double, double>> l) {
    std::vector<LatLon> out;
    for (auto [lat, lon] : l) out.push_back(LatLon::from_degrees(lat, lon));
    return out;
}
}  // namespace

TEST(Bounds, TakesTheShortWayAcrossTheAntimeridian) {
    auto b = g::bounds_of(pts({{22.3, 113.9}, {33.9, -118.4}, {50, 170}}));  // HKG, LAX, Pacific
    EXPECT_NEAR(b.lon_min, 113.9, 1e-9);
    EXPECT_NEAR(b.lon_max, 360 - 118.4, 1e-9);  // degrees; > 180 means across the antimeridian
    EXPECT_NEAR(b.center_lon(), 177.75, 1e-9);  // mid-Pacific, not 2.25 W
    auto r = g::bounds_of(pts({{55.9, 38.1}, {39.2, 125.7}}));
    EXPECT_NEAR(r.lon_span(), 87.6, 1e-6);
}

TEST(ChooseCrs, RegionalMidLatitudeGetsAConic) {
    auto c = g::choose_crs(g::bounds_of(pts({{55.9, 38.1}, {39.2, 125.7}})));  // Moscow - Pyongyang
    EXPECT_EQ(c.kind, g::ProjectionKind::regional_conic);
    EXPECT_NE(c.proj.find("+proj=lcc"), std::string::npos);
    auto small = g::choose_crs(g::bounds_of(pts({{47.4, 8.5}, {47.6, 8.7}})));  // around Zurich
    EXPECT_EQ(small.kind, g::ProjectionKind::regional_conic);
}

TEST(ChooseCrs, AntimeridianExtentIsCentredOnThePacific) {
    auto c = g::choose_crs(g::bounds_of(pts({{22.3, 113.9}, {33.9, -118.4}})));
    EXPECT_EQ(c.kind, g::ProjectionKind::regional_conic);
    EXPECT_NE(c.proj.find("+lon_0=177.75"), std::string::npos) << c.proj;
}

TEST(ChooseCrs, NearPolarExtentGetsAnAzimuthal) {
    auto c = g::choose_crs(g::bounds_of(pts({{61.2, -149.9}, {78.2, 15.6}, {85, 60}})));  // Anchorage - Svalbard
    EXPECT_EQ(c.kind, g::ProjectionKind::polar);
    EXPECT_NE(c.proj.find("+proj=laea"), std::string::npos);
    g::Projector p(c.proj);
    EXPECT_TRUE(p.forward(LatLon::from_degrees(90, 0)));  // the pole is drawable
}

TEST(ChooseCrs, GlobalExtentGetsEqualEarth) {
    auto c = g::choose_crs(g::bounds_of(pts({{51.5, -0.1}, {-33.9, 151.2}, {40.6, -73.8}})));
    EXPECT_EQ(c.kind, g::ProjectionKind::global);
}

TEST(FitExtent, CoversThePointsWithMarginAndAspect) {
    g::Projector p("+proj=lcc +lat_1=42 +lat_2=53 +lat_0=47 +lon_0=82 +datum=WGS84 +units=m +no_defs");
    const auto data = pts({{55.9, 38.1}, {39.2, 125.7}, {50, 80}});
    const auto e = g::fit_extent(p, data, 0.1, 16.0 / 9.0);
    EXPECT_NEAR(e.width() / e.height(), 16.0 / 9.0, 1e-9);
    for (const auto& q : data) {
        auto xy = p.forward(q);
        const double pad = 0.1 * 0.999 * std::max(e.width(), e.height()) / 1.2;  // at least the margin
        EXPECT_GT(xy->x - e.xmin, pad * 0.5);
        EXPECT_GT(e.xmax - xy->x, pad * 0.5);
        EXPECT_GT(xy->y - e.ymin, 0);
        EXPECT_GT(e.ymax - xy->y, 0);
    }
}

TEST(MapTransform, MapsExtentCornersToPixels) {
    g::MapTransform tf({0, 0, 1600, 900}, 1920, 1080);
    EXPECT_DOUBLE_EQ(tf.px(0), 0);
    EXPECT_DOUBLE_EQ(tf.py(900), 0);
    EXPECT_DOUBLE_EQ(tf.px(1600), 1920);
    EXPECT_DOUBLE_EQ(tf.py(0), 1080);
    EXPECT_DOUBLE_EQ(tf.map_x(tf.px(123.0)), 123.0);
}

TEST(SplitAtSeam, SplitsAnAntimeridianCrossingOnTheGeodesic) {
    const auto line = g::densify(LatLon::from_degrees(22.3, 113.9), LatLon::from_degrees(33.9, -118.4), Length::kilometres(500));
    const auto pieces = g::split_at_seam(line, 180.0);
    ASSERT_EQ(pieces.size(), 2u);
    EXPECT_NEAR(pieces[0].back().lon_deg(), 180.0, 1e-6);
    EXPECT_NEAR(pieces[1].front().lon_deg(), -180.0, 1e-6);
    EXPECT_NEAR(pieces[0].back().lat_deg(), pieces[1].front().lat_deg(), 1e-9);
    // The split point lies on the geodesic: its distance to both ends adds up to the whole.
    const auto a = LatLon::from_degrees(22.3, 113.9), b = LatLon::from_degrees(33.9, -118.4);
    const auto x = pieces[0].back();
    EXPECT_NEAR(g::distance(a, x).m() + g::distance(x, b).m(), g::distance(a, b).m(), 0.01);  // metres
    // A seam elsewhere (a map centred on 0 E has its seam at 180; one centred on 150 E at -30).
    EXPECT_EQ(g::split_at_seam(line, -30.0).size(), 1u);
    EXPECT_EQ(g::split_at_seam(pts({{0, -40}, {0, -20}}), -30.0).size(), 2u);
}
