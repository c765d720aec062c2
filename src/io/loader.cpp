#include "io/loader.hpp"

#include <string.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "core/error.hpp"
#include "core/setting_error.hpp"
#include "core/setting_text.hpp"
#include "core/text.hpp"
#include "io/format_registry.hpp"
#include "io/formats/generic_csv.hpp"
#include "io/formats/readsb_archive.hpp"
#include "io/formats/readsb_snapshot.hpp"
#include "io/formats/text_formats.hpp"
#include "io/text/input_reader.hpp"
#include "io/text/json_util.hpp"

namespace fr::io {

namespace {

std::string_view first_data_line(std::string_view text, std::size_t* offset = nullptr) {
    std::size_t pos = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        auto line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        if (!line.empty() && line[0] != '#' && line.find_first_not_of(" \t\r") != std::string_view::npos) {
            if (offset) *offset = pos;
            return line;
        }
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    if (offset) *offset = text.size();
    return {};
}

std::string lower(std::string_view s) { return ascii_lower(s); }

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

/// `f`, recognised by detection stage `s`: the registry must say so, so that its table (and
/// docs/formats.md) tells the detection order truly. Throws std::logic_error otherwise: a
/// registry out of step with detection is a bug (tests/io/format_registry_test.cpp detects
/// every format's sample).
Format found(Format f, DetectStage s) {
    const FormatEntry* e = find_format(f);
    if (e == nullptr || e->detect != s)
        throw std::logic_error(std::string("format registry: detection found '") + to_string(f) + "' at a stage its entry does not name");
    return f;
}

Format detect_from_text(const std::filesystem::path& path, std::string_view text, std::size_t readable = 0) {
    const auto head = lower(first_data_line(text));
    if (auto f = sniff_line_format(text)) return found(*f, DetectStage::first_line);
    // FR24 API flight-tracks by its opening bytes, `[{"fr24_id": "...", "tracks": [`: sniffing
    // the whole document (below) costs a padded copy and simdjson's index of every byte.
    {
        std::string_view h = text.substr(0, 4096);
        if (h.substr(0, 3) == "\xEF\xBB\xBF") h.remove_prefix(3);
        auto skip_ws = [&h] {
            while (!h.empty() && (h[0] == ' ' || h[0] == '\n' || h[0] == '\r' || h[0] == '\t')) h.remove_prefix(1);
        };
        skip_ws();
        if (!h.empty() && h[0] == '[') {
            h.remove_prefix(1);
            skip_ws();
            if (!h.empty() && h[0] == '{') {
                h.remove_prefix(1);
                skip_ws();
                if (h.substr(0, 9) == "\"fr24_id\"" && h.find("\"tracks\"") != std::string_view::npos)
                    return found(Format::fr24api_tracks, DetectStage::json);
            }
        }
    }
    if (detail::looks_like_json(text)) {  // readsb, FR24 JSON, traffic JSON, GeoJSON
        const auto sniff = detail::sniff_json(text, readable);
        if (sniff.format != Format::automatic) return found(sniff.format, DetectStage::json);
        throw IoError(path.string() + ":1:1: unrecognised JSON track format: found " + sniff.description +
                      "; expected a readsb trace (keys \"icao\", \"trace\"), a readsb aircraft.json snapshot (\"now\", \"aircraft\"), FR24 "
                      "playback JSON (\"result\".\"response\"), "
                      "traffic records ([{\"icao24\", \"timestamp\", ...}]), GeoJSON (\"type\": FeatureCollection/Feature/"
                      "LineString), FR24 API flight-tracks ([{\"fr24_id\", \"tracks\"}]) or flight-summary "
                      "({\"data\": [{\"fr24_id\", ...}]}), a FlightRadarAPI trail ([{\"lat\", \"lng\", \"ts\"}]) or "
                      "jet1090 JSON lines; use " +
                      setting_text("format") + " to force one");
    }
    if (auto f = detail::sniff_text_format(path.string(), text))
        return found(*f, DetectStage::markup_text);  // KML, GPX, IGC, ACMI, OpenSky CSV
    if (head.rfind("timestamp,utc,callsign,position", 0) == 0 || head.rfind("timestamp,callsign,position", 0) == 0)
        return found(Format::fr24_csv, DetectStage::csv_header);
    if (head.rfind("timestamp,latitude,longitude,", 0) == 0 && head.find("ground_speed") != std::string::npos)
        return found(Format::fr24_playback_csv, DetectStage::csv_header);
    // No bytes of the file in the message (they may be binary or terminal escapes): where the
    // first data line starts, and what would have been recognised.
    std::size_t offset = 0;
    const auto line = first_data_line(text, &offset);
    std::size_t line_no = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) line_no += text[i] == '\n';
    throw IoError(
        path.string() + ":" + std::to_string(line_no) + ": unrecognised track format: " +
        (line.empty() ? std::string("no data line")
                      : "the first data line (byte offset " + std::to_string(offset) + ") matches no known format") +
        "; expected an FR24 CSV export (header 'Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction'), "
        "an fr24 playback CSV (header 'timestamp,latitude,longitude,altitude,ground_speed,...'), SBS-1 BaseStation lines ('MSG,3,...'), "
        "JSON (readsb, FR24, FR24 API, traffic, GeoJSON, trail), KML, GPX, IGC, ACMI or OpenSky CSV; use " +
        setting_text("format") + " to force one");
}

/// detect_from_text, adding a hint when the name promises gzip but the bytes are not gzip
/// (loader.cpp gunzips by magic bytes, not by name).
Format detect_named(const std::filesystem::path& path, std::string_view text, bool was_gzip, std::size_t readable = 0) {
    try {
        return detect_from_text(path, text, readable);
    } catch (const IoError& e) {
        if (was_gzip || lower(path.extension().string()) != ".gz") throw;
        throw IoError(std::string(e.what()) + " (the name ends in .gz but the content is not gzip: no 1f 8b magic bytes)");
    }
}

/// The registry's whole-text loader of `f`.
const FormatEntry& entry_of(Format f, const std::string& name) {
    if (const FormatEntry* e = find_format(f)) return *e;
    throw IoError(name + ": format '" + to_string(f) + "' is not supported yet");
}

}  // namespace

const char* to_string(Format f) noexcept {
    if (f == Format::automatic) return "auto";
    // Registry names are string literals: NUL-terminated.
    if (const FormatEntry* e = find_format(f)) return e->name.data();
    return "unknown";
}

Format parse_format(const std::string& name) {
    if (name == "auto") return Format::automatic;
    if (const FormatEntry* e = find_format(std::string_view(name))) return e->format;
    throw SettingError("format", "unknown format '" + name + "' (one of: " + format_choices() + ")");
}

Provenance provenance_from_name(const std::filesystem::path& path) {
    // The file's name, or any folder of the path as given: a tree of generated files keeps the
    // names its format requires (traces/56/trace_full_~00056.json) under a folder that says what
    // it is. Wrongly matching a folder can only mark recorded data as not recorded, never the
    // other way.
    Provenance out = Provenance::recorded;
    for (const auto& part : path) {
        const auto n = lower(part.string());
        if (n.find("synthetic") != std::string::npos) return Provenance::synthetic;
        if (n.find("reconstructed") != std::string::npos) out = Provenance::reconstructed;
    }
    return out;
}

namespace {

/// The part of loading after parsing: provenance, strict mode, "no usable point".
LoadResult finish_load(const std::filesystem::path& path, const std::string& name, LoadResult res, Format f, const std::string& sha256,
                       std::uint64_t raw_bytes, const LoadOptions& opt) {
    res.format = f;
    res.inputs.push_back({path, name, sha256, raw_bytes});
    const auto prov = provenance_from_name(path);
    for (auto& t : res.tracks) {
        t.provenance = std::max(t.provenance, prov);
        if (t.source.empty()) t.source = name;
    }
    if (opt.strict && !res.diagnostics.empty())
        throw IoError(describe(res.diagnostics.items().front()) + " (" + setting_text("strict") + ": " +
                      std::to_string(res.diagnostics.size()) + " problem(s) in total)");
    const bool any_point = std::any_of(res.tracks.begin(), res.tracks.end(), [](const Track& t) { return !t.points.empty(); });
    if (!any_point && res.summaries.empty()) {
        std::string why = res.diagnostics.empty() ? "no data rows" : describe(res.diagnostics.items().front());
        throw IoError(name + ": no usable track point (" + std::to_string(res.rows_read) + " row(s) read, " +
                      std::to_string(res.rows_skipped) + " skipped); first problem: " + why);
    }
    return res;
}

/// Formats parsed while the file is read (LineStreamLoader).
bool streamed_format(Format f) {
    const FormatEntry* e = find_format(f);
    return e != nullptr && e->make_line_loader != nullptr;
}

/// A failure to read an input (as opposed to a failure of its content), while it is streamed:
/// in a directory walk such a file is skipped with a warning, as when it is read whole.
struct InputReadError : IoError {
    using IoError::IoError;
};

/// One input being loaded. The first bytes are read to detect the format; line-oriented
/// formats are then parsed block by block while the rest is read (memory: one block plus the
/// points), the others read whole as before.
class OpenedInput {
public:
    OpenedInput(const std::filesystem::path& path, const LoadOptions& opt)
        : m_path(path), m_name(path == "-" ? std::string("stdin") : path.string()), m_opt(opt), m_in(path, opt.max_input_bytes) {}

    /// The format: forced, or detected from the head (line formats) or the whole text. Throws
    /// IoError as detect_named does.
    Format detect() {
        const Format f = detect_format_of_head();
        m_detected = true;
        return f;
    }

    bool detected() const noexcept { return m_detected; }

private:
    Format detect_format_of_head() {
        if (m_opt.format != Format::automatic) return m_format = m_opt.format;
        constexpr std::size_t max_head = std::size_t{64} << 10;  // IGC's detection looks this far
        std::size_t head = std::max<std::size_t>(1, std::min(m_opt.stream_block_bytes, max_head));
        for (;;) {
            fill_to(head);
            const std::string_view text(m_buf.data(), m_len);
            if (m_eof) return m_format = detect_named(m_path, text, m_in.was_gzip(), m_buf.size());
            // Whole lines only: every check that can pick a line format looks at the first data
            // line (or the first 4 KiB, for JSON that no line format matches).
            const auto nl = text.rfind('\n');
            if (nl != std::string_view::npos) {
                try {
                    const Format g = detect_from_text(m_path, text.substr(0, nl + 1));
                    if (streamed_format(g)) return m_format = g;
                    break;  // decided by its head, but the whole text has the last word
                } catch (const IoError&) {}
            }
            if (head >= max_head) break;
            head = std::min(head * 2, max_head);
        }
        read_all();
        return m_format = detect_named(m_path, std::string_view(m_buf.data(), m_len), m_in.was_gzip(), m_buf.size());
    }

public:
    /// Loads (after detect()).
    LoadResult load() {
        const Format f = m_format;
        if (!streamed_format(f)) {
            read_all();
            // The text is parsed where it was read: m_buf keeps stream_padding bytes after it
            // (NUL, as simdjson's own padded copies), so JSON loaders make no copy of it. It is
            // given back as soon as the loader is done, before the caller analyses the points.
            std::memset(m_buf.data() + m_len, 0, detail::stream_padding);
            LoadResult res = entry_of(f, m_name).load_text(m_name, std::string_view(m_buf.data(), m_len), m_buf.size(), m_opt);
            std::string().swap(m_buf);
            m_len = 0;
            return finish_load(m_path, m_name, std::move(res), f, m_in.sha256(), m_in.raw_bytes(), m_opt);
        }
        std::unique_ptr<detail::LineStreamLoader> loader;
        if (f == Format::sbs) check_input_tz(m_opt.input_tz);
        try {
            loader = find_format(f)->make_line_loader(m_name, m_opt);
        } catch (const std::exception& e) {
            if (f != Format::sbs) throw;
            LoadResult r;
            r.diagnostics.error(m_name, 0, 0, setting_text("input_tz") + " '" + m_opt.input_tz + "': " + e.what() + " (file not read)");
            read_all();  // for the hash of what was read
            return finish_load(m_path, m_name, std::move(r), f, m_in.sha256(), m_in.raw_bytes(), m_opt);
        }
        const std::size_t block = std::max<std::size_t>(1, m_opt.stream_block_bytes);
        std::size_t offer = block;  // at most this many bytes (whole lines) to the loader
        std::uint64_t line = 1;
        for (;;) {
            if (!m_eof && m_len - m_start < offer) {
                fill_to(offer);
                continue;
            }
            const std::string_view avail(m_buf.data() + m_start, m_len - m_start);
            std::size_t cut = avail.size();
            if (!(m_eof && avail.size() <= offer)) {
                const auto nl = avail.substr(0, offer).rfind('\n');
                if (nl == std::string_view::npos) {  // a line longer than the block
                    offer *= 2;
                    continue;
                }
                cut = nl + 1;
            }
            const bool last = m_eof && cut == avail.size();
            const std::size_t used = std::min(cut, loader->consume(avail.substr(0, cut), line, m_buf.size() - m_start, last));
            for (const char *p = avail.data(), *e = p + used;
                 (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(e - p)))) != nullptr; ++p)
                ++line;
            m_start += used;
            if (last) break;
            // Nothing used: a record (a quoted field with newlines) runs past the block.
            offer = used == 0 ? std::max(offer, cut) * 2 : block;
        }
        LoadResult res = loader->finish();
        return finish_load(m_path, m_name, std::move(res), f, m_in.sha256(), m_in.raw_bytes(), m_opt);
    }

private:
    /// Reads until m_buf holds `target` unused bytes from m_start (or the input ends); the used
    /// bytes are dropped first. m_buf keeps stream_padding bytes after the content.
    void fill_to(std::size_t target) {
        if (m_start > 0) {
            std::memmove(m_buf.data(), m_buf.data() + m_start, m_len - m_start);
            m_len -= m_start;
            m_start = 0;
        }
        if (m_buf.size() < target + detail::stream_padding) m_buf.resize(target + detail::stream_padding, ' ');
        while (m_len < target && !m_eof) {
            std::size_t n = 0;
            try {
                n = m_in.read(m_buf.data() + m_len, target - m_len);
            } catch (const IoError& e) {
                throw InputReadError(e.what());
            }
            if (n == 0) m_eof = true;
            m_len += n;
        }
    }

    /// Reads the rest of the input into m_buf (sized from the file or the gzip trailer).
    void read_all() {
        const std::uint64_t hint = m_in.size_hint();
        std::size_t target = std::max<std::size_t>(m_len, static_cast<std::size_t>(hint) + 1);
        for (;;) {
            fill_to(target - m_start);
            if (m_eof) return;
            target = m_len * 2;
        }
    }

    std::filesystem::path m_path;
    std::string m_name;
    const LoadOptions& m_opt;
    InputStream m_in;
    std::string m_buf;  ///< [m_start, m_len): read, not yet used
    std::size_t m_len = 0, m_start = 0;
    bool m_eof = false;
    Format m_format = Format::automatic;
    bool m_detected = false;
};

}  // namespace

Format detect_format(const std::filesystem::path& path) {
    const InputBytes in = read_input(path);
    return detect_named(path, in.text, in.was_gzip);
}

LoadResult load_file(const std::filesystem::path& path, const LoadOptions& opt) {
    OpenedInput in(path, opt);
    in.detect();
    return in.load();
}

namespace {

bool is_documentation(const std::filesystem::path& p) {
    static const char* const exts[] = {".md", ".txt", ".rst", ".html", ".pdf", ".png", ".jpg", ".jpeg", ".svg"};
    const auto e = lower_extension(p);
    return std::any_of(std::begin(exts), std::end(exts), [&](const char* x) { return e == x; });
}

}  // namespace

namespace {

/// Files under `root`, recursively, sorted. Directory symlinks are not followed (no cycles);
/// what cannot be read (permissions, symlink loops, dangling links) is reported and skipped.
std::vector<std::filesystem::path> walk(const std::filesystem::path& root, Diagnostics& diags) {
    namespace fs = std::filesystem;
    std::vector<fs::path> files, dirs{root};
    while (!dirs.empty()) {
        const fs::path dir = std::move(dirs.back());
        dirs.pop_back();
        std::error_code ec;
        fs::directory_iterator it(dir, ec), end;
        if (ec) {
            diags.warn(dir.string(), 0, 0, "cannot read this directory: " + ec.message() + " (skipped)");
            continue;
        }
        for (; it != end; it.increment(ec)) {
            if (ec) break;
            const fs::path p = it->path();
            std::error_code lec, sec;
            const auto link = it->symlink_status(lec);
            if (lec) {
                diags.warn(p.string(), 0, 0, "cannot examine: " + lec.message() + " (skipped)");
                continue;
            }
            if (fs::is_directory(link)) {
                dirs.push_back(p);
                continue;
            }
            const auto target = it->status(sec);
            if (fs::is_symlink(link) && sec) {
                diags.warn(p.string(), 0, 0, "broken symbolic link: " + sec.message() + " (skipped)");
                continue;
            }
            if (fs::is_regular_file(target)) files.push_back(p);
        }
        if (ec) diags.warn(dir.string(), 0, 0, "cannot read this directory to the end: " + ec.message() + " (rest skipped)");
    }
    std::sort(files.begin(), files.end());
    return files;
}

/// Moves `from`'s tracks to the end of `into`: the whole vector when `into` is empty (one input,
/// hundreds of thousands of tracks, is not moved one by one), else appended with the vector's
/// own geometric growth (an exact reservation per file would copy everything per file).
void move_tracks(std::vector<Track>& from, std::vector<Track>& into) {
    if (into.empty()) {
        into = std::move(from);
    } else {
        for (auto& t : from) into.push_back(std::move(t));
    }
    std::vector<Track>().swap(from);
}

}  // namespace

LoadResult load_paths(const std::vector<std::filesystem::path>& paths, const LoadOptions& opt) {
    // Files named on the command line must load; files found by expanding a directory are
    // skipped with a warning when they are not track files (READMEs, provenance notes...).
    LoadResult all;
    std::vector<std::pair<std::filesystem::path, bool>> files;  // path, from a directory
    for (const auto& p : paths) {
        std::error_code ec;
        if (p != "-" && std::filesystem::is_directory(p, ec)) {
            for (auto& i : walk(p, all.diagnostics)) files.emplace_back(std::move(i), true);
        } else {
            files.emplace_back(p, false);
        }
    }
    std::vector<LegSummary> summaries;
    std::set<std::filesystem::path> archives_done;  // split parts: read once, from the first
    SnapshotTracks snapshots;
    for (const auto& [f, from_dir] : files) {
        if (is_trace_archive(f)) {
            const auto parts = archive_parts(f);
            if (parts.empty() || !archives_done.insert(parts.front()).second) continue;
            auto r = load_trace_archive(parts.front(), opt);
            if (opt.strict && !r.diagnostics.empty())
                throw IoError(describe(r.diagnostics.items().front()) + " (" + setting_text("strict") + ": " +
                              std::to_string(r.diagnostics.size()) + " problem(s) in total)");
            move_tracks(r.tracks, all.tracks);
            all.diagnostics.append(r.diagnostics);
            all.rows_read += r.rows_read;
            all.rows_skipped += r.rows_skipped;
            all.archive_members_read += r.archive_members_read;
            all.archive_bytes_read += r.archive_bytes_read;
            for (auto& b : r.built_indexes) all.built_indexes.push_back(std::move(b));
            all.format = Format::readsb_trace;
            continue;
        }
        if (from_dir && !opt.icao_filter.empty()) {
            // An extracted archive: other aircraft's traces are passed over by name.
            const auto hex = trace_member_address(f.filename().string());
            if (hex && std::find(opt.icao_filter.begin(), opt.icao_filter.end(), *hex) == opt.icao_filter.end()) continue;
        }
        LoadResult r;
        if (from_dir && opt.format == Format::automatic) {
            // Notes and pictures kept beside tracks (README.md, PROVENANCE.md, a PNG) are not
            // worth a warning; any other file that is not a track is reported and skipped.
            if (is_documentation(f)) continue;
            // Read (and decompressed) once: detection and loading share the bytes.
            std::optional<OpenedInput> in;
            try {
                in.emplace(f, opt);
                in->detect();
                r = in->load();
            } catch (const IoError& e) {
                // The content, once recognised, fails as when the file is named; reading and
                // recognising fail with a warning.
                if (in && in->detected() && !dynamic_cast<const InputReadError*>(&e)) throw;
                // Say why, and (where one exists) the --csv-columns mapping that reads it:
                // detection's message has both.
                std::string why = e.what();
                const std::string prefix = f.string();
                if (why.rfind(prefix, 0) == 0) why.erase(0, prefix.size());
                while (!why.empty() && (why[0] == ':' || why[0] == ' ' || std::isdigit(static_cast<unsigned char>(why[0]))))
                    why.erase(0, 1);
                all.diagnostics.warn(f.string(), 0, 0, "skipped while reading the directory: " + why);
                continue;
            }
        } else {
            r = load_file(f, opt);
        }
        for (auto& s : r.summaries) summaries.push_back(std::move(s));
        if (r.format == Format::readsb_snapshot) {  // one fix per aircraft each: accumulated below
            snapshots.add(std::move(r.tracks));
            r.tracks.clear();
        }
        move_tracks(r.tracks, all.tracks);
        for (auto& i : r.inputs) all.inputs.push_back(std::move(i));
        all.diagnostics.append(r.diagnostics);
        all.rows_read += r.rows_read;
        all.rows_skipped += r.rows_skipped;
        all.format = r.format;
    }
    if (!snapshots.empty()) {
        // aircraft.json snapshots: one track per aircraft over all of them.
        for (auto& t : snapshots.finish()) all.tracks.push_back(std::move(t));
    }
    if (!summaries.empty()) {
        // A summary alone has nothing to draw; the caller says so if no input brings tracks.
        detail::join_summaries(all.tracks, summaries);
        all.summaries = std::move(summaries);
    }
    return all;
}

}  // namespace fr::io
