// jet1090 JSON lines (`jet1090 -o file.jsonl`): one decoded Mode S message per line, with only
// the fields that message carries, e.g.
//   {"timestamp": 1717664319.147975, "frame": "8c...", "df": "17", "icao24": "3461ce",
//    "bds": "06", "groundspeed": 5, "track": 281.25, "latitude": 43.6295, "longitude": 1.369}
// timestamp: Unix seconds (float, UTC). altitude: ft; groundspeed: kt; track: degrees;
// callsign: string. Positions, altitude, velocity and callsign arrive on different lines, so
// they are accumulated per icao24: a line with latitude and longitude makes a fix carrying the
// latest altitude, speed and track of at most `carry_limit` before. A surface position
// (BDS 0,6, "bds": "06") marks the fix as on the ground, an airborne one (BDS 0,5) as airborne.
// Lines without icao24 or position updates are read and ignored. One Track per icao24.
#include <cmath>
#include <cstring>
#include <deque>
#include <string>
#include <unordered_map>

#include "core/units.hpp"
#include "io/formats/text_formats.hpp"
#include "io/formats/track_checks.hpp"
#include "io/loader.hpp"
#include "io/text/json_util.hpp"

namespace fr::io::detail {

namespace {

namespace od = simdjson::ondemand;

/// As for SBS-1 (sbs.cpp): ADS-B repeats velocity and altitude twice a second, so a value
/// older than 30 s belongs to a reception that was lost.
constexpr double carry_limit_s = 30.0;

struct Aircraft {
    Track track;
    PointCollector points;
    double alt_ft = NAN, alt_at = 0;
    double gs_kt = NAN, track_deg = NAN, vel_at = 0;
};

class Jet1090Loader final : public LineStreamLoader {
public:
    explicit Jet1090Loader(std::string name) : m_name(std::move(name)) { m_res.format = Format::jet1090; }

    std::size_t consume(std::string_view block, std::uint64_t first_line, std::size_t readable, bool) override {
        std::uint64_t line = first_line;
        const char* const base = block.data();
        const char* p = base;
        const char* const end = p + block.size();
        while (p < end) {
            const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
            const char* le = nl ? nl : end;
            std::size_t len = static_cast<std::size_t>(le - p);
            std::size_t lead = 0;
            if (line == 1 && len >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) lead = 3;
            record(p + lead, len - lead, lead, line, readable - static_cast<std::size_t>(p + lead - base));
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
    void skip(std::uint64_t line, std::size_t column, std::string_view key, const std::string& msg) {
        Diagnostic d{m_name, line, column + 1, Severity::warning, msg + " (line skipped)", std::string(key)};
        m_res.diagnostics.add(std::move(d));
        ++m_res.rows_skipped;
    }

    void record(const char* p, std::size_t len, std::size_t lead, std::uint64_t line, std::size_t readable) {
        std::string_view l(p, len);
        while (!l.empty() && (l.back() == '\r' || l.back() == ' ' || l.back() == '\t')) l.remove_suffix(1);
        if (l.find_first_not_of(" \t") == std::string_view::npos) return;  // blank line
        ++m_res.rows_read;
        if (!json_syntax_ok(l)) {
            const auto err = check_json_syntax_precise(l);
            const std::size_t at = err ? err->offset : 0;
            skip(line, lead + at, {}, "malformed JSON: " + (err ? err->what : std::string("not valid JSON")));
            return;
        }
        auto col = [&](const char* q) { return lead + static_cast<std::size_t>(q - p); };
        od::document doc;
        od::object obj;
        if (m_parser.iterate(simdjson::padded_string_view(p, l.size(), readable)).get(doc) || doc.get_object().get(obj)) {
            skip(line, lead, {}, "line is " + quote_value(l) + ", not a JSON object");
            return;
        }
        double ts = NAN, lat = NAN, lon = NAN, alt = NAN, gs = NAN, trk = NAN;
        std::string_view icao, callsign, bds;
        const char* ts_at = p;
        const char* lat_at = p;
        for (auto fr : obj) {
            od::field f;
            std::string_view key;
            if (std::move(fr).get(f) || f.unescaped_key().get(key)) {
                skip(line, lead, {}, "unreadable JSON object");
                return;
            }
            od::value v = f.value();
            simdjson::error_code e{};
            auto number = [&](double& out) -> bool {
                const char* at = v.raw_json_token().data();
                const auto r = read_number(v, out, e);
                if (r == JsonRead::ok || r == JsonRead::null) return true;
                skip(line, col(at), key, std::string(key) + " " + shown_token(v) + " is not a finite JSON number");
                return false;
            };
            auto string = [&](std::string_view& out) {
                if (read_string(v, out, e) != JsonRead::ok) out = {};
            };
            if (key == "timestamp") {
                ts_at = v.raw_json_token().data();
                if (!number(ts)) return;
            } else if (key == "icao24")
                string(icao);
            else if (key == "latitude") {
                lat_at = v.raw_json_token().data();
                if (!number(lat)) return;
            } else if (key == "longitude") {
                if (!number(lon)) return;
            } else if (key == "altitude") {
                if (!number(alt)) return;
            } else if (key == "groundspeed") {
                if (!number(gs)) return;
            } else if (key == "track") {
                if (!number(trk)) return;
            } else if (key == "callsign")
                string(callsign);
            else if (key == "bds")
                string(bds);
        }
        const bool has_pos = !std::isnan(lat) || !std::isnan(lon);
        const bool has_state = has_pos || !std::isnan(alt) || !std::isnan(gs) || !std::isnan(trk) || !callsign.empty();
        if (!has_state) return;  // all-call replies, identity-less messages...
        if (icao.empty()) {
            skip(line, lead, "icao24", "message with a position, altitude, speed or callsign but no \"icao24\"");
            return;
        }
        if (std::isnan(ts)) {
            skip(line, lead, "timestamp", "no \"timestamp\"");
            return;
        }
        if (ts < static_cast<double>(min_unix_s) || ts > static_cast<double>(max_unix_s)) {
            skip(line, col(ts_at), "timestamp", "timestamp " + format_number(ts) + " is not a Unix time in seconds within 1990..2100");
            return;
        }
        Aircraft& a = aircraft(icao);
        if (!std::isnan(alt)) {
            if (alt < min_altitude_ft || alt > max_altitude_ft) {
                skip(line, lead, "altitude", "altitude " + format_number(alt) + " ft is outside -2000..100000 ft");
                return;
            }
            a.alt_ft = alt;
            a.alt_at = ts;
        }
        if (!std::isnan(gs) || !std::isnan(trk)) {
            if (!std::isnan(gs) && (gs < 0 || gs > max_ground_speed_kt)) {
                skip(line, lead, "groundspeed", "groundspeed " + format_number(gs) + " kt is outside 0..1500 kt");
                return;
            }
            if (!std::isnan(gs)) a.gs_kt = gs;
            if (!std::isnan(trk) && trk >= -360 && trk <= 360) a.track_deg = trk;
            a.vel_at = ts;
        }
        if (!callsign.empty() && a.track.aircraft.callsign.empty()) a.track.aircraft.callsign = trimmed(callsign);
        if (!has_pos) return;
        if (std::isnan(lat) || std::isnan(lon)) {
            skip(line, col(lat_at), std::isnan(lat) ? "latitude" : "longitude", "position without both latitude and longitude");
            return;
        }
        const auto ll = LatLon::checked(lat, lon);
        if (!ll) {
            skip(line, col(lat_at), "latitude",
                 "position " + format_number(lat) + ", " + format_number(lon) + " is out of range (latitude -90..90, longitude -180..180)");
            return;
        }
        TrackPoint tp(from_unix_seconds(ts), *ll);
        auto fresh = [&](double at) { return ts >= at && ts - at <= carry_limit_s; };
        if (!std::isnan(a.alt_ft) && fresh(a.alt_at)) tp.set_altitude(Length::feet(a.alt_ft));
        if (fresh(a.vel_at)) {
            if (!std::isnan(a.gs_kt)) tp.set_ground_speed(Speed::knots(a.gs_kt));
            if (!std::isnan(a.track_deg)) tp.set_track(Angle::degrees(a.track_deg).normalized_360());
        }
        if (bds == "06")
            tp.set_on_ground(OnGround::ground);
        else if (bds == "05")
            tp.set_on_ground(OnGround::airborne);
        a.points.push(tp, line);
    }

    Aircraft& aircraft(std::string_view icao) {
        const std::string key = lower_trimmed(icao);
        auto [it, fresh] = m_index.try_emplace(key, m_aircraft.size());
        if (fresh) {
            m_aircraft.emplace_back();
            m_aircraft.back().track.aircraft.icao24 = key;
        }
        return m_aircraft[it->second];
    }

    std::string m_name;
    LoadResult m_res;
    od::parser m_parser;
    std::deque<Aircraft> m_aircraft;
    std::unordered_map<std::string, std::size_t> m_index;
};

}  // namespace

std::unique_ptr<LineStreamLoader> make_jet1090_loader(const std::string& name) { return std::make_unique<Jet1090Loader>(name); }

LoadResult load_jet1090(const std::string& name, std::string_view text) {
    // A padded copy: simdjson reads up to 64 bytes past a line's end.
    std::string buf;
    buf.reserve(text.size() + stream_padding);
    buf.append(text);
    buf.append(stream_padding, ' ');
    auto l = make_jet1090_loader(name);
    l->consume(std::string_view(buf.data(), text.size()), 1, buf.size(), true);
    return l->finish();
}

}  // namespace fr::io::detail
