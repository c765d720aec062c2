// Window tests under a private Xvfb (label `display`): the window and the export path draw the
// same view at the same replay time (and the test fails when the window's clock is off by
// 60 s), and real key presses and clicks sent with xdotool drive the window.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "app/pipeline.hpp"
#include "app/window/replay_window.hpp"
#include "app/window/view_session.hpp"
#include "io/assets.hpp"
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
render::SurfacePtr export_reference(TimePoint at) {
    app::LoadRequest lr;
    lr.inputs = {sample1, sample2};
    auto data = app::load_and_analyse(lr);
    render::SceneOptions o;
    o.width = W;
    o.height = H;
    render::Scene scene(data.flights, data.analyses, o);
    const Timeline tl = app::window::make_view_timeline(scene);
    render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    // The window's clock box shows the speed in use: the timeline's own rounded to the +/- ladder.
    return app::window::render_export_frame(scene, text, tl, tl.video_time(at), app::window::ViewController(tl).speed());
}

render::SurfacePtr window_screenshot(const std::string& at, const fs::path& png, const std::string& extra_env = "",
                                     const std::string& extra_args = "") {
    const std::string cmd = extra_env + " " + quote(bin) + " view " + quote(sample1) + " " + quote(sample2) + " --size " +
                            std::to_string(W) + "x" + std::to_string(H) + " --at " + at + " --screenshot " + quote(png) +
                            " --exit -q " + extra_args + " > /dev/null 2>&1";
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

// ---- Interactive: real key presses and clicks through xdotool -------------------------------

namespace {

class LiveWindow {
public:
    explicit LiveWindow(const fs::path& dir) : m_dir(dir) {
        const std::string cmd = quote(bin) + " view " + quote(sample1) + " " + quote(sample2) +
                                " --size " + std::to_string(W) + "x" + std::to_string(H) + " --at " + times[0] +
                                " --screenshot " + quote(dir / "shot.png") + " --still-dir " + quote(dir) +
                                " > " + quote(dir / "out.txt") + " 2> " + quote(dir / "err.txt") + " & echo $! > " + quote(dir / "pid.txt");
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
        app::LoadRequest lr;
        lr.inputs = {sample1, sample2};
        auto data = app::load_and_analyse(lr);
        render::SceneOptions o;
        o.width = W;
        o.height = H;
        render::Scene scene(data.flights, data.analyses, o);
        const Timeline tl = app::window::make_view_timeline(scene);
        const double v = (cx - x0) / (x1 - x0) * tl.video_duration_s();
        const auto want = tl.replay_time(v);
        const auto got = *parse_iso8601(t2);
        // One pixel of the bar is video_duration/(x1-x0) s of video.
        const double px_s = tl.video_duration_s() / (x1 - x0);
        EXPECT_LE(std::abs(tl.video_time(got) - v), 1.5 * px_s) << "clicked at video " << v << " s (" << format_iso8601(want)
                                                                 << "), window shows " << t2;
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
    for (int i = 0; i < 120; ++i) {  // 3,000 km each through Zurich: ~40k segments, ~30k finished at t
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
    auto stepped = shot(true, dir / "stepped.png", 6);
    // The first frame after the zoom shows the stand-in (the comparison below can fail)...
    const auto d1 = compare_tiles(first.get(), one_go.get(), 0);
    EXPECT_GT(d1.bad_fraction, 0.0) << "the rebuild did not take steps: " << d1.message;
    // ...a few frames later the rebuilt cache, bit for bit.
    const auto d = compare_tiles(stepped.get(), one_go.get(), 0, (dir / "diff.png").c_str());
    std::cout << "cache-steps: " << d.message << "\n";
    EXPECT_EQ(d.bad_fraction, 0.0) << d.message;
}
