// Flightradar24 per-flight CSV export.
//   7 columns: Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction
//   6 columns (older): Timestamp,Callsign,Position,Altitude,Speed,Direction
// Position is ONE quoted field "lat,lon" (latitude first). Altitude in feet (0 on the
// ground), Speed in knots over ground, Direction in degrees (track). Leading lines starting
// with '#' are comments (our extension, used to label reconstructed samples).
#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>

#include "core/units.hpp"
#include "io/formats/track_checks.hpp"
#include "io/loader.hpp"
#include "io/text/csv.hpp"
#include "io/text/csv_stream.hpp"

namespace fr::io::detail {

namespace {

struct Columns {
    int timestamp = -1, utc = -1, callsign = -1, position = -1, altitude = -1, speed = -1, direction = -1;
    std::size_t count = 0;
};

bool header_matches(const std::vector<std::string_view>& f, Columns& c) {
    auto eq = [](std::string_view a, std::string_view b) {
        a = trim(a);
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
        return true;
    };
    if (f.size() == 7 && eq(f[0], "timestamp") && eq(f[1], "utc") && eq(f[2], "callsign") && eq(f[3], "position") && eq(f[4], "altitude") &&
        eq(f[5], "speed") && eq(f[6], "direction")) {
        c = {0, 1, 2, 3, 4, 5, 6, 7};
        return true;
    }
    if (f.size() == 6 && eq(f[0], "timestamp") && eq(f[1], "callsign") && eq(f[2], "position") && eq(f[3], "altitude") &&
        eq(f[4], "speed") && eq(f[5], "direction")) {
        c = {0, -1, 1, 2, 3, 4, 5, 6};
        return true;
    }
    return false;
}

/// Writes Unix seconds `ts` as "YYYY-MM-DDTHH:MM:SSZ" (20 bytes; years 1000..9999).
void iso_utc(std::int64_t ts, char* out) noexcept {
    using namespace std::chrono;
    const sys_seconds t{seconds{ts}};
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const auto sec = static_cast<unsigned>((t - day).count());
    auto put = [&](int at, unsigned v, int width) {
        for (int i = width - 1; i >= 0; --i, v /= 10) out[at + i] = static_cast<char>('0' + v % 10);
    };
    put(0, static_cast<unsigned>(static_cast<int>(ymd.year())), 4);
    out[4] = '-';
    put(5, static_cast<unsigned>(ymd.month()), 2);
    out[7] = '-';
    put(8, static_cast<unsigned>(ymd.day()), 2);
    out[10] = 'T';
    put(11, sec / 3600, 2);
    out[13] = ':';
    put(14, sec / 60 % 60, 2);
    out[16] = ':';
    put(17, sec % 60, 2);
    out[19] = 'Z';
}

std::string quoted(std::string_view s) {
    constexpr std::size_t max_shown = 40;
    std::string out = "'";
    out += s.size() > max_shown ? std::string(s.substr(0, max_shown)) + "..." : std::string(s);
    return out + "'";
}

}  // namespace

namespace {

constexpr const char* empty_message = "empty file: expected the FR24 header 'Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction'";

class Fr24CsvLoader final : public CsvStreamLoader {
public:
    explicit Fr24CsvLoader(std::string name) : CsvStreamLoader(64), m_name(std::move(name)) { m_res.format = Format::fr24_csv; }

    LoadResult finish() override {
        if (!m_header_seen) {
            m_res.diagnostics.error(m_name, m_comment_lines + 1, 0, empty_message);
            return std::move(m_res);
        }
        if (m_dead) return std::move(m_res);
        m_track.points = m_pts.finalize(m_name, m_res.diagnostics, m_res.rows_skipped);
        m_track.source = m_name;
        if (!m_track.points.empty()) m_res.tracks.push_back(std::move(m_track));
        return std::move(m_res);
    }

private:
    /// A byte-order mark, then leading comment lines (our extension: '#' lines before the header).
    std::size_t prefix(std::string_view block) override {
        if (reader_started()) return 0;
        std::size_t pos = 0;
        if (m_file_start && block.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
        m_file_start = false;
        while (pos < block.size() && block[pos] == '#') {
            const auto nl = block.find('\n', pos);
            pos = nl == std::string_view::npos ? block.size() : nl + 1;
            ++m_comment_lines;
        }
        return pos;
    }

    void record(const std::vector<std::string_view>& f, std::uint64_t line, const std::string& error) override {
        LoadResult& res = m_res;
        const std::string& name = m_name;
        Columns& c = m_cols;
        Track& track = m_track;
        if (m_dead) return;
        if (!m_header_seen) {
            m_header_seen = true;
            if (!header_matches(f, c)) {
                res.diagnostics.error(name, line, 1,
                                      "not an FR24 CSV header: expected 'Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction' "
                                      "(or the 6-column form without UTC), found " +
                                          std::to_string(f.size()) + " field(s) starting " + quoted(f.empty() ? std::string_view{} : f[0]));
                m_dead = true;
            }
            return;
        }
        if (f.size() == 1 && trim(f[0]).empty()) return;  // blank line
        ++res.rows_read;
        auto skip = [&](int column, const std::string& msg) {
            res.diagnostics.warn(name, line, static_cast<std::uint64_t>(column + 1), msg + " (row skipped)");
            ++res.rows_skipped;
        };
        if (!error.empty()) {
            skip(0, error);
            return;
        }
        if (f.size() != c.count) {
            skip(0, "expected " + std::to_string(c.count) + " fields, found " + std::to_string(f.size()));
            return;
        }
        std::int64_t ts = 0;
        if (!parse_int64(f[c.timestamp], ts)) {
            double d = 0;
            if (!parse_double(f[c.timestamp], d) || !std::isfinite(d)) {
                skip(c.timestamp, "Timestamp " + quoted(f[c.timestamp]) + " is not a Unix time in seconds");
                return;
            }
            // Range-check before converting: a double beyond int64 makes the cast undefined
            // (found by fuzz/fuzz_fr24_csv with 6.7e27).
            if (d < static_cast<double>(min_unix_s) || d > static_cast<double>(max_unix_s)) {
                skip(c.timestamp, "Timestamp " + quoted(f[c.timestamp]) + " is outside 1990..2100");
                return;
            }
            ts = static_cast<std::int64_t>(std::floor(d));
        }
        if (ts < min_unix_s || ts > max_unix_s) {
            skip(c.timestamp, "Timestamp " + std::to_string(ts) + " is outside 1990..2100");
            return;
        }
        const TimePoint t = from_unix_seconds(static_cast<double>(ts));
        char canonical[20];
        if (c.utc >= 0) iso_utc(ts, canonical);
        // The common case, UTC written exactly as Timestamp's canonical form, needs no parse.
        if (c.utc >= 0 && trim(f[c.utc]) != std::string_view(canonical, sizeof canonical)) {
            const auto iso = parse_iso8601(trim(f[c.utc]));
            if (!iso) {
                res.diagnostics.warn(name, line, c.utc + 1, "UTC " + quoted(f[c.utc]) + " is not ISO 8601 (Timestamp used)");
            } else if (std::chrono::abs(*iso - t) > std::chrono::seconds{1}) {
                res.diagnostics.warn(name, line, c.utc + 1,
                                     "UTC " + quoted(f[c.utc]) + " disagrees with Timestamp " + std::to_string(ts) + " (Timestamp used)");
            }
        }
        const auto posf = f[c.position];
        const auto comma = posf.find(',');
        double lat = 0, lon = 0;
        if (comma == std::string_view::npos || !parse_double(posf.substr(0, comma), lat) || !parse_double(posf.substr(comma + 1), lon)) {
            skip(c.position, "Position " + quoted(posf) + " is not a quoted \"lat,lon\" pair");
            return;
        }
        const auto ll = LatLon::checked(lat, lon);
        if (!ll) {
            skip(c.position, "Position " + quoted(posf) + " is out of range (latitude -90..90, longitude -180..180)");
            return;
        }
        TrackPoint p(t, *ll);
        double alt = 0, spd = 0, dir = 0;
        if (!trim(f[c.altitude]).empty()) {
            if (!parse_double(f[c.altitude], alt) || !std::isfinite(alt) || alt < min_altitude_ft || alt > max_altitude_ft) {
                skip(c.altitude, "Altitude " + quoted(f[c.altitude]) + " is not a number of feet in -2000..100000");
                return;
            }
            p.set_altitude(Length::feet(alt));
            // FR24 reports 0 ft for aircraft on the ground (SkyDolly FlightRadar24.md).
            p.set_on_ground(alt == 0.0 ? OnGround::ground : OnGround::airborne);
        }
        if (!trim(f[c.speed]).empty()) {
            if (!parse_double(f[c.speed], spd) || !std::isfinite(spd) || spd < 0 || spd > max_ground_speed_kt) {
                skip(c.speed, "Speed " + quoted(f[c.speed]) + " is not a ground speed in knots in 0..1500");
                return;
            }
            p.set_ground_speed(Speed::knots(spd));
        }
        if (!trim(f[c.direction]).empty()) {
            if (!parse_double(f[c.direction], dir) || !std::isfinite(dir) || dir < -360 || dir > 360) {
                res.diagnostics.warn(name, line, c.direction + 1,
                                     "Direction " + quoted(f[c.direction]) + " is not an angle in degrees (ignored)");
            } else {
                p.set_track(Angle::degrees(dir).normalized_360());
            }
        }
        if (track.aircraft.callsign.empty()) track.aircraft.callsign = std::string(trim(f[c.callsign]));
        m_pts.push(p, line);
    }

    std::string m_name;
    LoadResult m_res;
    Columns m_cols;
    Track m_track;
    PointCollector m_pts;
    bool m_file_start = true, m_header_seen = false, m_dead = false;
    std::uint64_t m_comment_lines = 0;
};

}  // namespace

std::unique_ptr<LineStreamLoader> make_fr24_csv_loader(const std::string& name) { return std::make_unique<Fr24CsvLoader>(name); }

LoadResult load_fr24_csv(const std::string& name, std::string_view text) {
    Fr24CsvLoader l(name);
    l.consume(text, 1, text.size(), true);
    return l.finish();
}

}  // namespace fr::io::detail
