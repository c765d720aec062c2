// OpenSky-derived trajectories as written by the traffic library (pandas
// `to_json(orient="records")`, usually gzip): one array of flat records, many aircraft mixed:
//   [ {"timestamp": 1533101250000, "icao24": "3003ae", "callsign": "DLH8JW",
//      "latitude": 45.81, "longitude": 9.22, "altitude": 34975.0, "groundspeed": 443.5,
//      "track": 324.3, "vertical_rate": 960.0, "onground": false, "last_position": ..., ...}, ...]
// Units follow traffic's convention, not OpenSky's raw API: traffic converts OpenSky's metres
// and m/s on download, so "altitude"/"geoaltitude" are FEET and "groundspeed" is KNOTS
// (checked on the samples: cruise records read ~35,000 and ~450; in metres and m/s those would
// be impossible). "timestamp" and "last_position" are epoch milliseconds (pandas' default);
// epoch seconds and ISO 8601 strings are accepted too (epoch_to_time tells s from ms).
// The fix time is "last_position" when present (when the position was measured),
// else "timestamp". Records with a null position (pandas NaN) are skipped and counted in one
// summary warning per file, as the samples hold thousands of them.
// One Track per icao24, in order of first appearance; its callsign is that of the earliest fix
// that has one (records are not always in time order; an aircraft may fly several callsigns).
#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "io/formats/track_checks.hpp"
#include "io/loader.hpp"
#include "io/text/json_util.hpp"

namespace fr::io::detail {

namespace {

namespace od = simdjson::ondemand;

struct Aircraft {
    Track track;
    std::vector<SourcedPoint> points;
    TimePoint callsign_time = TimePoint::max();  // time of the fix whose callsign we keep
};

}  // namespace

LoadResult load_opensky_json(const std::string& name, std::string_view text, std::size_t readable) {
    LoadResult res;
    res.format = Format::opensky_json;
    auto& diags = res.diagnostics;
    JsonSource src(name, text, readable);
    od::parser parser;
    od::document doc;
    if (!src.open(parser, doc, diags)) return res;
    od::array records;
    if (auto e = doc.get_array().get(records)) {
        if (e == simdjson::INCORRECT_TYPE)
            src.report_root_type(diags, "an array of records [{\"timestamp\", \"icao24\", \"latitude\", ...}]");
        else
            src.report_syntax(diags, e, nullptr, "$", "file skipped");
        return res;
    }
    std::vector<Aircraft> aircraft;
    std::unordered_map<std::string, std::size_t> by_icao;
    // Offsets (increasing in file order) and indices of kept records, for diagnostics after sorting.
    std::vector<std::size_t> offsets, indices;
    std::size_t idx = 0, no_position = 0, kept = 0;
    std::size_t first_no_position = 0;
    std::string_view key;
    for (auto rr : records) {
        const std::size_t i = idx++;
        auto rec_path = [&](std::string_view field) {
            const std::string p = indexed("", i);
            return field.empty() ? p : member(p, field);
        };
        auto stop = [&](simdjson::error_code e, const char* near) {
            src.report_syntax(diags, e, near, rec_path({}), "reading stopped; " + std::to_string(kept) + " point(s) before it kept");
        };
        od::value rv;
        if (auto e = rr.get(rv)) {
            stop(e, nullptr);
            break;
        }
        ++res.rows_read;
        const char* at = rv.raw_json_token().data();
        const std::size_t off = src.offset_of(at);
        auto skip = [&](std::string_view field, const std::string& msg) {
            src.report(diags, Severity::warning, off, rec_path(field), msg + " (record skipped)");
            ++res.rows_skipped;
        };
        od::object rec;
        if (auto e = rv.get_object().get(rec)) {
            if (e != simdjson::INCORRECT_TYPE) {
                stop(e, at);
                break;
            }
            skip({}, "record is " + shown_token(rv) + ", not an object");
            continue;
        }
        double lat = NAN, lon = NAN, alt = NAN, gs = NAN, trk = NAN;
        std::optional<TimePoint> ts, last_pos;
        std::string icao, callsign;
        int on_ground = -1;
        bool bad = false, broken = false, null_pos = false;
        for (auto fr : rec) {
            od::field f;
            simdjson::error_code e = std::move(fr).get(f);
            if (!e) e = f.unescaped_key().get(key);
            if (e) {
                stop(e, at);
                broken = true;
                break;
            }
            if (bad) continue;
            od::value v = f.value();
            const std::string_view k = key;
            auto number = [&](double& out) {
                const auto r = read_number(v, out, e);
                if (r == JsonRead::structural)
                    broken = true;
                else if (r == JsonRead::bad) {
                    src.report(diags, Severity::warning, v, rec_path(k),
                               std::string(k) + " " + shown_token(v) + " is not a number (record skipped)");
                    ++res.rows_skipped;
                    bad = true;
                }
                return r;
            };
            auto time = [&](std::optional<TimePoint>& out) {
                std::string_view s;
                if (!v.get_string().get(s)) {
                    out = parse_iso8601(s);
                    if (!out) {
                        src.report(diags, Severity::warning, v, rec_path(k),
                                   std::string(k) + " " + shown_token(v) + " is not ISO 8601 (record skipped)");
                        ++res.rows_skipped;
                        bad = true;
                    }
                    return;
                }
                double d = NAN;
                if (number(d) != JsonRead::ok) return;
                out = epoch_to_time(d);
                if (!out) {
                    src.report(
                        diags, Severity::warning, v, rec_path(k),
                        std::string(k) + " " + format_number(d) + " is not an epoch time (s or ms) within 1990..2100 (record skipped)");
                    ++res.rows_skipped;
                    bad = true;
                }
            };
            auto string = [&](std::string& out, bool lower) {
                std::string_view s;
                const auto r = read_string(v, s, e);
                if (r == JsonRead::structural)
                    broken = true;
                else if (r == JsonRead::ok)
                    out = lower ? lower_trimmed(s) : trimmed(s);
            };
            if (k == "latitude") {
                if (number(lat) == JsonRead::null) null_pos = true;
            } else if (k == "longitude") {
                if (number(lon) == JsonRead::null) null_pos = true;
            } else if (k == "altitude")
                number(alt);
            else if (k == "groundspeed")
                number(gs);
            else if (k == "track")
                number(trk);
            else if (k == "timestamp")
                time(ts);
            else if (k == "last_position") {
                bool n = false;
                if (v.is_null().get(n) || !n) time(last_pos);
            } else if (k == "icao24")
                string(icao, true);
            else if (k == "callsign")
                string(callsign, false);
            else if (k == "onground") {
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
        if (null_pos || std::isnan(lat) || std::isnan(lon)) {
            if (no_position++ == 0) first_no_position = off;
            ++res.rows_skipped;
            continue;
        }
        const auto t = last_pos ? last_pos : ts;
        if (!t) {
            skip("timestamp", "no \"timestamp\"");
            continue;
        }
        const auto ll = LatLon::checked(lat, lon);
        if (!ll) {
            skip("latitude",
                 "position " + format_number(lat) + ", " + format_number(lon) + " is out of range (latitude -90..90, longitude -180..180)");
            continue;
        }
        if (!std::isnan(alt) && (alt < min_altitude_ft || alt > max_altitude_ft)) {
            skip("altitude", "altitude " + format_number(alt) + " ft is outside -2000..100000 ft");
            continue;
        }
        if (!std::isnan(gs) && (gs < 0 || gs > max_ground_speed_kt)) {
            skip("groundspeed", "ground speed " + format_number(gs) + " kt is outside 0..1500 kt");
            continue;
        }
        TrackPoint p(*t, *ll);
        if (!std::isnan(alt)) p.set_altitude(Length::feet(alt));
        if (on_ground >= 0) p.set_on_ground(on_ground ? OnGround::ground : OnGround::airborne);
        if (!std::isnan(gs)) p.set_ground_speed(Speed::knots(gs));
        if (!std::isnan(trk) && trk >= -360 && trk <= 360) p.set_track(Angle::degrees(trk).normalized_360());
        auto [it, inserted] = by_icao.try_emplace(icao, aircraft.size());
        if (inserted) {
            aircraft.emplace_back();
            aircraft.back().track.aircraft.icao24 = icao;
            aircraft.back().track.source = name;
        }
        auto& a = aircraft[it->second];
        if (!callsign.empty() && *t < a.callsign_time) {  // the callsign of the earliest fix
            a.track.aircraft.callsign = callsign;
            a.callsign_time = *t;
        }
        a.points.push_back({p, off});
        offsets.push_back(off);
        indices.push_back(i);
        ++kept;
    }
    if (no_position > 0) {
        src.report(diags, Severity::warning, first_no_position, {},
                   std::to_string(no_position) + " record(s) without a position (null latitude/longitude), first here (skipped)");
    }
    auto path_of = [&](std::size_t o) {
        const auto it = std::lower_bound(offsets.begin(), offsets.end(), o);
        return it == offsets.end() ? std::string("$") : indexed("", indices[static_cast<std::size_t>(it - offsets.begin())]);
    };
    for (auto& a : aircraft) {
        a.track.points = finalize_json_points(std::move(a.points), src, diags, res.rows_skipped, path_of);
        if (!a.track.points.empty()) res.tracks.push_back(std::move(a.track));
    }
    return res;
}

}  // namespace fr::io::detail
