#pragma once
// The still path of `flightreplay render`: PNG (at --dpi), SVG and PDF pages of one scene at one
// time or a contact sheet of several times (--sheet), and analysed-track exports (.geojson,
// .kml, .gpkg). Videos are video_command.cpp's.
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/render_command.hpp"
#include "render/cairo_handles.hpp"
#include "render/layout.hpp"

namespace fr::app {

/// Renders or exports; returns the exit status. Throws fr::UsageError for invalid options,
/// fr::IoError and fr::RenderError with context.
int run_still(const RenderRequest& req);

/// A raster still drawn from loaded data: exactly what `render -o X.png` writes.
struct RasterStill {
    render::SurfacePtr surface;                             ///< Cairo ARGB32 (premultiplied), --size scaled by --dpi/96 pixels
    std::vector<std::pair<std::string, std::string>> tags;  ///< the PNG's provenance tEXt chunks
    std::vector<TimePoint> times;                           ///< the replay times shown (one, or a sheet's)
};

/// Draws the PNG still `req` describes (its output path is ignored) from `data` as
/// load_and_analyse returned it. Throws as run_still; loads nothing.
RasterStill draw_raster_still(const RenderRequest& req, const LoadedData& data);

/// run_still without the loading and the messages: writes req.output (PNG, SVG, PDF or a track
/// export) from `data`. Returns the replay times shown (empty for track exports).
std::vector<TimePoint> write_still(const RenderRequest& req, const LoadedData& data);

/// Where a contact sheet (--sheet) puts things, page pixels (CSS px, before --dpi): the
/// header band (title, subtitle, provenance banner), the panels in reading order, and the
/// footer band (one box per legend entry, the source line). The banner, legend and source line
/// are drawn once for the page, not per panel.
struct SheetLayout {
    render::Box header, footer;
    std::optional<render::Box> title, subtitle, banner, source;
    std::vector<render::Box> panels;
    std::vector<render::Box> legend;
};

/// The layout of the sheet `req` describes (req.sheet set) for `data`. Throws as run_still.
SheetLayout sheet_layout(const RenderRequest& req, const LoadedData& data);

/// Time intervals [from, to], sorted and disjoint.
using Intervals = std::vector<std::pair<TimePoint, TimePoint>>;

/// The times a contact sheet shows: the --at list (comma-separated, each as parse_time_arg),
/// else `cells` times evenly spaced over the `airborne` intervals (the first at the first
/// take-off, the last at the last landing, ground stops between them skipped), or, when
/// `airborne` is empty (`--sheet-holds`, or nothing flown in view), evenly from `start` to `end`
/// inclusive. Throws fr::UsageError when the list has more times than cells.
std::vector<TimePoint> sheet_times(const std::vector<TimeRef>& at, int cells, TimePoint start, TimePoint end,
                                   const Intervals& airborne = {});

/// The time in the air of every leg (take-off, or first fix, to landing, or last fix), clipped to
/// [start, end], overlapping intervals of several aircraft joined.
Intervals airborne_intervals(const LoadedData& data, TimePoint start, TimePoint end);

}  // namespace fr::app
