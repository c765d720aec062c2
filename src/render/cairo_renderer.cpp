#include "render/cairo_renderer.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <exception>
#include <limits>
#include <string_view>
#include <thread>
#include <tuple>

#include "geo/geodesic.hpp"

namespace fr::render {

namespace {
/// Radius of an overlay point's marker at design scale, pixels (a little over a city dot: the
/// user asked for these points).
constexpr double kOverlayMarkR = 3.5;

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
    if (ft >= 18000)
        std::snprintf(buf, sizeof buf, "FL%03.0f", ft / 100.0);  // flight levels above the highest transition altitude
    else
        std::snprintf(buf, sizeof buf, "%.0f ft", std::round(ft / 100.0) * 100.0);
    return buf;
}

}  // namespace

CairoRenderer::CairoRenderer(const Scene& scene, const TextEngine& text) : m_scene(scene), m_text(text), m_local(scene.options().tz) {}
CairoRenderer::CairoRenderer(Scene& scene, const TextEngine& text)
    : m_scene(scene), m_camera(&scene), m_text(text), m_local(scene.options().tz) {}

IncrementalFrame::IncrementalFrame(int width, int height)
    : m_surface(make_image_surface(width, height)), m_cr(make_context(m_surface.get())), m_under(make_image_surface(width, height)),
      m_under_cr(make_context(m_under.get())), m_restored(width, height), m_under_drawn(width, height), m_top_drawn(width, height),
      m_changed(width, height) {}

TileDamage IncrementalFrame::changed() const {
    TileDamage d = m_changed;
    d.merge(m_top_drawn);
    return d;
}

void CairoRenderer::advance_cache(TimePoint t, bool with_timeline) {
    const int W = m_scene.options().width, H = m_scene.options().height;
    if (m_cache_damage.width() != W || m_cache_damage.height() != H) m_cache_damage = TileDamage(W, H);
    if (!m_static || m_cache_with_timeline != with_timeline) {
        m_static = make_image_surface(W, H);
        m_cache_with_timeline = with_timeline;
        // Two threads, a half of the frame each (the same drawing clipped to pixel rows gives the
        // same pixels as one pass; tested against frames drawn in one go): this layer is most of
        // the time to a first frame.
        // Place names are laid out once, here, rather than by whichever half gets there first
        // while the other waits on the lock.
        (void)place_layout(with_timeline);
        const int mid = H / 2;
        SurfacePtr bottom = make_image_surface(W, H - mid);
        (void)frame_layout(with_timeline);
        const Furniture furn = furniture(with_timeline);  // projects: on this thread, which owns the scene's Projector
        // Place labels are laid out (projecting, and filling the renderer's cache) here too: the
        // halves only read the cached layout.
        (void)place_layout(with_timeline);
        const TextEngine::SharedUse shared_text(m_text);
        std::exception_ptr failed;
        std::thread lower([&] {
            try {
                adopt_surface(bottom.get());
                auto c = make_context(bottom.get());
                cairo_translate(c.get(), 0, -mid);
                draw_static(c.get(), with_timeline, furn);
                check(c.get(), "drawing the basemap");
                cairo_surface_flush(bottom.get());
            } catch (...) {
                failed = std::current_exception();
            }
        });
        try {
            auto c = make_context(m_static.get());
            cairo_rectangle(c.get(), 0, 0, W, mid);
            cairo_clip(c.get());
            draw_static(c.get(), with_timeline, furn);
            check(c.get(), "drawing the basemap");
        } catch (...) {
            lower.join();
            throw;
        }
        lower.join();
        if (failed) std::rethrow_exception(failed);
        cairo_surface_flush(m_static.get());
        const int sstride = cairo_image_surface_get_stride(m_static.get()), bstride = cairo_image_surface_get_stride(bottom.get());
        for (int y = mid; y < H; ++y)
            std::memcpy(cairo_image_surface_get_data(m_static.get()) + static_cast<std::ptrdiff_t>(y) * sstride,
                        cairo_image_surface_get_data(bottom.get()) + static_cast<std::ptrdiff_t>(y - mid) * bstride,
                        static_cast<std::size_t>(W) * 4);
        cairo_surface_mark_dirty(m_static.get());
        m_cache.reset();
    }
    if (!m_chunks_valid && !density()) m_cache.reset();
    if (!density()) build_chunks();
    // Chunks finished after t are in the cache: time went back, start again from the map.
    const bool back = m_cached_chunks > 0 && !fading() && m_chunks[m_cached_chunks - 1].end > t;
    if (!m_cache || back) {
        if (!m_cache) m_cache = make_image_surface(W, H);
        cairo_surface_flush(m_cache.get());
        std::memcpy(cairo_image_surface_get_data(m_cache.get()), cairo_image_surface_get_data(m_static.get()),
                    static_cast<std::size_t>(cairo_image_surface_get_stride(m_static.get())) * H);
        cairo_surface_mark_dirty(m_cache.get());
        m_cached_chunks = 0;
        m_cache_damage.add_all();
    }
    if (fading() || density()) return;  // fading trails change with time: all drawn per frame
    if (m_cached_chunks < m_chunks.size() && m_chunks[m_cached_chunks].end <= t) {
        auto c = make_context(m_cache.get());
        m_damage = &m_cache_damage;
        draw_finished_chunks(c.get(), t, m_cached_chunks, &m_cached_chunks);
        m_damage = nullptr;
        check(c.get(), "drawing trails");
        cairo_surface_flush(m_cache.get());
    }
}

void CairoRenderer::draw_frame(cairo_t* cr, const FrameInfo& f, bool use_cache) {
    check_owner(cr, "a Cairo context (render::CairoRenderer::draw_frame)");
    const bool with_timeline = f.timeline != nullptr;
    m_last_with_timeline = with_timeline;  // the layout the static layer's labels keep clear of
    m_last_info = f;
    if (m_camera && m_camera->follow(f.t)) {  // the view moved: redraw the map
        m_static.reset();
        m_chunks_valid = false;
        m_density_valid = false;
    }
    if (use_cache) {
        advance_cache(f.t, with_timeline);
        cairo_save(cr);
        cairo_set_source_surface(cr, m_cache.get(), 0, 0);
        cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
        cairo_paint(cr);
        cairo_restore(cr);
        if (density()) {
            update_heat(f.t, with_timeline);
            paint_heat(cr);
        } else {
            draw_trails(cr, f.t, /*tips_only=*/true);
        }
        DynamicLayers rest;
        rest.trails = false;
        draw_dynamic(cr, f, rest);
    } else {
        draw_static(cr, with_timeline);
        draw_dynamic(cr, f);
    }
    check(cr, "drawing a frame");
}

void CairoRenderer::draw_frame(IncrementalFrame& frame, const FrameInfo& f) {
    check_owner(frame.context(), "an incremental frame (render::CairoRenderer::draw_frame)");
    const int W = m_scene.options().width, H = m_scene.options().height;
    if (cairo_image_surface_get_width(frame.surface()) != W || cairo_image_surface_get_height(frame.surface()) != H)
        throw RenderError("incremental frame: size differs from the scene");
    const bool with_timeline = f.timeline != nullptr;
    m_last_with_timeline = with_timeline;
    m_last_info = f;
    if (m_camera && m_camera->follow(f.t)) {
        m_static.reset();
        m_chunks_valid = false;
        m_density_valid = false;
    }
    advance_cache(f.t, with_timeline);
    const bool fresh = frame.m_fresh || m_last_frame != &frame;
    m_last_frame = &frame;
    frame.m_fresh = false;

    // Layer 1 (everything but the timeline bar): back to the cached map wherever the last frame
    // drew over it or the map changed since, then the dynamic layer.
    frame.m_restored = frame.m_under_drawn;
    frame.m_restored.merge(m_cache_damage);
    if (fresh) frame.m_restored.add_all();
    // Density: the heat is part of the base the frame goes back to; where it changed (or the
    // map was restored) it is painted again, and is not counted as drawn over the base.
    if (density()) {
        update_heat(f.t, with_timeline);
        frame.m_restored.merge(m_heat_damage);
        m_heat_damage.clear();
    }
    m_cache_damage.clear();
    cairo_surface_flush(frame.m_under.get());
    copy_damaged(cairo_image_surface_get_data(m_cache.get()), cairo_image_surface_get_stride(m_cache.get()),
                 cairo_image_surface_get_data(frame.m_under.get()), cairo_image_surface_get_stride(frame.m_under.get()), frame.m_restored);
    cairo_surface_mark_dirty(frame.m_under.get());
    frame.m_under_drawn.clear();
    cairo_t* under = frame.m_under_cr.get();
    m_damage = &frame.m_under_drawn;
    m_defer_bar = true;
    try {
        if (density()) {
            TileDamage* drawn = m_damage;
            m_damage = nullptr;
            paint_heat(under, &frame.m_restored);
            m_damage = drawn;
        } else {
            draw_trails(under, f.t, /*tips_only=*/true);
        }
        DynamicLayers rest;
        rest.trails = false;
        draw_dynamic(under, f, rest);
    } catch (...) {
        m_damage = nullptr;
        m_defer_bar = false;
        throw;
    }
    m_damage = nullptr;
    m_defer_bar = false;
    check(under, "drawing a frame");
    cairo_surface_flush(frame.m_under.get());

    // Layer 2: the timeline bar is the same every frame, so the frame takes layer 1's changed
    // tiles and repaints the bar only there (and where the playhead was or is): with the whole
    // bar redrawn, most of a frame's changed pixels were the bar's.
    TileDamage recompose = frame.m_restored;
    recompose.merge(frame.m_under_drawn);
    recompose.merge(frame.m_top_drawn);
    if (fresh) recompose.add_all();
    frame.m_top_drawn.clear();
    const bool bar = f.timeline && m_scene.options().timeline_bar && frame_layout(true).find(layout::Role::timeline_bar);
    if (bar) {
        ensure_bar_cache(f, bar_top());
        if (frame.m_bar_generation != m_bar_generation)
            recompose.add({0, static_cast<double>(m_bar_y0), static_cast<double>(W),
                           static_cast<double>(m_bar_y0 + cairo_image_surface_get_height(m_bar_cache.get()))},
                          0);
        frame.m_bar_generation = m_bar_generation;
        const auto ph = playhead(f);
        frame.m_top_drawn.add({ph.x0, ph.y, ph.x1, ph.y + ph.h});
        recompose.merge(frame.m_top_drawn);
    }
    cairo_surface_flush(frame.surface());
    copy_damaged(cairo_image_surface_get_data(frame.m_under.get()), cairo_image_surface_get_stride(frame.m_under.get()),
                 cairo_image_surface_get_data(frame.surface()), frame.stride(), recompose);
    cairo_surface_mark_dirty(frame.surface());
    if (bar) draw_timeline_bar(frame.context(), f, bar_top(), &recompose);
    check(frame.context(), "drawing a frame");
    frame.m_changed = std::move(recompose);
}

void CairoRenderer::note_path(cairo_t* cr, bool stroked) const {
    if (!m_damage) return;
    double x0, y0, x1, y1;
    if (stroked)
        cairo_stroke_extents(cr, &x0, &y0, &x1, &y1);
    else
        cairo_fill_extents(cr, &x0, &y0, &x1, &y1);
    note(cr, {x0, y0, x1, y1});
}

void CairoRenderer::stroke(cairo_t* cr) const {
    note_path(cr, true);
    cairo_stroke(cr);
}

void CairoRenderer::fill(cairo_t* cr) const {
    note_path(cr, false);
    cairo_fill(cr);
}

void CairoRenderer::fill_preserve(cairo_t* cr) const {
    note_path(cr, false);
    cairo_fill_preserve(cr);
}

void CairoRenderer::note(cairo_t* cr, const Box& b) const {
    if (m_damage) m_damage->add(device_box(cr, b.x0, b.y0, b.x1, b.y1));
}

void CairoRenderer::draw_static(cairo_t* cr, bool with_timeline) const { draw_static(cr, with_timeline, furniture(with_timeline)); }

void CairoRenderer::draw_static(cairo_t* cr, bool with_timeline, const Furniture& furniture) const {
    check_owner(cr, "a Cairo context (render::CairoRenderer::draw_static)");
    draw_basemap(cr);
    draw_runways(cr);
    draw_routes_and_airports(cr, with_timeline);
    draw_places(cr, with_timeline);
    draw_static_hud(cr, with_timeline, furniture);
}

void CairoRenderer::draw_static_map(cairo_t* cr, bool with_timeline) const {
    check_owner(cr, "a Cairo context (render::CairoRenderer::draw_static_map)");
    draw_basemap(cr);
    draw_runways(cr);
    draw_routes_and_airports(cr, with_timeline);
    draw_places(cr, with_timeline);
}

void CairoRenderer::draw_static_furniture(cairo_t* cr, bool with_timeline) const {
    check_owner(cr, "a Cairo context (render::CairoRenderer::draw_static_furniture)");
    draw_static_hud(cr, with_timeline, furniture(with_timeline));
}

namespace {
std::vector<CairoRenderer::LegendItem> legend_items(const Scene& scene);
}  // namespace

CairoRenderer::Furniture CairoRenderer::furniture(bool with_timeline) const {
    Furniture f;
    f.with_timeline = with_timeline;
    f.scale_bar = drawn_scale_bar(with_timeline);
    const double W = m_scene.options().width, H = m_scene.options().height;
    // The north arrow is drawn where north is not straight up at the map's centre (more than
    // 1 degree off).
    if (const auto ang = m_scene.options().north_arrow ? north_angle(m_scene, {W / 2, H / 2}) : std::nullopt;
        ang && std::abs(*ang) > M_PI / 180)
        f.north = ang;
    f.legend = legend_items(m_scene);
    if (m_airport_caption[with_timeline ? 1 : 0]) {  // the layout made room for it
        const int n = airport_label_set(with_timeline).unlabelled;
        f.legend.push_back({m_scene.options().style.airport, false,
                            n > 0 ? std::to_string(n) + (n == 1 ? " airport" : " airports") + " not labelled" : "airport", true});
    }
    return f;
}

void CairoRenderer::draw_runways(cairo_t* cr) const {
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
    // Designators at each end, beyond the threshold, when the runway is long enough on screen
    // to read them (about 60 px: views narrower than ~60 km); one that would overlap another
    // (parallel runways close together) is left out.
    std::vector<Box> drawn;
    for (const auto& r : rws) {
        const double dx = r.he.x - r.le.x, dy = r.he.y - r.le.y, len = std::hypot(dx, dy);
        if (len < 60 * s()) continue;
        const double ux = dx / len, uy = dy / len, fs = st.font_small * 0.85 * s();
        for (const auto& [p, sign, id] : {std::tuple{r.le, -1.0, r.le_ident}, std::tuple{r.he, 1.0, r.he_ident}}) {
            if (id.empty()) continue;
            const auto sz = m_text.measure(id, fs, true);
            const double off = 4 * s() + 0.5 * std::hypot(sz.width * ux, sz.height * uy) + 2 * s();
            const double cx = p.x + sign * ux * off, cy = p.y + sign * uy * off;
            const Box b{cx - sz.width / 2, cy - sz.height / 2, cx + sz.width / 2, cy + sz.height / 2};
            if (std::any_of(drawn.begin(), drawn.end(), [&](const Box& o) { return o.overlaps(b); })) continue;
            drawn.push_back(b);
            m_text.draw(cr, id, cx, cy - sz.height / 2, fs, st.runway, true, Align::center, st.halo);
        }
    }
    cairo_restore(cr);
}

std::vector<Box> CairoRenderer::furniture_boxes(bool with_timeline) const {
    // The laid-out furniture with room to spare (a place label near it reads as part of it).
    const double spare = 6 * s();
    std::vector<Box> out;
    for (const auto& p : frame_layout(with_timeline).items)
        out.push_back({p.box.x0 - spare, p.box.y0 - spare, p.box.x1 + spare, p.box.y1 + spare});
    if (const auto bar = drawn_scale_bar(with_timeline)) {  // moved onto the map beside a globe
        const Box b = scale_bar_box(*bar);
        out.push_back({b.x0 - spare, b.y0 - spare, b.x1 + spare, b.y1 + spare});
    }
    return out;
}

std::vector<std::string> CairoRenderer::banner_texts() const {
    if (m_scene.provenance() == Provenance::recorded) return {};
    const std::string kind = m_scene.provenance() == Provenance::reconstructed ? "RECONSTRUCTED" : "SYNTHETIC";
    return {kind + " TRACK - modelled positions, not recorded data", kind + " TRACK"};
}

std::string CairoRenderer::attribution_text() const {
    // When wider than the frame, the track file names give way to a count.
    const auto& st = m_scene.options().style;
    const double W = m_scene.options().width, m = 24 * s();
    std::string attribution = m_scene.attribution();
    if (m_text.measure(attribution, st.font_small * 0.9 * s()).width > W - 2 * m) {
        std::size_t files = 0;
        for (const auto& fv : m_scene.flights()) files += fv.flight.sources.size();
        attribution =
            m_scene.basemap_credit() + " | Track: " + std::to_string(files) + (files == 1 ? " file" : " files") +
            (m_scene.provenance() != Provenance::recorded ? std::string(" (") + to_string(m_scene.provenance()) + ", not recorded)" : "");
    }
    return attribution;
}

namespace {
using LegendItem = CairoRenderer::LegendItem;
/// Projects (a stop's place): call on the thread that owns the scene's Projector.
std::vector<LegendItem> legend_items(const Scene& scene) {
    const auto& st = scene.options().style;
    const auto& opt = scene.options();
    const std::string trail_kind =
        scene.provenance() == Provenance::recorded ? "recorded track" : std::string(to_string(scene.provenance())) + " track";
    if (opt.density) {  // heat only: no trails, gaps, circles or stop cards on the map
        char minutes[32];
        std::snprintf(minutes, sizeof minutes, "%g", density_window_minutes(opt));
        return {{inferno(1), false, std::string("traffic density, last ") + minutes + " min", false, true}};
    }
    std::vector<LegendItem> items{{opt.color_by_altitude ? viridis(0.8) : scene.flights().front().colour, false,
                                   trail_kind + (scene.flights().size() > 1 ? "s" : "") +
                                       (opt.color_by_altitude        ? " (colour: altitude)"
                                        : scene.flights().size() > 1 ? " (colour: aircraft)"
                                                                     : "")}};
    // Only what the map shows: a dashed gap piece, a great circle (not drawn in busy skies),
    // a ground stop that begins within the replay (its card and ring; none in busy skies).
    const bool busy = scene.flights().size() > kBusyAircraft;
    bool gap = false, circle = false, stop = false;
    for (const auto& fv : scene.flights()) {
        for (const auto& piece : fv.trail) gap = gap || (piece.gap && piece.v.size() >= 2);
        circle = circle || !fv.great_circles.empty();
        for (const auto& stp : fv.analysis.stops)
            stop = stop || (stp.start <= scene.end() && scene.to_screen(stp.airport ? stp.airport->position : stp.position).has_value());
    }
    if (gap) items.push_back({st.trail_gap, true, "coverage gap (no data)"});
    if (circle && opt.great_circles && !busy) items.push_back({st.great_circle, true, "great circle (shortest route)"});
    if (stop && !busy) items.push_back({st.stop, false, "ground stop"});
    return items;
}
std::string figures_text(const Scene& scene) {
    std::string figures;
    for (const auto& fv : scene.flights())
        for (const auto& c : fv.great_circle_captions) figures += (figures.empty() ? "" : "\n") + c;
    return figures;
}
}  // namespace

namespace {
/// Sources fill unknown identifiers with placeholders ("", "00000000", "????????", "unknown").
bool placeholder_id(std::string_view v) {
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    if (v.find_first_not_of("0?-_*. ") == std::string_view::npos) return true;
    std::string low(v);
    for (auto& c : low) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return low == "unknown" || low == "none" || low == "null" || low == "n/a" || low == "na" || low == "nocall";
}
}  // namespace

std::string aircraft_label_name(const AircraftId& id) {
    if (!placeholder_id(id.callsign)) return id.callsign;
    if (!placeholder_id(id.registration)) return id.registration;
    if (!placeholder_id(id.icao24)) return id.icao24;
    return "unidentified";
}

std::vector<std::string> CairoRenderer::legend_entries() const {
    std::vector<std::string> out;
    for (auto& it : legend_items(m_scene)) out.push_back(std::move(it.text));
    return out;
}

layout::FurnitureSpec CairoRenderer::furniture_spec(bool with_timeline, const std::string& airport_caption) const {
    const auto& st = m_scene.options().style;
    const auto& opt = m_scene.options();
    const double S = s(), pad = 12 * S;
    layout::FurnitureSpec sp;
    sp.width = opt.width;
    sp.height = opt.height;
    sp.s = S;
    sp.measure = [this](const std::string& t, double px, bool bold) {
        const auto z = m_text.measure(t, px, bold);
        return layout::Size{z.width, z.height};
    };
    sp.title = {opt.title, st.font_large * 1.2 * S, layout::kMinTextPx, true};
    sp.subtitle = {opt.subtitle, st.font_normal * S, layout::kMinTextPx, false};
    if (opt.frame_furniture) sp.banner = banner_texts();
    if (!sp.banner.empty()) {
        sp.banner_px = st.font_normal * S;
        sp.banner_pad = pad;
    }
    if (opt.frame_furniture) {
        // Clock: a date-time at the large size; under it the replay speed (videos) and the local time (--tz).
        const auto c = m_text.measure("0000-00-00 00:00:00 UTC", st.font_large * S, true);
        double w = c.width, h = c.height;
        const auto small = m_text.measure("replay 00000x", st.font_small * S);
        if (with_timeline) {
            w = std::max(w, small.width);
            h += small.height;
        }
        if (m_local.enabled()) {
            const auto z = m_text.measure("local 0000-00-00 00:00 (America/Argentina/Buenos_Aires)", st.font_small * S);
            w = std::max(w, z.width);
            h += z.height;
        }
        sp.clock = {{w + 2 * pad, h + 2 * pad}, (with_timeline || m_local.enabled()) ? st.font_small * S : st.font_large * S, true};
        // Compact (narrow frames): the date over the time, the UTC time alone under it.
        const auto d = m_text.measure("0000-00-00", st.font_large * S, true), tm = m_text.measure("00:00:00 UTC", st.font_large * S, true);
        const double cw = std::max(d.width, tm.width);
        sp.clock_compact = {{cw + 2 * pad, d.height + tm.height + 2 * pad}, st.font_large * S, true};
    }
    const std::string figures = figures_text(m_scene);
    if (!figures.empty() && opt.great_circles && !busy() && opt.frame_furniture) {
        const auto z = m_text.measure(figures, st.font_small * S);
        sp.statistics = {{z.width + 2 * pad, z.height + 2 * pad}, st.font_small * S, true};
    }
    if (opt.frame_furniture) {
        auto items = legend_items(m_scene);
        if (!airport_caption.empty()) items.push_back({st.airport, false, airport_caption, true});
        double w = 0;
        for (const auto& it : items) w = std::max(w, m_text.measure(it.text, st.font_small * S).width);
        sp.legend = {{w + 60 * S + 2 * pad, static_cast<double>(items.size()) * 24 * S + pad}, st.font_small * S, true};
    }
    if (opt.scale_bar) {
        const auto z = m_text.measure("20000 km", st.font_small * S, true);
        sp.scale_bar = {{std::max(200 * S, z.width) + 16 * S, z.height + 6 * S + 14 * S}, st.font_small * S, true};
    }
    if (opt.north_arrow) {
        const double r = 22 * S, e = 2 * (r + 14 * S + st.font_small * 0.7 * S);
        sp.north_arrow = {{e, e}, st.font_small * S, true};
    }
    // Their smallest texts never go under the floor as drawn (see draw_profile, draw_scale_and_north).
    if (opt.color_by_altitude) sp.colour_ramp = {{240 * S, 68 * S}, std::max(st.font_small * 0.85 * S, layout::kMinTextPx), true};
    if (opt.profile) sp.profile = {{440 * S, 150 * S}, std::max(st.font_small * 0.8 * S, layout::kMinTextPx), true};
    if (opt.frame_furniture) sp.source = {attribution_text(), st.font_small * 0.9 * S, layout::kMinTextPx, false};
    sp.bar_h = bar_height(with_timeline);
    return sp;
}

const layout::FrameLayout& CairoRenderer::frame_layout(bool with_timeline) const {
    std::lock_guard lock(m_layout_mutex);
    auto& l = m_layouts[with_timeline ? 1 : 0];
    if (!l) {
        l = layout::solve_furniture(furniture_spec(with_timeline));
        // Airports whose label finds no room are counted in the legend: when this view has
        // some, lay out again with room for that line (its digits as wide as the airport count's,
        // so other views of the same scene fit it too).
        if (const int n = place_airport_labels(l->boxes()).unlabelled; n > 0) {
            l = layout::solve_furniture(furniture_spec(
                with_timeline, std::string(std::to_string(m_scene.airports().size()).size(), '0') + " airports not labelled"));
            m_airport_caption[with_timeline ? 1 : 0] = true;
        }
    }
    return *l;
}

std::vector<layout::Placed> CairoRenderer::last_layout() const {
    std::vector<layout::Placed> out = frame_layout(m_last_with_timeline).items;
    if (!m_scene.options().north_arrow || !furniture(m_last_with_timeline).north)
        out.erase(std::remove_if(out.begin(), out.end(), [](const layout::Placed& p) { return p.role == layout::Role::north_arrow; }),
                  out.end());
    if (!m_last_with_timeline)
        out.erase(std::remove_if(out.begin(), out.end(), [](const layout::Placed& p) { return p.role == layout::Role::timeline_bar; }),
                  out.end());
    // The scale bar where it is drawn (its slot, or moved onto the map).
    out.erase(std::remove_if(out.begin(), out.end(), [](const layout::Placed& p) { return p.role == layout::Role::scale_bar; }), out.end());
    if (const auto bar = drawn_scale_bar(m_last_with_timeline))
        out.push_back({layout::Role::scale_bar, scale_bar_box(*bar), 1, m_scene.options().style.font_small * s(), {}});
    for (const auto& p : place_layout(m_last_with_timeline)) out.push_back({layout::Role::place_label, p.box, 1, p.font_px, {}});
    for (const auto& l : airport_labels(m_last_with_timeline)) out.push_back({layout::Role::airport_label, l.box, 1, l.px, {}});
    if (!m_last_info) return out;
    const TimePoint t = m_last_info->t;
    const auto& st = m_scene.options().style;
    if (const auto hold = hold_banner(*m_last_info))
        out.push_back({layout::Role::hold_banner, hold->box, hold->k, st.font_large * s() * hold->k, {}});
    for (const auto& c : stop_cards(t))
        out.push_back({layout::Role::stop_card, {c.x, c.y, c.x + c.w, c.y + c.h}, c.k, st.font_small * s() * c.k, {}});
    for (const auto& g : view_gap_labels())
        if (t >= g.start && !busy()) out.push_back({layout::Role::gap_label, g.box, 1, st.font_small * s(), {}});
    for (const auto& l : label_layout(t)) out.push_back({layout::Role::aircraft_label, l.box, 1, l.font_px, {}});
    return out;
}

std::vector<Box> CairoRenderer::stop_card_boxes(TimePoint t) const {
    std::vector<Box> out;
    if (busy()) return out;
    for (const auto& card : stop_cards(t)) out.push_back({card.x, card.y, card.x + card.w, card.y + card.h});
    return out;
}

std::vector<Box> CairoRenderer::track_boxes() const {
    std::vector<Box> out;
    const double r = 9 * icon_scale() + 2 * s();  // the icon's half-span, plus a little
    // Long segments (a 20 km step is hundreds of pixels in a close view) in pieces of at most
    // 16 px, so a diagonal does not claim its whole bounding box.
    auto seg = [&](double x0, double y0, double x1, double y1) {
        const int n = std::max(1, static_cast<int>(std::ceil(std::hypot(x1 - x0, y1 - y0) / 16.0)));
        for (int k = 0; k < n; ++k) {
            const double ax = x0 + (x1 - x0) * k / n, ay = y0 + (y1 - y0) * k / n, bx = x0 + (x1 - x0) * (k + 1) / n,
                         by = y0 + (y1 - y0) * (k + 1) / n;
            out.push_back({std::min(ax, bx) - r, std::min(ay, by) - r, std::max(ax, bx) + r, std::max(ay, by) + r});
        }
    };
    for (const auto& fv : m_scene.flights()) {
        for (const auto& piece : fv.trail)
            for (std::size_t i = 1; i < piece.v.size(); ++i) seg(piece.v[i - 1].x, piece.v[i - 1].y, piece.v[i].x, piece.v[i].y);
        if (m_scene.options().great_circles && !busy())
            for (const auto& l : fv.great_circles)
                for (std::size_t i = 1; i < l.size(); ++i) seg(l[i - 1].x, l[i - 1].y, l[i].x, l[i].y);
    }
    return out;
}

const std::vector<CairoRenderer::PlacedPlace>& CairoRenderer::place_layout(bool with_timeline) const {
    std::lock_guard lock(m_places_mutex);
    const auto& tf = m_scene.transform();
    const std::array<double, 5> key{tf.extent().xmin, tf.extent().ymax, tf.scale(), static_cast<double>(tf.width()),
                                    with_timeline ? 1.0 : 0.0};
    if (m_places_cache && m_places_cache->first == key) return m_places_cache->second;
    std::vector<PlacedPlace> out;
    const auto& places = m_scene.places();
    const auto& st = m_scene.options().style;
    const double W = m_scene.options().width, H = m_scene.options().height;
    if (!places.empty()) {
        // Everything already drawn (or that may be drawn) over the map.
        BoxGrid taken(W, H);
        for (const auto& b : furniture_boxes(with_timeline)) taken.add(b);
        for (const auto& b : track_boxes()) taken.add(b);
        // The flights' airports: their marks and labels, the stop cards where they open (at the
        // end of the stop, the widest text) and the coverage-gap labels.
        for (const auto& b : annotation_boxes_without_places(m_scene.end(), false)) taken.add(b);
        // A stop card opens toward the map centre (card_origin) and moves to the next quadrant
        // when an aircraft icon covers it: every quadrant it can reach is kept free, i.e. the
        // first on-screen one and each one after a quadrant some trail (after the stop began)
        // passes through.
        if (!busy())
            for (const auto& fv : m_scene.flights())
                for (const auto& stp : fv.analysis.stops) {
                    const auto card = stop_card(stp, m_scene.end());
                    if (!card) continue;
                    const ScreenPt p = card->anchor;
                    const bool right = p.x < tf.width() / 2.0, down = p.y < tf.height() / 2.0;
                    const double r = 9 * icon_scale();
                    auto flown_through = [&](const Box& q) {
                        for (const auto& f : m_scene.flights())
                            for (const auto& piece : f.trail)
                                for (const auto& v : piece.v)
                                    if (v.t >= stp.start && Box{v.x - r, v.y - r, v.x + r, v.y + r}.overlaps(q)) return true;
                        return false;
                    };
                    for (int k = 0; k < 4; ++k) {
                        const bool rr = (k & 1) ? !right : right, dd = (k & 2) ? !down : down;
                        const double cx = rr ? p.x + 40 * s() : p.x - 40 * s() - card->w,
                                     cy = dd ? p.y + 30 * s() : p.y - 30 * s() - card->h;
                        const Box q{cx, cy, cx + card->w, cy + card->h};
                        if (cx < 0 || cy < 0 || cx + card->w > tf.width() || cy + card->h > tf.height()) continue;
                        taken.add({q.x0, q.y0, q.x1, q.y1 + 24 * s()});  // room for the "(inferred ...)" and local-time lines
                        if (!flown_through(q)) break;
                    }
                }
        for (const auto& ap : m_scene.airports())
            if (ap.px) taken.add({ap.px->x - 12 * s(), ap.px->y - 12 * s(), ap.px->x + 12 * s(), ap.px->y + 12 * s()});
        for (const auto& r : m_scene.runways()) {  // the runway along its length, and the designators beyond each end
            const double dx = r.he.x - r.le.x, dy = r.he.y - r.le.y, len = std::hypot(dx, dy);
            const double half = std::hypot(r.corners[1].x - r.corners[0].x, r.corners[1].y - r.corners[0].y) / 2 + 2 * s();
            const int n = std::max(1, static_cast<int>(std::ceil(len / 16.0)));
            for (int k = 0; k < n; ++k) {
                const double ax = r.le.x + dx * k / n, ay = r.le.y + dy * k / n, bx = r.le.x + dx * (k + 1) / n,
                             by = r.le.y + dy * (k + 1) / n;
                taken.add({std::min(ax, bx) - half, std::min(ay, by) - half, std::max(ax, bx) + half, std::max(ay, by) + half});
            }
            if (len >= 60 * s()) {  // designators drawn (draw_runways)
                const double ux = len > 0 ? dx / len : 0, uy = len > 0 ? dy / len : 0, d = 18 * s();
                for (const auto& [p, sign] : {std::pair{r.le, -1.0}, std::pair{r.he, 1.0}})
                    taken.add(
                        {p.x + sign * ux * d - d, p.y + sign * uy * d - d * 0.7, p.x + sign * ux * d + d, p.y + sign * uy * d + d * 0.7});
            }
        }
        const double fs = st.font_place * s(), dot_r = 2.5 * s();
        // Every overlay point's marker is drawn (draw_basemap): no label may cover one.
        const double om = (kOverlayMarkR + 1) * s();
        for (const auto& op : m_scene.overlay_points())
            if (op.px) taken.add({op.px->x - om, op.px->y - om, op.px->x + om, op.px->y + om});
        for (std::size_t i = 0; i < places.size(); ++i) {
            const auto& p = places[i];
            if (!p.px) continue;
            using K = ScenePlace::Kind;
            if (busy() && (p.kind == K::city || p.kind == K::airport)) continue;  // a busy sky leaves no room for towns
            // An airport's code (rank 1) follows its name (rank 0): only when the name found no room.
            if (p.kind == K::airport && p.rank == 1 && !out.empty() && out.back().place + 1 == i) continue;
            const bool area = p.kind == K::country || p.kind == K::water;
            const double size = p.kind == K::country ? fs * 1.15 : p.kind == K::water && p.rank == 1 ? fs * 1.2 : fs;
            const bool bold = p.kind == K::country;
            const auto sz = m_text.measure(p.text, size, bold);
            LabelRequest req{*p.px, sz.width, sz.height, area};
            // A point place keeps its mark clear too: the mark is taken first.
            const Box mark{p.px->x - dot_r - 1, p.px->y - dot_r - 1, p.px->x + dot_r + 1, p.px->y + dot_r + 1};
            // (An airport's reference point often lies between its runways: its mark may sit on them.)
            if (!area && p.kind != K::airport && p.kind != K::overlay && taken.any_overlap(mark)) continue;
            // An overlay label clears its own marker's taken box (om) by the gap.
            auto box = place_label(req, taken, W, H, p.kind == K::overlay ? om + 3.5 * s() : dot_r + 3 * s(), 3 * s());
            // An airport's runways surround its mark: its name may stand a little further off.
            for (const double off : {20.0, 40.0})
                if (!box && p.kind == K::airport) box = place_label(req, taken, W, H, off * s(), 3 * s());
            if (!box) continue;
            taken.add(*box);
            if (!area) taken.add(mark);
            out.push_back({i, p.text, *box, size, bold, area ? std::nullopt : std::optional<ScreenPt>(*p.px)});
        }
    }
    m_places_cache.emplace(key, std::move(out));
    return m_places_cache->second;
}

void CairoRenderer::draw_places(cairo_t* cr, bool with_timeline) const {
    const auto& placed = place_layout(with_timeline);
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

void CairoRenderer::draw_dynamic(cairo_t* cr, const FrameInfo& f) const {
    check_owner(cr, "a Cairo context (render::CairoRenderer::draw_dynamic)");
    m_last_with_timeline = f.timeline != nullptr;
    m_last_info = f;
    if (density()) {  // heat instead of trails, cards, aircraft and labels
        update_heat(f.t, f.timeline != nullptr);
        paint_heat(cr);
        draw_hud(cr, f);
        return;
    }
    draw_trails(cr, f.t);
    draw_stops_and_gaps(cr, f.t);
    draw_aircraft(cr, f.t);
    draw_hud(cr, f);
}

void CairoRenderer::draw_dynamic(cairo_t* cr, const FrameInfo& f, const DynamicLayers& layers) const {
    check_owner(cr, "a Cairo context (render::CairoRenderer::draw_dynamic)");
    m_last_with_timeline = f.timeline != nullptr;
    m_last_info = f;
    if (density()) {  // heat (as the trails layer) instead of trails, cards, aircraft and labels
        if (layers.trails) {
            update_heat(f.t, f.timeline != nullptr);
            paint_heat(cr);
        }
        if (layers.hud) draw_hud(cr, f);
        return;
    }
    if (layers.trails) draw_trails(cr, f.t);
    if (layers.annotations || layers.stop_cards) draw_stops_and_gaps(cr, f.t, layers.annotations, layers.stop_cards);
    if (layers.aircraft) draw_aircraft(cr, f.t, layers.aircraft_icons);
    if (layers.hud) draw_hud(cr, f);
}

CairoRenderer::BarRect CairoRenderer::timeline_bar_rect() const {
    // Mirrors draw_hud / draw_timeline_bar.
    const double m = 24 * s();
    return {m, m_scene.options().width - m, bar_top(), 22 * s() + 8 * s()};
}

void CairoRenderer::draw_basemap(cairo_t* cr) const {
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

const CairoRenderer::AirportLabels& CairoRenderer::airport_label_set(bool with_timeline) const {
    // Once per view: the static layer's two threads and every frame ask.
    const auto& tf = m_scene.transform();
    const std::array<double, 5> key{tf.extent().xmin, tf.extent().ymax, tf.scale(), static_cast<double>(tf.width()),
                                    with_timeline ? 1.0 : 0.0};
    const auto furniture = frame_layout(with_timeline).boxes();
    std::lock_guard lock(m_airport_mutex);
    if (!m_airport_cache || m_airport_cache->first != key) m_airport_cache.emplace(key, place_airport_labels(furniture));
    return m_airport_cache->second;
}

namespace {
/// Whether the segment a-b passes through the inside of box b (Liang-Barsky clipping).
bool crosses(const Box& box, ScreenPt a, ScreenPt b) {
    double t0 = 0, t1 = 1;
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double p[4] = {-dx, dx, -dy, dy}, q[4] = {a.x - box.x0, box.x1 - a.x, a.y - box.y0, box.y1 - a.y};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0) {
            if (q[i] <= 0) return false;  // parallel to this edge and outside (or on) it
            continue;
        }
        const double r = q[i] / p[i];
        if (p[i] < 0)
            t0 = std::max(t0, r);
        else
            t1 = std::min(t1, r);
        if (t0 >= t1) return false;
    }
    return true;
}
}  // namespace

CairoRenderer::AirportLabels CairoRenderer::place_airport_labels(const std::vector<Box>& furniture) const {
    // Busiest airports first. Each tries its name beside the ring (toward the map centre, then
    // the other side, above, below), then its code there, then its code set off along one of
    // 24 directions at growing distances with a leader back to the ring. A label overlaps no
    // furniture, ring, label or leader; a leader crosses no label. An airport whose label finds
    // no room is counted (the legend says how many).
    AirportLabels out;
    const auto& st = m_scene.options().style;
    // A busy map's codes at the small size, as its aircraft labels.
    const double W = m_scene.options().width, H = m_scene.options().height, px = (busy() ? st.font_small : st.font_normal) * s();
    const double ring = 6 * s() + 1.25 * s();  // radius plus half the stroke
    const auto& aps = m_scene.airports();
    std::vector<std::size_t> order;
    std::vector<Box> taken = furniture;
    for (std::size_t i = 0; i < aps.size(); ++i)
        if (aps[i].px && aps[i].px->x >= 0 && aps[i].px->y >= 0 && aps[i].px->x <= W && aps[i].px->y <= H) {  // on the frame
            order.push_back(i);
            taken.push_back({aps[i].px->x - ring, aps[i].px->y - ring, aps[i].px->x + ring, aps[i].px->y + ring});
        }
    // Ties (a day of departures: one flight to each) go to the most crowded first: an airport
    // with few neighbours has room left wherever the others went.
    std::vector<int> crowd(aps.size(), 0);
    for (const std::size_t i : order)
        for (const std::size_t j : order)
            if (i != j && std::hypot(aps[i].px->x - aps[j].px->x, aps[i].px->y - aps[j].px->y) < 80 * s()) ++crowd[i];
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return aps[a].traffic != aps[b].traffic ? aps[a].traffic > aps[b].traffic : crowd[a] > crowd[b];
    });
    std::vector<std::pair<ScreenPt, ScreenPt>> leaders;
    std::vector<Box> labels;
    auto fits = [&](const Box& b) {
        if (b.x0 < 0 || b.y0 < 0 || b.x1 > W || b.y1 > H) return false;
        if (std::any_of(taken.begin(), taken.end(), [&](const Box& o) { return o.overlaps(b); })) return false;
        return std::none_of(leaders.begin(), leaders.end(), [&](const auto& l) { return crosses(b, l.first, l.second); });
    };
    for (const std::size_t i : order) {
        const auto& ap = aps[i];
        const double x = ap.px->x, y = ap.px->y;
        std::vector<std::string> texts;
        if (!busy() && ap.label != ap.code()) texts.push_back(ap.label);  // a busy map has room for codes only
        texts.push_back(ap.code());
        std::optional<AirportLabel> got;
        for (const auto& text : texts) {
            const auto sz = m_text.measure(text, px, true);
            const Box left_of{x - 10 * s() - sz.width, y + 8 * s(), x - 10 * s(), y + 8 * s() + sz.height};
            const Box right_of{x + 10 * s(), y + 8 * s(), x + 10 * s() + sz.width, y + 8 * s() + sz.height};
            std::vector<Box> cands = x > W / 2.0 ? std::vector<Box>{left_of, right_of} : std::vector<Box>{right_of, left_of};
            cands.push_back({x - sz.width / 2, y - 10 * s() - sz.height, x + sz.width / 2, y - 10 * s()});
            cands.push_back({x - sz.width / 2, y + 10 * s(), x + sz.width / 2, y + 10 * s() + sz.height});
            // Either side, level with the ring, then slid up or down by quarters of its height,
            // then above the ring's corners.
            for (const double dy : {-0.5, -0.25, -0.75, 0.0, -1.0, -8 * s() / sz.height - 1.0})
                for (const double dx : {10 * s(), -10 * s() - sz.width})
                    cands.push_back({x + dx, y + dy * sz.height, x + dx + sz.width, y + (dy + 1) * sz.height});
            for (const auto& b : cands)
                if (fits(b)) {
                    got = AirportLabel{text, b, px, std::nullopt};
                    break;
                }
            if (got) break;
        }
        if (!got) {
            const std::string& text = ap.code();
            const auto sz = m_text.measure(text, px, true);
            const double reach = std::hypot(sz.width, sz.height) / 2;
            for (const double step : {18.0, 36.0, 60.0, 90.0, 130.0, 180.0, 250.0, 330.0, 420.0}) {
                for (int k = 0; k < 24 && !got; ++k) {
                    // Diagonals first (off the rows and columns of neighbours), then the axes,
                    // then between them.
                    const double a = k < 8 ? M_PI / 4 * k + M_PI / 8 : k < 16 ? M_PI / 4 * (k - 8) : M_PI / 4 * (k - 16) + M_PI / 16;
                    const double cx = x + std::cos(a) * (reach + step * s()), cy = y + std::sin(a) * (reach + step * s());
                    const Box b{cx - sz.width / 2, cy - sz.height / 2, cx + sz.width / 2, cy + sz.height / 2};
                    if (!fits(b)) continue;
                    // From the ring's edge toward the box, to the box's nearest point.
                    const ScreenPt to{std::clamp(x, b.x0, b.x1), std::clamp(y, b.y0, b.y1)};
                    const double d = std::hypot(to.x - x, to.y - y);
                    const ScreenPt from{x + (to.x - x) / d * ring, y + (to.y - y) / d * ring};
                    if (std::any_of(labels.begin(), labels.end(), [&](const Box& o) { return crosses(o, from, to); })) continue;
                    if (std::any_of(furniture.begin(), furniture.end(), [&](const Box& o) { return crosses(o, from, to); })) continue;
                    got = AirportLabel{text, b, px, std::pair{from, to}};
                }
                if (got) break;
            }
        }
        if (!got) {
            ++out.unlabelled;
            if (std::any_of(furniture.begin(), furniture.end(), [&](const Box& o) { return x > o.x0 && x < o.x1 && y > o.y0 && y < o.y1; }))
                ++out.covered;
            continue;
        }
        taken.push_back(got->box);
        labels.push_back(got->box);
        if (got->leader) leaders.push_back(*got->leader);
        out.placed.push_back(std::move(*got));
    }
    return out;
}

void CairoRenderer::draw_routes_and_airports(cairo_t* cr, bool with_timeline) const {
    const auto& st = m_scene.options().style;
    cairo_save(cr);
    if (m_scene.options().great_circles && !busy() && !density()) {  // density: heat only, as its legend says
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
    }
    for (const auto& l : airport_labels(with_timeline)) {
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

namespace {
constexpr int kAltBins = 32;  // altitude colour bins: steps of ~430 m, below what the eye separates on the ramp
/// Line to the point reached at time t on the segment a -> b (a.t <= t <= b.t), linear in time.
void line_to_time(cairo_t* cr, const TrailVertex& a, const TrailVertex& b, TimePoint t) {
    const double span = static_cast<double>((b.t - a.t).count());
    const double f = span > 0 ? static_cast<double>((t - a.t).count()) / span : 0;
    cairo_line_to(cr, a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f);
}
int alt_bin(float a) { return std::isnan(a) ? -1 : std::clamp(static_cast<int>(a / kRampMaxAltM * kAltBins), 0, kAltBins - 1); }
}  // namespace

void CairoRenderer::build_chunks() const {
    if (m_chunks_valid) return;
    m_chunks.clear();
    m_piece_chunks.assign(m_scene.flights().size(), {});
    const bool by_alt = m_scene.options().color_by_altitude;
    const TimePoint from = m_scene.start();
    for (std::uint32_t fi = 0; fi < m_scene.flights().size(); ++fi) {
        const auto& fv = m_scene.flights()[fi];
        m_piece_chunks[fi].resize(fv.trail.size());
        for (std::uint32_t pi = 0; pi < fv.trail.size(); ++pi) {
            const auto& v = fv.trail[pi].v;
            if (v.size() < 2 || v.back().t < from) continue;
            // First segment ending at or after the replay start (the time-range's past is not drawn).
            const auto first = static_cast<std::uint32_t>(
                std::lower_bound(v.begin() + 1, v.end(), from, [](const TrailVertex& a, TimePoint b) { return a.t < b; }) - v.begin());
            double along = 0;
            for (std::uint32_t i = first; i < v.size();) {
                const int key = by_alt ? alt_bin(v[i - 1].alt_m) : 0;
                TrailChunk c{v[i].t, fi, pi, i, i, key, along};
                while (true) {
                    along += std::hypot(v[c.i1].x - v[c.i1 - 1].x, v[c.i1].y - v[c.i1 - 1].y);
                    const std::uint32_t n = c.i1 + 1;
                    if (n >= v.size() || n - c.i0 >= kChunk || along - c.dash_offset >= kChunkPx ||
                        (by_alt ? alt_bin(v[n - 1].alt_m) : 0) != key)
                        break;
                    c.i1 = n;
                }
                c.end = v[c.i1].t;
                m_chunks.push_back(c);
                i = c.i1 + 1;
            }
        }
    }
    std::stable_sort(m_chunks.begin(), m_chunks.end(), [](const TrailChunk& a, const TrailChunk& b) {
        return std::tie(a.end, a.flight, a.piece, a.i0) < std::tie(b.end, b.flight, b.piece, b.i0);
    });
    for (std::uint32_t k = 0; k < m_chunks.size(); ++k) m_piece_chunks[m_chunks[k].flight][m_chunks[k].piece].push_back(k);
    for (auto& f : m_piece_chunks)
        for (auto& p : f) std::sort(p.begin(), p.end(), [&](std::uint32_t a, std::uint32_t b) { return m_chunks[a].i0 < m_chunks[b].i0; });
    m_chunks_valid = true;
}

void CairoRenderer::stroke_chunk(cairo_t* cr, const TrailChunk& c, TimePoint t, bool partial) const {
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
    stroke(cr);
}

void CairoRenderer::draw_finished_chunks(cairo_t* cr, TimePoint t, std::size_t from_chunk, std::size_t* drawn) const {
    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    std::size_t k = from_chunk;
    for (; k < m_chunks.size() && m_chunks[k].end <= t; ++k) stroke_chunk(cr, m_chunks[k], t, false);
    cairo_restore(cr);
    if (drawn) *drawn = k;
}

void CairoRenderer::draw_trail_tips(cairo_t* cr, TimePoint t) const {
    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (const auto& flight : m_piece_chunks)
        for (const auto& piece : flight) {
            // The piece's first unfinished chunk, if it has begun.
            const auto it = std::partition_point(piece.begin(), piece.end(), [&](std::uint32_t k) { return m_chunks[k].end <= t; });
            if (it == piece.end()) continue;
            const auto& c = m_chunks[*it];
            const auto& v = m_scene.flights()[c.flight].trail[c.piece].v;
            if (v[c.i0 - 1].t > t) continue;
            stroke_chunk(cr, c, t, true);
        }
    cairo_restore(cr);
}

void CairoRenderer::draw_trails(cairo_t* cr, TimePoint t, bool tips_only) const {
    if (fading()) {
        draw_trails_fading(cr, t);
        return;
    }
    build_chunks();
    if (!tips_only) draw_finished_chunks(cr, t, 0, nullptr);
    draw_trail_tips(cr, t);
}

void CairoRenderer::draw_trails_fading(cairo_t* cr, TimePoint t) const {
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
    for (const auto& fv : m_scene.flights()) {
        for (const auto& piece : fv.trail) {
            const auto& v = piece.v;
            if (v.empty() || v.front().t > t || v.back().t < from) continue;
            if (piece.gap) {
                const double dash[] = {kGapDashOn * s(), kGapDashOff * s()};
                cairo_set_dash(cr, dash, 2, 0);
                cairo_set_line_width(cr, kGapTrailWidth * s());
            } else {
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
                set(cr, c);
                stroke(cr);
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
                    cairo_move_to(cr, v[i - 1].x, v[i - 1].y);
                    open = true;
                }
                if (v[i].t <= t) {
                    cairo_line_to(cr, v[i].x, v[i].y);
                    continue;
                }
                line_to_time(cr, v[i - 1], v[i], t);  // partway along this (short, densified) segment
                break;
            }
            flush(key);
        }
    }
    cairo_restore(cr);
}

std::optional<CairoRenderer::StopCard> CairoRenderer::stop_card(const analysis::Stop& stp, TimePoint t) const {
    if (t < stp.start) return std::nullopt;
    const auto p = m_scene.to_screen(stp.airport ? stp.airport->position : stp.position);
    if (!p) return std::nullopt;
    const auto& st = m_scene.options().style;
    StopCard c;
    c.anchor = *p;
    const bool during = t < stp.end;
    c.head = "On ground at " + airport_label(stp.airport);
    c.duration = format_duration(stp.duration());
    if (during) c.duration = format_duration(t - stp.start) + " of " + c.duration;
    c.times = m_local.stop_times(stp, !during) + (stp.inferred ? "\n(inferred across missing data)" : "");
    const auto sh = m_text.measure(c.head, st.font_normal * s(), true), sd = m_text.measure(c.duration, st.font_large * s(), true),
               stt = m_text.measure(c.times, st.font_small * s());
    c.pad = 10 * s();
    c.head_h = sh.height;
    c.duration_h = sd.height;
    c.w = std::max({sh.width, sd.width, stt.width}) + 2 * c.pad;
    c.h = sh.height + sd.height + stt.height + 2 * c.pad + 4 * s();
    return c;
}

void CairoRenderer::draw_stops_and_gaps(cairo_t* cr, TimePoint t, bool gaps, bool cards) const {
    const auto& st = m_scene.options().style;
    if (busy()) return;  // hundreds of aircraft: cards and gap labels would cover the map
    if (gaps)
        for (const auto& g : gap_labels(t)) text(cr, g.text, g.x, g.y, st.font_small * s(), st.trail_gap, true, Align::left, st.halo);
    if (cards) draw_stop_cards(cr, t, PixelShift{});
}

void CairoRenderer::draw_stop_cards(cairo_t* cr, TimePoint t, const PixelShift& map) const {
    const auto& st = m_scene.options().style;
    if (busy()) return;
    cairo_save(cr);
    // Ground stops: a card at the airport from arrival on.
    for (const auto& card_v : stop_cards(t)) {
        const std::optional<StopCard> card = card_v;
        const ScreenPt anchor{map.k * card->anchor.x + map.ox, map.k * card->anchor.y + map.oy};
        const auto* p = &anchor;
        // The leader in frame pixels, the card as designed under its scale k.
        cairo_new_path(cr);
        cairo_move_to(cr, p->x, p->y);
        cairo_line_to(cr, std::clamp(p->x, card->x, card->x + card->w), std::clamp(p->y, card->y, card->y + card->h));
        set(cr, st.stop);
        cairo_set_line_width(cr, 2 * s());
        stroke(cr);
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
        fill_preserve(cr);
        set(cr, st.stop);
        cairo_set_line_width(cr, 2 * s());
        stroke(cr);
        text(cr, head, cx + pad, cy + pad, fs, st.text, true);
        text(cr, dur, cx + pad, cy + pad + sh.height, fl, st.stop, true);
        text(cr, times, cx + pad, cy + pad + sh.height + sd.height + 4 * s(), st.font_small * s(), st.text);
        cairo_restore(cr);
        // Ring around the airport marks where it stood.
        cairo_new_path(cr);
        cairo_arc(cr, p->x, p->y, 11 * s(), 0, 2 * M_PI);
        set(cr, st.stop);
        cairo_set_line_width(cr, 3 * s());
        stroke(cr);
    }
    cairo_restore(cr);
}

const std::vector<CairoRenderer::AircraftNow>& CairoRenderer::aircraft_now(TimePoint t) const {
    const auto& tf = m_scene.transform();
    const std::array<double, 4> cam{tf.extent().xmin, tf.extent().ymax, tf.scale(), static_cast<double>(tf.width())};
    if (m_now_key && m_now_key->first == t && m_now_key->second == cam && m_now.size() == m_scene.flights().size()) return m_now;
    m_now.assign(m_scene.flights().size(), AircraftNow{});
    for (std::size_t i = 0; i < m_scene.flights().size(); ++i) {
        const auto& fv = m_scene.flights()[i];
        auto& a = m_now[i];
        a.state = state_at(fv.flight, fv.analysis, t);
        if (!a.state) continue;
        a.p = m_scene.to_screen(a.state->position);
        if (!a.p || gone(fv, *a.state, t)) continue;  // not drawn: no heading needed
        // Screen heading: project a point 5 km ahead along the track.
        if (auto ahead = m_scene.to_screen(geo::direct(a.state->position, Angle::degrees(a.state->heading_deg), Length::kilometres(5))))
            a.angle = std::atan2(ahead->x - a.p->x, -(ahead->y - a.p->y));
    }
    m_now_key.emplace(t, cam);
    return m_now;
}

std::vector<CairoRenderer::AircraftIcon> CairoRenderer::aircraft_icons(TimePoint t) const {
    const auto& st = m_scene.options().style;
    const auto& now = aircraft_now(t);
    std::vector<AircraftIcon> out;
    out.reserve(now.size());
    for (std::size_t i = 0; i < now.size(); ++i) {
        const auto& fv = m_scene.flights()[i];
        const auto& a = now[i];
        if (!a.state || gone(fv, *a.state, t) || !a.p) continue;
        const bool uncertain = a.state->phase == Phase::gap || a.state->phase == Phase::unknown;
        // icon: 24 px nose to tail at 1080p (16 px in busy scenes)
        // --color-by altitude: the icon takes its trail's colour at this altitude (same bins).
        Rgba fill = fv.colour;
        if (m_scene.options().color_by_altitude) {
            const int bin = alt_bin(a.state->altitude ? static_cast<float>(a.state->altitude->m()) : NAN);
            fill = bin < 0 ? st.trail_gap : viridis((bin + 0.5) / kAltBins);
        }
        out.push_back({i, a.p->x, a.p->y, a.angle, icon_scale(), uncertain ? Rgba{1, 1, 1, 0.7} : fill,
                       uncertain ? st.trail_gap : Rgba{1, 1, 1, 1}, 1.2 * s()});
    }
    return out;
}

void CairoRenderer::draw_aircraft(cairo_t* cr, TimePoint t, bool icons) const {
    const auto& st = m_scene.options().style;
    for (const auto& ic : icons ? aircraft_icons(t) : std::vector<AircraftIcon>{}) {
        cairo_save(cr);
        cairo_translate(cr, ic.x, ic.y);
        cairo_rotate(cr, ic.angle);
        const double k = ic.k;
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
        set(cr, ic.fill);
        fill_preserve(cr);
        set(cr, ic.outline);
        cairo_set_line_width(cr, ic.line_width);
        stroke(cr);
        cairo_restore(cr);
    }
    if (!m_scene.options().labels) return;
    const auto labels = label_layout(t);
    const auto& now = aircraft_now(t);
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
                stroke(cr);
            }
    }
    // Labels move with their aircraft every frame: at whole pixels a label's text is rasterised
    // once (TextEngine's sprites), not again at each of 16 quarter-pixel offsets.
    for (const auto& l : labels)
        text(cr, l.text, std::round(l.box.x0), std::round(l.box.y0), l.font_px, st.text, true, Align::left, st.halo);
}

std::vector<CairoRenderer::StopCard> CairoRenderer::stop_cards(TimePoint t, bool with_places) const {
    // Once per frame (drawing and the aircraft labels both ask).
    const auto& tf = m_scene.transform();
    const std::array<double, 7> key{static_cast<double>(t.time_since_epoch().count()),
                                    tf.extent().xmin,
                                    tf.extent().ymax,
                                    tf.scale(),
                                    static_cast<double>(tf.width()),
                                    (with_places ? 2.0 : 0.0) + (m_last_with_timeline ? 1.0 : 0.0),
                                    m_last_info && m_last_info->t == t && m_last_info->timeline ? m_last_info->video_s : -1.0};
    if (!m_cards_cache || m_cards_cache->first != key) m_cards_cache.emplace(key, stop_cards_uncached(t, with_places));
    return m_cards_cache->second;
}

std::vector<CairoRenderer::StopCard> CairoRenderer::stop_cards_uncached(TimePoint t, bool with_places) const {
    // Each card tries the four quadrants around its airport (toward the map centre first),
    // then farther out; the first spot clear of the furniture, the cards before it, the
    // aircraft and the track wins, else the first clear of all but the track. A leader joins
    // card and airport.
    std::vector<StopCard> out;
    if (busy()) return out;
    const auto& tf = m_scene.transform();
    const double W = tf.width(), H = tf.height();
    std::vector<Box> taken = frame_layout(m_last_with_timeline).boxes();
    for (const auto& al : airport_labels(m_last_with_timeline)) taken.push_back(al.box);
    const double r = 9 * icon_scale();
    for (const auto& a : aircraft_now(t))
        if (a.state && a.p) taken.push_back({a.p->x - r, a.p->y - r, a.p->x + r, a.p->y + r});
    if (with_places) {
        for (const auto& p : place_layout(m_last_with_timeline)) taken.push_back(p.box);
        if (m_last_info && m_last_info->t == t)
            if (const auto hold = hold_banner(*m_last_info)) taken.push_back(hold->box);
        for (const auto& gl : view_gap_labels())
            if (t >= gl.start) taken.push_back(gl.box);
    }
    std::vector<Box> tracks;
    for (const auto& fv : m_scene.flights())
        for (const auto& piece : fv.trail)
            for (const auto& v : piece.v)
                if (v.t <= t) tracks.push_back({v.x - 3 * s(), v.y - 3 * s(), v.x + 3 * s(), v.y + 3 * s()});
    for (const auto& fv : m_scene.flights())
        for (const auto& stp : fv.analysis.stops) {
            auto card = stop_card(stp, t);
            if (!card) continue;
            const ScreenPt p = card->anchor;
            const bool right = p.x < W / 2.0, down = p.y < H / 2.0;
            std::vector<layout::Candidate> cands;
            for (double far : {1.0, 2.5, 4.5, 7.0}) {
                for (int k = 0; k < 4; ++k) {
                    const bool rr = (k & 1) ? !right : right, dd = (k & 2) ? !down : down;
                    cands.push_back({rr ? p.x + 40 * s() * far : p.x - 40 * s() * far - card->w,
                                     dd ? p.y + 30 * s() * far : p.y - 30 * s() * far - card->h});
                }
                // Straight below, above, beside.
                cands.push_back({p.x - card->w / 2, p.y + 30 * s() * far});
                cands.push_back({p.x - card->w / 2, p.y - 30 * s() * far - card->h});
                cands.push_back({p.x + 40 * s() * far, p.y - card->h / 2});
                cands.push_back({p.x - 40 * s() * far - card->w, p.y - card->h / 2});
            }
            std::vector<Box> with_tracks = taken;
            with_tracks.insert(with_tracks.end(), tracks.begin(), tracks.end());
            const double k_min = std::min(1.0, layout::kMinTextPx / (m_scene.options().style.font_small * s()));
            auto fit = layout::place_moving({card->w, card->h}, 1.0, cands, with_tracks, W, H);
            if (!fit) fit = layout::place_moving({card->w, card->h}, k_min, cands, taken, W, H);
            if (!fit) continue;  // no room: the card yields
            card->x = fit->box.x0;
            card->y = fit->box.y0;
            card->k = fit->k;
            card->w *= fit->k;
            card->h *= fit->k;
            taken.push_back(fit->box);
            out.push_back(*card);
        }
    return out;
}

const std::vector<CairoRenderer::ViewGapLabel>& CairoRenderer::view_gap_labels() const {
    // One label per coverage gap at most, for the gaps whose dashed line is long enough on
    // screen to matter (at least the label's width), longest gaps first; beside the dashed
    // line's middle, never on it, clear of the furniture and of each other.
    const auto& tf = m_scene.transform();
    const std::array<double, 5> key{tf.extent().xmin, tf.extent().ymax, tf.scale(), static_cast<double>(tf.width()),
                                    m_last_with_timeline ? 1.0 : 0.0};
    if (m_gap_cache && m_gap_cache->first == key) return m_gap_cache->second;
    const auto& st = m_scene.options().style;
    const double W = tf.width(), H = tf.height(), px = st.font_small * s();
    struct G {
        const analysis::Gap* g;
        ScreenPt a, b;
    };
    std::vector<G> gaps;
    for (const auto& fv : m_scene.flights())
        for (const analysis::Gap* gp : fv.analysis.all_gaps()) {
            const auto& pts = fv.flight.points;
            const auto a = m_scene.to_screen(pts[gp->index_before].position()), b = m_scene.to_screen(pts[gp->index_before + 1].position());
            if (a && b) gaps.push_back({gp, *a, *b});
        }
    std::stable_sort(gaps.begin(), gaps.end(), [](const G& x, const G& y) { return x.g->duration() > y.g->duration(); });
    std::vector<Box> taken = frame_layout(m_last_with_timeline).boxes();
    for (const auto& al : airport_labels(m_last_with_timeline)) taken.push_back(al.box);
    std::vector<ViewGapLabel> out;
    for (const auto& g : gaps) {
        const std::string text = "no data " + format_duration(g.g->duration());
        const auto sz = m_text.measure(text, px, true);
        const double dx = g.b.x - g.a.x, dy = g.b.y - g.a.y, len = std::hypot(dx, dy);
        if (len < std::max(sz.width, 40 * s())) continue;  // too short at this scale to matter
        const double nx = -dy / len, ny = dx / len;
        const double off = std::abs(nx) * sz.width / 2 + std::abs(ny) * sz.height / 2 + 6 * s();
        const double mx = (g.a.x + g.b.x) / 2, my = (g.a.y + g.b.y) / 2;
        for (double side : {-1.0, 1.0}) {
            const double cx = mx + side * nx * off, cy = my + side * ny * off;
            const Box b{cx - sz.width / 2, cy - sz.height / 2, cx + sz.width / 2, cy + sz.height / 2};
            if (b.x0 < 0 || b.y0 < 0 || b.x1 > W || b.y1 > H) continue;
            if (std::any_of(taken.begin(), taken.end(), [&](const Box& o) { return o.overlaps(b); })) continue;
            taken.push_back(b);
            out.push_back({text, g.g->start, b, g.a, g.b});
            break;
        }
    }
    m_gap_cache = std::make_pair(key, std::move(out));
    return m_gap_cache->second;
}

std::vector<CairoRenderer::GapLabelLine> CairoRenderer::gap_label_lines() const {
    std::vector<GapLabelLine> out;
    if (busy()) return out;
    for (const auto& g : view_gap_labels()) out.push_back({g.box, g.a, g.b});
    return out;
}

std::vector<CairoRenderer::GapLabel> CairoRenderer::gap_labels(TimePoint t) const {
    std::vector<GapLabel> out;
    if (busy()) return out;
    for (const auto& g : view_gap_labels())
        if (t >= g.start) out.push_back({g.text, g.box.x0, g.box.y0});  // once the gap has begun
    return out;
}

std::vector<Box> CairoRenderer::annotation_boxes(TimePoint t) const {
    auto out = annotation_boxes_without_places(t);
    bool with_timeline = false;
    {
        std::lock_guard lock(m_places_mutex);
        if (m_places_cache) with_timeline = m_places_cache->first[4] != 0;
    }
    for (const auto& p : place_layout(with_timeline)) {
        out.push_back(p.box);
        if (p.dot) out.push_back({p.dot->x - 4 * s(), p.dot->y - 4 * s(), p.dot->x + 4 * s(), p.dot->y + 4 * s()});
    }
    return out;
}

std::vector<Box> CairoRenderer::annotation_boxes_without_places(TimePoint t, bool with_places) const {
    // Mirrors draw_routes_and_airports (airport names) and draw_stops_and_gaps (gap labels,
    // stop cards) so aircraft labels keep clear of them.
    const auto& st = m_scene.options().style;
    std::vector<Box> out;
    for (const auto& l : airport_labels(m_last_with_timeline)) {
        out.push_back(l.box);
        if (!l.leader) continue;
        // The leader as a chain of small boxes (pieces of at most 6 px), so labels keep off it.
        const auto [a, b] = *l.leader;
        const int n = std::max(1, static_cast<int>(std::ceil(std::hypot(b.x - a.x, b.y - a.y) / 6.0)));
        for (int k = 0; k < n; ++k) {
            const double ax = a.x + (b.x - a.x) * k / n, ay = a.y + (b.y - a.y) * k / n;
            const double bx = a.x + (b.x - a.x) * (k + 1) / n, by = a.y + (b.y - a.y) * (k + 1) / n;
            out.push_back({std::min(ax, bx) - 1, std::min(ay, by) - 1, std::max(ax, bx) + 1, std::max(ay, by) + 1});
        }
    }
    if (busy()) return out;
    auto text_box = [&](const std::string& text, double x, double y, double size, bool bold, bool right) {
        const auto sz = m_text.measure(text, size, bold);
        return right ? Box{x - sz.width, y, x, y + sz.height} : Box{x, y, x + sz.width, y + sz.height};
    };
    for (const auto& g : gap_labels(t)) out.push_back(text_box(g.text, g.x, g.y, st.font_small * s(), true, false));
    for (const auto& card : stop_cards(t, with_places)) out.push_back({card.x, card.y, card.x + card.w, card.y + card.h});
    return out;
}

bool CairoRenderer::gone(const FlightView& fv, const AircraftState& state, TimePoint t) const noexcept {
    // Busy scenes: an aircraft whose track ended over 2 minutes ago has left the area (or landed):
    // leaving its icon at the last fix piles icons along the edge of the coverage.
    // Likewise between legs and in coverage gaps: nothing is known, and a busy sky has no room
    // for guesses.
    if (!busy()) return false;
    if (state.phase == Phase::unknown || state.phase == Phase::gap) return true;
    return state.phase == Phase::ended && t - fv.flight.points.back().time() > std::chrono::minutes(2);
}

double CairoRenderer::icon_scale() const noexcept { return (busy() ? 1.0 : 1.5) * s(); }

std::vector<CairoRenderer::PlacedLabel> CairoRenderer::label_layout(TimePoint t) const {
    const auto& st = m_scene.options().style;
    const double font = (busy() ? st.font_small : st.font_normal) * s();
    const double r_icon = 9 * icon_scale();  // half the icon's span
    struct Cand {
        std::size_t flight;
        std::string text;
        ScreenPt p;
        double alt;
    };
    std::vector<Cand> cands;
    std::vector<Box> icons;
    const auto& now = aircraft_now(t);
    for (std::size_t fi = 0; fi < m_scene.flights().size(); ++fi) {
        const auto& fv = m_scene.flights()[fi];
        const auto& state = now[fi].state;
        if (!state || gone(fv, *state, t)) continue;
        const auto& p = now[fi].p;
        if (!p) continue;
        icons.push_back({p->x - r_icon, p->y - r_icon, p->x + r_icon, p->y + r_icon});
        if (busy() && state->phase == Phase::ended) continue;  // long gone: no label in a busy sky
        std::string line2;
        switch (state->phase) {
            case Phase::stopped: line2 = "on ground"; break;
            case Phase::gap: line2 = "no data (position estimated)"; break;
            case Phase::unknown: line2 = "no data"; break;
            case Phase::ground: line2 = "taxiing"; break;
            case Phase::ended: {
                // A track that ends on the ground landed; one that ends in the air was last seen.
                const auto& legs = fv.analysis.legs;
                if (!legs.empty() && legs.back().landing_time)
                    line2 = "landed" + (legs.back().arrival_airport ? " at " + legs.back().arrival_airport->icao : std::string()) + " " +
                            short_utc(*legs.back().landing_time);
                else
                    line2 = "last seen " + short_utc(fv.flight.points.back().time());
                break;
            }
            default: {
                char buf[64];
                std::snprintf(buf, sizeof buf, " · %.0f kt", state->ground_speed ? state->ground_speed->kt() : 0.0);
                line2 = altitude_text(state->altitude) + (state->ground_speed ? buf : "");
            }
        }
        // Busy scenes: one line (callsign and altitude) so more labels fit.
        std::string text =
            aircraft_label_name(fv.flight.aircraft) +
            (busy() ? (state->phase == Phase::airborne ? " " + altitude_text(state->altitude) : std::string()) : "\n" + line2);
        cands.push_back({fi, std::move(text), *p, state->altitude ? state->altitude->m() : -1.0});
    }
    // Most important first: in busy scenes the highest aircraft (en-route traffic reads better
    // than the crowd at the airport), else flight order; ties by flight order (deterministic).
    if (busy()) std::stable_sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) { return a.alt > b.alt; });
    std::vector<LabelRequest> req;
    for (const auto& c : cands) {
        const auto sz = m_text.measure(c.text, font, true);
        req.push_back({c.p, sz.width, sz.height});
    }
    // Keep clear of the clock and figures (top-left) and the bottom HUD rows.
    const double W = m_scene.options().width, H = m_scene.options().height;
    const auto notes = annotation_boxes(t);
    icons.insert(icons.end(), notes.begin(), notes.end());
    for (const auto& b : frame_layout(m_last_with_timeline).boxes()) icons.push_back(b);
    if (m_last_info && m_last_info->t == t)
        if (const auto hold = hold_banner(*m_last_info)) icons.push_back(hold->box);
    auto placed = place_labels(req, icons, W, H, r_icon + 4 * s(), 2 * s(), busy() ? 60 : 10'000);
    std::vector<PlacedLabel> out;
    for (std::size_t i = 0; i < cands.size(); ++i)
        if (placed[i]) out.push_back({cands[i].flight, cands[i].text, *placed[i], font});
    return out;
}

void CairoRenderer::draw_hud(cairo_t* cr, const FrameInfo& f) const {
    const auto& st = m_scene.options().style;
    const auto& opt = m_scene.options();
    const double m = 24 * s(), pad = 12 * s();
    cairo_save(cr);
    // Clock (and the replay speed in videos).
    std::string clock = utc_clock(f.t);
    std::string sub;
    if (f.timeline) {
        const auto& seg = f.timeline->segment_at(f.video_s);
        char buf[64];
        std::snprintf(buf, sizeof buf, "replay %.0fx", f.speed.value_or(f.timeline->speed()));
        sub = seg.kind == SegmentKind::hold ? "fast-forward" : buf;
    }
    // Local time beside UTC (--tz): under the (first) aircraft, or in the chosen zone.
    if (m_local.enabled()) {
        std::optional<std::string> zone;
        if (!m_local.automatic())
            zone = opt.tz;
        else
            for (const auto& a : aircraft_now(f.t))
                if (a.state) {
                    zone = m_local.zone_at(a.state->position);
                    break;
                }
        if (zone)
            sub = (m_local.automatic() ? "local " : *zone + " ") + format_local(f.t, *zone, true) +
                  (m_local.automatic() ? " (" + *zone + ")" : "") + (sub.empty() ? "" : "\n" + sub);
    }
    const auto& L = frame_layout(f.timeline != nullptr);
    if (const auto* cb = L.find(layout::Role::clock)) {
        if (cb->variant == 1) {  // compact: the date over the time, nothing more
            if (const auto sp = clock.find(' '); sp != std::string::npos) clock[sp] = '\n';
            sub.clear();
        }
        cairo_save(cr);
        cairo_translate(cr, cb->box.x0 - m * cb->k, cb->box.y0 - m * cb->k);  // drawn as designed at (m, m)
        cairo_scale(cr, cb->k, cb->k);
        const auto c = m_text.measure(clock, st.font_large * s(), true);
        const auto d = sub.empty() ? TextSize{} : m_text.measure(sub, st.font_small * s());
        const double w = std::max(c.width, d.width) + 2 * pad, h = c.height + d.height + 2 * pad;
        rounded_rect(cr, m, m, w, h, 6 * s());
        set(cr, st.card_bg);
        fill_preserve(cr);
        set(cr, st.card_border);
        cairo_set_line_width(cr, 1 * s());
        stroke(cr);
        text(cr, clock, m + pad, m + pad, st.font_large * s(), st.text, true);
        if (!sub.empty()) text(cr, sub, m + pad, m + pad + c.height, st.font_small * s(), st.text);
        cairo_restore(cr);
    }
    // Hold card: what the fast-forward skips.
    if (const auto hold = hold_banner(f)) {
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
            fill_preserve(cr);
            set(cr, st.stop);
            cairo_set_line_width(cr, 2.5 * s());
            stroke(cr);
            text(cr, seg.caption, w / 2, cy + pad, st.font_large * s(), st.stop, true, Align::center);
            cairo_restore(cr);
        }
    }
    cairo_restore(cr);
    if (opt.profile) draw_profile(cr, f);
    // The bar last: incremental frames draw it over everything else, on a layer of its own.
    if (f.timeline && opt.timeline_bar && !m_defer_bar && L.find(layout::Role::timeline_bar)) draw_timeline_bar(cr, f, bar_top());
}

double CairoRenderer::bar_top() const {
    const auto* p = frame_layout(true).find(layout::Role::timeline_bar);
    return p ? p->box.y0 : m_scene.options().height;
}

std::optional<layout::MovingFit> CairoRenderer::hold_banner(const FrameInfo& f) const {
    if (!f.timeline) return std::nullopt;
    const auto& seg = f.timeline->segment_at(f.video_s);
    if (seg.kind != SegmentKind::hold || seg.caption.empty()) return std::nullopt;
    const auto& st = m_scene.options().style;
    const double pad = 12 * s(), W = m_scene.options().width, H = m_scene.options().height;
    const auto sz = m_text.measure(seg.caption, st.font_large * s(), true);
    const double w = sz.width + 3 * pad, h = sz.height + 2 * pad;
    // Bottom centre above the furniture's bottom row, else the middle of the frame; clear of
    // all furniture, shrunk to the text floor if need be.
    const auto& L = frame_layout(true);
    double bottom = H;
    for (const auto& p : L.items)
        if (p.box.y0 > H / 2) bottom = std::min(bottom, p.box.y0);
    const double g = 16 * s();
    std::vector<layout::Candidate> c{{W / 2 - w / 2, bottom - g - h}, {W / 2 - w / 2, H * 0.62 - h / 2}, {W / 2 - w / 2, H / 2 - h / 2}};
    for (double y = bottom - g - h; y > 0; y -= h / 2)
        for (double fx : {0.5, 0.3, 0.7}) c.push_back({W * fx - w / 2, y});
    const double k_min = std::min(1.0, layout::kMinTextPx / (st.font_large * s()));
    // Clear of the furniture, the place names (drawn on the cached map) and the gap labels.
    auto taken = L.boxes();
    for (const auto& p : place_layout(true)) taken.push_back(p.box);
    for (const auto& gl : view_gap_labels()) taken.push_back(gl.box);
    for (const auto& al : airport_labels(true)) taken.push_back(al.box);
    // Nowhere clear (small frames): it yields; the clock still says "fast-forward".
    return layout::place_moving({w, h}, k_min, c, taken, W, H);
}

CairoRenderer::BarRect CairoRenderer::playhead(const FrameInfo& f) const {
    const double m = 24 * s(), x0 = m, x1 = m_scene.options().width - m, h = 22 * s();
    const double cx = x0 + (x1 - x0) * f.video_s / f.timeline->video_duration_s(), y = bar_top();
    return {cx - 1.5 * s(), cx + 1.5 * s(), y, h + 8 * s()};
}

void CairoRenderer::draw_profile(cairo_t* cr, const FrameInfo& f) const {
    // Altitude (filled, left scale) and ground speed (line, right scale) of the first flight
    // over the replay interval, stops and gaps shaded, the current time marked. Top right,
    // under the provenance banner.
    const auto& st = m_scene.options().style;
    const auto& fv = m_scene.flights().front();
    const auto& pts = fv.flight.points;
    const double W = m_scene.options().width, m = 24 * s(), pad = 10 * s();
    const auto* pb = frame_layout(f.timeline != nullptr).find(layout::Role::profile);
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
    fill_preserve(cr);
    set(cr, st.card_border);
    cairo_set_line_width(cr, 1 * s());
    stroke(cr);
    // Stops and gaps.
    for (const auto& stp : fv.analysis.stops) {
        cairo_rectangle(cr, xt(stp.start), py0, std::max(xt(stp.end) - xt(stp.start), 1.0), py1 - py0);
        set(cr, {st.stop.r, st.stop.g, st.stop.b, 0.22});
        fill(cr);
    }
    for (const analysis::Gap* g : fv.analysis.all_gaps()) {
        cairo_rectangle(cr, xt(g->start), py0, std::max(xt(g->end) - xt(g->start), 1.0), py1 - py0);
        set(cr, {st.trail_gap.r, st.trail_gap.g, st.trail_gap.b, 0.25});
        fill(cr);
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
    fill_preserve(cr);
    set(cr, fv.colour);
    cairo_set_line_width(cr, 1.2 * s());
    stroke(cr);
    trace(false);
    set(cr, st.great_circle);
    cairo_set_line_width(cr, 1.6 * s());
    stroke(cr);
    // Now.
    const double xn = xt(f.t);
    cairo_move_to(cr, xn, py0 - 4 * s());
    cairo_line_to(cr, xn, py1 + 4 * s());
    set(cr, st.text);
    cairo_set_line_width(cr, 2 * s());
    stroke(cr);
    const double fs = std::max(st.font_small * 0.8 * s(), layout::kMinTextPx / pb->k);  // >= 8 px as drawn
    char buf[64];
    text(cr, aircraft_label_name(fv.flight.aircraft) + " profile", x0 + pad, y0 + pad - 4 * s(), st.font_small * s(), st.text, true);
    std::snprintf(buf, sizeof buf, "%.0f ft", max_alt);
    text(cr, buf, px0 - 3 * s(), py0 - fs * 0.6, fs, fv.colour, true, Align::right);
    text(cr, "alt", px0 - 3 * s(), py1 - fs * 1.2, fs, fv.colour, true, Align::right);
    std::snprintf(buf, sizeof buf, "%.0f kt", max_gs);
    text(cr, buf, px1 + 3 * s(), py0 - fs * 0.6, fs, st.great_circle, true);
    text(cr, "speed", px1 + 3 * s(), py1 - fs * 1.2, fs, st.great_circle, true);
    text(cr, short_utc(m_scene.start()), px0, py1 + 2 * s(), fs, st.text);
    text(cr, short_utc(m_scene.end()), px1, py1 + 2 * s(), fs, st.text, false, Align::right);
    cairo_restore(cr);
}

void CairoRenderer::draw_static_hud(cairo_t* cr, bool with_timeline, const Furniture& furniture) const {
    // Every box at the rectangle the frame layout gives it; blocks drawn as designed from
    // their top-left, scaled by the layout's k.
    const auto& st = m_scene.options().style;
    const auto& L = frame_layout(with_timeline);
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

void CairoRenderer::draw_banner(cairo_t* cr, const Box& box, const layout::LaidText& text, double corner) const {
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

void CairoRenderer::draw_legend_item(cairo_t* cr, const LegendItem& item, double x, double y, double px, double k) const {
    const auto& st = m_scene.options().style;
    if (item.ring) {  // as the map draws an airport
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

double CairoRenderer::legend_item_width(const LegendItem& item, double px, double k) const {
    return 54 * k + m_text.measure(item.text, px).width;
}

std::optional<ScaleBar> CairoRenderer::drawn_scale_bar(bool with_timeline) const {
    if (!m_scene.options().scale_bar) return std::nullopt;
    // In the box the frame layout gives it; where that is off the map (beside a globe), a
    // shorter bar whose ends are both on it, else none.
    const auto* p = frame_layout(with_timeline).find(layout::Role::scale_bar);
    if (!p) return std::nullopt;
    // Where the slot is off the map (beside a globe), move in toward the centre, in steps of
    // 1/40 of the frame, to the first place where the whole bar is on the map and its box
    // clear of the other furniture.
    const auto& L = frame_layout(with_timeline);
    const double W = m_scene.options().width, H = m_scene.options().height;
    const double x1 = p->box.x1 - 8 * s(), y = p->box.y1 - 12 * s(), max_px = p->box.w() - 16 * s();
    std::optional<ScaleBar> best;
    for (int j = 0; j < 12; ++j)
        for (int i = 0; i < 12; ++i) {
            auto bar = scale_bar(m_scene, {{x1 - i * W / 40, y - j * H / 40}}, max_px);
            if (!bar) continue;
            const Box b = scale_bar_box(*bar);
            if (b.x0 < 0 || b.y0 < 0 || b.x1 > W || b.y1 > H) continue;
            if (std::any_of(L.items.begin(), L.items.end(),
                            [&](const layout::Placed& q) { return q.role != layout::Role::scale_bar && q.box.overlaps(b); }))
                continue;
            if (bar->b.x - bar->a.x >= 0.35 * max_px) return bar;  // as scale_bar: a bar that fills a third of its room
            if (!best || bar->b.x - bar->a.x > best->b.x - best->a.x) best = bar;
        }
    return best;
}

Box CairoRenderer::scale_bar_box(const ScaleBar& bar) const {
    // Mirrors draw_scale_and_north.
    const auto sz = m_text.measure(bar.label, m_scene.options().style.font_small * s(), true);
    return {bar.a.x - 8 * s(), bar.a.y - sz.height - 8 * s(), bar.b.x + 8 * s(), bar.a.y + 6 * s() + 6 * s()};
}

void CairoRenderer::draw_scale_and_north(cairo_t* cr, const Furniture& furniture) const {
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
    const auto& L = frame_layout(furniture.with_timeline);
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

// Tick labels at the text floor or larger; frames under 640 px wide get tick marks only.
bool CairoRenderer::tick_labels() const noexcept { return m_scene.options().width >= 640; }
double CairoRenderer::tick_font_px() const noexcept { return std::max(layout::kMinTextPx, m_scene.options().style.font_small * 0.8 * s()); }
double CairoRenderer::tick_band() const noexcept { return tick_labels() ? tick_font_px() * 1.35 + 2 * s() : 2 * s(); }
double CairoRenderer::bar_height(bool with_timeline) const noexcept {
    return m_scene.options().timeline_bar && with_timeline ? 34 * s() + tick_band() : 0;
}

void CairoRenderer::ensure_bar_cache(const FrameInfo& f, double y) const {
    const auto& opt = m_scene.options();
    const double h = 22 * s();
    const auto& tl = *f.timeline;
    const double total = tl.video_duration_s();
    if (!m_bar_cache || m_bar_timeline != &tl || m_bar_y != y || m_bar_total != total) {
        // Whole pixel rows around the bar, so painting the cache back needs no resampling.
        m_bar_y0 = static_cast<int>(std::floor(y)) - 1;
        const int rows = static_cast<int>(std::ceil(y + h + 8 * s() + tick_band())) + 1 - m_bar_y0;
        m_bar_cache = make_image_surface(opt.width, rows);
        auto c = make_context(m_bar_cache.get());
        cairo_translate(c.get(), 0, -m_bar_y0);
        draw_timeline_bar_background(c.get(), f, y);
        check(c.get(), "drawing the timeline bar");
        cairo_surface_flush(m_bar_cache.get());
        m_bar_timeline = &tl, m_bar_y = y, m_bar_total = total;
        ++m_bar_generation;
    }
}

void CairoRenderer::draw_timeline_bar(cairo_t* cr, const FrameInfo& f, double y, const TileDamage* only) const {
    const auto& st = m_scene.options().style;
    const auto& opt = m_scene.options();
    ensure_bar_cache(f, y);
    const auto ph = playhead(f);
    const double cx = (ph.x0 + ph.x1) / 2;
    cairo_save(cr);
    if (only) {  // device-space tiles (incremental frames: no transformation)
        only->for_each_run([&](int x0, int y0, int x1, int y1) {
            if (y1 > m_bar_y0 && y0 < m_bar_y0 + cairo_image_surface_get_height(m_bar_cache.get()))
                cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
        });
        cairo_clip(cr);
    }
    cairo_set_source_surface(cr, m_bar_cache.get(), 0, m_bar_y0);
    cairo_paint(cr);
    note(cr, {0, static_cast<double>(m_bar_y0), static_cast<double>(opt.width),
              static_cast<double>(m_bar_y0 + cairo_image_surface_get_height(m_bar_cache.get()))});
    cairo_restore(cr);
    cairo_move_to(cr, cx, y);
    cairo_line_to(cr, cx, y + ph.h);
    set(cr, st.text);
    cairo_set_line_width(cr, 3 * s());
    stroke(cr);
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

std::vector<int> CairoRenderer::airborne_counts(const Timeline& tl, int columns) const {
    // Leg intervals as column ranges (video position), summed with a difference array.
    std::vector<int> diff(static_cast<std::size_t>(columns) + 1, 0);
    const double total = tl.video_duration_s();
    for (const auto& fv : m_scene.flights())
        for (const auto& leg : fv.analysis.legs) {
            const double a = tl.video_time(leg.departure_time) / total * columns, b = tl.video_time(leg.arrival_time) / total * columns;
            const int ia = std::clamp(static_cast<int>(std::floor(a)), 0, columns),
                      ib = std::clamp(static_cast<int>(std::ceil(b)), 0, columns);
            if (ib <= ia) continue;
            ++diff[static_cast<std::size_t>(ia)];
            --diff[static_cast<std::size_t>(ib)];
        }
    std::vector<int> out(static_cast<std::size_t>(columns));
    int run = 0;
    for (int i = 0; i < columns; ++i) out[static_cast<std::size_t>(i)] = run += diff[static_cast<std::size_t>(i)];
    return out;
}

void CairoRenderer::draw_timeline_bar_background(cairo_t* cr, const FrameInfo& f, double y) const {
    const auto& st = m_scene.options().style;
    const auto& opt = m_scene.options();
    const double m = 24 * s(), x0 = m, x1 = opt.width - m, h = 22 * s(), band = tick_band();
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
        const auto counts = airborne_counts(tl, cols);
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
    const double fs = tick_font_px(), ty = by + h + 2 * s();
    double right = x1;
    if (!peak_text.empty() && tick_labels()) {
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
        if (!tick_labels()) continue;  // too small a frame to read them: marks only
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

std::uint32_t CairoRenderer::density_pixel(std::uint32_t count) noexcept {
    // A log scale of counts on inferno, from its dark purple (one sample, half transparent) to
    // its pale yellow end (kDensitySaturation samples and more, opaque).
    static const std::vector<std::uint32_t> table = [] {
        std::vector<std::uint32_t> t(kDensitySaturation + 1, 0);
        for (std::uint32_t n = 1; n <= kDensitySaturation; ++n) {
            const double v = std::log1p(n) / std::log1p(kDensitySaturation);
            const Rgba c = inferno(0.15 + 0.85 * v);
            const double a = 0.5 + 0.5 * v;
            auto ch = [a](double x) { return static_cast<std::uint32_t>(std::lround(std::clamp(x, 0.0, 1.0) * a * 255)); };
            t[n] = (static_cast<std::uint32_t>(std::lround(a * 255)) << 24) | (ch(c.r) << 16) | (ch(c.g) << 8) | ch(c.b);
        }
        return t;
    }();
    return table[std::min(count, kDensitySaturation)];
}

void CairoRenderer::update_heat(TimePoint t, bool with_timeline) const {
    const int cell = kDensityCellPx;
    const int W = m_scene.options().width, H = m_scene.options().height;
    if (m_heat_damage.width() != W || m_heat_damage.height() != H) m_heat_damage = TileDamage(W, H);
    TileDamage* changed = &m_heat_damage;
    bool all = false;
    if (!m_density || !m_density_valid) {
        m_density.emplace(
            m_scene,
            std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::ratio<60>>(density_window_minutes(m_scene.options()))),
            cell);
        m_density_valid = true;
        m_heat = make_image_surface(m_density->cols(), m_density->rows());
        all = true;
    }
    const int cols = m_density->cols(), rows = m_density->rows();
    if (m_heat_layout != (with_timeline ? 1 : 0)) {  // heat stays off the furniture (title, legend, clock...)
        m_heat_layout = with_timeline ? 1 : 0;
        m_heat_mask.assign(static_cast<std::size_t>(cols) * rows, 0);
        for (const auto& p : frame_layout(with_timeline).items) {
            const int x0 = std::max(0, static_cast<int>(std::floor(p.box.x0)) / cell),
                      x1 = std::min(cols - 1, static_cast<int>(std::ceil(p.box.x1)) / cell);
            const int y0 = std::max(0, static_cast<int>(std::floor(p.box.y0)) / cell),
                      y1 = std::min(rows - 1, static_cast<int>(std::ceil(p.box.y1)) / cell);
            for (int y = y0; y <= y1; ++y)
                for (int x = x0; x <= x1; ++x) m_heat_mask[static_cast<std::size_t>(y) * cols + x] = 1;
        }
        all = true;
    }
    m_density->advance(t);
    all = all || m_density->all_changed();
    cairo_surface_flush(m_heat.get());
    auto* data = cairo_image_surface_get_data(m_heat.get());
    const int stride = cairo_image_surface_get_stride(m_heat.get());
    const auto& counts = m_density->counts();
    auto put = [&](std::uint32_t c) {
        const int x = static_cast<int>(c % static_cast<std::uint32_t>(cols)), y = static_cast<int>(c / static_cast<std::uint32_t>(cols));
        reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride)[x] = m_heat_mask[c] ? 0 : density_pixel(counts[c]);
    };
    if (all) {
        for (std::uint32_t c = 0; c < counts.size(); ++c) put(c);
        if (changed) changed->add_all();
    } else {
        for (const auto c : m_density->changed()) {
            put(c);
            if (changed) {
                const double x = static_cast<double>(c % static_cast<std::uint32_t>(cols)) * cell,
                             y = static_cast<double>(c / static_cast<std::uint32_t>(cols)) * cell;
                changed->add({x, y, x + cell, y + cell}, 0);
            }
        }
    }
    cairo_surface_mark_dirty(m_heat.get());
}

void CairoRenderer::paint_heat(cairo_t* cr, const TileDamage* only) const {
    if (!m_heat) return;
    cairo_save(cr);
    if (only) {
        cairo_new_path(cr);
        only->for_each_run([&](int x0, int y0, int x1, int y1) { cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0); });
        cairo_clip(cr);
    }
    cairo_scale(cr, kDensityCellPx, kDensityCellPx);
    cairo_set_source_surface(cr, m_heat.get(), 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_paint(cr);
    cairo_restore(cr);
}

}  // namespace fr::render
