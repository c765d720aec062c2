#pragma once
// Draws a Scene at a replay time with Cairo: the (cached) basemap and static overlays, then
// trails flown so far, stop and gap annotations, aircraft, labels, the clock, the provenance
// banner, the timeline bar and the attribution. The same code draws raster frames, vector
// stills and the window's textures.
//
// A facade over three parts: the frame layout (render/frame_layout.hpp: where everything goes,
// no Cairo), the painter (render/painter.hpp: draws a layout, keeps nothing) and the incremental
// cache (render/frame_cache.hpp: the static layer, finished trails, the timeline bar and heat
// images, incremental frames, the static layer's drawing threads). When the scene's camera
// moves, each frame draws the scene framed on the camera's view at its time (a new Scene value,
// Scene::framed); the scene given is never changed. It remembers the last frame drawn for the
// last_* queries.
#include <cairo.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/timeline.hpp"
#include "render/cairo_handles.hpp"
#include "render/cartography.hpp"
#include "render/damage.hpp"
#include "render/density.hpp"
#include "render/frame_cache.hpp"
#include "render/frame_layout.hpp"
#include "render/layout.hpp"
#include "render/painter.hpp"
#include "render/scene.hpp"
#include "render/style_constants.hpp"
#include "render/text.hpp"

namespace fr::render {

class CairoRenderer {
public:
    /// `scene` must outlive the renderer. When its camera moves (Scene::following), draw_frame
    /// draws each frame on the camera's view at the frame's time, and the static layer is drawn
    /// again whenever that view changes; the queries answer for the last frame's view.
    CairoRenderer(const Scene& scene, const TextEngine& text);
    CairoRenderer(const CairoRenderer&) = delete;
    CairoRenderer& operator=(const CairoRenderer&) = delete;

    using LegendItem = render::LegendItem;
    using Furniture = render::Furniture;
    using AirportLabel = render::AirportLabel;
    using GapLabelLine = render::GapLabelLine;
    using DynamicLayers = render::DynamicLayers;
    using PixelShift = render::PixelShift;
    using BarRect = render::BarRect;
    using PlacedLabel = render::PlacedLabel;
    using AircraftIcon = render::AircraftIcon;
    using AircraftNow = render::AircraftNow;
    using PlacedPlace = render::PlacedPlace;

    /// The three parts (see above).
    const FrameLayouter& layout() const noexcept { return m_layout; }
    const Painter& painter() const noexcept { return m_painter; }

    /// Draws a whole frame into `cr` (sized like the scene). With `use_cache`, the basemap and
    /// static overlays come from a cached image (raster outputs); without, they are drawn as
    /// vectors (SVG/PDF).
    void draw_frame(cairo_t* cr, const FrameInfo& f, bool use_cache = true);
    /// The same frame, drawn into `frame` by changing only what differs from the frame drawn
    /// into it before (exports: consecutive frames differ in a few small areas).
    void draw_frame(IncrementalFrame& frame, const FrameInfo& f);
    /// Basemap and everything that does not depend on time (legend, attribution, title,
    /// provenance banner); `with_timeline` leaves room for the timeline bar of videos.
    void draw_static(cairo_t* cr, bool with_timeline = false) const;
    /// draw_static with the furniture given (safe on any thread that owns `cr`, while the
    /// renderer's owner holds a TextEngine::SharedUse).
    void draw_static(cairo_t* cr, bool with_timeline, const Furniture& furniture) const;
    /// The two halves of draw_static, for the window, which moves the map under a pan or zoom
    /// but keeps the furniture fixed to the screen and above the trails and aircraft: the map
    /// (basemap, runways, routes, airports, place names) and the static furniture (figures,
    /// title, banner, legend, scale bar, north arrow, source line) over a transparent surface.
    /// draw_static_map then draw_static_furniture draw what draw_static draws.
    void draw_static_map(cairo_t* cr, bool with_timeline) const;
    void draw_static_furniture(cairo_t* cr, bool with_timeline) const;
    /// Everything that depends on time, over an already drawn static layer.
    void draw_dynamic(cairo_t* cr, const FrameInfo& f);
    /// Parts of draw_dynamic, for the window: it draws trails on the GPU and draws the
    /// map-anchored parts under its own pan/zoom transform, the HUD without it.
    void draw_dynamic(cairo_t* cr, const FrameInfo& f, const DynamicLayers& layers);
    /// The ground-stop cards open at t (as draw_dynamic draws them), each card where the frame
    /// layout put it, and its leader and airport ring at the airport moved by `map` (the
    /// window: the cards stay fixed to the screen while the map under them pans or zooms).
    void draw_stop_cards(cairo_t* cr, TimePoint t, const PixelShift& map) const;

    /// The map furniture that needs the scene's Projector (scale bar, north arrow), worked out
    /// for the current view (see render::Furniture).
    Furniture furniture(bool with_timeline = false) const { return m_layout.furniture(with_timeline); }
    /// One legend entry as the legend draws it: its sample from x (pixels) with its middle at y,
    /// then its text at `px`; k scales the sample (1 at 1080 lines, as text_scale()).
    void draw_legend_item(cairo_t* cr, const LegendItem& item, double x, double y, double px, double k) const {
        m_painter.draw_legend_item(cr, item, x, y, px, k);
    }
    /// Width draw_legend_item covers, pixels.
    double legend_item_width(const LegendItem& item, double px, double k) const { return m_layout.legend_item_width(item, px, k); }
    /// The provenance banner's wordings, the preferred (longer) first; empty for recorded data.
    /// Frames draw it unless SceneOptions::frame_furniture is off (contact-sheet panels).
    std::vector<std::string> banner_texts() const { return m_layout.banner_texts(); }
    /// The provenance banner drawn as frames draw it: `text` (layout::fit_banner) in the warning
    /// colours, centred in `box` (its padding the same on every side), corners rounded by `corner` px.
    void draw_banner(cairo_t* cr, const Box& box, const layout::LaidText& text, double corner) const {
        m_painter.draw_banner(cr, box, text, corner);
    }
    /// The furniture of a frame of this size laid out (render/layout.hpp): computed once per
    /// renderer and timeline flag, drawn at the rectangles it gives.
    const layout::FrameLayout& frame_layout(bool with_timeline) const { return m_layout.frame_layout(with_timeline); }
    /// Every box laid out on the last frame drawn (furniture, hold banner, stop cards, gap,
    /// airport and place labels, aircraft labels), pixels: what the layout tests check.
    std::vector<layout::Placed> last_layout() const;
    /// The airport labels of the last frame drawn, and how many airports on it have none.
    std::vector<AirportLabel> last_airport_labels() const { return m_layout.airport_labels(m_last_with_timeline); }
    int last_unlabelled_airports() const { return m_layout.airport_label_set(m_last_with_timeline).unlabelled; }
    /// Of those, the airports whose ring is hidden under the furniture.
    int last_covered_airports() const { return m_layout.airport_label_set(m_last_with_timeline).covered; }
    /// Aircraft in the air (within a leg) per column of `columns` across the video's length.
    std::vector<int> airborne_counts(const Timeline& tl, int columns) const { return m_layout.airborne_counts(tl, columns); }
    /// The coverage-gap labels of the view (one per gap at most) with their gap's dashed line
    /// (straight, between the fixes on either side), pixels.
    std::vector<GapLabelLine> gap_label_lines() const { return m_layout.gap_label_lines(m_last_with_timeline); }
    /// Text and line scale of this scene's frames (1 at 1080 lines; render::ui_scale), and the
    /// width solid trails are stroked at, pixels (thinner in busy scenes): the window's GPU
    /// trails match them.
    double text_scale() const noexcept { return m_layout.s(); }
    double trail_width_px() const noexcept { return m_layout.trail_width_px(); }
    /// Where draw_dynamic puts the timeline bar of a frame with a timeline (pixels): the
    /// window hit-tests clicks on it. x0..x1 spans the video's duration.
    BarRect timeline_bar_rect() const { return m_layout.timeline_bar_rect(); }

    /// Aircraft labels at replay time t as they will be drawn: text and box (pixels), placed
    /// greedily so no two overlap each other or any aircraft icon; labels that find no room
    /// are left out. Used by draw_dynamic and by the overlap test.
    std::vector<PlacedLabel> label_layout(TimePoint t) const { return m_layout.label_layout(key(t)); }
    /// The aircraft icons draw_dynamic draws at replay time t, in drawing order.
    std::vector<AircraftIcon> aircraft_icons(TimePoint t) const { return m_layout.aircraft_icons(t); }
    /// Each aircraft at replay time t: its state, screen position and screen heading, worked
    /// out once per frame (state_at + projection + a geodesic 5 km ahead) and shared by the
    /// icons, the labels and their leaders and the stop cards' placement. Index: scene.flights().
    /// Valid until the next call with another time (or after the camera moved).
    const std::vector<AircraftNow>& aircraft_now(TimePoint t) const { return m_layout.aircraft_now(t); }
    /// The scale bar as drawn by the static layer (nullopt when hidden or no room).
    std::optional<ScaleBar> drawn_scale_bar(bool with_timeline = false) const { return m_layout.drawn_scale_bar(with_timeline); }
    /// The box the scale bar's card covers, pixels.
    Box scale_bar_box(const ScaleBar& bar) const { return m_layout.scale_bar_box(bar); }

    /// Place names (countries, seas, cities, airports) as the static layer draws them: placed
    /// greedily in the scene's priority order so that none overlaps another, the furniture
    /// (furniture_boxes), the flights' airports and their labels, every possible stop card and
    /// gap label, runways, or the trails and great circles (track_boxes). Aircraft labels in
    /// turn keep clear of them. Computed once per view.
    const std::vector<PlacedPlace>& place_layout(bool with_timeline = false) const { return m_layout.place_layout(with_timeline); }
    /// Boxes of everything drawn over the map that is not a place label: clock, figures,
    /// title, banner, legend, scale bar, north arrow, profile, attribution and timeline bar
    /// (pixels, a little generous).
    std::vector<Box> furniture_boxes(bool with_timeline) const { return m_layout.furniture_boxes(with_timeline); }
    /// Boxes along every trail and great circle (each segment's box widened by the aircraft
    /// icon's half-span, since the icon travels along the trail), pixels.
    std::vector<Box> track_boxes() const { return m_layout.track_boxes(); }
    /// Boxes of the ground-stop cards drawn at replay time t (pixels).
    std::vector<Box> stop_card_boxes(TimePoint t) const { return m_layout.stop_card_boxes(key(t)); }
    /// The legend's entries, top to bottom: the trails, then only what the map shows (coverage
    /// gaps, great circles, ground stops).
    std::vector<std::string> legend_entries() const { return m_layout.legend_entries(); }

    /// The density grid as of the last frame drawn (--style density; null before one or
    /// without density).
    const DensityGrid* density_grid() const noexcept { return m_cache.density_grid(); }
    /// The colour (premultiplied ARGB32) a density cell with `count` samples is drawn with.
    static std::uint32_t density_pixel(std::uint32_t count) noexcept { return FrameCache::density_pixel(count); }

private:
    /// A frame at time t as the last frame drawn had it (its timeline flag; its FrameInfo when
    /// that frame was at t).
    FrameKey key(TimePoint t) const noexcept {
        return {t, m_last_with_timeline, m_last_info && m_last_info->t == t ? &*m_last_info : nullptr};
    }
    /// Remembers f as the last frame drawn (for the last_* queries).
    void remember(const FrameInfo& f);
    /// With a moving camera, frames the scene on the camera's view at t (m_framed); when the
    /// view changed, the layout and cache start again.
    void follow(TimePoint t);

    const Scene& m_given;           ///< the scene as given (never changed)
    std::optional<Scene> m_framed;  ///< a moving camera: the given scene framed at the last frame's time
    const Scene& m_scene;           ///< what the parts draw: *m_framed when the camera moves, else m_given
    FrameLayouter m_layout;
    Painter m_painter;
    FrameCache m_cache;
    std::optional<FrameInfo> m_last_info;  ///< the last frame drawn (its timeline must outlive last_layout calls)
    bool m_last_with_timeline = false;     ///< the layout the static layer's labels keep clear of
};

}  // namespace fr::render
