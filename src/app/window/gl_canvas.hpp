#pragma once
// Raw OpenGL images for the window's compositing (needs the window's context to be current).
//
// Why not sf::Texture / sf::Sprite: under Mesa llvmpipe (software GL, our CI and the bench)
// a full-screen textured quad costs 10-20 ms at 1920x1080 on 2 cores, and SFML textures are
// RGBA-ordered, so every copy between them and the (BGRA) window or Cairo's ARGB32 pixels
// takes the per-pixel shader path. Textures created with the unsized GL_RGBA internal format
// from GL_BGRA data are stored BGRA, so uploads of Cairo pixels, glCopyImageSubData between
// them and a y-flipped glBlitFramebuffer to the window are plain memory copies
// (measured 1920x1080: upload 0.6 ms, blit 0.6 ms, versus 2.1 ms and 12-19 ms for RGBA8).
//
// Orientation: row 0 of every GlImage is the TOP row of the picture (as Cairo's), so drawing
// into a GlImage uses a y-up projection (image y 0 -> NDC -1) and blit_to_window flips.
#include <cairo.h>

#include <cstdint>
#include <vector>

namespace fr::app::window {

/// A pixel rectangle (x, y from the top-left; w, h >= 0).
struct PixelRect {
    int x = 0, y = 0, w = 0, h = 0;
};

/// The tiles of `tile` px set in `on` (tx x ty, row-major), merged along rows into rectangles
/// clipped to w x h: what a partial upload or redraw covers.
std::vector<PixelRect> tile_runs(const std::vector<std::uint8_t>& on, int tx, int ty, int tile, int w, int h);

/// A new w x h texture (nearest filtering, clamped at the edges) with undefined contents, in
/// `internal` format (data layout `format`/`type`); left unbound. The caller owns its name.
unsigned new_nearest_texture(int w, int h, int internal, unsigned format, unsigned type);

/// A BGRA texture with a framebuffer object drawing into it. Move-only; frees its GL objects
/// in the destructor (the context must still be current then).
class GlImage {
public:
    GlImage() = default;
    /// Throws fr::RenderError when the framebuffer is incomplete.
    GlImage(int w, int h);
    ~GlImage();
    GlImage(GlImage&& o) noexcept;
    GlImage& operator=(GlImage&& o) noexcept;
    GlImage(const GlImage&) = delete;
    GlImage& operator=(const GlImage&) = delete;

    int width() const noexcept { return m_w; }
    int height() const noexcept { return m_h; }
    unsigned texture() const noexcept { return m_tex; }
    bool valid() const noexcept { return m_tex != 0; }

    /// Uploads rectangle `r` of a Cairo ARGB32 image surface (same size as this image) to the
    /// same place here. The surface must be flushed.
    void upload(cairo_surface_t* s, const PixelRect& r);
    /// Copies all of `src` (same size) into this image: a memory copy.
    void copy_from(const GlImage& src);
    /// Copies `src` moved by whole pixels (its pixel x, y lands on x + dx, y + dy), clipped;
    /// the rest of this image is left as it was. A memory copy, as copy_from.
    void copy_from(const GlImage& src, int dx, int dy);
    /// Binds this image's framebuffer and a viewport covering it, for drawing into it.
    void bind_target() const;
    /// Clears to an opaque colour (components 0..1).
    void clear(float r, float g, float b) const;
    /// Copies this image to the window's back buffer (framebuffer 0), top row at the top.
    void blit_to_window() const;

private:
    void release() noexcept;
    unsigned m_tex = 0, m_fbo = 0;
    int m_w = 0, m_h = 0;
};

/// Draws `rects` of `src` (premultiplied) into `dst` at the same pixel positions, blending with
/// (One, OneMinusSrcAlpha) unless `blend` is false. Fixed-function GL; leaves states changed
/// (the caller resets SFML's).
void draw_rects(const GlImage& src, const std::vector<PixelRect>& rects, const GlImage& dst, bool blend = true);
/// Draws all of `src` into `dst` scaled by k and moved by (ox, oy) pixels, bilinear, blended
/// (One, OneMinusSrcAlpha): the static layer while the view is panned/zoomed.
void draw_transformed(const GlImage& src, double k, double ox, double oy, const GlImage& dst);

}  // namespace fr::app::window
