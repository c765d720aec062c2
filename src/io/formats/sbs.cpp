// SBS-1 BaseStation recordings: the CSV lines a receiver (dump1090, readsb, BaseStation) sends
// on TCP port 30003, saved to a file. Each MSG line has 22 fields:
//   MSG,type,session,aircraft,hexident,flight,date_gen,time_gen,date_log,time_log,
//   callsign,altitude,groundspeed,track,lat,lon,vertrate,squawk,alert,emergency,spi,is_on_ground
// Dates YYYY/MM/DD and times HH:MM:SS[.fff] carry no zone (the receiver's clock): read in
// LoadOptions::input_tz, UTC (one warning) by default. Units: altitude ft, ground speed kt,
// track degrees, vertical rate ft/min. Only some message types carry a position (2 surface,
// 3 airborne); the others update what we carry per aircraft: callsign (1), speed and track (4),
// altitude (5, 7), ground flag (8). A position takes the latest carried values that are at
// most `carry_limit` old. Other record kinds (SEL, ID, AIR, STA, CLK) are ignored.
// One Track per hex ident, in order of first appearance. Read in blocks (streamed).
#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <string>
#include <unordered_map>

#include "core/setting_text.hpp"
#include "core/units.hpp"
#include "io/formats/text_formats.hpp"
#include "io/formats/track_checks.hpp"
#include "io/loader.hpp"
#include "io/text/csv.hpp"
#include "io/text/input_tz.hpp"

namespace fr::io::detail {

namespace {

/// How long a carried speed, track or altitude stays usable. Airborne ADS-B sends velocity
/// and altitude twice a second (DO-260B), so 30 s without one means reception was lost and
/// the value may no longer describe the aircraft.
constexpr std::int64_t carry_limit_ms = 30'000;

constexpr int field_count = 22;
const char* const field_names[field_count] = {"message type", "transmission type", "session id",     "aircraft id", "hex ident",
                                              "flight id",    "date generated",    "time generated", "date logged", "time logged",
                                              "callsign",     "altitude",          "ground speed",   "track",       "latitude",
                                              "longitude",    "vertical rate",     "squawk",         "alert",       "emergency",
                                              "spi",          "is on ground"};

struct Aircraft {
    Track track;
    PointCollector points;
    float alt_ft = NAN;
    std::int64_t alt_at = 0;
    float gs_kt = NAN;
    float track_deg = NAN;
    std::int64_t vel_at = 0;
    int ground = -1;  // -1 unknown, 0 airborne, 1 ground
    std::int64_t ground_at = 0;
};

inline bool two_digits(const char* p, int& out) noexcept {
    const unsigned a = static_cast<unsigned char>(p[0]) - '0', b = static_cast<unsigned char>(p[1]) - '0';
    if (a > 9 || b > 9) return false;
    out = static_cast<int>(a * 10 + b);
    return true;
}

class SbsLoader final : public LineStreamLoader {
public:
    SbsLoader(std::string name, const std::string& tz) : m_name(std::move(name)), m_zone(tz) {
        m_res.format = Format::sbs;
        m_utc_default = tz.empty();
    }

    std::size_t consume(std::string_view block, std::uint64_t first_line, std::size_t, bool) override {
        std::uint64_t line = first_line;
        const char* p = block.data();
        const char* const end = p + block.size();
        while (p < end) {
            const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
            const char* le = nl ? nl : end;
            std::string_view l(p, static_cast<std::size_t>(le - p));
            if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
            if (line == 1 && l.substr(0, 3) == "\xEF\xBB\xBF") {
                l.remove_prefix(3);
                m_bom = 3;
            } else if (line != 1) {
                m_bom = 0;
            }
            record(l, line);
            ++line;
            p = nl ? nl + 1 : end;
        }
        return block.size();
    }

    LoadResult finish() override {
        for (auto& a : m_aircraft) {
            if (a.points.empty()) continue;
            a.track.points = a.points.finalize(m_name, m_res.diagnostics, m_res.rows_skipped);
            a.track.source = m_name;
            if (!a.track.points.empty()) m_res.tracks.push_back(std::move(a.track));
        }
        m_aircraft.clear();
        return std::move(m_res);
    }

private:
    void warn(std::uint64_t line, std::size_t column, std::string msg) {
        m_res.diagnostics.warn(m_name, line, column + 1 + m_bom, std::move(msg));
    }
    void skip(std::uint64_t line, std::size_t column, const std::string& msg) {
        warn(line, column, msg + " (line skipped)");
        ++m_res.rows_skipped;
    }

    void record(std::string_view l, std::uint64_t line) {
        if (l.size() < 4 || std::memcmp(l.data(), "MSG,", 4) != 0) {
            if (l.find_first_not_of(" \t") == std::string_view::npos) return;  // blank
            for (const char* kind : {"SEL,", "ID,", "AIR,", "STA,", "CLK,"})
                if (l.rfind(kind, 0) == 0) return;  // selection/identity/status records: no position
            ++m_res.rows_read;
            skip(line, 0, "not an SBS-1 record: " + quote_value(l) + " (expected MSG, SEL, ID, AIR, STA or CLK)");
            return;
        }
        ++m_res.rows_read;
        // Split into fields (views) and remember each field's byte column.
        std::string_view f[field_count];
        std::size_t col[field_count];
        int n = 0;
        std::size_t start = 0;
        for (;;) {
            const auto comma = l.find(',', start);
            if (n == field_count) {
                ++n;  // too many
                break;
            }
            col[n] = start;
            f[n++] = l.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
            if (comma == std::string_view::npos) break;
            start = comma + 1;
        }
        if (n != field_count) {
            skip(line, 0, "expected 22 comma-separated fields, found " + (n > field_count ? std::string("more") : std::to_string(n)));
            return;
        }
        const auto type = f[1];
        if (type.size() != 1 || type[0] < '1' || type[0] > '8') {
            skip(line, col[1], "transmission type " + quote_value(type) + " is not 1..8");
            return;
        }
        const int t = type[0] - '0';
        // Hex ident: 24-bit address, 6 hex digits (a leading '~' marks a non-ICAO address).
        auto hex = trim(f[4]);
        {
            std::string_view digits = hex.substr(!hex.empty() && hex[0] == '~' ? 1 : 0);
            bool ok = !digits.empty() && digits.size() <= 6;
            for (char c : digits) ok = ok && std::isxdigit(static_cast<unsigned char>(c));
            if (!ok) {
                skip(line, col[4], "hex ident " + quote_value(f[4]) + " is not a 24-bit hex address");
                return;
            }
        }
        // Time: generated, else logged.
        int di = 6;
        if (trim(f[6]).empty() || trim(f[7]).empty()) di = 8;
        std::int64_t local_ms = 0;
        if (!parse_time(trim(f[di]), trim(f[di + 1]), local_ms)) {
            skip(line, col[di], "date/time " + quote_value(f[di]) + " " + quote_value(f[di + 1]) + " is not YYYY/MM/DD HH:MM:SS[.fff]");
            return;
        }
        if (m_utc_default && !m_warned_tz) {
            m_warned_tz = true;
            warn(line, col[di],
                 "SBS-1 times carry no time zone: read as UTC (give the receiver's zone with " + setting_text("input_tz") + " ZONE)");
        }
        const TimePoint when = m_zone.to_utc(local_ms);
        if (!plausible_time(when)) {
            skip(line, col[di], "date " + quote_value(f[di]) + " is outside 1990..2100");
            return;
        }
        const std::int64_t ms = when.time_since_epoch().count();
        Aircraft& a = aircraft(hex);
        auto number = [&](int i, double& out, double lo, double hi, const char* unit) -> int {  // 1 ok, 0 empty, -1 bad
            const auto s = f[i];
            if (s.empty()) return 0;
            if (!parse_double(s, out) || !std::isfinite(out) || out < lo || out > hi) {
                skip(line, col[i], std::string(field_names[i]) + " " + quote_value(s) + " is not " + unit);
                return -1;
            }
            return 1;
        };
        double alt = NAN, gs = NAN, trk = NAN;
        const int ra = number(11, alt, min_altitude_ft, max_altitude_ft, "an altitude in feet in -2000..100000");
        if (ra < 0) return;
        if (ra > 0) {
            a.alt_ft = static_cast<float>(alt);
            a.alt_at = ms;
        }
        const int rg = number(12, gs, 0, max_ground_speed_kt, "a ground speed in knots in 0..1500");
        if (rg < 0) return;
        const int rt = number(13, trk, -360, 360, "a track in degrees");
        if (rt < 0) return;
        if (rg > 0 || rt > 0) {
            a.gs_kt = rg > 0 ? static_cast<float>(gs) : a.gs_kt;
            a.track_deg = rt > 0 ? static_cast<float>(trk) : a.track_deg;
            a.vel_at = ms;
        }
        const auto g = trim(f[21]);
        if (!g.empty()) {
            // BaseStation writes -1 for true and 0 for false; some feeders write 1.
            a.ground = (g == "0") ? 0 : 1;
            a.ground_at = ms;
        }
        if (t == 1) {
            const auto cs = trim(f[10]);
            if (!cs.empty() && a.track.aircraft.callsign.empty()) a.track.aircraft.callsign = std::string(cs);
            return;
        }
        if (t != 2 && t != 3) return;
        if (trim(f[14]).empty() && trim(f[15]).empty()) return;  // position message without a decoded position
        double lat = 0, lon = 0;
        if (!parse_double(f[14], lat) || !parse_double(f[15], lon)) {
            skip(line, col[parse_double(f[14], lat) ? 15 : 14],
                 "position " + quote_value(f[14]) + "," + quote_value(f[15]) + " is not a number pair");
            return;
        }
        const auto ll = LatLon::checked(lat, lon);
        if (!ll) {
            skip(line, col[14],
                 "position " + quote_value(f[14]) + "," + quote_value(f[15]) + " is out of range (latitude -90..90, longitude -180..180)");
            return;
        }
        TrackPoint p(when, *ll);
        if (!std::isnan(a.alt_ft) && ms - a.alt_at <= carry_limit_ms && ms >= a.alt_at) p.set_altitude(Length::feet(a.alt_ft));
        if (ms - a.vel_at <= carry_limit_ms && ms >= a.vel_at) {
            if (!std::isnan(a.gs_kt)) p.set_ground_speed(Speed::knots(a.gs_kt));
            if (!std::isnan(a.track_deg)) p.set_track(Angle::degrees(a.track_deg).normalized_360());
        }
        if (t == 2)
            p.set_on_ground(OnGround::ground);  // surface position message
        else if (a.ground >= 0 && ms - a.ground_at <= carry_limit_ms && ms >= a.ground_at)
            p.set_on_ground(a.ground ? OnGround::ground : OnGround::airborne);
        else
            p.set_on_ground(OnGround::airborne);  // airborne position message
        a.points.push(p, line);
    }

    /// Date "YYYY/MM/DD" (or with '-') and time "HH:MM:SS[.f...]" -> milliseconds of wall clock.
    bool parse_time(std::string_view d, std::string_view t, std::int64_t& out) {
        using namespace std::chrono;
        if (d.size() != 10 || t.size() < 8) return false;
        if (d != std::string_view(m_last_date, m_last_date_len)) {
            int y1, y2, mo, dd;
            if (!two_digits(d.data(), y1) || !two_digits(d.data() + 2, y2) || !two_digits(d.data() + 5, mo) ||
                !two_digits(d.data() + 8, dd) || (d[4] != '/' && d[4] != '-') || d[7] != d[4])
                return false;
            const year_month_day ymd{year{y1 * 100 + y2}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(dd)}};
            if (!ymd.ok()) return false;
            m_last_days = sys_days{ymd}.time_since_epoch().count();
            std::memcpy(m_last_date, d.data(), 10);
            m_last_date_len = 10;
        }
        int hh, mm, ss;
        if (!two_digits(t.data(), hh) || t[2] != ':' || !two_digits(t.data() + 3, mm) || t[5] != ':' || !two_digits(t.data() + 6, ss) ||
            hh > 23 || mm > 59 || ss > 60)
            return false;
        int frac_ms = 0;
        if (t.size() > 8) {
            if (t[8] != '.' || t.size() == 9) return false;
            int scale = 100;
            for (std::size_t i = 9; i < t.size(); ++i) {
                const unsigned c = static_cast<unsigned char>(t[i]) - '0';
                if (c > 9) return false;
                frac_ms += static_cast<int>(c) * scale;
                scale /= 10;
            }
        }
        out = (m_last_days * 86400 + hh * 3600 + mm * 60 + ss) * 1000 + frac_ms;
        return true;
    }

    Aircraft& aircraft(std::string_view hex) {
        if (m_last && hex == m_last_hex) return *m_last;
        std::string key(hex);
        for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto [it, fresh] = m_index.try_emplace(key, m_aircraft.size());
        if (fresh) {
            m_aircraft.emplace_back();
            m_aircraft.back().track.aircraft.icao24 = key;
        }
        m_last = &m_aircraft[it->second];
        m_last_hex.assign(hex);
        return *m_last;
    }

    std::string m_name;
    InputZone m_zone;
    bool m_utc_default = true;
    bool m_warned_tz = false;
    std::size_t m_bom = 0;
    LoadResult m_res;
    std::deque<Aircraft> m_aircraft;  // deque: m_last stays valid when it grows
    std::unordered_map<std::string, std::size_t> m_index;
    Aircraft* m_last = nullptr;
    std::string m_last_hex;
    char m_last_date[10] = {};
    std::size_t m_last_date_len = 0;
    std::int64_t m_last_days = 0;
};

}  // namespace

std::unique_ptr<LineStreamLoader> make_sbs_loader(const std::string& name, const std::string& input_tz) {
    return std::make_unique<SbsLoader>(name, input_tz);
}

LoadResult load_sbs(const std::string& name, std::string_view text, const std::string& input_tz) {
    std::unique_ptr<LineStreamLoader> l;
    try {
        l = make_sbs_loader(name, input_tz);
    } catch (const std::exception& e) {
        LoadResult r;
        r.format = Format::sbs;
        r.diagnostics.error(name, 0, 0, setting_text("input_tz") + " '" + input_tz + "': " + e.what() + " (file not read)");
        return r;
    }
    l->consume(text, 1, text.size(), true);
    return l->finish();
}

}  // namespace fr::io::detail
