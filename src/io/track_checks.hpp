#pragma once
// Checks shared by every loader, applied after a file is parsed: sort by time (out-of-order
// rows are reported), drop exact duplicate timestamps (reported), and reject fixes implying
// impossible speeds. Each action leaves a Diagnostic naming the source line.
#include <cstdint>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/track.hpp"

namespace fr::io::detail {

/// Physical limits for sanity checks.
/// 1,500 kt ground speed: above Concorde's 1,176 kt maximum plus a 200 kt jet-stream tailwind
/// with margin; a report beyond it is a corrupt value, not an aircraft.
inline constexpr double max_ground_speed_kt = 1500.0;
/// -2,000 ft .. 100,000 ft: the Dead Sea shore is -1,400 ft; no aircraft in these data sets
/// cruises above FL600 and U-2/SR-71 ceilings are below 90,000 ft.
inline constexpr double min_altitude_ft = -2000.0;
inline constexpr double max_altitude_ft = 100000.0;
/// Unix time before 1990-01-01 or after 2100-01-01 is a broken clock, not a recording.
inline constexpr std::int64_t min_unix_s = 631152000;
inline constexpr std::int64_t max_unix_s = 4102444800;

/// A parsed fix with the line it came from (for diagnostics during post-processing).
struct SourcedPoint {
    TrackPoint point;
    std::uint64_t line;
};

/// Sorts by time (stable), reports out-of-order and duplicate rows, drops duplicates (the first
/// row for a timestamp is kept), and returns the points. `skipped` is incremented per drop.
std::vector<TrackPoint> finalize_points(std::vector<SourcedPoint> pts, const std::string& file,
                                        Diagnostics& diags, std::size_t& skipped);

}  // namespace fr::io::detail
