#pragma once
// Every threshold the flight analysis uses, each with the reason for its value. Tests in
// tests/analysis/analysis_test.cpp put a case on each side of every one of them.
#include <chrono>

#include "core/time.hpp"
#include "core/units.hpp"

namespace fr::analysis::thresholds {

using namespace std::chrono_literals;

// ---- Is a fix on the ground? -------------------------------------------------------------
// Flags from the source (readsb "ground", OpenSky onground) win. Without a flag:

/// FR24 reports altitude 0 ft for every on-ground row (seen in its CSV exports; SkyDolly notes). A
/// loader's feet -> metres -> float round trip keeps 0 exact, but anything below 1 ft counts;
/// the smallest airborne altitude step of any source is 25 ft (Mode S altitude code), so 1 ft
/// cannot catch an airborne fix. Applied only when the flight has some non-zero altitude
/// (an IGC log without a pressure sensor writes 00000 throughout).
constexpr Length kFr24GroundAltitude = Length::feet(1.0);

/// Path speed (sum of fix-to-fix distances over kSpeedWindow, divided by its time) at or
/// below which a fix counts as stationary on the ground. 2 m/s (3.9 kt): the paraglider log
/// flight_with_middle_landing.igc never goes below it in flight (thermalling circles keep the
/// path speed at 4-15 m/s), and a parked GNSS logger's jitter (1.9 m quantisation at 1 Hz)
/// averages well under it over 30 s. Fixed-wing aircraft cannot fly this slowly.
constexpr Speed kStationarySpeed = Speed::metres_per_second(2.0);
/// Window for the path speed above: 30 s spans a whole thermalling circle (20-30 s), so a
/// circling glider's path is not mistaken for a standstill, yet is short against any stop.
constexpr Duration kSpeedWindow = 30s;

// ---- Observed ground stops -----------------------------------------------------------------
/// A run of ground fixes between two airborne sections is a stop only if it lasts at least
/// this long: a touch-and-go or a bounced landing leaves the runway within ~30 s, and a single
/// spurious "ground" fix lasts 0 s; every real stop (a turnaround, a glider relaunch) takes
/// minutes.
constexpr Duration kMinStopDuration = 60s;
/// Radius from the airport reference point for a fix seen on the ground: Denver (KDEN, the
/// largest-area US airport) has runway ends about 5 km from its reference point; 7 km keeps
/// them in while staying under the ~17 km between Spokane (KGEG) and Felts Field (KSFF).
/// Applies to large airports only; see kSmallAirportGroundRadius for the others.
constexpr Length kAirportGroundRadius = Length::kilometres(7.0);
/// Radius for medium and small airports: they have runways of at most ~3.5 km (11,500 ft),
/// so any fix on one lies within ~3.5 km of the reference point. 4 km keeps the paraglider
/// of flight_with_middle_landing.igc, landed at its hill launch site 6.8 km from Latina Air
/// Base (LIRL, medium), from being put at that airport.
constexpr Length kSmallAirportGroundRadius = Length::kilometres(4.0);

// ---- Coverage gaps -------------------------------------------------------------------------
/// A hole in the data while airborne is reported as a coverage gap from this length on.
/// FR24 samples about every 60 s at cruise and the recorded FR24 files in shared data have
/// routine holes of up to ~5 min; 10 min is ten cruise samples and about 140 km at 450 kt, a
/// gap a viewer sees on the map. The readsb sample's holes of 15-48 min are all above it.
constexpr Duration kCoverageGap = 10min;
/// Fastest plausible ground speed: Mach 0.9 at cruise (~265 m/s) plus a record jet-stream
/// tailwind (~110 m/s, 215 kt); a gap implying more means a bad fix or two aircraft merged.
constexpr Speed kMaxPlausibleSpeed = Speed::metres_per_second(380.0);
/// When the source reports ground speed, the envelope is this factor times the fastest
/// reported speed of the flight (capped by kMaxPlausibleSpeed): winds change along a gap by
/// tens of knots (~1.3 x at typical cruise), but a glider cannot cover a gap at airliner speed.
constexpr double kEnvelopeMargin = 1.3;

// ---- Stops inferred across missing data -----------------------------------------------------
/// The shortest gap that may hide a stop: the quickest airline turnaround (~25 min for a
/// 737/A320) plus the few minutes of approach and departure spent below the coverage floor.
constexpr Duration kInferredStopMinGap = 30min;
/// "Low": at most this far above the airport's elevation on both sides of the gap. 10,000 ft
/// is the terminal-area boundary (the 250 kt limit below it); an aircraft above it is en route.
/// The readsb sample's GEG stop has 6,074 ft before and 8,899 ft after.
constexpr Length kInferredMaxHeight = Length::feet(10'000.0);
/// Radius around the airport within which the low fixes must lie: a 3 degree approach
/// reaches 10,000 ft above the field about 31 NM (58 km) out; 60 km covers it. (GEG sample:
/// 36.6 km before, 21.9 km after.)
constexpr Length kInferredStopRadius = Length::kilometres(60.0);
/// Altitude change that still counts as level when judging "descending" before a gap and
/// "climbing" after it: ADS-B altitude comes in 25 ft steps and jitters by one or two of them.
constexpr Length kLevelTolerance = Length::feet(100.0);
/// How far back (before the gap) or forward (after it) the altitude trend is judged.
constexpr Duration kTrendWindow = 5min;

// ---- Leg breaks without a stop --------------------------------------------------------------
/// A long gap whose implied speed is below kMinContinuousSpeed cannot be one continuous
/// flight: no fixed-wing aircraft flies for an hour at under 25 m/s (49 kt, below the stall
/// speed of airliners and most light aircraft). The history is split there.
constexpr Duration kLegBreakGap = 60min;
constexpr Speed kMinContinuousSpeed = Speed::metres_per_second(25.0);

}  // namespace fr::analysis::thresholds
