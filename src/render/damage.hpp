#pragma once
// Damage tracking for frames drawn one after another: which parts of a frame may differ from the
// frame before. Exports keep one frame between calls and redraw, copy and colour-convert only
// the damaged parts (a replay frame is a cached map plus a few moving things).
//
// The frame is cut into kTile x kTile pixel tiles; a tile is damaged when anything drawn touched
// it. Tiles are even-sized and even-aligned, so a damaged area is whole 2x2 chroma blocks.
#include <cairo.h>

#include <cstdint>
#include <vector>

#include "render/cartography.hpp"

namespace fr::render {

class TileDamage {
public:
    static constexpr int kTile = 16;  ///< pixels; even

    TileDamage() = default;
    TileDamage(int width, int height);

    int width() const noexcept { return m_width; }
    int height() const noexcept { return m_height; }

    /// Marks the tiles under `box` (device pixels), grown by `pad` pixels on each side for
    /// anti-aliasing. Boxes off the frame are ignored; NaN boxes damage everything.
    void add(const Box& box, double pad = 2.0);
    void add_all() noexcept;
    void clear() noexcept;
    /// Union with another damage of the same size.
    void merge(const TileDamage& other);
    bool empty() const noexcept;
    bool all() const noexcept;
    long long pixels() const noexcept;  ///< damaged pixels (whole tiles, clipped to the frame)

    /// Calls fn(x0, y0, x1, y1) for each horizontal run of damaged tiles, in pixels, clipped to
    /// the frame: half-open [x0, x1) x [y0, y1), top to bottom, left to right.
    template <class Fn>
    void for_each_run(Fn&& fn) const {
        for (int ty = 0; ty < m_rows; ++ty)
            for (int tx = 0; tx < m_cols;) {
                if (!m_tiles[static_cast<std::size_t>(ty) * m_cols + tx]) {
                    ++tx;
                    continue;
                }
                int end = tx + 1;
                while (end < m_cols && m_tiles[static_cast<std::size_t>(ty) * m_cols + end]) ++end;
                fn(tx * kTile, ty * kTile, std::min(end * kTile, m_width), std::min((ty + 1) * kTile, m_height));
                tx = end;
            }
    }

private:
    int m_width = 0, m_height = 0, m_cols = 0, m_rows = 0;
    std::vector<std::uint8_t> m_tiles;
};

/// The device-space (pixel) bounding box of the user-space box (x0, y0)-(x1, y1) under `cr`'s
/// current transformation.
Box device_box(cairo_t* cr, double x0, double y0, double x1, double y1);

/// Copies the damaged parts of `from` into `to` (both ARGB32, same size).
void copy_damaged(const std::uint8_t* from, int from_stride, std::uint8_t* to, int to_stride, const TileDamage& damage);

}  // namespace fr::render
