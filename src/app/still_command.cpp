#include "app/still_command.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <sstream>

#include "app/cli.hpp"
#include "app/request_check.hpp"
#include "core/error.hpp"
#include "export/atomic_file.hpp"
#include "export/hash.hpp"
#include "export/png_writer.hpp"
#include "export/track_export.hpp"
#include "export/vector_still.hpp"
#include "io/assets.hpp"
#include "render/cairo_renderer.hpp"

namespace fr::app {

// Defined in render_command.cpp: the scene options and PNG provenance tags every output shares.
std::vector<std::pair<std::string, std::string>> make_provenance_tags(const LoadedData& data, const render::Scene& scene);

namespace {

namespace fs = std::filesystem;

std::string lower_ext(const fs::path& p) {
    auto e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e;
}

/// "2023-07-31T18:20:00Z" -> "2023-07-31 18:20Z" (sheet captions: minutes are enough).
std::string caption_time(TimePoint t) {
    auto s = format_iso8601(t);
    if (s.size() >= 16) s = s.substr(0, 10) + " " + s.substr(11, 5) + "Z";
    return s;
}

TimePoint data_start(const LoadedData& data) {
    TimePoint first = data.flights.front().points.front().time();
    for (const auto& f : data.flights) first = std::min(first, f.points.front().time());
    return first;
}

/// A contact sheet: `cols` x `rows` small multiples of one scene on a page, each captioned with
/// its time, under the page's title and over its source line. Page units: CSS pixels.
class Sheet {
public:
    Sheet(const RenderRequest& req, const LoadedData& data, const render::TextEngine& text, int cols, int rows)
        : m_text(text), m_cols(cols), m_rows(rows), m_w(req.width), m_h(req.height), m_title(req.title), m_subtitle(req.subtitle) {
        const double s = m_h / 1080.0;
        m_pad = 16 * s;
        m_header = m_title.empty() ? m_pad : (m_subtitle.empty() ? 64 : 100) * s;
        m_footer = 44 * s;
        m_caption = 30 * s;
        m_cell_w = (m_w - m_pad * (cols + 1)) / cols;
        m_cell_h = (m_h - m_header - m_footer - m_pad * (rows - 1)) / rows - m_caption;
        if (m_cell_w < 32 || m_cell_h < 32) throw UsageError("--sheet " + req.sheet + " leaves cells too small for --size " + std::to_string(m_w) + "x" + std::to_string(m_h));
        // Each cell is laid out at a logical size at least 540 px high and scaled down, so its
        // text stays legible instead of shrinking with the cell (render::CairoRenderer scales
        // text by height / 1080).
        m_k = std::max(1.0, 540.0 / m_cell_h);
        RenderRequest cell = req;
        cell.title.clear();
        cell.subtitle.clear();
        auto opt = make_scene_options(cell, data);
        opt.width = static_cast<int>(std::lround(m_cell_w * m_k));
        opt.height = static_cast<int>(std::lround(m_cell_h * m_k));
        opt.timeline_bar = false;
        m_scene.emplace(data.flights, data.analyses, opt);
        m_renderer.emplace(*m_scene, m_text);
    }

    const render::Scene& scene() const { return *m_scene; }

    void draw(cairo_t* cr, const std::vector<TimePoint>& times) {
        const double s = m_h / 1080.0;
        const auto& st = m_scene->options().style;
        cairo_save(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_restore(cr);
        if (!m_title.empty()) {
            m_text.draw(cr, m_title, m_pad, 12 * s, 34 * s, st.text, true);
            if (!m_subtitle.empty()) m_text.draw(cr, m_subtitle, m_pad, 58 * s, 22 * s, st.text);
        }
        for (std::size_t i = 0; i < times.size(); ++i) {
            const int c = static_cast<int>(i) % m_cols, r = static_cast<int>(i) / m_cols;
            const double x = m_pad + c * (m_cell_w + m_pad);
            const double y = m_header + r * (m_cell_h + m_caption + m_pad);
            cairo_save(cr);
            cairo_translate(cr, x, y);
            cairo_rectangle(cr, 0, 0, m_cell_w, m_cell_h);
            cairo_clip(cr);
            cairo_scale(cr, 1 / m_k, 1 / m_k);
            m_renderer->draw_frame(cr, {times[i], nullptr, 0}, /*use_cache=*/false);
            cairo_restore(cr);
            cairo_save(cr);
            cairo_set_source_rgba(cr, st.text.r, st.text.g, st.text.b, 0.5);
            cairo_set_line_width(cr, 1 * s);
            cairo_rectangle(cr, x, y, m_cell_w, m_cell_h);
            cairo_stroke(cr);
            cairo_restore(cr);
            m_text.draw(cr, caption_time(times[i]), x + m_cell_w / 2, y + m_cell_h + 4 * s, 18 * s, st.text, true, render::Align::center);
        }
        // The page's source line: the same attribution the cells carry (basemap credit, track
        // files, and whether the data are reconstructed), once, legibly.
        m_text.draw(cr, m_scene->attribution(), m_pad, m_h - m_footer + 12 * s, 16 * s, st.text);
    }

private:
    const render::TextEngine& m_text;
    int m_cols, m_rows;
    double m_w, m_h;
    std::string m_title, m_subtitle;
    double m_pad = 0, m_header = 0, m_footer = 0, m_caption = 0, m_cell_w = 0, m_cell_h = 0, m_k = 1;
    std::optional<render::Scene> m_scene;
    std::optional<render::CairoRenderer> m_renderer;
};

}  // namespace

bool is_still_output(const fs::path& output) {
    const auto e = lower_ext(output);
    return e == ".png" || e == ".svg" || e == ".pdf" || output::is_track_export(output);
}

std::vector<TimePoint> sheet_times(const std::string& at, int cells, TimePoint start, TimePoint end, const Intervals& airborne) {
    std::vector<TimePoint> out;
    if (!at.empty()) {
        std::stringstream ss(at);
        std::string item;
        while (std::getline(ss, item, ',')) out.push_back(parse_time_arg(item, start));
        if (static_cast<int>(out.size()) > cells)
            throw UsageError("--at lists " + std::to_string(out.size()) + " times but the sheet has " + std::to_string(cells) + " cells");
        return out;
    }
    Duration total{0};
    for (const auto& [a, b] : airborne) total += b - a;
    if (total <= Duration{0}) {  // nothing flown in view (or --sheet-holds): the whole span
        for (int i = 0; i < cells; ++i)
            out.push_back(cells == 1 ? end : start + (end - start) * i / (cells - 1));
        return out;
    }
    // Evenly over the time in the air: the k-th cell shows the moment when k/(cells-1) of the
    // flown time has passed, so a long ground stop takes no cells of its own.
    for (int i = 0; i < cells; ++i) {
        Duration want = cells == 1 ? total : total * i / (cells - 1);
        TimePoint t = airborne.back().second;
        for (const auto& [a, b] : airborne) {
            if (want <= b - a) { t = a + want; break; }
            want -= b - a;
        }
        out.push_back(t);
    }
    return out;
}

Intervals airborne_intervals(const LoadedData& data, TimePoint start, TimePoint end) {
    Intervals spans;
    for (const auto& fa : data.analyses)
        for (const auto& leg : fa.legs) {
            const TimePoint a = std::max(start, leg.takeoff_time.value_or(leg.departure_time));
            const TimePoint b = std::min(end, leg.landing_time.value_or(leg.arrival_time));
            if (a < b) spans.emplace_back(a, b);
        }
    std::sort(spans.begin(), spans.end());
    Intervals merged;  // several aircraft: their time in the air counts once
    for (const auto& s : spans) {
        if (!merged.empty() && s.first <= merged.back().second)
            merged.back().second = std::max(merged.back().second, s.second);
        else
            merged.push_back(s);
    }
    return merged;
}

namespace {

/// What run_still checks before loading anything; returns the PNG pixel size.
std::pair<int, int> check_still_request(const RenderRequest& req) {
    const auto ext = lower_ext(req.output);
    const bool track_export = output::is_track_export(req.output);
    if (ext == ".json")
        throw UsageError("output '" + req.output.string() + "': name GeoJSON output .geojson (.json is not written, so that a slip cannot overwrite a JSON track)");
    if (!track_export && ext != ".png" && ext != ".svg" && ext != ".pdf")
        throw UsageError("unsupported output '" + req.output.string() + "': use .png, .svg, .pdf, .mp4, .webm, .gif, .geojson, .kml, .gpkg or .csv");
    const double scale = req.dpi / 96.0;
    const int px_w = static_cast<int>(std::lround(req.width * scale)), px_h = static_cast<int>(std::lround(req.height * scale));
    if (ext == ".png" && (px_w > 32768 || px_h > 32768)) throw UsageError("--size at --dpi exceeds 32768 pixels");
    return {px_w, px_h};
}

/// The scene (or sheet) of a still and the times it shows, ready to draw.
struct StillDrawing {
    render::TextEngine text{io::asset_path("fonts/fonts.conf")};
    std::optional<render::Scene> single;
    std::optional<render::CairoRenderer> renderer;
    std::optional<Sheet> sheet;
    std::vector<TimePoint> times;
    const render::Scene* scene = nullptr;

    StillDrawing(const RenderRequest& req, const LoadedData& data) {
        if (!req.sheet.empty()) {
            const auto [cols, rows] = parse_sheet(req.sheet);
            sheet.emplace(req, data, text, cols, rows);
            scene = &sheet->scene();
            times = sheet_times(req.at, cols * rows, scene->start(), scene->end(),
                                req.sheet_holds ? Intervals{} : airborne_intervals(data, scene->start(), scene->end()));
        } else {
            single.emplace(data.flights, data.analyses, make_scene_options(req, data));
            renderer.emplace(*single, text);
            scene = &*single;
            times.push_back(req.at.empty() ? scene->end() : parse_time_arg(req.at, scene->start()));
        }
    }
    void draw(cairo_t* cr, bool use_cache) {
        if (sheet)
            sheet->draw(cr, times);
        else
            renderer->draw_frame(cr, {times.front(), nullptr, 0}, use_cache);
    }
};

RasterStill draw_raster(const RenderRequest& req, const LoadedData& data, StillDrawing& d, int px_w, int px_h) {
    const double scale = req.dpi / 96.0;
    RasterStill out;
    out.surface = render::make_image_surface(px_w, px_h);
    auto cr = render::make_context(out.surface.get());
    cairo_scale(cr.get(), scale, scale);
    // The cached basemap image is drawn 1:1; at other scales everything is drawn as vectors.
    d.draw(cr.get(), std::abs(scale - 1.0) < 1e-12);
    cairo_surface_flush(out.surface.get());
    out.tags = make_provenance_tags(data, *d.scene);
    out.times = d.times;
    return out;
}

}  // namespace

RasterStill draw_raster_still(const RenderRequest& req, const LoadedData& data) {
    RenderRequest png = req;
    png.output = "still.png";
    resolve_against_data(png, data.flights);  // times now absolute: one base for every option
    const auto [px_w, px_h] = check_still_request(png);
    StillDrawing d(png, data);
    return draw_raster(png, data, d, px_w, px_h);
}

std::vector<TimePoint> write_still(const RenderRequest& request, const LoadedData& data) {
    const auto [px_w, px_h] = check_still_request(request);
    RenderRequest req = request;
    output::check_output_target(req.output, data.input_paths());
    resolve_against_data(req, data.flights);  // times now absolute: one base for every option
    const auto ext = lower_ext(req.output);
    if (output::is_track_export(req.output)) {
        output::TrackExportOptions xo;
        if (req.geojson_style == "kepler") xo.geojson_style = output::GeoJsonStyle::kepler;
        output::write_track_export(req.output, data.flights, data.analyses, xo);
        return {};
    }
    StillDrawing d(req, data);
    if (ext == ".png") {
        const auto r = draw_raster(req, data, d, px_w, px_h);
        output::write_png(req.output, cairo_image_surface_get_data(r.surface.get()), px_w, px_h,
                          cairo_image_surface_get_stride(r.surface.get()), r.tags, 6, req.dpi);
    } else {
        output::VectorMetadata meta;
        std::string names;
        for (const auto& f : data.flights) names += (names.empty() ? "" : ", ") + f.aircraft.display_name();
        meta.title = req.title.empty() ? "flightreplay: " + names : req.title;
        meta.creator = std::string("flightreplay ") + FR_VERSION;
        meta.keywords = names;
        std::string inputs;
        for (const auto& line : data.input_hashes()) inputs += "; " + line;
        meta.subject = "provenance: " + std::string(to_string(d.scene->provenance())) + "; " + d.scene->attribution() + inputs;
        meta.date = format_iso8601(data_start(data));  // pinned to the data, not the clock: same input, same bytes
        output::write_vector_still(req.output, ext == ".pdf" ? output::VectorFormat::pdf : output::VectorFormat::svg, req.width,
                                   req.height, meta, [&](cairo_t* cr) { d.draw(cr, false); });
    }
    return d.times;
}

int run_still(const RenderRequest& req) {
    (void)check_still_request(req);  // usage errors before any loading
    LoadedData data = load_and_analyse(req.load);
    if (!req.quiet) std::cerr << format_grouped(data.diagnostics, req.load.verbose);

    const auto times = write_still(req, data);
    if (!req.quiet) {
        if (times.empty()) {
            std::cerr << "wrote " << req.output.string() << "\n";
            return 0;
        }
        std::cerr << "wrote " << req.output.string() << " (";
        for (std::size_t i = 0; i < times.size(); ++i) std::cerr << (i ? ", " : "") << format_iso8601(times[i]);
        std::cerr << ")\n";
    }
    return 0;
}

}  // namespace fr::app
