#pragma once
// The camera as a value: where the view looks at replay time t. A camera is fixed (the
// scene's own view), follows one aircraft (--follow: its position smoothed over t +/- 90 s,
// --zoom-km wide), or flies a keyframe path (--keyframe: geodesic centre, geometric width).
// Evaluating it (view_at) changes nothing: the same camera gives the same view for the same
// t whatever was drawn before, so any frame of a video can be drawn on its own. A Scene holds
// its camera; Scene::framed_at(t) gives a new scene on the camera's view (the given one is
// never changed); the window composes its own pan and zoom on top of the scene's view.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/lat_lon.hpp"
#include "core/time.hpp"
#include "geo/view.hpp"

namespace fr::render {

class Scene;

struct CameraKeyframe {
    TimePoint t;
    LatLon centre;
    double width_km = 0;  ///< ground width of the frame at its centre, km
};

/// A keyframe as given: its time absolute or an offset from the scene's time base (the first fix
/// of the data), resolved when the scene is built.
struct KeyframeSpec {
    TimeRef time;
    LatLon centre;
    double width_km = 0;  ///< ground width of the frame, km
    friend bool operator==(const KeyframeSpec&, const KeyframeSpec&) = default;
};

/// Where a camera looks: the map point at the frame's centre (units of the scene's CRS) and
/// the ground width of the frame there (km, measured with geodesics).
struct CameraView {
    double x = 0, y = 0;
    double width_km = 0;
};

class Camera {
public:
    enum class Kind { fixed, follow, keyframes };
    Camera() = default;  ///< fixed: the scene's own view
    /// Follows flight `flight` (an index into Scene::flights()), `width_km` of ground wide.
    static Camera follow(std::size_t flight, double width_km);
    /// Flies through `keys` (sorted here by time, stably); throws std::invalid_argument when empty.
    static Camera keyframes(std::vector<CameraKeyframe> keys);

    Kind kind() const noexcept { return m_kind; }
    bool moving() const noexcept { return m_kind != Kind::fixed; }
    std::size_t flight() const noexcept { return m_flight; }  ///< follow: the flight followed
    double zoom_km() const noexcept { return m_width_km; }    ///< follow: ground width, km
    const std::vector<CameraKeyframe>& keys() const noexcept { return m_keys; }

    /// keyframes: centre and ground width (km) at t. Between keyframes the centre moves along
    /// the geodesic and the width changes geometrically (each second scales the view by the
    /// same factor); before the first and after the last it holds still.
    std::pair<LatLon, double> keyframe_at(TimePoint t) const;
    /// Where the camera looks at t in `scene`'s CRS; nullopt for a fixed camera or when the
    /// followed aircraft cannot be placed. Projects with scene.projector(), so call it on the
    /// thread that owns the scene's projector.
    std::optional<CameraView> view_at(const Scene& scene, TimePoint t) const;

private:
    Kind m_kind = Kind::fixed;
    std::size_t m_flight = 0;
    double m_width_km = 0;
    std::vector<CameraKeyframe> m_keys;
};

/// The map box (scene CRS units) of view `v` in a frame of the scene's size: centred on
/// (v.x, v.y), v.width_km of ground wide at the centre (ground metres per map unit measured
/// across 1 km of map either side of it with `scene`'s projector).
geo::Extent camera_extent(const Scene& scene, const CameraView& v);

}  // namespace fr::render
