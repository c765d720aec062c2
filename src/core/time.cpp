#include "core/time.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

namespace fr {

TimePoint from_unix_seconds(double seconds) noexcept {
    return TimePoint{Duration{static_cast<std::int64_t>(std::llround(seconds * 1000.0))}};
}

double to_unix_seconds(TimePoint t) noexcept { return static_cast<double>(t.time_since_epoch().count()) / 1000.0; }

namespace {

bool read_int(std::string_view s, std::size_t pos, std::size_t len, int& out) noexcept {
    if (pos + len > s.size()) return false;
    for (std::size_t i = pos; i < pos + len; ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    auto r = std::from_chars(s.data() + pos, s.data() + pos + len, out);
    return r.ec == std::errc{};
}

}  // namespace

std::optional<TimePoint> parse_iso8601(std::string_view s) noexcept {
    using namespace std::chrono;
    int y, mo, d, h, mi, se;
    if (!read_int(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !read_int(s, 5, 2, mo) || s[7] != '-' || !read_int(s, 8, 2, d) ||
        (s[10] != 'T' && s[10] != ' ') || !read_int(s, 11, 2, h) || s[13] != ':' || !read_int(s, 14, 2, mi) || s[16] != ':' ||
        !read_int(s, 17, 2, se))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    std::size_t pos = 19;
    std::int64_t millis = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (digits < 3) millis = millis * 10 + (s[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0) return std::nullopt;
        for (int k = digits; k < 3; ++k) millis *= 10;
    }
    std::int64_t offset_min = 0;
    if (pos < s.size()) {
        if (s[pos] == 'Z' && pos + 1 == s.size()) {
            pos += 1;
        } else if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
            int oh, om;
            if (!read_int(s, pos + 1, 2, oh) || !read_int(s, pos + 4, 2, om) || oh > 23 || om > 59) return std::nullopt;
            offset_min = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
            pos += 6;
        } else if (s.substr(pos) == " UTC") {
            pos = s.size();
        } else {
            return std::nullopt;
        }
    }
    auto tp = sys_days{ymd} + hours{h} + minutes{mi} + seconds{se} + milliseconds{millis} - minutes{offset_min};
    return time_point_cast<milliseconds>(tp);
}

void append_iso8601(std::string& out, TimePoint t, bool with_millis) {
    using namespace std::chrono;
    const auto day_point = floor<days>(t);
    const year_month_day ymd{day_point};
    const hh_mm_ss hms{t - day_point};
    const int year = static_cast<int>(ymd.year());
    const auto ms = hms.subseconds().count();
    if (year < 0 || year > 9999) {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", year, static_cast<unsigned>(ymd.month()),
                      static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                      static_cast<int>(hms.seconds().count()));
        out += buf;
    } else {
        // The same digits as the "%04d-%02u-%02uT%02d:%02d:%02d" above, without printf: reports
        // of hundreds of thousands of legs write two of these per leg.
        char buf[19];
        auto two = [&](int at, unsigned v) {
            buf[at] = static_cast<char>('0' + v / 10);
            buf[at + 1] = static_cast<char>('0' + v % 10);
        };
        two(0, static_cast<unsigned>(year / 100));
        two(2, static_cast<unsigned>(year % 100));
        buf[4] = '-';
        two(5, static_cast<unsigned>(ymd.month()));
        buf[7] = '-';
        two(8, static_cast<unsigned>(ymd.day()));
        buf[10] = 'T';
        two(11, static_cast<unsigned>(hms.hours().count()));
        buf[13] = ':';
        two(14, static_cast<unsigned>(hms.minutes().count()));
        buf[16] = ':';
        two(17, static_cast<unsigned>(hms.seconds().count()));
        out.append(buf, sizeof buf);
    }
    if (with_millis && ms != 0) {
        char buf[8];
        std::snprintf(buf, sizeof buf, ".%03d", static_cast<int>(ms));
        out += buf;
    }
    out += 'Z';
}

std::string format_iso8601(TimePoint t, bool with_millis) {
    std::string out;
    out.reserve(24);
    append_iso8601(out, t, with_millis);
    return out;
}

std::string format_duration(Duration d) {
    using namespace std::chrono;
    const bool negative = d < Duration::zero();
    if (negative) d = -d;
    std::string out = negative ? "-" : "";
    // "%lld s", "%lld min" or "%lld h %02lld min", written without printf (two per leg in a report).
    if (d < minutes{1}) {
        out += std::to_string(duration_cast<seconds>(d).count());
        out += " s";
    } else {
        const auto total_min = (d.count() + 30'000) / 60'000;  // nearest minute
        const auto h = total_min / 60, m = total_min % 60;
        if (h != 0) {
            out += std::to_string(h);
            out += m < 10 ? " h 0" : " h ";
        }
        out += std::to_string(m);
        out += " min";
    }
    return out;
}

namespace {
/// "31 Jul 2023" and "15:02Z" of t, minutes rounded down.
std::pair<std::string, std::string> day_and_minute(TimePoint t) {
    using namespace std::chrono;
    static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const auto min = duration_cast<minutes>(floor<minutes>(t) - day).count();
    char d[32], m[16];
    std::snprintf(d, sizeof d, "%u %s %d", static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                  static_cast<int>(ymd.year()));
    std::snprintf(m, sizeof m, "%02lld:%02lldZ", static_cast<long long>(min / 60), static_cast<long long>(min % 60));
    return {d, m};
}
}  // namespace

std::string format_time_span(TimePoint from, TimePoint to) {
    using namespace std::chrono;
    const auto [d0, m0] = day_and_minute(from);
    const auto [d1, m1] = day_and_minute(to);
    std::string out = d0 + " " + m0 + " - " + (d0 == d1 ? m1 : d1 + " " + m1) + " (";
    Duration len = to - from;
    if (len < Duration::zero()) {
        out += "-";
        len = -len;
    }
    if (len < days{1}) {
        out += format_duration(len);
    } else {
        const auto total_h = (len.count() + 1'800'000) / 3'600'000;  // nearest hour
        out += std::to_string(total_h / 24) + " d";
        if (total_h % 24) out += " " + std::to_string(total_h % 24) + " h";
    }
    return out + ")";
}

std::optional<Duration> parse_offset(std::string_view s) noexcept {
    // At most 100 years either way: far beyond any recording, and small enough that adding the
    // offset to any time we handle cannot overflow the 64-bit millisecond count.
    constexpr std::int64_t kMaxMs = 36'500LL * 86'400'000;
    if (s.empty()) return std::nullopt;
    int sign = 1;
    if (s[0] == '+' || s[0] == '-') {
        sign = s[0] == '-' ? -1 : 1;
        s.remove_prefix(1);
    }
    if (s.empty()) return std::nullopt;
    std::int64_t total_ms = 0;
    while (!s.empty()) {
        std::int64_t value = 0;
        auto r = std::from_chars(s.data(), s.data() + s.size(), value);
        if (r.ec != std::errc{} || r.ptr == s.data() + s.size() || value < 0) return std::nullopt;
        const char unit = *r.ptr;
        s.remove_prefix(static_cast<std::size_t>(r.ptr - s.data()) + 1);
        std::int64_t unit_ms = 0;
        switch (unit) {
            case 'd': unit_ms = 86'400'000; break;
            case 'h': unit_ms = 3'600'000; break;
            case 'm': unit_ms = 60'000; break;
            case 's': unit_ms = 1'000; break;
            default: return std::nullopt;
        }
        if (value > kMaxMs / unit_ms) return std::nullopt;
        total_ms += value * unit_ms;  // each term <= kMaxMs, so the sum of a few cannot overflow
        if (total_ms > kMaxMs) return std::nullopt;
    }
    return Duration{sign * total_ms};
}

std::string format_offset(Duration d) {
    std::int64_t ms = d.count();
    std::string out = ms < 0 ? "-" : "+";
    std::uint64_t a = ms < 0 ? 0 - static_cast<std::uint64_t>(ms) : static_cast<std::uint64_t>(ms);
    const std::uint64_t sec = a / 1000;
    const std::uint64_t parts[4] = {sec / 86'400, sec / 3600 % 24, sec / 60 % 60, sec % 60};
    const char units[4] = {'d', 'h', 'm', 's'};
    bool any = false;
    for (int i = 0; i < 4; ++i) {
        if (parts[i] == 0) continue;
        out += std::to_string(parts[i]) + units[i];
        any = true;
    }
    if (!any) out += "0s";
    return out;
}

std::optional<TimeRef> TimeRef::parse(std::string_view text) noexcept {
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
        if (auto d = parse_offset(text)) return after_base(*d);
        return std::nullopt;
    }
    if (auto t = parse_iso8601(text)) return at_time(*t);
    return std::nullopt;
}

std::string TimeRef::to_string() const { return absolute ? format_iso8601(*absolute, /*with_millis=*/true) : format_offset(offset); }

}  // namespace fr
