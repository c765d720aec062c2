#pragma once
// Checks of a render (or view) request, in two steps so that no output is begun on a bad
// command line: check_request() before any file is read (syntax and ranges), then
// resolve_against_data() right after loading (times and aircraft against the data). Both throw
// fr::UsageError naming the option; the limits are listed in docs/command-line.md.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/render_command.hpp"
#include "core/time.hpp"
#include "core/track.hpp"
#include "pipeline/time_arg.hpp"

namespace fr::app {

/// Ceilings that --allow-large lifts (to the hard limits below): a day of video, 10 million
/// frames. Longer requests are almost always typos (an extra zero, ms for s).
inline constexpr double kMaxVideoSeconds = 24 * 3600.0;
inline constexpr long long kMaxFrames = 10'000'000;
/// Hard limits, even with --allow-large: keep frame counts and times far from overflow.
inline constexpr double kHardMaxVideoSeconds = 1e8;
inline constexpr long long kHardMaxFrames = 1'000'000'000;
/// --extent: the smallest ground per pixel, CRS units per pixel (metres for projected CRSs;
/// 1e-7 degrees, about 1 cm, for geographic ones). Finer views only draw empty map, slowly.
inline constexpr double kMinUnitsPerPixel = 0.01;
inline constexpr double kMinDegreesPerPixel = 1e-7;

// The time options' parser lives with the pipeline (an absolute --time-range selects archive
// members while loading).
using pipeline::parse_time;
using pipeline::parse_time_range_arg;
using pipeline::TimeArg;

/// The base of every +offset time (--at, --time-range, --keyframe, sheet times, scene files):
/// the earliest accepted fix of the selected aircraft, before --time-range clipping.
/// Requires at least one flight with a point.
TimePoint time_base(const std::vector<Flight>& flights);

/// Before loading: syntax of every time option, numeric ranges and ceilings, the size a video
/// needs, the smallest --extent. Throws fr::UsageError.
void check_request(const RenderRequest& req);

/// After loading, before any output: resolves every time option to absolute UTC in `req`
/// (so the rest of the run sees one base), and checks --at, --time-range and --keyframe lie
/// in the data and --follow names a loaded aircraft. Throws fr::UsageError naming the
/// option and the data's span.
void resolve_against_data(RenderRequest& req, const std::vector<Flight>& flights);

/// A video's total frame count against the ceilings. Throws fr::UsageError.
void check_frame_count(long long frames, const RenderRequest& req);

}  // namespace fr::app
