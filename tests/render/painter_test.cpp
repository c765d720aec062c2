// The renderer's three parts on their own: the frame layout answers without any Cairo context,
// the painter reports what it draws over only to the damage sink it is given (every changed
// pixel lies in a reported tile; tolerance: 0 of 255 in every channel), and the style constants
// the window shares with the painter.
#include <gtest/gtest.h>

#include <cstring>

#include "core/timeline.hpp"
#include "io/map/assets.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/cairo_renderer.hpp"
#include "render/frame_layout.hpp"
#include "render/painter.hpp"
#include "render/style_constants.hpp"
#include "test_paths.hpp"

using namespace fr;

namespace {

struct Sample {
    std::vector<Flight> flights;
    std::vector<analysis::FlightAnalysis> analyses;
    render::SceneOptions opt;
};

Sample sample() {
    pipeline::LoadRequest req;
    req.inputs = {test::source_dir() / "assets/samples"};
    auto data = pipeline::load_and_analyse(req);
    Sample s{data.flights, data.analyses, {}};
    s.opt.width = 640;
    s.opt.height = 360;
    s.opt.title = "painter";
    s.opt.profile = true;
    return s;
}

/// A copy of an ARGB32 surface's pixels.
std::vector<std::uint8_t> pixels(cairo_surface_t* s) {
    cairo_surface_flush(s);
    const auto* d = cairo_image_surface_get_data(s);
    return {d, d + static_cast<std::size_t>(cairo_image_surface_get_stride(s)) * cairo_image_surface_get_height(s)};
}

/// Whether pixel (x, y) lies in a tile of `damage`.
bool damaged(const render::TileDamage& damage, int x, int y) {
    bool in = false;
    damage.for_each_run([&](int x0, int y0, int x1, int y1) { in = in || (x >= x0 && x < x1 && y >= y0 && y < y1); });
    return in;
}

}  // namespace

TEST(StyleConstants, ScaleAndTrailWidths) {
    EXPECT_DOUBLE_EQ(render::ui_scale(1920, 1080), 1.0);
    EXPECT_DOUBLE_EQ(render::ui_scale(1080, 1920), 1.0);
    EXPECT_DOUBLE_EQ(render::ui_scale(3840, 2160), 2.0);
    EXPECT_DOUBLE_EQ(render::ui_scale(640, 360), 0.6);  // the floor
    EXPECT_DOUBLE_EQ(render::trail_width_px(2.0, false, 1.5), 3.0);
    EXPECT_DOUBLE_EQ(render::trail_width_px(2.0, true, 1.5), 3.0 * render::kBusyTrailWidthShare);
}

TEST(FrameLayout, AnswersWithoutCairoAndAgreesWithTheRenderer) {
    const auto s = sample();
    const render::Scene scene = pipeline::make_scene(s.flights, s.analyses, s.opt);
    const render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    const auto tl = Timeline::fit(scene.start(), scene.end(), scene.holds(std::chrono::hours{2}), 20.0, {2.0, 1.0});
    const double v = tl.video_duration_s() * 0.5;
    const render::FrameInfo f{tl.replay_time(v), &tl, v};

    const render::FrameLayouter layout(scene, text);  // no surface, no context
    const render::FrameKey q{f.t, true, &f};
    const auto labels = layout.label_layout(q);
    const auto boxes = layout.all_boxes(q);
    ASSERT_FALSE(labels.empty()) << "the sample's aircraft is labelled half-way through";
    ASSERT_FALSE(boxes.empty());

    render::CairoRenderer r(scene, text);
    auto surface = render::make_image_surface(s.opt.width, s.opt.height);
    auto cr = render::make_context(surface.get());
    r.draw_frame(cr.get(), f);
    const auto drawn = r.last_layout();
    ASSERT_EQ(drawn.size(), boxes.size());
    for (std::size_t i = 0; i < boxes.size(); ++i) {  // the same boxes to the last bit (tolerance 0 px)
        EXPECT_EQ(drawn[i].role, boxes[i].role) << i;
        EXPECT_EQ(std::memcmp(&drawn[i].box, &boxes[i].box, sizeof(render::Box)), 0)
            << i << " " << render::layout::to_string(boxes[i].role);
    }
}

TEST(Painter, ReportsWhatItDrawsOnlyToTheSinkGiven) {
    const auto s = sample();
    const render::Scene scene = pipeline::make_scene(s.flights, s.analyses, s.opt);
    const render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    const auto tl = Timeline::fit(scene.start(), scene.end(), scene.holds(std::chrono::hours{2}), 20.0, {2.0, 1.0});
    const double v = tl.video_duration_s() * 0.5;
    const render::FrameInfo f{tl.replay_time(v), &tl, v};
    const render::FrameLayouter layout(scene, text);
    const render::Painter painter(scene, text, layout);

    auto base = render::make_image_surface(s.opt.width, s.opt.height);
    {
        auto cr = render::make_context(base.get());
        painter.draw_static(cr.get(), true, layout.furniture(true));
    }
    const auto before = pixels(base.get());

    // With a sink: every pixel the dynamic layer changed lies in a reported tile.
    auto with_sink = render::make_image_surface(s.opt.width, s.opt.height);
    std::memcpy(cairo_image_surface_get_data(with_sink.get()), before.data(), before.size());
    cairo_surface_mark_dirty(with_sink.get());
    render::TileDamage damage(s.opt.width, s.opt.height);
    {
        auto cr = render::make_context(with_sink.get());
        painter.draw_dynamic(cr.get(), &damage, f, render::DynamicLayers{}, /*bar=*/nullptr, /*heat=*/nullptr);
    }
    const auto after = pixels(with_sink.get());
    ASSERT_FALSE(damage.empty());
    EXPECT_FALSE(damage.all()) << "a replay frame changes a few areas, not the whole frame";
    const int stride = cairo_image_surface_get_stride(base.get());
    long long changed = 0, outside = 0;
    for (int y = 0; y < s.opt.height; ++y)
        for (int x = 0; x < s.opt.width; ++x)
            if (std::memcmp(&before[static_cast<std::size_t>(y) * stride + 4 * x], &after[static_cast<std::size_t>(y) * stride + 4 * x],
                            4)) {
                ++changed;
                if (!damaged(damage, x, y)) ++outside;
            }
    EXPECT_GT(changed, 0);
    EXPECT_EQ(outside, 0) << "pixels drawn outside every reported tile";

    // Without a sink: the same pixels (the sink only records).
    auto no_sink = render::make_image_surface(s.opt.width, s.opt.height);
    std::memcpy(cairo_image_surface_get_data(no_sink.get()), before.data(), before.size());
    cairo_surface_mark_dirty(no_sink.get());
    {
        auto cr = render::make_context(no_sink.get());
        painter.draw_dynamic(cr.get(), nullptr, f, render::DynamicLayers{}, nullptr, nullptr);
    }
    EXPECT_TRUE(pixels(no_sink.get()) == after);
}
