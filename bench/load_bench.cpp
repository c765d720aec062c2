// Loader throughput and memory: FR24 CSV, readsb JSON, FR24 API flight-tracks JSON and SBS-1
// BaseStation lines, against GDAL's OGR CSV driver on the same CSV and against reading the file
// alone (`cat FILE >/dev/null`, in 1 MiB reads) as baselines. Inputs are generated at run time (large inputs are never committed) by
// repeating real recordings from ../shared/data with time offsets, into a temporary directory.
//
//   load_bench [--fr_size_mb=N] [google benchmark flags]     (or FR_BENCH_MB=N; default 200)
//
// Issue targets: FR24 CSV several hundred MB/s, readsb >= 300 MB/s, <= 48 bytes per point.
// MB here is 10^6 bytes. The summary (rates, bytes per point, ratio to GDAL) prints last.
#include <benchmark/benchmark.h>
#include <gdal.h>
#include <ogr_api.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "core/time.hpp"
#include "io/json_util.hpp"
#include "io/loader.hpp"

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
    struct Row { std::int64_t ts; std::string rest; };
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
        std::snprintf(when, sizeof when, "%.4s/%.2s/%.2s,%.8s.%03d", iso.c_str(), iso.c_str() + 5, iso.c_str() + 8,
                      iso.c_str() + 11, static_cast<int>(copy % 1000));
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
    state.counters["bytes_per_point"] =
        points ? static_cast<double>(capacity * sizeof(fr::TrackPoint)) / static_cast<double>(points) : 0.0;
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
    for (int i = 0; i < argc; ++i) {
        if (std::strncmp(argv[i], "--fr_size_mb=", 13) == 0)
            g_target_bytes = static_cast<std::size_t>(std::atof(argv[i] + 13) * 1e6);
        else
            args.push_back(argv[i]);
    }
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
    std::cout << "generated " << mb(g_csv.size()) << " MB FR24 CSV and " << mb(g_readsb.size()) << " MB readsb JSON in "
              << g_dir << "\n";

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
    std::printf("ratio SBS-1 load_file / cat: %.2f; SBS-1 load_file / FR24 CSV load_file: %.2f; FR24 API load_file / FR24 CSV load_file: %.2f\n",
                cat > 0 ? sbs_file / cat : 0.0, csv_file > 0 ? sbs_file / csv_file : 0.0, csv_file > 0 ? api_file / csv_file : 0.0);
    return 0;
}
