// End to end: the real executable on the bundled sample, outputs checked with libavformat and
// by reading the PNG back; bad input must fail cleanly and leave no file behind.
#include <gtest/gtest.h>

#include <cairo.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "export/video_encoder.hpp"
#include "test_paths.hpp"

namespace fs = std::filesystem;

namespace {

struct Run {
    int status;
    std::string err;
};

Run run(const std::string& args) {
    const auto err_file = fs::temp_directory_path() / ("fr_e2e_" + std::to_string(::getpid()) + ".err");
    const std::string cmd = std::string(FR_EXE) + " " + args + " 2>" + err_file.string();
    const int rc = std::system(cmd.c_str());
    std::ifstream in(err_file);
    std::stringstream ss;
    ss << in.rdbuf();
    fs::remove(err_file);
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, ss.str()};
}

fs::path out_dir() {
    auto d = fr::test::binary_dir() / "e2e-output";
    fs::create_directories(d);
    return d;
}

std::string samples() { return (fr::test::source_dir() / "assets/samples").string(); }

}  // namespace

TEST(RenderE2E, ShortMp4PlaysAsH264) {
    const auto out = out_dir() / "short.mp4";
    fs::remove(out);
    auto r = run("render " + samples() + " -o " + out.string() + " --size 640x360 --fps 10 --duration 4 -q");
    ASSERT_EQ(r.status, 0) << r.err;
    auto p = fr::output::probe_video(out);
    EXPECT_EQ(p.codec, "h264");
    EXPECT_EQ(p.pixel_format, "yuv420p");
    EXPECT_EQ(p.width, 640);
    EXPECT_EQ(p.height, 360);
    EXPECT_EQ(p.frames, 40);
    EXPECT_NEAR(p.duration_s, 4.0, 0.11);  // seconds: one frame at 10 fps
    EXPECT_NE(p.metadata["comment"].find("reconstructed"), std::string::npos);
}

TEST(RenderE2E, FramesOptionGivesExactFrameCount) {
    const auto out = out_dir() / "frames.mp4";
    auto r = run("render " + samples() + " -o " + out.string() + " --size 320x180 --fps 25 --frames 30 -q");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(fr::output::probe_video(out).frames, 30);
}

TEST(RenderE2E, StillPngIsDeterministicAndTagged) {
    const auto a = out_dir() / "a.png", b = out_dir() / "b.png";
    ASSERT_EQ(run("render " + samples() + " -o " + a.string() + " --size 800x450 --at 2023-08-01T12:00:00Z -q").status, 0);
    ASSERT_EQ(run("render " + samples() + " -o " + b.string() + " --size 800x450 --at +21h -q").status, 0);
    std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
    const std::string ba((std::istreambuf_iterator<char>(fa)), {}), bb((std::istreambuf_iterator<char>(fb)), {});
    EXPECT_EQ(ba, bb);  // same input, same options (the +21h offset is the same instant): same bytes
    EXPECT_NE(ba.find("Provenance"), std::string::npos);
    EXPECT_NE(ba.find("reconstructed"), std::string::npos);
    cairo_surface_t* s = cairo_image_surface_create_from_png(a.c_str());
    EXPECT_EQ(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    EXPECT_EQ(cairo_image_surface_get_width(s), 800);
    cairo_surface_destroy(s);
}

TEST(RenderE2E, BadInputFailsCleanlyAndLeavesNoFile) {
    const auto bad = out_dir() / "bad.csv";
    {
        std::ofstream o(bad);
        o << "Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction\n1635481576,2021-10-29T04:26:16Z,X,\"99.0,1.0\",0,0,0\n";
    }
    const auto out = out_dir() / "never.mp4";
    fs::remove(out);
    auto r = run("render " + bad.string() + " -o " + out.string() + " -q");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.err.find(bad.string() + ":2:4"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
    for (const auto& e : fs::directory_iterator(out_dir())) EXPECT_EQ(e.path().string().find("never.mp4.tmp"), std::string::npos);
    auto u = run("render " + samples() + " -o x.avi");
    EXPECT_EQ(u.status, 2);
    EXPECT_NE(u.err.find("unsupported output"), std::string::npos) << u.err;
}

TEST(RenderE2E, InfoPrintsBothLegsAndTheStop) {
    const auto out = out_dir() / "info.json";
    const std::string cmd = std::string(FR_EXE) + " info --json " + samples() + " > " + out.string() + " 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream in(out);
    std::stringstream ss;
    ss << in.rdbuf();
    const auto j = ss.str();
    EXPECT_NE(j.find("\"provenance\": \"reconstructed\""), std::string::npos) << j.substr(0, 400);
    EXPECT_NE(j.find("ZKPY"), std::string::npos);
    EXPECT_NE(j.find("UUMU"), std::string::npos);
    EXPECT_NE(j.find("\"inferred\": false"), std::string::npos);
}
