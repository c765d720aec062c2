// readsb `aircraft.json` snapshots (the format of readsb-hist samples, tar1090's
// data/aircraft.json, wiedehopf/readsb README-json.md):
//
//   {"now": 1722470400.0, "messages": ..., "aircraft": [
//     {"hex": "a1b2c3", "flight": "DAL123  ", "r": "N123DL", "t": "A321", "alt_baro": 31000 | "ground",
//      "alt_geom": ..., "gs": 452.1, "track": 271.3, "lat": 40.1, "lon": -90.2, "seen_pos": 0.8, ...}, ...]}
//
// `now` is the snapshot's time (Unix s); an aircraft's position is `seen_pos` seconds older
// than that, so its fix is at now - seen_pos (now when seen_pos is missing). Aircraft without
// lat/lon (most of a busy snapshot: Mode S only) are passed over without a word. readsb keeps
// reporting the last position for up to a minute, so consecutive snapshots repeat a fix with
// the same time: SnapshotTracks keeps it once. Addresses with a '~' prefix are not ICAO
// addresses (TIS-B, MLAT-only or other non-ICAO targets).
#include "io/formats/readsb_snapshot.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cmath>

#include "io/formats/track_checks.hpp"
#include "io/text/json_util.hpp"

namespace fr::io {

void SnapshotTracks::add(std::vector<Track> tracks) {
    for (auto& t : tracks) {
        auto [it, fresh] = m_by_hex.try_emplace(t.aircraft.icao24);
        Track& acc = it->second;
        if (fresh) {
            acc = std::move(t);
            continue;
        }
        if (acc.aircraft.callsign.empty()) acc.aircraft.callsign = t.aircraft.callsign;
        if (acc.aircraft.registration.empty()) acc.aircraft.registration = t.aircraft.registration;
        if (acc.aircraft.type.empty()) acc.aircraft.type = t.aircraft.type;
        acc.provenance = std::max(acc.provenance, t.provenance);
        for (const auto& p : t.points) acc.points.push_back(p);
    }
}

std::vector<Track> SnapshotTracks::finish(std::size_t* repeats) {
    std::vector<Track> out;
    std::size_t dropped = 0;
    for (auto& [hex, t] : m_by_hex) {
        auto& pts = t.points;
        std::stable_sort(pts.begin(), pts.end(), [](const TrackPoint& a, const TrackPoint& b) { return a.time() < b.time(); });
        // Within 50 ms counts as the same report: now and seen_pos have 0.1 s steps and their
        // difference is rounded.
        std::vector<TrackPoint> kept;
        kept.reserve(pts.size());
        for (const auto& p : pts) {
            if (!kept.empty() && std::chrono::abs(p.time() - kept.back().time()) <= std::chrono::milliseconds(50)) {
                ++dropped;
                continue;
            }
            kept.push_back(p);
        }
        pts = std::move(kept);
        if (!pts.empty()) out.push_back(std::move(t));
    }
    m_by_hex.clear();
    if (repeats) *repeats = dropped;
    return out;
}

namespace detail {

bool snapshot_member_name(std::string_view name) {
    const auto slash = name.rfind('/');
    const auto base = name.substr(slash == std::string_view::npos ? 0 : slash + 1);
    if (base.rfind("trace_full_", 0) == 0 || base.rfind("trace_recent_", 0) == 0) return false;
    for (std::string_view ext : {".json", ".json.gz", ".json.zst"})
        if (base.size() > ext.size() && base.substr(base.size() - ext.size()) == ext) return true;
    return false;
}

bool looks_like_snapshot(std::string_view text) {
    const auto head = text.substr(0, 4096);
    std::size_t i = 0;
    if (head.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) ++i;
    return i < head.size() && head[i] == '{' && head.find("\"now\"") != std::string_view::npos &&
           head.find("\"aircraft\"") != std::string_view::npos;
}

LoadResult load_readsb_snapshot(const std::string& name, std::string_view text) {
    namespace od = simdjson::ondemand;
    LoadResult res;
    res.format = Format::readsb_snapshot;
    auto& diags = res.diagnostics;
    JsonSource src(name, text);
    od::parser parser;
    od::document doc;
    if (!src.open(parser, doc, diags)) return res;
    od::object root;
    if (auto e = doc.get_object().get(root)) {
        if (e == simdjson::INCORRECT_TYPE)
            src.report_root_type(diags, "a readsb aircraft.json snapshot {\"now\", \"aircraft\": [...]}");
        else
            src.report_syntax(diags, e, nullptr, "$", "file skipped");
        return res;
    }
    od::value now_v;
    double now = NAN;
    if (root.find_field_unordered("now").get(now_v)) {
        src.report(diags, Severity::error, 0, "now", "snapshot has no \"now\" (its time; file skipped)");
        return res;
    }
    {
        const std::size_t at = src.offset_of(now_v.raw_json_token().data());
        simdjson::error_code e{};
        if (read_number(now_v, now, e) != JsonRead::ok || !epoch_to_time(now)) {
            src.report(diags, Severity::error, at, "now",
                       "\"now\" " + shown_token(now_v) + " is not a Unix time within 1990..2100 (file skipped)");
            return res;
        }
        if (now >= 1e11) now /= 1000.0;  // milliseconds (epoch_to_time's rule)
    }
    od::array aircraft;
    od::value ac_v;
    if (root.find_field_unordered("aircraft").get(ac_v)) {
        src.report(diags, Severity::error, 0, "aircraft", "snapshot has no \"aircraft\" array (file skipped)");
        return res;
    }
    const std::size_t ac_at = src.offset_of(ac_v.raw_json_token().data());
    if (auto e = ac_v.get_array().get(aircraft)) {
        if (e != simdjson::INCORRECT_TYPE)
            src.report_syntax(diags, e, nullptr, "aircraft", "file skipped");
        else
            src.report(diags, Severity::error, ac_at, "aircraft", "\"aircraft\" is not an array (file skipped)");
        return res;
    }
    std::size_t i = 0;
    for (auto r : aircraft) {
        const std::string path = indexed("aircraft", i++);
        od::value v;
        od::object o;
        if (auto e = r.get(v)) {
            src.report_syntax(diags, e, nullptr, path, "reading stopped");
            break;
        }
        ++res.rows_read;
        const std::size_t off = src.offset_of(v.raw_json_token().data());
        auto skip = [&](std::size_t at, std::string_view field, const std::string& msg) {
            src.report(diags, Severity::warning, at, field.empty() ? path : member(path, field), msg + " (aircraft skipped)");
            ++res.rows_skipped;
        };
        if (auto e = v.get_object().get(o)) {
            if (e != simdjson::INCORRECT_TYPE) {
                src.report_syntax(diags, e, nullptr, path, "reading stopped");
                break;
            }
            skip(off, {}, "aircraft entry is " + shown_token(v) + ", not an object");
            continue;
        }
        double lat = NAN, lon = NAN, alt = NAN, gs = NAN, trk = NAN, seen_pos = NAN;
        bool ground = false, bad = false, broken = false;
        std::string hex, flight, reg, type;
        std::size_t hex_at = off;
        for (auto fr : o) {
            od::field f;
            std::string_view k;
            if (std::move(fr).get(f) || f.unescaped_key().get(k)) {
                broken = true;
                break;
            }
            if (bad) continue;
            od::value fv = f.value();
            const std::size_t at = src.offset_of(fv.raw_json_token().data());
            simdjson::error_code e{};
            if (k == "hex" || k == "flight" || k == "r" || k == "t") {
                std::string_view s;
                const auto rr = read_string(fv, s, e);
                if (rr == JsonRead::structural) {
                    broken = true;
                    break;
                }
                if (rr != JsonRead::ok) continue;  // a null or non-string name: as if absent
                if (k == "hex") {
                    hex = lower_trimmed(s);
                    hex_at = at;
                } else if (k == "flight")
                    flight = trimmed(s);
                else if (k == "r")
                    reg = trimmed(s);
                else
                    type = trimmed(s);
                continue;
            }
            if (k == "alt_baro") {
                std::string_view s;
                od::json_type jt{};
                if (!fv.type().get(jt) && jt == od::json_type::string) {
                    if (read_string(fv, s, e) == JsonRead::ok && s == "ground")
                        ground = true;
                    else {
                        skip(at, k, "alt_baro " + shown_token(fv) + " is neither feet nor \"ground\"");
                        bad = true;
                    }
                    continue;
                }
            }
            double* target = k == "lat"        ? &lat
                             : k == "lon"      ? &lon
                             : k == "alt_baro" ? &alt
                             : k == "gs"       ? &gs
                             : k == "track"    ? &trk
                             : k == "seen_pos" ? &seen_pos
                                               : nullptr;
            if (!target) continue;
            const auto rr = read_number(fv, *target, e);
            if (rr == JsonRead::structural) {
                broken = true;
                break;
            }
            if (rr == JsonRead::bad) {
                skip(at, k, std::string(k) + " " + shown_token(fv) + " is not a finite JSON number");
                bad = true;
            }
        }
        if (broken) {
            src.report_syntax(diags, simdjson::TAPE_ERROR, nullptr, path, "reading stopped");
            break;
        }
        if (bad) continue;
        if (std::isnan(lat) && std::isnan(lon)) continue;  // no position in this snapshot: normal
        if (hex.empty() || hex == "~") {
            skip(hex_at, "hex", "aircraft with a position has no \"hex\" address");
            continue;
        }
        const auto ll = LatLon::checked(lat, lon);
        if (!ll) {
            skip(off, "lat", "position " + format_number(lat) + ", " + format_number(lon) + " is missing or out of range");
            continue;
        }
        if (!std::isnan(alt) && (alt < min_altitude_ft || alt > max_altitude_ft)) {
            skip(off, "alt_baro", "altitude " + format_number(alt) + " ft is outside -2000..100000 ft");
            continue;
        }
        if (!std::isnan(gs) && (gs < 0 || gs > max_ground_speed_kt)) {
            skip(off, "gs", "ground speed " + format_number(gs) + " kt is outside 0..1500 kt");
            continue;
        }
        if (!std::isnan(seen_pos) && (seen_pos < 0 || seen_pos > 3600)) {
            skip(off, "seen_pos", "seen_pos " + format_number(seen_pos) + " s is outside 0..3600 s");
            continue;
        }
        TrackPoint p(from_unix_seconds(now - (std::isnan(seen_pos) ? 0.0 : seen_pos)), *ll);
        if (ground) p.set_on_ground(OnGround::ground);
        if (!std::isnan(alt)) p.set_altitude(Length::feet(alt)).set_on_ground(OnGround::airborne);
        if (!std::isnan(gs)) p.set_ground_speed(Speed::knots(gs));
        if (!std::isnan(trk) && trk >= -360 && trk <= 360) p.set_track(Angle::degrees(trk).normalized_360());
        Track t;
        t.aircraft.icao24 = hex;
        t.aircraft.callsign = flight;
        t.aircraft.registration = reg;
        t.aircraft.type = type;
        t.source = name;
        t.points.push_back(p);
        res.tracks.push_back(std::move(t));
    }
    return res;
}

}  // namespace detail

}  // namespace fr::io
