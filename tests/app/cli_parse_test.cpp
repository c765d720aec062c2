#include <gtest/gtest.h>

#include "app/cli.hpp"
#include "app/render_command.hpp"
#include "core/error.hpp"

using namespace fr;

TEST(Cli, ParsesSizeSpeedFrames) {
    EXPECT_EQ(app::parse_size("1920x1080"), std::make_pair(1920, 1080));
    EXPECT_THROW(app::parse_size("1920*1080"), UsageError);
    EXPECT_DOUBLE_EQ(app::parse_speed("600x"), 600.0);
    EXPECT_DOUBLE_EQ(app::parse_speed("2.5"), 2.5);
    EXPECT_THROW(app::parse_speed("-3x"), UsageError);
    auto [n, slice] = app::parse_frames("300");
    EXPECT_EQ(n, 300);
    EXPECT_FALSE(slice);
    auto [n2, slice2] = app::parse_frames("100:200");
    EXPECT_FALSE(n2);
    EXPECT_EQ(slice2->first, 100);
    EXPECT_EQ(slice2->second, 200);
    EXPECT_THROW(app::parse_frames("200:100"), UsageError);
}

TEST(Cli, BboxAcrossTheAntimeridian) {
    auto b = app::parse_bbox("100,10,250,60");
    EXPECT_DOUBLE_EQ(b.lon_span(), 150.0);       // degrees
    auto c = app::parse_bbox("100,10,-110,60");  // lon_max < lon_min: crosses 180
    EXPECT_DOUBLE_EQ(c.lon_span(), 150.0);
    EXPECT_THROW(app::parse_bbox("0,95,10,96"), UsageError);
    EXPECT_THROW(app::parse_bbox("0,1,2"), UsageError);
}

TEST(Cli, ExtentAndTimes) {
    auto e = app::parse_extent("-1000,-500,1000,500");
    EXPECT_DOUBLE_EQ(e.width(), 2000.0);
    EXPECT_THROW(app::parse_extent("1,1,0,0"), UsageError);
    const TimePoint start = *parse_iso8601("2023-07-31T15:00:00Z");
    EXPECT_EQ(app::parse_time_arg("+13h20m", start), *parse_iso8601("2023-08-01T04:20:00Z"));
    EXPECT_EQ(app::parse_time_arg("2023-08-01T05:11:31Z", start), *parse_iso8601("2023-08-01T05:11:31Z"));
    EXPECT_THROW(app::parse_time_arg("yesterday", start), UsageError);
}
