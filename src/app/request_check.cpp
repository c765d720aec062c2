#include "app/request_check.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>

#include "app/cli.hpp"
#include "core/error.hpp"
#include "core/lat_lon.hpp"
#include "geo/projector.hpp"
#include "io/map/raster_basemap.hpp"

namespace fr::app {

namespace {

std::string span_text(TimePoint a, TimePoint b) { return "the data span " + format_iso8601(a) + " .. " + format_iso8601(b); }

}  // namespace

TimeRef parse_time(const std::string& text, const std::string& option) {
    if (auto t = TimeRef::parse(text)) return *t;
    throw UsageError("invalid " + option + " time '" + text +
                     "': expected ISO 8601 UTC (2023-08-01T05:11:31Z) or an offset from the first fix (+13h20m, at most 36500d)");
}

TimeRange parse_time_range_arg(const std::string& text) {
    const auto comma = text.find(',');
    if (comma == std::string::npos)
        throw UsageError("invalid --time-range '" + text + "': expected START,END (ISO 8601 UTC or +offsets from the first fix)");
    const TimeRange r{parse_time(text.substr(0, comma), "--time-range"), parse_time(text.substr(comma + 1), "--time-range")};
    const bool same_kind = r.start.is_absolute() == r.end.is_absolute();
    if (same_kind && !(r.start.resolve(TimePoint{}) < r.end.resolve(TimePoint{})))
        throw UsageError("invalid --time-range '" + text + "': START must be before END");
    return r;
}

std::string format_time_range(const TimeRange& r) { return r.start.to_string() + "," + r.end.to_string(); }

TimePoint time_base(const std::vector<Flight>& flights) {
    TimePoint first = TimePoint::max();
    for (const auto& f : flights)
        if (!f.points.empty()) first = std::min(first, f.points.front().time());
    return first;
}

void check_request(const RenderRequest& req) {
    // Times, keyframes and choices were parsed when given (the option table); what is left are
    // the checks that need several options.
    if (!req.camera.keyframes.empty() && !req.camera.follow.empty())
        throw UsageError("--keyframe and --follow cannot be combined: choose one camera");
    if (req.at.size() > 1 && !req.sheet)
        throw UsageError("--at lists " + std::to_string(req.at.size()) + " times: a still shows one (several only with --sheet)");
    if (req.sheet && static_cast<int>(req.at.size()) > req.sheet->cells())
        throw UsageError("--at lists " + std::to_string(req.at.size()) + " times but the sheet has " + std::to_string(req.sheet->cells()) +
                         " cells");

    // Tile basemaps: the template's syntax; a tile server's terms ask for a credit.
    if (!req.basemap.empty()) {
        const auto kind = io::tile_kind(req.basemap.string());
        if (kind == io::TileKind::url && req.basemap_attribution.empty())
            throw UsageError("--basemap " + req.basemap.string() +
                             " is a tile server: give its credit with --basemap-attribution TEXT (its terms ask for one)");
    }
    if (req.overlay_labels.size() > req.overlays.size())
        throw UsageError("--overlay-label: " + std::to_string(req.overlay_labels.size()) + " labels for " +
                         std::to_string(req.overlays.size()) + " overlays (each --overlay-label applies to the --overlay before it)");

    // Sizes (--aspect may derive a height out of range).
    if (!req.aspect.empty()) {
        const int h = aspect_height(req.width, req.aspect);
        if (h < kMinSide || h > kMaxSide || static_cast<long long>(req.width) * h > kMaxPixels)
            throw UsageError("--aspect " + req.aspect + " with --size width " + std::to_string(req.width) + " gives a height of " +
                             std::to_string(h) + " pixels (each side must be " + std::to_string(kMinSide) + " to " +
                             std::to_string(kMaxSide) + ")");
    }

    // Video length ceilings.
    const double max_s = req.allow_large ? kHardMaxVideoSeconds : kMaxVideoSeconds;
    if (req.duration_s && *req.duration_s > max_s)
        throw UsageError("--duration " + std::to_string(std::llround(*req.duration_s)) + " s is longer than " +
                         std::to_string(std::llround(max_s)) + " s of video" +
                         (req.allow_large ? "" : " (24 h); --allow-large lifts this"));
    if (req.frames) check_frame_count(*req.frames, req);
    if (req.frame_slice) check_frame_count(req.frame_slice->second, req);
    if (req.duration_s) check_frame_count(std::llround(*req.duration_s * req.fps), req);
    if (req.title_card_s > max_s || req.fade_s > max_s) throw UsageError("--title-card and --fade must be at most the longest video");

    // --extent: at least kMinUnitsPerPixel of ground per pixel.
    if (req.extent) {
        bool geographic = false;
        if (!req.crs.empty()) {
            try {
                geographic = geo::Projector(req.crs).is_geographic();
            } catch (const ProjError& e) {
                throw UsageError("invalid --crs '" + req.crs + "': " + e.what());
            }
        }
        const double min = geographic ? kMinDegreesPerPixel : kMinUnitsPerPixel;
        const double per_px = std::min(req.extent->width() / req.width, req.extent->height() / req.height);
        if (per_px < min) {
            std::ostringstream m;
            m << "--extent is too small for --size " << req.width << "x" << req.height << ": " << per_px << (geographic ? " degrees" : " m")
              << " per pixel; the least is " << min << (geographic ? " degrees" : " m (1 cm)") << " per pixel";
            throw UsageError(m.str());
        }
    }
}

void check_frame_count(long long frames, const RenderRequest& req) {
    const long long max_frames = req.allow_large ? kHardMaxFrames : kMaxFrames;
    if (frames > max_frames)
        throw UsageError("the video would have " + std::to_string(frames) + " frames, more than " + std::to_string(max_frames) +
                         (req.allow_large ? "" : " (--allow-large lifts this)") + "; check --duration, --frames, --fps and --speed");
}

void resolve_against_data(RenderRequest& req, const std::vector<Flight>& flights) {
    const TimePoint base = time_base(flights);
    TimePoint last = base;
    for (const auto& f : flights)
        if (!f.points.empty()) last = std::max(last, f.points.back().time());
    const std::string span = span_text(base, last);

    TimePoint lo = base, hi = last;  // where --at may fall: the data, clipped to --time-range
    if (req.time_range) {
        const TimePoint ta = req.time_range->start.resolve(base), tb = req.time_range->end.resolve(base);
        const std::string given = format_time_range(*req.time_range);
        if (!(ta < tb)) throw UsageError("invalid --time-range '" + given + "': START must be before END (" + span + ")");
        if (tb < base || ta > last)
            throw UsageError("--time-range " + given + " (" + format_iso8601(ta) + " .. " + format_iso8601(tb) + ") does not overlap " +
                             span);
        lo = std::max(lo, ta);
        hi = std::min(hi, tb);
        req.time_range = TimeRange{TimeRef::at_time(ta), TimeRef::at_time(tb)};
        req.load.time_range = req.time_range;
    }
    for (auto& item : req.at) {
        const TimePoint t = item.resolve(base);
        if ((t < lo || t > hi) && !req.allow_empty)
            throw UsageError("--at " + item.to_string() + " (" + format_iso8601(t) + ") is outside " +
                             (req.time_range ? "--time-range " + format_iso8601(lo) + " .. " + format_iso8601(hi) : span) +
                             " (--allow-empty draws it anyway)");
        item = TimeRef::at_time(t);
    }
    for (auto& k : req.camera.keyframes) {
        const TimePoint tk = k.time.resolve(base);
        if (tk < base || tk > last)
            throw UsageError("--keyframe " + to_string(k) + ": its time " + format_iso8601(tk) + " is outside " + span);
        k.time = TimeRef::at_time(tk);
    }
    if (!req.camera.follow.empty()) {
        const bool found =
            std::any_of(flights.begin(), flights.end(), [&](const Flight& f) { return f.aircraft.is_named(req.camera.follow); });
        if (!found) {
            std::string names;
            for (std::size_t i = 0; i < flights.size() && i < 8; ++i) names += (i ? ", " : "") + flights[i].aircraft.display_name();
            if (flights.size() > 8) names += ", ...";
            throw UsageError("--follow " + req.camera.follow +
                             " matches no loaded aircraft (callsign, registration or ICAO address; loaded: " + names + "; " + span + ")");
        }
    }
}

}  // namespace fr::app
