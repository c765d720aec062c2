// to_json / to_table on a small synthetic flight with a stop and a gap.
#include <gtest/gtest.h>

#include "analysis/report_json.hpp"

namespace {

using namespace fr;
using namespace std::chrono_literals;

struct Sample {
    Flight flight;
    analysis::FlightAnalysis an;
};

Sample sample() {
    Sample s;
    s.flight.aircraft = {"4b1805", "RA-\"86559\"", "RFF7203", "IL62"};
    s.flight.provenance = Provenance::reconstructed;
    s.flight.sources = {"a\\b.csv", "tab\there.csv"};
    const TimePoint t0 = *parse_iso8601("2023-07-31T05:11:31Z");
    const LatLon zkpy = LatLon::from_degrees(39.224098, 125.669998);
    analysis::AirportRef ref{"ZKPY", "FNJ", "Pyongyang Sunan International Airport", zkpy};
    analysis::Leg leg;
    leg.callsign = "RFF7203";
    leg.first = 0;
    leg.last = 9;
    leg.departure_time = t0;
    leg.arrival_time = t0 + 8h;
    leg.arrival_airport = ref;
    leg.distance_flown = Length::metres(6500000.25);
    leg.distance_great_circle = Length::metres(6377784.178);
    leg.max_altitude = Length::metres(10668);
    leg.mean_ground_speed = Speed::metres_per_second(225.5);
    leg.gaps.push_back({t0 + 1h, t0 + 1h + 26min, 3, Length::metres(350000), true});
    s.an.legs.push_back(leg);
    s.an.stops.push_back({ref, zkpy, t0 + 8h, t0 + 8h + 36h + 4min, false, 9, 10});
    return s;
}

TEST(ReportJson, SchemaFieldsAndEscaping) {
    const Sample s = sample();
    const std::string j = analysis::to_json({s.flight}, {s.an});
    for (const char* want : {
             "\"aircraft\": {\"id\": \"4b1805\", \"callsign\": \"RFF7203\", \"registration\": \"RA-\\\"86559\\\"\", \"type\": \"IL62\"}",
             "\"provenance\": \"reconstructed\"",
             "\"sources\": [\"a\\\\b.csv\", \"tab\\there.csv\"]",
             "\"points\": 10",
             "\"schema_version\": 2",
             "\"departure\": {\"time\": \"2023-07-31T05:11:31Z\", \"airport\": null, \"airport_inferred\": false}",
             "\"arrival\": {\"time\": \"2023-07-31T13:11:31Z\", \"airport\": {\"icao\": \"ZKPY\", \"iata\": \"FNJ\", \"name\": \"Pyongyang "
             "Sunan International Airport\"}, \"airport_inferred\": false}",
             "\"distance_flown_m\": 6500000.250",
             "\"distance_great_circle_m\": 6377784.178",
             "\"max_altitude_m\": 10668.000",
             "\"mean_ground_speed_mps\": 225.500",
             "{\"start\": \"2023-07-31T06:11:31Z\", \"end\": \"2023-07-31T06:37:31Z\", \"duration_s\": 1560.000, \"distance_m\": "
             "350000.000, \"plausible\": true}",
             "\"start\": \"2023-07-31T13:11:31Z\", \"end\": \"2023-08-02T01:15:31Z\", \"duration_s\": 129840.000, \"inferred\": false",
         })
        EXPECT_NE(j.find(want), std::string::npos) << "missing: " << want << "\nin:\n" << j;
}

TEST(ReportJson, EscapesControlCharacters) {
    EXPECT_EQ(analysis::json_escape(std::string("a\"b\\c\n\x01\xc3\xa9")), "a\\\"b\\\\c\\n\\u0001\xc3\xa9");
}

TEST(ReportJson, SizeMismatchThrows) { EXPECT_THROW(analysis::to_json({Flight{}}, {}), std::invalid_argument); }

TEST(ReportTable, StopLineUsesFormatDuration) {
    const Sample s = sample();
    const std::string t = analysis::to_table({s.flight}, {s.an});
    EXPECT_NE(t.find("On ground at Pyongyang Sunan International Airport (ZKPY) 36 h 04 min"), std::string::npos) << t;
    EXPECT_NE(t.find("Coverage gap 2023-07-31T06:11:31Z -> 2023-07-31T06:37:31Z  26 min"), std::string::npos) << t;
    EXPECT_NE(t.find("[reconstructed data]"), std::string::npos) << t;
    EXPECT_NE(t.find("unknown -> Pyongyang Sunan International Airport (ZKPY)"), std::string::npos) << t;
}

}  // namespace
