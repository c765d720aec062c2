// Hand-written JSON and text reports of analysed flights (no JSON library needed to write).
#include "analysis/report_json.hpp"
#include "core/setting_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace fr::analysis {
namespace {

std::string quoted(const std::string& s) { return "\"" + json_escape(s) + "\""; }

// Numbers: finite values with millimetre (or mm/s) resolution; JSON has no NaN, so null.
std::string number(double v) {
    if (!std::isfinite(v)) return "null";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

std::string time_json(TimePoint t) { return quoted(format_iso8601(t)); }

std::string number_deg(double v) {
    if (!std::isfinite(v)) return "null";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    return buf;
}

std::string airport_json(const std::optional<AirportRef>& a) {
    if (!a) return "null";
    return "{\"icao\": " + quoted(a->icao) + ", \"iata\": " + quoted(a->iata) + ", \"name\": " + quoted(a->name) + "}";
}

std::string gap_json(const Gap& gap) {
    return std::string("{\"start\": ") + time_json(gap.start) + ", \"end\": " + time_json(gap.end) +
           ", \"duration_s\": " + number(std::chrono::duration<double>(gap.duration()).count()) +
           ", \"distance_m\": " + number(gap.distance.m()) + ", \"plausible\": " + (gap.plausible ? "true" : "false");
}

double secs(Duration d) { return std::chrono::duration<double>(d).count(); }

void check_sizes(const std::vector<Flight>& f, const std::vector<FlightAnalysis>& a) {
    if (f.size() != a.size())
        throw std::invalid_argument("report: " + std::to_string(f.size()) + " flights but " + std::to_string(a.size()) + " analyses");
}

std::string airport_text(const std::optional<AirportRef>& a) {
    if (!a) return "unknown";
    return a->name + " (" + a->icao + ")";
}

}  // namespace

std::string json_escape(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out;
}

std::string to_json(const std::vector<Flight>& flights, const std::vector<FlightAnalysis>& analyses) {
    check_sizes(flights, analyses);
    std::string o = "{\"schema_version\": 2, \"flights\": [";
    for (std::size_t f = 0; f < flights.size(); ++f) {
        const Flight& fl = flights[f];
        const FlightAnalysis& an = analyses[f];
        if (f) o += ",";
        o += "\n  {\"aircraft\": {\"id\": " + quoted(fl.aircraft.icao24) + ", \"callsign\": " + quoted(fl.aircraft.callsign) +
             ", \"registration\": " + quoted(fl.aircraft.registration) + ", \"type\": " + quoted(fl.aircraft.type) + "},";
        o += "\n   \"provenance\": " + quoted(to_string(fl.provenance)) + ",";
        o += "\n   \"sources\": [";
        for (std::size_t i = 0; i < fl.sources.size(); ++i) o += (i ? ", " : "") + quoted(fl.sources[i]);
        o += "],\n   \"merge_notes\": [";
        for (std::size_t i = 0; i < fl.merge_notes.size(); ++i) o += (i ? ", " : "") + quoted(fl.merge_notes[i]);
        o += "],\n   \"ground_only\": " + std::string(an.ground_only ? "true" : "false") +
             ", \"ground_airport\": " + airport_json(an.ground_airport) + ",";
        o += "\n   \"rejected_fixes\": [";
        for (std::size_t i = 0; i < an.rejected.size(); ++i) {
            const RejectedFix& r = an.rejected[i];
            o += (i ? "," : "") + std::string("\n    {\"time\": ") + quoted(format_iso8601(r.time, true)) +
                 ", \"lat\": " + number_deg(r.position.lat_deg()) + ", \"lon\": " + number_deg(r.position.lon_deg()) +
                 ", \"kind\": " + quoted(to_string(r.kind)) + ", \"detail\": " + quoted(r.detail) + "}";
        }
        o += "],\n   \"breaks\": [";
        for (std::size_t i = 0; i < an.breaks.size(); ++i)
            o += (i ? ", " : "") + gap_json(an.breaks[i].gap) + ", \"reason\": " + quoted(to_string(an.breaks[i].reason)) + "}";
        o += "],\n   \"legs\": [";
        for (std::size_t l = 0; l < an.legs.size(); ++l) {
            const Leg& leg = an.legs[l];
            o += l ? "," : "";
            o += "\n    {\"callsign\": " + quoted(leg.callsign) + ", \"points\": " + std::to_string(leg.points()) + ",";
            o += "\n     \"departure\": {\"time\": " + time_json(leg.departure_time) +
                 ", \"airport\": " + airport_json(leg.departure_airport) +
                 ", \"airport_inferred\": " + (leg.departure_inferred ? "true" : "false") + "},";
            o += "\n     \"arrival\": {\"time\": " + time_json(leg.arrival_time) + ", \"airport\": " + airport_json(leg.arrival_airport) +
                 ", \"airport_inferred\": " + (leg.arrival_inferred ? "true" : "false") + "},";
            o += "\n     \"takeoff_time\": " + (leg.takeoff_time ? time_json(*leg.takeoff_time) : std::string("null")) +
                 ", \"landing_time\": " + (leg.landing_time ? time_json(*leg.landing_time) : std::string("null")) + ",";
            o += "\n     \"distance_flown_m\": " + number(leg.distance_flown.m()) +
                 ", \"distance_great_circle_m\": " + (leg.distance_great_circle ? number(leg.distance_great_circle->m()) : "null") +
                 ", \"max_altitude_m\": " + (leg.max_altitude ? number(leg.max_altitude->m()) : "null") +
                 ", \"mean_ground_speed_mps\": " + (leg.mean_ground_speed ? number(leg.mean_ground_speed->mps()) : "null") + ",";
            o += "\n     \"gaps\": [";
            for (std::size_t g = 0; g < leg.gaps.size(); ++g) o += (g ? ", " : "") + gap_json(leg.gaps[g]) + "}";
            o += "]}";
        }
        o += "],\n   \"stops\": [";
        for (std::size_t s = 0; s < an.stops.size(); ++s) {
            const Stop& st = an.stops[s];
            o += (s ? "," : "") + std::string("\n    {\"airport\": ") + airport_json(st.airport) + ", \"start\": " + time_json(st.start) +
                 ", \"end\": " + time_json(st.end) + ", \"duration_s\": " + number(secs(st.duration())) +
                 ", \"inferred\": " + (st.inferred ? "true" : "false") + "}";
        }
        o += "]}";
    }
    o += "\n]}\n";
    return o;
}

std::string to_table(const std::vector<Flight>& flights, const std::vector<FlightAnalysis>& analyses) {
    check_sizes(flights, analyses);
    // Appended piece by piece, without printf or temporary strings per cell: a day of global
    // traffic is hundreds of thousands of legs, four lines each.
    std::string o;
    o.reserve(flights.size() * 200);
    auto iso = [&](TimePoint t) { append_iso8601(o, t); };
    auto integer = [&](long long v) {
        char buf[24];
        o.append(buf, static_cast<std::size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
    };
    auto airport = [&](const std::optional<AirportRef>& a) {
        if (!a) {
            o += "unknown";
            return;
        }
        o += a->name.c_str();  // up to a NUL, as printf's %s
        o += " (";
        o += a->icao.c_str();
        o += ')';
    };
    // Lines that were once written through a 512-byte snprintf buffer keep its limit of 511 bytes.
    auto cap_line = [&](std::size_t start) {
        if (o.size() - start > 511) o.resize(start + 511);
    };
    for (std::size_t f = 0; f < flights.size(); ++f) {
        const Flight& fl = flights[f];
        const FlightAnalysis& an = analyses[f];
        o += "Aircraft ";
        o += fl.aircraft.display_name();
        if (!fl.aircraft.registration.empty()) (o += "  reg ") += fl.aircraft.registration;
        if (!fl.aircraft.icao24.empty()) (o += "  icao ") += fl.aircraft.icao24;
        if (!fl.aircraft.type.empty()) (o += "  type ") += fl.aircraft.type;
        if (fl.provenance != Provenance::recorded) ((o += "  [") += to_string(fl.provenance)) += " data]";
        o += '\n';
        for (const auto& note : fl.merge_notes) ((o += "  Merge: ") += note) += '\n';
        if (!an.rejected.empty())
            o += "  " + summarise(an.rejected) + " (excluded from analysis and drawing unless " + setting_text("keep_outliers") + ")\n";
        if (an.ground_only)
            o += "  Ground movement only" + (an.ground_airport ? " at " + airport_text(an.ground_airport) : std::string()) +
                 ": no evidence of flight, no legs (" + format_iso8601(fl.points.front().time()) + " -> " +
                 format_iso8601(fl.points.back().time()) + ")\n";
        std::size_t break_i = 0;
        // Legs, each followed by the stop that ends it (stops sit between legs in order).
        std::size_t stop_i = 0;
        for (std::size_t l = 0; l < an.legs.size(); ++l) {
            const Leg& leg = an.legs[l];
            std::size_t start = o.size();
            o += "  Leg ";
            integer(static_cast<long long>(l + 1));
            o += "  ";
            o += leg.callsign.c_str();  // up to a NUL, as printf's %s
            o += "  ";
            airport(leg.departure_airport);
            if (leg.departure_airport && leg.departure_inferred) o += " [inferred]";
            o += " -> ";
            airport(leg.arrival_airport);
            if (leg.arrival_airport && leg.arrival_inferred) o += " [inferred]";
            o += '\n';
            cap_line(start);
            o += "    ";
            iso(leg.departure_time);
            o += " -> ";
            iso(leg.arrival_time);
            o += "  (";
            o += format_duration(leg.arrival_time - leg.departure_time);
            o += ")\n";
            start = o.size();
            o += "    flown ";
            {
                // printf's "%.1f": std::to_chars with a precision is specified to give its digits.
                char buf[400];
                const auto r = std::to_chars(buf, buf + sizeof buf, leg.distance_flown.km(), std::chars_format::fixed, 1);
                if (r.ec == std::errc{})
                    o.append(buf, static_cast<std::size_t>(r.ptr - buf));
                else {
                    std::snprintf(buf, sizeof buf, "%.1f", leg.distance_flown.km());
                    o += buf;
                }
            }
            o += " km, great circle ";
            if (leg.distance_great_circle) {
                integer(std::lround(leg.distance_great_circle->km()));
                o += " km";
            } else {
                o += '-';
            }
            o += ", max altitude ";
            if (leg.max_altitude) {
                integer(std::lround(leg.max_altitude->ft()));
                o += " ft";
            } else {
                o += '-';
            }
            o += ", mean ground speed ";
            if (leg.mean_ground_speed) {
                integer(std::lround(leg.mean_ground_speed->kt()));
                o += " kt";
            } else {
                o += '-';
            }
            o += ", ";
            integer(static_cast<long long>(leg.points()));
            o += " points\n";
            cap_line(start);
            for (const Gap& g : leg.gaps)
                o += "    Coverage gap " + format_iso8601(g.start) + " -> " + format_iso8601(g.end) + "  " + format_duration(g.duration()) +
                     ", " + std::to_string(std::lround(g.distance.km())) + " km" + (g.plausible ? "" : " (implausible speed)") + "\n";
            while (break_i < an.breaks.size() && an.breaks[break_i].gap.index_before == leg.last) {
                const Break& b = an.breaks[break_i++];
                o += "  No data " + format_duration(b.gap.duration()) + ", " + std::to_string(std::lround(b.gap.distance.km())) + " km  (" +
                     format_iso8601(b.gap.start) + " -> " + format_iso8601(b.gap.end) + "): not one flight, " + to_string(b.reason) + "\n";
            }
            while (stop_i < an.stops.size() && (l + 1 >= an.legs.size() || an.stops[stop_i].start <= an.legs[l + 1].departure_time)) {
                const Stop& st = an.stops[stop_i++];
                o += "  On ground at " + (st.airport ? airport_text(st.airport) : std::string("an unknown field")) + " " +
                     format_duration(st.duration()) + "  (" + format_iso8601(st.start) + " -> " + format_iso8601(st.end) +
                     (st.inferred ? ", inferred across missing data" : "") + ")\n";
            }
        }
    }
    return o;
}

}  // namespace fr::analysis
