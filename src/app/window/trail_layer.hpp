#pragma once
// Trails on the GPU: every segment of every trail is uploaded once (in world pixels, with its
// replay times) and drawn with shaders/trail.vert + trail.frag, which reveal the part flown by
// the time uniform. Needs a current OpenGL context (the window's).
//
// Segments are stored sorted by their end time, so the ones finished in a time interval are
// one contiguous range: the window draws finished segments once into a cached image and, each
// frame, only the newly finished ones plus the one segment in flight per trail piece ("tips").
#include <SFML/Graphics/Shader.hpp>

#include <cstdint>
#include <filesystem>
#include <vector>

#include "app/window/view_controller.hpp"
#include "render/scene.hpp"

namespace fr::app::window {

/// Window-only trail looks (off by default: the window then shows what the exports show).
struct TrailLook {
    bool altitude_colours = false;  ///< colour by altitude instead of the flight's colour
    double fade_s = 0;              ///< > 0: trail older than this (replay s) fades out
};

class TrailLayer {
public:
    /// True when the OpenGL context runs GLSL shaders (sf::Shader::isAvailable()).
    static bool available();
    /// Compiles the shaders from `dir` and uploads the trails of `home` (the scene whose pixel
    /// frame is the world frame). Throws fr::RenderError when a shader does not compile.
    TrailLayer(const render::Scene& home, const std::filesystem::path& dir);
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
    /// Draws the trails up to replay time `t`. Leaves SFML's GL states to be reset by the caller.
    void draw(const Target& target, TimePoint t, const render::Style& style, const TrailLook& look);
    /// Draws only the segments that end in (from, to] (all ending by `to` without `from`),
    /// fully revealed: the cached part. Not for fading looks (their pixels change with time).
    void draw_finished(const Target& target, const TimePoint* from, TimePoint to, const render::Style& style, const TrailLook& look);
    /// How many segments have ended by `t`: segments [0, n) in end-time order are the ones
    /// draw_finished(target, nullptr, t, ...) draws.
    std::size_t finished_count(TimePoint t) const noexcept;
    /// Draws the finished segments [first, last) of that order (last <= finished_count(t)),
    /// fully revealed: a cache can be built in several steps.
    void draw_finished_range(const Target& target, std::size_t first, std::size_t last, TimePoint t, const render::Style& style,
                             const TrailLook& look);
    /// Draws only the segments in flight at `t` (start <= t < end), revealed up to t.
    void draw_in_flight(const Target& target, TimePoint t, const render::Style& style, const TrailLook& look);
    std::size_t segments() const noexcept { return m_vertices / 6; }

private:
    struct Tip {
        double ta, tb;      ///< s from origin (as m_end_s, so finished and in flight never disagree)
        std::uint32_t pos;  ///< segment index in the sorted buffer
    };
    void draw_range(const Target& target, unsigned vbo, std::size_t first_vertex, std::size_t vertices, TimePoint t,
                    const render::Style& style, const TrailLook& look);
    double secs(TimePoint t) const noexcept;

    sf::Shader m_shader;
    unsigned m_vbo = 0, m_tip_vbo = 0;
    std::size_t m_vertices = 0;
    TimePoint m_origin;
    int m_loc_seg = -1, m_loc_info = -1, m_loc_corner = -1, m_loc_colour = -1;
    std::vector<double> m_end_s;         ///< end time of each sorted segment, s from origin (ascending)
    std::vector<float> m_cpu;            ///< the uploaded vertices (16 floats each), for tips
    std::vector<Tip> m_tips;             ///< segments of every piece in time order...
    std::vector<std::uint32_t> m_piece;  ///< ...piece p is m_tips[m_piece[p] .. m_piece[p+1])
    std::vector<float> m_tip_scratch;
};

}  // namespace fr::app::window
