// Tacview ACMI 2.2 text (https://www.tacview.net/documentation/acmi/en/).
//   FileType=text/acmi/tacview      mandatory first line
//   FileVersion=2.2                 mandatory second line
//   0,ReferenceTime=2011-06-02T05:00:00Z   global object 0
//   0,ReferenceLongitude=..  0,ReferenceLatitude=..   object Lon/Lat are offsets from these
//   #47.13                          frame: seconds after ReferenceTime
//   3000102,T=41.62|41.59|2000.1,Name=C172,Type=Air+FixedWing   object update (hex id)
//   -3000102                        object removed
// T= takes 3, 5, 6 or 9 '|'-separated fields (Lon|Lat|Alt[|U|V], [|Roll|Pitch|Yaw],
// [|Roll|Pitch|Yaw|U|V|Heading]); an empty field keeps the previous value. `\,` escapes a comma,
// a trailing backslash continues the value on the next line, `//` starts a comment line.
// Units: metres MSL, degrees. One Track per object whose Type contains the tag Air; an id that
// reappears after removal is a new object. Zip-compressed files (`.zip.acmi`: a zip holding one
// text ACMI, UTF-8 with a BOM) are opened with libarchive; the first regular member is read and
// diagnostics give lines of that member.
#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "io/formats/text_formats.hpp"
#include "io/formats/track_checks.hpp"
#include "io/loader.hpp"
#include "io/text/csv.hpp"
#include "io/text/input_reader.hpp"

namespace fr::io::detail {

namespace {

struct Object {
    std::uint64_t first_line = 0;
    double lon = NAN, lat = NAN, alt = NAN, yaw = NAN, heading = NAN;
    AircraftId id;
    std::string type;
    std::vector<SourcedPoint> pts;
};

/// Splits on commas not preceded by a backslash; `\,` becomes `,` in the value.
std::vector<std::string> split_props(std::string_view s) {
    std::vector<std::string> out(1);
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == ',' || s[i + 1] == '\\')) {
            out.back() += s[++i];
        } else if (s[i] == ',') {
            out.emplace_back();
        } else {
            out.back() += s[i];
        }
    }
    return out;
}

bool has_air_tag(std::string_view type) {
    std::size_t pos = 0;
    while (pos <= type.size()) {
        auto plus = type.find('+', pos);
        if (plus == std::string_view::npos) plus = type.size();
        if (trim(type.substr(pos, plus - pos)) == "Air") return true;
        pos = plus + 1;
    }
    return false;
}

struct ArchiveFree {
    void operator()(archive* a) const noexcept { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

/// The first regular member of a zip in memory, or an error message. Decompression stops at
/// `max_bytes` (the per-input cap) and at a 200:1 expansion past 64 MiB (a zip bomb).
bool unzip_first(std::string_view zip, std::uint64_t max_bytes, std::string& out, std::string& member, std::string& error) {
    ArchivePtr a(archive_read_new());
    if (!a) {
        error = "libarchive could not start";
        return false;
    }
    archive_read_support_format_zip(a.get());
    archive_read_support_filter_none(a.get());
    if (archive_read_open_memory(a.get(), zip.data(), zip.size()) != ARCHIVE_OK) {
        error = std::string("not a readable zip archive: ") + (archive_error_string(a.get()) ? archive_error_string(a.get()) : "?");
        return false;
    }
    archive_entry* e = nullptr;
    int rc;
    while ((rc = archive_read_next_header(a.get(), &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
        if (archive_entry_filetype(e) != AE_IFREG) continue;
        member = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
        char buf[1 << 16];
        la_ssize_t n;
        while ((n = archive_read_data(a.get(), buf, sizeof buf)) > 0) {
            out.append(buf, static_cast<std::size_t>(n));
            if (out.size() > max_bytes) {
                error = "member '" + member + "' decompressed to " + over_input_cap(max_bytes);
                return false;
            }
            if (out.size() > gzip_ratio_check_bytes && out.size() > max_gzip_ratio * std::max<std::size_t>(1, zip.size())) {
                error = "member '" + member + "' expands more than " + std::to_string(max_gzip_ratio) +
                        ":1 to more than 64 MiB (refused as a decompression bomb)";
                return false;
            }
        }
        if (n < 0) {
            error = "member '" + member + "' is corrupt: " + (archive_error_string(a.get()) ? archive_error_string(a.get()) : "?");
            return false;
        }
        return true;
    }
    error = rc == ARCHIVE_EOF
                ? std::string("zip archive holds no file")
                : std::string("not a readable zip archive: ") + (archive_error_string(a.get()) ? archive_error_string(a.get()) : "?");
    return false;
}

}  // namespace

LoadResult load_acmi(const std::string& name, std::string_view text) { return load_acmi(name, text, default_max_input_bytes); }

LoadResult load_acmi(const std::string& name, std::string_view text, std::uint64_t max_bytes) {
    LoadResult res;
    res.format = Format::acmi;
    std::string unzipped;
    if (text.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
        std::string member, error;
        if (!unzip_first(text, max_bytes, unzipped, member, error)) {
            res.diagnostics.error(name, 1, 1, "zip-compressed ACMI: " + error + " (file not read)");
            return res;
        }
        text = unzipped;
    }
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    // Logical lines: join continuation lines (trailing backslash), keep the first line number.
    struct Line {
        std::string text;
        std::uint64_t number;
    };
    std::vector<Line> lines;
    {
        std::uint64_t n = 0;
        bool cont = false;
        for (std::size_t pos = 0; pos < text.size();) {
            auto nl = text.find('\n', pos);
            if (nl == std::string_view::npos) nl = text.size();
            auto l = text.substr(pos, nl - pos);
            pos = nl + 1;
            ++n;
            if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
            if (cont) {
                lines.back().text += '\n';
                lines.back().text += l;
            } else {
                lines.push_back({std::string(l), n});
            }
            cont = !lines.back().text.empty() && lines.back().text.back() == '\\';
            if (cont) lines.back().text.pop_back();
        }
    }
    if (lines.empty() || lines[0].text.rfind("FileType=", 0) != 0) {
        res.diagnostics.error(name, 1, 1,
                              std::string("missing ACMI header: first line must be 'FileType=text/acmi/tacview', found ") +
                                  (lines.empty() ? "no line" : "a line (byte offset 0) that does not start with 'FileType='") +
                                  " (file not read)");
        return res;
    }
    if (lines[0].text != "FileType=text/acmi/tacview")
        res.diagnostics.warn(name, 1, 10, "FileType " + quote_value(lines[0].text.substr(9)) + " is not text/acmi/tacview (read anyway)");
    if (lines.size() < 2 || lines[1].text.rfind("FileVersion=", 0) != 0) {
        res.diagnostics.error(name, lines.size() < 2 ? 2 : lines[1].number, 1, "missing 'FileVersion=2.x' on line 2 (file not read)");
        return res;
    }
    if (lines[1].text.substr(12, 2) != "2.")
        res.diagnostics.warn(name, lines[1].number, 13,
                             "FileVersion " + quote_value(lines[1].text.substr(12)) + " is not 2.x (read as 2.2)");

    std::optional<TimePoint> ref_time;
    std::uint64_t first_frame_line = 0;
    double ref_lon = 0, ref_lat = 0;
    double frame_s = 0;
    std::map<std::string, Object> live;
    std::vector<Object> done;
    for (std::size_t i = 2; i < lines.size(); ++i) {
        const std::string& l = lines[i].text;
        const std::uint64_t ln = lines[i].number;
        if (trim(l).empty() || l.rfind("//", 0) == 0) continue;
        if (l[0] == '#') {
            double s = 0;
            if (!parse_double(std::string_view(l).substr(1), s) || !std::isfinite(s) || std::fabs(s) > 1e10) {
                res.diagnostics.warn(name, ln, 2, "frame time " + quote_value(l) + " is not a number of seconds (frame ignored)");
                continue;
            }
            if (!first_frame_line) first_frame_line = ln;
            frame_s = s;
            continue;
        }
        if (l[0] == '-') {
            const auto it = live.find(std::string(trim(std::string_view(l).substr(1))));
            if (it != live.end()) {
                done.push_back(std::move(it->second));
                live.erase(it);
            }
            continue;
        }
        const auto props = split_props(l);
        const std::string oid(trim(props[0]));
        if (oid.empty() || oid.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
            res.diagnostics.warn(name, ln, 1, "object id " + quote_value(oid) + " is not hexadecimal (line ignored)");
            continue;
        }
        if (oid == "0") {
            for (std::size_t k = 1; k < props.size(); ++k) {
                const auto eq = props[k].find('=');
                if (eq == std::string::npos) continue;
                const std::string_view key = std::string_view(props[k]).substr(0, eq);
                const std::string_view val = trim(std::string_view(props[k]).substr(eq + 1));
                if (key == "ReferenceTime") {
                    ref_time = parse_iso8601(val);
                    if (!ref_time) res.diagnostics.error(name, ln, 3, "ReferenceTime " + quote_value(val) + " is not ISO 8601");
                } else if (key == "ReferenceLongitude" || key == "ReferenceLatitude") {
                    double v = 0;
                    if (!parse_double(val, v) || !std::isfinite(v) || std::fabs(v) > 180)
                        res.diagnostics.warn(name, ln, 3, std::string(key) + " " + quote_value(val) + " is not degrees (0 used)");
                    else
                        (key == "ReferenceLongitude" ? ref_lon : ref_lat) = v;
                }
            }
            continue;
        }
        Object& obj = live[oid];
        if (!obj.first_line) obj.first_line = ln;
        bool moved = false;
        std::uint64_t col = oid.size() + 2;
        for (std::size_t k = 1; k < props.size(); col += props[k].size() + 1, ++k) {
            const auto eq = props[k].find('=');
            if (eq == std::string::npos) {
                res.diagnostics.warn(name, ln, col, "property " + quote_value(props[k]) + " has no '=' (ignored)");
                continue;
            }
            const std::string_view key = std::string_view(props[k]).substr(0, eq);
            const std::string_view val = std::string_view(props[k]).substr(eq + 1);
            if (key == "T") {
                std::vector<std::string_view> f;
                for (std::size_t pos = 0;;) {
                    const auto bar = val.find('|', pos);
                    f.push_back(val.substr(pos, bar == std::string_view::npos ? std::string_view::npos : bar - pos));
                    if (bar == std::string_view::npos) break;
                    pos = bar + 1;
                }
                if (f.size() != 3 && f.size() != 5 && f.size() != 6 && f.size() != 9) {
                    res.diagnostics.warn(name, ln, col,
                                         "T= has " + std::to_string(f.size()) + " fields, expected 3, 5, 6 or 9 (update ignored)");
                    continue;
                }
                double v[9];
                bool ok = true;
                std::size_t bad = 0;
                for (std::size_t j = 0; j < f.size(); ++j) {
                    v[j] = NAN;
                    if (!trim(f[j]).empty() && (!parse_double(f[j], v[j]) || !std::isfinite(v[j]))) {
                        ok = false;
                        bad = j;
                        break;
                    }
                }
                if (!ok) {
                    res.diagnostics.warn(
                        name, ln, col,
                        "T= field " + std::to_string(bad + 1) + " " + quote_value(f[bad]) + " is not a number (update ignored)");
                    continue;
                }
                if (!std::isnan(v[0])) obj.lon = ref_lon + v[0];
                if (!std::isnan(v[1])) obj.lat = ref_lat + v[1];
                if (!std::isnan(v[2])) obj.alt = v[2];
                if ((f.size() == 6 || f.size() == 9) && !std::isnan(v[5])) obj.yaw = v[5];
                if (f.size() == 9 && !std::isnan(v[8])) obj.heading = v[8];
                moved = true;
            } else if (key == "Name") {
                // Name is the aircraft model in Tacview ("F-16C-52"): kept as type when none.
                if (obj.id.type.empty()) obj.id.type = std::string(trim(val));
            } else if (key == "CallSign") {
                obj.id.callsign = std::string(trim(val));
            } else if (key == "Registration") {
                obj.id.registration = std::string(trim(val));
            } else if (key == "Type") {
                obj.type = std::string(trim(val));
            } else if (key == "ICAO24" || key == "ICAO") {
                obj.id.icao24 = std::string(trim(val));
            }
        }
        if (!moved) continue;
        ++res.rows_read;
        if (!ref_time) continue;  // reported once below
        if (std::isnan(obj.lat) || std::isnan(obj.lon)) {
            res.diagnostics.warn(name, ln, oid.size() + 2,
                                 "object " + oid + " has no position yet (partial T= without earlier longitude/latitude; update skipped)");
            ++res.rows_skipped;
            continue;
        }
        const auto ll = LatLon::checked(obj.lat, obj.lon);
        if (!ll) {
            res.diagnostics.warn(name, ln, oid.size() + 2,
                                 "object " + oid + " position lat " + std::to_string(obj.lat) + " lon " + std::to_string(obj.lon) +
                                     " out of range (update skipped)");
            ++res.rows_skipped;
            continue;
        }
        const TimePoint t = *ref_time + std::chrono::milliseconds(std::llround(frame_s * 1000.0));
        if (!plausible_time(t)) {
            res.diagnostics.warn(name, ln, 1, "time " + format_iso8601(t) + " is outside 1990..2100 (update skipped)");
            ++res.rows_skipped;
            continue;
        }
        TrackPoint p(t, *ll);
        if (!std::isnan(obj.alt)) {
            if (obj.alt < Length::feet(min_altitude_ft).m() || obj.alt > Length::feet(max_altitude_ft).m()) {
                res.diagnostics.warn(
                    name, ln, oid.size() + 2,
                    "object " + oid + " altitude " + std::to_string(obj.alt) + " m outside -610..30480 (altitude dropped)");
            } else {
                p.set_altitude(Length::metres(obj.alt));
            }
        }
        // Heading (9-field form) or yaw: the nose direction, the closest ACMI has to a track.
        const double hdg = !std::isnan(obj.heading) ? obj.heading : obj.yaw;
        if (!std::isnan(hdg)) p.set_track(Angle::degrees(hdg).normalized_360());
        obj.pts.push_back({p, ln});
    }
    if (!ref_time) {
        res.diagnostics.error(name, first_frame_line ? first_frame_line : 1, 1,
                              "no '0,ReferenceTime=...' before the data: frame times cannot be placed in UTC (file not read)");
        return res;
    }
    for (auto& [id, obj] : live) done.push_back(std::move(obj));
    std::sort(done.begin(), done.end(), [](const Object& a, const Object& b) { return a.first_line < b.first_line; });
    for (auto& obj : done) {
        if (!has_air_tag(obj.type)) continue;  // ground units, weapons, bullseyes: not tracks
        Track t;
        t.aircraft = obj.id;
        t.points = finalize_points(std::move(obj.pts), name, res.diagnostics, res.rows_skipped);
        t.source = name;
        if (!t.points.empty()) res.tracks.push_back(std::move(t));
    }
    return res;
}

}  // namespace fr::io::detail
