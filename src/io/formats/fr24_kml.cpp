// Flightradar24 KML export (as read by SkyDolly's FlightRadar24KmlParser.cpp).
//   <Document><name>FZ981/FDB981</name><description>HTML card (type, registration)</description>
//     <Folder><name>Route</name>  one Placemark per fix:
//        <description>Altitude: 0 ft / Speed: 10 kt / Heading: 209°</description>
//        <TimeStamp><when>2016-03-18T18:20:47+00:00</when></TimeStamp>
//        <Point><coordinates>lon,lat,alt_METRES</coordinates></Point>
//     <Folder><name>Trail</name>  untimed segments: ignored.
// Only the Route folder is read. Timestamps may repeat: duplicates are dropped with a
// diagnostic (finalize_points).
#include <cmath>
#include <regex>
#include <string>

#include "core/setting_text.hpp"
#include "io/formats/text_formats.hpp"
#include "io/formats/track_checks.hpp"
#include "io/loader.hpp"
#include "io/text/csv.hpp"
#include "io/text/xml_util.hpp"

namespace fr::io::detail {

namespace {

const XmlElement* find_route_folder(const XmlElement& root) {
    const XmlElement* found = nullptr;
    for_each_element(root, [&](const XmlElement& e) {
        if (!found && e.local_name() == "Folder" && e.child_text("name") == "Route") found = &e;
    });
    return found;
}

std::optional<double> match_number(const std::string& text, const std::regex& re) {
    std::smatch m;
    double v = 0;
    if (std::regex_search(text, m, re) && parse_double(m[1].str(), v) && std::isfinite(v)) return v;
    return std::nullopt;
}

}  // namespace

LoadResult load_fr24_kml(const std::string& name, std::string_view text) {
    LoadResult res;
    res.format = Format::fr24_kml;
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
    const XmlElement* route = find_route_folder(doc.root);
    if (!route) {
        res.diagnostics.error(
            name, doc.root.line, doc.root.column,
            "no <Folder> named 'Route' found: not an FR24 KML export (for gx:Track KML use " + setting_text("format") + " kml)");
        return res;
    }
    Track track;
    // Identity: Document/name is "FLIGHT/CALLSIGN" (e.g. "FZ981/FDB981"); the HTML card in
    // Document/description holds "Aircraft (B738)" and "Registration A6-FDN".
    if (const XmlElement* document = doc.root.child("Document")) {
        const std::string_view dn = document->child_text("name");
        const auto slash = dn.find('/');
        track.aircraft.callsign = std::string(xml_trim(slash == std::string_view::npos ? dn : dn.substr(slash + 1)));
        const std::string card = html_to_text(document->child_text("description"));
        static const std::regex reg_re(R"(Registration\s+([A-Z0-9][A-Z0-9-]{1,9}))");
        static const std::regex type_re(R"(Aircraft\s*\(([A-Z0-9]{2,4})\))");
        std::smatch m;
        if (std::regex_search(card, m, reg_re)) track.aircraft.registration = m[1].str();
        if (std::regex_search(card, m, type_re)) track.aircraft.type = m[1].str();
    }
    static const std::regex alt_re(R"(Altitude:\s*(-?[0-9.]+)\s*ft)");
    static const std::regex speed_re(R"(Speed:\s*([0-9.]+)\s*kt)");
    static const std::regex heading_re(R"(Heading:\s*(-?[0-9.]+))");
    std::vector<SourcedPoint> pts;
    for (const auto& pm : route->children) {
        if (pm.local_name() != "Placemark" || !pm.complete) continue;  // cut off: the XML error covers it
        ++res.rows_read;
        auto skip = [&](const XmlElement& at, const std::string& msg) {
            res.diagnostics.warn(name, at.line, at.column, msg + " (placemark skipped)");
            ++res.rows_skipped;
        };
        const XmlElement* ts = pm.child("TimeStamp");
        const XmlElement* when = ts ? ts->child("when") : nullptr;
        if (!when) {
            skip(pm, "Placemark has no <TimeStamp><when>");
            continue;
        }
        const auto t = parse_iso8601(xml_trim(when->text));
        if (!t) {
            skip(*when, "<when> " + quote_value(xml_trim(when->text)) + " is not an ISO 8601 time");
            continue;
        }
        if (!plausible_time(*t)) {
            skip(*when, "<when> " + quote_value(xml_trim(when->text)) + " is outside 1990..2100");
            continue;
        }
        const XmlElement* point = pm.child("Point");
        const XmlElement* coords = point ? point->child("coordinates") : nullptr;
        if (!coords) {
            skip(pm, "Placemark has no <Point><coordinates>");
            continue;
        }
        const std::string_view ct = xml_trim(coords->text);
        double lon = 0, lat = 0, alt_m = NAN;
        const auto c1 = ct.find(',');
        const auto c2 = c1 == std::string_view::npos ? c1 : ct.find(',', c1 + 1);
        if (c1 == std::string_view::npos || !parse_double(ct.substr(0, c1), lon) ||
            !parse_double(ct.substr(c1 + 1, c2 == std::string_view::npos ? std::string_view::npos : c2 - c1 - 1), lat) ||
            (c2 != std::string_view::npos && !parse_double(ct.substr(c2 + 1), alt_m))) {
            skip(*coords, "<coordinates> " + quote_value(ct) + " is not 'lon,lat[,alt]'");
            continue;
        }
        const auto ll = LatLon::checked(lat, lon);
        if (!ll) {
            skip(*coords, "<coordinates> " + quote_value(ct) + " out of range (longitude first, -180..180; latitude -90..90)");
            continue;
        }
        TrackPoint p(*t, *ll);
        const std::string desc = html_to_text(pm.child_text("description"));
        const auto alt_ft_desc = match_number(desc, alt_re);
        if (std::isnan(alt_m) && alt_ft_desc) alt_m = Length::feet(*alt_ft_desc).m();
        if (!std::isnan(alt_m)) {
            if (!std::isfinite(alt_m) || alt_m < Length::feet(min_altitude_ft).m() || alt_m > Length::feet(max_altitude_ft).m()) {
                skip(*coords, "altitude " + quote_value(ct) + " is not metres in -610..30480");
                continue;
            }
            p.set_altitude(Length::metres(alt_m));
            // FR24 reports altitude 0 for aircraft on the ground (SkyDolly FlightRadar24.md).
            p.set_on_ground(alt_m == 0.0 ? OnGround::ground : OnGround::airborne);
        }
        if (const auto kt = match_number(desc, speed_re)) {
            if (*kt > max_ground_speed_kt)
                res.diagnostics.warn(name, pm.line, pm.column, "Speed " + std::to_string(*kt) + " kt is above 1500 kt (ignored)");
            else
                p.set_ground_speed(Speed::knots(*kt));
        }
        auto heading = match_number(desc, heading_re);
        if (!heading) {
            const XmlElement* style = pm.child("Style");
            const XmlElement* icon = style ? style->child("IconStyle") : nullptr;
            double h = 0;
            if (icon && parse_double(icon->child_text("heading"), h) && std::isfinite(h)) heading = h;
        }
        if (heading && *heading >= -360 && *heading <= 360) p.set_track(Angle::degrees(*heading).normalized_360());
        pts.push_back({p, when->line});
    }
    track.points = finalize_points(std::move(pts), name, res.diagnostics, res.rows_skipped);
    track.source = name;
    if (!track.points.empty()) res.tracks.push_back(std::move(track));
    return res;
}

}  // namespace fr::io::detail
