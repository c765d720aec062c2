#include "io/text/input_tz.hpp"

#include <date/tz.h>

#include "core/error.hpp"
#include "core/setting_error.hpp"
#include "io/loader.hpp"

namespace fr::io {

namespace detail {

InputZone::InputZone(const std::string& name) {
    if (name.empty() || name == "UTC" || name == "Etc/UTC" || name == "Z") return;
    m_zone = date::locate_zone(name);  // throws std::runtime_error for unknown names
}

TimePoint InputZone::to_utc(std::int64_t local_ms) {
    if (!m_zone) return TimePoint{Duration{local_ms}};
    // Zone offsets change at a whole or half local hour (tzdb since 1990), so the offset is
    // the same across a local half hour: one tz database look-up per half hour of data.
    const std::int64_t key = local_ms >= 0 ? local_ms / 1'800'000 : (local_ms - 1'799'999) / 1'800'000;
    if (key != m_cached_key) {
        const date::local_seconds ls{std::chrono::seconds{key * 1800}};
        const auto sys = m_zone->to_sys(ls, date::choose::earliest);
        m_cached_offset_ms = (ls.time_since_epoch() - sys.time_since_epoch()).count() * 1000;
        m_cached_key = key;
    }
    return TimePoint{Duration{local_ms - m_cached_offset_ms}};
}

}  // namespace detail

void check_input_tz(const std::string& zone) {
    try {
        detail::InputZone z(zone);
    } catch (const std::exception& e) {
        throw SettingError("input_tz", "'" + zone + "' is not a time zone of the system's tz database (" + e.what() +
                                           "); use an IANA name such as Europe/Paris or UTC");
    }
}

}  // namespace fr::io
