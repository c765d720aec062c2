// Scene sources: a view cut from features read once (for a wider area) is exactly what a
// read for that view gives, and a session's sources serve a zoomed or panned view of the
// window without opening a file, giving the same scene as reading afresh.
#include <gtest/gtest.h>

#include <memory>

#include "io/map/assets.hpp"
#include "io/map/basemap.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/scene.hpp"
#include "test_paths.hpp"

using namespace fr;

namespace {

const pipeline::LoadedData& sample() {
    static const pipeline::LoadedData d = [] {
        pipeline::LoadRequest req;
        req.inputs = {test::source_dir() / "assets/samples"};
        return pipeline::load_and_analyse(req);
    }();
    return d;
}

/// Exact equality of two rings lists (no tolerance: the same features cut the same way must
/// give the same doubles).
bool same_rings(const std::vector<io::Ring>& a, const std::vector<io::Ring>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].size() != b[i].size()) return false;
        for (std::size_t j = 0; j < a[i].size(); ++j)
            if (a[i][j].lat_deg() != b[i][j].lat_deg() || a[i][j].lon_deg() != b[i][j].lon_deg()) return false;
    }
    return true;
}
bool same_polys(const std::vector<io::Polygon>& a, const std::vector<io::Polygon>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!same_rings(a[i].rings, b[i].rings)) return false;
    return true;
}

bool same_lines(const std::vector<render::ScreenLine>& a, const std::vector<render::ScreenLine>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].size() != b[i].size()) return false;
        for (std::size_t j = 0; j < a[i].size(); ++j)
            if (a[i][j].x != b[i][j].x || a[i][j].y != b[i][j].y) return false;
    }
    return true;
}
bool same_polys(const std::vector<std::vector<render::ScreenLine>>& a, const std::vector<std::vector<render::ScreenLine>>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!same_lines(a[i], b[i])) return false;
    return true;
}

}  // namespace

TEST(VectorFeatures, AViewCutFromAWiderReadEqualsAReadForTheView) {
    io::BasemapWindow view;
    view.seam_lon = 90.0 + 180.0;
    view.window = geo::GeoBounds{100, 115, 48, 58};  // lon_min, lon_max, lat_min, lat_max: Lake Baikal
    io::BasemapWindow wide = view;
    wide.window = geo::GeoBounds{70, 145, 20, 80};
    for (const auto& [file, kind] : {std::pair{"basemap/naturalearth_50m.gpkg", io::VectorKind::natural_earth},
                                     std::pair{"basemap/gshhg_l.gpkg", io::VectorKind::gshhg}}) {
        const io::VectorRead what{io::asset_path(file), kind, true, true, {}};
        const auto direct = io::VectorFeatures::read(what, view)->clip(view);
        const auto features = io::VectorFeatures::read(what, view, wide);
        ASSERT_TRUE(features->covers(view));
        const auto cut = features->clip(view);
        ASSERT_FALSE(direct.land.empty()) << file;
        EXPECT_TRUE(same_polys(cut.land, direct.land)) << file;
        EXPECT_TRUE(same_polys(cut.lakes, direct.lakes)) << file;
        EXPECT_TRUE(same_rings(cut.coastline, direct.coastline)) << file;
        EXPECT_TRUE(same_rings(cut.borders, direct.borders)) << file;
        EXPECT_TRUE(same_rings(cut.rivers, direct.rivers)) << file;
        // A view reaching beyond what was read is not covered.
        io::BasemapWindow far = view;
        far.window = geo::GeoBounds{150, 170, 48, 58};
        EXPECT_FALSE(features->covers(far)) << file;
    }
}

TEST(SceneSources, ASettledZoomAndPanReadNoFileAndGiveTheSameScene) {
    const auto& d = sample();
    render::SceneOptions home;
    home.width = 960;
    home.height = 540;
    home.gshhg_max = 'l';  // the committed resolutions only
    auto session = std::make_shared<pipeline::SceneSources>(pipeline::SceneSources::Reuse::session);
    const render::Scene first(d.flights, d.analyses, home, session);
    const std::size_t reads = session->files_read();
    EXPECT_GE(reads, 2u);  // Natural Earth and GSHHG at least
    // Zoom in by 1.25 about the centre, then pan by a fifth of the frame: what the window does.
    const auto e = first.transform().extent();
    const double cx = (e.xmin + e.xmax) / 2, cy = (e.ymin + e.ymax) / 2, hw = e.width() / 2.5, hh = e.height() / 2.5;
    for (const geo::Extent view : {geo::Extent{cx - hw, cy - hh, cx + hw, cy + hh},
                                   geo::Extent{cx - hw + e.width() / 5, cy - hh, cx + hw + e.width() / 5, cy + hh}}) {
        render::SceneOptions o = home;
        o.crs = first.projector().crs();
        o.extent = view;
        const render::Scene cached(d.flights, d.analyses, o, session);
        EXPECT_EQ(session->files_read(), reads) << "a settled view opened a file";
        const render::Scene fresh = pipeline::make_scene(d.flights, d.analyses, o);  // read for this view alone
        ASSERT_FALSE(fresh.land().empty());
        EXPECT_TRUE(same_polys(cached.land(), fresh.land()));
        EXPECT_TRUE(same_polys(cached.lakes(), fresh.lakes()));
        EXPECT_TRUE(same_lines(cached.coastline(), fresh.coastline()));
        EXPECT_TRUE(same_lines(cached.borders(), fresh.borders()));
        EXPECT_EQ(cached.places().size(), fresh.places().size());
        EXPECT_EQ(cached.basemap_credit(), fresh.basemap_credit());
    }
}

TEST(SceneSources, OneShotSourcesReadForEachScene) {
    const auto& d = sample();
    render::SceneOptions o;
    o.width = 640;
    o.height = 360;
    o.gshhg_max = 'l';
    auto once = std::make_shared<pipeline::SceneSources>(pipeline::SceneSources::Reuse::once);
    const render::Scene a(d.flights, d.analyses, o, once);
    const std::size_t reads = once->files_read();
    const render::Scene b(d.flights, d.analyses, o, once);
    EXPECT_EQ(once->files_read(), 2 * reads);
}
