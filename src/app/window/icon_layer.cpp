#define GL_GLEXT_PROTOTYPES 1
#include "app/window/icon_layer.hpp"

#include <GL/gl.h>
#include <GL/glext.h>

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "render/cairo_handles.hpp"

#include "core/error.hpp"

namespace fr::app::window {

namespace {
constexpr double mask_extent = 11;     // units from the centre: 9 (wing tip) + outline + anti-aliasing
constexpr double mask_oversample = 2;  // mask pixels per screen pixel (bilinear, no mipmaps)

void icon_path(cairo_t* cr) {  // CairoRenderer::draw_aircraft's outline, icon units
    const double v[16][2] = {{0, -9},  {1.6, -3}, {9, 1.5}, {9, 3},    {1.6, 1},  {1.2, 6}, {4, 8},    {4, 9},
                             {0, 8.2}, {-4, 9},   {-4, 8},  {-1.2, 6}, {-1.6, 1}, {-9, 3},  {-9, 1.5}, {-1.6, -3}};
    cairo_move_to(cr, v[0][0], v[0][1]);
    for (int i = 1; i < 16; ++i) cairo_line_to(cr, v[i][0], v[i][1]);
    cairo_close_path(cr);
}
}  // namespace

IconLayer::IconLayer(const std::filesystem::path& dir) {
    const auto vs = dir / "icon.vert", fs = dir / "icon.frag";
    if (!m_shader.loadFromFile(vs.string(), fs.string()))
        throw RenderError("flightreplay: cannot compile the icon shaders " + vs.string() + " / " + fs.string() +
                          " (the OpenGL log is above)");
    const auto prog = static_cast<GLuint>(m_shader.getNativeHandle());
    const char* names[3] = {"a_place", "a_fill", "a_outline"};
    for (int i = 0; i < 3; ++i) {
        m_loc[i] = glGetAttribLocation(prog, names[i]);
        if (m_loc[i] < 0) throw RenderError(std::string("flightreplay: the icon shaders lack the attribute ") + names[i]);
    }
    glGenBuffers(1, &m_vbo);
    glGenTextures(1, &m_mask);
}

IconLayer::~IconLayer() {
    if (m_vbo) glDeleteBuffers(1, &m_vbo);
    if (m_mask) glDeleteTextures(1, &m_mask);
}

void IconLayer::ensure_mask(double line_units, double screen_px_per_unit) {
    // Drawn for the icons' size on screen: llvmpipe samples a single-level texture bilinearly
    // at about half the cost of a mipmapped one (1,000 icons: ~7 instead of ~13.5 ms a frame).
    const int mask_size = std::clamp(static_cast<int>(std::ceil(2 * mask_extent * screen_px_per_unit * mask_oversample)), 8, 512);
    if (std::abs(line_units - m_mask_line) < 1e-6 && mask_size == m_mask_size) return;
    m_mask_line = line_units;
    m_mask_size = mask_size;
    const double mask_px_per_unit = mask_size / (2 * mask_extent);
    // Fill and outline coverage, each in an A8 image, packed as B (fill) and G (outline).
    auto cover = [&](bool outline) {
        render::SurfacePtr s(cairo_image_surface_create(CAIRO_FORMAT_A8, mask_size, mask_size));
        render::CairoPtr cr(cairo_create(s.get()));
        cairo_translate(cr.get(), mask_size / 2.0, mask_size / 2.0);
        cairo_scale(cr.get(), mask_px_per_unit, mask_px_per_unit);
        icon_path(cr.get());
        if (outline) {
            cairo_set_line_width(cr.get(), line_units);
            cairo_stroke(cr.get());
        } else {
            cairo_fill(cr.get());
        }
        cairo_surface_flush(s.get());
        return s;
    };
    const auto fill = cover(false), line = cover(true);
    std::vector<unsigned char> bgra(static_cast<std::size_t>(mask_size) * mask_size * 4, 0);
    const int fs = cairo_image_surface_get_stride(fill.get()), ls = cairo_image_surface_get_stride(line.get());
    const unsigned char* f = cairo_image_surface_get_data(fill.get());
    const unsigned char* l = cairo_image_surface_get_data(line.get());
    for (int y = 0; y < mask_size; ++y)
        for (int x = 0; x < mask_size; ++x) {
            unsigned char* p = &bgra[(static_cast<std::size_t>(y) * mask_size + x) * 4];
            p[0] = f[y * fs + x];
            p[1] = l[y * ls + x];
            p[3] = 255;
        }
    glBindTexture(GL_TEXTURE_2D, m_mask);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, mask_size, mask_size, 0, GL_BGRA, GL_UNSIGNED_BYTE, bgra.data());
    glBindTexture(GL_TEXTURE_2D, 0);
}

void IconLayer::draw(const std::vector<render::CairoRenderer::AircraftIcon>& icons, const ViewTransform& rel, int w, int h, bool y_up) {
    if (icons.empty()) return;
    const double k_screen = std::max(1e-3, icons.front().k * rel.k);  // the same for every icon of a scene
    ensure_mask(icons.front().line_width / icons.front().k, k_screen);
    m_scratch.clear();
    // One point sprite per icon (icon.vert, icon.frag): llvmpipe pays per vertex and per
    // primitive (a 7-sided hull as a fan of 5 triangles, ~40% fewer pixels than a quad, was
    // ~15% slower), so one vertex and one primitive each instead of a quad's four and two.
    for (const auto& ic : icons) {
        const float v[12] = {static_cast<float>(rel.sx(ic.x)), static_cast<float>(rel.sy(ic.y)), static_cast<float>(ic.angle),
                             static_cast<float>(ic.k * rel.k), static_cast<float>(ic.fill.r),    static_cast<float>(ic.fill.g),
                             static_cast<float>(ic.fill.b),    static_cast<float>(ic.fill.a),    static_cast<float>(ic.outline.r),
                             static_cast<float>(ic.outline.g), static_cast<float>(ic.outline.b), static_cast<float>(ic.outline.a)};
        m_scratch.insert(m_scratch.end(), v, v + 12);
    }
    m_shader.setUniform("u_screen", sf::Glsl::Vec2(static_cast<float>(w), static_cast<float>(h)));
    m_shader.setUniform("u_y_up", y_up ? 1.f : 0.f);
    m_shader.setUniform("u_extent", static_cast<float>(mask_extent));
    m_shader.setUniform("u_radius", static_cast<float>(mask_extent));  // the sprite is the mask's square
    m_shader.setUniform("u_mask", 0);
    sf::Shader::bind(&m_shader);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, m_mask);
    glViewport(0, 0, w, h);
    glDisable(GL_SCISSOR_TEST);
    glDisable(GL_DEPTH_TEST);
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glEnable(GL_PROGRAM_POINT_SIZE);
    glEnable(GL_POINT_SPRITE);
    glPointParameteri(GL_POINT_SPRITE_COORD_ORIGIN, GL_LOWER_LEFT);
    glBindBuffer(GL_ARRAY_BUFFER, m_vbo);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(m_scratch.size() * sizeof(float)), m_scratch.data(), GL_STREAM_DRAW);
    const GLsizei stride = 12 * sizeof(float);
    for (int i = 0; i < 3; ++i) {
        glEnableVertexAttribArray(static_cast<GLuint>(m_loc[i]));
        glVertexAttribPointer(static_cast<GLuint>(m_loc[i]), 4, GL_FLOAT, GL_FALSE, stride,
                              reinterpret_cast<const void*>(static_cast<std::uintptr_t>(i * 16)));
    }
    glDrawArrays(GL_POINTS, 0, static_cast<GLsizei>(icons.size()));
    glPointParameteri(GL_POINT_SPRITE_COORD_ORIGIN, GL_UPPER_LEFT);
    glDisable(GL_POINT_SPRITE);
    glDisable(GL_PROGRAM_POINT_SIZE);
    for (int i = 0; i < 3; ++i) glDisableVertexAttribArray(static_cast<GLuint>(m_loc[i]));
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    glBindTexture(GL_TEXTURE_2D, 0);
    sf::Shader::bind(nullptr);
}

}  // namespace fr::app::window
