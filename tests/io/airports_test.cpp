// AirportTable: CSV loading (valid and broken rows), ICAO lookup, geodesic `within` and the
// preference rule in `best_near` (larger, then scheduled, then nearest).
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "geo/geodesic.hpp"
#include "io/airports.hpp"
#include "test_paths.hpp"

namespace {

using fr::Length;
using fr::LatLon;
using fr::io::AirportTable;

const char* kHeader = "icao,iata,name,city,country,lat,lon,elevation_ft,type,scheduled,military\n";

AirportTable fixture() { return AirportTable::load(fr::test::test_data("airports_fixture.csv")); }

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
    auto p = std::filesystem::path(FR_BINARY_DIR) / "tests" / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

TEST(Airports, LoadsFixtureWithQuotedFields) {
    const AirportTable t = fixture();
    EXPECT_EQ(t.airports().size(), 9u);
    const auto* q = t.find_icao("XQOT");
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(q->name, "Quoted \"Field\", with comma");
    EXPECT_EQ(q->size, fr::io::AirportSize::small);
    EXPECT_NEAR(q->elevation.m(), 0.0, 1e-9);  // empty elevation = sea level
    const auto* geg = t.find_icao("KGEG");
    ASSERT_NE(geg, nullptr);
    EXPECT_EQ(geg->iata, "GEG");
    EXPECT_NEAR(geg->elevation.ft(), 2376.0, 1e-9);
    EXPECT_TRUE(geg->scheduled);
    EXPECT_FALSE(geg->military);
    EXPECT_TRUE(t.find_icao("KSKA")->military);
    EXPECT_EQ(t.find_icao("NONE"), nullptr);
    // A row without an ICAO code (OurAirports has such medium fields) still loads.
    const auto p = write_temp("no_icao.csv", std::string(kHeader) + ",WKK,Aleknagik,A,US,59.28,-158.61,66,medium,1,0\n");
    EXPECT_EQ(AirportTable::load(p).airports().at(0).iata, "WKK");
}

TEST(Airports, WithinIsNearestFirstAndGeodesic) {
    const AirportTable t = fixture();
    const LatLon p = LatLon::from_degrees(47.65, -117.40);
    auto v = t.within(p, Length::kilometres(30));
    ASSERT_EQ(v.size(), 3u);
    for (std::size_t i = 1; i < v.size(); ++i)
        EXPECT_LE(fr::geo::distance(p, v[i - 1]->position), fr::geo::distance(p, v[i]->position));
    EXPECT_EQ(v[0]->icao, "KSFF");
    // Radius boundary, both sides (1 m either way of the exact geodesic distance).
    const LatLon geg = t.find_icao("KGEG")->position;
    const Length d = fr::geo::distance(p, geg);
    auto has_geg = [&](Length r) {
        for (auto* a : t.within(p, r)) if (a->icao == "KGEG") return true;
        return false;
    };
    EXPECT_TRUE(has_geg(d + Length::metres(1)));
    EXPECT_FALSE(has_geg(d - Length::metres(1)));
}

TEST(Airports, BestNearPrefersLargeScheduledThenDistance) {
    const AirportTable t = fixture();
    // Closer to Felts Field (medium) and Fairchild (large, unscheduled) than to KGEG: KGEG wins.
    const LatLon near_sff = LatLon::from_degrees(47.67, -117.35);
    ASSERT_EQ(t.within(near_sff, Length::kilometres(30)).front()->icao, "KSFF");
    EXPECT_EQ(t.best_near(near_sff, Length::kilometres(30))->icao, "KGEG");
    const LatLon near_ska = LatLon::from_degrees(47.615, -117.64);
    EXPECT_EQ(t.best_near(near_ska, Length::kilometres(20))->icao, "KGEG");
    // Out of KGEG's reach, the medium field is the only candidate.
    EXPECT_EQ(t.best_near(near_sff, Length::kilometres(5))->icao, "KSFF");
    EXPECT_EQ(t.best_near(LatLon::from_degrees(0, 0), Length::kilometres(50)), nullptr);
    EXPECT_EQ(t.best_near(LatLon::from_degrees(55.88, 38.06), Length::kilometres(5))->icao, "UUMU");
    EXPECT_EQ(t.best_near(LatLon::from_degrees(39.22, 125.67), Length::kilometres(5))->icao, "ZKPY");
    EXPECT_EQ(t.best_near(LatLon::from_degrees(44.88, -93.22), Length::kilometres(5))->icao, "KMSP");
}

TEST(Airports, BundledTableHasTheAirportsTheTestsNeed) {
    const auto path = fr::test::source_dir() / "assets/airports/airports.csv";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "bundled airport table not built yet at " << path;
    const AirportTable t = AirportTable::load(path);
    EXPECT_GT(t.airports().size(), 4000u);
    for (const char* icao : {"UUMU", "ZKPY", "KGEG", "KMSP"}) EXPECT_NE(t.find_icao(icao), nullptr) << icao;
    // Near KGEG sits Felts Field; naive nearest picks it wrongly.
    const LatLon sff = t.find_icao("KSFF")->position;
    const LatLon probe = fr::geo::interpolate(sff, t.find_icao("KGEG")->position, 0.2);
    EXPECT_EQ(t.best_near(probe, Length::kilometres(30))->icao, "KGEG");
    EXPECT_EQ(t.best_near(LatLon::from_degrees(55.8783, 38.0617), Length::kilometres(7))->icao, "UUMU");
    EXPECT_EQ(t.best_near(LatLon::from_degrees(39.2241, 125.67), Length::kilometres(7))->icao, "ZKPY");
    EXPECT_EQ(t.best_near(LatLon::from_degrees(44.882, -93.2218), Length::kilometres(7))->icao, "KMSP");
}

struct Broken {
    const char* name;
    std::string body;
    const char* expect_pos;    // "file:line:col" tail
    const char* expect_field;  // field named in the message
};

TEST(Airports, MalformedRowsNameFileLineAndField) {
    const std::vector<Broken> cases = {
        {"bad_lat.csv", "KAAA,AAA,A,B,US,abc,1,0,large,1,0\n", ":2:6:", "lat"},
        {"lat_range.csv", "KAAA,AAA,A,B,US,10,1,0,large,1,0\nKBBB,BBB,A,B,US,91.5,1,0,large,1,0\n", ":3:6:", "lat"},
        {"lon_range.csv", "KAAA,AAA,A,B,US,10,181,0,large,1,0\n", ":2:7:", "lon"},
        {"bad_type.csv", "KAAA,AAA,A,B,US,10,1,0,huge,1,0\n", ":2:9:", "type"},
        {"bad_flag.csv", "KAAA,AAA,A,B,US,10,1,0,large,2,0\n", ":2:10:", "scheduled"},
        {"bad_elev.csv", "KAAA,AAA,A,B,US,10,1,12ft,large,1,0\n", ":2:8:", "elevation_ft"},
        {"bad_military.csv", "KAAA,AAA,A,B,US,10,1,0,large,1,x\n", ":2:11:", "military"},
    };
    for (const auto& c : cases) {
        const auto p = write_temp(c.name, std::string(kHeader) + c.body);
        try {
            AirportTable::load(p);
            ADD_FAILURE() << c.name << " loaded";
        } catch (const fr::IoError& e) {
            const std::string m = e.what();
            EXPECT_NE(m.find(p.string() + c.expect_pos), std::string::npos) << m;
            EXPECT_NE(m.find(std::string("'") + c.expect_field + "'"), std::string::npos) << m;
        }
    }
}

TEST(Airports, StructuralErrorsNameFileAndLine) {
    {
        const auto p = write_temp("short_row.csv", std::string(kHeader) + "KAAA,AAA,A,B,US,10,1,0,large,1,0\nKBBB,BBB,A,B\n");
        try { AirportTable::load(p); ADD_FAILURE(); } catch (const fr::IoError& e) {
            EXPECT_NE(std::string(e.what()).find(p.string() + ":3: expected 11 fields, found 4"), std::string::npos) << e.what();
        }
    }
    {
        const auto p = write_temp("unterminated.csv", std::string(kHeader) + "KAAA,AAA,\"A,B,US,10,1,0,large,1,0\n");
        try { AirportTable::load(p); ADD_FAILURE(); } catch (const fr::IoError& e) {
            EXPECT_NE(std::string(e.what()).find(p.string() + ":2:3: unterminated"), std::string::npos) << e.what();
        }
    }
    {
        const auto p = write_temp("no_lat.csv", "icao,iata,name,city,country,lon,elevation_ft,type,scheduled,military\n");
        try { AirportTable::load(p); ADD_FAILURE(); } catch (const fr::IoError& e) {
            EXPECT_NE(std::string(e.what()).find(p.string() + ":1: header lacks column 'lat'"), std::string::npos) << e.what();
        }
    }
    EXPECT_THROW(AirportTable::load("/nonexistent/airports.csv"), fr::IoError);
}

TEST(Airports, LookupsAreCheapOnAFullSizeTable) {
    // 5,000 airports on a grid; 2,000 lookups must take well under a second (a linear scan
    // with geodesics would take ~10 s on the CI machine).
    std::vector<fr::io::Airport> v;
    for (int i = 0; i < 5000; ++i) {
        fr::io::Airport a{"X" + std::to_string(i), "", "", "", "", LatLon::from_degrees(-80.0 + (i % 100) * 1.6, -179.0 + (i / 100) * 7.1),
                          Length::metres(0), fr::io::AirportSize::medium, false, false};
        v.push_back(a);
    }
    const AirportTable t(std::move(v));
    const auto t0 = std::chrono::steady_clock::now();
    std::size_t found = 0;
    for (int i = 0; i < 2000; ++i)
        found += t.best_near(LatLon::from_degrees(-80.0 + (i % 100) * 1.6, -179.0 + (i % 50) * 7.1), Length::kilometres(50)) != nullptr;
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(found, 2000u);
    EXPECT_LT(s, 1.0);
}

}  // namespace
