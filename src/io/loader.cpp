#include "io/loader.hpp"

#include <zlib.h>

#include <string.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "io/generic_csv.hpp"
#include "io/json_util.hpp"
#include "io/readsb_archive.hpp"
#include "io/text_formats.hpp"

namespace fr::io {

namespace {

struct FormatName {
    Format format;
    const char* name;
};
constexpr FormatName format_names[] = {
    {Format::automatic, "auto"},          {Format::fr24_csv, "fr24-csv"},
    {Format::fr24_kml, "fr24-kml"},       {Format::fr24_json, "fr24-json"},
    {Format::readsb_trace, "readsb"},     {Format::opensky_csv, "opensky-csv"},
    {Format::opensky_json, "opensky-json"}, {Format::gpx, "gpx"},
    {Format::kml_track, "kml"},           {Format::geojson, "geojson"},
    {Format::igc, "igc"},                 {Format::acmi, "acmi"},
    {Format::generic_csv, "csv"},
    {Format::fr24api_tracks, "fr24api-tracks"}, {Format::fr24api_summary, "fr24api-summary"},
    {Format::fr24api_events, "fr24api-events"},
    {Format::sbs, "sbs"},                 {Format::jet1090, "jet1090"},
    {Format::fr24_playback_csv, "fr24-playback-csv"}, {Format::fr24_trail, "fr24-trail"},
};

/// Upper bound on a decompressed file: no track file we accept is this large, and it stops
/// gzip bombs before they exhaust memory.
constexpr std::size_t max_file_bytes = std::size_t{4} << 30;

std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError("flightreplay: " + path.string() + ": cannot open for reading");
    // Regular files: one read of the known size (no stream-buffer copy); others (pipes) stream.
    std::error_code ec;
    const auto size = std::filesystem::is_regular_file(path, ec) ? std::filesystem::file_size(path, ec) : 0;
    if (!ec && size > 0 && size <= max_file_bytes) {
        std::string out(static_cast<std::size_t>(size), '\0');
        in.read(out.data(), static_cast<std::streamsize>(size));
        out.resize(static_cast<std::size_t>(in.gcount()));
        if (in.bad()) throw IoError("flightreplay: " + path.string() + ": read error");
        if (in.peek() == std::char_traits<char>::eof()) return out;  // else the file grew: read the rest below
        std::ostringstream rest;
        rest << in.rdbuf();
        return out + std::move(rest).str();
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw IoError("flightreplay: " + path.string() + ": read error");
    return std::move(ss).str();
}

bool is_gzip(std::string_view s) { return s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0x1f && static_cast<unsigned char>(s[1]) == 0x8b; }

std::string gunzip(const std::filesystem::path& path, std::string_view in) {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 32) != Z_OK) throw IoError("flightreplay: " + path.string() + ": zlib init failed");
    std::string out;
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    char buf[1 << 16];
    int rc = Z_OK;
    do {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            const std::string msg = zs.msg ? zs.msg : "corrupt data";
            inflateEnd(&zs);
            throw IoError("flightreplay: " + path.string() + ": gzip data is corrupt: " + msg);
        }
        out.append(buf, sizeof buf - zs.avail_out);
        if (out.size() > max_file_bytes) {
            inflateEnd(&zs);
            throw IoError("flightreplay: " + path.string() + ": decompressed size exceeds 4 GiB (refused)");
        }
        if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
            inflateEnd(&zs);
            throw IoError("flightreplay: " + path.string() + ": gzip data is truncated");
        }
    } while (rc != Z_STREAM_END);
    inflateEnd(&zs);
    return out;
}

std::string_view first_data_line(std::string_view text) {
    std::size_t pos = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        auto line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        if (!line.empty() && line[0] != '#' && line.find_first_not_of(" \t\r") != std::string_view::npos) return line;
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    return {};
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

/// SBS-1 or jet1090 from the first non-blank line (they are read in blocks, so detection must
/// not need more than the head of the file).
std::optional<Format> sniff_line_format(std::string_view text) {
    const auto line = first_data_line(text);
    std::string_view l = line;
    if (l.substr(0, 3) == "\xEF\xBB\xBF") l.remove_prefix(3);
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.remove_suffix(1);
    // SBS-1: MSG (or SEL/ID/AIR/STA/CLK) records of 10 or more comma-separated fields.
    for (const char* kind : {"MSG,", "SEL,", "ID,", "AIR,", "STA,", "CLK,"}) {
        if (l.rfind(kind, 0) == 0 && std::count(l.begin(), l.end(), ',') >= 9) return Format::sbs;
    }
    // jet1090: one whole JSON object per line with "icao24" and a Mode S field ("df", "frame").
    if (!l.empty() && l.front() == '{' && l.back() == '}' && l.find("\"icao24\"") != std::string_view::npos &&
        (l.find("\"df\"") != std::string_view::npos || l.find("\"frame\"") != std::string_view::npos) &&
        l.find("\"timestamp\"") != std::string_view::npos)
        return Format::jet1090;
    return std::nullopt;
}

Format detect_from_text(const std::filesystem::path& path, std::string_view text) {
    const auto head = lower(first_data_line(text));
    if (auto f = sniff_line_format(text)) return *f;
    // FR24 API flight-tracks by its opening bytes, `[{"fr24_id": "...", "tracks": [`: sniffing
    // the whole document (below) costs a padded copy and simdjson's index of every byte.
    {
        std::string_view h = text.substr(0, 4096);
        if (h.substr(0, 3) == "\xEF\xBB\xBF") h.remove_prefix(3);
        auto skip_ws = [&h] { while (!h.empty() && (h[0] == ' ' || h[0] == '\n' || h[0] == '\r' || h[0] == '\t')) h.remove_prefix(1); };
        skip_ws();
        if (!h.empty() && h[0] == '[') {
            h.remove_prefix(1);
            skip_ws();
            if (!h.empty() && h[0] == '{') {
                h.remove_prefix(1);
                skip_ws();
                if (h.substr(0, 9) == "\"fr24_id\"" && h.find("\"tracks\"") != std::string_view::npos) return Format::fr24api_tracks;
            }
        }
    }
    if (detail::looks_like_json(text)) {  // readsb, FR24 JSON, traffic JSON, GeoJSON
        const auto sniff = detail::sniff_json(text);
        if (sniff.format != Format::automatic) return sniff.format;
        throw IoError("flightreplay: " + path.string() + ":1:1: unrecognised JSON track format: found " + sniff.description +
                      "; expected a readsb trace (keys \"icao\", \"trace\"), FR24 playback JSON (\"result\".\"response\"), "
                      "traffic records ([{\"icao24\", \"timestamp\", ...}]), GeoJSON (\"type\": FeatureCollection/Feature/"
                      "LineString), FR24 API flight-tracks ([{\"fr24_id\", \"tracks\"}]) or flight-summary "
                      "({\"data\": [{\"fr24_id\", ...}]}), a FlightRadarAPI trail ([{\"lat\", \"lng\", \"ts\"}]) or "
                      "jet1090 JSON lines; use --format to force one");
    }
    if (auto f = detail::sniff_text_format(path.string(), text)) return *f;  // KML, GPX, IGC, ACMI, OpenSky CSV
    if (head.rfind("timestamp,utc,callsign,position", 0) == 0 || head.rfind("timestamp,callsign,position", 0) == 0)
        return Format::fr24_csv;
    if (head.rfind("timestamp,latitude,longitude,", 0) == 0 && head.find("ground_speed") != std::string::npos)
        return Format::fr24_playback_csv;
    std::string shown(first_data_line(text).substr(0, 60));
    throw IoError("flightreplay: " + path.string() +
                  ":1: unrecognised track format (first line '" + shown +
                  "'); expected an FR24 CSV export (header 'Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction'), "
                  "an fr24 playback CSV (header 'timestamp,latitude,longitude,altitude,ground_speed,...'), SBS-1 "
                  "BaseStation lines ('MSG,3,...') or another format listed under --format; "
                  "use --format to force one");
}

/// detect_from_text, adding a hint when the name promises gzip but the bytes are not gzip
/// (loader.cpp gunzips by magic bytes, not by name).
Format detect_named(const std::filesystem::path& path, std::string_view text, bool was_gzip) {
    try {
        return detect_from_text(path, text);
    } catch (const IoError& e) {
        if (was_gzip || lower(path.extension().string()) != ".gz") throw;
        throw IoError(std::string(e.what()) + " (the name ends in .gz but the content is not gzip: no 1f 8b magic bytes)");
    }
}

LoadResult dispatch(Format f, const std::string& name, std::string_view text) {
    switch (f) {
        case Format::fr24_csv: return detail::load_fr24_csv(name, text);
        case Format::readsb_trace: return detail::load_readsb(name, text);
        case Format::fr24_json: return detail::load_fr24_json(name, text);
        case Format::opensky_json: return detail::load_opensky_json(name, text);
        case Format::geojson: return detail::load_geojson(name, text);
        case Format::fr24_kml: return detail::load_fr24_kml(name, text);
        case Format::kml_track: return detail::load_kml_track(name, text);
        case Format::gpx: return detail::load_gpx(name, text);
        case Format::igc: return detail::load_igc(name, text);
        case Format::acmi: return detail::load_acmi(name, text);
        case Format::opensky_csv: return detail::load_opensky_csv(name, text);
        case Format::fr24api_tracks: return detail::load_fr24api_tracks(name, text);
        case Format::fr24api_summary: return detail::load_fr24api_summary(name, text);
        case Format::fr24api_events: return detail::load_fr24api_events(name, text);
        case Format::jet1090: return detail::load_jet1090(name, text);
        case Format::fr24_playback_csv: return detail::load_fr24_playback_csv(name, text);
        case Format::fr24_trail: return detail::load_fr24_trail(name, text);
        default: break;
    }
    throw IoError(std::string("flightreplay: ") + name + ": format '" + to_string(f) + "' is not supported yet");
}

}  // namespace

const char* to_string(Format f) noexcept {
    for (const auto& fn : format_names)
        if (fn.format == f) return fn.name;
    return "unknown";
}

Format parse_format(const std::string& name) {
    std::string all;
    for (const auto& fn : format_names) {
        if (name == fn.name) return fn.format;
        all += all.empty() ? "" : ", ";
        all += fn.name;
    }
    throw UsageError("unknown --format '" + name + "' (one of: " + all + ")");
}

Provenance provenance_from_name(const std::filesystem::path& path) {
    const auto n = lower(path.filename().string());
    if (n.find("synthetic") != std::string::npos) return Provenance::synthetic;
    if (n.find("reconstructed") != std::string::npos) return Provenance::reconstructed;
    return Provenance::recorded;
}

namespace {

/// Up to `n` bytes from the start of a file.
std::string read_head(const std::filesystem::path& path, std::size_t n) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError("flightreplay: " + path.string() + ": cannot open for reading");
    std::string out(n, '\0');
    in.read(out.data(), static_cast<std::streamsize>(n));
    out.resize(static_cast<std::size_t>(in.gcount()));
    return out;
}

/// Head of a file big enough to hold the first line of a line-oriented format.
constexpr std::size_t head_bytes = 64 * 1024;

/// Reads a line-oriented file in blocks through a LineStreamLoader: memory holds one block
/// (4 MiB, or the longest line) plus what the loader keeps.
LoadResult load_streamed(const std::filesystem::path& path, Format f, const LoadOptions& opt) {
    const std::string name = path.string();
    std::unique_ptr<detail::LineStreamLoader> loader;
    if (f == Format::sbs) {
        check_input_tz(opt.input_tz);
        loader = detail::make_sbs_loader(name, opt.input_tz);
    } else {
        loader = detail::make_jet1090_loader(name);
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError("flightreplay: " + name + ": cannot open for reading");
    std::size_t block = std::size_t{4} << 20;
    std::vector<char> buf(block + detail::stream_padding, ' ');
    std::size_t have = 0;
    std::uint64_t line = 1;
    bool eof = false;
    while (!eof || have > 0) {
        if (!eof) {
            in.read(buf.data() + have, static_cast<std::streamsize>(block - have));
            const auto got = static_cast<std::size_t>(in.gcount());
            if (in.bad()) throw IoError("flightreplay: " + name + ": read error");
            have += got;
            eof = !in;
        }
        std::size_t cut = have;
        if (!eof) {
            const auto* last = static_cast<const char*>(::memrchr(buf.data(), '\n', have));
            if (!last) {  // one line longer than the block: grow (the caller's caps bound the file)
                if (block >= max_file_bytes) throw IoError("flightreplay: " + name + ":" + std::to_string(line) + ": line longer than 4 GiB (refused)");
                block *= 2;
                buf.resize(block + detail::stream_padding, ' ');
                continue;
            }
            cut = static_cast<std::size_t>(last - buf.data()) + 1;
        }
        std::fill(buf.begin() + static_cast<std::ptrdiff_t>(have), buf.end(), ' ');
        loader->consume(std::string_view(buf.data(), cut), line, buf.size());
        line += static_cast<std::uint64_t>(std::count(buf.data(), buf.data() + cut, '\n'));
        std::memmove(buf.data(), buf.data() + cut, have - cut);
        have -= cut;
    }
    return loader->finish();
}

bool is_streamed(Format f) noexcept { return f == Format::sbs || f == Format::jet1090; }

/// Provenance, source, --strict and the "no usable point" rule, shared by every path.
void finish_file(LoadResult& res, const std::filesystem::path& path, Format f, const LoadOptions& opt) {
    res.format = f;
    const std::string name = path.string();
    const auto prov = provenance_from_name(path);
    for (auto& t : res.tracks) {
        t.provenance = std::max(t.provenance, prov);
        if (t.source.empty()) t.source = name;
    }
    if (opt.strict && !res.diagnostics.empty())
        throw IoError(format(res.diagnostics.items().front()) + " (--strict: " +
                      std::to_string(res.diagnostics.size()) + " problem(s) in total)");
    const bool any_point = std::any_of(res.tracks.begin(), res.tracks.end(), [](const Track& t) { return !t.points.empty(); });
    if (!any_point && res.summaries.empty()) {
        std::string why = res.diagnostics.empty() ? "no data rows" : format(res.diagnostics.items().front());
        throw IoError("flightreplay: " + name + ": no usable track point (" + std::to_string(res.rows_read) +
                      " row(s) read, " + std::to_string(res.rows_skipped) + " skipped); first problem: " + why);
    }
}

}  // namespace

Format detect_format(const std::filesystem::path& path) {
    std::error_code regular_ec;
    if (std::filesystem::is_regular_file(path, regular_ec)) {
        const std::string head = read_head(path, head_bytes);
        if (!is_gzip(head))
            if (auto f = sniff_line_format(head)) return *f;
    }
    std::string text = read_all(path);
    const bool was_gzip = is_gzip(text);
    if (was_gzip) text = gunzip(path, text);
    return detect_named(path, text, was_gzip);
}

LoadResult load_file(const std::filesystem::path& path, const LoadOptions& opt) {
    // Line-oriented formats are read in blocks, without holding the file. (Regular files only:
    // a pipe cannot be read twice, so it is read whole below.)
    std::error_code regular_ec;
    if (std::filesystem::is_regular_file(path, regular_ec)) {
        const std::string head = read_head(path, head_bytes);
        if (!is_gzip(head)) {
            std::optional<Format> f;
            if (opt.format == Format::automatic) f = sniff_line_format(head);
            else if (is_streamed(opt.format)) f = opt.format;
            if (f) {
                LoadResult res = load_streamed(path, *f, opt);
                finish_file(res, path, *f, opt);
                return res;
            }
        }
    }
    std::string text = read_all(path);
    const bool was_gzip = is_gzip(text);
    if (was_gzip) text = gunzip(path, text);
    const Format f = opt.format == Format::automatic ? detect_named(path, text, was_gzip) : opt.format;
    const std::string name = path.string();
    LoadResult res;
    if (f == Format::generic_csv) {
        res = detail::load_generic_csv(name, text, GenericCsvMapping::parse(opt.csv_columns));
    } else if (f == Format::sbs) {
        check_input_tz(opt.input_tz);
        res = detail::load_sbs(name, text, opt.input_tz);
    } else {
        res = dispatch(f, name, text);
    }
    finish_file(res, path, f, opt);
    return res;
}

namespace {

bool is_documentation(const std::filesystem::path& p) {
    static const char* const exts[] = {".md", ".txt", ".rst", ".html", ".pdf", ".png", ".jpg", ".jpeg", ".svg"};
    auto e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::any_of(std::begin(exts), std::end(exts), [&](const char* x) { return e == x; });
}

}  // namespace

LoadResult load_paths(const std::vector<std::filesystem::path>& paths, const LoadOptions& opt) {
    // Files named on the command line must load; files found by expanding a directory are
    // skipped with a warning when they are not track files (READMEs, provenance notes...).
    std::vector<std::pair<std::filesystem::path, bool>> files;  // path, from a directory
    for (const auto& p : paths) {
        if (std::filesystem::is_directory(p)) {
            std::vector<std::filesystem::path> inner;
            for (const auto& e : std::filesystem::recursive_directory_iterator(p))
                if (e.is_regular_file()) inner.push_back(e.path());
            std::sort(inner.begin(), inner.end());
            for (auto& i : inner) files.emplace_back(std::move(i), true);
        } else {
            files.emplace_back(p, false);
        }
    }
    LoadResult all;
    std::vector<LegSummary> summaries;
    std::set<std::filesystem::path> archives_done;  // split parts: read once, from the first
    for (const auto& [f, from_dir] : files) {
        if (is_trace_archive(f)) {
            const auto parts = archive_parts(f);
            if (parts.empty() || !archives_done.insert(parts.front()).second) continue;
            auto r = load_trace_archive(parts.front(), opt.icao_filter);
            if (opt.strict && !r.diagnostics.empty())
                throw IoError(format(r.diagnostics.items().front()) + " (--strict: " + std::to_string(r.diagnostics.size()) +
                              " problem(s) in total)");
            for (auto& t : r.tracks) all.tracks.push_back(std::move(t));
            all.diagnostics.append(r.diagnostics);
            all.rows_read += r.rows_read;
            all.rows_skipped += r.rows_skipped;
            all.format = Format::readsb_trace;
            continue;
        }
        if (from_dir && !opt.icao_filter.empty()) {
            // An extracted archive: other aircraft's traces are passed over by name.
            const auto hex = trace_member_address(f.filename().string());
            if (hex && std::find(opt.icao_filter.begin(), opt.icao_filter.end(), *hex) == opt.icao_filter.end()) continue;
        }
        if (from_dir && opt.format == Format::automatic) {
            // Notes and pictures kept beside tracks (README.md, PROVENANCE.md, a PNG) are not
            // worth a warning; any other file that is not a track is reported and skipped.
            if (is_documentation(f)) continue;
            try {
                detect_format(f);
            } catch (const IoError& e) {
                // Say why, and (where one exists) the --csv-columns mapping that reads it:
                // detection's message has both.
                std::string why = e.what();
                const std::string prefix = "flightreplay: " + f.string();
                if (why.rfind(prefix, 0) == 0) why.erase(0, prefix.size());
                while (!why.empty() && (why[0] == ':' || why[0] == ' ' || std::isdigit(static_cast<unsigned char>(why[0]))))
                    why.erase(0, 1);
                all.diagnostics.warn(f.string(), 0, 0, "skipped while reading the directory: " + why);
                continue;
            }
        }
        auto r = load_file(f, opt);
        for (auto& s : r.summaries) summaries.push_back(std::move(s));
        for (auto& t : r.tracks) all.tracks.push_back(std::move(t));
        all.diagnostics.append(r.diagnostics);
        all.rows_read += r.rows_read;
        all.rows_skipped += r.rows_skipped;
        all.format = r.format;
    }
    if (!summaries.empty()) {
        // A summary alone has nothing to draw; the caller says so if no input brings tracks.
        detail::join_summaries(all.tracks, summaries);
        all.summaries = std::move(summaries);
    }
    return all;
}

}  // namespace fr::io
