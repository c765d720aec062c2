#pragma once
// The generic CSV loader: any delimited text with one fix per row, read through a column
// mapping given on the command line (--csv-columns) or built in code.
//
// Mapping grammar (items separated by commas; write a literal comma as `\,`):
//
//   mapping := item (',' item)*
//   item    := KEY '=' VALUE
//   KEY     := time | lat | lon | alt | speed | track | callsign | icao24 | registration
//              | sep | header
//   column keys (all but sep/header):  VALUE := COLUMN [':' OPTION]
//     COLUMN  := a header name (matched case-insensitively, surrounding spaces ignored)
//              | '#' N  (the N-th column, 1-based; needed with header=no)
//     time OPTION  := epoch_s (default) | epoch_ms | iso8601
//                   | a pattern containing '%': %Y %y %m %d %H %M %S, %f (fraction of a
//                     second, 1-9 digits), %b (Jan..Dec), %% ; everything else literal; UTC
//     alt OPTION   := m (default) | ft
//     speed OPTION := mps (default) | kt | kmh
//     track        := degrees clockwise from north (no option)
//   sep VALUE    := comma (default) | semicolon | tab | pipe | space | any single character
//   header VALUE := yes (default) | no
//
// time, lat and lon are required. Example:
//   time=ts:epoch_ms,lat=latitude,lon=longitude,alt=alt_ft:ft,speed=gs:kt
//   time=#1:%d/%m/%Y %H:%M:%S,lat=#2,lon=#3,sep=semicolon,header=no
// Rows are split into one Track per icao24 (when mapped), else per callsign, else one Track.
// An icao24 with a "0x" prefix (FR24 granular CSV) has the prefix removed.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "io/loader.hpp"

namespace fr::io {

struct GenericCsvMapping {
    enum class TimeForm { epoch_s, epoch_ms, iso8601, pattern };
    enum class AltUnit { m, ft };
    enum class SpeedUnit { mps, kt, kmh };

    /// A column by header name, or by 1-based index when `index` > 0.
    struct Column {
        std::string name;
        int index = 0;
        bool set() const noexcept { return index > 0 || !name.empty(); }
    };

    Column time, lat, lon, altitude, speed, track, callsign, icao24, registration;
    TimeForm time_form = TimeForm::epoch_s;
    std::string time_pattern;  ///< when time_form == pattern
    AltUnit altitude_unit = AltUnit::m;
    SpeedUnit speed_unit = SpeedUnit::mps;
    char separator = ',';
    bool header = true;

    /// Parses the grammar above. Throws fr::UsageError naming the offending item and what
    /// was expected.
    static GenericCsvMapping parse(std::string_view spec);
};

/// Parses a time with a strftime-like pattern (grammar above), as UTC. nullopt on mismatch.
std::optional<TimePoint> parse_time_pattern(std::string_view text, std::string_view pattern) noexcept;

namespace detail {
/// Loads delimited text with `mapping`. Never throws for bad rows (Diagnostics instead).
LoadResult load_generic_csv(const std::string& name, std::string_view text, const GenericCsvMapping& mapping);
/// The same loader fed in blocks of whole lines while the file is read (load_file streams the
/// generic CSV this way: memory grows with the points kept, not with the file).
std::unique_ptr<LineStreamLoader> make_generic_csv_loader(const std::string& name, const GenericCsvMapping& mapping);
}  // namespace detail

}  // namespace fr::io
