#pragma once
// Track loading: format detection by content and one loader per format (one source file
// each). Every loader produces core Tracks in SI units and collects Diagnostics for bad
// records instead of throwing; only file-level failures (cannot open, unknown format, no
// usable point in strict mode) throw fr::IoError.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/track.hpp"

namespace fr::io {

enum class Format {
    automatic,
    fr24_csv,       ///< Flightradar24 per-flight CSV (7- or 6-column)
    fr24_kml,       ///< Flightradar24 KML export (Route folder)
    fr24_json,      ///< Flightradar24 playback JSON
    readsb_trace,   ///< readsb / tar1090 trace_full JSON (optionally gzip)
    opensky_csv,    ///< OpenSky state vectors CSV
    opensky_json,   ///< traffic-library OpenSky records JSON (gzip)
    gpx,
    kml_track,      ///< KML gx:Track
    geojson,
    igc,
    acmi,           ///< Tacview ACMI 2.2 text
    generic_csv,
};

const char* to_string(Format f) noexcept;
/// Parses a --format name ("fr24-csv", "readsb", ...). Throws fr::UsageError listing the names.
Format parse_format(const std::string& name);

struct LoadOptions {
    Format format = Format::automatic;
    bool strict = false;  ///< any diagnostic becomes fatal (IoError)
    std::string csv_columns;  ///< --csv-columns mapping, required for Format::generic_csv (grammar in io/generic_csv.hpp)
};

struct LoadResult {
    std::vector<Track> tracks;  ///< usually one; several for multi-aircraft files
    Diagnostics diagnostics;
    Format format = Format::automatic;
    std::size_t rows_read = 0;     ///< records examined
    std::size_t rows_skipped = 0;  ///< records dropped with a diagnostic
};

/// Guesses the format from the first bytes of the file (and the name as a tie-breaker).
/// Throws IoError naming what was recognised and what was expected when nothing fits.
Format detect_format(const std::filesystem::path& path);

/// Loads one file. The provenance flag is set from the file name: "reconstructed" or
/// "synthetic" anywhere in it marks the tracks as such (docs/decisions.md). Throws IoError when
/// the file cannot be read, or yields no usable point, or (strict) has any diagnostic.
LoadResult load_file(const std::filesystem::path& path, const LoadOptions& opt = {});

/// Expands directories (recursively, sorted) and loads every file; diagnostics accumulate.
LoadResult load_paths(const std::vector<std::filesystem::path>& paths, const LoadOptions& opt = {});

/// Provenance implied by a file name (see load_file).
Provenance provenance_from_name(const std::filesystem::path& path);

namespace detail {
// Per-format entry points, each in its own source file. `text` is the whole file content
// (already decompressed); `name` is used in diagnostics. They never throw for bad records.
LoadResult load_fr24_csv(const std::string& name, std::string_view text);
LoadResult load_fr24_kml(const std::string& name, std::string_view text);
LoadResult load_fr24_json(const std::string& name, std::string_view text);
LoadResult load_readsb(const std::string& name, std::string_view text);
/// load_readsb without its fast walker (the On-Demand reader only): the two must agree on every
/// input (tests/io and fuzz/fuzz_readsb_readers).
LoadResult load_readsb_on_demand(const std::string& name, std::string_view text);
/// "" when two load results are the same (tracks and points bit for bit, diagnostics, counts);
/// else what differs first.
std::string first_difference(const LoadResult& a, const LoadResult& b);
LoadResult load_opensky_csv(const std::string& name, std::string_view text);
LoadResult load_opensky_json(const std::string& name, std::string_view text);
LoadResult load_gpx(const std::string& name, std::string_view text);
LoadResult load_kml_track(const std::string& name, std::string_view text);
LoadResult load_geojson(const std::string& name, std::string_view text);
LoadResult load_igc(const std::string& name, std::string_view text);
LoadResult load_acmi(const std::string& name, std::string_view text);
// load_generic_csv takes a column mapping; declared in io/generic_csv.hpp.
}  // namespace detail

}  // namespace fr::io
