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
#include "io/raster_basemap.hpp"

namespace fr::app {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (true) {
        const auto next = s.find(sep, pos);
        out.push_back(s.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
        if (next == std::string::npos) return out;
        pos = next + 1;
    }
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string iso(TimePoint t) { return format_iso8601(t, /*with_millis=*/true); }

std::string span_text(TimePoint a, TimePoint b) { return "the data span " + format_iso8601(a) + " .. " + format_iso8601(b); }

/// "TIME,LON,LAT,WIDTH_KM": the time and the rest, checked. Throws fr::UsageError.
std::pair<TimeArg, std::string> parse_keyframe_arg(const std::string& text) {
    const auto parts = split(text, ',');
    auto bad = [&](const std::string& why) {
        return UsageError("invalid --keyframe '" + text + "': " + why + " (expected TIME,LON,LAT,WIDTH_KM, e.g. +2h,125.67,39.22,800)");
    };
    if (parts.size() != 4) throw bad("4 comma-separated fields needed");
    const TimeArg t = parse_time(parts[0], "--keyframe");
    double v[3];
    for (int i = 0; i < 3; ++i) {
        const auto& p = parts[static_cast<std::size_t>(i) + 1];
        auto r = std::from_chars(p.data(), p.data() + p.size(), v[i]);
        if (p.empty() || r.ec != std::errc{} || r.ptr != p.data() + p.size() || !std::isfinite(v[i]))
            throw bad("'" + p + "' is not a number");
    }
    if (!LatLon::checked(v[1], v[0])) throw bad("longitude must be -180..180 and latitude -90..90 degrees");
    if (!(v[2] > 0 && v[2] <= 40'075)) throw bad("width must be more than 0 and at most 40075 km (the equator)");
    return {t, text.substr(parts[0].size())};
}

std::vector<std::string> at_items(const RenderRequest& req) {
    if (req.at.empty()) return {};
    if (!req.sheet.empty()) return split(req.at, ',');
    return {req.at};
}

}  // namespace

TimePoint time_base(const std::vector<Flight>& flights) {
    TimePoint first = TimePoint::max();
    for (const auto& f : flights)
        if (!f.points.empty()) first = std::min(first, f.points.front().time());
    return first;
}

void check_request(const RenderRequest& req) {
    // Times: syntax only (offsets need the data).
    for (const auto& item : at_items(req)) (void)parse_time(item, "--at");
    if (!req.time_range.empty()) (void)parse_time_range_arg(req.time_range);
    for (const auto& k : req.keyframes) (void)parse_keyframe_arg(k);

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
    if (!req.time_range.empty()) {
        const auto [a, b] = parse_time_range_arg(req.time_range);
        const TimePoint ta = a.at(base), tb = b.at(base);
        if (!(ta < tb)) throw UsageError("invalid --time-range '" + req.time_range + "': START must be before END (" + span + ")");
        if (tb < base || ta > last)
            throw UsageError("--time-range " + req.time_range + " (" + format_iso8601(ta) + " .. " + format_iso8601(tb) +
                             ") does not overlap " + span);
        lo = std::max(lo, ta);
        hi = std::min(hi, tb);
        req.time_range = iso(ta) + "," + iso(tb);
    }
    if (!req.at.empty()) {
        std::string resolved;
        for (const auto& item : at_items(req)) {
            const TimePoint t = parse_time(item, "--at").at(base);
            if ((t < lo || t > hi) && !req.allow_empty)
                throw UsageError("--at " + item + " (" + format_iso8601(t) + ") is outside " +
                                 (req.time_range.empty() ? span : "--time-range " + format_iso8601(lo) + " .. " + format_iso8601(hi)) +
                                 " (--allow-empty draws it anyway)");
            resolved += (resolved.empty() ? "" : ",") + iso(t);
        }
        req.at = resolved;
    }
    for (auto& k : req.keyframes) {
        const auto [t, rest] = parse_keyframe_arg(k);
        const TimePoint tk = t.at(base);
        if (tk < base || tk > last) throw UsageError("--keyframe " + k + ": its time " + format_iso8601(tk) + " is outside " + span);
        k = iso(tk) + rest;
    }
    if (!req.follow.empty()) {
        const auto want = lower(req.follow);
        const bool found = std::any_of(flights.begin(), flights.end(), [&](const Flight& f) {
            return want == lower(f.aircraft.callsign) || want == lower(f.aircraft.registration) || want == lower(f.aircraft.icao24);
        });
        if (!found) {
            std::string names;
            for (std::size_t i = 0; i < flights.size() && i < 8; ++i) names += (i ? ", " : "") + flights[i].aircraft.display_name();
            if (flights.size() > 8) names += ", ...";
            throw UsageError("--follow " + req.follow +
                             " matches no loaded aircraft (callsign, registration or ICAO address; loaded: " + names + "; " + span + ")");
        }
    }
}

}  // namespace fr::app
