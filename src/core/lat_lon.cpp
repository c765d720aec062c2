#include "core/lat_lon.hpp"

#include <cmath>
#include <cstdio>

namespace fr {

std::optional<LatLon> LatLon::checked(double lat, double lon) noexcept {
    if (!std::isfinite(lat) || !std::isfinite(lon)) return std::nullopt;
    if (lat < -90.0 || lat > 90.0 || lon < -180.0 || lon > 180.0) return std::nullopt;
    return LatLon{lat, lon};
}

LatLon LatLon::from_degrees(double lat, double lon) {
    if (auto p = checked(lat, lon)) return *p;
    char buf[96];
    std::snprintf(buf, sizeof buf, "invalid position lat=%g lon=%g (degrees)", lat, lon);
    throw std::invalid_argument(buf);
}

std::optional<LatLon> LatLon::normalized(double lat, double lon) noexcept {
    if (!std::isfinite(lon)) return std::nullopt;
    double l = std::fmod(lon + 180.0, 360.0);
    if (l < 0) l += 360.0;
    return checked(lat, l - 180.0);
}

std::string to_string(const LatLon& p) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f,%.6f", p.lat_deg(), p.lon_deg());
    return buf;
}

}  // namespace fr
