// Golden images: the RFF7203 sample rendered at fixed times, compared with committed PNGs.
// Tolerance: a case passes when at most 0.002% of pixels (10 of 960x540) differ by more than 16
// of 255 in any channel. Rendering is deterministic (bundled fonts and basemap, hinting off),
// so identical libraries give 0 differing pixels; the slack absorbs anti-aliasing changes in a
// Cairo/pixman update. Shown to fail: a stop one minute longer, or a clock one minute later,
// change more pixels than that (tests below).
// Update: FR_UPDATE_GOLDENS=1 ctest -R golden, then LOOK at tests/golden/*.png before committing.
#include <gtest/gtest.h>

#include <cstring>

#include "golden_compare.hpp"
#include "io/map/assets.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/cairo_renderer.hpp"
#include "test_paths.hpp"

using namespace fr;
using namespace std::chrono_literals;

namespace {

constexpr int kChannelTolerance = 16;        // of 255
constexpr double kMaxBadFraction = 0.00002;  // 0.002% of pixels (10 of 960x540)

render::SurfacePtr render_sample(TimePoint t, Duration stop_shift = Duration::zero()) {
    pipeline::LoadRequest req;
    req.inputs = {test::source_dir() / "assets/samples"};
    auto data = pipeline::load_and_analyse(req);
    for (auto& a : data.analyses)
        for (auto& st : a.stops) st.end += stop_shift;
    render::SceneOptions opt;
    opt.width = 960;
    opt.height = 540;
    opt.title = "RFF7203 golden";
    opt.gshhg_max = 'l';  // committed GSHHG only
    render::Scene scene = pipeline::make_scene(data.flights, data.analyses, opt);
    render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    render::CairoRenderer r(scene, text);
    auto s = render::make_image_surface(opt.width, opt.height);
    auto cr = render::make_context(s.get());
    r.draw_frame(cr.get(), {t, nullptr, 0});
    cairo_surface_flush(s.get());
    return s;
}

const TimePoint kDuringStop = *parse_iso8601("2023-08-01T12:00:00Z");
const TimePoint kReturnCruise = *parse_iso8601("2023-08-02T18:00:00Z");

}  // namespace

TEST(Golden, Rff7203DuringTheStop) {
    auto s = render_sample(kDuringStop);
    auto d = compare_with_golden("rff7203_stop", s.get(), kChannelTolerance);
    ASSERT_TRUE(d.same_size) << d.message;
    EXPECT_LE(d.bad_fraction, kMaxBadFraction) << d.message;
}

TEST(Golden, Rff7203ReturnLegWithStopCard) {
    auto s = render_sample(kReturnCruise);
    auto d = compare_with_golden("rff7203_return", s.get(), kChannelTolerance);
    ASSERT_TRUE(d.same_size) << d.message;
    EXPECT_LE(d.bad_fraction, kMaxBadFraction) << d.message;
}

TEST(Golden, FailsWhenTheStopIsOneMinuteLonger) {
    if (update_goldens()) GTEST_SKIP() << "updating goldens";
    auto s = render_sample(kReturnCruise, 1min);
    const auto golden = test::source_dir() / "tests/golden/rff7203_return.png";
    cairo_surface_t* expected = cairo_image_surface_create_from_png(golden.c_str());
    ASSERT_EQ(cairo_surface_status(expected), CAIRO_STATUS_SUCCESS);
    auto diff = compare_surfaces(s.get(), expected, kChannelTolerance, test::binary_dir() / "golden-output/stop_plus_1min.diff.png");
    cairo_surface_destroy(expected);
    std::printf("%s\n", diff.message.c_str());
    EXPECT_GT(diff.bad_fraction, kMaxBadFraction) << diff.message;
}

TEST(Golden, FailsWhenTheClockIsOneMinuteLate) {
    if (update_goldens()) GTEST_SKIP() << "updating goldens";
    auto s = render_sample(kDuringStop + 1min);
    const auto golden = test::source_dir() / "tests/golden/rff7203_stop.png";
    cairo_surface_t* expected = cairo_image_surface_create_from_png(golden.c_str());
    ASSERT_EQ(cairo_surface_status(expected), CAIRO_STATUS_SUCCESS);
    auto diff = compare_surfaces(s.get(), expected, kChannelTolerance, test::binary_dir() / "golden-output/clock_plus_1min.diff.png");
    cairo_surface_destroy(expected);
    std::printf("%s\n", diff.message.c_str());
    EXPECT_GT(diff.bad_fraction, kMaxBadFraction) << diff.message;
}

TEST(Golden, SameInputSameBytes) {
    auto a = render_sample(kDuringStop), b = render_sample(kDuringStop);
    const int n = cairo_image_surface_get_stride(a.get()) * cairo_image_surface_get_height(a.get());
    EXPECT_EQ(0, std::memcmp(cairo_image_surface_get_data(a.get()), cairo_image_surface_get_data(b.get()), static_cast<std::size_t>(n)));
}
