#include "render/camera.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "core/error.hpp"
#include "geo/geodesic.hpp"
#include "render/frame_state.hpp"
#include "render/scene.hpp"

namespace fr::render {

Camera Camera::follow(std::size_t flight, double width_km) {
    Camera c;
    c.m_kind = Kind::follow;
    c.m_flight = flight;
    c.m_width_km = width_km;
    return c;
}

Camera Camera::keyframes(std::vector<CameraKeyframe> keys) {
    if (keys.empty()) throw std::invalid_argument("camera: a keyframe path needs at least one keyframe");
    std::stable_sort(keys.begin(), keys.end(), [](const CameraKeyframe& a, const CameraKeyframe& b) { return a.t < b.t; });
    Camera c;
    c.m_kind = Kind::keyframes;
    c.m_keys = std::move(keys);
    return c;
}

std::pair<LatLon, double> Camera::keyframe_at(TimePoint t) const {
    const auto& k = m_keys;
    if (k.empty()) throw std::logic_error("camera: keyframe_at without keyframes");
    if (t <= k.front().t) return {k.front().centre, k.front().width_km};
    if (t >= k.back().t) return {k.back().centre, k.back().width_km};
    const auto next = std::upper_bound(k.begin(), k.end(), t, [](TimePoint v, const CameraKeyframe& f) { return v < f.t; });
    const auto& b = *next;
    const auto& a = *std::prev(next);
    const double span = static_cast<double>((b.t - a.t).count());
    const double f = span > 0 ? static_cast<double>((t - a.t).count()) / span : 1.0;
    // Geodesic centre path; geometric width so zooming feels uniform (each second scales the
    // view by the same factor).
    return {geo::interpolate(a.centre, b.centre, f), a.width_km * std::pow(b.width_km / a.width_km, f)};
}

std::optional<CameraView> Camera::view_at(const Scene& scene, TimePoint t) const {
    switch (m_kind) {
        case Kind::fixed: return std::nullopt;
        case Kind::keyframes: {
            const auto [centre, width_km] = keyframe_at(t);
            const auto xy = scene.projector().forward(centre);
            if (!xy) return std::nullopt;
            return CameraView{xy->x, xy->y, width_km};
        }
        case Kind::follow: break;
    }
    if (m_flight >= scene.flights().size()) return std::nullopt;
    const auto& fv = scene.flights()[m_flight];
    // Smoothed position: mean of projected positions over t +/- 90 s every 10 s (19 samples).
    double sx = 0, sy = 0;
    int n = 0;
    for (int k = -9; k <= 9; ++k) {
        const TimePoint tk = std::clamp(t + std::chrono::seconds(10 * k), scene.start(), scene.end());
        if (const auto st = state_at(fv.flight, fv.analysis, tk))
            if (const auto xy = scene.projector().forward(st->position)) {
                sx += xy->x;
                sy += xy->y;
                ++n;
            }
    }
    if (n == 0) return std::nullopt;
    return CameraView{sx / n, sy / n, m_width_km};
}

geo::Extent camera_extent(const Scene& scene, const CameraView& v) {
    const auto& proj = scene.projector();
    const double cx = v.x, cy = v.y;
    // Ground metres per map unit at the centre, measured across 1 km of map either side.
    double mpu = 1.0;
    if (const auto a = proj.inverse({cx - 1000, cy}), b = proj.inverse({cx + 1000, cy}); a && b) {
        const double d = geo::distance(*a, *b).m();
        if (d > 0) mpu = d / 2000.0;
    }
    const int W = scene.options().width, H = scene.options().height;
    const double w = v.width_km * 1000.0 / mpu, h = w * H / W;
    return {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
}

}  // namespace fr::render
