// Content detection of the JSON formats (loader.cpp detect_from_text -> json_util sniff_json).
#include <gtest/gtest.h>

#include "io/loader.hpp"
#include "io/text/json_util.hpp"
#include "json_test_support.hpp"

using namespace fr;
using fr::test::problems;
using fr::test::shared_data;
using fr::test::test_data;

TEST(DetectJson, HandWrittenFiles) {
    EXPECT_EQ(io::detect_format(test_data("valid/json/readsb_small.json")), io::Format::readsb_trace);
    EXPECT_EQ(io::detect_format(test_data("valid/json/readsb_bom.json")), io::Format::readsb_trace);
    EXPECT_EQ(io::detect_format(test_data("valid/json/fr24_small.json")), io::Format::fr24_json);
    EXPECT_EQ(io::detect_format(test_data("valid/json/traffic_small.json")), io::Format::opensky_json);
    EXPECT_EQ(io::detect_format(test_data("valid/json/geojson_linestring.geojson")), io::Format::geojson);
    EXPECT_EQ(io::detect_format(test_data("valid/json/geojson_ms.json")), io::Format::geojson);
    EXPECT_EQ(io::detect_format(test_data("valid/json/geojson_points.geojson")), io::Format::geojson);
    // Truncated files are still routed to their loader (prefix sniffing), which says where.
    EXPECT_EQ(io::detect_format(test_data("invalid/json/truncated.json")), io::Format::readsb_trace);
}

TEST(DetectJson, RealFiles) {
    const auto dir = shared_data("xoolive-traffic");
    FR_REQUIRE_SHARED(dir);
    EXPECT_EQ(io::detect_format(dir / "readsb/trace_full_ac671b.json"), io::Format::readsb_trace);
    EXPECT_EQ(io::detect_format(dir / "fr24_json/34a8254b.json"), io::Format::fr24_json);
    EXPECT_EQ(io::detect_format(dir / "opensky_traffic_json/kiwi.json.gz"), io::Format::opensky_json);
    EXPECT_EQ(io::detect_format(dir / "opensky_traffic_json/noisy_time_issue.json.gz"), io::Format::opensky_json);
}

TEST(DetectJson, UnknownJsonSaysWhatWasFoundAndExpected) {
    const auto msg = problems(test_data("invalid/json/unknown.json"));
    EXPECT_NE(
        msg.find("unknown.json:1:1: unrecognised JSON track format: found JSON object with keys foo, bar, baz; expected a readsb trace"),
        std::string::npos)
        << msg;
    EXPECT_NE(msg.find("GeoJSON"), std::string::npos) << msg;
}

TEST(DetectJson, GzNameWithoutGzipContent) {
    const auto msg = problems(test_data("invalid/json/not_gzip.json.gz"));
    EXPECT_NE(msg.find("not_gzip.json.gz:1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("the name ends in .gz but the content is not gzip"), std::string::npos) << msg;
}

TEST(DetectJson, GeneratedRootNestingBomb) {
    fr::test::TempDir dir;
    const auto path = dir.write("deep.json", std::string(1'000'000, '['));
    const auto msg = problems(path);
    EXPECT_NE(
        msg.find(
            "deep.json:1:1: unrecognised JSON track format: found malformed JSON (line 1, column 1025: nesting deeper than 1024 levels"),
        std::string::npos)
        << msg;
}

TEST(DetectJson, SyntaxCheckerPositions) {
    using io::detail::check_json_syntax;
    EXPECT_FALSE(check_json_syntax("{\"a\": [1, 2.5e3, -0, true, null, \"x\\u00e9\"]}"));
    auto e = check_json_syntax("{\"a\": [1, 2}");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->offset, 11u);
    EXPECT_EQ(e->what, "expected ',' or ']' after an array element, found '}'");
    e = check_json_syntax("{\"a\": 01}");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->offset, 7u);  // the second digit of a leading-zero number
    e = check_json_syntax("[\"\xC3\x28\"]");
    ASSERT_TRUE(e);
    EXPECT_NE(e->what.find("invalid UTF-8"), std::string::npos);
    EXPECT_EQ(io::detail::position_of("ab\ncd\nef", 7).line, 3u);
    EXPECT_EQ(io::detail::position_of("ab\ncd\nef", 7).column, 2u);
}

TEST(DetectJson, ReadsbByTopLevelKeysOnly) {
    // A readsb trace is recognised by "icao" and "trace" among the keys of the top-level
    // object, read without simdjson; the answer and the description are simdjson's.
    const auto readsb = io::detail::sniff_json(
        "{\"icao\":\"abc123\",\"r\":{\"nested\":[1,{\"x\":\"]}\"}]},\"t\":\"A\\\"20\",\"timestamp\":1700000000,\"trace\":[[0,1,2,null]]}");
    EXPECT_EQ(readsb.format, io::Format::readsb_trace);
    EXPECT_EQ(readsb.description, "JSON object with keys icao, r, t, timestamp, trace");
    // The same keys one level down are not a readsb trace.
    const auto nested = io::detail::sniff_json(
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"icao\":\"x\",\"trace\":[]}}]}");
    EXPECT_EQ(nested.format, io::Format::geojson);
    // An escaped key is left to simdjson, which unescapes it.
    EXPECT_EQ(io::detail::sniff_json("{\"\\u0069cao\":\"abc123\",\"trace\":[]}").format, io::Format::readsb_trace);
    // Unbalanced: left to simdjson and the prefix rules (routed to the readsb loader, which says where).
    EXPECT_EQ(io::detail::sniff_json("{\"icao\":\"abc123\",\"trace\":[[0,1,2]").format, io::Format::readsb_trace);
    EXPECT_EQ(io::detail::sniff_json("{\"icao\":\"abc123\",\"now\":1,\"aircraft\":[]}").format, io::Format::readsb_snapshot);
}
