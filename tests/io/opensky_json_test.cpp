// traffic-library OpenSky records JSON loader (src/io/formats/opensky_json.cpp).
#include <gtest/gtest.h>

#include <set>

#include "io/loader.hpp"
#include "json_test_support.hpp"

using namespace fr;
using fr::test::problems;
using fr::test::shared_data;
using fr::test::test_data;

TEST(OpenskyJson, SwitzerlandSplitsByAircraft) {
    const auto path = shared_data("xoolive-traffic/opensky_traffic_json/switzerland.json.gz");
    FR_REQUIRE_SHARED(path);
    const auto r = io::load_file(path);  // gzip, detected by content
    EXPECT_EQ(r.format, io::Format::opensky_json);
    EXPECT_EQ(r.rows_read, 139098u);
    EXPECT_EQ(r.tracks.size(), 842u);  // one per icao24
    std::size_t total = 0;
    std::set<std::string> icaos;
    TimePoint first = TimePoint::max(), last = TimePoint::min();
    for (const auto& t : r.tracks) {
        total += t.points.size();
        icaos.insert(t.aircraft.icao24);
        first = std::min(first, t.points.front().time());
        last = std::max(last, t.points.back().time());
    }
    EXPECT_EQ(icaos.size(), 842u);
    EXPECT_EQ(total, 139098u);
    EXPECT_EQ(format_iso8601(first), "2018-08-01T05:00:00Z");
    EXPECT_EQ(format_iso8601(last), "2018-08-01T21:59:50Z");
    // First record: DLH8JW 3003ae at 34975 ft, 443.49 kt (traffic's feet and knots).
    const auto& t0 = r.tracks.front();
    EXPECT_EQ(t0.aircraft.icao24, "3003ae");
    EXPECT_EQ(t0.aircraft.callsign, "DLH8JW");
    const auto& p = t0.points.front();
    EXPECT_EQ(format_iso8601(p.time()), "2018-08-01T05:27:30Z");
    EXPECT_NEAR(p.altitude()->m(), 34975 * 0.3048, 1e-2);  // 10660.38 m
    EXPECT_NEAR(p.ground_speed()->kt(), 443.4869, 1e-3);
}

TEST(OpenskyJson, NullPositionsAreCountedOnce) {
    const auto path = shared_data("xoolive-traffic/opensky_traffic_json/aircraft_carrier.json.gz");
    FR_REQUIRE_SHARED(path);
    const auto r = io::load_file(path);
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].aircraft.icao24, "ae0455");
    EXPECT_EQ(r.tracks[0].points.size(), 9024u - 1689u);
    ASSERT_FALSE(r.diagnostics.empty());
    const auto msg = format(r.diagnostics.items()[0]);
    EXPECT_NE(msg.find("aircraft_carrier.json.gz:1:2: warning: 1689 record(s) without a position"), std::string::npos) << msg;
}

TEST(OpenskyJson, SmallFileUnitsTimesAndGrounds) {
    const auto r = io::load_file(test_data("valid/json/traffic_small.json"));
    ASSERT_EQ(r.tracks.size(), 2u);
    const auto& a = r.tracks[0];
    EXPECT_EQ(a.aircraft.icao24, "3003ae");  // "3003AE" and "3003ae" are one aircraft
    EXPECT_EQ(a.aircraft.callsign, "DLH8JW");
    ASSERT_EQ(a.points.size(), 2u);
    // The second fix uses last_position (measured 0.5 s before the record's timestamp).
    EXPECT_EQ(format_iso8601(a.points[1].time(), true), "2018-08-01T05:27:39.500Z");
    const auto& b = r.tracks[1];
    EXPECT_EQ(b.aircraft.callsign, "EDW229");
    ASSERT_EQ(b.points.size(), 2u);
    EXPECT_EQ(b.points[0].on_ground(), OnGround::airborne);
    EXPECT_EQ(format_iso8601(b.points[1].time()), "2018-08-01T05:27:50Z");  // ISO string time
    EXPECT_EQ(b.points[1].on_ground(), OnGround::ground);
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_NE(format(r.diagnostics.items()[0]).find("traffic_small.json:5:1: warning: 1 record(s) without a position"), std::string::npos);
}

TEST(OpenskyJson, BadTimeNamesRecord) {
    const auto msg = problems(test_data("invalid/json/traffic_bad_record.json"));
    EXPECT_NE(msg.find("traffic_bad_record.json:3:14: [1].timestamp: warning: timestamp -5 is not an epoch time (s or ms) within "
                       "1990..2100 (record skipped)"),
              std::string::npos)
        << msg;
}
