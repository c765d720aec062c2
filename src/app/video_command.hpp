#pragma once
// The video path of `flightreplay render` (MP4/H.264, WebM/VP9, animated GIF, numbered PNG
// sequences) and the `concat` subcommand. Kept apart from render_command.cpp (stills) so the two
// paths can change independently.
#include <filesystem>
#include <functional>
#include <vector>

#include "app/render_command.hpp"

namespace fr::app {

/// Which frames a request renders, on one timeline whatever the slice.
struct FramePlan {
    long long total = 0;            ///< frames of the whole video
    long long first = 0, last = 0;  ///< this run renders [first, last)
    long long title_frames = 0;     ///< frames [0, title_frames) show the title card
    long long fade_frames = 0;      ///< fade-in over the first, fade-out over the last this many frames
};

/// Renders; returns the exit status (129 after SIGHUP, 130 after SIGINT, 143 after SIGTERM) with no partial
/// output file left behind. Installs SIGHUP/SIGINT/SIGTERM handlers for its duration (the CLI's).
int run_video(const RenderRequest& req);

/// How a caller other than the CLI (the Python module) steers a video render. Both are called
/// on the rendering thread, between frames; either may be empty.
struct VideoControl {
    /// Polled before every frame: true stops the render, removes the partial output and makes
    /// render_video return VideoStatus::cancelled.
    std::function<bool()> cancelled;
    /// Frames done so far of `total` (this pass; a GIF has a palette pass first).
    std::function<void(long long done, long long total, const char* pass)> progress;
};
enum class VideoStatus { done, cancelled };

/// run_video without the loading, the diagnostics and the signal handlers: renders req.output
/// from `data` (as load_and_analyse returned it). Throws as run_video.
VideoStatus render_video(const RenderRequest& req, const LoadedData& data, const VideoControl& control);
/// The same, moving the loaded flights and analyses into the scene instead of copying them (a
/// day of global traffic is not held twice); `data` keeps its inputs and diagnostics.
VideoStatus render_video(const RenderRequest& req, LoadedData&& data, const VideoControl& control);

/// Joins shards by stream copy; returns the exit status.
int run_concat(const std::vector<std::filesystem::path>& shards, const std::filesystem::path& output, bool quiet);

}  // namespace fr::app
