// Flightradar24 playback JSON loader (src/io/formats/fr24_json.cpp).
#include <gtest/gtest.h>

#include "io/loader.hpp"
#include "json_test_support.hpp"

using namespace fr;
using fr::test::problems;
using fr::test::shared_data;
using fr::test::test_data;

struct RealFr24 {
    const char* file;
    std::size_t points;
    const char* first;
    const char* last;
    const char* callsign;
    const char* icao24;
    const char* registration;
    const char* type;
};

class Fr24JsonReal : public ::testing::TestWithParam<RealFr24> {};

TEST_P(Fr24JsonReal, CountsTimesAndIdentity) {
    const auto c = GetParam();
    const auto path = shared_data(std::string("xoolive-traffic/fr24_json/") + c.file);
    FR_REQUIRE_SHARED(path);
    const auto r = io::load_file(path);
    EXPECT_EQ(r.format, io::Format::fr24_json);
    ASSERT_EQ(r.tracks.size(), 1u);
    const auto& t = r.tracks[0];
    EXPECT_EQ(t.points.size(), c.points);
    EXPECT_EQ(format_iso8601(t.points.front().time()), c.first);
    EXPECT_EQ(format_iso8601(t.points.back().time()), c.last);
    EXPECT_EQ(t.aircraft.callsign, c.callsign);
    EXPECT_EQ(t.aircraft.icao24, c.icao24);  // "modes" upper-case in the file
    EXPECT_EQ(t.aircraft.registration, c.registration);
    EXPECT_EQ(t.aircraft.type, c.type);
    EXPECT_EQ(t.points.front().on_ground(), OnGround::ground);  // every sample starts at the gate, 0 ft
}

INSTANTIATE_TEST_SUITE_P(
    Samples, Fr24JsonReal,
    ::testing::Values(RealFr24{"3376ab31.json", 305, "2024-01-02T07:22:55Z", "2024-01-02T08:47:23Z", "JAL516", "8467d8", "JA13XJ", "A359"},
                      RealFr24{"2ce4f83f.json", 871, "2022-08-02T07:36:06Z", "2022-08-02T14:48:55Z", "SPAR19", "ae503d", "09-0540", "B737"},
                      // 1249 points in the file; one repeats a timestamp and is dropped with a warning.
                      RealFr24{"34a8254b.json", 1248, "2024-04-06T10:43:07Z", "2024-04-06T21:42:37Z", "EDW24", "4b1901", "HB-JMF", "A343"},
                      RealFr24{"372355e5.json", 634, "2024-09-17T07:31:21Z", "2024-09-17T11:22:26Z", "THY9BP", "4baac6", "TC-JVF",
                               "B738"}));

TEST(Fr24Json, SameFlightAsCsvExportAgrees) {
    const auto json = shared_data("xoolive-traffic/fr24_json/3376ab31.json");
    const auto csv = shared_data("xoolive-traffic/fr24_csv/JL516_3376ab31.csv");
    FR_REQUIRE_SHARED(json);
    FR_REQUIRE_SHARED(csv);
    const auto a = io::load_file(json).tracks.at(0).points;
    const auto b = io::load_file(csv).tracks.at(0).points;
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); i += 50) {
        EXPECT_EQ(a[i].time(), b[i].time()) << i;
        EXPECT_NEAR(a[i].lat_deg(), b[i].lat_deg(), 1e-6) << i;
        EXPECT_NEAR(a[i].altitude()->m(), b[i].altitude()->m(), 1e-3) << i;  // both feet -> metres
    }
}

TEST(Fr24Json, SmallFile) {
    const auto r = io::load_file(test_data("valid/json/fr24_small.json"));
    EXPECT_TRUE(r.diagnostics.empty());
    ASSERT_EQ(r.tracks.size(), 1u);
    const auto& t = r.tracks[0];
    EXPECT_EQ(t.aircraft.callsign, "XXA1");
    EXPECT_EQ(t.aircraft.icao24, "4b1901");
    ASSERT_EQ(t.points.size(), 3u);
    EXPECT_EQ(t.points[0].on_ground(), OnGround::ground);
    EXPECT_NEAR(t.points[1].altitude()->m(), 914.4, 1e-3);  // 3000 ft, from "feet" not "meters"
    EXPECT_NEAR(t.points[1].ground_speed()->kt(), 162.0, 1e-3);
    EXPECT_NEAR(t.points[2].track()->deg(), 100.0, 1e-4);
    EXPECT_EQ(t.points[2].on_ground(), OnGround::airborne);
}

TEST(Fr24Json, InvalidFilesNameLineAndPath) {
    auto msg = problems(test_data("invalid/json/fr24_bad_point.json"));
    EXPECT_NE(msg.find("fr24_bad_point.json:4:17: result.response.data.flight.track[1].latitude: warning: latitude '\"abc\"' "
                       "is not a finite JSON number (point skipped)"),
              std::string::npos)
        << msg;
    msg = problems(test_data("invalid/json/fr24_missing_track.json"));
    EXPECT_NE(msg.find("fr24_missing_track.json:1:1: result.response.data.flight.track: error: missing \"track\" array"), std::string::npos)
        << msg;
    // A readsb file forced through the FR24 reader says what is missing.
    msg = problems(test_data("valid/json/readsb_small.json"), io::Format::fr24_json);
    EXPECT_NE(msg.find("readsb_small.json:1:1: result: error: missing \"result\""), std::string::npos) << msg;
}

TEST(Fr24Json, FuzzRegressionUnbalancedObjects) {
    // Found by fuzz_fr24_json: balanced bracket counts but invalid structure made On-Demand
    // reach an unreachable state; now the validator rejects it with a position.
    const auto msg = problems(test_data("invalid/json/fuzz_fr24_json_unbalanced.json"), io::Format::fr24_json);
    EXPECT_NE(
        msg.find("fuzz_fr24_json_unbalanced.json:5:5: $: error: malformed JSON: expected ',' or '}' after an object member, found '0'"),
        std::string::npos)
        << msg;
}
