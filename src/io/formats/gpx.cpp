// GPX 1.0/1.1 tracks: <gpx><trk><name>..</name><trkseg><trkpt lat=".." lon=".."><ele>metres</ele>
// <time>ISO 8601</time></trkpt>...</trkseg></trk></gpx>. One Track per <trk>; the first point
// of every segment after the first starts a new leg. Waypoints and routes carry no times of
// flight and are ignored. Read with expat (not GDAL) so diagnostics carry line numbers.
#include <cmath>
#include <string>

#include "io/formats/text_formats.hpp"
#include "io/formats/track_checks.hpp"
#include "io/loader.hpp"
#include "io/text/csv.hpp"
#include "io/text/xml_util.hpp"

namespace fr::io::detail {

LoadResult load_gpx(const std::string& name, std::string_view text) {
    LoadResult res;
    res.format = Format::gpx;
    const XmlDocument doc = parse_xml(text);
    if (!doc.error.empty())
        res.diagnostics.error(name, doc.error_line, doc.error_column,
                              "XML is not well-formed: " + doc.error + " (points before this point kept)");
    if (!doc.has_root) {
        if (doc.error.empty()) res.diagnostics.error(name, 1, 1, "empty file: expected a GPX document");
        return res;
    }
    if (doc.root.local_name() != "gpx") {
        res.diagnostics.error(name, doc.root.line, doc.root.column,
                              "root element is <" + doc.root.name + ">, expected <gpx> (file not read)");
        return res;
    }
    bool any_trk = false;
    for (const auto& trk : doc.root.children) {
        if (trk.local_name() != "trk") continue;
        any_trk = true;
        Track track;
        track.aircraft.callsign = std::string(trk.child_text("name"));
        if (track.aircraft.callsign.size() > 10 || track.aircraft.callsign.find(' ') != std::string::npos)
            track.aircraft.callsign.clear();  // a free-text title, not a callsign
        std::vector<SourcedPoint> pts;
        bool first_segment = true;
        for (const auto& seg : trk.children) {
            if (seg.local_name() != "trkseg") continue;
            bool first_point = true;
            for (const auto& pt : seg.children) {
                if (pt.local_name() != "trkpt" || !pt.complete) continue;  // cut off: the XML error covers it
                ++res.rows_read;
                auto skip = [&](const XmlElement& at, const std::string& msg) {
                    res.diagnostics.warn(name, at.line, at.column, msg + " (point skipped)");
                    ++res.rows_skipped;
                };
                const std::string* lat_s = pt.attribute("lat");
                const std::string* lon_s = pt.attribute("lon");
                double lat = 0, lon = 0;
                if (!lat_s || !parse_double(*lat_s, lat)) {
                    skip(pt, "<trkpt> attribute lat " + (lat_s ? quote_value(*lat_s) : std::string("missing")) + " is not a number");
                    continue;
                }
                if (!lon_s || !parse_double(*lon_s, lon)) {
                    skip(pt, "<trkpt> attribute lon " + (lon_s ? quote_value(*lon_s) : std::string("missing")) + " is not a number");
                    continue;
                }
                const auto ll = LatLon::checked(lat, lon);
                if (!ll) {
                    skip(pt, "<trkpt> lat " + quote_value(*lat_s) + " lon " + quote_value(*lon_s) + " out of range (-90..90, -180..180)");
                    continue;
                }
                const XmlElement* time_e = pt.child("time");
                if (!time_e) {
                    skip(pt, "<trkpt> has no <time>");
                    continue;
                }
                const auto ts = xml_trim(time_e->text);
                const auto t = parse_iso8601(ts);
                if (!t) {
                    skip(*time_e, "<time> " + quote_value(ts) + " is not an ISO 8601 time");
                    continue;
                }
                if (!plausible_time(*t)) {
                    skip(*time_e, "<time> " + quote_value(ts) + " is outside 1990..2100");
                    continue;
                }
                TrackPoint p(*t, *ll);
                if (const XmlElement* ele = pt.child("ele")) {
                    const auto es = xml_trim(ele->text);
                    double m = 0;
                    if (!parse_double(es, m) || !std::isfinite(m) || m < Length::feet(min_altitude_ft).m() ||
                        m > Length::feet(max_altitude_ft).m()) {
                        skip(*ele, "<ele> " + quote_value(es) + " is not metres in -610..30480");
                        continue;
                    }
                    p.set_altitude(Length::metres(m));
                }
                if (first_point && !first_segment) p.set_new_leg(true);
                first_point = false;
                pts.push_back({p, pt.line});
            }
            first_segment = false;
        }
        track.points = finalize_points(std::move(pts), name, res.diagnostics, res.rows_skipped);
        track.source = name;
        if (!track.points.empty()) res.tracks.push_back(std::move(track));
    }
    if (!any_trk && doc.error.empty())
        res.diagnostics.error(name, doc.root.line, doc.root.column, "<gpx> holds no <trk> (waypoints and routes have no flight times)");
    return res;
}

}  // namespace fr::io::detail
