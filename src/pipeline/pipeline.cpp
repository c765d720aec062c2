#include "pipeline/pipeline.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <exception>
#include <future>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_set>

#include "analysis/cleaning.hpp"
#include "core/error.hpp"
#include "core/setting_error.hpp"
#include "core/setting_text.hpp"
#include "core/text.hpp"
#include "export/atomic_file.hpp"
#include "io/map/assets.hpp"

namespace fr::pipeline {

namespace {

std::string lower(std::string_view s) { return ascii_lower(s); }

/// --aircraft: `icao:HEX`, `reg:X`, `call:X`, `type:X`, or a bare value matching the ICAO
/// address, registration or callsign (never the type).
bool matches(const AircraftId& id, const std::vector<std::string>& wanted) {
    if (wanted.empty()) return true;
    for (const auto& w : wanted) {
        const auto lw = lower(w);
        const auto colon = lw.find(':');
        const std::string kind = colon == std::string::npos ? "" : lw.substr(0, colon);
        const std::string v = colon == std::string::npos ? lw : lw.substr(colon + 1);
        if (kind == "icao" && v == lower(id.icao24)) return true;
        if (kind == "reg" && v == lower(id.registration)) return true;
        if (kind == "call" && v == lower(id.callsign)) return true;
        if (kind == "type" && v == lower(id.type)) return true;
        if (kind != "icao" && kind != "reg" && kind != "call" && kind != "type" &&
            (lw == lower(id.icao24) || lw == lower(id.registration) || lw == lower(id.callsign)))
            return true;
    }
    return false;
}

/// The addresses of an --aircraft list made only of `icao:HEX` entries (then files and archive
/// members of other addresses need not be read); empty otherwise.
std::vector<std::string> icao_only(const std::vector<std::string>& wanted) {
    std::vector<std::string> out;
    for (const auto& w : wanted) {
        const auto lw = lower(w);
        if (lw.rfind("icao:", 0) != 0) return {};
        out.push_back(lw.substr(5));
    }
    return out;
}

std::string within_text(const geo::GeoBounds& b) {
    std::ostringstream o;
    o << b.lon_min << "," << b.lat_min << "," << b.lon_max << "," << b.lat_max;
    return o.str();
}

}  // namespace

const analysis::AirportTable& bundled_airports() {
    static const analysis::AirportTable table = analysis::AirportTable::load(io::asset_path("airports/airports.csv"));
    return table;
}

LoadedData load_and_analyse(const LoadRequest& req) {
    // The airport table (5,000 rows) is read on another thread while the tracks load.
    auto airports_ready = std::async(std::launch::async, [] { (void)bundled_airports(); });
    LoadedData out;
    std::vector<Track> tracks;
    std::unordered_set<std::string> seen_files;
    std::vector<LegSummary> summaries;  // FR24 API flight-summary / flight-events rows, joined below
    io::LoadOptions opt = req.load;
    opt.icao_filter = icao_only(req.aircraft);
    opt.aircraft = req.aircraft;
    std::optional<std::pair<TimePoint, TimePoint>> window;  // absolute --time-range, for --within
    if (req.time_range) {
        const auto& [a, b] = *req.time_range;
        if (a.absolute && b.absolute)
            window = std::pair{*a.absolute, *b.absolute};
        else
            opt.relative_time_range = true;
        opt.time_window = window;
    }
    for (const auto& in : req.inputs) {
        auto r = io::load_paths({in}, opt);
        for (auto& s : r.summaries) summaries.push_back(std::move(s));
        out.archive_members_read += r.archive_members_read;
        out.archive_bytes_read += r.archive_bytes_read;
        for (const auto& b : r.built_indexes) {
            // The index the full pass built: stored atomically; a cache that cannot be written
            // costs the next query a full pass again, nothing more.
            try {
                std::error_code ec;
                std::filesystem::create_directories(b.file.parent_path(), ec);
                if (ec) throw IoError("cannot create " + b.file.parent_path().string() + ": " + ec.message());
                output::AtomicFile f(b.file);
                f.write(b.text.data(), b.text.size());
                f.commit();
                out.stored_indexes.push_back(b.file);
            } catch (const std::exception& e) {
                out.diagnostics.warn(b.file.string(), 0, 0,
                                     std::string("cannot store the index of ") + b.archive + ": " + e.what() +
                                         " (the next query reads the whole archive again)");
            }
        }
        out.diagnostics.append(r.diagnostics);
        out.rows_read += r.rows_read;
        out.rows_skipped += r.rows_skipped;
        for (auto& i : r.inputs) out.inputs.push_back(std::move(i));
        const std::string* previous = nullptr;  // tracks of one file come together: one look-up per run
        for (const auto& t : r.tracks) {
            if (previous && *previous == t.source) continue;
            previous = &t.source;
            if (seen_files.insert(t.source).second) out.files.emplace_back(t.source);
        }
        if (tracks.empty()) {
            tracks = std::move(r.tracks);  // one input of many aircraft: not moved one by one
        } else {
            for (auto& t : r.tracks) tracks.push_back(std::move(t));  // geometric growth, not a reservation per input
        }
        std::vector<Track>().swap(r.tracks);
    }
    if (!summaries.empty()) {
        if (tracks.empty())
            throw IoError(
                "the FR24 flight-summary/flight-events input holds no positions; give the flight-tracks "
                "files of its legs too");
        io::detail::join_summaries(tracks, summaries);
    }
    if (req.merge == MergeMode::callsign)
        out.diagnostics.warn("", 0, 0,
                             setting_text("merge") +
                                 " callsign joins tracks by ICAO address, registration or callsign without checking that the join is "
                                 "possible: two flights with the same callsign become one itinerary");
    out.flights = merge_tracks(std::move(tracks), req.merge);
    std::string loaded;  // for the message when --aircraft keeps nothing
    TimePoint first = TimePoint::max(), last = TimePoint::min();
    for (std::size_t i = 0; i < out.flights.size(); ++i) {
        if (i < 8) loaded += (i ? ", " : "") + out.flights[i].aircraft.display_name();
        if (!out.flights[i].points.empty()) {
            first = std::min(first, out.flights[i].points.front().time());
            last = std::max(last, out.flights[i].points.back().time());
        }
    }
    if (out.flights.size() > 8) loaded += ", ... (" + std::to_string(out.flights.size()) + " in all)";
    const bool selecting = !req.aircraft.empty() || req.load.within || req.time_range;
    if (out.flights.empty() && !selecting) {
        // Nothing usable at all (every member of an archive unreadable or over the cap, say):
        // a data error that names the first problem, not a selection that matched nothing.
        const auto& items = out.diagnostics.items();
        const auto first_error =
            std::find_if(items.begin(), items.end(), [](const Diagnostic& d) { return d.severity == Severity::error; });
        const Diagnostic* shown = first_error != items.end() ? &*first_error : items.empty() ? nullptr : &items.front();
        throw IoError("no usable track in the input" + (shown ? ": " + describe(*shown) : std::string()) +
                      (items.size() > 1 ? " (" + std::to_string(items.size()) + " problems in all)" : std::string()));
    }
    std::erase_if(out.flights, [&](const Flight& f) { return !matches(f.aircraft, req.aircraft); });
    if (out.flights.empty() && req.aircraft.empty() && !req.load.within)  // only a time range selected (an archive read through its index)
        throw SettingError("time_range",
                           "no aircraft has a fix during " + req.time_range->start.to_string() + "," + req.time_range->end.to_string());
    if (out.flights.empty() && !req.aircraft.empty()) {
        std::string list;
        for (const auto& a : req.aircraft) list += (list.empty() ? "" : ", ") + a;
        throw SettingError("aircraft",
                           "no aircraft matches " + list + " (loaded: " + (loaded.empty() ? "none" : loaded) +
                               (first <= last ? "; the data span " + format_iso8601(first) + " .. " + format_iso8601(last) : "") + ")");
    }
    if (req.load.within) {
        // --within: aircraft with at least one fix inside the box (during an absolute --time-range).
        const auto& b = *req.load.within;
        auto inside = [&](const TrackPoint& p) {
            if (window && (p.time() < window->first || p.time() > window->second)) return false;
            if (p.lat_deg() < b.lat_min || p.lat_deg() > b.lat_max) return false;
            double d = std::fmod(p.lon_deg() - b.lon_min, 360.0);
            if (d < 0) d += 360.0;
            return b.lon_max - b.lon_min >= 360.0 || d <= b.lon_max - b.lon_min;
        };
        std::erase_if(out.flights, [&](const Flight& f) { return std::none_of(f.points.begin(), f.points.end(), inside); });
        if (out.flights.empty())
            throw SettingError("within", "no aircraft has a fix inside " + within_text(b) +
                                             (window ? " during the time range " + req.time_range->start.to_string() + "," +
                                                           req.time_range->end.to_string()
                                                     : std::string()) +
                                             " (loaded: " + loaded + ")");
    }
    airports_ready.get();
    const auto& airports = bundled_airports();
    // Each flight is cleaned and analysed on its own: the flights are shared out among the
    // cores (a day of global traffic holds tens of thousands). The analysis reads only its flight
    // and the airport table (read-only); each result goes to its flight's slot.
    out.analyses.resize(out.flights.size());
    std::atomic<std::size_t> next{0};
    std::mutex failure_lock;
    std::exception_ptr failure;
    auto work = [&] {
        for (std::size_t i; (i = next++) < out.flights.size();) {
            try {
                Flight& f = out.flights[i];
                // Physically impossible fixes are taken out before anything is measured or drawn
                // (keep_outliers lists them but leaves them in).
                auto rejected = analysis::find_outliers(f.points);
                if (!req.keep_outliers) analysis::remove_fixes(f, rejected);
                out.analyses[i] = analysis::analyse(f, airports);
                out.analyses[i].rejected = std::move(rejected);
                // Ground speed from the positions where the source has none (IGC, GPX, KML): after
                // the analysis, which judges ground and air from path speeds of its own.
                analysis::derive_missing_speeds(f.points);
            } catch (...) {
                const std::lock_guard lock(failure_lock);
                if (!failure) failure = std::current_exception();
                next = out.flights.size();
            }
        }
    };
    const std::size_t threads = std::min<std::size_t>(out.flights.size(), std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> pool;
    for (std::size_t k = 1; k < threads; ++k) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
    return out;
}

std::vector<std::string> LoadedData::input_hashes() const {
    std::vector<std::string> out;
    for (const auto& i : inputs) out.push_back(i.sha256 + "  " + std::filesystem::path(i.name).filename().string());
    return out;
}

std::vector<std::filesystem::path> LoadedData::input_paths() const {
    std::vector<std::filesystem::path> out;
    for (const auto& i : inputs) out.push_back(i.path);
    return out;
}

}  // namespace fr::pipeline
