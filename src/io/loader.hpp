#pragma once
// Track loading: format detection by content and one loader per format (one source file
// each). Every loader produces core Tracks in SI units and collects Diagnostics for bad
// records instead of throwing; only file-level failures (cannot open, unknown format, no
// usable point in strict mode) throw fr::IoError.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/track.hpp"
#include "geo/view.hpp"

namespace fr::io {

enum class Format {
    automatic,
    fr24_csv,      ///< Flightradar24 per-flight CSV (7- or 6-column)
    fr24_kml,      ///< Flightradar24 KML export (Route folder)
    fr24_json,     ///< Flightradar24 playback JSON
    readsb_trace,  ///< readsb / tar1090 trace_full JSON (optionally gzip)
    opensky_csv,   ///< OpenSky state vectors CSV
    opensky_json,  ///< traffic-library OpenSky records JSON (gzip)
    gpx,
    kml_track,  ///< KML gx:Track
    geojson,
    igc,
    acmi,  ///< Tacview ACMI 2.2 text
    generic_csv,
    fr24api_tracks,     ///< Flightradar24 API flight-tracks JSON ([{"fr24_id", "tracks": [...]}])
    fr24api_summary,    ///< Flightradar24 API flight-summary JSON ({"data": [...]}): leg metadata, no positions
    fr24api_events,     ///< Flightradar24 API historic flight-events JSON: take-off, landing, gate times per leg
    sbs,                ///< SBS-1 BaseStation port-30003 recording (MSG,... lines)
    jet1090,            ///< jet1090 JSON lines (one decoded Mode S message per line)
    fr24_playback_csv,  ///< `fr24` Python library playback CSV
    fr24_trail,         ///< FlightRadarAPI "trail" JSON ([{"lat","lng","alt","spd","ts","hd"}])
    readsb_snapshot,    ///< readsb aircraft.json snapshot ({"now", "aircraft": [...]}), accumulated per aircraft
};

const char* to_string(Format f) noexcept;
/// Parses a --format name ("fr24-csv", "readsb", ...). Throws fr::UsageError listing the names.
Format parse_format(const std::string& name);

struct LoadOptions {
    Format format = Format::automatic;
    /// Cap on the bytes read from one file and on its decompressed size (io/text/input_reader.hpp).
    std::uint64_t max_input_bytes = std::uint64_t{2} << 30;
    bool strict = false;      ///< any diagnostic becomes fatal (IoError)
    std::string csv_columns;  ///< --csv-columns mapping, required for Format::generic_csv (grammar in io/formats/generic_csv.hpp)
    /// --input-tz: IANA zone of times written without one (SBS-1). Empty: UTC, with one warning
    /// per file that has such times.
    std::string input_tz;
    /// Lower-case ICAO addresses (from --aircraft icao:HEX): when set, trace_full_<hex> files in
    /// directories and members of globe-history archives of other addresses are not read.
    std::vector<std::string> icao_filter;
    /// --aircraft entries (icao:, reg:, call:, type: or bare): members of globe-history
    /// archives that cannot match are not kept (and, with an index, not read).
    std::vector<std::string> aircraft;
    /// --within lon_min,lat_min,lon_max,lat_max (degrees; lon_max may exceed 180): archive
    /// members without a fix inside (during `time_window` when set) are not kept.
    std::optional<geo::GeoBounds> within;
    /// An absolute --time-range: archive members without a fix in it are not kept.
    std::optional<std::pair<TimePoint, TimePoint>> time_window;
    /// --time-range was given with +offsets: archives need an index to serve it.
    bool relative_time_range = false;
    /// --index-dir: where archive indexes are looked up (empty: the cache directory).
    std::filesystem::path index_dir;
    /// A query that needs more than member names (callsign, registration, type, --within, an
    /// absolute --time-range) on an archive without a valid index builds the index during its
    /// full pass and returns it in LoadResult::built_indexes, for the caller to store. False:
    /// a plain full read.
    bool index_on_first_pass = true;
    /// Line-oriented formats are parsed while the file is read, in blocks of about this many
    /// bytes of (decompressed) text (tests use tiny blocks to put lines across boundaries).
    std::size_t stream_block_bytes = std::size_t{4} << 20;
};

/// One input file as read: for provenance (hash of the bytes actually read, once).
struct InputFile {
    std::filesystem::path path;  ///< as given ("-" for standard input)
    std::string name;            ///< for messages and provenance ("stdin" for "-")
    std::string sha256;          ///< lowercase hex, of the raw (still compressed) bytes
    std::uint64_t bytes = 0;
};

/// Throws fr::UsageError when `zone` is not a time zone name of the system's tz database
/// (empty, "UTC" and "Z" are always accepted).
void check_input_tz(const std::string& zone);

struct LoadResult {
    std::vector<InputFile> inputs;  ///< every file that contributed tracks, in load order
    std::vector<Track> tracks;      ///< usually one; several for multi-aircraft files
    Diagnostics diagnostics;
    Format format = Format::automatic;
    std::size_t rows_read = 0;     ///< records examined
    std::size_t rows_skipped = 0;  ///< records dropped with a diagnostic
    /// Leg metadata without positions (FR24 API flight-summary). load_paths joins them onto
    /// the tracks with the same fr24_id.
    std::vector<LegSummary> summaries;
    /// Globe-history archives: trace members read (decompressed) and their stored bytes. A
    /// query through an index reads only the members that can match.
    std::uint64_t archive_members_read = 0, archive_bytes_read = 0;
    /// Archive indexes built during this load's full pass (LoadOptions::index_on_first_pass):
    /// `text` (io/formats/archive_index.hpp serialize_index) belongs at `file`; the caller writes it
    /// atomically (the loaders write nothing).
    struct BuiltIndex {
        std::filesystem::path file;
        std::string text;
        std::string archive;  ///< the archive as shown in messages
    };
    std::vector<BuiltIndex> built_indexes;
};

/// Guesses the format from the first bytes of the file (and the name as a tie-breaker).
/// Throws IoError naming what was recognised and what was expected when nothing fits.
Format detect_format(const std::filesystem::path& path);

/// Loads one file ("-": standard input, read once). The provenance flag is set from the file name: "reconstructed" or
/// "synthetic" anywhere in it marks the tracks as such (docs/decisions.md). Throws IoError when
/// the file cannot be read, or yields no usable point, or (strict) has any diagnostic.
LoadResult load_file(const std::filesystem::path& path, const LoadOptions& opt = {});

/// Expands directories (recursively, sorted) and loads every file; diagnostics accumulate.
/// Each file is read (and decompressed) once. Unreadable subdirectories, symlink loops and
/// dangling links inside a directory are reported as warnings with their path and skipped.
/// Leg summaries (FR24 API flight-summary, flight-events) are joined onto the tracks read in
/// the same call and returned in LoadResult::summaries (to join across calls).
LoadResult load_paths(const std::vector<std::filesystem::path>& paths, const LoadOptions& opt = {});

/// Provenance implied by a file name (see load_file).
Provenance provenance_from_name(const std::filesystem::path& path);

namespace detail {
// Per-format entry points, each in its own source file. `text` is the whole file content
// (already decompressed); `name` is used in diagnostics. They never throw for bad records.
// `readable` (the JSON loaders): bytes that may be read from text.data(); when it is at least
// text.size() + stream_padding the document is parsed where it lies (no padded copy: the
// file's text is held once), else it is copied (io/text/json_util.hpp JsonSource).
LoadResult load_fr24_csv(const std::string& name, std::string_view text);
LoadResult load_fr24_kml(const std::string& name, std::string_view text);
LoadResult load_fr24_json(const std::string& name, std::string_view text, std::size_t readable = 0);
LoadResult load_readsb(const std::string& name, std::string_view text, std::size_t readable = 0);
/// load_readsb without its fast walker (the On-Demand reader only): the two must agree on every
/// input (tests/io and fuzz/fuzz_readsb_readers).
LoadResult load_readsb_on_demand(const std::string& name, std::string_view text);
/// "" when two load results are the same (tracks and points bit for bit, diagnostics, counts);
/// else what differs first.
std::string first_difference(const LoadResult& a, const LoadResult& b);
LoadResult load_opensky_csv(const std::string& name, std::string_view text);
LoadResult load_opensky_json(const std::string& name, std::string_view text, std::size_t readable = 0);
LoadResult load_gpx(const std::string& name, std::string_view text);
LoadResult load_kml_track(const std::string& name, std::string_view text);
LoadResult load_geojson(const std::string& name, std::string_view text, std::size_t readable = 0);
LoadResult load_igc(const std::string& name, std::string_view text);
LoadResult load_acmi(const std::string& name, std::string_view text);
LoadResult load_fr24api_tracks(const std::string& name, std::string_view text, std::size_t readable = 0);
/// load_fr24api_tracks without its fast walker (the On-Demand reader only): the two must agree
/// on every input (tests/io and fuzz/fuzz_fr24api).
LoadResult load_fr24api_tracks_on_demand(const std::string& name, std::string_view text, std::size_t readable = 0);
LoadResult load_fr24api_summary(const std::string& name, std::string_view text, std::size_t readable = 0);
LoadResult load_fr24api_events(const std::string& name, std::string_view text, std::size_t readable = 0);
/// `input_tz` as in LoadOptions (validated by the caller; an unknown zone is a diagnostic).
LoadResult load_sbs(const std::string& name, std::string_view text, const std::string& input_tz = {});
LoadResult load_jet1090(const std::string& name, std::string_view text);
LoadResult load_fr24_playback_csv(const std::string& name, std::string_view text);
LoadResult load_fr24_trail(const std::string& name, std::string_view text, std::size_t readable = 0);
LoadResult load_readsb_snapshot(const std::string& name, std::string_view text);  // io/formats/readsb_snapshot.hpp
/// Joins summaries onto tracks by fr24_id: sets Track::summary and fills empty registration,
/// type and callsign from it. Several rows of one fr24_id (a flight-summary and a
/// flight-events file) are combined, the first row's values winning. Returns the number of
/// tracks joined.
std::size_t join_summaries(std::vector<Track>& tracks, const std::vector<LegSummary>& summaries);

/// A loader for line-oriented formats (SBS-1, jet1090, OpenSky CSV, FR24 CSV, fr24 playback
/// CSV, generic CSV) that load_file feeds in blocks while it reads, so memory grows with the points kept,
/// not with the file.
class LineStreamLoader {
public:
    virtual ~LineStreamLoader() = default;
    /// `block` holds whole lines (the last may lack its '\n' only when `last`); its first line
    /// is line `first_line` (1-based) of the file. At least `readable` bytes from block.data()
    /// may be read (>= block.size() + stream_padding: JSON parsers read ahead). Returns the bytes
    /// used: all of them, or (not `last`) fewer when a record continues past the block (a quoted
    /// CSV field holding a newline); the rest is offered again with the next lines.
    virtual std::size_t consume(std::string_view block, std::uint64_t first_line, std::size_t readable, bool last) = 0;
    /// The tracks and diagnostics; call once, after the last block.
    virtual LoadResult finish() = 0;
};
std::unique_ptr<LineStreamLoader> make_sbs_loader(const std::string& name, const std::string& input_tz);
std::unique_ptr<LineStreamLoader> make_jet1090_loader(const std::string& name);
std::unique_ptr<LineStreamLoader> make_opensky_csv_loader(const std::string& name);
std::unique_ptr<LineStreamLoader> make_fr24_csv_loader(const std::string& name);
std::unique_ptr<LineStreamLoader> make_fr24_playback_csv_loader(const std::string& name);
/// Bytes a LineStreamLoader may read past a block's end (simdjson's padding, rounded up).
inline constexpr std::size_t stream_padding = 128;
// load_generic_csv takes a column mapping; declared in io/formats/generic_csv.hpp.
}  // namespace detail

}  // namespace fr::io
