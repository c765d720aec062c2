// The replay spec: every option parsed once into a typed value, before any file is read.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "app/replay_spec.hpp"
#include "app/request_check.hpp"
#include "app/scene_file.hpp"
#include "core/error.hpp"

using namespace fr;
using app::OutputKind;

namespace {

const app::OptionSpec& option(const std::string& key) {
    for (const auto& s : app::render_options())
        if (s.key == key) return s;
    throw std::runtime_error("no option " + key);
}

/// Sets `key` from its command-line text as the table does; returns the UsageError text or "".
std::string set_text(app::ReplaySpec& spec, const std::string& key, const std::string& text) {
    try {
        const auto& o = option(key);
        if (o.kind == app::OptionKind::list)
            o.set(spec, app::OptionValue{std::vector<std::string>{text}});
        else
            o.set(spec, app::OptionValue{text});
        return "";
    } catch (const UsageError& e) {
        return e.what();
    }
}

}  // namespace

TEST(ReplaySpec, OutputKindIsDecidedOnceFromTheName) {
    const std::pair<const char*, OutputKind> cases[] = {
        {"a.png", OutputKind::png},
        {"a.PNG", OutputKind::png},
        {"a.svg", OutputKind::svg},
        {"a.pdf", OutputKind::pdf},
        {"a.mp4", OutputKind::mp4},
        {"a.webm", OutputKind::webm},
        {"a.gif", OutputKind::gif},
        {"a.geojson", OutputKind::geojson},
        {"a.kml", OutputKind::kml},
        {"a.gpkg", OutputKind::gpkg},
        {"a.csv", OutputKind::csv},
        {"frames/%05d.png", OutputKind::png_sequence},
        {"frames/", OutputKind::png_sequence},
    };
    for (const auto& [name, kind] : cases) {
        SCOPED_TRACE(name);
        const auto o = app::OutputSpec::parse(name);
        EXPECT_EQ(o.kind, kind) << app::to_string(o.kind);
        EXPECT_EQ(o.path, std::filesystem::path(name));
    }
    EXPECT_TRUE(app::OutputSpec::parse("x.gif").is_video());
    EXPECT_TRUE(app::OutputSpec::parse("x/%03d.png").is_video());
    EXPECT_FALSE(app::OutputSpec::parse("x.png").is_video());
    EXPECT_TRUE(app::OutputSpec::parse("x.kml").is_track_export());
    EXPECT_EQ(app::OutputSpec::parse("x/%03d.png").png_pattern(), "x/%03d.png");
    EXPECT_EQ(app::OutputSpec::parse("x/").png_pattern(), "x/%05d.png");
}

TEST(ReplaySpec, OutputsWeDoNotWriteAreRefusedWhenParsed) {
    app::ReplaySpec spec;
    EXPECT_NE(set_text(spec, "output", "track.json").find(".geojson"), std::string::npos);
    EXPECT_NE(set_text(spec, "output", "movie.avi").find("unsupported output 'movie.avi'"), std::string::npos);
    EXPECT_NE(set_text(spec, "output", "f/%d%d.png").find("PNG sequence pattern"), std::string::npos);
    EXPECT_EQ(set_text(spec, "output", "out.webm"), "");
    EXPECT_EQ(spec.output.kind, OutputKind::webm);
}

TEST(ReplaySpec, TimesAreTimeRefsWithOneBase) {
    app::ReplaySpec spec;
    EXPECT_EQ(set_text(spec, "at", "+13h20m"), "");
    ASSERT_EQ(spec.at.size(), 1u);
    EXPECT_FALSE(spec.at[0].is_absolute());
    EXPECT_EQ(spec.at[0].offset, std::chrono::minutes(13 * 60 + 20));
    const TimePoint base = *parse_iso8601("2023-07-31T15:00:00Z");
    EXPECT_EQ(spec.at[0].resolve(base), *parse_iso8601("2023-08-01T04:20:00Z"));

    EXPECT_NE(set_text(spec, "at", "yesterday").find("invalid --at time 'yesterday'"), std::string::npos);
    EXPECT_NE(set_text(spec, "time-range", "+2h,+1h").find("START must be before END"), std::string::npos);
    EXPECT_EQ(set_text(spec, "time-range", "2023-07-31T16:00:00Z,+30h"), "");
    ASSERT_TRUE(spec.time_range);
    EXPECT_TRUE(spec.time_range->start.is_absolute());
    EXPECT_FALSE(spec.time_range->end.is_absolute());
    EXPECT_EQ(spec.load.time_range, spec.time_range);  // archives select members by the same value

    // Round trip through the text the table writes to scene files.
    for (const char* text : {"+13h20m", "-45s", "+1d2h3m4s", "2023-08-01T05:11:31Z", "2023-08-01T05:11:31.250Z"}) {
        const auto t = TimeRef::parse(text);
        ASSERT_TRUE(t) << text;
        EXPECT_EQ(t->to_string(), text);
    }
    EXPECT_EQ(format_offset(Duration{0}), "+0s");
}

TEST(ReplaySpec, ChoicesAreEnumsAndTheirErrorsNameTheOption) {
    app::ReplaySpec spec;
    EXPECT_EQ(set_text(spec, "color-by", "purple"), "invalid --color-by 'purple': aircraft or altitude");
    EXPECT_EQ(set_text(spec, "style", "heat"), "invalid --style 'heat': tracks or density");
    EXPECT_NE(set_text(spec, "projection", "mollweide").find("invalid --projection 'mollweide'"), std::string::npos);
    EXPECT_NE(set_text(spec, "geojson", "topo").find("--geojson-style"), std::string::npos);
    EXPECT_EQ(set_text(spec, "color-by", "altitude") + set_text(spec, "style", "density") + set_text(spec, "projection", "lcc") +
                  set_text(spec, "geojson", "kepler"),
              "");
    EXPECT_EQ(spec.color_by, app::ColorBy::altitude);
    EXPECT_EQ(spec.style, app::DrawStyle::density);
    EXPECT_EQ(spec.projection, geo::Preset::lcc);
    EXPECT_EQ(spec.geojson_style, output::GeoJsonStyle::kepler);
}

TEST(ReplaySpec, CameraIsOneValue) {
    app::ReplaySpec spec;
    EXPECT_EQ(spec.camera.mode(), app::CameraSpec::Mode::fit);
    EXPECT_NE(set_text(spec, "keyframe", "+2h,200,39,800").find("longitude must be"), std::string::npos);
    EXPECT_NE(set_text(spec, "keyframe", "+2h,125,39,0").find("width must be"), std::string::npos);
    EXPECT_NE(set_text(spec, "keyframe", "noon,125,39,800").find("invalid --keyframe 'noon,125,39,800'"), std::string::npos);
    EXPECT_EQ(set_text(spec, "keyframe", "+2h,125.67,39.22,800"), "");
    ASSERT_EQ(spec.camera.keyframes.size(), 1u);
    EXPECT_EQ(spec.camera.mode(), app::CameraSpec::Mode::keyframes);
    EXPECT_DOUBLE_EQ(spec.camera.keyframes[0].centre.lon_deg(), 125.67);  // degrees, exact: parsed, not computed
    EXPECT_EQ(app::to_string(spec.camera.keyframes[0]), "+2h,125.67,39.22,800");
    // Following and keyframes together: refused before anything is read.
    spec.load.inputs = {"does-not-exist.csv"};
    spec.output = "x.png";
    EXPECT_EQ(set_text(spec, "follow", "RFF7203"), "");
    try {
        app::validate_request(spec);
        FAIL() << "--follow with --keyframe accepted";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("--keyframe and --follow cannot be combined"), std::string::npos) << e.what();
    }
}

TEST(ReplaySpec, SeveralTimesOnlyForASheet) {
    app::ReplaySpec spec;
    spec.load.inputs = {"does-not-exist.csv"};
    spec.output = "x.png";
    ASSERT_EQ(set_text(spec, "at", "+1h,+2h,+3h"), "");
    EXPECT_THROW(app::validate_request(spec), UsageError);
    ASSERT_EQ(set_text(spec, "sheet", "2x1"), "");
    EXPECT_THROW(app::validate_request(spec), UsageError);  // 3 times, 2 cells
    ASSERT_EQ(set_text(spec, "sheet", "3x1"), "");
    EXPECT_NO_THROW(app::validate_request(spec));
}

TEST(ReplaySpec, DumpedSceneLoadsBackToTheSameValues) {
    app::ReplaySpec spec;
    spec.load.inputs = {"/data/a.csv"};
    for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{{"output", "/tmp/out.mp4"},
                                                                               {"at", "+1h30m"},
                                                                               {"time-range", "2023-07-31T16:00:00Z,+30h"},
                                                                               {"color-by", "altitude"},
                                                                               {"projection", "orthographic"},
                                                                               {"keyframe", "+2h,125.67,39.22,800"},
                                                                               {"geojson", "kepler"},
                                                                               {"sheet", "3x2"}})
        ASSERT_EQ(set_text(spec, k, v), "") << k;
    const std::string toml = app::dump_scene(spec);
    app::ReplaySpec back;
    app::load_scene_text(toml, "dumped", "/", back);
    EXPECT_EQ(back.output.kind, OutputKind::mp4);
    EXPECT_EQ(back.at, spec.at);
    EXPECT_EQ(back.time_range, spec.time_range);
    EXPECT_EQ(back.color_by, app::ColorBy::altitude);
    EXPECT_EQ(back.projection, geo::Preset::orthographic);
    EXPECT_EQ(back.camera.keyframes, spec.camera.keyframes);
    EXPECT_EQ(back.geojson_style, output::GeoJsonStyle::kepler);
    ASSERT_TRUE(back.sheet);
    EXPECT_EQ(back.sheet->to_string(), "3x2");
    EXPECT_EQ(app::dump_scene(back), toml);
}
