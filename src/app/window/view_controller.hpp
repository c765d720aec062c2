#pragma once
// The window's state without any window: where the replay is on the one clock (video time on
// the same fr::Timeline the exports use), how fast it plays, and how the map is panned and
// zoomed. Pure and testable; replay_window.cpp feeds it SFML events.
#include <optional>

#include "core/timeline.hpp"

namespace fr::app::window {

/// Pan/zoom as an affine map from world pixels (the pixel frame of the first scene drawn,
/// "home") to screen pixels: screen = world * k + (ox, oy). Uniform scale, no rotation.
struct ViewTransform {
    double k = 1, ox = 0, oy = 0;
    double sx(double wx) const noexcept { return wx * k + ox; }
    double sy(double wy) const noexcept { return wy * k + oy; }
    double wx(double sx_) const noexcept { return (sx_ - ox) / k; }
    double wy(double sy_) const noexcept { return (sy_ - oy) / k; }
    /// a then b: screen = b(a(world)).
    static ViewTransform then(const ViewTransform& a, const ViewTransform& b) noexcept {
        return {a.k * b.k, a.ox * b.k + b.ox, a.oy * b.k + b.oy};
    }
    ViewTransform inverse() const noexcept { return {1 / k, -ox / k, -oy / k}; }
    /// Same map within `eps` pixels over a frame `size` pixels wide.
    bool near(const ViewTransform& o, double size, double eps = 0.01) const noexcept;
};

/// Replay speeds offered by +/- (replay seconds per wall-clock second): 1x to 100,000x in
/// 1-2-5 steps.
inline constexpr double speed_ladder[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000};

class ViewController {
public:
    /// `tl` must outlive the controller. Starts paused at the first frame, at the timeline's
    /// own speed (the speed of the default export video) rounded to the ladder.
    explicit ViewController(const Timeline& tl);

    const Timeline& timeline() const noexcept { return *m_tl; }
    /// Video time on the timeline (s). The replay time shown is timeline().replay_time(video_s()).
    double video_s() const noexcept { return m_video_s; }
    TimePoint replay_time() const noexcept { return m_tl->replay_time(m_video_s); }
    bool paused() const noexcept { return m_paused; }
    /// Replay seconds per wall-clock second while playing (outside compressed holds).
    double speed() const noexcept { return m_speed; }

    void set_video_s(double v) noexcept;
    /// Jumps to replay time t (the first video time showing it).
    void seek(TimePoint t) noexcept { set_video_s(m_tl->video_time(t)); }
    void toggle_play() noexcept;
    void set_paused(bool p) noexcept { m_paused = p; }
    void faster() noexcept;
    void slower() noexcept;
    /// One frame of the default export video (1/30 s of video time) forward or back; pauses.
    void step(int frames) noexcept;
    /// Advances the clock by `wall_s` seconds of wall time. In play segments video time moves
    /// at speed()/timeline().speed(); inside a hold at least at 1 video s per wall s, so a
    /// compressed ground stop passes in its hold time. Stops (pauses) at the end.
    void tick(double wall_s) noexcept;

private:
    const Timeline* m_tl;
    double m_video_s = 0;
    bool m_paused = true;
    double m_speed = 1;
};

/// Video time for a click at screen x on a timeline bar spanning x0..x1 (clamped).
double bar_video_time(double x, double x0, double x1, double video_duration_s) noexcept;

/// Zooms by `factor` about the screen point (px, py): that point keeps its world position.
ViewTransform zoom_about(const ViewTransform& v, double px, double py, double factor) noexcept;

/// The view that shows the world rectangle x0..x1, y0..y1 (pixels of the home scene) on a w x h
/// screen: its centre at the screen's centre, its width across the screen (a rectangle of the
/// screen's shape fills it exactly).
ViewTransform view_showing(double x0, double y0, double x1, double y1, int w, int h) noexcept;

}  // namespace fr::app::window
