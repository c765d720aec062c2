// Local time beside UTC (--tz): the ported tz-lookup grid against the npm package's answers,
// the airports' zone table, and stop-card times across a daylight-saving change.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "render/local_time.hpp"

using namespace fr;

TEST(TzLookup, MatchesTheNpmPackage) {
    // Answers of tz-lookup 6.1.25 in Node for the same points (degrees).
    struct Case {
        double lat, lon;
        const char* zone;
    };
    for (const auto& c : {Case{42.7235, -73.6931, "America/New_York"}, Case{37.5665, 126.978, "Asia/Seoul"},
                          Case{-33.87, 151.21, "Australia/Sydney"}, Case{30, -40, "Etc/GMT+3"}, Case{52.3, 4.76, "Europe/Amsterdam"},
                          Case{64.5, 177.7, "Asia/Anadyr"}, Case{-77.8, 166.7, "Antarctica/McMurdo"}, Case{39.2, 125.67, "Asia/Pyongyang"}})
        EXPECT_EQ(render::tz_lookup(*LatLon::checked(c.lat, c.lon)), c.zone) << c.lat << "," << c.lon;
}

TEST(AirportTimeZone, FromTheGeoTzTable) {
    EXPECT_EQ(render::airport_time_zone("ZKPY"), "Asia/Pyongyang");
    EXPECT_EQ(render::airport_time_zone("UUMU"), "Europe/Moscow");
    EXPECT_EQ(render::airport_time_zone("KMSP"), "America/Chicago");
    EXPECT_EQ(render::airport_time_zone("EHAM"), "Europe/Amsterdam");
    EXPECT_FALSE(render::airport_time_zone("ZZZZ"));
}

TEST(LocalTime, StopCardAcrossTheUsDaylightSavingChange) {
    // A stop at Minneapolis (KMSP) over the night US clocks went forward: Sunday 2023-03-12,
    // 02:00 CST -> 03:00 CDT. 18:00Z is 12:00 CST before and 13:00 CDT after.
    analysis::Stop s;
    s.airport = analysis::AirportRef{"KMSP", "MSP", "Minneapolis-St Paul International/Wold-Chamberlain Airport",
                                     *LatLon::checked(44.882, -93.2218)};
    s.position = s.airport->position;
    s.start = *parse_iso8601("2023-03-11T18:00:00Z");
    s.end = *parse_iso8601("2023-03-13T18:00:00Z");
    const render::LocalTime automatic("auto");
    EXPECT_EQ(automatic.stop_times(s, true), "arrived 2023-03-11 18:00Z / 12:00 CST\ndeparted 2023-03-13 18:00Z / 13:00 CDT");
    EXPECT_EQ(automatic.stop_times(s, false), "arrived 2023-03-11 18:00Z / 12:00 CST");
    // A fixed zone applies everywhere; without --tz only UTC.
    EXPECT_EQ(render::LocalTime("Asia/Seoul").stop_times(s, false), "arrived 2023-03-11 18:00Z / 03:00 KST (+1d)");
    EXPECT_EQ(render::LocalTime("utc").stop_times(s, true), "arrived 2023-03-11 18:00Z\ndeparted 2023-03-13 18:00Z");
}

TEST(LocalTime, Rff7203ArrivalInPyongyangTime) {
    analysis::Stop s;
    s.airport = analysis::AirportRef{"ZKPY", "FNJ", "Pyongyang Sunan International Airport", *LatLon::checked(39.2241, 125.67)};
    s.start = *parse_iso8601("2023-08-01T01:05:00Z");
    s.end = *parse_iso8601("2023-08-02T13:20:00Z");
    EXPECT_EQ(render::LocalTime("auto").stop_times(s, true),
              "arrived 2023-08-01 01:05Z / 10:05 KST\ndeparted 2023-08-02 13:20Z / 22:20 KST");
    EXPECT_EQ(render::format_local(s.start, "Europe/Moscow", true), "04:05:00 MSK");
    EXPECT_EQ(render::local_day_offset(*parse_iso8601("2023-08-01T20:00:00Z"), "Asia/Pyongyang"), 1);
    EXPECT_EQ(render::local_day_offset(*parse_iso8601("2023-08-01T03:00:00Z"), "America/Chicago"), -1);
}

TEST(LocalTime, UnknownZoneIsAUsageError) {
    EXPECT_THROW(render::check_tz_option("Mars/Olympus_Mons"), UsageError);
    EXPECT_NO_THROW(render::check_tz_option("auto"));
    EXPECT_NO_THROW(render::check_tz_option("utc"));
    EXPECT_NO_THROW(render::check_tz_option("Asia/Seoul"));
}
