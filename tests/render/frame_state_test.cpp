#include <gtest/gtest.h>

#include "geo/geodesic.hpp"
#include "render/frame_state.hpp"

using namespace fr;
using namespace std::chrono_literals;

namespace {
const TimePoint t0 = *parse_iso8601("2023-07-31T18:00:00Z");

TrackPoint fix(Duration dt, double lat, double lon, double alt_ft, double track) {
    TrackPoint p(t0 + dt, LatLon::from_degrees(lat, lon));
    p.set_altitude(Length::feet(alt_ft)).set_ground_speed(Speed::knots(450)).set_track(Angle::degrees(track));
    p.set_on_ground(alt_ft == 0 ? OnGround::ground : OnGround::airborne);
    return p;
}
}  // namespace

TEST(FrameState, InterpolatesAlongTheGeodesicAndTheHeadingTheShortWay) {
    Flight f;
    f.points = {fix(0min, 55.9, 38.1, 35000, 350), fix(60min, 39.2, 125.7, 35000, 10)};
    analysis::FlightAnalysis a;
    analysis::Leg leg;
    leg.first = 0;
    leg.last = 1;
    a.legs.push_back(leg);
    auto s = render::state_at(f, a, t0 + 30min);
    ASSERT_TRUE(s);
    const auto mid = geo::interpolate(f.points[0].position(), f.points[1].position(), 0.5);
    EXPECT_NEAR(geo::distance(s->position, mid).m(), 0.0, 1e-3);  // metres
    EXPECT_NEAR(s->heading_deg, 0.0, 1e-9);                       // 350 -> 10 through north
    EXPECT_EQ(s->phase, render::Phase::airborne);
    EXPECT_FALSE(render::state_at(f, a, t0 - 1s));
    EXPECT_EQ(render::state_at(f, a, t0 + 2h)->phase, render::Phase::ended);
}

TEST(FrameState, MarksGapsAndStops) {
    Flight f;
    f.points = {fix(0min, 50, 10, 35000, 90), fix(30min, 50, 14, 35000, 90), fix(31min, 50, 14.1, 0, 90), fix(40h, 50, 14.1, 0, 270),
                fix(40h + 5min, 50, 14, 3000, 270)};
    analysis::FlightAnalysis a;
    analysis::Leg l1, l2;
    l1.first = 0;
    l1.last = 2;
    analysis::Gap g;
    g.start = t0;
    g.end = t0 + 30min;
    g.index_before = 0;
    l1.gaps.push_back(g);
    l2.first = 3;
    l2.last = 4;
    a.legs = {l1, l2};
    analysis::Stop st;
    st.start = t0 + 31min;
    st.end = t0 + 40h;
    st.position = LatLon::from_degrees(50, 14.1);
    a.stops.push_back(st);
    EXPECT_EQ(render::state_at(f, a, t0 + 10min)->phase, render::Phase::gap);
    auto s = render::state_at(f, a, t0 + 20h);
    EXPECT_EQ(s->phase, render::Phase::stopped);
    EXPECT_EQ(s->stop, &a.stops[0]);
    EXPECT_EQ(render::state_at(f, a, t0 + 40h + 1min)->phase, render::Phase::airborne);
}
