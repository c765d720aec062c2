// Evaluation over every real recording the project is tested with (../shared/data beside the
// repository; skipped when absent): the legs, stops and airports a person reading each track
// gives, written down after looking at the track (altitude, speed, ground flags, positions
// against the airport table), compared with what the full pipeline (load, merge, outliers,
// analysis) says. Prints a score; fails on any difference.
#include <gtest/gtest.h>

#include <sstream>

#include "analysis/report_json.hpp"
#include "pipeline/pipeline.hpp"
#include "test_paths.hpp"

namespace {

using namespace fr;

struct ExpectedLeg {
    std::string from, to;  // ICAO; "" = unknown (no airport the track leads to); "*" = not judged
};

struct Case {
    std::string file;      // relative to the shared data folder
    std::string aircraft;  // callsign or ICAO address of the flight to judge ("" = the only one)
    std::vector<ExpectedLeg> legs;
    std::vector<std::string> stops;  // stop airports in order ("" = a stop away from any airport)
    bool ground_only = false;
    std::string why;  // what a reader of the track sees
};

// Filled in after looking at each track; see `why`.
const std::vector<Case>& cases();

std::string describe(const analysis::FlightAnalysis& a) {
    std::ostringstream o;
    for (const auto& l : a.legs)
        o << "[" << (l.departure_airport ? l.departure_airport->icao : "") << "->" << (l.arrival_airport ? l.arrival_airport->icao : "")
          << "]";
    o << " stops:";
    for (const auto& s : a.stops) o << " " << (s.airport ? s.airport->icao : "?");
    if (a.ground_only) o << " ground-only";
    return o.str();
}

std::string judge(const Case& c, std::string& got) {
    const auto path = test::shared_data(c.file);
    pipeline::LoadRequest req;
    req.inputs = {path};
    if (!c.aircraft.empty()) req.aircraft = {c.aircraft};
    const auto data = pipeline::load_and_analyse(req);
    if (data.flights.size() != 1) return "expected one flight, got " + std::to_string(data.flights.size());
    const auto& a = data.analyses[0];
    got = describe(a);
    if (a.ground_only != c.ground_only) return "ground_only differs";
    if (a.legs.size() != c.legs.size()) return "leg count differs";
    for (std::size_t i = 0; i < c.legs.size(); ++i) {
        const auto& l = a.legs[i];
        const std::string from = l.departure_airport ? l.departure_airport->icao : "";
        const std::string to = l.arrival_airport ? l.arrival_airport->icao : "";
        if (c.legs[i].from != "*" && c.legs[i].from != from) return "leg " + std::to_string(i + 1) + " departure differs";
        if (c.legs[i].to != "*" && c.legs[i].to != to) return "leg " + std::to_string(i + 1) + " arrival differs";
    }
    if (a.stops.size() != c.stops.size()) return "stop count differs";
    for (std::size_t i = 0; i < c.stops.size(); ++i) {
        const std::string at = a.stops[i].airport ? a.stops[i].airport->icao : "";
        if (at != c.stops[i]) return "stop " + std::to_string(i + 1) + " airport differs";
    }
    return {};
}

TEST(RealDataEvaluation, EveryRecordingTellsWhatAReaderSees) {
    if (!std::filesystem::exists(test::shared_data(".")))
        GTEST_SKIP() << "shared recorded data not found at " << test::shared_data(".") << " (absent in a fresh clone)";
    std::size_t ok = 0, total = 0;
    std::ostringstream report;
    for (const auto& c : cases()) {
        if (!std::filesystem::exists(test::shared_data(c.file))) continue;
        ++total;
        std::string got;
        const std::string diff = judge(c, got);
        if (diff.empty()) ++ok;
        report << (diff.empty() ? "  ok    " : "  FAIL  ") << c.file << (c.aircraft.empty() ? "" : " " + c.aircraft) << ": " << got
               << (diff.empty() ? "" : "  <- " + diff + " (" + c.why + ")") << "\n";
    }
    std::cout << "real-data evaluation: " << ok << " of " << total << " flights as a reader sees them\n" << report.str();
    EXPECT_EQ(ok, total) << report.str();
    EXPECT_GT(total, 0u);
}

const std::vector<Case>& cases() {
    // clang-format off
    static const std::vector<Case> c = {
        {"xoolive-traffic/readsb/trace_full_ac671b.json", "", {{"", "KMSP"}, {"KMSP", "KGEG"}, {"KGEG", "KMSP"}, {"KMSP", "KDEN"}}, {"KMSP", "KGEG", "KMSP"}, false,
         "N899DN's day: first seen cruising over Belize, parked at MSP, overnight at Spokane hidden in a 503-min gap (descending 8,450 ft before, climbing 11,275 ft after), MSP again, ends on the ground at DEN"},
        {"xoolive-traffic/fr24_csv/20171214_KL1300_(fd43298).csv", "", {{"LFBO", "EHAM"}}, {}, false,
         "KL1300 Toulouse-Amsterdam: starts climbing through 2,905 ft off Toulouse, ends on the Schiphol approach at 1,500 ft"},
        {"xoolive-traffic/fr24_csv/JL516_3376ab31.csv", "", {{"RJCC", "RJTT"}}, {}, false, "JAL516 New Chitose-Haneda from gate to runway"},
        {"xoolive-traffic/fr24_json/2ce4f83f.json", "", {{"WMSA", "RCSS"}}, {}, false, "SPAR19 Subang-Taipei Songshan"},
        {"xoolive-traffic/fr24_json/3376ab31.json", "", {{"RJCC", "RJTT"}}, {}, false, "JAL516, the same flight as the CSV"},
        {"xoolive-traffic/fr24_json/34a8254b.json", "", {{"LSZH", "MMUN"}}, {}, false, "EDW24 Zurich-Cancun, a 26-min mid-Atlantic hole inside the leg"},
        {"xoolive-traffic/fr24_json/372355e5.json", "", {{"LTFM", "ENGM"}}, {}, false, "THY9BP Istanbul-Oslo"},
        {"xoolive-traffic/opensky_traffic_json/airbus_tree.json.gz", "", {{"EDHI", "EDHI"}}, {}, false,
         "Airbus test flight: first fix 1 km off the Finkenwerder runway end at 629 ft, lands back there (not Hamburg EDDH, 14 km away)"},
        {"xoolive-traffic/opensky_traffic_json/aircraft_carrier.json.gz", "", {{"KNZY", ""}, {"", ""}, {"", ""}, {"", "KNZY"}}, {"", "", ""}, false,
         "Navy aircraft from North Island: three carrier landings at sea (down to 25-50 ft at 90 kt, silent 13-31 min, up again 14 km on), back to North Island"},
        {"xoolive-traffic/opensky_traffic_json/dreamliner_boeing.json.gz", "", {{"KBFI", "KBFI"}}, {}, false, "the 18-hour 787 drawing flight, Boeing Field and back"},
        {"xoolive-traffic/opensky_traffic_json/elal747.json.gz", "", {{"LIRF", "LLBG"}}, {}, false, "ELY1747 Rome-Tel Aviv from the ground to the ground"},
        {"xoolive-traffic/opensky_traffic_json/kiwi.json.gz", "", {{"NZCH", "NZCH"}}, {}, false, "ANZ4376 Christchurch and back"},
        {"xoolive-traffic/opensky_traffic_json/noisy_landing.json.gz", "", {{"", "LSZH"}}, {}, false, "first seen descending through 14,150 ft, ends on the Zurich approach"},
        {"xoolive-traffic/opensky_traffic_json/noisy_time_issue.json.gz", "", {{"LPPR", "LSZH"}}, {}, false,
         "starts climbing through 350 ft off Porto, ends on the Zurich approach; spurious altitudes in between"},
        {"xoolive-traffic/opensky_traffic_json/qantas747.json.gz", "", {{"YSSY", ""}}, {}, false, "the last Qantas 747 out of Sydney; the data end at cruise over the Tasman Sea"},
        // SAVAN: a calibration aircraft over a month. Legs 4/5: it vanished at 6,500 ft near Ile d'Yeu and
        // reappeared 2 h later 26 km away near La Roche-sur-Yon; where it landed is not in the data ("*").
        {"xoolive-traffic/opensky_traffic_json/savan.json.gz", "",
         {{"", ""}, {"LFBO", "LFOK"}, {"LFOK", "LFBO"}, {"LFBO", "*"}, {"*", "LFSD"}, {"LFSD", "LFOH"}, {"LFOH", "LFBO"}, {"LFBO", "LFOK"}, {"LFOK", "LFBO"},
          {"LFBO", "LFOK"}, {"LFOK", "LFBO"}, {"LFBO", "LFMV"}, {"LFMV", "LFPB"}, {"LFPB", "LFBH"}, {"LFBH", "LFBO"}, {"LFBO", "LFOH"}, {"LFOH", "LFBO"}},
         {"LFBO", "LFOK", "LFBO", "LFSD", "LFOH", "LFBO", "LFOK", "LFBO", "LFOK", "LFBO", "LFMV", "LFPB", "LFBH", "LFBO", "LFOH"}, false,
         "first flight seen only at altitude, then 117 h unseen; out-and-back calibration flights from Toulouse with landings at Vatry, Dijon, Le Havre, Avignon, La Rochelle"},
        {"xoolive-traffic/opensky_traffic_json/zurich_airport.json.gz", "0083c3", {{"", "LSZH"}}, {}, false, "CAI3208 lands from short final and taxis in"},
        {"xoolive-traffic/opensky_traffic_json/zurich_airport.json.gz", "4d20cd", {{"", "LSZH"}}, {}, false, "VJT796 lands and taxis 35 min; one 38,000 ft fix among ground fixes"},
        {"xoolive-traffic/opensky_traffic_json/zurich_airport.json.gz", "4b17e5", {}, {}, true, "SWISS towed across the apron at walking pace"},
        {"xoolive-traffic/opensky_traffic_json/zurich_airport.json.gz", "4b18b8", {{"", "LSZH"}}, {}, false, "EDW229 lands"},
        {"xoolive-traffic/opensky_traffic_json/zurich_airport.json.gz", "c01074", {{"LSZH", ""}}, {}, false, "ACA879 taxis out and departs"},
        {"xoolive-traffic/opensky_traffic_json/zurich_airport.json.gz", "4b1614", {{"LSZH", ""}}, {}, false,
         "SWR137H departs; garbage FL200-FL300 altitudes interleaved while at the gate"},
        {"xoolive-traffic/opensky_traffic_json/zurich_airport.json.gz", "4b160e", {{"LSZH", "LSZH"}}, {}, false, "SWR5220: a 3.5 h test flight over the Black Forest, back to Zurich"},
        {"xoolive-traffic/opensky_traffic_json/zurich_airport.json.gz", "4b17fd", {}, {}, true, "SWR75C stays on the ground"},
        {"xoolive-traffic/opensky_traffic_json/zurich_airport.json.gz", "4690e2", {{"LSZH", ""}}, {}, false, "AEE5ZH departs"},
        {"xoolive-traffic/opensky_traffic_json/zurich_airport.json.gz", "4891b6", {{"LSZH", ""}}, {}, false, "ENT57BW departs"},
        {"marcin-osowski-igc_lib/flight_with_middle_landing.igc", "", {{"", ""}, {"", ""}}, {""}, false, "paraglider lands at its hill launch site (no airport) and relaunches"},
        {"marcin-osowski-igc_lib/napret.igc", "", {{"", ""}}, {}, false, "glider flight, no airport in the table"},
        {"marcin-osowski-igc_lib/new_zealand.igc", "", {{"", ""}}, {}, false, "glider flight, no airport in the table"},
        {"marcin-osowski-igc_lib/olsztyn.igc", "", {{"", ""}}, {}, false, "glider flight, no airport in the table"},
        {"till213-SkyDolly/2022-01-31-XYY-EXAMPLE-02.IGC", "", {{"", ""}}, {}, false, "LS8 glider flight"},
        {"till213-SkyDolly/FlightAware_DLH1534_LSZH_EDDF_20210817.kml", "", {{"LSZH", "EDDF"}}, {}, false, "DLH1534 Zurich-Frankfurt, airborne at both ends of the export"},
        {"till213-SkyDolly/FlightRadar24.csv", "", {}, {}, true, "ANZ1005 pushes back and taxis at LAX, 0-9 kt: no flight"},
        {"till213-SkyDolly/FlightRadar24_FZ981-922b3bd.kml", "", {}, {}, true, "FZ981 taxiing at Dubai, altitude 0 throughout: no flight"},
    };
    // clang-format on
    return c;
}

}  // namespace
