#include "core/timeline.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace fr {

namespace {

double seconds_between(TimePoint a, TimePoint b) { return static_cast<double>((b - a).count()) / 1000.0; }

std::vector<Hold> normalise(TimePoint start, TimePoint end, std::vector<Hold> holds) {
    std::vector<Hold> out;
    std::sort(holds.begin(), holds.end(), [](const Hold& a, const Hold& b) { return a.start < b.start; });
    for (auto& h : holds) {
        h.start = std::max(h.start, start);
        h.end = std::min(h.end, end);
        if (h.end <= h.start) continue;
        if (!out.empty() && h.start <= out.back().end) {
            out.back().end = std::max(out.back().end, h.end);
            if (!h.caption.empty() && out.back().caption != h.caption)
                out.back().caption += out.back().caption.empty() ? h.caption : " / " + h.caption;
            continue;
        }
        out.push_back(std::move(h));
    }
    return out;
}

}  // namespace

Timeline Timeline::at_speed(TimePoint start, TimePoint end, std::vector<Hold> holds, double speed, Options opt) {
    if (end <= start) throw std::invalid_argument("timeline: end must be after start");
    if (!(speed > 0)) throw std::invalid_argument("timeline: speed must be positive");
    Timeline tl;
    tl.m_speed = speed;
    double v = 0;
    TimePoint cursor = start;
    auto add_play = [&](TimePoint until) {
        if (until <= cursor) return;
        const double dv = seconds_between(cursor, until) / speed;
        tl.m_segments.push_back({v, v + dv, cursor, until, SegmentKind::play, {}});
        v += dv;
        cursor = until;
    };
    for (auto& h : normalise(start, end, std::move(holds))) {
        add_play(h.start);
        tl.m_segments.push_back({v, v + opt.hold_s, h.start, h.end, SegmentKind::hold, h.caption});
        v += opt.hold_s;
        cursor = h.end;
    }
    add_play(end);
    tl.m_segments.push_back({v, v + opt.end_s, end, end, SegmentKind::end, {}});
    return tl;
}

Timeline Timeline::fit(TimePoint start, TimePoint end, std::vector<Hold> holds, double video_s, Options opt) {
    if (end <= start) throw std::invalid_argument("timeline: end must be after start");
    auto merged = normalise(start, end, std::move(holds));
    double held = 0;
    for (const auto& h : merged) held += seconds_between(h.start, h.end);
    const double fixed = static_cast<double>(merged.size()) * opt.hold_s + opt.end_s;
    const double play_video = video_s - fixed;
    const double play_replay = seconds_between(start, end) - held;
    if (play_video <= 0)
        throw std::invalid_argument("timeline: duration too short for its holds (need more than " + std::to_string(fixed) + " s)");
    const double speed = play_replay > 0 ? play_replay / play_video : 1.0;
    return at_speed(start, end, std::move(merged), speed, opt);
}

double Timeline::video_duration_s() const noexcept { return m_segments.back().video_end_s; }

const TimelineSegment& Timeline::segment_at(double t) const noexcept {
    for (const auto& s : m_segments)
        if (t < s.video_end_s) return s;
    return m_segments.back();
}

TimePoint Timeline::replay_time(double t) const noexcept {
    if (t <= 0) return m_segments.front().replay_start;
    const auto& s = segment_at(t);
    const double span = s.video_end_s - s.video_start_s;
    if (span <= 0 || s.kind == SegmentKind::end) return s.replay_end;
    const double f = std::clamp((t - s.video_start_s) / span, 0.0, 1.0);
    const double ms = static_cast<double>((s.replay_end - s.replay_start).count()) * f;
    return s.replay_start + Duration{static_cast<long long>(std::llround(ms))};
}

double Timeline::video_time(TimePoint t) const noexcept {
    for (const auto& s : m_segments) {
        if (t <= s.replay_end) {
            if (t <= s.replay_start || s.replay_end == s.replay_start) return s.video_start_s;
            const double f =
                static_cast<double>((t - s.replay_start).count()) / static_cast<double>((s.replay_end - s.replay_start).count());
            return s.video_start_s + f * (s.video_end_s - s.video_start_s);
        }
    }
    return video_duration_s();
}

}  // namespace fr
