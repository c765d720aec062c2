#pragma once
// Understanding a flight: legs, ground stops (observed or inferred across missing data) and
// coverage gaps, with airports and route statistics. Pure: depends on core, geo and the
// airport table only.
#include <optional>
#include <string>
#include <vector>

#include "core/track.hpp"
#include "io/airports.hpp"

namespace fr::analysis {

struct AirportRef {
    std::string icao, iata, name;
    LatLon position;
};

struct Gap {
    TimePoint start, end;          ///< last fix before, first fix after
    std::size_t index_before = 0;  ///< index into Flight::points of the fix before the gap
    Length distance;               ///< geodesic distance across the gap
    bool plausible = true;         ///< distance / duration within the aircraft's speed envelope
    Duration duration() const { return end - start; }
};

struct Leg {
    std::string callsign;
    std::size_t first = 0, last = 0;  ///< inclusive indices into Flight::points
    TimePoint departure_time, arrival_time;  ///< first/last fix of the leg
    std::optional<AirportRef> departure_airport, arrival_airport;
    std::optional<TimePoint> takeoff_time, landing_time;  ///< when airborne state changed, if seen
    Length distance_flown;          ///< sum of geodesics between consecutive fixes
    std::optional<Length> distance_great_circle;  ///< between the two airports (else first/last fix)
    std::optional<Length> max_altitude;
    std::optional<Speed> mean_ground_speed;
    std::vector<Gap> gaps;          ///< airborne coverage gaps in this leg
    std::size_t points() const { return last - first + 1; }
};

struct Stop {
    std::optional<AirportRef> airport;
    /// Where the aircraft stood: for an observed stop the ground fix it stayed at longest
    /// (the gate, where a parked aircraft falls silent); for an inferred stop the airport.
    LatLon position;
    /// Arrival (last fix of the arriving leg: its touchdown fix, or the last fix before the
    /// gap when inferred) .. departure (first fix of the next leg: the last ground fix before
    /// take-off, or the first fix after the gap). Exact fix timestamps.
    TimePoint start, end;
    bool inferred = false;       ///< true when the stop spans missing data (never seen on the ground)
    std::size_t first = 0, last = 0;  ///< inclusive indices into Flight::points of the two fixes above
    Duration duration() const { return end - start; }
};

struct FlightAnalysis {
    std::vector<Leg> legs;
    std::vector<Stop> stops;
};

/// Analyses one flight's merged history. `airports` may be empty (airports then unknown).
FlightAnalysis analyse(const Flight& flight, const io::AirportTable& airports);

}  // namespace fr::analysis
