// Camera keyframes: the view is centred where the keyframe path says, as wide on the ground as
// it says, and moves along the geodesic between keyframes.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/setting_error.hpp"
#include "geo/geodesic.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/scene.hpp"
#include "test_paths.hpp"

using namespace fr;

namespace {

/// "TIME,LON,LAT,WIDTH_KM" as the command line writes a keyframe (its parser, with the errors
/// it gives, is the app's: tests/app/replay_spec_test.cpp).
render::KeyframeSpec key(const std::string& text) {
    std::vector<std::string> f;
    std::size_t pos = 0;
    for (std::size_t c; (c = text.find(',', pos)) != std::string::npos; pos = c + 1) f.push_back(text.substr(pos, c - pos));
    f.push_back(text.substr(pos));
    EXPECT_EQ(f.size(), 4u) << text;
    return {*TimeRef::parse(f.at(0)), LatLon::from_degrees(std::stod(f.at(2)), std::stod(f.at(1))), std::stod(f.at(3))};
}

render::Scene sample_scene(const std::vector<std::string>& keyframes) {
    pipeline::LoadRequest req;
    req.inputs = {test::source_dir() / "assets/samples"};
    auto data = pipeline::load_and_analyse(req);
    render::SceneOptions opt;
    opt.width = 960;
    opt.height = 540;
    for (const auto& k : keyframes) opt.keyframes.push_back(key(k));
    return pipeline::make_scene(data.flights, data.analyses, opt);
}

/// Ground point under the frame centre, and the geodesic width across the middle row.
std::pair<LatLon, double> view_of(const render::Scene& s) {
    const auto c = s.from_screen({480, 270});
    const auto l = s.from_screen({0, 270}), r = s.from_screen({960, 270});
    EXPECT_TRUE(c && l && r);
    // The frame's width along its middle row, measured as the sum of 16 geodesic pieces.
    double w = 0;
    for (int i = 0; i < 16; ++i) {
        const auto a = s.from_screen({960.0 * i / 16, 270}), b = s.from_screen({960.0 * (i + 1) / 16, 270});
        w += geo::distance(*a, *b).km();
    }
    return {*c, w};
}

}  // namespace

TEST(CameraKeyframes, FramesEachKeyframeAndMovesAlongTheGeodesic) {
    const LatLon a = LatLon::from_degrees(56.8, 60.6), b = LatLon::from_degrees(39.22, 125.67);
    auto s = sample_scene({"+2h,60.6,56.8,2000", "2023-08-01T01:00:00Z,125.67,39.22,500"});
    ASSERT_EQ(s.keyframes().size(), 2u);
    const TimePoint t0 = s.start() + std::chrono::hours(2), t1 = *parse_iso8601("2023-08-01T01:00:00Z");

    const auto f0 = s.framed_at(t0);
    ASSERT_TRUE(f0);
    auto [c0, w0] = view_of(*f0);
    EXPECT_LT(geo::distance(c0, a).km(), 1.0);  // km: the centre pixel is within 1 km of the keyframe
    EXPECT_NEAR(w0, 2000.0, 20.0);              // km, 1%: measured along the middle row

    const auto f1 = s.framed_at(t1);
    ASSERT_TRUE(f1);
    auto [c1, w1] = view_of(*f1);
    EXPECT_LT(geo::distance(c1, b).km(), 1.0);
    EXPECT_NEAR(w1, 500.0, 5.0);

    // Halfway in time: the geodesic midpoint, and the geometric mean of the widths (1000 km).
    auto [cm, wm] = view_of(*s.framed_at(t0 + (t1 - t0) / 2));
    EXPECT_LT(geo::distance(cm, geo::interpolate(a, b, 0.5)).km(), 1.0);
    EXPECT_NEAR(wm, 1000.0, 10.0);

    // Before the first keyframe the camera holds the first view.
    EXPECT_LT(geo::distance(view_of(*s.framed_at(s.start())).first, a).km(), 1.0);
}

TEST(CameraKeyframes, FramingMakesANewSceneAndLeavesTheGivenOneAsItWas) {
    const auto s = sample_scene({"+2h,60.6,56.8,2000", "2023-08-01T01:00:00Z,125.67,39.22,500"});
    const auto before = s.transform().extent();
    const auto trail0 = s.flights().front().trail.front().v.front();
    const auto framed = s.framed_at(*parse_iso8601("2023-08-01T01:00:00Z"));
    ASSERT_TRUE(framed);
    // The given scene: the same view and the same pixels (exactly: nothing was written to it).
    EXPECT_EQ(s.transform().extent().xmin, before.xmin);
    EXPECT_EQ(s.transform().extent().xmax, before.xmax);
    EXPECT_EQ(s.flights().front().trail.front().v.front().x, trail0.x);
    // The framed one: 500 km wide where the given one is thousands, its trail's pixels mapped
    // to the new view: the first vertex is where the framed scene projects the place the given
    // scene's first vertex shows (1e-3 px: an inverse and a forward projection apart).
    EXPECT_LT(framed->transform().extent().width(), before.width() / 4);
    const auto& v = framed->flights().front().trail.front().v.front();
    const auto where = s.from_screen({trail0.x, trail0.y});
    ASSERT_TRUE(where);
    const auto px = framed->to_screen(*where);
    ASSERT_TRUE(px);
    EXPECT_NEAR(v.x, px->x, 1e-3);
    EXPECT_NEAR(v.y, px->y, 1e-3);
    // A framed scene frames again from the same base: framing it at t gives the scene's own view at t.
    const auto again = framed->framed_at(s.start());
    ASSERT_TRUE(again);
    EXPECT_DOUBLE_EQ(again->transform().extent().xmin, s.framed_at(s.start())->transform().extent().xmin);
    // A fixed camera has nothing to frame.
    EXPECT_FALSE(sample_scene({}).framed_at(s.start()));
}

TEST(CameraKeyframes, CoastsAndLakesAtTheNarrowestKeyframesScale) {
    // 960 px wide: the fitted view of both legs (about 8,000 km) wants GSHHG low (>= 2.5 km/px);
    // a keyframe 400 km wide (0.42 km/px) wants high. The source line names the wanted
    // resolution, used or "(high not installed)" where a build has only the committed ones.
    const auto fitted = sample_scene({});
    EXPECT_NE(fitted.attribution().find("GSHHG low (LGPL)"), std::string::npos) << fitted.attribution();
    const auto keyed = sample_scene({"+1h,60.6,56.8,3000", "+3h,80,55,400"});
    EXPECT_TRUE(keyed.attribution().find("GSHHG high (LGPL)") != std::string::npos ||
                keyed.attribution().find("(high not installed)") != std::string::npos)
        << keyed.attribution();
}

TEST(CameraKeyframes, RejectsAFrameWithoutWidth) {
    EXPECT_THROW(sample_scene({"+2h,60.6,56.8,0"}), SettingError);
    EXPECT_THROW(sample_scene({"+2h,60.6,56.8,-5"}), SettingError);
    EXPECT_NO_THROW(sample_scene({"+2h,60.6,56.8,5"}));
}

TEST(Camera, IsAValueEvaluatedPerTime) {
    const LatLon a = LatLon::from_degrees(56.8, 60.6), b = LatLon::from_degrees(39.22, 125.67);
    auto s = sample_scene({"2023-08-01T01:00:00Z,125.67,39.22,500", "+2h,60.6,56.8,2000"});
    const auto& cam = s.camera();
    ASSERT_EQ(cam.kind(), render::Camera::Kind::keyframes);
    ASSERT_EQ(cam.keys().size(), 2u);
    EXPECT_LT(cam.keys().front().t, cam.keys().back().t);  // sorted by time
    const TimePoint t0 = s.start() + std::chrono::hours(2), t1 = *parse_iso8601("2023-08-01T01:00:00Z");
    // Evaluating it changes nothing: the same view at t0 before and after asking about t1.
    const auto v0 = cam.view_at(s, t0);
    const auto v1 = cam.view_at(s, t1);
    ASSERT_TRUE(v0 && v1);
    const auto again = cam.view_at(s, t0);
    ASSERT_TRUE(again);
    EXPECT_EQ(v0->x, again->x);
    EXPECT_EQ(v0->y, again->y);
    EXPECT_DOUBLE_EQ(v0->width_km, 2000.0);
    EXPECT_DOUBLE_EQ(v1->width_km, 500.0);
    // Its centre is the keyframe's, in the scene's CRS (1 m).
    const auto c0 = s.projector().inverse({v0->x, v0->y});
    ASSERT_TRUE(c0);
    EXPECT_LT(geo::distance(*c0, a).m(), 1.0);
    // Scene::framed_at frames exactly that view: its box is camera_extent of the view.
    const auto f1 = s.framed_at(t1);
    ASSERT_TRUE(f1);
    const auto box = render::camera_extent(s, *v1);
    const auto& e = f1->transform().extent();
    EXPECT_DOUBLE_EQ(e.xmin, box.xmin);
    EXPECT_DOUBLE_EQ(e.ymax, box.ymax);
    const auto c1 = f1->from_screen({480, 270});
    ASSERT_TRUE(c1);
    EXPECT_LT(geo::distance(*c1, b).km(), 1.0);  // km: the centre pixel
}

TEST(Camera, FixedAndFollowCameras) {
    pipeline::LoadRequest req;
    req.inputs = {test::source_dir() / "assets/samples"};
    auto data = pipeline::load_and_analyse(req);
    render::SceneOptions opt;
    opt.width = 960;
    opt.height = 540;
    const render::Scene fixed = pipeline::make_scene(data.flights, data.analyses, opt);
    EXPECT_EQ(fixed.camera().kind(), render::Camera::Kind::fixed);
    EXPECT_FALSE(fixed.camera().view_at(fixed, fixed.start()));
    EXPECT_FALSE(fixed.following());
    opt.follow = data.flights.front().aircraft.callsign;
    opt.zoom_km = 300;
    const render::Scene follow = pipeline::make_scene(data.flights, data.analyses, opt);
    const auto& cam = follow.camera();
    ASSERT_EQ(cam.kind(), render::Camera::Kind::follow);
    EXPECT_EQ(cam.flight(), 0u);
    const auto v = cam.view_at(follow, follow.start() + (follow.end() - follow.start()) / 3);
    ASSERT_TRUE(v);
    EXPECT_DOUBLE_EQ(v->width_km, 300.0);
    EXPECT_FALSE(render::Camera::follow(99, 300).view_at(follow, follow.start()));  // no such flight
    EXPECT_THROW(render::Camera::keyframes({}), std::invalid_argument);
}
