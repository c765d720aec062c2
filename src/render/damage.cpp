#include "render/damage.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace fr::render {

TileDamage::TileDamage(int width, int height)
    : m_width(width), m_height(height), m_cols((width + kTile - 1) / kTile), m_rows((height + kTile - 1) / kTile),
      m_tiles(static_cast<std::size_t>(m_cols) * m_rows, 0) {
    if (width <= 0 || height <= 0) throw std::invalid_argument("TileDamage: empty frame");
}

void TileDamage::add(const Box& b, double pad) {
    if (std::isnan(b.x0) || std::isnan(b.y0) || std::isnan(b.x1) || std::isnan(b.y1)) {
        add_all();
        return;
    }
    const double x0 = std::floor(std::min(b.x0, b.x1) - pad), x1 = std::ceil(std::max(b.x0, b.x1) + pad);
    const double y0 = std::floor(std::min(b.y0, b.y1) - pad), y1 = std::ceil(std::max(b.y0, b.y1) + pad);
    if (x1 <= 0 || y1 <= 0 || x0 >= m_width || y0 >= m_height) return;
    const int c0 = static_cast<int>(std::max(x0, 0.0)) / kTile, r0 = static_cast<int>(std::max(y0, 0.0)) / kTile;
    const int c1 = (static_cast<int>(std::min(x1, static_cast<double>(m_width))) - 1) / kTile;
    const int r1 = (static_cast<int>(std::min(y1, static_cast<double>(m_height))) - 1) / kTile;
    for (int r = r0; r <= r1; ++r)
        std::fill_n(m_tiles.begin() + static_cast<std::ptrdiff_t>(r) * m_cols + c0, c1 - c0 + 1, std::uint8_t{1});
}

void TileDamage::add_all() noexcept { std::fill(m_tiles.begin(), m_tiles.end(), std::uint8_t{1}); }
void TileDamage::clear() noexcept { std::fill(m_tiles.begin(), m_tiles.end(), std::uint8_t{0}); }

void TileDamage::merge(const TileDamage& o) {
    if (o.m_width != m_width || o.m_height != m_height) throw std::invalid_argument("TileDamage: sizes differ");
    for (std::size_t i = 0; i < m_tiles.size(); ++i) m_tiles[i] |= o.m_tiles[i];
}

bool TileDamage::empty() const noexcept {
    return std::none_of(m_tiles.begin(), m_tiles.end(), [](std::uint8_t t) { return t != 0; });
}

bool TileDamage::all() const noexcept {
    return std::all_of(m_tiles.begin(), m_tiles.end(), [](std::uint8_t t) { return t != 0; });
}

long long TileDamage::pixels() const noexcept {
    long long n = 0;
    for_each_run([&](int x0, int y0, int x1, int y1) { n += static_cast<long long>(x1 - x0) * (y1 - y0); });
    return n;
}

Box device_box(cairo_t* cr, double x0, double y0, double x1, double y1) {
    double xs[4] = {x0, x1, x0, x1}, ys[4] = {y0, y0, y1, y1};
    Box b{INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (int i = 0; i < 4; ++i) {
        cairo_user_to_device(cr, &xs[i], &ys[i]);
        b.x0 = std::min(b.x0, xs[i]), b.y0 = std::min(b.y0, ys[i]);
        b.x1 = std::max(b.x1, xs[i]), b.y1 = std::max(b.y1, ys[i]);
    }
    return b;
}

void copy_damaged(const std::uint8_t* from, int from_stride, std::uint8_t* to, int to_stride, const TileDamage& damage) {
    damage.for_each_run([&](int x0, int y0, int x1, int y1) {
        const std::size_t bytes = static_cast<std::size_t>(x1 - x0) * 4;
        for (int y = y0; y < y1; ++y)
            std::memcpy(to + static_cast<std::ptrdiff_t>(y) * to_stride + x0 * 4,
                        from + static_cast<std::ptrdiff_t>(y) * from_stride + x0 * 4, bytes);
    });
}

}  // namespace fr::render
