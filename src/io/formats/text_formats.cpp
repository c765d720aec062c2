#include "io/formats/text_formats.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "core/setting_text.hpp"

namespace fr::io::detail {

namespace {

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && lower_ascii(s.substr(s.size() - suffix.size())) == suffix;
}

}  // namespace

std::optional<Format> sniff_text_format(const std::string& name, std::string_view text) {
    if (text.substr(0, 4) == std::string_view("PK\x03\x04", 4))
        return ends_with_ci(name, ".acmi") ? std::optional{Format::acmi} : std::nullopt;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    const auto start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return std::nullopt;
    text.remove_prefix(start);
    if (text.rfind("FileType=text/acmi", 0) == 0 || text.rfind("FileVersion=", 0) == 0) return Format::acmi;
    if (text[0] == '<') {
        const std::string_view head = text.substr(0, 4096);
        if (head.find("<gpx") != std::string_view::npos) return Format::gpx;
        if (head.find("<kml") == std::string_view::npos) return std::nullopt;
        // The gx:Track may come after a long HTML description: search the whole text (a
        // memchr-speed scan, negligible next to parsing).
        const bool gx = text.find(":Track>") != std::string_view::npos || text.find("<Track>") != std::string_view::npos;
        const bool route = text.find("<name>Route</name>") != std::string_view::npos;
        if (gx) return Format::kml_track;
        if (route) return Format::fr24_kml;
        throw IoError(name +
                      ":1: KML file with neither a <Folder><name>Route</name> (FR24 KML export) nor a <gx:Track> "
                      "(FlightAware, tar1090, Google Earth); plain KML placemarks carry no times");
    }
    const auto nl = text.find('\n');
    std::string_view first = text.substr(0, nl);
    if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
    // IGC: an A record (manufacturer) first, then H records; a few real files start with H.
    const std::string_view head = text.substr(0, 65536);
    if ((first.size() >= 4 && first[0] == 'A' && std::isalnum(static_cast<unsigned char>(first[1])) &&
         head.find("\nHF") != std::string_view::npos) ||
        first.rfind("HFDTE", 0) == 0)
        return Format::igc;
    const std::string lf = lower_ascii(first);
    if (lf.find("icao24") != std::string::npos && lf.find("lastposupdate") != std::string::npos) return Format::opensky_csv;
    if (lf.rfind("time,icao24,lat,lon", 0) == 0) return Format::opensky_csv;
    if (lf.rfind("network_time,receiver_time,hex,callsign", 0) == 0)
        throw IoError(name +
                      ":1: Flightradar24 \"granular\" ADS-B CSV (header starting 'network_time,receiver_time,hex,callsign') is not a "
                      "format flightreplay reads directly; load it as a generic CSV: " +
                      setting_text("format") + " csv " + setting_text("csv_columns") +
                      " 'time=network_time:%Y-%m-%d %H:%M:%SZ.%f,lat=latitude,lon=longitude,"
                      "alt=altitude:ft,speed=speed:kt,track=track,callsign=callsign,icao24=hex'");
    return std::nullopt;
}

}  // namespace fr::io::detail
