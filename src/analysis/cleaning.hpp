#pragma once
// Before analysis: fixes that are physically impossible given their neighbours (outliers), and
// values the source lacks derived from the positions. Pure: depends on core and geo only.
#include <cstddef>
#include <string>
#include <vector>

#include "core/track.hpp"

namespace fr::analysis {

enum class OutlierKind : unsigned char {
    altitude_jump,         ///< altitude impossible to reach from (most of) its neighbours
    position_jump,         ///< position impossible to reach from (most of) its neighbours
    ground_flag_altitude,  ///< flagged on the ground at an altitude no airport has
};
/// "altitude jumps", "position jumps", "ground flag at altitude" (plural, for counts).
const char* to_string(OutlierKind k) noexcept;

struct RejectedFix {
    std::size_t index = 0;  ///< into the flight's points as they were before removal
    TimePoint time;
    LatLon position;
    OutlierKind kind = OutlierKind::altitude_jump;
    std::string detail;  ///< e.g. "92,300 ft between fixes at 22,000 ft"
};

/// The outliers among time-sorted `points` (see thresholds.hpp, "Outliers"). O(n) for clean
/// tracks: only fixes that disagree with an immediate neighbour are compared with the wider
/// neighbourhood.
std::vector<RejectedFix> find_outliers(const std::vector<TrackPoint>& points);

/// Removes the fixes listed in `rejected` (indices into `flight.points`, ascending).
void remove_fixes(Flight& flight, const std::vector<RejectedFix>& rejected);

/// "12 fixes rejected: 9 altitude jumps, 3 position jumps"; empty when none.
std::string summarise(const std::vector<RejectedFix>& rejected);

/// Fills in the ground speed of fixes that have none from the positions (path length over
/// kDerivedSpeedWindow, never across a coverage gap). Reported speeds are kept as they are.
/// Returns how many fixes were filled.
std::size_t derive_missing_speeds(std::vector<TrackPoint>& points);

/// Vertical rate at fix i in m/s from the altitudes around it (over kDerivedSpeedWindow, not
/// across a coverage gap); nullopt without two altitudes in the window.
std::optional<double> vertical_rate(const std::vector<TrackPoint>& points, std::size_t i);

}  // namespace fr::analysis
