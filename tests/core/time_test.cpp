#include <gtest/gtest.h>

#include "core/time.hpp"

using namespace fr;
using namespace std::chrono_literals;

TEST(Time, ParsesIsoWithZ) {
    auto t = parse_iso8601("2023-08-01T05:11:31Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->time_since_epoch().count(), 1690866691000LL);  // date -u -d 2023-08-01T05:11:31Z +%s
}

TEST(Time, ParsesOffsetsAndMillis) {
    EXPECT_EQ(*parse_iso8601("2016-03-18T18:20:47+00:00"), *parse_iso8601("2016-03-18T18:20:47Z"));
    EXPECT_EQ(*parse_iso8601("2016-03-18T20:20:47+02:00"), *parse_iso8601("2016-03-18T18:20:47Z"));
    EXPECT_EQ((*parse_iso8601("2024-07-04T08:31:30.250Z") - *parse_iso8601("2024-07-04T08:31:30Z")).count(), 250);
    EXPECT_EQ(*parse_iso8601("2016-03-18 18:20:47 UTC"), *parse_iso8601("2016-03-18T18:20:47Z"));
}

TEST(Time, RejectsMalformed) {
    for (const char* bad : {"", "2023-13-01T00:00:00Z", "2023-02-30T00:00:00Z", "2023-08-01T24:00:00Z", "2023-08-01T05:11:31Zjunk",
                            "2023/08/01 05:11:31", "2023-08-01T05:11:3Z", "2023-08-01T05:11:31."})
        EXPECT_FALSE(parse_iso8601(bad)) << bad;
}

TEST(Time, FormatsRoundTrip) {
    const auto t = from_unix_seconds(1690866691.0);
    EXPECT_EQ(format_iso8601(t), "2023-08-01T05:11:31Z");
    EXPECT_EQ(*parse_iso8601(format_iso8601(t)), t);
    EXPECT_EQ(format_iso8601(t + 5ms, true), "2023-08-01T05:11:31.005Z");
}

TEST(Time, FormatsEveryFieldWithItsLeadingZeros) {
    // The digits are written without printf: each field at its smallest and largest.
    EXPECT_EQ(format_iso8601(from_unix_seconds(0.0)), "1970-01-01T00:00:00Z");
    EXPECT_EQ(format_iso8601(*parse_iso8601("2099-12-31T23:59:59Z")), "2099-12-31T23:59:59Z");
    const TimePoint y999{(std::chrono::sys_days{std::chrono::year{999} / 9 / 9} + 9h + 9min + 9s).time_since_epoch()};
    EXPECT_EQ(format_iso8601(y999), "0999-09-09T09:09:09Z");
    EXPECT_EQ(format_iso8601(from_unix_seconds(-1.5), true), "1969-12-31T23:59:58.500Z");
    // Outside 0..9999 the year is written as printf's %04d would.
    const TimePoint far{std::chrono::sys_days{std::chrono::year{10000} / 1 / 2}.time_since_epoch()};
    EXPECT_EQ(format_iso8601(far), "10000-01-02T00:00:00Z");
    std::string appended = "at ";
    append_iso8601(appended, from_unix_seconds(1690866691.25), true);
    EXPECT_EQ(appended, "at 2023-08-01T05:11:31.250Z");
}

TEST(Time, FormatsDurations) {
    EXPECT_EQ(format_duration(36h + 4min), "36 h 04 min");
    EXPECT_EQ(format_duration(25min + 20s), "25 min");
    EXPECT_EQ(format_duration(25min + 30s), "26 min");  // nearest minute, half up
    EXPECT_EQ(format_duration(42s), "42 s");
    EXPECT_EQ(format_duration(0s), "0 s");
    EXPECT_EQ(format_duration(1h), "1 h 00 min");
    EXPECT_EQ(format_duration(10h + 59min), "10 h 59 min");
    EXPECT_EQ(format_duration(59min + 40s), "1 h 00 min");
    EXPECT_EQ(format_duration(-(2h + 5min)), "-2 h 05 min");
    EXPECT_EQ(format_duration(-42s), "-42 s");
}

TEST(Time, FormatsReadableSpans) {
    const TimePoint a = *parse_iso8601("2023-07-31T15:02:59Z");
    // Days apart: both dates, minutes rounded down, the length in days and hours.
    EXPECT_EQ(format_time_span(a, *parse_iso8601("2023-08-02T23:41:10Z")), "31 Jul 2023 15:02Z - 2 Aug 2023 23:41Z (2 d 9 h)");
    EXPECT_EQ(format_time_span(a, a + 72h), "31 Jul 2023 15:02Z - 3 Aug 2023 15:02Z (3 d)");
    // Within one UTC day: the date once; below a day the length as format_duration.
    EXPECT_EQ(format_time_span(a, a + 3h + 18min), "31 Jul 2023 15:02Z - 18:20Z (3 h 18 min)");
    // Across midnight and a year end.
    EXPECT_EQ(format_time_span(*parse_iso8601("2023-12-31T23:30:00Z"), *parse_iso8601("2024-01-01T00:10:00Z")),
              "31 Dec 2023 23:30Z - 1 Jan 2024 00:10Z (40 min)");
    EXPECT_EQ(format_time_span(a + 1h, a), "31 Jul 2023 16:02Z - 15:02Z (-1 h 00 min)");
}

TEST(Time, ParsesOffsets) {
    EXPECT_EQ(*parse_offset("+13h20m"), Duration{(13 * 3600 + 20 * 60) * 1000});
    EXPECT_EQ(*parse_offset("90s"), Duration{90'000});
    EXPECT_EQ(*parse_offset("-1d"), Duration{-86'400'000});
    EXPECT_FALSE(parse_offset("13"));
    EXPECT_FALSE(parse_offset("+h"));
    EXPECT_FALSE(parse_offset("5x"));
}
