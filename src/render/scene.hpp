#pragma once
// The scene: everything that does not change with replay time, prepared once for one view
// (projection, extent, pixel size): projected basemap, graticule, trails with their times,
// great-circle routes, airports and stops. The window and every export draw the same Scene at
// the same replay time, so a window and an export can never disagree.
// A Scene reads no file: what it shows comes from its MapSources (map_sources.hpp; the
// pipeline library's SceneSources, which the window keeps for its whole session); the Scene
// projects, clips and builds geometry.
#include <array>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/analysis.hpp"
#include "core/timeline.hpp"
#include "core/track.hpp"
#include "geo/projection_preset.hpp"
#include "geo/projector.hpp"
#include "geo/view.hpp"
#include "io/map/basemap.hpp"
#include "io/map/raster_basemap.hpp"
#include "render/camera.hpp"
#include "render/map_sources.hpp"
#include "render/style.hpp"

namespace fr::render {

/// Map layers that can be switched (--layers "-cities,+rivers": a comma list of names, each
/// with + (on) or - (off); a bare name means on). Defaults: everything but rivers.
struct MapLayers {
    bool land = true;           ///< land, coast and lakes (off: ocean colour only)
    bool borders = true;        ///< country borders
    bool graticule = true;      ///< meridians and parallels
    bool lakes = true;          ///< GSHHG lakes (land and coast then come from GSHHG too)
    bool rivers = false;        ///< GSHHG rivers
    bool countries = true;      ///< country names (Natural Earth)
    bool water = true;          ///< ocean and sea names
    bool cities = true;         ///< GeoNames cities, ranked by population
    bool airports = true;       ///< other bundled airports in view at close range, labelled
    bool runways = true;        ///< runways at close range (OurAirports)
    bool labels = true;         ///< aircraft labels (same as --labels / --no-labels)
    bool great_circles = true;  ///< great-circle routes (same as --great-circles / --no-great-circles)
};
/// Applies a --layers list to `layers`; throws fr::UsageError naming an unknown layer.
void apply_layers(MapLayers& layers, const std::string& list);
/// The names apply_layers knows, comma-separated, for help and errors.
std::string layer_names();

/// Above this many aircraft trails fade by default (SceneOptions::trail_minutes unset): the
/// renderer's busy threshold, where labels shrink to one line and cards go.
inline constexpr std::size_t kFadeAboveAircraft = 12;
/// The default fade in a busy sky, minutes: at a 250 m/s cruise ~450 km of trail, enough to
/// show where each aircraft came from without whole routes crossing into a hairball.
inline constexpr double kBusyTrailMinutes = 30;
/// The trail fade in effect, minutes: `asked` (--trail-minutes) when given, else
/// kBusyTrailMinutes above kFadeAboveAircraft aircraft, else none (whole trails). The one rule
/// for exports and the window.
constexpr std::optional<double> default_trail_minutes(std::optional<double> asked, std::size_t aircraft) noexcept {
    if (asked) return asked;
    if (aircraft > kFadeAboveAircraft) return kBusyTrailMinutes;
    return std::nullopt;
}

struct SceneOptions {
    int width = 1920;  ///< pixels
    int height = 1080;
    std::string crs;                     ///< empty: chosen automatically (geo::choose_crs)
    std::optional<geo::Extent> extent;   ///< in the CRS's units; overrides the fit
    std::optional<geo::GeoBounds> bbox;  ///< degrees; overrides the fit
    double margin = 0.12;                ///< fraction of the data's larger side added around it
    /// Empty: the bundled Natural Earth GeoPackage. Else a GDAL raster, an OGR vector file, an
    /// MBTiles file, a {z}/{x}/{y} tile folder template or an http(s) XYZ tile URL template.
    std::filesystem::path basemap;
    std::string basemap_attribution;  ///< --basemap-attribution: credit for the basemap (required for a URL)
    io::TileOptions tiles;            ///< --offline, --max-tiles (tile basemaps)
    std::string title;
    std::string subtitle;
    std::string source;  ///< extra source line text (the basemap credit is always added)
    bool labels = true;
    bool great_circles = true;
    bool timeline_bar = true;
    /// false: a contact-sheet panel, which shows the map, the tracks, the aircraft and the map's
    /// labels (scale bar and north arrow included) but no clock, provenance banner, figures,
    /// legend or source line: the sheet draws those once for all its panels.
    bool frame_furniture = true;
    Style style = light_style();
    // Cartography.
    std::string projection = "auto";  ///< --projection preset (geo::parse_preset); ignored when crs is set
    /// Trails fade out and end this many minutes behind the aircraft. Unset: whole trails, except
    /// above kFadeAboveAircraft aircraft, where the Scene sets kBusyTrailMinutes.
    std::optional<double> trail_minutes;
    bool color_by_altitude = false;  ///< --color-by altitude: trails on a viridis ramp of altitude
    /// --style density: traffic heat over the trail fade window (render/density.hpp) instead of
    /// trails, icons, labels and stop cards.
    bool density = false;
    bool profile = false;                         ///< --profile: altitude and speed inset of the first flight
    bool scale_bar = true;                        ///< scale bar measured with geodesics where it is drawn
    bool north_arrow = true;                      ///< drawn when north is not straight up at the map centre
    std::vector<std::filesystem::path> overlays;  ///< --overlay: extra OGR vector layers
    /// --overlay-label: per overlay (same index), the attribute whose value labels its points
    /// (empty or missing: no labels).
    std::vector<std::string> overlay_labels;
    std::optional<std::pair<TimePoint, TimePoint>> time_range;  ///< --time-range: replay only this interval
    std::string follow;    ///< --follow ID: camera centred on this aircraft (callsign, registration or ICAO)
    double zoom_km = 400;  ///< --zoom-km: ground width of the frame when following, km
    /// Camera keyframes (camera.hpp): between keyframes the centre moves along the geodesic and
    /// the width changes geometrically; offsets count from the first fix.
    std::vector<KeyframeSpec> keyframes;
    MapLayers layers;  ///< --layers
    /// Finest GSHHG resolution to use ('c', 'l', 'i', 'h'): tests pin the committed ones ('l')
    /// so their images do not depend on what set-up built.
    char gshhg_max = 'h';
    std::string tz = "utc";  ///< --tz: utc (UTC only), auto (local time under the aircraft, airports' zones on stop cards) or a zone
};

struct ScreenPt {
    double x = 0, y = 0;  ///< pixels, y down
};
using ScreenLine = std::vector<ScreenPt>;

struct TrailVertex {
    double x = 0, y = 0;  ///< pixels
    TimePoint t;          ///< replay time at this vertex
    float alt_m = NAN;    ///< altitude at this vertex (metres), NaN when unknown
};
/// A piece of a trail drawn one way: observed track (solid) or across a coverage gap (dashed).
struct TrailPiece {
    std::vector<TrailVertex> v;
    bool gap = false;
};

struct SceneAirport {
    std::string icao, label;  ///< label e.g. "Pyongyang Sunan (ZKPY)"
    LatLon position;
    std::optional<ScreenPt> px;
    int traffic = 0;  ///< leg ends at this airport (labels thin out by it)
    /// The short label ("ZKPY"): what a crowded map shows when the name has no room.
    const std::string& code() const noexcept { return icao.empty() ? label : icao; }
};

/// A named place that may get a label (placed by the renderer with the other labels).
struct ScenePlace {
    enum class Kind : unsigned char { country, water, city, airport, overlay };
    Kind kind = Kind::city;
    std::string text;
    LatLon position;
    std::optional<ScreenPt> px;
    int rank = 0;  ///< importance within the kind, 0 first (population order, ocean before sea...)
};

/// A runway drawn to scale: its outline (4 corners) and its two end designators.
struct SceneRunway {
    std::string icao, le_ident, he_ident;
    std::vector<ScreenPt> corners;  ///< pixels, le-left, le-right, he-right, he-left
    ScreenPt le, he;                ///< threshold centres, pixels
};

struct FlightView {
    Flight flight;
    analysis::FlightAnalysis analysis;
    std::vector<TrailPiece> trail;          ///< time-ordered
    std::vector<ScreenLine> great_circles;  ///< per leg with both airports known
    std::vector<std::string> great_circle_captions;
    Rgba colour;
};

class Scene {
public:
    /// Projects and prepares everything, reading through `sources` (kept by the scene while
    /// a moving camera re-warps a tile basemap; pipeline::make_scene gives sources made for one
    /// scene). Throws fr::ProjError for a bad CRS, fr::IoError when the basemap cannot be read,
    /// std::invalid_argument when there are no flights or `sources` is null.
    Scene(std::vector<Flight> flights, std::vector<analysis::FlightAnalysis> analyses, SceneOptions opt,
          std::shared_ptr<MapSources> sources);

    const SceneOptions& options() const noexcept { return m_opt; }
    const geo::Projector& projector() const noexcept { return *m_proj; }
    const geo::MapTransform& transform() const noexcept { return m_tf; }
    const std::vector<FlightView>& flights() const noexcept { return m_flights; }
    const std::vector<SceneAirport>& airports() const noexcept { return m_airports; }

    const std::vector<std::vector<ScreenLine>>& land() const noexcept { return m_land; }  ///< polygons: rings
    const std::vector<std::vector<ScreenLine>>& lakes() const noexcept { return m_lakes; }
    const std::vector<ScreenLine>& borders() const noexcept { return m_borders; }
    const std::vector<ScreenLine>& coastline() const noexcept { return m_coast; }
    const std::vector<ScreenLine>& graticule() const noexcept { return m_graticule; }
    const std::vector<ScreenLine>& rivers() const noexcept { return m_rivers; }
    const std::vector<std::vector<ScreenLine>>& lake_islands() const noexcept { return m_lake_islands; }
    /// Candidate place labels in view, in priority order (countries, oceans, seas, cities by
    /// population, airports); empty when the layers are off.
    const std::vector<ScenePlace>& places() const noexcept { return m_places; }
    const std::vector<SceneRunway>& runways() const noexcept { return m_runways; }
    /// Ground width of the frame at its centre, km (geodesic across the middle row).
    double view_width_km() const noexcept { return m_view_km; }
    /// The basemap's credit for the source line (Natural Earth, GSHHG, GeoNames where drawn).
    const std::string& basemap_credit() const noexcept { return m_credit; }
    const std::vector<ScreenLine>& overlay_lines() const noexcept { return m_overlay_lines; }
    const std::vector<std::vector<ScreenLine>>& overlay_polygons() const noexcept { return m_overlay_polys; }
    /// Point features of the overlays, at their pixel positions in the current view (nullopt
    /// where the projection cannot show them); their labels are places of Kind::overlay.
    struct OverlayPoint {
        LatLon position;
        std::string label;  ///< empty: no label
        std::optional<ScreenPt> px;
    };
    const std::vector<OverlayPoint>& overlay_points() const noexcept { return m_overlay_points; }
    /// The edge of the mappable world (globe limb, world map outline, Mercator's limits);
    /// empty for regional views, where the map fills the frame.
    const ScreenLine& world_outline() const noexcept { return m_outline; }
    /// Mercator's clip latitudes as lines (drawn and labelled so the clip is visible).
    const std::vector<ScreenLine>& clip_lines() const noexcept { return m_clip_lines; }
    const geo::CrsTraits& crs_traits() const noexcept { return m_traits; }
    /// The raster basemap warped to the frame (--basemap with a GDAL raster); null otherwise.
    const io::RasterImage* raster() const noexcept { return m_raster ? &*m_raster : nullptr; }
    /// Inverse of to_screen; nullopt outside the projection's domain (off the globe...).
    std::optional<LatLon> from_screen(ScreenPt p) const noexcept;

    /// The camera (camera.hpp): fixed, following an aircraft (--follow) or flying keyframes
    /// (--keyframe). A value: camera().view_at(*this, t) says where it looks at t.
    const Camera& camera() const noexcept { return m_camera; }
    /// True when the camera moves (--follow, --keyframe): each frame then draws this scene
    /// framed on the camera's view at its time (framed_at), not this scene itself.
    bool following() const noexcept { return m_base != nullptr; }
    /// This scene framed on the camera's view at t: the followed aircraft's position averaged
    /// over t +/- 90 s (sampled every 10 s: smooth, and a function of t alone, so any frame
    /// renders the same whatever came before), `zoom_km` wide at the aircraft (measured with
    /// geodesics), in the same CRS; or the keyframe path. A new value, built from this scene's
    /// geometry (every pixel coordinate mapped affinely; place labels and runways collected
    /// for the view, a tile basemap warped again); this scene is unchanged. nullopt for a
    /// fixed camera or when the camera has no view at t.
    std::optional<Scene> framed_at(TimePoint t) const;
    /// The same on a given view of this scene's camera (camera().view_at(*this, t)).
    Scene framed(const CameraView& view) const;

    using CameraKeyframe = render::CameraKeyframe;
    /// The parsed keyframes, time-ordered (empty without --keyframe).
    const std::vector<CameraKeyframe>& keyframes() const noexcept { return m_camera.keys(); }
    /// Where the keyframe camera looks at t: centre and ground width (km). Requires keyframes.
    std::pair<LatLon, double> keyframe_camera(TimePoint t) const { return m_camera.keyframe_at(t); }

    /// Pixel position of a geographic point; nullopt where the projection is undefined.
    std::optional<ScreenPt> to_screen(LatLon p) const noexcept;
    /// Densifies along geodesics (max `step`), splits at the seam and projects.
    std::vector<ScreenLine> project_geodesic(const std::vector<LatLon>& line, Length step) const;

    TimePoint start() const noexcept { return m_start; }
    TimePoint end() const noexcept { return m_end; }
    /// Intervals to compress in a video: every ground stop, and airborne gaps longer than
    /// `min_gap`, with the card text for each.
    std::vector<Hold> holds(Duration min_gap) const;
    /// Worst provenance among the flights (reconstructed/synthetic must be shown).
    Provenance provenance() const noexcept;
    /// The attribution line: basemap credit and track sources.
    std::string attribution() const;

private:
    SceneOptions m_opt;
    geo::CrsTraits m_traits;
    /// Shared by the scenes framed from this one (framed_at): they are drawn on the thread that
    /// owns it, one after another.
    std::shared_ptr<const geo::Projector> m_proj;
    geo::Extent m_extent;
    geo::MapTransform m_tf;
    std::vector<FlightView> m_flights;
    std::vector<SceneAirport> m_airports;
    std::vector<std::vector<ScreenLine>> m_land, m_lakes;
    std::vector<ScreenLine> m_borders, m_coast, m_graticule, m_rivers;
    std::vector<std::vector<ScreenLine>> m_lake_islands;
    std::vector<ScenePlace> m_places;
    std::vector<SceneRunway> m_runways;
    double m_view_km = 0;
    std::string m_credit;
    /// Fills m_places and m_runways for the current view (m_tf); called again when the camera moves.
    void collect_places();
    std::vector<ScreenLine> m_overlay_lines, m_clip_lines;
    std::vector<std::vector<ScreenLine>> m_overlay_polys;
    std::vector<OverlayPoint> m_overlay_points;
    ScreenLine m_outline;
    std::optional<io::RasterImage> m_raster;
    struct BaseGeometry;  ///< the geometry of the initial view, kept while following
    std::shared_ptr<const BaseGeometry> m_base;
    Camera m_camera;
    /// framed(): copies what does not depend on the view from `from`, then frame_on(view).
    Scene(const Scene& from, const CameraView& view);
    /// Maps the base geometry onto `view` (the camera's at some t); only on a new value.
    void frame_on(const CameraView& view);
    std::shared_ptr<MapSources> m_sources;  ///< where a tile basemap is warped again when the camera moves
    std::optional<io::TileKind> m_tiles;    ///< the basemap is a tile source (warped again when the camera moves)
    TimePoint m_start, m_end;
    bool m_custom_basemap = false;
};

/// "Pyongyang Sunan International Airport" -> "Pyongyang Sunan"; keeps names without a
/// generic suffix as they are.
std::string short_airport_name(const std::string& name);
/// "Pyongyang Sunan (ZKPY)" or just the ICAO code / "unknown airfield".
std::string airport_label(const std::optional<analysis::AirportRef>& a);

}  // namespace fr::render
