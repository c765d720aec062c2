#pragma once
// Local time beside UTC (--tz). UTC is always shown; this adds the local clock time.
//
// Rules: the OS time-zone database (/usr/share/zoneinfo) through date::date-tz, Debian's build
// of Howard Hinnant's date library (USE_OS_TZDB: nothing is downloaded, ever).
// Zones:
//   * an airport's zone comes from assets/tz/airport_tz.csv (icao -> tzid), precomputed with
//     npm geo-tz from the exact timezone-boundary-builder polygons (OpenStreetMap data, ODbL);
//   * the zone under an aircraft comes from a port of npm tz-lookup (CC0): a quadtree of
//     cells down to about 0.1 degree, assets/tz/tz_lookup.txt. It is lossy near borders (a
//     cell takes one zone) and over open sea it gives nautical zones (Etc/GMT+N).
#include <optional>
#include <string>

#include "analysis/analysis.hpp"
#include "core/lat_lon.hpp"
#include "core/time.hpp"

namespace fr::render {

/// Throws fr::UsageError unless `tz` is "utc", "auto" or a zone of the OS database.
void check_tz_option(const std::string& tz);

/// The ported tz-lookup: a zone id for any position (degrees). Throws fr::IoError when the
/// table cannot be read.
std::string tz_lookup(LatLon p);
/// An airport's zone from the geo-tz table; nullopt for an unknown code.
std::optional<std::string> airport_time_zone(const std::string& icao);

/// "10:05 KST" (hours:minutes and the zone's abbreviation at t); with `seconds`, "10:05:31 KST".
/// Throws fr::UsageError for an unknown zone.
std::string format_local(TimePoint t, const std::string& zone, bool seconds = false);
/// Whole days between t's local date in `zone` and its UTC date (-1, 0 or +1).
int local_day_offset(TimePoint t, const std::string& zone);

/// --tz as the renderer uses it.
class LocalTime {
public:
    explicit LocalTime(std::string mode = "utc");  ///< throws like check_tz_option
    bool enabled() const noexcept { return m_mode != "utc"; }
    bool automatic() const noexcept { return m_mode == "auto"; }
    /// The zone to show at a position: auto, the zone there (tz-lookup); else the fixed zone.
    std::string zone_at(LatLon p) const;
    /// The zone of a stop: auto, the airport's (geo-tz table, else tz-lookup at the stop);
    /// else the fixed zone.
    std::string stop_zone(const analysis::Stop& s) const;
    /// The stop card's time lines: "arrived 2023-08-01 01:05Z / 10:05 KST" and, once the
    /// aircraft has left (`departed`), "departed ..."; without --tz the UTC part alone. A local
    /// date other than the UTC date is marked "(+1d)" or "(-1d)".
    std::string stop_times(const analysis::Stop& s, bool departed) const;

private:
    std::string m_mode;
};

}  // namespace fr::render
