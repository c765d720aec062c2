// Flightradar24 API loaders (src/io/formats/fr24api.cpp): flight-tracks, flight-summary and their join.
#include <gtest/gtest.h>

#include <cstdio>

#include "io/loader.hpp"
#include "json_test_support.hpp"
#include "text_loader_test_util.hpp"

using namespace fr;
using fr::test::has_diagnostic;
using fr::test::load_test_file;
using fr::test::test_data;

TEST(Fr24ApiTracks, OneTrackPerLegWithUnits) {
    const auto r = load_test_file("valid/json/fr24api_tracks_CPA830.json");
    EXPECT_EQ(r.format, io::Format::fr24api_tracks);
    EXPECT_TRUE(r.diagnostics.empty()) << fr::test::all_diagnostics(r);
    ASSERT_EQ(r.tracks.size(), 2u);
    const auto& t = r.tracks[0];
    EXPECT_EQ(t.fr24_id, "3930f673");
    EXPECT_EQ(t.aircraft.callsign, "CPA830");  // the first point's callsign is "": the next one is used
    ASSERT_EQ(t.points.size(), 4u);
    EXPECT_EQ(format_iso8601(t.points[0].time()), "2025-02-20T01:59:31Z");
    EXPECT_EQ(t.points[0].on_ground(), OnGround::ground);                       // alt 0 ft
    EXPECT_NEAR(t.points[2].altitude()->m(), 2475 * 0.3048, 1e-3);              // feet -> metres, 1 mm
    EXPECT_NEAR(t.points[2].ground_speed()->mps(), 181 * 1852.0 / 3600, 1e-3);  // knots -> m/s, 1 mm/s
    EXPECT_NEAR(t.points[3].track()->deg(), 62.0, 1e-4);
    EXPECT_EQ(t.points[3].on_ground(), OnGround::airborne);
    EXPECT_EQ(r.tracks[1].fr24_id, "39310a1c");
    EXPECT_EQ(r.tracks[1].aircraft.callsign, "CPA403");
}

TEST(Fr24ApiTracks, BadPointsNameFileLineAndField) {
    const auto r = load_test_file("invalid/json/fr24api_bad_points.json");
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].points.size(), 2u);  // the first and the ESTIMATED one
    const std::string f = "fr24api_bad_points.json";
    EXPECT_TRUE(has_diagnostic(r, f, 3, "timestamp \"2025-02-20 02:21\" is not an ISO 8601 UTC time"));
    EXPECT_TRUE(has_diagnostic(r, f, 4, "position 122.29533, 113.84876 is out of range"));
    EXPECT_TRUE(has_diagnostic(r, f, 5, "[0].tracks[3].alt"));
    EXPECT_TRUE(has_diagnostic(r, f, 5, "is not a finite JSON number"));
    EXPECT_TRUE(has_diagnostic(r, f, 6, "1 position(s) of leg 3930f673 have source ESTIMATED"));
    EXPECT_TRUE(has_diagnostic(r, f, 7, "no \"timestamp\""));
    EXPECT_EQ(r.rows_skipped, 4u);
}

TEST(Fr24ApiTracks, TruncatedFileSaysWhere) {
    const auto msg = fr::test::problems(test_data("invalid/json/fr24api_truncated.json"), io::Format::fr24api_tracks);
    EXPECT_NE(msg.find("fr24api_truncated.json:"), std::string::npos) << msg;
    // Cut off inside the first track: nothing before the cut to keep, and the message says where.
    EXPECT_NE(msg.find("the file ends inside an unfinished value at byte"), std::string::npos) << msg;
}

TEST(Fr24ApiSummary, JoinedOntoTracksByFr24Id) {
    const auto r = io::load_paths({test_data("valid/json/fr24api_tracks_CPA830.json"), test_data("valid/json/fr24api_summary.json")});
    ASSERT_EQ(r.tracks.size(), 2u);
    ASSERT_EQ(r.summaries.size(), 2u);
    const auto& t = r.tracks[0];
    ASSERT_TRUE(t.summary.has_value());
    EXPECT_EQ(t.aircraft.registration, "B-KPM");
    EXPECT_EQ(t.aircraft.type, "B77W");
    EXPECT_EQ(t.aircraft.icao24, "780a3b");
    EXPECT_EQ(t.summary->flight, "CX830");
    EXPECT_EQ(t.summary->origin_icao, "VHHH");
    EXPECT_EQ(t.summary->destination_icao, "CYYZ");
    ASSERT_TRUE(t.summary->takeoff && t.summary->landed);
    EXPECT_EQ(format_iso8601(*t.summary->takeoff), "2025-02-20T02:21:43Z");  // no zone in the file: UTC
    EXPECT_EQ(format_iso8601(*t.summary->landed), "2025-02-20T17:24:05Z");
    EXPECT_EQ(t.summary->flight_time->count(), 54142000);
    EXPECT_NEAR(t.summary->actual_distance->km(), 12742.6, 1e-6);
    EXPECT_NEAR(t.summary->great_circle_distance->km(), 12550.1, 1e-6);
    EXPECT_FALSE(r.tracks[1].summary.has_value()) << "39310a1c has no summary row";
    EXPECT_TRUE(r.tracks[1].aircraft.registration.empty());
}

TEST(Fr24ApiSummary, NullTimesStayUnknown) {
    const auto r = load_test_file("valid/json/fr24api_summary.json");
    EXPECT_EQ(r.format, io::Format::fr24api_summary);
    ASSERT_EQ(r.summaries.size(), 2u);
    EXPECT_FALSE(r.summaries[1].takeoff.has_value());
    EXPECT_FALSE(r.summaries[1].landed.has_value());
    EXPECT_TRUE(r.tracks.empty());
}

TEST(Fr24ApiSummary, LoadedInSeparateCallsJoinsLater) {
    // The CLI loads each input separately; the summaries come back for a later join.
    auto tracks = io::load_paths({test_data("valid/json/fr24api_tracks_CPA830.json")});
    const auto sum = io::load_paths({test_data("valid/json/fr24api_summary.json")});
    EXPECT_TRUE(sum.tracks.empty());
    ASSERT_EQ(sum.summaries.size(), 2u);
    EXPECT_FALSE(tracks.tracks[0].summary.has_value());
    EXPECT_EQ(io::detail::join_summaries(tracks.tracks, sum.summaries), 1u);
    ASSERT_TRUE(tracks.tracks[0].summary.has_value());
    EXPECT_EQ(tracks.tracks[0].aircraft.registration, "B-KPM");
}

TEST(Fr24ApiSummary, BadRowsNamed) {
    const auto r = load_test_file("invalid/json/fr24api_summary_bad.json", io::Format::fr24api_summary);
    const std::string f = "fr24api_summary_bad.json";
    EXPECT_TRUE(has_diagnostic(r, f, 2, "without \"fr24_id\""));
    EXPECT_TRUE(has_diagnostic(r, f, 3, "datetime_takeoff \"20/02/2025 02:21\" is not a time"));
    EXPECT_TRUE(has_diagnostic(r, f, 3, "flight_time '-5' is not a non-negative number"));
    ASSERT_EQ(r.summaries.size(), 1u);
    EXPECT_FALSE(r.summaries[0].takeoff.has_value());
}

// Real positions: the FR24 web playback sample of JL516 rewritten in the API's layout must load
// to the same fixes.
TEST(Fr24ApiTracks, SameFixesAsThePlaybackJsonOfTheSameFlight) {
    const auto src = fr::test::shared_data("xoolive-traffic/fr24_json/3376ab31.json");
    FR_REQUIRE_SHARED(src);
    const auto ref = io::load_file(src).tracks.at(0);
    std::string json = "[{\"fr24_id\": \"3376ab31\", \"tracks\": [";
    char buf[512];
    for (std::size_t i = 0; i < ref.points.size(); ++i) {
        const auto& p = ref.points[i];
        std::snprintf(buf, sizeof buf,
                      "%s{\"timestamp\": \"%s\", \"lat\": %.6f, \"lon\": %.6f, \"alt\": %.0f, \"gspeed\": %.0f, \"vspeed\": 0, "
                      "\"track\": %.0f, \"squawk\": \"0\", \"callsign\": \"%s\", \"source\": \"ADSB\"}",
                      i ? ",\n" : "\n", format_iso8601(p.time()).c_str(), p.lat_deg(), p.lon_deg(),
                      p.altitude() ? p.altitude()->m() / 0.3048 : 0.0, p.ground_speed() ? p.ground_speed()->kt() : 0.0,
                      p.track() ? p.track()->deg() : 0.0, ref.aircraft.callsign.c_str());
        json += buf;
    }
    json += "]}]\n";
    fr::test::TempDir dir;
    const auto r = io::load_file(dir.write("JL516_api.json", json));
    ASSERT_EQ(r.format, io::Format::fr24api_tracks);
    ASSERT_EQ(r.tracks.size(), 1u);
    const auto& t = r.tracks[0];
    ASSERT_EQ(t.points.size(), ref.points.size());
    EXPECT_EQ(t.aircraft.callsign, "JAL516");
    for (std::size_t i = 0; i < t.points.size(); ++i) {
        EXPECT_EQ(t.points[i].time(), ref.points[i].time()) << i;
        EXPECT_NEAR(t.points[i].lat_deg(), ref.points[i].lat_deg(), 1e-6) << i;              // printed to 6 decimals
        EXPECT_NEAR(t.points[i].altitude()->m(), ref.points[i].altitude()->m(), 0.16) << i;  // 0.5 ft
        EXPECT_EQ(t.points[i].on_ground(), ref.points[i].on_ground()) << i;
    }
}

TEST(Fr24ApiEvents, GateAndRunwayTimesJoinedWithTheSummary) {
    const auto r = io::load_paths({test_data("valid/json/fr24api_tracks_CPA830.json"), test_data("valid/json/fr24api_events.json"),
                                   test_data("valid/json/fr24api_summary.json")});
    ASSERT_EQ(r.tracks.size(), 2u);
    const auto& s = r.tracks[0].summary;
    ASSERT_TRUE(s.has_value());
    ASSERT_TRUE(s->gate_departure && s->gate_arrival && s->takeoff && s->landed);
    EXPECT_EQ(format_iso8601(*s->gate_departure), "2025-02-20T02:05:12Z");
    EXPECT_EQ(format_iso8601(*s->gate_arrival), "2025-02-20T17:35:40Z");
    EXPECT_EQ(format_iso8601(*s->takeoff), "2025-02-20T02:21:43Z");
    EXPECT_EQ(r.tracks[0].aircraft.registration, "B-KPM") << "from the summary file, combined with the events";
    EXPECT_EQ(io::load_file(test_data("valid/json/fr24api_events.json")).format, io::Format::fr24api_events);
    ASSERT_TRUE(r.tracks[1].summary.has_value());
    EXPECT_EQ(format_iso8601(*r.tracks[1].summary->takeoff), "2025-02-20T03:25:00Z");
    EXPECT_FALSE(r.tracks[1].summary->landed.has_value());
}

TEST(Fr24ApiEvents, BadRowsNamed) {
    const auto e = load_test_file("invalid/json/fr24api_events_bad.json", io::Format::fr24api_events);
    EXPECT_TRUE(has_diagnostic(e, "fr24api_events_bad.json", 2, "without \"fr24_id\""));
    EXPECT_TRUE(has_diagnostic(e, "fr24api_events_bad.json", 4, "takeoff event time \"20 Feb 2025 03:25\" is not an ISO 8601"));
    EXPECT_TRUE(has_diagnostic(e, "fr24api_events_bad.json", 4, "data[1].events[0].timestamp"));
    ASSERT_EQ(e.summaries.size(), 1u);
    EXPECT_FALSE(e.summaries[0].takeoff.has_value());
}

// The fast walker and the On-Demand reader give the same result on every committed file
// (the fast one gives up on anything unusual) and on the real JL516 flight in the API layout.
TEST(Fr24ApiTracks, FastAndOnDemandReadersAgree) {
    for (const char* f :
         {"valid/json/fr24api_tracks_CPA830.json", "invalid/json/fr24api_bad_points.json", "invalid/json/fr24api_truncated.json",
          "valid/json/fr24api_summary.json", "invalid/json/fr24_trail_bad.json", "valid/json/readsb_small.json"}) {
        const auto text = fr::test::read_test_file(f);
        ASSERT_FALSE(text.empty()) << f;
        EXPECT_EQ(
            io::detail::first_difference(io::detail::load_fr24api_tracks(f, text), io::detail::load_fr24api_tracks_on_demand(f, text)), "")
            << f;
    }
    // Variants of the clean file the fast reader must hand over or read identically.
    const auto clean = fr::test::read_test_file("valid/json/fr24api_tracks_CPA830.json");
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{{"\"alt\": 2475", "\"alt\": null"},
                                                                                   {"\"ADSB\"", "\"ESTIMATED\""},
                                                                                   {"\"CPA830\"", "\"CPA\\u0038\""},
                                                                                   {"\"lat\": 22.3187", "\"lat\": 22.3187e0"},
                                                                                   {"02:22:10Z", "01:22:10Z"},
                                                                                   {"\"track\": 70", "\"track\": [70]"}}) {
        std::string t = clean;
        t.replace(t.find(from), from.size(), to);
        EXPECT_EQ(io::detail::first_difference(io::detail::load_fr24api_tracks("x", t), io::detail::load_fr24api_tracks_on_demand("x", t)),
                  "")
            << from << " -> " << to;
    }
}
