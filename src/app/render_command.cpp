#include "app/render_command.hpp"
#include "app/still_command.hpp"
#include "app/video_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "app/request_check.hpp"
#include "core/error.hpp"
#include "export/atomic_file.hpp"
#include "export/hash.hpp"
#include "export/png_sequence.hpp"
#include "export/png_writer.hpp"
#include "export/video_encoder.hpp"
#include "io/map/assets.hpp"
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
    o.basemap_attribution = req.basemap_attribution;
    o.tiles.offline = req.offline;
    o.tiles.max_tiles = req.max_tiles;
    o.labels = req.labels;
    o.great_circles = req.great_circles;
    o.projection = geo::to_string(req.projection);
    o.trail_minutes = req.trail_minutes;
    o.color_by_altitude = req.color_by == ColorBy::altitude;
    o.density = req.style == DrawStyle::density;
    o.profile = req.profile;
    o.overlays = req.overlays;
    if (req.overlay_labels.size() > req.overlays.size())
        throw UsageError("--overlay-label: " + std::to_string(req.overlay_labels.size()) + " labels for " +
                         std::to_string(req.overlays.size()) + " overlays (each --overlay-label applies to the --overlay before it)");
    o.overlay_labels = req.overlay_labels;
    if (!req.theme.empty()) o.style = render::load_theme(req.theme);
    o.follow = req.camera.follow;
    o.zoom_km = req.camera.zoom_km;
    o.keyframes = req.camera.keyframes;
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
    for (const auto& line : data.input_hashes()) inputs += (inputs.empty() ? "" : "\n") + line;  // the bytes read, once
    tags.emplace_back("Source", inputs);
    tags.emplace_back("Provenance", to_string(scene.provenance()));
    tags.emplace_back("Copyright", scene.attribution());
    return tags;
}

}  // namespace

TimePoint parse_time_arg(const std::string& text, TimePoint base) { return parse_time(text, "--at").resolve(base); }

int run_render(const RenderRequest& req) {
    // Before loading: an output that is an input or an existing directory (a usage error).
    // still_command/video_command check again against the files a directory expanded to.
    if (req.output.kind != OutputKind::png_sequence) output::check_output_target(req.output.path, req.load.inputs);
    if (req.output.is_video()) return run_video(req);  // MP4, WebM, GIF, PNG sequences
    return run_still(req);                             // PNG/SVG/PDF stills and sheets, GeoJSON/KML/GPKG (still_command.cpp)
}

// For video_command.cpp: the same scene options and provenance tags as the stills.
render::SceneOptions make_scene_options(const RenderRequest& req, const LoadedData& data) {
    auto sopt = scene_options(req);
    if (req.time_range && !data.flights.empty()) {
        const TimePoint base = time_base(data.flights);
        sopt.time_range = std::pair{req.time_range->start.resolve(base), req.time_range->end.resolve(base)};
        if (!(sopt.time_range->first < sopt.time_range->second))
            throw UsageError("invalid --time-range '" + format_time_range(*req.time_range) + "': START must be before END");
    }
    return sopt;
}
std::vector<std::pair<std::string, std::string>> make_provenance_tags(const LoadedData& data, const render::Scene& scene) {
    return provenance_tags(data, scene);
}

}  // namespace fr::app
