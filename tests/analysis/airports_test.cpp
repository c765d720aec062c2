// io::read_airports and analysis::AirportTable: CSV loading (valid and broken rows), ICAO lookup, geodesic `within` and the
// preference rule in `best_near` (larger, then scheduled, then nearest).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "analysis/airport_table.hpp"
#include "core/error.hpp"
#include "geo/geodesic.hpp"
#include "test_paths.hpp"

namespace {

using fr::LatLon;
using fr::Length;
using fr::analysis::AirportTable;

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
    for (std::size_t i = 1; i < v.size(); ++i) EXPECT_LE(fr::geo::distance(p, v[i - 1]->position), fr::geo::distance(p, v[i]->position));
    EXPECT_EQ(v[0]->icao, "KSFF");
    // Radius boundary, both sides (1 m either way of the exact geodesic distance).
    const LatLon geg = t.find_icao("KGEG")->position;
    const Length d = fr::geo::distance(p, geg);
    auto has_geg = [&](Length r) {
        for (auto* a : t.within(p, r))
            if (a->icao == "KGEG") return true;
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
        try {
            AirportTable::load(p);
            ADD_FAILURE();
        } catch (const fr::IoError& e) {
            EXPECT_NE(std::string(e.what()).find(p.string() + ":3: expected 11 fields, found 4"), std::string::npos) << e.what();
        }
    }
    {
        const auto p = write_temp("unterminated.csv", std::string(kHeader) + "KAAA,AAA,\"A,B,US,10,1,0,large,1,0\n");
        try {
            AirportTable::load(p);
            ADD_FAILURE();
        } catch (const fr::IoError& e) {
            EXPECT_NE(std::string(e.what()).find(p.string() + ":2:3: unterminated"), std::string::npos) << e.what();
        }
    }
    {
        const auto p = write_temp("no_lat.csv", "icao,iata,name,city,country,lon,elevation_ft,type,scheduled,military\n");
        try {
            AirportTable::load(p);
            ADD_FAILURE();
        } catch (const fr::IoError& e) {
            EXPECT_NE(std::string(e.what()).find(p.string() + ":1: header lacks column 'lat'"), std::string::npos) << e.what();
        }
    }
    EXPECT_THROW(AirportTable::load("/nonexistent/airports.csv"), fr::IoError);
}

fr::io::Airport synthetic_airport(int i, double lat, double lon) {
    return fr::io::Airport{"X" + std::to_string(i),     "",    "",    "", "", LatLon::from_degrees(lat, lon), Length::metres(0),
                           fr::io::AirportSize::medium, false, false, {}};
}

// Every airport within `r` of `p` by brute force, nearest first (ties in table order).
std::vector<const fr::io::Airport*> brute_within(const AirportTable& t, LatLon p, Length r) {
    std::vector<std::pair<double, std::size_t>> f;
    for (std::size_t i = 0; i < t.airports().size(); ++i)
        if (const Length d = fr::geo::distance(p, t.airports()[i].position); d <= r) f.emplace_back(d.m(), i);
    std::sort(f.begin(), f.end());
    std::vector<const fr::io::Airport*> out;
    for (auto& [d, i] : f) out.push_back(&t.airports()[i]);
    return out;
}

TEST(Airports, LookupsVisitOnlyNearbyAirportsWhateverTheTableSize) {
    // Operation count, not time: the same 50 airports around Frankfurt, alone and among 100,000
    // more spread along the same latitude band (a latitude-sorted scan would visit them all).
    std::vector<fr::io::Airport> local, crowded;
    for (int i = 0; i < 50; ++i) local.push_back(synthetic_airport(i, 49.8 + 0.01 * i, 8.4 + 0.01 * i));
    crowded = local;
    for (int i = 0; i < 100'000; ++i) {
        const double lon = -179.9 + 359.8 * i / 100'000.0;
        if (std::abs(lon - 8.5) < 5.0) continue;  // keep the neighbourhood as it was
        crowded.push_back(synthetic_airport(50 + i, 49.5 + (i % 100) * 0.01, lon));
    }
    const AirportTable small(std::move(local)), big(std::move(crowded));
    const LatLon fra = LatLon::from_degrees(50.03, 8.57);
    auto visits = [&](const AirportTable& t) {
        const std::uint64_t before = fr::analysis::airport_candidates_visited();
        for (int i = 0; i < 1000; ++i) (void)t.best_near(fra, Length::kilometres(60));
        return fr::analysis::airport_candidates_visited() - before;
    };
    const std::uint64_t v_small = visits(small), v_big = visits(big);
    EXPECT_EQ(v_small, 50u * 1000u);  // all 50 lie in the grid cells the 60 km radius touches
    EXPECT_EQ(v_big, v_small) << "lookups visit airports far from the query point";
    EXPECT_EQ(big.within(fra, Length::kilometres(60)).size(), small.within(fra, Length::kilometres(60)).size());
}

TEST(Airports, GridLookupMatchesBruteForceIncludingPolesAndAntimeridian) {
    std::vector<fr::io::Airport> v;
    std::uint64_t s = 7203;
    auto rnd = [&s] {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(s >> 11) / 9007199254740992.0;
    };
    for (int i = 0; i < 4000; ++i) v.push_back(synthetic_airport(i, -90 + 180 * rnd(), -180 + 360 * rnd()));
    // Clusters on both sides of the antimeridian and next to the poles.
    for (int i = 0; i < 200; ++i) v.push_back(synthetic_airport(4000 + i, 65.0 + 0.002 * i, i % 2 ? 179.95 : -179.95));
    for (int i = 0; i < 100; ++i) v.push_back(synthetic_airport(4200 + i, 89.9 - 0.001 * i, -180 + 3.6 * i));
    const AirportTable t(std::move(v));
    std::vector<LatLon> queries = {LatLon::from_degrees(65.1, 180.0), LatLon::from_degrees(65.1, -179.99), LatLon::from_degrees(89.95, 0.0),
                                   LatLon::from_degrees(-89.99, 45.0), LatLon::from_degrees(0.0, 0.0)};
    for (int i = 0; i < 300; ++i) queries.push_back(LatLon::from_degrees(-90 + 180 * rnd(), -180 + 360 * rnd()));
    for (const LatLon q : queries)
        for (const double km : {4.0, 60.0, 500.0, 3000.0}) {
            const auto got = t.within(q, Length::kilometres(km));
            EXPECT_EQ(got, brute_within(t, q, Length::kilometres(km))) << q.lat_deg() << "," << q.lon_deg() << " within " << km << " km";
        }
    // The antimeridian cluster is found from either side.
    EXPECT_EQ(t.within(LatLon::from_degrees(65.2, 179.99), Length::kilometres(30)).size(), 200u);
    EXPECT_EQ(t.within(LatLon::from_degrees(65.2, -179.99), Length::kilometres(30)).size(), 200u);
}

}  // namespace
