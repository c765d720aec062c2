#include <gtest/gtest.h>

#include "io/loader.hpp"
#include "text_loader_test_util.hpp"

using namespace fr;
using namespace fr::test;

TEST(Gpx, TrackWithSegments) {
    const auto r = load_test_file("valid/text/track.gpx");
    EXPECT_EQ(r.format, io::Format::gpx);
    ASSERT_EQ(r.tracks.size(), 1u);
    const auto& t = r.tracks[0];
    EXPECT_EQ(t.aircraft.callsign, "HBABC");
    ASSERT_EQ(t.points.size(), 3u);                         // the waypoint is not a fix
    EXPECT_NEAR(t.points[0].altitude()->m(), 500.5, 1e-3);  // <ele> is metres
    EXPECT_FALSE(t.points[2].altitude().has_value());
    EXPECT_TRUE(t.points[2].new_leg());
    EXPECT_FALSE(t.points[1].new_leg());
    EXPECT_EQ(format_iso8601(t.points[1].time()), "2021-08-17T12:00:05Z");
    EXPECT_TRUE(r.diagnostics.empty()) << all_diagnostics(r);
}

TEST(GpxInvalid, Truncated) {
    const auto r = load_test_file("invalid/text/gpx_truncated.gpx");
    EXPECT_TRUE(has_diagnostic(r, "gpx_truncated.gpx", 7, "XML is not well-formed"));
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].points.size(), 1u);
}

TEST(GpxInvalid, BadValues) {
    const auto msg = load_error("invalid/text/gpx_bad_values.gpx");
    EXPECT_TRUE(error_names(msg, "gpx_bad_values.gpx", 4, "out of range"));
    const auto r = io::detail::load_gpx("gpx_bad_values.gpx", R"(<gpx><trk><trkseg>
<trkpt lat="95.0" lon="8.1"><time>2021-08-17T12:00:00Z</time></trkpt>
<trkpt lon="8.1"><time>2021-08-17T12:00:01Z</time></trkpt>
<trkpt lat="47.0" lon="8.1"><ele>NaN</ele><time>2021-08-17T12:00:02Z</time></trkpt>
<trkpt lat="47.0" lon="8.1"><ele>12</ele></trkpt>
<trkpt lat="47.0" lon="8.1"><time>2021-08-17 noon</time></trkpt>
</trkseg></trk></gpx>)");
    EXPECT_TRUE(has_diagnostic(r, "gpx_bad_values.gpx", 2, "lat '95.0' lon '8.1' out of range"));
    EXPECT_TRUE(has_diagnostic(r, "gpx_bad_values.gpx", 3, "attribute lat missing"));
    EXPECT_TRUE(has_diagnostic(r, "gpx_bad_values.gpx", 4, "<ele> 'NaN'"));
    EXPECT_TRUE(has_diagnostic(r, "gpx_bad_values.gpx", 5, "has no <time>"));
    EXPECT_TRUE(has_diagnostic(r, "gpx_bad_values.gpx", 6, "'2021-08-17 noon' is not an ISO 8601 time"));
    EXPECT_EQ(r.rows_skipped, 5u);
}

TEST(GpxInvalid, WrongRoot) {
    const auto msg = load_error("invalid/text/gpx_wrong_root.gpx", io::Format::gpx);
    EXPECT_TRUE(error_names(msg, "gpx_wrong_root.gpx", 2, "root element is <gpxx>, expected <gpx>"));
}

TEST(GpxInvalid, BomAndCrlfKeepLineNumbers) {
    const auto r = load_test_file("invalid/text/gpx_bom_crlf.gpx");
    EXPECT_TRUE(has_diagnostic(r, "gpx_bom_crlf.gpx", 4, "lon '200' out of range"));
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].points.size(), 1u);
}
