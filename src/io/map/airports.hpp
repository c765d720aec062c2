#pragma once
// The bundled airport table (OurAirports, public domain) as read from its CSV; the lookups are
// analysis::AirportTable's (analysis/airport_table.hpp).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/lat_lon.hpp"
#include "core/units.hpp"

namespace fr::io {

enum class AirportSize : unsigned char { small, medium, large };

/// One runway (OurAirports runways.csv, open runways of the bundled airports).
struct AirportRunway {
    std::string le_ident, he_ident;  ///< designators of the low and high ends, e.g. "05", "23"
    double heading_deg = 0;          ///< true heading from the low end, 0..360
    Length length;
    std::optional<LatLon> le, he;  ///< end coordinates, when known (not drawn without them)
};

struct Airport {
    std::string icao, iata, name, city, country;
    LatLon position;
    Length elevation;
    AirportSize size = AirportSize::medium;
    bool scheduled = false;
    bool military = false;
    std::vector<AirportRunway> runways;  ///< empty when unknown
};

/// Reads the bundled CSV (assets/airports/airports.csv) and, when a `runways.csv` lies beside
/// it (scripts/build_runways.py), the runways of those airports, in file order. Throws IoError
/// naming the file and line on failure. The lookups are analysis::AirportTable's.
std::vector<Airport> read_airports(const std::filesystem::path& csv);

}  // namespace fr::io
