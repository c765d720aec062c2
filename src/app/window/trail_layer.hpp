#pragma once
// Trails on the GPU: every segment of every trail is uploaded once (in world pixels, with its
// replay times) and drawn with shaders/trail.vert + trail.frag, which reveal the part flown by
// the time uniform. Needs a current OpenGL context (the window's).
//
// Segments are stored sorted by their end time, so the ones finished in a time interval are
// one contiguous range: the window draws finished segments once into a cached image and, each
// frame, only the newly finished ones plus the one segment in flight per trail piece ("tips").
//
// Busy scenes (more than render::kBusyAircraft aircraft) draw thinned trails: llvmpipe pays
// per triangle (~0.5 us a segment), and 10,000 aircraft have ~600,000 densified segments in a
// 30-minute fade window, a few pixels each. A thinned level joins consecutive segments of a
// piece into one while every vertex joined over lies within `tolerance` screen pixels of where
// the joined segment puts the aircraft at that vertex's time (so the moving tip stays on the
// track within that tolerance too), and the altitude along it stays within 250 ft of linear.
// Level j keeps 0.25 / 2^j world pixels, and a view scaled k draws the first level finer than
// 0.25 / k (levels are built when first needed). Joined segments fade per pixel by the time at
// that pixel (the export fades by each densified segment's start time: the two differ by at most
// one densified segment along the trail). Scenes with few aircraft draw every segment as is.
#include <SFML/Graphics/Shader.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "app/window/gl_canvas.hpp"
#include "app/window/view_controller.hpp"
#include "render/scene.hpp"

namespace fr::app::window {

/// Window-only trail looks (off by default: the window then shows what the exports show).
struct TrailLook {
    bool altitude_colours = false;  ///< colour by altitude instead of the flight's colour
    double fade_s = 0;              ///< > 0: trail older than this (replay s) fades out
};

/// The vertices of a trail piece kept by thinning (TrailLayer's busy-scene levels): indices into
/// `v`, the first and the last always, in order. Consecutive kept vertices a, b may skip the ones
/// between when each of those lies within `tolerance_px` pixels of where the straight segment
/// a-b has the aircraft at that vertex's time (position interpolated linearly in time), its
/// altitude `alt_ft` (per vertex, ft, NaN unknown) is known exactly when a's and b's are and
/// lies within `alt_tolerance_ft` of the line between theirs, and at most `max_join` segments
/// are joined. Greedy from the start; no GL, for tests.
std::vector<std::size_t> thin_trail_piece(const std::vector<render::TrailVertex>& v, const std::vector<double>& alt_ft, double tolerance_px,
                                          double alt_tolerance_ft, std::size_t max_join);

/// Fading trails cached between frames (busy scenes fade their trails, so every frame's trail
/// pixels differ, but only in their opacity): for each pixel of a view, the trails flown so far
/// at full opacity (premultiplied colour, blended over one another as drawn) and the times the
/// fade goes by (start and end, weighted by the same coverage, in a float image). Each frame
/// adds only what was flown since the last one (TrailLayer::draw_increment) and fades the
/// whole image in one pass (TrailLayer::fade_onto). Where trails overlap, the pixel's times
/// are the coverage-weighted mean of theirs, so an older trail under a newer one fades with
/// it (the export blends each at its own opacity). Needs a current OpenGL context.
class TrailFadeCache {
public:
    TrailFadeCache() = default;
    /// Throws fr::RenderError when the framebuffer is incomplete (no float colour buffers).
    TrailFadeCache(int w, int h);
    ~TrailFadeCache();
    TrailFadeCache(TrailFadeCache&& o) noexcept;
    TrailFadeCache& operator=(TrailFadeCache&& o) noexcept;
    TrailFadeCache(const TrailFadeCache&) = delete;
    TrailFadeCache& operator=(const TrailFadeCache&) = delete;

    int width() const noexcept { return m_w; }
    int height() const noexcept { return m_h; }
    bool valid() const noexcept { return m_fbo != 0; }
    /// Empties it and binds it (both images) for drawing.
    void clear() const;
    /// Binds its framebuffer (both images) and a viewport covering it.
    void bind_target() const;
    unsigned colour_texture() const noexcept { return m_colour; }
    unsigned times_texture() const noexcept { return m_times; }

private:
    void release() noexcept;
    unsigned m_colour = 0, m_times = 0, m_fbo = 0;
    int m_w = 0, m_h = 0;
};

class TrailLayer {
public:
    /// True when the OpenGL context runs GLSL shaders (sf::Shader::isAvailable()).
    static bool available();
    /// Compiles the shaders from `dir` and uploads the trails of `home` (the scene whose pixel
    /// frame is the world frame; it must outlive the layer: thinned levels are built from it
    /// when first needed). `thin`: busy scenes draw thinned levels (see above). Throws
    /// fr::RenderError when a shader does not compile.
    TrailLayer(const render::Scene& home, const std::filesystem::path& dir, bool thin = false);
    ~TrailLayer();
    TrailLayer(const TrailLayer&) = delete;
    TrailLayer& operator=(const TrailLayer&) = delete;

    /// Where and how to draw: world -> screen transform `v` into the currently bound
    /// framebuffer (`w` x `h` pixels; `y_up`: a GlImage, whose row 0 is the picture's top, else
    /// the window). Line widths follow the export's style at text scale `s` (pixels per
    /// 1080-line pixel).
    struct Target {
        ViewTransform v;
        int w = 0, h = 0;
        bool y_up = false;
        double s = 1;
        double trail_width = 0;  ///< solid trail width, pixels (render::trail_width_px); 0: the style's at scale s
    };
    /// The level to draw a view scaled `k` (world -> screen) with: 0 for every segment as is
    /// (scenes with few aircraft), else the thinned level fine enough for k.
    std::size_t level_for(double k) const noexcept;
    /// Draws the trails of `level` up to replay time `t`. Leaves SFML's GL states to be reset
    /// by the caller.
    void draw(std::size_t level, const Target& target, TimePoint t, const render::Style& style, const TrailLook& look);
    /// How many segments of `level` have ended by `t`: segments [0, n) in end-time order.
    std::size_t finished_count(std::size_t level, TimePoint t);
    /// Draws the finished segments [first, last) of that order (last <= finished_count(t)),
    /// fully revealed: a cache can be built in several steps. Not for fading looks (their
    /// pixels change with time).
    void draw_finished_range(std::size_t level, const Target& target, std::size_t first, std::size_t last, TimePoint t,
                             const render::Style& style, const TrailLook& look);
    /// Draws only the segments of `level` in flight at `t` (start <= t < end), revealed up to t.
    void draw_in_flight(std::size_t level, const Target& target, TimePoint t, const render::Style& style, const TrailLook& look);
    /// Fading looks, into a TrailFadeCache bound as the target: what was flown after `from`
    /// up to `t`, at full opacity with its fade times (no `from`: everything flown by t that
    /// has not faded out). Consecutive increments (`from` = the previous `t`) share no pixel,
    /// so the cache ends as one draw up to t would have drawn it, less the moving tips' round
    /// caps (draw_over_cache draws them).
    void draw_increment(std::size_t level, const Target& target, std::optional<TimePoint> from, TimePoint t, const render::Style& style,
                        const TrailLook& look);
    /// What a frame at `t` shows over a cache that holds the trails flown up to `from`
    /// (draw_increment): the trails flown since and the moving tips' round caps, faded as
    /// `look` says, into the bound framebuffer.
    void draw_over_cache(std::size_t level, const Target& target, TimePoint from, TimePoint t, const render::Style& style,
                         const TrailLook& look);
    /// The `tile` x `tile` pixel tiles of `target` that a trail of `level` may touch (every
    /// segment's box, widths and caps included), merged along rows: where a TrailFadeCache of
    /// that view can hold anything.
    std::vector<PixelRect> covered_tiles(std::size_t level, const Target& target, int tile = 64);
    /// Draws `cache` faded for replay time `t` into the bound framebuffer (the cache's size, a
    /// y-up Target), blended over what is there, in `rects` only (covered_tiles).
    void fade_onto(const TrailFadeCache& cache, const std::vector<PixelRect>& rects, TimePoint t, const TrailLook& look);
    /// Densified segments of the scene (level 0 when the scene is not busy).
    std::size_t segments() const noexcept { return m_source_segments; }
    /// Segments uploaded for `level` (built if need be).
    std::size_t level_segments(std::size_t level);

private:
    struct Tip {
        double ta, tb;      ///< s from origin (as end_s, so finished and in flight never disagree)
        std::uint32_t pos;  ///< segment index in the sorted buffer
    };
    /// One set of segments uploaded: every densified segment (level 0 of a scene that is not
    /// busy) or a thinned level.
    struct Level {
        unsigned vbo = 0;
        std::size_t vertices = 0;
        std::vector<double> end_s;         ///< end time of each sorted segment, s from origin (ascending)
        std::vector<double> min_start_s;   ///< per sorted segment k, the earliest start among segments k.. (ascending)
        std::vector<float> cpu;            ///< the uploaded vertices (16 floats each), for tips
        std::vector<Tip> tips;             ///< segments of every piece in time order...
        std::vector<std::uint32_t> piece;  ///< ...piece p is tips[piece[p] .. piece[p+1])
        std::size_t segments() const noexcept { return vertices / 6; }
        /// Segments [0, started_count(t)) include every segment begun by t (the rest have not begun).
        std::size_t started_count(double ts) const noexcept;
    };
    Level& level(std::size_t j);
    std::unique_ptr<Level> build(double tolerance_px) const;
    /// `mode`, `from_s`: trail.vert's u_mode and u_from.
    void draw_range(const Target& target, unsigned vbo, std::size_t first_vertex, std::size_t vertices, TimePoint t,
                    const render::Style& style, const TrailLook& look, int mode = 0, double from_s = 0);
    /// draw_increment (mode 1) and draw_over_cache (mode 2).
    void draw_since(std::size_t level, const Target& target, std::optional<TimePoint> from, TimePoint t, const render::Style& style,
                    const TrailLook& look, int mode);
    /// The segments in flight at `ts` (one per piece at most) into m_tip_vbo; how many vertices.
    std::size_t upload_in_flight(const Level& L, double ts);
    double secs(TimePoint t) const noexcept;

    const render::Scene& m_home;
    bool m_thin = false;
    sf::Shader m_shader;
    sf::Shader m_fade_shader;  ///< trail_fade.vert + .frag
    unsigned m_tip_vbo = 0;
    TimePoint m_origin;
    int m_loc_seg = -1, m_loc_info = -1, m_loc_corner = -1, m_loc_colour = -1;
    std::size_t m_source_segments = 0;
    std::vector<std::unique_ptr<Level>> m_levels;  ///< built on first use
    std::vector<float> m_tip_scratch;
};

}  // namespace fr::app::window
