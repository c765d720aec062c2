// Evaluation over every real recording the project is tested with (../shared/data beside the
// repository; skipped when absent): the legs, stops and airports a person reading each track
// gives, written down after looking at the track (altitude, speed, ground flags, positions
// against the airport table), compared with what the full pipeline (load, merge, outliers,
// analysis) says. Prints a score; fails on any difference.
#include <gtest/gtest.h>

#include <sstream>

#include "analysis/report_json.hpp"
#include "app/pipeline.hpp"
#include "test_paths.hpp"

namespace {

using namespace fr;

struct ExpectedLeg {
    std::string from, to;  // ICAO; "" = unknown (no airport the track leads to); "*" = not judged
};

struct Case {
    std::string file;       // relative to the shared data folder
    std::string aircraft;   // callsign or ICAO address of the flight to judge ("" = the only one)
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
        o << "[" << (l.departure_airport ? l.departure_airport->icao : "") << "->" << (l.arrival_airport ? l.arrival_airport->icao : "") << "]";
    o << " stops:";
    for (const auto& s : a.stops) o << " " << (s.airport ? s.airport->icao : "?");
    if (a.ground_only) o << " ground-only";
    return o.str();
}

std::string judge(const Case& c, std::string& got) {
    const auto path = test::shared_data(c.file);
    app::LoadRequest req;
    req.inputs = {path};
    if (!c.aircraft.empty()) req.aircraft = {c.aircraft};
    const auto data = app::load_and_analyse(req);
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
    static const std::vector<Case> c = {
    };
    return c;
}

}  // namespace
