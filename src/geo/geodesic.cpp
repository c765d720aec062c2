#include "geo/geodesic.hpp"

#include <geodesic.h>

#include <algorithm>
#include <cmath>

namespace fr::geo {

namespace {

// WGS84 (NIMA TR8350.2): equatorial radius and flattening.
constexpr double kWgs84A = 6378137.0, kWgs84F = 1.0 / 298.257223563;
constexpr double kRad = 3.14159265358979323846 / 180;

const geod_geodesic& wgs84() noexcept {
    static const geod_geodesic g = [] {
        geod_geodesic out;
        geod_init(&out, kWgs84A, kWgs84F);
        return out;
    }();
    return g;
}

LatLon make(double lat, double lon) noexcept {
    // geod_* returns longitudes in [-180, 180] and latitudes in [-90, 90]; normalise guards
    // rounding at the seam.
    auto p = LatLon::normalized(std::clamp(lat, -90.0, 90.0), lon);
    return p ? *p : *LatLon::checked(0, 0);
}

/// b's longitude less a's, the short way round: (-180, 180].
double wrapped_dlon(LatLon a, LatLon b) noexcept {
    double dlon = b.lon_deg() - a.lon_deg();
    if (dlon > 180) dlon -= 360;
    if (dlon < -180) dlon += 360;
    return dlon;
}

}  // namespace

Inverse inverse(LatLon a, LatLon b) noexcept {
    double s12 = 0, azi1 = 0, azi2 = 0;
    geod_inverse(&wgs84(), a.lat_deg(), a.lon_deg(), b.lat_deg(), b.lon_deg(), &s12, &azi1, &azi2);
    return {Length::metres(s12), Angle::degrees(azi1), Angle::degrees(azi2)};
}

Length distance(LatLon a, LatLon b) noexcept {
    // Consecutive fixes of a track are a few km apart, and the analysis measures every such
    // step several times: below kShortDeg of latitude and longitude (~11 km) the distance comes
    // from the ellipsoid's radii of curvature at the middle latitude (meridional M, prime
    // vertical N), within 5 mm of Karney's solution (geodesic_test checks it across latitudes);
    // farther apart, and near the poles, from geod_inverse.
    constexpr double kShortDeg = 0.1, kPolarDeg = 89.5;
    const double dlat = b.lat_deg() - a.lat_deg();
    const double dlon = wrapped_dlon(a, b);
    if (std::abs(dlat) < kShortDeg && std::abs(dlon) < kShortDeg && std::abs(a.lat_deg()) < kPolarDeg &&
        std::abs(b.lat_deg()) < kPolarDeg) {
        constexpr double kA = kWgs84A, kE2 = kWgs84F * (2 - kWgs84F);
        const double phi = (a.lat_deg() + b.lat_deg()) / 2 * kRad, sphi = std::sin(phi);
        const double w = 1 - kE2 * sphi * sphi, sw = std::sqrt(w);
        const double m = kA * (1 - kE2) / (w * sw), n = kA / sw;
        const double north = m * dlat * kRad, east = n * std::cos(phi) * dlon * kRad;
        return Length::metres(std::sqrt(north * north + east * east));
    }
    return inverse(a, b).distance;
}

std::optional<Angle> short_step_azimuth(LatLon a, LatLon b) noexcept {
    constexpr double kShortDeg = 0.25, kPolarDeg = 89.5;
    const double dlat = b.lat_deg() - a.lat_deg();
    const double dlon = wrapped_dlon(a, b);
    if (!(std::abs(dlat) < kShortDeg && std::abs(dlon) * std::cos(a.lat_deg() * kRad) < kShortDeg && std::abs(a.lat_deg()) < kPolarDeg &&
          std::abs(b.lat_deg()) < kPolarDeg) ||
        (dlat == 0 && dlon == 0))
        return std::nullopt;
    constexpr double kE2 = kWgs84F * (2 - kWgs84F);
    const double phi = (a.lat_deg() + b.lat_deg()) / 2 * kRad, sphi = std::sin(phi);
    const double w = 1 - kE2 * sphi * sphi;
    const double north = (1 - kE2) / w * dlat, east = std::cos(phi) * dlon;  // M / N = (1 - e2) / w
    return Angle::degrees(std::atan2(east, north) / kRad);
}

LatLon direct(LatLon a, Angle azi, Length s) noexcept {
    double lat2 = 0, lon2 = 0, azi2 = 0;
    geod_direct(&wgs84(), a.lat_deg(), a.lon_deg(), azi.deg(), s.m(), &lat2, &lon2, &azi2);
    return make(lat2, lon2);
}

LatLon interpolate(LatLon a, LatLon b, double fraction) noexcept {
    if (fraction <= 0) return a;
    if (fraction >= 1) return b;
    geod_geodesicline line;
    geod_inverseline(&line, &wgs84(), a.lat_deg(), a.lon_deg(), b.lat_deg(), b.lon_deg(), 0);
    double lat = 0, lon = 0;
    geod_position(&line, line.s13 * fraction, &lat, &lon, nullptr);
    return make(lat, lon);
}

LatLon step_point(LatLon a, LatLon b, double fraction) noexcept {
    if (fraction <= 0) return a;
    if (fraction >= 1) return b;
    // Every aircraft of every frame is placed between two fixes seconds apart. Below kShortDeg
    // (~28 km) the point comes from the normalised blend of the two surface normals (n-vectors):
    // within 15 cm of the geodesic (a few cm below 12 km; geodesic_test checks it across
    // latitudes, the seam and the poles) at a fraction of geod_inverseline's cost. Farther apart
    // (coverage gaps), from the geodesic itself.
    constexpr double kShortDeg = 0.25;
    const double dlon = wrapped_dlon(a, b);
    if (std::abs(b.lat_deg() - a.lat_deg()) < kShortDeg && std::abs(dlon) * std::cos(a.lat_deg() * kRad) < kShortDeg) {
        auto nvec = [](LatLon p, double(&n)[3]) {
            const double phi = p.lat_deg() * kRad, lam = p.lon_deg() * kRad;
            n[0] = std::cos(phi) * std::cos(lam);
            n[1] = std::cos(phi) * std::sin(lam);
            n[2] = std::sin(phi);
        };
        double na[3], nb[3];
        nvec(a, na);
        nvec(b, nb);
        const double x = na[0] + fraction * (nb[0] - na[0]), y = na[1] + fraction * (nb[1] - na[1]), z = na[2] + fraction * (nb[2] - na[2]);
        return make(std::atan2(z, std::hypot(x, y)) / kRad, std::atan2(y, x) / kRad);
    }
    return interpolate(a, b, fraction);
}

std::vector<LatLon> densify(LatLon a, LatLon b, Length max_step) {
    geod_geodesicline line;
    geod_inverseline(&line, &wgs84(), a.lat_deg(), a.lon_deg(), b.lat_deg(), b.lon_deg(), 0);
    const double step = std::max(max_step.m(), 1.0);
    const auto n = static_cast<long>(std::ceil(line.s13 / step));
    std::vector<LatLon> out;
    out.reserve(static_cast<std::size_t>(std::max(n, 1L)) + 1);
    out.push_back(a);
    for (long i = 1; i < n; ++i) {
        double lat = 0, lon = 0;
        geod_position(&line, line.s13 * static_cast<double>(i) / static_cast<double>(n), &lat, &lon, nullptr);
        out.push_back(make(lat, lon));
    }
    out.push_back(b);
    return out;
}

std::vector<LatLon> densify(const std::vector<LatLon>& line, Length max_step) {
    std::vector<LatLon> out;
    if (line.empty()) return out;
    out.push_back(line.front());
    for (std::size_t i = 1; i < line.size(); ++i) {
        auto seg = densify(line[i - 1], line[i], max_step);
        out.insert(out.end(), seg.begin() + 1, seg.end());
    }
    return out;
}

std::vector<double> unwrap_degrees(const std::vector<double>& h) {
    std::vector<double> out(h);
    for (std::size_t i = 1; i < out.size(); ++i) {
        double d = std::remainder(h[i] - h[i - 1], 360.0);  // in [-180, 180]
        out[i] = out[i - 1] + d;
    }
    return out;
}

double interpolate_heading(double h0, double h1, double f) noexcept {
    const double d = std::remainder(h1 - h0, 360.0);
    double r = std::fmod(h0 + d * f, 360.0);
    if (r < 0) r += 360.0;
    return r;
}

}  // namespace fr::geo
