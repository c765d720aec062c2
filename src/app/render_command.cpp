#include "app/render_command.hpp"
#include "app/video_command.hpp"
#include "app/still_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "core/error.hpp"
#include "export/hash.hpp"
#include "export/png_writer.hpp"
#include "export/video_encoder.hpp"
#include "io/assets.hpp"
#include "render/cairo_renderer.hpp"
#include "render/theme.hpp"

namespace fr::app {

namespace {

render::SceneOptions scene_options(const RenderRequest& req) {
    render::SceneOptions o;
    o.width = req.width;
    o.height = req.height;
    o.crs = req.crs;
    o.extent = req.extent;
    o.bbox = req.bbox;
    o.title = req.title;
    o.subtitle = req.subtitle;
    o.source = req.source;
    o.basemap = req.basemap;
    o.labels = req.labels;
    o.great_circles = req.great_circles;
    o.projection = req.projection;
    o.trail_minutes = req.trail_minutes;
    if (req.color_by != "aircraft" && req.color_by != "altitude")
        throw UsageError("invalid --color-by '" + req.color_by + "': aircraft or altitude");
    o.color_by_altitude = req.color_by == "altitude";
    o.profile = req.profile;
    o.overlays = req.overlays;
    if (!req.theme.empty()) o.style = render::load_theme(req.theme);
    o.follow = req.follow;
    o.zoom_km = req.zoom_km;
    o.keyframes = req.keyframes;
    o.layers.labels = req.labels;
    o.layers.great_circles = req.great_circles;
    render::apply_layers(o.layers, req.layers);
    o.labels = o.layers.labels;
    o.great_circles = o.layers.great_circles;
    o.tz = req.tz;
    return o;
}

std::vector<std::pair<std::string, std::string>> provenance_tags(const LoadedData& data, const render::Scene& scene) {
    std::vector<std::pair<std::string, std::string>> tags;
    tags.emplace_back("Software", std::string("flightreplay ") + FR_VERSION);
    std::string inputs;
    for (const auto& f : data.files) inputs += (inputs.empty() ? "" : "\n") + output::sha256_file(f) + "  " + f.filename().string();
    tags.emplace_back("Source", inputs);
    tags.emplace_back("Provenance", to_string(scene.provenance()));
    tags.emplace_back("Copyright", scene.attribution());
    return tags;
}

}  // namespace

TimePoint parse_time_arg(const std::string& text, TimePoint replay_start) {
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
        if (auto d = parse_offset(text)) return replay_start + *d;
    } else if (auto t = parse_iso8601(text)) {
        return *t;
    }
    throw UsageError("invalid time '" + text + "': expected ISO 8601 UTC (2023-08-01T05:11:31Z) or an offset from the replay start (+13h20m)");
}

std::pair<TimePoint, TimePoint> parse_time_range(const std::string& text, TimePoint replay_start) {
    const auto comma = text.find(',');
    if (comma == std::string::npos)
        throw UsageError("invalid --time-range '" + text + "': expected START,END (ISO 8601 UTC or +offsets from the replay start)");
    const TimePoint a = parse_time_arg(text.substr(0, comma), replay_start), b = parse_time_arg(text.substr(comma + 1), replay_start);
    if (!(a < b)) throw UsageError("invalid --time-range '" + text + "': START must be before END");
    return {a, b};
}

int run_render(const RenderRequest& req) {
    if (is_video_output(req.output)) return run_video(req);  // MP4, WebM, GIF, PNG sequences
    return run_still(req);  // PNG/SVG/PDF stills and sheets, GeoJSON/KML/GPKG (still_command.cpp)
}

// For video_command.cpp: the same scene options and provenance tags as the stills.
render::SceneOptions make_scene_options(const RenderRequest& req, const LoadedData& data) {
    auto sopt = scene_options(req);
    if (!req.time_range.empty() && !data.flights.empty()) {  // as run_render does for stills
        TimePoint first = data.flights.front().points.front().time();
        for (const auto& f : data.flights) first = std::min(first, f.points.front().time());
        sopt.time_range = parse_time_range(req.time_range, first);
    }
    return sopt;
}
std::vector<std::pair<std::string, std::string>> make_provenance_tags(const LoadedData& data, const render::Scene& scene) {
    return provenance_tags(data, scene);
}

}  // namespace fr::app
