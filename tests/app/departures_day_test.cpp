// A folder of a day's departures from one airport, as a user downloads them from FR24: one CSV
// per flight, no ICAO addresses, several flight numbers flown twice (on two days), gate creep
// before some take-offs and a coverage gap between the gate and the climb-out on others. The
// tracks are generated at test time (labelled synthetic in their file names). Through the real
// loader, merge and analysis: one leg per file, from Hong Kong to the right destination, no
// invented legs or stops.
#include <gtest/gtest.h>

#include <unistd.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "geo/geodesic.hpp"
#include "pipeline/pipeline.hpp"

namespace {

using namespace fr;
namespace fs = std::filesystem;

struct Planned {
    std::string callsign, dest;
    double t0;  // unix seconds of the first fix
    bool creep_then_gap;
};

// Writes one FR24 CSV: ~10 min at the gate (alt 0) with a few metres of creep, optionally a
// 35-minute hole, then the flight along the geodesic at 240 m/s, then 5 min of taxi-in.
void write_fr24(const fs::path& file, const Planned& f, LatLon from, LatLon to) {
    std::ofstream out(file);
    out << "Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction\n";
    auto row = [&](double t, LatLon p, int alt, int kt, int dir) {
        const auto ts = static_cast<long long>(t);
        const auto tp = from_unix_seconds(static_cast<double>(ts));
        char buf[256];
        std::snprintf(buf, sizeof buf, "%lld,%s,%s,\"%.6f,%.6f\",%d,%d,%d\n", ts, format_iso8601(tp).c_str(), f.callsign.c_str(),
                      p.lat_deg(), p.lon_deg(), alt, kt, dir);
        out << buf;
    };
    double t = f.t0;
    for (int i = 0; i < 10; ++i, t += 60) row(t, geo::direct(from, Angle::degrees(90), Length::metres(i * 3.0)), 0, i % 3, 0);
    if (f.creep_then_gap) t += 35 * 60;
    const auto inv = geo::inverse(from, to);
    const double v = 240.0, dur = inv.distance.m() / v;
    const int dir = static_cast<int>(std::lround(inv.azimuth1.normalized_360().deg()));
    for (double s = 30; s < dur; s += 90) {
        const double edge = std::min(s, dur - s);
        const int alt = edge < 600 ? static_cast<int>(edge * 10) + 500 : 36000;
        row(t + s, geo::direct(from, inv.azimuth1, Length::metres(v * s)), std::min(alt, 36000), 470, dir);
    }
    t += dur + 40;
    for (int i = 0; i < 5; ++i, t += 60) row(t, to, 0, i < 3 ? 15 : 0, 0);
}

TEST(DeparturesDay, OneLegPerFlightFromHongKongNoInventedStops) {
    const auto& airports = pipeline::bundled_airports();
    const io::Airport* vhhh = airports.find_icao("VHHH");
    ASSERT_NE(vhhh, nullptr);
    // Sixty destinations: the large airports 500-6,000 km away, in table order.
    std::vector<const io::Airport*> dests;
    for (const auto& a : airports.airports()) {
        if (a.size != io::AirportSize::large || a.icao.empty()) continue;
        const double km = geo::distance(vhhh->position, a.position).km();
        if (km > 500 && km < 6000) dests.push_back(&a);
        if (dests.size() == 60) break;
    }
    ASSERT_EQ(dests.size(), 60u);

    const fs::path dir = fs::temp_directory_path() / ("fr-departures-synthetic-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::vector<Planned> plan;
    const double day0 = 1'700'000'000;  // 2023-11-14
    // 300 flights over two days: flight numbers HKA100..HKA249 fly on day 1, and 150 of them
    // again on day 2 to the same destination (as airlines do).
    for (int i = 0; i < 150; ++i) {
        const std::string cs = "HKA" + std::to_string(100 + i);
        const auto& d = dests[static_cast<std::size_t>(i) % dests.size()];
        plan.push_back({cs, d->icao, day0 + i * 240.0, i % 4 == 0});
        plan.push_back({cs, d->icao, day0 + 86400 + i * 240.0, i % 5 == 0});
    }
    std::map<std::string, std::string> dest_of_file;
    for (std::size_t k = 0; k < plan.size(); ++k) {
        const auto& f = plan[k];
        const std::string name = f.callsign + "_" + std::to_string((k % 2) ? 2 : 1) + "_synthetic.csv";
        write_fr24(dir / name, f, vhhh->position, airports.find_icao(f.dest)->position);
        dest_of_file[(dir / name).string()] = f.dest;
    }

    pipeline::LoadRequest req;
    req.inputs = {dir};
    const auto data = pipeline::load_and_analyse(req);
    EXPECT_EQ(data.flights.size(), plan.size());
    std::size_t legs = 0, stops = 0, right = 0;
    for (std::size_t i = 0; i < data.flights.size(); ++i) {
        const auto& f = data.flights[i];
        const auto& a = data.analyses[i];
        legs += a.legs.size();
        stops += a.stops.size();
        ASSERT_EQ(f.sources.size(), 1u) << "a flight was joined with another file";
        if (a.legs.size() != 1) continue;
        const auto& leg = a.legs[0];
        if (leg.departure_airport && leg.departure_airport->icao == "VHHH" && leg.arrival_airport &&
            leg.arrival_airport->icao == dest_of_file[f.sources[0]])
            ++right;
    }
    EXPECT_EQ(legs, plan.size());
    EXPECT_EQ(stops, 0u);
    EXPECT_EQ(right, plan.size());
    // FR_KEEP_TEST_DIR=1 keeps the folder for timing `flightreplay info` on it (bench/README.md).
    if (std::getenv("FR_KEEP_TEST_DIR"))
        std::cout << "kept " << dir << "\n";
    else
        fs::remove_all(dir);
}

}  // namespace
