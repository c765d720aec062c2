#pragma once
// Times written without a zone (SBS-1 receivers log their local clock): converting a local
// wall-clock time to UTC through the system's IANA tz database (Howard Hinnant's date-tz reads
// /usr/share/zoneinfo; nothing is downloaded).
#include <cstdint>
#include <string>

#include "core/time.hpp"

namespace date {
class time_zone;
}

namespace fr::io::detail {

class InputZone {
public:
    /// Empty, "UTC", "Etc/UTC" and "Z" mean UTC (no conversion). Throws std::runtime_error
    /// when the tz database has no zone of that name.
    explicit InputZone(const std::string& name);

    bool is_utc() const noexcept { return m_zone == nullptr; }
    /// Local wall-clock milliseconds since 1970-01-01T00:00 (as if it were UTC) -> UTC. In the
    /// hour repeated when clocks go back the earlier instant is chosen; a time in the hour
    /// skipped when clocks go forward maps to the transition (date::choose::earliest).
    TimePoint to_utc(std::int64_t local_ms);

private:
    const date::time_zone* m_zone = nullptr;
    std::int64_t m_cached_key = INT64_MIN;  // local half hour whose offset is cached
    std::int64_t m_cached_offset_ms = 0;    // local - UTC
};

}  // namespace fr::io::detail
