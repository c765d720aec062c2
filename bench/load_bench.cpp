// Loader throughput and memory: FR24 CSV, readsb JSON, FR24 API flight-tracks JSON and SBS-1
// BaseStation lines, against GDAL's OGR CSV driver on the same CSV and against reading the file
// alone (`cat FILE >/dev/null`, in 1 MiB reads) as baselines. Inputs are generated at run time (large inputs are never committed) by
// repeating real recordings from ../shared/data with time offsets, into a temporary directory.
//
//   load_bench [--fr_size_mb=N] [google benchmark flags]     (or FR_BENCH_MB=N; default 200)
//   load_bench --memory [--huge]    peak memory of `flightreplay info` per point, and the
//                                   streamed SBS-1 / jet1090 rate against a plain line split
//   load_bench --rates              the rates alone
//
// --memory: for each streamed format (SBS-1, jet1090, OpenSky CSV, FR24 CSV, fr24 playback CSV,
// the generic CSV with a --csv-columns mapping) and for a readsb globe-history day archive (a tar
// of gzip trace members of 2,000 fixes each) a file of 10^4, 10^5, 10^6 and 10^7 points (10^8
// with --huge: tens of GB of disk, never in CI) is written to $TMPDIR, `flightreplay info`
// (FR_BENCH_EXE=PATH: another build) runs on it, and its peak RSS (wait4) is divided by the
// points it accepted, whole and above the start-up (info on a 100-point file). A single readsb
// trace file (one JSON document, parsed whole) up to 10^7 points (10^8 with --huge).
// FR_BENCH_FORMATS="generic CSV,readsb archive" runs only those rows (and no rates).
// Then, at 10^6 points, SBS-1 and jet1090 load_file (read, decompress, parse while reading)
// against the whole-text parser on the file already in memory, and against reading the same
// file in the same blocks and splitting it into lines (memchr): CPU seconds, MB/s, ratios.
//
// Issue targets: FR24 CSV several hundred MB/s, readsb >= 300 MB/s, <= 48 bytes per point.
// MB here is 10^6 bytes. The summary (rates, bytes per point, ratio to GDAL) prints last.
#include <benchmark/benchmark.h>
#include <gdal.h>
#include <ogr_api.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/time.hpp"
#include "io/loader.hpp"
#include "io/text/json_util.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path shared_dir = fs::path(FR_SHARED_DATA) / "xoolive-traffic";

std::size_t g_target_bytes = 200'000'000;
fs::path g_dir;
fs::path g_csv_path, g_readsb_path;
std::string g_csv, g_readsb;  // file contents (for the in-memory parse benchmarks)
fs::path g_fr24api_path, g_sbs_path;
std::string g_fr24api, g_sbs;

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + p.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return std::move(ss).str();
}

/// FR24 CSV: the JL516 export repeated back to back, each copy shifted after the previous one
/// (start moved to 1991 so that even ~600 MB stays before 2100, where the loader stops).
std::string make_fr24_csv(std::size_t target) {
    const std::string src = read_file(shared_dir / "fr24_csv/JL516_3376ab31.csv");
    std::istringstream in(src);
    std::string header, line;
    std::getline(in, header);
    struct Row {
        std::int64_t ts;
        std::string rest;
    };
    std::vector<Row> rows;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const auto c1 = line.find(',');
        const auto c2 = line.find(',', c1 + 1);
        if (c1 == std::string::npos || c2 == std::string::npos) continue;
        rows.push_back({std::stoll(line.substr(0, c1)), line.substr(c2)});  // rest starts with ','
    }
    const std::int64_t span = rows.back().ts - rows.front().ts + 60;
    std::int64_t shift = 662688000 - rows.front().ts;  // 1991-01-01
    std::string out = header + "\n";
    out.reserve(target + 4096);
    while (out.size() < target) {
        for (const auto& r : rows) {
            const std::int64_t ts = r.ts + shift;
            out += std::to_string(ts);
            out += ',';
            out += fr::format_iso8601(fr::from_unix_seconds(static_cast<double>(ts)));
            out += r.rest;
            out += '\n';
        }
        shift += span;
    }
    return out;
}

/// readsb trace: the ac671b rows repeated, each copy's offsets shifted after the previous one.
std::string make_readsb(std::size_t target) {
    const std::string src = read_file(shared_dir / "readsb/trace_full_ac671b.json");
    const auto trace = src.find("\"trace\":[");
    const std::string head = src.substr(0, trace) + "\"trace\":[\n";
    std::vector<std::pair<double, std::string>> rows;  // offset, rest of row after the first ','
    std::size_t pos = trace + 9;
    while (true) {
        const auto start = src.find("\n    [", pos);
        if (start == std::string::npos) break;
        const auto end = src.find('\n', start + 1);
        std::string row = src.substr(start + 5, end - start - 5);
        // The last row ends "...] ]" (the row, then the trace array): drop unmatched closers.
        auto count = [&](char c) { return std::count(row.begin(), row.end(), c); };
        while (!row.empty() && (row.back() == ',' || row.back() == '\r' || row.back() == ' ' || row.back() == '}' ||
                                (row.back() == ']' && count(']') > count('['))))
            row.pop_back();
        const auto comma = row.find(',');
        rows.emplace_back(std::stod(row.substr(1, comma - 1)), row.substr(comma));
        pos = end;
    }
    const double span = rows.back().first - rows.front().first + 60;
    std::string out = head;
    out.reserve(target + 4096);
    double shift = 0;
    bool first = true;
    char buf[32];
    while (out.size() < target) {
        for (const auto& [dt, rest] : rows) {
            if (!first) out += ",\n";
            first = false;
            std::snprintf(buf, sizeof buf, "[%.2f", dt + shift);
            out += buf;
            out += rest;
        }
        shift += span;
    }
    out += "\n]}\n";
    return out;
}

/// The JL516 fixes (from the FR24 CSV export) repeated a flight length apart, written by
/// `emit(point, shifted time, copy number)` until `target` bytes.
template <class Emit>
void repeat_jl516(std::size_t target, std::string& out, Emit emit) {
    const auto ref = fr::io::load_file(shared_dir / "fr24_csv/JL516_3376ab31.csv").tracks.at(0);
    const auto span = ref.points.back().time() - ref.points.front().time() + std::chrono::minutes{1};
    auto shift = fr::from_unix_seconds(662688000.0) - ref.points.front().time();  // 1991-01-01
    for (std::size_t copy = 0; out.size() < target; ++copy, shift += span)
        for (const auto& p : ref.points) emit(p, p.time() + shift, copy);
}

/// FR24 API flight-tracks: one leg per copy of JL516.
std::string make_fr24api(std::size_t target) {
    std::string out = "[";
    out.reserve(target + 4096);
    std::size_t last_copy = SIZE_MAX;
    char buf[400];
    repeat_jl516(target, out, [&](const fr::TrackPoint& p, fr::TimePoint t, std::size_t copy) {
        if (copy != last_copy) {
            if (last_copy != SIZE_MAX) out += "\n]},";
            std::snprintf(buf, sizeof buf, "\n{\"fr24_id\": \"%08zx\", \"tracks\": [", copy);
            out += buf;
        } else {
            out += ',';
        }
        last_copy = copy;
        std::snprintf(buf, sizeof buf,
                      "\n {\"timestamp\": \"%s\", \"lat\": %.5f, \"lon\": %.5f, \"alt\": %.0f, \"gspeed\": %.0f, "
                      "\"vspeed\": 0, \"track\": %.0f, \"squawk\": \"2211\", \"callsign\": \"JAL516\", \"source\": \"ADSB\"}",
                      fr::format_iso8601(t).c_str(), p.lat_deg(), p.lon_deg(), p.altitude() ? p.altitude()->m() / 0.3048 : 0.0,
                      p.ground_speed() ? p.ground_speed()->kt() : 0.0, p.track() ? p.track()->deg() : 0.0);
        out += buf;
    });
    out += "\n]}]\n";
    return out;
}

/// SBS-1: per fix an MSG,4 (velocity) and an MSG,3 (position), as dump1090 writes them; four
/// aircraft (copies of JL516 under four hex idents) interleaved line by line.
std::string make_sbs(std::size_t target) {
    std::string out;
    out.reserve(target + 4096);
    char buf[400];
    static const char* const hex[] = {"8467D8", "4CA7B4", "3C66B0", "A1B2C3"};
    repeat_jl516(target, out, [&](const fr::TrackPoint& p, fr::TimePoint t, std::size_t copy) {
        const auto iso = fr::format_iso8601(t);  // YYYY-MM-DDTHH:MM:SSZ
        char when[40];
        std::snprintf(when, sizeof when, "%.4s/%.2s/%.2s,%.8s.%03d", iso.c_str(), iso.c_str() + 5, iso.c_str() + 8, iso.c_str() + 11,
                      static_cast<int>(copy % 1000));
        const char* h = hex[copy % 4];
        std::snprintf(buf, sizeof buf, "MSG,4,1,1,%s,1,%s,%s,,,%.0f,%.1f,,,0,,,,,0\n", h, when, when,
                      p.ground_speed() ? p.ground_speed()->kt() : 0.0, p.track() ? p.track()->deg() : 0.0);
        out += buf;
        std::snprintf(buf, sizeof buf, "MSG,3,1,1,%s,1,%s,%s,,%.0f,,,%.5f,%.5f,,,0,,0,0\n", h, when, when,
                      p.altitude() ? p.altitude()->m() / 0.3048 : 0.0, p.lat_deg(), p.lon_deg());
        out += buf;
    });
    return out;
}

void write_file(const fs::path& p, const std::string& s) {
    std::ofstream out(p, std::ios::binary);
    out << s;
    if (!out) throw std::runtime_error("cannot write " + p.string());
}

double mb(std::size_t bytes) { return static_cast<double>(bytes) / 1e6; }

void add_point_counters(benchmark::State& state, const fr::io::LoadResult& r) {
    std::size_t points = 0, capacity = 0;
    for (const auto& t : r.tracks) {
        points += t.points.size();
        capacity += t.points.capacity();
    }
    state.counters["points"] = static_cast<double>(points);
    state.counters["bytes_per_point"] = points ? static_cast<double>(capacity * sizeof(fr::TrackPoint)) / static_cast<double>(points) : 0.0;
    state.counters["diagnostics"] = static_cast<double>(r.diagnostics.size());
}

void BM_fr24_csv_parse(benchmark::State& state) {
    fr::io::LoadResult r;
    for (auto _ : state) {
        r = fr::io::detail::load_fr24_csv(g_csv_path.string(), g_csv);
        benchmark::DoNotOptimize(r.tracks.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * g_csv.size()));
    add_point_counters(state, r);
}

void BM_fr24_csv_load_file(benchmark::State& state) {  // file read + detection + parse
    fr::io::LoadResult r;
    for (auto _ : state) {
        r = fr::io::load_file(g_csv_path);
        benchmark::DoNotOptimize(r.tracks.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * g_csv.size()));
    add_point_counters(state, r);
}

void BM_gdal_ogr_csv(benchmark::State& state) {  // baseline: GDAL reads the same CSV, all fields
    std::size_t features = 0;
    for (auto _ : state) {
        const char* drivers[] = {"CSV", nullptr};
        GDALDatasetH ds = GDALOpenEx(g_csv_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr);
        if (!ds) {
            state.SkipWithError("GDAL cannot open the CSV");
            return;
        }
        OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
        const int nfields = OGR_FD_GetFieldCount(OGR_L_GetLayerDefn(layer));
        double sum = 0;
        features = 0;
        OGRFeatureH f;
        while ((f = OGR_L_GetNextFeature(layer)) != nullptr) {
            // Touch every field the way a loader would: numbers as numbers, Position as text.
            for (int i = 0; i < nfields; ++i) {
                const char* s = OGR_F_GetFieldAsString(f, i);
                sum += static_cast<double>(s[0]);
            }
            sum += OGR_F_GetFieldAsDouble(f, 4);
            OGR_F_Destroy(f);
            ++features;
        }
        GDALClose(ds);
        benchmark::DoNotOptimize(sum);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * g_csv.size()));
    state.counters["features"] = static_cast<double>(features);
}

void BM_readsb_parse(benchmark::State& state) {
    fr::io::LoadResult r;
    for (auto _ : state) {
        r = fr::io::detail::load_readsb(g_readsb_path.string(), g_readsb);
        benchmark::DoNotOptimize(r.tracks.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * g_readsb.size()));
    add_point_counters(state, r);
}

void BM_readsb_validate(benchmark::State& state) {  // the syntax pass alone (part of readsb/parse)
    bool ok = false;
    for (auto _ : state) {
        ok = fr::io::detail::json_syntax_ok(g_readsb);
        benchmark::DoNotOptimize(ok);
    }
    if (!ok) state.SkipWithError("generated readsb JSON does not validate");
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * g_readsb.size()));
}

void BM_fr24api_parse(benchmark::State& state) {
    fr::io::LoadResult r;
    for (auto _ : state) {
        r = fr::io::detail::load_fr24api_tracks(g_fr24api_path.string(), g_fr24api);
        benchmark::DoNotOptimize(r.tracks.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * g_fr24api.size()));
    add_point_counters(state, r);
}

void BM_fr24api_load_file(benchmark::State& state) {
    fr::io::LoadResult r;
    for (auto _ : state) {
        r = fr::io::load_file(g_fr24api_path);
        benchmark::DoNotOptimize(r.tracks.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * g_fr24api.size()));
    add_point_counters(state, r);
}

void BM_sbs_parse(benchmark::State& state) {
    fr::io::LoadResult r;
    for (auto _ : state) {
        r = fr::io::detail::load_sbs(g_sbs_path.string(), g_sbs);
        benchmark::DoNotOptimize(r.tracks.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * g_sbs.size()));
    add_point_counters(state, r);
}

void BM_sbs_load_file(benchmark::State& state) {  // streamed in 4 MiB blocks
    fr::io::LoadResult r;
    for (auto _ : state) {
        r = fr::io::load_file(g_sbs_path);
        benchmark::DoNotOptimize(r.tracks.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * g_sbs.size()));
    add_point_counters(state, r);
}

void BM_cat(benchmark::State& state) {  // baseline: `cat FILE >/dev/null` (1 MiB reads)
    std::vector<char> buf(1 << 20);
    std::size_t total = 0;
    for (auto _ : state) {
        std::FILE* f = std::fopen(g_sbs_path.c_str(), "rb");
        if (!f) {
            state.SkipWithError("cannot open");
            return;
        }
        total = 0;
        std::size_t n;
        while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) total += n;
        std::fclose(f);
        benchmark::DoNotOptimize(total);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * g_sbs.size()));
}

// ---- --memory: peak RSS per point of `flightreplay info`, streamed parse rate ----

struct StreamFormat {
    const char* name;
    const char* ext;
    const char* header;  // first line, or nullptr
    /// Writes point i's line(s) into buf; returns the length.
    int (*line)(char* buf, std::size_t size, std::int64_t i);
};

/// Point i: one a second from 2023-11-14, a zig-zag over 40 degrees of longitude (about 160 m/s:
/// nothing the loaders or the analysis reject).
void synthetic_fix(std::int64_t i, double& lat, double& lon, std::int64_t& ts) {
    const double t = std::fmod(static_cast<double>(i) * 0.002, 80.0);
    lon = t < 40 ? t - 20 : 60 - t;
    lat = 45 + 5 * std::sin(static_cast<double>(i) * 1e-4);
    ts = 1700000000 + i;
}

int sbs_line(char* b, std::size_t n, std::int64_t i) {
    double lat, lon;
    std::int64_t ts;
    synthetic_fix(i, lat, lon, ts);
    const std::time_t tt = static_cast<std::time_t>(ts);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char d[16], t[24];
    std::strftime(d, sizeof d, "%Y/%m/%d", &tm);
    std::snprintf(t, sizeof t, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(i % 1000));
    return std::snprintf(b, n, "MSG,3,1,1,4CA7B4,1,%s,%s,%s,%s,,35000,,,%.5f,%.5f,,,0,,0,0\n", d, t, d, t, lat, lon);
}
int jet1090_line(char* b, std::size_t n, std::int64_t i) {
    double lat, lon;
    std::int64_t ts;
    synthetic_fix(i, lat, lon, ts);
    return std::snprintf(
        b, n,
        "{\"timestamp\": %lld.147975, \"frame\": \"8d4ca7b4580f9648a8e2f5c1a3f0\", \"df\": \"17\", \"icao24\": \"4ca7b4\", "
        "\"bds\": \"05\", \"NUCp\": 7, \"altitude\": 35000, \"latitude\": %.5f, \"longitude\": %.5f}\n",
        static_cast<long long>(ts), lat, lon);
}
int opensky_line(char* b, std::size_t n, std::int64_t i) {
    double lat, lon;
    std::int64_t ts;
    synthetic_fix(i, lat, lon, ts);
    return std::snprintf(b, n, "%lld,3c66b0,%.5f,%.5f,231.5,%d.0,0.0,DLH400  ,False,False,False,1000,10668.0,10900.5,%lld.5,%lld.9\n",
                         static_cast<long long>(ts), lat, lon, static_cast<int>(i % 360), static_cast<long long>(ts - 1),
                         static_cast<long long>(ts));
}
int fr24_line(char* b, std::size_t n, std::int64_t i) {
    double lat, lon;
    std::int64_t ts;
    synthetic_fix(i, lat, lon, ts);
    return std::snprintf(b, n, "%lld,%s,JAL516,\"%.6f,%.6f\",35000,450,%d\n", static_cast<long long>(ts),
                         fr::format_iso8601(fr::from_unix_seconds(static_cast<double>(ts))).c_str(), lat, lon, static_cast<int>(i % 360));
}
int playback_line(char* b, std::size_t n, std::int64_t i) {
    double lat, lon;
    std::int64_t ts;
    synthetic_fix(i, lat, lon, ts);
    return std::snprintf(b, n, "%lld,%.5f,%.5f,35000,450,0,%d,2211\n", static_cast<long long>(ts), lat, lon, static_cast<int>(i % 360));
}
/// The generic CSV (`--format csv` with generic_csv_columns below): milliseconds, feet, knots.
int generic_line(char* b, std::size_t n, std::int64_t i) {
    double lat, lon;
    std::int64_t ts;
    synthetic_fix(i, lat, lon, ts);
    return std::snprintf(b, n, "%lld000,4ca7b4,RYR1AB,%.5f,%.5f,35000,450.0,%d\n", static_cast<long long>(ts), lat, lon,
                         static_cast<int>(i % 360));
}
constexpr const char* generic_csv_columns = "time=ts:epoch_ms,icao24=hex,callsign=cs,lat=lat,lon=lon,alt=alt_ft:ft,speed=gs:kt,track=trk";

const StreamFormat stream_formats[] = {
    {"SBS-1", "sbs", nullptr, sbs_line},
    {"jet1090", "jsonl", nullptr, jet1090_line},
    {"OpenSky CSV", "csv",
     "time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,alert,spi,squawk,baroaltitude,geoaltitude,lastposupdate,lastcontact",
     opensky_line},
    {"FR24 CSV", "csv", "Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction", fr24_line},
    {"fr24 playback", "csv", "timestamp,latitude,longitude,altitude,ground_speed,vertical_speed,track,squawk", playback_line},
    {"generic CSV", "csv", "ts,hex,cs,lat,lon,alt_ft,gs,trk", generic_line},
};

/// Row k of a readsb trace (14 elements, as readsb writes them since 2022), fix k of the
/// synthetic path: k seconds after the trace's base time.
int readsb_row(char* b, std::size_t n, std::int64_t k, bool first) {
    double lat, lon;
    std::int64_t ts;
    synthetic_fix(k, lat, lon, ts);
    return std::snprintf(b, n, "%s[%lld,%.5f,%.5f,35000,450.0,%d.0,0,0,%s,\"adsb_icao\",35100,0,null,null]", first ? "" : ",\n",
                         static_cast<long long>(k), lat, lon, static_cast<int>(k % 360), first ? "{\"flight\":\"SYN1    \"}" : "null");
}

/// One readsb trace of `points` fixes of aircraft `hex`.
std::string readsb_trace(const std::string& hex, std::int64_t points) {
    std::string s = "{\"icao\":\"" + hex + "\",\"r\":\"SYN-1\",\"t\":\"A320\",\"timestamp\":1700000000,\"trace\":[\n";
    char row[256];
    for (std::int64_t k = 0; k < points; ++k) s.append(row, static_cast<std::size_t>(readsb_row(row, sizeof row, k, k == 0)));
    s += "\n]}\n";
    return s;
}

/// One gzip member of `text` (what the day archives hold in each trace member); level 1.
std::string gzip_text(const std::string& text) {
    z_stream zs{};
    if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("zlib");
    std::string out(deflateBound(&zs, text.size()) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    zs.avail_in = static_cast<uInt>(text.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("zlib");
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

/// Appends a ustar member `name` holding `data` to `out` (512-byte header, data padded to 512).
void tar_member(std::FILE* out, const std::string& name, const std::string& data) {
    char h[512] = {};
    std::snprintf(h, 100, "%s", name.c_str());
    std::snprintf(h + 100, 8, "%07o", 0644);
    std::snprintf(h + 108, 8, "%07o", 0);
    std::snprintf(h + 116, 8, "%07o", 0);
    std::snprintf(h + 124, 12, "%011llo", static_cast<unsigned long long>(data.size()));
    std::snprintf(h + 136, 12, "%011llo", 1700000000ULL);
    h[156] = '0';
    std::memcpy(h + 257, "ustar", 6);
    std::memcpy(h + 263, "00", 2);
    std::memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : h) sum += c;
    std::snprintf(h + 148, 8, "%06o", sum);
    h[155] = ' ';
    std::fwrite(h, 1, 512, out);
    std::fwrite(data.data(), 1, data.size(), out);
    static const char zeros[512] = {};
    std::fwrite(zeros, 1, (512 - data.size() % 512) % 512, out);
}

/// Points per trace in the generated day archives (a long-haul day at a fix every 10-20 s).
constexpr std::int64_t archive_trace_points = 2000;

/// A globe-history day archive of `points` fixes: traces of archive_trace_points fixes each
/// (the last shorter), gzip members traces/<xx>/trace_full_~<hex>.json. Returns the bytes.
std::uint64_t write_readsb_archive(const fs::path& path, std::int64_t points) {
    std::FILE* out = std::fopen(path.c_str(), "wb");
    if (!out) throw std::runtime_error("cannot write " + path.string());
    int i = 0;
    for (std::int64_t done = 0; done < points; done += archive_trace_points, ++i) {
        char hex[16];
        std::snprintf(hex, sizeof hex, "~f%05x", i);
        const std::string h(hex);
        tar_member(out, "traces/" + h.substr(h.size() - 2) + "/trace_full_" + h + ".json",
                   gzip_text(readsb_trace(h, std::min(archive_trace_points, points - done))));
    }
    static const char zeros[1024] = {};
    std::fwrite(zeros, 1, sizeof zeros, out);
    const long bytes = std::ftell(out);
    if (std::fclose(out) != 0) throw std::runtime_error("cannot write " + path.string());
    return static_cast<std::uint64_t>(bytes);
}

/// A single readsb trace file (one JSON document) of `points` fixes.
std::uint64_t write_readsb_file(const fs::path& path, std::int64_t points) {
    const std::string text = readsb_trace("4ca7b4", points);
    std::ofstream(path, std::ios::binary) << text;
    return text.size();
}

/// Writes `points` points of `f` to `path`; returns the bytes written.
std::uint64_t write_stream_file(const fs::path& path, const StreamFormat& f, std::int64_t points) {
    std::FILE* out = std::fopen(path.c_str(), "wb");
    if (!out) throw std::runtime_error("cannot write " + path.string());
    std::vector<char> obuf(std::size_t{1} << 20);
    std::setvbuf(out, obuf.data(), _IOFBF, obuf.size());
    std::uint64_t bytes = 0;
    if (f.header) bytes += static_cast<std::uint64_t>(std::fprintf(out, "%s\n", f.header));
    char line[512];
    for (std::int64_t i = 0; i < points; ++i) {
        const int n = f.line(line, sizeof line, i);
        std::fwrite(line, 1, static_cast<std::size_t>(n), out);
        bytes += static_cast<std::uint64_t>(n);
    }
    if (std::fclose(out) != 0) throw std::runtime_error("cannot write " + path.string());
    return bytes;
}

/// Runs `flightreplay info FILE` (output discarded); its peak RSS in bytes, or 0 on failure.
std::uint64_t info_peak_rss(const fs::path& file, const std::vector<std::string>& extra = {}) {
    // FR_BENCH_EXE: another build of flightreplay (e.g. an older commit, for before/after).
    const char* exe = std::getenv("FR_BENCH_EXE") ? std::getenv("FR_BENCH_EXE") : FR_EXE;
    std::fflush(stdout);  // or the child's freopen writes our buffered lines again
    const pid_t pid = ::fork();
    if (pid < 0) return 0;
    if (pid == 0) {
        std::freopen("/dev/null", "w", stdout);
        std::freopen("/dev/null", "w", stderr);
        std::vector<char*> argv{const_cast<char*>(exe), const_cast<char*>("info")};
        for (const auto& a : extra) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(const_cast<char*>(file.c_str()));
        argv.push_back(nullptr);
        ::execv(exe, argv.data());
        ::_exit(127);
    }
    int status = 0;
    rusage ru{};
    if (::wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return 0;
    return static_cast<std::uint64_t>(ru.ru_maxrss) * 1024;  // KiB on Linux
}

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

/// The baseline for the streamed loaders: the same file read in the same 4 MiB blocks, lines
/// found with memchr and counted (no parsing). CPU seconds.
double line_split_seconds(const fs::path& file, std::size_t& lines) {
    const double t0 = cpu_seconds();
    std::FILE* in = std::fopen(file.c_str(), "rb");
    if (!in) return 0;
    std::vector<char> buf(std::size_t{4} << 20);
    lines = 0;
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), in)) > 0) {
        const char* p = buf.data();
        const char* const e = p + n;
        while (const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(e - p))) {
            ++lines;
            p = static_cast<const char*>(nl) + 1;
        }
    }
    std::fclose(in);
    return cpu_seconds() - t0;
}

int run_memory(bool huge, bool rates_only) {
    const fs::path dir = fs::temp_directory_path() / ("fr_load_bench_mem_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    double load[3] = {0, 0, 0};
    if (std::FILE* la = std::fopen("/proc/loadavg", "r")) {
        if (std::fscanf(la, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3) load[0] = -1;
        std::fclose(la);
    }
    std::printf("peak RSS of `flightreplay info FILE` per accepted point (%s; load average %.1f %.1f %.1f on %ld cores)\n",
                std::getenv("FR_BENCH_EXE") ? std::getenv("FR_BENCH_EXE") : FR_EXE, load[0], load[1], load[2],
                ::sysconf(_SC_NPROCESSORS_ONLN));
    std::printf("%-14s %11s %12s %12s %10s %14s\n", "format", "points", "file MB", "peak MiB", "B/pt", "B/pt above 0");
    std::vector<std::int64_t> sizes = {10'000, 100'000, 1'000'000, 10'000'000};
    if (huge) sizes.push_back(100'000'000);
    if (rates_only) sizes.clear();
    // FR_BENCH_FORMATS=name,name: only these rows (names as printed, e.g. "generic CSV").
    const std::string only = std::getenv("FR_BENCH_FORMATS") ? std::getenv("FR_BENCH_FORMATS") : "";
    struct Case {
        std::string name, ext;
        std::function<std::uint64_t(const fs::path&, std::int64_t)> write;
        std::vector<std::string> args;  // before the file on `info`'s command line
        std::int64_t max_points;        // larger sizes only with --huge
    };
    std::vector<Case> cases;
    for (const auto& f : stream_formats) {
        Case c{f.name, f.ext, [&f](const fs::path& p, std::int64_t n) { return write_stream_file(p, f, n); }, {}, INT64_MAX};
        if (std::strcmp(f.name, "generic CSV") == 0) c.args = {"--format", "csv", "--csv-columns", generic_csv_columns};
        cases.push_back(std::move(c));
    }
    cases.push_back({"readsb archive", "tar", write_readsb_archive, {}, INT64_MAX});
    // One JSON document, parsed whole where it was read: its text and the points are resident
    // (about 1.3 GB at 10^7 points; 10^8 only with --huge).
    cases.push_back({"readsb file", "json", write_readsb_file, {}, huge ? INT64_MAX : 10'000'000});
    for (const auto& f : cases) {
        if (sizes.empty()) break;
        if (!only.empty() && ("," + only + ",").find("," + f.name + ",") == std::string::npos) continue;
        const fs::path small = dir / ("small." + f.ext);
        f.write(small, 100);
        const std::uint64_t base = info_peak_rss(small, f.args);
        fs::remove(small);
        for (const std::int64_t n : sizes) {
            if (n > f.max_points) continue;
            const fs::path p = dir / ("points." + f.ext);
            const std::uint64_t bytes = f.write(p, n);
            const std::uint64_t peak = info_peak_rss(p, f.args);
            fs::remove(p);
            if (peak == 0) {
                std::printf("%-14s %11lld  flightreplay info failed\n", f.name.c_str(), static_cast<long long>(n));
                continue;
            }
            std::printf("%-14s %11lld %12.1f %12.1f %10.1f %14.1f\n", f.name.c_str(), static_cast<long long>(n), mb(bytes),
                        static_cast<double>(peak) / 1048576.0, static_cast<double>(peak) / static_cast<double>(n),
                        (static_cast<double>(peak) - static_cast<double>(base)) / static_cast<double>(n));
            std::fflush(stdout);
        }
    }
    std::printf("(\"above 0\": minus the peak of info on a 100-point file of the format: libraries, airport table, buffers)\n\n");
    std::printf("streamed parse rate at 10^6 points (CPU seconds; MB = 1e6 bytes)\n");
    for (const auto& f : stream_formats) {
        if (std::strcmp(f.ext, "csv") == 0) continue;  // SBS-1 and jet1090
        if (!only.empty()) break;                      // FR_BENCH_FORMATS: the chosen memory rows alone
        const fs::path p = dir / (std::string("rate.") + f.ext);
        const std::uint64_t bytes = write_stream_file(p, f, 1'000'000);
        std::size_t lines = 0, points = 0;
        double split = 1e300, parse = 1e300, whole = 1e300;
        const std::string text = read_file(p);
        const bool is_sbs = std::strcmp(f.ext, "sbs") == 0;
        for (int rep = 0; rep < 3; ++rep) {  // best of three: the machine is shared
            split = std::min(split, line_split_seconds(p, lines));
            double t0 = cpu_seconds();
            const auto r = fr::io::load_file(p);
            parse = std::min(parse, cpu_seconds() - t0);
            points = 0;
            for (const auto& t : r.tracks) points += t.points.size();
            t0 = cpu_seconds();
            const auto w = is_sbs ? fr::io::detail::load_sbs(p.string(), text) : fr::io::detail::load_jet1090(p.string(), text);
            whole = std::min(whole, cpu_seconds() - t0);
            benchmark::DoNotOptimize(w.tracks.data());
        }
        fs::remove(p);
        std::printf(
            "  %-8s load_file (streamed) %7.1f MB/s | whole-text parse, file in memory %7.1f MB/s (ratio %.2f) | "
            "line split %8.1f MB/s (ratio %.3f)   %zu lines, %zu points, %.1f MB\n",
            f.name, mb(bytes) / parse, mb(bytes) / whole, whole / parse, mb(bytes) / split, split / parse, lines, points, mb(bytes));
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    return 0;
}

/// Console output as usual, plus the per-iteration times kept for the summary.
class SummaryReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const auto& r : runs) {
            if (r.error_occurred || r.run_type != Run::RT_Iteration) continue;
            // Key by the name as registered: benchmark_name() appends "/iterations:N".
            Result& res = results[r.run_name.function_name];
            // CPU time: on a shared 2-core machine wall time mostly measures the neighbours.
            res.seconds = r.GetAdjustedCPUTime() / benchmark::GetTimeUnitMultiplier(r.time_unit);
            for (const auto& [k, c] : r.counters) res.counters[k] = c.value;
        }
    }
    struct Result {
        double seconds = 0;
        std::map<std::string, double> counters;
    };
    std::map<std::string, Result> results;
};

}  // namespace

int main(int argc, char** argv) {
    if (const char* env = std::getenv("FR_BENCH_MB")) g_target_bytes = static_cast<std::size_t>(std::atof(env) * 1e6);
    std::vector<char*> args;
    bool memory = false, huge = false, rates = false;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--memory") == 0)
            memory = true;
        else if (std::strcmp(argv[i], "--huge") == 0)
            huge = true;
        else if (std::strcmp(argv[i], "--rates") == 0)
            rates = true;
        else if (std::strncmp(argv[i], "--fr_size_mb=", 13) == 0)
            g_target_bytes = static_cast<std::size_t>(std::atof(argv[i] + 13) * 1e6);
        else
            args.push_back(argv[i]);
    }
    if (memory || huge || rates) return run_memory(huge, rates && !memory && !huge);
    int nargs = static_cast<int>(args.size());
    benchmark::Initialize(&nargs, args.data());
    if (!fs::exists(shared_dir)) {
        std::cerr << "load_bench: " << shared_dir << " not found (the benchmark repeats real recordings from it)\n";
        return 2;
    }
    GDALAllRegister();
    g_dir = fs::temp_directory_path() / ("fr_load_bench_" + std::to_string(::getpid()));
    fs::create_directories(g_dir);
    g_csv_path = g_dir / "fr24_big.csv";
    g_readsb_path = g_dir / "trace_full_big.json";
    g_csv = make_fr24_csv(g_target_bytes);
    g_readsb = make_readsb(g_target_bytes);
    write_file(g_csv_path, g_csv);
    write_file(g_readsb_path, g_readsb);
    g_fr24api_path = g_dir / "fr24api_tracks_big.json";
    g_sbs_path = g_dir / "basestation_big.sbs";
    g_fr24api = make_fr24api(g_target_bytes);
    g_sbs = make_sbs(g_target_bytes);
    write_file(g_fr24api_path, g_fr24api);
    write_file(g_sbs_path, g_sbs);
    std::cout << "generated " << mb(g_csv.size()) << " MB FR24 CSV and " << mb(g_readsb.size()) << " MB readsb JSON in " << g_dir << "\n";

    benchmark::RegisterBenchmark("fr24_csv/parse", BM_fr24_csv_parse)->Unit(benchmark::kMillisecond)->Iterations(3);
    benchmark::RegisterBenchmark("fr24_csv/load_file", BM_fr24_csv_load_file)->Unit(benchmark::kMillisecond)->Iterations(2);
    benchmark::RegisterBenchmark("gdal_ogr_csv/same_file", BM_gdal_ogr_csv)->Unit(benchmark::kMillisecond)->Iterations(2);
    benchmark::RegisterBenchmark("readsb/parse", BM_readsb_parse)->Unit(benchmark::kMillisecond)->Iterations(3);
    benchmark::RegisterBenchmark("readsb/validate", BM_readsb_validate)->Unit(benchmark::kMillisecond)->Iterations(5);
    benchmark::RegisterBenchmark("fr24api/parse", BM_fr24api_parse)->Unit(benchmark::kMillisecond)->Iterations(3);
    benchmark::RegisterBenchmark("fr24api/load_file", BM_fr24api_load_file)->Unit(benchmark::kMillisecond)->Iterations(2);
    benchmark::RegisterBenchmark("sbs/parse", BM_sbs_parse)->Unit(benchmark::kMillisecond)->Iterations(3);
    benchmark::RegisterBenchmark("sbs/load_file", BM_sbs_load_file)->Unit(benchmark::kMillisecond)->Iterations(3);
    benchmark::RegisterBenchmark("cat/sbs_file", BM_cat)->Unit(benchmark::kMillisecond)->Iterations(3);
    SummaryReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    std::error_code ec;
    fs::remove_all(g_dir, ec);

    auto rate = [&](const std::string& name, std::size_t bytes) {
        const auto it = reporter.results.find(name);
        return it == reporter.results.end() || it->second.seconds <= 0 ? 0.0 : mb(bytes) / it->second.seconds;
    };
    auto counter = [&](const std::string& name, const std::string& c) {
        const auto it = reporter.results.find(name);
        return it == reporter.results.end() ? 0.0 : it->second.counters[c];
    };
    const double csv_parse = rate("fr24_csv/parse", g_csv.size());
    const double csv_file = rate("fr24_csv/load_file", g_csv.size());
    const double gdal = rate("gdal_ogr_csv/same_file", g_csv.size());
    const double readsb = rate("readsb/parse", g_readsb.size());
    const double readsb_validate = rate("readsb/validate", g_readsb.size());
    std::printf("\nsummary (MB = 1e6 bytes per CPU second; sizeof(TrackPoint) = %zu bytes)\n", sizeof(fr::TrackPoint));
    std::printf("  FR24 CSV  parse in memory   %8.1f MB/s  %.0f points  %.1f bytes/point (target: several hundred MB/s, <= 48 B)\n",
                csv_parse, counter("fr24_csv/parse", "points"), counter("fr24_csv/parse", "bytes_per_point"));
    std::printf("  FR24 CSV  load_file         %8.1f MB/s\n", csv_file);
    std::printf("  GDAL OGR CSV, same file     %8.1f MB/s  %.0f features\n", gdal, counter("gdal_ogr_csv/same_file", "features"));
    std::printf("  readsb    parse in memory   %8.1f MB/s  %.0f points  %.1f bytes/point (target: >= 300 MB/s)\n", readsb,
                counter("readsb/parse", "points"), counter("readsb/parse", "bytes_per_point"));
    std::printf("  readsb    syntax pass alone %8.1f MB/s  (json_syntax_ok, included in the line above)\n", readsb_validate);
    std::printf("ratio FR24 CSV load_file / GDAL OGR CSV: %.1fx\n", gdal > 0 ? csv_file / gdal : 0.0);
    const double api = rate("fr24api/parse", g_fr24api.size());
    const double api_file = rate("fr24api/load_file", g_fr24api.size());
    const double sbs = rate("sbs/parse", g_sbs.size());
    const double sbs_file = rate("sbs/load_file", g_sbs.size());
    const double cat = rate("cat/sbs_file", g_sbs.size());
    std::printf("  FR24 API  parse in memory   %8.1f MB/s  %.0f points  %.1f bytes/point (target: >= 200 MB/s)\n", api,
                counter("fr24api/parse", "points"), counter("fr24api/parse", "bytes_per_point"));
    std::printf("  FR24 API  load_file         %8.1f MB/s\n", api_file);
    std::printf("  SBS-1     parse in memory   %8.1f MB/s  %.0f points  %.1f bytes/point (target: >= 200 MB/s)\n", sbs,
                counter("sbs/parse", "points"), counter("sbs/parse", "bytes_per_point"));
    std::printf("  SBS-1     load_file (streamed) %5.1f MB/s\n", sbs_file);
    std::printf("  cat FILE >/dev/null (SBS file) %5.1f MB/s\n", cat);
    std::printf(
        "ratio SBS-1 load_file / cat: %.2f; SBS-1 load_file / FR24 CSV load_file: %.2f; FR24 API load_file / FR24 CSV load_file: %.2f\n",
        cat > 0 ? sbs_file / cat : 0.0, csv_file > 0 ? sbs_file / csv_file : 0.0, csv_file > 0 ? api_file / csv_file : 0.0);
    return 0;
}
