#include "render/replay_clock.hpp"

namespace fr::render {

Timeline make_replay_clock(const Scene& scene, const ClockSpec& spec) {
    const auto holds = scene.holds(kCompressedGap);
    Timeline::Options topt{spec.hold_s, 1.0};
    if (spec.speed) return Timeline::at_speed(scene.start(), scene.end(), holds, *spec.speed, topt);
    // Short videos shrink the holds so at least half the video is flight.
    const double fixed = static_cast<double>(holds.size()) * topt.hold_s + topt.end_s;
    if (fixed > spec.video_s / 2) {
        const double k = (spec.video_s / 2) / fixed;
        topt.hold_s *= k;
        topt.end_s *= k;
    }
    return Timeline::fit(scene.start(), scene.end(), holds, spec.video_s, topt);
}

}  // namespace fr::render
