// OpenSky Network state vectors CSV (https://opensky-network.org/datasets/states/):
//   time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,alert,spi,squawk,
//   baroaltitude,geoaltitude,lastposupdate,lastcontact[,hour]
// Columns are found by header name, so reordered dumps read too. Units are SI already:
// degrees, m/s, metres; times Unix seconds. The fix time is `lastposupdate` (when the position
// was measured); a row whose `time - lastposupdate` exceeds 15 s repeats a stale position and
// is dropped. Empty and NaN mean unknown; booleans are True/False, true/false or 1/0. Many
// aircraft per file: one Track per icao24, callsign trimmed of OpenSky's space padding.
#include <cmath>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "io/formats/text_formats.hpp"
#include "io/formats/track_checks.hpp"
#include "io/loader.hpp"
#include "io/text/csv.hpp"
#include "io/text/csv_stream.hpp"

namespace fr::io::detail {

namespace {

/// Position older than this at the state's time is stale: OpenSky keeps reporting the last
/// known position for up to 15 s without a new one (OpenSky's state-vector documentation), so a
/// larger lag means the same fix repeated.
constexpr double max_position_age_s = 15.0;

bool is_missing(std::string_view s) {
    s = trim(s);
    return s.empty() || s == "NaN" || s == "nan" || s == "NAN" || s == "null" || s == "None";
}

std::optional<bool> parse_bool(std::string_view s) {
    s = trim(s);
    if (s == "True" || s == "true" || s == "TRUE" || s == "1") return true;
    if (s == "False" || s == "false" || s == "FALSE" || s == "0") return false;
    return std::nullopt;
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

namespace {

/// Index of the pending track of each ICAO address (6 lower-case hex digits, checked before):
/// open addressing on the 24-bit value, with no allocation per aircraft.
class AddressTable {
public:
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    /// The value stored for `icao`; kNone when it is new (then set it).
    std::size_t& slot(std::string_view icao) {
        std::uint32_t key = 0;
        for (const char c : icao) key = key * 16 + static_cast<std::uint32_t>(c <= '9' ? c - '0' : c - 'a' + 10);
        if ((m_used + 1) * 2 > m_entries.size()) grow();
        Entry& e = m_entries[find(key)];
        if (e.value == kNone) {
            e.key = key;
            ++m_used;
        }
        return e.value;
    }
    void clear() {
        std::vector<Entry>().swap(m_entries);
        m_used = 0;
    }

private:
    struct Entry {
        std::uint32_t key = 0;
        std::size_t value = kNone;
    };
    std::size_t find(std::uint32_t key) const {
        const std::size_t mask = m_entries.size() - 1;
        // Fibonacci hashing spreads the addresses' low bits over the table.
        for (std::size_t i = static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 32) & mask;; i = (i + 1) & mask)
            if (m_entries[i].value == kNone || m_entries[i].key == key) return i;
    }
    void grow() {
        std::vector<Entry> old = std::exchange(m_entries, std::vector<Entry>(std::max<std::size_t>(64, m_entries.size() * 2)));
        for (const Entry& e : old)
            if (e.value != kNone) m_entries[find(e.key)] = e;
    }
    std::vector<Entry> m_entries;  // a power of two in size, at most half full
    std::size_t m_used = 0;
};

constexpr const char* expected_header =
    "'time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,alert,spi,squawk,baroaltitude,geoaltitude,lastposupdate,lastcontact'";

class OpenSkyCsvLoader final : public CsvStreamLoader {
public:
    explicit OpenSkyCsvLoader(std::string name)
        : CsvStreamLoader(64), m_name(std::move(name)) {  // 17 columns at most; guards against billion-field lines
        m_res.format = Format::opensky_csv;
    }

    LoadResult finish() override {
        LoadResult& res = m_res;
        const std::string& name = m_name;
        if (!m_header_seen) {
            res.diagnostics.error(name, 1, 0, std::string("empty file: expected the OpenSky header ") + expected_header);
            return std::move(res);
        }
        if (m_dead) return std::move(res);
        if (res.rows_read == 0) res.diagnostics.error(name, 1, 1, "header only: no state vector rows after the OpenSky header");
        if (no_pos > 0)
            res.diagnostics.warn(name, no_pos_line, static_cast<std::uint64_t>(c_lat + 1),
                                 std::to_string(no_pos) + " row(s) have no position (lat/lon empty or NaN), first here (rows skipped)");
        if (stale > 0)
            res.diagnostics.warn(name, stale_line, static_cast<std::uint64_t>(c_lpu + 1),
                                 std::to_string(stale) + " row(s) have a stale position (time - lastposupdate > 15 s; here " +
                                     std::to_string(static_cast<long long>(std::lround(stale_example))) + " s), first here (rows skipped)");
        res.tracks.reserve(res.tracks.size() + out.size());
        // Each aircraft's pending state is freed as its track is made (a deque gives its blocks
        // back from the front), so the two are not held in full at once.
        while (!out.empty()) {
            Pending& pend = out.front();
            Track track;
            track.points = pend.pts.finalize(name, res.diagnostics, res.rows_skipped);
            if (!track.points.empty()) {
                track.aircraft.icao24 = std::move(pend.icao24);
                track.aircraft.callsign = std::move(pend.callsign);
                track.source = name;
                res.tracks.push_back(std::move(track));
            }
            out.pop_front();
        }
        by_icao.clear();
        return std::move(res);
    }

private:
    void record(const std::vector<std::string_view>& f, std::uint64_t line, const std::string& error) override {
        LoadResult& res = m_res;
        const std::string& name = m_name;
        if (m_dead) return;
        if (!m_header_seen) {
            m_header_seen = true;
            header(f, line);
            return;
        }
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
        if (f.size() != ncols) {
            skip(0, "expected " + std::to_string(ncols) + " fields as in the header, found " + std::to_string(f.size()));
            return;
        }
        const std::string icao = lower_ascii(trim(f[c_icao]));
        if (icao.size() != 6 || icao.find_first_not_of("0123456789abcdef") != std::string::npos) {
            skip(c_icao, "icao24 " + quote_value(f[c_icao]) + " is not 6 hex digits");
            return;
        }
        if (is_missing(f[c_lat]) || is_missing(f[c_lon])) {
            if (no_pos++ == 0) no_pos_line = line;
            ++res.rows_skipped;
            return;
        }
        double lat = 0, lon = 0;
        if (!parse_double(f[c_lat], lat)) {
            skip(c_lat, "lat " + quote_value(f[c_lat]) + " is not a number");
            return;
        }
        if (!parse_double(f[c_lon], lon)) {
            skip(c_lon, "lon " + quote_value(f[c_lon]) + " is not a number");
            return;
        }
        const auto ll = LatLon::checked(lat, lon);
        if (!ll) {
            skip(std::fabs(lat) > 90 ? c_lat : c_lon,
                 "lat " + quote_value(f[c_lat]) + " lon " + quote_value(f[c_lon]) + " out of range (-90..90, -180..180)");
            return;
        }
        double t_state = NAN, t_pos = NAN;
        if (c_time >= 0 && !is_missing(f[c_time]) && (!parse_double(f[c_time], t_state) || !std::isfinite(t_state))) {
            skip(c_time, "time " + quote_value(f[c_time]) + " is not Unix seconds");
            return;
        }
        if (c_lpu >= 0 && !is_missing(f[c_lpu]) && (!parse_double(f[c_lpu], t_pos) || !std::isfinite(t_pos))) {
            skip(c_lpu, "lastposupdate " + quote_value(f[c_lpu]) + " is not Unix seconds");
            return;
        }
        const double t_fix = std::isnan(t_pos) ? t_state : t_pos;
        const int t_col = std::isnan(t_pos) ? c_time : c_lpu;
        if (std::isnan(t_fix)) {
            skip(c_lpu >= 0 ? c_lpu : c_time, "no time: lastposupdate and time are both empty or NaN");
            return;
        }
        if (t_fix < static_cast<double>(min_unix_s) || t_fix > static_cast<double>(max_unix_s)) {
            skip(t_col, (t_col == c_lpu ? "lastposupdate " : "time ") + quote_value(f[t_col]) + " is outside 1990..2100");
            return;
        }
        if (!std::isnan(t_state) && !std::isnan(t_pos) && t_state - t_pos > max_position_age_s) {
            if (stale++ == 0) {
                stale_line = line;
                stale_example = t_state - t_pos;
            }
            ++res.rows_skipped;
            return;
        }
        TrackPoint p(from_unix_seconds(t_fix), *ll);
        auto number = [&](int c, const char* what, double lo, double hi) -> std::optional<double> {
            if (c < 0 || is_missing(f[c])) return std::nullopt;
            double v = 0;
            if (!parse_double(f[c], v) || !std::isfinite(v) || v < lo || v > hi) {
                res.diagnostics.warn(name, line, c + 1,
                                     std::string(what) + " " + quote_value(f[c]) + " is not a number in " +
                                         std::to_string(static_cast<long long>(lo)) + ".." + std::to_string(static_cast<long long>(hi)) +
                                         " (value ignored)");
                return std::nullopt;
            }
            return v;
        };
        const double alt_lo = Length::feet(min_altitude_ft).m(), alt_hi = Length::feet(max_altitude_ft).m();
        auto alt = number(c_baro, "baroaltitude", alt_lo, alt_hi);
        if (!alt) alt = number(c_geo, "geoaltitude", alt_lo, alt_hi);
        if (alt) p.set_altitude(Length::metres(*alt));
        if (auto v = number(c_vel, "velocity", 0, Speed::knots(max_ground_speed_kt).mps()))
            p.set_ground_speed(Speed::metres_per_second(*v));
        if (auto h = number(c_hdg, "heading", -360, 360)) p.set_track(Angle::degrees(*h).normalized_360());
        if (c_gnd >= 0 && !is_missing(f[c_gnd])) {
            if (auto g = parse_bool(f[c_gnd]))
                p.set_on_ground(*g ? OnGround::ground : OnGround::airborne);
            else
                res.diagnostics.warn(name, line, c_gnd + 1, "onground " + quote_value(f[c_gnd]) + " is not True/False (ignored)");
        }
        std::size_t& slot = by_icao.slot(icao);
        if (slot == AddressTable::kNone) {
            slot = out.size();
            out.emplace_back();
            out.back().icao24 = icao;
        }
        Pending& dst = out[slot];
        if (dst.callsign.empty() && c_cs >= 0 && !is_missing(f[c_cs])) dst.callsign = std::string(trim(f[c_cs]));
        dst.pts.push(p, line);
    }

    void header(const std::vector<std::string_view>& f, std::uint64_t line) {
        LoadResult& res = m_res;
        const std::string& name = m_name;
        std::map<std::string, int, std::less<>> col;
        for (std::size_t i = 0; i < f.size(); ++i) col.emplace(lower_ascii(trim(f[i])), static_cast<int>(i));
        auto idx = [&](std::string_view n) {
            auto it = col.find(n);
            return it == col.end() ? -1 : it->second;
        };
        c_time = idx("time"), c_icao = idx("icao24"), c_lat = idx("lat"), c_lon = idx("lon"), c_vel = idx("velocity"),
        c_hdg = idx("heading"), c_cs = idx("callsign"), c_gnd = idx("onground"), c_baro = idx("baroaltitude"), c_geo = idx("geoaltitude"),
        c_lpu = idx("lastposupdate");
        for (auto [c, n] : {std::pair{c_icao, "icao24"}, {c_lat, "lat"}, {c_lon, "lon"}}) {
            if (c < 0) {
                res.diagnostics.error(name, line, 1,
                                      std::string("OpenSky header has no '") + n + "' column: expected " + expected_header + ", found " +
                                          quote_value(f.empty() ? std::string_view{} : f[0]) + "... (file not read)");
                m_dead = true;
                return;
            }
        }
        if (c_time < 0 && c_lpu < 0) {
            res.diagnostics.error(
                name, line, 1,
                std::string("OpenSky header has neither 'lastposupdate' nor 'time': expected ") + expected_header + " (file not read)");
            m_dead = true;
            return;
        }
        ncols = f.size();
    }

    /// What a track needs while its rows arrive (a Track, with room for a flight summary, is
    /// four times the size: a day of global traffic holds hundreds of thousands at once).
    struct Pending {
        std::string icao24, callsign;
        PointCollector pts;
    };
    std::string m_name;
    LoadResult m_res;
    bool m_header_seen = false, m_dead = false;
    int c_time = -1, c_icao = -1, c_lat = -1, c_lon = -1, c_vel = -1, c_hdg = -1, c_cs = -1, c_gnd = -1, c_baro = -1, c_geo = -1,
        c_lpu = -1;
    std::size_t ncols = 0;
    std::deque<Pending> out;  // grows without moving what it holds (hundreds of thousands of aircraft)
    AddressTable by_icao;
    std::size_t no_pos = 0, stale = 0;
    std::uint64_t no_pos_line = 0, stale_line = 0;
    double stale_example = 0;
};

}  // namespace

std::unique_ptr<LineStreamLoader> make_opensky_csv_loader(const std::string& name) { return std::make_unique<OpenSkyCsvLoader>(name); }

LoadResult load_opensky_csv(const std::string& name, std::string_view text) {
    OpenSkyCsvLoader l(name);
    l.consume(text, 1, text.size(), true);
    return l.finish();
}

}  // namespace fr::io::detail
