#pragma once
// Aircraft icons of busy scenes drawn from cached coverage masks ("sprites") instead of one Cairo
// fill and one stroke per aircraft: with 10,000 aircraft those two calls were a large part of an
// export frame.
//
// The icon's shape (render::add_icon_path) is rasterised by Cairo once per heading bucket and
// quarter-pixel offset into two 8-bit coverage masks, the fill's and the outline's, which do not
// depend on colour; each icon is then composited from them, fill colour then outline colour, with
// the arithmetic Cairo's image backend (pixman) uses for a solid colour through a coverage mask.
// So a sprite-drawn icon equals the directly drawn one at the bucket's heading and the quarter
// pixel's position; the rounding of heading (to 360/kHeadings degrees: the wing tips move at most
// ~0.1 px) and position (to 1/4 pixel, as text sprites) is the only difference
// (tests/render/icon_sprites_test.cpp states the tolerance).
#include <cairo.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "render/damage.hpp"
#include "render/frame_layout.hpp"

namespace fr::render {

/// Adds the aircraft icon's outline (nose up, centred on the origin, 18 k units wing tip to wing
/// tip) to the current path, closed.
void add_icon_path(cairo_t* cr, double k);

class IconSprites {
public:
    static constexpr int kHeadings = 256;  ///< heading buckets: 1.41 degrees each
    static constexpr int kSub = 4;         ///< sub-pixel positions per axis (1/4 pixel, as text sprites)

    /// Draws `icons` (in order) by compositing their masks straight into cr's target, recording
    /// each icon's pixel box in `damage` (when set). Only where that gives what Cairo would draw:
    /// an ARGB32 image surface without device offset, drawn with the OVER operator, default
    /// antialiasing, a translation-only transformation and a clip of whole-pixel rectangles (or
    /// none). Elsewhere (vector surfaces, a scaled window overlay) it draws nothing and returns false.
    bool draw(cairo_t* cr, const std::vector<AircraftIcon>& icons, TileDamage* damage) const;

    /// Masks made so far (at most kHeadings x kSub x kSub per icon size).
    std::size_t size() const;

private:
    /// One heading and offset: the fill's and the outline's coverage, interleaved (fill, line)
    /// per pixel, over the box of pixels either touches; per row the first and last such pixel.
    struct Mask {
        int ox = 0, oy = 0, w = 0, h = 0;  ///< box relative to the icon's whole-pixel position
        std::vector<std::uint8_t> cov;     ///< 2 x w x h
        std::vector<std::uint16_t> row_x0, row_x1;
    };
    const Mask& mask(int heading, int sx, int sy) const;
    Mask render_mask(int heading, int sx, int sy) const;

    mutable std::mutex m_mutex;
    mutable double m_k = 0, m_line_width = 0;  ///< the icon size the masks were made for
    mutable std::vector<std::unique_ptr<Mask>> m_masks;
};

}  // namespace fr::render
