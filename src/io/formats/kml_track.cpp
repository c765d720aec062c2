// KML with gx:Track (FlightAware, tar1090 exportKML, Google Earth).
//   <Placemark><name>DLH1534</name>
//     <gx:Track><altitudeMode>absolute</altitudeMode>
//       <when>2021-08-17T12:43:24Z</when> ... N times
//       <gx:coord>lon lat alt_m</gx:coord> ... N coordinates (space-separated, metres)
//       <gx:angles>heading tilt roll</gx:angles> ... optional, N
// <when> and <gx:coord> are parallel arrays matched by index; a count mismatch is reported
// and only the common prefix is used. Placemarks with the same name are one aircraft (tar1090
// starts a new Placemark whenever the ground/air state flips); gx:MultiTrack is flattened.
// GDAL 3.6 drops the times of gx:Track (measured), hence this reader.
#include <cmath>
#include <map>
#include <string>

#include "core/setting_text.hpp"
#include "io/formats/text_formats.hpp"
#include "io/formats/track_checks.hpp"
#include "io/loader.hpp"
#include "io/text/csv.hpp"
#include "io/text/xml_util.hpp"

namespace fr::io::detail {

namespace {

/// Splits on ASCII whitespace.
std::vector<std::string_view> split_ws(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
        const std::size_t b = i;
        while (i < s.size() && !(s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
        if (i > b) out.push_back(s.substr(b, i - b));
    }
    return out;
}

void collect_tracks(const XmlElement& e, std::vector<const XmlElement*>& out) {
    for (const auto& c : e.children) {
        if (c.local_name() == "Track")
            out.push_back(&c);
        else if (c.local_name() == "MultiTrack")
            collect_tracks(c, out);
    }
}

}  // namespace

LoadResult load_kml_track(const std::string& name, std::string_view text) {
    LoadResult res;
    res.format = Format::kml_track;
    const XmlDocument doc = parse_xml(text);
    if (!doc.error.empty())
        res.diagnostics.error(name, doc.error_line, doc.error_column,
                              "XML is not well-formed: " + doc.error + " (fixes before this point kept)");
    if (!doc.has_root) {
        if (doc.error.empty()) res.diagnostics.error(name, 1, 1, "empty file: expected a KML document");
        return res;
    }
    if (doc.root.local_name() != "kml") {
        res.diagnostics.error(name, doc.root.line, doc.root.column,
                              "root element is <" + doc.root.name + ">, expected <kml> (file not read)");
        return res;
    }
    struct Pending {
        Track track;
        std::vector<SourcedPoint> pts;
    };
    std::vector<Pending> out;
    std::map<std::string, std::size_t, std::less<>> by_name;
    bool any_track = false;
    for_each_element(doc.root, [&](const XmlElement& pm) {
        if (pm.local_name() != "Placemark") return;
        std::vector<const XmlElement*> tracks;
        collect_tracks(pm, tracks);
        if (tracks.empty()) return;  // airport pins and other untimed placemarks
        any_track = true;
        const std::string pname(pm.child_text("name"));
        auto it = by_name.find(pname);
        if (it == by_name.end() || pname.empty()) {
            it = by_name.insert_or_assign(pname, out.size()).first;
            out.emplace_back();
            // A placemark name without spaces is the callsign or registration (FlightAware:
            // "DLH1534"; tar1090: the registration or callsign it shows).
            if (!pname.empty() && pname.size() <= 10 && pname.find(' ') == std::string::npos) out.back().track.aircraft.callsign = pname;
        }
        Pending& dst = out[it->second];
        for (const XmlElement* trk : tracks) {
            std::vector<const XmlElement*> whens, coords, angles;
            for (const auto& c : trk->children) {
                if (!c.complete) continue;  // cut off by a truncated file: the XML error covers it
                const auto ln = c.local_name();
                if (ln == "when")
                    whens.push_back(&c);
                else if (ln == "coord")
                    coords.push_back(&c);
                else if (ln == "angles")
                    angles.push_back(&c);
            }
            if (whens.size() != coords.size() && trk->complete) {
                res.diagnostics.warn(name, trk->line, trk->column,
                                     "gx:Track has " + std::to_string(whens.size()) + " <when> but " + std::to_string(coords.size()) +
                                         " <gx:coord> (only the first " + std::to_string(std::min(whens.size(), coords.size())) +
                                         " pairs used)");
                res.rows_skipped += std::max(whens.size(), coords.size()) - std::min(whens.size(), coords.size());
            }
            const bool use_angles = angles.size() == coords.size();
            const std::size_t n = std::min(whens.size(), coords.size());
            bool first = true;
            for (std::size_t i = 0; i < n; ++i) {
                ++res.rows_read;
                auto skip = [&](const XmlElement& at, const std::string& msg) {
                    res.diagnostics.warn(name, at.line, at.column, msg + " (point skipped)");
                    ++res.rows_skipped;
                };
                const auto wt = xml_trim(whens[i]->text);
                const auto t = parse_iso8601(wt);
                if (!t) {
                    skip(*whens[i], "<when> " + quote_value(wt) + " is not an ISO 8601 time");
                    continue;
                }
                if (!plausible_time(*t)) {
                    skip(*whens[i], "<when> " + quote_value(wt) + " is outside 1990..2100");
                    continue;
                }
                const auto ct = xml_trim(coords[i]->text);
                const auto parts = split_ws(ct);
                double lon = 0, lat = 0, alt = NAN;
                if (parts.size() < 2 || parts.size() > 3 || !parse_double(parts[0], lon) || !parse_double(parts[1], lat) ||
                    (parts.size() == 3 && !parse_double(parts[2], alt))) {
                    skip(*coords[i], "<gx:coord> " + quote_value(ct) + " is not 'lon lat [alt]'");
                    continue;
                }
                const auto ll = LatLon::checked(lat, lon);
                if (!ll) {
                    skip(*coords[i], "<gx:coord> " + quote_value(ct) + " out of range (longitude first, -180..180; latitude -90..90)");
                    continue;
                }
                TrackPoint p(*t, *ll);
                if (!std::isnan(alt)) {
                    if (!std::isfinite(alt) || alt < Length::feet(min_altitude_ft).m() || alt > Length::feet(max_altitude_ft).m()) {
                        skip(*coords[i], "altitude in <gx:coord> " + quote_value(ct) + " is not metres in -610..30480");
                        continue;
                    }
                    p.set_altitude(Length::metres(alt));
                }
                if (use_angles) {
                    const auto a = split_ws(angles[i]->text);
                    double h = 0;
                    if (!a.empty() && parse_double(a[0], h) && std::isfinite(h)) p.set_track(Angle::degrees(h).normalized_360());
                }
                // A later gx:Track of the same aircraft starts a new leg (tar1090 splits on
                // ground/air changes).
                if (first && !dst.pts.empty()) p.set_new_leg(true);
                first = false;
                dst.pts.push_back({p, whens[i]->line});
            }
        }
    });
    if (!any_track && doc.error.empty())
        res.diagnostics.error(name, doc.root.line, doc.root.column,
                              "no <gx:Track> inside any <Placemark> (for FR24 KML exports use " + setting_text("format") + " fr24-kml)");
    for (auto& pend : out) {
        pend.track.points = finalize_points(std::move(pend.pts), name, res.diagnostics, res.rows_skipped);
        pend.track.source = name;
        if (!pend.track.points.empty()) res.tracks.push_back(std::move(pend.track));
    }
    return res;
}

}  // namespace fr::io::detail
