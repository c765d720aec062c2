// The one clock (render::make_replay_clock) that video export and the window both use: fitted
// to a video length with holds shrunk so at least half is flight, or at a fixed speed.
#include <gtest/gtest.h>

#include "pipeline/pipeline.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/replay_clock.hpp"
#include "test_paths.hpp"

using namespace fr;

namespace {

render::Scene sample_scene() {
    pipeline::LoadRequest req;
    req.inputs = {test::source_dir() / "assets/samples"};
    auto data = pipeline::load_and_analyse(req);
    render::SceneOptions o;
    o.width = 320;
    o.height = 180;
    return pipeline::make_scene(data.flights, data.analyses, o);
}

}  // namespace

TEST(ReplayClock, FitsTheVideoAndKeepsHalfForFlight) {
    const auto scene = sample_scene();
    ASSERT_FALSE(scene.holds(render::kCompressedGap).empty()) << "the sample has a ground stop to hold";
    for (double video_s : {4.0, 24.0, 120.0}) {
        SCOPED_TRACE(video_s);
        const Timeline tl = render::make_replay_clock(scene, {std::nullopt, video_s, 2.0});
        EXPECT_NEAR(tl.video_duration_s(), video_s, 1e-6);  // seconds
        EXPECT_EQ(tl.replay_time(0), scene.start());
        EXPECT_EQ(tl.replay_time(video_s), scene.end());
        // At least half the video is flight: the replay clock moves outside the holds for at
        // least video_s / 2 (sampled every 1/100 of the video).
        const auto holds = scene.holds(render::kCompressedGap);
        int moving = 0;
        for (int i = 0; i < 100; ++i) {
            const TimePoint a = tl.replay_time(video_s * i / 100), b = tl.replay_time(video_s * (i + 1) / 100);
            EXPECT_LE(a, b);
            bool held = false;
            for (const auto& h : holds) held = held || (a >= h.start && b <= h.end);
            if (b > a && !held) ++moving;
        }
        EXPECT_GE(moving, 49) << "of 100 samples";
    }
}

TEST(ReplayClock, FixedSpeed) {
    const auto scene = sample_scene();
    const Timeline tl = render::make_replay_clock(scene, {600.0, 0, 2.0});
    const auto holds = scene.holds(render::kCompressedGap);
    double held_replay_s = 0;
    for (const auto& h : holds) held_replay_s += std::chrono::duration<double>(h.end - h.start).count();
    const double replay_s = std::chrono::duration<double>(scene.end() - scene.start()).count();
    // Video = flown replay time / speed + 2 s per hold + 1 s at the end (to 1 ms).
    EXPECT_NEAR(tl.video_duration_s(), (replay_s - held_replay_s) / 600.0 + 2.0 * holds.size() + 1.0, 1e-3);
}
