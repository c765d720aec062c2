#include "render/painter.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <limits>
#include <optional>
#include <string_view>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "render/direct_raster.hpp"
#include "render/icon_sprites.hpp"

namespace fr::render {

namespace {
/// Radius of an unlabelled airport's dot on a busy map, pixels at 1080 lines.
constexpr double kBusyAirportDot = 2.2;
}  // namespace

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

/// Fills polygons (rings closed, even-odd within the current fill rule) in one colour.
void fill_polygons(cairo_t* cr, const std::vector<std::vector<ScreenLine>>& polys, const Rgba& c) {
    for (const auto& poly : polys)
        for (const auto& ring : poly) {
            add_line(cr, ring);
            cairo_close_path(cr);
        }
    set(cr, c);
    cairo_fill(cr);
}

void rounded_rect(cairo_t* cr, double x, double y, double w, double h, double r) {
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

/// Line to the point reached at time t on the segment a -> b (a.t <= t <= b.t), linear in time.
void line_to_time(cairo_t* cr, const TrailVertex& a, const TrailVertex& b, TimePoint t) {
    const double span = static_cast<double>((b.t - a.t).count());
    const double f = span > 0 ? static_cast<double>((t - a.t).count()) / span : 0;
    cairo_line_to(cr, a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f);
}

/// Drawing that records its device-space extents into `damage` (when set).
void note(cairo_t* cr, TileDamage* damage, const Box& b) {
    if (damage) damage->add(device_box(cr, b.x0, b.y0, b.x1, b.y1));
}
void note_path(cairo_t* cr, TileDamage* damage, bool stroked) {  ///< the current path's stroke or fill extents
    if (!damage) return;
    double x0, y0, x1, y1;
    if (stroked && cairo_get_line_join(cr) == CAIRO_LINE_JOIN_ROUND && cairo_get_line_cap(cr) != CAIRO_LINE_CAP_SQUARE) {
        // Round joins, round or butt caps (every trail): the stroke lies within half the line
        // width of the path's points. cairo_stroke_extents strokes the path to find out, which
        // cost as much again as the stroke itself with thousands of trails a frame. A bound,
        // not the exact ink: damage may cover a few more tiles, never fewer.
        cairo_path_extents(cr, &x0, &y0, &x1, &y1);
        const double h = cairo_get_line_width(cr) / 2;
        x0 -= h, y0 -= h, x1 += h, y1 += h;
    } else if (stroked) {
        cairo_stroke_extents(cr, &x0, &y0, &x1, &y1);
    } else {
        cairo_path_extents(cr, &x0, &y0, &x1, &y1);  // a fill covers no more than its path's points' box
    }
    note(cr, damage, {x0, y0, x1, y1});
}
void stroke(cairo_t* cr, TileDamage* damage) {
    note_path(cr, damage, true);
    cairo_stroke(cr);
}
void fill(cairo_t* cr, TileDamage* damage) {
    note_path(cr, damage, false);
    cairo_fill(cr);
}
void fill_preserve(cairo_t* cr, TileDamage* damage) {
    note_path(cr, damage, false);
    cairo_fill_preserve(cr);
}
}  // namespace

Painter::Painter(const Scene& scene, const TextEngine& text, const FrameLayouter& layout)
    : m_scene(scene), m_text(text), m_layout(layout), m_icons(std::make_unique<IconSprites>()) {}
Painter::~Painter() = default;

void Painter::draw_static(cairo_t* cr, bool with_timeline, const Furniture& furniture) const {
    check_owner(cr, "a Cairo context (render::Painter::draw_static)");
    draw_basemap(cr);
    draw_runways(cr);
    draw_routes_and_airports(cr, with_timeline);
    draw_places(cr, with_timeline);
    draw_static_hud(cr, with_timeline, furniture);
}

void Painter::draw_static_map(cairo_t* cr, bool with_timeline) const {
    check_owner(cr, "a Cairo context (render::Painter::draw_static_map)");
    draw_basemap(cr);
    draw_runways(cr);
    draw_routes_and_airports(cr, with_timeline);
    draw_places(cr, with_timeline);
}

void Painter::draw_runways(cairo_t* cr) const {
    const auto& rws = m_scene.runways();
    if (rws.empty()) return;
    const auto& st = m_scene.options().style;
    cairo_save(cr);
    for (const auto& r : rws) {
        add_line(cr, r.corners);
        cairo_close_path(cr);
    }
    set(cr, st.runway);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    cairo_fill(cr);
    for (const auto& d : m_layout.runway_designators()) m_text.draw(cr, d.text, d.x, d.y, d.px, st.runway, true, Align::center, st.halo);
    cairo_restore(cr);
}

void Painter::draw_places(cairo_t* cr, bool with_timeline) const {
    const auto& placed = m_layout.place_layout(with_timeline);
    if (placed.empty()) return;
    const auto& st = m_scene.options().style;
    const auto& places = m_scene.places();
    cairo_save(cr);
    for (const auto& l : placed) {
        if (!l.dot || places[l.place].kind == ScenePlace::Kind::overlay) continue;  // overlay markers: draw_basemap
        cairo_new_path(cr);
        if (places[l.place].kind == ScenePlace::Kind::airport) {  // a small airport mark: ring
            cairo_arc(cr, l.dot->x, l.dot->y, 3.2 * s(), 0, 2 * M_PI);
            set(cr, {1, 1, 1, 1});
            cairo_fill_preserve(cr);
            set(cr, st.airport);
            cairo_set_line_width(cr, 1.6 * s());
            cairo_stroke(cr);
        } else {
            cairo_arc(cr, l.dot->x, l.dot->y, 2.5 * s(), 0, 2 * M_PI);
            set(cr, st.city);
            cairo_fill(cr);
        }
    }
    for (const auto& l : placed) {
        const auto kind = places[l.place].kind;
        const Rgba& c = kind == ScenePlace::Kind::country ? st.country_text
                        : kind == ScenePlace::Kind::water ? st.water_text
                                                          : st.place_text;
        m_text.draw(cr, l.text, l.box.x0, l.box.y0, l.font_px, c, l.bold, Align::left, st.halo);
    }
    cairo_restore(cr);
}

void Painter::draw_basemap(cairo_t* cr) const {
    const auto& st = m_scene.options().style;
    cairo_save(cr);
    const auto& outline = m_scene.world_outline();
    if (outline.size() > 2) {
        // Globe or world map: the world's outline holds the ocean; outside it, background.
        set(cr, st.background);
        cairo_paint(cr);
        add_line(cr, outline);
        cairo_close_path(cr);
        cairo_clip_preserve(cr);
        set(cr, st.ocean);
        cairo_fill(cr);
    } else {
        set(cr, st.ocean);
        cairo_paint(cr);
    }
    if (const auto* img = m_scene.raster()) {
        // Raster basemap, already warped to this frame: copied row by row into a Cairo image
        // (its stride may differ from the packed rows).
        auto surf = make_image_surface(img->width, img->height);
        const int stride = cairo_image_surface_get_stride(surf.get());
        unsigned char* dst = cairo_image_surface_get_data(surf.get());
        for (int y = 0; y < img->height; ++y)
            std::memcpy(dst + static_cast<std::ptrdiff_t>(y) * stride, img->bgra.data() + static_cast<std::size_t>(y) * img->width * 4,
                        static_cast<std::size_t>(img->width) * 4);
        cairo_surface_mark_dirty(surf.get());
        cairo_set_source_surface(cr, surf.get(), 0, 0);
        cairo_paint(cr);
    }
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    fill_polygons(cr, m_scene.land(), st.land);
    fill_polygons(cr, m_scene.lakes(), st.lake);
    if (!m_scene.lake_islands().empty()) fill_polygons(cr, m_scene.lake_islands(), st.land);
    if (!m_scene.rivers().empty()) stroke_lines(cr, m_scene.rivers(), st.river, st.river_width * s());
    stroke_lines(cr, m_scene.graticule(), st.graticule, 0.8 * s());
    stroke_lines(cr, m_scene.borders(), st.border, st.border_width * s());
    stroke_lines(cr, m_scene.coastline(), st.coastline, st.coastline_width * s());
    // Overlays (--overlay): translucent fill, outlined.
    for (const auto& poly : m_scene.overlay_polygons()) {
        for (const auto& ring : poly) {
            add_line(cr, ring);
            cairo_close_path(cr);
        }
    }
    set(cr, {st.great_circle.r, st.great_circle.g, st.great_circle.b, 0.15});
    cairo_fill_preserve(cr);
    set(cr, st.great_circle);
    cairo_set_line_width(cr, 1.2 * s());
    cairo_stroke(cr);
    stroke_lines(cr, m_scene.overlay_lines(), st.great_circle, 1.4 * s());
    // Overlay points: a filled dot in the overlay colour with a light ring, so it reads on any basemap.
    for (const auto& p : m_scene.overlay_points()) {
        if (!p.px) continue;
        cairo_new_path(cr);
        cairo_arc(cr, p.px->x, p.px->y, kOverlayMarkR * s(), 0, 2 * M_PI);
        set(cr, st.great_circle);
        cairo_fill_preserve(cr);
        set(cr, {1, 1, 1, 0.9});
        cairo_set_line_width(cr, 1.2 * s());
        cairo_stroke(cr);
    }
    cairo_reset_clip(cr);
    if (outline.size() > 2) {
        add_line(cr, outline);
        cairo_close_path(cr);
        set(cr, st.outline);
        cairo_set_line_width(cr, 1.5 * s());
        cairo_stroke(cr);
    }
    // Mercator's clip: the limit latitude drawn and named, so the cut is not mistaken for data.
    if (!m_scene.clip_lines().empty()) {
        const double dash[] = {10 * s(), 5 * s()};
        cairo_set_dash(cr, dash, 2, 0);
        stroke_lines(cr, m_scene.clip_lines(), st.clip_mark, 2 * s());
        cairo_set_dash(cr, nullptr, 0, 0);
        const double W = m_scene.transform().width(), H = m_scene.transform().height();
        char text[96];
        std::snprintf(text, sizeof text, "Mercator limit %.2f° latitude: nothing beyond is shown", m_scene.crs_traits().lat_limit_deg);
        const std::string label = text;
        for (const auto& l : m_scene.clip_lines()) {
            const double y = l.front().y;
            if (y < 0 || y > H) continue;
            const bool north = y < H / 2;
            // Below the title block when the northern limit runs under it.
            const double title_bottom =
                24 * s() + (m_scene.options().title.empty() ? 0 : (m_scene.options().subtitle.empty() ? 2.0 : 3.2) * st.font_large * s());
            m_text.draw(cr, label, W / 2, north ? std::max(y + 4 * s(), title_bottom) : y - 4 * s() - st.font_small * 1.3 * s(),
                        st.font_small * s(), st.clip_mark, true, Align::center, st.halo);
        }
    }
    cairo_restore(cr);
}

void Painter::draw_routes_and_airports(cairo_t* cr, bool with_timeline) const {
    const auto& st = m_scene.options().style;
    cairo_save(cr);
    if (m_scene.options().great_circles && !busy() && !density()) {  // density: heat only, as its legend says
        const double dash[] = {8 * s(), 6 * s()};
        cairo_set_dash(cr, dash, 2, 0);
        for (const auto& fv : m_scene.flights()) stroke_lines(cr, fv.great_circles, st.great_circle, 1.6 * s());
        cairo_set_dash(cr, nullptr, 0, 0);
    }
    // A busy map (a day of traffic touches thousands of airports) rings only the airports it
    // labels; the others are small dots, so that the traffic, not the airports, fills the map.
    const auto& labels = m_layout.airport_labels(with_timeline);
    std::unordered_set<std::string_view> labelled;
    if (busy())
        for (const auto& l : labels) labelled.insert(l.text);
    for (const auto& ap : m_scene.airports()) {
        if (!ap.px) continue;
        cairo_new_path(cr);
        if (busy() && !labelled.count(ap.code()) && !labelled.count(ap.label)) {
            cairo_arc(cr, ap.px->x, ap.px->y, kBusyAirportDot * s(), 0, 2 * M_PI);
            set(cr, st.airport);
            cairo_fill(cr);
            continue;
        }
        cairo_arc(cr, ap.px->x, ap.px->y, 6 * s(), 0, 2 * M_PI);
        set(cr, {1, 1, 1, 1});
        cairo_fill_preserve(cr);
        set(cr, st.airport);
        cairo_set_line_width(cr, 2.5 * s());
        cairo_stroke(cr);
    }
    for (const auto& l : labels) {
        if (l.leader) {
            cairo_move_to(cr, l.leader->first.x, l.leader->first.y);
            cairo_line_to(cr, l.leader->second.x, l.leader->second.y);
            set(cr, st.airport);
            cairo_set_line_width(cr, 1.2 * s());
            cairo_stroke(cr);
        }
        m_text.draw(cr, l.text, l.box.x0, l.box.y0, l.px, st.text, true, Align::left, st.halo);
    }
    cairo_restore(cr);
}

void Painter::stroke_chunk(cairo_t* cr, TileDamage* damage, const TrailChunk& c, TimePoint t, bool partial) const {
    const auto& st = m_scene.options().style;
    const auto& opt = m_scene.options();
    const auto& fv = m_scene.flights()[c.flight];
    const auto& piece = fv.trail[c.piece];
    const auto& v = piece.v;
    if (piece.gap) {
        const double dash[] = {kGapDashOn * s(), kGapDashOff * s()};
        cairo_set_dash(cr, dash, 2, c.dash_offset);
        cairo_set_line_width(cr, kGapTrailWidth * s());
    } else {
        cairo_set_dash(cr, nullptr, 0, 0);
        cairo_set_line_width(cr, trail_width_px());
    }
    cairo_move_to(cr, v[c.i0 - 1].x, v[c.i0 - 1].y);
    for (std::uint32_t i = c.i0; i <= c.i1; ++i) {
        if (!partial || v[i].t <= t) {
            cairo_line_to(cr, v[i].x, v[i].y);
            continue;
        }
        line_to_time(cr, v[i - 1], v[i], t);  // partway along this (short, densified) segment
        break;
    }
    Rgba col = piece.gap               ? st.trail_gap
               : opt.color_by_altitude ? (c.key < 0 ? st.trail_gap : viridis((c.key + 0.5) / kAltBins))
                                       : fv.colour;
    set(cr, col);
    stroke(cr, damage);
}

void Painter::draw_finished_chunks(cairo_t* cr, TileDamage* damage, const TrailChunks& chunks, TimePoint t, std::size_t from_chunk,
                                   std::size_t* drawn) const {
    const auto& m_chunks = chunks.chunks;
    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    std::size_t k = from_chunk;
    for (; k < m_chunks.size() && m_chunks[k].end <= t; ++k) stroke_chunk(cr, damage, m_chunks[k], t, false);
    cairo_restore(cr);
    if (drawn) *drawn = k;
}

void Painter::draw_trail_tips(cairo_t* cr, TileDamage* damage, const TrailChunks& chunks, TimePoint t) const {
    const auto& m_chunks = chunks.chunks;
    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (const auto& flight : chunks.piece_chunks)
        for (const auto& piece : flight) {
            // The piece's first unfinished chunk, if it has begun.
            const auto it = std::partition_point(piece.begin(), piece.end(), [&](std::uint32_t k) { return m_chunks[k].end <= t; });
            if (it == piece.end()) continue;
            const auto& c = m_chunks[*it];
            const auto& v = m_scene.flights()[c.flight].trail[c.piece].v;
            if (v[c.i0 - 1].t > t) continue;
            stroke_chunk(cr, damage, c, t, true);
        }
    cairo_restore(cr);
}

void Painter::draw_trails(cairo_t* cr, TileDamage* damage, TimePoint t, bool tips_only) const {
    if (fading()) {
        draw_trails_fading(cr, damage, t);
        return;
    }
    const TrailChunks& chunks = m_layout.trail_chunks();
    if (!tips_only) draw_finished_chunks(cr, damage, chunks, t, 0, nullptr);
    draw_trail_tips(cr, damage, chunks, t);
}

void Painter::draw_trails_fading(cairo_t* cr, TileDamage* damage, TimePoint t) const {
    const auto& st = m_scene.options().style;
    const auto& opt = m_scene.options();
    // Fading (--trail-minutes): only the last N minutes are drawn, in 5 steps of opacity
    // (1.0 newest .. 0.2 oldest): per-segment opacity would cost one stroke per segment.
    const Duration fade{std::llround(*opt.trail_minutes * 60'000)};  // milliseconds
    const TimePoint from = std::max(m_scene.start(), t - fade);
    constexpr int kFadeSteps = 5;
    auto alpha_bin = [&](TimePoint tv) {
        const double age = static_cast<double>((t - tv).count()) / static_cast<double>(fade.count());
        return std::clamp(static_cast<int>((1.0 - age) * kFadeSteps), 0, kFadeSteps - 1);
    };
    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    const double width = trail_width_px();
    // Busy skies on raster targets: the solid strokes (up to five per aircraft, thousands a frame)
    // are rasterised here (render/direct_raster.hpp), not by Cairo, whose per-stroke cost was
    // most of such a frame. Coverage by distance to the line, so trail edges differ slightly from
    // Cairo's; gap pieces (dashed) stay with Cairo.
    std::optional<RasterTarget> raster = busy() ? RasterTarget::of(cr) : std::nullopt;
    // Densified trails are nearly straight at the pixel scale: vertices within 1/32 px of the
    // line that would replace them are dropped before rasterising (coverage changes by at most
    // 8 of 255 at such a vertex), which halves the segments a frame's strokes cost.
    constexpr double kThinPx = 1.0 / 32;
    std::vector<double> pts, thinned;
    for (const auto& fv : m_scene.flights()) {
        for (const auto& piece : fv.trail) {
            const auto& v = piece.v;
            if (v.empty() || v.front().t > t || v.back().t < from) continue;
            const bool direct = raster && !piece.gap;
            auto move_to = [&](double x, double y) {
                if (direct)
                    pts.assign({x, y});
                else
                    cairo_move_to(cr, x, y);
            };
            auto line_to = [&](double x, double y) {
                if (direct)
                    pts.insert(pts.end(), {x, y});
                else
                    cairo_line_to(cr, x, y);
            };
            if (!direct && piece.gap) {
                const double dash[] = {kGapDashOn * s(), kGapDashOff * s()};
                cairo_set_dash(cr, dash, 2, 0);
                cairo_set_line_width(cr, kGapTrailWidth * s());
            } else if (!direct) {
                cairo_set_dash(cr, nullptr, 0, 0);
                cairo_set_line_width(cr, width);
            }
            // Segments batched by (colour, opacity) key; a stroke when the key changes.
            int key = -1000;
            bool open = false;
            auto flush = [&](int k) {
                if (!open) return;
                const int ab = k % 100, cb = k / 100 - 1;
                Rgba c = piece.gap               ? st.trail_gap
                         : opt.color_by_altitude ? (cb < 0 ? st.trail_gap : viridis((cb + 0.5) / kAltBins))
                                                 : fv.colour;
                c.a *= (ab + 1.0) / kFadeSteps;
                if (direct) {
                    thin_polyline(pts, kThinPx, thinned);
                    stroke_polyline(*raster, thinned, width, c, damage);
                } else {
                    set(cr, c);
                    stroke(cr, damage);
                }
                open = false;
            };
            // First segment ending at or after `from` (vertices are time-ordered): skip the faded
            // past without walking it, which matters with hundreds of long trails.
            const auto first = std::lower_bound(v.begin() + 1, v.end(), from, [](const TrailVertex& a, TimePoint b) { return a.t < b; });
            for (std::size_t i = static_cast<std::size_t>(first - v.begin()); i < v.size(); ++i) {
                if (v[i - 1].t > t) break;
                const int k = (opt.color_by_altitude ? (alt_bin(v[i - 1].alt_m) + 1) * 100 : 0) + alpha_bin(v[i - 1].t);
                if (k != key) {
                    flush(key);
                    key = k;
                }
                if (!open) {
                    move_to(v[i - 1].x, v[i - 1].y);
                    open = true;
                }
                if (v[i].t <= t) {
                    line_to(v[i].x, v[i].y);
                    continue;
                }
                // Partway along this (short, densified) segment, linear in time.
                const auto& a = v[i - 1];
                const auto& b = v[i];
                const double span = static_cast<double>((b.t - a.t).count());
                const double f = span > 0 ? static_cast<double>((t - a.t).count()) / span : 0;
                line_to(a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f);
                break;
            }
            flush(key);
        }
    }
    if (raster) cairo_surface_mark_dirty(cairo_get_target(cr));
    cairo_restore(cr);
}

void Painter::draw_dynamic(cairo_t* cr, TileDamage* damage, const FrameInfo& f, const DynamicLayers& layers, const BarImage* bar,
                           cairo_surface_t* heat) const {
    const FrameKey q{f.t, f.timeline != nullptr, &f};
    if (density()) {  // heat (as the trails layer) instead of trails, cards, aircraft and labels
        if (layers.trails) paint_heat(cr, heat);
        if (layers.hud) draw_hud(cr, damage, f, bar);
        return;
    }
    if (layers.trails) draw_trails(cr, damage, f.t);
    if (layers.annotations || layers.stop_cards) draw_stops_and_gaps(cr, damage, q, layers.annotations, layers.stop_cards);
    if (layers.aircraft) draw_aircraft(cr, damage, q, layers.aircraft_icons);
    if (layers.hud) draw_hud(cr, damage, f, bar);
}

void Painter::draw_stops_and_gaps(cairo_t* cr, TileDamage* damage, const FrameKey& q, bool gaps, bool cards) const {
    const auto& st = m_scene.options().style;
    if (busy()) return;  // hundreds of aircraft: cards and gap labels would cover the map
    if (gaps)
        for (const auto& g : m_layout.gap_labels(q))
            text(cr, damage, g.text, g.x, g.y, st.font_small * s(), st.trail_gap, true, Align::left, st.halo);
    if (cards) draw_stop_cards(cr, damage, q, PixelShift{});
}

void Painter::draw_stop_cards(cairo_t* cr, TileDamage* damage, const FrameKey& q, const PixelShift& map) const {
    const auto& st = m_scene.options().style;
    if (busy()) return;
    cairo_save(cr);
    // Ground stops: a card at the airport from arrival on.
    for (const auto& card_v : m_layout.stop_cards(q)) {
        const std::optional<StopCard> card = card_v;
        const ScreenPt anchor{map.k * card->anchor.x + map.ox, map.k * card->anchor.y + map.oy};
        const auto* p = &anchor;
        // The leader in frame pixels, the card as designed under its scale k.
        cairo_new_path(cr);
        cairo_move_to(cr, p->x, p->y);
        cairo_line_to(cr, std::clamp(p->x, card->x, card->x + card->w), std::clamp(p->y, card->y, card->y + card->h));
        set(cr, st.stop);
        cairo_set_line_width(cr, 2 * s());
        stroke(cr, damage);
        cairo_save(cr);
        cairo_translate(cr, card->x, card->y);
        cairo_scale(cr, card->k, card->k);
        const double cx = 0, cy = 0, w = card->w / card->k, h = card->h / card->k, pad = card->pad;
        const double fs = st.font_normal * s(), fl = st.font_large * s();
        const auto& head = card->head;
        const auto& dur = card->duration;
        const auto& times = card->times;
        const TextSize sh{0, card->head_h}, sd{0, card->duration_h};
        rounded_rect(cr, cx, cy, w, h, 6 * s());
        set(cr, st.card_bg);
        fill_preserve(cr, damage);
        set(cr, st.stop);
        cairo_set_line_width(cr, 2 * s());
        stroke(cr, damage);
        text(cr, damage, head, cx + pad, cy + pad, fs, st.text, true);
        text(cr, damage, dur, cx + pad, cy + pad + sh.height, fl, st.stop, true);
        text(cr, damage, times, cx + pad, cy + pad + sh.height + sd.height + 4 * s(), st.font_small * s(), st.text);
        cairo_restore(cr);
        // Ring around the airport marks where it stood.
        cairo_new_path(cr);
        cairo_arc(cr, p->x, p->y, 11 * s(), 0, 2 * M_PI);
        set(cr, st.stop);
        cairo_set_line_width(cr, 3 * s());
        stroke(cr, damage);
    }
    cairo_restore(cr);
}

void Painter::draw_aircraft(cairo_t* cr, TileDamage* damage, const FrameKey& q, bool icons) const {
    const TimePoint t = q.t;
    const auto& st = m_scene.options().style;
    const std::vector<AircraftIcon> icon_list = icons ? m_layout.aircraft_icons(t) : std::vector<AircraftIcon>{};
    // Busy scenes on raster targets: thousands of icons, composited from cached masks (the same
    // pixels up to a heading bucket and a quarter pixel; render/icon_sprites.hpp).
    const bool sprites = busy() && m_icons->draw(cr, icon_list, damage);
    for (const auto& ic : icon_list) {
        if (sprites) break;
        cairo_save(cr);
        cairo_translate(cr, ic.x, ic.y);
        cairo_rotate(cr, ic.angle);
        add_icon_path(cr, ic.k);
        set(cr, ic.fill);
        fill_preserve(cr, damage);
        set(cr, ic.outline);
        cairo_set_line_width(cr, ic.line_width);
        stroke(cr, damage);
        cairo_restore(cr);
    }
    if (!m_scene.options().labels) return;
    const auto labels = m_layout.label_layout(q);
    const auto& now = m_layout.aircraft_now(t);
    for (const auto& l : labels) {
        const auto& fv = m_scene.flights()[l.flight];
        // Busy scenes: a thin leader in the aircraft's colour ties the label to its aircraft.
        if (const auto& a = now[l.flight]; busy() && a.state)
            if (const auto& p = a.p) {
                const double lx = std::clamp(p->x, l.box.x0, l.box.x1), ly = std::clamp(p->y, l.box.y0, l.box.y1);
                const double len = std::hypot(lx - p->x, ly - p->y), r = 9 * icon_scale();
                if (len <= r) continue;
                cairo_move_to(cr, p->x + (lx - p->x) * r / len, p->y + (ly - p->y) * r / len);
                cairo_line_to(cr, lx, ly);
                set(cr, {fv.colour.r, fv.colour.g, fv.colour.b, 0.6});
                cairo_set_line_width(cr, 1 * s());
                stroke(cr, damage);
            }
    }
    // Labels move with their aircraft every frame: at whole pixels a label's text is rasterised
    // once (TextEngine's sprites), not again at each of 16 quarter-pixel offsets.
    for (const auto& l : labels)
        text(cr, damage, l.text, std::round(l.box.x0), std::round(l.box.y0), l.font_px, st.text, true, Align::left, st.halo);
}

void Painter::draw_hud(cairo_t* cr, TileDamage* damage, const FrameInfo& f, const BarImage* bar) const {
    const auto& st = m_scene.options().style;
    const auto& opt = m_scene.options();
    const double m = 24 * s(), pad = 12 * s();
    cairo_save(cr);
    // Clock (and the replay speed in videos).
    const auto& L = m_layout.frame_layout(f.timeline != nullptr);
    if (const auto* cb = L.find(layout::Role::clock)) {
        const auto [clock, sub] = m_layout.clock_texts(f);
        cairo_save(cr);
        cairo_translate(cr, cb->box.x0 - m * cb->k, cb->box.y0 - m * cb->k);  // drawn as designed at (m, m)
        cairo_scale(cr, cb->k, cb->k);
        const auto c = m_text.measure(clock, st.font_large * s(), true);
        const auto d = sub.empty() ? TextSize{} : m_text.measure(sub, st.font_small * s());
        const double w = std::max(c.width, d.width) + 2 * pad, h = c.height + d.height + 2 * pad;
        rounded_rect(cr, m, m, w, h, 6 * s());
        set(cr, st.card_bg);
        fill_preserve(cr, damage);
        set(cr, st.card_border);
        cairo_set_line_width(cr, 1 * s());
        stroke(cr, damage);
        text(cr, damage, clock, m + pad, m + pad, st.font_large * s(), st.text, true);
        if (!sub.empty()) text(cr, damage, sub, m + pad, m + pad + c.height, st.font_small * s(), st.text);
        cairo_restore(cr);
    }
    // Hold card: what the fast-forward skips.
    if (const auto hold = m_layout.hold_banner(f)) {
        const auto& seg = f.timeline->segment_at(f.video_s);
        {
            cairo_save(cr);
            cairo_translate(cr, hold->box.x0, hold->box.y0);
            cairo_scale(cr, hold->k, hold->k);
            const auto sz = m_text.measure(seg.caption, st.font_large * s(), true);
            const double w = sz.width + 3 * pad, h = sz.height + 2 * pad;
            const double cy = 0;
            rounded_rect(cr, 0, cy, w, h, 8 * s());
            set(cr, st.card_bg);
            fill_preserve(cr, damage);
            set(cr, st.stop);
            cairo_set_line_width(cr, 2.5 * s());
            stroke(cr, damage);
            text(cr, damage, seg.caption, w / 2, cy + pad, st.font_large * s(), st.stop, true, Align::center);
            cairo_restore(cr);
        }
    }
    cairo_restore(cr);
    if (opt.profile) draw_profile(cr, damage, f);
    // The bar last: incremental frames draw it over everything else, on a layer of its own.
    if (f.timeline && opt.timeline_bar && bar && L.find(layout::Role::timeline_bar))
        draw_timeline_bar(cr, damage, f, m_layout.bar_top(), *bar);
}

void Painter::draw_profile(cairo_t* cr, TileDamage* damage, const FrameInfo& f) const {
    // Altitude (filled, left scale) and ground speed (line, right scale) of the first flight
    // over the replay interval, stops and gaps shaded, the current time marked. Top right,
    // under the provenance banner.
    const auto& st = m_scene.options().style;
    const auto& fv = m_scene.flights().front();
    const auto& pts = fv.flight.points;
    const double W = m_scene.options().width, m = 24 * s(), pad = 10 * s();
    const auto* pb = m_layout.frame_layout(f.timeline != nullptr).find(layout::Role::profile);
    if (!pb) return;
    (void)W;
    (void)m;
    const double w = 440 * s(), h = 150 * s(), x0 = 0, y0 = 0;
    const double px0 = x0 + pad + 34 * s(), px1 = x0 + w - pad - 34 * s(), py0 = y0 + pad + 18 * s(), py1 = y0 + h - pad - 14 * s();
    const double T0 = static_cast<double>(m_scene.start().time_since_epoch().count()),
                 T1 = static_cast<double>(m_scene.end().time_since_epoch().count());
    if (!(T1 > T0)) return;
    auto xt = [&](TimePoint t) {
        return px0 + (px1 - px0) * std::clamp((static_cast<double>(t.time_since_epoch().count()) - T0) / (T1 - T0), 0.0, 1.0);
    };
    double max_alt = 1000, max_gs = 100;
    for (const auto& p : pts) {
        if (p.time() < m_scene.start() || p.time() > m_scene.end()) continue;
        if (auto a = p.altitude()) max_alt = std::max(max_alt, a->ft());
        if (auto v = p.ground_speed()) max_gs = std::max(max_gs, v->kt());
    }
    max_alt = std::ceil(max_alt / 5000) * 5000;  // round axis tops: 5,000 ft, 100 kt
    max_gs = std::ceil(max_gs / 100) * 100;
    cairo_save(cr);
    cairo_translate(cr, pb->box.x0, pb->box.y0);
    cairo_scale(cr, pb->k, pb->k);
    rounded_rect(cr, x0, y0, w, h, 6 * s());
    set(cr, st.card_bg);
    fill_preserve(cr, damage);
    set(cr, st.card_border);
    cairo_set_line_width(cr, 1 * s());
    stroke(cr, damage);
    // Stops and gaps.
    for (const auto& stp : fv.analysis.stops) {
        cairo_rectangle(cr, xt(stp.start), py0, std::max(xt(stp.end) - xt(stp.start), 1.0), py1 - py0);
        set(cr, {st.stop.r, st.stop.g, st.stop.b, 0.22});
        fill(cr, damage);
    }
    for (const analysis::Gap* g : fv.analysis.all_gaps()) {
        cairo_rectangle(cr, xt(g->start), py0, std::max(xt(g->end) - xt(g->start), 1.0), py1 - py0);
        set(cr, {st.trail_gap.r, st.trail_gap.g, st.trail_gap.b, 0.25});
        fill(cr, damage);
    }
    // The curves never run across missing data: they break after the last fix before a gap,
    // at the end of every leg and across a stop inferred from missing data.
    std::vector<bool> cut_after(pts.size(), false);
    for (const analysis::Gap* g : fv.analysis.all_gaps()) cut_after[g->index_before] = true;
    for (const auto& leg : fv.analysis.legs) cut_after[leg.last] = true;
    for (const auto& stp : fv.analysis.stops)
        if (stp.inferred) cut_after[stp.first] = true;
    // Altitude area, then speed line; one vertex per pixel column at most.
    auto trace = [&](bool alt) {
        double last_x = -1;
        bool open = false;
        bool cut = false;
        for (std::size_t i = 0; i < pts.size(); ++i) {
            const auto& p = pts[i];
            const bool cut_here = cut_after[i];
            const auto v = alt ? (p.altitude() ? std::optional<double>(p.altitude()->ft()) : std::nullopt)
                               : (p.ground_speed() ? std::optional<double>(p.ground_speed()->kt()) : std::nullopt);
            if (p.time() < m_scene.start() || p.time() > m_scene.end() || !v) {
                cut = cut || cut_here;
                continue;
            }
            const double x = xt(p.time()), y = py1 - (py1 - py0) * std::clamp(*v / (alt ? max_alt : max_gs), 0.0, 1.0);
            if (cut && open) {  // lift the pen: close this piece, start the next one at this fix
                if (alt) {
                    cairo_line_to(cr, last_x, py1);
                    cairo_close_path(cr);
                }
                open = false;
            }
            cut = cut_here;
            if (open && x - last_x < 1.0 && i + 1 < pts.size() && !cut_here) continue;
            if (!open) {
                if (alt) {
                    cairo_move_to(cr, x, py1);
                    cairo_line_to(cr, x, y);
                } else
                    cairo_move_to(cr, x, y);
                open = true;
            } else {
                cairo_line_to(cr, x, y);
            }
            last_x = x;
        }
        if (alt && open) {
            cairo_line_to(cr, last_x, py1);
            cairo_close_path(cr);
        }
    };
    trace(true);
    set(cr, {fv.colour.r, fv.colour.g, fv.colour.b, 0.35});
    fill_preserve(cr, damage);
    set(cr, fv.colour);
    cairo_set_line_width(cr, 1.2 * s());
    stroke(cr, damage);
    trace(false);
    set(cr, st.great_circle);
    cairo_set_line_width(cr, 1.6 * s());
    stroke(cr, damage);
    // Now.
    const double xn = xt(f.t);
    cairo_move_to(cr, xn, py0 - 4 * s());
    cairo_line_to(cr, xn, py1 + 4 * s());
    set(cr, st.text);
    cairo_set_line_width(cr, 2 * s());
    stroke(cr, damage);
    const double fs = std::max(st.font_small * 0.8 * s(), layout::kMinTextPx / pb->k);  // >= 8 px as drawn
    char buf[64];
    text(cr, damage, aircraft_label_name(fv.flight.aircraft) + " profile", x0 + pad, y0 + pad - 4 * s(), st.font_small * s(), st.text,
         true);
    std::snprintf(buf, sizeof buf, "%.0f ft", max_alt);
    text(cr, damage, buf, px0 - 3 * s(), py0 - fs * 0.6, fs, fv.colour, true, Align::right);
    text(cr, damage, "alt", px0 - 3 * s(), py1 - fs * 1.2, fs, fv.colour, true, Align::right);
    std::snprintf(buf, sizeof buf, "%.0f kt", max_gs);
    text(cr, damage, buf, px1 + 3 * s(), py0 - fs * 0.6, fs, st.great_circle, true);
    text(cr, damage, "speed", px1 + 3 * s(), py1 - fs * 1.2, fs, st.great_circle, true);
    text(cr, damage, short_utc(m_scene.start()), px0, py1 + 2 * s(), fs, st.text);
    text(cr, damage, short_utc(m_scene.end()), px1, py1 + 2 * s(), fs, st.text, false, Align::right);
    cairo_restore(cr);
}

void Painter::draw_static_hud(cairo_t* cr, bool with_timeline, const Furniture& furniture) const {
    // Every box at the rectangle the frame layout gives it; blocks drawn as designed from
    // their top-left, scaled by the layout's k.
    const auto& st = m_scene.options().style;
    const auto& L = m_layout.frame_layout(with_timeline);
    const double pad = 12 * s();
    using layout::Role;
    auto scaled = [&](const layout::Placed& p) {
        cairo_save(cr);
        // Whole device pixels: the static layer's halves draw with the frame translated by a
        // whole number of rows, and a fractional origin would round differently in each.
        cairo_translate(cr, std::round(p.box.x0), std::round(p.box.y0));
        cairo_scale(cr, p.k, p.k);
    };
    auto lines = [&](const layout::Placed& p, const Rgba& colour, bool bold, Align align, const Rgba& halo) {
        for (std::size_t i = 0; i < p.text.lines.size(); ++i) {
            const double x = align == Align::center ? (p.box.x0 + p.box.x1) / 2 : align == Align::right ? p.box.x1 : p.box.x0;
            m_text.draw(cr, p.text.lines[i], x, p.box.y0 + p.text.line_h * static_cast<double>(i), p.text.px, colour, bold, align, halo);
        }
    };
    cairo_save(cr);
    // Route figures under the clock.
    if (const auto* p = L.find(Role::statistics)) {
        const std::string figures = figures_text(m_scene);
        const auto sz = m_text.measure(figures, st.font_small * s());
        scaled(*p);
        rounded_rect(cr, 0, 0, sz.width + 2 * pad, sz.height + 2 * pad, 6 * s());
        set(cr, st.card_bg);
        cairo_fill(cr);
        m_text.draw(cr, figures, pad, pad, st.font_small * s(), st.great_circle);
        cairo_restore(cr);
    }
    if (const auto* p = L.find(Role::title)) lines(*p, st.text, true, Align::center, st.halo);
    if (const auto* p = L.find(Role::subtitle)) lines(*p, st.text, false, Align::center, st.halo);
    // Provenance banner: reconstructed or synthetic data say so on every image.
    if (const auto* p = L.find(Role::banner)) draw_banner(cr, p->box, p->text, 6 * s());
    // Legend.
    if (const auto* p = L.find(Role::legend)) {
        const double fs = st.font_small * s();
        const auto& items = furniture.legend;  // computed on the owner thread: legend_items projects
        scaled(*p);
        rounded_rect(cr, 0, 0, p->box.w() / p->k, p->box.h() / p->k, 6 * s());
        set(cr, st.card_bg);
        cairo_fill(cr);
        for (std::size_t i = 0; i < items.size(); ++i)
            draw_legend_item(cr, items[i], pad, pad / 2 + static_cast<double>(i) * 24 * s() + 12 * s(), fs, s());
        cairo_restore(cr);
    }
    draw_scale_and_north(cr, furniture);
    // Source line (attribution), right-aligned.
    if (const auto* p = L.find(Role::source_line)) lines(*p, st.text, false, Align::right, st.halo);
    cairo_restore(cr);
}

void Painter::draw_banner(cairo_t* cr, const Box& box, const layout::LaidText& text, double corner) const {
    const auto& st = m_scene.options().style;
    rounded_rect(cr, box.x0, box.y0, box.w(), box.h(), corner);
    set(cr, st.warning_bg);
    cairo_fill(cr);
    const double bp = (box.w() - layout::text_size(
                                     text,
                                     [&](const std::string& t, double px, bool bold) {
                                         const auto z = m_text.measure(t, px, bold);
                                         return layout::Size{z.width, z.height};
                                     },
                                     true)
                                     .w) /
                      2;
    for (std::size_t i = 0; i < text.lines.size(); ++i)
        m_text.draw(cr, text.lines[i], box.x0 + bp, box.y0 + bp + text.line_h * static_cast<double>(i), text.px, st.warning_text, true);
}

void Painter::draw_legend_item(cairo_t* cr, const LegendItem& item, double x, double y, double px, double k) const {
    const auto& st = m_scene.options().style;
    if (item.ring && busy()) {  // as a busy map draws the airports it does not label
        cairo_new_path(cr);
        cairo_arc(cr, x + 22 * k, y, kBusyAirportDot * k, 0, 2 * M_PI);
        set(cr, item.c);
        cairo_fill(cr);
    } else if (item.ring) {  // as the map draws an airport
        cairo_new_path(cr);
        cairo_arc(cr, x + 22 * k, y, 6 * k, 0, 2 * M_PI);
        set(cr, {1, 1, 1, 1});
        cairo_fill_preserve(cr);
        set(cr, item.c);
        cairo_set_line_width(cr, 2.5 * k);
        cairo_stroke(cr);
    } else if (item.ramp) {  // the density ramp, few to many
        for (int i = 0; i < 22; ++i) {
            cairo_rectangle(cr, x + 44 * k * i / 22.0, y - 5 * k, 44 * k / 22.0 + 0.5, 10 * k);
            set(cr, inferno(0.15 + 0.85 * (i + 0.5) / 22.0));
            cairo_fill(cr);
        }
    } else {
        if (item.dashed) {
            const double dash[] = {5 * k, 5 * k};
            cairo_set_dash(cr, dash, 2, 0);
        }
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, x + 44 * k, y);
        set(cr, item.c);
        cairo_set_line_width(cr, 3 * k);
        cairo_stroke(cr);
        cairo_set_dash(cr, nullptr, 0, 0);
    }
    m_text.draw(cr, item.text, x + 54 * k, y - px * 0.65, px, st.text);
}

void Painter::draw_scale_and_north(cairo_t* cr, const Furniture& furniture) const {
    const auto& st = m_scene.options().style;
    cairo_save(cr);
    if (const auto& bar = furniture.scale_bar) {
        const double h = 6 * s();
        const auto sz = m_text.measure(bar->label, st.font_small * s(), true);
        rounded_rect(cr, bar->a.x - 8 * s(), bar->a.y - sz.height - 8 * s(), bar->b.x - bar->a.x + 16 * s(), sz.height + h + 14 * s(),
                     4 * s());
        set(cr, st.card_bg);
        cairo_fill(cr);
        // Two-tone bar: the halves read as a ruler.
        const double mid = (bar->a.x + bar->b.x) / 2;
        cairo_rectangle(cr, bar->a.x, bar->a.y, mid - bar->a.x, h);
        set(cr, st.text);
        cairo_fill(cr);
        cairo_rectangle(cr, bar->a.x, bar->a.y, bar->b.x - bar->a.x, h);
        cairo_set_line_width(cr, 1.2 * s());
        cairo_stroke(cr);
        m_text.draw(cr, bar->label, mid, bar->a.y - sz.height - 2 * s(), st.font_small * s(), st.text, true, Align::center);
    }
    // North arrow (see furniture()).
    const auto& L = m_layout.frame_layout(furniture.with_timeline);
    const auto* north_box = L.find(layout::Role::north_arrow);
    if (const auto& ang = furniture.north; ang && north_box) {
        const double r = 22 * s() * north_box->k, cx = (north_box->box.x0 + north_box->box.x1) / 2,
                     cy = (north_box->box.y0 + north_box->box.y1) / 2;
        cairo_new_path(cr);
        cairo_arc(cr, cx, cy, r + 6 * s(), 0, 2 * M_PI);
        set(cr, st.card_bg);
        cairo_fill(cr);
        cairo_save(cr);
        cairo_translate(cr, cx, cy);
        cairo_rotate(cr, *ang);
        cairo_move_to(cr, 0, -r);
        cairo_line_to(cr, 0.45 * r, 0.6 * r);
        cairo_line_to(cr, 0, 0.3 * r);
        cairo_close_path(cr);
        set(cr, st.text);
        cairo_fill(cr);
        cairo_move_to(cr, 0, -r);
        cairo_line_to(cr, -0.45 * r, 0.6 * r);
        cairo_line_to(cr, 0, 0.3 * r);
        cairo_close_path(cr);
        cairo_set_line_width(cr, 1.2 * s());
        cairo_stroke(cr);
        cairo_restore(cr);
        m_text.draw(cr, "N", cx + std::sin(*ang) * (r + 14 * s()), cy - std::cos(*ang) * (r + 14 * s()) - st.font_small * 0.65 * s(),
                    st.font_small * s(), st.text, true, Align::center, st.halo);
    }
    // Altitude ramp legend (--color-by altitude), above the scale bar.
    if (const auto* ramp = L.find(layout::Role::colour_ramp)) {
        cairo_save(cr);
        cairo_translate(cr, ramp->box.x0, ramp->box.y0);
        cairo_scale(cr, ramp->k, ramp->k);
        const double w = 220 * s(), h = 12 * s(), x = 10 * s(), y = 30 * s();
        rounded_rect(cr, x - 10 * s(), y - 30 * s(), w + 20 * s(), h + 56 * s(), 5 * s());
        set(cr, st.card_bg);
        cairo_fill(cr);
        m_text.draw(cr, "altitude (ft)", x, y - 26 * s(), st.font_small * s(), st.text, true);
        for (int i = 0; i < 64; ++i) {
            cairo_rectangle(cr, x + w * i / 64.0, y, w / 64.0 + 0.5, h);
            set(cr, viridis((i + 0.5) / 64.0));
            cairo_fill(cr);
        }
        for (int k = 0; k <= 3; ++k) {
            const char* lab[] = {"0", "15,000", "30,000", "45,000"};
            m_text.draw(cr, lab[k], x + w * k / 3.0, y + h + 2 * s(), std::max(st.font_small * 0.85 * s(), layout::kMinTextPx / ramp->k),
                        st.text, false,
                        k == 0   ? Align::left
                        : k == 3 ? Align::right
                                 : Align::center);
        }
        cairo_restore(cr);
    }
    cairo_restore(cr);
}

void Painter::draw_timeline_bar(cairo_t* cr, TileDamage* damage, const FrameInfo& f, double y, const BarImage& bar,
                                const TileDamage* only) const {
    const auto& st = m_scene.options().style;
    const auto& opt = m_scene.options();
    const auto ph = m_layout.playhead(f);
    const double cx = (ph.x0 + ph.x1) / 2;
    cairo_save(cr);
    if (only) {  // device-space tiles (incremental frames: no transformation)
        only->for_each_run([&](int x0, int y0, int x1, int y1) {
            if (y1 > bar.y0 && y0 < bar.y0 + cairo_image_surface_get_height(bar.image)) cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
        });
        cairo_clip(cr);
    }
    cairo_set_source_surface(cr, bar.image, 0, bar.y0);
    cairo_paint(cr);
    note(cr, damage,
         {0, static_cast<double>(bar.y0), static_cast<double>(opt.width),
          static_cast<double>(bar.y0 + cairo_image_surface_get_height(bar.image))});
    cairo_restore(cr);
    cairo_move_to(cr, cx, y);
    cairo_line_to(cr, cx, y + ph.h);
    set(cr, st.text);
    cairo_set_line_width(cr, 3 * s());
    stroke(cr, damage);
}

namespace {
/// A tick step of the timeline bar: the first of the usual clock steps whose ticks lie at least
/// `min_px` apart at `px_per_s` pixels per replay second.
long long tick_step_s(double px_per_s, double min_px) {
    static constexpr long long kSteps[] = {60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 2592000};
    for (const long long st : kSteps)
        if (static_cast<double>(st) * px_per_s >= min_px) return st;
    return kSteps[std::size(kSteps) - 1];
}
std::string tick_text(long long unix_s, bool with_date, bool time_of_day) {
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t tt = static_cast<std::time_t>(unix_s);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[48];
    if (!time_of_day)
        std::snprintf(buf, sizeof buf, "%d %s", tm.tm_mday, kMonths[tm.tm_mon]);
    else if (with_date)
        std::snprintf(buf, sizeof buf, "%d %s %02d:%02dZ", tm.tm_mday, kMonths[tm.tm_mon], tm.tm_hour, tm.tm_min);
    else
        std::snprintf(buf, sizeof buf, "%02d:%02d", tm.tm_hour, tm.tm_min);
    return buf;
}
}  // namespace

void Painter::draw_timeline_bar_background(cairo_t* cr, const FrameInfo& f, double y) const {
    const auto& st = m_scene.options().style;
    const auto& opt = m_scene.options();
    const double m = 24 * s(), x0 = m, x1 = opt.width - m, h = 22 * s(), band = m_layout.tick_band();
    const auto& tl = *f.timeline;
    const double total = tl.video_duration_s();
    auto xv = [&](double v) { return x0 + (x1 - x0) * v / total; };
    rounded_rect(cr, x0 - 4 * s(), y, x1 - x0 + 8 * s(), h + 8 * s() + band, 5 * s());
    set(cr, st.timeline_bg);
    cairo_fill(cr);
    const double by = y + 4 * s();
    // Background track (under a density strip, its baseline).
    if (busy())
        cairo_rectangle(cr, x0, by + h - 1 * s(), x1 - x0, 1 * s());
    else
        cairo_rectangle(cr, x0, by + h * 0.35, x1 - x0, h * 0.3);
    set(cr, {0.8, 0.8, 0.82, 1});
    cairo_fill(cr);
    std::string peak_text;
    if (busy()) {
        // Many aircraft: how many are in the air over time (a column per pixel), scaled to the peak.
        const int cols = std::max(1, static_cast<int>(std::lround(x1 - x0)));
        const auto counts = m_layout.airborne_counts(tl, cols);
        const int peak = counts.empty() ? 0 : *std::max_element(counts.begin(), counts.end());
        if (peak > 0) {
            const double cw = (x1 - x0) / cols;
            for (int i = 0; i < cols; ++i) {
                const int c = counts[static_cast<std::size_t>(i)];
                if (c == 0) continue;
                const double hh = std::max(1.0, h * static_cast<double>(c) / peak);
                cairo_rectangle(cr, x0 + i * cw, by + h - hh, cw, hh);
            }
            set(cr, Rgba{st.great_circle.r, st.great_circle.g, st.great_circle.b, 0.85});
            cairo_fill(cr);
            peak_text = "peak " + std::to_string(peak) + " airborne";
        }
    } else {
        // Legs, gaps and stops at their video positions.
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
            for (const auto& br : fv.analysis.breaks) {
                const double ga = xv(tl.video_time(br.gap.start)), gb = xv(tl.video_time(br.gap.end));
                cairo_rectangle(cr, ga, by + h * 0.2, std::max(gb - ga, 2.0), h * 0.6);
                set(cr, st.trail_gap);
                cairo_fill(cr);
            }
            for (const auto& stp : fv.analysis.stops) {
                const double a = xv(tl.video_time(stp.start)), b = xv(tl.video_time(stp.end));
                cairo_rectangle(cr, a, by, std::max(b - a, 2.0), h);
                set(cr, st.stop);
                cairo_fill(cr);
            }
        }
    }
    if (band <= 0) return;
    // Ticks at round UTC times under the strip, labelled where there is room (none inside a
    // fast-forwarded stop, which squeezes hours into a few pixels); the date at the first label
    // and wherever the day changes. The peak count, if any, at the right end.
    const double fs = m_layout.tick_font_px(), ty = by + h + 2 * s();
    double right = x1;
    if (!peak_text.empty() && m_layout.tick_labels()) {
        const auto z = m_text.measure(peak_text, fs, true);
        right = x1 - z.width;
        m_text.draw(cr, peak_text, x1, ty, fs, st.text, true, Align::right);
        right -= 10 * s();
    }
    const double px_per_s = (x1 - x0) / total / std::max(tl.speed(), 1e-9);
    const long long step = tick_step_s(px_per_s, m_text.measure("00:00", fs, false).width + 14 * s());
    const bool days = step >= 86400;
    const long long first = static_cast<long long>(std::ceil(to_unix_seconds(tl.replay_start()) / static_cast<double>(step))) * step;
    const long long last = static_cast<long long>(std::floor(to_unix_seconds(tl.replay_end())));
    double last_x = -1e9, last_label_end = -1e9;
    long long last_day = std::numeric_limits<long long>::min();
    set(cr, st.text);
    cairo_set_line_width(cr, 1 * s());
    for (long long t = first; t <= last && t - first <= 4000 * step; t += step) {
        const double v = tl.video_time(from_unix_seconds(static_cast<double>(t)));
        if (tl.segment_at(v).kind == SegmentKind::hold) continue;  // a fast-forwarded stop: hours in a few pixels
        const double x = xv(v);
        if (x - last_x < 4 * s()) continue;
        last_x = x;
        cairo_move_to(cr, x, by + h * 0.65);
        cairo_line_to(cr, x, by + h + 1.5 * s());
        cairo_stroke(cr);
        if (!m_layout.tick_labels()) continue;  // too small a frame to read them: marks only
        const long long day = t / 86400 - (t < 0 && t % 86400 ? 1 : 0);
        const std::string text = tick_text(t, !days && day != last_day, !days);
        const auto z = m_text.measure(text, fs, false);
        const double lx = std::clamp(x - z.width / 2, x0, x1 - z.width);
        if (lx < last_label_end + 8 * s() || lx + z.width > right) continue;
        m_text.draw(cr, text, lx, ty, fs, st.text);
        last_label_end = lx + z.width;
        last_day = day;
    }
}

void Painter::paint_heat(cairo_t* cr, cairo_surface_t* heat, const TileDamage* only) const {
    if (!heat) return;
    cairo_save(cr);
    if (only) {
        cairo_new_path(cr);
        only->for_each_run([&](int x0, int y0, int x1, int y1) { cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0); });
        cairo_clip(cr);
    }
    cairo_scale(cr, kDensityCellPx, kDensityCellPx);
    cairo_set_source_surface(cr, heat, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_paint(cr);
    cairo_restore(cr);
}

}  // namespace fr::render
