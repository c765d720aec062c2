#pragma once
// The bundled airport table (OurAirports, public domain) and nearest-airport lookup.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
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

class AirportTable {
public:
    AirportTable() = default;
    explicit AirportTable(std::vector<Airport> airports);
    /// Reads the bundled CSV (assets/airports/airports.csv) and, when a `runways.csv` lies
    /// beside it (scripts/build_runways.py), the runways of those airports. Throws IoError on
    /// failure.
    static AirportTable load(const std::filesystem::path& csv);

    const std::vector<Airport>& airports() const noexcept { return m_airports; }
    const Airport* find_icao(const std::string& icao) const;
    /// The best airport within `radius` of `p`: larger first, scheduled next, then nearest
    /// (plain nearest picks Felts Field, KSFF, for a stop at Spokane KGEG).
    const Airport* best_near(LatLon p, Length radius) const;
    /// All airports within `radius`, nearest first (equal distances in table order). Looks
    /// only at the cells of a 1 x 1 degree grid that the radius touches, so the cost does not
    /// grow with the size of the table, only with the airports near `p`.
    std::vector<const Airport*> within(LatLon p, Length radius) const;

private:
    std::vector<Airport> m_airports;
    /// Grid index: airports of cell c are m_cell_items[m_cell_start[c] .. m_cell_start[c + 1]),
    /// cell c = row * 360 + column, row = floor(lat + 90) (clamped to 179), column = floor(lon + 180) mod 360.
    std::vector<std::uint32_t> m_cell_start;
    std::vector<std::uint32_t> m_cell_items;
    std::unordered_map<std::string, std::uint32_t> m_by_icao;
};

/// Airports `within` (and so `best_near`) has measured the distance of on this thread since it
/// started: the operation count the complexity tests read.
std::uint64_t airport_candidates_visited() noexcept;

}  // namespace fr::io
