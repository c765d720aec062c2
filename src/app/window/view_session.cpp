#include "app/window/view_session.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/error.hpp"
#include "io/map/assets.hpp"
#include "render/replay_clock.hpp"

namespace fr::app::window {

Timeline make_view_timeline(const render::Scene& scene, double duration_s, double hold_s) {
    return render::make_replay_clock(scene, {std::nullopt, duration_s, hold_s});  // the video's clock
}

render::SurfacePtr render_export_frame(const render::Scene& scene, const render::TextEngine& text, const Timeline& tl, double video_s,
                                       std::optional<double> speed) {
    render::CairoRenderer r(scene, text);
    auto s = render::make_image_surface(scene.options().width, scene.options().height);
    auto cr = render::make_context(s.get());
    r.draw_frame(cr.get(), {tl.replay_time(video_s), &tl, video_s, speed});
    cairo_surface_flush(s.get());
    return s;
}

namespace {

std::string alt_text(const std::optional<Length>& a) {
    if (!a) return "unknown";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f ft (%.0f m)", a->ft(), a->m());
    return buf;
}

std::string utc(TimePoint t) { return format_iso8601(std::chrono::time_point_cast<std::chrono::seconds>(t)); }

}  // namespace

std::string info_text(const render::FlightView& fv, TimePoint t) {
    const auto& id = fv.flight.aircraft;
    std::string s = id.callsign.empty() ? id.display_name() : id.callsign;
    s += "\nregistration " + (id.registration.empty() ? std::string("unknown") : id.registration);
    s += "   ICAO " + (id.icao24.empty() ? std::string("unknown") : id.icao24);
    s += "\nat " + utc(t);
    const auto st = render::state_at(fv.flight, fv.analysis, t);
    if (!st) return s + "\nnot yet seen (first fix " + utc(fv.flight.points.front().time()) + ")";
    s += "\naltitude " + alt_text(st->altitude);
    char buf[96];
    if (st->ground_speed) {
        std::snprintf(buf, sizeof buf, "%.0f kt (%.0f km/h)", st->ground_speed->kt(), st->ground_speed->mps() * 3.6);
        s += "\nground speed " + std::string(buf);
    } else {
        s += "\nground speed unknown";
    }
    const auto& legs = fv.analysis.legs;
    if (st->leg >= 0 && st->leg < static_cast<int>(legs.size())) {
        const auto& leg = legs[static_cast<std::size_t>(st->leg)];
        s += "\nleg " + std::to_string(st->leg + 1) + " of " + std::to_string(legs.size()) + ": " +
             render::airport_label(leg.departure_airport) + " -> " + render::airport_label(leg.arrival_airport);
    } else {
        s += "\nbetween legs";
    }
    switch (st->phase) {
        case render::Phase::stopped:
            if (st->stop)
                s += "\nground stop at " + render::airport_label(st->stop->airport) + ", " + format_duration(st->stop->duration()) + " (" +
                     utc(st->stop->start) + " .. " + utc(st->stop->end) + ")" + (st->stop->inferred ? ", inferred" : "");
            break;
        case render::Phase::gap:
            if (st->gap)
                s += "\ncoverage gap, no data for " + format_duration(st->gap->duration()) + " (" + utc(st->gap->start) + " .. " +
                     utc(st->gap->end) + "); position estimated";
            break;
        case render::Phase::ground: s += "\non the ground (taxi)"; break;
        case render::Phase::unknown: s += "\nno data"; break;
        case render::Phase::ended: {
            const auto& legs = fv.analysis.legs;
            if (!legs.empty() && legs.back().landing_time)
                s += "\nlanded" + (legs.back().arrival_airport ? " at " + legs.back().arrival_airport->icao : std::string()) + " " +
                     utc(*legs.back().landing_time);
            else
                s += "\nlast seen " + utc(fv.flight.points.back().time());
            break;
        }
        case render::Phase::airborne: s += "\nairborne"; break;
    }
    s += "\nprovenance " + std::string(to_string(fv.flight.provenance));
    return s;
}

std::filesystem::path shader_dir() {
    std::vector<std::filesystem::path> tried;
    auto ok = [](const std::filesystem::path& d) {
        std::error_code ec;
        return std::filesystem::exists(d / "trail.vert", ec);
    };
    if (const char* env = std::getenv("FLIGHTREPLAY_SHADER_DIR"); env && *env) tried.emplace_back(env);
    try {
        const auto a = io::asset_dir();
        tried.push_back(a / "shaders");
        tried.push_back(a / ".." / "shaders");  // source tree: assets/ and shaders/ are siblings
    } catch (const IoError&) {}
    tried.emplace_back(FR_SHADER_DIR_SOURCE);
    for (const auto& t : tried)
        if (ok(t)) return std::filesystem::weakly_canonical(t);
    std::string list;
    for (const auto& t : tried) list += (list.empty() ? "" : ", ") + t.string();
    throw IoError("flightreplay: cannot find the shaders (tried " + list + "); set FLIGHTREPLAY_SHADER_DIR");
}

double clock_skew_from_env() {
    const char* v = std::getenv("FR_WINDOW_CLOCK_SKEW_S");
    if (!v || !*v) return 0;
    char* end = nullptr;
    const double s = std::strtod(v, &end);
    return end && *end == '\0' && std::isfinite(s) ? s : 0;
}

}  // namespace fr::app::window
