// GeoJSON with time. GDAL 3.6 drops a 4th coordinate (measured), so we read it ourselves:
//  - LineString (bare, or as a Feature, or in a FeatureCollection): coordinates
//    [lon, lat, alt_m, time] (the kepler.gl "trip" layout). One Track per line.
//    MultiLineString: all its lines go into one Track.
//  - Point features with a time property ("time", "timestamp", "when" or "datetime"): grouped
//    into one Track per identity (icao24, else registration, else callsign).
// Time: a number is epoch seconds or milliseconds by magnitude (|t| >= 1e11 is ms: 1e11 s is the
// year 5138, 1e11 ms is 1973; see epoch_to_time), a string is ISO 8601. A Point may also carry
// its time as the 4th coordinate. Altitude is the 3rd coordinate in metres (RFC 7946 §3.1.1).
// Identity from the properties: "icao24"/"icao"/"hex", "registration"/"reg", "callsign"/"flight",
// "aircraft_type"/"typecode".
//  - A LineString may instead carry its times as a per-vertex "times" property (an array of
//    ISO 8601 strings or epoch numbers, one per vertex) and its altitudes as "altitude_m"
//    (metres, null where unknown): what flightreplay's own RFC 7946 export writes. Features
//    whose "kind" is "stop" or "gap" (the export's annotations, not fixes) are passed over.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "io/formats/track_checks.hpp"
#include "io/loader.hpp"
#include "io/text/json_util.hpp"

namespace fr::io::detail {

namespace {

namespace od = simdjson::ondemand;

struct Props {
    AircraftId id;
    std::optional<TimePoint> time;
    std::size_t time_offset = 0;
    bool bad_time = false;
    bool annotation = false;                      // "kind": "stop" or "gap"
    std::vector<std::optional<TimePoint>> times;  // per-vertex "times"
    std::vector<double> altitudes;                // per-vertex "altitude_m" (NaN: null)
    std::size_t times_offset = 0;
};

struct Pending {
    Track track;
    std::vector<SourcedPoint> points;
    std::vector<std::pair<std::size_t, std::string>> paths;  // offset -> JSON path, file order
};

class GeoJsonReader {
public:
    GeoJsonReader(JsonSource& src, LoadResult& res) : m_src(src), m_res(res) {}

    /// Reads any GeoJSON object; false when the document is broken (reported).
    bool object(od::object& obj, const std::string& path) {
        std::string type;
        if (!type_of(obj, path, type)) return false;
        if (type.empty()) return true;
        if (type == "FeatureCollection") {
            od::value fv;
            auto e = obj.find_field_unordered("features").get(fv);
            od::array features;
            if (!e) e = fv.get_array().get(features);
            if (e == simdjson::NO_SUCH_FIELD || e == simdjson::INCORRECT_TYPE) {
                report(Severity::error, e == simdjson::NO_SUCH_FIELD ? 0 : m_src.offset_of(fv.raw_json_token().data()), path + ".features",
                       "FeatureCollection without a \"features\" array (file skipped)");
                return true;
            }
            if (e) return broken(e, nullptr, path + ".features");
            std::size_t i = 0;
            for (auto r : features) {
                const std::string fpath = indexed("features", i++);
                od::value v;
                od::object f;
                if (auto e2 = r.get(v)) return broken(e2, nullptr, fpath);
                auto e3 = v.get_object().get(f);
                if (e3 == simdjson::INCORRECT_TYPE) {
                    report(Severity::warning, m_src.offset_of(v.raw_json_token().data()), fpath,
                           "feature is " + shown_token(v) + ", not an object (skipped)");
                    continue;
                }
                if (e3) return broken(e3, v.raw_json_token().data(), fpath);
                if (!object(f, fpath)) return false;
            }
            return true;
        }
        if (type == "Feature") return feature(obj, path);
        Props none;
        return geometry(obj, type, path, none);
    }

    std::vector<Pending> take() { return std::move(m_tracks); }

private:
    bool type_of(od::object& obj, const std::string& path, std::string& type) {
        od::value tv;
        std::string_view s;
        auto e = obj.find_field_unordered("type").get(tv);
        if (e == simdjson::NO_SUCH_FIELD) {
            report(Severity::warning, 0, path, "GeoJSON object without \"type\" (skipped)");
            return true;
        }
        if (e) return broken(e, nullptr, path + ".type");
        const auto r = read_string(tv, s, e);
        if (r == JsonRead::structural) return broken(e, tv.raw_json_token().data(), path + ".type");
        if (r != JsonRead::ok) {
            report(Severity::warning, m_src.offset_of(tv.raw_json_token().data()), path + ".type",
                   "\"type\" is " + shown_token(tv) + ", not a string (skipped)");
            return true;
        }
        type = std::string(s);
        static constexpr std::string_view known[] = {"FeatureCollection", "Feature", "LineString", "MultiLineString", "Point"};
        if (std::find(std::begin(known), std::end(known), type) == std::end(known)) {
            report(Severity::warning, m_src.offset_of(tv.raw_json_token().data()), path + ".type",
                   "GeoJSON type \"" + type.substr(0, 40) +
                       "\" carries no track (expected LineString with time in the 4th "
                       "coordinate, or Point features with a time property; skipped)");
            type.clear();
        }
        return true;
    }

    bool feature(od::object& obj, const std::string& path) {
        Props props;
        od::value pv;
        auto e = obj.find_field_unordered("properties").get(pv);
        if (!e) {
            od::object po;
            e = pv.get_object().get(po);
            if (!e) {
                if (!properties(po, path + ".properties", props)) return false;
            } else if (e != simdjson::INCORRECT_TYPE) {
                return broken(e, pv.raw_json_token().data(), path + ".properties");
            }
        } else if (e != simdjson::NO_SUCH_FIELD) {
            return broken(e, nullptr, path + ".properties");
        }
        od::value gv;
        od::object geom;
        e = obj.find_field_unordered("geometry").get(gv);
        if (!e) e = gv.get_object().get(geom);
        if (e == simdjson::NO_SUCH_FIELD || e == simdjson::INCORRECT_TYPE) return true;  // null geometry: nothing to draw
        if (e) return broken(e, nullptr, path + ".geometry");
        std::string type;
        if (!type_of(geom, path + ".geometry", type)) return false;
        if (type.empty()) return true;
        return geometry(geom, type, path + ".geometry", props);
    }

    bool properties(od::object& po, const std::string& path, Props& props) {
        for (auto fr : po) {
            od::field f;
            std::string_view key;
            auto e = std::move(fr).get(f);
            if (!e) e = f.unescaped_key().get(key);
            if (e) return broken(e, nullptr, path);
            const std::string k(key);
            od::value v = f.value();
            std::string* target = nullptr;
            bool lower = false;
            if (k == "icao24" || k == "icao" || k == "hex") {
                target = &props.id.icao24;
                lower = true;
            } else if (k == "registration" || k == "reg")
                target = &props.id.registration;
            else if (k == "callsign" || k == "flight")
                target = &props.id.callsign;
            else if (k == "aircraft_type" || k == "typecode")
                target = &props.id.type;
            if (target) {
                std::string_view s;
                const auto r = read_string(v, s, e);
                if (r == JsonRead::structural) return broken(e, v.raw_json_token().data(), path + "." + k);
                if (r == JsonRead::ok) *target = lower ? lower_trimmed(s) : trimmed(s);
                continue;
            }
            if (k == "kind") {
                std::string_view s;
                if (!v.get_string().get(s)) props.annotation = s == "stop" || s == "gap";
                continue;
            }
            if (k == "times" || k == "altitude_m") {
                od::array arr;
                if (k == "times") props.times_offset = m_src.offset_of(v.raw_json_token().data());
                if (v.get_array().get(arr)) continue;  // not an array: not ours, ignored
                std::size_t j = 0;
                for (auto r : arr) {
                    od::value ev;
                    if (auto e2 = r.get(ev)) return broken(e2, nullptr, path + "." + k);
                    const std::size_t off = m_src.offset_of(ev.raw_json_token().data());
                    std::string_view s;
                    double d = NAN;
                    if (k == "altitude_m") {
                        const auto rr = read_number(ev, d, e);
                        if (rr == JsonRead::structural) return broken(e, ev.raw_json_token().data(), path + "." + k);
                        props.altitudes.push_back(rr == JsonRead::ok ? d : NAN);
                    } else if (!ev.get_string().get(s)) {
                        props.times.push_back(parse_iso8601(s));
                    } else {
                        const auto rr = read_number(ev, d, e);
                        if (rr == JsonRead::structural) return broken(e, ev.raw_json_token().data(), path + "." + k);
                        props.times.push_back(rr == JsonRead::ok ? epoch_to_time(d) : std::nullopt);
                    }
                    if (k == "times" && !props.times.back())
                        report(Severity::warning, off, indexed(path + "." + k, j),
                               "time " + shown_token(ev) +
                                   " is not ISO 8601 or epoch seconds/milliseconds within 1990..2100 (its vertex is skipped)");
                    ++j;
                }
                continue;
            }
            if (k == "time" || k == "timestamp" || k == "when" || k == "datetime") {
                props.time_offset = m_src.offset_of(v.raw_json_token().data());
                std::string_view s;
                if (!v.get_string().get(s)) {
                    props.time = parse_iso8601(s);
                    if (!props.time) {
                        report(Severity::warning, props.time_offset, path + "." + k,
                               k + " " + shown_token(v) + " is not ISO 8601 (feature skipped)");
                        props.bad_time = true;
                    }
                    continue;
                }
                double d = NAN;
                const auto r = read_number(v, d, e);
                if (r == JsonRead::structural) return broken(e, v.raw_json_token().data(), path + "." + k);
                if (r == JsonRead::null) continue;
                props.time = r == JsonRead::ok ? epoch_to_time(d) : std::nullopt;
                if (!props.time) {
                    report(Severity::warning, props.time_offset, path + "." + k,
                           k + " " + shown_token(v) +
                               " is not an ISO 8601 time or epoch seconds/milliseconds within 1990..2100 (feature skipped)");
                    props.bad_time = true;
                }
            }
        }
        return true;
    }

    /// One position [lon, lat, alt?, time?] -> point. Returns false on a broken document;
    /// `ok` false when the position is unusable (reported).
    bool position(od::value& v, const std::string& path, const std::optional<TimePoint>& fallback_time, bool point,
                  std::optional<TrackPoint>& out) {
        out.reset();
        od::array coords;
        auto e = v.get_array().get(coords);
        const std::size_t off = m_src.offset_of(v.raw_json_token().data());
        if (e == simdjson::INCORRECT_TYPE) {
            skip(off, path, "position is " + shown_token(v) + ", not an array [lon, lat, alt, time]");
            return true;
        }
        if (e) return broken(e, v.raw_json_token().data(), path);
        double c[4] = {NAN, NAN, NAN, NAN};
        std::size_t n = 0;
        bool bad = false;
        for (auto r : coords) {
            od::value cv;
            if (auto e2 = r.get(cv)) return broken(e2, nullptr, path);
            const std::size_t k = n++;
            if (bad || k >= 4) continue;
            const auto rr = read_number(cv, c[k], e);
            if (rr == JsonRead::structural) return broken(e, cv.raw_json_token().data(), path);
            if (rr != JsonRead::ok && !(rr == JsonRead::null && k >= 2)) {
                skip(m_src.offset_of(cv.raw_json_token().data()), indexed(path, k),
                     "coordinate " + shown_token(cv) + " is not a finite JSON number");
                bad = true;
            }
        }
        if (bad) return true;
        if (n < 2) {
            skip(off, path, "position has " + std::to_string(n) + " coordinate(s); expected [lon, lat, alt, time]");
            return true;
        }
        std::optional<TimePoint> t = fallback_time;
        if (!std::isnan(c[3])) {
            t = epoch_to_time(c[3]);
            if (!t) {
                skip(off, path + "[3]", "time " + format_number(c[3]) + " is not epoch seconds or milliseconds within 1990..2100");
                return true;
            }
        }
        if (!t) {
            skip(off, path,
                 point ? "Point has no time (a \"time\", \"timestamp\", \"when\" or \"datetime\" property, or a 4th coordinate)"
                       : "position has no time (expected [lon, lat, alt, time])");
            return true;
        }
        const auto ll = LatLon::checked(c[1], c[0]);
        if (!ll) {
            skip(off, path,
                 "position lon " + format_number(c[0]) + ", lat " + format_number(c[1]) +
                     " is out of range (latitude -90..90, longitude -180..180)");
            return true;
        }
        TrackPoint p(*t, *ll);
        if (!std::isnan(c[2])) {
            const double ft = Length::metres(c[2]).ft();
            if (ft < min_altitude_ft || ft > max_altitude_ft) {
                skip(off, path + "[2]", "altitude " + format_number(c[2]) + " m is outside -610..30480 m");
                return true;
            }
            p.set_altitude(Length::metres(c[2]));
        }
        out = p;
        return true;
    }

    Pending& track_for(const AircraftId& id, bool shared) {
        if (shared) {
            const std::string key = !id.icao24.empty()         ? "i:" + id.icao24
                                    : !id.registration.empty() ? "r:" + id.registration
                                                               : "c:" + id.callsign;
            auto [it, inserted] = m_point_tracks.try_emplace(key, m_tracks.size());
            if (!inserted) return m_tracks[it->second];
        }
        m_tracks.emplace_back();
        m_tracks.back().track.aircraft = id;
        return m_tracks.back();
    }

    bool geometry(od::object& geom, const std::string& type, const std::string& path, const Props& props) {
        if (props.bad_time) {
            ++m_res.rows_skipped;
            return true;
        }
        if (props.annotation) return true;
        od::value cv;
        auto e = geom.find_field_unordered("coordinates").get(cv);
        if (e == simdjson::NO_SUCH_FIELD) {
            report(Severity::warning, 0, path + ".coordinates", type + " without \"coordinates\" (skipped)");
            return true;
        }
        if (e) return broken(e, nullptr, path + ".coordinates");
        const std::string cpath = path + ".coordinates";
        if (type == "Point") {
            ++m_res.rows_read;
            std::optional<TrackPoint> p;
            const std::size_t off = m_src.offset_of(cv.raw_json_token().data());
            if (!position(cv, cpath, props.time, true, p)) return false;
            if (!p) return true;
            auto& t = track_for(props.id, true);
            t.points.push_back({*p, off});
            t.paths.emplace_back(off, path);
            return true;
        }
        // LineString or MultiLineString.
        od::array lines;
        if ((e = cv.get_array().get(lines))) {
            if (e != simdjson::INCORRECT_TYPE) return broken(e, nullptr, cpath);
            report(Severity::warning, m_src.offset_of(cv.raw_json_token().data()), cpath,
                   "\"coordinates\" is " + shown_token(cv) + ", not an array (skipped)");
            return true;
        }
        auto& t = track_for(props.id, false);
        const bool per_vertex = type == "LineString" && !props.times.empty();
        std::size_t vertices = 0;
        auto read_line = [&](od::array& line, const std::string& lpath) {
            std::size_t j = 0;
            for (auto r : line) {
                od::value pv;
                if (auto e2 = r.get(pv)) return broken(e2, nullptr, lpath);
                const std::size_t vi = j;
                ++vertices;
                const std::string ppath = indexed(lpath, j++);
                ++m_res.rows_read;
                std::optional<TrackPoint> p;
                const std::size_t off = m_src.offset_of(pv.raw_json_token().data());
                std::optional<TimePoint> vt;
                if (per_vertex) {
                    if (vi >= props.times.size() || !props.times[vi]) {
                        skip(off, ppath, vi >= props.times.size() ? "vertex has no entry in \"times\"" : "vertex time is unusable");
                        continue;
                    }
                    vt = props.times[vi];
                }
                if (!position(pv, ppath, vt, false, p)) return false;
                if (p && per_vertex && !p->altitude() && vi < props.altitudes.size() && std::isfinite(props.altitudes[vi]))
                    p->set_altitude(Length::metres(props.altitudes[vi]));
                if (p) {
                    t.points.push_back({*p, off});
                    t.paths.emplace_back(off, ppath);
                }
            }
            return true;
        };
        if (type == "LineString") {
            if (!read_line(lines, cpath)) return false;
            if (per_vertex && vertices != props.times.size())
                report(Severity::warning, props.times_offset, path,
                       "\"times\" has " + std::to_string(props.times.size()) + " entries for " + std::to_string(vertices) + " vertices");
            return true;
        }
        std::size_t li = 0;
        for (auto r : lines) {
            od::value lv;
            od::array line;
            const std::string lpath = indexed(cpath, li++);
            if (auto e2 = r.get(lv)) return broken(e2, nullptr, lpath);
            if (auto e2 = lv.get_array().get(line)) {
                if (e2 != simdjson::INCORRECT_TYPE) return broken(e2, nullptr, lpath);
                report(Severity::warning, m_src.offset_of(lv.raw_json_token().data()), lpath,
                       "line is " + shown_token(lv) + ", not an array (skipped)");
                continue;
            }
            if (!read_line(line, lpath)) return false;
        }
        return true;
    }

    void report(Severity sev, std::size_t off, const std::string& path, std::string msg) {
        m_src.report(m_res.diagnostics, sev, off, path, std::move(msg));
    }
    void skip(std::size_t off, const std::string& path, const std::string& msg) {
        report(Severity::warning, off, path, msg + " (point skipped)");
        ++m_res.rows_skipped;
    }
    bool broken(simdjson::error_code e, const char* near, const std::string& path) {
        std::size_t kept = 0;
        for (const auto& t : m_tracks) kept += t.points.size();
        m_src.report_syntax(m_res.diagnostics, e, near, path, "reading stopped; " + std::to_string(kept) + " point(s) before it kept");
        return false;
    }

    JsonSource& m_src;
    LoadResult& m_res;
    std::vector<Pending> m_tracks;
    std::map<std::string, std::size_t> m_point_tracks;
};

}  // namespace

LoadResult load_geojson(const std::string& name, std::string_view text, std::size_t readable) {
    LoadResult res;
    res.format = Format::geojson;
    JsonSource src(name, text, readable);
    od::parser parser;
    od::document doc;
    if (!src.open(parser, doc, res.diagnostics)) return res;
    od::object root;
    if (auto e = doc.get_object().get(root)) {
        if (e == simdjson::INCORRECT_TYPE)
            src.report_root_type(res.diagnostics, "a GeoJSON object with \"type\"");
        else
            src.report_syntax(res.diagnostics, e, nullptr, "$", "file skipped");
        return res;
    }
    GeoJsonReader reader(src, res);
    reader.object(root, "$");
    for (auto& p : reader.take()) {
        std::sort(p.paths.begin(), p.paths.end());
        p.track.source = name;
        p.track.points = finalize_json_points(std::move(p.points), src, res.diagnostics, res.rows_skipped, [&](std::size_t o) {
            const auto it = std::lower_bound(p.paths.begin(), p.paths.end(), std::pair<std::size_t, std::string>{o, {}});
            return it == p.paths.end() ? std::string("$") : it->second;
        });
        if (!p.track.points.empty()) res.tracks.push_back(std::move(p.track));
    }
    return res;
}

}  // namespace fr::io::detail
