#pragma once
// Where each aircraft is at replay time t, and what it is doing: the pure part of a frame.
// Positions between fixes come from the WGS84 geodesic; headings are interpolated the short
// way round. Inside a coverage gap the position is a geodesic guess and is marked as such.
#include <optional>

#include "analysis/analysis.hpp"
#include "core/track.hpp"

namespace fr::render {

enum class Phase {
    airborne,  ///< between two fixes of a leg, in the air
    ground,    ///< between two fixes of a leg, on the ground (taxi)
    stopped,   ///< inside a ground stop between legs
    gap,       ///< inside an airborne coverage gap: position unknown, geodesic guess
    unknown,   ///< between legs without a known stop (no data)
    ended,     ///< after the last fix: shown where it was last seen
};

struct AircraftState {
    LatLon position;
    double heading_deg = 0;  ///< track over ground, degrees clockwise from north
    std::optional<Length> altitude;
    std::optional<Speed> ground_speed;
    Phase phase = Phase::airborne;
    const analysis::Stop* stop = nullptr;  ///< when phase == stopped
    const analysis::Gap* gap = nullptr;    ///< when phase == gap
    int leg = -1;                          ///< index of the leg, -1 between legs
    std::size_t fix = 0;                   ///< index of the last fix at or before t
};

/// nullopt before the first fix. `a` must be the analysis of `f`.
std::optional<AircraftState> state_at(const Flight& f, const analysis::FlightAnalysis& a, TimePoint t);

/// Index of the last fix at or before t (the fixes must be time-sorted); nullopt before the first.
std::optional<std::size_t> last_fix_at(const std::vector<TrackPoint>& pts, TimePoint t) noexcept;

}  // namespace fr::render
