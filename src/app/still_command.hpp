#pragma once
// The still path of `flightreplay render`: PNG (at --dpi), SVG and PDF pages of one scene at one
// time or a contact sheet of several times (--sheet), and analysed-track exports (.geojson,
// .kml, .gpkg). Videos are video_command.cpp's.
#include <filesystem>

#include "app/render_command.hpp"

namespace fr::app {

/// True for .png, .svg, .pdf, .geojson, .json, .kml and .gpkg outputs.
bool is_still_output(const std::filesystem::path& output);

/// Renders or exports; returns the exit status. Throws fr::UsageError for invalid options,
/// fr::IoError and fr::RenderError with context.
int run_still(const RenderRequest& req);

/// The times a contact sheet shows: the --at list (comma-separated, each as parse_time_arg),
/// else `cells` times evenly spaced from `start` to `end` inclusive. Throws fr::UsageError
/// when the list has more times than cells.
std::vector<TimePoint> sheet_times(const std::string& at, int cells, TimePoint start, TimePoint end);

}  // namespace fr::app
