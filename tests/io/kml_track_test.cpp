#include <gtest/gtest.h>

#include "io/loader.hpp"
#include "text_loader_test_util.hpp"

using namespace fr;
using namespace fr::test;

TEST(KmlTrack, RealFlightAwareDLH1534) {
    const auto path = shared_data("till213-SkyDolly/FlightAware_DLH1534_LSZH_EDDF_20210817.kml");
    FR_REQUIRE_SHARED(path);
    EXPECT_EQ(io::detect_format(path), io::Format::kml_track);
    const auto r = io::load_file(path);
    ASSERT_EQ(r.tracks.size(), 1u);  // the two airport pins are not tracks
    const auto& t = r.tracks[0];
    EXPECT_EQ(t.aircraft.callsign, "DLH1534");
    ASSERT_EQ(t.points.size(), 87u);
    EXPECT_EQ(format_iso8601(t.points.front().time()), "2021-08-17T12:43:24Z");
    EXPECT_EQ(format_iso8601(t.points.back().time()), "2021-08-17T13:19:29Z");
    EXPECT_NEAR(t.points.back().lat_deg(), 50.04239, 1e-9);  // gx:coord is "lon lat alt"
    EXPECT_NEAR(t.points.back().lon_deg(), 8.57542, 1e-9);
    EXPECT_NEAR(t.points.back().altitude()->m(), 53.0, 1e-3);  // metres
    EXPECT_TRUE(r.diagnostics.empty()) << all_diagnostics(r);
}

TEST(KmlTrack, PlacemarksOfOneAircraftMergeWithAnglesAndLegs) {
    const auto r = load_test_file("valid/text/gx_track.kml");
    EXPECT_EQ(r.format, io::Format::kml_track);
    ASSERT_EQ(r.tracks.size(), 1u);
    const auto& t = r.tracks[0];
    EXPECT_EQ(t.aircraft.callsign, "D-AIUP");
    ASSERT_EQ(t.points.size(), 5u);
    EXPECT_NEAR(t.points[1].track()->deg(), 95.0, 1e-9);
    EXPECT_FALSE(t.points[2].track().has_value());
    EXPECT_FALSE(t.points[1].new_leg());
    EXPECT_TRUE(t.points[2].new_leg());  // second gx:Track starts a new leg
    EXPECT_NEAR(t.points[4].altitude()->m(), 1000.0, 1e-3);
    EXPECT_TRUE(r.diagnostics.empty()) << all_diagnostics(r);
}

TEST(KmlTrackInvalid, CountMismatch) {
    const auto r = load_test_file("invalid/text/gx_mismatch.kml");
    EXPECT_TRUE(has_diagnostic(r, "gx_mismatch.kml", 5, "gx:Track has 3 <when> but 2 <gx:coord>"));
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].points.size(), 2u);
}

TEST(KmlTrackInvalid, NegativeAndEpochZeroTimesAndCommaCoords) {
    const auto msg = load_error("invalid/text/gx_bad_times.kml");
    EXPECT_TRUE(error_names(msg, "gx_bad_times.kml", 6, "outside 1990..2100"));
    const auto r = io::detail::load_kml_track("gx_bad_times.kml", R"(<kml><Placemark><gx:Track>
<when>1970-01-01T00:00:00Z</when>
<when>-001-08-17T12:43:40Z</when>
<when>2021-08-17T12:43:56Z</when>
<gx:coord>8.5 47.4 430</gx:coord><gx:coord>8.6 47.5 530</gx:coord><gx:coord>8.7,47.6,630</gx:coord>
</gx:Track></Placemark></kml>)");
    EXPECT_TRUE(has_diagnostic(r, "gx_bad_times.kml", 2, "'1970-01-01T00:00:00Z' is outside 1990..2100"));
    EXPECT_TRUE(has_diagnostic(r, "gx_bad_times.kml", 3, "is not an ISO 8601 time"));
    EXPECT_TRUE(has_diagnostic(r, "gx_bad_times.kml", 5, "'8.7,47.6,630' is not 'lon lat [alt]'"));
}

TEST(KmlTrackInvalid, KmlWithoutTrackIsRejectedByDetectionAndLoader) {
    const auto msg = load_error("invalid/text/kml_no_track.kml");
    EXPECT_TRUE(error_names(msg, "kml_no_track.kml", 1, "neither a <Folder><name>Route</name>"));
    const auto forced = load_error("invalid/text/kml_no_track.kml", io::Format::kml_track);
    EXPECT_TRUE(error_names(forced, "kml_no_track.kml", 2, "no <gx:Track> inside any <Placemark>"));
}
