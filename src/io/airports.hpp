#pragma once
// The bundled airport table (OurAirports, public domain) and nearest-airport lookup.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/lat_lon.hpp"
#include "core/units.hpp"

namespace fr::io {

enum class AirportSize : unsigned char { small, medium, large };

struct Airport {
    std::string icao, iata, name, city, country;
    LatLon position;
    Length elevation;
    AirportSize size = AirportSize::medium;
    bool scheduled = false;
    bool military = false;
};

class AirportTable {
public:
    AirportTable() = default;
    explicit AirportTable(std::vector<Airport> airports);
    /// Reads the bundled CSV (assets/airports/airports.csv). Throws IoError on failure.
    static AirportTable load(const std::filesystem::path& csv);

    const std::vector<Airport>& airports() const noexcept { return m_airports; }
    const Airport* find_icao(const std::string& icao) const;
    /// The best airport within `radius` of `p`: larger first, scheduled next, then nearest
    /// (plain nearest picks Felts Field, KSFF, a small field, for a stop at Spokane KGEG).
    const Airport* best_near(LatLon p, Length radius) const;
    /// All airports within `radius`, nearest first.
    std::vector<const Airport*> within(LatLon p, Length radius) const;

private:
    std::vector<Airport> m_airports;
};

}  // namespace fr::io
