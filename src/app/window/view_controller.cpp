#include "app/window/view_controller.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace fr::app::window {

bool ViewTransform::near(const ViewTransform& o, double size, double eps) const noexcept {
    return std::abs(k - o.k) * size < eps && std::abs(ox - o.ox) < eps && std::abs(oy - o.oy) < eps;
}

ViewController::ViewController(const Timeline& tl) : m_tl(&tl) {
    // The ladder step nearest (in ratio) to the video's own speed.
    double best = speed_ladder[0];
    for (double s : speed_ladder)
        if (std::abs(std::log(s / tl.speed())) < std::abs(std::log(best / tl.speed()))) best = s;
    m_speed = best;
}

void ViewController::set_video_s(double v) noexcept { m_video_s = std::clamp(v, 0.0, m_tl->video_duration_s()); }

void ViewController::toggle_play() noexcept {
    if (m_paused && m_video_s >= m_tl->video_duration_s()) m_video_s = 0;  // play again from the start
    m_paused = !m_paused;
}

void ViewController::faster() noexcept {
    auto it = std::upper_bound(std::begin(speed_ladder), std::end(speed_ladder), m_speed);
    if (it != std::end(speed_ladder)) m_speed = *it;
}

void ViewController::slower() noexcept {
    auto it = std::lower_bound(std::begin(speed_ladder), std::end(speed_ladder), m_speed);
    if (it != std::begin(speed_ladder)) m_speed = *std::prev(it);
}

void ViewController::step(int frames) noexcept {
    m_paused = true;
    // Round to the frame grid first so steps land on the frames an export at 30 fps draws.
    const double f = std::round(m_video_s * 30.0);
    set_video_s((f + frames) / 30.0);
}

void ViewController::tick(double wall_s) noexcept {
    if (m_paused || wall_s <= 0) return;
    const double rate = m_speed / m_tl->speed();  // video s per wall s in play segments
    const auto& seg = m_tl->segment_at(m_video_s);
    const double v_rate = seg.kind == SegmentKind::hold ? std::max(rate, 1.0) : rate;
    set_video_s(m_video_s + wall_s * v_rate);
    if (m_video_s >= m_tl->video_duration_s()) m_paused = true;
}

double bar_video_time(double x, double x0, double x1, double video_duration_s) noexcept {
    if (x1 <= x0) return 0;
    return std::clamp((x - x0) / (x1 - x0), 0.0, 1.0) * video_duration_s;
}

ViewTransform zoom_about(const ViewTransform& v, double px, double py, double factor) noexcept {
    const double wx = v.wx(px), wy = v.wy(py);
    ViewTransform o{v.k * factor, 0, 0};
    o.ox = px - wx * o.k;
    o.oy = py - wy * o.k;
    return o;
}

ViewTransform view_showing(double x0, double y0, double x1, double y1, int w, int h) noexcept {
    ViewTransform v;
    v.k = std::abs(x1 - x0) > 0 ? w / std::abs(x1 - x0) : 1.0;
    v.ox = w / 2.0 - (x0 + x1) / 2 * v.k;
    v.oy = h / 2.0 - (y0 + y1) / 2 * v.k;
    return v;
}

}  // namespace fr::app::window
