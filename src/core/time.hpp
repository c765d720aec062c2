#pragma once
// UTC time for flightreplay: integer milliseconds since the Unix epoch, no leap seconds
// (std::chrono::system_clock semantics, as every track format we read uses Unix time).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fr {

using Duration = std::chrono::milliseconds;
using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

/// Unix seconds (may be fractional) -> TimePoint, rounded to the nearest millisecond.
TimePoint from_unix_seconds(double seconds) noexcept;
/// TimePoint -> Unix seconds.
double to_unix_seconds(TimePoint t) noexcept;

/// Parses ISO 8601 UTC: `YYYY-MM-DDTHH:MM:SS[.fff](Z|+00:00|±HH:MM)`; also accepts a space
/// instead of `T` and a missing zone (taken as UTC). Returns nullopt on any syntax error or
/// out-of-range field.
std::optional<TimePoint> parse_iso8601(std::string_view text) noexcept;

/// Formats as `YYYY-MM-DDTHH:MM:SSZ` (milliseconds appended as `.fff` only when non-zero and
/// `with_millis` is set).
std::string format_iso8601(TimePoint t, bool with_millis = false);

/// Human duration, e.g. "36 h 04 min", "25 min", "42 s". Rounds to the nearest minute above
/// one minute.
std::string format_duration(Duration d);

/// Parses a relative offset like `+13h20m`, `90m`, `45s`, `1h` (sign optional). nullopt on a
/// syntax error or beyond 100 years (36,500 days) either way.
std::optional<Duration> parse_offset(std::string_view text) noexcept;

}  // namespace fr
