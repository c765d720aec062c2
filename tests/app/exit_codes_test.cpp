// The executable's exit statuses (README "Exit codes"): 0 ok, 1 data/runtime error, 2 usage
// error (with the nearest name for typos, option errors found before any file is read and
// option errors the data contradict, checked before any output exists), 129/143 for
// SIGHUP/SIGTERM mid-video (130 for SIGINT: video_cli_e2e_test).
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "test_paths.hpp"

namespace fs = std::filesystem;

namespace {

struct Run {
    int status;
    std::string err;
};

Run run(const std::string& args) {
    const auto err_file = fs::temp_directory_path() / ("fr_exit_" + std::to_string(::getpid()) + ".err");
    const std::string cmd = std::string(FR_EXE) + " " + args + " >/dev/null 2>" + err_file.string();
    const int rc = std::system(cmd.c_str());
    std::ifstream in(err_file);
    std::stringstream ss;
    ss << in.rdbuf();
    fs::remove(err_file);
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, ss.str()};
}

std::string samples() { return (fr::test::source_dir() / "assets/samples").string(); }

fs::path out_dir() {
    auto d = fr::test::binary_dir() / "exit-codes-output";
    fs::create_directories(d);
    return d;
}

/// Runs a usage error that must not create `out`; checks status 2 and that stderr has `needle`.
void expect_usage(const std::string& args, const std::string& needle, const fs::path& out = {}) {
    SCOPED_TRACE(args);
    if (!out.empty()) fs::remove(out);
    const auto r = run(args);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("flightreplay: flightreplay:"), std::string::npos) << r.err;
    if (!out.empty()) {
        EXPECT_FALSE(fs::exists(out)) << out;
    }
}

}  // namespace

TEST(ExitCodes, OkIsZeroAndHelpIsZero) {
    const auto out = out_dir() / "ok.png";
    const auto r = run("render " + samples() + " --size 320x180 -q -o " + out.string());
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(fs::exists(out));
    EXPECT_EQ(run("--help").status, 0);
    EXPECT_EQ(run("render --help").status, 0);
}

TEST(ExitCodes, DataErrorIsOne) {
    const auto bad = out_dir() / "empty.csv";
    std::ofstream(bad) << "this is not a track\n";
    const auto r = run("render " + bad.string() + " -o " + (out_dir() / "never.png").string());
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_EQ(run("info " + (out_dir() / "does-not-exist.csv").string()).status, 1);
}

// A day archive whose only trace is unreadable holds no usable track: a data error (1) that
// names the member, not "no aircraft matches" (2) when no aircraft was asked for.
TEST(ExitCodes, AnArchiveWithNothingReadableIsADataErrorNamingTheMember) {
    const auto dir = out_dir() / "unreadable-archive";
    fs::remove_all(dir);
    fs::create_directories(dir / "traces" / "71");
    std::ofstream(dir / "traces" / "71" / "trace_full_ac6c71.json") << "\x1f\x8b this is not gzip";
    const auto tar = out_dir() / "v2025.01.01-planes-readsb-test.tar";
    ASSERT_EQ(std::system(("tar -cf " + tar.string() + " -C " + dir.string() + " traces").c_str()), 0);
    const auto r = run("info " + tar.string());
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_NE(r.err.find("no usable track in the input"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("trace_full_ac6c71.json"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("no aircraft matches"), std::string::npos) << r.err;
}

TEST(ExitCodes, TyposGetTheNearestName) {
    expect_usage("rendr " + samples(), "did you mean 'render'?");
    expect_usage("render " + samples() + " --sise 640x360 -o x.png", "did you mean '--size'?");
    expect_usage("info --jsno " + samples(), "did you mean '--json'?");
    expect_usage("nonsense", "unknown command 'nonsense'");
    expect_usage("", "");  // no command
}

TEST(ExitCodes, OutOfRangeValuesAreUsageErrorsNamingTheOption) {
    const auto out = out_dir() / "range.png";
    const auto vid = out_dir() / "range.mp4";
    const std::string in = samples() + " -q ";
    expect_usage("render " + in + "--size 4294967312x1080 -o " + out.string(), "--size", out);
    expect_usage("render " + in + "--size 15x100 -o " + out.string(), "--size", out);
    expect_usage("render " + in + "--size 16384x16384 -o " + out.string(), "Mi pixels", out);
    expect_usage("render " + in + "--size 641x360 -o " + vid.string(), "640 or 642", vid);
    expect_usage("render " + in + "--fps 4294967326 -o " + vid.string(), "--fps", vid);
    expect_usage("render " + in + "--duration 1e9 -o " + vid.string(), "--allow-large", vid);
    expect_usage("render " + in + "--frames 20000000 -o " + vid.string(), "--allow-large", vid);
    expect_usage("render " + in + "--speed 0.000001x -o " + vid.string(), "frames", vid);
    expect_usage("render " + in + "--crs EPSG:3857 --extent 0,0,1,1 -o " + out.string(), "--extent", out);
    expect_usage("render " + in + "--zoom-km 1e9 --follow RFF7203 -o " + out.string(), "--zoom-km", out);
    // Checked by the libraries, which name the setting, never the flag: the app words it.
    expect_usage("render " + in + "--theme nosuch -o " + out.string(), "flightreplay: --theme: unknown theme 'nosuch'", out);
    expect_usage("render " + in + "--layers +nosuch -o " + out.string(), "flightreplay: --layers: invalid layer list", out);
}

TEST(ExitCodes, TimesAreCheckedBeforeReadingAndAgainstTheData) {
    const auto out = out_dir() / "times.png";
    // Syntax: found before any file is read (the input does not even exist).
    expect_usage("render /nonexistent/track.csv --at +99999999999999999h -o " + out.string(), "--at", out);
    expect_usage("render /nonexistent/track.csv --at yesterday -o " + out.string(), "--at", out);
    expect_usage("render /nonexistent/track.csv --time-range +2h -o " + out.string(), "--time-range", out);
    expect_usage("render /nonexistent/track.csv --keyframe +1h,500,0,10 -o " + out.string(), "--keyframe", out);
    // Against the data: the message gives the data's span.
    const std::string in = samples() + " -q ";
    expect_usage("render " + in + "--at 2030-01-01T00:00:00Z -o " + out.string(), "data span", out);
    expect_usage("render " + in + "--at +400d -o " + out.string(), "data span", out);
    expect_usage("render " + in + "--time-range 2030-01-01T00:00:00Z,2030-01-02T00:00:00Z -o " + out.string(), "data span", out);
    expect_usage("render " + in + "--keyframe 2030-01-01T00:00:00Z,125,39,800 -o " + out.string(), "data span", out);
    expect_usage("render " + in + "--follow NOSUCHPLANE -o " + out.string(), "--follow", out);
    expect_usage("render " + in + "--aircraft NOSUCHPLANE -o " + out.string(), "--aircraft", out);
    // --allow-empty draws a time outside the data.
    fs::remove(out);
    const auto r = run("render " + in + "--size 320x180 --at 2030-01-01T00:00:00Z --allow-empty -o " + out.string());
    EXPECT_EQ(r.status, 0) << r.err;
}

TEST(ExitCodes, OffsetsCountFromTheFirstFixForEveryOption) {
    // --at +1h with --time-range +30m,+5h: +1h counts from the first fix, not from the clipped
    // start, so it is 30 min into the range; +20m would be before the range: an error.
    const auto out = out_dir() / "offset.png";
    const std::string in = samples() + " -q --size 320x180 --time-range +30m,+5h ";
    EXPECT_EQ(run("render " + in + "--at +1h -o " + out.string()).status, 0);
    expect_usage("render " + in + "--at +20m -o " + out.string(), "outside --time-range", out);
}

TEST(ExitCodes, SignalsMidVideo) {
    for (const auto& [sig, status] : {std::pair{SIGHUP, 129}, std::pair{SIGTERM, 143}}) {
        const auto target = out_dir() / ("signal_" + std::to_string(sig) + ".mp4");
        fs::remove(target);
        const pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            execl(FR_EXE, FR_EXE, "render", samples().c_str(), "--size", "320x180", "--duration", "600", "-q", "-o", target.c_str(),
                  static_cast<char*>(nullptr));
            _exit(127);
        }
        // Wait until frames are being encoded (the temporary file has data).
        bool writing = false;
        for (int i = 0; i < 600 && !writing; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            std::error_code ec;
            for (const auto& e : fs::directory_iterator(out_dir(), ec))
                if (e.path().filename().string().find("signal_" + std::to_string(sig)) != std::string::npos &&
                    fs::file_size(e.path(), ec) > 0)
                    writing = true;
        }
        ASSERT_EQ(kill(pid, sig), 0);
        int st = 0;
        ASSERT_EQ(waitpid(pid, &st, 0), pid);
        ASSERT_TRUE(writing);
        ASSERT_TRUE(WIFEXITED(st)) << "killed by signal " << (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
        EXPECT_EQ(WEXITSTATUS(st), status);
        EXPECT_FALSE(fs::exists(target));
    }
}

// A scene file whose key holds a NUL byte and a terminal escape (TOML escapes): the usage error shows both
// escaped (\x00, \x1b) and the whole message, not the text up to the NUL.
TEST(ExitCodes, MessageWithNulFromInputIsEscapedNotCut) {
    const auto scene = out_dir() / "nul-key.toml";
    // TOML refuses raw control characters but its escapes give them: \u0000 and \u001b.
    std::ofstream(scene, std::ios::binary) << "[input]\n\"ke\\u0000y\\u001b[2J\" = 1\n";
    expect_usage("render --scene " + scene.string() + " -o " + (out_dir() / "nul.png").string(),
                 "unknown key 'ke\\x00y\\x1b[2J' in [input] (expected one of:");
    const auto r = run("render --scene " + scene.string());
    EXPECT_EQ(r.err.find('\0'), std::string::npos);
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos);
    fs::remove(scene);
}

// An unknown option is quoted back (with the nearest name): an escape sequence in it is shown
// escaped, not sent to the terminal.
TEST(ExitCodes, UnknownOptionWithEscapeIsEscaped) {
    const auto r = run("render \"$(printf -- '--outpu\\033[2Jt')\" x.json -o x.png");
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("\\x1b[2J"), std::string::npos) << r.err;
}

TEST(ExitCodes, AMovingCameraOnARasterBasemapIsAStillOnly) {
    // A still is drawn for the camera's one view, so the raster is warped to it; a video would
    // need the raster warped again for every frame, and says so.
    const auto dir = out_dir();
    const auto tif = dir / "flat.tif";
    fs::remove(tif);
    ASSERT_EQ(std::system(("gdal_create -q -of GTiff -outsize 360 180 -bands 3 -ot Byte -burn 90 -burn 140 -burn 200 -a_srs EPSG:4326 "
                           "-a_ullr -180 90 180 -90 " +
                           tif.string())
                              .c_str()),
              0);
    const auto still = dir / "follow-raster.png";
    fs::remove(still);
    const auto r =
        run("render " + samples() + " -q --basemap " + tif.string() + " --follow RFF7203 --at +3h --size 320x180 -o " + still.string());
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(fs::exists(still));
    const auto vid = dir / "follow-raster.mp4";
    expect_usage("render " + samples() + " -q --basemap " + tif.string() + " --follow RFF7203 --frames 3 --size 320x180 -o " + vid.string(),
                 "--follow: a followed aircraft cannot move a raster basemap", vid);
}
