#pragma once
// `flightreplay view`: the interactive window over loaded data (cli.cpp loads; this shows).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/pipeline.hpp"
#include "render/scene.hpp"

namespace fr::app::window {

struct ViewRequest {
    render::SceneOptions scene;          ///< view options shared with render; size = window size
    std::optional<TimePoint> at;         ///< start paused at this time (absolute: resolved by the caller)
    std::optional<double> speed;         ///< initial replay speed (replay s per s); default: the video's
    double duration_s = 24, hold_s = 2;  ///< the clock: as render's default video
    bool shaders = true;                 ///< --no-shaders: all-Cairo
    std::filesystem::path screenshot;    ///< --screenshot FILE (and F12)
    bool exit_after = false;             ///< --exit: draw one frame, write the screenshot, quit
    std::filesystem::path still_dir = ".";
    bool quiet = false;
};

/// Opens the window; returns the exit status. Throws fr::Error subclasses with context and
/// fr::UsageError for a bad --at.
int run_view(const pipeline::LoadedData& data, const ViewRequest& req);

}  // namespace fr::app::window
