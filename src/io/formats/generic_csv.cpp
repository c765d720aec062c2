// Generic delimited-text loader driven by a GenericCsvMapping (grammar in generic_csv.hpp).
#include "io/formats/generic_csv.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "core/error.hpp"
#include "core/setting_error.hpp"
#include "io/formats/text_formats.hpp"
#include "io/formats/track_checks.hpp"
#include "io/text/csv.hpp"
#include "io/text/csv_stream.hpp"

namespace fr::io {

namespace {

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

[[noreturn]] void bad(std::string_view item, const std::string& why) {
    throw SettingError("csv_columns", "column mapping item '" + std::string(item) + "': " + why);
}

GenericCsvMapping::Column parse_column(std::string_view item, std::string_view v) {
    GenericCsvMapping::Column c;
    v = detail::trim(v);
    if (v.empty()) bad(item, "empty column name");
    if (v[0] == '#') {
        std::int64_t n = 0;
        if (!detail::parse_int64(v.substr(1), n) || n < 1 || n > 100000) bad(item, "'#N' needs a column number 1..100000");
        c.index = static_cast<int>(n);
    } else {
        c.name = std::string(v);
    }
    return c;
}

}  // namespace

GenericCsvMapping GenericCsvMapping::parse(std::string_view spec) {
    GenericCsvMapping m;
    // Split on unescaped commas.
    std::vector<std::string> items(1);
    for (std::size_t i = 0; i < spec.size(); ++i) {
        if (spec[i] == '\\' && i + 1 < spec.size() && spec[i + 1] == ',')
            items.back() += spec[++i];
        else if (spec[i] == ',')
            items.emplace_back();
        else
            items.back() += spec[i];
    }
    for (const auto& item : items) {
        if (detail::trim(item).empty()) continue;
        const auto eq = item.find('=');
        if (eq == std::string::npos) bad(item, "expected KEY=VALUE");
        const std::string key = lower_ascii(detail::trim(std::string_view(item).substr(0, eq)));
        const std::string_view value = std::string_view(item).substr(eq + 1);
        if (key == "sep") {
            const std::string v = lower_ascii(value);
            if (v == "comma")
                m.separator = ',';
            else if (v == "semicolon")
                m.separator = ';';
            else if (v == "tab" || value == "\\t")
                m.separator = '\t';
            else if (v == "pipe")
                m.separator = '|';
            else if (v == "space")
                m.separator = ' ';
            else if (value.size() == 1 && value[0] != '"' && value[0] != '\n')
                m.separator = value[0];
            else
                bad(item, "sep must be comma, semicolon, tab, pipe, space or one character");
            continue;
        }
        if (key == "header") {
            const std::string v = lower_ascii(detail::trim(value));
            if (v == "yes" || v == "true")
                m.header = true;
            else if (v == "no" || v == "false")
                m.header = false;
            else
                bad(item, "header must be yes or no");
            continue;
        }
        const auto colon = value.find(':');
        const std::string_view col = value.substr(0, colon);
        const std::string_view opt = colon == std::string_view::npos ? std::string_view{} : value.substr(colon + 1);
        const Column c = parse_column(item, col);
        if (key == "time") {
            m.time = c;
            if (opt.empty() || opt == "epoch_s")
                m.time_form = TimeForm::epoch_s;
            else if (opt == "epoch_ms")
                m.time_form = TimeForm::epoch_ms;
            else if (opt == "iso8601")
                m.time_form = TimeForm::iso8601;
            else if (opt.find('%') != std::string_view::npos) {
                m.time_form = TimeForm::pattern;
                m.time_pattern = std::string(opt);
            } else
                bad(item, "time form must be epoch_s, epoch_ms, iso8601 or a %-pattern such as %d/%m/%Y %H:%M:%S");
        } else if (key == "alt" || key == "altitude") {
            m.altitude = c;
            if (opt.empty() || opt == "m")
                m.altitude_unit = AltUnit::m;
            else if (opt == "ft")
                m.altitude_unit = AltUnit::ft;
            else
                bad(item, "altitude unit must be m or ft");
        } else if (key == "speed") {
            m.speed = c;
            if (opt.empty() || opt == "mps")
                m.speed_unit = SpeedUnit::mps;
            else if (opt == "kt")
                m.speed_unit = SpeedUnit::kt;
            else if (opt == "kmh")
                m.speed_unit = SpeedUnit::kmh;
            else
                bad(item, "speed unit must be mps, kt or kmh");
        } else {
            if (!opt.empty()) bad(item, "'" + key + "' takes no ':' option");
            if (key == "lat")
                m.lat = c;
            else if (key == "lon")
                m.lon = c;
            else if (key == "track")
                m.track = c;
            else if (key == "callsign")
                m.callsign = c;
            else if (key == "icao24")
                m.icao24 = c;
            else if (key == "registration")
                m.registration = c;
            else
                bad(item, "unknown key (expected time, lat, lon, alt, speed, track, callsign, icao24, registration, sep, header)");
        }
    }
    if (!m.time.set() || !m.lat.set() || !m.lon.set())
        throw SettingError("csv_columns",
                           "a column mapping must map time, lat and lon (e.g. 'time=ts:epoch_s,lat=latitude,lon=longitude'), got '" +
                               std::string(spec) + "'");
    if (!m.header) {
        for (const Column* c : {&m.time, &m.lat, &m.lon, &m.altitude, &m.speed, &m.track, &m.callsign, &m.icao24, &m.registration})
            if (!c->name.empty()) throw SettingError("csv_columns", "with header=no every column must be '#N', not '" + c->name + "'");
    }
    return m;
}

std::optional<TimePoint> parse_time_pattern(std::string_view s, std::string_view pat) noexcept {
    using namespace std::chrono;
    int y = 1970, mo = 1, d = 1, h = 0, mi = 0, se = 0;
    std::int64_t nanos = 0;
    std::size_t i = 0;
    auto num = [&](int maxlen, int& out) {
        int n = 0, v = 0;
        while (n < maxlen && i < s.size() && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0'), ++n;
        out = v;
        return n > 0;
    };
    for (std::size_t p = 0; p < pat.size(); ++p) {
        if (pat[p] != '%') {
            if (i >= s.size() || s[i] != pat[p]) return std::nullopt;
            ++i;
            continue;
        }
        if (++p >= pat.size()) return std::nullopt;
        switch (pat[p]) {
            case 'Y':
                if (!num(4, y)) return std::nullopt;
                break;
            case 'y':
                if (!num(2, y)) return std::nullopt;
                y += y >= 70 ? 1900 : 2000;
                break;
            case 'm':
                if (!num(2, mo)) return std::nullopt;
                break;
            case 'd':
                if (!num(2, d)) return std::nullopt;
                break;
            case 'H':
                if (!num(2, h)) return std::nullopt;
                break;
            case 'M':
                if (!num(2, mi)) return std::nullopt;
                break;
            case 'S':
                if (!num(2, se)) return std::nullopt;
                break;
            case 'f': {
                int n = 0;
                std::int64_t v = 0;
                while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
                    if (n < 9) v = v * 10 + (s[i] - '0'), ++n;
                    ++i;
                }
                if (n == 0) return std::nullopt;
                for (int k = n; k < 9; ++k) v *= 10;
                nanos = v;
                break;
            }
            case 'b': {
                static constexpr std::string_view months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                              "jul", "aug", "sep", "oct", "nov", "dec"};
                if (i + 3 > s.size()) return std::nullopt;
                std::string m3;
                for (int k = 0; k < 3; ++k) m3 += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i + k])));
                int found = 0;
                for (int k = 0; k < 12; ++k)
                    if (months[k] == m3) found = k + 1;
                if (!found) return std::nullopt;
                mo = found;
                i += 3;
                break;
            }
            case '%':
                if (i >= s.size() || s[i] != '%') return std::nullopt;
                ++i;
                break;
            default: return std::nullopt;
        }
    }
    if (i != s.size()) return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return time_point_cast<milliseconds>(sys_days{ymd} + hours{h} + minutes{mi} + seconds{se} + milliseconds{(nanos + 500000) / 1000000});
}

namespace detail {

namespace {

/// The generic CSV loader, fed in blocks of whole lines while the file is read (or once with
/// the whole text): the first record is the header when the mapping says so; rows become
/// points of one track per icao24 (else callsign, else one track).
class GenericCsvLoader final : public CsvStreamLoader {
public:
    // 1024 fields: generous for wide exports, but bounded so that a billion-field line cannot
    // exhaust memory.
    GenericCsvLoader(std::string name, GenericCsvMapping mapping)
        : CsvStreamLoader(1024, mapping.separator), m_name(std::move(name)), m_map(std::move(mapping)) {
        m_res.format = Format::generic_csv;
        if (!m_map.header) {
            auto by_index = [](const GenericCsvMapping::Column& col) { return col.index > 0 ? col.index - 1 : -1; };
            const GenericCsvMapping& m = m_map;
            c = {by_index(m.time),  by_index(m.lat),      by_index(m.lon),    by_index(m.altitude),    by_index(m.speed),
                 by_index(m.track), by_index(m.callsign), by_index(m.icao24), by_index(m.registration)};
            resolved();
        }
    }

    LoadResult finish() override {
        LoadResult& res = m_res;
        if (m_map.header && !m_header_seen) {
            res.diagnostics.error(m_name, 1, 0, "empty file: expected a header row naming the mapped columns");
            return std::move(res);
        }
        if (m_dead) return std::move(res);
        if (res.rows_read == 0)
            res.diagnostics.error(m_name, m_map.header ? 1 : 0, m_map.header ? 1 : 0,
                                  m_map.header ? "header only: no data rows after the header" : "no data rows");
        for (auto& pend : m_out) {
            pend.track.points = pend.pts.finalize(m_name, res.diagnostics, res.rows_skipped);
            pend.track.source = m_name;
            if (!pend.track.points.empty()) res.tracks.push_back(std::move(pend.track));
        }
        m_out.clear();
        return std::move(res);
    }

private:
    struct Resolved {
        int time = -1, lat = -1, lon = -1, alt = -1, speed = -1, track = -1, callsign = -1, icao24 = -1, reg = -1;
    };

    void resolved() { m_needed = std::max({c.time, c.lat, c.lon, c.alt, c.speed, c.track, c.callsign, c.icao24, c.reg}) + 1; }

    void header(const std::vector<std::string_view>& f, std::uint64_t line) {
        std::string err;
        auto resolve = [&](const GenericCsvMapping::Column& col, const char* what) -> int {
            if (!col.set()) return -1;
            if (col.index > 0) return col.index - 1;
            const std::string want = lower_ascii(trim(col.name));
            for (std::size_t i = 0; i < f.size(); ++i)
                if (lower_ascii(trim(f[i])) == want) return static_cast<int>(i);
            if (err.empty()) err = std::string(what) + " column '" + col.name + "' is not in the header";
            return -1;
        };
        const GenericCsvMapping& m = m_map;
        c = {resolve(m.time, "time"),         resolve(m.lat, "lat"),       resolve(m.lon, "lon"),
             resolve(m.altitude, "alt"),      resolve(m.speed, "speed"),   resolve(m.track, "track"),
             resolve(m.callsign, "callsign"), resolve(m.icao24, "icao24"), resolve(m.registration, "registration")};
        if (!err.empty()) {
            m_res.diagnostics.error(m_name, line, 1, err + " (the header line has " + std::to_string(f.size()) + " fields; file not read)");
            m_dead = true;
            return;
        }
        resolved();
    }

    void record(const std::vector<std::string_view>& f, std::uint64_t line, const std::string& error) override {
        if (m_dead) return;
        if (m_map.header && !m_header_seen) {
            m_header_seen = true;
            header(f, line);
            return;
        }
        LoadResult& res = m_res;
        const std::string& name = m_name;
        const GenericCsvMapping& m = m_map;
        if (f.size() == 1 && trim(f[0]).empty()) return;
        ++res.rows_read;
        auto skip = [&](int column, const std::string& msg) {
            res.diagnostics.warn(name, line, static_cast<std::uint64_t>(column + 1), msg + " (row skipped)");
            ++res.rows_skipped;
        };
        if (!error.empty()) {
            skip(0, error);
            return;
        }
        if (static_cast<int>(f.size()) < m_needed) {
            skip(0, "row has " + std::to_string(f.size()) + " field(s), the mapping needs " + std::to_string(m_needed));
            return;
        }
        const std::string_view ts = trim(f[c.time]);
        std::optional<TimePoint> t;
        switch (m.time_form) {
            case GenericCsvMapping::TimeForm::epoch_s:
            case GenericCsvMapping::TimeForm::epoch_ms: {
                double v = 0;
                if (parse_double(ts, v) && std::isfinite(v) && std::fabs(v) < 1e15)
                    t = from_unix_seconds(m.time_form == GenericCsvMapping::TimeForm::epoch_ms ? v / 1000.0 : v);
                break;
            }
            case GenericCsvMapping::TimeForm::iso8601: t = parse_iso8601(ts); break;
            case GenericCsvMapping::TimeForm::pattern: t = parse_time_pattern(ts, m.time_pattern); break;
        }
        static constexpr const char* form_names[] = {"Unix seconds", "Unix milliseconds", "ISO 8601", "the pattern"};
        if (!t) {
            skip(c.time, "time " + quote_value(ts) + " is not " + form_names[static_cast<int>(m.time_form)] +
                             (m.time_form == GenericCsvMapping::TimeForm::pattern ? " '" + m.time_pattern + "'" : std::string{}));
            return;
        }
        if (!plausible_time(*t)) {
            skip(c.time, "time " + quote_value(ts) + " is outside 1990..2100 (wrong epoch unit?)");
            return;
        }
        double lat = 0, lon = 0;
        if (!parse_double(f[c.lat], lat) || !std::isfinite(lat)) {
            skip(c.lat, "lat " + quote_value(f[c.lat]) + " is not a number");
            return;
        }
        if (!parse_double(f[c.lon], lon) || !std::isfinite(lon)) {
            skip(c.lon, "lon " + quote_value(f[c.lon]) + " is not a number");
            return;
        }
        const auto ll = LatLon::checked(lat, lon);
        if (!ll) {
            skip(std::fabs(lat) > 90 ? c.lat : c.lon,
                 "lat " + quote_value(f[c.lat]) + " lon " + quote_value(f[c.lon]) + " out of range (-90..90, -180..180; columns swapped?)");
            return;
        }
        TrackPoint p(*t, *ll);
        if (c.alt >= 0 && !trim(f[c.alt]).empty()) {
            double v = 0;
            const bool ft = m.altitude_unit == GenericCsvMapping::AltUnit::ft;
            if (!parse_double(f[c.alt], v) || !std::isfinite(v)) {
                skip(c.alt, "alt " + quote_value(f[c.alt]) + " is not a number");
                return;
            }
            const Length alt = ft ? Length::feet(v) : Length::metres(v);
            if (alt.ft() < min_altitude_ft || alt.ft() > max_altitude_ft) {
                skip(c.alt, "alt " + quote_value(f[c.alt]) + (ft ? " ft" : " m") + " is outside -2000..100000 ft");
                return;
            }
            p.set_altitude(alt);
        }
        if (c.speed >= 0 && !trim(f[c.speed]).empty()) {
            double v = 0;
            if (!parse_double(f[c.speed], v) || !std::isfinite(v) || v < 0) {
                skip(c.speed, "speed " + quote_value(f[c.speed]) + " is not a non-negative number");
                return;
            }
            const Speed s = m.speed_unit == GenericCsvMapping::SpeedUnit::kt    ? Speed::knots(v)
                            : m.speed_unit == GenericCsvMapping::SpeedUnit::kmh ? Speed::km_per_hour(v)
                                                                                : Speed::metres_per_second(v);
            if (s.kt() > max_ground_speed_kt) {
                skip(c.speed, "speed " + quote_value(f[c.speed]) + " is above 1500 kt");
                return;
            }
            p.set_ground_speed(s);
        }
        if (c.track >= 0 && !trim(f[c.track]).empty()) {
            double v = 0;
            if (!parse_double(f[c.track], v) || !std::isfinite(v) || v < -360 || v > 360)
                res.diagnostics.warn(name, line, c.track + 1, "track " + quote_value(f[c.track]) + " is not degrees (ignored)");
            else
                p.set_track(Angle::degrees(v).normalized_360());
        }
        // Grouping key: ICAO address, else (no icao24 column) callsign, else one track. The key
        // is built in a reused buffer: most rows continue the aircraft of the row before.
        const std::string_view icao_field = c.icao24 >= 0 ? trim(f[c.icao24]) : std::string_view{};
        const std::string_view cs = c.callsign >= 0 ? trim(f[c.callsign]) : std::string_view{};
        m_key.clear();
        if (!icao_field.empty()) {
            std::string_view hex = icao_field;
            if (hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
            if (!hex.empty()) {
                m_key.append("i:");
                for (const char ch : hex) m_key += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            }
        } else if (c.icao24 < 0 && !cs.empty()) {
            m_key.append("c:").append(cs);
        }
        auto it = m_by_key.find(m_key);
        if (it == m_by_key.end()) {
            it = m_by_key.emplace(m_key, m_out.size()).first;
            m_out.emplace_back();
            // The key's address part ("" for callsign keys and the single track).
            m_out.back().track.aircraft.icao24 = m_key.rfind("i:", 0) == 0 ? m_key.substr(2) : std::string{};
        }
        Pending& dst = m_out[it->second];
        if (dst.track.aircraft.callsign.empty()) dst.track.aircraft.callsign = std::string(cs);
        if (dst.track.aircraft.registration.empty() && c.reg >= 0) dst.track.aircraft.registration = std::string(trim(f[c.reg]));
        dst.pts.push(p, line);
    }

    struct Pending {
        Track track;
        PointCollector pts;
    };
    std::string m_name;
    GenericCsvMapping m_map;
    LoadResult m_res;
    Resolved c;
    int m_needed = 0;
    bool m_header_seen = false, m_dead = false;
    std::vector<Pending> m_out;
    std::map<std::string, std::size_t, std::less<>> m_by_key;
    std::string m_key;
};

}  // namespace

std::unique_ptr<LineStreamLoader> make_generic_csv_loader(const std::string& name, const GenericCsvMapping& mapping) {
    return std::make_unique<GenericCsvLoader>(name, mapping);
}

LoadResult load_generic_csv(const std::string& name, std::string_view text, const GenericCsvMapping& mapping) {
    GenericCsvLoader l(name, mapping);
    l.consume(text, 1, text.size(), true);
    return l.finish();
}

}  // namespace detail

}  // namespace fr::io
