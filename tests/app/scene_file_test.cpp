// Scene files (TOML; --dump-scene round-trips every option): every option of the table goes CLI -> request -> TOML -> request -> TOML unchanged,
// command-line options override the scene, errors name FILE:LINE:COLUMN, and the PNG rendered
// from a dumped scene equals the one rendered from the flags, byte for byte.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include <map>

#include "app/option_samples.hpp"
#include "app/scene_file.hpp"
#include "core/error.hpp"
#include "report_helpers.hpp"

using namespace fr;

namespace {

using test::samples_by_key;  // one non-default, valid command-line sample per option key

app::RenderRequest parse_cli(const std::vector<std::string>& args) {
    CLI::App cli;
    app::CliBindings b;
    b.add_to(cli, app::CliBindings::Command::view);  // every option of the table
    std::vector<const char*> argv{"render"};
    for (const auto& a : args) argv.push_back(a.c_str());
    cli.parse(static_cast<int>(argv.size()), argv.data());
    app::RenderRequest rq;
    b.apply(rq);
    return rq;
}

}  // namespace

TEST(SceneFile, SampleForEveryOption) {
    for (const auto& spec : app::render_options())
        EXPECT_TRUE(samples_by_key().count(spec.key)) << "option --" << spec.key << " has no sample in tests/app/option_samples.hpp";
}

TEST(SceneFile, EveryOptionRoundTripsThroughDumpAndLoad) {
    std::vector<std::string> args;
    for (const auto& spec : app::render_options()) {
        auto it = samples_by_key().find(spec.key);
        ASSERT_NE(it, samples_by_key().end()) << spec.key;
        args.insert(args.end(), it->second.begin(), it->second.end());
    }
    const auto rq = parse_cli(args);
    const std::string first = app::dump_scene(rq);
    for (const auto& spec : app::render_options())
        EXPECT_NE(first.find("\n" + spec.key + " = "), std::string::npos) << "--" << spec.key << " missing from the dump:\n" << first;

    app::RenderRequest loaded;
    app::load_scene_text(first, "dump.toml", "/nowhere", loaded);
    const std::string second = app::dump_scene(loaded);
    EXPECT_EQ(first, second);
    // Spot checks that values, not just keys, came back.
    EXPECT_EQ(loaded.title, rq.title);
    EXPECT_EQ(loaded.subtitle, "line one\nline two");
    EXPECT_FALSE(loaded.labels);
    EXPECT_EQ(loaded.width, 1280);
    EXPECT_DOUBLE_EQ(loaded.dpi, 144.5);
    EXPECT_DOUBLE_EQ(*loaded.speed, 0.1);
    EXPECT_DOUBLE_EQ(loaded.extent->xmin, -1000.25);
    EXPECT_EQ(loaded.frame_slice->second, 20);
    EXPECT_EQ(loaded.load.aircraft.size(), 2u);
    EXPECT_TRUE(loaded.output.path.is_absolute());  // dumped paths are absolute
}

TEST(SceneFile, ADifferentValueGivesADifferentDump) {
    // The round trip must be able to fail: a changed option shows in the dump.
    auto a = parse_cli({"x.csv", "-o", "a.png", "--at", "+13h20m"});
    auto b = parse_cli({"x.csv", "-o", "a.png", "--at", "+13h21m"});
    EXPECT_NE(app::dump_scene(a), app::dump_scene(b));
}

TEST(SceneFile, CommandLineOverridesTheScene) {
    app::RenderRequest rq;
    app::load_scene_text("[layout]\ntitle = \"from scene\"\nlabels = false\n[output]\nsize = \"800x600\"\n", "s.toml", "/base", rq);
    CLI::App cli;
    app::CliBindings b;
    b.add_to(cli, app::CliBindings::Command::view);  // every option of the table
    const char* argv[] = {"render", "--title", "from flags", "--labels"};
    cli.parse(4, argv);
    b.apply(rq);
    EXPECT_EQ(rq.title, "from flags");
    EXPECT_TRUE(rq.labels);
    EXPECT_EQ(rq.width, 800);  // not on the command line: the scene's value stays
}

TEST(SceneFile, RelativePathsAreRelativeToTheSceneFile) {
    app::RenderRequest rq;
    app::load_scene_text("[input]\ninputs = [\"data/a.csv\", \"/abs/b.csv\"]\n[output]\noutput = \"../out/m.png\"\n", "s.toml",
                         "/home/u/figs", rq);
    ASSERT_EQ(rq.load.inputs.size(), 2u);
    EXPECT_EQ(rq.load.inputs[0], "/home/u/figs/data/a.csv");
    EXPECT_EQ(rq.load.inputs[1], "/abs/b.csv");
    EXPECT_EQ(rq.output.path, "/home/u/out/m.png");
    EXPECT_EQ(rq.output.kind, app::OutputKind::png);
}

TEST(SceneFile, ErrorsNameFileLineAndColumn) {
    auto message = [](const std::string& text) {
        app::RenderRequest rq;
        try {
            app::load_scene_text(text, "fig.toml", "/", rq);
        } catch (const UsageError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(message("[layout]\ntitle = \"x\"\nlabels = \"no\"\n").rfind("fig.toml:3:10: [layout] labels must be true or false", 0), 0u)
        << message("[layout]\ntitle = \"x\"\nlabels = \"no\"\n");
    EXPECT_NE(message("[layout]\ntitel = \"x\"\n").find("fig.toml:2:1: unknown key 'titel' in [layout]"), std::string::npos)
        << message("[layout]\ntitel = \"x\"\n");
    EXPECT_NE(message("[colours]\n").find("fig.toml:1:2: unknown table 'colours'"), std::string::npos) << message("[colours]\n");
    EXPECT_NE(message("[output]\nsize = \"12 by 5\"\n").find("fig.toml:2:8: invalid --size"), std::string::npos)
        << message("[output]\nsize = \"12 by 5\"\n");
    EXPECT_NE(message("[output\n").find("fig.toml:1:"), std::string::npos) << message("[output\n");
}

TEST(SceneFileE2E, PngFromTheDumpedSceneEqualsPngFromTheFlags) {
    const auto dir = test::out_dir("scene");
    const std::string flags =
        " --size 640x360 --title 'Scene test' --subtitle 'two files' --source 'Test source' --at +20h "
        "--no-great-circles --bbox 30,20,140,65 -q";
    auto a = test::run_fr("render " + test::samples() + " -o " + (dir / "flags.png").string() + flags);
    ASSERT_EQ(a.status, 0) << a.err;
    auto d = test::run_fr("render " + test::samples() + " -o " + (dir / "flags.png").string() + flags + " --dump-scene");
    ASSERT_EQ(d.status, 0) << d.err;
    { std::ofstream(dir / "scene.toml") << d.out; }
    auto b = test::run_fr("render --scene " + (dir / "scene.toml").string() + " -o " + (dir / "scene.png").string());
    ASSERT_EQ(b.status, 0) << b.err;
    const auto pa = test::slurp(dir / "flags.png"), pb = test::slurp(dir / "scene.png");
    ASSERT_FALSE(pa.empty());
    EXPECT_TRUE(pa == pb) << "the PNG from the scene differs from the PNG from the flags";
    // Loading the dump and dumping again gives the same text.
    auto d2 = test::run_fr("render --scene " + (dir / "scene.toml").string() + " --dump-scene");
    EXPECT_EQ(d2.out, d.out);
    // And a flag after --scene wins: the clock moves by a minute, so the bytes differ.
    auto c = test::run_fr("render --scene " + (dir / "scene.toml").string() + " -o " + (dir / "moved.png").string() + " --at +20h1m");
    ASSERT_EQ(c.status, 0) << c.err;
    EXPECT_FALSE(test::slurp(dir / "moved.png") == pa);
}

TEST(SceneFileE2E, DocumentedExamplesLoad) {
    // docs/examples/*.toml must stay valid: each dumps without error.
    for (const auto& e : std::filesystem::directory_iterator(test::source_dir() / "docs/examples")) {
        if (e.path().extension() != ".toml") continue;
        auto r = test::run_fr("render --scene " + e.path().string() + " --dump-scene");
        EXPECT_EQ(r.status, 0) << e.path() << ": " << r.err;
    }
}

TEST(SceneFile, OverlayLabelAppliesToTheOverlayBeforeIt) {
    const auto rq = parse_cli({"--overlay", "a.geojson", "--overlay", "b.geojson", "--overlay-label", "name", "track.csv"});
    ASSERT_EQ(rq.overlays.size(), 2u);
    EXPECT_EQ(rq.overlay_labels, (std::vector<std::string>{"", "name"}));
    EXPECT_EQ(rq.load.inputs.size(), 1u) << "one value per --overlay / --overlay-label: the track stays an input";
    const auto first = parse_cli({"--overlay", "a.geojson", "--overlay-label", "title", "--overlay", "b.geojson", "track.csv"});
    EXPECT_EQ(first.overlay_labels, (std::vector<std::string>{"title"}));
    // In a scene file: a list beside `overlay`, and it round-trips.
    app::RenderRequest loaded;
    app::load_scene_text(app::dump_scene(rq), "dump.toml", "/nowhere", loaded);
    EXPECT_EQ(loaded.overlay_labels, rq.overlay_labels);
    EXPECT_THROW(parse_cli({"--overlay-label", "name", "--overlay", "a.geojson", "track.csv"}), UsageError);
    EXPECT_THROW(parse_cli({"--overlay", "a.geojson", "--overlay-label", "a", "--overlay-label", "b", "track.csv"}), UsageError);
}

TEST(SceneFile, TileUrlStaysAUrl) {
    app::RenderRequest rq;
    app::load_scene_text("[view]\nbasemap = \"https://tiles.example/{z}/{x}/{y}.png\"\nbasemap-attribution = \"Example\"\n", "s.toml",
                         "/data", rq);
    EXPECT_EQ(rq.basemap.string(), "https://tiles.example/{z}/{x}/{y}.png") << "not resolved against the scene's folder";
    EXPECT_NE(app::dump_scene(rq).find("basemap = \"https://tiles.example/{z}/{x}/{y}.png\""), std::string::npos);
    app::load_scene_text("[view]\nbasemap = \"tiles/{z}/{x}/{y}.png\"\n", "s.toml", "/data", rq);
    EXPECT_EQ(rq.basemap.string(), "/data/tiles/{z}/{x}/{y}.png") << "a tile folder is a path";
}
