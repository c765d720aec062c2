#include "render/scene.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "geo/geodesic.hpp"
#include "io/assets.hpp"

namespace fr::render {

namespace {

std::vector<LatLon> all_positions(const std::vector<Flight>& flights) {
    std::vector<LatLon> pts;
    for (const auto& f : flights)
        for (const auto& p : f.points) pts.push_back(p.position());
    return pts;
}

std::string pick_crs(const SceneOptions& opt, const std::vector<Flight>& flights) {
    if (!opt.crs.empty()) return opt.crs;
    if (opt.bbox) return geo::choose_crs(*opt.bbox).proj;
    return geo::choose_crs(geo::bounds_of(all_positions(flights))).proj;
}

/// Samples a lon/lat box densely (its edges and interior) for fitting an extent to it.
std::vector<LatLon> sample_box(const geo::GeoBounds& b) {
    std::vector<LatLon> out;
    constexpr int n = 24;
    for (int i = 0; i <= n; ++i)
        for (int j = 0; j <= n; ++j)
            if (auto p = LatLon::normalized(b.lat_min + b.lat_span() * i / n, b.lon_min + b.lon_span() * j / n))
                out.push_back(*p);
    return out;
}

geo::Extent pick_extent(const SceneOptions& opt, const geo::Projector& proj, const std::vector<Flight>& flights,
                        const std::vector<analysis::FlightAnalysis>& analyses) {
    const double aspect = static_cast<double>(opt.width) / opt.height;
    if (opt.extent) return *opt.extent;
    if (opt.bbox) return geo::fit_extent(proj, sample_box(*opt.bbox), 0.0, aspect);
    // Fit the flown track, densified across gaps, plus the airports.
    std::vector<LatLon> pts;
    for (const auto& f : flights) {
        for (std::size_t i = 0; i < f.points.size(); ++i) {
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
/// deficiency), the first being the style's trail colour.
Rgba flight_colour(const Style& s, std::size_t i) {
    static const Rgba palette[] = {{0.0, 0.45, 0.70}, {0.0, 0.62, 0.45}, {0.80, 0.47, 0.65},
                                   {0.90, 0.62, 0.0}, {0.34, 0.71, 0.91}, {0.84, 0.37, 0.0}};
    if (i == 0) return s.trail;
    return palette[(i - 1) % std::size(palette)];
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
        if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0)
            return name.substr(0, name.size() - s.size());
    }
    return name;
}

std::string airport_label(const std::optional<analysis::AirportRef>& a) {
    if (!a) return "unknown airfield";
    if (a->name.empty()) return a->icao;
    return short_airport_name(a->name) + " (" + a->icao + ")";
}

Scene::Scene(std::vector<Flight> flights, std::vector<analysis::FlightAnalysis> analyses, SceneOptions opt)
    : m_opt(std::move(opt)),
      m_proj(flights.empty() ? std::string("EPSG:4326") : pick_crs(m_opt, flights)),
      m_extent(flights.empty() ? geo::Extent{} : pick_extent(m_opt, m_proj, flights, analyses)),
      m_tf(m_extent, m_opt.width, m_opt.height) {
    if (flights.empty()) throw std::invalid_argument("scene: no flights to show");
    if (analyses.size() != flights.size()) throw std::invalid_argument("scene: one analysis per flight expected");
    const double seam = m_proj.central_meridian() + 180.0;
    const auto window = window_of(m_proj, m_extent, 10.0);

    // Basemap: bundled Natural Earth unless a file is given.
    io::BasemapWindow bw{seam, window, 1.0};
    m_custom_basemap = !m_opt.basemap.empty();
    const auto path = m_custom_basemap ? m_opt.basemap : io::asset_path("basemap/naturalearth_50m.gpkg");
    const io::Basemap bm = m_custom_basemap ? io::load_vector_overlay(path, bw) : io::load_basemap(path, bw);
    auto project_ring = [&](const io::Ring& r, std::vector<ScreenLine>& out) {
        ScreenLine line;
        for (const auto& p : r) {
            if (auto s = to_screen(p)) line.push_back(*s);
            else if (line.size() > 1) { out.push_back(std::move(line)); line.clear(); }
        }
        if (line.size() > 1) out.push_back(std::move(line));
    };
    for (const auto* polys : {&bm.land, &bm.lakes}) {
        auto& dst = polys == &bm.land ? m_land : m_lakes;
        for (const auto& poly : *polys) {
            std::vector<ScreenLine> rings;
            for (const auto& r : poly.rings) project_ring(r, rings);
            if (!rings.empty()) dst.push_back(std::move(rings));
        }
    }
    for (const auto& r : bm.borders) project_ring(r, m_borders);
    for (const auto& r : bm.coastline) project_ring(r, m_coast);

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
    for (std::size_t fi = 0; fi < flights.size(); ++fi) {
        FlightView fv{std::move(flights[fi]), std::move(analyses[fi]), {}, {}, {}, flight_colour(m_opt.style, fi)};
        const auto& pts = fv.flight.points;
        m_start = std::min(m_start, pts.front().time());
        m_end = std::max(m_end, pts.back().time());
        std::vector<bool> gap_after(pts.size(), false), leg_end(pts.size(), false);
        for (const auto& leg : fv.analysis.legs) {
            leg_end[leg.last] = true;
            for (const auto& g : leg.gaps) gap_after[g.index_before] = true;
        }
        auto push = [&](bool gap, double x, double y, TimePoint t) {
            if (fv.trail.empty() || fv.trail.back().gap != gap) {
                TrailPiece piece{{}, gap};
                if (!fv.trail.empty() && !fv.trail.back().v.empty()) piece.v.push_back(fv.trail.back().v.back());
                fv.trail.push_back(std::move(piece));
            }
            fv.trail.back().v.push_back({x, y, t});
        };
        for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
            if (leg_end[i]) {  // between legs: nothing is drawn; start a fresh piece
                fv.trail.push_back({{}, false});
                continue;
            }
            const bool gap = gap_after[i];
            const auto dense = geo::densify(pts[i].position(), pts[i + 1].position(), Length::kilometres(20));
            const double dt = static_cast<double>((pts[i + 1].time() - pts[i].time()).count());
            const auto pieces = geo::split_at_seam(dense, seam);
            std::size_t k = 0;
            for (std::size_t pi = 0; pi < pieces.size(); ++pi) {
                if (pi > 0) fv.trail.push_back({{}, gap});  // the seam: lift the pen
                for (std::size_t j = 0; j < pieces[pi].size(); ++j, ++k) {
                    const double frac = dense.size() > 1 ? std::min(1.0, static_cast<double>(std::min(k, dense.size() - 1)) / (dense.size() - 1)) : 0.0;
                    const TimePoint t = pts[i].time() + Duration{static_cast<long long>(std::llround(dt * frac))};
                    if (auto s = to_screen(pieces[pi][j])) push(gap, s->x, s->y, t);
                }
                if (pieces.size() > 1) --k;  // split points duplicate one position
            }
        }
        std::erase_if(fv.trail, [](const TrailPiece& p) { return p.v.size() < 2; });
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
                if (std::any_of(m_airports.begin(), m_airports.end(), [&](const SceneAirport& a) { return a.icao == (*ap)->icao; })) continue;
                m_airports.push_back({(*ap)->icao, airport_label(*ap), (*ap)->position, to_screen((*ap)->position)});
            }
        m_flights.push_back(std::move(fv));
    }
}

std::optional<ScreenPt> Scene::to_screen(LatLon p) const noexcept {
    auto xy = m_proj.forward(p);
    if (!xy) return std::nullopt;
    return ScreenPt{m_tf.px(xy->x), m_tf.py(xy->y)};
}

std::vector<ScreenLine> Scene::project_geodesic(const std::vector<LatLon>& line, Length step) const {
    std::vector<ScreenLine> out;
    for (const auto& piece : geo::split_at_seam(geo::densify(line, step), m_proj.central_meridian() + 180.0)) {
        ScreenLine l;
        for (const auto& p : piece) {
            if (auto s = to_screen(p)) l.push_back(*s);
            else if (l.size() > 1) { out.push_back(std::move(l)); l.clear(); }
        }
        if (l.size() > 1) out.push_back(std::move(l));
    }
    return out;
}

std::vector<Hold> Scene::holds(Duration min_gap) const {
    std::vector<Hold> out;
    for (const auto& fv : m_flights) {
        for (const auto& st : fv.analysis.stops)
            out.push_back({st.start, st.end, "On ground at " + airport_label(st.airport) + " - " + format_duration(st.duration())});
        for (const auto& leg : fv.analysis.legs)
            for (const auto& g : leg.gaps)
                if (g.duration() >= min_gap) out.push_back({g.start, g.end, "No data for " + format_duration(g.duration())});
    }
    return out;
}

Provenance Scene::provenance() const noexcept {
    Provenance p = Provenance::recorded;
    for (const auto& fv : m_flights) p = std::max(p, fv.flight.provenance);
    return p;
}

std::string Scene::attribution() const {
    std::string s = m_custom_basemap ? "Basemap: " + m_opt.basemap.filename().string() + " (user-supplied)"
                                     : "Basemap: Natural Earth (public domain)";
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
