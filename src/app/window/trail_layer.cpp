#define GL_GLEXT_PROTOTYPES 1
#include "app/window/trail_layer.hpp"

#include <GL/gl.h>
#include <GL/glext.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "core/error.hpp"
#include "render/frame_state.hpp"
#include "render/style_constants.hpp"

namespace fr::app::window {

namespace {

struct GpuVertex {
    float seg[4];     // a.xy, b.xy (world px)
    float info[4];    // t_a, t_b (s from origin), along_a (world px), altitude (ft, -1e9 unknown)
    float corner[4];  // side, end, gap, 0
    float colour[4];
};
static_assert(sizeof(GpuVertex) == 64);

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
    struct PieceSeg {
        std::uint32_t piece;
        double ta, tb;
    };
    std::vector<PieceSeg> meta;  // per segment, in build order
    std::uint32_t pieces = 0;
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
                g.info[0] = static_cast<float>(secs(a.t)), g.info[1] = static_cast<float>(secs(b.t));
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
                meta.push_back({pieces, secs(a.t), secs(b.t)});
                along += std::hypot(b.x - a.x, b.y - a.y);
            }
            ++pieces;
        }
    }
    // Sort segments by end time (stable: ties keep flight and trail order, so overlapping
    // trails blend in the order the exports draw them wherever times allow).
    std::vector<std::uint32_t> order(meta.size());
    std::iota(order.begin(), order.end(), 0u);
    std::vector<double> end_s(meta.size());
    for (std::size_t i = 0; i < meta.size(); ++i) end_s[i] = meta[i].tb;
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return end_s[a] < end_s[b]; });
    std::vector<std::uint32_t> pos_of(meta.size());
    m_cpu.resize(vx.size() * 16);
    m_end_s.resize(meta.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        pos_of[order[k]] = static_cast<std::uint32_t>(k);
        m_end_s[k] = end_s[order[k]];
        std::memcpy(&m_cpu[k * 6 * 16], &vx[order[k] * 6], 6 * sizeof(GpuVertex));
    }
    // Pieces for the in-flight lookup: segments of a piece are consecutive in build order.
    m_piece.assign(1, 0);
    for (std::size_t i = 0; i < meta.size(); ++i) {
        m_tips.push_back({meta[i].ta, meta[i].tb, pos_of[i]});
        if (i + 1 == meta.size() || meta[i + 1].piece != meta[i].piece) m_piece.push_back(static_cast<std::uint32_t>(i + 1));
    }
    m_vertices = vx.size();
    glGenBuffers(1, &m_vbo);
    glBindBuffer(GL_ARRAY_BUFFER, m_vbo);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(m_cpu.size() * sizeof(float)), m_cpu.data(), GL_STATIC_DRAW);
    glGenBuffers(1, &m_tip_vbo);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    if (glGetError() != GL_NO_ERROR) throw RenderError("flightreplay: cannot upload the trails to the GPU");
}

TrailLayer::~TrailLayer() {
    if (m_vbo) glDeleteBuffers(1, &m_vbo);
    if (m_tip_vbo) glDeleteBuffers(1, &m_tip_vbo);
}

double TrailLayer::secs(TimePoint t) const noexcept { return static_cast<double>((t - m_origin).count()) / 1000.0; }

void TrailLayer::draw(const Target& target, TimePoint t, const render::Style& style, const TrailLook& look) {
    // Fading: segments that ended more than fade_s ago are not drawn (the shader discards them
    // too), and they are the first ones in end-time order.
    std::size_t first = 0;
    if (look.fade_s > 0) {
        const double from = secs(t) - look.fade_s;
        first = static_cast<std::size_t>(std::lower_bound(m_end_s.begin(), m_end_s.end(), from) - m_end_s.begin());
    }
    draw_range(target, m_vbo, first * 6, m_vertices - first * 6, t, style, look);
}

void TrailLayer::draw_finished(const Target& target, const TimePoint* from, TimePoint to, const render::Style& style,
                               const TrailLook& look) {
    // Finished by `to`: end <= to. The shader compares float times; rounding is monotonic, so
    // a segment with end <= to here is fully revealed there too.
    const auto last = std::upper_bound(m_end_s.begin(), m_end_s.end(), secs(to)) - m_end_s.begin();
    const auto first = from ? std::upper_bound(m_end_s.begin(), m_end_s.end(), secs(*from)) - m_end_s.begin() : 0;
    if (last <= first) return;
    draw_range(target, m_vbo, static_cast<std::size_t>(first) * 6, static_cast<std::size_t>(last - first) * 6, to, style, look);
}

std::size_t TrailLayer::finished_count(TimePoint t) const noexcept {
    return static_cast<std::size_t>(std::upper_bound(m_end_s.begin(), m_end_s.end(), secs(t)) - m_end_s.begin());
}

void TrailLayer::draw_finished_range(const Target& target, std::size_t first, std::size_t last, TimePoint t, const render::Style& style,
                                     const TrailLook& look) {
    if (last <= first) return;
    draw_range(target, m_vbo, first * 6, (last - first) * 6, t, style, look);
}

void TrailLayer::draw_in_flight(const Target& target, TimePoint t, const render::Style& style, const TrailLook& look) {
    const double ts = secs(t);
    m_tip_scratch.clear();
    for (std::size_t p = 0; p + 1 < m_piece.size(); ++p) {
        const Tip* b = m_tips.data() + m_piece[p];
        const Tip* e = m_tips.data() + m_piece[p + 1];
        if (b == e || ts < b->ta || ts >= (e - 1)->tb) continue;
        // First segment ending after t; in flight when it has started.
        const Tip* k = std::upper_bound(b, e, ts, [](double x, const Tip& s) { return x < s.tb; });
        if (k == e || k->ta > ts || ts >= k->tb) continue;
        const float* v = &m_cpu[static_cast<std::size_t>(k->pos) * 6 * 16];
        m_tip_scratch.insert(m_tip_scratch.end(), v, v + 6 * 16);
    }
    if (m_tip_scratch.empty()) return;
    glBindBuffer(GL_ARRAY_BUFFER, m_tip_vbo);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(m_tip_scratch.size() * sizeof(float)), m_tip_scratch.data(), GL_STREAM_DRAW);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    draw_range(target, m_tip_vbo, 0, m_tip_scratch.size() / 16, t, style, look);
}

void TrailLayer::draw_range(const Target& target, unsigned vbo, std::size_t first_vertex, std::size_t vertices, TimePoint t,
                            const render::Style& style, const TrailLook& look) {
    if (vertices == 0) return;
    const auto& v = target.v;
    const double s = target.s;
    m_shader.setUniform("u_view", sf::Glsl::Vec3(static_cast<float>(v.k), static_cast<float>(v.ox), static_cast<float>(v.oy)));
    m_shader.setUniform("u_screen", sf::Glsl::Vec2(static_cast<float>(target.w), static_cast<float>(target.h)));
    m_shader.setUniform("u_y_up", target.y_up ? 1.f : 0.f);
    m_shader.setUniform("u_time", static_cast<float>(secs(t)));
    // Widths and dashes as the painter strokes them (render/style_constants.hpp).
    m_shader.setUniform(
        "u_width", static_cast<float>(target.trail_width > 0 ? target.trail_width : render::trail_width_px(style.trail_width, false, s)));
    m_shader.setUniform("u_gap_width", static_cast<float>(render::kGapTrailWidth * s));
    m_shader.setUniform("u_dash_on", static_cast<float>(render::kGapDashOn * s));
    m_shader.setUniform("u_dash_off", static_cast<float>(render::kGapDashOff * s));
    m_shader.setUniform("u_colour_mode", look.altitude_colours ? 1 : 0);
    m_shader.setUniform("u_fade_s", static_cast<float>(look.fade_s));
    const auto& g = style.trail_gap;
    m_shader.setUniform("u_gap_colour",
                        sf::Glsl::Vec4(static_cast<float>(g.r), static_cast<float>(g.g), static_cast<float>(g.b), static_cast<float>(g.a)));
    sf::Shader::bind(&m_shader);
    glViewport(0, 0, target.w, target.h);
    glDisable(GL_SCISSOR_TEST);
    glDisable(GL_DEPTH_TEST);
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);  // the fragment shader writes premultiplied colour
    glBindBuffer(GL_ARRAY_BUFFER, vbo);
    const GLsizei stride = sizeof(GpuVertex);
    const int locs[4] = {m_loc_seg, m_loc_info, m_loc_corner, m_loc_colour};
    for (int i = 0; i < 4; ++i) {
        glEnableVertexAttribArray(static_cast<GLuint>(locs[i]));
        glVertexAttribPointer(static_cast<GLuint>(locs[i]), 4, GL_FLOAT, GL_FALSE, stride,
                              reinterpret_cast<const void*>(static_cast<std::uintptr_t>(i * 16)));
    }
    glDrawArrays(GL_TRIANGLES, static_cast<GLint>(first_vertex), static_cast<GLsizei>(vertices));
    for (int loc : locs) glDisableVertexAttribArray(static_cast<GLuint>(loc));
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    sf::Shader::bind(nullptr);
}

}  // namespace fr::app::window
