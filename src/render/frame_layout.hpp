#pragma once
// The frame layout of a scene: from the scene (its camera's view) and a replay time to where
// every element of a frame goes, as plain values in pixels: the furniture (render/layout.hpp
// solves it once per view), the legend, scale bar and north arrow, airport, place and gap
// labels, ground-stop cards, the hold banner, aircraft (position, heading, icon) and their
// labels, the timeline bar, and the trail chunks. No Cairo: texts are measured through the
// TextEngine (Pango), nothing is drawn. The painter (render/painter.hpp) draws these values;
// the window's GPU layers read the same ones.
//
// FrameLayouter remembers what it computed per view (keyed by the camera's extent and scale)
// and per frame; the view-wide parts (furniture, airport and place labels) may be asked for by
// the static layer's two drawing threads at once (they are computed under a lock).
#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/timeline.hpp"
#include "render/cartography.hpp"
#include "render/density.hpp"
#include "render/frame_state.hpp"
#include "render/layout.hpp"
#include "render/local_time.hpp"
#include "render/scene.hpp"
#include "render/style_constants.hpp"

namespace fr::render {

class TextEngine;

/// What changes from frame to frame.
struct FrameInfo {
    TimePoint t;                         ///< replay time (UTC)
    const Timeline* timeline = nullptr;  ///< for the bar and hold cards; null for stills
    double video_s = 0;                  ///< video time of this frame when timeline is set
    /// The replay speed in use (replay s per wall s), shown in the clock box; unset: the
    /// timeline's own (an export). The window sets it, since +/- change its speed.
    std::optional<double> speed = std::nullopt;
};

/// The frame a per-frame layout is asked for: its replay time, whether it has a timeline (its
/// bar, and the furniture laid out around it), and, when that frame is being drawn, its
/// FrameInfo (then info->t == t; the hold banner is placed only then).
struct FrameKey {
    TimePoint t;
    bool with_timeline = false;
    const FrameInfo* info = nullptr;
};

/// The name an aircraft label shows: the callsign, else (empty or a placeholder such as
/// "00000000", "????????" or "unknown") the registration, else the ICAO address, else
/// "unidentified".
std::string aircraft_label_name(const AircraftId& id);

/// Above this many aircraft a scene is "busy": less is drawn per aircraft (no cards, gap labels or
/// great circles, one-line labels, smaller icons).
inline constexpr std::size_t kBusyAircraft = kFadeAboveAircraft;

/// A crowded sky's icons shrink: where the frame offers each aircraft of the peak (the most legs
/// flown at one moment) less than 20 x 20 px (at UI scale `s`), the icons are scaled by the
/// square root of that shortfall, rounded down to a tenth, down to 0.7: 1 up to ~5,180 aircraft
/// at once at 1920x1080, 0.7 from ~10,580. One factor for the whole scene, the same in every
/// frame, export and window, so an icon keeps its size for the whole replay.
double crowded_icon_factor(std::size_t peak_airborne, double width, double height, double s) noexcept;
/// The most legs of `scene` in the air at one moment (departure to arrival; touching ends count once).
std::size_t peak_airborne(const Scene& scene);

/// Radius of an overlay point's marker at design scale, pixels (a little over a city dot: the
/// user asked for these points).
inline constexpr double kOverlayMarkR = 3.5;

/// Altitude colour bins of trails and icons (--color-by altitude): steps of ~430 m, below what
/// the eye separates on the ramp.
inline constexpr int kAltBins = 32;
/// The altitude bin of `a` (metres; NaN: unknown, -1).
int alt_bin(float a) noexcept;

/// "2023-08-01 05:11Z": a short UTC time for labels and axes.
std::string short_utc(TimePoint t);
/// The route figures (great-circle captions), one per line.
std::string figures_text(const Scene& scene);

/// One legend line: a trail-style sample and its text.
struct LegendItem {
    Rgba c;
    bool dashed;
    std::string text;
    bool ring = false;  ///< an airport ring as the sample, not a line
    bool ramp = false;  ///< the density colour ramp as the sample
};
/// The map furniture that needs the scene's Projector (scale bar, north arrow), worked out for
/// the current view. A Projector belongs to one thread, so the static layer's two drawing
/// threads never project: the furniture is computed once, before they start.
struct Furniture {
    std::optional<ScaleBar> scale_bar;
    std::optional<double> north;  ///< radians clockwise from screen-up at the centre; nullopt: not drawn
    bool with_timeline = false;   ///< which frame layout places them
    /// Only what the map shows (whether a stop is in view projects: decided here).
    std::vector<LegendItem> legend;
};
/// An airport's label: its text, box and, when set off from the ring, the leader from the
/// ring's edge to the box (pixels). A leader crosses no other label.
struct AirportLabel {
    std::string text;
    Box box;
    double px = 0;
    std::optional<std::pair<ScreenPt, ScreenPt>> leader;
};
struct AirportLabels {
    std::vector<AirportLabel> placed;
    int unlabelled = 0;  ///< airports on the map that found no room for a label
    int covered = 0;     ///< of those, the ones whose ring lies under the furniture (title, banner, ...)
};
/// A coverage-gap label of the view with its gap's dashed line (straight, between the fixes on
/// either side), pixels.
struct GapLabelLine {
    Box box;
    ScreenPt a, b;
};
/// Gap labels of the view, thinned and placed once per view (shown once the gap begins).
struct ViewGapLabel {
    std::string text;
    TimePoint start;
    Box box;
    ScreenPt a, b;  ///< the dashed line
};
/// A "no data ..." label of a coverage gap begun by the frame's time: text and top-left (pixels).
struct GapLabel {
    std::string text;
    double x = 0, y = 0;
};
/// Where the map under a card has moved to: frame pixel (x, y) is drawn at (k x + ox, k y + oy).
struct PixelShift {
    double k = 1, ox = 0, oy = 0;
};
/// A horizontal band of the frame (the timeline bar, its playhead), pixels: x0..x1, from y down h.
struct BarRect {
    double x0 = 0, x1 = 0, y = 0, h = 0;
};
/// An aircraft label as it will be drawn: text and box (pixels).
struct PlacedLabel {
    std::size_t flight = 0;  ///< index into scene.flights()
    std::string text;
    Box box;
    double font_px = 0;
};
/// An aircraft icon: centre (pixels), rotation (radians, clockwise from nose-up), scale k (the
/// icon spans 18 k pixels wing tip to wing tip), fill and outline colours, outline width (pixels).
struct AircraftIcon {
    std::size_t flight = 0;  ///< index into scene.flights()
    double x = 0, y = 0, angle = 0, k = 1;
    Rgba fill, outline;
    double line_width = 1;
};
/// An aircraft at a replay time: its state, screen position and screen heading.
struct AircraftNow {
    std::optional<AircraftState> state;  ///< nullopt before the first fix
    std::optional<ScreenPt> p;           ///< pixels; nullopt off the projection
    double angle = 0;                    ///< screen heading, radians clockwise from nose-up (0 without p)
};
/// A place name (country, sea, city, airport) as the static layer draws it.
struct PlacedPlace {
    std::size_t place = 0;  ///< index into scene.places()
    std::string text;
    Box box;  ///< text box, pixels
    double font_px = 0;
    bool bold = false;
    std::optional<ScreenPt> dot;  ///< city dot or airport mark drawn at the anchor
};
/// A ground-stop card: texts and placement.
struct StopCard {
    ScreenPt anchor;  ///< the airport (or stand) in pixels
    std::string head, duration, times;
    double x = 0, y = 0, w = 0, h = 0;  ///< card rectangle, pixels
    double pad = 0, head_h = 0, duration_h = 0;
    double k = 1;  ///< scale the card is drawn at (w, h already scaled)
};

/// A runway designator ("09L") beyond its threshold: text, top-centre (pixels) and size (px).
struct RunwayDesignator {
    std::string text;
    double x = 0, y = 0, px = 0;
};
/// The clock box's texts: the UTC date and time (date over time in the compact form) and the
/// line(s) under it (local time with --tz, the replay speed or "fast-forward" in videos).
struct ClockTexts {
    std::string clock, sub;
};

/// Trail segments are drawn in chunks: runs of consecutive segments of one piece and one
/// colour (at most kChunk segments, kChunkPx pixels), stroked as one path. A chunk whose last
/// vertex is at or before the replay time is finished and never changes again: finished chunks
/// are drawn in the order they finish (ties: flight, piece, position), into the cached map as
/// time runs on, and a frame draws only each piece's unfinished chunk up to now (its "tip").
/// Fresh and cached drawing run the same strokes in the same order, so they give the same pixels.
struct TrailChunk {
    TimePoint end;  ///< time of the chunk's last vertex
    std::uint32_t flight, piece;
    std::uint32_t i0, i1;  ///< segments ending at vertices i0..i1 (inclusive)
    int key;               ///< colour key (altitude bin)
    double dash_offset;    ///< pixels along the piece before vertex i0-1 (gap pieces)
};
struct TrailChunks {
    static constexpr std::uint32_t kChunk = 32;  ///< segments per chunk at most
    static constexpr double kChunkPx = 48;       ///< chunk length in pixels at most (but one segment at least): keeps the
                                                 ///< redrawn tip, and so the area an export converts per frame, small
    std::vector<TrailChunk> chunks;              ///< sorted by (end, flight, piece, i0)
    /// Per flight, per piece: indices into `chunks` of the piece's chunks, in vertex order.
    std::vector<std::vector<std::vector<std::uint32_t>>> piece_chunks;
};
/// The scene's trails (from its start on) cut into chunks, in the scene's current pixels.
TrailChunks build_trail_chunks(const Scene& scene);

class FrameLayouter {
public:
    /// `text` measures (never draws); both must outlive the layouter.
    FrameLayouter(const Scene& scene, const TextEngine& text);

    const Scene& scene() const noexcept { return m_scene; }
    const TextEngine& text() const noexcept { return m_text; }
    const LocalTime& local() const noexcept { return m_local; }  ///< --tz
    /// Text/line scale (render::ui_scale of the scene's size).
    double s() const noexcept { return ui_scale(m_scene.options().width, m_scene.options().height); }
    bool busy() const noexcept { return m_scene.flights().size() > kBusyAircraft; }  ///< many aircraft: less per aircraft
    bool density() const noexcept { return m_scene.options().density; }
    bool fading() const noexcept { return m_scene.options().trail_minutes.has_value(); }
    /// Icon size (18 x icon_scale() px wing tip to wing tip): 1.5 s, 1 s in a busy sky, smaller
    /// still in a crowded one (crowded_icon_factor).
    double icon_scale() const noexcept;
    double trail_width_px() const noexcept { return render::trail_width_px(m_scene.options().style.trail_width, busy(), s()); }

    /// The camera moved (the scene follows an aircraft): drops what is not keyed by the view.
    void view_changed() noexcept { m_chunks_valid = false; }
    /// The trail chunks of the current view (built on first use after a view change).
    const TrailChunks& trail_chunks() const;

    /// The furniture of a frame of this size laid out (render/layout.hpp): computed once per
    /// view and timeline flag.
    const layout::FrameLayout& frame_layout(bool with_timeline) const;
    /// Projects: call on the thread that owns the scene's Projector.
    Furniture furniture(bool with_timeline) const;
    std::vector<LegendItem> legend_items() const;
    std::vector<std::string> legend_entries() const;
    double legend_item_width(const LegendItem& item, double px, double k) const;
    std::vector<std::string> banner_texts() const;
    std::vector<Box> furniture_boxes(bool with_timeline) const;
    /// The trails and great circles as boxes labels keep clear of (each widened by the icon's
    /// half-span). Runs of vertices closer together than kTrackBoxGroupPx in x and y share one
    /// box, so the count grows with the trails' length on screen, not with their fixes (a day
    /// of global traffic is ~10^8 fixes on a world map); longer segments are cut in pieces of
    /// at most 16 px, so a diagonal does not claim its whole bounding box.
    std::vector<Box> track_boxes() const;
    /// The same boxes, handed to `emit` one at a time (nothing kept).
    void each_track_box(const std::function<void(const Box&)>& emit) const;
    /// The runway designators drawn, none overlapping another (the static layer's map).
    std::vector<RunwayDesignator> runway_designators() const;
    /// The clock's texts at frame f, in the form the frame layout chose.
    ClockTexts clock_texts(const FrameInfo& f) const;
    const std::vector<PlacedPlace>& place_layout(bool with_timeline) const;
    const AirportLabels& airport_label_set(bool with_timeline) const;
    std::vector<AirportLabel> airport_labels(bool with_timeline) const { return airport_label_set(with_timeline).placed; }
    const std::vector<ViewGapLabel>& view_gap_labels(bool with_timeline) const;
    std::vector<GapLabelLine> gap_label_lines(bool with_timeline) const;
    std::vector<GapLabel> gap_labels(const FrameKey& q) const;
    std::optional<ScaleBar> drawn_scale_bar(bool with_timeline) const;
    Box scale_bar_box(const ScaleBar& bar) const;

    const std::vector<AircraftNow>& aircraft_now(TimePoint t) const;
    std::vector<AircraftIcon> aircraft_icons(TimePoint t) const;
    std::vector<PlacedLabel> label_layout(const FrameKey& q) const;
    std::optional<StopCard> stop_card(const analysis::Stop& stp, TimePoint t) const;
    std::vector<StopCard> stop_cards(const FrameKey& q, bool with_places = true) const;
    std::vector<Box> stop_card_boxes(const FrameKey& q) const;
    std::optional<layout::MovingFit> hold_banner(const FrameInfo& f) const;
    std::vector<layout::Placed> all_boxes(const FrameKey& q) const;

    BarRect timeline_bar_rect() const;
    double bar_top() const;
    BarRect playhead(const FrameInfo& f) const;
    double bar_height(bool with_timeline) const noexcept;
    bool tick_labels() const noexcept;
    double tick_font_px() const noexcept;
    double tick_band() const noexcept;
    std::vector<int> airborne_counts(const Timeline& tl, int columns) const;
    bool gone(const FlightView& fv, const AircraftState& state, TimePoint t) const noexcept;

private:
    std::vector<Box> annotation_boxes(const FrameKey& q) const;
    std::vector<Box> annotation_boxes_without_places(const FrameKey& q, bool with_places = true) const;
    std::vector<StopCard> stop_cards_uncached(const FrameKey& q, bool with_places) const;
    layout::FurnitureSpec furniture_spec(bool with_timeline, const std::string& airport_caption = {}) const;
    std::string attribution_text() const;
    AirportLabels place_airport_labels(const std::vector<Box>& furniture) const;

    const Scene& m_scene;
    const TextEngine& m_text;
    LocalTime m_local;
    double m_crowded = 1;  ///< crowded_icon_factor of the scene, fixed at construction
    mutable std::mutex m_layout_mutex;
    mutable std::optional<layout::FrameLayout> m_layouts[2];
    mutable bool m_airport_caption[2] = {false, false};  ///< the layout's legend has the "N airports not labelled" line
    mutable std::optional<std::pair<std::array<double, 5>, std::vector<ViewGapLabel>>> m_gap_cache;
    mutable std::mutex m_airport_mutex;
    mutable std::optional<std::pair<std::array<double, 5>, AirportLabels>> m_airport_cache;
    mutable std::optional<std::pair<std::array<double, 7>, std::vector<StopCard>>> m_cards_cache;
    mutable std::vector<AircraftNow> m_now;                                        ///< aircraft_now() for m_now_key
    mutable std::optional<std::pair<TimePoint, std::array<double, 4>>> m_now_key;  ///< time and camera (extent corner, scale, width)
    mutable std::mutex m_places_mutex;  ///< place_layout is computed by the first of the static layer's two threads
    mutable std::optional<std::pair<std::array<double, 5>, std::vector<PlacedPlace>>> m_places_cache;  ///< camera + timeline flag
    mutable TrailChunks m_chunks;
    mutable bool m_chunks_valid = false;
};

}  // namespace fr::render
