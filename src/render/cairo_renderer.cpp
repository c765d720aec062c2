#include "render/cairo_renderer.hpp"

#include <cmath>

namespace fr::render {

CairoRenderer::CairoRenderer(const Scene& scene, const TextEngine& text)
    : m_given(scene), m_framed(scene.following() ? std::optional<Scene>(scene) : std::nullopt), m_scene(m_framed ? *m_framed : m_given),
      m_layout(m_scene, text), m_painter(m_scene, text, m_layout), m_cache(m_scene, text, m_layout, m_painter) {}

void CairoRenderer::remember(const FrameInfo& f) {
    m_last_with_timeline = f.timeline != nullptr;  // the layout the static layer's labels keep clear of
    m_last_info = f;
}

void CairoRenderer::follow(TimePoint t) {
    if (!m_framed) return;
    const auto view = m_given.camera().view_at(m_given, t);
    if (!view) return;
    // The parts keep a reference to m_framed's value: it is replaced by the new view's scene
    // (assigned, not re-created), then the layout and cache start again.
    const geo::Extent e = camera_extent(m_given, *view), now = m_framed->transform().extent();
    const double tol = 1e-9 * e.width();
    if (std::abs(now.xmin - e.xmin) < tol && std::abs(now.ymin - e.ymin) < tol && std::abs(now.width() - e.width()) < tol) return;
    *m_framed = m_given.framed(*view);
    m_layout.view_changed();
    m_cache.view_changed();
}

void CairoRenderer::draw_frame(cairo_t* cr, const FrameInfo& f, bool use_cache) {
    check_owner(cr, "a Cairo context (render::CairoRenderer::draw_frame)");
    const bool with_timeline = f.timeline != nullptr;
    remember(f);
    follow(f.t);
    if (use_cache) {
        cairo_surface_t* cache = m_cache.advance(f.t, with_timeline);
        cairo_save(cr);
        cairo_set_source_surface(cr, cache, 0, 0);
        cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
        cairo_paint(cr);
        cairo_restore(cr);
        if (m_layout.density())
            m_painter.paint_heat(cr, m_cache.heat(f.t, with_timeline));
        else
            m_painter.draw_trails(cr, nullptr, f.t, /*tips_only=*/true);
        DynamicLayers rest;
        rest.trails = false;
        draw_dynamic(cr, f, rest);
    } else {
        draw_static(cr, with_timeline);
        draw_dynamic(cr, f);
    }
    check(cr, "drawing a frame");
}

void CairoRenderer::draw_frame(IncrementalFrame& frame, const FrameInfo& f) {
    check_owner(frame.context(), "an incremental frame (render::CairoRenderer::draw_frame)");
    const int W = m_scene.options().width, H = m_scene.options().height;
    if (cairo_image_surface_get_width(frame.surface()) != W || cairo_image_surface_get_height(frame.surface()) != H)
        throw RenderError("incremental frame: size differs from the scene");
    remember(f);
    follow(f.t);
    m_cache.draw_frame(frame, f);
}

void CairoRenderer::draw_static(cairo_t* cr, bool with_timeline) const { draw_static(cr, with_timeline, furniture(with_timeline)); }

void CairoRenderer::draw_static(cairo_t* cr, bool with_timeline, const Furniture& furniture) const {
    m_painter.draw_static(cr, with_timeline, furniture);
}

void CairoRenderer::draw_static_map(cairo_t* cr, bool with_timeline) const { m_painter.draw_static_map(cr, with_timeline); }

void CairoRenderer::draw_static_furniture(cairo_t* cr, bool with_timeline) const {
    check_owner(cr, "a Cairo context (render::CairoRenderer::draw_static_furniture)");
    m_painter.draw_static_hud(cr, with_timeline, furniture(with_timeline));
}

void CairoRenderer::draw_dynamic(cairo_t* cr, const FrameInfo& f) { draw_dynamic(cr, f, DynamicLayers{}); }

void CairoRenderer::draw_dynamic(cairo_t* cr, const FrameInfo& f, const DynamicLayers& layers) {
    check_owner(cr, "a Cairo context (render::CairoRenderer::draw_dynamic)");
    remember(f);
    cairo_surface_t* heat = m_layout.density() && layers.trails ? m_cache.heat(f.t, f.timeline != nullptr) : nullptr;
    const BarImage* bar = layers.hud ? m_cache.bar(f) : nullptr;
    m_painter.draw_dynamic(cr, nullptr, f, layers, bar, heat);
}

void CairoRenderer::draw_stop_cards(cairo_t* cr, TimePoint t, const PixelShift& map) const {
    m_painter.draw_stop_cards(cr, nullptr, key(t), map);
}

std::vector<layout::Placed> CairoRenderer::last_layout() const {
    return m_layout.all_boxes({m_last_info ? m_last_info->t : TimePoint{}, m_last_with_timeline, m_last_info ? &*m_last_info : nullptr});
}

}  // namespace fr::render
