#include "render/direct_raster.hpp"

#include <algorithm>
#include <cmath>

namespace fr::render {

std::optional<RasterTarget> RasterTarget::of(cairo_t* cr) {
    cairo_surface_t* target = cairo_get_target(cr);
    if (cairo_surface_get_type(target) != CAIRO_SURFACE_TYPE_IMAGE || cairo_image_surface_get_format(target) != CAIRO_FORMAT_ARGB32 ||
        cairo_get_group_target(cr) != target || cairo_get_operator(cr) != CAIRO_OPERATOR_OVER ||
        cairo_get_antialias(cr) != CAIRO_ANTIALIAS_DEFAULT)
        return std::nullopt;
    double dox = 0, doy = 0;
    cairo_surface_get_device_offset(target, &dox, &doy);
    cairo_matrix_t ctm;
    cairo_get_matrix(cr, &ctm);
    if (dox != 0 || doy != 0 || ctm.xx != 1 || ctm.yy != 1 || ctm.xy != 0 || ctm.yx != 0) return std::nullopt;
    RasterTarget t;
    t.width = cairo_image_surface_get_width(target);
    t.height = cairo_image_surface_get_height(target);
    t.ox = ctm.x0, t.oy = ctm.y0;
    // The clip, as whole device pixels (one rectangle, the surface, when there is none).
    cairo_rectangle_list_t* list = cairo_copy_clip_rectangle_list(cr);
    bool ok = list->status == CAIRO_STATUS_SUCCESS;
    for (int i = 0; ok && i < list->num_rectangles; ++i) {
        const auto& r = list->rectangles[i];
        const double x0 = r.x + ctm.x0, y0 = r.y + ctm.y0, x1 = x0 + r.width, y1 = y0 + r.height;
        ok = x0 == std::floor(x0) && y0 == std::floor(y0) && x1 == std::floor(x1) && y1 == std::floor(y1);
        if (ok)
            t.clip.push_back({std::max(0, static_cast<int>(x0)), std::max(0, static_cast<int>(y0)), std::min(t.width, static_cast<int>(x1)),
                              std::min(t.height, static_cast<int>(y1))});
    }
    cairo_rectangle_list_destroy(list);
    if (!ok) return std::nullopt;
    cairo_surface_flush(target);
    t.data = cairo_image_surface_get_data(target);
    t.stride = cairo_image_surface_get_stride(target);
    return t;
}

std::uint32_t cairo_pixel(const Rgba& c) noexcept {
    auto sh = [](double v) { return static_cast<std::uint32_t>(std::clamp(v, 0.0, 1.0) * 65535.0 + 0.5) >> 8; };
    const double a = std::clamp(c.a, 0.0, 1.0);
    return (sh(a) << 24) | (sh(c.r * a) << 16) | (sh(c.g * a) << 8) | sh(c.b * a);
}

namespace {

// pixman's arithmetic for a solid source through a mask (OVER): two channels at a time,
// x * a / 255 rounded with 0x80, saturating add.
inline std::uint32_t mul_un8x2(std::uint32_t x, std::uint32_t a) {
    std::uint32_t t = (x & 0x00ff00ffu) * a + 0x00800080u;
    return ((t + ((t >> 8) & 0x00ff00ffu)) >> 8) & 0x00ff00ffu;
}
inline std::uint32_t add_un8x2(std::uint32_t x, std::uint32_t y) {
    std::uint32_t t = x + y;
    t |= 0x01000100u - ((t >> 8) & 0x00ff00ffu);
    return t & 0x00ff00ffu;
}
inline std::uint32_t in(std::uint32_t src, std::uint32_t m) { return mul_un8x2(src, m) | (mul_un8x2(src >> 8, m) << 8); }
inline std::uint32_t over(std::uint32_t src, std::uint32_t dst) {
    const std::uint32_t na = 255 - (src >> 24);
    return add_un8x2(mul_un8x2(dst, na), src & 0x00ff00ffu) | (add_un8x2(mul_un8x2(dst >> 8, na), (src >> 8) & 0x00ff00ffu) << 8);
}

/// Squared distance from (px, py) to the segment a-b.
inline double segment_distance2(double px, double py, double ax, double ay, double bx, double by) {
    const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    const double u = len2 > 0 ? std::clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0.0, 1.0) : 0.0;
    const double ex = px - ax - u * dx, ey = py - ay - u * dy;
    return ex * ex + ey * ey;
}

}  // namespace

void thin_polyline(const std::vector<double>& xy, double tolerance, std::vector<double>& out) {
    out.clear();
    const std::size_t n = xy.size() / 2;
    if (n <= 2) {
        out.assign(xy.begin(), xy.begin() + static_cast<std::ptrdiff_t>(2 * n));
        return;
    }
    constexpr std::size_t kMaxRun = 64;  // bounds the quadratic check of one run
    const double tol2 = tolerance * tolerance;
    auto keep = [&](std::size_t i) { out.insert(out.end(), {xy[2 * i], xy[2 * i + 1]}); };
    keep(0);
    std::size_t a = 0, j = 1;
    while (j < n - 1) {
        // May the run from a reach j + 1, every vertex between staying within the tolerance?
        const std::size_t b = j + 1;
        bool ok = b - a <= kMaxRun;
        for (std::size_t k = a + 1; ok && k < b; ++k)
            ok = segment_distance2(xy[2 * k], xy[2 * k + 1], xy[2 * a], xy[2 * a + 1], xy[2 * b], xy[2 * b + 1]) <= tol2;
        if (!ok) {
            keep(j);
            a = j;
        }
        j = b;
    }
    keep(n - 1);
}

void stroke_polyline(RasterTarget& t, const std::vector<double>& xy, double width, const Rgba& colour, TileDamage* damage) {
    const std::size_t n = xy.size() / 2;
    if (n == 0 || !(width > 0)) return;
    const double r = width / 2, reach = r + 0.5;  // coverage falls to 0 at reach
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = xy[2 * i] + t.ox, y = xy[2 * i + 1] + t.oy;
        if (!std::isfinite(x) || !std::isfinite(y)) return;
        minx = std::min(minx, x), maxx = std::max(maxx, x), miny = std::min(miny, y), maxy = std::max(maxy, y);
    }
    if (damage) damage->add({minx - reach, miny - reach, maxx + reach, maxy + reach}, 1);
    // Pixels whose centre lies within `reach` of the line, inside the clip's bounding box (the
    // trails' two threads each clip to half the frame): rows y0..y1, columns x0..x1.
    int cx0 = t.width, cy0 = t.height, cx1 = 0, cy1 = 0;
    for (const auto& c : t.clip) cx0 = std::min(cx0, c.x0), cy0 = std::min(cy0, c.y0), cx1 = std::max(cx1, c.x1), cy1 = std::max(cy1, c.y1);
    const int x0 = std::max(cx0, static_cast<int>(std::floor(minx - reach))),
              x1 = std::min(cx1 - 1, static_cast<int>(std::ceil(maxx + reach)));
    const int y0 = std::max(cy0, static_cast<int>(std::floor(miny - reach))),
              y1 = std::min(cy1 - 1, static_cast<int>(std::ceil(maxy + reach)));
    if (x0 > x1 || y0 > y1) return;
    const int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
    // Per stroke: the largest coverage of any segment per pixel (one stroke blends once), kept
    // in a scratch box with each row's touched span, so clearing and compositing visit only those.
    thread_local std::vector<std::uint8_t> cov;
    thread_local std::vector<int> span0, span1;
    if (cov.size() < static_cast<std::size_t>(bw) * bh) cov.resize(static_cast<std::size_t>(bw) * bh, 0);
    span0.assign(static_cast<std::size_t>(bh), bw);
    span1.assign(static_cast<std::size_t>(bh), -1);
    const double reach2 = reach * reach;
    // Pixels this close to the line are fully covered (reach - distance >= 1): no square root.
    const double inner2 = reach > 1 ? (reach - 1) * (reach - 1) : -1;
    for (std::size_t i = 0; i < std::max<std::size_t>(n - 1, 1); ++i) {
        const std::size_t j = n == 1 ? 0 : i + 1;
        const double ax = xy[2 * i] + t.ox, ay = xy[2 * i + 1] + t.oy, bx = xy[2 * j] + t.ox, by = xy[2 * j + 1] + t.oy;
        const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy, inv_len2 = len2 > 0 ? 1 / len2 : 0;
        const int ya = std::max(y0, static_cast<int>(std::floor(std::min(ay, by) - reach))),
                  yb = std::min(y1, static_cast<int>(std::ceil(std::max(ay, by) + reach)));
        // Per segment: where the line crosses a row, and how far either side of that it can
        // come within reach (reach x len / |dy|, caps included; 0.01 px spare so rounding never
        // drops a covered pixel).
        const bool sloped = std::abs(dy) > 1e-12;
        const double inv_dy = sloped ? 1 / dy : 0, slope = dx * inv_dy,
                     band = sloped ? reach * std::sqrt(len2) * std::abs(inv_dy) + 0.01 : 0;
        const double flat_xa = std::min(ax, bx) - reach, flat_xb = std::max(ax, bx) + reach;
        for (int y = ya; y <= yb; ++y) {
            const double py = y + 0.5;
            // x extent of the segment within reach of this row, plus reach on either side.
            double xa = flat_xa, xb = flat_xb;
            if (sloped) {
                double ta = (py - reach - ay) * inv_dy, tb = (py + reach - ay) * inv_dy;
                if (ta > tb) std::swap(ta, tb);
                ta = std::clamp(ta, 0.0, 1.0), tb = std::clamp(tb, 0.0, 1.0);
                xa = std::min(ax + ta * dx, ax + tb * dx) - reach, xb = std::max(ax + ta * dx, ax + tb * dx) + reach;
                const double xl = ax + (py - ay) * slope;
                xa = std::max(xa, xl - band), xb = std::min(xb, xl + band);
            }
            const int xs = std::max(x0, static_cast<int>(std::floor(xa))), xe = std::min(x1, static_cast<int>(std::ceil(xb)));
            if (xs > xe) continue;
            std::uint8_t* row = &cov[static_cast<std::size_t>(y - y0) * bw];
            // The row's touched span, kept in locals (the coverage bytes may alias anything).
            int lo = bw, hi = -1;
            const double qy = py - ay;
            for (int x = xs; x <= xe; ++x) {
                const double qx = x + 0.5 - ax;
                const double u = std::clamp((qx * dx + qy * dy) * inv_len2, 0.0, 1.0);
                const double ex = qx - u * dx, ey = qy - u * dy, d2 = ex * ex + ey * ey;
                if (d2 >= reach2) continue;
                std::uint8_t m = 255;
                if (d2 > inner2) {
                    const double c = std::min(1.0, reach - std::sqrt(d2));
                    m = static_cast<std::uint8_t>(static_cast<int>(c * 255 + 0.5));  // rounded: c >= 0
                    if (m == 0) continue;
                }
                std::uint8_t& cell = row[x - x0];
                if (m > cell) cell = m;
                lo = std::min(lo, x - x0), hi = x - x0;
            }
            if (hi >= 0) {
                int& s0 = span0[static_cast<std::size_t>(y - y0)];
                int& s1 = span1[static_cast<std::size_t>(y - y0)];
                s0 = std::min(s0, lo), s1 = std::max(s1, hi);
            }
        }
    }
    const std::uint32_t src = cairo_pixel(colour);
    const bool opaque = (src >> 24) == 255;
    // The frame's pixels are mostly not in cache (a thin stroke touches a few per row, rows a
    // stride apart): ask for the rows a few ahead while blending this one.
    constexpr int kAhead = 4;
    auto prefetch_row = [&](int yy) {
        const int s0 = span0[static_cast<std::size_t>(yy)], s1 = span1[static_cast<std::size_t>(yy)];
        if (s1 < s0) return;
        const auto* p = t.data + static_cast<std::ptrdiff_t>(y0 + yy) * t.stride;
        __builtin_prefetch(p + 4 * (x0 + s0), 1);
        __builtin_prefetch(p + 4 * (x0 + s1), 1);
    };
    for (int yy = 0; yy < std::min(kAhead, bh); ++yy) prefetch_row(yy);
    for (int yy = 0; yy < bh; ++yy) {
        if (yy + kAhead < bh) prefetch_row(yy + kAhead);
        const int s0 = span0[static_cast<std::size_t>(yy)], s1 = span1[static_cast<std::size_t>(yy)];
        if (s1 < s0) continue;
        std::uint8_t* row = &cov[static_cast<std::size_t>(yy) * bw];
        const int y = y0 + yy;
        for (const auto& c : t.clip) {
            if (y < c.y0 || y >= c.y1) continue;
            const int xa = std::max(x0 + s0, c.x0), xb = std::min(x0 + s1 + 1, c.x1);
            auto* px = reinterpret_cast<std::uint32_t*>(t.data + static_cast<std::ptrdiff_t>(y) * t.stride);
            for (int x = xa; x < xb; ++x) {
                const std::uint32_t m = row[x - x0];
                if (m == 0) continue;
                px[x] = (m == 255 && opaque) ? src : over(in(src, m), px[x]);
            }
        }
        std::fill(row + s0, row + s1 + 1, std::uint8_t{0});
    }
}

}  // namespace fr::render
