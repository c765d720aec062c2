#pragma once
// The incremental cache of raster frames: what stays the same from one frame to the next, drawn
// once and kept. It owns the images and the threads; all drawing goes through the painter.
// - the static layer (basemap and everything that does not depend on time), drawn by two
//   threads, a half of the frame each, each with its own context; the furniture that projects
//   (scale bar, north arrow) and the place labels are worked out before they start;
// - the trail chunks finished by the replay time, drawn into a copy of the static layer in the
//   order they finish as time runs on (a step back in time restarts from the static layer);
// - the timeline bar's background, and the density heat image (--style density);
// - IncrementalFrame: a frame kept between calls and brought to the next replay time by
//   restoring and redrawing only the tiles that changed.
#include <cairo.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "render/cairo_handles.hpp"
#include "render/damage.hpp"
#include "render/density.hpp"
#include "render/frame_layout.hpp"
#include "render/painter.hpp"

namespace fr::render {

/// A frame surface kept from one frame to the next. CairoRenderer::draw_frame(IncrementalFrame&)
/// brings it from the previous frame to the next by restoring and redrawing only the damaged
/// tiles, and changed() says which tiles may differ from the previous frame; the pixels are
/// those a fresh draw_frame would give, bit for bit (tested). One incremental frame per renderer.
class IncrementalFrame {
public:
    IncrementalFrame(int width, int height);
    cairo_t* context() const noexcept { return m_cr.get(); }
    cairo_surface_t* surface() const noexcept { return m_surface.get(); }
    const std::uint8_t* data() const noexcept { return cairo_image_surface_get_data(m_surface.get()); }
    int stride() const noexcept { return cairo_image_surface_get_stride(m_surface.get()); }
    /// Tiles drawn over the composed frame; whoever draws more over the frame (title cards,
    /// fades) must add it here, so the next frame composes those tiles again.
    TileDamage& overlay() noexcept { return m_top_drawn; }
    /// Tiles that may differ from the previous frame (everything for the first frame).
    TileDamage changed() const;

private:
    friend class FrameCache;
    SurfacePtr m_surface;  ///< the frame: m_under plus the timeline bar
    CairoPtr m_cr;
    SurfacePtr m_under;  ///< everything but the timeline bar
    CairoPtr m_under_cr;
    TileDamage m_restored, m_under_drawn, m_top_drawn, m_changed;
    unsigned m_bar_generation = 0;
    bool m_fresh = true;
};

class FrameCache {
public:
    /// All four must outlive the cache; `painter` draws with `layout`, which lays out `scene`.
    FrameCache(const Scene& scene, const TextEngine& text, const FrameLayouter& layout, const Painter& painter)
        : m_scene(scene), m_text(text), m_layout(layout), m_painter(painter) {}

    /// The camera moved: the static layer, the finished trails and the heat are drawn again.
    void view_changed() noexcept;
    /// The static layer plus the trail chunks finished by t (the static layer alone with fading
    /// trails or density); records what changed for the next incremental frame. Valid until the
    /// next call.
    cairo_surface_t* advance(TimePoint t, bool with_timeline);
    /// Brings `frame` to f (see IncrementalFrame); advances the cache itself.
    void draw_frame(IncrementalFrame& frame, const FrameInfo& f);
    /// The timeline bar's background for frame f (drawn when the timeline or its place changed);
    /// null when f has no bar (no timeline, --no-timeline-bar, or no room in the layout).
    const BarImage* bar(const FrameInfo& f);
    /// Brings the density grid and its heat image to time t; records the pixels whose heat
    /// changed for the next incremental frame. The image: one pixel per grid cell.
    cairo_surface_t* heat(TimePoint t, bool with_timeline);
    /// The density grid as of the last heat() call (null before one).
    const DensityGrid* density_grid() const noexcept { return m_density ? &*m_density : nullptr; }
    /// The colour (premultiplied ARGB32) a density cell with `count` samples is drawn with.
    static std::uint32_t density_pixel(std::uint32_t count) noexcept;

private:
    void ensure_bar_cache(const FrameInfo& f, double y);
    /// The trails drawn per frame (tips, or whole fading trails) onto `frame`'s lower layer.
    void draw_trails(IncrementalFrame& frame, TimePoint t);
    void update_heat(TimePoint t, bool with_timeline);

    const Scene& m_scene;
    const TextEngine& m_text;
    const FrameLayouter& m_layout;
    const Painter& m_painter;

    SurfacePtr m_static;  ///< basemap and static overlays
    SurfacePtr m_cache;   ///< m_static plus the trail chunks [0, m_cached_chunks)
    bool m_cache_with_timeline = false;
    std::size_t m_cached_chunks = 0;
    TileDamage m_cache_damage;  ///< cache tiles changed since the last incremental frame
    const IncrementalFrame* m_last_frame = nullptr;

    /// The timeline bar without its playhead: it changes only with the timeline (for 1,000
    /// aircraft, re-filling every leg each frame cost ~10% of a window frame).
    SurfacePtr m_bar_cache;
    BarImage m_bar;
    const Timeline* m_bar_timeline = nullptr;
    double m_bar_y = 0, m_bar_total = 0;
    unsigned m_bar_generation = 0;  ///< counts bar cache rebuilds

    std::optional<DensityGrid> m_density;
    SurfacePtr m_heat;                      ///< one pixel per grid cell
    std::vector<std::uint8_t> m_heat_mask;  ///< cells under the furniture: left clear
    int m_heat_layout = -1;                 ///< timeline flag the mask was made for
    bool m_density_valid = false;
    TileDamage m_heat_damage;  ///< heat changed since the last incremental frame
};

}  // namespace fr::render
