#pragma once
// Sizes every drawing of a scene shares: the Cairo painter (exports, the window's textures) and
// the window's GPU layers read them here, so a trail looks the same in both. Design pixels are
// pixels of a 1080-line frame; ui_scale turns them into pixels of the frame drawn.
#include <algorithm>

namespace fr::render {

/// Text and line scale of a frame `width` x `height` pixels: 1 at 1080 pixels on the short side
/// (1920x1080, 1080x1920), proportional to it but not below 0.6, so small outputs (640x360) keep
/// text legible (9 px for the smallest font).
inline double ui_scale(int width, int height) noexcept { return std::max(std::min(width, height) / 1080.0, 0.6); }

/// Solid trails in busy scenes (many aircraft) are stroked at this share of the style's width.
inline constexpr double kBusyTrailWidthShare = 0.6;
/// Width solid trails are stroked at, pixels: the style's `trail_width` (design pixels) at scale
/// `s` (ui_scale), thinner in busy scenes.
inline double trail_width_px(double style_trail_width, bool busy, double s) noexcept {
    return (busy ? kBusyTrailWidthShare : 1.0) * style_trail_width * s;
}

/// Coverage-gap trail pieces (no data between two fixes): a dashed line of this width, with
/// dashes kGapDashOn long and kGapDashOff apart, all in design pixels.
inline constexpr double kGapTrailWidth = 2.2;
inline constexpr double kGapDashOn = 4;
inline constexpr double kGapDashOff = 7;

}  // namespace fr::render
