// Legs, ground stops (observed and inferred) and coverage gaps of one flight's history.
// The thresholds and their reasons are in thresholds.hpp.
#include "analysis/analysis.hpp"

#include <algorithm>
#include <cmath>

#include "analysis/thresholds.hpp"
#include "geo/geodesic.hpp"

namespace fr::analysis {
namespace {

namespace th = thresholds;

double seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

AirportRef ref_of(const io::Airport& a) { return AirportRef{a.icao, a.iata, a.name, a.position}; }

// Path speed around fix i: sum of fix-to-fix distances over a window of at least
// kSpeedWindow centred on it (shorter at the ends of the data or of a coverage gap),
// divided by the window's time. nullopt when the window has no time span.
std::vector<std::optional<double>> path_speeds(const std::vector<TrackPoint>& pts) {
    const std::size_t n = pts.size();
    std::vector<double> cum(n, 0.0);
    for (std::size_t i = 1; i < n; ++i)
        cum[i] = cum[i - 1] + geo::distance(pts[i - 1].position(), pts[i].position()).m();
    std::vector<std::optional<double>> out(n);
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
            if (pts[k].time() - pts[k - 1].time() >= th::kCoverageGap) { lo = k; break; }
        for (std::size_t k = i; k < hi; ++k)
            if (pts[k + 1].time() - pts[k].time() >= th::kCoverageGap) { hi = k; break; }
        const double dt = seconds(pts[hi].time() - pts[lo].time());
        if (dt > 0.0) out[i] = (cum[hi] - cum[lo]) / dt;
    }
    return out;
}

// Ground state of every fix (see thresholds.hpp for the rules' reasons).
std::vector<bool> ground_states(const std::vector<TrackPoint>& pts) {
    const bool alt_zero_means_ground = std::any_of(pts.begin(), pts.end(), [](const TrackPoint& p) {
        auto a = p.altitude();
        return a && std::abs(a->m()) >= th::kFr24GroundAltitude.m();
    });
    const auto speeds = path_speeds(pts);
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
        if (auto v = p.ground_speed()) g[i] = v->mps() <= th::kStationarySpeed.mps();
        else if (speeds[i]) g[i] = *speeds[i] <= th::kStationarySpeed.mps();
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
const io::Airport* low_near_airport(const std::vector<TrackPoint>& pts, const std::vector<bool>& ground,
                                    std::size_t i, int dir, const io::AirportTable& airports) {
    const io::Airport* a = airports.best_near(pts[i].position(), th::kInferredStopRadius);
    if (!a) return nullptr;
    if (ground[i]) return a;
    const auto h = height_above(pts[i], a->elevation);
    if (!h || *h > th::kInferredMaxHeight.m()) return nullptr;
    const auto trend = altitude_trend(pts, i, dir);
    // Before a gap: arriving means descending or level (trend <= +tolerance).
    // After a gap: departing means climbing or level (trend >= -tolerance).
    if (trend && dir < 0 && *trend > th::kLevelTolerance.m()) return nullptr;
    if (trend && dir > 0 && *trend < -th::kLevelTolerance.m()) return nullptr;
    return a;
}

// The airport a fix seen on the ground is at: large airports within kAirportGroundRadius,
// others within kSmallAirportGroundRadius, preferred per AirportTable::best_near.
const io::Airport* ground_airport(LatLon p, const io::AirportTable& airports) {
    const io::Airport* a = airports.best_near(p, th::kAirportGroundRadius);
    if (!a || a->size == io::AirportSize::large) return a;  // best_near puts any large one first
    return airports.best_near(p, th::kSmallAirportGroundRadius);
}

struct Split {
    std::size_t end_prev;    // last index of the leg before
    std::size_t start_next;  // first index of the leg after
    std::optional<Stop> stop;
};

double max_reported_speed(const std::vector<TrackPoint>& pts) {
    double m = 0.0;
    for (const TrackPoint& p : pts)
        if (auto v = p.ground_speed()) m = std::max(m, v->mps());
    return m;
}

}  // namespace

FlightAnalysis analyse(const Flight& flight, const io::AirportTable& airports) {
    FlightAnalysis out;
    const auto& pts = flight.points;
    const std::size_t n = pts.size();
    if (n == 0) return out;
    const std::vector<bool> ground = ground_states(pts);

    std::vector<Split> splits;

    // 1. Observed stops: runs of ground fixes with airborne fixes on both sides, lasting at
    //    least kMinStopDuration. Runs at the start or end of the data belong to the first or
    //    last leg (parked at the gate before departure, taxiing in after arrival).
    std::vector<bool> in_stop(n, false);
    for (std::size_t i = 0; i < n;) {
        if (!ground[i]) { ++i; continue; }
        std::size_t j = i;
        while (j + 1 < n && ground[j + 1]) ++j;
        if (i > 0 && j + 1 < n && pts[j].time() - pts[i].time() >= th::kMinStopDuration) {
            // Where it stood: the fix before the longest silence (a parked aircraft's
            // transponder falls silent), else the run's middle fix.
            std::size_t stood = i + (j - i) / 2;
            Duration longest{0};
            for (std::size_t k = i; k < j; ++k)
                if (pts[k + 1].time() - pts[k].time() > longest) { longest = pts[k + 1].time() - pts[k].time(); stood = k; }
            Stop s{std::nullopt, pts[stood].position(), pts[i].time(), pts[j].time(), false, i, j};
            if (const io::Airport* a = ground_airport(pts[i].position(), airports)) s.airport = ref_of(*a);
            splits.push_back({i, j, s});
            for (std::size_t k = i; k <= j; ++k) in_stop[k] = true;
        }
        i = j + 1;
    }

    // 2. Gaps that end a leg: a stop inferred across missing data, a readsb new-leg mark at a
    //    coverage gap, or a long gap too slow to be one flight.
    for (std::size_t i = 0; i + 1 < n; ++i) {
        // A silent parked stretch inside a stop, or a gap touching one (that gap belongs to
        // the adjacent leg and is reported there).
        if (in_stop[i] || in_stop[i + 1]) continue;
        const Duration dt = pts[i + 1].time() - pts[i].time();
        if (dt < th::kCoverageGap) continue;
        if (dt >= th::kInferredStopMinGap) {
            const io::Airport* before = low_near_airport(pts, ground, i, -1, airports);
            const io::Airport* after = before ? low_near_airport(pts, ground, i + 1, +1, airports) : nullptr;
            if (before && before == after) {
                splits.push_back({i, i + 1, Stop{ref_of(*before), before->position, pts[i].time(), pts[i + 1].time(), true, i, i + 1}});
                continue;
            }
        }
        const double implied = geo::distance(pts[i].position(), pts[i + 1].position()).m() / seconds(dt);
        if (pts[i + 1].new_leg() || (dt >= th::kLegBreakGap && implied < th::kMinContinuousSpeed.mps()))
            splits.push_back({i, i + 1, std::nullopt});
    }
    std::sort(splits.begin(), splits.end(), [](const Split& a, const Split& b) { return a.end_prev < b.end_prev; });

    // 3. Legs between the splits.
    const double env_reported = max_reported_speed(pts) * th::kEnvelopeMargin;
    const double envelope = env_reported > 0.0 ? std::min(env_reported, th::kMaxPlausibleSpeed.mps()) : th::kMaxPlausibleSpeed.mps();
    std::size_t first = 0;
    for (std::size_t s = 0; s <= splits.size(); ++s) {
        const std::size_t last = s < splits.size() ? splits[s].end_prev : n - 1;
        Leg leg;
        leg.callsign = flight.aircraft.callsign;
        leg.first = first;
        leg.last = last;
        leg.departure_time = pts[first].time();
        leg.arrival_time = pts[last].time();

        // Airports: a stop's airport on the side it touches; otherwise the ends of the data.
        if (s > 0 && splits[s - 1].stop) {
            leg.departure_airport = splits[s - 1].stop->airport;
        } else if (ground[first]) {
            if (const io::Airport* a = ground_airport(pts[first].position(), airports)) leg.departure_airport = ref_of(*a);
        } else if (const io::Airport* a = low_near_airport(pts, ground, first, +1, airports)) {
            leg.departure_airport = ref_of(*a);
        }
        if (s < splits.size() && splits[s].stop) {
            leg.arrival_airport = splits[s].stop->airport;
        } else if (ground[last]) {
            if (const io::Airport* a = ground_airport(pts[last].position(), airports)) leg.arrival_airport = ref_of(*a);
        } else if (const io::Airport* a = low_near_airport(pts, ground, last, -1, airports)) {
            leg.arrival_airport = ref_of(*a);
        }

        // Take-off: first ground -> airborne change; landing: last airborne -> ground change.
        for (std::size_t i = first; i < last; ++i)
            if (ground[i] && !ground[i + 1]) { leg.takeoff_time = pts[i + 1].time(); break; }
        for (std::size_t i = last; i > first; --i)
            if (!ground[i - 1] && ground[i]) { leg.landing_time = pts[i].time(); break; }

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

        if (s < splits.size()) {
            if (splits[s].stop) out.stops.push_back(*splits[s].stop);
            first = splits[s].start_next;
        }
    }
    return out;
}

}  // namespace fr::analysis
