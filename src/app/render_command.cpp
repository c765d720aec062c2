#include "app/render_command.hpp"

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

void progress(bool show, long long done, long long total) {
    if (!show) return;
    const int width = 40;
    const int filled = total > 0 ? static_cast<int>(width * done / total) : width;
    std::fprintf(stderr, "\r[%.*s%*s] %lld/%lld frames", filled, "########################################", width - filled, "", done, total);
    if (done == total) std::fprintf(stderr, "\n");
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

    // Video: one timeline maps frame time to replay time, stops and long gaps compressed.
    // Gaps longer than 2 h are compressed too: at typical speeds they would be seconds of
    // an aircraft crawling across a dashed line.
    const auto holds = scene.holds(std::chrono::hours{2});
    Timeline::Options topt{req.hold_s, 1.0};
    Timeline tl = [&] {
        if (req.speed) return Timeline::at_speed(scene.start(), scene.end(), holds, *req.speed, topt);
        double dur = req.duration_s.value_or(req.frames ? static_cast<double>(*req.frames) / req.fps : 24.0);
        // Short videos shrink the holds so at least half the video is flight.
        const double fixed = static_cast<double>(holds.size()) * topt.hold_s + topt.end_s;
        if (fixed > dur / 2) {
            const double k = (dur / 2) / fixed;
            topt.hold_s *= k;
            topt.end_s *= k;
        }
        return Timeline::fit(scene.start(), scene.end(), holds, dur, topt);
    }();
    long long total = req.frames ? *req.frames : std::llround(tl.video_duration_s() * req.fps);
    if (req.duration_s && !req.frames) total = std::llround(*req.duration_s * req.fps);
    long long first = 0, last = total;
    if (req.frame_slice) {
        first = req.frame_slice->first;
        last = std::min(req.frame_slice->second, total);
        if (first < 0 || first >= last) throw UsageError("--frames A:B must satisfy 0 <= A < B <= " + std::to_string(total));
    }
    output::VideoOptions vo;
    vo.width = req.width;
    vo.height = req.height;
    vo.fps = req.fps;
    vo.crf = req.crf;
    vo.preset = req.preset;
    vo.threads = req.threads;
    vo.metadata["title"] = req.title.empty() ? "flightreplay" : req.title;
    vo.metadata["comment"] = "provenance: " + std::string(to_string(scene.provenance())) + "; " + scene.attribution();
    vo.metadata["encoder_software"] = std::string("flightreplay ") + FR_VERSION;
    output::VideoEncoder enc(req.output, vo);
    const bool show = !req.quiet && isatty(STDERR_FILENO);
    for (long long i = first; i < last; ++i) {
        const double v = frame_time_s(i, req.fps);
        renderer.draw_frame(cr.get(), {tl.replay_time(v), &tl, v});
        cairo_surface_flush(surface.get());
        enc.add_frame_argb32(cairo_image_surface_get_data(surface.get()), cairo_image_surface_get_stride(surface.get()));
        progress(show, i - first + 1, last - first);
    }
    enc.finish();
    if (!req.quiet)
        std::cerr << "wrote " << req.output.string() << " (" << (last - first) << " frames, " << req.width << "x" << req.height
                  << ", replay " << format_iso8601(scene.start()) << " .. " << format_iso8601(scene.end()) << ")\n";
    return 0;
}

}  // namespace fr::app
