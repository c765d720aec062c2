// The official Flightradar24 API (2024+), as saved from its JSON responses.
//
// flight-tracks: a top-level array (not wrapped in "data"), one element per leg:
//   [{"fr24_id": "3930f673", "tracks": [{"timestamp": "2025-02-20T01:59:31Z", "lat": 22.3187,
//     "lon": 113.93213, "alt": 0, "gspeed": 3, "vspeed": 0, "track": 70, "squawk": "0",
//     "callsign": "CPA830", "source": "ADSB"}, ...]}]
//   alt: barometric ft, 0 on the ground (as in FR24's CSV export); gspeed kt; vspeed ft/min;
//   track degrees; callsign may be ""; source ADSB, MLAT, ESTIMATED, ... One Track per leg,
//   with Track::fr24_id set. Positions marked ESTIMATED are FR24's own interpolation: kept,
//   and counted in one warning per leg so that nobody mistakes them for received fixes.
//
// flight-summary (light or full): {"data": [{fr24_id, flight, callsign, type, reg, orig_icao,
//   dest_icao, dest_icao_actual, datetime_takeoff, datetime_landed, flight_time (s),
//   actual_distance, circle_distance (km), ...}]}. Datetimes are "YYYY-MM-DDTHH:MM:SS" without a
//   zone and are UTC. No positions: the rows become LoadResult::summaries, which load_paths
//   joins onto the tracks with the same fr24_id.
//
// historic/flight-events (light or full): {"data": [{"fr24_id", "callsign", "events": [{"type",
//   "timestamp", "lat", "lon", "alt", "gspeed", "details"}]}]} with type gate_departure,
//   takeoff, cruising, airspace_transition, descent, landed or gate_arrival. We keep the times
//   of take-off, landing and the gates as a summary of the leg (joined like flight-summary);
//   the other events and the positions are not used.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <string>

#include "core/units.hpp"
#include "io/formats/text_formats.hpp"
#include "io/formats/track_checks.hpp"
#include "io/loader.hpp"
#include "io/text/json_util.hpp"

namespace fr::io::detail {

namespace od = simdjson::ondemand;

namespace {

/// Opens the document and returns its root array/object; false (reported) otherwise.
template <class T>
bool root(JsonSource& src, od::parser& parser, od::document& doc, Diagnostics& diags, T& out, const char* expected) {
    if (!src.open(parser, doc, diags)) return false;
    simdjson::error_code e;
    if constexpr (std::is_same_v<T, od::array>)
        e = doc.get_array().get(out);
    else
        e = doc.get_object().get(out);
    if (e == simdjson::INCORRECT_TYPE) {
        src.report_root_type(diags, expected);
        return false;
    }
    if (e) {
        src.report_syntax(diags, e, nullptr, "$", "file skipped");
        return false;
    }
    return true;
}

}  // namespace

namespace {

/// The fast reader of flight-tracks files: a walker over the bytes of a document already known
/// to be valid JSON, for the common case only (every point clean: plain numbers, strings
/// without escapes, every value in range, times in order, no ESTIMATED source). The first time
/// anything else turns up it gives up (nullopt) and the On-Demand reader reads the file and
/// words every diagnostic, so what a file loads to never depends on which reader ran (tested
/// in tests/io and fuzz/fuzz_fr24api). On-Demand's per-field overhead made it ~140 MB/s.
class FastTracks {
public:
    FastTracks(const std::string& name, std::string_view text)
        : m_name(name), m_p(text.data()), m_begin(text.data()), m_end(text.data() + text.size()) {}

    std::optional<LoadResult> read() {
        LoadResult res;
        res.format = Format::fr24api_tracks;
        ws();
        if (!eat('[')) return std::nullopt;
        ws();
        if (eat(']')) return finish(res);
        for (;;) {
            ws();
            if (!eat('{')) return std::nullopt;
            Track track;
            track.source = m_name;
            std::vector<SourcedPoint> pts;
            bool had_tracks = false;
            ws();
            if (!eat('}')) {
                for (;;) {
                    std::string_view key;
                    if (!string(key)) return std::nullopt;
                    ws();
                    if (!eat(':')) return std::nullopt;
                    ws();
                    if (key == "fr24_id") {
                        std::string_view id;
                        if (!string(id)) return std::nullopt;
                        track.fr24_id = trimmed(id);
                    } else if (key == "tracks") {
                        if (had_tracks || !points(track, pts, res)) return std::nullopt;
                        had_tracks = true;
                    } else if (!skip_value()) {
                        return std::nullopt;
                    }
                    ws();
                    if (eat('}')) break;
                    if (!eat(',')) return std::nullopt;
                    ws();
                }
            }
            if (!had_tracks) return std::nullopt;
            Diagnostics local;
            track.points = finalize_points(std::move(pts), m_name, local, res.rows_skipped);
            if (!local.empty()) return std::nullopt;  // disorder or repeats: On-Demand words them
            if (!track.points.empty()) res.tracks.push_back(std::move(track));
            ws();
            if (eat(']')) return finish(res);
            if (!eat(',')) return std::nullopt;
        }
    }

private:
    std::optional<LoadResult> finish(LoadResult& res) {
        ws();
        if (m_p != m_end) return std::nullopt;
        return std::move(res);
    }
    void ws() noexcept {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t')) ++m_p;
    }
    bool eat(char c) noexcept {
        if (m_p < m_end && *m_p == c) {
            ++m_p;
            return true;
        }
        return false;
    }
    /// A string without escapes.
    bool string(std::string_view& out) noexcept {
        if (!eat('"')) return false;
        const char* start = m_p;
        const char* q = static_cast<const char*>(std::memchr(m_p, '"', static_cast<std::size_t>(m_end - m_p)));
        if (!q || std::memchr(start, '\\', static_cast<std::size_t>(q - start))) return false;
        out = std::string_view(start, static_cast<std::size_t>(q - start));
        m_p = q + 1;
        return true;
    }
    bool number(double& out) noexcept {
        const char* start = m_p;
        while (m_p < m_end &&
               (std::isdigit(static_cast<unsigned char>(*m_p)) || *m_p == '-' || *m_p == '+' || *m_p == '.' || *m_p == 'e' || *m_p == 'E'))
            ++m_p;
        const auto r = std::from_chars(start, m_p, out);
        return r.ec == std::errc{} && r.ptr == m_p && std::isfinite(out);
    }
    /// Skips any value of a valid document (strings may hold escapes here).
    bool skip_value() noexcept {
        int depth = 0;
        do {
            ws();
            if (m_p >= m_end) return false;
            const char c = *m_p;
            if (c == '"') {
                ++m_p;
                while (m_p < m_end && *m_p != '"') m_p += *m_p == '\\' ? 2 : 1;
                ++m_p;
            } else if (c == '{' || c == '[') {
                ++depth;
                ++m_p;
            } else if (c == '}' || c == ']') {
                --depth;
                ++m_p;
            } else if (c == ',' || c == ':') {
                ++m_p;
            } else {
                while (m_p < m_end && *m_p != ',' && *m_p != '}' && *m_p != ']' && *m_p != ' ' && *m_p != '\n' && *m_p != '\r' &&
                       *m_p != '\t')
                    ++m_p;
            }
        } while (depth > 0);
        return m_p <= m_end;
    }
    /// A "tracks" array of clean points.
    bool points(Track& track, std::vector<SourcedPoint>& pts, LoadResult& res) {
        if (!eat('[')) return false;
        ws();
        if (eat(']')) return true;
        for (;;) {
            ws();
            const std::size_t off = static_cast<std::size_t>(m_p - m_begin);
            if (!eat('{')) return false;
            ++res.rows_read;
            double lat = NAN, lon = NAN, alt = NAN, gs = NAN, trk = NAN;
            std::string_view ts_text, callsign;
            bool has_ts = false;
            ws();
            if (!eat('}')) {
                for (;;) {
                    std::string_view k;
                    if (!string(k)) return false;
                    ws();
                    if (!eat(':')) return false;
                    ws();
                    if (m_p < m_end && *m_p == 'n') {  // null: unknown
                        if (m_end - m_p < 4) return false;
                        m_p += 4;
                    } else if (k == "timestamp") {
                        if (!string(ts_text)) return false;
                        has_ts = true;
                    } else if (k == "lat") {
                        if (!number(lat)) return false;
                    } else if (k == "lon") {
                        if (!number(lon)) return false;
                    } else if (k == "alt") {
                        if (!number(alt)) return false;
                    } else if (k == "gspeed") {
                        if (!number(gs)) return false;
                    } else if (k == "track") {
                        if (!number(trk)) return false;
                    } else if (k == "callsign") {
                        if (!string(callsign)) return false;
                    } else if (k == "source") {
                        std::string_view src;
                        if (!string(src) || src == "ESTIMATED") return false;  // reported by On-Demand
                    } else if (!skip_value()) {
                        return false;
                    }
                    ws();
                    if (eat('}')) break;
                    if (!eat(',')) return false;
                    ws();
                }
            }
            if (!has_ts || ts_text.empty()) return false;
            const auto t = parse_iso8601(ts_text);
            if (!t || !plausible_time(*t) || std::isnan(lat) || std::isnan(lon)) return false;
            const auto ll = LatLon::checked(lat, lon);
            if (!ll) return false;
            if (!std::isnan(alt) && (alt < min_altitude_ft || alt > max_altitude_ft)) return false;
            if (!std::isnan(gs) && (gs < 0 || gs > max_ground_speed_kt)) return false;
            TrackPoint tp(*t, *ll);
            if (!std::isnan(alt)) {
                tp.set_altitude(Length::feet(alt));
                tp.set_on_ground(alt == 0.0 ? OnGround::ground : OnGround::airborne);
            }
            if (!std::isnan(gs)) tp.set_ground_speed(Speed::knots(gs));
            if (!std::isnan(trk) && trk >= -360 && trk <= 360) tp.set_track(Angle::degrees(trk).normalized_360());
            if (track.aircraft.callsign.empty() && !callsign.empty()) {
                const auto cs = trimmed(callsign);
                if (!cs.empty()) track.aircraft.callsign = cs;
            }
            pts.push_back({tp, off});
            ws();
            if (eat(']')) return true;
            if (!eat(',')) return false;
        }
    }

    const std::string& m_name;
    const char* m_p;
    const char* m_begin;
    const char* m_end;
};

}  // namespace

LoadResult load_fr24api_tracks(const std::string& name, std::string_view text, std::size_t readable) {
    // Skip a BOM like JsonSource does (it blanks it; offsets stay those of the file).
    std::string_view body = text;
    if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
    if (json_syntax_ok(body)) {
        FastTracks fast(name, text.substr(0, text.size()));
        if (body.size() == text.size()) {
            if (auto r = fast.read()) return std::move(*r);
        }
    }
    return load_fr24api_tracks_on_demand(name, text, readable);
}

LoadResult load_fr24api_tracks_on_demand(const std::string& name, std::string_view text, std::size_t readable) {
    LoadResult res;
    res.format = Format::fr24api_tracks;
    auto& diags = res.diagnostics;
    JsonSource src(name, text, readable);
    od::parser parser;
    od::document doc;
    od::array legs;
    if (!root(src, parser, doc, diags, legs, "an FR24 API flight-tracks array [{\"fr24_id\": ..., \"tracks\": [...]}]")) return res;
    std::size_t li = 0;
    for (auto lr : legs) {
        const std::string lpath = indexed("$", li++);
        od::value lv;
        od::object leg;
        if (auto e = lr.get(lv)) {
            src.report_syntax(diags, e, nullptr, lpath, "reading stopped");
            break;
        }
        if (auto e = lv.get_object().get(leg)) {
            if (e != simdjson::INCORRECT_TYPE) {
                src.report_syntax(diags, e, nullptr, lpath, "reading stopped");
                break;
            }
            src.report(diags, Severity::warning, lv, lpath, "leg is " + shown_token(lv) + ", not an object (skipped)");
            continue;
        }
        Track track;
        track.source = name;
        std::vector<SourcedPoint> pts;
        std::vector<std::size_t> offsets;
        std::vector<std::uint32_t> indices;  // point index in "tracks" (paths built only for messages)
        std::size_t estimated = 0, first_estimated = 0;
        bool broken = false, had_tracks = false;
        for (auto lf : leg) {
            od::field f;
            std::string_view key;
            if (std::move(lf).get(f) || f.unescaped_key().get(key)) {
                broken = true;
                break;
            }
            od::value v = f.value();
            if (key == "fr24_id") {
                std::string_view s;
                simdjson::error_code e{};
                if (read_string(v, s, e) == JsonRead::ok) track.fr24_id = trimmed(s);
                continue;
            }
            if (key != "tracks") continue;
            had_tracks = true;
            const std::string tpath = member(lpath, "tracks");
            od::array arr;
            if (auto e = v.get_array().get(arr)) {
                if (e != simdjson::INCORRECT_TYPE) {
                    broken = true;
                    break;
                }
                src.report(diags, Severity::warning, v, tpath, "\"tracks\" is " + shown_token(v) + ", not an array (leg skipped)");
                continue;
            }
            std::size_t pi = 0;
            for (auto pr : arr) {
                const std::size_t this_index = pi++;
                auto ppath = [&] { return indexed(tpath, this_index); };
                od::value pv;
                od::object po;
                if (pr.get(pv)) {
                    broken = true;
                    break;
                }
                ++res.rows_read;
                const char* at = pv.raw_json_token().data();
                const std::size_t off = src.offset_of(at);
                auto skip = [&](std::size_t o, std::string_view field, const std::string& msg) {
                    src.report(diags, Severity::warning, o, field.empty() ? ppath() : member(ppath(), field), msg + " (point skipped)");
                    ++res.rows_skipped;
                };
                if (auto e = pv.get_object().get(po)) {
                    if (e != simdjson::INCORRECT_TYPE) {
                        broken = true;
                        break;
                    }
                    skip(off, {}, "track point is " + shown_token(pv) + ", not an object");
                    continue;
                }
                double lat = NAN, lon = NAN, alt = NAN, gs = NAN, trk = NAN;
                std::string_view ts_text, callsign, source;
                std::size_t ts_off = off, alt_off = off, gs_off = off, lat_off = off;
                bool bad = false;
                for (auto pf : po) {
                    od::field ff;
                    std::string_view k;
                    if (std::move(pf).get(ff) || ff.unescaped_key().get(k)) {
                        broken = true;
                        break;
                    }
                    if (bad) continue;
                    od::value fv = ff.value();
                    simdjson::error_code e{};
                    auto number = [&](double& out, std::size_t* where) {
                        const char* vat = fv.raw_json_token().data();
                        if (where) *where = src.offset_of(vat);
                        const auto r = read_number(fv, out, e);
                        if (r == JsonRead::structural)
                            broken = true;
                        else if (r == JsonRead::bad) {
                            skip(src.offset_of(vat), k, std::string(k) + " " + shown_token(fv) + " is not a finite JSON number");
                            bad = true;
                        }
                    };
                    auto string = [&](std::string_view& out, std::size_t* where) {
                        if (where) *where = src.offset_of(fv.raw_json_token().data());
                        if (read_string(fv, out, e) == JsonRead::structural) broken = true;
                    };
                    if (k == "timestamp")
                        string(ts_text, &ts_off);
                    else if (k == "lat")
                        number(lat, &lat_off);
                    else if (k == "lon")
                        number(lon, nullptr);
                    else if (k == "alt")
                        number(alt, &alt_off);
                    else if (k == "gspeed")
                        number(gs, &gs_off);
                    else if (k == "track")
                        number(trk, nullptr);
                    else if (k == "callsign")
                        string(callsign, nullptr);
                    else if (k == "source")
                        string(source, nullptr);
                    if (broken) break;
                }
                if (broken) break;
                if (bad) continue;
                if (ts_text.empty()) {
                    skip(ts_off, "timestamp", "no \"timestamp\" string");
                    continue;
                }
                const auto t = parse_iso8601(ts_text);
                if (!t || !plausible_time(*t)) {
                    skip(ts_off, "timestamp",
                         "timestamp \"" + std::string(ts_text.substr(0, 40)) + "\" is not an ISO 8601 UTC time within 1990..2100");
                    continue;
                }
                if (std::isnan(lat) || std::isnan(lon)) {
                    skip(lat_off, std::isnan(lat) ? "lat" : "lon", "no position");
                    continue;
                }
                const auto ll = LatLon::checked(lat, lon);
                if (!ll) {
                    skip(lat_off, "lat",
                         "position " + format_number(lat) + ", " + format_number(lon) +
                             " is out of range (latitude -90..90, longitude -180..180)");
                    continue;
                }
                if (!std::isnan(alt) && (alt < min_altitude_ft || alt > max_altitude_ft)) {
                    skip(alt_off, "alt", "altitude " + format_number(alt) + " ft is outside -2000..100000 ft");
                    continue;
                }
                if (!std::isnan(gs) && (gs < 0 || gs > max_ground_speed_kt)) {
                    skip(gs_off, "gspeed", "ground speed " + format_number(gs) + " kt is outside 0..1500 kt");
                    continue;
                }
                TrackPoint tp(*t, *ll);
                if (!std::isnan(alt)) {
                    tp.set_altitude(Length::feet(alt));
                    tp.set_on_ground(alt == 0.0 ? OnGround::ground : OnGround::airborne);  // FR24: 0 ft on the ground
                }
                if (!std::isnan(gs)) tp.set_ground_speed(Speed::knots(gs));
                if (!std::isnan(trk) && trk >= -360 && trk <= 360) tp.set_track(Angle::degrees(trk).normalized_360());
                if (track.aircraft.callsign.empty() && !trimmed(callsign).empty()) track.aircraft.callsign = trimmed(callsign);
                if (source == "ESTIMATED" && estimated++ == 0) first_estimated = off;
                pts.push_back({tp, off});
                offsets.push_back(off);
                indices.push_back(static_cast<std::uint32_t>(this_index));
            }
            if (broken) break;
        }
        if (broken) {
            src.report_syntax(diags, simdjson::TAPE_ERROR, nullptr, lpath, "reading stopped");
            break;
        }
        if (!had_tracks) src.report(diags, Severity::warning, lv, lpath, "leg without a \"tracks\" array (skipped)");
        if (estimated > 0)
            src.report(diags, Severity::warning, first_estimated, lpath,
                       std::to_string(estimated) + " position(s) of leg " + track.fr24_id +
                           " have source ESTIMATED (FR24's interpolation, not received; kept), first here");
        track.points = finalize_json_points(std::move(pts), src, diags, res.rows_skipped, [&](std::size_t o) {
            const auto it = std::lower_bound(offsets.begin(), offsets.end(), o);
            return it == offsets.end() ? lpath : indexed(member(lpath, "tracks"), indices[static_cast<std::size_t>(it - offsets.begin())]);
        });
        if (!track.points.empty()) res.tracks.push_back(std::move(track));
    }
    return res;
}

LoadResult load_fr24api_summary(const std::string& name, std::string_view text, std::size_t readable) {
    LoadResult res;
    res.format = Format::fr24api_summary;
    auto& diags = res.diagnostics;
    JsonSource src(name, text, readable);
    od::parser parser;
    od::document doc;
    od::object top;
    if (!root(src, parser, doc, diags, top, "an FR24 API flight-summary object {\"data\": [...]}")) return res;
    od::value dv;
    od::array rows;
    auto e = top.find_field_unordered("data").get(dv);
    if (e == simdjson::NO_SUCH_FIELD) {
        src.report(diags, Severity::error, 0, "data", "missing \"data\" array: not an FR24 flight-summary file (file skipped)");
        return res;
    }
    if (!e) e = dv.get_array().get(rows);
    if (e == simdjson::INCORRECT_TYPE) {
        src.report(diags, Severity::error, dv, "data", "\"data\" is " + shown_token(dv) + ", not an array (file skipped)");
        return res;
    }
    if (e) {
        src.report_syntax(diags, e, nullptr, "data", "file skipped");
        return res;
    }
    std::size_t i = 0;
    for (auto rr : rows) {
        const std::string rpath = indexed("data", i++);
        od::value rv;
        od::object row;
        if (auto e2 = rr.get(rv)) {
            src.report_syntax(diags, e2, nullptr, rpath, "reading stopped");
            break;
        }
        ++res.rows_read;
        if (auto e2 = rv.get_object().get(row)) {
            if (e2 != simdjson::INCORRECT_TYPE) {
                src.report_syntax(diags, e2, nullptr, rpath, "reading stopped");
                break;
            }
            src.report(diags, Severity::warning, rv, rpath, "summary row is " + shown_token(rv) + ", not an object (skipped)");
            ++res.rows_skipped;
            continue;
        }
        LegSummary s;
        bool broken = false;
        for (auto fr : row) {
            od::field f;
            std::string_view k;
            if (std::move(fr).get(f) || f.unescaped_key().get(k)) {
                broken = true;
                break;
            }
            od::value v = f.value();
            simdjson::error_code err{};
            const char* at = v.raw_json_token().data();
            std::string_view sv;
            double num = NAN;
            auto str = [&](std::string& out) {
                if (read_string(v, sv, err) == JsonRead::ok) out = trimmed(sv);
            };
            auto time = [&](std::optional<TimePoint>& out) {
                if (read_string(v, sv, err) != JsonRead::ok) return;  // null: not known (yet)
                const auto t = parse_iso8601(sv);                     // no zone: UTC
                if (t && plausible_time(*t))
                    out = *t;
                else
                    src.report(diags, Severity::warning, src.offset_of(at), member(rpath, k),
                               std::string(k) + " \"" + std::string(sv.substr(0, 40)) + "\" is not a time YYYY-MM-DDTHH:MM:SS (ignored)");
            };
            auto number = [&]() -> bool {
                const auto r = read_number(v, num, err);
                if (r == JsonRead::ok && num >= 0) return true;
                if (r == JsonRead::bad || (r == JsonRead::ok && num < 0))
                    src.report(diags, Severity::warning, src.offset_of(at), member(rpath, k),
                               std::string(k) + " " + shown_token(v) + " is not a non-negative number (ignored)");
                return false;
            };
            if (k == "fr24_id")
                str(s.fr24_id);
            else if (k == "flight")
                str(s.flight);
            else if (k == "callsign")
                str(s.aircraft.callsign);
            else if (k == "type")
                str(s.aircraft.type);
            else if (k == "reg")
                str(s.aircraft.registration);
            else if (k == "hex") {
                if (read_string(v, sv, err) == JsonRead::ok) s.aircraft.icao24 = lower_trimmed(sv);
            } else if (k == "orig_icao")
                str(s.origin_icao);
            else if (k == "dest_icao")
                str(s.destination_icao);
            else if (k == "dest_icao_actual")
                str(s.destination_icao_actual);
            else if (k == "datetime_takeoff")
                time(s.takeoff);
            else if (k == "datetime_landed")
                time(s.landed);
            else if (k == "flight_time") {
                if (number()) s.flight_time = Duration{static_cast<std::int64_t>(std::llround(std::min(num, 1e9) * 1000.0))};
            } else if (k == "actual_distance") {
                if (number()) s.actual_distance = Length::kilometres(num);
            } else if (k == "circle_distance") {
                if (number()) s.great_circle_distance = Length::kilometres(num);
            }
        }
        if (broken) {
            src.report_syntax(diags, simdjson::TAPE_ERROR, nullptr, rpath, "reading stopped");
            break;
        }
        if (s.fr24_id.empty()) {
            src.report(diags, Severity::warning, rv, rpath, "summary row without \"fr24_id\" cannot be joined to a track (skipped)");
            ++res.rows_skipped;
            continue;
        }
        res.summaries.push_back(std::move(s));
    }
    return res;
}

LoadResult load_fr24api_events(const std::string& name, std::string_view text, std::size_t readable) {
    LoadResult res;
    res.format = Format::fr24api_events;
    auto& diags = res.diagnostics;
    JsonSource src(name, text, readable);
    od::parser parser;
    od::document doc;
    od::object top;
    if (!root(src, parser, doc, diags, top, "an FR24 API flight-events object {\"data\": [...]}")) return res;
    od::value dv;
    od::array rows;
    auto e = top.find_field_unordered("data").get(dv);
    if (e == simdjson::NO_SUCH_FIELD) {
        src.report(diags, Severity::error, 0, "data", "missing \"data\" array: not an FR24 flight-events file (file skipped)");
        return res;
    }
    if (!e) e = dv.get_array().get(rows);
    if (e) {
        if (e == simdjson::INCORRECT_TYPE)
            src.report(diags, Severity::error, dv, "data", "\"data\" is " + shown_token(dv) + ", not an array (file skipped)");
        else
            src.report_syntax(diags, e, nullptr, "data", "file skipped");
        return res;
    }
    std::size_t i = 0;
    for (auto rr : rows) {
        const std::string rpath = indexed("data", i++);
        od::value rv;
        od::object row;
        if (rr.get(rv) || rv.get_object().get(row)) {
            src.report(diags, Severity::warning, rv, rpath, "row is not an object (skipped)");
            ++res.rows_skipped;
            continue;
        }
        ++res.rows_read;
        LegSummary s;
        bool broken = false;
        for (auto fr : row) {
            od::field f;
            std::string_view k, sv;
            if (std::move(fr).get(f) || f.unescaped_key().get(k)) {
                broken = true;
                break;
            }
            od::value v = f.value();
            simdjson::error_code err{};
            if (k == "fr24_id") {
                if (read_string(v, sv, err) == JsonRead::ok) s.fr24_id = trimmed(sv);
                continue;
            }
            if (k == "callsign") {
                if (read_string(v, sv, err) == JsonRead::ok) s.aircraft.callsign = trimmed(sv);
                continue;
            }
            if (k != "events") continue;
            od::array events;
            if (v.get_array().get(events)) continue;
            std::size_t ei = 0;
            for (auto er : events) {
                const std::string epath = indexed(member(rpath, "events"), ei++);
                od::value ev;
                od::object eo;
                if (er.get(ev) || ev.get_object().get(eo)) continue;
                std::string_view type, ts;
                std::size_t ts_off = src.offset_of(ev.raw_json_token().data());
                for (auto efr : eo) {
                    od::field ef;
                    std::string_view ek;
                    if (std::move(efr).get(ef) || ef.unescaped_key().get(ek)) {
                        broken = true;
                        break;
                    }
                    od::value evv = ef.value();
                    if (ek == "type")
                        (void)read_string(evv, type, err);
                    else if (ek == "timestamp") {
                        ts_off = src.offset_of(evv.raw_json_token().data());
                        (void)read_string(evv, ts, err);
                    }
                }
                if (broken) break;
                std::optional<TimePoint>* slot = type == "takeoff"          ? &s.takeoff
                                                 : type == "landed"         ? &s.landed
                                                 : type == "gate_departure" ? &s.gate_departure
                                                 : type == "gate_arrival"   ? &s.gate_arrival
                                                                            : nullptr;
                if (!slot) continue;
                const auto t = parse_iso8601(ts);
                if (!t || !plausible_time(*t)) {
                    src.report(
                        diags, Severity::warning, ts_off, member(epath, "timestamp"),
                        std::string(type) + " event time \"" + std::string(ts.substr(0, 40)) + "\" is not an ISO 8601 UTC time (ignored)");
                    continue;
                }
                if (!*slot) *slot = *t;  // the first event of a kind
            }
            if (broken) break;
        }
        if (broken) {
            src.report_syntax(diags, simdjson::TAPE_ERROR, nullptr, rpath, "reading stopped");
            break;
        }
        if (s.fr24_id.empty()) {
            src.report(diags, Severity::warning, rv, rpath, "events row without \"fr24_id\" cannot be joined to a track (skipped)");
            ++res.rows_skipped;
            continue;
        }
        res.summaries.push_back(std::move(s));
    }
    return res;
}

std::size_t join_summaries(std::vector<Track>& tracks, const std::vector<LegSummary>& summaries) {
    // Combine rows of one fr24_id: the first row's values win, later rows fill what it lacks.
    std::map<std::string, LegSummary> combined;
    for (const auto& s : summaries) {
        auto [it, fresh] = combined.try_emplace(s.fr24_id, s);
        if (fresh) continue;
        LegSummary& c = it->second;
        auto str = [](std::string& dst, const std::string& src) {
            if (dst.empty()) dst = src;
        };
        auto opt = [](auto& dst, const auto& src) {
            if (!dst) dst = src;
        };
        str(c.flight, s.flight);
        str(c.aircraft.icao24, s.aircraft.icao24);
        str(c.aircraft.registration, s.aircraft.registration);
        str(c.aircraft.callsign, s.aircraft.callsign);
        str(c.aircraft.type, s.aircraft.type);
        str(c.origin_icao, s.origin_icao);
        str(c.destination_icao, s.destination_icao);
        str(c.destination_icao_actual, s.destination_icao_actual);
        opt(c.takeoff, s.takeoff);
        opt(c.landed, s.landed);
        opt(c.gate_departure, s.gate_departure);
        opt(c.gate_arrival, s.gate_arrival);
        opt(c.flight_time, s.flight_time);
        opt(c.actual_distance, s.actual_distance);
        opt(c.great_circle_distance, s.great_circle_distance);
    }
    std::map<std::string, const LegSummary*> by_id;
    for (const auto& [id, s] : combined) by_id.emplace(id, &s);
    std::size_t joined = 0;
    for (auto& t : tracks) {
        if (t.fr24_id.empty()) continue;
        const auto it = by_id.find(t.fr24_id);
        if (it == by_id.end()) continue;
        const LegSummary& s = *it->second;
        t.summary = s;
        auto fill = [](std::string& dst, const std::string& src) {
            if (dst.empty()) dst = src;
        };
        fill(t.aircraft.registration, s.aircraft.registration);
        fill(t.aircraft.type, s.aircraft.type);
        fill(t.aircraft.callsign, s.aircraft.callsign);
        fill(t.aircraft.icao24, s.aircraft.icao24);
        ++joined;
    }
    return joined;
}

}  // namespace fr::io::detail
