#include "render/frame_state.hpp"

#include <algorithm>

#include "geo/geodesic.hpp"

namespace fr::render {

std::optional<std::size_t> last_fix_at(const std::vector<TrackPoint>& pts, TimePoint t) noexcept {
    auto it = std::upper_bound(pts.begin(), pts.end(), t, [](TimePoint v, const TrackPoint& p) { return v < p.time(); });
    if (it == pts.begin()) return std::nullopt;
    return static_cast<std::size_t>(std::distance(pts.begin(), it) - 1);
}

namespace {

double heading_between(const TrackPoint& a, const TrackPoint& b) {
    if (a.track()) return a.track()->deg();
    const auto inv = geo::inverse(a.position(), b.position());
    return inv.azimuth1.normalized_360().deg();
}

}  // namespace

std::optional<AircraftState> state_at(const Flight& f, const analysis::FlightAnalysis& a, TimePoint t) {
    const auto& pts = f.points;
    const auto i_opt = last_fix_at(pts, t);
    if (!i_opt) return std::nullopt;
    const std::size_t i = *i_opt;
    AircraftState s;
    s.fix = i;
    const TrackPoint& p0 = pts[i];
    s.position = p0.position();
    s.altitude = p0.altitude();
    s.ground_speed = p0.ground_speed();
    s.heading_deg = p0.track() ? p0.track()->deg() : 0.0;
    for (std::size_t k = 0; k < a.legs.size(); ++k)
        if (i >= a.legs[k].first && i <= a.legs[k].last) s.leg = static_cast<int>(k);
    if (i + 1 >= pts.size()) {
        s.phase = Phase::ended;
        if (i > 0 && !p0.track()) s.heading_deg = heading_between(pts[i - 1], p0);
        return s;
    }
    const TrackPoint& p1 = pts[i + 1];
    // Between legs: a known stop, or nothing known.
    const bool last_of_leg = s.leg >= 0 && i == a.legs[static_cast<std::size_t>(s.leg)].last;
    if (s.leg < 0 || last_of_leg) {
        for (const auto& br : a.breaks)
            if (br.gap.index_before == i) {  // landed somewhere unseen: missing data, not a stop
                s.phase = Phase::gap;
                s.gap = &br.gap;
                s.position = geo::interpolate(
                    p0.position(), p1.position(),
                    static_cast<double>((t - p0.time()).count()) / std::max(1.0, static_cast<double>((p1.time() - p0.time()).count())));
                s.heading_deg = geo::inverse(p0.position(), p1.position()).azimuth1.normalized_360().deg();
                return s;
            }
        for (const auto& st : a.stops)
            if (t >= st.start && t <= st.end) {
                s.phase = Phase::stopped;
                s.stop = &st;
                s.position = st.position;
                s.ground_speed = Speed::metres_per_second(0);
                return s;
            }
        s.phase = Phase::unknown;
        return s;
    }
    const double span = static_cast<double>((p1.time() - p0.time()).count());
    const double frac = span > 0 ? static_cast<double>((t - p0.time()).count()) / span : 0.0;
    s.position = geo::step_point(p0.position(), p1.position(), frac);
    const double h0 = p0.track() ? p0.track()->deg() : heading_between(p0, p1);
    const double h1 = p1.track() ? p1.track()->deg() : h0;
    s.heading_deg = geo::interpolate_heading(h0, h1, frac);
    if (p0.altitude() && p1.altitude()) s.altitude = Length::metres(p0.altitude()->m() + (p1.altitude()->m() - p0.altitude()->m()) * frac);
    if (p0.ground_speed() && p1.ground_speed())
        s.ground_speed = Speed::metres_per_second(p0.ground_speed()->mps() + (p1.ground_speed()->mps() - p0.ground_speed()->mps()) * frac);
    const auto& leg = a.legs[static_cast<std::size_t>(s.leg)];
    for (const auto& g : leg.gaps)
        if (g.index_before == i) {
            s.phase = Phase::gap;
            s.gap = &g;
            s.heading_deg = geo::inverse(p0.position(), p1.position()).azimuth1.normalized_360().deg();
            return s;
        }
    s.phase = p0.on_ground() == OnGround::ground && p1.on_ground() == OnGround::ground ? Phase::ground : Phase::airborne;
    return s;
}

}  // namespace fr::render
