// IGC flight recorder files (FAI IGC specification).
//   A record: first line, manufacturer and logger id (some real files lack it).
//   HFDTE: date DDMMYY, old form `HFDTE160819`, new form `HFDTEDATE:160819,02`.
//   HFGID / HFCID / HFGTY: glider id (registration), competition id, glider type.
//   I record: B-record extensions, `I NN (SS FF CCC)*` with 1-based byte positions.
//   B record (35 bytes + extensions): B HHMMSS DDMMmmm[NS] DDDMMmmm[EW] [AV] PPPPP GGGGG
//     time UTC; pressure altitude (ISA 1013.25 hPa) and GNSS altitude in metres;
//     A = 3D fix, V = 2D fix / no GNSS altitude (GNSS altitude then unusable).
// B records carry only the time of day: the date advances when the time goes back by more
// than 12 hours (midnight rollover); a smaller step back is an out-of-order record.
// Altitude: pressure altitude preferred (what ATC and barographs use); GNSS when the logger
// has no pressure sensor (pressure field 00000 with a non-zero GNSS altitude).
#include <cmath>
#include <limits>
#include <string>

#include "io/formats/text_formats.hpp"
#include "io/formats/track_checks.hpp"
#include "io/loader.hpp"
#include "io/text/csv.hpp"

namespace fr::io::detail {

namespace {

/// `len` decimal digits at `pos`. False for a non-digit or a value past INT_MAX (an I-record
/// extension may span up to 64 bytes: "TRT" over bytes 36..99 once overflowed `int`, UBSan).
bool digits(std::string_view s, std::size_t pos, std::size_t len, int& out) {
    if (pos + len > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        if (out > (std::numeric_limits<int>::max() - 9) / 10) return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

/// Signed altitude field of 5 bytes ("-0012" allowed).
bool altitude_field(std::string_view s, std::size_t pos, int& out) {
    if (pos + 5 > s.size()) return false;
    if (s[pos] == '-') {
        if (!digits(s, pos + 1, 4, out)) return false;
        out = -out;
        return true;
    }
    return digits(s, pos, 5, out);
}

struct Extension {
    std::size_t first = 0, last = 0;  ///< 1-based inclusive byte positions
    std::string code;
};

std::string header_value(std::string_view line) {
    // "HFGIDGLIDERID:G_CKPM" -> "G_CKPM"; "HFGIDG_CKPM" (no long name) -> "G_CKPM".
    const auto colon = line.find(':');
    std::string_view v = colon == std::string_view::npos ? line.substr(std::min<std::size_t>(5, line.size())) : line.substr(colon + 1);
    return std::string(trim(v));
}

}  // namespace

LoadResult load_igc(const std::string& name, std::string_view text) {
    LoadResult res;
    res.format = Format::igc;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    // Split into lines once (CR LF or LF).
    std::vector<std::string_view> lines;
    for (std::size_t pos = 0; pos < text.size();) {
        auto nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        auto l = text.substr(pos, nl - pos);
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        lines.push_back(l);
        pos = nl + 1;
    }
    if (lines.empty() || (lines.size() == 1 && lines[0].empty())) {
        res.diagnostics.error(name, 1, 1, "empty file: expected IGC records (A, H, B)");
        return res;
    }
    // Pass 1: headers (the date must be known before the first fix, but may follow it).
    std::optional<std::chrono::year_month_day> date;
    std::vector<Extension> ext;
    Track track;
    std::string glider_id, competition_id;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto l = lines[i];
        const std::uint64_t ln = i + 1;
        if (l.size() >= 5 && (l[0] == 'H') && l.substr(2, 3) == "DTE" && !date) {
            std::string_view v = l.substr(5);
            if (v.substr(0, 5) == "DATE:")
                v.remove_prefix(5);
            else if (!v.empty() && v[0] == ':')
                v.remove_prefix(1);
            v = trim(v);
            int dd = 0, mm = 0, yy = 0;
            if (!digits(v, 0, 2, dd) || !digits(v, 2, 2, mm) || !digits(v, 4, 2, yy) || (v.size() > 6 && v[6] != ',')) {
                res.diagnostics.error(name, ln, 6, "HFDTE date " + quote_value(v) + " is not DDMMYY or DATE:DDMMYY,NN");
                continue;
            }
            // Two-digit year: IGC dates from 1990 (first loggers) on; 80..99 -> 19xx.
            const int year = yy >= 80 ? 1900 + yy : 2000 + yy;
            const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(mm)},
                                                  std::chrono::day{static_cast<unsigned>(dd)}};
            if (!ymd.ok()) {
                res.diagnostics.error(name, ln, 6, "HFDTE date " + quote_value(v) + " is not a calendar date (DDMMYY)");
                continue;
            }
            date = ymd;
        } else if (l.size() >= 5 && l[0] == 'H' && l.substr(2, 3) == "GID") {
            glider_id = header_value(l);
        } else if (l.size() >= 5 && l[0] == 'H' && l.substr(2, 3) == "CID") {
            competition_id = header_value(l);
        } else if (l.size() >= 5 && l[0] == 'H' && l.substr(2, 3) == "GTY") {
            track.aircraft.type = header_value(l);
        } else if (!l.empty() && l[0] == 'I' && ext.empty()) {
            int n = 0;
            if (!digits(l, 1, 2, n) || l.size() < 3 + static_cast<std::size_t>(n) * 7) {
                res.diagnostics.warn(name, ln, 1,
                                     "I record " + quote_value(l) + " is not 'INN' followed by NN 7-byte extensions (extensions ignored)");
                continue;
            }
            for (int k = 0; k < n; ++k) {
                int a = 0, b = 0;
                const std::size_t at = 3 + static_cast<std::size_t>(k) * 7;
                if (!digits(l, at, 2, a) || !digits(l, at + 2, 2, b) || a < 36 || b < a) {
                    res.diagnostics.warn(
                        name, ln, at + 1,
                        "I record extension " + quote_value(l.substr(at, 7)) + " has bad byte positions (extensions ignored)");
                    ext.clear();
                    break;
                }
                ext.push_back({static_cast<std::size_t>(a), static_cast<std::size_t>(b), std::string(l.substr(at + 4, 3))});
            }
        }
    }
    track.aircraft.registration = glider_id;
    track.aircraft.callsign = !competition_id.empty() ? competition_id : glider_id;
    if (!date) {
        res.diagnostics.error(name, 1, 1, "no HFDTE date header: B records hold only the time of day (file not read)");
        return res;
    }
    const Extension* trt = nullptr;
    for (const auto& e : ext)
        if ((e.code == "TRT" || e.code == "HDT") && (!trt || e.code == "TRT")) trt = &e;
    using namespace std::chrono;
    const sys_days day0{*date};
    int day_offset = 0;
    std::int64_t prev_tod = -1;
    std::vector<SourcedPoint> pts;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto l = lines[i];
        if (l.empty() || l[0] != 'B') continue;
        const std::uint64_t ln = i + 1;
        ++res.rows_read;
        auto skip = [&](std::uint64_t col, const std::string& msg) {
            res.diagnostics.warn(name, ln, col, msg + " (record skipped)");
            ++res.rows_skipped;
        };
        if (l.size() < 35) {
            skip(l.size() + 1, "B record is " + std::to_string(l.size()) + " bytes, expected at least 35");
            continue;
        }
        int hh = 0, mi = 0, ss = 0;
        if (!digits(l, 1, 2, hh) || !digits(l, 3, 2, mi) || !digits(l, 5, 2, ss) || hh > 23 || mi > 59 || ss > 59) {
            skip(2, "time " + quote_value(l.substr(1, 6)) + " is not HHMMSS");
            continue;
        }
        int lat_d = 0, lat_m = 0, lon_d = 0, lon_m = 0;
        if (!digits(l, 7, 2, lat_d) || !digits(l, 9, 5, lat_m) || (l[14] != 'N' && l[14] != 'S') || lat_d > 90 || lat_m >= 60000) {
            skip(8, "latitude " + quote_value(l.substr(7, 8)) + " is not DDMMmmm followed by N or S");
            continue;
        }
        if (!digits(l, 15, 3, lon_d) || !digits(l, 18, 5, lon_m) || (l[23] != 'E' && l[23] != 'W') || lon_d > 180 || lon_m >= 60000) {
            skip(16, "longitude " + quote_value(l.substr(15, 9)) + " is not DDDMMmmm followed by E or W");
            continue;
        }
        double lat = lat_d + lat_m / 60000.0, lon = lon_d + lon_m / 60000.0;
        if (l[14] == 'S') lat = -lat;
        if (l[23] == 'W') lon = -lon;
        const auto ll = LatLon::checked(lat, lon);
        if (!ll) {
            skip(8, "position " + quote_value(l.substr(7, 17)) + " out of range");
            continue;
        }
        const char validity = l[24];
        if (validity != 'A' && validity != 'V') {
            skip(25, "fix validity " + quote_value(l.substr(24, 1)) + " is not A or V");
            continue;
        }
        int p_alt = 0, g_alt = 0;
        if (!altitude_field(l, 25, p_alt)) {
            skip(26, "pressure altitude " + quote_value(l.substr(25, 5)) + " is not 5 digits of metres");
            continue;
        }
        if (!altitude_field(l, 30, g_alt)) {
            skip(31, "GNSS altitude " + quote_value(l.substr(30, 5)) + " is not 5 digits of metres");
            continue;
        }
        const std::int64_t tod = hh * 3600 + mi * 60 + ss;
        // Midnight rollover: a step back of more than 12 h is the next day (a 12-hour
        // threshold separates rollover from out-of-order records in any flight shorter than
        // 12 h between fixes).
        if (prev_tod >= 0 && tod + 12 * 3600 < prev_tod) ++day_offset;
        prev_tod = tod;
        const TimePoint t = time_point_cast<milliseconds>(day0 + days{day_offset} + seconds{tod});
        TrackPoint p(t, *ll);
        double alt_m = p_alt;
        // V fixes keep their position (2D fix); only their GNSS altitude is unusable.
        if (p_alt == 0 && g_alt != 0 && validity == 'A') alt_m = g_alt;
        if (alt_m < Length::feet(min_altitude_ft).m() || alt_m > Length::feet(max_altitude_ft).m()) {
            skip(26, "altitude " + std::to_string(alt_m) + " m is outside -610..30480");
            continue;
        }
        p.set_altitude(Length::metres(alt_m));
        if (trt && l.size() >= trt->last) {
            int deg = 0;
            if (digits(l, trt->first - 1, trt->last - trt->first + 1, deg) && deg <= 360) p.set_track(Angle::degrees(deg).normalized_360());
        }
        pts.push_back({p, ln});
    }
    track.points = finalize_points(std::move(pts), name, res.diagnostics, res.rows_skipped);
    track.source = name;
    if (!track.points.empty()) res.tracks.push_back(std::move(track));
    return res;
}

}  // namespace fr::io::detail
