#define GL_GLEXT_PROTOTYPES 1
#include "app/window/gl_canvas.hpp"

#include <GL/gl.h>
#include <GL/glext.h>

#include <algorithm>
#include <string>
#include <utility>

#include "core/error.hpp"

namespace fr::app::window {

std::vector<PixelRect> tile_runs(const std::vector<std::uint8_t>& on, int tx, int ty, int tile, int w, int h) {
    std::vector<PixelRect> out;
    for (int j = 0; j < ty; ++j)
        for (int i = 0; i < tx;) {
            if (!on[static_cast<std::size_t>(j) * tx + i]) {
                ++i;
                continue;
            }
            int e = i;
            while (e < tx && on[static_cast<std::size_t>(j) * tx + e]) ++e;
            const int x0 = i * tile, y0 = j * tile;
            out.push_back({x0, y0, std::min(w, e * tile) - x0, std::min(h, y0 + tile) - y0});
            i = e;
        }
    return out;
}

unsigned new_nearest_texture(int w, int h, int internal, unsigned format, unsigned type) {
    GLuint tex = 0;
    glGenTextures(1, &tex);
    glBindTexture(GL_TEXTURE_2D, tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, internal, w, h, 0, format, type, nullptr);
    glBindTexture(GL_TEXTURE_2D, 0);
    return tex;
}

GlImage::GlImage(int w, int h) : m_w(w), m_h(h) {
    // Unsized GL_RGBA + GL_BGRA data: Mesa stores it BGRA (see the header).
    m_tex = new_nearest_texture(w, h, GL_RGBA, GL_BGRA, GL_UNSIGNED_BYTE);
    glGenFramebuffers(1, &m_fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, m_tex, 0);
    const GLenum st = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (st != GL_FRAMEBUFFER_COMPLETE) {
        release();
        throw RenderError("flightreplay: cannot create a " + std::to_string(w) + "x" + std::to_string(h) + " framebuffer (status 0x" +
                          std::to_string(st) + ")");
    }
}

GlImage::~GlImage() { release(); }

GlImage::GlImage(GlImage&& o) noexcept : m_tex(std::exchange(o.m_tex, 0)), m_fbo(std::exchange(o.m_fbo, 0)), m_w(o.m_w), m_h(o.m_h) {}

GlImage& GlImage::operator=(GlImage&& o) noexcept {
    if (this != &o) {
        release();
        m_tex = std::exchange(o.m_tex, 0);
        m_fbo = std::exchange(o.m_fbo, 0);
        m_w = o.m_w, m_h = o.m_h;
    }
    return *this;
}

void GlImage::release() noexcept {
    if (m_fbo) glDeleteFramebuffers(1, &m_fbo);
    if (m_tex) glDeleteTextures(1, &m_tex);
    m_fbo = m_tex = 0;
}

void GlImage::upload(cairo_surface_t* s, const PixelRect& r) {
    if (r.w <= 0 || r.h <= 0) return;
    glBindTexture(GL_TEXTURE_2D, m_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, cairo_image_surface_get_stride(s) / 4);
    glPixelStorei(GL_UNPACK_SKIP_PIXELS, r.x);
    glPixelStorei(GL_UNPACK_SKIP_ROWS, r.y);
    glTexSubImage2D(GL_TEXTURE_2D, 0, r.x, r.y, r.w, r.h, GL_BGRA, GL_UNSIGNED_BYTE, cairo_image_surface_get_data(s));
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_SKIP_PIXELS, 0);
    glPixelStorei(GL_UNPACK_SKIP_ROWS, 0);
    glBindTexture(GL_TEXTURE_2D, 0);
}

void GlImage::copy_from(const GlImage& src) {
    glCopyImageSubData(src.m_tex, GL_TEXTURE_2D, 0, 0, 0, 0, m_tex, GL_TEXTURE_2D, 0, 0, 0, 0, m_w, m_h, 1);
}

void GlImage::copy_from(const GlImage& src, int dx, int dy) {
    const int sx = std::max(0, -dx), sy = std::max(0, -dy);
    const int w = std::min(src.m_w - sx, m_w - (sx + dx)), h = std::min(src.m_h - sy, m_h - (sy + dy));
    if (w <= 0 || h <= 0) return;
    glCopyImageSubData(src.m_tex, GL_TEXTURE_2D, 0, sx, sy, 0, m_tex, GL_TEXTURE_2D, 0, sx + dx, sy + dy, 0, w, h, 1);
}

void GlImage::bind_target() const {
    glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
    glViewport(0, 0, m_w, m_h);
}

void GlImage::clear(float r, float g, float b) const {
    bind_target();
    glDisable(GL_SCISSOR_TEST);
    glClearColor(r, g, b, 1.f);
    glClear(GL_COLOR_BUFFER_BIT);
}

void GlImage::blit_to_window() const {
    glBindFramebuffer(GL_READ_FRAMEBUFFER, m_fbo);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
    glDisable(GL_SCISSOR_TEST);
    // Flipped: row 0 (top) goes to the window's top (GL's y points up).
    glBlitFramebuffer(0, 0, m_w, m_h, 0, m_h, m_w, 0, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

namespace {

void begin_quads(const GlImage& src, const GlImage& dst, bool blend, bool smooth) {
    dst.bind_target();
    glUseProgram(0);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_SCISSOR_TEST);
    glDisable(GL_CULL_FACE);
    glDisable(GL_LIGHTING);
    glDisable(GL_ALPHA_TEST);
    glMatrixMode(GL_PROJECTION);
    glLoadIdentity();
    glOrtho(0, dst.width(), 0, dst.height(), -1, 1);  // image y 0 (top row) -> row 0
    glMatrixMode(GL_MODELVIEW);
    glLoadIdentity();
    glMatrixMode(GL_TEXTURE);
    glLoadIdentity();
    glEnable(GL_TEXTURE_2D);
    glBindTexture(GL_TEXTURE_2D, src.texture());
    const GLint f = smooth ? GL_LINEAR : GL_NEAREST;
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, f);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, f);
    glTexEnvi(GL_TEXTURE_ENV, GL_TEXTURE_ENV_MODE, GL_REPLACE);
    glColor4f(1, 1, 1, 1);
    if (blend) {
        glEnable(GL_BLEND);
        glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    } else {
        glDisable(GL_BLEND);
    }
    glBegin(GL_QUADS);
}

void end_quads() {
    glEnd();
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindTexture(GL_TEXTURE_2D, 0);
    glDisable(GL_TEXTURE_2D);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

}  // namespace

void draw_rects(const GlImage& src, const std::vector<PixelRect>& rects, const GlImage& dst, bool blend) {
    if (rects.empty()) return;
    const double tw = src.width(), th = src.height();
    begin_quads(src, dst, blend, false);
    for (const auto& r : rects) {
        const double x0 = r.x, y0 = r.y, x1 = r.x + r.w, y1 = r.y + r.h;
        glTexCoord2d(x0 / tw, y0 / th), glVertex2d(x0, y0);
        glTexCoord2d(x1 / tw, y0 / th), glVertex2d(x1, y0);
        glTexCoord2d(x1 / tw, y1 / th), glVertex2d(x1, y1);
        glTexCoord2d(x0 / tw, y1 / th), glVertex2d(x0, y1);
    }
    end_quads();
}

void draw_transformed(const GlImage& src, double k, double ox, double oy, const GlImage& dst) {
    begin_quads(src, dst, true, true);
    const double x1 = ox + src.width() * k, y1 = oy + src.height() * k;
    glTexCoord2d(0, 0), glVertex2d(ox, oy);
    glTexCoord2d(1, 0), glVertex2d(x1, oy);
    glTexCoord2d(1, 1), glVertex2d(x1, y1);
    glTexCoord2d(0, 1), glVertex2d(ox, y1);
    end_quads();
}

}  // namespace fr::app::window
