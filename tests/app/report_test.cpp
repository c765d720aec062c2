// Report layout: aspect presets, --dpi scaling, contact sheets (PNG/PDF/SVG) with a time per
// cell, and the source line (basemap credit, reconstructed data said so).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <sstream>

#include "app/cli.hpp"
#include "app/still_command.hpp"
#include "core/error.hpp"
#include "report_helpers.hpp"

using namespace fr;

TEST(Report, AspectPresetsDeriveTheHeightFromTheWidth) {
    EXPECT_EQ(app::aspect_height(1920, "16:9"), 1080);
    EXPECT_EQ(app::aspect_height(1920, "3:2"), 1280);
    EXPECT_EQ(app::aspect_height(1920, "4:3"), 1440);
    EXPECT_EQ(app::aspect_height(1000, "1:1"), 1000);
    EXPECT_EQ(app::aspect_height(1080, "9:16"), 1920);
    EXPECT_EQ(app::aspect_height(1001, "16:9") % 2, 0);  // even, for video
    EXPECT_THROW(app::aspect_height(1920, "2:1"), UsageError);
}

TEST(Report, SheetGridAndTimes) {
    EXPECT_EQ(app::parse_sheet("2x3"), std::make_pair(2, 3));
    EXPECT_THROW(app::parse_sheet("0x3"), UsageError);
    EXPECT_THROW(app::parse_sheet("9x9"), UsageError);  // 81 cells > 64
    const TimePoint a = *parse_iso8601("2023-07-31T15:00:00Z"), b = *parse_iso8601("2023-08-01T15:00:00Z");
    auto even = app::sheet_times({}, 5, a, b);
    ASSERT_EQ(even.size(), 5u);
    EXPECT_EQ(even.front(), a);
    EXPECT_EQ(even[2], *parse_iso8601("2023-08-01T03:00:00Z"));
    EXPECT_EQ(even.back(), b);
    auto listed = app::sheet_times({*TimeRef::parse("+1h"), *TimeRef::parse("2023-08-01T05:11:31Z")}, 4, a, b);
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0], *parse_iso8601("2023-07-31T16:00:00Z"));
    EXPECT_THROW(app::sheet_times({*TimeRef::parse("+1h"), *TimeRef::parse("+2h"), *TimeRef::parse("+3h")}, 2, a, b), UsageError);
}

TEST(Report, SheetTimesSpreadOverTheTimeInTheAir) {
    // Two legs of 1 h each with a 22 h stop between: 5 cells at 0, 30, 60 (the first landing,
    // the second take-off is the same flown moment), 90 and 120 minutes of flown time.
    const TimePoint a = *parse_iso8601("2023-07-31T15:00:00Z"), b = *parse_iso8601("2023-08-01T15:00:00Z");
    const app::Intervals air = {{a, a + std::chrono::hours(1)}, {b - std::chrono::hours(1), b}};
    auto t = app::sheet_times({}, 5, a, b, air);
    ASSERT_EQ(t.size(), 5u);
    EXPECT_EQ(t[0], a);
    EXPECT_EQ(t[1], a + std::chrono::minutes(30));
    EXPECT_EQ(t[2], a + std::chrono::hours(1));
    EXPECT_EQ(t[3], b - std::chrono::minutes(30));
    EXPECT_EQ(t[4], b);
    EXPECT_EQ(app::sheet_times({}, 1, a, b, air).front(), b);  // one cell: the end of the flying
}

/// The times a sheet render prints on stderr ("wrote X (T1, T2, ...)").
static std::vector<TimePoint> printed_times(const std::string& err) {
    std::vector<TimePoint> out;
    const auto open = err.find(" ("), close = err.find(')', open == std::string::npos ? 0 : open);
    if (open == std::string::npos || close == std::string::npos) return out;
    std::stringstream ss(err.substr(open + 2, close - open - 2));
    std::string item;
    while (std::getline(ss, item, ',')) {
        while (!item.empty() && item.front() == ' ') item.erase(0, 1);
        if (auto t = parse_iso8601(item)) out.push_back(*t);
    }
    return out;
}

TEST(ReportE2E, SheetSkipsTheGroundStopUnlessAsked) {
    // RFF7203 lands at Pyongyang about 01:05Z on 1 August and takes off again about 13:20Z on
    // 2 August (read off the bundled tracks). By default no cell may fall inside that stop;
    // with --sheet-holds the old even spread over the whole span puts most cells there.
    const auto dir = test::out_dir("sheet-times");
    const TimePoint stop_from = *parse_iso8601("2023-08-01T01:30:00Z"), stop_to = *parse_iso8601("2023-08-02T13:00:00Z");
    auto inside = [&](const std::vector<TimePoint>& ts) {
        return std::count_if(ts.begin(), ts.end(), [&](TimePoint t) { return t > stop_from && t < stop_to; });
    };
    auto r = test::run_fr("render " + test::samples() + " -o " + (dir / "sheet.png").string() + " --size 960x540 --sheet 3x2");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto flown = printed_times(r.err);
    ASSERT_EQ(flown.size(), 6u) << r.err;
    EXPECT_EQ(inside(flown), 0) << r.err;
    r = test::run_fr("render " + test::samples() + " -o " + (dir / "holds.png").string() + " --size 960x540 --sheet 3x2 --sheet-holds");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto spread = printed_times(r.err);
    ASSERT_EQ(spread.size(), 6u) << r.err;
    EXPECT_GE(inside(spread), 3) << r.err;
}

TEST(ReportE2E, DpiScalesThePngAndAspectSetsTheSize) {
    const auto dir = test::out_dir("dpi");
    auto r = test::run_fr("render " + test::samples() + " -o " + (dir / "hi.png").string() + " --size 480x270 --dpi 192 -q");
    ASSERT_EQ(r.status, 0) << r.err;
    auto s = test::load_png_rgb(dir / "hi.png");
    EXPECT_EQ(cairo_image_surface_get_width(s.get()), 960);
    EXPECT_EQ(cairo_image_surface_get_height(s.get()), 540);
    r = test::run_fr("render " + test::samples() + " -o " + (dir / "square.png").string() + " --size 500x100 --aspect 1:1 -q");
    ASSERT_EQ(r.status, 0) << r.err;
    auto q = test::load_png_rgb(dir / "square.png");
    EXPECT_EQ(cairo_image_surface_get_width(q.get()), 500);
    EXPECT_EQ(cairo_image_surface_get_height(q.get()), 500);
}

TEST(ReportE2E, ContactSheetInEveryFormatShowsEachTime) {
    const auto dir = test::out_dir("sheet");
    const std::string flags = " --sheet 3x2 --size 1500x1000 --title 'RFF7203 in six frames' --source 'Test source' -q";
    for (const char* name : {"sheet.png", "sheet.pdf", "sheet.svg"}) {
        auto r = test::run_fr("render " + test::samples() + " -o " + (dir / name).string() + flags);
        ASSERT_EQ(r.status, 0) << name << ": " << r.err;
        EXPECT_GT(std::filesystem::file_size(dir / name), 1000u) << name;
    }
    auto listed = test::run_fr("render " + test::samples() + " -o " + (dir / "listed.pdf").string() +
                               " --sheet 2x1 --at +2h,2023-08-01T05:11:31Z --size 1200x500 -q");
    ASSERT_EQ(listed.status, 0) << listed.err;
    FR_REQUIRE_TOOL("pdftotext");
    auto t = test::run_shell("pdftotext " + (dir / "sheet.pdf").string() + " -");
    EXPECT_NE(t.out.find("RFF7203 in six frames"), std::string::npos) << t.out;
    // Evenly spaced over the time in the air: the first caption at the first take-off
    // (2023-07-31 15:09:03Z), the last at the last landing (2023-08-02 23:21:35Z).
    EXPECT_NE(t.out.find("2023-07-31 15:09Z"), std::string::npos) << t.out;
    EXPECT_NE(t.out.find("2023-08-02 23:21Z"), std::string::npos) << t.out;
    // The source line: the user's text, the basemap credit and that the data are reconstructed.
    EXPECT_NE(t.out.find("Test source | Basemap: Natural Earth"), std::string::npos) << t.out;
    EXPECT_NE(t.out.find("reconstructed, not recorded"), std::string::npos) << t.out;
    auto l = test::run_shell("pdftotext " + (dir / "listed.pdf").string() + " -");
    EXPECT_NE(l.out.find("2023-07-31 17:00Z"), std::string::npos) << l.out;
    EXPECT_NE(l.out.find("2023-08-01 05:11Z"), std::string::npos) << l.out;
}

namespace {

/// The bundled RFF7203 pair (reconstructed), loaded in this process.
pipeline::LoadedData load_samples() {
    pipeline::LoadRequest lr;
    lr.inputs = {test::source_dir() / "assets/samples/RFF7203_UUMU-ZKPY_2023-07-31_reconstructed.csv",
                 test::source_dir() / "assets/samples/RFF7203_ZKPY-UUMU_2023-08-02_reconstructed.csv"};
    return pipeline::load_and_analyse(lr);
}

/// Pixels of the provenance banner's fill (warning_bg, 92% over white or the map) inside `b`:
/// a red far from the trail's orange (whose blue is ~15) and the map's colours.
int banner_pixels(cairo_surface_t* s, const render::Box& b) {
    const int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    const int stride = cairo_image_surface_get_stride(s);
    const unsigned char* d = cairo_image_surface_get_data(s);
    int n = 0;
    for (int y = std::max(0, static_cast<int>(b.y0)); y < std::min(h, static_cast<int>(b.y1)); ++y)
        for (int x = std::max(0, static_cast<int>(b.x0)); x < std::min(w, static_cast<int>(b.x1)); ++x) {
            const auto* p = d + y * stride + x * 4;  // ARGB32 little-endian: B G R A
            if (p[2] >= 165 && p[2] <= 200 && p[1] >= 35 && p[1] <= 70 && p[0] >= 30 && p[0] <= 60) ++n;
        }
    return n;
}

}  // namespace

TEST(Report, SheetDrawsTheBannerLegendAndSourceLineOnce) {
    // One header band with the banner, one footer band with the legend and the source line; the
    // panels carry none of them (before, each panel repeated the banner at its top right).
    const auto data = load_samples();
    for (const auto& [size, grid] : {std::pair{std::pair{1500, 1000}, "3x2"}, {{3840, 2160}, "3x2"}, {{1080, 1920}, "1x3"}}) {
        app::RenderRequest req;
        req.width = size.first;
        req.height = size.second;
        req.sheet = grid == std::string("1x3") ? app::SheetGrid{1, 3} : app::SheetGrid{3, 2};
        req.title = "RFF7203 in six frames";
        req.load.inputs = {"unused"};
        SCOPED_TRACE(std::to_string(req.width) + "x" + std::to_string(req.height) + " " + grid);
        const auto L = app::sheet_layout(req, data);
        const auto still = app::draw_raster_still(req, data);
        ASSERT_TRUE(L.banner);
        ASSERT_TRUE(L.source);
        ASSERT_FALSE(L.panels.empty());
        // Banner in the header, whole inside the page, above every panel.
        EXPECT_GE(L.banner->x0, 0);
        EXPECT_LE(L.banner->x1, req.width);
        EXPECT_LE(L.banner->y1, L.header.y1 + 1e-6);
        EXPECT_GT(banner_pixels(still.surface.get(), *L.banner), 0.3 * L.banner->w() * L.banner->h());
        for (std::size_t i = 0; i < L.panels.size(); ++i) {
            const auto& p = L.panels[i];
            EXPECT_GE(p.y0, L.header.y1 - 1e-6) << "panel " << i;
            EXPECT_LE(p.y1, L.footer.y0 + 1e-6) << "panel " << i;
            // A panel banner fills thousands of pixels; the trail's anti-aliased edges give a few.
            EXPECT_LT(banner_pixels(still.surface.get(), p), 50) << "panel " << i << " draws a banner";
        }
        // The legend once, in the footer: one box per entry (trail, gap, great circle, stop).
        EXPECT_GE(L.legend.size(), 3u);
        for (const auto& b : L.legend) {
            EXPECT_GE(b.y0, L.footer.y0 - 1e-6);
            EXPECT_GE(b.x0, 0);
            EXPECT_LE(b.x1, req.width + 1e-6);
        }
        // The source line (the whole attribution, track files included) within the page, wrapped
        // rather than clipped (1 px of tolerance for text extents).
        EXPECT_GE(L.source->x0, 0);
        EXPECT_LE(L.source->x1, req.width + 1.0);
        EXPECT_LE(L.source->y1, req.height + 1.0);
        EXPECT_GE(L.source->y0, L.footer.y0 - 1e-6);
    }
}
