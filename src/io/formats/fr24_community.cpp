// Files written by community Flightradar24 tools.
//
// `fr24` Python library, `fr24 playback <id> --format csv`: a header row naming the columns
//   timestamp (Unix s, UTC), latitude, longitude, altitude (ft, 0 on the ground), ground_speed
//   (kt), vertical_speed (ft/min), track (degrees), squawk. Columns are found by name, so
//   extra or reordered columns are fine; timestamp, latitude and longitude are required.
//
// FlightRadarAPI `get_flight_details(...)["trail"]` saved as JSON: an array of
//   {"lat", "lng", "alt" (ft), "spd" (kt), "ts" (Unix s), "hd" (degrees)}, newest first (it
//   is reversed when it runs backwards, so that a well-formed trail gives no order warning).
#include <algorithm>
#include <cmath>
#include <string>

#include "core/units.hpp"
#include "io/formats/text_formats.hpp"
#include "io/formats/track_checks.hpp"
#include "io/loader.hpp"
#include "io/text/csv.hpp"
#include "io/text/csv_stream.hpp"
#include "io/text/json_util.hpp"

namespace fr::io::detail {

namespace {

std::string lower_copy(std::string_view s) {
    std::string out(trim(s));
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// The fix shared by both formats: checks ranges and fills a TrackPoint. Returns the message
/// and the column index of the problem on failure.
struct Fix {
    double ts = NAN, lat = NAN, lon = NAN, alt = NAN, gs = NAN, trk = NAN;
};

}  // namespace

namespace {

enum { ts, lat, lon, alt, gs, trk, ncol };
const char* const names[ncol] = {"timestamp", "latitude", "longitude", "altitude", "ground_speed", "track"};

class PlaybackCsvLoader final : public CsvStreamLoader {
public:
    explicit PlaybackCsvLoader(std::string name) : CsvStreamLoader(64), m_name(std::move(name)) {
        m_res.format = Format::fr24_playback_csv;
    }

    LoadResult finish() override {
        if (!m_header_seen) {
            m_res.diagnostics.error(
                m_name, 1, 1, "empty file: expected the fr24 playback header 'timestamp,latitude,longitude,altitude,ground_speed,...'");
            return std::move(m_res);
        }
        if (m_dead) return std::move(m_res);
        m_track.points = m_pts.finalize(m_name, m_res.diagnostics, m_res.rows_skipped);
        m_track.source = m_name;
        if (!m_track.points.empty()) m_res.tracks.push_back(std::move(m_track));
        return std::move(m_res);
    }

private:
    std::size_t prefix(std::string_view block) override {
        const bool start = m_file_start;
        m_file_start = false;
        return start && block.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    }

    void record(const std::vector<std::string_view>& f, std::uint64_t line, const std::string& error) override {
        LoadResult& res = m_res;
        const std::string& name = m_name;
        if (m_dead) return;
        if (!m_header_seen) {
            m_header_seen = true;
            for (std::size_t i = 0; i < f.size(); ++i) {
                const auto h = lower_copy(f[i]);
                for (int c = 0; c < ncol; ++c)
                    if (h == names[c]) idx[c] = static_cast<int>(i);
            }
            for (int c : {ts, lat, lon}) {
                if (idx[c] < 0) {
                    res.diagnostics.error(name, line, 1,
                                          std::string("header has no '") + names[c] +
                                              "' column: not an fr24 playback CSV (expected "
                                              "timestamp,latitude,longitude,altitude,ground_speed,vertical_speed,track,squawk)");
                    m_dead = true;
                    return;
                }
            }
            width = f.size();
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
        if (f.size() != width) {
            skip(0, "expected " + std::to_string(width) + " fields, found " + std::to_string(f.size()));
            return;
        }
        double v[ncol];
        bool bad = false;
        for (int c = 0; c < ncol && !bad; ++c) {
            v[c] = NAN;
            if (idx[c] < 0) return;
            const auto s = trim(f[static_cast<std::size_t>(idx[c])]);
            if (s.empty()) return;
            if (!parse_double(s, v[c]) || !std::isfinite(v[c])) {
                skip(idx[c], std::string(names[c]) + " " + quote_value(s) + " is not a number");
                bad = true;
            }
        }
        if (bad) return;
        if (std::isnan(v[ts]) || v[ts] < static_cast<double>(min_unix_s) || v[ts] > static_cast<double>(max_unix_s)) {
            skip(idx[ts],
                 "timestamp " + quote_value(f[static_cast<std::size_t>(idx[ts])]) + " is not a Unix time in seconds within 1990..2100");
            return;
        }
        const auto ll = LatLon::checked(v[lat], v[lon]);
        if (!ll) {
            skip(idx[lat], "position " + quote_value(f[static_cast<std::size_t>(idx[lat])]) + "," +
                               quote_value(f[static_cast<std::size_t>(idx[lon])]) +
                               " is missing or out of range (latitude -90..90, longitude -180..180)");
            return;
        }
        if (!std::isnan(v[alt]) && (v[alt] < min_altitude_ft || v[alt] > max_altitude_ft)) {
            skip(idx[alt], "altitude " + quote_value(f[static_cast<std::size_t>(idx[alt])]) + " is not a number of feet in -2000..100000");
            return;
        }
        if (!std::isnan(v[gs]) && (v[gs] < 0 || v[gs] > max_ground_speed_kt)) {
            skip(idx[gs],
                 "ground_speed " + quote_value(f[static_cast<std::size_t>(idx[gs])]) + " is not a ground speed in knots in 0..1500");
            return;
        }
        TrackPoint p(from_unix_seconds(v[ts]), *ll);
        if (!std::isnan(v[alt])) {
            p.set_altitude(Length::feet(v[alt]));
            p.set_on_ground(v[alt] == 0.0 ? OnGround::ground : OnGround::airborne);  // FR24: 0 ft on the ground
        }
        if (!std::isnan(v[gs])) p.set_ground_speed(Speed::knots(v[gs]));
        if (!std::isnan(v[trk]) && v[trk] >= -360 && v[trk] <= 360) p.set_track(Angle::degrees(v[trk]).normalized_360());
        m_pts.push(p, line);
    }

    std::string m_name;
    LoadResult m_res;
    int idx[ncol] = {-1, -1, -1, -1, -1, -1};
    std::size_t width = 0;
    Track m_track;
    PointCollector m_pts;
    bool m_file_start = true, m_header_seen = false, m_dead = false;
};

}  // namespace

std::unique_ptr<LineStreamLoader> make_fr24_playback_csv_loader(const std::string& name) {
    return std::make_unique<PlaybackCsvLoader>(name);
}

LoadResult load_fr24_playback_csv(const std::string& name, std::string_view text) {
    PlaybackCsvLoader l(name);
    l.consume(text, 1, text.size(), true);
    return l.finish();
}

LoadResult load_fr24_trail(const std::string& name, std::string_view text, std::size_t readable) {
    namespace od = simdjson::ondemand;
    LoadResult res;
    res.format = Format::fr24_trail;
    auto& diags = res.diagnostics;
    JsonSource src(name, text, readable);
    od::parser parser;
    od::document doc;
    if (!src.open(parser, doc, diags)) return res;
    od::array arr;
    if (auto e = doc.get_array().get(arr)) {
        if (e == simdjson::INCORRECT_TYPE)
            src.report_root_type(diags, "a FlightRadarAPI trail array [{\"lat\", \"lng\", \"ts\", ...}]");
        else
            src.report_syntax(diags, e, nullptr, "$", "file skipped");
        return res;
    }
    std::vector<SourcedPoint> pts;
    std::vector<std::size_t> offsets, indices;
    std::size_t i = 0;
    for (auto r : arr) {
        const std::string path = indexed("$", i++);
        od::value v;
        od::object o;
        if (auto e = r.get(v)) {
            src.report_syntax(diags, e, nullptr, path, "reading stopped");
            break;
        }
        ++res.rows_read;
        const std::size_t off = src.offset_of(v.raw_json_token().data());
        auto skip = [&](std::size_t at, std::string_view field, const std::string& msg) {
            src.report(diags, Severity::warning, at, field.empty() ? path : member(path, field), msg + " (point skipped)");
            ++res.rows_skipped;
        };
        if (auto e = v.get_object().get(o)) {
            if (e != simdjson::INCORRECT_TYPE) {
                src.report_syntax(diags, e, nullptr, path, "reading stopped");
                break;
            }
            skip(off, {}, "trail point is " + shown_token(v) + ", not an object");
            continue;
        }
        Fix x;
        bool bad = false, broken = false;
        for (auto fr : o) {
            od::field f;
            std::string_view k;
            if (std::move(fr).get(f) || f.unescaped_key().get(k)) {
                broken = true;
                break;
            }
            if (bad) continue;
            double* target = k == "lat"   ? &x.lat
                             : k == "lng" ? &x.lon
                             : k == "alt" ? &x.alt
                             : k == "spd" ? &x.gs
                             : k == "ts"  ? &x.ts
                             : k == "hd"  ? &x.trk
                                          : nullptr;
            if (!target) continue;
            od::value fv = f.value();
            const std::size_t at = src.offset_of(fv.raw_json_token().data());
            simdjson::error_code e{};
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
        if (std::isnan(x.ts) || x.ts < static_cast<double>(min_unix_s) || x.ts > static_cast<double>(max_unix_s)) {
            skip(off, "ts",
                 std::isnan(x.ts) ? std::string("no \"ts\"")
                                  : "ts " + format_number(x.ts) + " is not a Unix time in seconds within 1990..2100");
            continue;
        }
        const auto ll = LatLon::checked(x.lat, x.lon);
        if (!ll) {
            skip(off, "lat", "position " + format_number(x.lat) + ", " + format_number(x.lon) + " is missing or out of range");
            continue;
        }
        if (!std::isnan(x.alt) && (x.alt < min_altitude_ft || x.alt > max_altitude_ft)) {
            skip(off, "alt", "altitude " + format_number(x.alt) + " ft is outside -2000..100000 ft");
            continue;
        }
        if (!std::isnan(x.gs) && (x.gs < 0 || x.gs > max_ground_speed_kt)) {
            skip(off, "spd", "speed " + format_number(x.gs) + " kt is outside 0..1500 kt");
            continue;
        }
        TrackPoint p(from_unix_seconds(x.ts), *ll);
        if (!std::isnan(x.alt)) {
            p.set_altitude(Length::feet(x.alt));
            p.set_on_ground(x.alt == 0.0 ? OnGround::ground : OnGround::airborne);
        }
        if (!std::isnan(x.gs)) p.set_ground_speed(Speed::knots(x.gs));
        if (!std::isnan(x.trk) && x.trk >= -360 && x.trk <= 360) p.set_track(Angle::degrees(x.trk).normalized_360());
        pts.push_back({p, off});
        offsets.push_back(off);
        indices.push_back(i - 1);
    }
    // Newest first (as the API returns it): reverse, so that only real disorder is reported.
    if (pts.size() >= 2 && pts.front().point.time() > pts.back().point.time()) std::reverse(pts.begin(), pts.end());
    Track track;
    track.source = name;
    track.points = finalize_json_points(std::move(pts), src, diags, res.rows_skipped, [&](std::size_t o) {
        const auto it = std::lower_bound(offsets.begin(), offsets.end(), o);
        return it == offsets.end() ? std::string("$") : indexed("$", indices[static_cast<std::size_t>(it - offsets.begin())]);
    });
    if (!track.points.empty()) res.tracks.push_back(std::move(track));
    return res;
}

}  // namespace fr::io::detail
