#pragma once
// Trails on the GPU: every segment of every trail is uploaded once (in world pixels, with its
// replay times) and each frame draws them with shaders/trail.vert + trail.frag, which reveal
// the part flown by the time uniform. Needs a current OpenGL context (the window's).
#include <SFML/Graphics/Shader.hpp>

#include <filesystem>

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

    /// Draws the trails up to replay time `t` with world -> screen transform `v` into the
    /// current framebuffer (`w` x `h` pixels). Line widths follow the export's style at text
    /// scale `s` (pixels per 1080-line pixel). Leaves SFML's GL states to be reset by the caller.
    void draw(const ViewTransform& v, int w, int h, TimePoint t, const render::Style& style, double s, const TrailLook& look);
    std::size_t segments() const noexcept { return m_vertices / 6; }

private:
    sf::Shader m_shader;
    unsigned m_vbo = 0;
    std::size_t m_vertices = 0;
    TimePoint m_origin;
    int m_loc_seg = -1, m_loc_info = -1, m_loc_corner = -1, m_loc_colour = -1;
};

}  // namespace fr::app::window
