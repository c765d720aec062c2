#pragma once
// Synthetic flights for cartography tests: positions on the WGS84 geodesic between two
// airports every ~20 km at 250 m/s, a climb and descent profile, ground fixes at both ends.
// Marked synthetic: the source name carries "synthetic", as every generated track must.
#include <string>
#include <vector>

#include "analysis/analysis.hpp"
#include "core/track.hpp"
#include "geo/geodesic.hpp"
#include "pipeline/pipeline.hpp"

namespace fr::test {

inline Flight synthetic_flight(const std::string& callsign, LatLon from, LatLon to, TimePoint t0) {
    Flight f;
    f.aircraft.callsign = callsign;
    f.aircraft.icao24 = "f" + std::to_string(std::hash<std::string>{}(callsign) % 100000);
    f.provenance = Provenance::synthetic;
    f.sources = {callsign + "_synthetic.csv"};
    const double total = geo::distance(from, to).m();
    const auto line = geo::densify(from, to, Length::kilometres(20));
    const auto az = geo::inverse(from, to);
    double s = 0;
    // Two ground fixes before take-off (taxi), a minute apart.
    for (int k = 0; k < 2; ++k) {
        TrackPoint p(t0 + std::chrono::minutes(k), from);
        p.set_altitude(Length::metres(0)).set_ground_speed(Speed::knots(10)).set_on_ground(OnGround::ground).set_track(az.azimuth1);
        f.points.push_back(p);
    }
    const TimePoint dep = t0 + std::chrono::minutes(2);
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (i > 0) s += geo::distance(line[i - 1], line[i]).m();
        const double climb = std::min({1.0, s / 200'000.0, (total - s) / 200'000.0});  // 200 km climb and descent
        TrackPoint p(dep + std::chrono::milliseconds(static_cast<long long>(s / 250.0 * 1000)), line[i]);
        const auto a = i + 1 < line.size() ? geo::inverse(line[i], line[i + 1]).azimuth1 : geo::inverse(line[i - 1], line[i]).azimuth2;
        p.set_altitude(Length::metres(std::max(0.0, climb) * 11'000)).set_ground_speed(Speed::metres_per_second(250)).set_track(a);
        p.set_on_ground(OnGround::airborne);
        f.points.push_back(p);
    }
    const TimePoint arr = f.points.back().time();
    for (int k = 1; k <= 2; ++k) {
        TrackPoint p(arr + std::chrono::minutes(k), to);
        p.set_altitude(Length::metres(0)).set_ground_speed(Speed::knots(10)).set_on_ground(OnGround::ground);
        f.points.push_back(p);
    }
    return f;
}

struct FlightsAndAnalyses {
    std::vector<Flight> flights;
    std::vector<analysis::FlightAnalysis> analyses;
};

inline FlightsAndAnalyses analysed(std::vector<Flight> flights) {
    FlightsAndAnalyses out;
    for (auto& f : flights) out.analyses.push_back(analysis::analyse(f, pipeline::bundled_airports()));
    out.flights = std::move(flights);
    return out;
}

inline const LatLon kHKG = LatLon::from_degrees(22.308919, 113.914603);
inline const LatLon kLAX = LatLon::from_degrees(33.942501, -118.407997);
inline const LatLon kEWR = LatLon::from_degrees(40.692501, -74.168701);
inline const LatLon kZRH = LatLon::from_degrees(47.464699, 8.54917);

}  // namespace fr::test
