#pragma once
// Aircraft icons on the GPU (shaders/icon.vert + icon.frag), for busy scenes: drawing a
// thousand icons with Cairo (fill + stroke each) took ~60 ms a frame at 1080p under load. Here
// Cairo draws the icon once, at twice its size on screen, into a coverage mask (fill and
// outline; re-drawn when the size changes); each aircraft is one point sprite of the mask's
// size, whose pixels turn back by the icon's angle to sample the mask bilinearly (a mipmapped
// mask cost twice as much under llvmpipe; one vertex and one primitive an icon, where a
// rotated quad took four and two). (An analytic outline per fragment, 16 edges, cost ~40 ms
// for 1,000 icons under llvmpipe.) GL may clip a point by its centre (the specification allows
// it): an icon whose centre is off the frame may be missing where the export draws its part
// inside. Needs a current
// OpenGL context.
#include <SFML/Graphics/Shader.hpp>

#include <filesystem>
#include <vector>

#include "app/window/view_controller.hpp"
#include "render/cairo_renderer.hpp"

namespace fr::app::window {

class IconLayer {
public:
    /// Compiles the shaders from `dir`; throws fr::RenderError when they do not compile.
    explicit IconLayer(const std::filesystem::path& dir);
    ~IconLayer();
    IconLayer(const IconLayer&) = delete;
    IconLayer& operator=(const IconLayer&) = delete;

    /// Draws `icons` (scene pixels) moved by `rel` (scene -> screen) into the bound
    /// framebuffer, `w` x `h` pixels, `y_up` as TrailLayer::Target. Leaves SFML's GL states to
    /// be reset by the caller.
    void draw(const std::vector<render::CairoRenderer::AircraftIcon>& icons, const ViewTransform& rel, int w, int h, bool y_up);

private:
    /// (Re)draws the mask for outline width `line_units` (icon units) and icons drawn at
    /// `screen_px_per_unit` if either differs.
    void ensure_mask(double line_units, double screen_px_per_unit);

    sf::Shader m_shader;
    unsigned m_vbo = 0, m_mask = 0;
    double m_mask_line = -1;
    int m_mask_size = 0;
    int m_loc[3] = {-1, -1, -1};
    std::vector<float> m_scratch;
};

}  // namespace fr::app::window
