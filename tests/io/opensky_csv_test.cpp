#include <gtest/gtest.h>

#include "io/loader.hpp"
#include "text_loader_test_util.hpp"

using namespace fr;
using namespace fr::test;

TEST(OpenSkyCsv, SplitByAircraftStaleAndNaN) {
    const auto r = load_test_file("valid/text/opensky_states.csv");
    EXPECT_EQ(r.format, io::Format::opensky_csv);
    ASSERT_EQ(r.tracks.size(), 2u);
    const auto& a = r.tracks[0];
    EXPECT_EQ(a.aircraft.icao24, "39c902");                                           // lower-cased
    EXPECT_EQ(a.aircraft.callsign, "SAMU13");                                         // padding trimmed
    ASSERT_EQ(a.points.size(), 2u);                                                   // NaN position and stale row dropped
    EXPECT_EQ(format_iso8601(a.points[0].time(), true), "2023-01-01T12:21:10.760Z");  // lastposupdate, not time
    EXPECT_NEAR(a.points[0].altitude()->m(), -45.72, 1e-3);                           // baroaltitude, metres
    EXPECT_NEAR(a.points[0].ground_speed()->mps(), 3.45, 1e-5);
    EXPECT_EQ(a.points[0].on_ground(), OnGround::ground);    // True
    EXPECT_EQ(a.points[1].on_ground(), OnGround::airborne);  // False
    const auto& b = r.tracks[1];
    EXPECT_EQ(b.aircraft.icao24, "4b1805");
    EXPECT_EQ(b.aircraft.callsign, "SWR12");
    ASSERT_EQ(b.points.size(), 2u);
    EXPECT_NEAR(b.points[0].altitude()->m(), 10000.0, 1e-3);
    EXPECT_TRUE(has_diagnostic(r, "opensky_states.csv", 4, "1 row(s) have no position"));
    EXPECT_TRUE(has_diagnostic(r, "opensky_states.csv", 5, "stale position (time - lastposupdate > 15 s; here 21 s)"));
    EXPECT_EQ(r.rows_skipped, 2u);
}

TEST(OpenSkyCsvInvalid, HeaderOnly) {
    const auto msg = load_error("invalid/text/opensky_header_only.csv");
    EXPECT_TRUE(error_names(msg, "opensky_header_only.csv", 1, "header only: no state vector rows"));
    EXPECT_NE(msg.find("no usable track point (0 row(s) read"), std::string::npos) << msg;
}

TEST(OpenSkyCsvInvalid, NoHeader) {
    EXPECT_TRUE(error_names(load_error("invalid/text/opensky_no_header.csv"), "opensky_no_header.csv", 1, "unrecognised track format"));
    const auto msg = load_error("invalid/text/opensky_no_header.csv", io::Format::opensky_csv);
    EXPECT_TRUE(error_names(msg, "opensky_no_header.csv", 1, "OpenSky header has no 'icao24' column"));
}

TEST(OpenSkyCsvInvalid, BadValues) {
    const auto r = load_test_file("invalid/text/opensky_bad_values.csv");
    EXPECT_TRUE(has_diagnostic(r, "opensky_bad_values.csv", 2, "icao24 '39c90' is not 6 hex digits"));
    EXPECT_TRUE(has_diagnostic(r, "opensky_bad_values.csv", 3, "lat '1e999'"));
    EXPECT_TRUE(has_diagnostic(r, "opensky_bad_values.csv", 4, "have no position"));
    EXPECT_TRUE(has_diagnostic(r, "opensky_bad_values.csv", 5, "stale position"));
    EXPECT_TRUE(has_diagnostic(r, "opensky_bad_values.csv", 6, "expected 16 fields as in the header, found 4"));
    EXPECT_TRUE(has_diagnostic(r, "opensky_bad_values.csv", 7, "onground 'maybe' is not True/False"));
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].points.size(), 1u);
}

TEST(OpenSkyCsvInvalid, SwappedLatLon) {
    const auto msg = load_error("invalid/text/opensky_swapped.csv");
    EXPECT_TRUE(error_names(msg, "opensky_swapped.csv", 2, "lat '151.2' lon '-33.9' out of range"));
}

TEST(OpenSkyCsvInvalid, HugeLineGeneratedAtTestTime) {
    // Ten million fields on one line (20 MB; a billion would be 2 GB, too much for CI): the
    // reader stops collecting at its field cap and the row is reported, not stored.
    std::string text =
        "time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,alert,spi,squawk,baroaltitude,geoaltitude,lastposupdate,"
        "lastcontact\n";
    text.reserve(text.size() + 20'000'100);
    for (int i = 0; i < 10'000'000; ++i) text += "1,";
    text += "1\n1672575671,39c902,43.2,5.4,3.4,296.5,5.8,SAMU13,True,False,False,,100,120,1672575670.76,1672575670.797\n";
    const auto r = io::detail::load_opensky_csv("huge.csv", text);
    EXPECT_TRUE(has_diagnostic(r, "huge.csv", 2, "more than 64 fields"));
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].points.size(), 1u);
}
