#define GL_GLEXT_PROTOTYPES 1
#include "app/window/trail_layer.hpp"

#include <GL/gl.h>
#include <GL/glext.h>

#include <cmath>

#include "core/error.hpp"
#include "render/frame_state.hpp"

namespace fr::app::window {

namespace {

struct GpuVertex {
    float seg[4];     // a.xy, b.xy (world px)
    float info[4];    // t_a, t_b (s from origin), along_a (world px), altitude (ft, -1e9 unknown)
    float corner[4];  // side, end, gap, 0
    float colour[4];
};
static_assert(sizeof(GpuVertex) == 64);

double secs(TimePoint t, TimePoint origin) { return static_cast<double>((t - origin).count()) / 1000.0; }

/// Altitude (ft) at time t, linear between the fixes around it; NaN when unknown.
double altitude_at(const Flight& f, TimePoint t) {
    const auto i = render::last_fix_at(f.points, t);
    if (!i) return NAN;
    const auto& a = f.points[*i];
    if (*i + 1 >= f.points.size()) return a.altitude() ? a.altitude()->ft() : NAN;
    const auto& b = f.points[*i + 1];
    if (!a.altitude() || !b.altitude()) return a.altitude() ? a.altitude()->ft() : NAN;
    const double span = static_cast<double>((b.time() - a.time()).count());
    const double k = span > 0 ? static_cast<double>((t - a.time()).count()) / span : 0;
    return a.altitude()->ft() + (b.altitude()->ft() - a.altitude()->ft()) * k;
}

}  // namespace

bool TrailLayer::available() { return sf::Shader::isAvailable(); }

TrailLayer::TrailLayer(const render::Scene& home, const std::filesystem::path& dir) : m_origin(home.start()) {
    if (!available()) throw RenderError("flightreplay: this OpenGL context has no GLSL shaders");
    const auto vs = dir / "trail.vert", fs = dir / "trail.frag";
    if (!m_shader.loadFromFile(vs.string(), fs.string()))
        throw RenderError("flightreplay: cannot compile the trail shaders " + vs.string() + " / " + fs.string() +
                          " (the OpenGL log is above)");
    const auto prog = static_cast<GLuint>(m_shader.getNativeHandle());
    m_loc_seg = glGetAttribLocation(prog, "a_seg");
    m_loc_info = glGetAttribLocation(prog, "a_info");
    m_loc_corner = glGetAttribLocation(prog, "a_corner");
    m_loc_colour = glGetAttribLocation(prog, "a_colour");
    if (m_loc_seg < 0 || m_loc_info < 0 || m_loc_corner < 0 || m_loc_colour < 0)
        throw RenderError("flightreplay: the trail shaders lack an attribute (a_seg, a_info, a_corner, a_colour)");

    std::vector<GpuVertex> vx;
    for (const auto& fv : home.flights()) {
        const float col[4] = {static_cast<float>(fv.colour.r), static_cast<float>(fv.colour.g), static_cast<float>(fv.colour.b),
                              static_cast<float>(fv.colour.a)};
        for (const auto& piece : fv.trail) {
            double along = 0;
            for (std::size_t i = 1; i < piece.v.size(); ++i) {
                const auto& a = piece.v[i - 1];
                const auto& b = piece.v[i];
                const double alt = altitude_at(fv.flight, a.t + (b.t - a.t) / 2);
                GpuVertex g{};
                g.seg[0] = static_cast<float>(a.x), g.seg[1] = static_cast<float>(a.y);
                g.seg[2] = static_cast<float>(b.x), g.seg[3] = static_cast<float>(b.y);
                g.info[0] = static_cast<float>(secs(a.t, m_origin)), g.info[1] = static_cast<float>(secs(b.t, m_origin));
                g.info[2] = static_cast<float>(along), g.info[3] = std::isnan(alt) ? -1e9f : static_cast<float>(alt);
                g.corner[2] = piece.gap ? 1.f : 0.f;
                g.corner[3] = (i == 1 ? 1.f : 0.f) + (i + 1 == piece.v.size() ? 2.f : 0.f);
                for (int c = 0; c < 4; ++c) g.colour[c] = col[c];
                // Two triangles: (a,-1) (a,+1) (b,+1) and (a,-1) (b,+1) (b,-1).
                const float corners[6][2] = {{-1, 0}, {1, 0}, {1, 1}, {-1, 0}, {1, 1}, {-1, 1}};
                for (const auto& c : corners) {
                    g.corner[0] = c[0];
                    g.corner[1] = c[1];
                    vx.push_back(g);
                }
                along += std::hypot(b.x - a.x, b.y - a.y);
            }
        }
    }
    m_vertices = vx.size();
    glGenBuffers(1, &m_vbo);
    glBindBuffer(GL_ARRAY_BUFFER, m_vbo);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(vx.size() * sizeof(GpuVertex)), vx.data(), GL_STATIC_DRAW);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    if (glGetError() != GL_NO_ERROR) throw RenderError("flightreplay: cannot upload the trails to the GPU");
}

TrailLayer::~TrailLayer() {
    if (m_vbo) glDeleteBuffers(1, &m_vbo);
}

void TrailLayer::draw(const ViewTransform& v, int w, int h, TimePoint t, const render::Style& style, double s,
                      const TrailLook& look) {
    if (m_vertices == 0) return;
    m_shader.setUniform("u_view", sf::Glsl::Vec3(static_cast<float>(v.k), static_cast<float>(v.ox), static_cast<float>(v.oy)));
    m_shader.setUniform("u_screen", sf::Glsl::Vec2(static_cast<float>(w), static_cast<float>(h)));
    m_shader.setUniform("u_time", static_cast<float>(secs(t, m_origin)));
    // Widths and dashes as CairoRenderer::draw_trails draws them.
    m_shader.setUniform("u_width", static_cast<float>(style.trail_width * s));
    m_shader.setUniform("u_gap_width", static_cast<float>(2.2 * s));
    m_shader.setUniform("u_dash_on", static_cast<float>(4 * s));
    m_shader.setUniform("u_dash_off", static_cast<float>(7 * s));
    m_shader.setUniform("u_colour_mode", look.altitude_colours ? 1 : 0);
    m_shader.setUniform("u_fade_s", static_cast<float>(look.fade_s));
    const auto& g = style.trail_gap;
    m_shader.setUniform("u_gap_colour", sf::Glsl::Vec4(static_cast<float>(g.r), static_cast<float>(g.g), static_cast<float>(g.b),
                                                       static_cast<float>(g.a)));
    sf::Shader::bind(&m_shader);
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);  // the fragment shader writes premultiplied colour
    glBindBuffer(GL_ARRAY_BUFFER, m_vbo);
    const GLsizei stride = sizeof(GpuVertex);
    const int locs[4] = {m_loc_seg, m_loc_info, m_loc_corner, m_loc_colour};
    for (int i = 0; i < 4; ++i) {
        glEnableVertexAttribArray(static_cast<GLuint>(locs[i]));
        glVertexAttribPointer(static_cast<GLuint>(locs[i]), 4, GL_FLOAT, GL_FALSE, stride,
                              reinterpret_cast<const void*>(static_cast<std::uintptr_t>(i * 16)));
    }
    glDrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(m_vertices));
    for (int loc : locs) glDisableVertexAttribArray(static_cast<GLuint>(loc));
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    sf::Shader::bind(nullptr);
}

}  // namespace fr::app::window
