// --style density: the heat grid kept up to date frame by frame holds the same counts as one
// counted from scratch, many aircraft make a hotter place than few, the legend names the
// window, and incremental export frames equal fresh ones.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "io/map/assets.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/cairo_renderer.hpp"
#include "render/density.hpp"
#include "synthetic_flights.hpp"

using namespace fr;
using namespace std::chrono_literals;

namespace {

const TimePoint t0 = *parse_iso8601("2024-03-01T00:00:00Z");

const render::TextEngine& text() {
    static const render::TextEngine t(io::asset_path("fonts/fonts.conf"));
    return t;
}

/// 150 aircraft on one route out of Zurich, 10 s apart, and one lone aircraft further north-west.
render::Scene corridor_scene() {
    std::vector<Flight> fl;
    const auto to = LatLon::from_degrees(46.2, 6.1);
    for (int i = 0; i < 150; ++i)
        fl.push_back(test::synthetic_flight("COR" + std::to_string(i), test::kZRH, to, t0 + std::chrono::seconds(10 * i)));
    fl.push_back(test::synthetic_flight("LONE", LatLon::from_degrees(49.5, 3.0), LatLon::from_degrees(49.0, 5.0), t0));
    auto fa = test::analysed(std::move(fl));
    render::SceneOptions opt;
    opt.width = 960;
    opt.height = 540;
    opt.basemap = io::asset_path("basemap/naturalearth_110m.gpkg");
    opt.density = true;
    return pipeline::make_scene(std::move(fa.flights), std::move(fa.analyses), opt);
}

std::uint32_t pixel(cairo_surface_t* s, int x, int y) {
    return reinterpret_cast<const std::uint32_t*>(cairo_image_surface_get_data(s) +
                                                  static_cast<std::ptrdiff_t>(y) * cairo_image_surface_get_stride(s))[x];
}

}  // namespace

TEST(DensityGrid, AdvancedFrameByFrameEqualsFromScratch) {
    const render::Scene scene = corridor_scene();
    render::DensityGrid grid(scene, 30min);
    ASSERT_GT(grid.samples(), 1000u);
    std::uint64_t seen = 0;
    // Forward in uneven steps (7 s, across sampling instants), then back, then a jump past the window.
    std::vector<TimePoint> times;
    for (TimePoint t = scene.start() - 1min; t <= scene.end() + 31min; t += 7s) times.push_back(t);
    for (TimePoint t = scene.start() + 40min; t >= scene.start() + 5min; t -= 13s) times.push_back(t);
    times.push_back(scene.end() + 1min);
    times.push_back(scene.start() + 3min);
    for (const TimePoint t : times) {
        grid.advance(t);
        const auto expect = grid.from_scratch(t);
        ASSERT_EQ(grid.counts(), expect) << "at " << format_iso8601(t);
        for (auto c : expect) seen += c;
    }
    EXPECT_GT(seen, 0u);
    // The window is (t - 30 min, t]: long after the last fix nothing is left.
    grid.advance(scene.end() + 31min);
    for (auto c : grid.counts()) ASSERT_EQ(c, 0u);
}

TEST(DensityGrid, CountsSamplesInTheWindowOnly) {
    // One piece: (1, 1) px from 0 s to 60 s, then (5, 1) at 120 s; 20 s sampling, 2 px cells.
    render::TrailPiece p;
    p.v = {{1, 1, t0, 0}, {1, 1, t0 + 60s, 0}, {5, 1, t0 + 120s, 0}};
    render::DensityGrid grid({&p}, 8, 4, t0, 60s, 2, 20s);
    grid.advance(t0 + 60s);  // samples at 20, 40, 60 s (0 s has left the window)
    EXPECT_EQ(grid.counts()[0], 3u);
    grid.advance(t0 + 120s);  // 80 s (x 2.33: cell 1), 100 s (x 3.67: cell 1), 120 s (x 5: cell 2)
    EXPECT_EQ(grid.counts()[0], 0u);
    EXPECT_EQ(grid.counts()[1], 2u);
    EXPECT_EQ(grid.counts()[2], 1u);
}

TEST(DensityStyle, ManyAircraftAreHotterThanFew) {
    render::Scene scene = corridor_scene();
    render::CairoRenderer r(scene, text());
    auto surface = render::make_image_surface(960, 540);
    auto cr = render::make_context(surface.get());
    const TimePoint t = t0 + 20min;
    r.draw_frame(cr.get(), {t, nullptr, 0});
    cairo_surface_flush(surface.get());
    const auto* grid = r.density_grid();
    ASSERT_NE(grid, nullptr);
    const std::uint32_t ramp_end = render::CairoRenderer::density_pixel(render::kDensitySaturation);
    // Zurich, where 150 aircraft taxied and departed within the window: the ramp's end.
    const auto zrh = scene.to_screen(test::kZRH);
    ASSERT_TRUE(zrh);
    const int zx = static_cast<int>(zrh->x), zy = static_cast<int>(zrh->y);
    EXPECT_GE(grid->counts()[static_cast<std::size_t>(zy / 2 * grid->cols() + zx / 2)], render::kDensitySaturation);
    EXPECT_EQ(pixel(surface.get(), zx, zy), ramp_end) << std::hex << pixel(surface.get(), zx, zy);
    // Around the lone aircraft's route: heat, but nowhere the ramp's end.
    const auto a = scene.to_screen(LatLon::from_degrees(49.5, 3.0)), b = scene.to_screen(LatLon::from_degrees(49.0, 5.0));
    ASSERT_TRUE(a && b);
    std::uint32_t lone_samples = 0;
    for (int y = static_cast<int>(std::min(a->y, b->y)) - 6; y <= static_cast<int>(std::max(a->y, b->y)) + 6; ++y)
        for (int x = static_cast<int>(std::min(a->x, b->x)) - 6; x <= static_cast<int>(std::max(a->x, b->x)) + 6; ++x) {
            ASSERT_NE(pixel(surface.get(), x, y), ramp_end) << x << "," << y;
            lone_samples += (x % 2 == 0 && y % 2 == 0) ? grid->counts()[static_cast<std::size_t>(y / 2 * grid->cols() + x / 2)] : 0;
        }
    EXPECT_GT(lone_samples, 0u);
    EXPECT_LT(lone_samples, render::kDensitySaturation);
}

TEST(DensityStyle, LegendNamesTheWindow) {
    const render::Scene scene = corridor_scene();
    const render::CairoRenderer r(scene, text());
    const auto entries = r.legend_entries();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0], "traffic density, last 30 min");
}

TEST(DensityStyle, IncrementalFramesEqualFreshOnes) {
    render::Scene scene = corridor_scene();
    render::CairoRenderer inc(scene, text()), fresh(scene, text());
    render::IncrementalFrame frame(960, 540);
    auto surface = render::make_image_surface(960, 540);
    auto cr = render::make_context(surface.get());
    const Timeline tl = Timeline::fit(scene.start(), scene.end(), {}, 10.0, {});
    for (const double v : {2.0, 2.1, 2.2, 2.5, 4.0, 3.0, 3.1, 8.0}) {
        const render::FrameInfo f{tl.replay_time(v), &tl, v};
        inc.draw_frame(frame, f);
        fresh.draw_frame(cr.get(), f);
        cairo_surface_flush(frame.surface());
        cairo_surface_flush(surface.get());
        for (int y = 0; y < 540; ++y)
            ASSERT_EQ(std::memcmp(frame.data() + static_cast<std::ptrdiff_t>(y) * frame.stride(),
                                  cairo_image_surface_get_data(surface.get()) +
                                      static_cast<std::ptrdiff_t>(y) * cairo_image_surface_get_stride(surface.get()),
                                  960 * 4),
                      0)
                << "video time " << v << " s, row " << y;
    }
}
