// Handles that must not be shared between threads (a PROJ transformation, a Cairo context and
// its surface, the Pango text engine) check their owner thread. The static map layer is drawn
// by two threads (a half of the frame each); these tests draw it with the checks on and a
// recording handler, and require that neither half touches the scene's Projector or another
// thread's Cairo objects, and that the checks do fire on a foreign use.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/thread_owner.hpp"
#include "geo/projector.hpp"
#include "io/map/assets.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/cairo_renderer.hpp"
#include "test_paths.hpp"

using namespace fr;

namespace {

std::atomic<int> g_violations{0};
void record(const char*, std::thread::id, std::thread::id) { g_violations.fetch_add(1); }

struct Recording {
    Recording() { g_violations.store(0); }
    ScopedThreadChecks checks{record};
};

render::SceneOptions options(const std::string& projection) {
    render::SceneOptions o;
    o.width = 640;
    o.height = 360;
    o.projection = projection;
    o.scale_bar = true;
    o.north_arrow = true;
    return o;
}

}  // namespace

TEST(ThreadOwnership, StaticLayerHalvesDoNotShareTheProjectorOrContexts) {
    pipeline::LoadRequest req;
    req.inputs = {test::source_dir() / "assets/samples"};
    const auto data = pipeline::load_and_analyse(req);
    const render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    // Orthographic: north is not straight up away from the centre, so both the scale bar and
    // the north arrow project (inverse) through the scene's Projector.
    for (const char* projection : {"orthographic", "mercator"}) {
        SCOPED_TRACE(projection);
        render::Scene scene = pipeline::make_scene(data.flights, data.analyses, options(projection));
        render::CairoRenderer renderer(scene, text);
        ASSERT_TRUE(renderer.drawn_scale_bar().has_value()) << "the test needs a scale bar to project";
        const Recording rec;
        auto surface = render::make_image_surface(640, 360);
        auto cr = render::make_context(surface.get());
        renderer.draw_frame(cr.get(), {scene.end(), nullptr, 0}, /*use_cache=*/true);  // static layer: two threads
        EXPECT_EQ(g_violations.load(), 0) << "a thread other than the owner used a PROJ, Cairo or Pango handle";
    }
}

TEST(ThreadOwnership, ProjectorOnAnotherThreadIsCaught) {
    const Recording rec;
    const geo::Projector proj("EPSG:3857");
    ASSERT_TRUE(proj.forward(LatLon::from_degrees(47, 8)));
    EXPECT_EQ(g_violations.load(), 0);
    std::thread([&] { (void)proj.inverse({1000, 1000}); }).join();
    EXPECT_EQ(g_violations.load(), 1);
    // Handed over (the join orders the owner's last use before), the other thread may use it.
    std::thread([&] {
        proj.adopt_thread();
        (void)proj.forward(LatLon::from_degrees(47, 8));
    }).join();
    EXPECT_EQ(g_violations.load(), 1);
    (void)proj.forward(LatLon::from_degrees(47, 8));  // now foreign to this thread
    EXPECT_EQ(g_violations.load(), 2);
    // A clone belongs to the thread that made it.
    std::thread([&] { (void)proj.clone().forward(LatLon::from_degrees(47, 8)); }).join();
    EXPECT_EQ(g_violations.load(), 2);
}

TEST(ThreadOwnership, ContextAndTextEngineOnAnotherThreadAreCaught) {
    const render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    auto surface = render::make_image_surface(64, 32);
    auto cr = render::make_context(surface.get());
    const Recording rec;
    text.draw(cr.get(), "ok", 2, 2, 12, {0, 0, 0, 1});
    EXPECT_EQ(g_violations.load(), 0);
    std::thread([&] { render::check_owner(cr.get(), "test context"); }).join();
    EXPECT_EQ(g_violations.load(), 2) << "both the context and its surface belong to this thread";
    std::thread([&] { (void)text.measure("foreign", 12); }).join();
    EXPECT_EQ(g_violations.load(), 3);
    {
        const render::TextEngine::SharedUse shared(text);
        std::thread([&] { (void)text.measure("shared", 12); }).join();
    }
    EXPECT_EQ(g_violations.load(), 3);
}
