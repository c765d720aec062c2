#include "render/cartography.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

#include "geo/geodesic.hpp"

namespace fr::render {

namespace {

double nice_length(double max_m) {
    const double p = std::pow(10.0, std::floor(std::log10(max_m)));
    for (double k : {5.0, 2.0, 1.0})
        if (k * p <= max_m) return k * p;
    return p;
}

/// Ground metres per pixel along the screen row through p (the geodesic between p -/+ 20 px);
/// nullopt where either end is outside the projection's domain.
std::optional<double> row_scale(const Scene& scene, ScreenPt p) {
    const auto a = scene.from_screen({p.x - 20, p.y}), b = scene.from_screen({p.x + 20, p.y});
    if (!a || !b) return std::nullopt;
    return geo::distance(*a, *b).m() / 40;
}

/// The bar's label, and where the scale differs from the frame centre's by more than 25% (a
/// world map's bar near a pole, a globe's limb) the latitude it holds at: "200 km at 76°S".
std::string bar_label(const Scene& scene, const ScaleBar& bar) {
    char buf[48];
    if (bar.length_m >= 1000)
        std::snprintf(buf, sizeof buf, "%g km", bar.length_m / 1000);
    else
        std::snprintf(buf, sizeof buf, "%g m", bar.length_m);
    std::string label = buf;
    const ScreenPt mid{(bar.a.x + bar.b.x) / 2, bar.a.y};
    const auto here = row_scale(scene, mid);
    const auto centre = row_scale(scene, {scene.options().width / 2.0, scene.options().height / 2.0});
    const auto where = scene.from_screen(mid);
    if (here && centre && where && *centre > 0 && (*here / *centre < 0.8 || *here / *centre > 1.25)) {
        const double lat = where->lat_deg();
        std::snprintf(buf, sizeof buf, " at %.0f\u00b0%s", std::abs(lat), std::abs(lat) < 0.5 ? "" : lat < 0 ? "S" : "N");
        label += buf;
    }
    return label;
}

}  // namespace

std::optional<ScaleBar> scale_bar(const Scene& scene, const std::vector<ScreenPt>& right_ends, double max_px) {
    std::optional<ScaleBar> best;
    for (const ScreenPt b : right_ends) {
        const ScreenPt a0{b.x - max_px, b.y};
        const auto lb = scene.from_screen(b), la = scene.from_screen(a0), lm = scene.from_screen({b.x - max_px / 2, b.y});
        if (!lb || !la || !lm) continue;
        const double full = geo::distance(*la, *lb).m();
        if (!(full > 1.0)) continue;
        const double target = nice_length(full);
        // Distance from b grows as the left end moves left: bisect on x.
        double lo = a0.x, hi = b.x;
        for (int i = 0; i < 60 && hi - lo > 1e-6; ++i) {
            const double mid = (lo + hi) / 2;
            const auto lmid = scene.from_screen({mid, b.y});
            if (!lmid) {
                hi = mid;
                continue;
            }
            if (geo::distance(*lmid, *lb).m() > target)
                lo = mid;
            else
                hi = mid;
        }
        ScaleBar bar{{(lo + hi) / 2, b.y}, b, target, {}};
        bar.label = bar_label(scene, bar);
        // A round length on a linear scale fills at least 40% of max_px; much less means the
        // scale changes fast here (a globe's limb): try the next place, keep the longest.
        if (bar.b.x - bar.a.x >= 0.35 * max_px) return bar;
        if (!best || bar.b.x - bar.a.x > best->b.x - best->a.x) best = bar;
    }
    return best;
}

std::optional<double> north_angle(const Scene& scene, ScreenPt p) {
    const auto ll = scene.from_screen(p);
    if (!ll || std::abs(ll->lat_deg()) > 89.9) return std::nullopt;
    const auto q = scene.to_screen(geo::direct(*ll, Angle::degrees(0), Length::kilometres(10)));
    if (!q || (std::abs(q->x - p.x) < 1e-9 && std::abs(q->y - p.y) < 1e-9)) return std::nullopt;
    return std::atan2(q->x - p.x, -(q->y - p.y));
}

std::vector<std::optional<Box>> place_labels(const std::vector<LabelRequest>& requests, const std::vector<Box>& obstacles, double width,
                                             double height, double offset, double gap, std::size_t max_labels) {
    std::vector<ScreenPt> anchors;
    anchors.reserve(requests.size());
    for (const auto& r : requests) anchors.push_back(r.anchor);
    return place_labels_sized(
        anchors,
        [&](std::size_t i) {
            return std::pair{requests[i].w, requests[i].h};
        },
        0, 0, obstacles, width, height, offset, gap, max_labels);
}

std::vector<std::optional<Box>> place_labels_sized(const std::vector<ScreenPt>& anchors,
                                                   const std::function<std::pair<double, double>(std::size_t)>& size, double min_w,
                                                   double min_h, const std::vector<Box>& obstacles, double width, double height,
                                                   double offset, double gap, std::size_t max_labels) {
    std::vector<std::optional<Box>> out(anchors.size());
    // Obstacles and placed labels on a grid: a busy sky has a box per aircraft (10,000 of them),
    // and scanning them all for each of the 8 positions of each request cost most of a frame.
    // The grid answers the same question (any overlap at all) from the few cells a box covers.
    // Boxes wholly off the frame, which BoxGrid leaves out, are kept aside and still checked
    // (a grown candidate reaches `gap` pixels past the edge).
    BoxGrid taken(width, height);
    std::vector<Box> outside;
    auto take = [&](const Box& b) {
        if (b.x1 >= 0 && b.y1 >= 0 && b.x0 <= width && b.y0 <= height)
            taken.add(b);
        else
            outside.push_back(b);
    };
    for (const Box& b : obstacles) take(b);
    std::size_t placed = 0;
    auto grow = [gap](Box b) { return Box{b.x0 - gap, b.y0 - gap, b.x1 + gap, b.y1 + gap}; };
    // The 8 positions for a w x h label; each grows away from the anchor as w and h grow, so it
    // contains the same position of any smaller label.
    auto positions = [offset](double x, double y, double w, double h) {
        const double o = offset, d = offset;
        return std::array<Box, 8>{{
            {x + d, y - d - h, x + d + w, y - d},      // NE
            {x - d - w, y - d - h, x - d, y - d},      // NW
            {x + d, y + d, x + d + w, y + d + h},      // SE
            {x - d - w, y + d, x - d, y + d + h},      // SW
            {x + o, y - h / 2, x + o + w, y + h / 2},  // E
            {x - o - w, y - h / 2, x - o, y + h / 2},  // W
            {x - w / 2, y - o - h, x + w / 2, y - o},  // N
            {x - w / 2, y + o, x + w / 2, y + o + h},  // S
        }};
    };
    auto fits = [&](const Box& c) {
        if (c.x0 < 0 || c.y0 < 0 || c.x1 > width || c.y1 > height) return false;
        const Box g = grow(c);
        return !taken.any_overlap(g) && std::none_of(outside.begin(), outside.end(), [&](const Box& p) { return g.overlaps(p); });
    };
    for (std::size_t i = 0; i < anchors.size() && placed < max_labels; ++i) {
        const double x = anchors[i].x, y = anchors[i].y;
        if (min_w > 0 || min_h > 0) {
            const auto small = positions(x, y, min_w, min_h);
            if (std::none_of(small.begin(), small.end(), fits)) continue;  // nothing smaller fits: nothing larger will
        }
        const auto [w, h] = size(i);
        for (const Box& c : positions(x, y, w, h)) {
            if (!fits(c)) continue;
            out[i] = c;
            take(c);
            ++placed;
            break;
        }
    }
    return out;
}

BoxGrid::BoxGrid(double width, double height, double cell)
    : m_cell(cell), m_nx(std::max(1, static_cast<int>(std::ceil(width / cell)))),
      m_ny(std::max(1, static_cast<int>(std::ceil(height / cell)))), m_cells(static_cast<std::size_t>(m_nx) * m_ny) {}

template <class F>
void BoxGrid::for_cells(const Box& b, F&& f) const {
    auto cx = [&](double x) { return std::clamp(static_cast<int>(std::floor(x / m_cell)), 0, m_nx - 1); };
    auto cy = [&](double y) { return std::clamp(static_cast<int>(std::floor(y / m_cell)), 0, m_ny - 1); };
    for (int j = cy(b.y0); j <= cy(b.y1); ++j)
        for (int i = cx(b.x0); i <= cx(b.x1); ++i)
            if (f(static_cast<std::size_t>(j) * m_nx + i)) return;
}

void BoxGrid::add(const Box& b) {
    if (!(b.x1 >= 0 && b.y1 >= 0 && b.x0 <= m_nx * m_cell && b.y0 <= m_ny * m_cell)) return;  // off the frame: cannot meet a label
    const auto id = static_cast<std::uint32_t>(m_boxes.size());
    m_boxes.push_back(b);
    for_cells(b, [&](std::size_t c) {
        m_cells[c].push_back(id);
        return false;
    });
}

bool BoxGrid::any_overlap(const Box& b) const {
    bool hit = false;
    for_cells(b, [&](std::size_t c) {
        for (const auto id : m_cells[c])
            if (m_boxes[id].overlaps(b)) return hit = true;
        return false;
    });
    return hit;
}

std::optional<Box> place_label(const LabelRequest& r, const BoxGrid& taken, double width, double height, double offset, double gap) {
    const double x = r.anchor.x, y = r.anchor.y, w = r.w, h = r.h, d = offset;
    std::vector<Box> cands;
    if (r.centred) {
        cands = {{x - w / 2, y - h / 2, x + w / 2, y + h / 2}, {x - w / 2, y - h, x + w / 2, y}, {x - w / 2, y, x + w / 2, y + h}};
    } else {
        cands = {{x + d, y - d - h, x + d + w, y - d},     {x - d - w, y - d - h, x - d, y - d},
                 {x + d, y + d, x + d + w, y + d + h},     {x - d - w, y + d, x - d, y + d + h},
                 {x + d, y - h / 2, x + d + w, y + h / 2}, {x - d - w, y - h / 2, x - d, y + h / 2},
                 {x - w / 2, y - d - h, x + w / 2, y - d}, {x - w / 2, y + d, x + w / 2, y + d + h}};
    }
    for (const Box& c : cands) {
        if (c.x0 < 0 || c.y0 < 0 || c.x1 > width || c.y1 > height) continue;
        const Box g{c.x0 - gap, c.y0 - gap, c.x1 + gap, c.y1 + gap};
        if (!taken.any_overlap(g)) return c;
    }
    return std::nullopt;
}

namespace {
/// A colour ramp sampled at t = 0, 1/9, ..., 1, linear between the samples; t clamped to [0, 1].
Rgba ramp10(const double (&tab)[10][3], double t) noexcept {
    if (!(t > 0)) t = 0;
    if (t > 1) t = 1;
    const double f = t * 9;
    const int i = std::min(8, static_cast<int>(f));
    const double u = f - i;
    return {tab[i][0] + (tab[i + 1][0] - tab[i][0]) * u, tab[i][1] + (tab[i + 1][1] - tab[i][1]) * u,
            tab[i][2] + (tab[i + 1][2] - tab[i][2]) * u, 1.0};
}
}  // namespace

Rgba viridis(double t) noexcept {
    // matplotlib's viridis at t = 0, 1/9, ..., 1 (from its 256-entry table).
    static const double tab[10][3] = {{0.267, 0.005, 0.329}, {0.282, 0.156, 0.470}, {0.244, 0.289, 0.538}, {0.190, 0.407, 0.556},
                                      {0.153, 0.504, 0.558}, {0.122, 0.600, 0.542}, {0.208, 0.693, 0.473}, {0.431, 0.781, 0.336},
                                      {0.710, 0.850, 0.170}, {0.993, 0.906, 0.144}};
    return ramp10(tab, t);
}

Rgba inferno(double t) noexcept {
    // matplotlib's inferno at t = 0, 1/9, ..., 1 (from its 256-entry table).
    static const double tab[10][3] = {{0.001, 0.000, 0.014}, {0.102, 0.042, 0.248}, {0.258, 0.039, 0.406}, {0.416, 0.090, 0.432},
                                      {0.578, 0.148, 0.404}, {0.735, 0.216, 0.330}, {0.865, 0.317, 0.226}, {0.954, 0.469, 0.099},
                                      {0.988, 0.652, 0.040}, {0.988, 0.998, 0.645}};
    return ramp10(tab, t);
}

}  // namespace fr::render
