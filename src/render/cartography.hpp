#pragma once
// Map furniture computed from the scene, without drawing: an honest scale bar (measured with
// WGS84 geodesics where it is drawn), the direction of north, greedy label placement, and the
// altitude colour ramp. Pure functions so tests can check them against geo::distance.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "render/layout.hpp"
#include "render/scene.hpp"
#include "render/style.hpp"

namespace fr::render {

struct ScaleBar {
    ScreenPt a, b;        ///< left and right ends, pixels (same y)
    double length_m = 0;  ///< geodesic distance between the ends' geographic positions, metres
    /// "500 km"; "200 km at 76°S" where the scale differs from the frame centre's by more
    /// than 25% (a world map's bar near a pole): the bar is true there, not across the map.
    std::string label;
};

/// A scale bar of a round length (1, 2 or 5 x 10^k metres) at most `max_px` long whose right
/// end is the first of `right_ends` (pixels) where both ends fall inside the projection's
/// domain and the bar fills at least 35% of `max_px` (else the longest such bar). The left end is placed by bisection so that the geodesic distance between the two
/// ends' positions equals `length_m` (to ~1e-6 relative): the bar is true where it is drawn,
/// whatever the projection's scale does elsewhere. nullopt when no candidate works.
std::optional<ScaleBar> scale_bar(const Scene& scene, const std::vector<ScreenPt>& right_ends, double max_px);

/// Direction of true north at screen point `p`, radians clockwise from screen-up, from a point
/// 10 km north of p's position; nullopt off the map or at a pole.
std::optional<double> north_angle(const Scene& scene, ScreenPt p);

struct LabelRequest {
    ScreenPt anchor;       ///< the aircraft, pixels
    double w = 0, h = 0;   ///< label size, pixels
    bool centred = false;  ///< place_label only: the label is centred on the anchor (area names), else beside it
};

/// Boxes bucketed on a uniform grid, so "does this box touch any taken box" looks only at the
/// few cells it covers (busy scenes give the place labels tens of thousands of trail boxes).
class BoxGrid {
public:
    BoxGrid(double width, double height, double cell = 64);
    void add(const Box& b);
    bool any_overlap(const Box& b) const;
    std::size_t size() const noexcept { return m_boxes.size(); }

private:
    double m_cell;
    int m_nx, m_ny;
    std::vector<Box> m_boxes;
    std::vector<std::vector<std::uint32_t>> m_cells;
    template <class F>
    void for_cells(const Box& b, F&& f) const;
};

/// One label against boxes already taken: the first of the 8 positions of place_labels (or,
/// for a centred request, the box centred on the anchor, then nudged up or down by half its
/// height) inside width x height that keeps `gap` pixels from every box in `taken`; nullopt
/// when none fits. The caller adds the result to `taken`.
std::optional<Box> place_label(const LabelRequest& r, const BoxGrid& taken, double width, double height, double offset, double gap);

/// Greedy placement: requests in order (most important first), each tries 8 positions around
/// its anchor, `offset` pixels away in x and y (NE, NW, SE, SW, E, W, N, S) and takes the first that stays
/// inside width x height, overlaps no placed label and no obstacle (aircraft icons), with
/// `gap` pixels of clearance. A label with no free position is dropped (nullopt): busy scenes
/// thin out instead of piling up. At most `max_labels` are placed.
std::vector<std::optional<Box>> place_labels(const std::vector<LabelRequest>& requests, const std::vector<Box>& obstacles, double width,
                                             double height, double offset, double gap, std::size_t max_labels = 10'000);
/// place_labels for `count` anchors whose sizes are asked for only when needed: `size(i)` is called
/// for a request only if a label of at least `min_w` x `min_h` (a lower bound on every size) could
/// still fit at one of its positions, since a larger label at the same position covers the
/// smaller one. Places exactly what place_labels would with all sizes known: in a busy sky most
/// candidates are boxed in by other aircraft and need no text measured.
std::vector<std::optional<Box>> place_labels_sized(const std::vector<ScreenPt>& anchors,
                                                   const std::function<std::pair<double, double>(std::size_t)>& size, double min_w,
                                                   double min_h, const std::vector<Box>& obstacles, double width, double height,
                                                   double offset, double gap, std::size_t max_labels);

/// Viridis (matplotlib's perceptually uniform ramp), t in [0, 1] (clamped); piecewise linear
/// between 10 samples of the published table, within ~1/255 of it.
Rgba viridis(double t) noexcept;
/// matplotlib's inferno ramp (perceptually uniform, dark to pale yellow), t in [0, 1]: the density heat.
Rgba inferno(double t) noexcept;
/// Altitude domain of the ramp: 0 to 45,000 ft (the ceiling of airliners), metres.
inline constexpr double kRampMaxAltM = 45'000 * 0.3048;

}  // namespace fr::render
