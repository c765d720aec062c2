// fr::geo::distance against PROJ's `geod` command-line tool. Each value was obtained with
//   echo "LAT1 LON1 LAT2 LON2" | geod -I +ellps=WGS84 -f %.6f
// (proj-bin 9.x, Debian bookworm); geod prints the distance in metres with 3 decimals, so
// the tolerance is 1 mm (rounding contributes at most 0.5 mm).
#include <gtest/gtest.h>

#include "geo/geodesic.hpp"

namespace {

struct Case {
    const char* what;
    double lat1, lon1, lat2, lon2;
    double metres;  // geod -I
};

constexpr double kToleranceMetres = 0.001;

TEST(GeodesicReference, MatchesGeodWithin1mm) {
    const Case cases[] = {
        {"UUMU -> ZKPY (the RFF7203 route)", 55.8783, 38.061699, 39.224098, 125.669998, 6377784.178},
        {"KMSP -> KGEG", 44.882, -93.221802, 47.61989974975586, -117.53399658203125, 1891257.627},
        {"KGEG -> KSFF (short)", 47.61989974975586, -117.53399658203125, 47.682800292969, -117.32299804688, 17325.798},
        {"nearly antipodal on the equator", 0, 0, 0.5, 179.7, 19944127.421},
        {"pole to pole", 90, 0, -90, 0, 20003931.459},
        {"near-polar across both poles' meridians", 89.9, 0, -89.9, 180, 20003931.459},
        {"across the antimeridian", 10, 179.9, -10, -179.9, 2211820.589},
        {"quarter of the equator", 0, 0, 0, 90, 10018754.171},
        {"very short, across the prime meridian", 51.5, -0.0001, 51.5, 0.0001, 13.888},
        {"very short, 1e-6 degree of latitude", 40, -75, 40.000001, -75, 0.111},
    };
    for (const Case& c : cases) {
        const double d = fr::geo::distance(fr::LatLon::from_degrees(c.lat1, c.lon1), fr::LatLon::from_degrees(c.lat2, c.lon2)).m();
        EXPECT_NEAR(d, c.metres, kToleranceMetres) << c.what;
    }
}

TEST(GeodesicReference, ToleranceCanFail) {
    // A 2 mm error must be caught by the 1 mm tolerance.
    const double d = fr::geo::distance(fr::LatLon::from_degrees(51.5, -0.0001), fr::LatLon::from_degrees(51.5, 0.0001)).m();
    EXPECT_GT(std::abs(d - (13.888 + 0.002)), kToleranceMetres);
}

}  // namespace
