#include "render/cairo_renderer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "geo/geodesic.hpp"

namespace fr::render {

namespace {

void set(cairo_t* cr, const Rgba& c) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a); }

void add_line(cairo_t* cr, const ScreenLine& l) {
    if (l.empty()) return;
    cairo_move_to(cr, l[0].x, l[0].y);
    for (std::size_t i = 1; i < l.size(); ++i) cairo_line_to(cr, l[i].x, l[i].y);
}

void stroke_lines(cairo_t* cr, const std::vector<ScreenLine>& lines, const Rgba& c, double width) {
    for (const auto& l : lines) add_line(cr, l);
    set(cr, c);
    cairo_set_line_width(cr, width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_stroke(cr);
}

void rounded_rect(cairo_t* cr, double x, double y, double w, double h, double r) {
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

std::string utc_clock(TimePoint t) {
    auto s = format_iso8601(std::chrono::time_point_cast<std::chrono::seconds>(t));
    s[10] = ' ';
    s.pop_back();
    return s + " UTC";
}

std::string short_utc(TimePoint t) {
    auto s = format_iso8601(std::chrono::time_point_cast<std::chrono::seconds>(t));
    return s.substr(0, 10) + " " + s.substr(11, 5) + "Z";
}

std::string altitude_text(const std::optional<Length>& a) {
    if (!a) return "alt ?";
    char buf[32];
    const double ft = a->ft();
    if (ft >= 18000) std::snprintf(buf, sizeof buf, "FL%03.0f", ft / 100.0);  // flight levels above the highest transition altitude
    else std::snprintf(buf, sizeof buf, "%.0f ft", std::round(ft / 100.0) * 100.0);
    return buf;
}

}  // namespace

CairoRenderer::CairoRenderer(const Scene& scene, const TextEngine& text) : m_scene(scene), m_text(text) {}

void CairoRenderer::draw_frame(cairo_t* cr, const FrameInfo& f, bool use_cache) {
    const bool with_timeline = f.timeline != nullptr;
    if (use_cache) {
        if (!m_cache || m_cache_with_timeline != with_timeline) {
            m_cache = make_image_surface(m_scene.options().width, m_scene.options().height);
            m_cache_with_timeline = with_timeline;
            auto c = make_context(m_cache.get());
            draw_static(c.get(), with_timeline);
            check(c.get(), "drawing the basemap");
            cairo_surface_flush(m_cache.get());
        }
        cairo_save(cr);
        cairo_set_source_surface(cr, m_cache.get(), 0, 0);
        cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
        cairo_paint(cr);
        cairo_restore(cr);
    } else {
        draw_static(cr, with_timeline);
    }
    draw_dynamic(cr, f);
    check(cr, "drawing a frame");
}

void CairoRenderer::draw_static(cairo_t* cr, bool with_timeline) const {
    draw_basemap(cr);
    draw_routes_and_airports(cr);
    draw_static_hud(cr, with_timeline);
}

void CairoRenderer::draw_dynamic(cairo_t* cr, const FrameInfo& f) const {
    draw_trails(cr, f.t);
    draw_stops_and_gaps(cr, f.t);
    draw_aircraft(cr, f.t);
    draw_hud(cr, f);
}

void CairoRenderer::draw_dynamic(cairo_t* cr, const FrameInfo& f, const DynamicLayers& layers) const {
    if (layers.trails) draw_trails(cr, f.t);
    if (layers.annotations) draw_stops_and_gaps(cr, f.t);
    if (layers.aircraft) draw_aircraft(cr, f.t);
    if (layers.hud) draw_hud(cr, f);
}

CairoRenderer::BarRect CairoRenderer::timeline_bar_rect() const noexcept {
    // Mirrors draw_hud / draw_timeline_bar.
    const auto& st = m_scene.options().style;
    const auto& opt = m_scene.options();
    const double m = 24 * s(), attr_h = st.font_small * s() * 1.4;
    return {m, opt.width - m, opt.height - m - attr_h - bar_height(true), 22 * s() + 8 * s()};
}

void CairoRenderer::draw_basemap(cairo_t* cr) const {
    const auto& st = m_scene.options().style;
    cairo_save(cr);
    set(cr, st.ocean);
    cairo_paint(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    for (const auto& poly : m_scene.land()) {
        for (const auto& ring : poly) {
            add_line(cr, ring);
            cairo_close_path(cr);
        }
    }
    set(cr, st.land);
    cairo_fill(cr);
    for (const auto& poly : m_scene.lakes()) {
        for (const auto& ring : poly) {
            add_line(cr, ring);
            cairo_close_path(cr);
        }
    }
    set(cr, st.lake);
    cairo_fill(cr);
    stroke_lines(cr, m_scene.graticule(), st.graticule, 0.8 * s());
    stroke_lines(cr, m_scene.borders(), st.border, st.border_width * s());
    stroke_lines(cr, m_scene.coastline(), st.coastline, st.coastline_width * s());
    cairo_restore(cr);
}

void CairoRenderer::draw_routes_and_airports(cairo_t* cr) const {
    const auto& st = m_scene.options().style;
    cairo_save(cr);
    if (m_scene.options().great_circles) {
        const double dash[] = {8 * s(), 6 * s()};
        cairo_set_dash(cr, dash, 2, 0);
        for (const auto& fv : m_scene.flights()) stroke_lines(cr, fv.great_circles, st.great_circle, 1.6 * s());
        cairo_set_dash(cr, nullptr, 0, 0);
    }
    for (const auto& ap : m_scene.airports()) {
        if (!ap.px) continue;
        cairo_new_path(cr);
        cairo_arc(cr, ap.px->x, ap.px->y, 6 * s(), 0, 2 * M_PI);
        set(cr, {1, 1, 1, 1});
        cairo_fill_preserve(cr);
        set(cr, st.airport);
        cairo_set_line_width(cr, 2.5 * s());
        cairo_stroke(cr);
        const bool right_half = ap.px->x > m_scene.transform().width() / 2.0;
        m_text.draw(cr, ap.label, ap.px->x + (right_half ? -10 : 10) * s(), ap.px->y + 8 * s(), st.font_normal * s(), st.text, true,
                    right_half ? Align::right : Align::left, st.halo);
    }
    cairo_restore(cr);
}

void CairoRenderer::draw_trails(cairo_t* cr, TimePoint t) const {
    const auto& st = m_scene.options().style;
    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (const auto& fv : m_scene.flights()) {
        for (const auto& piece : fv.trail) {
            const auto& v = piece.v;
            if (v.empty() || v.front().t > t) continue;
            cairo_move_to(cr, v[0].x, v[0].y);
            for (std::size_t i = 1; i < v.size(); ++i) {
                if (v[i].t <= t) {
                    cairo_line_to(cr, v[i].x, v[i].y);
                    continue;
                }
                // Partway along this (short, densified) segment.
                const double span = static_cast<double>((v[i].t - v[i - 1].t).count());
                const double f = span > 0 ? static_cast<double>((t - v[i - 1].t).count()) / span : 0;
                cairo_line_to(cr, v[i - 1].x + (v[i].x - v[i - 1].x) * f, v[i - 1].y + (v[i].y - v[i - 1].y) * f);
                break;
            }
            if (piece.gap) {
                const double dash[] = {4 * s(), 7 * s()};
                cairo_set_dash(cr, dash, 2, 0);
                set(cr, st.trail_gap);
                cairo_set_line_width(cr, 2.2 * s());
            } else {
                cairo_set_dash(cr, nullptr, 0, 0);
                set(cr, fv.colour);
                cairo_set_line_width(cr, st.trail_width * s());
            }
            cairo_stroke(cr);
        }
    }
    cairo_restore(cr);
}

void CairoRenderer::draw_stops_and_gaps(cairo_t* cr, TimePoint t) const {
    const auto& st = m_scene.options().style;
    const auto& tf = m_scene.transform();
    cairo_save(cr);
    for (const auto& fv : m_scene.flights()) {
        // Gap labels, once the gap has begun.
        for (const auto& leg : fv.analysis.legs)
            for (const auto& g : leg.gaps) {
                if (t < g.start) continue;
                const auto& pts = fv.flight.points;
                const auto mid = geo::interpolate(pts[g.index_before].position(), pts[g.index_before + 1].position(), 0.5);
                if (auto p = m_scene.to_screen(mid))
                    m_text.draw(cr, "no data " + format_duration(g.duration()), p->x + 8 * s(), p->y - 26 * s(), st.font_small * s(),
                                st.trail_gap, true, Align::left, st.halo);
            }
        // Ground stops: a card at the airport from arrival on.
        for (const auto& stp : fv.analysis.stops) {
            if (t < stp.start) continue;
            auto p = m_scene.to_screen(stp.airport ? stp.airport->position : stp.position);
            if (!p) continue;
            const bool during = t < stp.end;
            const std::string head = "On ground at " + airport_label(stp.airport);
            std::string dur = format_duration(stp.duration());
            if (during) dur = format_duration(t - stp.start) + " of " + dur;
            const std::string times = "arrived " + short_utc(stp.start) + (during ? "" : "\ndeparted " + short_utc(stp.end)) +
                                      (stp.inferred ? "\n(inferred across missing data)" : "");
            const double fs = st.font_normal * s(), fl = st.font_large * s();
            const auto sh = m_text.measure(head, fs, true), sd = m_text.measure(dur, fl, true), stt = m_text.measure(times, st.font_small * s());
            const double pad = 10 * s();
            const double w = std::max({sh.width, sd.width, stt.width}) + 2 * pad;
            const double h = sh.height + sd.height + stt.height + 2 * pad + 4 * s();
            // Place the card toward the map centre so it stays on screen.
            const double cx = p->x < tf.width() / 2.0 ? p->x + 40 * s() : p->x - 40 * s() - w;
            const double cy = p->y < tf.height() / 2.0 ? p->y + 30 * s() : p->y - 30 * s() - h;
            cairo_new_path(cr);
            cairo_move_to(cr, p->x, p->y);
            cairo_line_to(cr, std::clamp(p->x, cx, cx + w), std::clamp(p->y, cy, cy + h));
            set(cr, st.stop);
            cairo_set_line_width(cr, 2 * s());
            cairo_stroke(cr);
            rounded_rect(cr, cx, cy, w, h, 6 * s());
            set(cr, st.card_bg);
            cairo_fill_preserve(cr);
            set(cr, st.stop);
            cairo_set_line_width(cr, 2 * s());
            cairo_stroke(cr);
            m_text.draw(cr, head, cx + pad, cy + pad, fs, st.text, true);
            m_text.draw(cr, dur, cx + pad, cy + pad + sh.height, fl, st.stop, true);
            m_text.draw(cr, times, cx + pad, cy + pad + sh.height + sd.height + 4 * s(), st.font_small * s(), st.text);
            // Ring around the airport marks where it stood.
            cairo_new_path(cr);
            cairo_arc(cr, p->x, p->y, 11 * s(), 0, 2 * M_PI);
            set(cr, st.stop);
            cairo_set_line_width(cr, 3 * s());
            cairo_stroke(cr);
        }
    }
    cairo_restore(cr);
}

void CairoRenderer::draw_aircraft(cairo_t* cr, TimePoint t) const {
    const auto& st = m_scene.options().style;
    for (const auto& fv : m_scene.flights()) {
        const auto state = state_at(fv.flight, fv.analysis, t);
        if (!state) continue;
        const auto p = m_scene.to_screen(state->position);
        if (!p) continue;
        // Screen heading: project a point 5 km ahead along the track.
        double angle = 0;
        if (auto ahead = m_scene.to_screen(geo::direct(state->position, Angle::degrees(state->heading_deg), Length::kilometres(5))))
            angle = std::atan2(ahead->x - p->x, -(ahead->y - p->y));
        const bool uncertain = state->phase == Phase::gap || state->phase == Phase::unknown;
        cairo_save(cr);
        cairo_translate(cr, p->x, p->y);
        cairo_rotate(cr, angle);
        const double k = 1.5 * s();  // icon: 24 px nose to tail at 1080p
        cairo_move_to(cr, 0, -9 * k);
        cairo_line_to(cr, 1.6 * k, -3 * k);
        cairo_line_to(cr, 9 * k, 1.5 * k);
        cairo_line_to(cr, 9 * k, 3 * k);
        cairo_line_to(cr, 1.6 * k, 1 * k);
        cairo_line_to(cr, 1.2 * k, 6 * k);
        cairo_line_to(cr, 4 * k, 8 * k);
        cairo_line_to(cr, 4 * k, 9 * k);
        cairo_line_to(cr, 0, 8.2 * k);
        cairo_line_to(cr, -4 * k, 9 * k);
        cairo_line_to(cr, -4 * k, 8 * k);
        cairo_line_to(cr, -1.2 * k, 6 * k);
        cairo_line_to(cr, -1.6 * k, 1 * k);
        cairo_line_to(cr, -9 * k, 3 * k);
        cairo_line_to(cr, -9 * k, 1.5 * k);
        cairo_line_to(cr, -1.6 * k, -3 * k);
        cairo_close_path(cr);
        if (uncertain) {
            set(cr, {1, 1, 1, 0.7});
            cairo_fill_preserve(cr);
            set(cr, st.trail_gap);
        } else {
            set(cr, fv.colour);
            cairo_fill_preserve(cr);
            set(cr, {1, 1, 1, 1});
        }
        cairo_set_line_width(cr, 1.2 * s());
        cairo_stroke(cr);
        cairo_restore(cr);
        if (!m_scene.options().labels) continue;
        std::string line2;
        switch (state->phase) {
            case Phase::stopped: line2 = "on ground"; break;
            case Phase::gap: line2 = "no data (position estimated)"; break;
            case Phase::unknown: line2 = "no data"; break;
            case Phase::ground: line2 = "taxiing"; break;
            case Phase::ended: line2 = "last seen " + short_utc(fv.flight.points.back().time()); break;
            default: {
                char buf[64];
                std::snprintf(buf, sizeof buf, " · %.0f kt", state->ground_speed ? state->ground_speed->kt() : 0.0);
                line2 = altitude_text(state->altitude) + (state->ground_speed ? buf : "");
            }
        }
        const std::string label = fv.flight.aircraft.display_name() + "\n" + line2;
        const auto sz = m_text.measure(label, st.font_normal * s(), true);
        const bool right_half = p->x > m_scene.transform().width() / 2.0;
        m_text.draw(cr, label, p->x + (right_half ? -16 : 16) * s(), p->y - 14 * s() - sz.height, st.font_normal * s(), st.text, true,
                    right_half ? Align::right : Align::left, st.halo);
    }
}

void CairoRenderer::draw_hud(cairo_t* cr, const FrameInfo& f) const {
    const auto& st = m_scene.options().style;
    const auto& opt = m_scene.options();
    const double W = opt.width, H = opt.height, m = 24 * s(), pad = 12 * s();
    cairo_save(cr);
    // Clock (and the replay speed in videos).
    const std::string clock = utc_clock(f.t);
    std::string sub;
    if (f.timeline) {
        const auto& seg = f.timeline->segment_at(f.video_s);
        char buf[64];
        std::snprintf(buf, sizeof buf, "replay %.0fx", f.timeline->speed());
        sub = seg.kind == SegmentKind::hold ? "fast-forward" : buf;
    }
    {
        const auto c = m_text.measure(clock, st.font_large * s(), true);
        const auto d = sub.empty() ? TextSize{} : m_text.measure(sub, st.font_small * s());
        const double w = std::max(c.width, d.width) + 2 * pad, h = c.height + d.height + 2 * pad;
        rounded_rect(cr, m, m, w, h, 6 * s());
        set(cr, st.card_bg);
        cairo_fill_preserve(cr);
        set(cr, st.card_border);
        cairo_set_line_width(cr, 1 * s());
        cairo_stroke(cr);
        m_text.draw(cr, clock, m + pad, m + pad, st.font_large * s(), st.text, true);
        if (!sub.empty()) m_text.draw(cr, sub, m + pad, m + pad + c.height, st.font_small * s(), st.text);
    }
    // Hold card: what the fast-forward skips.
    const double bar_h = bar_height(f.timeline != nullptr);
    const double attr_h = st.font_small * s() * 1.4;
    if (f.timeline) {
        const auto& seg = f.timeline->segment_at(f.video_s);
        if (seg.kind == SegmentKind::hold && !seg.caption.empty()) {
            const auto sz = m_text.measure(seg.caption, st.font_large * s(), true);
            const double w = sz.width + 3 * pad, h = sz.height + 2 * pad;
            const double cy = H - m - attr_h - bar_h - h - 16 * s();
            rounded_rect(cr, W / 2 - w / 2, cy, w, h, 8 * s());
            set(cr, st.card_bg);
            cairo_fill_preserve(cr);
            set(cr, st.stop);
            cairo_set_line_width(cr, 2.5 * s());
            cairo_stroke(cr);
            m_text.draw(cr, seg.caption, W / 2, cy + pad, st.font_large * s(), st.stop, true, Align::center);
        }
        if (opt.timeline_bar) draw_timeline_bar(cr, f, H - m - attr_h - bar_h);
    }
    cairo_restore(cr);
}

void CairoRenderer::draw_static_hud(cairo_t* cr, bool with_timeline) const {
    const auto& st = m_scene.options().style;
    const auto& opt = m_scene.options();
    const double W = opt.width, H = opt.height, m = 24 * s(), pad = 12 * s();
    cairo_save(cr);
    // Route figures under the clock (whose height is fixed by its font).
    const double clock_h = m_text.measure("0", st.font_large * s(), true).height + 2 * pad +
                           (with_timeline ? m_text.measure("0", st.font_small * s()).height : 0);
    double y = m + clock_h + 10 * s();
    std::string figures;
    for (const auto& fv : m_scene.flights())
        for (const auto& c : fv.great_circle_captions) figures += (figures.empty() ? "" : "\n") + c;
    if (!figures.empty() && m_scene.options().great_circles) {
        const auto sz = m_text.measure(figures, st.font_small * s());
        rounded_rect(cr, m, y, sz.width + 2 * pad, sz.height + 2 * pad, 6 * s());
        set(cr, st.card_bg);
        cairo_fill(cr);
        m_text.draw(cr, figures, m + pad, y + pad, st.font_small * s(), st.great_circle);
    }
    // Title.
    if (!opt.title.empty()) {
        m_text.draw(cr, opt.title, W / 2, m, st.font_large * 1.2 * s(), st.text, true, Align::center, st.halo);
        if (!opt.subtitle.empty())
            m_text.draw(cr, opt.subtitle, W / 2, m + st.font_large * 1.6 * s(), st.font_normal * s(), st.text, false, Align::center, st.halo);
    }
    // Provenance banner: reconstructed or synthetic data say so on every image.
    if (m_scene.provenance() != Provenance::recorded) {
        const std::string kind = m_scene.provenance() == Provenance::reconstructed ? "RECONSTRUCTED" : "SYNTHETIC";
        const std::string text = kind + " TRACK - modelled positions, not recorded data";
        const auto sz = m_text.measure(text, st.font_normal * s(), true);
        const double w = sz.width + 2 * pad, x = W - m - w;
        const double by = opt.title.empty() ? m : m + (opt.subtitle.empty() ? 2.2 : 3.4) * st.font_large * s();
        rounded_rect(cr, x, by, w, sz.height + 2 * pad, 6 * s());
        set(cr, st.warning_bg);
        cairo_fill(cr);
        m_text.draw(cr, text, x + pad, by + pad, st.font_normal * s(), st.warning_text, true);
    }
    const double bar_h = bar_height(with_timeline);
    const double attr_h = st.font_small * s() * 1.4;
    // Legend (bottom-left, above the bar).
    {
        const double lx = m, fs = st.font_small * s();
        const double ly = H - m - attr_h - bar_h - 4 * 24 * s() - 10 * s();
        struct Item { Rgba c; bool dashed; std::string text; };
        const std::string trail_kind = m_scene.provenance() == Provenance::recorded ? "recorded track" : std::string(to_string(m_scene.provenance())) + " track";
        std::vector<Item> items{{m_scene.flights().front().colour, false, trail_kind},
                                {st.trail_gap, true, "coverage gap (no data)"},
                                {st.great_circle, true, "great circle (shortest route)"},
                                {st.stop, false, "ground stop"}};
        if (!opt.great_circles) items.erase(items.begin() + 2);
        double w = 0;
        for (const auto& it : items) w = std::max(w, m_text.measure(it.text, fs).width);
        rounded_rect(cr, lx, ly, w + 60 * s() + 2 * pad, items.size() * 24 * s() + pad, 6 * s());
        set(cr, st.card_bg);
        cairo_fill(cr);
        for (std::size_t i = 0; i < items.size(); ++i) {
            const double iy = ly + pad / 2 + i * 24 * s() + 12 * s();
            if (items[i].dashed) {
                const double dash[] = {5 * s(), 5 * s()};
                cairo_set_dash(cr, dash, 2, 0);
            }
            cairo_move_to(cr, lx + pad, iy);
            cairo_line_to(cr, lx + pad + 44 * s(), iy);
            set(cr, items[i].c);
            cairo_set_line_width(cr, 3 * s());
            cairo_stroke(cr);
            cairo_set_dash(cr, nullptr, 0, 0);
            m_text.draw(cr, items[i].text, lx + pad + 54 * s(), iy - fs * 0.65, fs, st.text);
        }
    }
    // Attribution.
    m_text.draw(cr, m_scene.attribution(), W - m, H - m - attr_h + 4 * s(), st.font_small * 0.9 * s(), st.text, false, Align::right, st.halo);
    cairo_restore(cr);
}

double CairoRenderer::bar_height(bool with_timeline) const noexcept {
    return m_scene.options().timeline_bar && with_timeline ? 34 * s() : 0;
}

void CairoRenderer::draw_timeline_bar(cairo_t* cr, const FrameInfo& f, double y) const {
    const auto& st = m_scene.options().style;
    const auto& opt = m_scene.options();
    const double m = 24 * s(), x0 = m, x1 = opt.width - m, h = 22 * s();
    const auto& tl = *f.timeline;
    const double total = tl.video_duration_s();
    auto xv = [&](double v) { return x0 + (x1 - x0) * v / total; };
    rounded_rect(cr, x0 - 4 * s(), y, x1 - x0 + 8 * s(), h + 8 * s(), 5 * s());
    set(cr, st.timeline_bg);
    cairo_fill(cr);
    const double by = y + 4 * s();
    // Background track, then legs, gaps and stops at their video positions.
    cairo_rectangle(cr, x0, by + h * 0.35, x1 - x0, h * 0.3);
    set(cr, {0.8, 0.8, 0.82, 1});
    cairo_fill(cr);
    for (const auto& fv : m_scene.flights()) {
        for (const auto& leg : fv.analysis.legs) {
            const double a = xv(tl.video_time(leg.departure_time)), b = xv(tl.video_time(leg.arrival_time));
            cairo_rectangle(cr, a, by + h * 0.2, std::max(b - a, 1.0), h * 0.6);
            set(cr, fv.colour);
            cairo_fill(cr);
            for (const auto& g : leg.gaps) {
                const double ga = xv(tl.video_time(g.start)), gb = xv(tl.video_time(g.end));
                cairo_rectangle(cr, ga, by + h * 0.2, std::max(gb - ga, 2.0), h * 0.6);
                set(cr, st.trail_gap);
                cairo_fill(cr);
            }
        }
        for (const auto& stp : fv.analysis.stops) {
            const double a = xv(tl.video_time(stp.start)), b = xv(tl.video_time(stp.end));
            cairo_rectangle(cr, a, by, std::max(b - a, 2.0), h);
            set(cr, st.stop);
            cairo_fill(cr);
        }
    }
    const double cx = xv(f.video_s);
    cairo_move_to(cr, cx, y);
    cairo_line_to(cr, cx, y + h + 8 * s());
    set(cr, st.text);
    cairo_set_line_width(cr, 3 * s());
    cairo_stroke(cr);
}

}  // namespace fr::render
