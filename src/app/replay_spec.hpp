#pragma once
// The replay spec: every option of `render`, `view` and scene files as a typed value. The option
// table (app/scene_file.hpp) parses each value once, when it is given, before any file is read:
// times are TimeRefs (absolute, or an offset from the time base: app::time_base), choices are
// enums, the camera and the output are values of their own, and an invalid value is a
// fr::UsageError naming the option. After loading, app::resolve_against_data makes every time
// absolute against that one base, so the rest of a run never sees an offset.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/lat_lon.hpp"
#include "core/time.hpp"
#include "export/track_export.hpp"
#include "geo/projection_preset.hpp"
#include "geo/view.hpp"
#include "pipeline/pipeline.hpp"
#include "render/camera.hpp"

namespace fr::app {

using pipeline::load_and_analyse;
using pipeline::LoadedData;
using pipeline::LoadRequest;

/// What an output file is, from its name: decided once, when -o is parsed.
enum class OutputKind { png, svg, pdf, png_sequence, mp4, webm, gif, geojson, kml, gpkg, csv };
const char* to_string(OutputKind k) noexcept;

struct OutputSpec {
    std::filesystem::path path;
    OutputKind kind = OutputKind::png;

    OutputSpec() = default;
    /// Decides the kind from `path` (see parse). Throws fr::UsageError.
    OutputSpec(std::filesystem::path p);  // NOLINT(google-explicit-constructor): a path names an output
    OutputSpec(const char* p) : OutputSpec(std::filesystem::path(p)) {}
    /// .png .svg .pdf (stills), .mp4 .webm .gif, a PNG sequence (`frames/%05d.png`, `frames/` or
    /// an existing folder without an extension), .geojson .kml .gpkg .csv (analysed tracks).
    /// `.json` and other extensions are refused. Throws fr::UsageError naming --output.
    static OutputSpec parse(const std::filesystem::path& path);

    bool empty() const noexcept { return path.empty(); }
    bool is_video() const noexcept;         ///< drawn frame by frame on the replay clock (run_video)
    bool is_track_export() const noexcept;  ///< GeoJSON, KML, GeoPackage, CSV of the analysed tracks
    bool is_vector() const noexcept { return kind == OutputKind::svg || kind == OutputKind::pdf; }
    /// The printf pattern of a PNG sequence (`frames/%05d.png`); empty for other kinds.
    std::string png_pattern() const;
    std::string string() const { return path.string(); }
};

enum class ColorBy { aircraft, altitude };
enum class DrawStyle { tracks, density };
const char* to_string(ColorBy c) noexcept;
const char* to_string(DrawStyle s) noexcept;
std::optional<ColorBy> parse_color_by(std::string_view s) noexcept;
std::optional<DrawStyle> parse_draw_style(std::string_view s) noexcept;
std::optional<output::GeoJsonStyle> parse_geojson_style(std::string_view s) noexcept;
const char* to_string(output::GeoJsonStyle s) noexcept;

/// One --keyframe: where the camera looks at a time (render::KeyframeSpec).
using render::KeyframeSpec;
/// "TIME,LON,LAT,WIDTH_KM" (TIME as TimeRef::parse). Throws fr::UsageError naming --keyframe.
KeyframeSpec parse_keyframe(const std::string& text);
/// What parse_keyframe reads back.
std::string to_string(const KeyframeSpec& k);

/// The camera: fitted to the data (and --extent/--bbox), following one aircraft, or moving
/// along keyframes. --follow and --keyframe together are refused when parsed.
struct CameraSpec {
    enum class Mode { fit, follow, keyframes };
    std::string follow;    ///< --follow: callsign, registration or ICAO address
    double zoom_km = 400;  ///< --zoom-km: ground width of the frame when following
    std::vector<KeyframeSpec> keyframes;
    Mode mode() const noexcept { return !keyframes.empty() ? Mode::keyframes : !follow.empty() ? Mode::follow : Mode::fit; }
};

/// --sheet CxR.
struct SheetGrid {
    int cols = 0, rows = 0;
    int cells() const noexcept { return cols * rows; }
    std::string to_string() const { return std::to_string(cols) + "x" + std::to_string(rows); }
};

struct ReplaySpec {
    LoadRequest load;
    OutputSpec output;  ///< -o: the file and what kind of output it is, decided once when parsed
    int width = 1920, height = 1080;
    int fps = 30;
    std::optional<double> duration_s;                                    ///< video length; default 24 s when neither this nor frames is set
    std::optional<long long> frames;                                     ///< total frames (N form of --frames)
    std::optional<std::pair<long long, long long>> frame_slice;          ///< A:B form of --frames
    std::optional<double> speed;                                         ///< replay seconds per video second (--speed 600x)
    double hold_s = 2.0;                                                 ///< video seconds per compressed stop or long gap
    std::vector<TimeRef> at;                                             ///< --at: a still's time (empty = the end) or a sheet's times
    output::GeoJsonStyle geojson_style = output::GeoJsonStyle::rfc7946;  ///< --geojson-style for .geojson exports
    // Cartography: see render::SceneOptions for each.
    geo::Preset projection = geo::Preset::automatic;  ///< --projection preset (--crs overrides)
    std::optional<double> trail_minutes;              ///< --trail-minutes N
    ColorBy color_by = ColorBy::aircraft;             ///< --color-by
    DrawStyle style = DrawStyle::tracks;              ///< --style
    bool profile = false;                             ///< --profile inset
    std::vector<std::filesystem::path> overlays;      ///< --overlay FILE (repeatable)
    /// --overlay-label FIELD: per overlay (same index; "" = none), the attribute labelling its
    /// points. On the command line each applies to the --overlay before it.
    std::vector<std::string> overlay_labels;
    std::optional<TimeRange> time_range;  ///< --time-range START,END (ISO 8601 or +offsets)
    std::string theme;                    ///< --theme light|dark|print|FILE.toml (empty: light)
    CameraSpec camera;                    ///< --follow / --zoom-km / --keyframe (none: fitted to the data)
    std::string crs;
    std::optional<geo::Extent> extent;
    std::optional<geo::GeoBounds> bbox;
    std::string title, subtitle, source;
    std::string aspect;               ///< "16:9", "3:2", "4:3", "1:1" or "9:16": height derived from width
    double dpi = 96;                  ///< stills: --size is in CSS pixels (1/96 in); PNG pixels scale by dpi/96
    std::optional<SheetGrid> sheet;   ///< --sheet CxR: contact sheet; --at then lists the times
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

using RenderRequest = ReplaySpec;  ///< the name most of the app still uses

}  // namespace fr::app
