#include "app/scene_file.hpp"

#include <toml++/toml.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <type_traits>

#include "app/cli.hpp"
#include "app/request_check.hpp"
#include "core/error.hpp"
#include "geo/projection_preset.hpp"
#include "io/format_registry.hpp"
#include "io/loader.hpp"
#include "io/text/input_reader.hpp"
#include "render/local_time.hpp"
#include "render/scene.hpp"

namespace fr::app {

namespace {

namespace fs = std::filesystem;

/// Shortest text that reads back to the same double (std::to_chars round-trip guarantee).
std::string format_real(double v) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

std::string format_extent(double a, double b, double c, double d) {
    return format_real(a) + "," + format_real(b) + "," + format_real(c) + "," + format_real(d);
}

template <class T>
struct Traits;
template <>
struct Traits<bool> {
    static constexpr OptionKind kind = OptionKind::flag;
};
template <>
struct Traits<int> {
    static constexpr OptionKind kind = OptionKind::integer;
};
template <>
struct Traits<double> {
    static constexpr OptionKind kind = OptionKind::real;
};
template <>
struct Traits<std::string> {
    static constexpr OptionKind kind = OptionKind::text;
};
template <>
struct Traits<fs::path> {
    static constexpr OptionKind kind = OptionKind::text;
};
template <>
struct Traits<std::vector<std::string>> {
    static constexpr OptionKind kind = OptionKind::list;
};
template <>
struct Traits<std::vector<fs::path>> {
    static constexpr OptionKind kind = OptionKind::list;
};
template <class T>
struct Traits<std::optional<T>> : Traits<T> {};

template <class T>
void store(T& dst, const OptionValue& v) {
    if constexpr (std::is_same_v<T, bool>) {
        dst = std::get<bool>(v);
    } else if constexpr (std::is_same_v<T, int>) {
        dst = static_cast<int>(std::get<long long>(v));
    } else if constexpr (std::is_same_v<T, double>) {
        dst = std::get<double>(v);
    } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, fs::path>) {
        dst = std::get<std::string>(v);
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
        dst = std::get<std::vector<std::string>>(v);
    } else if constexpr (std::is_same_v<T, std::vector<fs::path>>) {
        dst.clear();
        for (const auto& s : std::get<std::vector<std::string>>(v)) dst.emplace_back(s);
    } else {  // std::optional<U>
        typename T::value_type u{};
        store(u, v);
        dst = u;
    }
}

template <class T>
std::optional<OptionValue> load(const T& src) {
    if constexpr (std::is_same_v<T, bool>) {
        return OptionValue{src};
    } else if constexpr (std::is_same_v<T, int>) {
        return OptionValue{static_cast<long long>(src)};
    } else if constexpr (std::is_same_v<T, double>) {
        return OptionValue{src};
    } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, fs::path>) {
        if (std::string(src).empty()) return std::nullopt;
        return OptionValue{std::string(src)};
    } else if constexpr (std::is_same_v<T, std::vector<std::string>> || std::is_same_v<T, std::vector<fs::path>>) {
        if (src.empty()) return std::nullopt;
        std::vector<std::string> out;
        for (const auto& s : src) out.emplace_back(std::string(s));
        return OptionValue{out};
    } else {  // std::optional<U>
        if (!src) return std::nullopt;
        return load(*src);
    }
}

/// An option stored in one field of the request, reached by `access` (a generic lambda
/// `[](auto& r) -> auto& { return r.field; }`, so it serves const and non-const requests).
/// `check` validates the stored value (throws fr::UsageError).
template <class Access>
OptionSpec field(std::string key, std::string section, std::string cli, std::string help, Access access,
                 std::function<void(const RenderRequest&)> check = {}) {
    using T = std::remove_cvref_t<decltype(access(std::declval<RenderRequest&>()))>;
    OptionSpec s;
    s.key = std::move(key);
    s.section = std::move(section);
    s.cli = std::move(cli);
    s.help = std::move(help);
    s.kind = Traits<T>::kind;
    s.path = std::is_same_v<T, fs::path> || std::is_same_v<T, std::vector<fs::path>>;
    s.set = [access, check](RenderRequest& r, const OptionValue& v) {
        store(access(r), v);
        if (check) check(r);
    };
    s.get = [access](const RenderRequest& r) { return load(access(r)); };
    return s;
}

/// An option kept as text on the command line and parsed into typed fields of the request.
OptionSpec parsed(std::string key, std::string section, std::string cli, std::string help,
                  std::function<void(RenderRequest&, const std::string&)> set,
                  std::function<std::optional<std::string>(const RenderRequest&)> get) {
    OptionSpec s;
    s.key = std::move(key);
    s.section = std::move(section);
    s.cli = std::move(cli);
    s.help = std::move(help);
    s.kind = OptionKind::text;
    s.set = [set](RenderRequest& r, const OptionValue& v) { set(r, std::get<std::string>(v)); };
    s.get = [get](const RenderRequest& r) -> std::optional<OptionValue> {
        auto t = get(r);
        if (!t) return std::nullopt;
        return OptionValue{*t};
    };
    return s;
}

/// A list option parsed element by element into typed fields of the request.
OptionSpec parsed_list(std::string key, std::string section, std::string cli, std::string help,
                       std::function<void(RenderRequest&, const std::vector<std::string>&)> set,
                       std::function<std::vector<std::string>(const RenderRequest&)> get) {
    OptionSpec s;
    s.key = std::move(key);
    s.section = std::move(section);
    s.cli = std::move(cli);
    s.help = std::move(help);
    s.kind = OptionKind::list;
    s.set = [set](RenderRequest& r, const OptionValue& v) { set(r, std::get<std::vector<std::string>>(v)); };
    s.get = [get](const RenderRequest& r) -> std::optional<OptionValue> {
        auto l = get(r);
        if (l.empty()) return std::nullopt;
        return OptionValue{std::move(l)};
    };
    return s;
}

/// One of a fixed set of names, stored as an enum by `parse` (nullopt: invalid).
template <class E>
OptionSpec choice(std::string key, std::string section, std::string help, std::string names, E RenderRequest::*member,
                  std::optional<E> (*parse)(std::string_view) noexcept, const char* (*name)(E) noexcept) {
    std::string cli = "--" + key;
    return parsed(
        key, std::move(section), cli, std::move(help),
        [=](RenderRequest& r, const std::string& v) {
            const auto e = parse(v);
            if (!e) throw UsageError("invalid " + cli + " '" + v + "': " + names);
            r.*member = *e;
        },
        [=](const RenderRequest& r) -> std::optional<std::string> { return std::string(name(r.*member)); });
}

OptionSpec as_path(OptionSpec s) {
    s.path = true;
    return s;
}

/// Comma-separated values of one text.
std::vector<std::string> split_commas(const std::string& text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (true) {
        const auto next = text.find(',', pos);
        out.push_back(text.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
        if (next == std::string::npos) return out;
        pos = next + 1;
    }
}

std::optional<geo::Preset> parse_projection(std::string_view v) noexcept { return geo::parse_preset(v); }
const char* projection_name(geo::Preset p) noexcept { return geo::to_string(p); }

OptionSpec on_info(OptionSpec s) {
    s.on_info = true;
    return s;
}

OptionSpec render_only(OptionSpec s) {
    s.scope = OptionScope::render;
    return s;
}

OptionSpec one_value_each(OptionSpec s) {
    s.one_value_each = true;
    return s;
}

OptionSpec view_only(OptionSpec s) {
    s.scope = OptionScope::view;
    return s;
}

std::vector<OptionSpec> make_table() {
    // clang-format off
    std::vector<OptionSpec> t;
    // [input]
    t.push_back(on_info(field("inputs", "input", "", "track files or directories", [](auto& r) -> auto& { return r.load.inputs; })));
    t.push_back(on_info(parsed("format", "input", "--format", "input format: " + io::format_choices(),
        [](RenderRequest& r, const std::string& v) { r.load.load.format = io::parse_format(v); },
        [](const RenderRequest& r) -> std::optional<std::string> { return std::string(io::to_string(r.load.load.format)); })));
    t.push_back(on_info(field("strict", "input", "--strict", "treat any problem in the input as fatal", [](auto& r) -> auto& { return r.load.load.strict; })));
    t.push_back(on_info(parsed("max-input-bytes", "input", "--max-input-bytes",
        "cap on the bytes read from one input file or decompressed from it, e.g. 512M, 4G (default 2G)",
        [](RenderRequest& r, const std::string& v) { r.load.load.max_input_bytes = io::parse_byte_size(v, "--max-input-bytes"); },
        [](const RenderRequest& r) -> std::optional<std::string> {
            if (r.load.load.max_input_bytes == io::default_max_input_bytes) return std::nullopt;
            return std::to_string(r.load.load.max_input_bytes); })));
    t.push_back(on_info(field("csv-columns", "input", "--csv-columns",
        "column mapping for --format csv, e.g. 'time=ts:epoch_ms,lat=latitude,lon=longitude,alt=alt_ft:ft'", [](auto& r) -> auto& { return r.load.load.csv_columns; })));
    t.push_back(on_info(field("input-tz", "input", "--input-tz",
        "time zone of input times written without one (SBS-1 receiver clocks): an IANA name such as Europe/Paris (default: UTC, with a warning)",
        [](auto& r) -> auto& { return r.load.load.input_tz; }, [](const RenderRequest& r) { io::check_input_tz(r.load.load.input_tz); })));
    t.push_back(on_info(field("aircraft", "input", "--aircraft", "keep only this aircraft (ICAO address, registration or callsign); repeatable", [](auto& r) -> auto& { return r.load.aircraft; })));
    t.push_back(on_info(parsed("within", "input", "--within",
        "keep only aircraft with a fix inside lon_min,lat_min,lon_max,lat_max (degrees; during --time-range when given)",
        [](RenderRequest& r, const std::string& v) { r.load.load.within = parse_bbox(v, "--within"); },
        [](const RenderRequest& r) -> std::optional<std::string> {
            if (!r.load.load.within) return std::nullopt;
            const auto& b = *r.load.load.within;
            return format_extent(b.lon_min, b.lat_min, b.lon_max, b.lat_max); })));
    t.push_back(on_info(parsed("index-dir", "input", "--index-dir",
        "where archive indexes are looked up (default: $XDG_CACHE_HOME/flightreplay/index)",
        [](RenderRequest& r, const std::string& v) { r.load.load.index_dir = v; },
        [](const RenderRequest& r) -> std::optional<std::string> {
            if (r.load.load.index_dir.empty()) return std::nullopt;
            return r.load.load.index_dir.string(); })));
    t.push_back(on_info(parsed("merge", "input", "--merge",
        "how tracks of one aircraft join across files: auto (same ICAO address unless impossible; callsign or registration only across a consistent join), icao, callsign (join without checks) or never",
        [](RenderRequest& r, const std::string& v) {
            auto m = parse_merge_mode(v);
            if (!m) throw UsageError("invalid --merge '" + v + "': auto, icao, callsign or never");
            r.load.merge = *m; },
        [](const RenderRequest& r) -> std::optional<std::string> { return std::string(to_string(r.load.merge)); })));
    t.push_back(on_info(field("keep-outliers", "input", "--keep-outliers",
        "keep fixes rejected as physically impossible (altitude or position jumps) in the track, for inspection; info lists them either way",
        [](auto& r) -> auto& { return r.load.keep_outliers; })));
    t.push_back(on_info(field("verbose", "input", "-v,--verbose", "list every warning (repeats of one kind are otherwise folded into a count)",
        [](auto& r) -> auto& { return r.load.verbose; })));
    // [output]
    t.push_back(render_only(as_path(parsed("output", "output", "-o,--output",
        "output file: .png, .svg, .pdf (stills), .mp4, .webm, .gif (video), frames/%05d.png (PNG sequence), .geojson, .kml, .gpkg (analysed tracks), .csv (cleaned fixes)",
        [](RenderRequest& r, const std::string& v) { r.output = OutputSpec::parse(v); },
        [](const RenderRequest& r) -> std::optional<std::string> {
            if (r.output.empty()) return std::nullopt;
            return r.output.string(); }))));
    {
        auto g = parsed("geojson", "output", "--geojson-style",
            "GeoJSON export: rfc7946 (default: LineStrings with per-vertex times and altitude_m arrays) or kepler ([lon, lat, alt, unix_s] for kepler.gl trips)",
            [](RenderRequest& r, const std::string& v) {
                const auto style = parse_geojson_style(v);
                if (!style) throw UsageError("--geojson-style must be rfc7946 or kepler, not '" + v + "'");
                r.geojson_style = *style; },
            [](const RenderRequest& r) -> std::optional<std::string> {
                if (r.geojson_style == output::GeoJsonStyle::rfc7946) return std::nullopt;
                return std::string(to_string(r.geojson_style)); });
        t.push_back(render_only(std::move(g)));
    }
    t.push_back(parsed("size", "output", "--size", "output size WxH in pixels (default 1920x1080; PDF/SVG: CSS pixels, 1/96 in)",
        [](RenderRequest& r, const std::string& v) { std::tie(r.width, r.height) = parse_size(v); },
        [](const RenderRequest& r) -> std::optional<std::string> { return std::to_string(r.width) + "x" + std::to_string(r.height); }));
    t.push_back(render_only(field("aspect", "output", "--aspect", "aspect preset 16:9, 3:2, 4:3, 1:1 or 9:16: the height is derived from the --size width", [](auto& r) -> auto& { return r.aspect; },
        [](const RenderRequest& r) { if (!r.aspect.empty()) (void)aspect_height(r.width, r.aspect); })));
    t.push_back(render_only(field("dpi", "output", "--dpi", "PNG stills: pixels per inch (96 = --size as given; 192 doubles it)", [](auto& r) -> auto& { return r.dpi; },
        [](const RenderRequest& r) { if (!(r.dpi >= 24 && r.dpi <= 2400)) throw UsageError("--dpi must be between 24 and 2400"); })));
    // [time]
    t.push_back(parsed("at", "time", "--at", "still: replay time, ISO 8601 UTC or +offset from the start (default: the end); sheet: comma-separated times",
        [](RenderRequest& r, const std::string& v) {
            r.at.clear();
            if (v.empty()) return;
            for (const auto& item : split_commas(v)) r.at.push_back(parse_time(item, "--at")); },
        [](const RenderRequest& r) -> std::optional<std::string> {
            if (r.at.empty()) return std::nullopt;
            std::string out;
            for (const auto& time : r.at) out += (out.empty() ? "" : ",") + time.to_string();
            return out; }));
    // [view]
    t.push_back(field("crs", "view", "--crs", "output CRS: EPSG code or PROJ string (default: chosen to fit the flights)", [](auto& r) -> auto& { return r.crs; }));
    t.push_back(parsed("extent", "view", "--extent", "xmin,ymin,xmax,ymax in the CRS's units",
        [](RenderRequest& r, const std::string& v) { r.extent = parse_extent(v); },
        [](const RenderRequest& r) -> std::optional<std::string> {
            if (!r.extent) return std::nullopt;
            return format_extent(r.extent->xmin, r.extent->ymin, r.extent->xmax, r.extent->ymax); }));
    t.push_back(parsed("bbox", "view", "--bbox", "lon_min,lat_min,lon_max,lat_max in degrees",
        [](RenderRequest& r, const std::string& v) { r.bbox = parse_bbox(v); },
        [](const RenderRequest& r) -> std::optional<std::string> {
            if (!r.bbox) return std::nullopt;
            return format_extent(r.bbox->lon_min, r.bbox->lat_min, r.bbox->lon_max, r.bbox->lat_max); }));
    t.push_back(field("basemap", "view", "--basemap",
        "drawn instead of Natural Earth: a GDAL raster (GeoTIFF..., warped to the view), an OGR vector file, an MBTiles file, a tile folder 'DIR/{z}/{x}/{y}.png' or an XYZ tile URL 'https://.../{z}/{x}/{y}.png' ({-y}: TMS rows; {s}: first subdomain)",
        [](auto& r) -> auto& { return r.basemap; }));
    t.push_back(field("basemap-attribution", "view", "--basemap-attribution",
        "credit for the --basemap in the source line and file metadata (required for a tile URL; default: the MBTiles attribution or the file name)",
        [](auto& r) -> auto& { return r.basemap_attribution; }));
    t.push_back(field("offline", "view", "--offline", "tile basemaps: use only tiles already in the cache ($XDG_CACHE_HOME/flightreplay/tiles); a missing tile is an error",
        [](auto& r) -> auto& { return r.offline; }));
    t.push_back(field("max-tiles", "view", "--max-tiles", "tile basemaps: most tiles one view may need (default 4000); more is an error",
        [](auto& r) -> auto& { return r.max_tiles; },
        [](const RenderRequest& r) { if (r.max_tiles < 1) throw UsageError("--max-tiles must be at least 1"); }));
    t.push_back(choice("projection", "view",
        "auto, mercator, webmercator, equal-earth, robinson, orthographic, azimuthal-equidistant or lcc, centred on the data (--crs overrides)",
        "auto, mercator, webmercator, equal-earth, robinson, orthographic, azimuthal-equidistant or lcc",
        &RenderRequest::projection, &parse_projection, &projection_name));
    t.push_back(one_value_each(field("overlay", "view", "--overlay", "extra GDAL/OGR vector layer (points, lines, polygons) drawn over the basemap; repeatable", [](auto& r) -> auto& { return r.overlays; })));
    t.push_back(one_value_each(field("overlay-label", "view", "--overlay-label",
        "label the points of the --overlay before it with this attribute; in a scene file a list, one entry per overlay (\"\" for none)",
        [](auto& r) -> auto& { return r.overlay_labels; })));
    t.push_back(field("trail-minutes", "layout", "--trail-minutes", "trails fade out and end N minutes behind each aircraft", [](auto& r) -> auto& { return r.trail_minutes; },
        [](const RenderRequest& r) { if (r.trail_minutes && !(*r.trail_minutes > 0 && *r.trail_minutes <= 1e6)) throw UsageError("--trail-minutes must be more than 0 and at most 1000000"); }));
    t.push_back(choice("color-by", "layout", "trail colour: aircraft (one colour each) or altitude (viridis ramp with a legend)", "aircraft or altitude",
        &RenderRequest::color_by, &parse_color_by, &to_string));
    t.push_back(choice("style", "layout",
        "tracks (trails, icons and labels; default) or density (traffic heat over the trail fade window, default 30 min, for more aircraft than a frame can show)",
        "tracks or density", &RenderRequest::style, &parse_draw_style, &to_string));
    t.push_back(one_value_each(parsed_list("keyframe", "view", "--keyframe", "camera keyframe TIME,LON,LAT,WIDTH_KM (TIME ISO 8601 or +offset); repeatable: the view moves along the geodesic between keyframes",
        [](RenderRequest& r, const std::vector<std::string>& v) {
            r.camera.keyframes.clear();
            for (const auto& k : v) r.camera.keyframes.push_back(parse_keyframe(k)); },
        [](const RenderRequest& r) {
            std::vector<std::string> out;
            for (const auto& k : r.camera.keyframes) out.push_back(to_string(k));
            return out; })));
    t.push_back(field("follow", "view", "--follow", "camera follows this aircraft (callsign, registration or ICAO address), smoothed over 3 minutes", [](auto& r) -> auto& { return r.camera.follow; }));
    t.push_back(field("zoom-km", "view", "--zoom-km", "ground width of the frame when following, km (default 400)", [](auto& r) -> auto& { return r.camera.zoom_km; },
        [](const RenderRequest& r) { if (!(r.camera.zoom_km > 0 && r.camera.zoom_km <= 40'075)) throw UsageError("--zoom-km must be more than 0 and at most 40075 (the equator)"); }));
    t.push_back(field("theme", "layout", "--theme", "light, dark, print, or a theme .toml file (assets/themes/ shows the keys)", [](auto& r) -> auto& { return r.theme; }));
    t.push_back(field("profile", "layout", "--profile", "altitude and ground-speed profile inset with the current time marked", [](auto& r) -> auto& { return r.profile; }));
    t.push_back(parsed("time-range", "time", "--time-range", "replay only START,END (ISO 8601 UTC or +offsets from the start)",
        [](RenderRequest& r, const std::string& v) { r.time_range = r.load.time_range = parse_time_range_arg(v); },  // archives select members by it
        [](const RenderRequest& r) -> std::optional<std::string> {
            if (!r.time_range) return std::nullopt;
            return format_time_range(*r.time_range); }));
    // [layout]
    t.push_back(field("title", "layout", "--title", "title drawn at the top", [](auto& r) -> auto& { return r.title; }));
    t.push_back(field("subtitle", "layout", "--subtitle", "subtitle under the title", [](auto& r) -> auto& { return r.subtitle; }));
    t.push_back(field("source", "layout", "--source", "source line (the basemap credit is always added)", [](auto& r) -> auto& { return r.source; }));
    t.push_back(field("labels", "layout", "--labels,!--no-labels", "show aircraft labels (--no-labels hides them)", [](auto& r) -> auto& { return r.labels; }));
    t.push_back(field("great-circles", "layout", "--great-circles,!--no-great-circles",
        "show the great-circle reference routes (--no-great-circles hides them)", [](auto& r) -> auto& { return r.great_circles; }));
    t.push_back(render_only(parsed("sheet", "layout", "--sheet", "contact sheet CxR of small multiples at the --at times (default: evenly spaced over the time in the air)",
        [](RenderRequest& r, const std::string& v) {
            if (v.empty()) { r.sheet.reset(); return; }
            const auto [cols, rows] = parse_sheet(v);
            r.sheet = SheetGrid{cols, rows}; },
        [](const RenderRequest& r) -> std::optional<std::string> {
            if (!r.sheet) return std::nullopt;
            return r.sheet->to_string(); })));
    t.push_back(render_only(field("sheet-holds", "layout", "--sheet-holds", "contact sheet: spread the default times over the whole span, ground stops included",
        [](auto& r) -> auto& { return r.sheet_holds; })));
    // [video]
    t.push_back(render_only(field("fps", "video", "--fps", "video frames per second (default 30)", [](auto& r) -> auto& { return r.fps; },
        [](const RenderRequest& r) { if (r.fps < 1 || r.fps > 240) throw UsageError("--fps must be between 1 and 240"); })));
    t.push_back(field("duration", "video", "--duration", "video length in seconds (default 24)", [](auto& r) -> auto& { return r.duration_s; },
        [](const RenderRequest& r) { if (r.duration_s && !(*r.duration_s > 0)) throw UsageError("--duration must be positive (at most 86400 s without --allow-large)"); }));
    t.push_back(render_only(parsed("frames", "video", "--frames", "N total frames, or A:B to render only frames A..B-1 of the video",
        [](RenderRequest& r, const std::string& v) { std::tie(r.frames, r.frame_slice) = parse_frames(v); },
        [](const RenderRequest& r) -> std::optional<std::string> {
            if (r.frames) return std::to_string(*r.frames);
            if (r.frame_slice) return std::to_string(r.frame_slice->first) + ":" + std::to_string(r.frame_slice->second);
            return std::nullopt; })));
    t.push_back(parsed("speed", "video", "--speed", "replay speed, e.g. 600x (default: fit --duration)",
        [](RenderRequest& r, const std::string& v) { r.speed = parse_speed(v); },
        [](const RenderRequest& r) -> std::optional<std::string> {
            if (!r.speed) return std::nullopt;
            return format_real(*r.speed) + "x"; }));
    t.push_back(field("hold", "video", "--hold", "video seconds for each compressed ground stop or long gap (default 2)", [](auto& r) -> auto& { return r.hold_s; },
        [](const RenderRequest& r) { if (!(r.hold_s >= 0 && r.hold_s <= 3600)) throw UsageError("--hold must be 0 to 3600 seconds"); }));
    t.push_back(render_only(field("crf", "video", "--crf", "video quality (x264/VP9 CRF, default 23)", [](auto& r) -> auto& { return r.crf; },
        [](const RenderRequest& r) { if (r.crf < 0 || r.crf > 63) throw UsageError("--crf must be 0..63 (x264: 0..51)"); })));
    t.push_back(render_only(field("preset", "video", "--preset", "x264 preset (default veryfast)", [](auto& r) -> auto& { return r.preset; })));
    t.push_back(render_only(field("threads", "video", "--threads", "encoder threads (0 = automatic; 1 gives byte-identical output)", [](auto& r) -> auto& { return r.threads; },
        [](const RenderRequest& r) { if (r.threads < 0 || r.threads > 256) throw UsageError("--threads must be 0..256"); })));
    t.push_back(render_only(field("png-level", "video", "--png-level", "PNG sequence zlib level 0 (fast, large) to 9 (slow, small), default 3", [](auto& r) -> auto& { return r.png_level; },
        [](const RenderRequest& r) { if (r.png_level < 0 || r.png_level > 9) throw UsageError("--png-level must be 0..9"); })));
    t.push_back(render_only(field("title-card", "video", "--title-card", "seconds of title card before the replay (part of --duration), default 0", [](auto& r) -> auto& { return r.title_card_s; },
        [](const RenderRequest& r) { if (!(r.title_card_s >= 0)) throw UsageError("--title-card must not be negative"); })));
    t.push_back(render_only(field("fade", "video", "--fade", "seconds of fade-in at the start and fade-out at the end, default 0", [](auto& r) -> auto& { return r.fade_s; },
        [](const RenderRequest& r) { if (!(r.fade_s >= 0)) throw UsageError("--fade must not be negative"); })));
    // [run]
    t.push_back(field("quiet", "run", "-q,--quiet", "no progress or warnings on stderr", [](auto& r) -> auto& { return r.quiet; }));
    t.push_back(render_only(field("allow-large", "run", "--allow-large", "allow videos over 24 h or 10 million frames", [](auto& r) -> auto& { return r.allow_large; })));
    t.push_back(view_only(field("shaders", "window", "--shaders,!--no-shaders", "window: draw trails and icons with GLSL shaders (--no-shaders: everything with Cairo)", [](auto& r) -> auto& { return r.window.shaders; })));
    t.push_back(view_only(field("screenshot", "window", "--screenshot", "window: PNG file for the window's pixels (with --exit, or on F12)", [](auto& r) -> auto& { return r.window.screenshot; })));
    t.push_back(view_only(field("exit", "window", "--exit", "window: draw one frame, write --screenshot and quit", [](auto& r) -> auto& { return r.window.exit_after; })));
    t.push_back(view_only(field("still-dir", "window", "--still-dir", "window: folder for the stills S saves (default: the current folder)", [](auto& r) -> auto& { return r.window.still_dir; })));
    t.push_back(field("allow-empty", "run", "--allow-empty", "allow --at times outside the data (an empty map)", [](auto& r) -> auto& { return r.allow_empty; }));
    t.push_back(field("layers", "layout", "--layers", "switch map layers on (+) or off (-), e.g. '-cities,+rivers': " + render::layer_names(),
        [](auto& r) -> auto& { return r.layers; }, [](const RenderRequest& r) { render::MapLayers l; render::apply_layers(l, r.layers); }));
    t.push_back(field("tz", "layout", "--tz", "local time beside UTC: utc (none, default), auto (under the aircraft; stop cards: the airport's zone) or a zone such as Asia/Seoul",
        [](auto& r) -> auto& { return r.tz; }, [](const RenderRequest& r) { render::check_tz_option(r.tz); }));
    // clang-format on
    return t;
}

OptionValue parse_cli_text(const OptionSpec& s, const std::string& text) {
    if (s.kind == OptionKind::integer) {
        long long v = 0;
        auto r = std::from_chars(text.data(), text.data() + text.size(), v);
        if (r.ec == std::errc::result_out_of_range || (r.ptr == text.data() + text.size() && (v < INT32_MIN || v > INT32_MAX)))
            throw UsageError("invalid --" + s.key + " '" + text + "': out of range");
        if (r.ec != std::errc{} || r.ptr != text.data() + text.size())
            throw UsageError("invalid --" + s.key + " '" + text + "': expected an integer");
        return v;
    }
    if (s.kind == OptionKind::real) {
        double v = 0;
        auto r = std::from_chars(text.data(), text.data() + text.size(), v);
        if (r.ec != std::errc{} || r.ptr != text.data() + text.size() || !std::isfinite(v))
            throw UsageError("invalid --" + s.key + " '" + text + "': expected a number");
        return v;
    }
    return text;
}

std::string toml_string(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04X", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

std::string toml_value(const OptionValue& v) {
    if (auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
    if (auto* i = std::get_if<long long>(&v)) return std::to_string(*i);
    if (auto* d = std::get_if<double>(&v)) {
        auto s = format_real(*d);
        if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // TOML: a float needs a point
        return s;
    }
    if (auto* s = std::get_if<std::string>(&v)) return toml_string(*s);
    const auto& list = std::get<std::vector<std::string>>(v);
    std::string out = "[";
    for (std::size_t i = 0; i < list.size(); ++i) out += (i ? ", " : "") + toml_string(list[i]);
    return out + "]";
}

/// A URL (a tile server template) is not a path: kept as given.
bool is_url(const std::string& p) { return p.find("://") != std::string::npos; }

std::string absolute_text(const std::string& p) {
    if (p.empty() || is_url(p)) return p;
    return fs::absolute(fs::path(p)).lexically_normal().string();
}

std::string where(const std::string& origin, const toml::source_region& src) {
    return origin + ":" + std::to_string(src.begin.line) + ":" + std::to_string(src.begin.column) + ": ";
}

}  // namespace

const std::vector<OptionSpec>& render_options() {
    static const std::vector<OptionSpec> table = make_table();
    return table;
}

void CliBindings::add_to(CLI::App& sub, Command command) {
    m_app = &sub;
    for (const auto& spec : render_options()) {
        if (command == Command::info && !spec.on_info) continue;
        if (command == Command::render && spec.scope == OptionScope::view) continue;
        auto slot = std::make_unique<Slot>();
        slot->spec = &spec;
        if (spec.kind == OptionKind::flag) {
            slot->option = sub.add_flag(spec.cli, slot->flag, spec.help);
        } else if (spec.kind == OptionKind::list) {
            slot->option = sub.add_option(spec.cli.empty() ? spec.key : spec.cli, slot->list, spec.help);
            if (spec.one_value_each) slot->option->allow_extra_args(false);
        } else {
            slot->option = sub.add_option(spec.cli.empty() ? spec.key : spec.cli, slot->text, spec.help);
            slot->option->type_name(spec.kind == OptionKind::integer ? "INT" : spec.kind == OptionKind::real ? "NUMBER" : "TEXT");
        }
        m_slots.push_back(std::move(slot));
    }
}

std::vector<const OptionSpec*> CliBindings::given() const {
    std::vector<const OptionSpec*> out;
    for (const auto& slot : m_slots)
        if (slot->option->count() > 0) out.push_back(slot->spec);
    return out;
}

void CliBindings::apply(RenderRequest& req) const {
    const Slot* overlay = nullptr;
    const Slot* overlay_label = nullptr;
    for (const auto& slot : m_slots) {
        if (slot->spec->key == "overlay") overlay = slot.get();
        if (slot->spec->key == "overlay-label") overlay_label = slot.get();
        if (slot->option->count() == 0) continue;
        const auto& s = *slot->spec;
        if (s.kind == OptionKind::flag)
            s.set(req, slot->flag);
        else if (s.kind == OptionKind::list)
            s.set(req, slot->list);
        else
            s.set(req, parse_cli_text(s, slot->text));
    }
    // Each --overlay-label applies to the --overlay before it: line the labels up with the
    // overlays by the order they were given (overlays given here replace a scene file's, labels too).
    const bool overlays_given = overlay && overlay->option->count() > 0;
    const bool labels_given = overlay_label && overlay_label->option->count() > 0;
    if (!overlays_given && !labels_given) return;
    if (labels_given && !overlays_given)
        throw UsageError("--overlay-label " + overlay_label->list.front() +
                         ": no --overlay before it (each --overlay-label labels the --overlay it follows)");
    std::vector<std::string> labels(req.overlays.size());
    std::size_t n_overlay = 0, n_label = 0;
    for (const CLI::Option* o : m_app->parse_order()) {
        if (o == overlay->option) {
            ++n_overlay;
        } else if (overlay_label && o == overlay_label->option) {
            const std::string& text = overlay_label->list.at(n_label++);
            if (n_overlay == 0)
                throw UsageError("--overlay-label " + text +
                                 ": no --overlay before it (each --overlay-label labels the --overlay it follows)");
            if (!labels[n_overlay - 1].empty())
                throw UsageError("--overlay-label " + text + ": the --overlay before it already has --overlay-label " +
                                 labels[n_overlay - 1]);
            labels[n_overlay - 1] = text;
        }
    }
    while (!labels.empty() && labels.back().empty()) labels.pop_back();
    req.overlay_labels = std::move(labels);
}

void load_scene_text(std::string_view toml_text, const std::string& origin, const fs::path& base_dir, RenderRequest& req) {
    toml::table root;
    try {
        root = toml::parse(toml_text, origin);
    } catch (const toml::parse_error& e) {
        throw UsageError(where(origin, e.source()) + std::string(e.description()) + " (scene file not read)");
    }
    std::set<std::string> sections;
    for (const auto& s : render_options()) sections.insert(s.section);
    for (auto&& [section_key, section_node] : root) {
        const std::string section(section_key.str());
        auto* table = section_node.as_table();
        if (!sections.count(section) || !table) {
            std::string all;
            for (const auto& n : sections) all += (all.empty() ? "" : ", ") + n;
            throw UsageError(where(origin, section_key.source()) + "unknown table '" + section + "' (expected one of: " + all +
                             "; scene file not read)");
        }
        for (auto&& [key_key, node] : *table) {
            const std::string key(key_key.str());
            const OptionSpec* spec = nullptr;
            for (const auto& s : render_options())
                if (s.section == section && s.key == key) spec = &s;
            if (!spec) {
                std::string all;
                for (const auto& s : render_options())
                    if (s.section == section) all += (all.empty() ? "" : ", ") + s.key;
                throw UsageError(where(origin, key_key.source()) + "unknown key '" + key + "' in [" + section +
                                 "] (expected one of: " + all + "; scene file not read)");
            }
            const auto at = where(origin, node.source());
            auto type_error = [&](const char* want) {
                return UsageError(at + "[" + section + "] " + key + " must be " + want + " (scene file not read)");
            };
            auto resolve = [&](const std::string& p) -> std::string {
                if (!spec->path || p.empty() || is_url(p) || fs::path(p).is_absolute()) return p;
                return (base_dir / p).lexically_normal().string();
            };
            OptionValue value;
            switch (spec->kind) {
                case OptionKind::flag:
                    if (!node.is_boolean()) throw type_error("true or false");
                    value = node.as_boolean()->get();
                    break;
                case OptionKind::integer:
                    if (!node.is_integer()) throw type_error("an integer");
                    if (node.as_integer()->get() < INT32_MIN || node.as_integer()->get() > INT32_MAX) throw type_error("a 32-bit integer");
                    value = node.as_integer()->get();
                    break;
                case OptionKind::real:
                    if (node.is_integer())
                        value = static_cast<double>(node.as_integer()->get());
                    else if (node.is_floating_point())
                        value = node.as_floating_point()->get();
                    else
                        throw type_error("a number");
                    break;
                case OptionKind::text:
                    if (!node.is_string()) throw type_error("a string");
                    value = resolve(node.as_string()->get());
                    break;
                case OptionKind::list: {
                    std::vector<std::string> items;
                    if (node.is_string()) {
                        items.push_back(resolve(node.as_string()->get()));
                    } else if (auto* arr = node.as_array()) {
                        for (auto&& item : *arr) {
                            if (!item.is_string()) throw type_error("a string or an array of strings");
                            items.push_back(resolve(item.as_string()->get()));
                        }
                    } else {
                        throw type_error("a string or an array of strings");
                    }
                    value = std::move(items);
                    break;
                }
            }
            try {
                spec->set(req, value);
            } catch (const UsageError& e) {
                throw UsageError(at + e.what() + " ([" + section + "] " + key + "; scene file not read)");
            }
        }
    }
}

void load_scene_file(const fs::path& file, RenderRequest& req) {
    // Capped (a scene is a few KB; `--scene /dev/zero` must not read forever).
    constexpr std::uint64_t max_scene_bytes = std::uint64_t{16} << 20;
    const auto text = io::read_input(file, max_scene_bytes).text;
    const auto base = fs::absolute(file).parent_path();
    load_scene_text(text, file.string(), base, req);
}

std::string dump_scene(const RenderRequest& req) {
    std::string out =
        "# flightreplay scene: render it with `flightreplay render --scene FILE`.\n"
        "# Options given on the command line override these. Schema: docs/scene-files.md\n";
    // Grouped by table (in the order tables first appear), options in table order within each:
    // TOML allows each table header once.
    std::vector<std::string> sections;
    for (const auto& s : render_options())
        if (std::find(sections.begin(), sections.end(), s.section) == sections.end()) sections.push_back(s.section);
    std::string current;
    for (const auto& section : sections)
        for (const auto& s : render_options()) {
            if (s.section != section) continue;
            auto v = s.get(req);
            if (!v) continue;
            if (s.path) {
                if (auto* t = std::get_if<std::string>(&*v)) *t = absolute_text(*t);
                if (auto* l = std::get_if<std::vector<std::string>>(&*v))
                    for (auto& p : *l) p = absolute_text(p);
            }
            if (s.section != current) {
                out += "\n[" + s.section + "]\n";
                current = s.section;
            }
            out += "# " + s.help + "\n" + s.key + " = " + toml_value(*v) + "\n";
        }
    return out;
}

void validate_request(const RenderRequest& req) {
    if (req.load.inputs.empty()) throw UsageError("no input files: give them on the command line or as [input] inputs in a scene file");
    if (req.output.empty()) throw UsageError("no output file: give -o FILE or [output] output in a scene file");
    if (req.frame_slice && !req.duration_s)
        throw UsageError("--frames A:B needs --duration (the slice is of the video --duration defines)");
    check_request(req);
}

}  // namespace fr::app
