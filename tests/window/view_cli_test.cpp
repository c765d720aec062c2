// `view` takes every option of the one option table (render-only ones accepted and ignored with
// a notice, so a dumped scene opens unchanged) and --scene; --size is the window's size,
// 1280x720 unless the scene file or the command line gives one.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <fstream>

#include "app/option_samples.hpp"
#include "app/scene_file.hpp"
#include "app/window/view_cli.hpp"
#include "test_paths.hpp"

using namespace fr;

namespace {

struct Parsed {
    app::RenderRequest rq;
    std::vector<std::string> ignored;
};

Parsed parse_view(const std::vector<std::string>& args) {
    CLI::App app;
    app::window::ViewCli view(app);
    std::vector<const char*> argv{"flightreplay", "view"};
    for (const auto& a : args) argv.push_back(a.c_str());
    app.parse(static_cast<int>(argv.size()), argv.data());  // throws CLI::ParseError on an unknown option
    Parsed p;
    p.rq = view.request(p.ignored);
    return p;
}

}  // namespace

TEST(ViewCli, AcceptsEveryOptionOfTheTable) {
    for (const auto& spec : app::render_options()) {
        const auto it = test::samples_by_key().find(spec.key);
        ASSERT_NE(it, test::samples_by_key().end()) << spec.key;
        std::vector<std::string> args = it->second;
        if (spec.key != "inputs") args.push_back("track.csv");
        SCOPED_TRACE(spec.key);
        Parsed p;
        EXPECT_NO_THROW(p = parse_view(args)) << "view rejects --" << spec.key;
        const bool render_only = spec.scope == app::OptionScope::render;
        EXPECT_EQ(std::count(p.ignored.begin(), p.ignored.end(), "--" + spec.key), render_only ? 1 : 0)
            << "--" << spec.key << (render_only ? " is render-only: ignored with the notice" : " is used by view");
    }
}

TEST(ViewCli, SizeIsTheWindowsSize) {
    EXPECT_EQ(parse_view({"track.csv"}).rq.width, app::window::kDefaultWindowWidth);
    EXPECT_EQ(parse_view({"track.csv"}).rq.height, app::window::kDefaultWindowHeight);
    const auto p = parse_view({"track.csv", "--size", "800x600"});
    EXPECT_EQ(p.rq.width, 800);
    EXPECT_EQ(p.rq.height, 600);
    // A scene's size wins over the default; the command line over the scene.
    const auto scene = test::binary_dir() / "view_cli_scene.toml";
    std::ofstream(scene) << "[input]\ninputs = [\"track.csv\"]\n[output]\nsize = \"1024x768\"\noutput = \"x.mp4\"\n[video]\nfps = 60\n";
    const auto s = parse_view({"--scene", scene.string()});
    EXPECT_EQ(s.rq.width, 1024);
    EXPECT_EQ(s.rq.height, 768);
    EXPECT_TRUE(s.rq.output.empty());
    EXPECT_EQ(s.rq.fps, 30) << "render-only: reset to the default";
    EXPECT_EQ(s.ignored.size(), 2u);  // --output, --fps
    EXPECT_EQ(parse_view({"--scene", scene.string(), "--size", "640x480"}).rq.width, 640);
}

TEST(ViewCli, DumpedSceneOpensUnchanged) {
    // A scene dumped by render, with render-only keys, reads into view without errors.
    app::RenderRequest rq;
    rq.load.inputs = {"track.csv"};
    rq.output = "out.mp4";
    rq.fps = 25;
    rq.projection = geo::Preset::orthographic;
    rq.theme = "dark";
    const auto scene = test::binary_dir() / "view_cli_dumped.toml";
    std::ofstream(scene) << app::dump_scene(rq);
    const auto p = parse_view({"--scene", scene.string()});
    EXPECT_EQ(p.rq.projection, geo::Preset::orthographic);
    EXPECT_EQ(p.rq.theme, "dark");
    EXPECT_EQ(p.rq.width, 1920) << "the dumped scene's size";
}
