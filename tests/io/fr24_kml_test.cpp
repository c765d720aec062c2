#include <gtest/gtest.h>

#include "io/loader.hpp"
#include "text_loader_test_util.hpp"

using namespace fr;
using namespace fr::test;

TEST(Fr24Kml, RealFileFZ981) {
    const auto path = shared_data("till213-SkyDolly/FlightRadar24_FZ981-922b3bd.kml");
    FR_REQUIRE_SHARED(path);
    EXPECT_EQ(io::detect_format(path), io::Format::fr24_kml);
    const auto r = io::load_file(path);
    ASSERT_EQ(r.tracks.size(), 1u);
    const auto& t = r.tracks[0];
    EXPECT_EQ(t.aircraft.callsign, "FDB981");
    EXPECT_EQ(t.aircraft.registration, "A6-FDN");
    EXPECT_EQ(t.aircraft.type, "B738");
    ASSERT_EQ(t.points.size(), 10u);  // Route folder only: the 10 Trail segments are not fixes
    EXPECT_EQ(format_iso8601(t.points.front().time()), "2016-03-18T18:20:47Z");
    EXPECT_EQ(format_iso8601(t.points.back().time()), "2016-03-18T18:28:08Z");
    EXPECT_NEAR(t.points.front().lat_deg(), 25.2619, 1e-9);  // coordinates are lon,lat
    EXPECT_NEAR(t.points.front().lon_deg(), 55.362, 1e-9);
    EXPECT_NEAR(t.points.front().ground_speed()->kt(), 10.0, 1e-4);
    EXPECT_NEAR(t.points.front().track()->deg(), 209.0, 1e-9);
    EXPECT_EQ(t.points.front().on_ground(), OnGround::ground);
    EXPECT_TRUE(r.diagnostics.empty()) << all_diagnostics(r);
}

TEST(Fr24Kml, AltitudeIsMetresAndDuplicatesDropped) {
    const auto r = load_test_file("valid/text/fr24_route.kml");
    EXPECT_EQ(r.format, io::Format::fr24_kml);
    ASSERT_EQ(r.tracks.size(), 1u);
    const auto& t = r.tracks[0];
    ASSERT_EQ(t.points.size(), 2u);
    // 914.4 m in <coordinates> is 3000 ft, as the description says: metres, not feet.
    EXPECT_NEAR(t.points[1].altitude()->m(), 914.4, 1e-3);
    EXPECT_NEAR(t.points[1].altitude()->ft(), 3000.0, 0.01);
    EXPECT_NEAR(t.points[1].ground_speed()->kt(), 250.0, 1e-3);
    EXPECT_EQ(t.points[1].on_ground(), OnGround::airborne);
    EXPECT_EQ(t.aircraft.registration, "A6-FDN");
    EXPECT_TRUE(has_diagnostic(r, "fr24_route.kml", 24, "repeat an earlier timestamp"));
    EXPECT_EQ(r.rows_skipped, 1u);
}

TEST(Fr24KmlInvalid, TruncatedXmlKeepsEarlierFixes) {
    const auto r = load_test_file("invalid/text/fr24_truncated.kml");
    EXPECT_TRUE(has_diagnostic(r, "fr24_truncated.kml", 23, "XML is not well-formed: unclosed CDATA section"));
    EXPECT_EQ(r.diagnostics.size(), 1u) << all_diagnostics(r);  // the cut-off placemark is not reported again
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].points.size(), 2u);
}

TEST(Fr24KmlInvalid, Latin1BytesInUtf8Document) {
    const auto msg = load_error("invalid/text/fr24_latin1.kml");
    EXPECT_TRUE(error_names(msg, "fr24_latin1.kml", 4, "not well-formed"));
}

TEST(Fr24KmlInvalid, EmptyFile) {
    const auto r = io::detail::load_fr24_kml("fr24_empty.kml", "");
    EXPECT_TRUE(has_diagnostic(r, "fr24_empty.kml", 1, "no element found"));
    const auto msg = load_error("invalid/text/fr24_empty.kml", io::Format::fr24_kml);
    EXPECT_TRUE(error_names(msg, "fr24_empty.kml", 1, "no usable track point"));
}

TEST(Fr24KmlInvalid, BadValuesEachReported) {
    const auto msg = load_error("invalid/text/fr24_bad_values.kml");
    EXPECT_TRUE(error_names(msg, "fr24_bad_values.kml", 7, "out of range (longitude first"));
    const auto r = io::detail::load_fr24_kml("fr24_bad_values.kml",
                                             R"(<kml><Document><Folder><name>Route</name>
<Placemark><TimeStamp><when>2016-03-18T18:20:47+00:00</when></TimeStamp><Point><coordinates>25.2619,155.362,0</coordinates></Point></Placemark>
<Placemark><TimeStamp><when>yesterday</when></TimeStamp><Point><coordinates>55.362,25.2619,0</coordinates></Point></Placemark>
<Placemark><TimeStamp><when>2016-03-18T18:21:47+00:00</when></TimeStamp><Point><coordinates>NaN,25.2619,0</coordinates></Point></Placemark>
<Placemark><TimeStamp><when>2016-03-18T18:22:47+00:00</when></TimeStamp><Point><coordinates>55.362,25.2619,1e300</coordinates></Point></Placemark>
</Folder></Document></kml>)");
    EXPECT_TRUE(has_diagnostic(r, "fr24_bad_values.kml", 2, "out of range"));
    EXPECT_TRUE(has_diagnostic(r, "fr24_bad_values.kml", 3, "<when> 'yesterday' is not an ISO 8601 time"));
    EXPECT_TRUE(has_diagnostic(r, "fr24_bad_values.kml", 4, "out of range"));
    EXPECT_TRUE(has_diagnostic(r, "fr24_bad_values.kml", 5, "altitude"));
    EXPECT_EQ(r.rows_skipped, 4u);
    EXPECT_TRUE(r.tracks.empty());
}

TEST(Fr24KmlInvalid, ReversedAndDuplicatedTimes) {
    const auto r = load_test_file("invalid/text/fr24_reversed_dups.kml");
    EXPECT_TRUE(has_diagnostic(r, "fr24_reversed_dups.kml", 6, "out of time order"));
    EXPECT_TRUE(has_diagnostic(r, "fr24_reversed_dups.kml", 7, "repeat an earlier timestamp"));
    ASSERT_EQ(r.tracks.size(), 1u);
    ASSERT_EQ(r.tracks[0].points.size(), 2u);
    EXPECT_LT(r.tracks[0].points[0].time(), r.tracks[0].points[1].time());
}

TEST(Fr24KmlInvalid, GxTrackFileForcedAsFr24) {
    const auto msg = load_error("valid/text/gx_track.kml", io::Format::fr24_kml);
    EXPECT_TRUE(error_names(msg, "gx_track.kml", 2, "no <Folder> named 'Route'"));
}
