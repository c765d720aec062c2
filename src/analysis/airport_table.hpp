#pragma once
// The airport table the analysis finds airports in: a 1 x 1 degree grid index over the rows
// io::read_airports reads, and the rule that picks a stop's airport (larger first, scheduled
// next, then nearest).
#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/lat_lon.hpp"
#include "core/units.hpp"
#include "io/map/airports.hpp"

namespace fr::analysis {

using io::Airport;
using io::AirportRunway;
using io::AirportSize;

class AirportTable {
public:
    AirportTable() = default;
    explicit AirportTable(std::vector<Airport> airports);
    /// io::read_airports(csv) (the bundled CSV and the runways beside it) as a table. Throws
    /// IoError on failure.
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

}  // namespace fr::analysis
