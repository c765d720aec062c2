#include <gtest/gtest.h>

#include "core/error.hpp"
#include "geo/projector.hpp"

using namespace fr;
using fr::geo::Projector;

// Reference values from PROJ 9.1.1's command-line tools, e.g.
//   echo "125.669998 39.224098" | proj -f %.4f +proj=lcc +lat_1=40 +lat_2=55 +lat_0=47 +lon_0=82 +datum=WGS84 +units=m +no_defs
//   echo "39.224098 125.669998" | cs2cs -f %.4f EPSG:4326 EPSG:3857
struct ProjCase {
    const char* crs;
    double lat, lon, x, y;
};

class ProjectorTable : public ::testing::TestWithParam<ProjCase> {};

TEST_P(ProjectorTable, MatchesProjCommandLine) {
    const auto c = GetParam();
    Projector p(c.crs);
    auto xy = p.forward(LatLon::from_degrees(c.lat, c.lon));
    ASSERT_TRUE(xy);
    EXPECT_NEAR(xy->x, c.x, 1e-3);  // metres: the tools print 4 decimals
    EXPECT_NEAR(xy->y, c.y, 1e-3);
    auto back = p.inverse(*xy);
    ASSERT_TRUE(back);
    // degrees: 1e-7 (~1 cm); Equal Earth's inverse is iterative and stops at ~1.5 mm
    EXPECT_NEAR(back->lat_deg(), c.lat, 1e-7);
    EXPECT_NEAR(back->lon_deg(), c.lon, 1e-7);
}

INSTANTIATE_TEST_SUITE_P(Proj, ProjectorTable,
                         ::testing::Values(ProjCase{"EPSG:3857", 39.224098, 125.669998, 13989520.1854, 4753822.7128},
                                           ProjCase{"+proj=lcc +lat_1=40 +lat_2=55 +lat_0=47 +lon_0=82 +datum=WGS84 +units=m +no_defs",
                                                    39.224098, 125.669998, 3580908.4262, 176918.8311},
                                           ProjCase{"+proj=laea +lat_0=80 +lon_0=0 +datum=WGS84 +units=m", 89.5, 0.0, 0.0, 1059730.0042},
                                           ProjCase{"+proj=eqearth +lon_0=150 +datum=WGS84", 20.0, -170.0, 3722010.1978, 2543374.0824}));

TEST(Projector, RejectsUnknownCrsWithPROJsMessage) {
    try {
        Projector p("EPSG:999999");
        FAIL() << "expected ProjError";
    } catch (const ProjError& e) {
        EXPECT_NE(std::string(e.what()).find("EPSG:999999"), std::string::npos) << e.what();
    }
    EXPECT_THROW(Projector("+proj=nonsense"), ProjError);
}

TEST(Projector, ReportsUndefinedPoints) {
    Projector ortho("+proj=ortho +lat_0=0 +lon_0=0 +datum=WGS84");
    EXPECT_TRUE(ortho.forward(LatLon::from_degrees(0, 80)));
    EXPECT_FALSE(ortho.forward(LatLon::from_degrees(0, 120)));  // far side of the globe
}

TEST(Projector, ReadsTheCentralMeridian) {
    EXPECT_DOUBLE_EQ(Projector("+proj=lcc +lat_1=40 +lat_2=55 +lat_0=47 +lon_0=-150.5 +datum=WGS84").central_meridian(), -150.5);
    EXPECT_DOUBLE_EQ(Projector("EPSG:3857").central_meridian(), 0.0);
}
