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

/// FR24 reports altitude 0 ft for every on-ground row (FORMATS.md s.1; SkyDolly notes). A
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

/// A stop away from any airport (a carrier deck, a field not in the table): a gap of at least
/// kCoverageGap with the aircraft this close above the lowest altitude of its whole history
/// (a stand-in for the ground it stands on) on both sides, not climbing before it nor
/// descending after it, covered at under kMinContinuousSpeed. 1,500 ft is the circuit height of
/// most fields; an aircraft that low and that slow for ten minutes or more has landed.
constexpr Length kLandedUnseenHeight = Length::feet(1'500.0);
/// ... and only when that lowest altitude can be the ground at all: below 5,000 ft, where the
/// great majority of airfields lie (a history seen only at cruise has no ground to compare with).
constexpr Length kLandedUnseenMaxGround = Length::feet(5'000.0);

// ---- Leg breaks without a stop --------------------------------------------------------------
/// A long gap whose implied speed is below kMinContinuousSpeed cannot be one continuous
/// flight: no fixed-wing aircraft flies for an hour at under 25 m/s (49 kt, below the stall
/// speed of airliners and most light aircraft). The history is split there.
constexpr Duration kLegBreakGap = 60min;
constexpr Speed kMinContinuousSpeed = Speed::metres_per_second(25.0);

/// No aircraft stays airborne this long without refuelling in the air: the longest scheduled
/// flights (Singapore - New York) take ~19 h. A longer hole in the data is never one flight:
/// the leg ends with an unknown arrival and a new one starts.
constexpr Duration kMaxEndurance = 20h;
/// Height (above sea level; the airport is unknown) under which both sides of a long gap count
/// as "low": the terminal-area ceiling above, as for inferred stops.
constexpr Length kLowBothSides = kInferredMaxHeight;
/// A gap at least this long with the aircraft low (or on the ground) on both sides cannot be
/// continuous flight: no aircraft spends two hours below 10,000 ft in the middle of a trip it
/// has not landed on (holding patterns last up to ~1 h and happen near an airport, where the
/// same-airport rule above finds the stop).
constexpr Duration kLowGapBreak = 2h;

// ---- Evidence of flight ---------------------------------------------------------------------
/// A leg needs at least this many fixes not on the ground: one stray airborne flag is noise.
constexpr std::size_t kMinAirborneFixes = 2;
/// ... and climbs at least this far above its lowest fix, or flies at kMinFlightSpeed: a
/// paraglider's shortest flight off a hill loses a few hundred metres; taxiing, towing and
/// gate creep stay within one or two 25 ft altitude steps (plus barometric drift of tens of ft).
constexpr Length kMinFlightClimb = Length::metres(100.0);
/// ... while moving at least this far from where the segment starts: a parked transponder can
/// report garbage altitudes (interleaved FL200-FL300 values at a gate, with the airborne flag
/// set) but its position stays within the apron; even a thermalling glider drifts kilometres.
constexpr Length kMinFlightExtent = Length::kilometres(1.0);
/// ... or moves at this speed while not on the ground (path speed over kSpeedWindow where the
/// fixes are dense enough, else the reported speed): 18 m/s = 35 kt. Taxiing is under 30 kt and
/// towing under 10 kt; a glider or paraglider logged without altitude (an IGC file writing 0)
/// still flies at 20 m/s or more, and gliders logged with altitude pass the climb
/// test above. A stale reported speed on ground-flagged fixes does not count (ground fixes are
/// not looked at).
constexpr Speed kMinFlightSpeed = Speed::metres_per_second(18.0);

// ---- Airports at airborne ends ----------------------------------------------------------------
/// An aircraft h above an airport, climbing out of or descending to it, is at most h / 0.03
/// from it along its path: 3% (~200 ft per nautical mile) is the minimum climb gradient for
/// departures and shallower than the 3 degree (5.2%) approach slope.
constexpr double kMinPathGradient = 0.03;
/// Plus this much for the runway itself and level segments at the start of a climb, when
/// ranking the airports an airborne first or last fix leads from or to.
constexpr Length kEndDistanceSlack = Length::kilometres(3.0);
/// Plus this much when judging whether a fix before or after a gap is "low near" an airport at
/// all: approaches fly level at 2,000-3,000 ft for up to ~10 km before the glide slope, and
/// calibration and training flights circle low around a field.
constexpr Length kLowNearSlack = Length::kilometres(10.0);
/// A runway is aligned with the track when their headings differ by at most this (either
/// direction): departures and final approaches fly the runway heading within a few degrees of
/// wind correction; 15 degrees leaves room for early turns.
constexpr double kRunwayAlignmentDeg = 15.0;
/// The airport must lie behind a departing fix (ahead of an arriving one) within this angle.
constexpr double kDirectionToleranceDeg = 30.0;

// ---- Outliers ---------------------------------------------------------------------------------
/// A fix is compared with up to this many fixes on each side, within kOutlierWindow, and
/// rejected when it disagrees with more than half of them (so a run of a few bad fixes is
/// still outvoted by the good ones around it).
constexpr std::size_t kOutlierNeighbours = 8;
constexpr Duration kOutlierWindow = 10min;
/// Fastest plausible vertical speed: 30,000 ft/min (500 ft/s), above the initial climb of any
/// fighter as tracked by ADS-B and five times an airliner's; a jump from FL220 to 92,300 ft in
/// one second (a corrupted altitude field) is far beyond it.
constexpr double kMaxVerticalRateFtPerS = 500.0;
/// Altitude slack: sources mix barometric and geometric altitude (they differ by up to ~1,000 ft
/// with temperature at cruise) and report in 25-100 ft steps.
constexpr Length kAltitudeSlack = Length::feet(1'000.0);
/// Position slack on top of kMaxPlausibleSpeed x time: time stamps and MLAT positions are off by
/// a few seconds at cruise speed, ~1 km.
constexpr Length kPositionSlack = Length::kilometres(2.0);
/// A fix the source flags as on the ground can not be this high: the highest airports (Daocheng
/// Yading, Qamdo Bamda) lie at ~14,500 ft.
constexpr Length kGroundFlagMaxAltitude = Length::feet(15'000.0);
/// Fixes within this time of a fix on the ground (flagged, below kGroundFlagMaxAltitude) must
/// agree with its altitude (kMaxVerticalRateFtPerS, kAltitudeSlack): interleaved garbage
/// altitudes at a gate (a second transponder decoded as this one) are rejected even where they
/// are as many as the good ones.
constexpr Duration kGroundPinWindow = 120s;
/// Steepest climb or descent next to a fix on the ground without moving forward as far: 100 ft/s
/// (6,000 ft/min), three times a helicopter's best; faster climbers (fighters, airliners) move
/// forward at least as far as they climb, which the 45-degree allowance covers.
constexpr double kMaxClimbOffGroundFtPerS = 100.0;

// ---- Derived values ---------------------------------------------------------------------------
/// Ground speed derived from positions (when the source has none) over this window centred on
/// the fix: 60 s smooths GNSS and Mode S position noise while following a glider's circles.
constexpr Duration kDerivedSpeedWindow = 60s;

}  // namespace fr::analysis::thresholds
