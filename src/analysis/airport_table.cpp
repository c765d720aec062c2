// The airport table's lookups: geodesic nearest-airport queries through a 1 x 1 degree grid index.
#include "analysis/airport_table.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "geo/geodesic.hpp"

namespace fr::analysis {
namespace {

// Length of one degree of latitude is at least 110,574 m (at the equator, WGS84). Using
// 110,000 m makes the latitude band a little wider than needed, never narrower: no airport
// within the radius can fall outside it. Exact distances are then geodesic.
constexpr double kMinMetresPerDegreeLatitude = 110'000.0;

constexpr int kGridRows = 180, kGridCols = 360;
int grid_row(double lat) { return std::clamp(static_cast<int>(std::floor(lat + 90.0)), 0, kGridRows - 1); }
int grid_col(double lon) {
    const int c = static_cast<int>(std::floor(lon + 180.0)) % kGridCols;
    return c < 0 ? c + kGridCols : c;
}

thread_local std::uint64_t t_candidates_visited = 0;

}  // namespace

std::uint64_t airport_candidates_visited() noexcept { return t_candidates_visited; }

AirportTable::AirportTable(std::vector<Airport> airports) : m_airports(std::move(airports)) {
    // Sorted by latitude (the order `airports()` has always had, and the tie order of `within`).
    std::stable_sort(m_airports.begin(), m_airports.end(),
                     [](const Airport& a, const Airport& b) { return a.position.lat_deg() < b.position.lat_deg(); });
    // Counting sort into the grid cells (compressed rows: one offset per cell).
    auto cell_of = [](const Airport& a) {
        return static_cast<std::size_t>(grid_row(a.position.lat_deg())) * kGridCols +
               static_cast<std::size_t>(grid_col(a.position.lon_deg()));
    };
    m_cell_start.assign(static_cast<std::size_t>(kGridRows) * kGridCols + 1, 0);
    for (const Airport& a : m_airports) ++m_cell_start[cell_of(a) + 1];
    for (std::size_t c = 1; c < m_cell_start.size(); ++c) m_cell_start[c] += m_cell_start[c - 1];
    m_cell_items.resize(m_airports.size());
    std::vector<std::uint32_t> fill(m_cell_start.begin(), m_cell_start.end() - 1);
    for (std::size_t i = 0; i < m_airports.size(); ++i) m_cell_items[fill[cell_of(m_airports[i])]++] = static_cast<std::uint32_t>(i);
    m_by_icao.reserve(m_airports.size());
    for (std::size_t i = 0; i < m_airports.size(); ++i)
        if (!m_airports[i].icao.empty()) m_by_icao.emplace(m_airports[i].icao, static_cast<std::uint32_t>(i));  // first one wins
}

const Airport* AirportTable::find_icao(const std::string& icao) const {
    if (icao.empty()) {
        for (const Airport& a : m_airports)
            if (a.icao.empty()) return &a;
        return nullptr;
    }
    auto it = m_by_icao.find(icao);
    return it == m_by_icao.end() ? nullptr : &m_airports[it->second];
}

std::vector<const Airport*> AirportTable::within(LatLon p, Length radius) const {
    std::vector<std::pair<double, std::uint32_t>> found;
    if (m_airports.empty()) return {};
    const double band = radius.m() / kMinMetresPerDegreeLatitude;
    // Longitude band: a degree of longitude is at least 111,320 m x cos(lat) on the sphere;
    // 110,000 m x cos of the band's highest latitude keeps every airport within the radius.
    const double max_lat = std::min(90.0, std::abs(p.lat_deg()) + band);
    const double cos_lat = std::cos(max_lat * 3.14159265358979323846 / 180.0);
    const double lon_band = cos_lat > 1e-6 ? radius.m() / (kMinMetresPerDegreeLatitude * cos_lat) : 360.0;
    const int row_lo = grid_row(p.lat_deg() - band), row_hi = grid_row(p.lat_deg() + band);
    // Columns: all of them near the poles or for huge radii, else the (wrapped) span around p.
    const bool all_cols = lon_band >= 180.0;
    const int col_lo = all_cols ? 0 : static_cast<int>(std::floor(p.lon_deg() - lon_band + 180.0));
    const int col_hi = all_cols ? kGridCols - 1 : static_cast<int>(std::floor(p.lon_deg() + lon_band + 180.0));
    const int n_cols = std::min(kGridCols, col_hi - col_lo + 1);
    std::uint64_t visited = 0;
    for (int r = row_lo; r <= row_hi; ++r)
        for (int k = 0; k < n_cols; ++k) {
            const int c = ((col_lo + k) % kGridCols + kGridCols) % kGridCols;
            const std::size_t cell = static_cast<std::size_t>(r) * kGridCols + static_cast<std::size_t>(c);
            for (std::uint32_t j = m_cell_start[cell]; j < m_cell_start[cell + 1]; ++j) {
                const std::uint32_t i = m_cell_items[j];
                ++visited;
                const LatLon q = m_airports[i].position;
                if (std::abs(q.lat_deg() - p.lat_deg()) > band) continue;
                if (!all_cols) {
                    double dlon = std::abs(q.lon_deg() - p.lon_deg());
                    if (dlon > 180.0) dlon = 360.0 - dlon;
                    if (dlon > lon_band) continue;
                }
                const Length d = geo::distance(p, q);
                if (d <= radius) found.emplace_back(d.m(), i);
            }
        }
    t_candidates_visited += visited;
    // Nearest first; equal distances in table order, as the latitude-band scan gave them.
    std::sort(found.begin(), found.end());
    std::vector<const Airport*> out;
    out.reserve(found.size());
    for (const auto& f : found) out.push_back(&m_airports[f.second]);
    return out;
}

const Airport* AirportTable::best_near(LatLon p, Length radius) const {
    // Larger first, scheduled next, then nearest. `within` is nearest first and
    // the sort is stable, so distance breaks the remaining ties.
    std::vector<const Airport*> c = within(p, radius);
    std::stable_sort(c.begin(), c.end(), [](const Airport* a, const Airport* b) {
        return std::tuple(static_cast<int>(a->size), a->scheduled) > std::tuple(static_cast<int>(b->size), b->scheduled);
    });
    return c.empty() ? nullptr : c.front();
}

AirportTable AirportTable::load(const std::filesystem::path& csv) { return AirportTable(io::read_airports(csv)); }

}  // namespace fr::analysis
