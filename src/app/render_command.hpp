#pragma once
// `flightreplay render`: stills (PNG) and videos (MP4/WebM) of one scene on one clock.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/replay_spec.hpp"
#include "geo/view.hpp"
#include "pipeline/pipeline.hpp"
#include "render/scene.hpp"

namespace fr::app {

/// What the parsed options say to draw, once validated: see app/replay_spec.hpp.

/// Scene options of a request; with `data`, --time-range resolved against its time base.
/// Throws fr::UsageError.
render::SceneOptions make_scene_options(const RenderRequest& req, const LoadedData& data);

/// Renders; returns the process exit code. Throws fr::Error subclasses with context.
int run_render(const RenderRequest& req);

/// Parses a --at value: ISO 8601 UTC, or "+13h20m" from `base` (app::time_base: the earliest
/// accepted fix of the selected aircraft). Throws fr::UsageError with the accepted forms.
TimePoint parse_time_arg(const std::string& text, TimePoint base);
}  // namespace fr::app
