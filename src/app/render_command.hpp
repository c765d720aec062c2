#pragma once
// `flightreplay render`: stills (PNG) and videos (MP4/WebM) of one scene on one clock.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/pipeline.hpp"
#include "geo/view.hpp"

namespace fr::app {

struct RenderRequest {
    LoadRequest load;
    std::filesystem::path output;
    int width = 1920, height = 1080;
    int fps = 30;
    std::optional<double> duration_s;     ///< video length; default 24 s when neither this nor frames is set
    std::optional<long long> frames;      ///< total frames (N form of --frames)
    std::optional<std::pair<long long, long long>> frame_slice;  ///< A:B form of --frames
    std::optional<double> speed;          ///< replay seconds per video second (--speed 600x)
    double hold_s = 2.0;                  ///< video seconds per compressed stop or long gap
    std::string at;                       ///< still time: ISO 8601 or +offset; empty = end
    std::string crs;
    std::optional<geo::Extent> extent;
    std::optional<geo::GeoBounds> bbox;
    std::string title, subtitle, source;
    std::filesystem::path basemap;
    bool labels = true, great_circles = true;
    int crf = 23;
    std::string preset = "veryfast";
    int threads = 0;
    bool quiet = false;
};

/// Renders; returns the process exit code. Throws fr::Error subclasses with context.
int run_render(const RenderRequest& req);

/// Parses a --at / --time-range value against the replay start: ISO 8601 UTC or "+13h20m".
/// Throws fr::UsageError with the accepted forms.
TimePoint parse_time_arg(const std::string& text, TimePoint replay_start);

}  // namespace fr::app
