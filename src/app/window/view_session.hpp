#pragma once
// What the window shares with the export path, without SFML: the one Timeline (built exactly
// as for a default video), the export-path frame of a view (what S saves and what the
// window-versus-export test compares against), the info panel text, and the shader lookup.
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/timeline.hpp"
#include "render/cairo_renderer.hpp"
#include "render/scene.hpp"

namespace fr::app::window {

/// The window's clock: render::make_replay_clock for a `duration_s`-second video with
/// `hold_s`-second holds, the very function `render -o x.mp4 --duration duration_s` uses.
Timeline make_view_timeline(const render::Scene& scene, double duration_s = 24.0, double hold_s = 2.0);

/// The export path's frame at video time `video_s`: CairoRenderer::draw_frame with the
/// timeline (so with the clock, hold card and timeline bar, as in a video frame); `speed`: the
/// replay speed the clock box shows (unset: the timeline's own, as in an export).
render::SurfacePtr render_export_frame(const render::Scene& scene, const render::TextEngine& text, const Timeline& tl, double video_s,
                                       std::optional<double> speed = std::nullopt);

/// Info panel for one aircraft at replay time t: callsign, registration, ICAO address,
/// altitude, ground speed, leg (with its airports), and the ground stop or coverage gap it is
/// in. Several lines, UTC.
std::string info_text(const render::FlightView& fv, TimePoint t);

/// The shaders directory: $FLIGHTREPLAY_SHADER_DIR, then <asset dir>/shaders (install:
/// share/flightreplay/shaders), then the source tree's shaders/. Throws fr::IoError listing
/// the places tried.
std::filesystem::path shader_dir();

/// A test-only fault: seconds added to the window's displayed replay time, read from
/// $FR_WINDOW_CLOCK_SKEW_S (0 when unset). The window-versus-export test uses it to prove that
/// a window clock 60 s off fails the comparison.
double clock_skew_from_env();

}  // namespace fr::app::window
