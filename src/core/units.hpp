#pragma once
// Strong types for quantities with units. Storage is SI (metres, metres per second, degrees
// for angles since every input format and PROJ's geodesic API speak degrees).
#include <cmath>
#include <compare>

namespace fr {

/// A length in metres.
class Length {
public:
    constexpr Length() = default;
    static constexpr Length metres(double m) noexcept { return Length{m}; }
    static constexpr Length kilometres(double km) noexcept { return Length{km * 1000.0}; }
    static constexpr Length feet(double ft) noexcept { return Length{ft * 0.3048}; }            // exact, international foot
    static constexpr Length nautical_miles(double nm) noexcept { return Length{nm * 1852.0}; }  // exact
    constexpr double m() const noexcept { return m_m; }
    constexpr double km() const noexcept { return m_m / 1000.0; }
    constexpr double ft() const noexcept { return m_m / 0.3048; }
    constexpr auto operator<=>(const Length&) const = default;
    constexpr Length operator+(Length o) const noexcept { return Length{m_m + o.m_m}; }
    constexpr Length operator-(Length o) const noexcept { return Length{m_m - o.m_m}; }
    constexpr Length operator*(double k) const noexcept { return Length{m_m * k}; }
    constexpr Length& operator+=(Length o) noexcept {
        m_m += o.m_m;
        return *this;
    }

private:
    explicit constexpr Length(double m) : m_m(m) {}
    double m_m = 0.0;
};

/// A speed in metres per second.
class Speed {
public:
    constexpr Speed() = default;
    static constexpr Speed metres_per_second(double v) noexcept { return Speed{v}; }
    static constexpr Speed knots(double kt) noexcept { return Speed{kt * 1852.0 / 3600.0}; }
    static constexpr Speed km_per_hour(double v) noexcept { return Speed{v / 3.6}; }
    constexpr double mps() const noexcept { return m_v; }
    constexpr double kt() const noexcept { return m_v * 3600.0 / 1852.0; }
    constexpr double kmh() const noexcept { return m_v * 3.6; }
    constexpr auto operator<=>(const Speed&) const = default;

private:
    explicit constexpr Speed(double v) : m_v(v) {}
    double m_v = 0.0;
};

/// An angle in degrees.
class Angle {
public:
    constexpr Angle() = default;
    static constexpr Angle degrees(double d) noexcept { return Angle{d}; }
    static constexpr Angle radians(double r) noexcept { return Angle{r * 57.29577951308232}; }
    constexpr double deg() const noexcept { return m_deg; }
    constexpr double rad() const noexcept { return m_deg * 0.017453292519943295; }
    constexpr auto operator<=>(const Angle&) const = default;
    /// The same direction in [0, 360).
    Angle normalized_360() const noexcept {
        double d = std::fmod(m_deg, 360.0);
        if (d < 0) d += 360.0;
        return Angle{d};
    }

private:
    explicit constexpr Angle(double d) : m_deg(d) {}
    double m_deg = 0.0;
};

}  // namespace fr
