#include "render/icon_sprites.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "render/cairo_handles.hpp"
#include "render/direct_raster.hpp"

namespace fr::render {

void add_icon_path(cairo_t* cr, double k) {
    cairo_move_to(cr, 0, -9 * k);
    cairo_line_to(cr, 1.6 * k, -3 * k);
    cairo_line_to(cr, 9 * k, 1.5 * k);
    cairo_line_to(cr, 9 * k, 3 * k);
    cairo_line_to(cr, 1.6 * k, 1 * k);
    cairo_line_to(cr, 1.2 * k, 6 * k);
    cairo_line_to(cr, 4 * k, 8 * k);
    cairo_line_to(cr, 4 * k, 9 * k);
    cairo_line_to(cr, 0, 8.2 * k);
    cairo_line_to(cr, -4 * k, 9 * k);
    cairo_line_to(cr, -4 * k, 8 * k);
    cairo_line_to(cr, -1.2 * k, 6 * k);
    cairo_line_to(cr, -1.6 * k, 1 * k);
    cairo_line_to(cr, -9 * k, 3 * k);
    cairo_line_to(cr, -9 * k, 1.5 * k);
    cairo_line_to(cr, -1.6 * k, -3 * k);
    cairo_close_path(cr);
}

namespace {

// Cairo's opaque-colour span fill on ARGB32 (cairo-image-compositor.c, lerp8x4): two channels at
// a time, x * a / 255 rounded with 0x7f, saturating add.
inline std::uint32_t mul8x2_8(std::uint32_t a, std::uint32_t b) {
    const std::uint32_t t = (a & 0x00ff00ffu) * b + 0x007f007fu;
    return ((t + ((t >> 8) & 0x00ff00ffu)) >> 8) & 0x00ff00ffu;
}
inline std::uint32_t add8x2_8x2(std::uint32_t a, std::uint32_t b) {
    std::uint32_t t = a + b;
    t |= 0x01000100u - ((t >> 8) & 0x00ff00ffu);
    return t & 0x00ff00ffu;
}
inline std::uint32_t lerp8x4(std::uint32_t src, std::uint32_t a, std::uint32_t dst) {
    const std::uint32_t na = 255 - a;
    return add8x2_8x2(mul8x2_8(src, a), mul8x2_8(dst, na)) | (add8x2_8x2(mul8x2_8(src >> 8, a), mul8x2_8(dst >> 8, na)) << 8);
}

}  // namespace

IconSprites::Mask IconSprites::render_mask(int heading, int sx, int sy) const {
    // Rasterised by Cairo into 8-bit coverage as Cairo fills and strokes the icon on a frame:
    // the same path under the same transformation (up to whole pixels), opaque, so each pixel
    // holds the span coverage Cairo composites the colour with.
    const double k = m_k, lw = m_line_width;
    // Room for the icon turned any way: its farthest vertex is sqrt(9^2 + 3^2) k from the centre,
    // and a miter (limit 10) reaches at most 5 line widths beyond the outline.
    const int r = static_cast<int>(std::ceil(9.5 * k + 5 * lw)) + 2;
    const int side = 2 * r + 1;
    Mask m;
    std::vector<std::uint8_t> planes[2];
    for (int pass = 0; pass < 2; ++pass) {
        SurfacePtr s(cairo_image_surface_create(CAIRO_FORMAT_A8, side, side));
        check(s.get(), "an icon mask");
        CairoPtr c(cairo_create(s.get()));
        cairo_translate(c.get(), r + static_cast<double>(sx) / kSub, r + static_cast<double>(sy) / kSub);
        cairo_rotate(c.get(), 2 * M_PI * heading / kHeadings);
        add_icon_path(c.get(), k);
        cairo_set_source_rgba(c.get(), 0, 0, 0, 1);
        if (pass == 0) {
            cairo_fill(c.get());
        } else {
            cairo_set_line_width(c.get(), lw);
            cairo_stroke(c.get());
        }
        check(c.get(), "drawing an icon mask");
        cairo_surface_flush(s.get());
        const int stride = cairo_image_surface_get_stride(s.get());
        const std::uint8_t* d = cairo_image_surface_get_data(s.get());
        planes[pass].resize(static_cast<std::size_t>(side) * side);
        for (int y = 0; y < side; ++y) std::memcpy(&planes[pass][static_cast<std::size_t>(y) * side], d + y * stride, side);
    }
    // Trim to the pixels either mask touches.
    int x0 = side, y0 = side, x1 = -1, y1 = -1;
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) {
            const auto i = static_cast<std::size_t>(y) * side + x;
            if (planes[0][i] | planes[1][i]) x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
        }
    if (x1 < 0) return m;  // nothing drawn (a zero-sized icon)
    m.ox = x0 - r, m.oy = y0 - r, m.w = x1 - x0 + 1, m.h = y1 - y0 + 1;
    m.cov.resize(static_cast<std::size_t>(2) * m.w * m.h);
    m.row_x0.assign(static_cast<std::size_t>(m.h), static_cast<std::uint16_t>(m.w));
    m.row_x1.assign(static_cast<std::size_t>(m.h), 0);
    for (int y = 0; y < m.h; ++y)
        for (int x = 0; x < m.w; ++x) {
            const auto i = static_cast<std::size_t>(y + y0) * side + (x + x0);
            const auto o = 2 * (static_cast<std::size_t>(y) * m.w + x);
            m.cov[o] = planes[0][i], m.cov[o + 1] = planes[1][i];
            if (planes[0][i] | planes[1][i]) {
                m.row_x0[static_cast<std::size_t>(y)] = std::min(m.row_x0[static_cast<std::size_t>(y)], static_cast<std::uint16_t>(x));
                m.row_x1[static_cast<std::size_t>(y)] = static_cast<std::uint16_t>(x + 1);
            }
        }
    return m;
}

const IconSprites::Mask& IconSprites::mask(int heading, int sx, int sy) const {
    auto& slot = m_masks[(static_cast<std::size_t>(heading) * kSub + sy) * kSub + sx];
    if (!slot) slot = std::make_unique<Mask>(render_mask(heading, sx, sy));
    return *slot;
}

std::size_t IconSprites::size() const {
    std::lock_guard lock(m_mutex);
    return static_cast<std::size_t>(std::count_if(m_masks.begin(), m_masks.end(), [](const auto& m) { return m != nullptr; }));
}

bool IconSprites::draw(cairo_t* cr, const std::vector<AircraftIcon>& icons, TileDamage* damage) const {
    auto target = RasterTarget::of(cr);
    if (!target) return false;
    // Only opaque colours: Cairo composites those with the lerp reproduced here.
    for (const auto& ic : icons)
        if (ic.fill.a < 1 || ic.outline.a < 1) return false;
    if (icons.empty()) return true;

    std::lock_guard lock(m_mutex);
    std::uint8_t* data = target->data;
    const int stride = target->stride;
    const auto& clip = target->clip;
    for (const auto& ic : icons) {
        if (ic.k != m_k || ic.line_width != m_line_width) {  // another icon size: masks for it
            m_k = ic.k, m_line_width = ic.line_width;
            m_masks.clear();
        }
        if (m_masks.empty()) m_masks.resize(static_cast<std::size_t>(kHeadings) * kSub * kSub);
        // Device position to 1/4 pixel, heading to its bucket.
        const double dx = ic.x + target->ox, dy = ic.y + target->oy;
        if (!std::isfinite(dx) || !std::isfinite(dy) || !std::isfinite(ic.angle)) continue;
        const double qx = std::round(dx * kSub), qy = std::round(dy * kSub);
        if (std::abs(qx) > 1e8 || std::abs(qy) > 1e8) continue;               // far off the frame
        const double fx = std::floor(qx / kSub), fy = std::floor(qy / kSub);  // whole pixels
        const auto ix = static_cast<long long>(fx), iy = static_cast<long long>(fy);
        const int sx = static_cast<int>(qx - fx * kSub), sy = static_cast<int>(qy - fy * kSub);
        const double turns = ic.angle / (2 * M_PI);
        int heading = static_cast<int>(std::llround((turns - std::floor(turns)) * kHeadings)) % kHeadings;
        const Mask& m = mask(heading, sx, sy);
        if (m.w == 0) continue;
        const long long bx0 = ix + m.ox, by0 = iy + m.oy;
        if (damage)
            damage->add(
                {static_cast<double>(bx0), static_cast<double>(by0), static_cast<double>(bx0 + m.w), static_cast<double>(by0 + m.h)}, 0);
        const std::uint32_t fill = cairo_pixel(ic.fill), line = cairo_pixel(ic.outline);
        for (const auto& c : clip) {
            const long long ya = std::max<long long>(by0, c.y0), yb = std::min<long long>(by0 + m.h, c.y1);
            for (long long y = ya; y < yb; ++y) {
                const auto row = static_cast<std::size_t>(y - by0);
                const long long xa = std::max<long long>(bx0 + m.row_x0[row], c.x0), xb = std::min<long long>(bx0 + m.row_x1[row], c.x1);
                if (xa >= xb) continue;
                auto* px = reinterpret_cast<std::uint32_t*>(data + y * stride);
                const std::uint8_t* cov = &m.cov[2 * (row * static_cast<std::size_t>(m.w) + static_cast<std::size_t>(xa - bx0))];
                for (long long x = xa; x < xb; ++x, cov += 2) {
                    std::uint32_t p = px[x];
                    // The fill, then the outline over it, as Cairo's fill_preserve + stroke.
                    if (cov[0] == 255)
                        p = fill;
                    else if (cov[0])
                        p = lerp8x4(fill, cov[0], p);
                    if (cov[1] == 255)
                        p = line;
                    else if (cov[1])
                        p = lerp8x4(line, cov[1], p);
                    px[x] = p;
                }
            }
        }
    }
    cairo_surface_mark_dirty(cairo_get_target(cr));
    return true;
}

}  // namespace fr::render
