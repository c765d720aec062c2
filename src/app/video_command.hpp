#pragma once
// The video path of `flightreplay render` (MP4/H.264, WebM/VP9, animated GIF, numbered PNG
// sequences) and the `concat` subcommand. Kept apart from render_command.cpp (stills) so the two
// paths can change independently.
#include <filesystem>
#include <vector>

#include "app/render_command.hpp"

namespace fr::app {

/// True when `output` is handled by run_video: .mp4, .webm, .gif, or a PNG sequence
/// (`frames/%05d.png`, `frames/`, or an existing directory).
bool is_video_output(const std::filesystem::path& output);

/// Which frames a request renders, on one timeline whatever the slice.
struct FramePlan {
    long long total = 0;          ///< frames of the whole video
    long long first = 0, last = 0;  ///< this run renders [first, last)
    long long title_frames = 0;   ///< frames [0, title_frames) show the title card
    long long fade_frames = 0;    ///< fade-in over the first, fade-out over the last this many frames
};

/// Renders; returns the exit status (129 after SIGHUP, 130 after SIGINT, 143 after SIGTERM) with no partial
/// output file left behind.
int run_video(const RenderRequest& req);

/// Joins shards by stream copy; returns the exit status.
int run_concat(const std::vector<std::filesystem::path>& shards, const std::filesystem::path& output, bool quiet);

}  // namespace fr::app
