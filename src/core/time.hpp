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
/// format_iso8601(t, with_millis) appended to `out` (no string of its own).
void append_iso8601(std::string& out, TimePoint t, bool with_millis = false);

/// Human duration, e.g. "36 h 04 min", "25 min", "42 s". Rounds to the nearest minute above
/// one minute.
std::string format_duration(Duration d);

/// A time span for people, minutes (rounded down) in UTC: "31 Jul 2023 15:02Z - 2 Aug 2023
/// 23:41Z (2 d 9 h)"; within one UTC day the date is written once ("31 Jul 2023 15:02Z -
/// 18:20Z (3 h 18 min)"). The length is format_duration's below one day, else days and hours
/// rounded to the nearest hour. `to` before `from` is written as given, with a negative length.
std::string format_time_span(TimePoint from, TimePoint to);

/// Parses a relative offset like `+13h20m`, `90m`, `45s`, `1h` (sign optional). nullopt on a
/// syntax error or beyond 100 years (36,500 days) either way.
std::optional<Duration> parse_offset(std::string_view text) noexcept;
/// An offset as parse_offset reads it back: "+13h20m", "-45s", "+0s".
std::string format_offset(Duration d);

/// A time as a user gives it: absolute UTC, or an offset from a base that the caller defines
/// (for the replay options: the earliest accepted fix of the selected aircraft).
struct TimeRef {
    std::optional<TimePoint> absolute;
    Duration offset{};

    static TimeRef at_time(TimePoint t) noexcept { return TimeRef{t, Duration{}}; }
    static TimeRef after_base(Duration d) noexcept { return TimeRef{std::nullopt, d}; }
    /// ISO 8601 UTC (parse_iso8601) or a signed offset (parse_offset); nullopt otherwise.
    static std::optional<TimeRef> parse(std::string_view text) noexcept;

    bool is_absolute() const noexcept { return absolute.has_value(); }
    TimePoint resolve(TimePoint base) const noexcept { return absolute ? *absolute : base + offset; }
    /// ISO 8601 with milliseconds when absolute, else format_offset: parse() reads it back.
    std::string to_string() const;
    friend bool operator==(const TimeRef&, const TimeRef&) = default;
};

/// START,END of a replay interval, each a TimeRef.
struct TimeRange {
    TimeRef start, end;
    friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

}  // namespace fr
