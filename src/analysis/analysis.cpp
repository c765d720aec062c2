// Legs, ground stops (observed and inferred) and coverage gaps of one flight's history.
// The thresholds and their reasons are in thresholds.hpp.
#include "analysis/analysis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "analysis/thresholds.hpp"
#include "geo/geodesic.hpp"

namespace fr::analysis {
namespace {

namespace th = thresholds;

double seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

AirportRef ref_of(const io::Airport& a) { return AirportRef{a.icao, a.iata, a.name, a.position}; }

// One path speed (m/s) or none per fix, 8 bytes a fix (NaN for none) where a vector of
// optional<double> takes 16: it lives beside the points through the whole analysis.
class PathSpeeds {
public:
    explicit PathSpeeds(std::size_t n) : m_v(n, std::numeric_limits<double>::quiet_NaN()) {}
    std::optional<double> operator[](std::size_t i) const { return std::isnan(m_v[i]) ? std::nullopt : std::optional{m_v[i]}; }
    void set(std::size_t i, double v) { m_v[i] = v; }

private:
    std::vector<double> m_v;
};

// Path speed around fix i: sum of fix-to-fix distances over a window of at least
// kSpeedWindow centred on it (shorter at the ends of the data or of a coverage gap),
// divided by the window's time. None when the window has no time span.
PathSpeeds path_speeds(const std::vector<TrackPoint>& pts) {
    const std::size_t n = pts.size();
    std::vector<double> cum(n, 0.0);
    for (std::size_t i = 1; i < n; ++i) cum[i] = cum[i - 1] + geo::distance(pts[i - 1].position(), pts[i].position()).m();
    PathSpeeds out(n);
    const Duration half = th::kSpeedWindow / 2;
    std::size_t a = 0, b = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const TimePoint t = pts[i].time();
        while (pts[a].time() < t - half) ++a;
        if (b < i) b = i;
        while (b + 1 < n && pts[b + 1].time() <= t + half) ++b;
        // Do not reach across a coverage gap: speeds there say nothing about the fix.
        std::size_t lo = a, hi = b;
        for (std::size_t k = i; k > lo; --k)
            if (pts[k].time() - pts[k - 1].time() >= th::kCoverageGap) {
                lo = k;
                break;
            }
        for (std::size_t k = i; k < hi; ++k)
            if (pts[k + 1].time() - pts[k].time() >= th::kCoverageGap) {
                hi = k;
                break;
            }
        const double dt = seconds(pts[hi].time() - pts[lo].time());
        if (dt > 0.0) out.set(i, (cum[hi] - cum[lo]) / dt);
    }
    return out;
}

// Ground state of every fix (see thresholds.hpp for the rules' reasons).
std::vector<bool> ground_states(const std::vector<TrackPoint>& pts, const PathSpeeds& speeds) {
    const bool alt_zero_means_ground = std::any_of(pts.begin(), pts.end(), [](const TrackPoint& p) {
        auto a = p.altitude();
        return a && std::abs(a->m()) >= th::kFr24GroundAltitude.m();
    });
    std::vector<bool> g(pts.size(), false);
    for (std::size_t i = 0; i < pts.size(); ++i) {
        const TrackPoint& p = pts[i];
        switch (p.on_ground()) {
            case OnGround::ground: g[i] = true; continue;
            case OnGround::airborne: g[i] = false; continue;
            case OnGround::unknown: break;
        }
        if (auto a = p.altitude(); a && alt_zero_means_ground && std::abs(a->m()) < th::kFr24GroundAltitude.m()) {
            g[i] = true;
            continue;
        }
        // A reported speed is instantaneous (a taxiing or hovering aircraft); a path speed
        // from the fixes is averaged over the window. Either at or below the threshold means
        // stationary; the reported one wins when present.
        if (auto v = p.ground_speed())
            g[i] = v->mps() <= th::kStationarySpeed.mps();
        else if (speeds[i])
            g[i] = *speeds[i] <= th::kStationarySpeed.mps();
    }
    return g;
}

// Altitude above `elevation`, or nullopt when the fix has none.
std::optional<double> height_above(const TrackPoint& p, Length elevation) {
    if (auto a = p.altitude()) return a->m() - elevation.m();
    return std::nullopt;
}

// Altitude change from the earliest fix within kTrendWindow before i to fix i (dir < 0), or
// from fix i to the latest fix within kTrendWindow after it (dir > 0). Fixes without
// altitude are skipped; nullopt when no other fix with altitude is in the window.
std::optional<double> altitude_trend(const std::vector<TrackPoint>& pts, std::size_t i, int dir) {
    auto ai = pts[i].altitude();
    if (!ai) return std::nullopt;
    std::optional<double> other;
    if (dir < 0) {
        for (std::size_t k = i; k-- > 0;) {
            if (pts[i].time() - pts[k].time() > th::kTrendWindow) break;
            if (auto a = pts[k].altitude()) other = a->m();
        }
        if (!other) return std::nullopt;
        return ai->m() - *other;
    }
    for (std::size_t k = i + 1; k < pts.size(); ++k) {
        if (pts[k].time() - pts[i].time() > th::kTrendWindow) break;
        if (auto a = pts[k].altitude()) other = a->m();
    }
    if (!other) return std::nullopt;
    return *other - ai->m();
}

// The airport fix i is arriving at (dir < 0: last fix before a gap or the end of the data,
// must not be climbing) or departing from (dir > 0: first fix after a gap or the start of the
// data, must not be descending): within kInferredStopRadius, at most kInferredMaxHeight above
// its elevation. Ground fixes qualify by position alone.
// Airports within `radius` of p, best first: larger, then scheduled, then nearer (the table's
// preference order).
std::vector<const io::Airport*> preferred_within(LatLon p, Length radius, const analysis::AirportTable& airports) {
    std::vector<const io::Airport*> c = airports.within(p, radius);
    std::stable_sort(c.begin(), c.end(), [](const io::Airport* a, const io::Airport* b) {
        return std::tuple(static_cast<int>(a->size), a->scheduled) > std::tuple(static_cast<int>(b->size), b->scheduled);
    });
    return c;
}

const io::Airport* ground_airport(LatLon p, const analysis::AirportTable& airports);

// The airport fix i is arriving at (dir < 0: last fix before a gap or the end of the data,
// must not be climbing) or departing from (dir > 0: first fix after a gap or the start of the
// data, must not be descending): within kInferredStopRadius, at most kInferredMaxHeight above
// its elevation and close enough for that height (kMinPathGradient). Ground fixes: the airport
// they stand at. `queried`, where given, receives the preferred_within list of an airborne fix
// when one was looked up, so that a caller needing the same list does not look it up again.
const io::Airport* low_near_airport(const std::vector<TrackPoint>& pts, const std::vector<bool>& ground, std::size_t i, int dir,
                                    const analysis::AirportTable& airports,
                                    std::optional<std::vector<const io::Airport*>>* queried = nullptr) {
    if (ground[i]) return ground_airport(pts[i].position(), airports);
    const auto alt = pts[i].altitude();
    if (!alt) return nullptr;
    const auto trend = altitude_trend(pts, i, dir);
    // Before a gap: arriving means descending or level (trend <= +tolerance).
    // After a gap: departing means climbing or level (trend >= -tolerance).
    if (trend && dir < 0 && *trend > th::kLevelTolerance.m()) return nullptr;
    if (trend && dir > 0 && *trend < -th::kLevelTolerance.m()) return nullptr;
    std::vector<const io::Airport*> cands = preferred_within(pts[i].position(), th::kInferredStopRadius, airports);
    const io::Airport* found = nullptr;
    for (const io::Airport* a : cands) {
        const double h = alt->m() - a->elevation.m();
        if (h > th::kInferredMaxHeight.m()) continue;
        if (geo::distance(pts[i].position(), a->position).m() > std::max(h, 0.0) / th::kMinPathGradient + th::kLowNearSlack.m()) continue;
        found = a;
        break;
    }
    if (queried) *queried = std::move(cands);
    return found;
}

// The airport a fix seen on the ground is at: large airports within kAirportGroundRadius,
// others within kSmallAirportGroundRadius, preferred per AirportTable::best_near.
const io::Airport* ground_airport(LatLon p, const analysis::AirportTable& airports) {
    const io::Airport* a = airports.best_near(p, th::kAirportGroundRadius);
    if (!a || a->size == io::AirportSize::large) return a;  // best_near puts any large one first
    return airports.best_near(p, th::kSmallAirportGroundRadius);
}

// What lies between two legs: a stop, missing data that cannot be flight (a break), or both
// (a break, then the aircraft seen on the ground; or seen on the ground, then a break).
struct Split {
    std::size_t end_prev;    // last index of the leg before
    std::size_t start_next;  // first index of the leg after
    std::optional<Stop> stop;
    std::optional<BreakReason> break_in;   // a break from end_prev to the stop (or to start_next without one)
    std::optional<BreakReason> break_out;  // a break from the stop to start_next
    std::size_t first_index() const { return stop ? std::min(end_prev, stop->first) : end_prev; }
};

double angle_diff(double a, double b) {
    double d = std::fmod(std::abs(a - b), 360.0);
    return d > 180.0 ? 360.0 - d : d;
}

// Direction of travel at fix i, degrees: the reported track, else the geodesic azimuth to the
// fix about a minute later (dir > 0, a departure) or from the fix about a minute earlier.
std::optional<double> direction_at(const std::vector<TrackPoint>& pts, std::size_t i, int dir) {
    if (auto t = pts[i].track()) return t->deg();
    std::size_t k = i;
    while (true) {
        if (dir > 0 ? k + 1 >= pts.size() : k == 0) break;
        const std::size_t next = dir > 0 ? k + 1 : k - 1;
        if (std::chrono::abs(pts[next].time() - pts[k].time()) >= th::kCoverageGap) break;
        k = next;
        if (std::chrono::abs(pts[k].time() - pts[i].time()) >= std::chrono::seconds(60)) break;
    }
    if (k == i || geo::distance(pts[i].position(), pts[k].position()).m() < 200.0) return std::nullopt;
    const auto inv = dir > 0 ? geo::inverse(pts[i].position(), pts[k].position()) : geo::inverse(pts[k].position(), pts[i].position());
    return dir > 0 ? inv.azimuth1.deg() : inv.azimuth2.deg();
}

// The airport an airborne end of the data leads from (dir > 0: the first fix of a leg) or to
// (dir < 0: the last fix). Candidates are the low_near_airport ones; they are ranked by fit:
// (0) a runway aligned with the track, the airport behind (ahead of) the aircraft, and close
// enough for its height; (1) the same without the runway; (2) anything low and near. Within a
// class the table's preference order decides (larger, scheduled, nearer). `inferred` is set.
const io::Airport* airborne_end_airport(const std::vector<TrackPoint>& pts, const std::vector<bool>& ground, std::size_t i, int dir,
                                        const analysis::AirportTable& airports) {
    std::optional<std::vector<const io::Airport*>> queried;
    const io::Airport* fallback = low_near_airport(pts, ground, i, dir, airports, &queried);
    if (!fallback) return nullptr;
    const auto track = direction_at(pts, i, dir);
    const auto alt = pts[i].altitude();
    if (!track || !alt) return fallback;
    const std::vector<const io::Airport*> cands =
        queried ? std::move(*queried) : preferred_within(pts[i].position(), th::kInferredStopRadius, airports);
    const io::Airport* best = nullptr;
    int best_class = 3;
    for (const io::Airport* a : cands) {
        const double h = alt->m() - a->elevation.m();
        if (h > th::kInferredMaxHeight.m()) continue;
        const auto inv = geo::inverse(pts[i].position(), a->position);
        // Behind a departing aircraft: the azimuth to the airport is the track reversed.
        const double want = dir > 0 ? *track + 180.0 : *track;
        const bool direction_fits = inv.distance.m() < 1500.0 || angle_diff(inv.azimuth1.deg(), want) <= th::kDirectionToleranceDeg;
        const bool close_enough = inv.distance.m() <= std::max(h, 0.0) / th::kMinPathGradient + th::kEndDistanceSlack.m();
        const bool aligned = std::any_of(a->runways.begin(), a->runways.end(), [&](const io::AirportRunway& r) {
            const double d = angle_diff(r.heading_deg, *track);
            return std::min(d, 180.0 - d) <= th::kRunwayAlignmentDeg;
        });
        const int cls = direction_fits && close_enough ? (aligned ? 0 : 1) : 2;
        if (cls < best_class) {
            best_class = cls;
            best = a;
        }
    }
    if (best_class <= 1) return best;
    return fallback;
}

// Whether fixes first..last show flight (see thresholds.hpp, "Evidence of flight").
bool shows_flight(const std::vector<TrackPoint>& pts, const std::vector<bool>& ground, const PathSpeeds& speeds, std::size_t first,
                  std::size_t last) {
    std::size_t airborne = 0;
    double lo = 1e300, hi = -1e300, fastest = 0.0, extent = 0.0;
    for (std::size_t i = first; i <= last; ++i) {
        if (extent < th::kMinFlightExtent.m()) extent = std::max(extent, geo::distance(pts[first].position(), pts[i].position()).m());
        if (auto a = pts[i].altitude()) {
            lo = std::min(lo, a->m());
            hi = std::max(hi, a->m());
        }
        if (ground[i]) continue;
        ++airborne;
        // Measured speeds first: the path speed, else fix to fix over 10 s .. a coverage gap
        // (shorter spans turn position noise into speed); the reported one only without either.
        std::optional<double> v = speeds[i];
        if (i + 1 <= last && !ground[i + 1]) {
            const Duration dt = pts[i + 1].time() - pts[i].time();
            if (dt >= std::chrono::seconds(10) && dt < th::kCoverageGap)
                v = std::max(v.value_or(0.0), geo::distance(pts[i].position(), pts[i + 1].position()).m() / seconds(dt));
        }
        if (!v)
            if (auto r = pts[i].ground_speed()) v = r->mps();
        if (v) fastest = std::max(fastest, *v);
    }
    if (airborne < th::kMinAirborneFixes) return false;
    return (hi - lo >= th::kMinFlightClimb.m() && extent >= th::kMinFlightExtent.m()) || fastest >= th::kMinFlightSpeed.mps();
}

// The gap after fix i hides a landing away from any known airport (see kLandedUnseenHeight).
bool landed_unseen(const std::vector<TrackPoint>& pts, const std::vector<bool>& ground, std::size_t i, double lowest_m) {
    auto low = [&](std::size_t k) {
        if (ground[k]) return true;
        auto a = pts[k].altitude();
        return a && a->m() - lowest_m <= th::kLandedUnseenHeight.m();
    };
    if (lowest_m > th::kLandedUnseenMaxGround.m() || !low(i) || !low(i + 1)) return false;
    const double dt = seconds(pts[i + 1].time() - pts[i].time());
    if (geo::distance(pts[i].position(), pts[i + 1].position()).m() / dt >= th::kMinContinuousSpeed.mps()) return false;
    const auto before = altitude_trend(pts, i, -1), after = altitude_trend(pts, i + 1, +1);
    if (before && *before > th::kLevelTolerance.m()) return false;  // climbing away before the gap
    if (after && *after < -th::kLevelTolerance.m()) return false;   // descending after it
    return true;
}

bool low_fix(const TrackPoint& p, bool on_ground) {
    if (on_ground) return true;
    auto a = p.altitude();
    return a && a->m() <= th::kLowBothSides.m();
}

double max_reported_speed(const std::vector<TrackPoint>& pts) {
    double m = 0.0;
    for (const TrackPoint& p : pts)
        if (auto v = p.ground_speed()) m = std::max(m, v->mps());
    return m;
}

}  // namespace

const char* to_string(BreakReason r) noexcept {
    switch (r) {
        case BreakReason::source_mark: return "the source marks a new leg";
        case BreakReason::too_slow: return "too slow to be one flight";
        case BreakReason::too_long: return "longer than any aircraft stays airborne";
        case BreakReason::low_both_sides: return "low on both sides for hours: landed unseen";
    }
    return "";
}

FlightAnalysis analyse(const Flight& flight, const analysis::AirportTable& airports) {
    FlightAnalysis out;
    const auto& pts = flight.points;
    const std::size_t n = pts.size();
    if (n == 0) return out;
    const auto speeds = path_speeds(pts);
    const std::vector<bool> ground = ground_states(pts, speeds);

    std::vector<Split> splits;
    double lowest = 1e300;  // metres: the lowest altitude of the history, a stand-in for the ground
    for (const auto& p : pts)
        if (auto a = p.altitude()) lowest = std::min(lowest, a->m());

    // 1. Observed stops: runs of ground fixes with airborne fixes on both sides, lasting at
    //    least kMinStopDuration. Runs at the start or end of the data belong to the first or
    //    last leg (parked at the gate before departure, taxiing in after arrival).
    std::vector<bool> in_stop(n, false);
    for (std::size_t i = 0; i < n;) {
        if (!ground[i]) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j + 1 < n && ground[j + 1]) ++j;
        if (i > 0 && j + 1 < n && pts[j].time() - pts[i].time() >= th::kMinStopDuration) {
            // Where it stood: the fix before the longest silence (a parked aircraft's
            // transponder falls silent), else the run's middle fix.
            std::size_t stood = i + (j - i) / 2;
            Duration longest{0};
            for (std::size_t k = i; k < j; ++k)
                if (pts[k + 1].time() - pts[k].time() > longest) {
                    longest = pts[k + 1].time() - pts[k].time();
                    stood = k;
                }
            Stop s{std::nullopt, pts[stood].position(), pts[i].time(), pts[j].time(), false, i, j};
            if (const io::Airport* a = ground_airport(pts[i].position(), airports)) s.airport = ref_of(*a);
            splits.push_back({i, j, s});
            for (std::size_t k = i; k <= j; ++k) in_stop[k] = true;
        }
        i = j + 1;
    }

    // 2. Gaps that end a leg: a stop inferred across missing data, a readsb new-leg mark at a
    //    coverage gap, or a gap that cannot be continuous flight (a break). A break may touch
    //    an observed stop (seen on the ground days after coverage was lost): they combine.
    std::vector<Split> breaks;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const Duration dt = pts[i + 1].time() - pts[i].time();
        if (dt < th::kCoverageGap) continue;
        const bool touches_stop = in_stop[i] || in_stop[i + 1];
        if (in_stop[i] && in_stop[i + 1]) continue;  // a parked aircraft falling silent inside a stop
        if (!touches_stop && dt >= th::kInferredStopMinGap && dt < th::kMaxEndurance) {
            const io::Airport* before = low_near_airport(pts, ground, i, -1, airports);
            const io::Airport* after = before ? low_near_airport(pts, ground, i + 1, +1, airports) : nullptr;
            if (before && before == after) {
                splits.push_back(
                    {i, i + 1, Stop{ref_of(*before), before->position, pts[i].time(), pts[i + 1].time(), true, i, i + 1}, {}, {}});
                continue;
            }
        }
        if (!touches_stop && dt < th::kMaxEndurance && landed_unseen(pts, ground, i, lowest)) {
            const LatLon mid = geo::interpolate(pts[i].position(), pts[i + 1].position(), 0.5);
            Stop st{std::nullopt, mid, pts[i].time(), pts[i + 1].time(), true, i, i + 1};
            if (const io::Airport* a = ground_airport(mid, airports)) {
                st.airport = ref_of(*a);
                st.position = a->position;
            }
            splits.push_back({i, i + 1, st, {}, {}});
            continue;
        }
        const double implied = geo::distance(pts[i].position(), pts[i + 1].position()).m() / seconds(dt);
        std::optional<BreakReason> why;
        if (pts[i + 1].new_leg() && !touches_stop)
            why = BreakReason::source_mark;
        else if (dt >= th::kMaxEndurance)
            why = BreakReason::too_long;
        else if (dt >= th::kLegBreakGap && implied < th::kMinContinuousSpeed.mps() && !touches_stop)
            why = BreakReason::too_slow;
        else if (dt >= th::kLowGapBreak && low_fix(pts[i], ground[i]) && low_fix(pts[i + 1], ground[i + 1]) && !touches_stop)
            why = BreakReason::low_both_sides;
        if (!why) continue;
        if (touches_stop)
            breaks.push_back({i, i + 1, std::nullopt, why, {}});
        else
            splits.push_back({i, i + 1, std::nullopt, why, {}});
    }
    // A break ending at a stop's first fix, or starting at its last, joins that stop's split.
    for (const Split& br : breaks) {
        for (Split& sp : splits) {
            if (!sp.stop || sp.stop->inferred) continue;
            if (sp.stop->first == br.start_next) {
                sp.end_prev = br.end_prev;
                sp.break_in = br.break_in;
            } else if (sp.stop->last == br.end_prev) {
                sp.start_next = br.start_next;
                sp.break_out = br.break_in;
            }
        }
    }
    std::sort(splits.begin(), splits.end(), [](const Split& a, const Split& b) { return a.first_index() < b.first_index(); });

    // 3. Segments between the splits; those without evidence of flight (taxiing, towing, gate
    //    creep, a single fix) are ground movement, never legs. In the middle they join the stop
    //    beside them (or become one); at either end they join the leg next to them, unless
    //    missing data that cannot be flight lies between: then they are no leg at all.
    struct Segment {
        std::size_t first, last;
    };
    auto segments = [&] {
        std::vector<Segment> segs;
        std::size_t first = 0;
        for (const Split& sp : splits) {
            segs.push_back({first, sp.end_prev});
            first = sp.start_next;
        }
        segs.push_back({first, n - 1});
        return segs;
    };
    bool drop_first = false, drop_last = false;  // first/last segment is ground movement behind a break
    for (bool changed = true; changed;) {
        changed = false;
        const auto segs = segments();
        if (segs.size() == 1) break;
        for (std::size_t k = 0; k < segs.size(); ++k) {
            if ((k == 0 && drop_first) || (k + 1 == segs.size() && drop_last)) continue;
            if (shows_flight(pts, ground, speeds, segs[k].first, segs[k].last)) continue;
            if (k == 0) {
                Split& sp = splits.front();
                if (sp.break_in || sp.break_out) {
                    drop_first = true;             // seen on the ground, then nothing that could be flight
                    if (sp.stop && sp.break_in) {  // the stop after the break is the next leg's time at the gate
                        sp.start_next = sp.stop->first;
                        sp.stop.reset();
                    } else if (sp.stop) {  // on the ground throughout, then the break: all of it is no leg
                        sp.end_prev = sp.stop->last;
                        sp.break_in = sp.break_out;
                        sp.break_out.reset();
                        sp.stop.reset();
                    }
                } else {
                    splits.erase(splits.begin());  // gate creep before the first leg: part of it
                }
            } else if (k + 1 == segs.size()) {
                Split& sp = splits.back();
                if (sp.break_in || sp.break_out) {
                    drop_last = true;
                    if (sp.stop) {  // landed and parked, then the break: the stop is the leg's taxi-in
                        sp.end_prev = sp.stop->last;
                        sp.stop.reset();
                        if (!sp.break_in) sp.break_in = sp.break_out;
                        sp.break_out.reset();
                    }
                } else {
                    splits.pop_back();  // taxi after the last leg: part of it
                }
            } else {
                const Split a = splits[k - 1];
                const Split b = splits[k];
                Split merged{a.end_prev, b.start_next, std::nullopt, a.break_in, {}};
                if (a.stop && b.stop) {
                    Stop st = *a.stop;
                    st.end = b.stop->end;
                    st.last = b.stop->last;
                    st.inferred = a.stop->inferred || b.stop->inferred;
                    if (!st.airport) st.airport = b.stop->airport;
                    merged.stop = st;
                    merged.break_out = b.break_out;
                } else if (a.stop) {
                    Stop st = *a.stop;  // moved on the ground, then fell silent: the stop lasts to the last ground fix
                    st.end = pts[segs[k].last].time();
                    st.last = segs[k].last;
                    merged.stop = st;
                    merged.break_out = b.break_in;
                } else if (b.stop) {
                    Stop st = *b.stop;
                    st.start = pts[segs[k].first].time();
                    st.first = segs[k].first;
                    merged.stop = st;
                    merged.break_out = b.break_out;
                } else {
                    // Seen only on the ground between two breaks: a stop there, observed.
                    Stop st{std::nullopt,
                            pts[segs[k].first].position(),
                            pts[segs[k].first].time(),
                            pts[segs[k].last].time(),
                            false,
                            segs[k].first,
                            segs[k].last};
                    if (const io::Airport* ap = ground_airport(st.position, airports)) st.airport = ref_of(*ap);
                    merged.stop = st;
                    merged.break_out = b.break_in;
                }
                splits.erase(splits.begin() + static_cast<std::ptrdiff_t>(k - 1), splits.begin() + static_cast<std::ptrdiff_t>(k + 1));
                splits.insert(splits.begin() + static_cast<std::ptrdiff_t>(k - 1), merged);
            }
            changed = true;
            break;
        }
    }
    const auto segs = segments();

    // Breaks are missing data wherever they lie (also before the first or after the last leg).
    const double env_reported = max_reported_speed(pts) * th::kEnvelopeMargin;
    const double envelope = env_reported > 0.0 ? std::min(env_reported, th::kMaxPlausibleSpeed.mps()) : th::kMaxPlausibleSpeed.mps();
    auto add_break = [&](std::size_t i, std::size_t j, BreakReason why) {
        const Length d = geo::distance(pts[i].position(), pts[j].position());
        const Duration dt = pts[j].time() - pts[i].time();
        Gap g{pts[i].time(), pts[j].time(), i, d, d.m() / std::max(seconds(dt), 1e-3) <= envelope};
        out.breaks.push_back({g, why});
    };
    for (const Split& sp : splits) {
        if (sp.break_in) add_break(sp.end_prev, sp.stop ? sp.stop->first : sp.start_next, *sp.break_in);
        if (sp.break_out && sp.stop) add_break(sp.stop->last, sp.start_next, *sp.break_out);
    }

    const bool any_flight =
        std::any_of(segs.begin(), segs.end(), [&](const Segment& g) { return shows_flight(pts, ground, speeds, g.first, g.last); });
    if (!any_flight) {
        out.ground_only = true;
        if (const io::Airport* a = ground_airport(pts[n / 2].position(), airports)) out.ground_airport = ref_of(*a);
        return out;
    }

    // 4. Legs: the segments, with the stops between them.
    for (std::size_t s = 0; s < segs.size(); ++s) {
        if ((s == 0 && drop_first) || (s + 1 == segs.size() && drop_last)) continue;
        const std::size_t first = segs[s].first, last = segs[s].last;
        const Split* before = s > 0 ? &splits[s - 1] : nullptr;
        const Split* after = s < splits.size() ? &splits[s] : nullptr;
        Leg leg;
        leg.callsign = flight.aircraft.callsign;
        leg.first = first;
        leg.last = last;

        // Airports: a stop's airport on the side it touches (unless a break lies between); a
        // fix on the ground; else an airborne end, placed by direction, height and runway.
        if (before && before->stop && !before->break_out) {
            leg.departure_airport = before->stop->airport;
            leg.departure_inferred = before->stop->inferred;
        } else if (ground[first]) {
            if (const io::Airport* a = ground_airport(pts[first].position(), airports)) leg.departure_airport = ref_of(*a);
        } else if (const io::Airport* a = airborne_end_airport(pts, ground, first, +1, airports)) {
            leg.departure_airport = ref_of(*a);
            leg.departure_inferred = true;
        }
        if (after && after->stop && !after->break_in) {
            leg.arrival_airport = after->stop->airport;
            leg.arrival_inferred = after->stop->inferred;
        } else if (ground[last]) {
            if (const io::Airport* a = ground_airport(pts[last].position(), airports)) leg.arrival_airport = ref_of(*a);
        } else if (const io::Airport* a = airborne_end_airport(pts, ground, last, -1, airports)) {
            leg.arrival_airport = ref_of(*a);
            leg.arrival_inferred = true;
        }

        // Take-off: the first airborne fix after the ground run the leg starts with; landing: the
        // first ground fix of the run it ends with. A leg that starts (ends) in the air has no
        // take-off (landing) in the data: a bounce or a touch-and-go is neither.
        if (ground[first])
            for (std::size_t i = first; i < last; ++i)
                if (!ground[i + 1]) {
                    leg.takeoff_time = pts[i + 1].time();
                    break;
                }
        if (ground[last])
            for (std::size_t i = last; i > first; --i)
                if (!ground[i - 1]) {
                    leg.landing_time = pts[i].time();
                    break;
                }
        leg.departure_time = leg.takeoff_time.value_or(pts[first].time());
        leg.arrival_time = leg.landing_time.value_or(pts[last].time());

        double air_dist = 0.0, air_time = 0.0;
        for (std::size_t i = first; i <= last; ++i) {
            if (auto a = pts[i].altitude(); a && (!leg.max_altitude || *a > *leg.max_altitude)) leg.max_altitude = *a;
            if (i == last) break;
            const Length d = geo::distance(pts[i].position(), pts[i + 1].position());
            leg.distance_flown += d;
            const Duration dt = pts[i + 1].time() - pts[i].time();
            if (!ground[i] || !ground[i + 1]) {
                air_dist += d.m();
                air_time += seconds(dt);
                if (dt >= th::kCoverageGap) {
                    Gap g{pts[i].time(), pts[i + 1].time(), i, d, true};
                    g.plausible = d.m() / seconds(dt) <= envelope;
                    leg.gaps.push_back(g);
                }
            }
        }
        if (air_time > 0.0) leg.mean_ground_speed = Speed::metres_per_second(air_dist / air_time);
        if (leg.departure_airport && leg.arrival_airport)
            leg.distance_great_circle = geo::distance(leg.departure_airport->position, leg.arrival_airport->position);
        else
            leg.distance_great_circle = geo::distance(pts[first].position(), pts[last].position());
        out.legs.push_back(std::move(leg));
        if (after && after->stop && s + 1 < segs.size()) out.stops.push_back(*after->stop);
    }
    return out;
}

}  // namespace fr::analysis
