#pragma once
// Draws a Scene at a replay time with Cairo: the (cached) basemap and static overlays, then
// trails flown so far, stop and gap annotations, aircraft, labels, the clock, the provenance
// banner, the timeline bar and the attribution. The same code draws raster frames, vector
// stills and the window's textures.
#include <cairo.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "core/timeline.hpp"
#include "render/cairo_handles.hpp"
#include "render/cartography.hpp"
#include "render/damage.hpp"
#include "render/density.hpp"
#include "render/frame_state.hpp"
#include "render/layout.hpp"
#include "render/local_time.hpp"
#include "render/scene.hpp"
#include "render/style_constants.hpp"
#include "render/text.hpp"

namespace fr::render {

/// What changes from frame to frame.
struct FrameInfo {
    TimePoint t;                         ///< replay time (UTC)
    const Timeline* timeline = nullptr;  ///< for the bar and hold cards; null for stills
    double video_s = 0;                  ///< video time of this frame when timeline is set
    /// The replay speed in use (replay s per wall s), shown in the clock box; unset: the
    /// timeline's own (an export). The window sets it, since +/- change its speed.
    std::optional<double> speed = std::nullopt;
};

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
    friend class CairoRenderer;
    SurfacePtr m_surface;  ///< the frame: m_under plus the timeline bar
    CairoPtr m_cr;
    SurfacePtr m_under;  ///< everything but the timeline bar
    CairoPtr m_under_cr;
    TileDamage m_restored, m_under_drawn, m_top_drawn, m_changed;
    unsigned m_bar_generation = 0;
    bool m_fresh = true;
};

/// The name an aircraft label shows: the callsign, else (empty or a placeholder such as
/// "00000000", "????????" or "unknown") the registration, else the ICAO address, else
/// "unidentified".
std::string aircraft_label_name(const AircraftId& id);

/// Above this many aircraft a scene is "busy": less is drawn per aircraft (no cards, gap labels or
/// great circles, one-line labels, smaller icons).
inline constexpr std::size_t kBusyAircraft = kFadeAboveAircraft;

class CairoRenderer {
public:
    CairoRenderer(const Scene& scene, const TextEngine& text);
    /// With a mutable scene the renderer moves its camera each frame when the scene follows an
    /// aircraft (--follow); the static layer is then redrawn per frame.
    CairoRenderer(Scene& scene, const TextEngine& text);

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
    /// The map furniture that needs the scene's Projector (scale bar, north arrow), worked
    /// out for the current view. A Projector belongs to one thread, so the static layer's two
    /// drawing threads never project: the furniture is computed once, before they start.
    /// One legend line: a trail-style sample and its text.
    struct LegendItem {
        Rgba c;
        bool dashed;
        std::string text;
        bool ring = false;  ///< an airport ring as the sample, not a line
        bool ramp = false;  ///< the density colour ramp as the sample
    };
    struct Furniture {
        std::optional<ScaleBar> scale_bar;
        std::optional<double> north;  ///< radians clockwise from screen-up at the centre; nullopt: not drawn
        bool with_timeline = false;   ///< which frame layout places them
        /// Only what the map shows (whether a stop is in view projects: decided here).
        std::vector<LegendItem> legend;
    };
    Furniture furniture(bool with_timeline = false) const;
    /// One legend entry as the legend draws it: its sample from x (pixels) with its middle at y,
    /// then its text at `px`; k scales the sample (1 at 1080 lines, as s()).
    void draw_legend_item(cairo_t* cr, const LegendItem& item, double x, double y, double px, double k) const;
    /// Width draw_legend_item covers, pixels.
    double legend_item_width(const LegendItem& item, double px, double k) const;
    /// The provenance banner's wordings, the preferred (longer) first; empty for recorded data.
    /// Frames draw it unless SceneOptions::frame_furniture is off (contact-sheet panels).
    std::vector<std::string> banner_texts() const;
    /// The provenance banner drawn as frames draw it: `text` (layout::fit_banner) in the warning
    /// colours, centred in `box` (its padding the same on every side), corners rounded by `corner` px.
    void draw_banner(cairo_t* cr, const Box& box, const layout::LaidText& text, double corner) const;
    /// The furniture of a frame of this size laid out (render/layout.hpp): computed once per
    /// renderer and timeline flag, drawn at the rectangles it gives.
    const layout::FrameLayout& frame_layout(bool with_timeline) const;
    /// Every box laid out on the last frame drawn (furniture, hold banner, stop cards, gap,
    /// airport and place labels, aircraft labels), pixels: what the layout tests check.
    std::vector<layout::Placed> last_layout() const;
    /// An airport's label: its text, box and, when set off from the ring, the leader from the
    /// ring's edge to the box (pixels). A leader crosses no other label.
    struct AirportLabel {
        std::string text;
        Box box;
        double px = 0;
        std::optional<std::pair<ScreenPt, ScreenPt>> leader;
    };
    /// The airport labels of the last frame drawn, and how many airports on it have none.
    std::vector<AirportLabel> last_airport_labels() const { return airport_labels(m_last_with_timeline); }
    int last_unlabelled_airports() const { return airport_label_set(m_last_with_timeline).unlabelled; }
    /// Of those, the airports whose ring is hidden under the furniture.
    int last_covered_airports() const { return airport_label_set(m_last_with_timeline).covered; }
    /// Aircraft in the air (within a leg) per column of `columns` across the video's length.
    std::vector<int> airborne_counts(const Timeline& tl, int columns) const;
    /// The coverage-gap labels of the view (one per gap at most) with their gap's dashed line
    /// (straight, between the fixes on either side), pixels.
    struct GapLabelLine {
        Box box;
        ScreenPt a, b;
    };
    std::vector<GapLabelLine> gap_label_lines() const;
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
    void draw_dynamic(cairo_t* cr, const FrameInfo& f) const;

    /// Parts of draw_dynamic, for the window: it draws trails on the GPU and draws the
    /// map-anchored parts under its own pan/zoom transform, the HUD without it.
    struct DynamicLayers {
        bool trails = true;          ///< trails flown so far
        bool annotations = true;     ///< gap labels
        bool stop_cards = true;      ///< ground-stop cards with their leaders and airport rings
        bool aircraft = true;        ///< aircraft and their labels
        bool aircraft_icons = true;  ///< with `aircraft`: false draws the labels only (the window draws icons on the GPU)
        bool hud = true;             ///< clock, hold card, timeline bar
    };
    void draw_dynamic(cairo_t* cr, const FrameInfo& f, const DynamicLayers& layers) const;
    /// Text and line scale of this scene's frames (1 at 1080 lines; see s()), and the width
    /// solid trails are stroked at, pixels (thinner in busy scenes): the window's GPU trails
    /// match them.
    double text_scale() const noexcept { return s(); }
    double trail_width_px() const noexcept { return render::trail_width_px(m_scene.options().style.trail_width, busy(), s()); }
    /// Where the map under a card has moved to: frame pixel (x, y) is drawn at (k x + ox, k y + oy).
    struct PixelShift {
        double k = 1, ox = 0, oy = 0;
    };
    /// The ground-stop cards open at t (as draw_dynamic draws them), each card where the frame
    /// layout put it, and its leader and airport ring at the airport moved by `map` (the
    /// window: the cards stay fixed to the screen while the map under them pans or zooms).
    void draw_stop_cards(cairo_t* cr, TimePoint t, const PixelShift& map) const;
    /// Where draw_dynamic puts the timeline bar of a frame with a timeline (pixels): the
    /// window hit-tests clicks on it. x0..x1 spans the video's duration.
    struct BarRect {
        double x0 = 0, x1 = 0, y = 0, h = 0;
    };
    BarRect timeline_bar_rect() const;

    /// Aircraft labels at replay time t as they will be drawn: text and box (pixels), placed
    /// greedily so no two overlap each other or any aircraft icon; labels that find no room
    /// are left out. Used by draw_dynamic and by the overlap test.
    struct PlacedLabel {
        std::size_t flight = 0;  ///< index into scene.flights()
        std::string text;
        Box box;
        double font_px = 0;
    };
    std::vector<PlacedLabel> label_layout(TimePoint t) const;
    /// The aircraft icons draw_dynamic draws at replay time t, in drawing order: centre
    /// (pixels), rotation (radians, clockwise from nose-up), scale k (the icon spans 18 k
    /// pixels wing tip to wing tip), fill and outline colours, outline width (pixels).
    struct AircraftIcon {
        std::size_t flight = 0;  ///< index into scene.flights()
        double x = 0, y = 0, angle = 0, k = 1;
        Rgba fill, outline;
        double line_width = 1;
    };
    std::vector<AircraftIcon> aircraft_icons(TimePoint t) const;
    /// Each aircraft at replay time t: its state, screen position and screen heading, worked
    /// out once per frame (state_at + projection + a geodesic 5 km ahead) and shared by the
    /// icons, the labels and their leaders and the stop cards' placement. Index: scene.flights().
    /// Valid until the next call with another time (or after the camera moved).
    struct AircraftNow {
        std::optional<AircraftState> state;  ///< nullopt before the first fix
        std::optional<ScreenPt> p;           ///< pixels; nullopt off the projection
        double angle = 0;                    ///< screen heading, radians clockwise from nose-up (0 without p)
    };
    const std::vector<AircraftNow>& aircraft_now(TimePoint t) const;
    /// The scale bar as drawn by the static layer (nullopt when hidden or no room).
    std::optional<ScaleBar> drawn_scale_bar(bool with_timeline = false) const;
    /// The box the scale bar's card covers, pixels.
    Box scale_bar_box(const ScaleBar& bar) const;

    /// Place names (countries, seas, cities, airports) as the static layer draws them: placed
    /// greedily in the scene's priority order so that none overlaps another, the furniture
    /// (furniture_boxes), the flights' airports and their labels, every possible stop card and
    /// gap label, runways, or the trails and great circles (track_boxes). Aircraft labels in
    /// turn keep clear of them (annotation_boxes). Computed once per view.
    struct PlacedPlace {
        std::size_t place = 0;  ///< index into scene.places()
        std::string text;
        Box box;  ///< text box, pixels
        double font_px = 0;
        bool bold = false;
        std::optional<ScreenPt> dot;  ///< city dot or airport mark drawn at the anchor
    };
    const std::vector<PlacedPlace>& place_layout(bool with_timeline = false) const;
    /// Boxes of everything drawn over the map that is not a place label: clock, figures,
    /// title, banner, legend, scale bar, north arrow, profile, attribution and timeline bar
    /// (pixels, a little generous).
    std::vector<Box> furniture_boxes(bool with_timeline) const;
    /// Boxes along every trail and great circle (each segment's box widened by the aircraft
    /// icon's half-span, since the icon travels along the trail), pixels.
    std::vector<Box> track_boxes() const;
    /// Boxes of the ground-stop cards drawn at replay time t (pixels).
    std::vector<Box> stop_card_boxes(TimePoint t) const;
    /// The legend's entries, top to bottom: the trails, then only what the map shows (coverage
    /// gaps, great circles, ground stops).
    std::vector<std::string> legend_entries() const;

    /// The density grid as of the last frame drawn (--style density; null before one or
    /// without density).
    const DensityGrid* density_grid() const noexcept { return m_density ? &*m_density : nullptr; }
    /// The colour (premultiplied ARGB32) a density cell with `count` samples is drawn with.
    static std::uint32_t density_pixel(std::uint32_t count) noexcept;

private:
    bool density() const noexcept { return m_scene.options().density; }
    /// Brings the density grid and its heat image to time t; adds the pixels whose heat changed
    /// to m_heat_damage (until an incremental frame takes them).
    void update_heat(TimePoint t, bool with_timeline) const;
    /// Paints the heat image over the map (clipped to `only` when given).
    void paint_heat(cairo_t* cr, const TileDamage* only = nullptr) const;
    mutable std::optional<DensityGrid> m_density;
    mutable SurfacePtr m_heat;                      ///< one pixel per grid cell
    mutable std::vector<std::uint8_t> m_heat_mask;  ///< cells under the furniture: left clear
    mutable int m_heat_layout = -1;                 ///< timeline flag the mask was made for
    mutable bool m_density_valid = false;
    mutable TileDamage m_heat_damage;  ///< heat changed since the last incremental frame

    /// Trail segments are drawn in chunks: runs of consecutive segments of one piece and one
    /// colour (at most kChunk segments, kChunkPx pixels), stroked as one path. A chunk whose
    /// last vertex is at or before the replay time is finished and never changes again: finished chunks are drawn in the order
    /// they finish (ties: flight, piece, position), into the cached map as time runs on, and a
    /// frame draws only each piece's unfinished chunk up to now (its "tip"). Fresh and cached
    /// drawing run the same strokes in the same order, so they give the same pixels.
    struct TrailChunk {
        TimePoint end;  ///< time of the chunk's last vertex
        std::uint32_t flight, piece;
        std::uint32_t i0, i1;  ///< segments ending at vertices i0..i1 (inclusive)
        int key;               ///< colour key (altitude bin)
        double dash_offset;    ///< pixels along the piece before vertex i0-1 (gap pieces)
    };
    static constexpr std::uint32_t kChunk = 32;  ///< segments per chunk at most
    static constexpr double kChunkPx = 48;       ///< chunk length in pixels at most (but one segment at least): keeps the
                                                 ///< redrawn tip, and so the area an export converts per frame, small
    void build_chunks() const;
    bool fading() const noexcept { return m_scene.options().trail_minutes.has_value(); }
    void stroke_chunk(cairo_t* cr, const TrailChunk& c, TimePoint t, bool partial) const;
    void draw_finished_chunks(cairo_t* cr, TimePoint t, std::size_t from_chunk, std::size_t* drawn) const;
    void draw_trail_tips(cairo_t* cr, TimePoint t) const;
    void draw_trails_fading(cairo_t* cr, TimePoint t) const;
    /// Makes m_cache the static layer plus the trail chunks finished by t (the static layer
    /// alone with fading trails); records what changed in m_cache_damage.
    void advance_cache(TimePoint t, bool with_timeline);
    /// Drawing with damage recorded into m_damage (when set).
    void stroke(cairo_t* cr) const;
    void fill(cairo_t* cr) const;
    void fill_preserve(cairo_t* cr) const;
    void note(cairo_t* cr, const Box& user_box) const;
    void note_path(cairo_t* cr, bool stroked) const;  ///< the current path's stroke or fill extents
    template <class... A>
    void text(cairo_t* cr, A&&... a) const {
        const Box b = m_text.draw(cr, std::forward<A>(a)...);
        if (m_damage) note(cr, b);
    }

    void draw_scale_and_north(cairo_t* cr, const Furniture& furniture) const;
    void draw_profile(cairo_t* cr, const FrameInfo& f) const;
    bool busy() const noexcept { return m_scene.flights().size() > kBusyAircraft; }  ///< many aircraft: less per aircraft
    double icon_scale() const noexcept;
    bool gone(const FlightView& fv, const AircraftState& state, TimePoint t) const noexcept;
    std::vector<Box> annotation_boxes(TimePoint t) const;  ///< airport names, gap labels, stop cards, place labels
    std::vector<Box> annotation_boxes_without_places(TimePoint t, bool with_places = true) const;
    /// "no data ..." labels of the coverage gaps begun by t: text and top-left (pixels); shared
    /// by the drawing and the label-collision boxes.
    struct GapLabel {
        std::string text;
        double x = 0, y = 0;
    };
    std::vector<GapLabel> gap_labels(TimePoint t) const;
    /// `airport_caption`: a legend line to make room for ("12 airports not labelled"), or empty.
    layout::FurnitureSpec furniture_spec(bool with_timeline, const std::string& airport_caption = {}) const;
    std::string attribution_text() const;
    mutable std::mutex m_layout_mutex;
    mutable std::optional<layout::FrameLayout> m_layouts[2];
    mutable bool m_airport_caption[2] = {false, false};  ///< the layout's legend has the "N airports not labelled" line
    mutable std::optional<FrameInfo> m_last_info;        ///< the last frame drawn (its timeline must outlive last_layout calls)
    mutable bool m_last_with_timeline = false;
    /// The hold banner of a frame (nullopt outside holds): its box and scale.
    std::optional<layout::MovingFit> hold_banner(const FrameInfo& f) const;
    /// Gap labels of the view, thinned and placed once per view (shown once the gap begins).
    struct ViewGapLabel {
        std::string text;
        TimePoint start;
        Box box;
        ScreenPt a, b;  ///< the dashed line
    };
    const std::vector<ViewGapLabel>& view_gap_labels() const;
    mutable std::optional<std::pair<std::array<double, 5>, std::vector<ViewGapLabel>>> m_gap_cache;
    void draw_basemap(cairo_t* cr) const;
    void draw_routes_and_airports(cairo_t* cr, bool with_timeline) const;
    struct AirportLabels {
        std::vector<AirportLabel> placed;
        int unlabelled = 0;  ///< airports on the map that found no room for a label
        int covered = 0;     ///< of those, the ones whose ring lies under the furniture (title, banner, ...)
    };
    /// Placed clear of the furniture, the airport rings and each other (cached per view).
    const AirportLabels& airport_label_set(bool with_timeline) const;
    std::vector<AirportLabel> airport_labels(bool with_timeline) const { return airport_label_set(with_timeline).placed; }
    AirportLabels place_airport_labels(const std::vector<Box>& furniture) const;
    mutable std::mutex m_airport_mutex;
    mutable std::optional<std::pair<std::array<double, 5>, AirportLabels>> m_airport_cache;
    void draw_trails(cairo_t* cr, TimePoint t, bool tips_only = false) const;
    /// A ground-stop card at t (nullopt before the stop or off the map): texts and placement,
    /// shared by the drawing and the label-collision boxes so both agree.
    struct StopCard {
        ScreenPt anchor;  ///< the airport (or stand) in pixels
        std::string head, duration, times;
        double x = 0, y = 0, w = 0, h = 0;  ///< card rectangle, pixels
        double pad = 0, head_h = 0, duration_h = 0;
        double k = 1;  ///< scale the card is drawn at (w, h already scaled)
    };
    std::optional<StopCard> stop_card(const analysis::Stop& stp, TimePoint t) const;  ///< unplaced (x, y = 0)
    /// The stop cards open at t, placed one after another off the track and clear of the
    /// furniture, each other and the aircraft (leaders join them to their airport).
    std::vector<StopCard> stop_cards(TimePoint t, bool with_places = true) const;
    std::vector<StopCard> stop_cards_uncached(TimePoint t, bool with_places) const;
    mutable std::optional<std::pair<std::array<double, 7>, std::vector<StopCard>>> m_cards_cache;
    void draw_stops_and_gaps(cairo_t* cr, TimePoint t, bool gaps = true, bool cards = true) const;
    void draw_aircraft(cairo_t* cr, TimePoint t, bool icons = true) const;
    void draw_hud(cairo_t* cr, const FrameInfo& f) const;
    void draw_static_hud(cairo_t* cr, bool with_timeline, const Furniture& furniture) const;
    double bar_height(bool with_timeline) const noexcept;
    bool tick_labels() const noexcept;     ///< whether the timeline bar's ticks are labelled (wide enough a frame)
    double tick_font_px() const noexcept;  ///< the timeline bar's tick labels
    double tick_band() const noexcept;     ///< height of the bar's tick row, pixels

    /// The bar (cached background, then the playhead); with `only`, the background is painted
    /// only on those device tiles.
    void draw_timeline_bar(cairo_t* cr, const FrameInfo& f, double y, const TileDamage* only = nullptr) const;
    void ensure_bar_cache(const FrameInfo& f, double y) const;
    double bar_top() const;                      ///< y of the timeline bar in a frame with a timeline
    BarRect playhead(const FrameInfo& f) const;  ///< the playhead's stroke box
    void draw_timeline_bar_background(cairo_t* cr, const FrameInfo& f, double y) const;  ///< all but the playhead
    /// Text/line scale: 1 at 1080 pixels on the short side (1920x1080, 1080x1920), proportional
    /// to it but not below 0.6 so small outputs (640x360) keep text legible (9 px for the
    /// smallest font).
    double s() const noexcept { return ui_scale(m_scene.options().width, m_scene.options().height); }

    const Scene& m_scene;
    Scene* m_camera = nullptr;  ///< the same scene when it may be moved (--follow)
    const TextEngine& m_text;
    LocalTime m_local;    ///< --tz
    SurfacePtr m_static;  ///< basemap and static overlays
    SurfacePtr m_cache;   ///< m_static plus the trail chunks m_chunks[0, m_cached_chunks)
    bool m_cache_with_timeline = false;
    std::size_t m_cached_chunks = 0;
    mutable std::vector<TrailChunk> m_chunks;  ///< sorted by (end, flight, piece, i0)
    /// Per flight, per piece: indices into m_chunks of the piece's chunks, in vertex order.
    mutable std::vector<std::vector<std::vector<std::uint32_t>>> m_piece_chunks;
    mutable bool m_chunks_valid = false;
    mutable TileDamage* m_damage = nullptr;  ///< where drawing records what it touched
    TileDamage m_cache_damage;               ///< cache tiles changed since the last incremental frame
    const IncrementalFrame* m_last_frame = nullptr;
    /// The timeline bar without its playhead: it changes only with the timeline (for 1,000
    /// aircraft, re-filling every leg each frame cost ~10% of a window frame).
    mutable std::vector<AircraftNow> m_now;                                        ///< aircraft_now() for m_now_key
    mutable std::optional<std::pair<TimePoint, std::array<double, 4>>> m_now_key;  ///< time and camera (extent corner, scale, width)
    mutable SurfacePtr m_bar_cache;
    mutable const Timeline* m_bar_timeline = nullptr;
    mutable double m_bar_y = 0, m_bar_total = 0;
    mutable int m_bar_y0 = 0;
    mutable unsigned m_bar_generation = 0;  ///< counts bar cache rebuilds
    mutable bool m_defer_bar = false;       ///< draw_dynamic leaves the bar out (incremental frames draw it)
    void draw_places(cairo_t* cr, bool with_timeline) const;
    void draw_runways(cairo_t* cr) const;
    mutable std::mutex m_places_mutex;  ///< place_layout is computed by the first of the static layer's two threads
    mutable std::optional<std::pair<std::array<double, 5>, std::vector<PlacedPlace>>> m_places_cache;  ///< camera + timeline flag
};

}  // namespace fr::render
