// fr24 playback CSV and FlightRadarAPI trail loaders (src/io/formats/fr24_community.cpp).
#include <gtest/gtest.h>

#include "io/loader.hpp"
#include "text_loader_test_util.hpp"

using namespace fr;
using fr::test::has_diagnostic;
using fr::test::load_test_file;

TEST(Fr24PlaybackCsv, ReadsUnits) {
    const auto r = load_test_file("valid/text/fr24_playback_3376ab31.csv");
    EXPECT_EQ(r.format, io::Format::fr24_playback_csv);
    EXPECT_TRUE(r.diagnostics.empty()) << fr::test::all_diagnostics(r);
    ASSERT_EQ(r.tracks.size(), 1u);
    const auto& p = r.tracks[0].points;
    ASSERT_EQ(p.size(), 4u);
    EXPECT_EQ(format_iso8601(p[0].time()), "2024-01-02T07:22:55Z");
    EXPECT_EQ(p[0].on_ground(), OnGround::ground);
    EXPECT_NEAR(p[2].altitude()->m(), 2450 * 0.3048, 1e-3);
    EXPECT_NEAR(p[2].ground_speed()->kt(), 168.0, 1e-3);
    EXPECT_NEAR(p[3].track()->deg(), 170.0, 1e-4);
}

TEST(Fr24PlaybackCsv, BadRowsNamed) {
    const auto r = load_test_file("invalid/text/fr24_playback_bad.csv");
    const std::string f = "fr24_playback_bad.csv";
    EXPECT_TRUE(has_diagnostic(r, f, 3, "timestamp 'yesterday' is not a number"));
    EXPECT_TRUE(has_diagnostic(r, f, 4, "position '92.94762'"));
    EXPECT_TRUE(has_diagnostic(r, f, 4, f + ":4:2:"));  // field 2, latitude
    EXPECT_TRUE(has_diagnostic(r, f, 5, "ground_speed '1700' is not a ground speed in knots"));
    EXPECT_TRUE(has_diagnostic(r, f, 5, f + ":5:5:"));
    EXPECT_TRUE(has_diagnostic(r, f, 6, "expected 8 fields, found 5"));
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].points.size(), 2u);
}

TEST(Fr24Trail, NewestFirstIsReversedSilently) {
    const auto r = load_test_file("valid/json/fr24_trail_CPA830.json");
    EXPECT_EQ(r.format, io::Format::fr24_trail);
    EXPECT_TRUE(r.diagnostics.empty()) << fr::test::all_diagnostics(r);
    ASSERT_EQ(r.tracks.size(), 1u);
    // The same fixes as the FR24 API file of the same leg.
    const auto api = load_test_file("valid/json/fr24api_tracks_CPA830.json").tracks.at(0);
    const auto& t = r.tracks[0].points;
    ASSERT_EQ(t.size(), api.points.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
        EXPECT_EQ(t[i].time(), api.points[i].time()) << i;
        EXPECT_NEAR(t[i].lat_deg(), api.points[i].lat_deg(), 1e-9) << i;
        EXPECT_NEAR(t[i].altitude()->m(), api.points[i].altitude()->m(), 1e-6) << i;
    }
}

TEST(Fr24Trail, BadPointsNamed) {
    const auto r = load_test_file("invalid/json/fr24_trail_bad.json");
    const std::string f = "fr24_trail_bad.json";
    EXPECT_TRUE(has_diagnostic(r, f, 2, "$[1].ts"));
    EXPECT_TRUE(has_diagnostic(r, f, 3, "trail point is '\"not a point\"', not an object"));
    EXPECT_TRUE(has_diagnostic(r, f, 4, "out of range"));
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].points.size(), 2u);
}
