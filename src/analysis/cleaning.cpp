// Outliers and derived values; the thresholds and their reasons are in thresholds.hpp.
#include "analysis/cleaning.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "analysis/thresholds.hpp"
#include "geo/geodesic.hpp"

namespace fr::analysis {
namespace {

namespace th = thresholds;

double seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

// Great-circle distance on the mean sphere: within 0.5% of the geodesic, plenty for limits
// that carry kilometres of slack, and ~20x cheaper than the ellipsoidal inverse problem.
double sphere_m(const TrackPoint& a, const TrackPoint& b) {
    constexpr double kR = 6'371'008.8, kRad = 3.14159265358979323846 / 180.0;
    const double dlat = (b.lat_deg() - a.lat_deg()) * kRad, dlon = (b.lon_deg() - a.lon_deg()) * kRad;
    const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                     std::cos(a.lat_deg() * kRad) * std::cos(b.lat_deg() * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2.0 * kR * std::asin(std::min(1.0, std::sqrt(h)));
}

bool altitude_agrees(const TrackPoint& a, const TrackPoint& b) {
    const double dt = std::abs(seconds(a.time() - b.time()));
    const double dz_ft = std::abs(a.altitude()->ft() - b.altitude()->ft());
    return dz_ft <= th::kMaxVerticalRateFtPerS * dt + th::kAltitudeSlack.ft();
}

// Against a fix on the ground: a climb (or descent) steeper than both kMaxClimbOffGround and a
// 45-degree path is impossible (helicopters climb at most ~2,000 ft/min; anything faster also
// moves forward).
bool pinned_altitude_agrees(const TrackPoint& a, const TrackPoint& g) {
    const double dt = std::abs(seconds(a.time() - g.time()));
    const double dz_ft = std::abs(a.altitude()->ft() - g.altitude()->ft());
    const double dist_ft = sphere_m(a, g) / 0.3048;
    return dz_ft <= th::kAltitudeSlack.ft() + std::max(dist_ft, th::kMaxClimbOffGroundFtPerS * dt);
}

bool position_agrees(const TrackPoint& a, const TrackPoint& b) {
    const double dt = std::abs(seconds(a.time() - b.time()));
    return sphere_m(a, b) <= th::kMaxPlausibleSpeed.mps() * dt + th::kPositionSlack.m();
}

// Walks outward from fix i on side `dir` (-1 before, +1 after) within kOutlierWindow, through at
// most `max_steps` fixes, calling `visit(k)` for each one `usable` accepts until it returns false.
template <class Usable, class Visit>
void walk(const std::vector<TrackPoint>& pts, std::size_t i, int dir, std::size_t max_steps, Usable usable, Visit visit) {
    for (std::size_t k = i, steps = 0; steps < max_steps; ++steps) {
        if (dir < 0 ? k == 0 : k + 1 >= pts.size()) return;
        k = dir < 0 ? k - 1 : k + 1;
        if (std::chrono::abs(pts[k].time() - pts[i].time()) > th::kOutlierWindow) return;
        if (usable(pts[k]) && !visit(k)) return;
    }
}

// The neighbours of fix i (up to kOutlierNeighbours usable ones each side within
// kOutlierWindow): how many agree with it, of how many compared.
template <class Usable, class Agrees>
std::pair<std::size_t, std::size_t> poll(const std::vector<TrackPoint>& pts, std::size_t i, Usable usable, Agrees agrees) {
    std::size_t agree = 0, total = 0;
    for (int dir : {-1, +1}) {
        std::size_t taken = 0;
        walk(pts, i, dir, pts.size(), usable, [&](std::size_t k) {
            ++total;
            if (agrees(pts[i], pts[k])) ++agree;
            return ++taken < th::kOutlierNeighbours;
        });
    }
    return {agree, total};
}

// The nearest usable fix on each side (within kOutlierNeighbours steps): whether i agrees with both.
template <class Usable, class Agrees>
bool agrees_with_nearest(const std::vector<TrackPoint>& pts, std::size_t i, Usable usable, Agrees agrees) {
    bool ok = true;
    for (int dir : {-1, +1})
        walk(pts, i, dir, th::kOutlierNeighbours, usable, [&](std::size_t k) {
            ok = ok && agrees(pts[i], pts[k]);
            return false;  // the nearest one only
        });
    return ok;
}

std::string feet_text(double ft) {
    char buf[32];
    const long v = std::lround(ft);
    if (std::abs(v) >= 1000)
        std::snprintf(buf, sizeof buf, "%ld,%03ld ft", v / 1000, std::abs(v) % 1000);
    else
        std::snprintf(buf, sizeof buf, "%ld ft", v);
    return buf;
}

}  // namespace

const char* to_string(OutlierKind k) noexcept {
    switch (k) {
        case OutlierKind::altitude_jump: return "altitude jumps";
        case OutlierKind::position_jump: return "position jumps";
        case OutlierKind::ground_flag_altitude: return "ground flag at altitude";
    }
    return "outliers";
}

std::vector<RejectedFix> find_outliers(const std::vector<TrackPoint>& pts) {
    const auto has_alt = [](const TrackPoint& p) { return p.altitude().has_value(); };
    const auto any = [](const TrackPoint&) { return true; };
    // Which fixes are rejected (one bit a fix) and why (only for those): a vector of optional
    // RejectedFix would cost 80 bytes a fix, twice the points themselves.
    std::vector<bool> is_found(pts.size());
    std::map<std::size_t, RejectedFix> found;
    auto record = [&](std::size_t i, std::optional<RejectedFix> r) {
        if (!r) return false;
        is_found[i] = true;
        found.emplace(i, std::move(*r));
        return true;
    };
    // Judges fix i; `full`: poll the neighbourhood even when the nearest fixes agree (a fix in a
    // run of bad fixes agrees with its bad neighbours).
    auto judge = [&](std::size_t i, bool full) -> std::optional<RejectedFix> {
        const TrackPoint& p = pts[i];
        if (p.on_ground() == OnGround::ground && p.altitude() && p.altitude()->m() > th::kGroundFlagMaxAltitude.m())
            return RejectedFix{i, p.time(), p.position(), OutlierKind::ground_flag_altitude,
                               "on the ground at " + feet_text(p.altitude()->ft())};
        // A fix on the ground (flagged, at an altitude an airport can have) pins the altitude
        // of the fixes seconds around it: nothing climbs 20,000 ft off the apron in 5 s.
        if (p.altitude() && p.on_ground() != OnGround::ground) {
            const auto on_ground = [](const TrackPoint& q) {
                return q.on_ground() == OnGround::ground && q.altitude() && q.altitude()->m() <= th::kGroundFlagMaxAltitude.m();
            };
            for (int dir : {-1, +1})
                for (std::size_t k = i;;) {
                    if (dir < 0 ? k == 0 : k + 1 >= pts.size()) break;
                    k = dir < 0 ? k - 1 : k + 1;
                    if (std::chrono::abs(pts[k].time() - p.time()) > th::kGroundPinWindow) break;
                    if (!on_ground(pts[k])) continue;
                    if (!pinned_altitude_agrees(p, pts[k]))
                        return RejectedFix{
                            i, p.time(), p.position(), OutlierKind::altitude_jump,
                            feet_text(p.altitude()->ft()) + " seconds from a fix on the ground at " + feet_text(pts[k].altitude()->ft())};
                    break;
                }
        }
        if (p.altitude() && (full || !agrees_with_nearest(pts, i, has_alt, altitude_agrees))) {
            const auto [agree, total] = poll(pts, i, has_alt, altitude_agrees);
            if (total >= 2 && 2 * agree < total) {
                // The median of the neighbours says what the altitude should have been.
                std::vector<double> alts;
                poll(pts, i, has_alt, [&](const TrackPoint&, const TrackPoint& q) {
                    alts.push_back(q.altitude()->ft());
                    return true;
                });
                std::nth_element(alts.begin(), alts.begin() + static_cast<std::ptrdiff_t>(alts.size() / 2), alts.end());
                return RejectedFix{i, p.time(), p.position(), OutlierKind::altitude_jump,
                                   feet_text(p.altitude()->ft()) + " among fixes at about " + feet_text(alts[alts.size() / 2])};
            }
        }
        if (full || !agrees_with_nearest(pts, i, any, position_agrees)) {
            const auto [agree, total] = poll(pts, i, any, position_agrees);
            if (total >= 2 && 2 * agree < total) {
                double nearest = 1e300;
                poll(pts, i, any, [&](const TrackPoint& a, const TrackPoint& q) {
                    nearest = std::min(nearest, sphere_m(a, q));
                    return true;
                });
                char buf[96];
                std::snprintf(buf, sizeof buf, "%.0f km from its neighbours, beyond any aircraft's speed", nearest / 1000.0);
                return RejectedFix{i, p.time(), p.position(), OutlierKind::position_jump, buf};
            }
        }
        return std::nullopt;
    };
    std::vector<std::size_t> fresh;
    for (std::size_t i = 0; i < pts.size(); ++i)
        if (record(i, judge(i, false))) fresh.push_back(i);
    // Around every rejected fix, poll the neighbours fully: the rest of a run of bad fixes.
    while (!fresh.empty()) {
        std::vector<std::size_t> next;
        for (std::size_t r : fresh) {
            const std::size_t lo = r >= th::kOutlierNeighbours ? r - th::kOutlierNeighbours : 0;
            const std::size_t hi = std::min(pts.size() - 1, r + th::kOutlierNeighbours);
            for (std::size_t k = lo; k <= hi; ++k)
                if (!is_found[k] && record(k, judge(k, true))) next.push_back(k);
        }
        fresh = std::move(next);
    }
    std::vector<RejectedFix> out;
    out.reserve(found.size());
    for (auto& [i, f] : found) out.push_back(std::move(f));
    return out;
}

void remove_fixes(Flight& flight, const std::vector<RejectedFix>& rejected) {
    if (rejected.empty()) return;
    // In place: no second copy of the points.
    auto& pts = flight.points;
    std::size_t r = 0, w = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        while (r < rejected.size() && rejected[r].index < i) ++r;
        if (r < rejected.size() && rejected[r].index == i) continue;
        if (w != i) pts[w] = pts[i];
        ++w;
    }
    pts.erase(pts.begin() + static_cast<std::ptrdiff_t>(w), pts.end());
}

std::string summarise(const std::vector<RejectedFix>& rejected) {
    if (rejected.empty()) return {};
    std::map<OutlierKind, std::size_t> by_kind;
    for (const auto& r : rejected) ++by_kind[r.kind];
    std::string s = std::to_string(rejected.size()) + (rejected.size() == 1 ? " fix rejected: " : " fixes rejected: ");
    bool first = true;
    for (const auto& [kind, n] : by_kind) {
        s += (first ? "" : ", ") + std::to_string(n) + " " + to_string(kind);
        first = false;
    }
    return s;
}

std::size_t derive_missing_speeds(std::vector<TrackPoint>& pts) {
    const std::size_t n = pts.size();
    if (n < 2 || std::all_of(pts.begin(), pts.end(), [](const TrackPoint& p) { return p.ground_speed().has_value(); })) return 0;
    std::vector<double> cum(n, 0.0);
    for (std::size_t i = 1; i < n; ++i) cum[i] = cum[i - 1] + geo::distance(pts[i - 1].position(), pts[i].position()).m();
    const Duration half = th::kDerivedSpeedWindow / 2;
    std::size_t filled = 0, a = 0, b = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const TimePoint t = pts[i].time();
        while (pts[a].time() < t - half) ++a;
        if (b < i) b = i;
        while (b + 1 < n && pts[b + 1].time() <= t + half) ++b;
        if (pts[i].ground_speed()) continue;
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
        // Too few fixes in the window: widen to the nearest neighbours (not across a gap).
        if (lo == hi) {
            if (i > 0 && pts[i].time() - pts[i - 1].time() < th::kCoverageGap) lo = i - 1;
            if (i + 1 < n && pts[i + 1].time() - pts[i].time() < th::kCoverageGap) hi = i + 1;
        }
        const double dt = seconds(pts[hi].time() - pts[lo].time());
        if (dt <= 0.0) continue;
        pts[i].set_ground_speed(Speed::metres_per_second((cum[hi] - cum[lo]) / dt));
        ++filled;
    }
    return filled;
}

std::optional<double> vertical_rate(const std::vector<TrackPoint>& pts, std::size_t i) {
    if (i >= pts.size()) return std::nullopt;
    const Duration half = th::kDerivedSpeedWindow / 2;
    std::size_t lo = i, hi = i;
    while (lo > 0 && pts[i].time() - pts[lo - 1].time() <= half && pts[lo].time() - pts[lo - 1].time() < th::kCoverageGap) --lo;
    while (hi + 1 < pts.size() && pts[hi + 1].time() - pts[i].time() <= half && pts[hi + 1].time() - pts[hi].time() < th::kCoverageGap)
        ++hi;
    std::optional<std::size_t> first, last;
    for (std::size_t k = lo; k <= hi; ++k)
        if (pts[k].altitude()) {
            if (!first) first = k;
            last = k;
        }
    if (!first || *first == *last) return std::nullopt;
    const double dt = seconds(pts[*last].time() - pts[*first].time());
    if (dt <= 0.0) return std::nullopt;
    return (pts[*last].altitude()->m() - pts[*first].altitude()->m()) / dt;
}

}  // namespace fr::analysis
