#include "app/pipeline.hpp"

#include <algorithm>
#include <future>
#include <cctype>
#include <unordered_set>

#include "core/error.hpp"
#include "io/assets.hpp"

namespace fr::app {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool matches(const AircraftId& id, const std::vector<std::string>& wanted) {
    if (wanted.empty()) return true;
    for (const auto& w : wanted) {
        const auto lw = lower(w);
        if (lw == lower(id.icao24) || lw == lower(id.registration) || lw == lower(id.callsign)) return true;
    }
    return false;
}

}  // namespace

const io::AirportTable& bundled_airports() {
    static const io::AirportTable table = io::AirportTable::load(io::asset_path("airports/airports.csv"));
    return table;
}

LoadedData load_and_analyse(const LoadRequest& req) {
    // The airport table (5,000 rows) is read on another thread while the tracks load.
    auto airports_ready = std::async(std::launch::async, [] { (void)bundled_airports(); });
    LoadedData out;
    std::vector<Track> tracks;
    std::unordered_set<std::string> seen_files;
    for (const auto& in : req.inputs) {
        auto r = io::load_paths({in}, req.load);
        out.diagnostics.append(r.diagnostics);
        out.rows_read += r.rows_read;
        out.rows_skipped += r.rows_skipped;
        for (auto& t : r.tracks) {
            if (seen_files.insert(t.source).second) out.files.emplace_back(t.source);
            tracks.push_back(std::move(t));
        }
    }
    if (req.merge == MergeMode::callsign)
        out.diagnostics.warn("", 0, 0, "--merge callsign joins tracks by ICAO address, registration or callsign without checking that the join is possible: two flights with the same callsign become one itinerary");
    out.flights = merge_tracks(std::move(tracks), req.merge);
    std::erase_if(out.flights, [&](const Flight& f) { return !matches(f.aircraft, req.aircraft); });
    if (out.flights.empty()) {
        std::string list;
        for (const auto& a : req.aircraft) list += (list.empty() ? "" : ", ") + a;
        throw UsageError("no aircraft matches --aircraft " + list);
    }
    airports_ready.get();
    const auto& airports = bundled_airports();
    for (auto& f : out.flights) {
        // Physically impossible fixes are taken out before anything is measured or drawn
        // (--keep-outliers lists them but leaves them in).
        auto rejected = analysis::find_outliers(f.points);
        if (!req.keep_outliers) analysis::remove_fixes(f, rejected);
        out.analyses.push_back(analysis::analyse(f, airports));
        out.analyses.back().rejected = std::move(rejected);
        // Ground speed from the positions where the source has none (IGC, GPX, KML): after the
        // analysis, which judges ground and air from path speeds of its own.
        analysis::derive_missing_speeds(f.points);
    }
    return out;
}

}  // namespace fr::app
