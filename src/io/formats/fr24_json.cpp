// Flightradar24 web "flight playback" JSON: result.response.data.flight with
//   identification { id, number { default }, callsign }
//   aircraft { model { code, text }, identification { modes, registration, ... } }
//   track [ { latitude, longitude, altitude { feet, meters }, speed { kmh, kts, mph },
//             verticalSpeed { fpm, ms }, heading, squawk, timestamp (Unix s), ems }, ... ]
// (fields checked on xoolive/traffic's four samples). Altitude is barometric feet and 0 on the
// ground (the same convention as the FR24 CSV export), so 0 ft marks the fix as on the ground
// unless the point carries an explicit "onGround" boolean, which wins. Speed "kts" is ground
// speed in knots; "heading" is the track in degrees. The Mode S address "modes" is upper-case
// hex in the file and stored lower-case.
#include <algorithm>
#include <cmath>
#include <string>

#include "io/formats/track_checks.hpp"
#include "io/loader.hpp"
#include "io/text/json_util.hpp"

namespace fr::io::detail {

namespace {

namespace od = simdjson::ondemand;

/// Reads a string member of `obj` into `out` when present and a string; false on a broken
/// document (reported).
bool read_member_string(od::object& obj, std::string_view key, std::string& out, bool lower) {
    od::value v;
    if (obj.find_field_unordered(key).get(v)) return true;
    std::string_view s;
    simdjson::error_code e{};
    if (read_string(v, s, e) == JsonRead::ok) out = lower ? lower_trimmed(s) : trimmed(s);
    return true;
}

}  // namespace

LoadResult load_fr24_json(const std::string& name, std::string_view text, std::size_t readable) {
    LoadResult res;
    res.format = Format::fr24_json;
    auto& diags = res.diagnostics;
    JsonSource src(name, text, readable);
    od::parser parser;
    od::document doc;
    if (!src.open(parser, doc, diags)) return res;
    // Walk down result.response.data.flight; each step must be an object.
    od::object obj;
    std::string path = "$";
    if (auto e = doc.get_object().get(obj)) {
        if (e == simdjson::INCORRECT_TYPE)
            src.report_root_type(diags, "an FR24 playback object {\"result\": {\"response\": ...}}");
        else
            src.report_syntax(diags, e, nullptr, path, "file skipped");
        return res;
    }
    for (const char* key : {"result", "response", "data", "flight"}) {
        path = path == "$" ? key : path + "." + key;
        od::value v;
        auto e = obj.find_field_unordered(key).get(v);
        if (e == simdjson::NO_SUCH_FIELD) {
            src.report(diags, Severity::error, 0, path,
                       "missing \"" + std::string(key) +
                           "\": not an FR24 playback file (expected result.response.data.flight.track; file skipped)");
            return res;
        }
        if (!e) e = v.get_object().get(obj);
        if (e == simdjson::INCORRECT_TYPE) {
            src.report(diags, Severity::error, v, path,
                       "\"" + std::string(key) + "\" is " + shown_token(v) + ", not an object (file skipped)");
            return res;
        }
        if (e) {
            src.report_syntax(diags, e, nullptr, path, "file skipped");
            return res;
        }
    }
    Track track;
    track.source = name;
    // Identity (optional; keys in file order: identification, ..., aircraft, ..., track).
    {
        od::value v;
        od::object ident;
        if (!obj.find_field_unordered("identification").get(v) && !v.get_object().get(ident))
            read_member_string(ident, "callsign", track.aircraft.callsign, false);
        od::object aircraft;
        if (!obj.find_field_unordered("aircraft").get(v) && !v.get_object().get(aircraft)) {
            od::value mv;
            od::object model;
            if (!aircraft.find_field_unordered("model").get(mv) && !mv.get_object().get(model))
                read_member_string(model, "code", track.aircraft.type, false);
            od::object aid;
            if (!aircraft.find_field_unordered("identification").get(mv) && !mv.get_object().get(aid)) {
                read_member_string(aid, "modes", track.aircraft.icao24, true);
                read_member_string(aid, "registration", track.aircraft.registration, false);
            }
        }
    }
    od::array points;
    path += ".track";
    {
        od::value v;
        auto e = obj.find_field_unordered("track").get(v);
        if (e == simdjson::NO_SUCH_FIELD) {
            src.report(diags, Severity::error, 0, path, "missing \"track\" array (file skipped)");
            return res;
        }
        if (!e) e = v.get_array().get(points);
        if (e == simdjson::INCORRECT_TYPE) {
            src.report(diags, Severity::error, v, path, "\"track\" is " + shown_token(v) + ", not an array (file skipped)");
            return res;
        }
        if (e) {
            src.report_syntax(diags, e, nullptr, path, "file skipped");
            return res;
        }
    }
    std::vector<SourcedPoint> pts;
    std::vector<std::size_t> offsets, indices;
    std::size_t idx = 0;
    auto pt_path = [&](std::size_t i, std::string_view field) {
        const std::string p = indexed(path, i);
        return field.empty() ? p : member(p, field);
    };
    for (auto pr : points) {
        const std::size_t i = idx++;
        od::value pv;
        auto stop = [&](simdjson::error_code e, const char* near) {
            src.report_syntax(diags, e, near, pt_path(i, {}),
                              "reading stopped; " + std::to_string(pts.size()) + " point(s) before it kept");
        };
        if (auto e = pr.get(pv)) {
            stop(e, nullptr);
            break;
        }
        ++res.rows_read;
        const char* at = pv.raw_json_token().data();
        const std::size_t off = src.offset_of(at);
        auto skip = [&](std::size_t o, std::string_view field, const std::string& msg) {
            src.report(diags, Severity::warning, o, pt_path(i, field), msg + " (point skipped)");
            ++res.rows_skipped;
        };
        od::object p;
        if (auto e = pv.get_object().get(p)) {
            if (e != simdjson::INCORRECT_TYPE) {
                stop(e, at);
                break;
            }
            skip(off, {}, "track point is " + shown_token(pv) + ", not an object");
            continue;
        }
        double lat = NAN, lon = NAN, alt = NAN, gs = NAN, hdg = NAN, ts = NAN;
        int on_ground = -1;
        bool bad = false, broken = false;
        for (auto fr : p) {
            od::field f;
            std::string_view key;
            simdjson::error_code e = std::move(fr).get(f);
            if (!e) e = f.unescaped_key().get(key);
            if (e) {
                stop(e, at);
                broken = true;
                break;
            }
            if (bad) continue;
            od::value v = f.value();
            // Numbers directly or inside {"feet": ..} / {"kts": ..} sub-objects.
            auto number = [&](double& out, std::string_view field, const char* sub) {
                od::value target = v;
                od::object o;
                std::string where(field);
                if (sub) {
                    e = v.get_object().get(o);
                    if (e == simdjson::INCORRECT_TYPE) {
                        bool n = false;
                        if (!v.is_null().get(n) && n) return;  // whole quantity null
                        skip(src.offset_of(v.raw_json_token().data()), field,
                             std::string(field) + " is " + shown_token(v) + ", not an object");
                        bad = true;
                        return;
                    }
                    if (!e) e = o.find_field_unordered(sub).get(target);
                    if (e == simdjson::NO_SUCH_FIELD) return;
                    if (e) {
                        broken = true;
                        return;
                    }
                    where += std::string(".") + sub;
                }
                const auto r = read_number(target, out, e);
                if (r == JsonRead::structural) {
                    broken = true;
                    return;
                }
                if (r == JsonRead::bad) {
                    skip(src.offset_of(target.raw_json_token().data()), where,
                         where + " " + shown_token(target) + " is not a finite JSON number");
                    bad = true;
                }
            };
            if (key == "latitude")
                number(lat, key, nullptr);
            else if (key == "longitude")
                number(lon, key, nullptr);
            else if (key == "altitude")
                number(alt, key, "feet");
            else if (key == "speed")
                number(gs, key, "kts");
            else if (key == "heading")
                number(hdg, key, nullptr);
            else if (key == "timestamp")
                number(ts, key, nullptr);
            else if (key == "onGround") {
                bool b = false;
                if (!v.get_bool().get(b)) on_ground = b ? 1 : 0;
            }
            if (broken) {
                stop(e, v.raw_json_token().data());
                break;
            }
        }
        if (broken) break;
        if (bad) continue;
        if (std::isnan(ts)) {
            skip(off, "timestamp", "no \"timestamp\"");
            continue;
        }
        if (ts < static_cast<double>(min_unix_s) || ts > static_cast<double>(max_unix_s)) {
            skip(off, "timestamp", "timestamp " + format_number(ts) + " is not a Unix time in seconds within 1990..2100");
            continue;
        }
        if (std::isnan(lat) || std::isnan(lon)) {
            skip(off, std::isnan(lat) ? "latitude" : "longitude", "no position");
            continue;
        }
        const auto ll = LatLon::checked(lat, lon);
        if (!ll) {
            skip(off, "latitude",
                 "position " + format_number(lat) + ", " + format_number(lon) + " is out of range (latitude -90..90, longitude -180..180)");
            continue;
        }
        if (!std::isnan(alt) && (alt < min_altitude_ft || alt > max_altitude_ft)) {
            skip(off, "altitude.feet", "altitude " + format_number(alt) + " ft is outside -2000..100000 ft");
            continue;
        }
        if (!std::isnan(gs) && (gs < 0 || gs > max_ground_speed_kt)) {
            skip(off, "speed.kts", "ground speed " + format_number(gs) + " kt is outside 0..1500 kt");
            continue;
        }
        TrackPoint tp(from_unix_seconds(ts), *ll);
        if (!std::isnan(alt)) {
            tp.set_altitude(Length::feet(alt));
            tp.set_on_ground(alt == 0.0 ? OnGround::ground : OnGround::airborne);
        }
        if (on_ground >= 0) tp.set_on_ground(on_ground ? OnGround::ground : OnGround::airborne);
        if (!std::isnan(gs)) tp.set_ground_speed(Speed::knots(gs));
        if (!std::isnan(hdg)) {
            if (hdg < -360 || hdg > 360)
                src.report(diags, Severity::warning, off, pt_path(i, "heading"),
                           "heading " + format_number(hdg) + " is not an angle in degrees (ignored)");
            else
                tp.set_track(Angle::degrees(hdg).normalized_360());
        }
        pts.push_back({tp, off});
        offsets.push_back(off);
        indices.push_back(i);
    }
    track.points = finalize_json_points(std::move(pts), src, diags, res.rows_skipped, [&](std::size_t o) {
        const auto it = std::lower_bound(offsets.begin(), offsets.end(), o);
        return it == offsets.end() ? path : pt_path(indices[static_cast<std::size_t>(it - offsets.begin())], {});
    });
    if (!track.points.empty()) res.tracks.push_back(std::move(track));
    return res;
}

}  // namespace fr::io::detail
