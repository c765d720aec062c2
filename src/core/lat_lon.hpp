#pragma once
// A checked geographic position on WGS84: latitude in [-90, 90] degrees, longitude in
// [-180, 180] degrees. Construction validates; an invalid pair never exists.
#include <optional>
#include <stdexcept>
#include <string>

namespace fr {

class LatLon {
public:
    /// (0, 0): valid, and needed for aggregates that are filled in later.
    constexpr LatLon() noexcept = default;
    /// Returns nullopt when a value is NaN/inf or out of range. Longitudes in (180, 540) or
    /// (-540, -180) are NOT accepted: callers normalise explicitly with `normalized`.
    static std::optional<LatLon> checked(double lat_deg, double lon_deg) noexcept;
    /// Like `checked` but throws std::invalid_argument with the values in the message.
    static LatLon from_degrees(double lat_deg, double lon_deg);
    /// Wraps any finite longitude into [-180, 180); latitude must still be in range.
    static std::optional<LatLon> normalized(double lat_deg, double lon_deg) noexcept;

    double lat_deg() const noexcept { return m_lat; }
    double lon_deg() const noexcept { return m_lon; }
    bool operator==(const LatLon&) const = default;

private:
    constexpr LatLon(double lat, double lon) noexcept : m_lat(lat), m_lon(lon) {}
    double m_lat = 0.0;
    double m_lon = 0.0;
};

std::string to_string(const LatLon& p);

}  // namespace fr
