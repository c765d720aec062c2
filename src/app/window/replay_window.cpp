#define GL_GLEXT_PROTOTYPES 1
#include "app/window/replay_window.hpp"

#include <GL/gl.h>
#include <GL/glext.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "app/window/view_session.hpp"
#include "core/error.hpp"
#include "export/png_writer.hpp"
#include "render/frame_state.hpp"
#include "render/style_constants.hpp"

namespace fr::app::window {

namespace {

constexpr double settle_s = 0.25;         // view unchanged this long -> re-draw the static layer
constexpr double follow_rebuild_s = 1.0;  // while following, re-draw at most this often
constexpr double toast_s = 1.5;
constexpr double click_slop_px = 4;      // a press moving less than this is a click, not a drag
constexpr double pick_aircraft_px = 18;  // icon is 24 px nose to tail at 1080 lines
constexpr double pick_trail_px = 7;
constexpr int tile_px = 64;  // overlay tiles: 30x17 at 1080p; a label or card spans a few

// The help overlay: keys and what they do, drawn as two aligned columns.
const std::pair<const char*, const char*> help_rows[] = {
    {"space", "play / pause"},
    {"+ / -", "faster / slower (1x .. 100,000x)"},
    {"left / right", "step one frame (1/30 s of video)"},
    {"click bar", "scrub (drag along the timeline bar)"},
    {"wheel", "zoom about the cursor"},
    {"drag", "pan"},
    {"F", "follow the selected aircraft"},
    {"C", "the scene's camera (--follow, --keyframe) on / off"},
    {"click", "aircraft or trail: info panel"},
    {"L", "labels on / off"},
    {"G", "great circles on / off"},
    {"A", "altitude colours (window only)"},
    {"T", "fading trails on / off"},
    {"Home", "fit all"},
    {"S", "save a PNG still (export renderer)"},
    {"F12", "save a screenshot of the window"},
    {"H", "this help"},
    {"Esc, Q", "quit"},
};

std::string utc(TimePoint t) { return format_iso8601(std::chrono::time_point_cast<std::chrono::seconds>(t)); }

void set(cairo_t* cr, const render::Rgba& c) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a); }

double seg_dist(double px, double py, double ax, double ay, double bx, double by, double* f) {
    const double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
    double k = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
    k = std::clamp(k, 0.0, 1.0);
    *f = k;
    return std::hypot(px - (ax + k * dx), py - (ay + k * dy));
}

/// The 64x64 tiles of an ARGB32 surface with anything drawn on them (a pixel not fully
/// transparent), merged along rows.
std::vector<PixelRect> drawn_rects(cairo_surface_t* surf) {
    const int w = cairo_image_surface_get_width(surf), h = cairo_image_surface_get_height(surf);
    const int stride = cairo_image_surface_get_stride(surf);
    const unsigned char* data = cairo_image_surface_get_data(surf);
    const int tx = (w + tile_px - 1) / tile_px, ty = (h + tile_px - 1) / tile_px;
    std::vector<std::uint8_t> on(static_cast<std::size_t>(tx) * ty, 0);
    for (int y = 0; y < h; ++y) {
        const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::size_t>(y) * stride);
        for (int x = 0; x < w; ++x)
            if (row[x]) on[static_cast<std::size_t>(y / tile_px) * tx + x / tile_px] = 1;
    }
    return tile_runs(on, tx, ty, tile_px, w, h);
}

/// The scene's trail fade in replay seconds, 0 for none: a fade so long that no trail in the
/// replay gets old enough to lose opacity (every segment younger than a fifth of it, the first
/// of the 5 steps) is none, so "--trail-minutes 1000000" keeps the cached whole trails.
double scene_fade_s(const render::Scene& s) {
    const auto m = s.options().trail_minutes;
    if (!m) return 0;
    const double fade_s = *m * 60.0, span_s = std::chrono::duration<double>(s.end() - s.start()).count();
    return span_s < fade_s / 5 ? 0 : fade_s;
}

}  // namespace

ReplayWindow::ReplayWindow(std::vector<Flight> flights, std::vector<analysis::FlightAnalysis> analyses, render::SceneOptions base,
                           const render::TextEngine& text, WindowOptions opt)
    : m_flights(std::move(flights)), m_analyses(std::move(analyses)), m_base(std::move(base)), m_text(text), m_opt(std::move(opt)),
      m_sources(std::make_shared<pipeline::SceneSources>(pipeline::SceneSources::Reuse::session)), m_w(m_opt.width), m_h(m_opt.height) {
    m_base.width = m_w;
    m_base.height = m_h;
    m_base.timeline_bar = true;
    // The home scene fixes the world pixel frame and the CRS for every later view.
    m_home = build_scene(m_base);
    m_base.crs = m_home->projector().crs();
    m_camera = m_camera_pending = m_home->camera().moving();
    m_tl = std::make_unique<Timeline>(make_view_timeline(*m_home, m_opt.duration_s, m_opt.hold_s));
    m_ctl = std::make_unique<ViewController>(*m_tl);

    sf::ContextSettings cs;
    cs.majorVersion = 2;
    cs.minorVersion = 1;
    m_win.create(sf::VideoMode(static_cast<unsigned>(m_w), static_cast<unsigned>(m_h)), m_opt.title, sf::Style::Default, cs);
    if (!m_win.isOpen()) throw RenderError("flightreplay: cannot open a window (is DISPLAY set?)");
    m_win.setPosition({0, 0});  // without a window manager X11 would centre it, partly off-screen
    m_win.setKeyRepeatEnabled(true);
    m_win.setActive(true);
    m_density = m_base.density;
    // Density draws no trails or icons: the heat image needs no shaders (a textured quad), but
    // --no-shaders keeps the all-Cairo path (the overlay paints it).
    m_heat_gl = m_density && m_opt.shaders && TrailLayer::available();
    if (m_opt.shaders && !m_density) {
        try {
            // Busy scenes draw thinned trails (TrailLayer): as many aircraft as the export's busy rule.
            m_trails = std::make_unique<TrailLayer>(*m_home, shader_dir(), m_home->flights().size() > render::kBusyAircraft);
        } catch (const std::exception& e) {
            if (!m_opt.quiet) std::cerr << e.what() << "; drawing trails with Cairo instead\n";
        }
        if (m_trails) try {
                m_icons = std::make_unique<IconLayer>(shader_dir());
            } catch (const std::exception& e) {
                if (!m_opt.quiet) std::cerr << e.what() << "; drawing aircraft with Cairo instead\n";
            }
    }
    m_win.resetGLStates();
    // Trails fade as in an export of this scene: the scene applied the one rule
    // (render::default_trail_minutes: --trail-minutes, else a fade above kFadeAboveAircraft).
    m_look.fade_s = scene_fade_s(*m_home);
    m_view = {};
    render::SceneOptions first = m_base;  // a view is drawn still: the camera moves the window's view
    first.follow.clear();
    first.keyframes.clear();
    set_scene(build_scene(first));
    resize(m_w, m_h);
}

ReplayWindow::~ReplayWindow() {
    if (m_win.isOpen()) m_win.setActive(true);
    m_trails.reset();  // frees GL objects while the context lives
    m_icons.reset();
}

TimePoint ReplayWindow::shown_time() const noexcept {
    return m_ctl->replay_time() + std::chrono::milliseconds(std::llround(m_opt.clock_skew_s * 1000.0));
}

double ReplayWindow::seconds_since(std::chrono::steady_clock::time_point t) const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::unique_ptr<render::Scene> ReplayWindow::build_scene(const render::SceneOptions& o) const {
    // Only projection, clipping and geometry: the files were read for an earlier view (unless
    // this one reaches beyond what was read, or cache_sources is off).
    return std::make_unique<render::Scene>(
        m_flights, m_analyses, o,
        m_opt.cache_sources ? m_sources : std::make_shared<pipeline::SceneSources>(pipeline::SceneSources::Reuse::once));
}

ViewTransform ReplayWindow::scene_view(const render::Scene& s) const noexcept {
    const auto& h = m_home->transform();
    const auto& t = s.transform();
    return {t.scale() / h.scale(), t.px(h.map_x(0)), t.py(h.map_y(0))};
}

void ReplayWindow::set_scene(std::unique_ptr<render::Scene> s) {
    m_scene = std::move(s);
    m_scene_view = scene_view(*m_scene);
    m_renderer = std::make_unique<render::CairoRenderer>(*m_scene, m_text);
    const int sw = m_scene->options().width, sh = m_scene->options().height;
    m_static_surf = render::make_image_surface(sw, sh);  // kept: --style density paints the heat over it
    {
        auto cr = render::make_context(m_static_surf.get());
        m_renderer->draw_static_map(cr.get(), true);
        render::check(cr.get(), "drawing the window's static layer");
    }
    cairo_surface_flush(m_static_surf.get());
    // The furniture of this view, over transparency: composited each frame above the trails
    // and aircraft, fixed to the screen (it does not move with a pan or zoom in progress).
    m_furniture = render::make_image_surface(sw, sh);
    {
        auto cr = render::make_context(m_furniture.get());
        m_renderer->draw_static_furniture(cr.get(), true);
        render::check(cr.get(), "drawing the window's furniture");
    }
    cairo_surface_flush(m_furniture.get());
    m_furniture_rects = drawn_rects(m_furniture.get());
    m_win.setActive(true);
    if (m_trails && m_base_gen == m_scene_gen && m_base_complete) {
        // Keep the last complete trail cache: shown moved/scaled while the new one is built.
        std::swap(m_prev, m_cache);
        m_prev_valid = true;
        m_prev_view = m_base_view;
        m_prev_n = m_base_n;
        m_prev_level = m_base_level;
        m_prev_altitude = m_base_altitude;
        m_base_complete = false;
    }
    if (m_static.width() != sw || m_static.height() != sh) m_static = GlImage(sw, sh);
    if (m_cache.width() != sw || m_cache.height() != sh) m_cache = GlImage(sw, sh);
    m_static.upload(m_static_surf.get(), {0, 0, sw, sh});
    ++m_scene_gen;
    m_last_rebuild = std::chrono::steady_clock::now();
}

void ReplayWindow::rebuild_for_view() {
    const auto& h = m_home->transform();
    render::SceneOptions o = m_base;
    o.width = m_w;
    o.height = m_h;
    o.bbox.reset();
    // The screen rectangle in map units (the CRS is the home scene's).
    o.extent = geo::Extent{h.map_x(m_view.wx(0)), h.map_y(m_view.wy(m_h)), h.map_x(m_view.wx(m_w)), h.map_y(m_view.wy(0))};
    // A view is drawn still: the camera (when on) moves the window's view, not the scene.
    o.follow.clear();
    o.keyframes.clear();
    set_scene(build_scene(o));
}

void ReplayWindow::resize(int w, int h) {
    m_w = std::max(w, 16);
    m_h = std::max(h, 16);
    m_win.setView(sf::View(sf::FloatRect(0, 0, static_cast<float>(m_w), static_cast<float>(m_h))));
    m_overlay = render::make_image_surface(m_w, m_h);
    m_overlay_cr = render::make_context(m_overlay.get());
    m_over_tiles.clear();  // a new surface is transparent
    m_win.setActive(true);
    m_frame = GlImage(m_w, m_h);
    m_over = GlImage(m_w, m_h);
    m_last_input = std::chrono::steady_clock::now();
}

void ReplayWindow::note(const std::string& toast) {
    m_toast = toast;
    m_toast_at = std::chrono::steady_clock::now();
}

void ReplayWindow::zoom(double x, double y, double factor) {
    m_view = zoom_about(m_view, x, y, factor);
    if (m_camera) m_camera_adjust = ViewTransform::then(m_camera_view.inverse(), m_view);
    m_last_input = std::chrono::steady_clock::now();
}

void ReplayWindow::pan(double dx, double dy) {
    m_view.ox += dx;
    m_view.oy += dy;
    if (m_camera) m_camera_adjust = ViewTransform::then(m_camera_view.inverse(), m_view);
    m_last_input = std::chrono::steady_clock::now();
}

void ReplayWindow::toggle_camera() {
    if (!m_home->camera().moving()) {
        note("this scene has no camera path (--follow, --keyframe)");
        return;
    }
    m_camera = !m_camera;
    m_camera_adjust = {};
    m_follow = false;
    note(m_camera ? "scene camera on" : "scene camera off");
}

void ReplayWindow::fit_all() {
    render::SceneOptions o = m_base;
    o.width = m_w;
    o.height = m_h;
    o.follow.clear();
    o.keyframes.clear();
    set_scene(build_scene(o));
    m_view = m_scene_view;
    m_follow = m_camera = false;
}

void ReplayWindow::toggle_labels() {
    m_base.labels = !m_base.labels;
    rebuild_for_view();
    note(m_base.labels ? "labels on" : "labels off");
}

void ReplayWindow::toggle_great_circles() {
    m_base.great_circles = !m_base.great_circles;
    rebuild_for_view();
    note(m_base.great_circles ? "great circles on" : "great circles off");
}

bool ReplayWindow::on_timeline_bar(double x, double y) const {
    const auto b = m_renderer->timeline_bar_rect();
    return x >= b.x0 - 6 && x <= b.x1 + 6 && y >= b.y - 4 && y <= b.y + b.h + 4;
}

std::optional<ReplayWindow::Pick> ReplayWindow::pick(double x, double y) const {
    const TimePoint t = shown_time();
    // Aircraft first: the icon at its current position.
    std::optional<Pick> best;
    double best_d = pick_aircraft_px;
    for (std::size_t i = 0; i < m_home->flights().size(); ++i) {
        const auto& fv = m_home->flights()[i];
        const auto st = render::state_at(fv.flight, fv.analysis, t);
        if (!st) continue;
        const auto p = m_home->to_screen(st->position);
        if (!p) continue;
        const double d = std::hypot(m_view.sx(p->x) - x, m_view.sy(p->y) - y);
        if (d < best_d) best_d = d, best = Pick{i, t};
    }
    if (best) return best;
    // Then the trail flown so far: the nearest segment, at the time of the nearest point on it.
    best_d = pick_trail_px;
    for (std::size_t i = 0; i < m_home->flights().size(); ++i)
        for (const auto& piece : m_home->flights()[i].trail)
            for (std::size_t k = 1; k < piece.v.size(); ++k) {
                const auto& a = piece.v[k - 1];
                const auto& b = piece.v[k];
                if (a.t > t) break;
                double f = 0;
                const double d = seg_dist(x, y, m_view.sx(a.x), m_view.sy(a.y), m_view.sx(b.x), m_view.sy(b.y), &f);
                if (d < best_d) {
                    const TimePoint at = a.t + std::chrono::duration_cast<Duration>((b.t - a.t) * f);
                    best_d = d, best = Pick{i, std::min(at, t)};
                }
            }
    return best;
}

void ReplayWindow::click(double x, double y) {
    if (on_timeline_bar(x, y)) {
        const auto b = m_renderer->timeline_bar_rect();
        m_ctl->set_video_s(bar_video_time(x, b.x0, b.x1, m_tl->video_duration_s()));
        return;
    }
    const auto p = pick(x, y);
    if (!p) {
        m_info.reset();
        return;
    }
    m_selected = p->flight;
    m_info = p;
    m_info_live = p->t == shown_time();
}

bool ReplayWindow::process_events() {
    sf::Event e;
    static const bool trace = std::getenv("FR_WINDOW_TRACE") != nullptr;  // debugging: log input events
    while (m_win.pollEvent(e)) {
        if (trace) {
            if (e.type == sf::Event::MouseButtonPressed || e.type == sf::Event::MouseButtonReleased)
                std::cerr << "event mouse " << (e.type == sf::Event::MouseButtonPressed ? "down " : "up ") << e.mouseButton.x << ","
                          << e.mouseButton.y << "\n";
            else if (e.type == sf::Event::KeyPressed)
                std::cerr << "event key " << e.key.code << "\n";
            else if (e.type == sf::Event::MouseWheelScrolled)
                std::cerr << "event wheel " << e.mouseWheelScroll.delta << " at " << e.mouseWheelScroll.x << "," << e.mouseWheelScroll.y
                          << "\n";
        }
        switch (e.type) {
            case sf::Event::Closed: m_win.close(); return false;
            case sf::Event::Resized: resize(static_cast<int>(e.size.width), static_cast<int>(e.size.height)); break;
            case sf::Event::KeyPressed:
                switch (e.key.code) {
                    case sf::Keyboard::Escape:
                    case sf::Keyboard::Q: m_win.close(); return false;
                    case sf::Keyboard::Space:
                        m_ctl->toggle_play();
                        note(m_ctl->paused() ? "paused" : "playing");
                        break;
                    case sf::Keyboard::Add:
                    case sf::Keyboard::Equal:
                        m_ctl->faster();
                        note("speed " + std::to_string(static_cast<long long>(m_ctl->speed())) + "x");
                        break;
                    case sf::Keyboard::Subtract:
                    case sf::Keyboard::Hyphen:
                        m_ctl->slower();
                        note("speed " + std::to_string(static_cast<long long>(m_ctl->speed())) + "x");
                        break;
                    case sf::Keyboard::Left: m_ctl->step(-1); break;
                    case sf::Keyboard::Right: m_ctl->step(1); break;
                    case sf::Keyboard::F:
                        if (!m_selected && !m_home->flights().empty()) m_selected = 0;
                        m_follow = !m_follow;
                        if (m_follow) m_camera = false;
                        note(m_follow ? "following " + m_home->flights()[*m_selected].flight.aircraft.display_name() : "follow off");
                        break;
                    case sf::Keyboard::C: toggle_camera(); break;
                    case sf::Keyboard::L: toggle_labels(); break;
                    case sf::Keyboard::G: toggle_great_circles(); break;
                    case sf::Keyboard::A:
                        m_look.altitude_colours = !m_look.altitude_colours;
                        note(m_density  ? "the density style draws no trails"
                             : m_trails ? (m_look.altitude_colours ? "altitude colours" : "flight colours")
                                        : "altitude colours need shaders");
                        break;
                    case sf::Keyboard::T:
                        // Off, or the scene's fade (the busy-sky default where it has none).
                        m_look.fade_s = m_look.fade_s > 0 ? 0 : std::max(scene_fade_s(*m_home), render::kBusyTrailMinutes * 60.0);
                        note(m_density  ? "the density style draws no trails"
                             : m_trails ? (m_look.fade_s > 0 ? "fading trails" : "full trails")
                                        : "fading needs shaders");
                        break;
                    case sf::Keyboard::Home: fit_all(); break;
                    case sf::Keyboard::S: m_want_still = true; break;
                    case sf::Keyboard::F12: m_want_screenshot = true; break;
                    case sf::Keyboard::H: m_help = !m_help; break;
                    default: break;
                }
                break;
            case sf::Event::MouseWheelScrolled:
                zoom(e.mouseWheelScroll.x, e.mouseWheelScroll.y, std::pow(1.25, e.mouseWheelScroll.delta));
                break;
            case sf::Event::MouseButtonPressed:
                if (e.mouseButton.button != sf::Mouse::Left) break;
                m_down = true;
                m_dragging = false;
                m_down_x = m_last_x = e.mouseButton.x;
                m_down_y = m_last_y = e.mouseButton.y;
                m_scrubbing = on_timeline_bar(m_down_x, m_down_y);
                if (m_scrubbing) click(m_down_x, m_down_y);
                break;
            case sf::Event::MouseMoved: {
                const double x = e.mouseMove.x, y = e.mouseMove.y;
                if (m_down) {
                    if (m_scrubbing) {
                        const auto b = m_renderer->timeline_bar_rect();
                        m_ctl->set_video_s(bar_video_time(x, b.x0, b.x1, m_tl->video_duration_s()));
                    } else {
                        if (std::hypot(x - m_down_x, y - m_down_y) >= click_slop_px) m_dragging = true;
                        if (m_dragging) {
                            pan(x - m_last_x, y - m_last_y);
                            m_follow = false;
                        }
                    }
                }
                m_last_x = x, m_last_y = y;
                break;
            }
            case sf::Event::MouseButtonReleased:
                if (e.mouseButton.button != sf::Mouse::Left || !m_down) break;
                if (!m_scrubbing && !m_dragging) click(e.mouseButton.x, e.mouseButton.y);
                m_down = m_dragging = m_scrubbing = false;
                break;
            default: break;
        }
    }
    return m_win.isOpen();
}

void ReplayWindow::update(double wall_s) {
    m_ctl->tick(wall_s);
    if (m_camera) {
        // The export's camera at the shown time, as a view of the home scene's pixels.
        if (const auto cv = m_home->camera().view_at(*m_home, shown_time())) {
            const auto e = render::camera_extent(*m_home, *cv);
            const auto& h = m_home->transform();
            m_camera_view = view_showing(h.px(e.xmin), h.py(e.ymax), h.px(e.xmax), h.py(e.ymin), m_w, m_h);
            m_view = ViewTransform::then(m_camera_view, m_camera_adjust);
        }
    }
    if (m_follow && m_selected) {
        const auto& fv = m_home->flights()[*m_selected];
        if (const auto st = render::state_at(fv.flight, fv.analysis, shown_time()))
            if (const auto p = m_home->to_screen(st->position)) {
                m_view.ox = m_w / 2.0 - p->x * m_view.k;
                m_view.oy = m_h / 2.0 - p->y * m_view.k;
            }
    }
    const bool size_differs = m_scene->options().width != m_w || m_scene->options().height != m_h;
    const bool view_differs = !m_view.near(m_scene_view, m_w);
    if ((size_differs || view_differs) && !m_down &&
        (m_camera_pending || seconds_since(m_last_input) > settle_s ||
         ((m_follow || m_camera) && seconds_since(m_last_rebuild) > follow_rebuild_s)))
        rebuild_for_view();
    m_camera_pending = false;
}

void ReplayWindow::draw_panels(cairo_t* cr) {
    const auto& st = m_base.style;
    const double s = m_h / 1080.0, pad = 12 * s, m = 24 * s;
    auto card = [&](double x, double y, double w, double h, const render::Rgba& border) {
        cairo_new_path(cr);
        cairo_rectangle(cr, x, y, w, h);
        set(cr, st.card_bg);
        cairo_fill_preserve(cr);
        set(cr, border);
        cairo_set_line_width(cr, 1.5 * s);
        cairo_stroke(cr);
    };
    if (m_info) {
        const auto& fv = m_home->flights()[m_info->flight];
        const TimePoint t = m_info_live ? shown_time() : m_info->t;
        const std::string text = info_text(fv, t);
        const double fs = st.font_small * s;
        const auto sz = m_text.measure(text, fs);
        const double w = sz.width + 2 * pad, h = sz.height + 2 * pad, x = m_w - m - w, y = m_h * 0.22;
        card(x, y, w, h, fv.colour);
        m_text.draw(cr, text, x + pad, y + pad, fs, st.text);
        if (!m_info_live) {  // mark the clicked trail point
            if (const auto stt = render::state_at(fv.flight, fv.analysis, t))
                if (const auto p = m_home->to_screen(stt->position)) {
                    cairo_new_path(cr);
                    cairo_arc(cr, m_view.sx(p->x), m_view.sy(p->y), 7 * s, 0, 2 * M_PI);
                    set(cr, fv.colour);
                    cairo_set_line_width(cr, 3 * s);
                    cairo_stroke(cr);
                }
        }
    }
    if (m_help) draw_help(cr);
    if (!m_toast.empty() && seconds_since(m_toast_at) < toast_s) {
        std::string text = m_toast;
        if (m_toast == "playing" || m_toast == "paused") text += " · speed " + std::to_string(static_cast<long long>(m_ctl->speed())) + "x";
        const double fs = st.font_normal * s;
        const auto sz = m_text.measure(text, fs, true);
        const double w = sz.width + 2 * pad, h = sz.height + pad, x = (m_w - w) / 2, y = m_h * 0.12;
        card(x, y, w, h, st.card_border);
        m_text.draw(cr, text, x + pad, y + pad / 2, fs, st.text, true);
    }
}

void ReplayWindow::draw_help(cairo_t* cr) {
    const auto& st = m_base.style;
    // Text scale as the renderer's: 1 at 1080 lines, not below 0.6.
    const double s = render::ui_scale(m_w, m_h);
    // Room: below the furniture at the top of the frame (clock, banner, title) and above the
    // timeline bar, inside the margins.
    double top = 24 * s, bottom = m_h - 24 * s;
    if (m_scene->options().width == m_w && m_scene->options().height == m_h) {
        for (const auto& p : m_renderer->frame_layout(true).items) {
            using render::layout::Role;
            if (p.role == Role::clock || p.role == Role::banner || p.role == Role::title || p.role == Role::subtitle ||
                p.role == Role::statistics) {
                if (p.box.y1 < m_h / 2.0) top = std::max(top, p.box.y1 + 8 * s);
            } else if (p.role == Role::timeline_bar) {
                bottom = std::min(bottom, p.box.y0 - 8 * s);
            }
        }
    }
    const double room_w = m_w - 48 * s, room_h = bottom - top;
    // Largest font from the design size down to the text floor at which the rows fit, in one
    // block of two columns or, if that is too tall, in two blocks side by side.
    const std::size_t n = std::size(help_rows);
    struct Fit {
        double fs = 0, pad = 0, key_w = 0, desc_w = 0, line_h = 0, gap = 0, w = 0, h = 0;
        std::size_t per_block = 0;
    } fit;
    for (double fs = st.font_normal * s;; fs = std::max(render::layout::kMinTextPx, fs * 0.9)) {
        Fit f;
        f.fs = fs;
        f.pad = fs * 0.8;
        f.gap = fs * 1.2;
        for (const auto& [k, d] : help_rows) {
            const auto ks = m_text.measure(k, fs, true), ds = m_text.measure(d, fs);
            f.key_w = std::max(f.key_w, ks.width);
            f.desc_w = std::max(f.desc_w, ds.width);
            f.line_h = std::max({f.line_h, ks.height, ds.height});
        }
        for (std::size_t blocks = 1; blocks <= 2; ++blocks) {
            f.per_block = (n + blocks - 1) / blocks;
            f.w = static_cast<double>(blocks) * (f.key_w + f.gap + f.desc_w) + static_cast<double>(blocks - 1) * 2 * f.gap + 2 * f.pad;
            f.h = static_cast<double>(f.per_block) * f.line_h + 2 * f.pad;
            if (f.w <= room_w && f.h <= room_h) break;
        }
        fit = f;
        if ((f.w <= room_w && f.h <= room_h) || fs <= render::layout::kMinTextPx) break;
    }
    const double x = std::round((m_w - fit.w) / 2), y = std::round(std::max(top, top + (room_h - fit.h) / 2));
    cairo_new_path(cr);
    cairo_rectangle(cr, x, y, fit.w, fit.h);
    set(cr, st.card_bg);
    cairo_fill_preserve(cr);
    set(cr, st.card_border);
    cairo_set_line_width(cr, 1.5 * s);
    cairo_stroke(cr);
    for (std::size_t i = 0; i < n; ++i) {
        const double bx = x + fit.pad + static_cast<double>(i / fit.per_block) * (fit.key_w + fit.gap + fit.desc_w + 2 * fit.gap);
        const double ry = y + fit.pad + static_cast<double>(i % fit.per_block) * fit.line_h;
        m_text.draw(cr, help_rows[i].first, bx, ry, fit.fs, st.text, true);
        m_text.draw(cr, help_rows[i].second, bx + fit.key_w + fit.gap, ry, fit.fs, st.text);
    }
}

void ReplayWindow::draw_overlay() {
    cairo_t* cr = m_overlay_cr.get();
    cairo_surface_t* surf = m_overlay.get();
    const int tx = (m_w + tile_px - 1) / tile_px, ty = (m_h + tile_px - 1) / tile_px;
    unsigned char* data = cairo_image_surface_get_data(surf);
    const int stride = cairo_image_surface_get_stride(surf);
    // Clear only what the last frame drew on.
    cairo_surface_flush(surf);
    if (m_over_tiles.size() != static_cast<std::size_t>(tx) * ty) {
        std::memset(data, 0, static_cast<std::size_t>(stride) * m_h);
        m_over_tiles.assign(static_cast<std::size_t>(tx) * ty, 0);
    } else {
        for (int j = 0; j < ty; ++j)
            for (int i = 0; i < tx; ++i) {
                if (!m_over_tiles[static_cast<std::size_t>(j) * tx + i]) continue;
                const int x0 = i * tile_px, x1 = std::min(m_w, x0 + tile_px), y1 = std::min(m_h, (j + 1) * tile_px);
                for (int y = j * tile_px; y < y1; ++y) std::memset(data + static_cast<std::size_t>(y) * stride + x0 * 4, 0, (x1 - x0) * 4);
            }
    }
    cairo_surface_mark_dirty(surf);

    const render::FrameInfo f{shown_time(), m_tl.get(), m_ctl->video_s(), m_ctl->speed()};
    // Map-anchored parts under the pan/zoom not yet re-drawn: the identity once settled (up to
    // rounding: scene_view() divides scales), a translation while panning. Only a zoom in
    // progress gets a scale, so text otherwise keeps a translation-only CTM, and TextEngine::draw
    // composites each label from its cached image instead of laying out and stroking it again.
    const ViewTransform rel = ViewTransform::then(m_scene_view.inverse(), m_view);
    const double tol = 0.01;  // pixels across the window
    const bool scaled = std::abs(rel.k - 1) * std::max(m_w, m_h) >= tol;
    // In the export's order: trails (Cairo fallback) and gap labels, stop cards, aircraft. What
    // is on the map is drawn under the pan/zoom in progress; the stop cards stay fixed to the
    // screen (their leaders and rings follow the airport).
    auto on_map = [&](const render::CairoRenderer::DynamicLayers& layers) {
        cairo_save(cr);
        if (scaled || std::abs(rel.ox) >= tol || std::abs(rel.oy) >= tol) cairo_translate(cr, rel.ox, rel.oy);
        if (scaled) cairo_scale(cr, rel.k, rel.k);
        m_renderer->draw_dynamic(cr, f, layers);
        cairo_restore(cr);
    };
    render::CairoRenderer::DynamicLayers under;
    under.trails = !m_trails && !m_heat_gl;  // --no-shaders: Cairo's trails, or its heat (density)
    under.stop_cards = under.aircraft = under.hud = false;
    on_map(under);
    // Density draws no stop cards (the export's draw_dynamic leaves them out).
    if (!m_density) m_renderer->draw_stop_cards(cr, f.t, render::CairoRenderer::PixelShift{rel.k, rel.ox, rel.oy});
    render::CairoRenderer::DynamicLayers aircraft;
    aircraft.trails = aircraft.annotations = aircraft.stop_cards = aircraft.hud = false;
    aircraft.aircraft_icons = !gpu_icons();
    on_map(aircraft);
    // Over all of that, fixed to the screen: the furniture, then the clock, hold banner and bar.
    for (const auto& r : m_furniture_rects) cairo_rectangle(cr, r.x, r.y, r.w, r.h);
    cairo_save(cr);
    cairo_clip(cr);
    cairo_set_source_surface(cr, m_furniture.get(), 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
    render::CairoRenderer::DynamicLayers hud;
    hud.trails = hud.annotations = hud.stop_cards = hud.aircraft = false;
    m_renderer->draw_dynamic(cr, f, hud);
    draw_panels(cr);
    render::check(cr, "drawing the window overlay");
    cairo_surface_flush(surf);

    // Which tiles hold anything (any non-zero premultiplied pixel), merged into row runs.
    std::fill(m_over_tiles.begin(), m_over_tiles.end(), 0);
    for (int y = 0; y < m_h; ++y) {
        const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::size_t>(y) * stride);
        std::uint8_t* flags = &m_over_tiles[static_cast<std::size_t>(y / tile_px) * tx];
        for (int i = 0; i < tx; ++i) {
            if (flags[i]) continue;
            const int x0 = i * tile_px, x1 = std::min(m_w, x0 + tile_px);
            std::uint32_t acc = 0;
            for (int x = x0; x < x1; ++x) acc |= row[x];
            flags[i] = acc != 0;
        }
    }
    m_over_rects.clear();
    for (int j = 0; j < ty; ++j)
        for (int i = 0; i < tx;) {
            if (!m_over_tiles[static_cast<std::size_t>(j) * tx + i]) {
                ++i;
                continue;
            }
            int e = i;
            while (e < tx && m_over_tiles[static_cast<std::size_t>(j) * tx + e]) ++e;
            const int x0 = i * tile_px, y0 = j * tile_px;
            m_over_rects.push_back({x0, y0, std::min(m_w, e * tile_px) - x0, std::min(m_h, y0 + tile_px) - y0});
            i = e;
        }
}

void ReplayWindow::update_heat(const render::FrameInfo& f) {
    // The renderer's own heat image (FrameCache::heat: the DensityGrid brought to f.t, cells
    // under the furniture left clear), taken through the public drawing call: draw_dynamic's
    // trails layer paints it magnified kDensityCellPx times (nearest), so under a CTM scaled by
    // 1 / kDensityCellPx (0.5 * 2 is exactly 1) with CAIRO_OPERATOR_SOURCE it lands here pixel
    // for pixel: the window shows the export's heat, not a copy of its code.
    const int cell = render::kDensityCellPx;
    const int W = m_scene->options().width, H = m_scene->options().height;
    const int cols = (W + cell - 1) / cell, rows = (H + cell - 1) / cell;
    bool all = m_heat_base_gen != m_scene_gen;
    if (!m_heat || cairo_image_surface_get_width(m_heat.get()) != cols || cairo_image_surface_get_height(m_heat.get()) != rows) {
        m_heat = render::make_image_surface(cols, rows);
        m_heat_cr = render::make_context(m_heat.get());
        m_heat_base = render::make_image_surface(W, H);
        m_heat_base_gl = GlImage(W, H);
        all = true;
    }
    cairo_t* cr = m_heat_cr.get();
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_scale(cr, 1.0 / cell, 1.0 / cell);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    render::CairoRenderer::DynamicLayers heat;
    heat.annotations = heat.stop_cards = heat.aircraft = heat.hud = false;
    m_renderer->draw_dynamic(cr, f, heat);
    cairo_restore(cr);
    render::check(cr, "copying the density heat image");
    cairo_surface_flush(m_heat.get());
    const render::DensityGrid* grid = m_renderer->density_grid();
    if (!grid || grid->cols() != cols || grid->rows() != rows || grid->all_changed()) all = true;
    m_heat_base_gen = m_scene_gen;
    // The heat over the static layer on the CPU, only where it changed (a full-frame textured
    // quad cost ~15 ms a frame under llvmpipe; a frame changes a few percent of the cells):
    // each cell's 2x2 pixels are the static layer with the cell's colour painted over it as
    // pixman's OVER does (premultiplied: d = s + d (255 - s.alpha) / 255, rounded as pixman).
    const int hs = cairo_image_surface_get_stride(m_heat.get()), ss = cairo_image_surface_get_stride(m_static_surf.get()),
              bs = cairo_image_surface_get_stride(m_heat_base.get());
    const unsigned char* hp = cairo_image_surface_get_data(m_heat.get());
    const unsigned char* sp = cairo_image_surface_get_data(m_static_surf.get());
    unsigned char* bp = cairo_image_surface_get_data(m_heat_base.get());
    const int tx = (W + tile_px - 1) / tile_px, ty = (H + tile_px - 1) / tile_px;
    m_heat_dirty.assign(static_cast<std::size_t>(tx) * ty, 0);
    auto paint_cell = [&](int cx, int cy) {
        const std::uint32_t src = reinterpret_cast<const std::uint32_t*>(hp + static_cast<std::ptrdiff_t>(cy) * hs)[cx];
        const std::uint32_t ia = 255 - (src >> 24);
        const int x0 = cx * cell, y0 = cy * cell, x1 = std::min(W, x0 + cell), y1 = std::min(H, y0 + cell);
        for (int y = y0; y < y1; ++y) {
            const auto* srow = reinterpret_cast<const std::uint32_t*>(sp + static_cast<std::ptrdiff_t>(y) * ss);
            auto* brow = reinterpret_cast<std::uint32_t*>(bp + static_cast<std::ptrdiff_t>(y) * bs);
            for (int x = x0; x < x1; ++x) {
                const std::uint32_t d = srow[x];
                std::uint32_t out = 0;
                for (int sh = 0; sh < 32; sh += 8) {
                    std::uint32_t t = ((d >> sh) & 0xff) * ia + 0x80;
                    t = (t + (t >> 8)) >> 8;
                    out |= std::min<std::uint32_t>(255, t + ((src >> sh) & 0xff)) << sh;
                }
                brow[x] = out;
            }
        }
        m_heat_dirty[static_cast<std::size_t>(y0 / tile_px) * tx + x0 / tile_px] = 1;
    };
    cairo_surface_flush(m_heat_base.get());
    if (all) {
        for (int cy = 0; cy < rows; ++cy)
            for (int cx = 0; cx < cols; ++cx) paint_cell(cx, cy);
    } else {
        for (const auto c : grid->changed())
            paint_cell(static_cast<int>(c % static_cast<std::uint32_t>(cols)), static_cast<int>(c / static_cast<std::uint32_t>(cols)));
    }
    cairo_surface_mark_dirty(m_heat_base.get());
    // Upload the changed tiles, merged along rows.
    for (int j = 0; j < ty; ++j)
        for (int i = 0; i < tx;) {
            if (!m_heat_dirty[static_cast<std::size_t>(j) * tx + i]) {
                ++i;
                continue;
            }
            int e = i;
            while (e < tx && m_heat_dirty[static_cast<std::size_t>(j) * tx + e]) ++e;
            const int x0 = i * tile_px, y0 = j * tile_px;
            m_heat_base_gl.upload(m_heat_base.get(), {x0, y0, std::min(W, e * tile_px) - x0, std::min(H, y0 + tile_px) - y0});
            i = e;
        }
}

bool ReplayWindow::update_base(TimePoint t, const TrailLayer::Target& target, bool in_steps) {
    const std::size_t level = m_trails->level_for(m_scene_view.k);
    const std::size_t want = m_trails->finished_count(level, t);
    if (m_base_gen != m_scene_gen || m_base_altitude != m_look.altitude_colours || level != m_base_level || want < m_base_n) {
        m_cache.copy_from(m_static);
        m_base_gen = m_scene_gen;
        m_base_altitude = m_look.altitude_colours;
        m_base_view = m_scene_view;
        m_base_level = level;
        m_base_n = 0;
    }
    const std::size_t upto = in_steps ? std::min(want, m_base_n + m_opt.trail_rebuild_step) : want;
    if (upto > m_base_n) {
        m_cache.bind_target();
        m_trails->draw_finished_range(level, target, m_base_n, upto, t, m_base.style, m_look);
        m_base_n = upto;
    }
    m_base_complete = m_base_n == want;
    return m_base_complete;
}

void ReplayWindow::draw_fading(std::size_t level, const TrailLayer::Target& target, TimePoint t) {
    // The fading trails' cache of this view (TrailFadeCache), faded onto the frame in one pass,
    // with what was flown since it was brought up to date drawn over it (and the moving tips'
    // caps). It is brought up to date (a pass over every trail in flight) once that is more
    // than kFadeCacheLag of the fade behind, so most frames draw the trails in flight once; it
    // is filled anew (everything not faded out) for a new view or look, or when the clock goes back.
    constexpr double kFadeCacheLag = 1.0 / 60;
    if (!m_fade.valid() || m_fade.width() != m_w || m_fade.height() != m_h) {
        m_fade = TrailFadeCache(m_w, m_h);
        m_fade_t.reset();
    }
    const bool fresh = !m_fade_t || t < *m_fade_t || m_fade_gen != m_scene_gen || m_fade_level != level ||
                       m_fade_altitude != m_look.altitude_colours || m_fade_s != m_look.fade_s;
    if (fresh) {
        m_fade.clear();
        m_fade_gen = m_scene_gen;
        m_fade_level = level;
        m_fade_altitude = m_look.altitude_colours;
        m_fade_s = m_look.fade_s;
        m_fade_rects = m_trails->covered_tiles(level, target);
    }
    const Duration lag{std::llround(m_look.fade_s * kFadeCacheLag * 1000)};
    if (fresh || t - *m_fade_t > lag) {
        m_fade.bind_target();
        m_trails->draw_increment(level, target, fresh ? std::nullopt : m_fade_t, t, m_base.style, m_look);
        m_fade_t = t;
    }
    m_frame.bind_target();
    m_trails->fade_onto(m_fade, m_fade_rects, t, m_look);
    m_trails->draw_over_cache(level, target, *m_fade_t, t, m_base.style, m_look);
}

bool ReplayWindow::gpu_icons() const noexcept {
    // Busy scenes only (CairoRenderer draws them smaller from 13 aircraft on): there Cairo's
    // fill + stroke per icon is the largest cost of a frame. With a few aircraft Cairo's icons
    // cost nothing and keep the window pixel-close to the exports (tests/window).
    constexpr std::size_t busy_from = 13;
    return m_icons && m_scene->flights().size() >= busy_from;
}

void ReplayWindow::draw() {
    auto t0 = std::chrono::steady_clock::now();
    auto stamp = [&](double& slot) {
        if (!m_stage_timing) return;
        glFinish();
        const auto now = std::chrono::steady_clock::now();
        slot = std::chrono::duration<double, std::milli>(now - t0).count();
        t0 = now;
    };
    m_win.setActive(true);
    const TimePoint t = shown_time();
    // --style density: the static layer with the export's heat over it, brought to t.
    if (m_heat_gl) update_heat({t, m_tl.get(), m_ctl->video_s(), m_ctl->speed()});
    const GlImage& still = m_heat_gl ? m_heat_base_gl : m_static;
    // 1. Static layer: as drawn when the view has settled (with the finished trails cached on
    //    it), else moved/scaled from the view it was drawn for to the current one.
    const ViewTransform rel = ViewTransform::then(m_scene_view.inverse(), m_view);
    const double tol = 0.01;  // pixels: below this the static layer is used as it is
    const bool aligned = m_scene->options().width == m_w && m_scene->options().height == m_h &&
                         std::abs(rel.k - 1) * std::max(m_w, m_h) < tol && std::abs(rel.ox) < tol && std::abs(rel.oy) < tol;
    const bool cacheable = m_trails && m_look.fade_s <= 0;  // fading trails change every frame
    // Line widths as the export of this view draws them (its scale is the scene's size's; the
    // window's differs only while a resize settles).
    const TrailLayer::Target target{aligned ? m_scene_view : m_view, m_w, m_h, true, m_renderer->text_scale(),
                                    m_renderer->trail_width_px()};
    // The trail level (thinning) of this view; a cache keeps the level it was drawn with, and
    // what is drawn over a cache (segments finished since, those in flight) takes the cache's.
    const std::size_t level = m_trails ? m_trails->level_for(target.v.k) : 0;
    // A complete trail cache of another view (or of this scene, while the view moves): shown
    // moved/scaled to this view, with the segments finished since drawn in this view.
    struct Moved {
        const GlImage* img;
        ViewTransform view;
        std::size_t n, level, finished;
    };
    std::optional<Moved> moved;
    if (cacheable && m_base_gen == m_scene_gen && m_base_complete && m_base_altitude == m_look.altitude_colours) {
        const std::size_t finished = m_trails->finished_count(m_base_level, t);
        if (m_base_n <= finished) moved = Moved{&m_cache, m_base_view, m_base_n, m_base_level, finished};
    }
    if (!moved && cacheable && m_prev_valid && m_prev_altitude == m_look.altitude_colours) {
        const std::size_t finished = m_trails->finished_count(m_prev_level, t);
        if (m_prev_n <= finished) moved = Moved{&m_prev, m_prev_view, m_prev_n, m_prev_level, finished};
    }
    bool cached = false;  // m_frame holds the static layer and every finished segment
    if (aligned && cacheable) {
        // Rebuilt in steps when an older cache can stand in meanwhile (never for a screenshot).
        cached = update_base(t, target, moved && moved->img == &m_prev && !m_want_screenshot);
        if (cached) {
            m_prev_valid = false;
            m_frame.copy_from(m_cache);
        }
    }
    if (!cached) {
        if (aligned && !moved) {
            m_frame.copy_from(still);
        } else {
            const auto& oc = m_base.style.ocean;
            m_frame.clear(static_cast<float>(oc.r), static_cast<float>(oc.g), static_cast<float>(oc.b));
            const GlImage& img = moved ? *moved->img : still;
            const ViewTransform mr = moved ? ViewTransform::then(moved->view.inverse(), m_view) : rel;
            if (std::abs(mr.k - 1) * std::max(m_w, m_h) < tol)  // a drag: moved by whole pixels (a copy, not a
                m_frame.copy_from(img, static_cast<int>(std::lround(mr.ox)), static_cast<int>(std::lround(mr.oy)));  // textured quad)
            else
                draw_transformed(img, mr.k, mr.ox, mr.oy, m_frame);
        }
    }
    stamp(m_stages.base_ms);
    // 2. Trails on the GPU: the segments in flight over the cached ones, or all of them.
    if (m_trails) {
        m_frame.bind_target();
        if (cached) {
            m_trails->draw_in_flight(m_base_level, target, t, m_base.style, m_look);
        } else if (moved) {
            m_trails->draw_finished_range(moved->level, target, moved->n, moved->finished, t, m_base.style, m_look);
            m_trails->draw_in_flight(moved->level, target, t, m_base.style, m_look);
        } else if (aligned && m_look.fade_s > 0) {
            draw_fading(level, target, t);
        } else {
            m_trails->draw(level, target, t, m_base.style, m_look);
        }
    }
    glFlush();  // the trails rasterise (llvmpipe's threads) while the aircraft are placed
    stamp(m_stages.trails_ms);
    if (gpu_icons()) {
        const auto icons = m_renderer->aircraft_icons(t);
        m_frame.bind_target();
        m_icons->draw(icons, aligned ? ViewTransform{} : rel, m_w, m_h, true);
        glFlush();  // and the icons while the overlay is drawn
    }
    stamp(m_stages.icons_ms);
    // 3. Per-frame overlay: its drawn tiles only.
    draw_overlay();
    stamp(m_stages.overlay_ms);
    for (const auto& r : m_over_rects) m_over.upload(m_overlay.get(), r);
    stamp(m_stages.upload_ms);
    draw_rects(m_over, m_over_rects, m_frame);
    m_frame.blit_to_window();
    m_win.resetGLStates();
    stamp(m_stages.composite_ms);
}

void ReplayWindow::finish() {
    m_win.setActive(true);
    glFinish();
}

void ReplayWindow::capture(const std::filesystem::path& png) {
    sf::Texture tex;
    if (!tex.create(static_cast<unsigned>(m_w), static_cast<unsigned>(m_h))) throw RenderError("flightreplay: cannot read back the window");
    tex.update(m_win);
    const sf::Image img = tex.copyToImage();
    // RGBA -> Cairo ARGB32 (BGRA in memory), opaque.
    std::vector<std::uint8_t> argb(static_cast<std::size_t>(m_w) * m_h * 4);
    const std::uint8_t* p = img.getPixelsPtr();
    for (std::size_t i = 0; i < argb.size(); i += 4) {
        argb[i] = p[i + 2];
        argb[i + 1] = p[i + 1];
        argb[i + 2] = p[i];
        argb[i + 3] = 255;
    }
    auto tags = m_opt.png_tags;
    tags.emplace_back("Description", "flightreplay window screenshot at " + utc(shown_time()));
    output::write_png(png, argb.data(), m_w, m_h, m_w * 4, tags);
}

void ReplayWindow::save_still(const std::filesystem::path& png) {
    // The export path at the current view: a Scene for exactly this view (re-drawn if the view
    // has not settled yet), CairoRenderer::draw_frame, output::write_png.
    if (!m_view.near(m_scene_view, m_w) || m_scene->options().width != m_w || m_scene->options().height != m_h) rebuild_for_view();
    auto s = render_export_frame(*m_scene, m_text, *m_tl, m_ctl->video_s(), m_ctl->speed());
    auto tags = m_opt.png_tags;
    tags.emplace_back("Description", "flightreplay still at " + utc(m_ctl->replay_time()));
    output::write_png(png, cairo_image_surface_get_data(s.get()), m_w, m_h, cairo_image_surface_get_stride(s.get()), tags);
}

std::filesystem::path ReplayWindow::next_still_path() const {
    std::string stamp = utc(m_ctl->replay_time());
    std::replace(stamp.begin(), stamp.end(), ':', '-');
    for (int i = 0;; ++i) {
        auto p = m_opt.still_dir / ("flightreplay-" + stamp + (i ? "-" + std::to_string(i) : "") + ".png");
        if (!std::filesystem::exists(p)) return p;
    }
}

void ReplayWindow::screenshot_now() {
    if (m_opt.screenshot_path.empty()) return;
    capture(m_opt.screenshot_path);
    std::cout << "screenshot " << m_opt.screenshot_path.string() << " at " << format_iso8601(shown_time(), true) << " video "
              << m_ctl->video_s() << std::endl;
}

void ReplayWindow::run(bool exit_after_first) {
    m_win.setFramerateLimit(exit_after_first ? 0 : 60);
    auto last = std::chrono::steady_clock::now();
    while (m_win.isOpen()) {
        if (!exit_after_first && !process_events()) break;
        const auto now = std::chrono::steady_clock::now();
        update(std::chrono::duration<double>(now - last).count());
        last = now;
        draw();
        if (exit_after_first || m_want_screenshot) {
            m_want_screenshot = false;
            screenshot_now();
        }
        if (m_want_still) {
            m_want_still = false;
            const auto p = next_still_path();
            save_still(p);
            std::cout << "still " << p.string() << " at " << format_iso8601(m_ctl->replay_time(), true) << std::endl;
        }
        if (exit_after_first) break;
        present();
    }
}

}  // namespace fr::app::window
