#include <gtest/gtest.h>

#include "core/timeline.hpp"

using namespace fr;
using namespace std::chrono_literals;

namespace {
const TimePoint t0 = *parse_iso8601("2023-07-31T18:00:00Z");
}

TEST(Timeline, PlaysAtSpeedWithoutHolds) {
    auto tl = Timeline::at_speed(t0, t0 + 1h, {}, 600.0, {.hold_s = 2.0, .end_s = 1.0});
    EXPECT_DOUBLE_EQ(tl.video_duration_s(), 3600.0 / 600.0 + 1.0);
    EXPECT_EQ(tl.replay_time(0), t0);
    EXPECT_EQ(tl.replay_time(3.0), t0 + 30min);
    EXPECT_EQ(tl.replay_time(6.5), t0 + 1h);  // end hold shows the final state
    EXPECT_EQ(tl.replay_time(100), t0 + 1h);  // clamped
}

TEST(Timeline, CompressesAStopIntoAHold) {
    // 1 h flying, 36 h on the ground, 1 h flying.
    std::vector<Hold> holds{{t0 + 1h, t0 + 37h, "On ground"}};
    auto tl = Timeline::at_speed(t0, t0 + 38h, holds, 600.0, {.hold_s = 2.0, .end_s = 1.0});
    EXPECT_DOUBLE_EQ(tl.video_duration_s(), 6.0 + 2.0 + 6.0 + 1.0);
    EXPECT_EQ(tl.replay_time(6.0), t0 + 1h);
    EXPECT_EQ(tl.replay_time(7.0), t0 + 19h);  // halfway through the hold: clock fast-forwards
    EXPECT_EQ(tl.segment_at(7.0).kind, SegmentKind::hold);
    EXPECT_EQ(tl.segment_at(7.0).caption, "On ground");
    EXPECT_EQ(tl.replay_time(8.0), t0 + 37h);
    EXPECT_EQ(tl.replay_time(11.0), t0 + 37h + 30min);
    EXPECT_NEAR(tl.video_time(t0 + 37h + 30min), 11.0, 1e-9);  // seconds of video
}

TEST(Timeline, FitsATotalDuration) {
    std::vector<Hold> holds{{t0 + 8h, t0 + 44h, "stop"}};
    auto tl = Timeline::fit(t0, t0 + 52h, holds, 20.0, {.hold_s = 2.0, .end_s = 1.0});
    EXPECT_NEAR(tl.video_duration_s(), 20.0, 1e-9);
    EXPECT_NEAR(tl.speed(), 16.0 * 3600.0 / 17.0, 1e-6);  // 16 h of flying in 17 s of video
}

TEST(Timeline, MergesOverlappingHoldsAndClips) {
    std::vector<Hold> holds{{t0 - 1h, t0 + 1h, "a"}, {t0 + 30min, t0 + 2h, "b"}};
    auto tl = Timeline::at_speed(t0, t0 + 3h, holds, 60.0, {});
    int nholds = 0;
    for (const auto& s : tl.segments()) nholds += s.kind == SegmentKind::hold;
    EXPECT_EQ(nholds, 1);
    EXPECT_EQ(tl.segments().front().replay_end, t0 + 2h);
}

TEST(Timeline, RejectsBadInput) {
    EXPECT_THROW(Timeline::at_speed(t0, t0, {}, 1.0, {}), std::invalid_argument);
    EXPECT_THROW(Timeline::at_speed(t0, t0 + 1h, {}, 0.0, {}), std::invalid_argument);
    EXPECT_THROW(Timeline::fit(t0, t0 + 1h, {{t0, t0 + 30min, "x"}}, 2.5, {.hold_s = 2.0, .end_s = 1.0}), std::invalid_argument);
}
