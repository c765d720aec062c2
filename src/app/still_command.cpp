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
#include "io/map/assets.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/cairo_renderer.hpp"

namespace fr::app {

// Defined in render_command.cpp: the scene options and PNG provenance tags every output shares.
std::vector<std::pair<std::string, std::string>> make_provenance_tags(const LoadedData& data, const render::Scene& scene);

namespace {

namespace fs = std::filesystem;

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
/// its time, between a header band (title, subtitle, provenance banner) and a footer band
/// (legend, source line) drawn once for the page: the panels show only the map, the tracks, the
/// aircraft and the map's labels (SceneOptions::frame_furniture off). The bands' texts wrap and
/// shrink with the frame layout's fit_text and fit_banner, never clipped. Page units: CSS pixels.
class Sheet {
public:
    Sheet(const RenderRequest& req, const LoadedData& data, const render::TextEngine& text, int cols, int rows)
        : m_text(text), m_cols(cols), m_rows(rows), m_w(req.width), m_h(req.height) {
        // Text scale as the frames': 1 at 1080 px on the short side, not below 0.6.
        m_s = std::max(std::min(m_w, m_h) / 1080.0, 0.6);
        m_pad = 16 * m_s;
        m_caption = 30 * m_s;
        // The bands depend on the legend, which depends on the panels' view, which depends on
        // the bands: lay out until the bands stop changing (two or three passes).
        double header = m_pad, footer = m_pad;
        for (int pass = 0; pass < 4; ++pass) {
            build_panels(req, data, header, footer);
            lay_out_bands(req);
            if (std::abs(m_layout.header.y1 - header) < 0.5 && std::abs(m_h - m_layout.footer.y0 - footer) < 0.5) break;
            header = m_layout.header.y1;
            footer = m_h - m_layout.footer.y0;
        }
    }

    const render::Scene& scene() const { return *m_scene; }
    const SheetLayout& layout() const { return m_layout; }

    void draw(cairo_t* cr, const std::vector<TimePoint>& times) {
        const double s = m_s;
        const auto& st = m_scene->options().style;
        // The page in the theme's card colour (opaque): the theme's text reads on it (white in
        // the light theme, dark in the dark one).
        cairo_save(cr);
        cairo_set_source_rgb(cr, st.card_bg.r, st.card_bg.g, st.card_bg.b);
        cairo_paint(cr);
        cairo_restore(cr);
        auto lines = [&](const render::layout::LaidText& t, double x, double y, bool bold) {
            for (std::size_t i = 0; i < t.lines.size(); ++i)
                m_text.draw(cr, t.lines[i], x, y + t.line_h * static_cast<double>(i), t.px, st.text, bold);
        };
        if (m_layout.title) lines(m_title, m_layout.title->x0, m_layout.title->y0, true);
        if (m_layout.subtitle) lines(m_subtitle, m_layout.subtitle->x0, m_layout.subtitle->y0, false);
        if (m_layout.banner) m_renderer->draw_banner(cr, *m_layout.banner, m_banner, 6 * s);
        for (std::size_t i = 0; i < times.size() && i < m_layout.panels.size(); ++i) {
            const auto& p = m_layout.panels[i];
            cairo_save(cr);
            cairo_translate(cr, p.x0, p.y0);
            cairo_rectangle(cr, 0, 0, p.w(), p.h());
            cairo_clip(cr);
            cairo_scale(cr, 1 / m_k, 1 / m_k);
            m_renderer->draw_frame(cr, {times[i], nullptr, 0}, /*use_cache=*/false);
            cairo_restore(cr);
            cairo_save(cr);
            cairo_set_source_rgba(cr, st.text.r, st.text.g, st.text.b, 0.5);
            cairo_set_line_width(cr, 1 * s);
            cairo_rectangle(cr, p.x0, p.y0, p.w(), p.h());
            cairo_stroke(cr);
            cairo_restore(cr);
            m_text.draw(cr, caption_time(times[i]), (p.x0 + p.x1) / 2, p.y1 + 4 * s, 18 * s, st.text, true, render::Align::center);
        }
        for (std::size_t i = 0; i < m_legend.size(); ++i) {
            const auto& b = m_layout.legend[i];
            m_renderer->draw_legend_item(cr, m_legend[i], b.x0, (b.y0 + b.y1) / 2, m_legend_px, s);
        }
        // The page's source line: the same attribution the frames carry (basemap credit, track
        // files, and whether the data are reconstructed), once, wrapped to the page.
        if (m_layout.source) lines(m_source, m_layout.source->x0, m_layout.source->y0, false);
    }

private:
    render::layout::Measure measure() const {
        return [this](const std::string& t, double px, bool bold) {
            const auto z = m_text.measure(t, px, bold);
            return render::layout::Size{z.width, z.height};
        };
    }

    /// The panels' scene and renderer for bands `header` and `footer` pixels high.
    void build_panels(const RenderRequest& req, const LoadedData& data, double header, double footer) {
        m_cell_w = (m_w - m_pad * (m_cols + 1)) / m_cols;
        m_cell_h = (m_h - header - footer - m_pad * (m_rows - 1)) / m_rows - m_caption;
        if (m_cell_w < 32 || m_cell_h < 32)
            throw UsageError("--sheet " + req.sheet->to_string() + " leaves cells too small for --size " +
                             std::to_string(static_cast<int>(m_w)) + "x" + std::to_string(static_cast<int>(m_h)));
        // Each cell is laid out at a logical size at least 540 px high and scaled down, so its
        // map labels stay legible instead of shrinking with the cell (render::CairoRenderer
        // scales text by height / 1080).
        m_k = std::max(1.0, 540.0 / m_cell_h);
        RenderRequest cell = req;
        cell.title.clear();
        cell.subtitle.clear();
        auto opt = make_scene_options(cell, data);
        opt.width = static_cast<int>(std::lround(m_cell_w * m_k));
        opt.height = static_cast<int>(std::lround(m_cell_h * m_k));
        opt.timeline_bar = false;
        opt.frame_furniture = false;
        m_renderer.reset();
        m_scene.emplace(pipeline::make_scene(data.flights, data.analyses, opt));
        m_renderer.emplace(*m_scene, m_text);
        m_layout.panels.clear();
        for (int i = 0; i < m_cols * m_rows; ++i) {
            const int c = i % m_cols, r = i / m_cols;
            const double x = m_pad + c * (m_cell_w + m_pad), y = header + r * (m_cell_h + m_caption + m_pad);
            m_layout.panels.push_back({x, y, x + m_cell_w, y + m_cell_h});
        }
    }

    /// Header (title, subtitle, banner) from the top, footer (legend rows, source line) from
    /// the bottom, each text within the page width.
    void lay_out_bands(const RenderRequest& req) {
        namespace L = render::layout;
        const double s = m_s, avail = m_w - 2 * m_pad;
        const auto ms = measure();
        auto line_h = [&](double px, bool bold) { return ms("Ag", px, bold).h; };
        double y = m_pad;
        m_layout.title.reset();
        m_layout.subtitle.reset();
        m_layout.banner.reset();
        if (!req.title.empty()) {
            m_title = L::fit_text({req.title, 34 * s, L::kMinTextPx, true}, avail, 2.2 * line_h(34 * s, true), ms);
            const auto z = L::text_size(m_title, ms, true);
            m_layout.title = render::Box{m_pad, y, m_pad + z.w, y + z.h};
            y += z.h + 4 * s;
            if (!req.subtitle.empty()) {
                m_subtitle = L::fit_text({req.subtitle, 22 * s, L::kMinTextPx, false}, avail, 2.2 * line_h(22 * s, false), ms);
                const auto zs = L::text_size(m_subtitle, ms, false);
                m_layout.subtitle = render::Box{m_pad, y, m_pad + zs.w, y + zs.h};
                y += zs.h + 4 * s;
            }
            y += 4 * s;
        }
        if (const auto wordings = m_renderer->banner_texts(); !wordings.empty()) {
            const double bpad = 10 * s;  // as the frames': the padding on every side
            m_banner = L::fit_banner(wordings, 20 * s, avail - 2 * bpad, ms);
            const auto z = L::text_size(m_banner, ms, true);
            m_layout.banner = render::Box{m_pad, y, m_pad + z.w + 2 * bpad, y + z.h + 2 * bpad};
            y += z.h + 2 * bpad + 8 * s;
        }
        m_layout.header = {0, 0, m_w, std::max(y, m_pad)};

        // Footer, from the page's foot up: the source line, then the legend rows above it.
        double foot = m_h - m_pad;
        m_layout.source.reset();
        const std::string attribution = m_scene->attribution();
        if (!attribution.empty()) {
            const double px = 15 * s;
            m_source = L::fit_text({attribution, px, L::kMinTextPx, false}, avail, 3.2 * line_h(px, false), ms);
            const auto z = L::text_size(m_source, ms, false);
            m_layout.source = render::Box{m_pad, foot - z.h, m_pad + z.w, foot};
            foot -= z.h + 6 * s;
        }
        m_legend = m_renderer->furniture().legend;
        m_legend_px = 15 * s;
        const double row_h = 24 * s, gap = 28 * s;
        std::vector<int> row_of;
        std::vector<double> x_of;
        double x = m_pad;
        int row = 0;
        for (const auto& it : m_legend) {
            const double w = m_renderer->legend_item_width(it, m_legend_px, s);
            if (x > m_pad && x + w > m_w - m_pad) {
                ++row;
                x = m_pad;
            }
            row_of.push_back(row);
            x_of.push_back(x);
            x += w + gap;
        }
        const int rows = m_legend.empty() ? 0 : row + 1;
        const double top = foot - rows * row_h;
        m_layout.legend.clear();
        for (std::size_t i = 0; i < m_legend.size(); ++i) {
            const double w = m_renderer->legend_item_width(m_legend[i], m_legend_px, s);
            const double y0 = top + row_of[i] * row_h;
            m_layout.legend.push_back({x_of[i], y0, x_of[i] + w, y0 + row_h});
        }
        // Room for the last row's captions above the footer.
        m_layout.footer = {0, top - (rows ? 4 * s : 0), m_w, m_h};
    }

    const render::TextEngine& m_text;
    int m_cols, m_rows;
    double m_w, m_h;
    double m_s = 1, m_pad = 0, m_caption = 0, m_cell_w = 0, m_cell_h = 0, m_k = 1;
    SheetLayout m_layout;
    render::layout::LaidText m_title, m_subtitle, m_banner, m_source;
    std::vector<render::CairoRenderer::LegendItem> m_legend;
    double m_legend_px = 15;
    std::optional<render::Scene> m_scene;
    std::optional<render::CairoRenderer> m_renderer;
};

}  // namespace

std::vector<TimePoint> sheet_times(const std::vector<TimeRef>& at, int cells, TimePoint start, TimePoint end, const Intervals& airborne) {
    std::vector<TimePoint> out;
    if (!at.empty()) {
        for (const auto& t : at) out.push_back(t.resolve(start));
        if (static_cast<int>(out.size()) > cells)
            throw UsageError("--at lists " + std::to_string(out.size()) + " times but the sheet has " + std::to_string(cells) + " cells");
        return out;
    }
    Duration total{0};
    for (const auto& [a, b] : airborne) total += b - a;
    if (total <= Duration{0}) {  // nothing flown in view (or --sheet-holds): the whole span
        for (int i = 0; i < cells; ++i) out.push_back(cells == 1 ? end : start + (end - start) * i / (cells - 1));
        return out;
    }
    // Evenly over the time in the air: the k-th cell shows the moment when k/(cells-1) of the
    // flown time has passed, so a long ground stop takes no cells of its own.
    for (int i = 0; i < cells; ++i) {
        Duration want = cells == 1 ? total : total * i / (cells - 1);
        TimePoint t = airborne.back().second;
        for (const auto& [a, b] : airborne) {
            if (want <= b - a) {
                t = a + want;
                break;
            }
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
    // The kind was decided when -o was parsed (OutputSpec::parse); videos go to run_video.
    const auto kind = req.output.kind;
    if (req.output.is_video()) throw UsageError("output '" + req.output.string() + "' is a video, not a still");
    const double scale = req.dpi / 96.0;
    const int px_w = static_cast<int>(std::lround(req.width * scale)), px_h = static_cast<int>(std::lround(req.height * scale));
    if (kind == OutputKind::png && (px_w > 32768 || px_h > 32768)) throw UsageError("--size at --dpi exceeds 32768 pixels");
    return {px_w, px_h};
}

/// A still of a moving camera (--follow, --keyframe) shows one moment, so its scene is built for
/// the camera's view at that moment (as the window builds each view) rather than the whole
/// fitted view at the camera's scale that a video re-frames (seconds of coast clipping for one
/// frame). A scene without map layers places the camera; `t` gets the still's time.
render::SceneOptions framed_at_the_camera(render::SceneOptions o, const LoadedData& data, const std::vector<TimeRef>& at, TimePoint& t) {
    render::SceneOptions probe = o;
    probe.layers = render::MapLayers{false, false, false, false, false, false, false, false, false, false, false, false};
    probe.overlays.clear();
    probe.overlay_labels.clear();
    probe.basemap.clear();
    probe.basemap_attribution.clear();
    const render::Scene p = pipeline::make_scene(data.flights, data.analyses, probe);
    t = at.empty() ? p.end() : at.front().resolve(time_base(data.flights));
    const auto view = p.camera().view_at(p, t);
    if (!view) return o;  // the camera cannot be placed then: the moving scene frames what it can
    o.extent = render::camera_extent(p, *view);
    o.bbox.reset();
    o.crs = p.projector().crs();
    o.follow.clear();
    o.keyframes.clear();
    return o;
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
        if (req.sheet) {
            const auto [cols, rows] = *req.sheet;
            sheet.emplace(req, data, text, cols, rows);
            scene = &sheet->scene();
            // Offsets count from the first fix, before --time-range clipping (as everywhere).
            std::vector<TimeRef> at;
            for (const auto& r : req.at) at.push_back(TimeRef::at_time(r.resolve(time_base(data.flights))));
            times = sheet_times(at, cols * rows, scene->start(), scene->end(),
                                req.sheet_holds ? Intervals{} : airborne_intervals(data, scene->start(), scene->end()));
        } else {
            auto opt = make_scene_options(req, data);
            std::optional<TimePoint> t;
            if (!opt.follow.empty() || !opt.keyframes.empty()) opt = framed_at_the_camera(std::move(opt), data, req.at, t.emplace());
            single.emplace(pipeline::make_scene(data.flights, data.analyses, opt));
            renderer.emplace(*single, text);
            scene = &*single;
            times.push_back(t ? *t : req.at.empty() ? scene->end() : req.at.front().resolve(time_base(data.flights)));
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

SheetLayout sheet_layout(const RenderRequest& req, const LoadedData& data) {
    if (!req.sheet) throw UsageError("sheet_layout: no --sheet");
    RenderRequest r = req;
    resolve_against_data(r, data.flights);
    StillDrawing d(r, data);
    return d.sheet->layout();
}

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
    output::check_output_target(req.output.path, data.input_paths());
    resolve_against_data(req, data.flights);  // times now absolute: one base for every option
    if (req.output.is_track_export()) {
        output::TrackExportOptions xo;
        xo.geojson_style = req.geojson_style;
        output::write_track_export(req.output.path, data.flights, data.analyses, xo);
        return {};
    }
    StillDrawing d(req, data);
    if (req.output.kind == OutputKind::png) {
        const auto r = draw_raster(req, data, d, px_w, px_h);
        output::write_png(req.output.path, cairo_image_surface_get_data(r.surface.get()), px_w, px_h,
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
        output::write_vector_still(req.output.path,
                                   req.output.kind == OutputKind::pdf ? output::VectorFormat::pdf : output::VectorFormat::svg, req.width,
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
