// The window's clock and view maths, without a display.
#include <gtest/gtest.h>

#include "app/window/view_controller.hpp"
#include "app/window/view_session.hpp"

using namespace fr;
using namespace fr::app::window;

namespace {

TimePoint at(const char* s) { return *parse_iso8601(s); }

Timeline timeline() {
    // 10 h of replay with a 2 h stop compressed into 2 s, as a 24 s video.
    return Timeline::fit(at("2023-07-31T00:00:00Z"), at("2023-07-31T10:00:00Z"),
                         {{at("2023-07-31T04:00:00Z"), at("2023-07-31T06:00:00Z"), "stop"}}, 24.0, {2.0, 1.0});
}

}  // namespace

TEST(ViewController, ReplayTimeComesFromTheTimeline) {
    const auto tl = timeline();
    ViewController c(tl);
    EXPECT_TRUE(c.paused());
    for (double v : {0.0, 3.3, 9.0, 10.5, 23.0}) {
        c.set_video_s(v);
        EXPECT_EQ(c.replay_time(), tl.replay_time(v));
    }
    c.seek(at("2023-07-31T02:00:00Z"));
    EXPECT_EQ(c.replay_time(), at("2023-07-31T02:00:00Z"));
}

TEST(ViewController, SpeedLadderIsClampedTo1xAnd100000x) {
    const auto tl = timeline();
    ViewController c(tl);
    for (int i = 0; i < 40; ++i) c.faster();
    EXPECT_DOUBLE_EQ(c.speed(), 100000);
    for (int i = 0; i < 40; ++i) c.slower();
    EXPECT_DOUBLE_EQ(c.speed(), 1);
    c.faster();
    EXPECT_DOUBLE_EQ(c.speed(), 2);
}

TEST(ViewController, TickAdvancesAtTheChosenReplaySpeed) {
    const auto tl = timeline();
    ViewController c(tl);
    c.set_video_s(1.0);
    const auto t0 = c.replay_time();
    c.tick(1.0);  // paused: nothing moves
    EXPECT_EQ(c.replay_time(), t0);
    while (c.speed() != 100) c.speed() < 100 ? c.faster() : c.slower();
    c.toggle_play();
    c.tick(1.0);  // 100 replay s in one wall-clock second
    EXPECT_NEAR(std::chrono::duration<double>(c.replay_time() - t0).count(), 100.0, 0.01);
}

TEST(ViewController, StepsLandOnExportFrames) {
    const auto tl = timeline();
    ViewController c(tl);
    c.set_video_s(1.01);
    c.step(1);
    EXPECT_DOUBLE_EQ(c.video_s(), 31.0 / 30.0);
    c.step(-2);
    EXPECT_DOUBLE_EQ(c.video_s(), 29.0 / 30.0);
    EXPECT_TRUE(c.paused());
}

TEST(ViewController, PlaysToTheEndAndStops) {
    const auto tl = timeline();
    ViewController c(tl);
    c.toggle_play();
    for (int i = 0; i < 1000 && !c.paused(); ++i) c.tick(1.0);
    EXPECT_TRUE(c.paused());
    EXPECT_DOUBLE_EQ(c.video_s(), tl.video_duration_s());
}

TEST(ViewMaths, BarClickAndZoomAboutCursor) {
    EXPECT_DOUBLE_EQ(bar_video_time(24, 24, 1256, 24), 0);
    EXPECT_DOUBLE_EQ(bar_video_time(640, 24, 1256, 24), (640.0 - 24) / 1232 * 24);
    EXPECT_DOUBLE_EQ(bar_video_time(5000, 24, 1256, 24), 24);
    ViewTransform v{1.5, 10, -20};
    const auto z = zoom_about(v, 300, 200, 2.0);
    EXPECT_NEAR(z.k, 3.0, 1e-12);
    EXPECT_NEAR(z.sx(v.wx(300)), 300, 1e-9);  // the point under the cursor stays put
    EXPECT_NEAR(z.sy(v.wy(200)), 200, 1e-9);
    const auto id = ViewTransform::then(v, v.inverse());
    EXPECT_TRUE(id.near(ViewTransform{}, 1920, 1e-9));
}

TEST(ViewMaths, ViewShowingARectangleFillsTheScreenWithIt) {
    // A 16:9 world rectangle on a 1280x720 screen: its corners land on the screen's (1e-9 px).
    const auto v = view_showing(100, 50, 420, 230, 1280, 720);
    EXPECT_NEAR(v.sx(100), 0, 1e-9);
    EXPECT_NEAR(v.sx(420), 1280, 1e-9);
    EXPECT_NEAR(v.sy(50), 0, 1e-9);
    EXPECT_NEAR(v.sy(230), 720, 1e-9);
    // A taller one keeps its width across the screen and its centre at the screen's centre.
    const auto t = view_showing(0, 0, 100, 100, 1280, 720);
    EXPECT_NEAR(t.k, 12.8, 1e-12);
    EXPECT_NEAR(t.sx(50), 640, 1e-9);
    EXPECT_NEAR(t.sy(50), 360, 1e-9);
}
