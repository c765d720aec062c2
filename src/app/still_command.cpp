#include "app/still_command.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <sstream>

#include "app/cli.hpp"
#include "core/error.hpp"
#include "export/hash.hpp"
#include "export/png_writer.hpp"
#include "export/track_export.hpp"
#include "export/vector_still.hpp"
#include "io/assets.hpp"
#include "render/cairo_renderer.hpp"

namespace fr::app {

// Defined in render_command.cpp: the scene options and PNG provenance tags every output shares.
render::SceneOptions make_scene_options(const RenderRequest& req, const LoadedData& data);
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

std::vector<TimePoint> sheet_times(const std::string& at, int cells, TimePoint start, TimePoint end) {
    std::vector<TimePoint> out;
    if (!at.empty()) {
        std::stringstream ss(at);
        std::string item;
        while (std::getline(ss, item, ',')) out.push_back(parse_time_arg(item, start));
        if (static_cast<int>(out.size()) > cells)
            throw UsageError("--at lists " + std::to_string(out.size()) + " times but the sheet has " + std::to_string(cells) + " cells");
        return out;
    }
    for (int i = 0; i < cells; ++i)
        out.push_back(cells == 1 ? end : start + (end - start) * i / (cells - 1));
    return out;
}

int run_still(const RenderRequest& req) {
    const auto ext = lower_ext(req.output);
    const bool track_export = output::is_track_export(req.output);
    if (!track_export && ext != ".png" && ext != ".svg" && ext != ".pdf")
        throw UsageError("unsupported output '" + req.output.string() + "': use .png, .svg, .pdf, .mp4, .webm, .gif, .geojson, .kml or .gpkg");
    if (req.width < 16 || req.height < 16 || req.width > 16384 || req.height > 16384)
        throw UsageError("--size must be between 16x16 and 16384x16384");
    const double scale = req.dpi / 96.0;
    const int px_w = static_cast<int>(std::lround(req.width * scale)), px_h = static_cast<int>(std::lround(req.height * scale));
    if (ext == ".png" && (px_w > 32768 || px_h > 32768)) throw UsageError("--size at --dpi exceeds 32768 pixels");

    LoadedData data = load_and_analyse(req.load);
    if (!req.quiet) std::cerr << format_grouped(data.diagnostics, req.load.verbose);

    if (track_export) {
        output::write_track_export(req.output, data.flights, data.analyses);
        if (!req.quiet) std::cerr << "wrote " << req.output.string() << "\n";
        return 0;
    }

    render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    std::optional<render::Scene> single;
    std::optional<render::CairoRenderer> renderer;
    std::optional<Sheet> sheet;
    std::vector<TimePoint> times;
    const render::Scene* scene = nullptr;
    if (!req.sheet.empty()) {
        const auto [cols, rows] = parse_sheet(req.sheet);
        sheet.emplace(req, data, text, cols, rows);
        scene = &sheet->scene();
        times = sheet_times(req.at, cols * rows, scene->start(), scene->end());
    } else {
        single.emplace(data.flights, data.analyses, make_scene_options(req, data));
        renderer.emplace(*single, text);
        scene = &*single;
        times.push_back(req.at.empty() ? scene->end() : parse_time_arg(req.at, scene->start()));
    }
    auto draw = [&](cairo_t* cr, bool use_cache) {
        if (sheet)
            sheet->draw(cr, times);
        else
            renderer->draw_frame(cr, {times.front(), nullptr, 0}, use_cache);
    };

    if (ext == ".png") {
        auto surface = render::make_image_surface(px_w, px_h);
        auto cr = render::make_context(surface.get());
        cairo_scale(cr.get(), scale, scale);
        // The cached basemap image is drawn 1:1; at other scales everything is drawn as vectors.
        draw(cr.get(), std::abs(scale - 1.0) < 1e-12);
        cairo_surface_flush(surface.get());
        auto tags = make_provenance_tags(data, *scene);
        output::write_png(req.output, cairo_image_surface_get_data(surface.get()), px_w, px_h,
                          cairo_image_surface_get_stride(surface.get()), tags);
    } else {
        output::VectorMetadata meta;
        std::string names;
        for (const auto& f : data.flights) names += (names.empty() ? "" : ", ") + f.aircraft.display_name();
        meta.title = req.title.empty() ? "flightreplay: " + names : req.title;
        meta.creator = std::string("flightreplay ") + FR_VERSION;
        meta.keywords = names;
        std::string inputs;
        for (const auto& f : data.files) inputs += "; " + output::sha256_file(f) + " " + f.filename().string();
        meta.subject = "provenance: " + std::string(to_string(scene->provenance())) + "; " + scene->attribution() + inputs;
        meta.date = format_iso8601(data_start(data));  // pinned: same input, same bytes (DECISIONS.md)
        output::write_vector_still(req.output, ext == ".pdf" ? output::VectorFormat::pdf : output::VectorFormat::svg, req.width,
                                   req.height, meta, [&](cairo_t* cr) { draw(cr, false); });
    }
    if (!req.quiet) {
        std::cerr << "wrote " << req.output.string() << " (";
        for (std::size_t i = 0; i < times.size(); ++i) std::cerr << (i ? ", " : "") << format_iso8601(times[i]);
        std::cerr << ")\n";
    }
    return 0;
}

}  // namespace fr::app
