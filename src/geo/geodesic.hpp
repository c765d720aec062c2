#pragma once
// Geodesics on the WGS84 ellipsoid through PROJ's geodesic.h (Karney's algorithms, accurate
// to ~15 nm). Never interpolate lat/lon linearly: everything "between two fixes" comes from here.
#include <optional>
#include <vector>

#include "core/lat_lon.hpp"
#include "core/units.hpp"

namespace fr::geo {

struct Inverse {
    Length distance;  ///< geodesic distance, metres
    Angle azimuth1;   ///< forward azimuth at the first point, degrees from north in (-180, 180]
    Angle azimuth2;   ///< forward azimuth at the second point
};

/// Solves the inverse problem on WGS84. noexcept: PROJ's geodesic code does not fail.
Inverse inverse(LatLon a, LatLon b) noexcept;
/// Geodesic distance on WGS84: inverse(a, b).distance, except for steps below 0.1 degree
/// (consecutive fixes), measured on the local ellipsoid within 5 mm of it.
Length distance(LatLon a, LatLon b) noexcept;
/// Azimuth of a short step a -> b at its middle (under ~28 km: 0.25 degree of latitude and of
/// longitude times cos(latitude); away from the poles), from the ellipsoid's radii there;
/// nullopt for longer steps, near the poles or for a = b (use inverse()).
std::optional<Angle> short_step_azimuth(LatLon a, LatLon b) noexcept;
/// Point reached from `a` after `s` along azimuth `azi` (direct problem).
LatLon direct(LatLon a, Angle azi, Length s) noexcept;
/// The point at `fraction` (0..1) of the geodesic from a to b.
LatLon interpolate(LatLon a, LatLon b, double fraction) noexcept;
/// interpolate() for the step between two fixes that every frame asks for: within 15 cm of it
/// for steps under ~28 km (from the n-vectors of a and b), the geodesic itself for longer ones.
LatLon step_point(LatLon a, LatLon b, double fraction) noexcept;
/// Points along the geodesic a..b, both ends included, spaced at most `max_step` apart.
std::vector<LatLon> densify(LatLon a, LatLon b, Length max_step);
/// Densifies a polyline geodesically between consecutive vertices (no duplicate vertices).
std::vector<LatLon> densify(const std::vector<LatLon>& line, Length max_step);

/// Unwraps a sequence of headings in degrees so consecutive values differ by at most 180
/// (165, 175, -175 -> 165, 175, 185).
std::vector<double> unwrap_degrees(const std::vector<double>& headings);
/// Interpolates between two headings (degrees) the short way round; result in [0, 360).
double interpolate_heading(double h0_deg, double h1_deg, double fraction) noexcept;

}  // namespace fr::geo
