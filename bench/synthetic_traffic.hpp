#pragma once
// SYNTHETIC traffic for benchmarks: N aircraft flying at the same time over Europe, generated
// in memory (nothing here is recorded data; every flight carries Provenance::synthetic, so
// every frame drawn from it says "SYNTHETIC TRACK"). Deterministic for a given seed.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "core/track.hpp"
#include "geo/geodesic.hpp"

namespace fr::bench {

/// `n` flights of `minutes` minutes each, fixes every 60 s, starting within 30 minutes of
/// 2024-01-01T10:00Z: a climb to FL350 over 20 minutes at 250 m/s ground speed on a
/// constant initial heading (a geodesic), between 40..60 N and 10 W..30 E.
inline std::vector<Flight> synthetic_traffic(int n, int minutes = 120, std::uint64_t seed = 7203) {
    std::uint64_t s = seed;
    auto rnd = [&s] {  // 64-bit LCG (Knuth MMIX constants), uniform in [0, 1)
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(s >> 11) / 9007199254740992.0;
    };
    const TimePoint t0 = *parse_iso8601("2024-01-01T10:00:00Z");
    std::vector<Flight> out;
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        Flight f;
        char icao[8], call[16];
        std::snprintf(icao, sizeof icao, "f%05x", i);
        std::snprintf(call, sizeof call, "SYN%04d", i);
        f.aircraft.icao24 = icao;
        f.aircraft.callsign = call;
        f.aircraft.registration = "X-SYN" + std::to_string(i);
        f.provenance = Provenance::synthetic;
        f.sources = {"synthetic traffic (bench/synthetic_traffic.hpp)"};
        LatLon p = *LatLon::checked(40 + 20 * rnd(), -10 + 40 * rnd());
        const double heading = 360 * rnd();
        const TimePoint start = t0 + std::chrono::seconds(static_cast<int>(1800 * rnd()));
        for (int m = 0; m <= minutes; ++m) {
            TrackPoint tp(start + std::chrono::minutes(m), p);
            tp.set_altitude(Length::metres(10668.0 * std::min(1.0, m / 20.0)));  // FL350
            tp.set_ground_speed(Speed::metres_per_second(250));
            tp.set_track(Angle::degrees(heading));
            tp.set_on_ground(OnGround::airborne);
            f.points.push_back(tp);
            p = geo::direct(p, Angle::degrees(heading), Length::metres(250.0 * 60));
        }
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace fr::bench
