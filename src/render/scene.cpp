#include "render/scene.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <future>
#include <stdexcept>
#include <unordered_map>

#include "analysis/airport_table.hpp"
#include "core/error.hpp"
#include "core/setting_error.hpp"
#include "geo/geodesic.hpp"
#include "render/frame_state.hpp"

namespace fr::render {

namespace {

bool in_range(const SceneOptions& opt, TimePoint t) noexcept {
    return !opt.time_range || (t >= opt.time_range->first && t <= opt.time_range->second);
}

/// Positions inside the time range (all of them when no fix falls inside it).
std::vector<LatLon> all_positions(const SceneOptions& opt, const std::vector<Flight>& flights) {
    std::vector<LatLon> pts;
    for (const auto& f : flights)
        for (const auto& p : f.points)
            if (in_range(opt, p.time())) pts.push_back(p.position());
    if (pts.empty())
        for (const auto& f : flights)
            for (const auto& p : f.points) pts.push_back(p.position());
    return pts;
}

/// Samples a lon/lat box densely (its edges and interior) for fitting an extent to it.
std::vector<LatLon> sample_box(const geo::GeoBounds& b) {
    std::vector<LatLon> out;
    constexpr int n = 24;
    for (int i = 0; i <= n; ++i)
        for (int j = 0; j <= n; ++j)
            if (auto p = LatLon::normalized(b.lat_min + b.lat_span() * i / n, b.lon_min + b.lon_span() * j / n)) out.push_back(*p);
    return out;
}

geo::CrsTraits pick_traits(const SceneOptions& opt, const std::vector<Flight>& flights) {
    if (flights.empty()) return geo::traits_of_crs("EPSG:4326");
    if (!opt.crs.empty()) return geo::traits_of_crs(opt.crs);
    const auto preset = geo::parse_preset(opt.projection);
    if (!preset)
        throw SettingError("projection",
                           "unknown projection '" + opt.projection +
                               "' (auto, mercator, webmercator, equal-earth, robinson, orthographic, azimuthal-equidistant, lcc)");
    if (*preset == geo::Preset::automatic && opt.bbox) return geo::traits_of_crs(geo::choose_crs(*opt.bbox).proj);
    return geo::preset_crs(*preset, opt.bbox ? sample_box(*opt.bbox) : all_positions(opt, flights));
}

/// Points on the edge of the visible cap around `centre` (degrees): for each azimuth the
/// farthest distance below `max_deg` that still projects, found by bisection (the ellipsoidal
/// orthographic limb is not exactly a geodesic circle).
std::vector<LatLon> cap_edge(const geo::Projector& proj, LatLon centre, double max_deg, int n) {
    std::vector<LatLon> out;
    constexpr double m_per_deg = 111'195.0;  // metres per degree of arc on the mean sphere
    for (int i = 0; i <= n; ++i) {
        const Angle az = Angle::degrees(360.0 * i / n);
        double lo = max_deg * 0.8, hi = max_deg;
        if (proj.forward(geo::direct(centre, az, Length::metres(hi * m_per_deg)))) lo = hi;
        for (int k = 0; k < 30 && hi - lo > 1e-6; ++k) {
            const double mid = (lo + hi) / 2;
            if (proj.forward(geo::direct(centre, az, Length::metres(mid * m_per_deg))))
                lo = mid;
            else
                hi = mid;
        }
        out.push_back(geo::direct(centre, az, Length::metres(lo * m_per_deg)));
    }
    return out;
}

geo::Extent pick_extent(const SceneOptions& opt, const geo::CrsTraits& traits, const geo::Projector& proj,
                        const std::vector<Flight>& flights, const std::vector<analysis::FlightAnalysis>& analyses) {
    const double aspect = static_cast<double>(opt.width) / opt.height;
    if (opt.extent) return *opt.extent;
    if (opt.bbox) return geo::fit_extent(proj, sample_box(*opt.bbox), 0.0, aspect);
    // A globe is shown whole, with a thin margin around its limb.
    if (traits.globe) return geo::fit_extent(proj, cap_edge(proj, traits.centre, 90.0, 180), 0.03, aspect);
    // Fit the flown track (inside the time range), densified across gaps, plus the airports;
    // latitudes beyond the projection's limit (Mercator) are held at the limit.
    std::vector<LatLon> pts;
    for (const auto& f : flights) {
        for (std::size_t i = 0; i < f.points.size(); ++i) {
            if (!in_range(opt, f.points[i].time()) && !(i + 1 < f.points.size() && in_range(opt, f.points[i + 1].time()))) continue;
            pts.push_back(f.points[i].position());
            if (i + 1 < f.points.size()) {
                auto seg = geo::densify(f.points[i].position(), f.points[i + 1].position(), Length::kilometres(200));
                pts.insert(pts.end(), seg.begin() + 1, seg.end() - 1);
            }
        }
    }
    for (const auto& a : analyses)
        for (const auto& leg : a.legs) {
            if (leg.departure_airport) pts.push_back(leg.departure_airport->position);
            if (leg.arrival_airport) pts.push_back(leg.arrival_airport->position);
        }
    if (traits.lat_limit_deg < 90.0)
        for (auto& p : pts) p = *LatLon::normalized(std::clamp(p.lat_deg(), -traits.lat_limit_deg, traits.lat_limit_deg), p.lon_deg());
    if (pts.empty()) pts = all_positions(opt, flights);
    return geo::fit_extent(proj, pts, opt.margin, aspect);
}

/// The lon/lat window that covers the extent, widened by `pad_deg`; nullopt for whole-world
/// views (a pole inside, or longitudes spanning more than 300 degrees).
std::optional<geo::GeoBounds> window_of(const geo::Projector& proj, const geo::Extent& e, double pad_deg) {
    std::vector<LatLon> pts;
    constexpr int n = 40;
    for (int i = 0; i <= n; ++i)
        for (int j = 0; j <= n; ++j)
            if (auto p = proj.inverse({e.xmin + e.width() * i / n, e.ymin + e.height() * j / n})) pts.push_back(*p);
    if (pts.empty()) return std::nullopt;
    for (double pole : {90.0, -90.0}) {
        if (auto xy = proj.forward(*LatLon::checked(pole, 0)))
            if (xy->x >= e.xmin && xy->x <= e.xmax && xy->y >= e.ymin && xy->y <= e.ymax) return std::nullopt;
    }
    auto b = geo::bounds_of(pts);
    if (b.lon_span() + 2 * pad_deg >= 300.0) return std::nullopt;
    b.lon_min -= pad_deg;
    b.lon_max += pad_deg;
    b.lat_min = std::max(-90.0, b.lat_min - pad_deg);
    b.lat_max = std::min(90.0, b.lat_max + pad_deg);
    return b;
}

/// Categorical colours for flights (Okabe-Ito palette, distinguishable with colour-vision
/// deficiency), the first being the style's trail colour; golden-angle hues beyond it.
Rgba flight_colour(const Style& s, std::size_t i) {
    static const Rgba palette[] = {{0.0, 0.45, 0.70}, {0.0, 0.62, 0.45},  {0.80, 0.47, 0.65},
                                   {0.90, 0.62, 0.0}, {0.34, 0.71, 0.91}, {0.84, 0.37, 0.0}};
    if (i == 0) return s.trail;
    if (i <= std::size(palette)) return palette[i - 1];
    // Beyond the palette: hues spaced by the golden angle (137.5 degrees, so consecutive
    // aircraft never share a hue), at three alternating values so neighbours differ in
    // lightness too. Mid saturation keeps labels' dark text readable over the trails.
    const double h = std::fmod(static_cast<double>(i) * 137.50776, 360.0) / 60.0, sat = 0.75,
                 val = 0.55 + 0.15 * static_cast<double>(i % 3);
    const double c = val * sat, x = c * (1 - std::abs(std::fmod(h, 2.0) - 1)), m = val - c;
    const int sector = static_cast<int>(h) % 6;
    const double rgb[6][3] = {{c, x, 0}, {x, c, 0}, {0, c, x}, {0, x, c}, {x, 0, c}, {c, 0, x}};
    return {rgb[sector][0] + m, rgb[sector][1] + m, rgb[sector][2] + m, 1.0};
}

/// GSHHG resolution for a view of `km_per_px` kilometres per pixel: the coarsest whose
/// shoreline detail (crude ~25 km, low ~5 km, intermediate ~1 km, high ~0.2 km between
/// vertices) stays within about 2 pixels.
char gshhg_resolution(double km_per_px) {
    if (km_per_px >= 12) return 'c';
    if (km_per_px >= 2.5) return 'l';
    if (km_per_px >= 0.5) return 'i';
    return 'h';
}
const char* gshhg_name(char r) {
    switch (r) {
        case 'c': return "crude";
        case 'l': return "low";
        case 'i': return "intermediate";
        default: return "high";
    }
}

bool in_bounds(const geo::GeoBounds& b, LatLon p) {
    if (p.lat_deg() < b.lat_min || p.lat_deg() > b.lat_max) return false;
    double d = std::fmod(p.lon_deg() - b.lon_min, 360.0);
    if (d < 0) d += 360.0;
    return d <= b.lon_span();
}

std::string format_km(double m) {
    const long long km = std::llround(m / 1000.0);
    std::string digits = std::to_string(km), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out + " km";
}

}  // namespace

std::string short_airport_name(const std::string& name) {
    for (const char* suffix : {" International Airport", " Airport"}) {
        const std::string s = suffix;
        if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) return name.substr(0, name.size() - s.size());
    }
    return name;
}

std::string airport_label(const std::optional<analysis::AirportRef>& a) {
    if (!a) return "unknown airfield";
    if (a->name.empty()) return a->icao.empty() ? "unnamed airfield" : a->icao;
    if (a->icao.empty()) return short_airport_name(a->name);  // a few bundled airports have no code
    return short_airport_name(a->name) + " (" + a->icao + ")";
}

namespace {
struct LayerName {
    const char* name;
    bool MapLayers::*flag;
};
constexpr LayerName kLayerNames[] = {
    {"land", &MapLayers::land},       {"borders", &MapLayers::borders}, {"graticule", &MapLayers::graticule},
    {"lakes", &MapLayers::lakes},     {"rivers", &MapLayers::rivers},   {"countries", &MapLayers::countries},
    {"water", &MapLayers::water},     {"cities", &MapLayers::cities},   {"airports", &MapLayers::airports},
    {"runways", &MapLayers::runways}, {"labels", &MapLayers::labels},   {"great-circles", &MapLayers::great_circles},
};
}  // namespace

std::string layer_names() {
    std::string out;
    for (const auto& l : kLayerNames) out += (out.empty() ? "" : ", ") + std::string(l.name);
    return out;
}

void apply_layers(MapLayers& layers, const std::string& list) {
    std::size_t pos = 0;
    while (pos <= list.size()) {
        const auto comma = list.find(',', pos);
        std::string item = list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        pos = comma == std::string::npos ? list.size() + 1 : comma + 1;
        while (!item.empty() && item.front() == ' ') item.erase(item.begin());
        while (!item.empty() && item.back() == ' ') item.pop_back();
        if (item.empty()) continue;
        bool on = true;
        if (item[0] == '+' || item[0] == '-') {
            on = item[0] == '+';
            item.erase(item.begin());
        }
        const auto it = std::find_if(std::begin(kLayerNames), std::end(kLayerNames), [&](const LayerName& l) { return item == l.name; });
        if (it == std::end(kLayerNames))
            throw SettingError("layers", "invalid layer list '" + list + "': unknown layer '" + item + "' (" + layer_names() + ")");
        layers.*(it->flag) = on;
    }
}

struct Scene::BaseGeometry {
    geo::MapTransform tf;
    std::vector<std::vector<ScreenLine>> land, lakes, overlay_polys;
    std::vector<ScreenLine> borders, coast, graticule, overlay_lines, clip_lines, rivers;
    std::vector<std::vector<ScreenLine>> lake_islands;
    ScreenLine outline;
    std::vector<std::vector<TrailPiece>> trails;
    std::vector<std::vector<ScreenLine>> great_circles;
    std::vector<std::optional<ScreenPt>> airports;
};

Scene::Scene(std::vector<Flight> flights, std::vector<analysis::FlightAnalysis> analyses, SceneOptions opt,
             std::shared_ptr<MapSources> sources)
    : m_opt(std::move(opt)), m_traits(pick_traits(m_opt, flights)), m_proj(std::make_shared<const geo::Projector>(m_traits.proj)),
      m_extent(flights.empty() ? geo::Extent{} : pick_extent(m_opt, m_traits, *m_proj, flights, analyses)),
      m_tf(m_extent, m_opt.width, m_opt.height) {
    if (flights.empty()) throw std::invalid_argument("scene: no flights to show");
    if (!sources) throw std::invalid_argument("scene: no sources to read from");
    m_sources = std::move(sources);
    MapSources& src = *m_sources;
    if (analyses.size() != flights.size()) throw std::invalid_argument("scene: one analysis per flight expected");
    // A busy sky with whole trails is a hairball: fade them unless --trail-minutes says otherwise.
    m_opt.trail_minutes = default_trail_minutes(m_opt.trail_minutes, flights.size());
    const double seam = m_proj->central_meridian() + 180.0;
    const auto window = window_of(*m_proj, m_extent, 10.0);
    // The place tables are read (once per process) while the basemap loads and the tracks are projected.
    std::future<void> places_ready;
    if (m_opt.basemap.empty() && (m_opt.layers.cities || m_opt.layers.countries || m_opt.layers.water))
        places_ready = std::async(std::launch::async, [&src] {
            (void)src.cities();
            (void)src.countries();
            (void)src.water();
        });

    // Basemap: bundled Natural Earth unless a file is given.
    io::BasemapWindow bw{seam, window, 1.0, std::nullopt, m_traits.lat_limit_deg};
    if (m_traits.globe) bw.cap = io::VisibleCap{m_traits.centre, m_traits.horizon_deg};
    m_custom_basemap = !m_opt.basemap.empty();
    const auto path = m_custom_basemap ? m_opt.basemap : src.asset("basemap/naturalearth_50m.gpkg");
    // A raster (GeoTIFF...) or a tile source is warped once to the whole frame (a tile source
    // again for each view of a moving camera, see frame_on); a vector file replaces the land.
    m_tiles = m_custom_basemap ? io::tile_kind(m_opt.basemap.string()) : std::nullopt;
    const auto& tiles = m_tiles;
    const bool moving = !m_opt.follow.empty() || !m_opt.keyframes.empty();
    std::string tile_credit;
    if (tiles) {
        if (*tiles == io::TileKind::url && m_opt.basemap_attribution.empty())
            throw SettingError("basemap_attribution", "the basemap " + m_opt.basemap.string() +
                                                          " is a tile server: its terms ask for a credit, and none was given");
        if (*tiles == io::TileKind::mbtiles) tile_credit = src.mbtiles_attribution(m_opt.basemap);
    }
    // With a moving camera the tiles are warped per view (frame_on), at the path's zoom.
    if (tiles && !moving) {
        auto t = src.tiles(m_opt.basemap.string(), *tiles, m_opt.tiles, m_traits.proj, m_tf.map_x(0), m_tf.map_y(m_opt.height),
                           m_tf.map_x(m_opt.width), m_tf.map_y(0), m_opt.width, m_opt.height);
        m_raster = std::move(t.image);
        tile_credit = t.attribution;
    } else if (!tiles && m_custom_basemap && src.is_raster(path)) {
        m_raster = src.raster(path, m_traits.proj, m_tf.map_x(0), m_tf.map_y(m_opt.height), m_tf.map_x(m_opt.width), m_tf.map_y(0),
                              m_opt.width, m_opt.height);
    }
    // The bundled basemap is read (GDAL, GEOS) on another thread while the rest of the scene is
    // projected here; its rings are projected at the end.
    // Width of the view on the ground (km), for choosing data by scale.
    {
        const double W = m_opt.width, H = m_opt.height;
        const auto a = from_screen({0, H / 2}), b = from_screen({W, H / 2});
        m_view_km = a && b ? geo::distance(*a, *b).m() / 1000.0 : m_extent.width() / 1000.0;
        if (!(m_view_km > 0)) m_view_km = m_extent.width() / 1000.0;
    }
    // GSHHG land, coast and lakes (and rivers) where lakes or rivers are drawn: Natural Earth
    // keeps the borders. The resolution follows the scale (with a moving camera, the camera's width).
    std::future<io::Basemap> bundled, gshhg;
    const auto& layers = m_opt.layers;
    const bool use_gshhg = !m_custom_basemap && layers.land && (layers.lakes || layers.rivers);
    m_credit = !m_opt.basemap_attribution.empty() ? "Basemap: " + m_opt.basemap_attribution
               : !tile_credit.empty()             ? "Basemap: " + tile_credit
               : tiles                            ? "Basemap: tiles from " + m_opt.basemap.string() + " (user-supplied)"
               : m_custom_basemap                 ? "Basemap: " + m_opt.basemap.filename().string() + " (user-supplied)"
                                                  : "Basemap: Natural Earth (public domain)";
    if (use_gshhg) {
        // A moving camera sees the ground at its own width: the followed zoom, or the narrowest
        // keyframe.
        double width_km = m_opt.follow.empty() ? m_view_km : std::min(m_view_km, m_opt.zoom_km);
        for (const auto& k : m_opt.keyframes)
            if (k.width_km > 0) width_km = std::min(width_km, k.width_km);
        char want = gshhg_resolution(width_km / m_opt.width);
        const std::string order = "hilc";  // finest first
        if (order.find(want) < order.find(m_opt.gshhg_max) && order.find(m_opt.gshhg_max) != std::string::npos) want = m_opt.gshhg_max;
        std::optional<std::filesystem::path> file;
        char got = want;
        for (const char r : order.substr(order.find(want))) {  // the wanted one, else coarser
            if ((file = src.optional_asset(std::string("basemap/gshhg_") + r + ".gpkg"))) {
                got = r;
                break;
            }
        }
        if (!file) throw IoError("missing asset basemap/gshhg_c.gpkg (scripts/build_gshhg.sh builds it)");
        m_credit += std::string(", GSHHG ") + gshhg_name(got) +
                    (got != want ? std::string(" (") + gshhg_name(want) + " not installed)" : "") + " (LGPL)";
        const bool rivers = layers.rivers;
        gshhg = std::async(std::launch::async, [&src, f = *file, bw, rivers] {
            return src.vector({f, io::VectorKind::gshhg, true, rivers, {}}, bw);
        });
    }
    if (!m_custom_basemap && (layers.land || layers.borders))
        bundled = std::async(std::launch::async, [&src, path, bw, use_gshhg] {
            return src.vector({path, io::VectorKind::natural_earth, !use_gshhg, false, {}}, bw);
        });
    auto project_ring = [&](const io::Ring& r, std::vector<ScreenLine>& out) {
        ScreenLine line;
        for (const auto& p : r) {
            if (auto s = to_screen(p))
                line.push_back(*s);
            else if (line.size() > 1) {
                out.push_back(std::move(line));
                line.clear();
            }
        }
        if (line.size() > 1) out.push_back(std::move(line));
    };
    // Extra vector layers (--overlay), clipped like the basemap.
    for (std::size_t oi = 0; oi < m_opt.overlays.size(); ++oi) {
        const auto& ov = m_opt.overlays[oi];
        const std::string label_field = oi < m_opt.overlay_labels.size() ? m_opt.overlay_labels[oi] : std::string();
        const io::Basemap o = src.vector({ov, io::VectorKind::overlay, true, false, label_field}, bw);
        for (const auto& pt : o.points) m_overlay_points.push_back({pt.position, pt.label, to_screen(pt.position)});
        for (const auto& poly : o.land) {
            std::vector<ScreenLine> rings;
            for (const auto& r : poly.rings) project_ring(r, rings);
            if (!rings.empty()) m_overlay_polys.push_back(std::move(rings));
        }
        for (const auto& r : o.borders) project_ring(r, m_overlay_lines);
    }

    // The edge of the world: the globe's limb, or the outline of a world map (its seam
    // meridians and pole lines, or Mercator's limit latitudes).
    const double lat_lim = m_traits.lat_limit_deg;
    if (m_traits.globe || (m_traits.world && m_traits.horizon_deg < 180.0)) {
        // Not 180 degrees for world maps: on the ellipsoid a geodesic of 180 degrees of arc on the
        // mean sphere (20,015 km) overshoots the antipode (20,004 km along a meridian) for some
        // azimuths and folded the outline into a strip (azimuthal-equidistant); the horizon
        // (179.5 degrees) stays short of it.
        for (const auto& p : cap_edge(*m_proj, m_traits.centre, m_traits.globe ? 90.0 : std::min(180.0, m_traits.horizon_deg), 720))
            if (auto sp = to_screen(p)) m_outline.push_back(*sp);
    } else if (m_traits.world || lat_lim < 90.0) {
        const double a = seam - 360.0 + 1e-6, b = seam - 1e-6;  // the seam's two sides, degrees
        std::vector<LatLon> ring;
        auto at = [&](double lat, double lon) { ring.push_back(*LatLon::normalized(lat, lon)); };
        for (double lon = a; lon < b; lon += 1.0) at(-lat_lim, lon);
        for (double lat = -lat_lim; lat < lat_lim; lat += 1.0) at(lat, b);
        for (double lon = b; lon > a; lon -= 1.0) at(lat_lim, lon);
        for (double lat = lat_lim; lat > -lat_lim; lat -= 1.0) at(lat, a);
        for (const auto& p : ring)
            if (auto sp = to_screen(p)) m_outline.push_back(*sp);
        if (lat_lim < 90.0)
            for (double lat : {lat_lim, -lat_lim}) {
                ScreenLine l;
                for (double lon = a; lon <= b + 0.5; lon += 1.0)
                    if (auto sp = to_screen(*LatLon::normalized(lat, std::min(lon, b)))) l.push_back(*sp);
                if (l.size() > 1) m_clip_lines.push_back(std::move(l));
            }
    }

    // Graticule every 10 degrees (30 for world views), densified to 1 degree, split at the seam.
    const double span = window ? std::max(window->lon_span(), window->lat_span()) : 360.0;
    const double step = span > 150 ? 30.0 : span > 40 ? 10.0 : span > 12 ? 5.0 : 1.0;
    for (double lon = -180; lon < 180; lon += step) {
        std::vector<LatLon> l;
        for (double lat = -90; lat <= 90; lat += 1.0) l.push_back(*LatLon::normalized(std::clamp(lat, -89.999, 89.999), lon));
        for (const auto& piece : geo::split_at_seam(l, seam)) project_ring(piece, m_graticule);
    }
    for (double lat = -90 + step; lat < 90; lat += step) {
        std::vector<LatLon> l;
        for (double lon = -180; lon <= 180; lon += 1.0) l.push_back(*LatLon::normalized(lat, std::min(lon, 179.9999999)));
        for (const auto& piece : geo::split_at_seam(l, seam)) project_ring(piece, m_graticule);
    }

    // Trails: consecutive fixes densified along the geodesic (20 km: under 2 px at continental
    // scale), split at the seam, tagged with time so a frame can draw the part flown so far.
    m_start = flights.front().points.front().time();
    m_end = m_start;
    const auto& range = m_opt.time_range;
    std::unordered_map<std::string, std::size_t> airport_index;  // icao -> m_airports
    for (std::size_t fi = 0; fi < flights.size(); ++fi) {
        FlightView fv{std::move(flights[fi]), std::move(analyses[fi]), {}, {}, {}, flight_colour(m_opt.style, fi)};
        const auto& pts = fv.flight.points;
        m_start = std::min(m_start, pts.front().time());
        m_end = std::max(m_end, pts.back().time());
        auto push_piece = [&](bool gap) {
            if (!fv.trail.empty() && fv.trail.back().v.empty())
                fv.trail.back().gap = gap;
            else
                fv.trail.push_back({{}, gap});
        };
        std::vector<bool> gap_after(pts.size(), false), leg_end(pts.size(), false);
        for (const auto& leg : fv.analysis.legs) leg_end[leg.last] = true;
        // Coverage gaps and breaks between legs are drawn dashed: missing data, never track.
        for (const analysis::Gap* g : fv.analysis.all_gaps()) gap_after[g->index_before] = true;
        auto push = [&](bool gap, double x, double y, TimePoint t, float alt) {
            if (fv.trail.empty() || fv.trail.back().gap != gap) {
                TrailPiece piece{{}, gap};
                if (!fv.trail.empty() && !fv.trail.back().v.empty()) piece.v.push_back(fv.trail.back().v.back());
                fv.trail.push_back(std::move(piece));
            }
            auto& v = fv.trail.back().v;
            // Each step starts where the last ended: that vertex is there already.
            if (!v.empty() && v.back().t == t && v.back().x == x && v.back().y == y) return;
            v.push_back({x, y, t, alt});
        };
        for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
            if (leg_end[i] && !gap_after[i]) {  // between legs across a stop: nothing is drawn; start a fresh piece
                push_piece(false);
                continue;
            }
            if (range && (pts[i + 1].time() < range->first || pts[i].time() > range->second)) {  // outside --time-range
                push_piece(false);
                continue;
            }
            const auto a0 = pts[i].altitude(), a1 = pts[i + 1].altitude();
            const bool gap = gap_after[i];
            const auto dense = geo::densify(pts[i].position(), pts[i + 1].position(), Length::kilometres(20));
            const double dt = static_cast<double>((pts[i + 1].time() - pts[i].time()).count());
            const auto pieces = geo::split_at_seam(dense, seam);
            std::size_t k = 0;
            for (std::size_t pi = 0; pi < pieces.size(); ++pi) {
                if (pi > 0) push_piece(gap);  // the seam: lift the pen
                for (std::size_t j = 0; j < pieces[pi].size(); ++j, ++k) {
                    const double frac =
                        dense.size() > 1 ? std::min(1.0, static_cast<double>(std::min(k, dense.size() - 1)) / (dense.size() - 1)) : 0.0;
                    const TimePoint t = pts[i].time() + Duration{static_cast<long long>(std::llround(dt * frac))};
                    const float alt = a0 && a1 ? static_cast<float>(a0->m() + (a1->m() - a0->m()) * frac)
                                      : a0     ? static_cast<float>(a0->m())
                                               : NAN;
                    if (auto s = to_screen(pieces[pi][j]))
                        push(gap, s->x, s->y, t, alt);
                    else
                        push_piece(gap);  // off the map (far side of a globe, beyond Mercator's limit): lift the pen
                }
                if (pieces.size() > 1) --k;  // split points duplicate one position
            }
        }
        std::erase_if(fv.trail, [](const TrailPiece& p) { return p.v.size() < 2; });
        for (auto& piece : fv.trail) piece.v.shrink_to_fit();  // a vertex per fix: no growth slack kept
        fv.trail.shrink_to_fit();
        // Great circles between the airports of each leg, with the leg's figures. A pair of
        // airports is drawn once (an out-and-back flight would otherwise overlay two dash
        // patterns starting from opposite ends, which reads as a solid line).
        std::vector<std::pair<std::string, std::string>> drawn_pairs;
        for (const auto& leg : fv.analysis.legs) {
            if (!leg.departure_airport || !leg.arrival_airport || leg.departure_airport->icao == leg.arrival_airport->icao) continue;
            const auto gc = geo::distance(leg.departure_airport->position, leg.arrival_airport->position).m();
            const auto& d = leg.departure_airport->icao;
            const auto& r = leg.arrival_airport->icao;
            const std::pair<std::string, std::string> pair = d < r ? std::pair{d, r} : std::pair{r, d};
            if (std::find(drawn_pairs.begin(), drawn_pairs.end(), pair) == drawn_pairs.end()) {
                drawn_pairs.emplace_back(pair);
                for (auto& l : project_geodesic({leg.departure_airport->position, leg.arrival_airport->position}, Length::kilometres(20)))
                    fv.great_circles.push_back(std::move(l));
            }
            const double flown = leg.distance_flown.m();
            char pct[32];
            std::snprintf(pct, sizeof pct, "%+.1f%%", gc > 0 ? (flown / gc - 1.0) * 100.0 : 0.0);
            fv.great_circle_captions.push_back(leg.departure_airport->icao + "-" + leg.arrival_airport->icao + ": flown " +
                                               format_km(flown) + ", great circle " + format_km(gc) + " (" + pct + ")");
        }
        // Airports at leg ends, once each.
        for (const auto& leg : fv.analysis.legs)
            for (const auto* ap : {&leg.departure_airport, &leg.arrival_airport}) {
                if (!*ap) continue;
                const auto [it, fresh] = airport_index.try_emplace((*ap)->icao, m_airports.size());
                if (fresh) m_airports.push_back({(*ap)->icao, airport_label(*ap), (*ap)->position, to_screen((*ap)->position)});
                ++m_airports[it->second].traffic;
            }
        m_flights.push_back(std::move(fv));
    }
    const TimePoint time_base = m_start;  // +offsets count from the first fix, before --time-range clipping
    if (range) {
        if (range->second < m_start || range->first > m_end || range->second <= range->first)
            throw SettingError("time_range", "the time range " + format_iso8601(range->first) + "," + format_iso8601(range->second) +
                                                 " does not overlap the data (" + format_iso8601(m_start) + " .. " + format_iso8601(m_end) +
                                                 ")");
        m_start = std::max(m_start, range->first);
        m_end = std::min(m_end, range->second);
    }
    std::vector<CameraKeyframe> keys;
    for (const auto& k : m_opt.keyframes) {
        if (!(k.width_km > 0)) throw SettingError("keyframes", "a keyframe's width must be more than 0 km");
        keys.push_back({k.time.resolve(time_base), k.centre, k.width_km});
    }
    if (!keys.empty() && !m_opt.follow.empty())
        throw SettingError("keyframes", "keyframes and a followed aircraft cannot be combined: choose one camera");
    if (!keys.empty() && m_raster)
        throw SettingError("keyframes", "keyframes cannot move a raster basemap (it is warped once for the whole frame)");
    io::Basemap bm = bundled.valid()                            ? bundled.get()
                     : m_raster || m_tiles || !m_custom_basemap ? io::Basemap{}
                                                                : src.vector({path, io::VectorKind::overlay, true, false, {}}, bw);
    if (gshhg.valid()) {
        io::Basemap g = gshhg.get();
        if (layers.lakes) {
            bm.land = std::move(g.land);
            bm.coastline = std::move(g.coastline);
            bm.lakes = std::move(g.lakes);
            bm.lake_islands = std::move(g.lake_islands);
        }
        bm.rivers = std::move(g.rivers);
    }
    if (!layers.land) bm.land.clear(), bm.coastline.clear(), bm.lakes.clear(), bm.lake_islands.clear();
    if (!layers.borders) bm.borders.clear();
    for (const auto* polys : {&bm.land, &bm.lakes, &bm.lake_islands}) {
        auto& dst = polys == &bm.land ? m_land : polys == &bm.lakes ? m_lakes : m_lake_islands;
        for (const auto& poly : *polys) {
            std::vector<ScreenLine> rings;
            for (const auto& r : poly.rings) project_ring(r, rings);
            if (!rings.empty()) dst.push_back(std::move(rings));
        }
    }
    for (const auto& r : bm.borders) project_ring(r, m_borders);
    for (const auto& r : bm.coastline) project_ring(r, m_coast);
    for (const auto& r : bm.rivers) project_ring(r, m_rivers);
    if (!layers.graticule) m_graticule.clear();
    if (places_ready.valid()) places_ready.get();
    if (m_opt.tz == "auto") m_credit += ", time zones © OpenStreetMap contributors, ODbL";
    collect_places();
    if (!m_opt.follow.empty() || !keys.empty()) {
        if (keys.empty()) {
            const auto it = std::find_if(m_flights.begin(), m_flights.end(),
                                         [&](const FlightView& fv) { return fv.flight.aircraft.is_named(m_opt.follow); });
            if (it == m_flights.end())
                throw SettingError("follow",
                                   "'" + m_opt.follow + "': no such aircraft in the input (callsign, registration or ICAO address)");
            if (m_raster)
                throw SettingError("follow", "a followed aircraft cannot move a raster basemap (it is warped once for the whole frame)");
            if (!(m_opt.zoom_km > 0)) throw SettingError("zoom_km", "the zoom width must be > 0 km");
            m_camera = Camera::follow(static_cast<std::size_t>(it - m_flights.begin()), m_opt.zoom_km);
        } else {
            m_camera = Camera::keyframes(std::move(keys));
        }
        auto base = std::make_shared<BaseGeometry>(BaseGeometry{m_tf,
                                                                m_land,
                                                                m_lakes,
                                                                m_overlay_polys,
                                                                m_borders,
                                                                m_coast,
                                                                m_graticule,
                                                                m_overlay_lines,
                                                                m_clip_lines,
                                                                m_rivers,
                                                                m_lake_islands,
                                                                m_outline,
                                                                {},
                                                                {},
                                                                {}});
        for (const auto& fv : m_flights) {
            base->trails.push_back(fv.trail);
            base->great_circles.push_back(fv.great_circles);
        }
        for (const auto& a : m_airports) base->airports.push_back(a.px);
        m_base = std::move(base);
        if (m_tiles) {
            // The camera's views over the whole replay (every 1/240 of it, and each keyframe):
            // one zoom for all, the finest any needs within --max-tiles for all together.
            std::vector<io::ViewBox> views;
            auto add = [&](TimePoint t) {
                if (const auto cam = m_camera.view_at(*this, t)) {
                    const auto e = camera_extent(*this, *cam);
                    views.push_back({e.xmin, e.ymin, e.xmax, e.ymax, m_opt.width, m_opt.height});
                }
            };
            constexpr int kSamples = 240;
            for (int i = 0; i <= kSamples; ++i) add(m_start + (m_end - m_start) * i / kSamples);
            for (const auto& k : m_camera.keys()) add(k.t);
            if (!views.empty()) m_opt.tiles.zoom = io::path_zoom(m_traits.proj, views, m_opt.tiles.max_tiles).first;
        }
    }
}

std::optional<Scene> Scene::framed_at(TimePoint t) const {
    if (!m_base) return std::nullopt;
    const auto view = m_camera.view_at(*this, t);
    if (!view) return std::nullopt;
    return framed(*view);
}

Scene Scene::framed(const CameraView& view) const { return Scene(*this, view); }

Scene::Scene(const Scene& from, const CameraView& view)
    : m_opt(from.m_opt), m_traits(from.m_traits), m_proj(from.m_proj), m_extent(from.m_extent), m_tf(from.m_tf),
      m_airports(from.m_airports), m_credit(from.m_credit), m_overlay_points(from.m_overlay_points), m_base(from.m_base),
      m_camera(from.m_camera), m_sources(from.m_sources), m_tiles(from.m_tiles), m_start(from.m_start), m_end(from.m_end),
      m_custom_basemap(from.m_custom_basemap) {
    if (!m_base) throw std::logic_error("Scene::framed: the scene's camera does not move");
    // What does not depend on the view is copied; trails and great circles come from the base.
    m_flights.reserve(from.m_flights.size());
    for (const auto& fv : from.m_flights) m_flights.push_back({fv.flight, fv.analysis, {}, {}, fv.great_circle_captions, fv.colour});
    if (!m_tiles) m_raster = from.m_raster;
    frame_on(view);
}

void Scene::frame_on(const CameraView& view) {
    const geo::Extent e = camera_extent(*this, view);
    m_tf = geo::MapTransform(e, m_opt.width, m_opt.height);
    // A tile basemap is warped again for the new view, at the zoom chosen for the whole camera
    // path: its tiles come from the cache (fetched once), not from the server again.
    if (m_tiles) {
        auto t = m_sources->tiles(m_opt.basemap.string(), *m_tiles, m_opt.tiles, m_traits.proj, e.xmin, e.ymin, e.xmax, e.ymax, m_opt.width,
                                  m_opt.height);
        m_raster = std::move(t.image);
    }
    // Old pixels -> map units -> new pixels: an affine map, applied to every stored coordinate.
    const auto& b0 = m_base->tf;
    auto map = [&](double& x, double& y) {
        const double mx = b0.map_x(x), my = b0.map_y(y);
        x = m_tf.px(mx);
        y = m_tf.py(my);
    };
    auto lines = [&](const std::vector<ScreenLine>& src, std::vector<ScreenLine>& dst) {
        dst = src;
        for (auto& l : dst)
            for (auto& p : l) map(p.x, p.y);
    };
    auto polys = [&](const std::vector<std::vector<ScreenLine>>& src, std::vector<std::vector<ScreenLine>>& dst) {
        dst.resize(src.size());
        for (std::size_t i = 0; i < src.size(); ++i) lines(src[i], dst[i]);
    };
    polys(m_base->land, m_land);
    polys(m_base->lakes, m_lakes);
    polys(m_base->lake_islands, m_lake_islands);
    lines(m_base->rivers, m_rivers);
    polys(m_base->overlay_polys, m_overlay_polys);
    lines(m_base->borders, m_borders);
    lines(m_base->coast, m_coast);
    lines(m_base->graticule, m_graticule);
    lines(m_base->overlay_lines, m_overlay_lines);
    lines(m_base->clip_lines, m_clip_lines);
    m_outline = m_base->outline;
    for (auto& p : m_outline) map(p.x, p.y);
    for (std::size_t i = 0; i < m_flights.size(); ++i) {
        m_flights[i].trail = m_base->trails[i];
        for (auto& piece : m_flights[i].trail)
            for (auto& v : piece.v) map(v.x, v.y);
        lines(m_base->great_circles[i], m_flights[i].great_circles);
    }
    for (std::size_t i = 0; i < m_airports.size(); ++i) {
        m_airports[i].px = m_base->airports[i];
        if (m_airports[i].px) map(m_airports[i].px->x, m_airports[i].px->y);
    }
    m_view_km = view.width_km;
    collect_places();
}

void Scene::collect_places() {
    m_places.clear();
    m_runways.clear();
    const double W = m_opt.width, H = m_opt.height, km = m_view_km, km_px = km / W;
    auto in_frame = [&](LatLon p) -> std::optional<ScreenPt> {
        const auto s = to_screen(p);
        if (!s || s->x < 0 || s->y < 0 || s->x > W || s->y > H) return std::nullopt;
        return s;
    };
    // The overlays' points (--overlay) in this view, and their labels (--overlay-label): after
    // the country and water names, before the bundled cities and airports (the user asked for them).
    auto overlay_places = [&] {
        int rank = 0;
        for (auto& p : m_overlay_points) {
            p.px = to_screen(p.position);
            if (p.label.empty()) continue;
            if (auto px = in_frame(p.position)) m_places.push_back({ScenePlace::Kind::overlay, p.label, p.position, px, rank++});
        }
    };
    if (m_custom_basemap) {
        overlay_places();
        return;
    }
    const auto& L = m_opt.layers;
    const auto window = window_of(*m_proj, m_tf.extent(), 0.5);
    auto near = [&](LatLon p) { return !window || in_bounds(*window, p); };
    using K = ScenePlace::Kind;
    // Countries whose largest part covers at least ~4,000 px^2 (a label's worth), largest first.
    if (L.countries)
        for (const auto& c : m_sources->countries())
            if (c.area_km2 / (km_px * km_px) >= 4000 && near(c.position))
                if (auto px = in_frame(c.position)) m_places.push_back({K::country, c.name, c.position, px, 0});
    // Oceans always; seas below 9,000 km of view; gulfs, small seas and lakes below 3,000 km.
    auto water = [&](int rank) {
        if (!L.water) return;
        for (const auto& w : m_sources->water())
            if (w.rank == rank && near(w.position))
                if (auto px = in_frame(w.position)) m_places.push_back({K::water, w.name, w.position, px, rank});
    };
    water(1);
    if (km < 9000) water(2);
    overlay_places();
    // Airports other than the flights' own (drawn with their names already): large ones below
    // 1,500 km of view, medium ones too below 400 km; each is drawn only where its label fits.
    if (L.airports && km < 1500 && m_flights.size() <= 12) {
        std::vector<const io::Airport*> aps;
        for (const auto& a : m_sources->airports().airports()) {
            if (a.size == io::AirportSize::small || (a.size == io::AirportSize::medium && km >= 400)) continue;
            if (std::any_of(m_airports.begin(), m_airports.end(),
                            [&](const SceneAirport& s) { return !a.icao.empty() && s.icao == a.icao; }))
                continue;
            if (!near(a.position)) continue;
            aps.push_back(&a);
        }
        std::stable_sort(aps.begin(), aps.end(), [](const io::Airport* a, const io::Airport* b) { return a->size > b->size; });
        for (const auto* a : aps)
            if (auto px = in_frame(a->position)) {
                const std::string code = !a->icao.empty() ? a->icao : a->iata;
                if (code.empty()) continue;
                m_places.push_back({K::airport, short_airport_name(a->name) + " (" + code + ")", a->position, px, 0});
                m_places.push_back({K::airport, code, a->position, px, 1});  // the fallback when the name has no room
            }
    }
    // Cities by population: at most one candidate per 25,000 px^2 of frame (83 at 1920x1080);
    // the placement then keeps those that fit.
    // Busy skies (more than 12 aircraft, as CairoRenderer::busy) get no towns or extra airports.
    const bool busy = m_flights.size() > 12;
    if (L.cities && !busy) {
        const std::size_t max_cities = static_cast<std::size_t>(W * H / 25'000);
        std::size_t n = 0;
        for (const auto& c : m_sources->cities()) {
            if (n >= max_cities) break;
            if (!near(c.position)) continue;
            if (auto px = in_frame(c.position)) {
                m_places.push_back({K::city, c.name, c.position, px, static_cast<int>(n)});
                ++n;
            }
        }
    }
    if (km < 3000) water(3);
    if (std::any_of(m_places.begin(), m_places.end(), [](const ScenePlace& p) { return p.kind == K::city; }) &&
        m_credit.find("GeoNames") == std::string::npos)
        m_credit += ", places: GeoNames (CC BY 4.0)";
    // Runways to scale below 150 km of view, for every airport in view with both ends known.
    if (L.runways && km < 150) {
        for (const auto& r : m_sources->runways()) {
            if (!r.le || !r.he || !near(*r.le)) continue;
            const auto a = to_screen(*r.le), b = to_screen(*r.he);
            if (!a || !b) continue;
            const auto bx0 = std::min(a->x, b->x), bx1 = std::max(a->x, b->x), by0 = std::min(a->y, b->y), by1 = std::max(a->y, b->y);
            if (bx1 < 0 || by1 < 0 || bx0 > W || by0 > H) continue;
            const double az = geo::inverse(*r.le, *r.he).azimuth1.deg();
            const Length half = Length::metres(r.width_m / 2);
            SceneRunway rw{r.icao, r.le_ident, r.he_ident, {}, *a, *b};
            for (const auto& [end, side] :
                 {std::pair{*r.le, -90.0}, std::pair{*r.le, 90.0}, std::pair{*r.he, 90.0}, std::pair{*r.he, -90.0}})
                if (auto c = to_screen(geo::direct(end, Angle::degrees(az + side), half))) rw.corners.push_back(*c);
            if (rw.corners.size() == 4) m_runways.push_back(std::move(rw));
        }
        if (!m_runways.empty() && m_credit.find("OurAirports") == std::string::npos) m_credit += ", runways: OurAirports (public domain)";
    }
}

std::optional<ScreenPt> Scene::to_screen(LatLon p) const noexcept {
    if (std::abs(p.lat_deg()) > m_traits.lat_limit_deg + 1e-9) return std::nullopt;
    auto xy = m_proj->forward(p);
    if (!xy) return std::nullopt;
    return ScreenPt{m_tf.px(xy->x), m_tf.py(xy->y)};
}

std::optional<LatLon> Scene::from_screen(ScreenPt p) const noexcept {
    auto ll = m_proj->inverse({m_tf.map_x(p.x), m_tf.map_y(p.y)});
    if (!ll) return std::nullopt;
    // PROJ's inverse can answer outside the forward domain (e.g. off an orthographic disc it
    // may clamp); accept only points that project back to where they came from (0.5 px).
    auto back = to_screen(*ll);
    if (!back || std::hypot(back->x - p.x, back->y - p.y) > 0.5) return std::nullopt;
    return ll;
}

std::vector<ScreenLine> Scene::project_geodesic(const std::vector<LatLon>& line, Length step) const {
    std::vector<ScreenLine> out;
    for (const auto& piece : geo::split_at_seam(geo::densify(line, step), m_proj->central_meridian() + 180.0)) {
        ScreenLine l;
        for (const auto& p : piece) {
            if (auto s = to_screen(p))
                l.push_back(*s);
            else if (l.size() > 1) {
                out.push_back(std::move(l));
                l.clear();
            }
        }
        if (l.size() > 1) out.push_back(std::move(l));
    }
    return out;
}

std::vector<Hold> Scene::holds(Duration min_gap) const {
    std::vector<Hold> out;
    // With several aircraft, an interval is compressed only when no other aircraft has a fix
    // inside it: fast-forwarding one aircraft's stop must not skip another's flight.
    auto others_quiet = [&](const FlightView& self, TimePoint a, TimePoint b) {
        for (const auto& fv : m_flights) {
            if (&fv == &self) continue;
            const auto& pts = fv.flight.points;
            const auto it = std::upper_bound(pts.begin(), pts.end(), a, [](TimePoint v, const TrackPoint& p) { return v < p.time(); });
            if (it != pts.end() && it->time() < b) return false;
        }
        return true;
    };
    for (const auto& fv : m_flights) {
        for (const auto& st : fv.analysis.stops)
            if (st.end > m_start && st.start < m_end && others_quiet(fv, st.start, st.end))
                out.push_back({st.start, st.end, "On ground at " + airport_label(st.airport) + " - " + format_duration(st.duration())});
        for (const analysis::Gap* g : fv.analysis.all_gaps())
            if (g->duration() >= min_gap && g->end > m_start && g->start < m_end && others_quiet(fv, g->start, g->end))
                out.push_back({g->start, g->end, "No data for " + format_duration(g->duration())});
    }
    return out;
}

Provenance Scene::provenance() const noexcept {
    Provenance p = Provenance::recorded;
    for (const auto& fv : m_flights) p = std::max(p, fv.flight.provenance);
    return p;
}

std::string Scene::attribution() const {
    std::string s = m_credit;
    std::string tracks;
    for (const auto& fv : m_flights)
        for (const auto& src : fv.flight.sources) {
            const auto name = std::filesystem::path(src).filename().string();
            if (tracks.find(name) == std::string::npos) tracks += (tracks.empty() ? "" : ", ") + name;
        }
    s += " | Track: " + tracks;
    if (provenance() != Provenance::recorded) s += std::string(" (") + to_string(provenance()) + ", not recorded)";
    if (!m_opt.source.empty()) s = m_opt.source + " | " + s;
    return s;
}

}  // namespace fr::render
