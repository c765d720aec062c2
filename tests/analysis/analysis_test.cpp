// Synthetic edge cases for analysis::analyse, with a case on each side of every threshold in
// src/analysis/thresholds.hpp.
#include <gtest/gtest.h>

#include "analysis/analysis.hpp"
#include "analysis/thresholds.hpp"
#include "geo/geodesic.hpp"

namespace {

using namespace fr;
using namespace std::chrono_literals;
namespace th = fr::analysis::thresholds;

const TimePoint kT0 = *parse_iso8601("2025-02-05T00:00:00Z");
// A large scheduled test airport, elevation 1000 ft, in an empty part of the map.
const LatLon kXtst = LatLon::from_degrees(10.0, 20.0);
const Length kXtstElev = Length::feet(1000);

analysis::AirportTable table() {
    std::vector<io::Airport> v;
    v.push_back({"XTST", "TST", "Test International", "Testville", "XX", kXtst, kXtstElev, io::AirportSize::large, true, false});
    v.push_back(
        {"XSML", "", "Small Field", "", "XX", LatLon::from_degrees(10.0, 20.3), Length::feet(900), io::AirportSize::medium, false, false});
    return analysis::AirportTable(std::move(v));
}

// A point `km` from XTST on azimuth `az` degrees.
LatLon from_xtst(double km, double az = 90.0) { return geo::direct(kXtst, Angle::degrees(az), Length::kilometres(km)); }
// Far from every airport (about 550 km north-east).
LatLon nowhere(double km_east = 0.0) {
    return geo::direct(LatLon::from_degrees(14.0, 24.0), Angle::degrees(90), Length::kilometres(km_east));
}

struct Builder {
    Flight f;
    Builder() {
        f.aircraft.callsign = "TST123";
        f.aircraft.icao24 = "abcdef";
    }
    Builder& add(double t_s, LatLon p, std::optional<double> alt_ft, std::optional<double> gs_kt, OnGround g = OnGround::unknown,
                 bool new_leg = false) {
        TrackPoint tp(kT0 + std::chrono::milliseconds(std::llround(t_s * 1000)), p);
        if (alt_ft) tp.set_altitude(Length::feet(*alt_ft));
        if (gs_kt) tp.set_ground_speed(Speed::knots(*gs_kt));
        tp.set_on_ground(g).set_new_leg(new_leg);
        f.points.push_back(tp);
        return *this;
    }
    // Ground fixes (flagged) at p, every `step` seconds over [t, t + dur].
    Builder& ground(double t, double dur, LatLon p, double step = 10) {
        for (double s = 0; s <= dur + 1e-9; s += step) add(t + s, p, std::nullopt, 0.0, OnGround::ground);
        return *this;
    }
    // Airborne (flagged) fixes from p along azimuth az at v m/s, every `step` s over [t, t + dur],
    // altitude changing linearly from alt0 to alt1 ft.
    Builder& fly(double t, double dur, LatLon p, double az, double v, double alt0, double alt1, double step = 30,
                 OnGround g = OnGround::airborne, bool report_gs = true) {
        for (double s = 0; s <= dur + 1e-9; s += step) {
            const double frac = dur > 0 ? s / dur : 0;
            add(t + s, geo::direct(p, Angle::degrees(az), Length::metres(v * s)), alt0 + (alt1 - alt0) * frac,
                report_gs ? std::optional<double>(Speed::metres_per_second(v).kt()) : std::nullopt, g);
        }
        return *this;
    }
    double last_t() const { return std::chrono::duration<double>(f.points.back().time() - kT0).count(); }
    LatLon last_p() const { return f.points.back().position(); }
};

analysis::FlightAnalysis run(const Builder& b) { return analysis::analyse(b.f, table()); }

// ---- Whole-flight shapes ---------------------------------------------------------------------

TEST(Analysis, EmptyFlightHasNoLegs) { EXPECT_TRUE(analysis::analyse(Flight{}, table()).legs.empty()); }

TEST(Analysis, TrackStartingParkedAtGateAndEndingOnGround) {
    Builder b;
    b.ground(0, 600, from_xtst(1.0));                       // parked 10 min at the gate
    b.fly(610, 1800, from_xtst(1.0), 45, 200, 500, 30000);  // 30 min airborne
    const LatLon touchdown = b.last_p();
    b.ground(b.last_t() + 10, 300, touchdown);  // taxi in, far from airports
    const auto a = run(b);
    ASSERT_EQ(a.legs.size(), 1u);
    EXPECT_TRUE(a.stops.empty());
    const auto& leg = a.legs[0];
    EXPECT_EQ(leg.first, 0u);
    EXPECT_EQ(leg.last, b.f.points.size() - 1);
    ASSERT_TRUE(leg.departure_airport);
    EXPECT_EQ(leg.departure_airport->icao, "XTST");
    EXPECT_FALSE(leg.arrival_airport);  // landed ~360 km away from any airport
    ASSERT_TRUE(leg.takeoff_time);
    EXPECT_EQ(leg.departure_time, *leg.takeoff_time);  // take-off, not the first gate fix
    EXPECT_EQ(*leg.takeoff_time, kT0 + 610s);
    ASSERT_TRUE(leg.landing_time);
    EXPECT_EQ(*leg.landing_time, kT0 + 2420s);
    EXPECT_EQ(leg.callsign, "TST123");
    ASSERT_TRUE(leg.max_altitude);
    EXPECT_NEAR(leg.max_altitude->ft(), 30000.0, 0.5);  // float storage: ~1 mm
    // Flown distance: sum of geodesics (all segments, taxi included): 1800 s x 200 m/s
    // airborne plus the geodesic from the gate to the first airborne fix (0 m).
    EXPECT_NEAR(leg.distance_flown.m(), 360000.0, 1.0);
    ASSERT_TRUE(leg.mean_ground_speed);
    // Airborne segments: 10 s lift-off segment (0 m), 1800 s at 200 m/s, 10 s touchdown (0 m).
    EXPECT_NEAR(leg.mean_ground_speed->mps(), 360000.0 / 1820.0, 0.01);
}

TEST(Analysis, TrackEndingAirborneHasNoArrival) {
    Builder b;
    b.fly(0, 3600, nowhere(), 90, 230, 35000, 35000);
    const auto a = run(b);
    ASSERT_EQ(a.legs.size(), 1u);
    EXPECT_FALSE(a.legs[0].arrival_airport);
    EXPECT_FALSE(a.legs[0].departure_airport);
    EXPECT_FALSE(a.legs[0].landing_time);
    EXPECT_FALSE(a.legs[0].takeoff_time);
    EXPECT_TRUE(a.legs[0].gaps.empty());
    ASSERT_TRUE(a.legs[0].distance_great_circle);
    EXPECT_NEAR(a.legs[0].distance_great_circle->m(), 3600 * 230.0, 1.0);
}

// Two legs around a ground run of `stop_s` seconds at `where`, flagged ground fixes.
Builder two_legs_with_ground_run(LatLon where, double stop_s, double step = 10) {
    Builder b;
    b.fly(0, 1200, geo::direct(where, Angle::degrees(270), Length::metres(150 * 1230)), 90, 150, 9000, 500);
    b.ground(b.last_t() + 30, stop_s, where, step);
    b.fly(b.last_t() + 30, 1200, where, 0, 150, 500, 9000);
    return b;
}

TEST(Analysis, ObservedStopAtAirportHasExactDuration) {
    // Parked 36 h 04 min with one silent stretch (like the FR24 sample at ZKPY).
    Builder b;
    b.fly(0, 1200, from_xtst(185), 270, 150, 9000, 500);
    b.ground(1230, 120, from_xtst(0.5));
    b.ground(1230 + 36 * 3600 + 240 - 123.456, 123.456, from_xtst(0.5), 123.456);  // silent, then two fixes
    b.fly(b.last_t() + 30, 600, from_xtst(0.5), 0, 150, 500, 9000);
    const auto a = run(b);
    ASSERT_EQ(a.legs.size(), 2u);
    ASSERT_EQ(a.stops.size(), 1u);
    const auto& s = a.stops[0];
    EXPECT_FALSE(s.inferred);
    ASSERT_TRUE(s.airport);
    EXPECT_EQ(s.airport->icao, "XTST");
    EXPECT_EQ(s.start, kT0 + 1230s);
    EXPECT_EQ(s.duration(), std::chrono::milliseconds((36 * 3600 + 240) * 1000));  // exact, no rounding
    EXPECT_EQ(format_duration(s.duration()), "36 h 04 min");
    EXPECT_EQ(a.legs[0].last, s.first);
    EXPECT_EQ(a.legs[1].first, s.last);
    EXPECT_EQ(a.legs[0].arrival_airport->icao, "XTST");
    EXPECT_EQ(a.legs[1].departure_airport->icao, "XTST");
    EXPECT_TRUE(a.legs[0].gaps.empty());  // a silent parked stretch is not a coverage gap
    EXPECT_TRUE(a.legs[1].gaps.empty());
}

TEST(Analysis, StopAtUnknownFieldHasNullAirport) {
    const auto a = run(two_legs_with_ground_run(nowhere(), 900));
    ASSERT_EQ(a.stops.size(), 1u);
    EXPECT_FALSE(a.stops[0].airport);
    EXPECT_FALSE(a.legs[0].arrival_airport);
    EXPECT_FALSE(a.legs[1].departure_airport);
}

TEST(Analysis, MinStopDurationBothSides) {
    const double lim = std::chrono::duration<double>(th::kMinStopDuration).count();
    EXPECT_EQ(run(two_legs_with_ground_run(nowhere(), lim - 1, 1)).stops.size(), 0u);
    EXPECT_EQ(run(two_legs_with_ground_run(nowhere(), lim - 1, 1)).legs.size(), 1u);
    EXPECT_EQ(run(two_legs_with_ground_run(nowhere(), lim + 1, 1)).stops.size(), 1u);
    EXPECT_EQ(run(two_legs_with_ground_run(nowhere(), lim + 1, 1)).legs.size(), 2u);
}

TEST(Analysis, AirportGroundRadiusBothSides) {
    const double r = th::kAirportGroundRadius.km();
    // Azimuth 180 keeps the small field (east of XTST) out of reach.
    const auto in = run(two_legs_with_ground_run(from_xtst(r - 0.5, 180), 600));
    const auto out = run(two_legs_with_ground_run(from_xtst(r + 0.5, 180), 600));
    ASSERT_EQ(in.stops.size(), 1u);
    ASSERT_EQ(out.stops.size(), 1u);
    ASSERT_TRUE(in.stops[0].airport);
    EXPECT_EQ(in.stops[0].airport->icao, "XTST");
    EXPECT_FALSE(out.stops[0].airport);
}

TEST(Analysis, SmallAirportGroundRadiusBothSides) {
    // East of the medium field XSML, away from XTST (33 km west of it).
    const LatLon xsml = LatLon::from_degrees(10.0, 20.3);
    const double r = th::kSmallAirportGroundRadius.km();
    const auto in = run(two_legs_with_ground_run(geo::direct(xsml, Angle::degrees(90), Length::kilometres(r - 0.5)), 600));
    const auto out = run(two_legs_with_ground_run(geo::direct(xsml, Angle::degrees(90), Length::kilometres(r + 0.5)), 600));
    ASSERT_EQ(in.stops.size(), 1u);
    ASSERT_EQ(out.stops.size(), 1u);
    ASSERT_TRUE(in.stops[0].airport);
    EXPECT_EQ(in.stops[0].airport->icao, "XSML");
    EXPECT_FALSE(out.stops[0].airport);
}

TEST(Analysis, StopPrefersLargeScheduledAirportOverNearerMediumField) {
    // 1 km from the medium field, 32 km from XTST: the ground radius only reaches the field.
    const auto a =
        run(two_legs_with_ground_run(geo::direct(LatLon::from_degrees(10.0, 20.3), Angle::degrees(0), Length::kilometres(1)), 600));
    ASSERT_EQ(a.stops.size(), 1u);
    EXPECT_EQ(a.stops[0].airport->icao, "XSML");
}

// ---- Is a fix on the ground without a flag? --------------------------------------------------

// Airborne at 60 m/s, then `dur` s of fixes moving at `v` m/s (no flags, no reported speed,
// altitude 300 ft constant), then airborne again.
Builder unflagged_slow_section(double v, double dur = 300) {
    Builder b;
    b.fly(0, 600, nowhere(), 90, 60, 3000, 300, 1, OnGround::unknown, false);
    b.fly(b.last_t() + 1, dur, b.last_p(), 90, v, 300, 300, 1, OnGround::unknown, false);
    b.fly(b.last_t() + 1, 600, b.last_p(), 90, 60, 300, 3000, 1, OnGround::unknown, false);
    return b;
}

TEST(Analysis, StationarySpeedBothSides) {
    const double v = th::kStationarySpeed.mps();
    EXPECT_EQ(run(unflagged_slow_section(v - 0.5)).stops.size(), 1u);
    EXPECT_EQ(run(unflagged_slow_section(v + 0.5)).stops.size(), 0u);
}

TEST(Analysis, Fr24ZeroAltitudeMeansGround) {
    // A 3-minute take-off roll at 100 kt: altitude 0 ft is ground, 25 ft (the smallest
    // Mode S step, above kFr24GroundAltitude) is airborne.
    auto make = [](double roll_alt_ft) {
        Builder b;
        b.fly(0, 600, nowhere(), 90, 120, 5000, 1000, 10, OnGround::unknown);
        b.fly(b.last_t() + 10, 180, b.last_p(), 90, Speed::knots(100).mps(), roll_alt_ft, roll_alt_ft, 10, OnGround::unknown);
        b.fly(b.last_t() + 10, 600, b.last_p(), 90, 120, 1000, 5000, 10, OnGround::unknown);
        return b;
    };
    EXPECT_GT(th::kFr24GroundAltitude.ft(), 0.0);
    EXPECT_LT(th::kFr24GroundAltitude.ft(), 25.0);
    EXPECT_EQ(run(make(0)).stops.size(), 1u);
    EXPECT_EQ(run(make(25)).stops.size(), 0u);
}

TEST(Analysis, AllZeroAltitudesDoNotMeanGround) {
    // An IGC log without a pressure sensor writes 0 throughout; moving at 20 m/s it is flying.
    Builder b;
    b.fly(0, 1800, nowhere(), 90, 20, 0, 0, 1, OnGround::unknown, false);
    const auto a = run(b);
    ASSERT_EQ(a.legs.size(), 1u);
    EXPECT_FALSE(a.legs[0].takeoff_time);
    EXPECT_FALSE(a.legs[0].landing_time);
}

// ---- Coverage gaps ----------------------------------------------------------------------------

Builder cruise_with_gap(double gap_s, double v = 230, double gap_v = 230, bool new_leg = false) {
    Builder b;
    b.fly(0, 1200, nowhere(), 90, v, 35000, 35000);
    const double t = b.last_t() + gap_s;
    b.add(t, geo::direct(b.last_p(), Angle::degrees(90), Length::metres(gap_v * gap_s)), 35000, Speed::metres_per_second(v).kt(),
          OnGround::airborne, new_leg);
    b.fly(t + 30, 1200, geo::direct(b.last_p(), Angle::degrees(90), Length::metres(v * 30)), 90, v, 35000, 35000);
    return b;
}

TEST(Analysis, CoverageGapThresholdBothSides) {
    const double g = std::chrono::duration<double>(th::kCoverageGap).count();
    const auto under = run(cruise_with_gap(g - 1));
    const auto over = run(cruise_with_gap(g + 1));
    ASSERT_EQ(under.legs.size(), 1u);
    ASSERT_EQ(over.legs.size(), 1u);
    EXPECT_TRUE(under.legs[0].gaps.empty());
    ASSERT_EQ(over.legs[0].gaps.size(), 1u);
    const auto& gap = over.legs[0].gaps[0];
    EXPECT_EQ(gap.duration(), std::chrono::milliseconds(std::llround((g + 1) * 1000)));
    EXPECT_EQ(gap.start, kT0 + 1200s);
    EXPECT_EQ(gap.index_before, 40u);
    EXPECT_NEAR(gap.distance.m(), 230 * (g + 1), 0.01);  // geodesic, 1 cm
    EXPECT_TRUE(gap.plausible);
}

TEST(Analysis, GapPlausibilityEnvelopeBothSides) {
    // Reported 230 m/s: the envelope is 1.3 x 230 = 299 m/s.
    const double env = 230 * th::kEnvelopeMargin;
    EXPECT_TRUE(run(cruise_with_gap(900, 230, env - 2)).legs[0].gaps.at(0).plausible);
    EXPECT_FALSE(run(cruise_with_gap(900, 230, env + 2)).legs[0].gaps.at(0).plausible);
    // Without reported speeds the cap applies.
    auto no_gs = [](double gap_v) {
        Builder b = cruise_with_gap(900, 230, gap_v);
        for (auto& p : b.f.points) p = TrackPoint(p.time(), p.position()).set_altitude(*p.altitude()).set_on_ground(OnGround::airborne);
        return b;
    };
    const double cap = th::kMaxPlausibleSpeed.mps();
    EXPECT_TRUE(run(no_gs(cap - 2)).legs[0].gaps.at(0).plausible);
    EXPECT_FALSE(run(no_gs(cap + 2)).legs[0].gaps.at(0).plausible);
}

TEST(Analysis, LongSlowGapBreaksTheLegBothSides) {
    const double g = std::chrono::duration<double>(th::kLegBreakGap).count();
    const double vmin = th::kMinContinuousSpeed.mps();
    EXPECT_EQ(run(cruise_with_gap(g + 60, 230, vmin - 1)).legs.size(), 2u);
    EXPECT_EQ(run(cruise_with_gap(g + 60, 230, vmin + 1)).legs.size(), 1u);
    EXPECT_EQ(run(cruise_with_gap(g - 60, 230, vmin - 1)).legs.size(), 1u);
    EXPECT_TRUE(run(cruise_with_gap(g + 60, 230, vmin - 1)).stops.empty());
}

TEST(Analysis, NewLegFlagSplitsOnlyAtACoverageGap) {
    const double g = std::chrono::duration<double>(th::kCoverageGap).count();
    EXPECT_EQ(run(cruise_with_gap(g + 1, 230, 230, true)).legs.size(), 2u);
    EXPECT_EQ(run(cruise_with_gap(g - 1, 230, 230, true)).legs.size(), 1u);
}

// ---- Stops inferred across missing data ------------------------------------------------------

struct Inferred {
    double gap_s = 8 * 3600;
    double height_before_ft = 6000;  // above XTST elevation, at the last fix before the gap
    double height_after_ft = 9000;
    double km_before = 35, km_after = 22;
    double trend_before_ft = -1500;  // altitude change over the 5 min before the gap
    double trend_after_ft = +1500;
};

Builder inferred_case(const Inferred& c) {
    Builder b;
    const double elev = kXtstElev.ft();
    // Approach from the west: 5 min at 130 m/s ending km_before west of XTST.
    const LatLon end = from_xtst(c.km_before, 270);
    const LatLon start = geo::direct(end, Angle::degrees(270), Length::metres(130 * 300));
    b.fly(0, 300, start, 90, 130, elev + c.height_before_ft - c.trend_before_ft, elev + c.height_before_ft, 10);
    // Departure to the north after the gap.
    b.fly(300 + c.gap_s, 300, from_xtst(c.km_after, 0), 0, 130, elev + c.height_after_ft, elev + c.height_after_ft + c.trend_after_ft, 10);
    return b;
}

TEST(Analysis, InferredStopAcrossGap) {
    const auto a = run(inferred_case({}));
    ASSERT_EQ(a.legs.size(), 2u);
    ASSERT_EQ(a.stops.size(), 1u);
    const auto& s = a.stops[0];
    EXPECT_TRUE(s.inferred);
    ASSERT_TRUE(s.airport);
    EXPECT_EQ(s.airport->icao, "XTST");
    EXPECT_EQ(s.start, kT0 + 300s);
    EXPECT_EQ(s.end, kT0 + 300s + 8h);
    EXPECT_EQ(s.duration(), 8h);
    EXPECT_EQ(a.legs[0].arrival_airport->icao, "XTST");
    EXPECT_EQ(a.legs[1].departure_airport->icao, "XTST");
    EXPECT_TRUE(a.legs[0].gaps.empty());
    EXPECT_TRUE(a.legs[1].gaps.empty());
}

TEST(Analysis, InferredStopMinGapBothSides) {
    const double g = std::chrono::duration<double>(th::kInferredStopMinGap).count();
    Inferred c;
    c.gap_s = g + 60;
    EXPECT_EQ(run(inferred_case(c)).stops.size(), 1u);
    c.gap_s = g - 60;
    const auto a = run(inferred_case(c));
    EXPECT_EQ(a.stops.size(), 0u);
    ASSERT_EQ(a.legs.size(), 1u);
    EXPECT_EQ(a.legs[0].gaps.size(), 1u);  // reported as a coverage gap instead
}

TEST(Analysis, InferredMaxHeightBothSides) {
    const double h = th::kInferredMaxHeight.ft();
    for (bool before : {true, false}) {
        Inferred c;
        (before ? c.height_before_ft : c.height_after_ft) = h - 100;
        EXPECT_EQ(run(inferred_case(c)).stops.size(), 1u) << before;
        (before ? c.height_before_ft : c.height_after_ft) = h + 100;
        EXPECT_EQ(run(inferred_case(c)).stops.size(), 0u) << before;
    }
}

TEST(Analysis, InferredRadiusBothSides) {
    const double r = th::kInferredStopRadius.km();
    for (bool before : {true, false}) {
        Inferred c;
        (before ? c.km_before : c.km_after) = r - 2;
        EXPECT_EQ(run(inferred_case(c)).stops.size(), 1u) << before;
        (before ? c.km_before : c.km_after) = r + 2;
        EXPECT_EQ(run(inferred_case(c)).stops.size(), 0u) << before;
    }
}

TEST(Analysis, InferredTrendToleranceBothSides) {
    const double tol = th::kLevelTolerance.ft();
    Inferred c;
    c.trend_before_ft = tol - 50;  // level (within tolerance) before the gap
    EXPECT_EQ(run(inferred_case(c)).stops.size(), 1u);
    c.trend_before_ft = tol + 50;  // climbing away before the gap: not arriving
    EXPECT_EQ(run(inferred_case(c)).stops.size(), 0u);
    c = Inferred{};
    c.trend_after_ft = -(tol - 50);
    EXPECT_EQ(run(inferred_case(c)).stops.size(), 1u);
    c.trend_after_ft = -(tol + 50);  // descending after the gap: not departing
    EXPECT_EQ(run(inferred_case(c)).stops.size(), 0u);
}

}  // namespace
