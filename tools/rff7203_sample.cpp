#include "rff7203_sample.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <random>
#include <stdexcept>

#include "core/lat_lon.hpp"
#include "core/time.hpp"
#include "core/units.hpp"
#include "geo/geodesic.hpp"

namespace fr::tools {

namespace {

using std::chrono::seconds;

// ---- deterministic randomness ---------------------------------------------------------------

/// mt19937's sequence is fixed by the standard; the mapping to a range is ours (modulo; the
/// bias of at most 61/2^32 is irrelevant here) so every platform draws the same numbers.
class Rng {
public:
    explicit Rng(std::uint32_t seed) : m_engine(seed) {}
    /// Uniform integer in [lo, hi] (inclusive), lo <= hi.
    int uniform(int lo, int hi) {
        const auto span = static_cast<std::uint32_t>(hi - lo) + 1u;
        return lo + static_cast<int>(static_cast<std::uint32_t>(m_engine()) % span);
    }

private:
    std::mt19937 m_engine;
};

// ---- route ----------------------------------------------------------------------------------

struct Named {
    const char* name;
    double lat, lon;  // degrees
};

// Outbound en-route waypoints (city positions, degrees), all over Russian territory.
constexpr Named k_waypoints[] = {
    {"Kazan", 55.79, 49.12},          {"Yekaterinburg", 56.84, 60.60},     {"Omsk", 54.99, 73.37},
    {"Novosibirsk", 55.03, 82.92},    {"Krasnoyarsk", 56.01, 92.87},       {"Irkutsk", 52.29, 104.28},
    {"Chita", 52.03, 113.50},         {"Skovorodino", 53.98, 123.90},      {"Khabarovsk", 48.53, 135.19},
    {"Dalnerechensk", 45.93, 133.73}, {"near Vladivostok", 43.40, 132.00},
};

struct Airport {
    const char* icao;
    LatLon arp;  // OurAirports reference point
};

const Airport k_uumu{"UUMU", LatLon::from_degrees(55.8783, 38.061699)};
const Airport k_zkpy{"ZKPY", LatLon::from_degrees(39.224098, 125.669998)};

constexpr double k_runway_half_m = 1750.0;     // 3.5 km runways centred on the ARP (assumed)
constexpr double k_apron_offset_m = 600.0;     // apron beside the runway, off the centreline
constexpr double k_touchdown_m = 300.0;        // touchdown this far past the threshold
constexpr double k_rollout_m = 2000.0;         // runway exit this far past the threshold
constexpr double k_departure_fix_m = 20000.0;  // straight climb-out before turning en route
constexpr double k_final_m = 12.0 * 1852.0;    // final approach fix, 12 NM out

LatLon offset(LatLon p, double azimuth_deg, double metres) { return geo::direct(p, Angle::degrees(azimuth_deg), Length::metres(metres)); }

/// A polyline with cumulative geodesic distances and marked events along it.
struct Route {
    std::vector<LatLon> pts;
    std::vector<double> cum;  // metres from pts[0]
    std::vector<int> segment_wind_kt;
    double s_lineup = 0;  // departure threshold
    double s_touchdown = 0;
    double s_exit = 0;
    double total = 0;

    void add(LatLon p) {
        if (!pts.empty())
            cum.push_back(cum.back() + geo::distance(pts.back(), p).m());
        else
            cum.push_back(0.0);
        pts.push_back(p);
    }
    std::size_t segment_at(double s) const {
        auto it = std::upper_bound(cum.begin(), cum.end(), s);
        auto i = static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, (it - cum.begin()) - 1));
        return std::min(i, pts.size() - 2);
    }
    LatLon position(double s) const {
        const auto i = segment_at(s);
        const double len = cum[i + 1] - cum[i];
        const double f = len > 0 ? std::clamp((s - cum[i]) / len, 0.0, 1.0) : 0.0;
        return geo::interpolate(pts[i], pts[i + 1], f);
    }
    /// Track over ground at s, degrees in [0, 360).
    double track(double s) const {
        auto i = segment_at(s);
        LatLon p = position(s);
        if (geo::distance(p, pts[i + 1]).m() < 1.0 && i + 2 < pts.size()) ++i;
        const auto inv = geo::distance(p, pts[i + 1]).m() < 1.0 ? geo::inverse(pts[i], pts[i + 1]) : geo::inverse(p, pts[i + 1]);
        const double az = geo::distance(p, pts[i + 1]).m() < 1.0 ? inv.azimuth2.deg() : inv.azimuth1.deg();
        return Angle::degrees(az).normalized_360().deg();
    }
};

struct LegSpec {
    const Airport* from;
    const Airport* to;
    double dep_runway_deg;  // take-off heading, true
    double arr_runway_deg;  // landing heading, true
    bool outbound;
    int flight_levels[3];  // cruise levels, hundreds of feet
};

Route build_route(const LegSpec& leg, Rng& rng) {
    Route r;
    const double dh = leg.dep_runway_deg, ah = leg.arr_runway_deg;
    // Departure: apron (left of the runway) -> threshold -> climb-out fix.
    const LatLon dep_thr = offset(leg.from->arp, dh + 180.0, k_runway_half_m);
    r.add(offset(leg.from->arp, dh - 90.0, k_apron_offset_m));
    r.add(dep_thr);
    r.s_lineup = r.cum.back();
    r.add(offset(dep_thr, dh, k_departure_fix_m));
    const std::size_t first_enroute = r.pts.size() - 1;
    constexpr auto n = std::size(k_waypoints);
    for (std::size_t k = 0; k < n; ++k) {
        const auto& w = k_waypoints[leg.outbound ? k : n - 1 - k];
        r.add(LatLon::from_degrees(w.lat, w.lon));
    }
    // Arrival: final approach fix -> threshold -> touchdown -> runway exit -> apron.
    const LatLon arr_thr = offset(leg.to->arp, ah + 180.0, k_runway_half_m);
    r.add(offset(arr_thr, ah + 180.0, k_final_m));
    r.add(arr_thr);
    r.add(offset(arr_thr, ah, k_touchdown_m));
    r.s_touchdown = r.cum.back();
    r.add(offset(arr_thr, ah, k_rollout_m));
    r.s_exit = r.cum.back();
    r.add(offset(leg.to->arp, ah + 90.0, k_apron_offset_m));
    r.total = r.cum.back();
    // A fixed stand-in for the wind on each segment: ground speed offset in [-15, +15] kt.
    r.segment_wind_kt.assign(r.pts.size() - 1, 0);
    for (std::size_t i = first_enroute; i + 1 < r.pts.size(); ++i) r.segment_wind_kt[i] = rng.uniform(-15, 15);
    return r;
}

// ---- kinematics -----------------------------------------------------------------------------

struct State {
    double s_m;     // along the route
    double alt_ft;  // pressure altitude, 0 on the ground
    double gs_kt;   // ground speed
    bool on_ground;
};

constexpr double k_taxi_kt = 14.0;
constexpr double k_liftoff_kt = 150.0;
constexpr double k_glide_ft_per_nm = 318.0;  // 3-degree path: tan(3 deg) * 6076 ft
constexpr double k_cruise_kt = 450.0;

/// Ground speed the profile allows at an altitude: 150 kt at the runway, 250 kt at 10,000 ft
/// (the usual speed limit), rising linearly to the cruise speed at FL350.
double speed_for_altitude(double alt_ft, double cruise_kt) {
    if (alt_ft <= 10000.0) return 150.0 + alt_ft / 10000.0 * 100.0;
    return std::min(cruise_kt, 250.0 + (alt_ft - 10000.0) / 25000.0 * (cruise_kt - 250.0));
}

double climb_rate_fpm(double alt_ft) {
    if (alt_ft < 10000.0) return 2500.0;
    if (alt_ft < 25000.0) return 1800.0;
    return 1000.0;
}

struct Simulation {
    std::vector<State> states;  // one per second from the first row's time
    int liftoff_s = -1;
    int touchdown_s = -1;
};

Simulation simulate(const Route& r, const LegSpec& leg, Rng& rng) {
    Simulation sim;
    constexpr double kt = 1852.0 / 3600.0;  // m/s per knot
    const double airborne_len = r.s_touchdown - r.s_lineup;
    enum class Phase { parked, taxi_out, lineup, roll, airborne, rollout, taxi_in, parked_end } ph = Phase::parked;
    State st{0.0, 0.0, 0.0, true};
    int hold = rng.uniform(60, 120);  // seconds parked before the first movement
    for (int t = 0; t < 24 * 3600; ++t) {
        sim.states.push_back(st);
        switch (ph) {
            case Phase::parked:
                if (--hold <= 0) ph = Phase::taxi_out;
                break;
            case Phase::taxi_out:
                st.gs_kt = std::min(k_taxi_kt, st.gs_kt + 2.0);
                st.s_m += st.gs_kt * kt;
                if (st.s_m >= r.s_lineup) {
                    st.s_m = r.s_lineup;
                    st.gs_kt = 0;
                    ph = Phase::lineup;
                    hold = rng.uniform(60, 150);
                }
                break;
            case Phase::lineup:
                if (--hold <= 0) ph = Phase::roll;
                break;
            case Phase::roll:
                st.gs_kt = std::min(k_liftoff_kt, st.gs_kt + 3.5);  // ~43 s, ~1.7 km to lift-off
                st.s_m += st.gs_kt * kt;
                if (st.gs_kt >= k_liftoff_kt) {
                    ph = Phase::airborne;
                    st.on_ground = false;
                    sim.liftoff_s = t + 1;
                }
                break;
            case Phase::airborne: {
                const double frac = (st.s_m - r.s_lineup) / airborne_len;
                const int fl = frac < 0.35 ? leg.flight_levels[0] : frac < 0.70 ? leg.flight_levels[1] : leg.flight_levels[2];
                const double target_ft = fl * 100.0;
                if (st.alt_ft < target_ft) st.alt_ft = std::min(target_ft, st.alt_ft + climb_rate_fpm(st.alt_ft) / 60.0);
                const double to_go_nm = (r.s_touchdown - st.s_m) / 1852.0;
                st.alt_ft = std::max(0.0, std::min(st.alt_ft, to_go_nm * k_glide_ft_per_nm));
                const double cruise = k_cruise_kt + r.segment_wind_kt[r.segment_at(st.s_m)];
                const double want = speed_for_altitude(st.alt_ft, cruise);
                st.gs_kt = std::clamp(want, st.gs_kt - 1.5, st.gs_kt + 1.5);
                st.s_m += st.gs_kt * kt;
                if (st.s_m >= r.s_touchdown) {
                    st.alt_ft = 0;
                    st.on_ground = true;
                    ph = Phase::rollout;
                    sim.touchdown_s = t + 1;
                }
                break;
            }
            case Phase::rollout:
                st.gs_kt = std::max(k_taxi_kt, st.gs_kt - 3.0);
                st.s_m = std::min(st.s_m + st.gs_kt * kt, r.total);
                if (st.s_m >= r.s_exit) ph = Phase::taxi_in;
                break;
            case Phase::taxi_in:
                st.gs_kt = k_taxi_kt;
                st.s_m += st.gs_kt * kt;
                if (st.s_m >= r.total) {
                    st.s_m = r.total;
                    st.gs_kt = 0;
                    ph = Phase::parked_end;
                    hold = rng.uniform(90, 150);
                }
                break;
            case Phase::parked_end:
                if (--hold <= 0) return sim;
                break;
        }
    }
    throw std::logic_error("RFF7203 simulation did not park within 24 h");
}

// ---- output ---------------------------------------------------------------------------------

struct Row {
    std::int64_t unix_s;
    LatLon pos;
    int alt_ft, speed_kt, direction_deg;
};

const char* const k_header_comment =
    "# RECONSTRUCTED TRACK - NOT RECORDED POSITIONS. Generated by flightreplay tools/make_rff7203.cpp\n"
    "# (fr_make_rff7203) from public reporting and the assumptions below; do not use it as evidence.\n"
    "# Aircraft: Il-62M, Russian Air Force, registration RA-86559 (per NK News); callsign RFF7203.\n"
    "# Route: UUMU Moscow Chkalovsky - Kazan - Yekaterinburg - Omsk - Novosibirsk - Krasnoyarsk -\n"
    "#   Irkutsk - Chita - Skovorodino - Khabarovsk - Dalnerechensk - near Vladivostok - across North\n"
    "#   Korea - ZKPY Pyongyang Sunan (reverse on the return), over Russian territory, along WGS84\n"
    "#   geodesics between those points. Runways assumed UUMU 12/30, ZKPY 01/19.\n"
    "# Profile assumed: cruise FL330-FL390 at 450 kt +-15 kt ground speed, 3-degree descent, taxi\n"
    "#   ~14 kt; fixes every 30-60 s from a fixed-seed generator; no rows for 25 min over North\n"
    "#   Korea (no coverage); no rows during the 36 h 04 min stop at ZKPY (aircraft parked).\n"
    "# Times are UTC. Altitude feet (0 on ground), Speed knots ground speed, Direction degrees true.\n";

std::string format_file(const char* route_line, const std::vector<Row>& rows) {
    std::string out = k_header_comment;
    out += route_line;
    out += "Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction\n";
    char buf[160];
    for (const auto& r : rows) {
        const std::string utc = format_iso8601(TimePoint{seconds{r.unix_s}});
        std::snprintf(buf, sizeof buf, "%lld,%s,RFF7203,\"%.6f,%.6f\",%d,%d,%d\n", static_cast<long long>(r.unix_s), utc.c_str(),
                      r.pos.lat_deg(), r.pos.lon_deg(), r.alt_ft, r.speed_kt, r.direction_deg);
        out += buf;
    }
    return out;
}

std::vector<Row> sample(const Route& r, const Simulation& sim, std::int64_t t0, int gap_from_s, int gap_to_s, Rng& rng) {
    std::vector<Row> rows;
    double last_dir = r.track(0.0);
    const int n = static_cast<int>(sim.states.size());
    for (int t = 0; t < n; t += rng.uniform(30, 60)) {
        const State& st = sim.states[static_cast<std::size_t>(t)];
        // Moving: the track over ground. Lined up on the runway: the runway heading.
        if (st.gs_kt > 0.5 || std::abs(st.s_m - r.s_lineup) < 1e-6) last_dir = r.track(st.s_m);
        if (t >= gap_from_s && t < gap_to_s) continue;
        int alt = static_cast<int>(std::lround(st.alt_ft / 25.0)) * 25;
        int spd = static_cast<int>(std::lround(st.gs_kt));
        // Taxi speeds as FR24 shows them: jittery small integers (0-20 kt).
        if (st.on_ground && st.gs_kt > 0.5 && st.gs_kt <= k_taxi_kt + 0.5) spd = std::clamp(spd + rng.uniform(-4, 6), 1, 20);
        int dir = static_cast<int>(std::lround(last_dir)) % 360;
        if (st.on_ground) alt = 0;
        rows.push_back({t0 + t, r.position(st.s_m), alt, spd, dir});
    }
    // The sampler may step past the end; make sure the parked end is shown.
    if (rows.empty() || rows.back().unix_s < t0 + n - 61) throw std::logic_error("RFF7203: last fix not at the stand");
    return rows;
}

constexpr std::int64_t k_outbound_t0 = 1690815600;     // 2023-07-31T15:00:00Z, first row (parked at UUMU)
constexpr std::int64_t k_stop_s = 36 * 3600 + 4 * 60;  // last outbound row -> first return row

}  // namespace

std::vector<SampleFile> make_rff7203_files() {
    Rng rng(7203u);
    const LegSpec out{&k_uumu, &k_zkpy, 120.0, 190.0, true, {330, 350, 370}};
    const LegSpec back{&k_zkpy, &k_uumu, 10.0, 300.0, false, {340, 360, 380}};

    const Route r1 = build_route(out, rng);
    const Simulation s1 = simulate(r1, out, rng);
    // No coverage over North Korea: from 28 to 3 min before touchdown at ZKPY.
    const auto rows1 = sample(r1, s1, k_outbound_t0, s1.touchdown_s - 28 * 60, s1.touchdown_s - 3 * 60, rng);

    const Route r2 = build_route(back, rng);
    const Simulation s2 = simulate(r2, back, rng);
    const std::int64_t t2 = rows1.back().unix_s + k_stop_s;
    // ... and from 3 to 28 min after take-off from ZKPY.
    const auto rows2 = sample(r2, s2, t2, s2.liftoff_s + 3 * 60, s2.liftoff_s + 28 * 60, rng);

    return {
        {"RFF7203_UUMU-ZKPY_2023-07-31_reconstructed.csv", format_file("# Leg: outbound UUMU -> ZKPY, 2023-07-31/2023-08-01.\n", rows1)},
        {"RFF7203_ZKPY-UUMU_2023-08-02_reconstructed.csv", format_file("# Leg: return ZKPY -> UUMU, 2023-08-02.\n", rows2)},
    };
}

std::vector<std::filesystem::path> write_rff7203_files(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    std::vector<std::filesystem::path> written;
    for (const auto& f : make_rff7203_files()) {
        const auto path = dir / f.name;
        std::ofstream os(path, std::ios::binary | std::ios::trunc);
        os.write(f.content.data(), static_cast<std::streamsize>(f.content.size()));
        os.close();
        if (!os) throw std::runtime_error("cannot write '" + path.string() + "'");
        written.push_back(path);
    }
    return written;
}

}  // namespace fr::tools
