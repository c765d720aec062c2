// Writes a SYNTHETIC day of the world's traffic in the readsb globe-history layout:
// traces/<last two hex digits>/trace_full_<hex>.json, gzip-compressed as the published day
// archives are. Nothing here is recorded: every address is in the '~' (non-ICAO) range, every
// callsign starts with SYN and every registration with SYN-. OUT_DIR's name must say "synthetic"
// and bench/global_day.sh packs the tree into a tar whose name says it too (the loader reads the
// provenance from the names of a file and its folders), so every frame drawn from either carries
// the SYNTHETIC banner.
//
// The model: each aircraft flies one to four legs between bundled airports (mostly regional
// hops of 300-3,000 km, one in eight long haul up to 11,000 km), on great circles at 460 kt,
// climbing and descending at 2,000 ft/min, with 20-minute to 3-hour turnarounds on the ground
// between legs (a few ground fixes at each end) and a fix every `--interval` seconds in the air.
// Deterministic for a given seed. At the defaults (50,000 aircraft, 10 s) it writes about 100 M
// fixes.
//
//   fr_make_global_day OUT_DIR [--aircraft N] [--interval S] [--date YYYY-MM-DD] [--seed N] [--threads N]
//
// Prints the number of aircraft, legs and fixes written, and the JSON bytes before compression.
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Airport {
    double lat = 0, lon = 0;  // degrees
    bool large = false;
};

std::vector<Airport> read_airports(const fs::path& csv) {
    std::ifstream in(csv);
    std::string line;
    std::vector<Airport> out;
    std::getline(in, line);  // header: icao,iata,name,city,country,lat,lon,elevation_ft,type,scheduled,military
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::string cur;
        bool quoted = false;
        for (char c : line) {
            if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
                f.push_back(std::move(cur)), cur.clear();
            else
                cur += c;
        }
        f.push_back(cur);
        if (f.size() < 11 || f[9] != "1") continue;  // scheduled service only
        out.push_back({std::strtod(f[5].c_str(), nullptr), std::strtod(f[6].c_str(), nullptr), f[8] == "large"});
    }
    return out;
}

constexpr double kPi = 3.14159265358979323846, kDeg = kPi / 180, kEarthKm = 6371.0;

struct Vec3 {
    double x, y, z;
};
Vec3 to_vec(double lat, double lon) {
    return {std::cos(lat * kDeg) * std::cos(lon * kDeg), std::cos(lat * kDeg) * std::sin(lon * kDeg), std::sin(lat * kDeg)};
}
double central_angle(const Vec3& a, const Vec3& b) {
    const double d = std::clamp(a.x * b.x + a.y * b.y + a.z * b.z, -1.0, 1.0);
    return std::acos(d);
}

/// A 64-bit LCG (Knuth's MMIX constants): uniform in [0, 1).
struct Rng {
    std::uint64_t s;
    double operator()() {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(s >> 11) / 9007199254740992.0;
    }
};

void put(std::string& out, double v, int decimals) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
    out.append(buf, r.ptr);
}
void put(std::string& out, long long v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

struct Totals {
    std::atomic<long long> legs{0}, fixes{0}, json_bytes{0};
};

/// One aircraft's day as a readsb trace.
std::string aircraft_day(int i, const std::vector<Airport>& aps, long long day0, double interval_s, std::uint64_t seed, Totals& totals) {
    Rng rnd{seed ^ (0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(i + 1))};
    for (int k = 0; k < 4; ++k) (void)rnd();
    char hex[16], call[16];
    std::snprintf(hex, sizeof hex, "~%05x", i);
    std::snprintf(call, sizeof call, "SYN%d", i);
    // Start at a random airport (large ones three times as likely) some time in the day.
    auto pick = [&] {
        for (;;) {
            const auto& a = aps[static_cast<std::size_t>(rnd() * static_cast<double>(aps.size())) % aps.size()];
            if (a.large || rnd() < 0.33) return a;
        }
    };
    Airport at = pick();
    double t = 600 + rnd() * 20 * 3600;  // s after midnight: the first departure (within the first 20 hours)
    const int legs = 1 + static_cast<int>(rnd() * 4);
    std::string j;
    j.reserve(1 << 20);
    j += "{\"icao\":\"";
    j += hex;
    j += "\",\"r\":\"SYN-";
    put(j, static_cast<long long>(i));
    j += "\",\"t\":\"A320\",\"timestamp\":";
    put(j, day0);
    j += ",\"trace\":[\n";
    bool first = true;
    long long fixes = 0;
    auto fix = [&](double ts, double lat, double lon, double alt_ft, bool ground, double gs, double trk, double vrate, bool details) {
        if (ts >= 86400) return;  // the day's file ends at midnight (a flight still in the air is cut, as in the archives)
        if (!first) j += ",\n";
        first = false;
        j += '[';
        put(j, ts, 1);
        j += ',';
        put(j, lat, 5);
        j += ',';
        put(j, lon, 5);
        j += ',';
        if (ground)
            j += "\"ground\"";
        else
            put(j, static_cast<long long>(std::lround(alt_ft / 25) * 25));
        j += ',';
        put(j, gs, 1);
        j += ',';
        put(j, trk, 1);
        j += ",0,";
        put(j, static_cast<long long>(std::lround(vrate / 64) * 64));
        j += ',';
        if (details) {
            j += "{\"flight\":\"";
            j += call;
            j += "  \"}";
        } else {
            j += "null";
        }
        j += ",\"adsb_icao\",null,null,null,null]";
        ++fixes;
    };
    int flown = 0;
    for (int leg = 0; leg < legs && t < 86000; ++leg) {
        // The destination: 300-3,000 km away (one in eight: 3,000-11,000 km); rejection-sampled.
        const bool long_haul = rnd() < 0.125;
        const double lo = long_haul ? 3000 : 300, hi = long_haul ? 11000 : 3000;
        const Vec3 a = to_vec(at.lat, at.lon);
        Airport to = at;
        double sigma = 0;
        for (int tries = 0; tries < 200; ++tries) {
            const Airport& c = pick();
            const double s = central_angle(a, to_vec(c.lat, c.lon));
            if (s * kEarthKm >= lo && s * kEarthKm <= hi) {
                to = c;
                sigma = s;
                break;
            }
        }
        if (sigma == 0) break;
        const Vec3 b = to_vec(to.lat, to.lon);
        const double dist_km = sigma * kEarthKm, speed_kmh = 460 * 1.852;
        const double cruise_ft = long_haul ? 37000 : 33000, climb_fpm = 2000;
        const double airborne_s = dist_km / speed_kmh * 3600;
        auto position = [&](double f, double& lat, double& lon) {  // slerp along the great circle
            const double sa = std::sin((1 - f) * sigma) / std::sin(sigma), sb = std::sin(f * sigma) / std::sin(sigma);
            const Vec3 p{sa * a.x + sb * b.x, sa * a.y + sb * b.y, sa * a.z + sb * b.z};
            lat = std::atan2(p.z, std::hypot(p.x, p.y)) / kDeg;
            lon = std::atan2(p.y, p.x) / kDeg;
        };
        auto heading = [&](double f) {
            double la, lo1, la2, lo2;
            position(std::max(0.0, f - 1e-4), la, lo1);
            position(std::min(1.0, f + 1e-4), la2, lo2);
            const double dl = (lo2 - lo1) * kDeg;
            const double y = std::sin(dl) * std::cos(la2 * kDeg);
            const double x = std::cos(la * kDeg) * std::sin(la2 * kDeg) - std::sin(la * kDeg) * std::cos(la2 * kDeg) * std::cos(dl);
            return std::fmod(std::atan2(y, x) / kDeg + 360, 360);
        };
        // Taxi out: three ground fixes a minute apart.
        for (int g = 0; g < 3; ++g) fix(t - 180 + 60 * g, at.lat, at.lon, 0, true, 12, heading(0), 0, g == 0);
        const double climb_s = cruise_ft / climb_fpm * 60;
        for (double s = 0; s <= airborne_s; s += interval_s) {
            const double f = s / airborne_s;
            double lat, lon;
            position(f, lat, lon);
            const double to_go = airborne_s - s;
            const double alt = std::min({cruise_ft, 1500 + s / 60 * climb_fpm, 1500 + to_go / 60 * climb_fpm});
            const double vrate = alt >= cruise_ft ? 0 : (s < climb_s ? climb_fpm : -climb_fpm);
            fix(t + s, lat, lon, alt, false, 460, heading(f), vrate, false);
        }
        t += airborne_s;
        for (int g = 1; g <= 3; ++g) fix(t + 60 * g, to.lat, to.lon, 0, true, 12, heading(1), 0, false);
        at = to;
        ++flown;
        t += 1200 + rnd() * 3 * 3600;  // turnaround on the ground
    }
    j += "\n]}\n";
    totals.legs += flown;
    totals.fixes += fixes;
    totals.json_bytes += static_cast<long long>(j.size());
    return j;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: fr_make_global_day OUT_DIR [--aircraft N] [--interval S] [--date YYYY-MM-DD] [--seed N] [--threads N]\n";
        return 2;
    }
    const fs::path out = argv[1];
    {
        // The traces keep readsb's names (trace_full_<hex>.json), so the folder says what they
        // are: the loader marks every track under a folder named "synthetic" so, and so every
        // frame drawn from the tree, as from the tar, carries the SYNTHETIC banner.
        std::string name = (out.filename().empty() ? out.parent_path().filename() : out.filename()).string();
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (name.find("synthetic") == std::string::npos) {
            std::cerr << "fr_make_global_day: name the output folder so it says synthetic (e.g. "
                      << (out.parent_path() / "day-synthetic").string() << "): the traces inside keep readsb's file names\n";
            return 2;
        }
    }
    int aircraft = 50000, threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    double interval_s = 10;
    std::string date = "2025-02-05";
    std::uint64_t seed = 7203;
    for (int a = 2; a + 1 < argc; a += 2) {
        const std::string k = argv[a], v = argv[a + 1];
        if (k == "--aircraft")
            aircraft = std::atoi(v.c_str());
        else if (k == "--interval")
            interval_s = std::atof(v.c_str());
        else if (k == "--date")
            date = v;
        else if (k == "--seed")
            seed = std::strtoull(v.c_str(), nullptr, 10);
        else if (k == "--threads")
            threads = std::atoi(v.c_str());
        else {
            std::cerr << "fr_make_global_day: unknown option " << k << "\n";
            return 2;
        }
    }
    if (aircraft < 1 || aircraft > 0xfffff || !(interval_s >= 1) || threads < 1) {
        std::cerr << "fr_make_global_day: --aircraft 1..1048575, --interval >= 1 s, --threads >= 1\n";
        return 2;
    }
    int y = 0, m = 0, d = 0;
    if (std::sscanf(date.c_str(), "%d-%d-%d", &y, &m, &d) != 3) {
        std::cerr << "fr_make_global_day: --date YYYY-MM-DD\n";
        return 2;
    }
    // Days from civil (Howard Hinnant's algorithm), for the day's midnight in Unix seconds.
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const long long day0 = (era * 146097 + static_cast<long long>(doe) - 719468) * 86400;

    const auto aps = read_airports(fs::path(FR_SOURCE_DIR) / "assets/airports/airports.csv");
    if (aps.size() < 100) {
        std::cerr << "fr_make_global_day: the bundled airport table is missing or short\n";
        return 1;
    }
    for (int b = 0; b < 256; ++b) {
        char sub[8];
        std::snprintf(sub, sizeof sub, "%02x", b);
        fs::create_directories(out / "traces" / sub);
    }
    Totals totals;
    std::atomic<int> next{0};
    std::atomic<bool> failed{false};
    std::vector<std::thread> pool;
    for (int k = 0; k < threads; ++k)
        pool.emplace_back([&] {
            for (int i; (i = next++) < aircraft && !failed;) {
                const std::string text = aircraft_day(i, aps, day0, interval_s, seed, totals);
                char name[64];
                std::snprintf(name, sizeof name, "traces/%02x/trace_full_~%05x.json", i & 0xff, i);
                gzFile gz = gzopen((out / name).c_str(), "wb1");
                if (!gz || gzwrite(gz, text.data(), static_cast<unsigned>(text.size())) != static_cast<int>(text.size()) ||
                    gzclose(gz) != Z_OK) {
                    std::cerr << "fr_make_global_day: cannot write " << (out / name).string() << "\n";
                    failed = true;
                }
            }
        });
    for (auto& th : pool) th.join();
    if (failed) return 1;
    std::ofstream(out / "README-SYNTHETIC.txt")
        << "SYNTHETIC traffic written by flightreplay's tools/make_global_day.cpp: not recorded data.\n"
        << aircraft << " aircraft, " << totals.legs << " legs, " << totals.fixes << " fixes, seed " << seed << ", day " << date << ".\n";
    std::cout << aircraft << " aircraft, " << totals.legs << " legs, " << totals.fixes << " fixes, " << totals.json_bytes / 1000000
              << " MB of JSON before compression\n";
    return 0;
}
