#pragma once
// Understanding a flight: legs, ground stops (observed or inferred across missing data) and
// coverage gaps, with airports and route statistics. Pure: depends on core, geo and the
// airport table only.
#include <optional>
#include <string>
#include <vector>

#include "analysis/airport_table.hpp"
#include "analysis/cleaning.hpp"
#include "core/track.hpp"

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
    std::size_t first = 0, last = 0;  ///< inclusive indices into Flight::points (taxi fixes included)
    /// Take-off and touchdown when the data show them (the first airborne fix after ground fixes,
    /// the first ground fix after airborne ones), else the first and last fix of the leg: the
    /// same however the leg was loaded (alone, or merged with the flights around it).
    TimePoint departure_time, arrival_time;
    std::optional<AirportRef> departure_airport, arrival_airport;
    /// The airport was chosen from an airborne fix (the data start after take-off or end before
    /// touchdown), by direction, height and runway alignment, not from a fix on the ground.
    bool departure_inferred = false, arrival_inferred = false;
    std::optional<TimePoint> takeoff_time, landing_time;  ///< when airborne state changed, if seen
    Length distance_flown;                                ///< sum of geodesics between consecutive fixes
    std::optional<Length> distance_great_circle;          ///< between the two airports (else first/last fix)
    std::optional<Length> max_altitude;
    std::optional<Speed> mean_ground_speed;
    std::vector<Gap> gaps;  ///< airborne coverage gaps in this leg
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
    bool inferred = false;            ///< true when the stop spans missing data (never seen on the ground)
    std::size_t first = 0, last = 0;  ///< inclusive indices into Flight::points of the two fixes above
    Duration duration() const { return end - start; }
};

/// Why the history was split between two legs without a stop being seen.
enum class BreakReason : unsigned char {
    source_mark,     ///< the source marks a new leg (readsb)
    too_slow,        ///< a long gap covered too slowly to be flying
    too_long,        ///< longer than any aircraft stays airborne
    low_both_sides,  ///< hours of missing data with the aircraft low on both sides
};
const char* to_string(BreakReason r) noexcept;

/// Missing data between two legs where no stop could be placed: the aircraft landed somewhere
/// unseen. Drawn and labelled as a gap, never as flown track.
struct Break {
    Gap gap;
    BreakReason reason = BreakReason::too_slow;
};

struct FlightAnalysis {
    std::vector<Leg> legs;
    std::vector<Stop> stops;
    std::vector<Break> breaks;  ///< between legs, in time order
    /// A history with no evidence of flight (taxiing, towing, a parked transponder): no legs;
    /// the airport it moved at, when known.
    bool ground_only = false;
    std::optional<AirportRef> ground_airport;
    /// Fixes rejected as physically impossible before the analysis (see cleaning.hpp), with the
    /// flight's points indices before removal; filled by the caller that removed them.
    std::vector<RejectedFix> rejected;

    /// Every gap drawn as missing data: coverage gaps inside legs, then breaks between legs.
    std::vector<const Gap*> all_gaps() const {
        std::vector<const Gap*> g;
        for (const auto& leg : legs)
            for (const auto& x : leg.gaps) g.push_back(&x);
        for (const auto& b : breaks) g.push_back(&b.gap);
        return g;
    }
};

/// Analyses one flight's merged history (outliers already removed: see cleaning.hpp).
/// `airports` may be empty (airports then unknown).
FlightAnalysis analyse(const Flight& flight, const analysis::AirportTable& airports);

}  // namespace fr::analysis
