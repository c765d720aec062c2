#include <gtest/gtest.h>

#include "io/loader.hpp"
#include "text_loader_test_util.hpp"

using namespace fr;
using namespace fr::test;

TEST(Igc, RealSkyDollyExample) {
    const auto path = shared_data("till213-SkyDolly/2022-01-31-XYY-EXAMPLE-02.IGC");
    FR_REQUIRE_SHARED(path);
    EXPECT_EQ(io::detect_format(path), io::Format::igc);
    const auto r = io::load_file(path);
    ASSERT_EQ(r.tracks.size(), 1u);
    const auto& t = r.tracks[0];
    EXPECT_EQ(t.aircraft.callsign, "B21");         // HFCID competition id
    EXPECT_EQ(t.aircraft.registration, "G_CKPM");  // HFGID glider id, as written
    EXPECT_EQ(t.aircraft.type, "LS_8-18");
    ASSERT_EQ(t.points.size(), 1144u);
    EXPECT_EQ(format_iso8601(t.points.front().time()), "2009-08-25T10:49:15Z");
    EXPECT_EQ(format_iso8601(t.points.back().time()), "2009-08-25T13:57:28Z");
    // B1049155210978N00006639WA0011400065: 52°10.978'N 0°06.639'W, pressure altitude 114 m.
    EXPECT_NEAR(t.points.front().lat_deg(), 52.0 + 10.978 / 60.0, 1e-9);
    EXPECT_NEAR(t.points.front().lon_deg(), -(6.639 / 60.0), 1e-9);
    EXPECT_NEAR(t.points.front().altitude()->m(), 114.0, 1e-3);
    EXPECT_TRUE(r.diagnostics.empty()) << all_diagnostics(r);
}

TEST(Igc, RealNewZealandCrossesUtcMidnight) {
    const auto path = shared_data("marcin-osowski-igc_lib/new_zealand.igc");
    FR_REQUIRE_SHARED(path);
    const auto r = io::load_file(path);
    ASSERT_EQ(r.tracks.size(), 1u);
    const auto& t = r.tracks[0];
    ASSERT_EQ(t.points.size(), 5367u);
    EXPECT_EQ(format_iso8601(t.points.front().time()), "2009-11-06T23:48:08Z");
    EXPECT_EQ(format_iso8601(t.points.back().time()), "2009-11-07T04:08:30Z");  // next day
    EXPECT_LT(t.points.front().lat_deg(), 0.0);                                 // S
    EXPECT_GT(t.points.front().lon_deg(), 176.0);                               // E
    for (std::size_t i = 1; i < t.points.size(); ++i) ASSERT_LT(t.points[i - 1].time(), t.points[i].time()) << i;
    EXPECT_TRUE(r.diagnostics.empty()) << all_diagnostics(r);
}

TEST(Igc, RealIgcLibFiles) {
    struct Case {
        const char* file;
        std::size_t points;
        const char* first;
        const char* last;
    };
    for (const Case c : {Case{"napret.igc", 5380, "2016-04-03T12:00:00Z", "2016-04-03T13:29:39Z"},
                         Case{"olsztyn.igc", 2469, "2011-09-02T10:16:43Z", "2011-09-02T15:12:42Z"},
                         // no A record: starts with HFDTE; one repeated timestamp in the log
                         Case{"flight_with_middle_landing.igc", 14818, "2019-03-09T11:23:18Z", "2019-03-09T15:36:32Z"}}) {
        const auto path = shared_data(std::string("marcin-osowski-igc_lib/") + c.file);
        FR_REQUIRE_SHARED(path);
        const auto r = io::load_file(path);
        ASSERT_EQ(r.tracks.size(), 1u) << c.file;
        EXPECT_EQ(r.tracks[0].points.size(), c.points) << c.file;
        EXPECT_EQ(format_iso8601(r.tracks[0].points.front().time()), c.first) << c.file;
        EXPECT_EQ(format_iso8601(r.tracks[0].points.back().time()), c.last) << c.file;
    }
}

TEST(Igc, NewDateFormRolloverExtensionsAndHemispheres) {
    const auto r = load_test_file("valid/text/new_date_rollover.igc");
    EXPECT_EQ(r.format, io::Format::igc);
    ASSERT_EQ(r.tracks.size(), 1u);
    const auto& t = r.tracks[0];
    EXPECT_EQ(t.aircraft.callsign, "XY");
    EXPECT_EQ(t.aircraft.registration, "D-1234");
    EXPECT_EQ(t.aircraft.type, "ASK 21");
    ASSERT_EQ(t.points.size(), 3u);
    EXPECT_EQ(format_iso8601(t.points[0].time()), "2021-12-31T23:59:58Z");
    EXPECT_EQ(format_iso8601(t.points[1].time()), "2022-01-01T00:00:08Z");  // rolled over into the new year
    EXPECT_NEAR(t.points[1].lat_deg(), -(47.0 + 0.1 / 60.0), 1e-9);
    EXPECT_NEAR(t.points[1].lon_deg(), -(8.0 + 0.1 / 60.0), 1e-9);
    EXPECT_NEAR(t.points[0].altitude()->m(), 1000.0, 1e-3);  // pressure altitude preferred over GNSS 1050
    EXPECT_NEAR(t.points[2].altitude()->m(), -10.0, 1e-3);   // signed pressure altitude
    EXPECT_NEAR(t.points[0].track()->deg(), 90.0, 1e-9);     // TRT extension from the I record
    EXPECT_NEAR(t.points[1].track()->deg(), 95.0, 1e-9);
}

TEST(IgcInvalid, NoHfdte) {
    const auto msg = load_error("invalid/text/igc_no_hfdte.igc");
    EXPECT_TRUE(error_names(msg, "igc_no_hfdte.igc", 1, "no HFDTE date header"));
}

TEST(IgcInvalid, BadBRecords) {
    const auto r = load_test_file("invalid/text/igc_bad_b.igc");
    EXPECT_TRUE(has_diagnostic(r, "igc_bad_b.igc", 3, "B record is 30 bytes, expected at least 35"));
    EXPECT_TRUE(has_diagnostic(r, "igc_bad_b.igc", 4, "latitude '5261978N' is not DDMMmmm"));
    EXPECT_TRUE(has_diagnostic(r, "igc_bad_b.igc", 5, "fix validity 'X' is not A or V"));
    EXPECT_TRUE(has_diagnostic(r, "igc_bad_b.igc", 6, "time '256135' is not HHMMSS"));
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].points.size(), 1u);
    EXPECT_EQ(r.rows_skipped, 4u);
}

TEST(IgcInvalid, BomAndCrlf) {
    const auto r = load_test_file("invalid/text/igc_bom_crlf.igc");
    EXPECT_TRUE(has_diagnostic(r, "igc_bom_crlf.igc", 4, "longitude '00006639Q' is not DDDMMmmm followed by E or W"));
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].points.size(), 2u);
}

TEST(IgcInvalid, ReversedRecordsAreSortedAndReported) {
    const auto r = load_test_file("invalid/text/igc_reversed.igc");
    EXPECT_TRUE(has_diagnostic(r, "igc_reversed.igc", 4, "out of time order"));
    ASSERT_EQ(r.tracks.size(), 1u);
    ASSERT_EQ(r.tracks[0].points.size(), 3u);
    EXPECT_EQ(format_iso8601(r.tracks[0].points[0].time()), "2009-08-25T10:49:15Z");  // not a day later
}

TEST(IgcInvalid, ImpossibleDate) {
    const auto msg = load_error("invalid/text/igc_bad_date.igc");
    EXPECT_TRUE(error_names(msg, "igc_bad_date.igc", 2, "HFDTE date '310209' is not a calendar date"));
}

TEST(IgcInvalid, EmptyText) {
    const auto r = io::detail::load_igc("empty.igc", "");
    EXPECT_TRUE(has_diagnostic(r, "empty.igc", 1, "empty file"));
}
