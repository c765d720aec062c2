// GeoJSON-with-time loader (src/io/formats/geojson.cpp).
#include <gtest/gtest.h>

#include "io/loader.hpp"
#include "json_test_support.hpp"

using namespace fr;
using fr::test::problems;
using fr::test::test_data;

TEST(GeoJson, LineStringFeatureWithEpochSeconds) {
    const auto r = io::load_file(test_data("valid/json/geojson_linestring.geojson"));
    EXPECT_EQ(r.format, io::Format::geojson);
    EXPECT_TRUE(r.diagnostics.empty());
    ASSERT_EQ(r.tracks.size(), 1u);
    const auto& t = r.tracks[0];
    EXPECT_EQ(t.aircraft.callsign, "KEP1");
    EXPECT_EQ(t.aircraft.icao24, "abc123");
    EXPECT_EQ(t.aircraft.registration, "D-ABCD");
    ASSERT_EQ(t.points.size(), 3u);
    EXPECT_EQ(format_iso8601(t.points[0].time()), "2023-11-14T22:13:20Z");
    EXPECT_NEAR(t.points[0].lon_deg(), 8.55, 1e-12);  // [lon, lat] order
    EXPECT_NEAR(t.points[0].lat_deg(), 47.45, 1e-12);
    EXPECT_NEAR(t.points[1].altitude()->m(), 1000.5, 1e-3);  // metres, as RFC 7946
    EXPECT_EQ(format_iso8601(t.points[2].time()), "2023-11-14T22:15:20Z");
}

TEST(GeoJson, BareLineStringWithMilliseconds) {
    const auto r = io::load_file(test_data("valid/json/geojson_ms.json"));
    ASSERT_EQ(r.tracks.size(), 1u);
    ASSERT_EQ(r.tracks[0].points.size(), 2u);
    // 1700000010500 >= 1e11, so milliseconds.
    EXPECT_EQ(format_iso8601(r.tracks[0].points[1].time(), true), "2023-11-14T22:13:30.500Z");
}

TEST(GeoJson, PointFeaturesGroupedByAircraft) {
    const auto r = io::load_file(test_data("valid/json/geojson_points.geojson"));
    ASSERT_EQ(r.tracks.size(), 2u);
    const auto& a = r.tracks[0];
    EXPECT_EQ(a.aircraft.icao24, "aaaaaa");
    EXPECT_EQ(a.aircraft.callsign, "AAA1");
    ASSERT_EQ(a.points.size(), 2u);
    EXPECT_EQ(format_iso8601(a.points[0].time()), "2024-01-02T07:22:55Z");  // ISO "time"
    EXPECT_EQ(format_iso8601(a.points[1].time()), "2024-01-02T07:23:55Z");  // epoch ms "when"
    EXPECT_NEAR(a.points[1].altitude()->m(), 500.0, 1e-3);
    const auto& b = r.tracks[1];
    EXPECT_EQ(b.aircraft.callsign, "BBB2");
    EXPECT_EQ(format_iso8601(b.points[0].time()), "2024-01-02T07:23:20Z");  // epoch s "timestamp"
    EXPECT_FALSE(b.points[0].altitude().has_value());
    // The Polygon feature is named and skipped.
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_NE(format(r.diagnostics.items()[0])
                  .find("geojson_points.geojson:5:39: features[3].geometry.type: warning: GeoJSON type \"Polygon\" carries no track"),
              std::string::npos)
        << format(r.diagnostics.items()[0]);
}

TEST(GeoJson, InvalidFilesNameLineAndPath) {
    auto msg = problems(test_data("invalid/json/geojson_no_time.geojson"));
    EXPECT_NE(
        msg.find("geojson_no_time.geojson:3:3: $.geometry.coordinates[0]: warning: position has no time (expected [lon, lat, alt, time])"),
        std::string::npos)
        << msg;
    msg = problems(test_data("invalid/json/geojson_bad_time.geojson"));
    EXPECT_NE(
        msg.find(
            "geojson_bad_time.geojson:3:96: features[1].properties.time: warning: time '\"yesterday\"' is not ISO 8601 (feature skipped)"),
        std::string::npos)
        << msg;
}

TEST(GeoJson, GeneratedOutOfRangeAndBadCoordinates) {
    fr::test::TempDir dir;
    const auto path = dir.write("bad.geojson",
                                "{\"type\":\"LineString\",\"coordinates\":[\n"
                                "[8.5,47.4,100,1700000000],\n"
                                "[8.5,95.0,100,1700000010],\n"
                                "[8.5,47.5,100,-1700000020],\n"
                                "[8.5,\"x\",100,1700000030],\n"
                                "[8.6,47.6,100,1700000040]]}\n");
    const auto r = io::load_file(path);
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].points.size(), 2u);
    ASSERT_EQ(r.diagnostics.size(), 3u);
    EXPECT_NE(format(r.diagnostics.items()[0]).find("bad.geojson:3:1: $.coordinates[1]: warning: position lon 8.5, lat 95 is out of range"),
              std::string::npos)
        << format(r.diagnostics.items()[0]);
    EXPECT_NE(format(r.diagnostics.items()[1])
                  .find("bad.geojson:4:1: $.coordinates[2][3]: warning: time -1700000020 is not epoch seconds or milliseconds"),
              std::string::npos)
        << format(r.diagnostics.items()[1]);
    EXPECT_NE(format(r.diagnostics.items()[2])
                  .find("bad.geojson:5:6: $.coordinates[3][1]: warning: coordinate '\"x\"' is not a finite JSON number"),
              std::string::npos)
        << format(r.diagnostics.items()[2]);
}

TEST(GeoJson, FuzzRegressionBrokenStructure) {
    // Found by fuzz_geojson (On-Demand reached an unreachable state on this malformed input).
    const auto msg = problems(test_data("invalid/json/fuzz_geojson_unbalanced.geojson"), io::Format::geojson);
    EXPECT_NE(msg.find("fuzz_geojson_unbalanced.geojson:2:28: $: error: malformed JSON: expected a JSON value, found ']'"),
              std::string::npos)
        << msg;
}
