// readsb / tar1090 trace JSON (trace_full_<hex>.json, trace_recent_<hex>.json), FORMATS.md §4:
//   { "icao": "3c66b0", "r": "D-AIUP", "t": "A320", "timestamp": 1663259853.016,
//     "trace": [ [dt_s, lat, lon, alt_ft|"ground"|null, gs_kt|null, track_deg|null, flags,
//                 vrate_fpm|null, {details}|null (, source, geom_alt, geom_rate, ias, roll)], ... ] }
// Rows have 9 elements (files before 2022) or 14. Units: altitude feet (stored as metres),
// ground speed knots, track degrees (true heading when on the ground). flags: bit value 1 =
// stale (no position for 20 s before this one; informational, the fix itself is good), 2 = a
// new leg starts here, 4/8 = vertical rate/altitude geometric.
//
// One Track per leg: the file holds the aircraft's whole day (the sample has four flights), and
// each leg keeps its own callsign, taken from the first sparse details object ("flight") of the
// leg; a leg without one carries the previous leg's callsign forward. Tracks of the same ICAO
// address are merged again by merge_tracks, so nothing is lost by the split.
// "icao" is kept lower-case with its '~' prefix when present (a non-ICAO address, e.g. TIS-B):
// it must not merge with a real ICAO address that has the same hex digits.
#include <algorithm>
#include <cmath>
#include <string>

#include "io/json_util.hpp"
#include "io/loader.hpp"
#include "io/track_checks.hpp"

namespace fr::io::detail {

namespace {

namespace od = simdjson::ondemand;

struct Leg {
    std::string callsign;
    std::vector<SourcedPoint> points;
};

std::string fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

}  // namespace

LoadResult load_readsb(const std::string& name, std::string_view text) {
    LoadResult res;
    res.format = Format::readsb_trace;
    auto& diags = res.diagnostics;
    JsonSource src(name, text);
    od::parser parser;
    od::document doc;
    // On-Demand does not validate what it skips, and on some malformed documents it reaches
    // states its own code marks unreachable (found by fuzz/fuzz_*): validate first.
    if (!src.validate(diags)) return res;
    if (auto e = parser.iterate(src.padded()).get(doc)) {
        src.report_syntax(diags, e, nullptr, {}, "file skipped");
        return res;
    }
    od::object root;
    if (auto e = doc.get_object().get(root)) {
        if (e == simdjson::INCORRECT_TYPE) {
            src.report_root_type(diags, "a readsb trace object {\"icao\", \"timestamp\", \"trace\": [...]}");
        } else {
            src.report_syntax(diags, e, nullptr, "$", "file skipped");
        }
        return res;
    }

    Track proto;
    // Identity fields; any order, all optional except that a missing "icao" is reported.
    auto read_id = [&](const char* key, std::string& out, bool lower) -> bool {
        od::value v;
        auto e = root.find_field_unordered(key).get(v);
        if (e == simdjson::NO_SUCH_FIELD) return true;
        if (e) {
            src.report_syntax(diags, e, nullptr, key, "file skipped");
            return false;
        }
        std::string_view s;
        const auto r = read_string(v, s, e);
        if (r == JsonRead::structural) {
            src.report_syntax(diags, e, v.raw_json_token().data(), key, "file skipped");
            return false;
        }
        if (r == JsonRead::bad) {
            src.report(diags, Severity::warning, v, key, std::string("\"") + key + "\" is " + shown_token(v) + ", not a string (ignored)");
            return true;
        }
        if (r == JsonRead::ok) out = lower ? lower_trimmed(s) : trimmed(s);
        return true;
    };
    if (!read_id("icao", proto.aircraft.icao24, true) || !read_id("r", proto.aircraft.registration, false) ||
        !read_id("t", proto.aircraft.type, false))
        return res;
    if (proto.aircraft.icao24.empty())
        src.report(diags, Severity::warning, 0, "icao", "no \"icao\" address in the trace (aircraft identified by callsign only)");

    double base = 0;
    {
        od::value v;
        auto e = root.find_field_unordered("timestamp").get(v);
        if (e == simdjson::NO_SUCH_FIELD) {
            src.report(diags, Severity::error, 0, "timestamp", "missing \"timestamp\" (the base Unix time of the trace rows; file skipped)");
            return res;
        }
        if (e) {
            src.report_syntax(diags, e, nullptr, "timestamp", "file skipped");
            return res;
        }
        const auto r = read_number(v, base, e);
        if (r == JsonRead::structural) {
            src.report_syntax(diags, e, v.raw_json_token().data(), "timestamp", "file skipped");
            return res;
        }
        if (r != JsonRead::ok || base < static_cast<double>(min_unix_s) || base > static_cast<double>(max_unix_s)) {
            src.report(diags, Severity::error, v, "timestamp",
                       "\"timestamp\" " + shown_token(v) + " is not a Unix time in seconds within 1990..2100 (file skipped)");
            return res;
        }
    }

    od::array trace;
    {
        od::value v;
        auto e = root.find_field_unordered("trace").get(v);
        if (e == simdjson::NO_SUCH_FIELD) {
            src.report(diags, Severity::error, 0, "trace", "missing \"trace\" array (file skipped)");
            return res;
        }
        if (!e) e = v.get_array().get(trace);
        if (e == simdjson::INCORRECT_TYPE) {
            src.report(diags, Severity::error, v, "trace", "\"trace\" is " + shown_token(v) + ", not an array of rows (file skipped)");
            return res;
        }
        if (e) {
            src.report_syntax(diags, e, nullptr, "trace", "file skipped");
            return res;
        }
    }

    std::vector<Leg> legs(1);
    // Byte offset and trace index of each kept row (offsets increase in file order), so that
    // diagnostics raised after sorting can name the row.
    std::vector<std::size_t> row_offsets;
    std::vector<std::size_t> row_indices;
    std::size_t idx = 0;
    auto path = [&](std::size_t row, int col) {
        const std::string p = indexed("trace", row);
        return col >= 0 ? indexed(p, static_cast<std::size_t>(col)) : p;
    };
    std::size_t kept_points = 0;
    auto stop = [&](simdjson::error_code e, const char* near, std::size_t row) {
        src.report_syntax(diags, e, near, path(row, -1),
                          "reading stopped; " + std::to_string(kept_points) + " point(s) before it kept");
    };
    bool broken = false;
    for (auto row_result : trace) {
        const std::size_t i = idx++;
        od::value row;
        if (auto e = row_result.get(row)) {
            stop(e, nullptr, i);
            broken = true;
            break;
        }
        ++res.rows_read;
        const char* row_at = row.raw_json_token().data();
        const std::size_t row_off = src.offset_of(row_at);
        auto skip = [&](std::size_t off, int col, const std::string& msg) {
            src.report(diags, Severity::warning, off, path(i, col), msg + " (row skipped)");
            ++res.rows_skipped;
        };
        od::array cells;
        if (auto e = row.get_array().get(cells)) {
            if (e != simdjson::INCORRECT_TYPE) {
                stop(e, row_at, i);
                broken = true;
                break;
            }
            skip(row_off, -1, "row is " + shown_token(row) + ", not an array");
            continue;
        }
        double dt = 0, lat = NAN, lon = NAN, alt = NAN, gs = NAN, trk = NAN, flags = 0;
        bool ground = false, bad = false;
        std::string callsign;
        std::size_t k = 0;
        for (auto cell_result : cells) {
            const int col = static_cast<int>(k++);
            od::value cell;
            if (auto e = cell_result.get(cell)) {
                stop(e, row_at, i);
                broken = true;
                break;
            }
            if (bad || col > 8) continue;
            simdjson::error_code e{};
            double num = NAN;
            auto number = [&](bool required, const char* what) -> JsonRead {
                const auto r = read_number(cell, num, e);
                if (r == JsonRead::bad || (r == JsonRead::null && required)) {
                    skip(src.offset_of(cell.raw_json_token().data()), col,
                         std::string(what) + " " + shown_token(cell) + " is not a finite JSON number");
                    bad = true;
                }
                return r;
            };
            JsonRead r = JsonRead::ok;
            switch (col) {
                case 0: r = number(true, "time offset"); dt = num; break;
                case 1: r = number(true, "latitude"); lat = num; break;
                case 2: r = number(true, "longitude"); lon = num; break;
                case 3: {
                    std::string_view s;
                    if (cell.get_string().get(s) == simdjson::SUCCESS) {
                        if (s == "ground") {
                            ground = true;
                        } else {
                            src.report(diags, Severity::warning, src.offset_of(cell.raw_json_token().data()), path(i, col),
                                       "altitude " + shown_token(cell) + " is neither feet nor \"ground\" (ignored)");
                        }
                        break;
                    }
                    r = number(false, "altitude");
                    if (r == JsonRead::ok) alt = num;
                    break;
                }
                case 4: r = number(false, "ground speed"); if (r == JsonRead::ok) gs = num; break;
                case 5: r = number(false, "track"); if (r == JsonRead::ok) trk = num; break;
                case 6: r = number(false, "flags"); if (r == JsonRead::ok) flags = num; break;
                case 8: {
                    od::object details;
                    e = cell.get_object().get(details);
                    if (e == simdjson::INCORRECT_TYPE) break;  // null (no details in this row)
                    od::value flight;
                    if (!e) e = details.find_field_unordered("flight").get(flight);
                    if (e == simdjson::NO_SUCH_FIELD) break;
                    if (e) { r = JsonRead::structural; break; }
                    std::string_view s;
                    r = read_string(flight, s, e);
                    if (r == JsonRead::ok) callsign = trimmed(s);
                    else if (r == JsonRead::bad) r = JsonRead::ok;  // a non-string callsign: ignore
                    break;
                }
                default: break;
            }
            if (r == JsonRead::structural) {
                stop(e, cell.raw_json_token().data(), i);
                broken = true;
                break;
            }
        }
        if (broken) break;
        if (bad) continue;
        if (k != 9 && k != 14) {
            skip(row_off, -1, "row has " + std::to_string(k) + " element(s); readsb trace rows have 9 or 14");
            continue;
        }
        const double t_s = base + dt;
        if (!std::isfinite(t_s) || t_s < static_cast<double>(min_unix_s) || t_s > static_cast<double>(max_unix_s)) {
            skip(row_off, 0, "time offset " + fmt(dt) + " s puts the fix outside 1990..2100");
            continue;
        }
        const auto ll = LatLon::checked(lat, lon);
        if (!ll) {
            skip(row_off, 1, "position " + fmt(lat) + ", " + fmt(lon) + " is out of range (latitude -90..90, longitude -180..180)");
            continue;
        }
        if (!std::isnan(alt) && (alt < min_altitude_ft || alt > max_altitude_ft)) {
            skip(row_off, 3, "altitude " + fmt(alt) + " ft is outside -2000..100000 ft");
            continue;
        }
        if (!std::isnan(gs) && (gs < 0 || gs > max_ground_speed_kt)) {
            skip(row_off, 4, "ground speed " + fmt(gs) + " kt is outside 0..1500 kt");
            continue;
        }
        TrackPoint p(from_unix_seconds(t_s), *ll);
        if (ground) p.set_on_ground(OnGround::ground);
        if (!std::isnan(alt)) p.set_altitude(Length::feet(alt)).set_on_ground(OnGround::airborne);
        if (!std::isnan(gs)) p.set_ground_speed(Speed::knots(gs));
        if (!std::isnan(trk)) {
            if (trk < -360 || trk > 360)
                src.report(diags, Severity::warning, row_off, path(i, 5), "track " + fmt(trk) + " is not an angle in degrees (ignored)");
            else
                p.set_track(Angle::degrees(trk).normalized_360());
        }
        const auto flag_bits = (flags >= 0 && flags < 256) ? static_cast<unsigned>(flags) : 0u;
        const bool new_leg = (flag_bits & 2u) != 0;
        p.set_new_leg(new_leg);
        if (new_leg && !legs.back().points.empty()) legs.emplace_back();
        if (!callsign.empty() && legs.back().callsign.empty()) legs.back().callsign = callsign;
        legs.back().points.push_back({p, row_off});
        row_offsets.push_back(row_off);
        row_indices.push_back(i);
        ++kept_points;
    }
    auto path_of = [&](std::size_t off) {
        const auto it = std::lower_bound(row_offsets.begin(), row_offsets.end(), off);
        if (it == row_offsets.end()) return std::string("trace");
        return indexed("trace", row_indices[static_cast<std::size_t>(it - row_offsets.begin())]);
    };
    std::string carried;
    for (auto& leg : legs) {
        if (leg.callsign.empty()) leg.callsign = carried;
        carried = leg.callsign;
    }
    // Legs before the first callsign take the first one seen (callsigns appear a few rows in).
    std::string first_callsign;
    for (const auto& leg : legs)
        if (!leg.callsign.empty()) { first_callsign = leg.callsign; break; }
    for (auto& leg : legs) {
        if (leg.points.empty()) continue;
        Track t = proto;
        t.aircraft.callsign = leg.callsign.empty() ? first_callsign : leg.callsign;
        t.source = name;
        t.points = finalize_json_points(std::move(leg.points), src, diags, res.rows_skipped, path_of);
        if (!t.points.empty()) res.tracks.push_back(std::move(t));
    }
    return res;
}

}  // namespace fr::io::detail
