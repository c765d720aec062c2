// Golden images for the cartography: an antimeridian route (synthetic HKG-LAX), a polar route
// on the orthographic globe (synthetic EWR-HKG), altitude colouring with fading trails, and
// the recorded 842-aircraft Swiss day (skipped without ../shared/data).
// Tolerance (as tests/render/golden_test.cpp): a case passes when at most 0.002% of pixels
// differ by more than 16 of 255 in any channel; identical libraries give 0.
// Update: FR_UPDATE_GOLDENS=1 ctest -L golden, then LOOK at tests/golden/*.png.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include <gdal_priv.h>

#include "golden_compare.hpp"
#include "io/map/assets.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/cairo_renderer.hpp"
#include "synthetic_flights.hpp"
#include "test_paths.hpp"

using namespace fr;
using namespace std::chrono_literals;

namespace {

constexpr int kChannelTolerance = 16;        // of 255
constexpr double kMaxBadFraction = 0.00002;  // 0.002% of pixels

const TimePoint t0 = *parse_iso8601("2024-03-01T00:00:00Z");

const render::TextEngine& text() {
    static const render::TextEngine t(io::asset_path("fonts/fonts.conf"));
    return t;
}

render::SurfacePtr draw(const render::Scene& scene, TimePoint t) {
    render::CairoRenderer r(scene, text());
    auto s = render::make_image_surface(scene.options().width, scene.options().height);
    auto cr = render::make_context(s.get());
    r.draw_frame(cr.get(), {t, nullptr, 0});
    cairo_surface_flush(s.get());
    return s;
}

render::SceneOptions options(const std::string& projection, int w = 960, int h = 540) {
    render::SceneOptions o;
    o.gshhg_max = 'l';  // committed GSHHG only: the images must not depend on what set-up built
    o.width = w;
    o.height = h;
    o.projection = projection;
    return o;
}

}  // namespace

TEST(CartographyGolden, AntimeridianRouteHkgLax) {
    const auto fa = test::analysed({test::synthetic_flight("SYN001", test::kHKG, test::kLAX, t0)});
    auto o = options("auto");
    o.title = "HKG - LAX across the antimeridian (synthetic)";
    const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, o);
    auto s = draw(scene, t0 + 8h);
    auto d = compare_with_golden("synthetic_hkg_lax_antimeridian", s.get(), kChannelTolerance);
    ASSERT_TRUE(d.same_size) << d.message;
    EXPECT_LE(d.bad_fraction, kMaxBadFraction) << d.message;
}

TEST(CartographyGolden, PolarRouteOnTheOrthographicGlobe) {
    const auto fa = test::analysed({test::synthetic_flight("SYN002", test::kEWR, test::kHKG, t0)});
    auto o = options("orthographic");
    o.title = "EWR - HKG over the pole (synthetic)";
    o.color_by_altitude = true;
    const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, o);
    auto s = draw(scene, t0 + 9h);
    auto d = compare_with_golden("synthetic_ewr_hkg_orthographic", s.get(), kChannelTolerance);
    ASSERT_TRUE(d.same_size) << d.message;
    EXPECT_LE(d.bad_fraction, kMaxBadFraction) << d.message;
}

TEST(CartographyGolden, FailsWhenTheClockIsOneMinuteLate) {
    if (update_goldens()) GTEST_SKIP() << "updating goldens";
    const auto fa = test::analysed({test::synthetic_flight("SYN001", test::kHKG, test::kLAX, t0)});
    auto o = options("auto");
    o.title = "HKG - LAX across the antimeridian (synthetic)";
    const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, o);
    auto s = draw(scene, t0 + 8h + 1min);
    const auto golden = test::source_dir() / "tests/golden/synthetic_hkg_lax_antimeridian.png";
    cairo_surface_t* expected = cairo_image_surface_create_from_png(golden.c_str());
    ASSERT_EQ(cairo_surface_status(expected), CAIRO_STATUS_SUCCESS);
    auto diff = compare_surfaces(s.get(), expected, kChannelTolerance, test::binary_dir() / "golden-output/hkg_lax_plus_1min.diff.png");
    cairo_surface_destroy(expected);
    EXPECT_GT(diff.bad_fraction, kMaxBadFraction) << diff.message;
}

TEST(CartographyGolden, SwissDayManyAircraft) {
    const auto path = test::shared_data("xoolive-traffic/opensky_traffic_json/switzerland.json.gz");
    FR_REQUIRE_SHARED(path);
    pipeline::LoadRequest req;
    req.inputs = {path};
    const auto t_load = std::chrono::steady_clock::now();
    auto data = pipeline::load_and_analyse(req);
    const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_load).count();
    ASSERT_GT(data.flights.size(), 500u);
    auto o = options("auto");
    o.title = "Switzerland, one day of traffic";
    o.trail_minutes = 30;
    const render::Scene scene = pipeline::make_scene(data.flights, data.analyses, o);
    // Midday: the busiest sky.
    const TimePoint t = scene.start() + (scene.end() - scene.start()) / 2;
    render::CairoRenderer r(scene, text());
    auto s = render::make_image_surface(o.width, o.height);
    auto cr = render::make_context(s.get());
    r.draw_frame(cr.get(), {t, nullptr, 0});  // warm the static cache
    const auto t_draw = std::chrono::steady_clock::now();
    r.draw_frame(cr.get(), {t, nullptr, 0});
    const double draw_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_draw).count();
    cairo_surface_flush(s.get());
    std::printf("swiss day: %zu aircraft, load+analyse %.2f s, one frame %.1f ms (reported, not asserted), %zu labels\n",
                data.flights.size(), load_s, draw_ms, r.label_layout(t).size());
    const auto labels = r.label_layout(t);
    for (std::size_t i = 0; i < labels.size(); ++i)
        for (std::size_t j = i + 1; j < labels.size(); ++j) ASSERT_FALSE(labels[i].box.overlaps(labels[j].box));
    auto d = compare_with_golden("swiss_day_many_aircraft", s.get(), kChannelTolerance);
    ASSERT_TRUE(d.same_size) << d.message;
    EXPECT_LE(d.bad_fraction, kMaxBadFraction) << d.message;
}

// Every preset draws both routes; the images are written for a person to look at, and each
// must show trail pixels (the aircraft colour) somewhere: a preset that loses the route fails.
TEST(CartographyGallery, EveryPresetShowsTheRoutes) {
    const auto fa = test::analysed(
        {test::synthetic_flight("SYN001", test::kHKG, test::kLAX, t0), test::synthetic_flight("SYN002", test::kEWR, test::kHKG, t0)});
    const auto out_dir = test::binary_dir() / "golden-output";
    std::filesystem::create_directories(out_dir);
    for (auto p : geo::all_presets()) {
        for (const auto& [w, h] : {std::pair{640, 360}, std::pair{1920, 1080}}) {
            auto o = options(geo::to_string(p), w, h);
            o.title = std::string("--projection ") + geo::to_string(p);
            const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, o);
            auto s = draw(scene, t0 + 7h);
            cairo_surface_write_to_png(
                s.get(), (out_dir / ("gallery_" + std::string(geo::to_string(p)) + "_" + std::to_string(w) + ".png")).c_str());
            const auto c = scene.flights()[0].colour;
            const unsigned char* px = cairo_image_surface_get_data(s.get());
            const int stride = cairo_image_surface_get_stride(s.get());
            long hits = 0;
            for (int y = 0; y < h; ++y)
                for (int x = 0; x < w; ++x) {
                    const unsigned char* q = px + y * stride + x * 4;  // BGRA
                    if (std::abs(q[2] - c.r * 255) < 24 && std::abs(q[1] - c.g * 255) < 24 && std::abs(q[0] - c.b * 255) < 24) ++hits;
                }
            EXPECT_GT(hits, w / 20) << geo::to_string(p) << " " << w;  // a trail some tens of pixels long at least
        }
    }
}

namespace {
/// A small synthetic world raster (EPSG:4326, 1 degree pixels, RGB): red grows eastward,
/// green northward, blue in a 30-degree checkerboard, so warping shows as bent bands.
std::filesystem::path make_gradient_geotiff() {
    const auto path = test::binary_dir() / "synthetic_gradient.tif";
    GDALAllRegister();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDatasetUniquePtr ds(drv->Create(path.c_str(), 360, 180, 3, GDT_Byte, nullptr));
    double gt[6] = {-180, 1, 0, 90, 0, -1};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    ds->SetSpatialRef(&srs);
    std::vector<std::uint8_t> r(360 * 180), g(r.size()), b(r.size());
    for (int y = 0; y < 180; ++y)
        for (int x = 0; x < 360; ++x) {
            const std::size_t i = static_cast<std::size_t>(y) * 360 + x;
            r[i] = static_cast<std::uint8_t>(60 + x * 180 / 360);
            g[i] = static_cast<std::uint8_t>(60 + (179 - y) * 180 / 180);
            b[i] = ((x / 30 + y / 30) % 2) ? 200 : 120;
        }
    for (int k = 0; k < 3; ++k) {
        auto& band = k == 0 ? r : k == 1 ? g : b;
        EXPECT_EQ(ds->GetRasterBand(k + 1)->RasterIO(GF_Write, 0, 0, 360, 180, band.data(), 360, 180, GDT_Byte, 0, 0), CE_None);
    }
    ds.reset();  // GDAL 3.6: closing flushes the file
    return path;
}
}  // namespace

TEST(CartographyGolden, RasterBasemapWarpedToTheView) {
    const auto tif = make_gradient_geotiff();
    const auto fa = test::analysed({test::synthetic_flight("SYN001", test::kHKG, test::kLAX, t0)});
    auto o = options("auto");
    o.title = "Raster basemap (synthetic GeoTIFF)";
    o.basemap = tif;
    const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, o);
    ASSERT_TRUE(scene.raster());
    auto s = draw(scene, t0 + 8h);
    auto d = compare_with_golden("synthetic_raster_basemap", s.get(), kChannelTolerance);
    ASSERT_TRUE(d.same_size) << d.message;
    EXPECT_LE(d.bad_fraction, kMaxBadFraction) << d.message;
}
