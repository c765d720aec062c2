// Loading one aircraft from a globe-history day archive, with and without its index
// (src/io/formats/archive_index.hpp), in one run, with the figures the archive work is judged by.
//
//   archive_index_bench [AIRCRAFT] [FIXES]      (defaults 3000 aircraft of 1500 fixes)
//
// The archive is generated at run time in a temporary directory (never committed): AIRCRAFT
// synthetic traces ('~' addresses, gzip members as the published archives hold them, callsigns
// SYN0..), written by GNU tar and split into 16 MB parts. Timed, best of 3 each:
//   cat    - `cat PARTS > /dev/null` (the archive's bytes once, from the page cache)
//   full   - `--aircraft call:SYN42` without an index: every member decompressed and parsed, the
//            index built on the way (the first query's full pass)
//   name   - `--aircraft icao:~f0002a` without an index: libarchive skips other members by name
//   index  - `--aircraft call:SYN42` with the index: one member read with pread
// and once: building the index alone (`flightreplay index`'s work). Also the Flightradar24 API
// flight-tracks parser on a generated file of about 64 MB. Ratios are printed last; bytes read
// come from the loader's counters (LoadResult::archive_bytes_read), never from timings.
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <sys/resource.h>
#include <unistd.h>

#include "io/formats/archive_index.hpp"
#include "io/formats/readsb_archive.hpp"
#include "io/loader.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string hex_of(int i) {
    char b[16];
    std::snprintf(b, sizeof b, "~f%05x", i);
    return b;
}

std::string trace(int i, int fixes) {
    std::ostringstream j;
    j.precision(8);
    const double lat0 = -60.0 + (i % 120), lon0 = -180.0 + (i * 7 % 360);
    j << "{\"icao\":\"" << hex_of(i) << "\",\"r\":\"SYN-" << i << "\",\"t\":\"A320\",\"timestamp\":" << 1738713600 + (i % 600) * 60
      << ",\"trace\":[\n";
    for (int k = 0; k < fixes; ++k)
        j << (k ? ",\n" : "") << "[" << k * 5 << "," << lat0 + k * 1e-3 << "," << lon0 + k * 1e-3 << "," << 10000 + k << ",450.5,90.0,0,0,"
          << (k == 0 ? "{\"flight\":\"SYN" + std::to_string(i) + "  \"}" : std::string("null")) << ",\"adsb_icao\",10100,0,null,null]";
    j << "\n]}\n";
    return j.str();
}

/// CPU seconds (user + system) of this process so far, all threads.
double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

template <class F>
double best_of_3(F&& f) {
    double best = 1e300;
    for (int r = 0; r < 3; ++r) {
        const auto t0 = Clock::now();
        f();
        best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    const int aircraft = argc > 1 ? std::atoi(argv[1]) : 3000;
    const int fixes = argc > 2 ? std::atoi(argv[2]) : 1500;
    if (aircraft < 50 || fixes < 10) {
        std::cerr << "usage: archive_index_bench [AIRCRAFT >= 50] [FIXES >= 10]\n";
        return 2;
    }
    const fs::path dir = fs::temp_directory_path() / ("fr_index_bench_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    std::uint64_t json_bytes = 0;
    for (int i = 0; i < aircraft; ++i) {
        const std::string h = hex_of(i);
        const fs::path sub = dir / "tree/traces" / h.substr(h.size() - 2);
        fs::create_directories(sub);
        const std::string text = trace(i, fixes);
        json_bytes += text.size();
        gzFile gz = gzopen((sub / ("trace_full_" + h + ".json")).c_str(), "wb6");
        if (!gz || gzwrite(gz, text.data(), static_cast<unsigned>(text.size())) != static_cast<int>(text.size()) || gzclose(gz) != Z_OK) {
            std::cerr << "cannot write the test archive under " << dir << "\n";
            return 1;
        }
    }
    const fs::path tar = dir / "v2025.02.05-planes-readsb-synthetic.tar";
    if (std::system(("tar -cf " + tar.string() + " -C " + (dir / "tree").string() + " traces && split -b 16000000 " + tar.string() + " " +
                     tar.string() + ". && rm -r " + tar.string() + " " + (dir / "tree").string())
                        .c_str()) != 0) {
        std::cerr << "tar or split failed\n";
        return 1;
    }
    const auto parts = fr::io::archive_parts(tar.string() + ".aa");
    std::uint64_t archive_bytes = 0;
    for (const auto& p : parts) archive_bytes += fs::file_size(p);
    const fs::path index_dir = dir / "index", none = dir / "none";
    fs::create_directories(index_dir);
    fs::create_directories(none);

    // Build the index (what `flightreplay index` does, without the atomic write).
    const double cpu0 = cpu_seconds();
    const auto t0 = Clock::now();
    fr::io::PartSet set(parts);
    const auto ix = fr::io::build_index(set, parts[0].string());
    const double build_s = std::chrono::duration<double>(Clock::now() - t0).count();
    const double build_cpu_s = cpu_seconds() - cpu0;
    std::ofstream(index_dir / fr::io::index_key(set)) << fr::io::serialize_index(ix);

    std::string cat = "cat";
    for (const auto& p : parts) cat += " " + p.string();
    cat += " > /dev/null";
    const double cat_s = best_of_3([&] {
        if (std::system(cat.c_str()) != 0) std::cerr << "cat failed\n";
    });

    const int pick = 42 % aircraft;
    std::size_t n_full = 0, n_name = 0, n_index = 0;
    fr::io::LoadOptions by_call;
    by_call.aircraft = {"call:SYN" + std::to_string(pick)};
    fr::io::LoadOptions by_name;
    by_name.aircraft = {"icao:" + hex_of(pick)};
    std::uint64_t full_read = 0, name_read = 0, index_read = 0;
    bool built = false;
    const double full_s = best_of_3([&] {
        auto o = by_call;
        o.index_dir = none;
        const auto r = fr::io::load_trace_archive(parts[0], o);
        n_full = r.tracks.size();
        full_read = r.archive_bytes_read;
        built = r.built_indexes.size() == 1;
    });
    const double name_s = best_of_3([&] {
        auto o = by_name;
        o.index_dir = none;
        const auto r = fr::io::load_trace_archive(parts[0], o);
        n_name = r.tracks.size();
        name_read = r.archive_bytes_read;
    });
    const double index_s = best_of_3([&] {
        auto o = by_call;
        o.index_dir = index_dir;
        const auto r = fr::io::load_trace_archive(parts[0], o);
        n_index = r.tracks.size();
        index_read = r.archive_bytes_read;
    });
    std::uint64_t member_bytes = 0;
    for (const auto& m : ix.members)
        if (m.icao == hex_of(pick)) member_bytes = m.size;
    fs::remove_all(dir);
    if (n_full != 1 || n_name != 1 || n_index != 1) {
        std::cerr << "selection failed: " << n_full << " / " << n_name << " / " << n_index << " track(s) (expected 1 each)\n";
        return 1;
    }
    std::printf("archive: %d aircraft x %d fixes, %.1f MB in %zu part(s), %.1f MB of JSON\n", aircraft, fixes, archive_bytes / 1e6,
                parts.size(), json_bytes / 1e6);
    std::printf("index build: %.3f s (%.0f MB/s of JSON); %.3f CPU s = %.0f MB of JSON per CPU second (x2 for two idle cores)\n", build_s,
                json_bytes / 1e6 / build_s, build_cpu_s, json_bytes / 1e6 / build_cpu_s);
    std::printf("call:SYN%d without index (every member parsed): %.4f s\n", pick, full_s);
    std::printf("icao:%s without index (skip by name): %.4f s\n", hex_of(pick).c_str(), name_s);
    std::printf("call:SYN%d with index: %.4f s (%.4f%% of the archive read)\n", pick, index_s, 100.0 * member_bytes / archive_bytes);
    // The Flightradar24 API flight-tracks parser: about 64 MB of generated legs.
    std::string api = "[";
    for (int leg = 0; api.size() < 64'000'000; ++leg) {
        std::ostringstream j;
        j << (leg ? "," : "") << "{\"fr24_id\":\"3930" << std::hex << leg << std::dec << "\",\"tracks\":[";
        for (int k = 0; k < 1000; ++k) {
            const long long t = 1740016771LL + k * 8;
            char iso[32];
            const std::time_t tt = static_cast<std::time_t>(t);
            std::tm tm{};
            gmtime_r(&tt, &tm);
            std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
            j << (k ? "," : "") << "{\"timestamp\":\"" << iso << "\",\"lat\":" << 22.3187 + k * 1e-3 << ",\"lon\":" << 113.9 + k * 1e-3
              << ",\"alt\":" << 10000 + k << ",\"gspeed\":450,\"vspeed\":0,\"track\":90,\"squawk\":\"1234\",\"callsign\":\"CPA" << leg
              << "\",\"source\":\"ADSB\"}";
        }
        j << "]}";
        api += j.str();
    }
    api += "]";
    std::size_t api_points = 0;
    const double api_s = best_of_3([&] {
        const auto r = fr::io::detail::load_fr24api_tracks("bench.json", api);
        api_points = 0;
        for (const auto& t : r.tracks) api_points += t.points.size();
    });
    const double full_pass_mbs = json_bytes / 1e6 / full_s;
    const double cat_bps = archive_bytes / cat_s, name_bps = archive_bytes / name_s;
    std::printf("cat of the parts: %.4f s (%.0f MB/s)\n", cat_s, cat_bps / 1e6);
    std::printf("first query's full pass (index built on the way: %s): %.0f MB/s of JSON, %.1f%% of the archive read\n",
                built ? "yes" : "NO", full_pass_mbs, 100.0 * full_read / archive_bytes);
    std::printf("icao: by name: %.0f MB/s of archive (%.4f%% of it read)\n", name_bps / 1e6, 100.0 * name_read / archive_bytes);
    std::printf("indexed query read %.4f%% of the archive (counter: %llu bytes)\n", 100.0 * index_read / archive_bytes,
                static_cast<unsigned long long>(index_read));
    std::printf("fr24api flight-tracks: %.1f MB, %zu points, %.4f s = %.0f MB/s\n", api.size() / 1e6, api_points, api_s,
                api.size() / 1e6 / api_s);
    std::printf("full read / indexed read: %.1fx\n", full_s / index_s);
    std::printf("icao selection bytes/s / cat bytes/s: %.2f (>= 1: no slower than reading the archive once)\n", name_bps / cat_bps);
    std::printf(
        "index build: %.0f MB/s of JSON (target >= 300); full pass: %.0f MB/s; indexed query: %.4f%% of the archive (target < 5%%); "
        "fr24api: %.0f MB/s (target >= 200)\n",
        json_bytes / 1e6 / build_s, full_pass_mbs, 100.0 * index_read / archive_bytes, api.size() / 1e6 / api_s);
    return (built && index_read * 20 < archive_bytes && api_points > 0) ? 0 : 1;
}
