#include "app/cli.hpp"

#include <CLI/CLI.hpp>

#include <charconv>
#include <iostream>
#include <sstream>

#include "analysis/report_json.hpp"
#include "app/pipeline.hpp"
#include "app/render_command.hpp"
#include "core/error.hpp"

namespace fr::app {

namespace {

std::vector<double> parse_numbers(const std::string& s, std::size_t n, const std::string& what) {
    std::vector<double> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ',')) {
        double v = 0;
        auto r = std::from_chars(item.data(), item.data() + item.size(), v);
        if (r.ec != std::errc{} || r.ptr != item.data() + item.size() || !std::isfinite(v))
            throw UsageError("invalid " + what + " '" + s + "': '" + item + "' is not a number");
        out.push_back(v);
    }
    if (out.size() != n) throw UsageError("invalid " + what + " '" + s + "': expected " + std::to_string(n) + " comma-separated numbers");
    return out;
}

long long parse_ll(const std::string& s, const std::string& what) {
    long long v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) throw UsageError("invalid " + what + " '" + s + "'");
    return v;
}

}  // namespace

std::pair<int, int> parse_size(const std::string& s) {
    const auto x = s.find('x');
    if (x == std::string::npos) throw UsageError("invalid --size '" + s + "': expected WxH, e.g. 1920x1080");
    return {static_cast<int>(parse_ll(s.substr(0, x), "--size width")), static_cast<int>(parse_ll(s.substr(x + 1), "--size height"))};
}

geo::Extent parse_extent(const std::string& s) {
    auto v = parse_numbers(s, 4, "--extent");
    if (v[2] <= v[0] || v[3] <= v[1]) throw UsageError("invalid --extent '" + s + "': need xmin < xmax and ymin < ymax");
    return {v[0], v[1], v[2], v[3]};
}

geo::GeoBounds parse_bbox(const std::string& s) {
    auto v = parse_numbers(s, 4, "--bbox");
    if (v[1] < -90 || v[3] > 90 || v[1] >= v[3]) throw UsageError("invalid --bbox '" + s + "': latitudes must be -90 <= lat_min < lat_max <= 90");
    double lon_max = v[2];
    if (lon_max <= v[0]) lon_max += 360.0;  // crosses the antimeridian
    if (lon_max - v[0] > 360.0) throw UsageError("invalid --bbox '" + s + "': longitude span exceeds 360 degrees");
    return {v[0], lon_max, v[1], v[3]};
}

double parse_speed(const std::string& s) {
    std::string t = s;
    if (!t.empty() && (t.back() == 'x' || t.back() == 'X')) t.pop_back();
    double v = 0;
    auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || r.ec != std::errc{} || r.ptr != t.data() + t.size() || !(v > 0))
        throw UsageError("invalid --speed '" + s + "': expected a positive factor such as 600x");
    return v;
}

std::pair<std::optional<long long>, std::optional<std::pair<long long, long long>>> parse_frames(const std::string& s) {
    const auto colon = s.find(':');
    if (colon == std::string::npos) {
        const auto n = parse_ll(s, "--frames");
        if (n <= 0) throw UsageError("invalid --frames '" + s + "': must be positive");
        return {n, std::nullopt};
    }
    const auto a = parse_ll(s.substr(0, colon), "--frames start"), b = parse_ll(s.substr(colon + 1), "--frames end");
    if (a < 0 || b <= a) throw UsageError("invalid --frames '" + s + "': need 0 <= A < B");
    return {std::nullopt, std::pair{a, b}};
}

int main_entry(int argc, char** argv) {
    CLI::App app{"flightreplay: replay recorded flight tracks over a map and export what it shows"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("flightreplay ") + FR_VERSION);

    LoadRequest load;
    std::string format_name = "auto";
    auto add_load_options = [&](CLI::App* sub) {
        sub->add_option("inputs", load.inputs, "track files or directories")->required();
        sub->add_option("--format", format_name, "input format (default: detected from content)");
        sub->add_flag("--strict", load.load.strict, "treat any problem in the input as fatal");
        sub->add_option("--csv-columns", load.load.csv_columns,
                        "column mapping for --format csv, e.g. 'time=ts:epoch_ms,lat=latitude,lon=longitude,alt=alt_ft:ft'");
        sub->add_option("--aircraft", load.aircraft, "keep only this aircraft (ICAO address, registration or callsign); repeatable");
    };

    auto* info = app.add_subcommand("info", "print legs, ground stops and coverage gaps");
    add_load_options(info);
    bool json = false;
    info->add_flag("--json", json, "print the documented JSON schema instead of a table");

    auto* render = app.add_subcommand("render", "render a still (.png) or a video (.mp4, .webm)");
    add_load_options(render);
    RenderRequest rq;
    std::string size = "1920x1080", extent, bbox, frames, speed;
    render->add_option("-o,--output", rq.output, "output file: .png, .mp4 or .webm")->required();
    render->add_option("--at", rq.at, "still: replay time, ISO 8601 UTC or +offset from the start (default: the end)");
    render->add_option("--size", size, "output size WxH (default 1920x1080)");
    render->add_option("--fps", rq.fps, "video frames per second (default 30)")->check(CLI::Range(1, 240));
    render->add_option("--duration", rq.duration_s, "video length in seconds (default 24)")->check(CLI::PositiveNumber);
    render->add_option("--frames", frames, "N total frames, or A:B to render only frames A..B-1 of the video");
    render->add_option("--speed", speed, "replay speed, e.g. 600x (default: fit --duration)");
    render->add_option("--hold", rq.hold_s, "video seconds for each compressed ground stop or long gap (default 2)")->check(CLI::NonNegativeNumber);
    render->add_option("--crs", rq.crs, "output CRS: EPSG code or PROJ string (default: chosen to fit the flights)");
    render->add_option("--extent", extent, "xmin,ymin,xmax,ymax in the CRS's units");
    render->add_option("--bbox", bbox, "lon_min,lat_min,lon_max,lat_max in degrees");
    render->add_option("--title", rq.title, "title drawn at the top");
    render->add_option("--subtitle", rq.subtitle, "subtitle under the title");
    render->add_option("--source", rq.source, "source line (the basemap credit is always added)");
    render->add_option("--basemap", rq.basemap, "a GDAL/OGR vector file to draw instead of Natural Earth");
    render->add_flag("!--no-labels", rq.labels, "hide aircraft labels");
    render->add_flag("!--no-great-circles", rq.great_circles, "hide the great-circle reference routes");
    render->add_option("--crf", rq.crf, "video quality (x264/VP9 CRF, default 23)");
    render->add_option("--preset", rq.preset, "x264 preset (default veryfast)");
    render->add_option("--threads", rq.threads, "encoder threads (0 = automatic; 1 gives byte-identical output)");
    render->add_flag("-q,--quiet", rq.quiet, "no progress or warnings on stderr");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    try {
        load.load.format = io::parse_format(format_name);
        if (info->parsed()) {
            auto data = load_and_analyse(load);
            for (const auto& d : data.diagnostics.items()) std::cerr << format(d) << "\n";
            if (data.rows_skipped > 0)
                std::cerr << "flightreplay: " << data.rows_skipped << " of " << data.rows_read << " row(s) skipped\n";
            std::cout << (json ? analysis::to_json(data.flights, data.analyses) : analysis::to_table(data.flights, data.analyses));
            return 0;
        }
        rq.load = load;
        std::tie(rq.width, rq.height) = parse_size(size);
        if (!extent.empty()) rq.extent = parse_extent(extent);
        if (!bbox.empty()) rq.bbox = parse_bbox(bbox);
        if (!speed.empty()) rq.speed = parse_speed(speed);
        if (!frames.empty()) {
            auto [n, slice] = parse_frames(frames);
            rq.frames = n;
            rq.frame_slice = slice;
            if (slice && !rq.duration_s) throw UsageError("--frames A:B needs --duration (DECISIONS.md)");
        }
        return run_render(rq);
    } catch (const UsageError& e) {
        std::cerr << "flightreplay: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::string msg = e.what();
        if (msg.rfind("flightreplay:", 0) != 0) msg = "flightreplay: " + msg;
        std::cerr << msg << "\n";
        return 1;
    }
}

}  // namespace fr::app
