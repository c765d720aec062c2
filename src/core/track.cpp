#include "core/track.hpp"

#include <algorithm>

namespace fr {

const char* to_string(Provenance p) noexcept {
    switch (p) {
        case Provenance::recorded: return "recorded";
        case Provenance::reconstructed: return "reconstructed";
        case Provenance::synthetic: return "synthetic";
    }
    return "recorded";
}

std::string AircraftId::display_name() const {
    if (!callsign.empty()) return callsign;
    if (!registration.empty()) return registration;
    if (!icao24.empty()) return icao24;
    return "unknown";
}

namespace {

bool same_aircraft(const AircraftId& a, const AircraftId& b) {
    if (!a.icao24.empty() && !b.icao24.empty()) return a.icao24 == b.icao24;
    if (!a.registration.empty() && !b.registration.empty()) return a.registration == b.registration;
    return !a.callsign.empty() && a.callsign == b.callsign;
}

void fill_missing(AircraftId& into, const AircraftId& from) {
    if (into.icao24.empty()) into.icao24 = from.icao24;
    if (into.registration.empty()) into.registration = from.registration;
    if (into.callsign.empty()) into.callsign = from.callsign;
    if (into.type.empty()) into.type = from.type;
}

}  // namespace

std::vector<Flight> merge_tracks(std::vector<Track> tracks) {
    std::vector<Flight> flights;
    for (auto& t : tracks) {
        auto it = std::find_if(flights.begin(), flights.end(),
                               [&](const Flight& f) { return same_aircraft(f.aircraft, t.aircraft); });
        if (it == flights.end()) {
            flights.push_back(Flight{t.aircraft, {}, t.provenance, {}});
            it = std::prev(flights.end());
        }
        fill_missing(it->aircraft, t.aircraft);
        // The weakest claim wins: one reconstructed file makes the whole flight reconstructed.
        it->provenance = std::max(it->provenance, t.provenance);
        it->sources.push_back(t.source);
        it->points.insert(it->points.end(), t.points.begin(), t.points.end());
    }
    for (auto& f : flights) {
        std::stable_sort(f.points.begin(), f.points.end(),
                         [](const TrackPoint& a, const TrackPoint& b) { return a.time() < b.time(); });
        f.points.erase(std::unique(f.points.begin(), f.points.end(),
                                   [](const TrackPoint& a, const TrackPoint& b) { return a.time() == b.time(); }),
                       f.points.end());
    }
    std::erase_if(flights, [](const Flight& f) { return f.points.empty(); });
    std::stable_sort(flights.begin(), flights.end(), [](const Flight& a, const Flight& b) {
        return a.points.front().time() < b.points.front().time();
    });
    return flights;
}

}  // namespace fr
