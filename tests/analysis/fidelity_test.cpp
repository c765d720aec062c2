// Generated tricky cases where a naive analysis tells a false story: flights merged by callsign,
// gate creep before a gap, altitude spikes, multi-day gaps, an airborne start between two
// airports, a towed aircraft, a profile across a stop. Each case states what a person reading
// the track would say, and the test checks that the analysis says the same.
#include <gtest/gtest.h>

#include "analysis/analysis.hpp"
#include "analysis/cleaning.hpp"
#include "analysis/report_json.hpp"
#include "analysis/thresholds.hpp"
#include "geo/geodesic.hpp"

namespace {

using namespace fr;
using namespace std::chrono_literals;
namespace th = fr::analysis::thresholds;

const TimePoint kT0 = *parse_iso8601("2024-03-10T00:00:00Z");

// Two real airports 14 km apart with parallel runways 05/23: Hamburg (large, scheduled) and
// Hamburg-Finkenwerder (medium, the Airbus works field). Coordinates and runway ends from
// OurAirports.
analysis::AirportTable hamburg() {
    std::vector<io::Airport> v;
    io::Airport eddh{"EDDH",
                     "HAM",
                     "Hamburg Airport",
                     "Hamburg",
                     "DE",
                     LatLon::from_degrees(53.630401611328, 9.9882297515869),
                     Length::feet(53),
                     io::AirportSize::large,
                     true,
                     false};
    eddh.runways.push_back(
        {"05", "23", 50.3, Length::feet(10663), LatLon::from_degrees(53.6183, 9.96371), LatLon::from_degrees(53.6371, 10.0018)});
    eddh.runways.push_back(
        {"15", "33", 152.8, Length::feet(12028), LatLon::from_degrees(53.6544, 9.97521), LatLon::from_degrees(53.6251, 10.0005)});
    io::Airport edhi{"EDHI",
                     "XFW",
                     "Hamburg-Finkenwerder Airport",
                     "Hamburg",
                     "DE",
                     LatLon::from_degrees(53.5352783203125, 9.835556030273438),
                     Length::feet(23),
                     io::AirportSize::medium,
                     false,
                     false};
    edhi.runways.push_back(
        {"05", "23", 52.0, Length::feet(8629), LatLon::from_degrees(53.5286, 9.82149), LatLon::from_degrees(53.5433, 9.85266)});
    v.push_back(eddh);
    v.push_back(edhi);
    // Hong Kong and New York JFK for the same-callsign cases.
    v.push_back({"VHHH", "HKG", "Hong Kong International Airport", "Hong Kong", "HK", LatLon::from_degrees(22.308901, 113.915001),
                 Length::feet(28), io::AirportSize::large, true, false});
    v.push_back({"KJFK", "JFK", "John F Kennedy International Airport", "New York", "US", LatLon::from_degrees(40.639801, -73.7789),
                 Length::feet(13), io::AirportSize::large, true, false});
    return analysis::AirportTable(std::move(v));
}

TrackPoint fix(double t_s, LatLon p, std::optional<double> alt_ft, std::optional<double> gs_kt, OnGround g = OnGround::unknown) {
    TrackPoint tp(kT0 + std::chrono::milliseconds(std::llround(t_s * 1000)), p);
    if (alt_ft) tp.set_altitude(Length::feet(*alt_ft));
    if (gs_kt) tp.set_ground_speed(Speed::knots(*gs_kt));
    tp.set_on_ground(g);
    return tp;
}

// Appends fixes every `step` s for `dur` s flying from p on azimuth az at v m/s, altitude
// linear from a0 to a1 ft. Returns the end position.
LatLon fly(std::vector<TrackPoint>& pts, double t, double dur, LatLon p, double az, double v, double a0, double a1, double step = 30) {
    LatLon q = p;
    for (double s = 0; s <= dur + 1e-9; s += step) {
        q = geo::direct(p, Angle::degrees(az), Length::metres(v * s));
        pts.push_back(fix(t + s, q, a0 + (a1 - a0) * (dur > 0 ? s / dur : 0), Speed::metres_per_second(v).kt(), OnGround::airborne));
    }
    return q;
}

void ground(std::vector<TrackPoint>& pts, double t, double dur, LatLon p, double step = 20, double gs_kt = 0.0) {
    for (double s = 0; s <= dur + 1e-9; s += step) pts.push_back(fix(t + s, p, 0.0, gs_kt, OnGround::ground));
}

// An FR24-style flight between two airports without an ICAO address: taxi at the origin, a
// great-circle flight at 250 m/s and FL350, taxi at the destination. No on-ground flags: FR24
// writes 0 ft on the ground.
Track fr24_flight(const std::string& callsign, LatLon from, LatLon to, double t0, const std::string& file) {
    Track t;
    t.aircraft.callsign = callsign;
    t.source = file;
    auto add = [&](double ts, LatLon p, double alt, double gs) { t.points.push_back(fix(ts, p, alt, gs)); };
    for (int i = 0; i < 10; ++i) add(t0 + i * 60, from, 0, i < 5 ? 0 : 12);
    const auto inv = geo::inverse(from, to);
    const double v = 250.0, dur = inv.distance.m() / v;
    double ts = t0 + 600;
    for (double s = 60; s < dur; s += 120)
        add(ts + s, geo::direct(from, inv.azimuth1, Length::metres(v * s)), s < 1200 || dur - s < 1200 ? 8000 : 35000, 480);
    ts += dur + 60;
    for (int i = 0; i < 10; ++i) add(ts + i * 60, to, 0, i < 5 ? 15 : 0);
    return t;
}

TEST(Fidelity, SameCallsignOnConsecutiveDaysStaysTwoFlights) {
    // HKG-JFK flown under one callsign on two days, exported as two FR24 CSVs (no ICAO address).
    const auto hkg = LatLon::from_degrees(22.308901, 113.915001), jfk = LatLon::from_degrees(40.639801, -73.7789);
    Track d1 = fr24_flight("CPA840", hkg, jfk, 0, "CPA840_day1.csv");
    Track d2 = fr24_flight("CPA840", hkg, jfk, 86400, "CPA840_day2.csv");
    auto flights = merge_tracks({d1, d2});
    ASSERT_EQ(flights.size(), 2u);
    for (const auto& f : flights) {
        const auto a = analysis::analyse(f, hamburg());
        ASSERT_EQ(a.legs.size(), 1u) << analysis::to_table(flights, {a, a});
        EXPECT_TRUE(a.stops.empty());
        ASSERT_TRUE(a.legs[0].departure_airport);
        ASSERT_TRUE(a.legs[0].arrival_airport);
        EXPECT_EQ(a.legs[0].departure_airport->icao, "VHHH");
        EXPECT_EQ(a.legs[0].arrival_airport->icao, "KJFK");
    }
    // The second flight says why it was not joined to the first.
    ASSERT_FALSE(flights[1].merge_notes.empty());
    EXPECT_NE(flights[1].merge_notes[0].find("kept apart"), std::string::npos) << flights[1].merge_notes[0];
    // The old rule (--merge callsign) still merges them, as asked.
    EXPECT_EQ(merge_tracks({d1, d2}, MergeMode::callsign).size(), 1u);
}

TEST(Fidelity, OutAndBackUnderOneCallsignJoinsAtTheSameAirport) {
    // JFK-HKG then HKG-JFK a day later, same callsign: the first ends where the second starts.
    const auto hkg = LatLon::from_degrees(22.308901, 113.915001), jfk = LatLon::from_degrees(40.639801, -73.7789);
    Track out = fr24_flight("XYZ1", jfk, hkg, 0, "out.csv");
    const double out_end_s = to_unix_seconds(out.points.back().time()) - to_unix_seconds(kT0);
    Track back = fr24_flight("XYZ1", hkg, jfk, out_end_s + 30000, "back.csv");
    auto flights = merge_tracks({back, out});
    ASSERT_EQ(flights.size(), 1u);
    ASSERT_EQ(flights[0].merge_notes.size(), 1u);
    EXPECT_NE(flights[0].merge_notes[0].find("on the ground"), std::string::npos) << flights[0].merge_notes[0];
    const auto a = analysis::analyse(flights[0], hamburg());
    ASSERT_EQ(a.legs.size(), 2u);
    ASSERT_EQ(a.stops.size(), 1u);
    ASSERT_TRUE(a.stops[0].airport);
    EXPECT_EQ(a.stops[0].airport->icao, "VHHH");
    // Never joined: apart across files (--merge never), one flight each.
    EXPECT_EQ(merge_tracks({back, out}, MergeMode::never).size(), 2u);
}

TEST(Fidelity, ImpossibleJoinOfOneIcaoAddressIsSplit) {
    Track a, b;
    a.aircraft.icao24 = b.aircraft.icao24 = "4b1805";
    a.source = "a.json";
    b.source = "b.json";
    fly(a.points, 0, 600, LatLon::from_degrees(47.0, 8.0), 90, 230, 35000, 35000);
    // Ten minutes later 3,000 km away: 5,000 m/s.
    fly(b.points, 1200, 600, LatLon::from_degrees(47.0, 50.0), 90, 230, 35000, 35000);
    auto flights = merge_tracks({a, b});
    ASSERT_EQ(flights.size(), 2u);
    EXPECT_NE(flights[1].merge_notes.at(0).find("would need"), std::string::npos) << flights[1].merge_notes[0];
    // Possible: 100 km in 10 minutes (167 m/s) merges.
    Track c = b;
    c.points.clear();
    fly(c.points, 1200, 600, geo::direct(LatLon::from_degrees(47.0, 8.0), Angle::degrees(90), Length::kilometres(238)), 90, 230, 35000,
        35000);
    EXPECT_EQ(merge_tracks({a, c}).size(), 1u);
    EXPECT_EQ(merge_tracks({a, c}, MergeMode::icao).size(), 1u);
}

TEST(Fidelity, OverlappingSourcesOfOneFlightMergeButNotOfTwo) {
    Track a, b, c;
    a.aircraft.callsign = b.aircraft.callsign = c.aircraft.callsign = "DLH4";
    fly(a.points, 0, 3600, LatLon::from_degrees(50.0, 8.0), 270, 240, 35000, 35000, 60);
    fly(b.points, 15, 3600, LatLon::from_degrees(50.0, 8.0), 270, 240, 35000, 35000, 60);  // the same path, 15 s offset
    fly(c.points, 15, 3600, LatLon::from_degrees(40.0, -3.0), 90, 240, 35000, 35000, 60);  // elsewhere at the same time
    EXPECT_EQ(merge_tracks({a, b}).size(), 1u);
    EXPECT_EQ(merge_tracks({a, c}).size(), 2u);
}

TEST(Fidelity, GateCreepThenGapIsNoLegAndNoStop) {
    // Four minutes of creeping at the Finkenwerder apron (one fix moves 30 m), 50 minutes with
    // no data, then the climb-out from runway 23 already airborne.
    const auto apron = LatLon::from_degrees(53.5360, 9.8370);
    std::vector<TrackPoint> pts;
    ground(pts, 0, 240, apron, 20, 3);
    const auto rwy_end = LatLon::from_degrees(53.5286, 9.82149);
    fly(pts, 240 + 3000, 1200, rwy_end, 232, 120, 800, 12000);
    Flight f{{"3c6500", "", "AIB01", ""}, pts, Provenance::recorded, {"x"}, {}};
    const auto a = analysis::analyse(f, hamburg());
    ASSERT_EQ(a.legs.size(), 1u) << analysis::to_table({f}, {a});
    EXPECT_TRUE(a.stops.empty()) << analysis::to_table({f}, {a});
    ASSERT_TRUE(a.legs[0].departure_airport);
    EXPECT_EQ(a.legs[0].departure_airport->icao, "EDHI");
    // Take-off not seen; the leg departs at its first airborne fix.
    EXPECT_EQ(a.legs[0].departure_time, pts[13].time());
}

TEST(Fidelity, SingleGroundFixBeforeAGapIsNoLeg) {
    std::vector<TrackPoint> pts;
    pts.push_back(fix(0, LatLon::from_degrees(53.5360, 9.8370), 0, 0, OnGround::ground));
    fly(pts, 3600, 1200, LatLon::from_degrees(53.5286, 9.82149), 232, 120, 800, 12000);
    Flight f{{"3c6500", "", "AIB01", ""}, pts, Provenance::recorded, {"x"}, {}};
    const auto a = analysis::analyse(f, hamburg());
    EXPECT_EQ(a.legs.size(), 1u) << analysis::to_table({f}, {a});
    EXPECT_TRUE(a.stops.empty());
}

TEST(Fidelity, TowedAircraftHasNoLeg) {
    // Towed across the apron at 5 kt for 20 minutes, flags say ground for some fixes, unknown for
    // others; altitude steady at the field elevation.
    std::vector<TrackPoint> pts;
    const auto p0 = LatLon::from_degrees(53.6300, 9.9900);
    for (int i = 0; i < 60; ++i)
        pts.push_back(fix(i * 20, geo::direct(p0, Angle::degrees(30), Length::metres(i * 50.0)), 50 + (i % 2) * 25, 5,
                          i % 3 ? OnGround::unknown : OnGround::ground));
    Flight f{{"4b17e5", "", "SWR", ""}, pts, Provenance::recorded, {"x"}, {}};
    const auto a = analysis::analyse(f, hamburg());
    EXPECT_TRUE(a.legs.empty()) << analysis::to_table({f}, {a});
    EXPECT_TRUE(a.ground_only);
    ASSERT_TRUE(a.ground_airport);
    EXPECT_EQ(a.ground_airport->icao, "EDDH");
    EXPECT_NE(analysis::to_table({f}, {a}).find("Ground movement only"), std::string::npos);
}

TEST(Fidelity, AltitudeSpikesAreRejectedAndCounted) {
    std::vector<TrackPoint> pts;
    fly(pts, 0, 600, LatLon::from_degrees(44.0, 5.0), 90, 90, 22000, 22000, 1);
    // A lone 92,300 ft fix and a run of four 99,800 ft fixes among fixes at 22,000 ft, 1 s apart.
    pts[200].set_altitude(Length::feet(92300));
    for (int i = 400; i < 404; ++i) pts[static_cast<std::size_t>(i)].set_altitude(Length::feet(99800));
    // A position 300 km off for one fix.
    pts[500] = fix(500, LatLon::from_degrees(47.0, 5.0), 22000, 175, OnGround::airborne);
    const auto rej = analysis::find_outliers(pts);
    ASSERT_EQ(rej.size(), 6u);
    EXPECT_EQ(rej[0].index, 200u);
    EXPECT_EQ(rej[0].kind, analysis::OutlierKind::altitude_jump);
    EXPECT_EQ(rej[5].index, 500u);
    EXPECT_EQ(rej[5].kind, analysis::OutlierKind::position_jump);
    EXPECT_EQ(analysis::summarise(rej), "6 fixes rejected: 5 altitude jumps, 1 position jumps");
    Flight f{{"39b415", "", "SAVAN17", ""}, pts, Provenance::recorded, {"x"}, {}};
    analysis::remove_fixes(f, rej);
    ASSERT_EQ(f.points.size(), pts.size() - 6);
    const auto a = analysis::analyse(f, hamburg());
    ASSERT_EQ(a.legs.size(), 1u);
    EXPECT_NEAR(a.legs[0].max_altitude->ft(), 22000.0, 1.0);  // feet
}

TEST(Fidelity, RealClimbsAndDescentsAreNotOutliers) {
    // A steep but real climb (6,000 ft/min) sampled every 5 s, and an emergency descent at
    // 8,000 ft/min: no fix is rejected.
    std::vector<TrackPoint> pts;
    const auto top = fly(pts, 0, 300, LatLon::from_degrees(44.0, 5.0), 90, 150, 2000, 32000, 5);
    fly(pts, 305, 180, geo::direct(top, Angle::degrees(90), Length::metres(750)), 90, 230, 32000, 8000, 5);
    EXPECT_TRUE(analysis::find_outliers(pts).empty());
    // Just beyond the limit: a fix 40,000 ft off its neighbours 1 s away is rejected; one
    // within the slack (900 ft off) is not.
    std::vector<TrackPoint> q;
    fly(q, 0, 60, LatLon::from_degrees(44.0, 5.0), 90, 150, 20000, 20000, 1);
    q[30].set_altitude(Length::feet(20900));
    EXPECT_TRUE(analysis::find_outliers(q).empty());
    q[30].set_altitude(Length::feet(60000));
    EXPECT_EQ(analysis::find_outliers(q).size(), 1u);
}

TEST(Fidelity, GroundFlagAtCruiseIsRejected) {
    std::vector<TrackPoint> pts;
    fly(pts, 0, 300, LatLon::from_degrees(44.0, 5.0), 90, 230, 36000, 36000, 10);
    pts[10].set_on_ground(OnGround::ground);
    const auto rej = analysis::find_outliers(pts);
    ASSERT_EQ(rej.size(), 1u);
    EXPECT_EQ(rej[0].kind, analysis::OutlierKind::ground_flag_altitude);
    // A ground flag at a high field (14,000 ft) is kept.
    std::vector<TrackPoint> high;
    ground(high, 0, 300, LatLon::from_degrees(29.3, 100.05));
    for (auto& p : high) p.set_altitude(Length::feet(14000));
    EXPECT_TRUE(analysis::find_outliers(high).empty());
}

TEST(Fidelity, MultiDayGapEndsTheLeg) {
    // Airborne at FL130 when coverage is lost; seen 117 h later on the ground 700 km away.
    std::vector<TrackPoint> pts;
    const auto end = fly(pts, 0, 1800, LatLon::from_degrees(43.2, 6.8), 100, 160, 11600, 13000, 10);
    (void)end;
    ground(pts, 1800 + 117 * 3600.0, 600, LatLon::from_degrees(43.62, 1.378));
    fly(pts, 1800 + 117 * 3600.0 + 660, 1800, LatLon::from_degrees(43.62, 1.378), 0, 150, 500, 20000, 10);
    Flight f{{"39b415", "", "SAVAN01", ""}, pts, Provenance::recorded, {"x"}, {}};
    const auto a = analysis::analyse(f, hamburg());
    ASSERT_EQ(a.legs.size(), 2u) << analysis::to_table({f}, {a});
    ASSERT_EQ(a.breaks.size(), 1u);
    EXPECT_EQ(a.breaks[0].reason, analysis::BreakReason::too_long);
    EXPECT_FALSE(a.legs[0].arrival_airport);  // unknown: it landed somewhere unseen
    // Just under the endurance limit with a plausible cruise on both sides: one leg.
    std::vector<TrackPoint> q;
    fly(q, 0, 600, LatLon::from_degrees(10.0, -30.0), 90, 250, 37000, 37000, 30);
    fly(q, 600 + 3 * 3600.0, 600,
        geo::direct(LatLon::from_degrees(10.0, -30.0), Angle::degrees(90), Length::metres(250 * (600 + 3 * 3600.0))), 90, 250, 37000, 37000,
        30);
    Flight g{{"abc123", "", "LONG1", ""}, q, Provenance::recorded, {"x"}, {}};
    const auto b = analysis::analyse(g, hamburg());
    EXPECT_EQ(b.legs.size(), 1u);
    EXPECT_TRUE(b.breaks.empty());
}

TEST(Fidelity, LowOnBothSidesForHoursEndsTheLeg) {
    std::vector<TrackPoint> pts;
    const auto p = fly(pts, 0, 900, LatLon::from_degrees(60.0, 20.0), 0, 60, 3000, 2500, 30);
    fly(pts, 900 + 3 * 3600.0, 900, geo::direct(p, Angle::degrees(0), Length::kilometres(400)), 0, 60, 2500, 3000, 30);
    Flight f{{"abc124", "", "LOW1", ""}, pts, Provenance::recorded, {"x"}, {}};
    const auto a = analysis::analyse(f, hamburg());
    ASSERT_EQ(a.legs.size(), 2u) << analysis::to_table({f}, {a});
    ASSERT_EQ(a.breaks.size(), 1u);
    EXPECT_EQ(a.breaks[0].reason, analysis::BreakReason::low_both_sides);
    // The same at FL300 on both sides stays one leg (a long oceanic coverage hole).
    for (auto& q : f.points) q.set_altitude(Length::feet(30000));
    const auto b = analysis::analyse(f, hamburg());
    EXPECT_EQ(b.legs.size(), 1u) << analysis::to_table({f}, {b});
}

TEST(Fidelity, LandingAwayFromAirportsAcrossAGap) {
    // Carrier operations: down to 50 ft at 90 kt, silent 18 minutes, seen again climbing through
    // 200 ft 14 km further on (the ship moved). A stop at an unknown place, inferred.
    auto make = [](double hop_km, double low_ft) {
        std::vector<TrackPoint> pts;
        const auto a = fly(pts, 0, 600, LatLon::from_degrees(31.0, -118.0), 340, 60, 1500, low_ft, 10);
        fly(pts, 600 + 18 * 60, 600, geo::direct(a, Angle::degrees(340), Length::kilometres(hop_km)), 340, 60, low_ft + 150, 1500, 10);
        return Flight{{"ae0455", "", "PSWRD35", ""}, pts, Provenance::recorded, {"x"}, {}};
    };
    const auto a = analysis::analyse(make(14, 50), hamburg());
    ASSERT_EQ(a.stops.size(), 1u) << analysis::to_table({make(14, 50)}, {a});
    EXPECT_TRUE(a.stops[0].inferred);
    EXPECT_FALSE(a.stops[0].airport);
    EXPECT_EQ(a.legs.size(), 2u);
    // Covered at 30 m/s (32 km in 18 min): it could have flown on; no stop.
    EXPECT_TRUE(analysis::analyse(make(32.4, 50), hamburg()).stops.empty());
    // Above the circuit height (2,000 ft over the lowest fix) on both sides: no stop.
    EXPECT_TRUE(analysis::analyse(make(14, 3500), hamburg()).stops.empty());
}

TEST(Fidelity, AirborneStartPicksTheAirportBehindOnItsRunway) {
    // First fix 1 km off the Finkenwerder runway 23 end at 629 ft, climbing south-west. Hamburg
    // (large, 14 km) lies behind the aircraft too, with a parallel runway, but far too far for
    // 600 ft of height.
    std::vector<TrackPoint> pts;
    const auto start = geo::direct(LatLon::from_degrees(53.5286, 9.82149), Angle::degrees(232), Length::kilometres(1));
    fly(pts, 0, 600, start, 232, 90, 629, 6000, 10);
    Flight f{{"3c6501", "", "AIB02", ""}, pts, Provenance::recorded, {"x"}, {}};
    const auto a = analysis::analyse(f, hamburg());
    ASSERT_EQ(a.legs.size(), 1u);
    ASSERT_TRUE(a.legs[0].departure_airport);
    EXPECT_EQ(a.legs[0].departure_airport->icao, "EDHI");
    EXPECT_TRUE(a.legs[0].departure_inferred);
    // Arriving on the mirror path into Hamburg's runway 23 (from the north-east, 2,000 ft, 8 km
    // out) ends at EDDH, also inferred.
    std::vector<TrackPoint> arr;
    const auto eddh23 = LatLon::from_degrees(53.6371, 10.0018);
    const auto begin = geo::direct(eddh23, Angle::degrees(50.3), Length::kilometres(40));
    fly(arr, 0, 32000.0 / 80.0, begin, 230.3, 80, 8000, 2000, 10);
    Flight g{{"3c6502", "", "DLH3", ""}, arr, Provenance::recorded, {"x"}, {}};
    const auto b = analysis::analyse(g, hamburg());
    ASSERT_EQ(b.legs.size(), 1u);
    ASSERT_TRUE(b.legs[0].arrival_airport);
    EXPECT_EQ(b.legs[0].arrival_airport->icao, "EDDH");
    EXPECT_TRUE(b.legs[0].arrival_inferred);
}

TEST(Fidelity, LegEndsAtTouchdownAloneOrMerged) {
    // One flight with taxi-in after landing: the leg ends at touchdown, not at the last taxi fix.
    std::vector<TrackPoint> pts;
    ground(pts, 0, 300, LatLon::from_degrees(53.6300, 9.9900));
    const auto p = fly(pts, 320, 1800, LatLon::from_degrees(53.64, 10.00), 50, 150, 1000, 20000, 30);
    const auto q = fly(pts, 2150, 1800, geo::direct(p, Angle::degrees(50), Length::kilometres(10)), 50, 150, 20000, 500, 30);
    ground(pts, 3980, 600, geo::direct(q, Angle::degrees(50), Length::kilometres(4)));
    Flight f{{"3c6503", "", "T1", ""}, pts, Provenance::recorded, {"x"}, {}};
    const auto a = analysis::analyse(f, hamburg());
    ASSERT_EQ(a.legs.size(), 1u);
    ASSERT_TRUE(a.legs[0].landing_time);
    EXPECT_EQ(a.legs[0].arrival_time, *a.legs[0].landing_time);
    EXPECT_EQ(a.legs[0].arrival_time, kT0 + 3980s);
    EXPECT_EQ(a.legs[0].departure_time, kT0 + 320s);
}

TEST(Fidelity, DerivedSpeedsFillOnlyWhatIsMissing) {
    std::vector<TrackPoint> pts;
    for (int i = 0; i <= 60; ++i)  // 50 m/s due east, no reported speed (an IGC log)
        pts.push_back(TrackPoint(kT0 + std::chrono::seconds(i * 5),
                                 geo::direct(LatLon::from_degrees(45, 7), Angle::degrees(90), Length::metres(250.0 * i))));
    pts[10].set_ground_speed(Speed::metres_per_second(7.0));  // reported: kept
    EXPECT_EQ(analysis::derive_missing_speeds(pts), 60u);
    EXPECT_NEAR(pts[30].ground_speed()->mps(), 50.0, 0.05);  // m/s
    EXPECT_NEAR(pts[10].ground_speed()->mps(), 7.0, 1e-6);
    // Vertical rate from altitudes: 10 m/s climb.
    for (std::size_t i = 0; i < pts.size(); ++i) pts[i].set_altitude(Length::metres(1000.0 + 50.0 * static_cast<double>(i)));
    EXPECT_NEAR(*analysis::vertical_rate(pts, 30), 10.0, 1e-3);  // m/s
}

}  // namespace
