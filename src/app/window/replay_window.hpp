#pragma once
// The interactive replay window (SFML 2.5). Layers, back to front:
//   1. the static map (basemap, routes, airports, place names) drawn by the export code
//      (CairoRenderer::draw_static_map) into a texture; re-drawn for the view once pan/zoom/resize
//      settles, scaled and moved meanwhile;
//   2. trails: GPU geometry uploaded once, revealed by the time uniform (TrailLayer), or drawn
//      by Cairo into layer 3 when shaders are unavailable or --no-shaders; aircraft icons on the
//      GPU in busy scenes. With --style density, instead of trails, icons, labels and stop
//      cards: the export's traffic heat image (the renderer's DensityGrid, one pixel per 2x2
//      cell), brought to the frame's time and painted over a CPU copy of layer 1 where cells
//      changed, which then stands for layer 1 (its changed tiles uploaded); with --no-shaders
//      Cairo paints it into layer 3;
//   3. a per-frame Cairo overlay from the export code: first what is on the map (gap labels,
//      aircraft and their labels) under the pan/zoom in progress, then, fixed to the screen,
//      the static furniture (CairoRenderer::draw_static_furniture: title, banner, figures,
//      legend, scale bar, north arrow, source line, drawn once per view), the stop cards (their
//      leaders follow the airport), the clock, hold card and timeline bar, and the window's own
//      info panel, help and status toast. So the furniture stays put while the map moves under
//      it, and no trail or aircraft is drawn over it.
// Each frame is composed in an offscreen image and copied to the window (gl_canvas.hpp says
// why: software GL). Once the view has settled, the static layer and the trail segments
// already finished live in a cached image (added to as time runs on, rebuilt when the view,
// the look or the direction of time changes), so a frame draws only the trail segments in
// flight. While the map is dragged or zoomed, the last complete cache is moved/scaled with it;
// after the view settles the new cache is built over several frames (a bounded number of
// segments each) while that older one stands in, so no frame pays for every segment at once
// (only the very first frame, and a screenshot, build it in one go). Fading trails (busy
// scenes) change every frame, so the settled view keeps them in a TrailFadeCache instead: the
// trails flown so far at full opacity with their fade times, added to as time runs on, faded
// onto the frame in one pass (rebuilt when the view, the look or the direction of time
// changes; while the map moves they are drawn whole each frame). Of the overlay only the
// 64x64 tiles with something drawn on them are cleared, uploaded and blended.
// The replay time is always timeline().replay_time(video_s) on the same Timeline the exports
// use: one scene, one clock.
#include <SFML/Graphics.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/window/gl_canvas.hpp"
#include "app/window/icon_layer.hpp"
#include "app/window/trail_layer.hpp"
#include "app/window/view_controller.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/cairo_renderer.hpp"
#include "render/scene.hpp"
#include "render/text.hpp"

namespace fr::app::window {

struct WindowOptions {
    int width = 1280, height = 720;  ///< initial window size, pixels
    bool shaders = true;             ///< false: all-Cairo (--no-shaders)
    double duration_s = 24;          ///< the clock: a video of this length (as render --duration)
    double hold_s = 2;               ///< seconds per compressed stop/gap (as render --hold)
    double clock_skew_s = 0;         ///< test-only fault injection (see clock_skew_from_env)
    std::string title = "flightreplay";
    std::filesystem::path still_dir = ".";                      ///< where S writes stills
    std::filesystem::path screenshot_path;                      ///< where F12 / --screenshot write the window's pixels
    std::vector<std::pair<std::string, std::string>> png_tags;  ///< provenance for stills
    bool quiet = false;
    /// true: one pipeline::SceneSources for the session, so a settled pan or zoom re-projects
    /// the basemap, overlays and places read before without opening a file; false: every view
    /// reads its files again (the way before; benchmarks compare the two).
    bool cache_sources = true;
    /// Trail segments added per frame to a trail cache being rebuilt while an older one stands
    /// in (~15-25 ms under llvmpipe at 1080p for the default); tests make it small.
    std::size_t trail_rebuild_step = 20'000;
};

class ReplayWindow {
public:
    /// Opens the window and draws the first scene. `base` holds the user's view options
    /// (extent/bbox/CRS, title, labels...); its size is replaced by the window's. Throws
    /// fr::RenderError / fr::IoError / fr::ProjError with context.
    ReplayWindow(std::vector<Flight> flights, std::vector<analysis::FlightAnalysis> analyses, render::SceneOptions base,
                 const render::TextEngine& text, WindowOptions opt);
    ~ReplayWindow();

    ViewController& controller() noexcept { return *m_ctl; }
    const Timeline& timeline() const noexcept { return *m_tl; }
    const render::Scene& scene() const noexcept { return *m_scene; }
    /// The export renderer of scene() (the overlay's aircraft, labels and furniture come from it).
    const render::CairoRenderer& renderer() const noexcept { return *m_renderer; }
    /// What the scenes of this session were read from (files_read() counts the files opened).
    const std::shared_ptr<pipeline::SceneSources>& sources() const noexcept { return m_sources; }
    /// How the GPU trails are drawn: fading by default where the scene fades (the export's rule,
    /// render::default_trail_minutes), T toggles it.
    const TrailLook& trail_look() const noexcept { return m_look; }
    bool is_open() const { return m_win.isOpen(); }
    bool shaders_active() const noexcept { return m_trails != nullptr || m_heat_gl; }
    /// --style density: the window draws the export's traffic heat, not tracks.
    bool density() const noexcept { return m_density; }
    std::size_t gpu_segments() const noexcept { return m_trails ? m_trails->segments() : 0; }
    /// Segments uploaded for the trail level the settled view draws (fewer than gpu_segments()
    /// in busy scenes, whose trails are thinned).
    std::size_t gpu_level_segments() const { return m_trails ? m_trails->level_segments(m_trails->level_for(m_scene_view.k)) : 0; }
    /// The replay time drawn (the controller's, plus the test-only skew).
    TimePoint shown_time() const noexcept;

    /// Handles pending window events. Returns false once the window was closed (Esc, Q, close).
    bool process_events();
    /// Advances the clock by `wall_s` seconds and re-draws the static layer if the view has
    /// settled.
    void update(double wall_s);
    /// Draws a frame into the back buffer.
    void draw();
    /// Waits for the GPU to finish the frame (for timing).
    void finish();
    /// Per-stage times of the last draw(), ms (benchmarks). Filled only after
    /// set_stage_timing(true), which waits for the GPU after each stage (glFinish), so the
    /// stages add up to a little more than an untimed frame.
    struct StageTimes {
        double base_ms = 0;       ///< static layer (+ cached finished trails)
        double trails_ms = 0;     ///< GPU trails drawn this frame
        double icons_ms = 0;      ///< GPU aircraft icons (busy scenes), their placements included
        double overlay_ms = 0;    ///< Cairo overlay: clear + draw_dynamic + panels
        double upload_ms = 0;     ///< overlay pixels to the texture
        double composite_ms = 0;  ///< overlay texture onto the frame
    };
    void set_stage_timing(bool on) noexcept { m_stage_timing = on; }
    const StageTimes& stage_times() const noexcept { return m_stages; }
    /// Shows the back buffer.
    void present() { m_win.display(); }
    /// Writes the back buffer (call after draw(), before present()) to a PNG.
    void capture(const std::filesystem::path& png);
    /// Renders the current view at the current time by the export path (CairoRenderer +
    /// output::write_png) into `png`.
    void save_still(const std::filesystem::path& png);
    /// Runs the interactive loop until closed. With `exit_after_first`, draws one frame,
    /// writes opt.screenshot_path and returns.
    void run(bool exit_after_first);

    /// Input, by screen pixels (used by the event handler; public for tests and scripting).
    void click(double x, double y);
    void zoom(double x, double y, double factor);
    void pan(double dx, double dy);
    void fit_all();
    void resize(int w, int h);
    void toggle_labels();
    void toggle_great_circles();
    void toggle_camera();

private:
    struct Pick {
        std::size_t flight;
        TimePoint t;
    };
    std::unique_ptr<render::Scene> build_scene(const render::SceneOptions& o) const;
    ViewTransform scene_view(const render::Scene& s) const noexcept;  ///< world -> that scene's pixels
    void set_scene(std::unique_ptr<render::Scene> s);
    void rebuild_for_view();
    void note(const std::string& toast);
    std::optional<Pick> pick(double x, double y) const;
    void draw_overlay();
    /// Brings m_heat_base (and m_heat_base_gl) to the export's heat at frame f over the static
    /// layer (--style density on the GPU): only the cells whose heat changed are painted again.
    void update_heat(const render::FrameInfo& f);
    void draw_panels(cairo_t* cr);
    void draw_help(cairo_t* cr);
    /// Brings m_cache to every segment finished by t (or, `in_steps`, at most WindowOptions::trail_rebuild_step more
    /// of them); true when it is complete.
    bool update_base(TimePoint t, const TrailLayer::Target& target, bool in_steps);
    bool gpu_icons() const noexcept;
    /// Fading trails of the settled view at t into m_frame, through m_fade (TrailFadeCache).
    void draw_fading(std::size_t level, const TrailLayer::Target& target, TimePoint t);
    bool on_timeline_bar(double x, double y) const;
    void screenshot_now();
    std::filesystem::path next_still_path() const;
    double seconds_since(std::chrono::steady_clock::time_point t) const;

    std::vector<Flight> m_flights;
    std::vector<analysis::FlightAnalysis> m_analyses;
    render::SceneOptions m_base;
    const render::TextEngine& m_text;
    WindowOptions m_opt;

    std::shared_ptr<pipeline::SceneSources> m_sources;  ///< kept for the session (WindowOptions::cache_sources)
    sf::RenderWindow m_win;
    int m_w, m_h;
    std::unique_ptr<render::Scene> m_home;  ///< defines world pixels; its CRS is kept
    std::unique_ptr<Timeline> m_tl;
    std::unique_ptr<ViewController> m_ctl;
    std::unique_ptr<render::Scene> m_scene;  ///< drawn now (static texture), for the view m_scene_view
    std::unique_ptr<render::CairoRenderer> m_renderer;
    ViewTransform m_scene_view;  ///< world -> m_scene pixels
    ViewTransform m_view;        ///< world -> screen pixels (what the user asked)
    std::unique_ptr<TrailLayer> m_trails;
    std::unique_ptr<IconLayer> m_icons;  ///< with shaders; used in busy scenes (gpu_icons())
    TrailLook m_look;
    bool m_density = false;  ///< --style density (fixed for the session)
    bool m_heat_gl = false;  ///< density drawn as a GL texture (shaders asked for and available)
    // GL images (declared after m_win: destroyed while its context lives).
    GlImage m_static;        ///< the static layer of m_scene (scene size)
    GlImage m_cache;         ///< m_static + the first m_base_n finished trail segments (scene size)
    GlImage m_prev;          ///< the last complete m_cache of an earlier scene: stands in, moved/scaled, while m_cache is rebuilt
    GlImage m_frame;         ///< the frame being composed (window size)
    GlImage m_over;          ///< overlay pixels, valid in m_over_rects (window size)
    GlImage m_heat_base_gl;  ///< --style density: m_heat_base on the GPU (stands for m_static)
    TrailFadeCache m_fade;   ///< fading trails of the settled view, flown up to m_fade_t (window size)
    std::uint64_t m_scene_gen = 0, m_base_gen = 0;  ///< m_cache is valid for m_scene_gen == m_base_gen
    bool m_base_altitude = false;
    std::size_t m_base_n = 0;           ///< segments (TrailLayer's end-time order) drawn into m_cache
    std::size_t m_base_level = 0;       ///< ...of this TrailLayer level
    std::optional<TimePoint> m_fade_t;  ///< m_fade holds the trails flown up to this time (none: empty)...
    std::uint64_t m_fade_gen = 0;       ///< ...of scene m_fade_gen, level m_fade_level, these looks
    std::size_t m_fade_level = 0;
    bool m_fade_altitude = false;
    double m_fade_s = 0;
    std::vector<PixelRect> m_fade_rects;  ///< where m_fade can hold trails (TrailLayer::covered_tiles)
    bool m_base_complete = false;         ///< m_cache held every segment finished at the last frame
    ViewTransform m_base_view;            ///< world -> m_cache pixels
    bool m_prev_valid = false, m_prev_altitude = false;
    std::size_t m_prev_n = 0, m_prev_level = 0;
    ViewTransform m_prev_view;                 ///< world -> m_prev pixels
    render::SurfacePtr m_furniture;            ///< m_scene's static furniture over transparency (scene size)
    std::vector<PixelRect> m_furniture_rects;  ///< its drawn 64x64 tiles, merged along rows
    render::SurfacePtr m_overlay;
    render::CairoPtr m_overlay_cr;
    std::vector<std::uint8_t> m_over_tiles;  ///< 64x64 tiles of m_overlay drawn on (not transparent)
    std::vector<PixelRect> m_over_rects;     ///< those tiles, merged along rows
    render::SurfacePtr m_static_surf;        ///< m_scene's static layer (scene size), as uploaded to m_static
    render::SurfacePtr m_heat;               ///< the renderer's heat image copied 1:1 (grid size)
    render::CairoPtr m_heat_cr;
    render::SurfacePtr m_heat_base;          ///< m_static_surf with the heat painted over it (scene size)
    std::uint64_t m_heat_base_gen = 0;       ///< m_heat_base is valid for m_scene_gen == m_heat_base_gen
    std::vector<std::uint8_t> m_heat_dirty;  ///< 64x64 tiles of m_heat_base changed this frame

    std::optional<std::size_t> m_selected;
    std::optional<Pick> m_info;  ///< info panel: aircraft and time (nullopt time: follow the clock)
    bool m_info_live = true;     ///< the panel follows the clock (aircraft clicked) or not (trail point)
    bool m_follow = false, m_help = false;
    /// The scene's own camera (--follow, --keyframe) drives the view, with the user's pan and
    /// zoom composed on top (m_camera_adjust: camera view -> screen); C toggles it, Home and F
    /// release it. m_camera_pending: the first frame is drawn at the camera's view, not the fit.
    bool m_camera = false, m_camera_pending = false;
    ViewTransform m_camera_view;    ///< world -> screen as the camera alone frames it (last update)
    ViewTransform m_camera_adjust;  ///< the user's pan/zoom on top of the camera's view
    std::string m_toast;
    std::chrono::steady_clock::time_point m_toast_at{}, m_last_input{}, m_last_rebuild{};
    // Mouse gesture.
    bool m_down = false, m_dragging = false, m_scrubbing = false;
    double m_down_x = 0, m_down_y = 0, m_last_x = 0, m_last_y = 0;
    bool m_want_screenshot = false, m_want_still = false;
    bool m_stage_timing = false;
    StageTimes m_stages;
};

}  // namespace fr::app::window
