#include "geo/view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "geo/geodesic.hpp"

namespace fr::geo {

namespace {

double wrap180(double lon) noexcept {
    double l = std::fmod(lon + 180.0, 360.0);
    if (l < 0) l += 360.0;
    return l - 180.0;
}

std::string fmt(const char* f, double a, double b, double c, double d) {
    char buf[256];
    std::snprintf(buf, sizeof buf, f, a, b, c, d);
    return buf;
}

}  // namespace

double GeoBounds::center_lon() const noexcept { return wrap180((lon_min + lon_max) / 2); }

GeoBounds bounds_of(const std::vector<LatLon>& pts) {
    if (pts.empty()) throw std::invalid_argument("bounds_of: no points");
    std::vector<double> lons;
    lons.reserve(pts.size());
    GeoBounds b;
    b.lat_min = 90;
    b.lat_max = -90;
    for (const auto& p : pts) {
        lons.push_back(wrap180(p.lon_deg()));
        b.lat_min = std::min(b.lat_min, p.lat_deg());
        b.lat_max = std::max(b.lat_max, p.lat_deg());
    }
    std::sort(lons.begin(), lons.end());
    lons.erase(std::unique(lons.begin(), lons.end()), lons.end());
    // The covering interval is the circle minus its largest empty gap.
    double best_gap = lons.front() + 360.0 - lons.back();  // gap across the antimeridian
    std::size_t best_i = lons.size() - 1;                  // gap after index best_i
    for (std::size_t i = 0; i + 1 < lons.size(); ++i) {
        const double g = lons[i + 1] - lons[i];
        if (g > best_gap) {
            best_gap = g;
            best_i = i;
        }
    }
    if (best_i == lons.size() - 1) {
        b.lon_min = lons.front();
        b.lon_max = lons.back();
    } else {
        b.lon_min = lons[best_i + 1];
        b.lon_max = lons[best_i] + 360.0;
    }
    return b;
}

CrsChoice choose_crs(const GeoBounds& b) {
    const double clon = b.center_lon(), clat = b.center_lat();
    const double max_abs_lat = std::max(std::abs(b.lat_min), std::abs(b.lat_max));
    // Data above 70 degrees on one side of the equator: an azimuthal projection centred on the
    // data (toward the pole when the data reach past 80), which draws the pole and routes
    // across it; their longitude span is naturally wide, so this comes before the world test.
    // 70 degrees is where conic scale error for a continental span exceeds ~10%.
    const bool one_hemisphere = b.lat_min > 0.0 || b.lat_max < 0.0;
    if (max_abs_lat > 70.0 && one_hemisphere && b.lat_span() < 60.0) {
        double lat0 = clat;
        if (max_abs_lat > 80.0) lat0 = b.lat_max > 0 ? std::max(clat, 75.0) : std::min(clat, -75.0);
        // Data wrapped around the pole (a polar route seen from lon_min to lon_max the long
        // way): centre on the pole itself.
        if (b.lon_span() > 120.0) lat0 = b.lat_max > 0 ? 90.0 : -90.0;
        return {ProjectionKind::polar, fmt("+proj=laea +lat_0=%.6f +lon_0=%.6f +datum=WGS84 +units=m +no_defs", lat0, clon, 0, 0)};
    }
    // More than a hemisphere of longitude (or nearly pole to pole): a world map.
    if (b.lon_span() > 180.0 || b.lat_span() > 120.0)
        return {ProjectionKind::global, fmt("+proj=eqearth +lon_0=%.6f +datum=WGS84 +units=m +no_defs", clon, 0, 0, 0)};
    // Mid-latitude data on one side of the equator: Lambert conformal conic with standard
    // parallels at 1/6 and 5/6 of the latitude range (the classic rule of thumb; Snyder 1987).
    if ((b.lat_min > 10.0 || b.lat_max < -10.0) && b.lon_span() > 1e-9) {
        const double lat1 = b.lat_min + b.lat_span() / 6.0, lat2 = b.lat_max - b.lat_span() / 6.0;
        char buf[256];
        std::snprintf(buf, sizeof buf, "+proj=lcc +lat_1=%.6f +lat_2=%.6f +lat_0=%.6f +lon_0=%.6f +datum=WGS84 +units=m +no_defs", lat1,
                      std::abs(lat2 - lat1) < 0.5 ? lat1 + 0.5 : lat2, clat, clon);
        return {ProjectionKind::regional_conic, buf};
    }
    return {ProjectionKind::azimuthal, fmt("+proj=laea +lat_0=%.6f +lon_0=%.6f +datum=WGS84 +units=m +no_defs", clat, clon, 0, 0)};
}

Extent fit_extent(const Projector& proj, const std::vector<LatLon>& pts, double margin, double aspect) {
    Extent e{INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (const auto& p : pts) {
        if (auto xy = proj.forward(p)) {
            e.xmin = std::min(e.xmin, xy->x);
            e.xmax = std::max(e.xmax, xy->x);
            e.ymin = std::min(e.ymin, xy->y);
            e.ymax = std::max(e.ymax, xy->y);
        }
    }
    if (!(e.xmin <= e.xmax)) throw std::invalid_argument("fit_extent: no point can be projected into " + proj.crs());
    // A single point (or a tiny extent) still gets a map 20 km across.
    constexpr double min_size_m = 20'000;
    const double side = std::max({e.width(), e.height(), min_size_m});
    const double pad = side * margin;
    e.xmin -= pad;
    e.xmax += pad;
    e.ymin -= pad;
    e.ymax += pad;
    if (e.width() < min_size_m) {
        const double c = (e.xmin + e.xmax) / 2;
        e.xmin = c - min_size_m / 2;
        e.xmax = c + min_size_m / 2;
    }
    if (e.height() < min_size_m) {
        const double c = (e.ymin + e.ymax) / 2;
        e.ymin = c - min_size_m / 2;
        e.ymax = c + min_size_m / 2;
    }
    const double cur = e.width() / e.height();
    if (cur < aspect) {
        const double w = e.height() * aspect, c = (e.xmin + e.xmax) / 2;
        e.xmin = c - w / 2;
        e.xmax = c + w / 2;
    } else {
        const double h = e.width() / aspect, c = (e.ymin + e.ymax) / 2;
        e.ymin = c - h / 2;
        e.ymax = c + h / 2;
    }
    return e;
}

MapTransform::MapTransform(Extent e, int w, int h) noexcept : m_e(e), m_w(w), m_h(h) {
    m_scale = std::min(w / e.width(), h / e.height());
    m_ox = (w - e.width() * m_scale) / 2;
    m_oy = (h - e.height() * m_scale) / 2;
}

std::vector<std::vector<LatLon>> split_at_seam(const std::vector<LatLon>& line, double seam_lon) {
    std::vector<std::vector<LatLon>> out;
    if (line.empty()) return out;
    // Longitude relative to the seam, in (0, 360): crossing the seam = jumping across 0/360.
    auto rel = [&](const LatLon& p) {
        double r = std::fmod(p.lon_deg() - seam_lon, 360.0);
        if (r < 0) r += 360.0;
        return r;
    };
    constexpr double eps = 1e-9;  // degrees; keeps the two halves on their own side of the seam
    out.emplace_back();
    out.back().push_back(line.front());
    for (std::size_t i = 1; i < line.size(); ++i) {
        const LatLon a = line[i - 1], b = line[i];
        const double ra = rel(a), rb = rel(b);
        if (std::abs(ra - rb) > 180.0) {
            // Find where the geodesic a..b crosses the seam by bisection on the fraction.
            double lo = 0, hi = 1;
            for (int k = 0; k < 50; ++k) {
                const double mid = (lo + hi) / 2;
                const double rm = rel(interpolate(a, b, mid));
                if (std::abs(rm - ra) > 180.0)
                    hi = mid;
                else
                    lo = mid;
            }
            const double lat = interpolate(a, b, (lo + hi) / 2).lat_deg();
            const double side_a = ra > 180.0 ? seam_lon - eps : seam_lon + eps;
            const double side_b = ra > 180.0 ? seam_lon + eps : seam_lon - eps;
            out.back().push_back(*LatLon::normalized(lat, side_a));
            out.emplace_back();
            out.back().push_back(*LatLon::normalized(lat, side_b));
        }
        out.back().push_back(b);
    }
    return out;
}

}  // namespace fr::geo
