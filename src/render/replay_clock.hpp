#pragma once
// The one clock: video time -> replay time for a scene. Video export and the window both build
// their Timeline here, so a window frame and an export frame at the same video time show the
// same replay time by construction.
#include <optional>

#include "core/timeline.hpp"
#include "render/scene.hpp"

namespace fr::render {

struct ClockSpec {
    /// Fixed replay speed (replay seconds per video second); nullopt: fit `video_s`.
    std::optional<double> speed;
    /// Video seconds the replay fills (a video's --duration less its title card); used when
    /// `speed` is unset.
    double video_s = 24.0;
    /// Video seconds for each compressed hold (every ground stop, and gaps over 2 h).
    double hold_s = 2.0;
};

/// Airborne gaps longer than this are compressed like ground stops: at typical speeds they
/// would be seconds of an aircraft crawling across a dashed line.
inline constexpr auto kCompressedGap = std::chrono::hours{2};

/// The Timeline of `scene` (its start..end, after --time-range) for `spec`: holds for every
/// ground stop and gap over 2 h, 1 s at the end. Fitted to `video_s`, holds shrink so that at
/// least half the video is flight. Throws std::invalid_argument for a non-positive length.
Timeline make_replay_clock(const Scene& scene, const ClockSpec& spec);

}  // namespace fr::render
