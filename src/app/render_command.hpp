#pragma once
// `flightreplay render`: stills (PNG) and videos (MP4/WebM) of one scene on one clock.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "geo/view.hpp"
#include "pipeline/pipeline.hpp"
#include "render/scene.hpp"

namespace fr::app {

using pipeline::load_and_analyse;
using pipeline::LoadedData;
using pipeline::LoadRequest;

struct RenderRequest {
    LoadRequest load;
    std::filesystem::path output;
    int width = 1920, height = 1080;
    int fps = 30;
    std::optional<double> duration_s;                            ///< video length; default 24 s when neither this nor frames is set
    std::optional<long long> frames;                             ///< total frames (N form of --frames)
    std::optional<std::pair<long long, long long>> frame_slice;  ///< A:B form of --frames
    std::optional<double> speed;                                 ///< replay seconds per video second (--speed 600x)
    double hold_s = 2.0;                                         ///< video seconds per compressed stop or long gap
    std::string at;                                              ///< still time: ISO 8601 or +offset; empty = end
    std::string geojson_style;                                   ///< --geojson-style rfc7946|kepler for .geojson exports (empty: rfc7946)
    // Cartography: see render::SceneOptions for each.
    std::string projection = "auto";              ///< --projection preset
    std::optional<double> trail_minutes;          ///< --trail-minutes N
    std::string color_by = "aircraft";            ///< --color-by aircraft|altitude
    std::string style = "tracks";                 ///< --style tracks|density
    bool profile = false;                         ///< --profile inset
    std::vector<std::filesystem::path> overlays;  ///< --overlay FILE (repeatable)
    /// --overlay-label FIELD: per overlay (same index; "" = none), the attribute labelling its
    /// points. On the command line each applies to the --overlay before it.
    std::vector<std::string> overlay_labels;
    std::string time_range;              ///< --time-range START,END (ISO 8601 or +offsets)
    std::string theme;                   ///< --theme light|dark|print|FILE.toml (empty: light)
    std::string follow;                  ///< --follow ID: camera on this aircraft
    double zoom_km = 400;                ///< --zoom-km: frame width when following
    std::vector<std::string> keyframes;  ///< --keyframe TIME,LON,LAT,WIDTH_KM (repeatable): camera path
    std::string crs;
    std::optional<geo::Extent> extent;
    std::optional<geo::GeoBounds> bbox;
    std::string title, subtitle, source;
    std::string aspect;               ///< "16:9", "3:2", "4:3", "1:1" or "9:16": height derived from width
    double dpi = 96;                  ///< stills: --size is in CSS pixels (1/96 in); PNG pixels scale by dpi/96
    std::string sheet;                ///< contact sheet "CxR" (columns x rows); --at then lists the times
    bool sheet_holds = false;         ///< default sheet times over the whole span, ground stops included
    std::filesystem::path basemap;    ///< file, MBTiles, {z}/{x}/{y} folder template or XYZ URL template
    std::string basemap_attribution;  ///< --basemap-attribution TEXT (required for a URL basemap)
    bool offline = false;             ///< --offline: tiles only from the cache
    int max_tiles = 4000;             ///< --max-tiles: most tiles one view may need
    bool labels = true, great_circles = true;
    int crf = 23;
    std::string preset = "veryfast";
    int threads = 0;
    int png_level = 3;        ///< PNG sequences: zlib level 0..9 (see src/app/video_command.cpp)
    double title_card_s = 0;  ///< video: seconds of title card before the replay (part of --duration)
    double fade_s = 0;        ///< video: fade-in and fade-out seconds
    bool quiet = false;
    bool allow_large = false;  ///< --allow-large: lift the video length ceilings (see request_check.hpp)
    bool allow_empty = false;  ///< --allow-empty: --at may lie outside the data
    /// The window's own settings (`view` only; `render` ignores them).
    struct Window {
        bool shaders = true;               ///< --no-shaders: draw everything with Cairo
        std::filesystem::path screenshot;  ///< --screenshot FILE (and F12)
        bool exit_after = false;           ///< --exit: draw one frame, write the screenshot, quit
        std::filesystem::path still_dir;   ///< --still-dir: where S saves stills (default: the current folder)
    } window;
    std::string layers;      ///< --layers "-cities,+rivers" (render::apply_layers)
    std::string tz = "utc";  ///< --tz auto|ZONE|utc: local time beside UTC (render::SceneOptions::tz)
};

/// Scene options of a request; with `data`, --time-range resolved against its time base.
/// Throws fr::UsageError.
render::SceneOptions make_scene_options(const RenderRequest& req, const LoadedData& data);

/// Renders; returns the process exit code. Throws fr::Error subclasses with context.
int run_render(const RenderRequest& req);

/// Parses a --at value: ISO 8601 UTC, or "+13h20m" from `base` (app::time_base: the earliest
/// accepted fix of the selected aircraft). Throws fr::UsageError with the accepted forms.
TimePoint parse_time_arg(const std::string& text, TimePoint base);
/// "START,END" (each as parse_time_arg) -> the interval; throws fr::UsageError when malformed
/// or START is not before END.
std::pair<TimePoint, TimePoint> parse_time_range(const std::string& text, TimePoint base);

}  // namespace fr::app
