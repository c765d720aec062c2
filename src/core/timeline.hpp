#pragma once
// The one frame clock: maps video time (seconds from the first frame) to replay time (UTC).
// Ground stops and long coverage gaps are compressed into short "holds" during which the
// replay clock fast-forwards across the whole interval, so a 36-hour stop costs seconds of
// video, not minutes of still frames. Both the window and every export use this class.
#include <string>
#include <vector>

#include "core/time.hpp"

namespace fr {

enum class SegmentKind { play, hold, end };

struct TimelineSegment {
    double video_start_s = 0;  ///< seconds of video
    double video_end_s = 0;
    TimePoint replay_start;
    TimePoint replay_end;
    SegmentKind kind = SegmentKind::play;
    std::string caption;  ///< for holds: what is happening ("On ground at ...")
};

/// A replay interval to compress into a fixed amount of video time.
struct Hold {
    TimePoint start;
    TimePoint end;
    std::string caption;
};

class Timeline {
public:
    struct Options {
        double hold_s = 2.0;  ///< video seconds spent on each hold
        double end_s = 1.0;   ///< video seconds showing the final state
    };

    /// Plays [start, end] at `speed` replay seconds per video second, holds compressed.
    /// Holds outside [start, end] are clipped; overlapping holds are merged.
    /// Throws std::invalid_argument for end <= start or speed <= 0.
    static Timeline at_speed(TimePoint start, TimePoint end, std::vector<Hold> holds, double speed, Options opt);
    /// Like at_speed with the speed chosen so the whole video lasts `video_s` seconds.
    /// Throws std::invalid_argument when the holds and end alone exceed `video_s`.
    static Timeline fit(TimePoint start, TimePoint end, std::vector<Hold> holds, double video_s, Options opt);

    double video_duration_s() const noexcept;
    TimePoint replay_start() const noexcept { return m_segments.front().replay_start; }
    TimePoint replay_end() const noexcept { return m_segments.back().replay_end; }
    /// Replay time shown at video time t (clamped to the ends), rounded to the millisecond.
    TimePoint replay_time(double video_s) const noexcept;
    /// Video time at which replay time `t` is first shown (inverse of replay_time).
    double video_time(TimePoint t) const noexcept;
    const TimelineSegment& segment_at(double video_s) const noexcept;
    const std::vector<TimelineSegment>& segments() const noexcept { return m_segments; }
    /// Replay speed in the play segments (replay s per video s).
    double speed() const noexcept { return m_speed; }

private:
    std::vector<TimelineSegment> m_segments;
    double m_speed = 1.0;
};

/// Video time of frame `index` at `fps` frames per second: index / fps exactly (no drift).
inline double frame_time_s(long long index, double fps) noexcept { return static_cast<double>(index) / fps; }

}  // namespace fr
