// Overlays (--overlay, --overlay-label): point features drawn as markers, their labels placed by
// the place layout (after the furniture, never over it or any other label), lines and polygons
// as before. The points are a generated GeoJSON grid over the RFF7203 view, so some fall under
// the furniture and must stay unlabelled.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "core/error.hpp"
#include "core/setting_error.hpp"
#include "io/map/assets.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/cairo_renderer.hpp"
#include "test_paths.hpp"

using namespace fr;
namespace fs = std::filesystem;

namespace {

const pipeline::LoadedData& sample() {
    static const pipeline::LoadedData d = [] {
        pipeline::LoadRequest req;
        req.inputs = {test::source_dir() / "assets/samples"};
        return pipeline::load_and_analyse(req);
    }();
    return d;
}

const render::TextEngine& text() {
    static const render::TextEngine t(io::asset_path("fonts/fonts.conf"));
    return t;
}

/// 12 x 8 named points over lon 30..140, lat 25..65 ("P0".."P95"), plus one line.
fs::path grid_geojson() {
    const auto path = test::binary_dir() / "overlay_points.geojson";
    std::ofstream out(path);
    out << R"({"type":"FeatureCollection","features":[)";
    int n = 0;
    for (int j = 0; j < 8; ++j)
        for (int i = 0; i < 12; ++i) {
            const double lon = 30 + i * 10, lat = 25 + j * 40.0 / 7;
            out << (n ? "," : "") << R"({"type":"Feature","properties":{"name":"P)" << n
                << R"(","kind":"grid"},"geometry":{"type":"Point","coordinates":[)" << lon << "," << lat << "]}}";
            ++n;
        }
    out << R"(,{"type":"Feature","properties":{"name":"a line"},"geometry":{"type":"LineString","coordinates":[[40,40],[60,50]]}}]})";
    return path;
}

render::SceneOptions options(bool labels) {
    render::SceneOptions opt;
    opt.width = 1280;
    opt.height = 720;
    opt.title = "Overlay labels";
    opt.gshhg_max = 'l';  // committed GSHHG only
    opt.overlays = {grid_geojson()};
    if (labels) opt.overlay_labels = {"name"};
    return opt;
}

struct Drawn {
    std::vector<render::layout::Placed> boxes;
    render::SurfacePtr surface;
};

Drawn draw(const render::Scene& scene) {
    render::CairoRenderer r(scene, text());
    Drawn d;
    d.surface = render::make_image_surface(scene.options().width, scene.options().height);
    auto cr = render::make_context(d.surface.get());
    r.draw_frame(cr.get(), {scene.end(), nullptr, 0});
    cairo_surface_flush(d.surface.get());
    d.boxes = r.last_layout();
    return d;
}

render::Rgba pixel(cairo_surface_t* s, int x, int y) {
    const auto* row = cairo_image_surface_get_data(s) + static_cast<std::ptrdiff_t>(y) * cairo_image_surface_get_stride(s);
    const auto v = reinterpret_cast<const std::uint32_t*>(row)[x];
    return {((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0, 1};
}

int count_role(const std::vector<render::layout::Placed>& boxes, render::layout::Role role) {
    return static_cast<int>(std::count_if(boxes.begin(), boxes.end(), [&](const auto& p) { return p.role == role; }));
}

}  // namespace

TEST(Overlay, PointsAreMarkedAndLabelledClearOfTheFurniture) {
    const render::Scene scene = pipeline::make_scene(sample().flights, sample().analyses, options(true));
    const auto& pts = scene.overlay_points();
    ASSERT_EQ(pts.size(), 96u) << "every grid point read (the line is not a point)";
    EXPECT_EQ(pts.front().label, "P0");
    EXPECT_FALSE(scene.overlay_lines().empty()) << "lines are still drawn";
    const int candidates = static_cast<int>(std::count_if(scene.places().begin(), scene.places().end(), [](const render::ScenePlace& p) {
        return p.kind == render::ScenePlace::Kind::overlay;
    }));
    EXPECT_GT(candidates, 40) << "most grid points are in the frame";

    const auto with = draw(scene);
    const render::Scene plain = pipeline::make_scene(sample().flights, sample().analyses, options(false));
    const auto without = draw(plain);
    const int labelled =
        count_role(with.boxes, render::layout::Role::place_label) - count_role(without.boxes, render::layout::Role::place_label);
    EXPECT_GT(labelled, 10) << "overlay labels were placed";
    EXPECT_LT(labelled, candidates) << "some grid points lie under the furniture or the track and stay unlabelled";

    // No place label (overlay labels among them) overlaps any other drawn box by more than half a pixel.
    constexpr double kTolPx = 0.5;
    for (std::size_t i = 0; i < with.boxes.size(); ++i) {
        const auto& a = with.boxes[i];
        if (a.role != render::layout::Role::place_label) continue;
        const render::Box shrunk{a.box.x0 + kTolPx, a.box.y0 + kTolPx, a.box.x1 - kTolPx, a.box.y1 - kTolPx};
        for (std::size_t j = 0; j < with.boxes.size(); ++j) {
            const auto& b = with.boxes[j];
            if (i == j) continue;
            EXPECT_FALSE(shrunk.overlaps(b.box))
                << "place label [" << a.box.x0 << "," << a.box.y0 << " " << a.box.x1 << "," << a.box.y1 << "] overlaps "
                << to_string(b.role) << " [" << b.box.x0 << "," << b.box.y0 << " " << b.box.x1 << "," << b.box.y1 << "]";
        }
        // Nor any overlay marker (each label keeps clear of every point, not only its own).
        for (const auto& p : pts)
            if (p.px)
                EXPECT_FALSE(shrunk.overlaps({p.px->x - 3, p.px->y - 3, p.px->x + 3, p.px->y + 3}))
                    << "label over a marker at " << p.px->x << "," << p.px->y;
    }

    // Markers: the centre of a marker clear of every box is the overlay colour (within 0.1 per
    // channel, 0..1: the disc's centre is a solid fill; the track or an airport may still cover a few).
    const auto& c = scene.options().style.great_circle;
    int checked = 0, marked = 0;
    for (const auto& p : pts) {
        if (!p.px || p.px->x < 8 || p.px->y < 8 || p.px->x > 1272 || p.px->y > 712) continue;
        const render::Box mark{p.px->x - 4, p.px->y - 4, p.px->x + 4, p.px->y + 4};
        if (std::any_of(with.boxes.begin(), with.boxes.end(), [&](const auto& b) { return b.box.overlaps(mark); })) continue;
        ++checked;
        const auto got = pixel(with.surface.get(), static_cast<int>(std::lround(p.px->x)), static_cast<int>(std::lround(p.px->y)));
        marked += std::abs(got.r - c.r) <= 0.1 && std::abs(got.g - c.g) <= 0.1 && std::abs(got.b - c.b) <= 0.1;
    }
    EXPECT_GT(checked, 20);
    EXPECT_GE(marked, checked * 8 / 10) << marked << " of " << checked << " markers show the overlay colour";
    if (const char* dir = std::getenv("FR_OVERLAY_SAVE"))
        cairo_surface_write_to_png(with.surface.get(), (std::string(dir) + "/overlay.png").c_str());
}

TEST(Overlay, UnknownLabelFieldNamesTheFields) {
    auto opt = options(false);
    opt.overlay_labels = {"title"};
    try {
        render::Scene scene = pipeline::make_scene(sample().flights, sample().analyses, opt);
        FAIL() << "expected UsageError";
    } catch (const SettingError& e) {
        // The setting and the value, never the command line's flag (the app words that).
        EXPECT_EQ(e.setting(), "overlay_label");
        const std::string m = e.what();
        EXPECT_NE(m.find("label field 'title': no such field"), std::string::npos) << m;
        EXPECT_EQ(m.find("--"), std::string::npos) << m;
        EXPECT_NE(m.find("fields: name, kind"), std::string::npos) << m;
        EXPECT_NE(m.find("overlay_points.geojson"), std::string::npos) << m;
    }
}
