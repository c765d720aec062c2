#include "app/window/view_cli.hpp"

#include <iostream>

#include "app/cli.hpp"
#include "core/error.hpp"

namespace fr::app::window {

ViewCli::ViewCli(CLI::App& app) {
    m_sub = app.add_subcommand("view", "open an interactive replay window (press H in it for the keys)");
    auto* s = m_sub;
    auto& o = m_req.scene;
    s->add_option("inputs", m_load.inputs, "track files or directories")->required();
    s->add_option("--format", m_format, "input format (default: detected from content)");
    s->add_flag("--strict", m_load.load.strict, "treat any problem in the input as fatal");
    s->add_option("--csv-columns", m_load.load.csv_columns, "column mapping for --format csv");
    s->add_option("--aircraft", m_load.aircraft, "keep only this aircraft (ICAO address, registration or callsign); repeatable");
    s->add_option("--at", m_req.at, "start paused at this replay time: ISO 8601 UTC or +offset from the start");
    s->add_option("--size", m_size, "window size WxH (default 1280x720)");
    s->add_option("--speed", m_speed, "replay speed, e.g. 600x (default: that of the default video)");
    s->add_option("--duration", m_req.duration_s, "the clock: as the timeline of a video this long (default 24 s)")->check(CLI::PositiveNumber);
    s->add_option("--hold", m_req.hold_s, "seconds for each compressed ground stop or long gap (default 2)")->check(CLI::NonNegativeNumber);
    s->add_option("--crs", o.crs, "CRS: EPSG code or PROJ string (default: chosen to fit the flights)");
    s->add_option("--extent", m_extent, "xmin,ymin,xmax,ymax in the CRS's units");
    s->add_option("--bbox", m_bbox, "lon_min,lat_min,lon_max,lat_max in degrees");
    s->add_option("--title", o.title, "title drawn at the top");
    s->add_option("--subtitle", o.subtitle, "subtitle under the title");
    s->add_option("--source", o.source, "source line (the basemap credit is always added)");
    s->add_option("--basemap", o.basemap, "a GDAL/OGR vector file to draw instead of Natural Earth");
    s->add_flag("!--no-labels", o.labels, "start with aircraft labels hidden (L toggles)");
    s->add_flag("!--no-great-circles", o.great_circles, "start with great circles hidden (G toggles)");
    s->add_flag("!--no-shaders", m_req.shaders, "draw everything with Cairo (no GLSL)");
    s->add_option("--screenshot", m_req.screenshot, "PNG file for the window's pixels (with --exit, or on F12)");
    s->add_flag("--exit", m_req.exit_after, "draw one frame, write --screenshot and quit");
    s->add_option("--still-dir", m_req.still_dir, "folder for the stills S saves (default: current folder)");
    s->add_flag("-q,--quiet", m_req.quiet, "no warnings on stderr");
}

int ViewCli::run() {
    m_load.load.format = io::parse_format(m_format);
    std::tie(m_req.scene.width, m_req.scene.height) = parse_size(m_size);
    if (!m_extent.empty()) m_req.scene.extent = parse_extent(m_extent);
    if (!m_bbox.empty()) m_req.scene.bbox = parse_bbox(m_bbox);
    if (!m_speed.empty()) m_req.speed = parse_speed(m_speed);
    const auto data = load_and_analyse(m_load);
    if (!m_req.quiet)
        std::cerr << format_grouped(data.diagnostics, m_load.verbose);
    return run_view(data, m_req);
}

}  // namespace fr::app::window
