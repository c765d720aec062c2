#pragma once
// Drawing straight into a raster frame's pixels, for what busy scenes draw thousands of times a
// frame and Cairo draws at a fixed cost per call (path, stroker, scan converter: ~10 us for a
// short trail stroke): the fading trails' strokes here, the aircraft icons in icon_sprites.
// Only where that is what the Cairo context would draw on: see RasterTarget::of.
#include <cairo.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "render/damage.hpp"
#include "render/style.hpp"

namespace fr::render {

/// A Cairo context's target as pixels: an ARGB32 image surface without device offset, drawn
/// with the OVER operator, default antialiasing, no group and a translation-only transformation
/// (device = user + (ox, oy)), clipped to whole-pixel rectangles (device pixels).
struct RasterTarget {
    struct Rect {
        int x0, y0, x1, y1;  ///< half-open
    };
    std::uint8_t* data = nullptr;
    int stride = 0, width = 0, height = 0;
    double ox = 0, oy = 0;
    std::vector<Rect> clip;

    /// nullopt where drawing directly would not be what Cairo draws (vector surfaces, scaled or
    /// rotated contexts, clips that are not whole pixels, other operators).
    static std::optional<RasterTarget> of(cairo_t* cr);
};

/// A colour as Cairo's image backend stores a solid source: premultiplied, each channel through
/// 16 bits (value x alpha x 65535 + 0.5, truncated), then the high byte.
std::uint32_t cairo_pixel(const Rgba& c) noexcept;

/// The vertices of the polyline `xy` (x0, y0, x1, y1, ...) needed to keep it within `tolerance`
/// (pixels) of itself, into `out`: greedy runs from each kept vertex, as long as every vertex
/// skipped stays within `tolerance` of the straight segment that replaces it (so turns back,
/// holding patterns, are kept); the first and last vertices always. A run is at most 64
/// vertices, which bounds the work to 64 checks per vertex.
void thin_polyline(const std::vector<double>& xy, double tolerance, std::vector<double>& out);

/// Strokes the polyline `xy` (x0, y0, x1, y1, ... in user space; one point draws a dot) `width`
/// pixels wide with round joins and caps in `colour`, composited OVER as one stroke (overlapping
/// segments are not blended twice). Coverage of a pixel: its centre's distance d to the line,
/// clamp(width / 2 + 0.5 - d, 0, 1) (exact for horizontal and vertical edges; Cairo samples
/// the area, so diagonal edge pixels differ slightly). Records the pixels it may touch in
/// `damage` (when set).
void stroke_polyline(RasterTarget& target, const std::vector<double>& xy, double width, const Rgba& colour, TileDamage* damage);

}  // namespace fr::render
