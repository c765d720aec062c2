#define GL_GLEXT_PROTOTYPES 1
#include "app/window/trail_layer.hpp"

#include <GL/gl.h>
#include <GL/glext.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "render/frame_state.hpp"
#include "render/style_constants.hpp"

namespace fr::app::window {

namespace {

struct GpuVertex {
    float seg[4];     // a.xy, b.xy (world px)
    float info[4];    // t_a, t_b (s from origin), along_a (world px), altitude at a (ft, -1e9 unknown)
    float corner[4];  // side, end, flags (gap + 2 x caps + 8 x joined), altitude at b (ft, -1e9 unknown)
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

std::vector<std::size_t> thin_trail_piece(const std::vector<render::TrailVertex>& v, const std::vector<double>& alt_ft, double tolerance_px,
                                          double alt_tolerance_ft, std::size_t max_join) {
    std::vector<std::size_t> kept;
    const std::size_t n = v.size();
    if (n == 0) return kept;
    // Whether vertices i0..e can be one segment (the checks above, for each vertex between).
    auto joinable = [&](std::size_t i0, std::size_t e) {
        const auto& a = v[i0];
        const auto& b = v[e];
        const double span = static_cast<double>((b.t - a.t).count());
        if (!(span > 0)) return false;
        const bool alt_known = !std::isnan(alt_ft[i0]);
        if (std::isnan(alt_ft[e]) == alt_known) return false;
        for (std::size_t k = i0 + 1; k < e; ++k) {
            const double f = static_cast<double>((v[k].t - a.t).count()) / span;
            if (std::hypot(a.x + (b.x - a.x) * f - v[k].x, a.y + (b.y - a.y) * f - v[k].y) > tolerance_px) return false;
            if (std::isnan(alt_ft[k]) == alt_known) return false;
            if (alt_known && std::abs(alt_ft[i0] + (alt_ft[e] - alt_ft[i0]) * f - alt_ft[k]) > alt_tolerance_ft) return false;
        }
        return true;
    };
    kept.push_back(0);
    for (std::size_t i0 = 0; i0 + 1 < n;) {
        std::size_t j = i0 + 1;
        while (j + 1 < n && j + 1 - i0 <= max_join && joinable(i0, j + 1)) ++j;
        kept.push_back(j);
        i0 = j;
    }
    return kept;
}

TrailFadeCache::TrailFadeCache(int w, int h) : m_w(w), m_h(h) {
    m_colour = new_nearest_texture(w, h, GL_RGBA, GL_BGRA, GL_UNSIGNED_BYTE);
    m_times = new_nearest_texture(w, h, GL_RGBA32F, GL_RGBA, GL_FLOAT);  // times in s need float precision
    glGenFramebuffers(1, &m_fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, m_colour, 0);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT1, GL_TEXTURE_2D, m_times, 0);
    const GLenum bufs[2] = {GL_COLOR_ATTACHMENT0, GL_COLOR_ATTACHMENT1};
    glDrawBuffers(2, bufs);
    const GLenum st = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (st != GL_FRAMEBUFFER_COMPLETE) {
        release();
        throw RenderError("flightreplay: cannot create the fading trails' image (" + std::to_string(w) + "x" + std::to_string(h) + ")");
    }
}

TrailFadeCache::~TrailFadeCache() { release(); }

TrailFadeCache::TrailFadeCache(TrailFadeCache&& o) noexcept
    : m_colour(std::exchange(o.m_colour, 0u)), m_times(std::exchange(o.m_times, 0u)), m_fbo(std::exchange(o.m_fbo, 0u)), m_w(o.m_w),
      m_h(o.m_h) {}

TrailFadeCache& TrailFadeCache::operator=(TrailFadeCache&& o) noexcept {
    if (this != &o) {
        release();
        m_colour = std::exchange(o.m_colour, 0u);
        m_times = std::exchange(o.m_times, 0u);
        m_fbo = std::exchange(o.m_fbo, 0u);
        m_w = o.m_w;
        m_h = o.m_h;
    }
    return *this;
}

void TrailFadeCache::release() noexcept {
    if (m_fbo) glDeleteFramebuffers(1, &m_fbo);
    if (m_colour) glDeleteTextures(1, &m_colour);
    if (m_times) glDeleteTextures(1, &m_times);
    m_fbo = m_colour = m_times = 0;
}

void TrailFadeCache::bind_target() const {
    glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
    glViewport(0, 0, m_w, m_h);
}

void TrailFadeCache::clear() const {
    bind_target();
    glDisable(GL_SCISSOR_TEST);
    glClearColor(0.f, 0.f, 0.f, 0.f);
    glClear(GL_COLOR_BUFFER_BIT);  // both draw buffers
}

bool TrailLayer::available() { return sf::Shader::isAvailable(); }

namespace {
constexpr double kThinTolerancePx = 0.25;  // level 0 of a busy scene: a quarter pixel at the home view
constexpr std::size_t kThinLevels = 7;     // 0.25 / 2^6 px: zoomed in 64x the home view still within a quarter pixel
constexpr std::size_t kMaxJoin = 64;       // densified segments joined at most (bounds the check per join)
constexpr double kAltitudeToleranceFt = 250;
constexpr float kNoAltitude = -1e9f;
}  // namespace

TrailLayer::TrailLayer(const render::Scene& home, const std::filesystem::path& dir, bool thin)
    : m_home(home), m_thin(thin), m_origin(home.start()) {
    if (!available()) throw RenderError("flightreplay: this OpenGL context has no GLSL shaders");
    const auto vs = dir / "trail.vert", fs = dir / "trail.frag";
    if (!m_shader.loadFromFile(vs.string(), fs.string()))
        throw RenderError("flightreplay: cannot compile the trail shaders " + vs.string() + " / " + fs.string() +
                          " (the OpenGL log is above)");
    const auto fvs = dir / "trail_fade.vert", ffs = dir / "trail_fade.frag";
    if (!m_fade_shader.loadFromFile(fvs.string(), ffs.string()))
        throw RenderError("flightreplay: cannot compile the trail shaders " + fvs.string() + " / " + ffs.string() +
                          " (the OpenGL log is above)");
    const auto prog = static_cast<GLuint>(m_shader.getNativeHandle());
    m_loc_seg = glGetAttribLocation(prog, "a_seg");
    m_loc_info = glGetAttribLocation(prog, "a_info");
    m_loc_corner = glGetAttribLocation(prog, "a_corner");
    m_loc_colour = glGetAttribLocation(prog, "a_colour");
    if (m_loc_seg < 0 || m_loc_info < 0 || m_loc_corner < 0 || m_loc_colour < 0)
        throw RenderError("flightreplay: the trail shaders lack an attribute (a_seg, a_info, a_corner, a_colour)");
    for (const auto& fv : home.flights())
        for (const auto& piece : fv.trail)
            if (piece.v.size() > 1) m_source_segments += piece.v.size() - 1;
    glGenBuffers(1, &m_tip_vbo);
    level(0);  // the home view's, now: an upload that fails throws here
}

TrailLayer::~TrailLayer() {
    for (const auto& l : m_levels)
        if (l && l->vbo) glDeleteBuffers(1, &l->vbo);
    if (m_tip_vbo) glDeleteBuffers(1, &m_tip_vbo);
}

std::size_t TrailLayer::level_for(double k) const noexcept {
    if (!m_thin) return 0;
    std::size_t j = 0;
    while (j + 1 < kThinLevels && std::ldexp(1.0, static_cast<int>(j)) < k) ++j;  // 0.25 / 2^j world px <= 0.25 screen px
    return j;
}

TrailLayer::Level& TrailLayer::level(std::size_t j) {
    if (m_levels.size() <= j) m_levels.resize(j + 1);
    if (!m_levels[j]) m_levels[j] = build(m_thin ? std::ldexp(kThinTolerancePx, -static_cast<int>(j)) : 0.0);
    return *m_levels[j];
}

std::size_t TrailLayer::level_segments(std::size_t j) { return level(j).segments(); }

std::unique_ptr<TrailLayer::Level> TrailLayer::build(double tolerance_px) const {
    auto out = std::make_unique<Level>();
    Level& L = *out;
    std::vector<GpuVertex> vx;
    struct PieceSeg {
        std::uint32_t piece;
        double ta, tb;
    };
    std::vector<PieceSeg> meta;  // per segment, in build order
    std::uint32_t pieces = 0;
    std::vector<double> seg_alt, vtx_alt;  // per densified segment (at its middle) and per vertex, ft
    std::vector<std::size_t> kept;         // vertices of a piece that start or end a segment
    for (const auto& fv : m_home.flights()) {
        const float col[4] = {static_cast<float>(fv.colour.r), static_cast<float>(fv.colour.g), static_cast<float>(fv.colour.b),
                              static_cast<float>(fv.colour.a)};
        for (const auto& piece : fv.trail) {
            const auto& v = piece.v;
            const std::size_t n = v.size();
            const bool thin = tolerance_px > 0 && !piece.gap;  // dashed gap pieces keep their segments
            seg_alt.assign(n, NAN);
            for (std::size_t i = 1; i < n; ++i) seg_alt[i] = altitude_at(fv.flight, v[i - 1].t + (v[i].t - v[i - 1].t) / 2);
            if (thin) {
                vtx_alt.resize(n);
                for (std::size_t i = 0; i < n; ++i) vtx_alt[i] = altitude_at(fv.flight, v[i].t);
                kept = thin_trail_piece(v, vtx_alt, tolerance_px, kAltitudeToleranceFt, kMaxJoin);
            } else {
                kept.resize(n);
                std::iota(kept.begin(), kept.end(), std::size_t{0});
            }
            double along = 0;
            for (std::size_t q = 1; q < kept.size(); ++q) {
                const std::size_t i0 = kept[q - 1], j = kept[q];
                const bool joined = j - i0 > 1;
                const auto& a = v[i0];
                const auto& b = v[j];
                // A joined segment's altitude runs from its first vertex's to its last's; a
                // densified segment has one, at its middle (as before thinning).
                const double alt_a = joined ? vtx_alt[i0] : seg_alt[i0 + 1], alt_b = joined ? vtx_alt[j] : seg_alt[i0 + 1];
                const float caps = (i0 == 0 ? 1.f : 0.f) + (j + 1 == n ? 2.f : 0.f);
                GpuVertex g{};
                g.seg[0] = static_cast<float>(a.x), g.seg[1] = static_cast<float>(a.y);
                g.seg[2] = static_cast<float>(b.x), g.seg[3] = static_cast<float>(b.y);
                g.info[0] = static_cast<float>(secs(a.t)), g.info[1] = static_cast<float>(secs(b.t));
                g.info[2] = static_cast<float>(along), g.info[3] = std::isnan(alt_a) ? kNoAltitude : static_cast<float>(alt_a);
                g.corner[2] = (piece.gap ? 1.f : 0.f) + 2.f * caps + (joined ? 8.f : 0.f);
                g.corner[3] = std::isnan(alt_b) ? kNoAltitude : static_cast<float>(alt_b);
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
    L.cpu.resize(vx.size() * 16);
    L.end_s.resize(meta.size());
    L.min_start_s.resize(meta.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        pos_of[order[k]] = static_cast<std::uint32_t>(k);
        L.end_s[k] = end_s[order[k]];
        std::memcpy(&L.cpu[k * 6 * 16], &vx[order[k] * 6], 6 * sizeof(GpuVertex));
    }
    for (std::size_t k = order.size(); k-- > 0;)
        L.min_start_s[k] = std::min(meta[order[k]].ta, k + 1 < order.size() ? L.min_start_s[k + 1] : meta[order[k]].ta);
    // Pieces for the in-flight lookup: segments of a piece are consecutive in build order.
    L.piece.assign(1, 0);
    for (std::size_t i = 0; i < meta.size(); ++i) {
        L.tips.push_back({meta[i].ta, meta[i].tb, pos_of[i]});
        if (i + 1 == meta.size() || meta[i + 1].piece != meta[i].piece) L.piece.push_back(static_cast<std::uint32_t>(i + 1));
    }
    L.vertices = vx.size();
    vx = {};
    glGenBuffers(1, &L.vbo);
    glBindBuffer(GL_ARRAY_BUFFER, L.vbo);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(L.cpu.size() * sizeof(float)), L.cpu.data(), GL_STATIC_DRAW);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    if (glGetError() != GL_NO_ERROR) {
        glDeleteBuffers(1, &L.vbo);
        throw RenderError("flightreplay: cannot upload the trails to the GPU");
    }
    return out;
}

double TrailLayer::secs(TimePoint t) const noexcept { return static_cast<double>((t - m_origin).count()) / 1000.0; }

std::size_t TrailLayer::Level::started_count(double ts) const noexcept {
    // min_start_s ascends: the first segment from which on none has begun.
    return static_cast<std::size_t>(std::upper_bound(min_start_s.begin(), min_start_s.end(), ts) - min_start_s.begin());
}

void TrailLayer::draw(std::size_t lv, const Target& target, TimePoint t, const render::Style& style, const TrailLook& look) {
    Level& L = level(lv);
    // Fading: segments that ended more than fade_s ago are not drawn (the shader discards them
    // too), and they are the first ones in end-time order. Segments not begun by t are not
    // drawn either (the vertex shader drops them too): without this bound every frame ran the
    // vertex shader over the whole replay's segments.
    std::size_t first = 0;
    if (look.fade_s > 0) {
        const double from = secs(t) - look.fade_s;
        first = static_cast<std::size_t>(std::lower_bound(L.end_s.begin(), L.end_s.end(), from) - L.end_s.begin());
    }
    const std::size_t last = std::max(first, L.started_count(secs(t)));
    draw_range(target, L.vbo, first * 6, (last - first) * 6, t, style, look);
}

std::size_t TrailLayer::finished_count(std::size_t lv, TimePoint t) {
    const Level& L = level(lv);
    return static_cast<std::size_t>(std::upper_bound(L.end_s.begin(), L.end_s.end(), secs(t)) - L.end_s.begin());
}

void TrailLayer::draw_finished_range(std::size_t lv, const Target& target, std::size_t first, std::size_t last, TimePoint t,
                                     const render::Style& style, const TrailLook& look) {
    if (last <= first) return;
    draw_range(target, level(lv).vbo, first * 6, (last - first) * 6, t, style, look);
}

void TrailLayer::draw_in_flight(std::size_t lv, const Target& target, TimePoint t, const render::Style& style, const TrailLook& look) {
    const std::size_t n = upload_in_flight(level(lv), secs(t));
    draw_range(target, m_tip_vbo, 0, n, t, style, look);
}

void TrailLayer::draw_increment(std::size_t lv, const Target& target, std::optional<TimePoint> from, TimePoint t,
                                const render::Style& style, const TrailLook& look) {
    draw_since(lv, target, from, t, style, look, 1);
}

void TrailLayer::draw_over_cache(std::size_t lv, const Target& target, TimePoint from, TimePoint t, const render::Style& style,
                                 const TrailLook& look) {
    draw_since(lv, target, from, t, style, look, 2);
}

void TrailLayer::draw_since(std::size_t lv, const Target& target, std::optional<TimePoint> from, TimePoint t, const render::Style& style,
                            const TrailLook& look, int mode) {
    Level& L = level(lv);
    // Segments that end after `from` (else: that have not faded out by t) and have begun by t;
    // the shaders keep of each only the part flown in between.
    const double lo = from ? secs(*from) : secs(t) - std::max(0.0, look.fade_s);
    const auto first = static_cast<std::size_t>(
        (from ? std::upper_bound(L.end_s.begin(), L.end_s.end(), lo) : std::lower_bound(L.end_s.begin(), L.end_s.end(), lo)) -
        L.end_s.begin());
    const std::size_t last = std::max(first, L.started_count(secs(t)));
    draw_range(target, L.vbo, first * 6, (last - first) * 6, t, style, look, mode, from ? lo : -1e30);
}

std::vector<PixelRect> TrailLayer::covered_tiles(std::size_t lv, const Target& target, int tile) {
    const Level& L = level(lv);
    const int tx = (target.w + tile - 1) / tile, ty = (target.h + tile - 1) / tile;
    std::vector<std::uint8_t> on(static_cast<std::size_t>(tx) * ty, 0);
    const double pad = 0.5 * std::max({target.trail_width, render::kGapTrailWidth * target.s, 4.0 * target.s}) + 2;
    const auto& v = target.v;
    for (std::size_t k = 0; k < L.segments(); ++k) {
        const float* g = &L.cpu[k * 6 * 16];  // seg: a.xy, b.xy (world px)
        const double ax = v.sx(g[0]), ay = v.sy(g[1]), bx = v.sx(g[2]), by = v.sy(g[3]);
        const double y0 = std::min(ay, by);
        const int i0 = std::max(0, static_cast<int>(std::floor((std::min(ax, bx) - pad) / tile)));
        const int i1 = std::min(tx - 1, static_cast<int>(std::floor((std::max(ax, bx) + pad) / tile)));
        const int j0 = std::max(0, static_cast<int>(std::floor((y0 - pad) / tile)));
        const int j1 = std::min(ty - 1, static_cast<int>(std::floor((std::max(ay, by) + pad) / tile)));
        for (int j = j0; j <= j1; ++j)
            for (int i = i0; i <= i1; ++i) on[static_cast<std::size_t>(j) * tx + i] = 1;
    }
    return tile_runs(on, tx, ty, tile, target.w, target.h);
}

void TrailLayer::fade_onto(const TrailFadeCache& cache, const std::vector<PixelRect>& rects, TimePoint t, const TrailLook& look) {
    if (rects.empty()) return;
    m_fade_shader.setUniform("u_size", sf::Glsl::Vec2(static_cast<float>(cache.width()), static_cast<float>(cache.height())));
    m_fade_shader.setUniform("u_time", static_cast<float>(secs(t)));
    m_fade_shader.setUniform("u_fade_s", static_cast<float>(look.fade_s));
    m_fade_shader.setUniform("u_colour", 0);
    m_fade_shader.setUniform("u_times", 1);
    sf::Shader::bind(&m_fade_shader);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, cache.times_texture());
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, cache.colour_texture());
    glViewport(0, 0, cache.width(), cache.height());
    glDisable(GL_SCISSOR_TEST);
    glDisable(GL_DEPTH_TEST);
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    // The rectangles in normalised device coordinates (picture row y is framebuffer row y).
    const float sx = 2.f / static_cast<float>(cache.width()), sy = 2.f / static_cast<float>(cache.height());
    glBegin(GL_QUADS);
    for (const auto& r : rects) {
        const float x0 = static_cast<float>(r.x) * sx - 1.f, x1 = static_cast<float>(r.x + r.w) * sx - 1.f;
        const float y0 = static_cast<float>(r.y) * sy - 1.f, y1 = static_cast<float>(r.y + r.h) * sy - 1.f;
        glVertex2f(x0, y0);
        glVertex2f(x1, y0);
        glVertex2f(x1, y1);
        glVertex2f(x0, y1);
    }
    glEnd();
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, 0);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, 0);
    sf::Shader::bind(nullptr);
}

std::size_t TrailLayer::upload_in_flight(const Level& L, double ts) {
    m_tip_scratch.clear();
    for (std::size_t p = 0; p + 1 < L.piece.size(); ++p) {
        const Tip* b = L.tips.data() + L.piece[p];
        const Tip* e = L.tips.data() + L.piece[p + 1];
        if (b == e || ts < b->ta || ts >= (e - 1)->tb) continue;
        // First segment ending after t; in flight when it has started.
        const Tip* k = std::upper_bound(b, e, ts, [](double x, const Tip& s) { return x < s.tb; });
        if (k == e || k->ta > ts || ts >= k->tb) continue;
        const float* vv = &L.cpu[static_cast<std::size_t>(k->pos) * 6 * 16];
        m_tip_scratch.insert(m_tip_scratch.end(), vv, vv + 6 * 16);
    }
    if (m_tip_scratch.empty()) return 0;
    glBindBuffer(GL_ARRAY_BUFFER, m_tip_vbo);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(m_tip_scratch.size() * sizeof(float)), m_tip_scratch.data(), GL_STREAM_DRAW);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    return m_tip_scratch.size() / 16;
}

void TrailLayer::draw_range(const Target& target, unsigned vbo, std::size_t first_vertex, std::size_t vertices, TimePoint t,
                            const render::Style& style, const TrailLook& look, int mode, double from_s) {
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
    m_shader.setUniform("u_mode", static_cast<float>(mode));
    m_shader.setUniform("u_from", static_cast<float>(from_s));
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
