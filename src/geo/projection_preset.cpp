#include "geo/projection_preset.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <regex>
#include <stdexcept>

namespace fr::geo {

namespace {

constexpr double kDeg = M_PI / 180.0;

std::string fmt(const char* f, double a, double b = 0, double c = 0, double d = 0) {
    char buf[256];
    std::snprintf(buf, sizeof buf, f, a, b, c, d);
    return buf;
}

std::optional<double> param(const std::string& crs, const char* name) {
    const std::regex re(std::string(R"(\+)") + name + R"(=(-?[0-9.]+))");
    std::smatch m;
    if (std::regex_search(crs, m, re)) return std::stod(m[1].str());
    return std::nullopt;
}

}  // namespace

std::optional<Preset> parse_preset(std::string_view n) noexcept {
    for (Preset p : all_presets())
        if (n == to_string(p)) return p;
    return std::nullopt;
}

const char* to_string(Preset p) noexcept {
    switch (p) {
        case Preset::automatic: return "auto";
        case Preset::mercator: return "mercator";
        case Preset::webmercator: return "webmercator";
        case Preset::equal_earth: return "equal-earth";
        case Preset::robinson: return "robinson";
        case Preset::orthographic: return "orthographic";
        case Preset::azimuthal_equidistant: return "azimuthal-equidistant";
        case Preset::lcc: return "lcc";
    }
    return "auto";
}

std::vector<Preset> all_presets() {
    return {Preset::automatic, Preset::mercator,     Preset::webmercator,           Preset::equal_earth,
            Preset::robinson,  Preset::orthographic, Preset::azimuthal_equidistant, Preset::lcc};
}

LatLon centroid_of(const std::vector<LatLon>& pts) {
    if (pts.empty()) throw std::invalid_argument("centroid_of: no points");
    double x = 0, y = 0, z = 0;
    for (const auto& p : pts) {
        const double la = p.lat_deg() * kDeg, lo = p.lon_deg() * kDeg;
        x += std::cos(la) * std::cos(lo);
        y += std::cos(la) * std::sin(lo);
        z += std::sin(la);
    }
    const double h = std::hypot(x, y);
    // 1e-9 of the point count: the vectors cancel (e.g. two antipodes) and no centre exists.
    if (std::hypot(h, z) < 1e-9 * static_cast<double>(pts.size())) throw std::invalid_argument("centroid_of: points cancel out");
    return *LatLon::normalized(std::atan2(z, h) / kDeg, h < 1e-12 ? 0.0 : std::atan2(y, x) / kDeg);
}

CrsTraits traits_of_crs(const std::string& crs) {
    CrsTraits t;
    t.proj = crs;
    std::string kind;
    static const std::regex re(R"(\+proj=([a-z_]+))");
    std::smatch m;
    if (std::regex_search(crs, m, re)) kind = m[1].str();
    const double lat0 = param(crs, "lat_0").value_or(0), lon0 = param(crs, "lon_0").value_or(0);
    if (kind == "merc" || crs == "EPSG:3857" || crs == "EPSG:3395" || crs == "EPSG:900913") {
        t.lat_limit_deg = kMercatorLimitDeg;
    } else if (kind == "ortho") {
        t.globe = true;
        t.world = true;
        t.centre = *LatLon::normalized(std::clamp(lat0, -90.0, 90.0), lon0);
        // The horizon is 90 degrees away; stop a hair short so every vertex kept is in front
        // (PROJ rejects points on the far side) and the land reaches the limb.
        t.horizon_deg = 89.5;
    } else if (kind == "aeqd") {
        t.world = true;
        t.centre = *LatLon::normalized(std::clamp(lat0, -90.0, 90.0), lon0);
        t.horizon_deg = 179.5;  // everything but a small disc around the antipode
    } else if (kind == "eqearth" || kind == "robin" || kind == "moll" || kind == "natearth" || kind == "wintri") {
        t.world = true;
    }
    return t;
}

CrsTraits preset_crs(Preset p, const std::vector<LatLon>& pts) {
    if (pts.empty()) throw std::invalid_argument("preset_crs: no points");
    const GeoBounds b = bounds_of(pts);
    const double clon = b.center_lon();
    switch (p) {
        case Preset::automatic: {
            auto t = traits_of_crs(choose_crs(b).proj);
            return t;
        }
        case Preset::mercator: return traits_of_crs(fmt("+proj=merc +lon_0=%.6f +datum=WGS84 +units=m +no_defs", clon));
        case Preset::webmercator:
            // EPSG:3857's spherical formulas with the central meridian moved onto the data.
            return traits_of_crs(
                fmt("+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=%.6f +x_0=0 +y_0=0 +k=1 +units=m "
                    "+nadgrids=@null +wktext +no_defs",
                    clon));
        case Preset::equal_earth: return traits_of_crs(fmt("+proj=eqearth +lon_0=%.6f +datum=WGS84 +units=m +no_defs", clon));
        case Preset::robinson: return traits_of_crs(fmt("+proj=robin +lon_0=%.6f +datum=WGS84 +units=m +no_defs", clon));
        case Preset::orthographic: {
            const LatLon c = centroid_of(pts);
            return traits_of_crs(fmt("+proj=ortho +lat_0=%.6f +lon_0=%.6f +datum=WGS84 +units=m +no_defs", c.lat_deg(), c.lon_deg()));
        }
        case Preset::azimuthal_equidistant: {
            const LatLon c = centroid_of(pts);
            return traits_of_crs(fmt("+proj=aeqd +lat_0=%.6f +lon_0=%.6f +datum=WGS84 +units=m +no_defs", c.lat_deg(), c.lon_deg()));
        }
        case Preset::lcc: {
            // Standard parallels at 1/6 and 5/6 of the latitude range (Snyder 1987), kept on one
            // side of the equator: parallels symmetric about it make the cone a cylinder.
            double lat1 = b.lat_min + b.lat_span() / 6.0, lat2 = b.lat_max - b.lat_span() / 6.0;
            if (std::abs(lat1 + lat2) < 2.0) {
                const double sgn = b.center_lat() >= 0 ? 1.0 : -1.0;
                lat1 = sgn * std::max(std::abs(lat1), 5.0);
                lat2 = sgn * std::max(std::abs(lat2), 25.0);
            }
            if (std::abs(lat2 - lat1) < 0.5) lat2 = lat1 + 0.5;
            const double lat0 = std::clamp(b.center_lat(), -80.0, 80.0);
            return traits_of_crs(
                fmt("+proj=lcc +lat_1=%.6f +lat_2=%.6f +lat_0=%.6f +lon_0=%.6f +datum=WGS84 +units=m +no_defs", lat1, lat2, lat0, clon));
        }
    }
    return traits_of_crs(choose_crs(b).proj);
}

}  // namespace fr::geo
