#include "app/render_command.hpp"
#include "app/video_command.hpp"

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

namespace fr::app {

namespace {

std::string lower_ext(const std::filesystem::path& p) {
    auto e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e;
}

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

int run_render(const RenderRequest& req) {
    if (is_video_output(req.output)) return run_video(req);  // MP4, WebM, GIF, PNG sequences
    const auto ext = lower_ext(req.output);
    const bool still = ext == ".png";
    const bool video = ext == ".mp4" || ext == ".webm";
    if (!still && !video) throw UsageError("unsupported output '" + req.output.string() + "': use .png, .mp4 or .webm");
    if (req.width < 16 || req.height < 16 || req.width > 16384 || req.height > 16384)
        throw UsageError("--size must be between 16x16 and 16384x16384");
    if (video && (req.width % 2 || req.height % 2)) throw UsageError("--size must be even for video (yuv420p)");

    LoadedData data = load_and_analyse(req.load);
    for (const auto& d : data.diagnostics.items())
        if (!req.quiet) std::cerr << format(d) << "\n";
    render::Scene scene(data.flights, data.analyses, scene_options(req));
    render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    render::CairoRenderer renderer(scene, text);
    auto surface = render::make_image_surface(req.width, req.height);
    auto cr = render::make_context(surface.get());
    const auto tags = provenance_tags(data, scene);

    if (still) {
        const TimePoint t = req.at.empty() ? scene.end() : parse_time_arg(req.at, scene.start());
        renderer.draw_frame(cr.get(), {t, nullptr, 0});
        cairo_surface_flush(surface.get());
        output::write_png(req.output, cairo_image_surface_get_data(surface.get()), req.width, req.height,
                          cairo_image_surface_get_stride(surface.get()), tags);
        if (!req.quiet) std::cerr << "wrote " << req.output.string() << " (" << format_iso8601(t) << ")\n";
        return 0;
    }

    // Videos, GIFs and PNG sequences never get here: run_video (video_command.cpp) took them.
    throw UsageError("unsupported output '" + req.output.string() + "'");
}

// For video_command.cpp: the same scene options and provenance tags as the stills.
render::SceneOptions make_scene_options(const RenderRequest& req, const LoadedData&) { return scene_options(req); }
std::vector<std::pair<std::string, std::string>> make_provenance_tags(const LoadedData& data, const render::Scene& scene) {
    return provenance_tags(data, scene);
}

}  // namespace fr::app
