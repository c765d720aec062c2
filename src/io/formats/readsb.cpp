// readsb / tar1090 trace JSON (trace_full_<hex>.json, trace_recent_<hex>.json):
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
//
// Two readers, one result. After the syntax pass (JsonSource::validate) the document is known
// to be valid JSON, and a plain walker over the bytes reads the common case: rows of plain
// numbers, null and "ground", callsigns without escapes, no row the loader would skip or warn
// about. The first time anything else turns up it gives up and the file is read again by the
// On-Demand reader below, which words every diagnostic. So what a file loads to, and what is
// said about it, never depends on which reader ran; the walker only makes clean files fast
// (it parses no more than it keeps: simdjson's stage 1 indexes every byte).
#include <fast_float/fast_float.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "io/formats/track_checks.hpp"
#include "io/loader.hpp"
#include "io/text/json_util.hpp"

namespace fr::io::detail {

namespace {

namespace od = simdjson::ondemand;

struct Leg {
    std::string callsign;
    PointCollector points;  ///< each point's `line`: row_key(byte offset, trace index)
};

/// A kept row's byte offset and its index in "trace", in the one 64-bit `line` a point carries
/// into the checks of PointCollector (their diagnostics name the row by it). Both fit 32 bits:
/// simdjson reads no document of 4 GiB or more (CAPACITY), and the walker is not run on one.
constexpr std::uint64_t row_key(std::size_t offset, std::size_t index) noexcept {
    return (static_cast<std::uint64_t>(index) << 32) | (static_cast<std::uint64_t>(offset) & 0xFFFFFFFFu);
}

/// What either reader hands to the common tail of load_readsb. Points are kept at 48 bytes
/// each (PointCollector: no doubling vector, no copy beside the result).
struct Rows {
    Track proto;
    std::vector<Leg> legs = std::vector<Leg>(1);
    std::size_t kept_points = 0;

    /// Builds and keeps a row's point; the values passed the range checks already (a track
    /// outside -360..360 is left unset: the caller has warned).
    void keep(double t_s, LatLon ll, bool ground, double alt, double gs, double trk, double flags, std::string_view callsign,
              std::size_t row_off, std::size_t index) {
        TrackPoint p(from_unix_seconds(t_s), ll);
        if (ground) p.set_on_ground(OnGround::ground);
        if (!std::isnan(alt)) p.set_altitude(Length::feet(alt)).set_on_ground(OnGround::airborne);
        if (!std::isnan(gs)) p.set_ground_speed(Speed::knots(gs));
        if (!std::isnan(trk) && trk >= -360 && trk <= 360) p.set_track(Angle::degrees(trk).normalized_360());
        const auto flag_bits = (flags >= 0 && flags < 256) ? static_cast<unsigned>(flags) : 0u;
        const bool new_leg = (flag_bits & 2u) != 0;
        p.set_new_leg(new_leg);
        if (new_leg && !legs.back().points.empty()) legs.emplace_back();
        if (!callsign.empty() && legs.back().callsign.empty()) legs.back().callsign = std::string(callsign);
        legs.back().points.push(p, row_key(row_off, index));
        ++kept_points;
    }
};

bool time_ok(double t_s) { return std::isfinite(t_s) && t_s >= static_cast<double>(min_unix_s) && t_s <= static_cast<double>(max_unix_s); }

/// First byte at or after `p` that is '"' or '\\' (string bodies), or also a bracket or brace
/// (container bodies; may also stop at a few other bytes, see below). 16 bytes at a time: the padding after the text (simdjson's, 64 bytes)
/// makes the loads safe, and a valid document has the byte before its end.
template <bool Brackets>
const char* find_special(const char* p) noexcept {
#if defined(__SSE2__)
    while (true) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        __m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
        if constexpr (Brackets) {
            // '[' 0x5b, ']' 0x5d, '{' 0x7b, '}' 0x7d are 0x59 with bits 0x26 ignored (so are
            // 'Y', '_', 'y' and DEL, which the caller passes over).
            const __m128i folded = _mm_and_si128(v, _mm_set1_epi8(static_cast<char>(0xd9)));
            m = _mm_or_si128(m, _mm_cmpeq_epi8(folded, _mm_set1_epi8(0x59)));
        }
        const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(m));
        if (mask != 0) return p + __builtin_ctz(mask);
        p += 16;
    }
#else
    while (*p != '"' && *p != '\\' && !(Brackets && (*p == '[' || *p == ']' || *p == '{' || *p == '}'))) ++p;
    return p;
#endif
}

/// The fast reader: walks a document that check_json_syntax accepted (so no bounds or syntax
/// checks; the padded copy ends in NUL bytes). Every member returning false means "not the
/// common case": load_readsb then reads the file with On-Demand instead.
class Walker {
public:
    explicit Walker(const char* base) : m_base(base), m_p(base) {}

    bool read(Rows& out, LoadResult& res) {
        ws();
        if (*m_p != '{') return false;
        ++m_p;
        ws();
        if (*m_p == '}') return false;  // no "timestamp", no "trace"
        bool seen[5] = {};
        double base = 0;
        while (true) {
            std::string_view key;
            if (!member_key(key)) return false;
            static constexpr std::string_view keys[5] = {"icao", "r", "t", "timestamp", "trace"};
            const auto which = static_cast<std::size_t>(std::find(keys, keys + 5, key) - keys);
            if (which < 5) {
                // find_field_unordered's choice among repeated keys depends on the order of the
                // lookups: leave such files to On-Demand.
                if (seen[which]) return false;
                seen[which] = true;
            }
            if (which < 3) {
                std::string_view v;
                if (*m_p == 'n') {
                    m_p += 4;
                } else if (*m_p == '"') {
                    if (!string(v)) return false;
                    auto& field = which == 0   ? out.proto.aircraft.icao24
                                  : which == 1 ? out.proto.aircraft.registration
                                               : out.proto.aircraft.type;
                    field = which == 0 ? lower_trimmed(v) : trimmed(v);
                } else {
                    return false;  // warned about by On-Demand
                }
            } else if (which == 3) {
                if (!number(base) || !time_ok(base)) return false;
            } else if (which == 4) {
                if (!seen[3] || *m_p != '[') return false;  // rows need the base time first
                if (!rows(base, out, res)) return false;
            } else if (!skip_value()) {
                return false;
            }
            ws();
            if (*m_p == ',') {
                ++m_p;
                continue;
            }
            break;  // '}': nothing may follow but white space (validated)
        }
        // A missing or empty "icao" is a warning, missing "timestamp"/"trace" errors: On-Demand
        // says them.
        return seen[3] && seen[4] && !out.proto.aircraft.icao24.empty();
    }

private:
    const char* m_base;
    const char* m_p;
    int m_depth = 0;

    void ws() {
        while (*m_p == ' ' || *m_p == '\n' || *m_p == '\t' || *m_p == '\r') ++m_p;
    }
    /// An object member's key and its ':' (whitespace around both skipped); false as string().
    bool member_key(std::string_view& key) {
        ws();
        if (!string(key)) return false;
        ws();
        ++m_p;  // ':'
        ws();
        return true;
    }
    /// At '"': the raw contents; false when they hold an escape (On-Demand unescapes).
    bool string(std::string_view& out) {
        const char* start = ++m_p;
        const char* q = find_special<false>(m_p);
        if (*q == '\\') return false;
        out = std::string_view(start, static_cast<std::size_t>(q - start));
        m_p = q + 1;
        return true;
    }
    /// Past the closing quote of the string whose body starts at `p`.
    static const char* skip_string_body(const char* p) noexcept {
        while (true) {
            p = find_special<false>(p);
            if (*p == '"') return p + 1;
            p += 2;  // an escape: the escaped byte may be '"'
        }
    }
    /// A plain number: digits, '-' and '.' (no exponent). Up to 19 digits whose value fits
    /// 2^53 and up to 22 decimals: the integer divided by an exact power of ten, which IEEE
    /// rounds correctly (Clinger's fast path, as fast_float and simdjson take it). Otherwise
    /// fast_float up to 24 characters. Both round correctly, so the double equals On-Demand's.
    bool number(double& out) {
        static constexpr double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                           1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        const char* start = m_p;
        const char* q = m_p;
        const bool negative = *q == '-';
        q += negative;
        const char* digits = q;
        std::uint64_t w = 0;
        while (static_cast<unsigned char>(*q - '0') < 10) w = w * 10 + static_cast<unsigned>(*q++ - '0');
        if (q == digits) return false;
        std::ptrdiff_t n = q - digits, decimals = 0;
        if (*q == '.') {
            const char* f = ++q;
            while (static_cast<unsigned char>(*q - '0') < 10) w = w * 10 + static_cast<unsigned>(*q++ - '0');
            decimals = q - f;
            n += decimals;
        }
        if (*q == 'e' || *q == 'E') return false;
        if (n <= 19 && w <= (std::uint64_t{1} << 53) && decimals <= 22) {
            const double v = static_cast<double>(w) / pow10[decimals];
            out = negative ? -v : v;
        } else {
            if (q - start > 24) return false;
            const auto r = fast_float::from_chars(start, q, out);
            if (r.ec != std::errc{} || r.ptr != q || !std::isfinite(out)) return false;
        }
        m_p = q;
        return true;
    }
    /// A number or null (NaN); false for anything else.
    bool number_or_null(double& out) {
        if (*m_p == 'n') {
            m_p += 4;
            out = NAN;
            return true;
        }
        return number(out);
    }
    /// Skips any value; false past a nesting depth On-Demand might refuse.
    bool skip_value() {
        switch (*m_p) {
            case '"': m_p = skip_string_body(m_p + 1); return true;
            case '[':
            case '{': {
                int depth = 1;
                ++m_p;
                while (depth > 0) {
                    m_p = find_special<true>(m_p);
                    const char c = *m_p++;
                    if (c == '"') {
                        m_p = skip_string_body(m_p);
                    } else if (c == '[' || c == '{') {
                        if (++depth > 64) return false;
                    } else if (c == ']' || c == '}') {
                        --depth;
                    }
                }
                return true;
            }
            default:
                while (*m_p != ',' && *m_p != ']' && *m_p != '}' && *m_p != ' ' && *m_p != '\n' && *m_p != '\t' && *m_p != '\r') ++m_p;
                return true;
        }
    }
    /// The sparse details object: its first "flight" member, as On-Demand's
    /// find_field_unordered finds it (keys compared raw).
    bool details(std::string& callsign) {
        ++m_p;  // '{'
        ws();
        if (*m_p == '}') {
            ++m_p;
            return true;
        }
        bool found = false;
        while (true) {
            std::string_view key;
            if (!member_key(key)) return false;
            if (!found && key == "flight") {
                found = true;
                if (*m_p == '"') {
                    std::string_view v;
                    if (!string(v)) return false;
                    callsign = trimmed(v);
                } else if (!skip_value()) {  // null or not a string: no callsign
                    return false;
                }
            } else if (!skip_value()) {
                return false;
            }
            ws();
            if (*m_p++ == ',') continue;
            return true;  // '}'
        }
    }
    bool rows(double base, Rows& out, LoadResult& res) {
        ++m_p;  // '['
        ws();
        if (*m_p == ']') {
            ++m_p;
            return true;
        }
        for (std::size_t i = 0;; ++i) {
            ws();
            if (*m_p != '[') return false;
            const std::size_t row_off = static_cast<std::size_t>(m_p - m_base);
            ++res.rows_read;
            ++m_p;
            double dt = 0, lat = NAN, lon = NAN, alt = NAN, gs = NAN, trk = NAN, flags = 0;
            bool ground = false;
            std::string callsign;
            std::size_t k = 0;
            ws();
            if (*m_p == ']') return false;  // an empty row is skipped with a warning
            while (true) {
                ws();
                bool ok = true;
                switch (k) {
                    case 0: ok = number(dt); break;
                    case 1: ok = number(lat); break;
                    case 2: ok = number(lon); break;
                    case 3:
                        if (*m_p == '"') {
                            std::string_view s;
                            ok = string(s) && s == "ground";
                            ground = true;
                        } else {
                            ok = number_or_null(alt);
                        }
                        break;
                    case 4: ok = number_or_null(gs); break;
                    case 5: ok = number_or_null(trk); break;
                    case 6:
                        ok = number_or_null(flags);
                        if (std::isnan(flags)) flags = 0;
                        break;
                    case 8: ok = *m_p == '{' ? details(callsign) : skip_value(); break;
                    default: ok = skip_value(); break;
                }
                if (!ok) return false;
                ++k;
                ws();
                if (*m_p++ == ',') continue;
                break;  // ']'
            }
            if (k != 9 && k != 14) return false;
            const double t_s = base + dt;
            const auto ll = LatLon::checked(lat, lon);
            if (!time_ok(t_s) || !ll || (!std::isnan(alt) && (alt < min_altitude_ft || alt > max_altitude_ft)) ||
                (!std::isnan(gs) && (gs < 0 || gs > max_ground_speed_kt)) || (!std::isnan(trk) && (trk < -360 || trk > 360)))
                return false;  // skipped or warned about
            out.keep(t_s, *ll, ground, alt, gs, trk, flags, callsign, row_off, i);
            ws();
            if (*m_p++ == ',') continue;
            return true;  // ']' of the trace
        }
    }
};

}  // namespace

namespace {

/// The On-Demand reader: every file the Walker gives up on. Returns false where the file is
/// skipped (an error was reported).
bool read_on_demand(JsonSource& src, LoadResult& res, Rows& rows) {
    auto& diags = res.diagnostics;
    od::parser parser;
    od::document doc;
    if (auto e = parser.iterate(src.padded()).get(doc)) {
        src.report_syntax(diags, e, nullptr, {}, "file skipped");
        return false;
    }
    od::object root;
    if (auto e = doc.get_object().get(root)) {
        if (e == simdjson::INCORRECT_TYPE) {
            src.report_root_type(diags, "a readsb trace object {\"icao\", \"timestamp\", \"trace\": [...]}");
        } else {
            src.report_syntax(diags, e, nullptr, "$", "file skipped");
        }
        return false;
    }

    Track& proto = rows.proto;
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
        return false;
    if (proto.aircraft.icao24.empty())
        src.report(diags, Severity::warning, 0, "icao", "no \"icao\" address in the trace (aircraft identified by callsign only)");

    double base = 0;
    {
        od::value v;
        auto e = root.find_field_unordered("timestamp").get(v);
        if (e == simdjson::NO_SUCH_FIELD) {
            src.report(diags, Severity::error, 0, "timestamp",
                       "missing \"timestamp\" (the base Unix time of the trace rows; file skipped)");
            return false;
        }
        if (e) {
            src.report_syntax(diags, e, nullptr, "timestamp", "file skipped");
            return false;
        }
        const auto r = read_number(v, base, e);
        if (r == JsonRead::structural) {
            src.report_syntax(diags, e, v.raw_json_token().data(), "timestamp", "file skipped");
            return false;
        }
        if (r != JsonRead::ok || base < static_cast<double>(min_unix_s) || base > static_cast<double>(max_unix_s)) {
            src.report(diags, Severity::error, v, "timestamp",
                       "\"timestamp\" " + shown_token(v) + " is not a Unix time in seconds within 1990..2100 (file skipped)");
            return false;
        }
    }

    od::array trace;
    {
        od::value v;
        auto e = root.find_field_unordered("trace").get(v);
        if (e == simdjson::NO_SUCH_FIELD) {
            src.report(diags, Severity::error, 0, "trace", "missing \"trace\" array (file skipped)");
            return false;
        }
        if (!e) e = v.get_array().get(trace);
        if (e == simdjson::INCORRECT_TYPE) {
            src.report(diags, Severity::error, v, "trace", "\"trace\" is " + shown_token(v) + ", not an array of rows (file skipped)");
            return false;
        }
        if (e) {
            src.report_syntax(diags, e, nullptr, "trace", "file skipped");
            return false;
        }
    }

    std::size_t idx = 0;
    auto path = [&](std::size_t row, int col) {
        const std::string p = indexed("trace", row);
        return col >= 0 ? indexed(p, static_cast<std::size_t>(col)) : p;
    };
    auto stop = [&](simdjson::error_code e, const char* near, std::size_t row) {
        src.report_syntax(diags, e, near, path(row, -1),
                          "reading stopped; " + std::to_string(rows.kept_points) + " point(s) before it kept");
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
                case 0:
                    r = number(true, "time offset");
                    dt = num;
                    break;
                case 1:
                    r = number(true, "latitude");
                    lat = num;
                    break;
                case 2:
                    r = number(true, "longitude");
                    lon = num;
                    break;
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
                case 4:
                    r = number(false, "ground speed");
                    if (r == JsonRead::ok) gs = num;
                    break;
                case 5:
                    r = number(false, "track");
                    if (r == JsonRead::ok) trk = num;
                    break;
                case 6:
                    r = number(false, "flags");
                    if (r == JsonRead::ok) flags = num;
                    break;
                case 8: {
                    od::object details;
                    e = cell.get_object().get(details);
                    if (e == simdjson::INCORRECT_TYPE) break;  // null (no details in this row)
                    od::value flight;
                    if (!e) e = details.find_field_unordered("flight").get(flight);
                    if (e == simdjson::NO_SUCH_FIELD) break;
                    if (e) {
                        r = JsonRead::structural;
                        break;
                    }
                    std::string_view s;
                    r = read_string(flight, s, e);
                    if (r == JsonRead::ok)
                        callsign = trimmed(s);
                    else if (r == JsonRead::bad)
                        r = JsonRead::ok;  // a non-string callsign: ignore
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
            skip(row_off, 0, "time offset " + format_number(dt) + " s puts the fix outside 1990..2100");
            continue;
        }
        const auto ll = LatLon::checked(lat, lon);
        if (!ll) {
            skip(row_off, 1,
                 "position " + format_number(lat) + ", " + format_number(lon) + " is out of range (latitude -90..90, longitude -180..180)");
            continue;
        }
        if (!std::isnan(alt) && (alt < min_altitude_ft || alt > max_altitude_ft)) {
            skip(row_off, 3, "altitude " + format_number(alt) + " ft is outside -2000..100000 ft");
            continue;
        }
        if (!std::isnan(gs) && (gs < 0 || gs > max_ground_speed_kt)) {
            skip(row_off, 4, "ground speed " + format_number(gs) + " kt is outside 0..1500 kt");
            continue;
        }
        if (!std::isnan(trk) && (trk < -360 || trk > 360))
            src.report(diags, Severity::warning, row_off, path(i, 5),
                       "track " + format_number(trk) + " is not an angle in degrees (ignored)");
        rows.keep(t_s, *ll, ground, alt, gs, trk, flags, callsign, row_off, i);
    }
    return true;
}

}  // namespace

namespace {

LoadResult load_readsb_with(const std::string& name, std::string_view text, std::size_t readable, bool allow_walker) {
    LoadResult res;
    res.format = Format::readsb_trace;
    auto& diags = res.diagnostics;
    JsonSource src(name, text, readable);
    // On-Demand does not validate what it skips, and on some malformed documents it reaches
    // states its own code marks unreachable (found by fuzz/fuzz_*): validate first. The Walker
    // relies on it too.
    if (!src.validate(diags)) return res;
    Rows rows;
    // Past 4 GiB simdjson fails (CAPACITY) and On-Demand reports it: keep that behaviour.
    const bool walked = allow_walker && text.size() < 0xFFFFFFFFu && Walker(src.padded().data()).read(rows, res);
    if (!walked) {
        rows = Rows{};
        res.rows_read = 0;
        if (!read_on_demand(src, res, rows)) return res;
    }
    auto& legs = rows.legs;
    std::string carried;
    for (auto& leg : legs) {
        if (leg.callsign.empty()) leg.callsign = carried;
        carried = leg.callsign;
    }
    // Legs before the first callsign take the first one seen (callsigns appear a few rows in).
    std::string first_callsign;
    for (const auto& leg : legs)
        if (!leg.callsign.empty()) {
            first_callsign = leg.callsign;
            break;
        }
    for (auto& leg : legs) {
        if (leg.points.empty()) continue;
        Track t = rows.proto;
        t.aircraft.callsign = leg.callsign.empty() ? first_callsign : leg.callsign;
        t.source = name;
        Diagnostics local;
        t.points = leg.points.finalize(name, local, res.rows_skipped);
        for (auto d : local.items()) {  // `line` is a row_key: the row's line, column and path
            const auto pos = src.position(static_cast<std::size_t>(d.line & 0xFFFFFFFFu));
            d.json_path = indexed("trace", static_cast<std::size_t>(d.line >> 32));
            d.line = pos.line;
            d.column = pos.column;
            diags.add(std::move(d));
        }
        if (!t.points.empty()) res.tracks.push_back(std::move(t));
    }
    return res;
}

}  // namespace

LoadResult load_readsb(const std::string& name, std::string_view text, std::size_t readable) {
    return load_readsb_with(name, text, readable, true);
}

LoadResult load_readsb_on_demand(const std::string& name, std::string_view text) { return load_readsb_with(name, text, 0, false); }

std::string first_difference(const LoadResult& a, const LoadResult& b) {
    if (a.rows_read != b.rows_read) return "rows read " + std::to_string(a.rows_read) + " vs " + std::to_string(b.rows_read);
    if (a.rows_skipped != b.rows_skipped) return "rows skipped differ";
    const auto& da = a.diagnostics.items();
    const auto& db = b.diagnostics.items();
    if (da.size() != db.size()) return "diagnostic count " + std::to_string(da.size()) + " vs " + std::to_string(db.size());
    for (std::size_t i = 0; i < da.size(); ++i)
        if (format(da[i]) != format(db[i]))
            return "diagnostic " + std::to_string(i) + ": '" + format(da[i]) + "' vs '" + format(db[i]) + "'";
    if (a.tracks.size() != b.tracks.size()) return "track count differs";
    auto bits = [](double v) {
        std::uint64_t u;
        std::memcpy(&u, &v, sizeof u);
        return u;
    };
    const std::uint64_t none = ~std::uint64_t{0};
    for (std::size_t t = 0; t < a.tracks.size(); ++t) {
        const auto &ta = a.tracks[t], &tb = b.tracks[t];
        if (ta.aircraft.icao24 != tb.aircraft.icao24 || ta.aircraft.callsign != tb.aircraft.callsign ||
            ta.aircraft.registration != tb.aircraft.registration || ta.aircraft.type != tb.aircraft.type)
            return "track " + std::to_string(t) + ": identity differs";
        if (ta.points.size() != tb.points.size()) return "track " + std::to_string(t) + ": point count differs";
        for (std::size_t i = 0; i < ta.points.size(); ++i) {
            const auto &p = ta.points[i], &q = tb.points[i];
            if (p.time() != q.time() || bits(p.lat_deg()) != bits(q.lat_deg()) || bits(p.lon_deg()) != bits(q.lon_deg()) ||
                (p.altitude() ? bits(p.altitude()->m()) : none) != (q.altitude() ? bits(q.altitude()->m()) : none) ||
                (p.ground_speed() ? bits(p.ground_speed()->mps()) : none) != (q.ground_speed() ? bits(q.ground_speed()->mps()) : none) ||
                (p.track() ? bits(p.track()->deg()) : none) != (q.track() ? bits(q.track()->deg()) : none) ||
                p.on_ground() != q.on_ground() || p.new_leg() != q.new_leg())
                return "track " + std::to_string(t) + ": point " + std::to_string(i) + " differs";
        }
    }
    return {};
}

}  // namespace fr::io::detail
