#include <gtest/gtest.h>

#include <cmath>

#include "geo/geodesic.hpp"

using namespace fr;
namespace g = fr::geo;

// Reference: echo "55.8783 38.061699 39.224098 125.669998" | geod -I +ellps=WGS84 -f %.6f
// (distances for the UUMU-ZKPY pair are also covered in tests/analysis/geodesic_reference_test).
TEST(Geodesic, InterpolationStaysOnTheGeodesic) {
    const auto a = LatLon::from_degrees(55.8783, 38.061699), b = LatLon::from_degrees(39.224098, 125.669998);
    const double total = g::distance(a, b).m();
    for (double f : {0.1, 0.25, 0.5, 0.9}) {
        const auto p = g::interpolate(a, b, f);
        EXPECT_NEAR(g::distance(a, p).m(), total * f, 1e-6);        // metres
        EXPECT_NEAR(g::distance(p, b).m(), total * (1 - f), 1e-6);  // on the line, not beside it
    }
    // The geodesic midpoint is far from the linear lat/lon midpoint on a long leg.
    const auto mid = g::interpolate(a, b, 0.5);
    EXPECT_GT(g::distance(mid, LatLon::from_degrees((55.8783 + 39.224098) / 2, (38.061699 + 125.669998) / 2)).km(), 300.0);
}

// step_point (what every frame interpolates) takes a faster path than the geodesic line for
// short steps; it must stay on the geodesic. Reference: Karney's direct problem from the same start, along the
// geodesic's own azimuth, at the fraction of its length. Across latitudes up to the poles, all
// azimuths, the antimeridian, and steps of 0.2 to 27 km (the fast path stops near 28 km).
TEST(Geodesic, ShortStepsStayOnTheGeodesic) {
    double worst_m = 0;
    for (double lat : {-89.97, -75.0, -45.0, -10.0, 0.0, 30.0, 52.0, 66.0, 84.0, 89.95})
        for (double lon : {-179.99, 0.0, 37.6, 179.98})
            for (double az = 0; az < 360; az += 22.5)
                for (double km : {0.2, 2.0, 6.0, 12.0, 20.0, 27.0}) {
                    const auto a = LatLon::from_degrees(lat, lon);
                    const auto b = g::direct(a, Angle::degrees(az), Length::kilometres(km));
                    const auto inv = g::inverse(a, b);
                    for (double f : {0.1, 0.5, 0.77}) {
                        const auto p = g::step_point(a, b, f);
                        const auto ref = g::direct(a, inv.azimuth1, inv.distance * f);
                        worst_m = std::max(worst_m, g::inverse(p, ref).distance.m());
                    }
                }
    EXPECT_LT(worst_m, 0.25);  // metres (0.14 measured, 27 km steps; cm below 12 km): under any pixel we draw
    RecordProperty("worst_m", std::to_string(worst_m));
}

// The middle azimuth of a short step, against Karney's: the mean of the forward azimuths at
// both ends (they differ by the convergence of the meridians along the step).
TEST(Geodesic, ShortStepAzimuthIsTheGeodesicsAtItsMiddle) {
    double worst_deg = 0;
    for (double lat : {-89.0, -60.0, -20.0, 0.0, 35.0, 71.0, 89.2})
        for (double lon : {-179.99, 12.0, 179.98})
            for (double az = 0; az < 360; az += 15)
                for (double km : {0.3, 3.0, 9.0, 16.0, 25.0}) {
                    const auto a = LatLon::from_degrees(lat, lon);
                    const auto b = g::direct(a, Angle::degrees(az), Length::kilometres(km));
                    const auto fast = g::short_step_azimuth(a, b);
                    ASSERT_TRUE(fast) << lat << " " << lon << " " << az << " " << km;
                    const auto inv = g::inverse(a, b);
                    const double mid = g::interpolate_heading(inv.azimuth1.deg(), inv.azimuth2.deg(), 0.5);
                    worst_deg = std::max(worst_deg, std::abs(std::remainder(fast->deg() - mid, 360.0)));
                }
    EXPECT_LT(worst_deg, 0.2);  // degrees (0.14 measured, 25 km a degree from the pole): 0.03 px at a 24 px icon's nose
    EXPECT_FALSE(g::short_step_azimuth(LatLon::from_degrees(10, 10), LatLon::from_degrees(10, 10)));
    EXPECT_FALSE(g::short_step_azimuth(LatLon::from_degrees(10, 10), LatLon::from_degrees(10.5, 10)));     // too long
    EXPECT_FALSE(g::short_step_azimuth(LatLon::from_degrees(89.8, 10), LatLon::from_degrees(89.81, 10)));  // polar
    RecordProperty("worst_deg", std::to_string(worst_deg));
}

TEST(Geodesic, DensifySpacingAndEnds) {
    const auto a = LatLon::from_degrees(22.3, 113.9), b = LatLon::from_degrees(33.9, -118.4);  // HKG-LAX, across 180
    const auto pts = g::densify(a, b, Length::kilometres(100));
    ASSERT_GE(pts.size(), 3u);
    EXPECT_EQ(pts.front(), a);
    EXPECT_EQ(pts.back(), b);
    for (std::size_t i = 1; i < pts.size(); ++i) EXPECT_LE(g::distance(pts[i - 1], pts[i]).km(), 100.0 + 1e-6);
}

TEST(Geodesic, UnwrapsHeadings) {
    const auto u = g::unwrap_degrees({165, 175, -175, -165, 170});
    EXPECT_DOUBLE_EQ(u[2], 185.0);
    EXPECT_DOUBLE_EQ(u[3], 195.0);
    EXPECT_DOUBLE_EQ(u[4], 170.0);
    EXPECT_NEAR(g::interpolate_heading(350, 10, 0.5), 0.0, 1e-12);  // degrees, the short way
    EXPECT_NEAR(g::interpolate_heading(10, 350, 0.25), 5.0, 1e-12);
}

// Short steps (consecutive fixes) take a local formula: within 5 mm of Karney's solution for
// every pair below 0.1 degree apart, from the equator to 89.4 degrees, across the antimeridian.
TEST(Geodesic, ShortStepsAgreeWithKarneyWithin5mm) {
    std::uint64_t s = 12345;
    auto rnd = [&s] {  // uniform in [0, 1)
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(s >> 11) / 9007199254740992.0;
    };
    double worst = 0;
    for (int i = 0; i < 20000; ++i) {
        const double lat = -89.4 + 178.8 * rnd(), lon = -180 + 360 * rnd();
        const double dlat = (rnd() - 0.5) * 0.199, dlon = (rnd() - 0.5) * 0.199;
        const auto a = *LatLon::checked(lat, lon);
        const auto b = LatLon::normalized(std::clamp(lat + dlat, -89.49, 89.49), lon + dlon);
        ASSERT_TRUE(b);
        const double fast = geo::distance(a, *b).m(), exact = geo::inverse(a, *b).distance.m();
        worst = std::max(worst, std::abs(fast - exact));
    }
    EXPECT_LT(worst, 0.005) << "metres: a flat step of up to 16 km errs by ~(d/R)^2/8 of it, 12 mm at most";
    // The step across the antimeridian is short too (about 11 km at the equator, not 40,000).
    EXPECT_NEAR(geo::distance(*LatLon::checked(0, 179.95), *LatLon::checked(0, -179.95)).m(), 11'132, 2.0);
    // Farther apart: Karney's solution itself.
    const auto p = *LatLon::checked(55.97, 37.41), q = *LatLon::checked(39.22, 125.67);
    EXPECT_EQ(geo::distance(p, q).m(), geo::inverse(p, q).distance.m());
}
