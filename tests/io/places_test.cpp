// The bundled place, runway and GSHHG tables: contents checked against known places, and
// bad records rejected with file:line:column.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "core/error.hpp"
#include "io/map/assets.hpp"
#include "io/map/basemap.hpp"
#include "io/map/places.hpp"
#include "test_paths.hpp"

using namespace fr;

namespace {

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
    const auto p = std::filesystem::temp_directory_path() / ("fr_places_test_" + name);
    std::ofstream(p) << text;
    return p;
}

/// Even-odd point in polygon over all rings (degrees; fine away from the antimeridian).
bool inside(const io::Polygon& poly, LatLon p) {
    bool in = false;
    for (const auto& ring : poly.rings)
        for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
            const double yi = ring[i].lat_deg(), yj = ring[j].lat_deg(), xi = ring[i].lon_deg(), xj = ring[j].lon_deg();
            if ((yi > p.lat_deg()) != (yj > p.lat_deg()) && p.lon_deg() < (xj - xi) * (p.lat_deg() - yi) / (yj - yi) + xi) in = !in;
        }
    return in;
}

}  // namespace

TEST(Places, BundledCitiesAreGeoNamesAbove15000SortedByPopulation) {
    const auto cities = io::load_cities(io::asset_path("places/cities.csv"));
    ASSERT_GT(cities.size(), 20'000u);
    EXPECT_TRUE(
        std::is_sorted(cities.begin(), cities.end(), [](const io::City& a, const io::City& b) { return a.population > b.population; }));
    EXPECT_GE(cities.back().population, 15'000);
    const auto it =
        std::find_if(cities.begin(), cities.end(), [](const io::City& c) { return c.name == "Pyongyang" && c.country == "KP"; });
    ASSERT_NE(it, cities.end());
    EXPECT_NEAR(it->position.lat_deg(), 39.034, 0.01);  // degrees (GeoNames 1871859)
    EXPECT_NEAR(it->position.lon_deg(), 125.754, 0.01);
    EXPECT_GT(it->population, 1'000'000);
}

TEST(Places, BadRecordNamesFileLineAndColumn) {
    const auto p = write_temp("cities.csv", "name,lon,lat,country,population\nA,1,2,XX,20000\nB,3,north,XX,20000\n");
    try {
        (void)io::load_cities(p);
        FAIL() << "expected IoError";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find(p.string() + ":3:3:"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("latitude 'north'"), std::string::npos) << e.what();
    }
    const auto q = write_temp("water.csv", "name,lon,lat,rank\nX Sea,10,95,2\n");
    EXPECT_THROW((void)io::load_water_bodies(q), IoError);  // latitude out of range
    const auto r = write_temp("countries.csv", "name,lon,area_km2\nX,1,2\n");
    try {
        (void)io::load_country_labels(r);
        FAIL() << "expected IoError";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("column 'lat' missing"), std::string::npos) << e.what();
    }
}

TEST(Places, RunwaysWithAndWithoutEndCoordinates) {
    const auto rws = io::load_runways(io::asset_path("airports/runways.csv"));
    auto of = [&](const std::string& icao) {
        std::vector<io::RunwayOutline> out;
        std::copy_if(rws.begin(), rws.end(), std::back_inserter(out), [&](const io::RunwayOutline& r) { return r.icao == icao; });
        return out;
    };
    // Moscow Chkalovsky: OurAirports has its runway without end coordinates or heading, so the
    // table has nothing to draw for it.
    for (const auto& r : of("UUMU")) EXPECT_FALSE(r.le && r.he);
    // Pyongyang Sunan 17/35: both ends, about 3.5 km apart (11,490 ft).
    const auto zkpy = of("ZKPY");
    ASSERT_FALSE(zkpy.empty());
    ASSERT_TRUE(zkpy[0].le && zkpy[0].he);
    EXPECT_EQ(zkpy[0].le_ident, "17");
    EXPECT_NEAR(zkpy[0].length_m, 11'490 * 0.3048, 0.01);  // metres
}

TEST(Gshhg, LakeBaikalIsALakeAtLowResolution) {
    io::BasemapWindow w;
    w.window = geo::GeoBounds{100, 115, 48, 58};  // lon_min, lon_max, lat_min, lat_max
    const auto bm = io::load_gshhg(io::asset_path("basemap/gshhg_l.gpkg"), w, false);
    const auto baikal = *LatLon::checked(53.5, 108.2);
    EXPECT_TRUE(std::any_of(bm.lakes.begin(), bm.lakes.end(), [&](const io::Polygon& p) { return inside(p, baikal); }));
    EXPECT_TRUE(
        std::any_of(bm.land.begin(), bm.land.end(), [&](const io::Polygon& p) { return inside(p, baikal); }));  // land under the lake
    // Irkutsk, on the Angara 60 km from the lake, is on land and not in a lake.
    const auto irkutsk = *LatLon::checked(52.29, 104.30);
    EXPECT_FALSE(std::any_of(bm.lakes.begin(), bm.lakes.end(), [&](const io::Polygon& p) { return inside(p, irkutsk); }));
}

TEST(Gshhg, CoastHasNoEdgesAlongTheAntimeridianOrThePole) {
    io::BasemapWindow w;  // whole world
    const auto bm = io::load_gshhg(io::asset_path("basemap/gshhg_c.gpkg"), w, false);
    ASSERT_FALSE(bm.coastline.empty());
    std::size_t bad = 0;
    for (const auto& r : bm.coastline)
        for (std::size_t i = 1; i < r.size(); ++i)
            if ((std::abs(r[i].lon_deg()) >= 180 - 1e-9 && std::abs(r[i - 1].lon_deg()) >= 180 - 1e-9) ||
                (r[i].lat_deg() <= -90 + 1e-9 && r[i - 1].lat_deg() <= -90 + 1e-9))
                ++bad;
    EXPECT_EQ(bad, 0u);
    // Antarctica's land reaches the pole (closed through it).
    const auto pole = *LatLon::checked(-89.9, 0);
    EXPECT_TRUE(std::any_of(bm.land.begin(), bm.land.end(), [&](const io::Polygon& p) { return inside(p, pole); }));
}
