#pragma once
// The painter: draws a scene's frame layout (render/frame_layout.hpp) onto a Cairo context.
// It keeps nothing between calls but the coverage masks of busy scenes' aircraft icons
// (render/icon_sprites.hpp: they depend on the icon's size alone, never on what was drawn
// before): it reads the scene, measures and draws text through the TextEngine and asks the
// layouter where things go; whatever a call draws over is reported to the TileDamage it is given
// (null: not recorded). The same calls draw raster frames (through
// the incremental cache, render/frame_cache.hpp), vector stills and the window's textures.
//
// Threads: the static layer's calls (draw_static, draw_static_map, draw_static_furniture) may run
// on two threads at once, each with its own context, while the TextEngine's owner holds a
// TextEngine::SharedUse; they never project (the Furniture is computed beforehand).
#include <cairo.h>

#include <cstddef>
#include <memory>
#include <utility>

#include "render/damage.hpp"
#include "render/frame_layout.hpp"
#include "render/text.hpp"

namespace fr::render {

/// The timeline bar's background drawn once (it changes only with the timeline): an image of
/// whole pixel rows from frame row y0 on.
struct BarImage {
    cairo_surface_t* image = nullptr;
    int y0 = 0;
};

/// What of the dynamic layer to draw (the window draws trails on the GPU, the map-anchored
/// parts under its pan/zoom transform and the HUD without it).
struct DynamicLayers {
    bool trails = true;          ///< trails flown so far
    bool annotations = true;     ///< gap labels
    bool stop_cards = true;      ///< ground-stop cards with their leaders and airport rings
    bool aircraft = true;        ///< aircraft and their labels
    bool aircraft_icons = true;  ///< with `aircraft`: false draws the labels only (the window draws icons on the GPU)
    bool hud = true;             ///< clock, hold card, timeline bar
};

class IconSprites;

class Painter {
public:
    /// All three must outlive the painter.
    Painter(const Scene& scene, const TextEngine& text, const FrameLayouter& layout);
    ~Painter();
    Painter(const Painter&) = delete;
    Painter& operator=(const Painter&) = delete;

    // The static layer: basemap and everything that does not depend on time.
    void draw_static(cairo_t* cr, bool with_timeline, const Furniture& furniture) const;
    /// The map part (basemap, runways, routes, airports, place names).
    void draw_static_map(cairo_t* cr, bool with_timeline) const;
    /// The furniture part (figures, title, banner, legend, scale bar, north arrow, source line).
    void draw_static_hud(cairo_t* cr, bool with_timeline, const Furniture& furniture) const;
    void draw_banner(cairo_t* cr, const Box& box, const layout::LaidText& text, double corner) const;
    void draw_legend_item(cairo_t* cr, const LegendItem& item, double x, double y, double px, double k) const;

    // Trails.
    /// Finished chunks [from_chunk, first ending after t), in order; *drawn (when set) gets the
    /// index after the last one drawn.
    void draw_finished_chunks(cairo_t* cr, TileDamage* damage, const TrailChunks& chunks, TimePoint t, std::size_t from_chunk,
                              std::size_t* drawn) const;
    /// Each piece's unfinished chunk up to t.
    void draw_trail_tips(cairo_t* cr, TileDamage* damage, const TrailChunks& chunks, TimePoint t) const;
    /// Trails flown by t (only the tips with `tips_only`; fading trails always whole).
    void draw_trails(cairo_t* cr, TileDamage* damage, TimePoint t, bool tips_only = false) const;

    // The dynamic layer.
    /// Everything that depends on time, as `layers` says, over an already drawn static layer:
    /// trails (density: the `heat` image instead), gap labels and stop cards, aircraft and their
    /// labels, then the HUD (the timeline bar only when `bar` is given).
    void draw_dynamic(cairo_t* cr, TileDamage* damage, const FrameInfo& f, const DynamicLayers& layers, const BarImage* bar,
                      cairo_surface_t* heat) const;
    void draw_stops_and_gaps(cairo_t* cr, TileDamage* damage, const FrameKey& q, bool gaps = true, bool cards = true) const;
    void draw_stop_cards(cairo_t* cr, TileDamage* damage, const FrameKey& q, const PixelShift& map) const;
    void draw_aircraft(cairo_t* cr, TileDamage* damage, const FrameKey& q, bool icons = true) const;
    /// Clock, hold card, profile and, when `bar` is given, the timeline bar over them.
    void draw_hud(cairo_t* cr, TileDamage* damage, const FrameInfo& f, const BarImage* bar) const;
    /// The timeline bar at frame row y: its cached background (`bar`; with `only`, painted only
    /// on those device tiles), then the playhead.
    void draw_timeline_bar(cairo_t* cr, TileDamage* damage, const FrameInfo& f, double y, const BarImage& bar,
                           const TileDamage* only = nullptr) const;
    /// All of the bar but the playhead (what BarImage holds).
    void draw_timeline_bar_background(cairo_t* cr, const FrameInfo& f, double y) const;
    /// The density heat image (one pixel per cell) painted over the map, clipped to `only` when given.
    void paint_heat(cairo_t* cr, cairo_surface_t* heat, const TileDamage* only = nullptr) const;

private:
    double s() const noexcept { return m_layout.s(); }
    bool busy() const noexcept { return m_layout.busy(); }
    bool fading() const noexcept { return m_layout.fading(); }
    bool density() const noexcept { return m_layout.density(); }
    double icon_scale() const noexcept { return m_layout.icon_scale(); }
    double trail_width_px() const noexcept { return m_layout.trail_width_px(); }

    void draw_basemap(cairo_t* cr) const;
    void draw_runways(cairo_t* cr) const;
    void draw_routes_and_airports(cairo_t* cr, bool with_timeline) const;
    void draw_places(cairo_t* cr, bool with_timeline) const;
    void draw_scale_and_north(cairo_t* cr, const Furniture& furniture) const;
    void stroke_chunk(cairo_t* cr, TileDamage* damage, const TrailChunk& c, TimePoint t, bool partial) const;
    void draw_trails_fading(cairo_t* cr, TileDamage* damage, TimePoint t) const;
    void draw_profile(cairo_t* cr, TileDamage* damage, const FrameInfo& f) const;
    template <class... A>
    void text(cairo_t* cr, TileDamage* damage, A&&... a) const {
        const Box b = m_text.draw(cr, std::forward<A>(a)...);
        if (damage) damage->add(device_box(cr, b.x0, b.y0, b.x1, b.y1));
    }

    const Scene& m_scene;
    const TextEngine& m_text;
    const FrameLayouter& m_layout;
    /// Busy scenes' icons, composited from cached masks on raster targets (draw_aircraft).
    std::unique_ptr<IconSprites> m_icons;
};

}  // namespace fr::render
