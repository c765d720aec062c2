// Window tests under a private Xvfb (label `display`): the window and the export path draw the
// same view at the same replay time (and the test fails when the window's clock is off by
// 60 s), and real key presses and clicks sent with xdotool drive the window.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "app/window/replay_window.hpp"
#include "app/window/view_session.hpp"
#include "geo/geodesic.hpp"
#include "io/map/assets.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/synthetic_flights.hpp"
#include "render/text.hpp"
#include "window/window_compare.hpp"
#include "window/xvfb.hpp"

namespace fs = std::filesystem;
using namespace fr;

namespace {

// Limits, at 1280x720: GPU trails and Cairo's differ only along the trail's anti-aliased edge
// and round joins (measured worst tile 2..6 bad pixels out of 256, under 0.01% of the image);
// a clock digit that changes puts 30+ bad pixels in one tile.
constexpr int channel_tolerance = 64;  // of 255
constexpr int max_tile_bad = 12;       // of 256 pixels in a 16x16 tile
constexpr double max_bad_fraction = 0.001;

XvfbServer* g_x = nullptr;

class XEnv : public ::testing::Environment {
public:
    void SetUp() override { g_x = new XvfbServer(1920, 1080); }
    void TearDown() override {
        delete g_x;
        g_x = nullptr;
    }
};
const auto* const g_env = ::testing::AddGlobalTestEnvironment(new XEnv);

const fs::path bin = fs::path(FR_BINARY_DIR) / "src/app/flightreplay";
const fs::path sample1 = fs::path(FR_SOURCE_DIR) / "assets/samples/RFF7203_UUMU-ZKPY_2023-07-31_reconstructed.csv";
const fs::path sample2 = fs::path(FR_SOURCE_DIR) / "assets/samples/RFF7203_ZKPY-UUMU_2023-08-02_reconstructed.csv";
constexpr int W = 1280, H = 720;

fs::path out_dir(const std::string& name) {
    auto d = fs::path(FR_BINARY_DIR) / "test-output/window" / name;
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

int sh(const std::string& cmd) { return std::system(cmd.c_str()); }

render::SurfacePtr load_png(const fs::path& p) {
    render::SurfacePtr s(cairo_image_surface_create_from_png(p.c_str()));
    EXPECT_EQ(cairo_surface_status(s.get()), CAIRO_STATUS_SUCCESS) << p;
    return s;
}

/// The export path's picture of the default view at replay time `at`, built in this process
/// from the same files with the same Scene options and the same Timeline as the window.
render::SurfacePtr export_reference(TimePoint at, bool density = false) {
    pipeline::LoadRequest lr;
    lr.inputs = {sample1, sample2};
    auto data = pipeline::load_and_analyse(lr);
    render::SceneOptions o;
    o.width = W;
    o.height = H;
    o.density = density;
    render::Scene scene = pipeline::make_scene(data.flights, data.analyses, o);
    const Timeline tl = app::window::make_view_timeline(scene);
    render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    // The window's clock box shows the speed in use: the timeline's own rounded to the +/- ladder.
    return app::window::render_export_frame(scene, text, tl, tl.video_time(at), app::window::ViewController(tl).speed());
}

render::SurfacePtr window_screenshot(const std::string& at, const fs::path& png, const std::string& extra_env = "",
                                     const std::string& extra_args = "") {
    const std::string cmd = extra_env + " " + quote(bin) + " view " + quote(sample1) + " " + quote(sample2) + " --size " +
                            std::to_string(W) + "x" + std::to_string(H) + " --at " + at + " --screenshot " + quote(png) + " --exit -q " +
                            extra_args + " > /dev/null 2>&1";
    EXPECT_EQ(sh(cmd), 0) << cmd;
    return load_png(png);
}

TileDiff diff_and_save(cairo_surface_t* a, cairo_surface_t* b, const fs::path& dir) {
    cairo_surface_write_to_png(b, (dir / "export.png").c_str());
    const auto d = compare_tiles(a, b, channel_tolerance, (dir / "diff.png").c_str());
    std::cout << dir.filename().string() << ": " << d.message << "\n";
    return d;
}

bool matches(const TileDiff& d) { return d.same_size && d.worst_tile_bad <= max_tile_bad && d.bad_fraction <= max_bad_fraction; }

// Mid-flight over Russia (trail, aircraft, label) and during the stop at Pyongyang (stop card,
// hold card, fast-forward clock).
const char* const times[] = {"2023-07-31T19:30:00Z", "2023-08-01T05:11:31Z"};

}  // namespace

TEST(WindowVsExport, GpuWindowMatchesExportPath) {
    for (const char* at : times) {
        const auto dir = out_dir(std::string("gpu-") + at);
        auto win = window_screenshot(at, dir / "window.png");
        auto ref = export_reference(*parse_iso8601(at));
        const auto d = diff_and_save(win.get(), ref.get(), dir);
        EXPECT_TRUE(matches(d)) << at << ": " << d.message;
    }
}

TEST(WindowVsExport, CairoFallbackMatchesExportPath) {
    const char* at = times[0];
    const auto dir = out_dir("cairo");
    auto win = window_screenshot(at, dir / "window.png", "", "--no-shaders");
    auto ref = export_reference(*parse_iso8601(at));
    const auto d = diff_and_save(win.get(), ref.get(), dir);
    EXPECT_TRUE(matches(d)) << d.message;
    EXPECT_LE(d.worst_tile_bad, 2) << "the all-Cairo window should be (nearly) the export's pixels: " << d.message;
}

// --style density: the window shows the export's heat (the same grid at the same time), on
// the GPU and all-Cairo; the tracks export is a different picture (the comparison can fail).
TEST(WindowVsExport, DensityMatchesExportPath) {
    const char* at = times[0];
    const auto ref = export_reference(*parse_iso8601(at), true);
    for (const char* args : {"--style density", "--style density --no-shaders"}) {
        const auto dir = out_dir(std::string("density") + (std::strstr(args, "no-shaders") ? "-cairo" : "-gpu"));
        auto win = window_screenshot(at, dir / "window.png", "", args);
        const auto d = diff_and_save(win.get(), ref.get(), dir);
        EXPECT_TRUE(matches(d)) << args << ": " << d.message;
        if (std::strstr(args, "no-shaders")) continue;
        const auto tracks = export_reference(*parse_iso8601(at));
        const auto dt = compare_tiles(win.get(), tracks.get(), channel_tolerance);
        EXPECT_FALSE(matches(dt)) << "the density window matched the tracks export: " << dt.message;
    }
}

// The window-versus-export test must fail when the window's clock is off by 60 s.
TEST(WindowVsExport, WindowClockOffBy60sFailsTheComparison) {
    for (const char* at : times)
        for (const char* skew : {"60", "-60"}) {
            const auto dir = out_dir(std::string("skew") + skew + "-" + at);
            auto win = window_screenshot(at, dir / "window.png", std::string("FR_WINDOW_CLOCK_SKEW_S=") + skew);
            auto ref = export_reference(*parse_iso8601(at));
            const auto d = diff_and_save(win.get(), ref.get(), dir);
            EXPECT_FALSE(matches(d)) << at << " skew " << skew << " s still matched: " << d.message;
        }
}

// A scene dumped from `render` (orthographic, dark theme, profile inset, follow camera) opens
// in `view` as the still `render` exports from it at the same time. The window adds its own
// furniture (timeline bar, replay speed) and moves the legend above the bar, so the map between
// the furniture is compared: trail, aircraft and label, great circle, places, coast.
namespace {

/// The rectangle x0..x0+w, y0..y0+h of `s` (multiples of the 16-pixel comparison tiles).
render::SurfacePtr crop(cairo_surface_t* s, int x0, int y0, int w, int h) {
    auto out = render::make_image_surface(w, h);
    auto cr = render::make_context(out.get());
    cairo_set_source_surface(cr.get(), s, -x0, -y0);
    cairo_paint(cr.get());
    cairo_surface_flush(out.get());
    return out;
}

TileDiff compare_map_middle(cairo_surface_t* window, cairo_surface_t* still, const fs::path& dir) {
    // Clear of the route figures (top left), profile inset (top right), legend (bottom left),
    // scale bar and north arrow (right) at 1280x720.
    auto a = crop(window, 336, 128, 608, 432), b = crop(still, 336, 128, 608, 432);
    cairo_surface_write_to_png(a.get(), (dir / "window-middle.png").c_str());
    return diff_and_save(a.get(), b.get(), dir);
}

}  // namespace

TEST(WindowVsExport, SceneDumpedFromRenderOpensAsTheExportedStill) {
#if defined(__SANITIZE_THREAD__)
    // Five runs that each build a following scene (about 40 s in a release build, many minutes
    // under ThreadSanitizer); the window's threads are exercised by the comparisons above.
    GTEST_SKIP() << "too slow under ThreadSanitizer; runs in the release build";
#endif
    const auto dir = out_dir("dumped-scene");
    const char* at = times[0];
    const auto scene = dir / "scene.toml", still = dir / "still.png";
    ASSERT_EQ(sh(quote(bin) + " render " + quote(sample1) + " " + quote(sample2) + " -o " + quote(still) + " --size " + std::to_string(W) +
                 "x" + std::to_string(H) + " --at " + at +
                 " --projection orthographic --theme dark --profile --follow RFF7203 --zoom-km 1500 --dump-scene > " + quote(scene)),
              0);
    ASSERT_EQ(sh(quote(bin) + " render --scene " + quote(scene) + " -q"), 0);
    auto exported = load_png(still);
    const std::string view = quote(bin) + " view --scene " + quote(scene) + " --exit -q --screenshot ";
    ASSERT_EQ(sh(view + quote(dir / "window.png") + " > /dev/null 2>&1"), 0);
    auto win = load_png(dir / "window.png");
    const auto d = compare_map_middle(win.get(), exported.get(), dir);
    EXPECT_TRUE(matches(d)) << d.message;
    // The comparison can fail: the window's clock 60 s late moves the followed view (the
    // aircraft flies about 14 km, some 12 pixels at this zoom).
    ASSERT_EQ(sh("FR_WINDOW_CLOCK_SKEW_S=60 " + view + quote(dir / "window-late.png") + " > /dev/null 2>&1"), 0);
    auto late = load_png(dir / "window-late.png");
    EXPECT_FALSE(matches(compare_map_middle(late.get(), exported.get(), dir))) << "a window 60 s late matched the still";
}

// ---- Interactive: real key presses and clicks through xdotool -------------------------------

namespace {

class LiveWindow {
public:
    explicit LiveWindow(const fs::path& dir) : m_dir(dir) {
        const std::string cmd = quote(bin) + " view " + quote(sample1) + " " + quote(sample2) + " --size " + std::to_string(W) + "x" +
                                std::to_string(H) + " --at " + times[0] + " --screenshot " + quote(dir / "shot.png") + " --still-dir " +
                                quote(dir) + " > " + quote(dir / "out.txt") + " 2> " + quote(dir / "err.txt") + " & echo $! > " +
                                quote(dir / "pid.txt");
        EXPECT_EQ(sh(cmd), 0);
        // Wait for the window, then give it the keyboard focus (there is no window manager).
        EXPECT_EQ(sh("xdotool search --sync --onlyvisible --name '^flightreplay' > " + quote(dir / "wid.txt")), 0);
        std::ifstream(dir / "wid.txt") >> m_wid;
        std::ifstream(dir / "pid.txt") >> m_pid;
        sh("xdotool windowfocus --sync " + m_wid);
    }
    ~LiveWindow() {
        if (m_pid > 0) kill(m_pid, SIGTERM);
    }
    void key(const std::string& k) { sh("xdotool key --delay 30 " + k); }
    void click(int x, int y) { sh("xdotool mousemove --window " + m_wid + " " + std::to_string(x) + " " + std::to_string(y) + " click 1"); }
    void wheel(int x, int y, int button, int n) {
        sh("xdotool mousemove --window " + m_wid + " " + std::to_string(x) + " " + std::to_string(y) + " click --repeat " +
           std::to_string(n) + " --delay 20 " + std::to_string(button));
    }
    /// The n-th line of stdout starting with `prefix` (waits up to 20 s).
    std::string wait_line(const std::string& prefix, int n) {
        for (int i = 0; i < 400; ++i) {
            std::ifstream f(m_dir / "out.txt");
            std::string line;
            int seen = 0;
            while (std::getline(f, line))
                if (line.rfind(prefix, 0) == 0 && ++seen == n) return line;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        ADD_FAILURE() << "no line '" << prefix << "' #" << n << " from the window";
        return {};
    }
    /// F12, then waits for the screenshot; returns its replay time and keeps a copy.
    std::string shot(const std::string& name) {
        key("F12");
        const auto line = wait_line("screenshot ", ++m_shots);
        fs::copy_file(m_dir / "shot.png", m_dir / (name + ".png"), fs::copy_options::overwrite_existing);
        std::smatch m;
        std::regex re(" at (\\S+) video");
        return std::regex_search(line, m, re) ? m[1].str() : "";
    }
    render::SurfacePtr image(const std::string& name) { return load_png(m_dir / (name + ".png")); }
    bool exited() {
        for (int i = 0; i < 100; ++i) {
            if (kill(m_pid, 0) != 0) return true;
            std::ifstream stat("/proc/" + std::to_string(m_pid) + "/stat");  // a zombie nobody reaps has exited too
            std::string pid, comm, state;
            stat >> pid >> comm >> state;
            if (state == "Z") return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }

private:
    fs::path m_dir;
    std::string m_wid;
    pid_t m_pid = -1;
    int m_shots = 0;
};

}  // namespace

TEST(WindowInteractive, KeysAndClicksDriveTheReplay) {
    const auto dir = out_dir("interactive");
    LiveWindow w(dir);
    const auto t0 = w.shot("start");
    EXPECT_EQ(*parse_iso8601(t0), *parse_iso8601("2023-07-31T19:30:00Z"));
    auto start = w.image("start");

    // Space plays, space pauses: the clock has moved and the picture changed.
    w.key("space");
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    w.key("space");
    std::this_thread::sleep_for(std::chrono::milliseconds(1700));  // the "paused" note fades after 1.5 s
    const auto t1 = w.shot("played");
    EXPECT_GT(*parse_iso8601(t1), *parse_iso8601(t0));
    auto played = w.image("played");
    EXPECT_FALSE(matches(compare_tiles(start.get(), played.get(), channel_tolerance)));

    // S saves a still through the export path; it shows what the window shows.
    w.key("s");
    const auto still_line = w.wait_line("still ", 1);
    const auto still_path = still_line.substr(6, still_line.find(" at ") - 6);
    ASSERT_TRUE(fs::exists(still_path)) << still_line;
    auto still = load_png(still_path);
    const auto sd = compare_tiles(played.get(), still.get(), channel_tolerance);
    EXPECT_TRUE(matches(sd)) << "S still vs window: " << sd.message;

    // A click on the timeline bar scrubs: 3/4 along the bar is 3/4 of the video.
    //   bar: x from 24*s to W-24*s, y = H - m - attr_h - 34 s .. + 30 s, s = H/1080 (CairoRenderer)
    const double s = H / 1080.0;
    const double x0 = 24 * s, x1 = W - 24 * s, bar_y = H - 24 * s - 15 * s * 1.4 - 34 * s + 15 * s;
    const int cx = static_cast<int>(x0 + 0.75 * (x1 - x0));
    w.click(cx, static_cast<int>(bar_y));
    const auto t2 = w.shot("scrubbed");
    {
        pipeline::LoadRequest lr;
        lr.inputs = {sample1, sample2};
        auto data = pipeline::load_and_analyse(lr);
        render::SceneOptions o;
        o.width = W;
        o.height = H;
        render::Scene scene = pipeline::make_scene(data.flights, data.analyses, o);
        const Timeline tl = app::window::make_view_timeline(scene);
        const double v = (cx - x0) / (x1 - x0) * tl.video_duration_s();
        const auto want = tl.replay_time(v);
        const auto got = *parse_iso8601(t2);
        // One pixel of the bar is video_duration/(x1-x0) s of video.
        const double px_s = tl.video_duration_s() / (x1 - x0);
        EXPECT_LE(std::abs(tl.video_time(got) - v), 1.5 * px_s)
            << "clicked at video " << v << " s (" << format_iso8601(want) << "), window shows " << t2;
    }

    // Wheel zoom changes the map; Home fits all again (the picture of before the zoom).
    w.wheel(W / 2, H / 2, 4, 3);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // settle: the static layer is re-drawn
    w.shot("zoomed");
    auto scrubbed = w.image("scrubbed");
    auto zoomed = w.image("zoomed");
    EXPECT_FALSE(matches(compare_tiles(scrubbed.get(), zoomed.get(), channel_tolerance)));
    w.key("Home");
    w.shot("home");
    auto home = w.image("home");
    const auto hd = compare_tiles(scrubbed.get(), home.get(), channel_tolerance);
    EXPECT_TRUE(matches(hd)) << "Home after zoom: " << hd.message;

    // H shows the help overlay.
    w.key("h");
    w.shot("help");
    auto help = w.image("help");
    EXPECT_FALSE(matches(compare_tiles(home.get(), help.get(), channel_tolerance)));
    w.key("h");

    w.key("Escape");
    EXPECT_TRUE(w.exited());
}

// After a zoom the trail cache is rebuilt over several frames (rebuild_step segments a frame)
// while the previous view's cache stands in, moved and scaled. Once done, the picture must be
// the one a window that built the cache in one go shows: no segment lost or drawn twice.
TEST(WindowTrailCache, RebuiltInStepsEndsWithTheSamePicture) {
    std::vector<Flight> flights;
    const TimePoint t0 = *parse_iso8601("2024-03-01T00:00:00Z");
    for (int i = 0; i < 120; ++i) {  // 3,000 km each through Zurich: ~40k densified segments (fewer once thinned: busy)
        const auto from = geo::direct(test::kZRH, Angle::degrees(i * 3.0), Length::kilometres(1500));
        const auto to = geo::direct(test::kZRH, Angle::degrees(i * 3.0 + 180), Length::kilometres(1500));
        flights.push_back(test::synthetic_flight("SYN" + std::to_string(300 + i), from, to, t0 + std::chrono::minutes(i % 10)));
    }
    const auto fa = test::analysed(std::move(flights));
    const TimePoint at = t0 + std::chrono::minutes(150);
    // Each window lives in a child process: SFML keeps its X connection until exit, and this
    // process outlives the test's Xvfb. Exit status 0: drawn, 3: no shaders.
    auto shot = [&](bool frame_before_zoom, const fs::path& png, int frames_after) -> render::SurfacePtr {
        const pid_t pid = fork();
        if (pid == 0) {
            const render::TextEngine text(io::asset_path("fonts/fonts.conf"));
            app::window::WindowOptions wo;
            wo.width = W;
            wo.height = H;
            wo.quiet = true;
            // Small steps: the scene's trails are thinned (busy), a few thousand segments.
            wo.trail_rebuild_step = 200;
            render::SceneOptions so;
            so.trail_minutes = 1e6;  // whole trails (120 aircraft would fade by default, and fading trails are not cached)
            app::window::ReplayWindow win(fa.flights, fa.analyses, so, text, wo);
            if (!win.shaders_active()) std::_Exit(3);
            win.controller().seek(at);
            if (frame_before_zoom) win.draw();  // a complete cache for the home view
            win.zoom(W / 2.0, H / 2.0, 1.25);
            std::this_thread::sleep_for(std::chrono::milliseconds(400));  // settle
            win.update(0);                                                // re-drawn for the zoomed view
            for (int i = 0; i < frames_after; ++i) {
                win.update(0);
                win.draw();
            }
            win.capture(png);
            std::_Exit(0);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 3) return nullptr;
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "window child failed: " << status;
        return load_png(png);
    };
    const auto dir = out_dir("cache-steps");
    auto one_go = shot(false, dir / "one_go.png", 1);
    if (!one_go) GTEST_SKIP() << "no GLSL shaders in this OpenGL context";
    auto first = shot(true, dir / "first_step.png", 1);
    auto stepped = shot(true, dir / "stepped.png", 60);
    // The first frame after the zoom shows the stand-in (the comparison below can fail)...
    const auto d1 = compare_tiles(first.get(), one_go.get(), 0);
    EXPECT_GT(d1.bad_fraction, 0.0) << "the rebuild did not take steps: " << d1.message;
    // ...a few frames later the rebuilt cache, bit for bit.
    const auto d = compare_tiles(stepped.get(), one_go.get(), 0, (dir / "diff.png").c_str());
    std::cout << "cache-steps: " << d.message << "\n";
    EXPECT_EQ(d.bad_fraction, 0.0) << d.message;
}

// ---- Furniture: fixed to the screen, above the map content --------------------------------

namespace {

/// Runs `body` with a window in a child process (SFML keeps its X connection until exit, and
/// this process outlives the test's Xvfb). The child's exit status: 0 done, 3 no shaders,
/// 4 a check in `body` failed; returns false when the window has no shaders.
template <class F>
bool in_window_child(const std::vector<Flight>& flights, const std::vector<analysis::FlightAnalysis>& analyses,
                     const render::SceneOptions& so, int w, int h, F body) {
    const pid_t pid = fork();
    if (pid == 0) {
        int rc = 0;
        try {
            const render::TextEngine text(io::asset_path("fonts/fonts.conf"));
            app::window::WindowOptions wo;
            wo.width = w;
            wo.height = h;
            wo.quiet = true;
            app::window::ReplayWindow win(flights, analyses, so, text, wo);
            if (!win.shaders_active()) std::_Exit(3);
            rc = body(win);
        } catch (const std::exception& e) {
            std::cerr << "window child: " << e.what() << "\n";
            rc = 5;
        }
        std::_Exit(rc);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 3) return false;
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "window child failed: " << status;
    return true;
}

/// Share of the pixels in `b` (clipped to the image; only those set in `mask`, one byte a pixel
/// row by row, when given) where any channel differs by more than `tol` (of 255).
double box_diff(cairo_surface_t* a, cairo_surface_t* c, const render::Box& b, int tol, const std::vector<std::uint8_t>* mask = nullptr) {
    cairo_surface_flush(a);
    cairo_surface_flush(c);
    const int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    const int x0 = std::max(0, static_cast<int>(std::floor(b.x0))), y0 = std::max(0, static_cast<int>(std::floor(b.y0)));
    const int x1 = std::min(w, static_cast<int>(std::ceil(b.x1))), y1 = std::min(h, static_cast<int>(std::ceil(b.y1)));
    const int sa = cairo_image_surface_get_stride(a), sc = cairo_image_surface_get_stride(c);
    const unsigned char* pa = cairo_image_surface_get_data(a);
    const unsigned char* pc = cairo_image_surface_get_data(c);
    long bad = 0, all = 0;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) {
            if (mask && !(*mask)[static_cast<std::size_t>(y) * w + x]) continue;
            int m = 0;
            for (int k = 0; k < 3; ++k) m = std::max(m, std::abs(pa[y * sa + x * 4 + k] - pc[y * sc + x * 4 + k]));
            bad += m > tol;
            ++all;
        }
    return all ? static_cast<double>(bad) / static_cast<double>(all) : 0.0;
}

/// The export's static layer of `scene` (map and furniture, frame with a timeline) and where the
/// furniture covers the map: its pixels at least 90% opaque when drawn alone (cards, text, the
/// core of halos; not their soft edges, which let what is under them show).
struct StaticLayer {
    render::SurfacePtr image;
    std::vector<std::uint8_t> furniture;
};
StaticLayer export_static(const render::Scene& scene, const render::TextEngine& text) {
    const int w = scene.options().width, h = scene.options().height;
    const render::CairoRenderer r(scene, text);
    StaticLayer out{render::make_image_surface(w, h), std::vector<std::uint8_t>(static_cast<std::size_t>(w) * h, 0)};
    auto alone = render::make_image_surface(w, h);
    {
        auto cr = render::make_context(out.image.get());
        r.draw_static(cr.get(), true);
        auto ca = render::make_context(alone.get());
        r.draw_static_furniture(ca.get(), true);
    }
    cairo_surface_flush(out.image.get());
    cairo_surface_flush(alone.get());
    const int sa = cairo_image_surface_get_stride(alone.get());
    const unsigned char* pa = cairo_image_surface_get_data(alone.get());
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            out.furniture[static_cast<std::size_t>(y) * w + x] = pa[y * sa + x * 4 + 3] >= 230;  // ARGB32: alpha in byte 3 (little-endian)
    return out;
}

struct NamedBox {
    std::string name;
    render::Box box;
};

/// What an export frame of `scene` at `at` lays out fixed to the frame (furniture, clock, hold
/// banner, stop cards; not the labels on the map), pixels.
std::vector<NamedBox> fixed_boxes(const render::Scene& scene, const render::TextEngine& text, TimePoint at) {
    const Timeline tl = app::window::make_view_timeline(scene);
    render::CairoRenderer r(scene, text);
    auto surf = render::make_image_surface(scene.options().width, scene.options().height);
    auto cr = render::make_context(surf.get());
    r.draw_frame(cr.get(), render::FrameInfo{at, &tl, tl.video_time(at)});
    using render::layout::Role;
    std::vector<NamedBox> out;
    for (const auto& p : r.last_layout())
        if (p.role != Role::aircraft_label && p.role != Role::gap_label && p.role != Role::airport_label && p.role != Role::place_label)
            out.push_back({render::layout::to_string(p.role), p.box});
    return out;
}

}  // namespace

// While the map is dragged (before the view settles and is re-drawn) the furniture, clock and
// stop cards stay at their pixels and only the map moves; after it settles the boxes whose
// content does not depend on the view (clock, banner, title, source line) are still there.
TEST(WindowFurniture, StaysFixedWhileThePanMovesTheMap) {
#if defined(__SANITIZE_THREAD__)
    // The window runs in a forked child, and this process has threads by then (loading,
    // drawing): ThreadSanitizer does not support threads started after such a fork. The window's
    // threads are checked under ThreadSanitizer by the other display tests.
    GTEST_SKIP() << "forks a multi-threaded process: not supported under ThreadSanitizer";
#endif
    pipeline::LoadRequest lr;
    lr.inputs = {sample1, sample2};
    const auto data = pipeline::load_and_analyse(lr);
    const render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    const TimePoint at = *parse_iso8601(times[1]);  // during the stop at Pyongyang: a stop card and its leader
    for (const auto& [w, h] : {std::pair{1280, 720}, std::pair{640, 360}}) {
        const auto dir = out_dir("pan-" + std::to_string(w) + "x" + std::to_string(h));
        render::SceneOptions so;
        const bool ran = in_window_child(data.flights, data.analyses, so, w, h, [&](app::window::ReplayWindow& win) {
            win.controller().seek(at);
            win.draw();
            win.capture(dir / "before.png");
            win.pan(w * 0.12, h * 0.12);  // a drag of 12% of the window, not yet settled
            win.draw();
            win.capture(dir / "panned.png");
            std::this_thread::sleep_for(std::chrono::milliseconds(400));
            win.update(0);  // settled: re-drawn for the new view
            win.draw();
            win.capture(dir / "settled.png");
            return 0;
        });
        if (!ran) GTEST_SKIP() << "no GLSL shaders in this OpenGL context";
        auto before = load_png(dir / "before.png");
        auto panned = load_png(dir / "panned.png");
        auto settled = load_png(dir / "settled.png");
        render::SceneOptions o;
        o.width = w;
        o.height = h;
        const render::Scene scene = pipeline::make_scene(data.flights, data.analyses, o);
        const auto boxes = fixed_boxes(scene, text, at);
        ASSERT_GE(boxes.size(), 5u);
        // The static furniture is compared where it covers the map (export_static); the clock,
        // hold banner, stop cards and timeline bar (cards 92% opaque: a trail under one shows
        // faintly) where they have ink (text, border: a channel below 160 of 255 before the
        // pan). A pixel differs when a channel moves by more than 24 of 255. Allowed: 1% of
        // those pixels (measured: 0). A box that slid with the map differs in far more.
        const auto stat = export_static(scene, text);
        constexpr int tol = 24;
        constexpr double max_moved = 0.01;
        std::vector<std::uint8_t> ink(static_cast<std::size_t>(w) * h, 0);
        {
            cairo_surface_flush(before.get());
            const int sb = cairo_image_surface_get_stride(before.get());
            const unsigned char* pb = cairo_image_surface_get_data(before.get());
            for (int y = 0; y < h; ++y)
                for (int x = 0; x < w; ++x) {
                    const unsigned char* q = pb + y * sb + x * 4;
                    ink[static_cast<std::size_t>(y) * w + x] = std::max({q[0], q[1], q[2]}) < 160;
                }
        }
        bool stop_card = false;
        for (const auto& b : boxes) {
            stop_card = stop_card || b.name == "stop card";
            const bool hud = b.name == "clock" || b.name == "hold banner" || b.name == "stop card" || b.name == "timeline bar";
            const auto* mask = hud ? &ink : &stat.furniture;
            const double d = box_diff(before.get(), panned.get(), b.box, tol, mask);
            std::cout << w << "x" << h << " " << b.name << ": " << d * 100 << "% of its pixels differ after the pan\n";
            EXPECT_LE(d, max_moved) << w << "x" << h << ": " << b.name << " moved with the map";
            if (b.name == "clock" || b.name == "banner" || b.name == "title" || b.name == "source line") {
                const double ds = box_diff(before.get(), settled.get(), b.box, tol, mask);
                EXPECT_LE(ds, max_moved) << w << "x" << h << ": " << b.name << " moved once the view settled";
            }
        }
        if (w >= 1280) EXPECT_TRUE(stop_card) << "the scene at " << times[1] << " should have a stop card";
        // ...while the map did move: a fifth of the picture or more changes by more than 8 of
        // 255 (measured 28-31%; the light land and sea colours differ by little).
        const auto whole = compare_tiles(before.get(), panned.get(), 8);
        std::cout << w << "x" << h << " whole picture after the pan: " << whole.message << "\n";
        EXPECT_GT(whole.bad_fraction, 0.20) << "the map did not move";
    }
}

// Trails cross the legend, scale bar and source line (the view is a box well inside the
// flights): the window draws the furniture over them, so those boxes show the export's
// furniture over the map and no trail pixel.
TEST(WindowFurniture, DrawnAboveTrails) {
#if defined(__SANITIZE_THREAD__)
    // The window runs in a forked child, and this process has threads by then (loading,
    // drawing): ThreadSanitizer does not support threads started after such a fork. The window's
    // threads are checked under ThreadSanitizer by the other display tests.
    GTEST_SKIP() << "forks a multi-threaded process: not supported under ThreadSanitizer";
#endif
    std::vector<Flight> flights;
    const TimePoint t0 = *parse_iso8601("2024-03-01T06:00:00Z");
    // West-east and south-north lines across a box around Switzerland, reaching past it.
    for (int i = 0; i < 21; ++i) {
        const double lat = 44.5 + 0.2 * i;
        flights.push_back(test::synthetic_flight("EW" + std::to_string(100 + i), LatLon::from_degrees(lat, 2.0),
                                                 LatLon::from_degrees(lat, 14.0), t0 + std::chrono::minutes(i)));
    }
    for (int i = 0; i < 17; ++i) {
        const double lon = 4.0 + 0.5 * i;
        flights.push_back(test::synthetic_flight("SN" + std::to_string(100 + i), LatLon::from_degrees(43.0, lon),
                                                 LatLon::from_degrees(50.0, lon), t0 + std::chrono::minutes(i)));
    }
    const auto fa = test::analysed(std::move(flights));
    const TimePoint at = t0 + std::chrono::hours(4);  // every flight has landed: whole trails drawn
    const render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    for (const auto& [w, h] : {std::pair{1280, 720}, std::pair{640, 360}}) {
        const auto dir = out_dir("above-trails-" + std::to_string(w) + "x" + std::to_string(h));
        render::SceneOptions so;
        so.bbox = geo::GeoBounds{5.5, 11.0, 45.5, 48.2};  // lon_min, lon_max, lat_min, lat_max
        so.trail_minutes = 1e6;                           // whole trails (38 aircraft would fade)
        const bool ran = in_window_child(fa.flights, fa.analyses, so, w, h, [&](app::window::ReplayWindow& win) {
            win.controller().seek(at);
            win.draw();
            win.capture(dir / "window.png");
            return 0;
        });
        if (!ran) GTEST_SKIP() << "no GLSL shaders in this OpenGL context";
        auto win = load_png(dir / "window.png");
        // The export's static layer of the same view: the map and the furniture, no trails.
        render::SceneOptions o = so;
        o.width = w;
        o.height = h;
        const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, o);
        const render::CairoRenderer r(scene, text);
        const auto stat = export_static(scene, text);
        cairo_surface_write_to_png(stat.image.get(), (dir / "export_static.png").c_str());
        using render::layout::Role;
        int checked = 0;
        for (const auto& p : r.frame_layout(true).items) {
            if (p.role != Role::legend && p.role != Role::source_line && p.role != Role::scale_bar) continue;
            ++checked;
            const char* name = render::layout::to_string(p.role);
            // The trails pass under the box: in it and around it (a 24 px ring) the window
            // differs from the map alone.
            const render::Box ring{p.box.x0 - 24, p.box.y0 - 24, p.box.x1 + 24, p.box.y1 + 24};
            const double around = box_diff(win.get(), stat.image.get(), ring, 24);
            // Where the furniture covers the map (export_static), the export's pixels: tolerance
            // 24 of 255 per channel (a trail under a 92% opaque card shows by at most ~20; the
            // window composites the furniture from its own layer, the export draws it onto the
            // map: 8-bit rounding), and at most 0.2% of those pixels beyond it. A trail drawn
            // over the furniture changes 2-10% of them.
            const double inside = box_diff(win.get(), stat.image.get(), p.box, 24, &stat.furniture);
            std::cout << w << "x" << h << " " << name << ": " << inside * 100 << "% of its pixels differ from the export's, "
                      << around * 100 << "% around it\n";
            EXPECT_GT(around, 0.02) << "no trail passes by the " << name << ": the test shows nothing";
            EXPECT_LE(inside, 0.002) << w << "x" << h << ": trail pixels over the " << name;
        }
        EXPECT_EQ(checked, 3) << "legend, scale bar and source line expected in the layout";
    }
}

// The window's GPU trails fade by default exactly where an export's do (the one rule,
// render::default_trail_minutes), as the export's fade.
TEST(WindowFade, ByDefaultAboveTheExportsAircraftCount) {
    const TimePoint t0 = *parse_iso8601("2024-03-01T06:00:00Z");
    for (const std::size_t n : {render::kFadeAboveAircraft, render::kFadeAboveAircraft + 1}) {
        std::vector<Flight> flights;
        for (std::size_t i = 0; i < n; ++i) {
            const auto from = geo::direct(test::kZRH, Angle::degrees(static_cast<double>(i) * 20.0), Length::kilometres(400));
            flights.push_back(test::synthetic_flight("FD" + std::to_string(100 + i), from, test::kZRH, t0));
        }
        const auto fa = test::analysed(std::move(flights));
        const render::Scene scene = pipeline::make_scene(fa.flights, fa.analyses, render::SceneOptions{});
        const double want_s = scene.options().trail_minutes.value_or(0) * 60.0;
        EXPECT_EQ(want_s > 0, n > render::kFadeAboveAircraft) << n << " aircraft";
        const bool ran = in_window_child(fa.flights, fa.analyses, render::SceneOptions{}, W, H,
                                         [&](app::window::ReplayWindow& win) { return win.trail_look().fade_s == want_s ? 0 : 4; });
        if (!ran) GTEST_SKIP() << "no GLSL shaders in this OpenGL context";
    }
}

// Fading trails are kept between frames (each frame adds what was flown since, then fades the
// whole picture): a window that played up to a time in many small steps shows the picture of a
// window that drew that time in one go. Parallel flights that never cross (where trails
// overlap, the order they were added in may differ).
TEST(WindowFadeCache, PlayedInStepsEndsWithTheOneGoPicture) {
#if defined(__SANITIZE_THREAD__)
    GTEST_SKIP() << "forks a multi-threaded process: not supported under ThreadSanitizer";
#endif
    std::vector<Flight> flights;
    const TimePoint t0 = *parse_iso8601("2024-03-01T06:00:00Z");
    for (int i = 0; i < 21; ++i) {  // more than render::kFadeAboveAircraft: the trails fade
        const double lat = 44.5 + 0.2 * i;
        flights.push_back(test::synthetic_flight("FC" + std::to_string(100 + i), LatLon::from_degrees(lat, 2.0),
                                                 LatLon::from_degrees(lat, 14.0), t0 + std::chrono::minutes(i)));
    }
    const auto fa = test::analysed(std::move(flights));
    const TimePoint t1 = t0 + std::chrono::minutes(30), t2 = t1 + std::chrono::seconds(820);
    const auto dir = out_dir("fade-cache");
    const bool ran = in_window_child(fa.flights, fa.analyses, render::SceneOptions{}, W, H, [&](app::window::ReplayWindow& win) {
        if (win.trail_look().fade_s <= 0) return 4;
        win.controller().seek(t1);
        win.draw();
        win.capture(dir / "first.png");
        // 41 steps of 20 s: the cache is brought up to date every other frame (more than 30 s,
        // a 60th of the fade, behind), the frames between (the last one too) draw what was
        // flown since over it.
        for (int i = 1; i <= 41; ++i) {
            win.controller().seek(t1 + std::chrono::seconds(20 * i));
            win.draw();
        }
        win.capture(dir / "stepped.png");
        return 0;
    });
    if (!ran) GTEST_SKIP() << "no GLSL shaders in this OpenGL context";
    ASSERT_TRUE(in_window_child(fa.flights, fa.analyses, render::SceneOptions{}, W, H, [&](app::window::ReplayWindow& win) {
        win.controller().seek(t2);
        win.draw();
        win.capture(dir / "one_go.png");
        return 0;
    }));
    const auto first = load_png(dir / "first.png"), stepped = load_png(dir / "stepped.png"), one_go = load_png(dir / "one_go.png");
    // The trails moved and faded between t1 and t2 (the comparison below can fail)...
    EXPECT_GT(compare_tiles(first.get(), one_go.get(), 8).bad_fraction, 0.001);
    // ...and the stepped window ends with the one-go picture: every channel within 8 of 255
    // (8-bit rounding of colours faded from the cache). Leaving out what was flown since the
    // last update of the cache puts 4 pixels beyond that.
    const auto d = compare_tiles(stepped.get(), one_go.get(), 8, (dir / "diff.png").c_str());
    std::cout << "fade-cache: " << d.message << "\n";
    EXPECT_TRUE(d.same_size);
    EXPECT_EQ(d.bad_fraction, 0.0) << d.message;
}

// The window keeps one SceneSources for the session: a zoom or a pan that has settled re-draws
// the map for the new view from what was read for the first one, opening no file.
TEST(WindowSources, ASettledZoomAndPanOpenNoFile) {
#if defined(__SANITIZE_THREAD__)
    GTEST_SKIP() << "forks a multi-threaded process: not supported under ThreadSanitizer";
#endif
    pipeline::LoadRequest lr;
    lr.inputs = {sample1, sample2};
    const auto data = pipeline::load_and_analyse(lr);
    const bool ran = in_window_child(data.flights, data.analyses, render::SceneOptions{}, 960, 540, [&](app::window::ReplayWindow& win) {
        win.draw();
        const std::size_t reads = win.sources()->files_read();
        if (reads == 0) return 4;  // the first view was read through the session's sources
        const auto home = win.scene().transform().extent();
        win.zoom(480, 270, 1.25);
        std::this_thread::sleep_for(std::chrono::milliseconds(400));  // longer than the window's settle time
        win.update(0);
        const auto zoomed = win.scene().transform().extent();
        if (!(zoomed.width() < home.width() * 0.9)) return 4;  // re-drawn for the zoomed view
        win.pan(150, 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        win.update(0);
        if (!(win.scene().transform().extent().xmin < zoomed.xmin)) return 4;  // and for the panned one
        if (win.sources()->files_read() != reads) {
            std::cerr << "files opened after the first view: " << win.sources()->files_read() - reads << "\n";
            return 4;
        }
        return 0;
    });
    if (!ran) GTEST_SKIP() << "no GLSL shaders in this OpenGL context";
}
