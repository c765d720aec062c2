// analyse() on real recorded files through the real loaders (fr::io::load_file). Skips when
// the shared data is absent or a loader is not written yet.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/analysis.hpp"
#include "analysis/report_json.hpp"
#include "core/error.hpp"
#include "io/loader.hpp"
#include "test_paths.hpp"

namespace {

using namespace fr;

analysis::AirportTable bundled_airports() {
    const auto p = test::source_dir() / "assets/airports/airports.csv";
    if (std::filesystem::exists(p)) return analysis::AirportTable::load(p);
    return analysis::AirportTable::load(test::test_data("airports_fixture.csv"));
}

bool loader_missing(const std::string& what) {
    for (const char* s : {"not supported yet", "unrecognised track format", "unsupported", "unknown format"})
        if (what.find(s) != std::string::npos) return true;
    return false;
}

// Loads and merges; sets `skip` with the reason when a loader is not ready.
std::vector<Flight> load(const std::vector<std::filesystem::path>& files, std::string& skip) {
    std::vector<Track> tracks;
    for (const auto& f : files) {
        try {
            auto r = io::load_file(f);
            for (auto& t : r.tracks) tracks.push_back(std::move(t));
        } catch (const IoError& e) {
            if (loader_missing(e.what())) {
                skip = std::string("loader not ready: ") + e.what();
                return {};
            }
            throw;
        }
    }
    return merge_tracks(std::move(tracks));
}

// |a - b| within 1 ms: readsb times are base + offset with millisecond precision.
void expect_time(TimePoint t, double unix_s, const char* what) {
    EXPECT_NEAR(to_unix_seconds(t), unix_s, 0.0011) << what << ": " << format_iso8601(t, true);
}

TEST(RealData, ReadsbFourLegsThreeStops) {
    const auto file = test::shared_data("xoolive-traffic/readsb/trace_full_ac671b.json");
    FR_REQUIRE_SHARED(file);
    std::string skip;
    const auto flights = load({file}, skip);
    if (!skip.empty()) GTEST_SKIP() << skip;
    ASSERT_EQ(flights.size(), 1u);
    const auto a = analysis::analyse(flights[0], bundled_airports());
    ASSERT_EQ(a.legs.size(), 4u) << analysis::to_table(flights, {a});
    ASSERT_EQ(a.stops.size(), 3u) << analysis::to_table(flights, {a});
    const char* icao[] = {"KMSP", "KGEG", "KMSP"};
    const bool inferred[] = {false, true, false};
    // Touchdown .. last ground fix before take-off (observed); last fix before .. first
    // after the 503-min gap (inferred). Unix seconds from the file (base + offset).
    const double start[] = {1738717946.079, 1738736639.399, 1738774818.069};
    const double end[] = {1738727027.089, 1738766823.929, 1738779275.609};
    for (int i = 0; i < 3; ++i) {
        const auto& s = a.stops[static_cast<std::size_t>(i)];
        ASSERT_TRUE(s.airport) << i;
        EXPECT_EQ(s.airport->icao, icao[i]) << i;
        EXPECT_EQ(s.inferred, inferred[i]) << i;
        expect_time(s.start, start[i], "stop start");
        expect_time(s.end, end[i], "stop end");
    }
    EXPECT_EQ(format_duration(a.stops[1].duration()), "8 h 23 min");
    // First leg starts at cruise over Belize (no departure airport); last ends on the ground at DEN.
    EXPECT_FALSE(a.legs[0].departure_airport);
    ASSERT_TRUE(a.legs[3].arrival_airport);
    EXPECT_EQ(a.legs[3].arrival_airport->icao, "KDEN");
    ASSERT_TRUE(a.legs[3].landing_time);
    // Airborne coverage gaps of 15-48 min (dataset notes), none across a stop.
    std::size_t gaps = 0;
    for (const auto& leg : a.legs)
        for (const auto& g : leg.gaps) {
            ++gaps;
            EXPECT_TRUE(g.plausible);
            EXPECT_GE(g.duration(), std::chrono::minutes(10));
            EXPECT_LE(g.duration(), std::chrono::minutes(49));
        }
    EXPECT_EQ(gaps, 5u);
    std::cout << analysis::to_table(flights, {a});
}

TEST(RealData, IgcLandingInTheMiddle) {
    const auto file = test::shared_data("marcin-osowski-igc_lib/flight_with_middle_landing.igc");
    FR_REQUIRE_SHARED(file);
    std::string skip;
    const auto flights = load({file}, skip);
    if (!skip.empty()) GTEST_SKIP() << skip;
    ASSERT_EQ(flights.size(), 1u);
    const auto a = analysis::analyse(flights[0], bundled_airports());
    ASSERT_EQ(a.legs.size(), 2u) << analysis::to_table(flights, {a});
    ASSERT_EQ(a.stops.size(), 1u);
    // Landed back at the launch site (a hill, no airport) about 14:23-14:27 UTC.
    const auto& s = a.stops[0];
    EXPECT_FALSE(s.inferred);
    EXPECT_FALSE(s.airport);
    const TimePoint lo = *parse_iso8601("2019-03-09T14:20:00Z"), hi = *parse_iso8601("2019-03-09T14:30:00Z");
    EXPECT_GE(s.start, lo);
    EXPECT_LE(s.end, hi);
    EXPECT_GE(s.duration(), std::chrono::minutes(3));
}

TEST(RealData, Rff7203StopAtPyongyang) {
    const auto dir = test::source_dir() / "assets/samples";
    std::vector<std::filesystem::path> files;
    if (std::filesystem::exists(dir))
        for (const auto& e : std::filesystem::directory_iterator(dir))
            if (e.path().filename().string().rfind("RFF7203_", 0) == 0 && e.path().extension() == ".csv") files.push_back(e.path());
    if (files.size() != 2) GTEST_SKIP() << "RFF7203 sample (two files) not found in " << dir;
    std::sort(files.begin(), files.end());
    std::string skip;
    const auto flights = load(files, skip);
    if (!skip.empty()) GTEST_SKIP() << skip;
    ASSERT_EQ(flights.size(), 1u);
    const auto a = analysis::analyse(flights[0], bundled_airports());
    ASSERT_EQ(a.legs.size(), 2u) << analysis::to_table(flights, {a});
    ASSERT_EQ(a.stops.size(), 1u) << analysis::to_table(flights, {a});
    ASSERT_TRUE(a.stops[0].airport);
    EXPECT_EQ(a.stops[0].airport->icao, "ZKPY");
    EXPECT_FALSE(a.stops[0].inferred);
    EXPECT_NEAR(std::chrono::duration<double>(a.stops[0].duration()).count() / 3600.0, 36.0, 1.0);  // ~36 h, 1 h
    ASSERT_TRUE(a.legs[0].departure_airport);
    EXPECT_EQ(a.legs[0].departure_airport->icao, "UUMU");
    ASSERT_TRUE(a.legs[1].arrival_airport);
    EXPECT_EQ(a.legs[1].arrival_airport->icao, "UUMU");
    const std::string json = analysis::to_json(flights, {a});
    EXPECT_NE(json.find("\"provenance\": \"reconstructed\""), std::string::npos);
    std::cout << analysis::to_table(flights, {a});
}

}  // namespace
