// Loading one aircraft (by callsign) from a globe-history day archive, with and without its
// index (src/io/archive_index.hpp), in one run.
//
//   archive_index_bench [AIRCRAFT] [FIXES]      (defaults 3000 aircraft of 1500 fixes)
//
// The archive is generated at run time in a temporary directory (never committed): AIRCRAFT
// synthetic traces ('~' addresses, gzip members as the published archives hold them, callsigns
// SYN0..), written by GNU tar and split into 16 MB parts. Timed, best of 3 each:
//   full   - `--aircraft call:SYN42` without an index: every member is decompressed and parsed
//   name   - `--aircraft icao:~f0002a` without an index: libarchive skips other members by name
//   index  - `--aircraft call:SYN42` with the index: one member read with pread
// and once: building the index (`flightreplay index`'s work). The last line is full / index.
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <unistd.h>

#include "io/archive_index.hpp"
#include "io/loader.hpp"
#include "io/readsb_archive.hpp"

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
    const auto t0 = Clock::now();
    fr::io::PartSet set(parts);
    const auto ix = fr::io::build_index(set, parts[0].string());
    const double build_s = std::chrono::duration<double>(Clock::now() - t0).count();
    std::ofstream(index_dir / fr::io::index_key(set)) << fr::io::serialize_index(ix);

    const int pick = 42 % aircraft;
    std::size_t n_full = 0, n_name = 0, n_index = 0;
    fr::io::LoadOptions by_call;
    by_call.aircraft = {"call:SYN" + std::to_string(pick)};
    fr::io::LoadOptions by_name;
    by_name.aircraft = {"icao:" + hex_of(pick)};
    const double full_s = best_of_3([&] {
        auto o = by_call;
        o.index_dir = none;
        n_full = fr::io::load_trace_archive(parts[0], o).tracks.size();
    });
    const double name_s = best_of_3([&] {
        auto o = by_name;
        o.index_dir = none;
        n_name = fr::io::load_trace_archive(parts[0], o).tracks.size();
    });
    const double index_s = best_of_3([&] {
        auto o = by_call;
        o.index_dir = index_dir;
        n_index = fr::io::load_trace_archive(parts[0], o).tracks.size();
    });
    std::uint64_t member_bytes = 0;
    for (const auto& m : ix.members)
        if (m.icao == hex_of(pick)) member_bytes = m.size;
    fs::remove_all(dir);
    if (n_full != 1 || n_name != 1 || n_index != 1) {
        std::cerr << "selection failed: " << n_full << " / " << n_name << " / " << n_index << " track(s) (expected 1 each)\n";
        return 1;
    }
    std::printf("archive: %d aircraft x %d fixes, %.1f MB in %zu part(s), %.1f MB of JSON\n", aircraft, fixes, archive_bytes / 1e6, parts.size(),
                json_bytes / 1e6);
    std::printf("index build: %.3f s (%.0f MB/s of JSON)\n", build_s, json_bytes / 1e6 / build_s);
    std::printf("call:SYN%d without index (every member parsed): %.4f s\n", pick, full_s);
    std::printf("icao:%s without index (skip by name): %.4f s\n", hex_of(pick).c_str(), name_s);
    std::printf("call:SYN%d with index: %.4f s (%.4f%% of the archive read)\n", pick, index_s, 100.0 * member_bytes / archive_bytes);
    std::printf("full read / indexed read: %.1fx\n", full_s / index_s);
    return 0;
}
