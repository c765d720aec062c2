#include "render/frame_layout.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <tuple>

#include "geo/geodesic.hpp"
#include "render/text.hpp"

namespace fr::render {

namespace {
std::string altitude_text(const std::optional<Length>& a) {
    if (!a) return "alt ?";
    char buf[32];
    const double ft = a->ft();
    if (ft >= 18000)
        std::snprintf(buf, sizeof buf, "FL%03.0f", ft / 100.0);  // flight levels above the highest transition altitude
    else
        std::snprintf(buf, sizeof buf, "%.0f ft", std::round(ft / 100.0) * 100.0);
    return buf;
}
std::string utc_clock(TimePoint t) {
    auto s = format_iso8601(std::chrono::time_point_cast<std::chrono::seconds>(t));
    s[10] = ' ';
    s.pop_back();
    return s + " UTC";
}
}  // namespace

std::string short_utc(TimePoint t) {
    auto s = format_iso8601(std::chrono::time_point_cast<std::chrono::seconds>(t));
    return s.substr(0, 10) + " " + s.substr(11, 5) + "Z";
}

int alt_bin(float a) noexcept { return std::isnan(a) ? -1 : std::clamp(static_cast<int>(a / kRampMaxAltM * kAltBins), 0, kAltBins - 1); }

FrameLayouter::FrameLayouter(const Scene& scene, const TextEngine& text) : m_scene(scene), m_text(text), m_local(scene.options().tz) {
    if (busy()) m_crowded = crowded_icon_factor(peak_airborne(scene), scene.options().width, scene.options().height, s());
}

double crowded_icon_factor(std::size_t peak_airborne, double width, double height, double s) noexcept {
    constexpr double kAreaPerIconPx = 20 * 20, kSmallest = 0.7;
    if (peak_airborne == 0 || !(width > 0) || !(height > 0) || !(s > 0)) return 1;
    const double room = width * height / (static_cast<double>(peak_airborne) * kAreaPerIconPx * s * s);
    if (room >= 1) return 1;
    // Tenths, rounded down (1e-9: a root that is a whole tenth stays one).
    return std::max(kSmallest, std::floor(std::sqrt(room) * 10 + 1e-9) / 10);
}

std::size_t peak_airborne(const Scene& scene) {
    // Departures +1, arrivals -1, in time order; an arrival at the moment of a departure first.
    std::vector<std::pair<TimePoint, int>> events;
    for (const auto& fv : scene.flights())
        for (const auto& leg : fv.analysis.legs)
            if (leg.arrival_time > leg.departure_time) events.insert(events.end(), {{leg.departure_time, 1}, {leg.arrival_time, -1}});
    std::sort(events.begin(), events.end());
    long long now = 0, peak = 0;
    for (const auto& e : events) peak = std::max(peak, now += e.second);
    return static_cast<std::size_t>(peak);
}

/// Projects (a stop's place): call on the thread that owns the scene's Projector.
std::vector<RunwayDesignator> FrameLayouter::runway_designators() const {
    // Designators at each end, beyond the threshold, when the runway is long enough on screen
    // to read them (about 60 px: views narrower than ~60 km); one that would overlap another
    // (parallel runways close together) is left out.
    std::vector<RunwayDesignator> out;
    const auto& st = m_scene.options().style;
    std::vector<Box> drawn;
    for (const auto& r : m_scene.runways()) {
        const double dx = r.he.x - r.le.x, dy = r.he.y - r.le.y, len = std::hypot(dx, dy);
        if (len < 60 * s()) continue;
        const double ux = dx / len, uy = dy / len, fs = st.font_small * 0.85 * s();
        for (const auto& [p, sign, id] : {std::tuple{r.le, -1.0, r.le_ident}, std::tuple{r.he, 1.0, r.he_ident}}) {
            if (id.empty()) continue;
            const auto sz = m_text.measure(id, fs, true);
            const double off = 4 * s() + 0.5 * std::hypot(sz.width * ux, sz.height * uy) + 2 * s();
            const double cx = p.x + sign * ux * off, cy = p.y + sign * uy * off;
            const Box b{cx - sz.width / 2, cy - sz.height / 2, cx + sz.width / 2, cy + sz.height / 2};
            if (std::any_of(drawn.begin(), drawn.end(), [&](const Box& o) { return o.overlaps(b); })) continue;
            drawn.push_back(b);
            out.push_back({id, cx, cy - sz.height / 2, fs});
        }
    }
    return out;
}

ClockTexts FrameLayouter::clock_texts(const FrameInfo& f) const {
    const auto& opt = m_scene.options();
    std::string clock = utc_clock(f.t);
    std::string sub;
    if (f.timeline) {
        const auto& seg = f.timeline->segment_at(f.video_s);
        char buf[64];
        std::snprintf(buf, sizeof buf, "replay %.0fx", f.speed.value_or(f.timeline->speed()));
        sub = seg.kind == SegmentKind::hold ? "fast-forward" : buf;
    }
    // Local time beside UTC (--tz): under the (first) aircraft, or in the chosen zone.
    if (m_local.enabled()) {
        std::optional<std::string> zone;
        if (!m_local.automatic())
            zone = opt.tz;
        else
            for (const auto& a : aircraft_now(f.t))
                if (a.state) {
                    zone = m_local.zone_at(a.state->position);
                    break;
                }
        if (zone)
            sub = (m_local.automatic() ? "local " : *zone + " ") + format_local(f.t, *zone, true) +
                  (m_local.automatic() ? " (" + *zone + ")" : "") + (sub.empty() ? "" : "\n" + sub);
    }
    if (const auto* cb = frame_layout(f.timeline != nullptr).find(layout::Role::clock); cb && cb->variant == 1) {
        // compact: the date over the time, nothing more
        if (const auto sp = clock.find(' '); sp != std::string::npos) clock[sp] = '\n';
        sub.clear();
    }
    return {clock, sub};
}

std::vector<LegendItem> FrameLayouter::legend_items() const {
    const Scene& scene = m_scene;
    const auto& st = scene.options().style;
    const auto& opt = scene.options();
    const std::string trail_kind =
        scene.provenance() == Provenance::recorded ? "recorded track" : std::string(to_string(scene.provenance())) + " track";
    if (opt.density) {  // heat only: no trails, gaps, circles or stop cards on the map
        char minutes[32];
        std::snprintf(minutes, sizeof minutes, "%g", density_window_minutes(opt));
        return {{inferno(1), false, std::string("traffic density, last ") + minutes + " min", false, true}};
    }
    std::vector<LegendItem> items{{opt.color_by_altitude ? viridis(0.8) : scene.flights().front().colour, false,
                                   trail_kind + (scene.flights().size() > 1 ? "s" : "") +
                                       (opt.color_by_altitude        ? " (colour: altitude)"
                                        : scene.flights().size() > 1 ? " (colour: aircraft)"
                                                                     : "")}};
    // Only what the map shows: a dashed gap piece, a great circle (not drawn in busy skies),
    // a ground stop that begins within the replay (its card and ring; none in busy skies).
    const bool busy = scene.flights().size() > kBusyAircraft;
    bool gap = false, circle = false, stop = false;
    for (const auto& fv : scene.flights()) {
        for (const auto& piece : fv.trail) gap = gap || (piece.gap && piece.v.size() >= 2);
        circle = circle || !fv.great_circles.empty();
        for (const auto& stp : fv.analysis.stops)
            stop = stop || (stp.start <= scene.end() && scene.to_screen(stp.airport ? stp.airport->position : stp.position).has_value());
    }
    if (gap) items.push_back({st.trail_gap, true, "coverage gap (no data)"});
    if (circle && opt.great_circles && !busy) items.push_back({st.great_circle, true, "great circle (shortest route)"});
    if (stop && !busy) items.push_back({st.stop, false, "ground stop"});
    return items;
}

std::string figures_text(const Scene& scene) {
    std::string figures;
    for (const auto& fv : scene.flights())
        for (const auto& c : fv.great_circle_captions) figures += (figures.empty() ? "" : "\n") + c;
    return figures;
}

namespace {
/// Sources fill unknown identifiers with placeholders ("", "00000000", "????????", "unknown").
bool placeholder_id(std::string_view v) {
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    if (v.find_first_not_of("0?-_*. ") == std::string_view::npos) return true;
    std::string low(v);
    for (auto& c : low) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return low == "unknown" || low == "none" || low == "null" || low == "n/a" || low == "na" || low == "nocall";
}
}  // namespace

std::string aircraft_label_name(const AircraftId& id) {
    if (!placeholder_id(id.callsign)) return id.callsign;
    if (!placeholder_id(id.registration)) return id.registration;
    if (!placeholder_id(id.icao24)) return id.icao24;
    return "unidentified";
}

Furniture FrameLayouter::furniture(bool with_timeline) const {
    Furniture f;
    f.with_timeline = with_timeline;
    f.scale_bar = drawn_scale_bar(with_timeline);
    const double W = m_scene.options().width, H = m_scene.options().height;
    // The north arrow is drawn where north is not straight up at the map's centre (more than
    // 1 degree off).
    if (const auto ang = m_scene.options().north_arrow ? north_angle(m_scene, {W / 2, H / 2}) : std::nullopt;
        ang && std::abs(*ang) > M_PI / 180)
        f.north = ang;
    f.legend = legend_items();
    if (m_airport_caption[with_timeline ? 1 : 0]) {  // the layout made room for it
        const int n = airport_label_set(with_timeline).unlabelled;
        f.legend.push_back({m_scene.options().style.airport, false,
                            n > 0 ? std::to_string(n) + (n == 1 ? " airport" : " airports") + " not labelled" : "airport", true});
    }
    return f;
}

std::vector<Box> FrameLayouter::furniture_boxes(bool with_timeline) const {
    // The laid-out furniture with room to spare (a place label near it reads as part of it).
    const double spare = 6 * s();
    std::vector<Box> out;
    for (const auto& p : frame_layout(with_timeline).items)
        out.push_back({p.box.x0 - spare, p.box.y0 - spare, p.box.x1 + spare, p.box.y1 + spare});
    if (const auto bar = drawn_scale_bar(with_timeline)) {  // moved onto the map beside a globe
        const Box b = scale_bar_box(*bar);
        out.push_back({b.x0 - spare, b.y0 - spare, b.x1 + spare, b.y1 + spare});
    }
    return out;
}

std::vector<std::string> FrameLayouter::banner_texts() const {
    if (m_scene.provenance() == Provenance::recorded) return {};
    const std::string kind = m_scene.provenance() == Provenance::reconstructed ? "RECONSTRUCTED" : "SYNTHETIC";
    return {kind + " TRACK - modelled positions, not recorded data", kind + " TRACK"};
}

std::string FrameLayouter::attribution_text() const {
    // When wider than the frame, the track file names give way to a count.
    const auto& st = m_scene.options().style;
    const double W = m_scene.options().width, m = 24 * s();
    std::string attribution = m_scene.attribution();
    if (m_text.measure(attribution, st.font_small * 0.9 * s()).width > W - 2 * m) {
        std::size_t files = 0;
        for (const auto& fv : m_scene.flights()) files += fv.flight.sources.size();
        attribution =
            m_scene.basemap_credit() + " | Track: " + std::to_string(files) + (files == 1 ? " file" : " files") +
            (m_scene.provenance() != Provenance::recorded ? std::string(" (") + to_string(m_scene.provenance()) + ", not recorded)" : "");
    }
    return attribution;
}

std::vector<std::string> FrameLayouter::legend_entries() const {
    std::vector<std::string> out;
    for (auto& it : legend_items()) out.push_back(std::move(it.text));
    return out;
}

layout::FurnitureSpec FrameLayouter::furniture_spec(bool with_timeline, const std::string& airport_caption) const {
    const auto& st = m_scene.options().style;
    const auto& opt = m_scene.options();
    const double S = s(), pad = 12 * S;
    layout::FurnitureSpec sp;
    sp.width = opt.width;
    sp.height = opt.height;
    sp.s = S;
    sp.measure = [this](const std::string& t, double px, bool bold) {
        const auto z = m_text.measure(t, px, bold);
        return layout::Size{z.width, z.height};
    };
    sp.title = {opt.title, st.font_large * 1.2 * S, layout::kMinTextPx, true};
    sp.subtitle = {opt.subtitle, st.font_normal * S, layout::kMinTextPx, false};
    if (opt.frame_furniture) sp.banner = banner_texts();
    if (!sp.banner.empty()) {
        sp.banner_px = st.font_normal * S;
        sp.banner_pad = pad;
    }
    if (opt.frame_furniture) {
        // Clock: a date-time at the large size; under it the replay speed (videos) and the local time (--tz).
        const auto c = m_text.measure("0000-00-00 00:00:00 UTC", st.font_large * S, true);
        double w = c.width, h = c.height;
        const auto small = m_text.measure("replay 00000x", st.font_small * S);
        if (with_timeline) {
            w = std::max(w, small.width);
            h += small.height;
        }
        if (m_local.enabled()) {
            const auto z = m_text.measure("local 0000-00-00 00:00 (America/Argentina/Buenos_Aires)", st.font_small * S);
            w = std::max(w, z.width);
            h += z.height;
        }
        sp.clock = {{w + 2 * pad, h + 2 * pad}, (with_timeline || m_local.enabled()) ? st.font_small * S : st.font_large * S, true};
        // Compact (narrow frames): the date over the time, the UTC time alone under it.
        const auto d = m_text.measure("0000-00-00", st.font_large * S, true), tm = m_text.measure("00:00:00 UTC", st.font_large * S, true);
        const double cw = std::max(d.width, tm.width);
        sp.clock_compact = {{cw + 2 * pad, d.height + tm.height + 2 * pad}, st.font_large * S, true};
    }
    const std::string figures = figures_text(m_scene);
    if (!figures.empty() && opt.great_circles && !busy() && opt.frame_furniture) {
        const auto z = m_text.measure(figures, st.font_small * S);
        sp.statistics = {{z.width + 2 * pad, z.height + 2 * pad}, st.font_small * S, true};
    }
    if (opt.frame_furniture) {
        auto items = legend_items();
        if (!airport_caption.empty()) items.push_back({st.airport, false, airport_caption, true});
        double w = 0;
        for (const auto& it : items) w = std::max(w, m_text.measure(it.text, st.font_small * S).width);
        sp.legend = {{w + 60 * S + 2 * pad, static_cast<double>(items.size()) * 24 * S + pad}, st.font_small * S, true};
    }
    if (opt.scale_bar) {
        const auto z = m_text.measure("20000 km", st.font_small * S, true);
        sp.scale_bar = {{std::max(200 * S, z.width) + 16 * S, z.height + 6 * S + 14 * S}, st.font_small * S, true};
    }
    if (opt.north_arrow) {
        const double r = 22 * S, e = 2 * (r + 14 * S + st.font_small * 0.7 * S);
        sp.north_arrow = {{e, e}, st.font_small * S, true};
    }
    // Their smallest texts never go under the floor as drawn (see draw_profile, draw_scale_and_north).
    if (opt.color_by_altitude) sp.colour_ramp = {{240 * S, 68 * S}, std::max(st.font_small * 0.85 * S, layout::kMinTextPx), true};
    if (opt.profile) sp.profile = {{440 * S, 150 * S}, std::max(st.font_small * 0.8 * S, layout::kMinTextPx), true};
    if (opt.frame_furniture) sp.source = {attribution_text(), st.font_small * 0.9 * S, layout::kMinTextPx, false};
    sp.bar_h = bar_height(with_timeline);
    return sp;
}

const layout::FrameLayout& FrameLayouter::frame_layout(bool with_timeline) const {
    std::lock_guard lock(m_layout_mutex);
    auto& l = m_layouts[with_timeline ? 1 : 0];
    if (!l) {
        l = layout::solve_furniture(furniture_spec(with_timeline));
        // Airports whose label finds no room are counted in the legend: when this view has
        // some, lay out again with room for that line (its digits as wide as the airport count's,
        // so other views of the same scene fit it too).
        if (const int n = place_airport_labels(l->boxes()).unlabelled; n > 0) {
            l = layout::solve_furniture(furniture_spec(
                with_timeline, std::string(std::to_string(m_scene.airports().size()).size(), '0') + " airports not labelled"));
            m_airport_caption[with_timeline ? 1 : 0] = true;
        }
    }
    return *l;
}

std::vector<layout::Placed> FrameLayouter::all_boxes(const FrameKey& q) const {
    const bool with_timeline = q.with_timeline;
    std::vector<layout::Placed> out = frame_layout(with_timeline).items;
    if (!m_scene.options().north_arrow || !furniture(with_timeline).north)
        out.erase(std::remove_if(out.begin(), out.end(), [](const layout::Placed& p) { return p.role == layout::Role::north_arrow; }),
                  out.end());
    if (!with_timeline)
        out.erase(std::remove_if(out.begin(), out.end(), [](const layout::Placed& p) { return p.role == layout::Role::timeline_bar; }),
                  out.end());
    // The scale bar where it is drawn (its slot, or moved onto the map).
    out.erase(std::remove_if(out.begin(), out.end(), [](const layout::Placed& p) { return p.role == layout::Role::scale_bar; }), out.end());
    if (const auto bar = drawn_scale_bar(with_timeline))
        out.push_back({layout::Role::scale_bar, scale_bar_box(*bar), 1, m_scene.options().style.font_small * s(), {}});
    for (const auto& p : place_layout(with_timeline)) out.push_back({layout::Role::place_label, p.box, 1, p.font_px, {}});
    for (const auto& l : airport_labels(with_timeline)) out.push_back({layout::Role::airport_label, l.box, 1, l.px, {}});
    if (!q.info) return out;
    const TimePoint t = q.t;
    const auto& st = m_scene.options().style;
    if (const auto hold = hold_banner(*q.info))
        out.push_back({layout::Role::hold_banner, hold->box, hold->k, st.font_large * s() * hold->k, {}});
    for (const auto& c : stop_cards(q))
        out.push_back({layout::Role::stop_card, {c.x, c.y, c.x + c.w, c.y + c.h}, c.k, st.font_small * s() * c.k, {}});
    for (const auto& g : view_gap_labels(with_timeline))
        if (t >= g.start && !busy()) out.push_back({layout::Role::gap_label, g.box, 1, st.font_small * s(), {}});
    for (const auto& l : label_layout(q)) out.push_back({layout::Role::aircraft_label, l.box, 1, l.font_px, {}});
    return out;
}

std::vector<Box> FrameLayouter::stop_card_boxes(const FrameKey& q) const {
    std::vector<Box> out;
    if (busy()) return out;
    for (const auto& card : stop_cards(q)) out.push_back({card.x, card.y, card.x + card.w, card.y + card.h});
    return out;
}

namespace {

/// Vertices of one run that share a track box lie within this many pixels of each other in x and y.
constexpr double kTrackBoxGroupPx = 4;
/// Segments longer than this are cut in pieces of at most this length.
constexpr double kTrackBoxPiecePx = 16;

/// The boxes of one polyline (any vertex type with x and y), each widened by r (see track_boxes).
template <class Line, class Emit>
void line_boxes(const Line& line, double r, Emit&& emit) {
    const std::size_t n = line.size();
    std::size_t i = 0;
    while (i + 1 < n) {
        const double x0 = line[i].x, y0 = line[i].y, x1 = line[i + 1].x, y1 = line[i + 1].y;
        if (std::abs(x1 - x0) > kTrackBoxGroupPx || std::abs(y1 - y0) > kTrackBoxGroupPx) {
            const int k = std::max(1, static_cast<int>(std::ceil(std::hypot(x1 - x0, y1 - y0) / kTrackBoxPiecePx)));
            for (int q = 0; q < k; ++q) {
                const double ax = x0 + (x1 - x0) * q / k, ay = y0 + (y1 - y0) * q / k, bx = x0 + (x1 - x0) * (q + 1) / k,
                             by = y0 + (y1 - y0) * (q + 1) / k;
                emit(Box{std::min(ax, bx) - r, std::min(ay, by) - r, std::max(ax, bx) + r, std::max(ay, by) + r});
            }
            ++i;
            continue;
        }
        // A run of short steps: one box around every vertex of it.
        Box b{std::min(x0, x1), std::min(y0, y1), std::max(x0, x1), std::max(y0, y1)};
        std::size_t j = i + 1;
        while (j + 1 < n) {
            const double x = line[j + 1].x, y = line[j + 1].y;
            const double nx0 = std::min(b.x0, x), ny0 = std::min(b.y0, y), nx1 = std::max(b.x1, x), ny1 = std::max(b.y1, y);
            if (nx1 - nx0 > kTrackBoxGroupPx || ny1 - ny0 > kTrackBoxGroupPx) break;
            b = {nx0, ny0, nx1, ny1};
            ++j;
        }
        emit(Box{b.x0 - r, b.y0 - r, b.x1 + r, b.y1 + r});
        i = j;
    }
}

}  // namespace

void FrameLayouter::each_track_box(const std::function<void(const Box&)>& emit) const {
    const double r = 9 * icon_scale() + 2 * s();  // the icon's half-span, plus a little
    for (const auto& fv : m_scene.flights()) {
        for (const auto& piece : fv.trail) line_boxes(piece.v, r, emit);
        if (m_scene.options().great_circles && !busy())
            for (const auto& l : fv.great_circles) line_boxes(l, r, emit);
    }
}

std::vector<Box> FrameLayouter::track_boxes() const {
    std::vector<Box> out;
    each_track_box([&](const Box& b) { out.push_back(b); });
    return out;
}

const std::vector<PlacedPlace>& FrameLayouter::place_layout(bool with_timeline) const {
    std::lock_guard lock(m_places_mutex);
    const auto& tf = m_scene.transform();
    const std::array<double, 5> key{tf.extent().xmin, tf.extent().ymax, tf.scale(), static_cast<double>(tf.width()),
                                    with_timeline ? 1.0 : 0.0};
    if (m_places_cache && m_places_cache->first == key) return m_places_cache->second;
    std::vector<PlacedPlace> out;
    const auto& places = m_scene.places();
    const auto& st = m_scene.options().style;
    const double W = m_scene.options().width, H = m_scene.options().height;
    if (!places.empty()) {
        // Everything already drawn (or that may be drawn) over the map.
        BoxGrid taken(W, H);
        for (const auto& b : furniture_boxes(with_timeline)) taken.add(b);
        each_track_box([&](const Box& b) { taken.add(b); });
        // The flights' airports: their marks and labels, the stop cards where they open (at the
        // end of the stop, the widest text) and the coverage-gap labels.
        for (const auto& b : annotation_boxes_without_places({m_scene.end(), with_timeline, nullptr}, false)) taken.add(b);
        // A stop card opens toward the map centre (card_origin) and moves to the next quadrant
        // when an aircraft icon covers it: every quadrant it can reach is kept free, i.e. the
        // first on-screen one and each one after a quadrant some trail (after the stop began)
        // passes through.
        if (!busy())
            for (const auto& fv : m_scene.flights())
                for (const auto& stp : fv.analysis.stops) {
                    const auto card = stop_card(stp, m_scene.end());
                    if (!card) continue;
                    const ScreenPt p = card->anchor;
                    const bool right = p.x < tf.width() / 2.0, down = p.y < tf.height() / 2.0;
                    const double r = 9 * icon_scale();
                    auto flown_through = [&](const Box& q) {
                        for (const auto& f : m_scene.flights())
                            for (const auto& piece : f.trail)
                                for (const auto& v : piece.v)
                                    if (v.t >= stp.start && Box{v.x - r, v.y - r, v.x + r, v.y + r}.overlaps(q)) return true;
                        return false;
                    };
                    for (int k = 0; k < 4; ++k) {
                        const bool rr = (k & 1) ? !right : right, dd = (k & 2) ? !down : down;
                        const double cx = rr ? p.x + 40 * s() : p.x - 40 * s() - card->w,
                                     cy = dd ? p.y + 30 * s() : p.y - 30 * s() - card->h;
                        const Box q{cx, cy, cx + card->w, cy + card->h};
                        if (cx < 0 || cy < 0 || cx + card->w > tf.width() || cy + card->h > tf.height()) continue;
                        taken.add({q.x0, q.y0, q.x1, q.y1 + 24 * s()});  // room for the "(inferred ...)" and local-time lines
                        if (!flown_through(q)) break;
                    }
                }
        for (const auto& ap : m_scene.airports())
            if (ap.px) taken.add({ap.px->x - 12 * s(), ap.px->y - 12 * s(), ap.px->x + 12 * s(), ap.px->y + 12 * s()});
        for (const auto& r : m_scene.runways()) {  // the runway along its length, and the designators beyond each end
            const double dx = r.he.x - r.le.x, dy = r.he.y - r.le.y, len = std::hypot(dx, dy);
            const double half = std::hypot(r.corners[1].x - r.corners[0].x, r.corners[1].y - r.corners[0].y) / 2 + 2 * s();
            const int n = std::max(1, static_cast<int>(std::ceil(len / 16.0)));
            for (int k = 0; k < n; ++k) {
                const double ax = r.le.x + dx * k / n, ay = r.le.y + dy * k / n, bx = r.le.x + dx * (k + 1) / n,
                             by = r.le.y + dy * (k + 1) / n;
                taken.add({std::min(ax, bx) - half, std::min(ay, by) - half, std::max(ax, bx) + half, std::max(ay, by) + half});
            }
            if (len >= 60 * s()) {  // designators drawn (draw_runways)
                const double ux = len > 0 ? dx / len : 0, uy = len > 0 ? dy / len : 0, d = 18 * s();
                for (const auto& [p, sign] : {std::pair{r.le, -1.0}, std::pair{r.he, 1.0}})
                    taken.add(
                        {p.x + sign * ux * d - d, p.y + sign * uy * d - d * 0.7, p.x + sign * ux * d + d, p.y + sign * uy * d + d * 0.7});
            }
        }
        const double fs = st.font_place * s(), dot_r = 2.5 * s();
        // Every overlay point's marker is drawn (draw_basemap): no label may cover one.
        const double om = (kOverlayMarkR + 1) * s();
        for (const auto& op : m_scene.overlay_points())
            if (op.px) taken.add({op.px->x - om, op.px->y - om, op.px->x + om, op.px->y + om});
        for (std::size_t i = 0; i < places.size(); ++i) {
            const auto& p = places[i];
            if (!p.px) continue;
            using K = ScenePlace::Kind;
            if (busy() && (p.kind == K::city || p.kind == K::airport)) continue;  // a busy sky leaves no room for towns
            // An airport's code (rank 1) follows its name (rank 0): only when the name found no room.
            if (p.kind == K::airport && p.rank == 1 && !out.empty() && out.back().place + 1 == i) continue;
            const bool area = p.kind == K::country || p.kind == K::water;
            const double size = p.kind == K::country ? fs * 1.15 : p.kind == K::water && p.rank == 1 ? fs * 1.2 : fs;
            const bool bold = p.kind == K::country;
            const auto sz = m_text.measure(p.text, size, bold);
            LabelRequest req{*p.px, sz.width, sz.height, area};
            // A point place keeps its mark clear too: the mark is taken first.
            const Box mark{p.px->x - dot_r - 1, p.px->y - dot_r - 1, p.px->x + dot_r + 1, p.px->y + dot_r + 1};
            // (An airport's reference point often lies between its runways: its mark may sit on them.)
            if (!area && p.kind != K::airport && p.kind != K::overlay && taken.any_overlap(mark)) continue;
            // An overlay label clears its own marker's taken box (om) by the gap.
            auto box = place_label(req, taken, W, H, p.kind == K::overlay ? om + 3.5 * s() : dot_r + 3 * s(), 3 * s());
            // An airport's runways surround its mark: its name may stand a little further off.
            for (const double off : {20.0, 40.0})
                if (!box && p.kind == K::airport) box = place_label(req, taken, W, H, off * s(), 3 * s());
            if (!box) continue;
            taken.add(*box);
            if (!area) taken.add(mark);
            out.push_back({i, p.text, *box, size, bold, area ? std::nullopt : std::optional<ScreenPt>(*p.px)});
        }
    }
    m_places_cache.emplace(key, std::move(out));
    return m_places_cache->second;
}

BarRect FrameLayouter::timeline_bar_rect() const {
    // Mirrors draw_hud / draw_timeline_bar.
    const double m = 24 * s();
    return {m, m_scene.options().width - m, bar_top(), 22 * s() + 8 * s()};
}

const AirportLabels& FrameLayouter::airport_label_set(bool with_timeline) const {
    // Once per view: the static layer's two threads and every frame ask.
    const auto& tf = m_scene.transform();
    const std::array<double, 5> key{tf.extent().xmin, tf.extent().ymax, tf.scale(), static_cast<double>(tf.width()),
                                    with_timeline ? 1.0 : 0.0};
    const auto furniture = frame_layout(with_timeline).boxes();
    std::lock_guard lock(m_airport_mutex);
    if (!m_airport_cache || m_airport_cache->first != key) m_airport_cache.emplace(key, place_airport_labels(furniture));
    return m_airport_cache->second;
}

namespace {
/// Whether the segment a-b passes through the inside of box b (Liang-Barsky clipping).
bool crosses(const Box& box, ScreenPt a, ScreenPt b) {
    double t0 = 0, t1 = 1;
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double p[4] = {-dx, dx, -dy, dy}, q[4] = {a.x - box.x0, box.x1 - a.x, a.y - box.y0, box.y1 - a.y};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0) {
            if (q[i] <= 0) return false;  // parallel to this edge and outside (or on) it
            continue;
        }
        const double r = q[i] / p[i];
        if (p[i] < 0)
            t0 = std::max(t0, r);
        else
            t1 = std::min(t1, r);
        if (t0 >= t1) return false;
    }
    return true;
}
}  // namespace

AirportLabels FrameLayouter::place_airport_labels(const std::vector<Box>& furniture) const {
    // Busiest airports first. Each tries its name beside the ring (toward the map centre, then
    // the other side, above, below), then its code there, then its code set off along one of
    // 24 directions at growing distances with a leader back to the ring. A label overlaps no
    // furniture, ring, label or leader; a leader crosses no label. An airport whose label finds
    // no room is counted (the legend says how many).
    AirportLabels out;
    const auto& st = m_scene.options().style;
    // A busy map's codes at the small size, as its aircraft labels.
    const double W = m_scene.options().width, H = m_scene.options().height, px = (busy() ? st.font_small : st.font_normal) * s();
    const double ring = 6 * s() + 1.25 * s();  // radius plus half the stroke
    const auto& aps = m_scene.airports();
    std::vector<std::size_t> order;
    std::vector<Box> taken = furniture;
    for (std::size_t i = 0; i < aps.size(); ++i)
        if (aps[i].px && aps[i].px->x >= 0 && aps[i].px->y >= 0 && aps[i].px->x <= W && aps[i].px->y <= H) {  // on the frame
            order.push_back(i);
            taken.push_back({aps[i].px->x - ring, aps[i].px->y - ring, aps[i].px->x + ring, aps[i].px->y + ring});
        }
    // Ties (a day of departures: one flight to each) go to the most crowded first: an airport
    // with few neighbours has room left wherever the others went.
    std::vector<int> crowd(aps.size(), 0);
    for (const std::size_t i : order)
        for (const std::size_t j : order)
            if (i != j && std::hypot(aps[i].px->x - aps[j].px->x, aps[i].px->y - aps[j].px->y) < 80 * s()) ++crowd[i];
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return aps[a].traffic != aps[b].traffic ? aps[a].traffic > aps[b].traffic : crowd[a] > crowd[b];
    });
    // A day of the world's traffic has thousands of airports: label the busiest, at most one
    // per 25,000 px^2 of frame (83 at 1920x1080; the cities' density), the rest are counted.
    const std::size_t max_labels = std::max<std::size_t>(40, static_cast<std::size_t>(W * H / 25'000));
    const bool crowded = order.size() > max_labels;
    constexpr double kCrowdedLeaderPx = 90;
    std::vector<std::pair<ScreenPt, ScreenPt>> leaders;
    std::vector<Box> labels;
    auto fits = [&](const Box& b) {
        if (b.x0 < 0 || b.y0 < 0 || b.x1 > W || b.y1 > H) return false;
        if (std::any_of(taken.begin(), taken.end(), [&](const Box& o) { return o.overlaps(b); })) return false;
        return std::none_of(leaders.begin(), leaders.end(), [&](const auto& l) { return crosses(b, l.first, l.second); });
    };
    for (const std::size_t i : order) {
        const auto& ap = aps[i];
        const double x = ap.px->x, y = ap.px->y;
        if (out.placed.size() >= max_labels) {
            ++out.unlabelled;
            if (std::any_of(furniture.begin(), furniture.end(), [&](const Box& o) { return x > o.x0 && x < o.x1 && y > o.y0 && y < o.y1; }))
                ++out.covered;
            continue;
        }
        std::vector<std::string> texts;
        if (!busy() && ap.label != ap.code()) texts.push_back(ap.label);  // a busy map has room for codes only
        texts.push_back(ap.code());
        std::optional<AirportLabel> got;
        for (const auto& text : texts) {
            const auto sz = m_text.measure(text, px, true);
            const Box left_of{x - 10 * s() - sz.width, y + 8 * s(), x - 10 * s(), y + 8 * s() + sz.height};
            const Box right_of{x + 10 * s(), y + 8 * s(), x + 10 * s() + sz.width, y + 8 * s() + sz.height};
            std::vector<Box> cands = x > W / 2.0 ? std::vector<Box>{left_of, right_of} : std::vector<Box>{right_of, left_of};
            cands.push_back({x - sz.width / 2, y - 10 * s() - sz.height, x + sz.width / 2, y - 10 * s()});
            cands.push_back({x - sz.width / 2, y + 10 * s(), x + sz.width / 2, y + 10 * s() + sz.height});
            // Either side, level with the ring, then slid up or down by quarters of its height,
            // then above the ring's corners.
            for (const double dy : {-0.5, -0.25, -0.75, 0.0, -1.0, -8 * s() / sz.height - 1.0})
                for (const double dx : {10 * s(), -10 * s() - sz.width})
                    cands.push_back({x + dx, y + dy * sz.height, x + dx + sz.width, y + (dy + 1) * sz.height});
            for (const auto& b : cands)
                if (fits(b)) {
                    got = AirportLabel{text, b, px, std::nullopt};
                    break;
                }
            if (got) break;
        }
        if (!got) {
            const std::string& text = ap.code();
            const auto sz = m_text.measure(text, px, true);
            const double reach = std::hypot(sz.width, sz.height) / 2;
            for (const double step : {18.0, 36.0, 60.0, 90.0, 130.0, 180.0, 250.0, 330.0, 420.0}) {
                // A crowded map (more airports than labels) leaves no open water near most of
                // them: a code set off hundreds of pixels draws leaders across continents and
                // points nowhere readable. There an airport's code stays within 90 px of it, else
                // it is counted as unlabelled; a few airports may reach farther for a free spot.
                if (crowded && step > kCrowdedLeaderPx) break;
                for (int k = 0; k < 24 && !got; ++k) {
                    // Diagonals first (off the rows and columns of neighbours), then the axes,
                    // then between them.
                    const double a = k < 8 ? M_PI / 4 * k + M_PI / 8 : k < 16 ? M_PI / 4 * (k - 8) : M_PI / 4 * (k - 16) + M_PI / 16;
                    const double cx = x + std::cos(a) * (reach + step * s()), cy = y + std::sin(a) * (reach + step * s());
                    const Box b{cx - sz.width / 2, cy - sz.height / 2, cx + sz.width / 2, cy + sz.height / 2};
                    if (!fits(b)) continue;
                    // From the ring's edge toward the box, to the box's nearest point.
                    const ScreenPt to{std::clamp(x, b.x0, b.x1), std::clamp(y, b.y0, b.y1)};
                    const double d = std::hypot(to.x - x, to.y - y);
                    const ScreenPt from{x + (to.x - x) / d * ring, y + (to.y - y) / d * ring};
                    if (std::any_of(labels.begin(), labels.end(), [&](const Box& o) { return crosses(o, from, to); })) continue;
                    if (std::any_of(furniture.begin(), furniture.end(), [&](const Box& o) { return crosses(o, from, to); })) continue;
                    got = AirportLabel{text, b, px, std::pair{from, to}};
                }
                if (got) break;
            }
        }
        if (!got) {
            ++out.unlabelled;
            if (std::any_of(furniture.begin(), furniture.end(), [&](const Box& o) { return x > o.x0 && x < o.x1 && y > o.y0 && y < o.y1; }))
                ++out.covered;
            continue;
        }
        taken.push_back(got->box);
        labels.push_back(got->box);
        if (got->leader) leaders.push_back(*got->leader);
        out.placed.push_back(std::move(*got));
    }
    return out;
}

TrailChunks build_trail_chunks(const Scene& scene) {
    constexpr std::uint32_t kChunk = TrailChunks::kChunk;
    constexpr double kChunkPx = TrailChunks::kChunkPx;
    TrailChunks out;
    auto& m_chunks = out.chunks;
    auto& m_piece_chunks = out.piece_chunks;
    m_piece_chunks.assign(scene.flights().size(), {});
    const bool by_alt = scene.options().color_by_altitude;
    const TimePoint from = scene.start();
    for (std::uint32_t fi = 0; fi < scene.flights().size(); ++fi) {
        const auto& fv = scene.flights()[fi];
        m_piece_chunks[fi].resize(fv.trail.size());
        for (std::uint32_t pi = 0; pi < fv.trail.size(); ++pi) {
            const auto& v = fv.trail[pi].v;
            if (v.size() < 2 || v.back().t < from) continue;
            // First segment ending at or after the replay start (the time-range's past is not drawn).
            const auto first = static_cast<std::uint32_t>(
                std::lower_bound(v.begin() + 1, v.end(), from, [](const TrailVertex& a, TimePoint b) { return a.t < b; }) - v.begin());
            double along = 0;
            for (std::uint32_t i = first; i < v.size();) {
                const int key = by_alt ? alt_bin(v[i - 1].alt_m) : 0;
                TrailChunk c{v[i].t, fi, pi, i, i, key, along};
                while (true) {
                    along += std::hypot(v[c.i1].x - v[c.i1 - 1].x, v[c.i1].y - v[c.i1 - 1].y);
                    const std::uint32_t n = c.i1 + 1;
                    if (n >= v.size() || n - c.i0 >= kChunk || along - c.dash_offset >= kChunkPx ||
                        (by_alt ? alt_bin(v[n - 1].alt_m) : 0) != key)
                        break;
                    c.i1 = n;
                }
                c.end = v[c.i1].t;
                m_chunks.push_back(c);
                i = c.i1 + 1;
            }
        }
    }
    std::stable_sort(m_chunks.begin(), m_chunks.end(), [](const TrailChunk& a, const TrailChunk& b) {
        return std::tie(a.end, a.flight, a.piece, a.i0) < std::tie(b.end, b.flight, b.piece, b.i0);
    });
    for (std::uint32_t k = 0; k < m_chunks.size(); ++k) m_piece_chunks[m_chunks[k].flight][m_chunks[k].piece].push_back(k);
    for (auto& f : m_piece_chunks)
        for (auto& p : f) std::sort(p.begin(), p.end(), [&](std::uint32_t a, std::uint32_t b) { return m_chunks[a].i0 < m_chunks[b].i0; });
    return out;
}

const TrailChunks& FrameLayouter::trail_chunks() const {
    if (!m_chunks_valid) {
        m_chunks = build_trail_chunks(m_scene);
        m_chunks_valid = true;
    }
    return m_chunks;
}

std::optional<StopCard> FrameLayouter::stop_card(const analysis::Stop& stp, TimePoint t) const {
    if (t < stp.start) return std::nullopt;
    const auto p = m_scene.to_screen(stp.airport ? stp.airport->position : stp.position);
    if (!p) return std::nullopt;
    const auto& st = m_scene.options().style;
    StopCard c;
    c.anchor = *p;
    const bool during = t < stp.end;
    c.head = "On ground at " + airport_label(stp.airport);
    c.duration = format_duration(stp.duration());
    if (during) c.duration = format_duration(t - stp.start) + " of " + c.duration;
    c.times = m_local.stop_times(stp, !during) + (stp.inferred ? "\n(inferred across missing data)" : "");
    const auto sh = m_text.measure(c.head, st.font_normal * s(), true), sd = m_text.measure(c.duration, st.font_large * s(), true),
               stt = m_text.measure(c.times, st.font_small * s());
    c.pad = 10 * s();
    c.head_h = sh.height;
    c.duration_h = sd.height;
    c.w = std::max({sh.width, sd.width, stt.width}) + 2 * c.pad;
    c.h = sh.height + sd.height + stt.height + 2 * c.pad + 4 * s();
    return c;
}

namespace {
/// The aircraft on its drawn trail. Where the trail holds the two fixes around t as consecutive
/// vertices (a step under the trail's 20 km densification, not cut by the seam, the map's edge or
/// the time range) and the step is short (under ~28 km), the aircraft sits on the line drawn
/// between them: the position is interpolated in pixels at the fraction of time state_at uses
/// on the ground, and the heading is the reported one turned by the angle between the step on
/// the ground and on the screen. This places 10,000 aircraft a frame without two projections and
/// a geodesic each; the difference from projecting the interpolated point is the bend of the
/// projected geodesic within one step (sub-pixel at these lengths) and the icon stays on its line.
/// nullopt where it does not apply: project.
std::optional<std::pair<ScreenPt, double>> on_drawn_step(const FlightView& fv, const AircraftState& st, TimePoint t) {
    // st.fix is state_at's: the last fix at or before t.
    if (st.phase != Phase::airborne && st.phase != Phase::ground && st.phase != Phase::gap) return std::nullopt;
    const auto& pts = fv.flight.points;
    if (st.fix + 1 >= pts.size()) return std::nullopt;
    const TrackPoint &p0 = pts[st.fix], &p1 = pts[st.fix + 1];
    if (!(p0.time() < p1.time())) return std::nullopt;
    const auto& trail = fv.trail;
    // The last piece starting at or before p0 (pieces are time-ordered), then the vertex at p0.
    auto pc = std::upper_bound(trail.begin(), trail.end(), p0.time(), [](TimePoint x, const TrailPiece& p) { return x < p.v.front().t; });
    if (pc == trail.begin()) return std::nullopt;
    const auto& v = std::prev(pc)->v;
    const auto k = std::lower_bound(v.begin(), v.end(), p0.time(), [](const TrailVertex& x, TimePoint y) { return x.t < y; });
    if (k == v.end() || k->t != p0.time() || std::next(k) == v.end() || std::next(k)->t != p1.time()) return std::nullopt;
    const auto az = geo::short_step_azimuth(p0.position(), p1.position());
    const double dx = std::next(k)->x - k->x, dy = std::next(k)->y - k->y;
    if (!az || std::hypot(dx, dy) < 1e-3) return std::nullopt;  // too long, polar, or no length on screen
    const double f = static_cast<double>((t - p0.time()).count()) / static_cast<double>((p1.time() - p0.time()).count());
    constexpr double kRad = 3.14159265358979323846 / 180;
    const double screen_dir = std::atan2(dx, -dy);
    return std::pair{ScreenPt{k->x + f * dx, k->y + f * dy}, screen_dir + (st.heading_deg - az->deg()) * kRad};
}
}  // namespace

const std::vector<AircraftNow>& FrameLayouter::aircraft_now(TimePoint t) const {
    const auto& tf = m_scene.transform();
    const std::array<double, 4> cam{tf.extent().xmin, tf.extent().ymax, tf.scale(), static_cast<double>(tf.width())};
    if (m_now_key && m_now_key->first == t && m_now_key->second == cam && m_now.size() == m_scene.flights().size()) return m_now;
    m_now.assign(m_scene.flights().size(), AircraftNow{});
    for (std::size_t i = 0; i < m_scene.flights().size(); ++i) {
        const auto& fv = m_scene.flights()[i];
        auto& a = m_now[i];
        a.state = state_at(fv.flight, fv.analysis, t);
        if (!a.state) continue;
        if (const auto on = on_drawn_step(fv, *a.state, t)) {
            a.p = on->first;
            if (!gone(fv, *a.state, t)) a.angle = on->second;
            continue;
        }
        a.p = m_scene.to_screen(a.state->position);
        if (!a.p || gone(fv, *a.state, t)) continue;  // not drawn: no heading needed
        // Screen heading: project a point 5 km ahead along the track.
        if (auto ahead = m_scene.to_screen(geo::direct(a.state->position, Angle::degrees(a.state->heading_deg), Length::kilometres(5))))
            a.angle = std::atan2(ahead->x - a.p->x, -(ahead->y - a.p->y));
    }
    m_now_key.emplace(t, cam);
    return m_now;
}

std::vector<AircraftIcon> FrameLayouter::aircraft_icons(TimePoint t) const {
    const auto& st = m_scene.options().style;
    const auto& now = aircraft_now(t);
    std::vector<AircraftIcon> out;
    out.reserve(now.size());
    for (std::size_t i = 0; i < now.size(); ++i) {
        const auto& fv = m_scene.flights()[i];
        const auto& a = now[i];
        if (!a.state || gone(fv, *a.state, t) || !a.p) continue;
        const bool uncertain = a.state->phase == Phase::gap || a.state->phase == Phase::unknown;
        // icon: 24 px nose to tail at 1080p (16 px in busy scenes, down to 11 in crowded ones)
        // --color-by altitude: the icon takes its trail's colour at this altitude (same bins).
        Rgba fill = fv.colour;
        if (m_scene.options().color_by_altitude) {
            const int bin = alt_bin(a.state->altitude ? static_cast<float>(a.state->altitude->m()) : NAN);
            fill = bin < 0 ? st.trail_gap : viridis((bin + 0.5) / kAltBins);
        }
        out.push_back({i, a.p->x, a.p->y, a.angle, icon_scale(), uncertain ? Rgba{1, 1, 1, 0.7} : fill,
                       uncertain ? st.trail_gap : Rgba{1, 1, 1, 1},
                       1.2 * s() * m_crowded});  // a crowded sky's outline shrinks with the icon
    }
    return out;
}

std::vector<StopCard> FrameLayouter::stop_cards(const FrameKey& q, bool with_places) const {
    const TimePoint t = q.t;
    // Once per frame (drawing and the aircraft labels both ask).
    const auto& tf = m_scene.transform();
    const std::array<double, 7> key{static_cast<double>(t.time_since_epoch().count()),
                                    tf.extent().xmin,
                                    tf.extent().ymax,
                                    tf.scale(),
                                    static_cast<double>(tf.width()),
                                    (with_places ? 2.0 : 0.0) + (q.with_timeline ? 1.0 : 0.0),
                                    q.info && q.info->timeline ? q.info->video_s : -1.0};
    if (!m_cards_cache || m_cards_cache->first != key) m_cards_cache.emplace(key, stop_cards_uncached(q, with_places));
    return m_cards_cache->second;
}

std::vector<StopCard> FrameLayouter::stop_cards_uncached(const FrameKey& q, bool with_places) const {
    const TimePoint t = q.t;
    // Each card tries the four quadrants around its airport (toward the map centre first),
    // then farther out; the first spot clear of the furniture, the cards before it, the
    // aircraft and the track wins, else the first clear of all but the track. A leader joins
    // card and airport.
    std::vector<StopCard> out;
    if (busy()) return out;
    const auto& tf = m_scene.transform();
    const double W = tf.width(), H = tf.height();
    std::vector<Box> taken = frame_layout(q.with_timeline).boxes();
    for (const auto& al : airport_labels(q.with_timeline)) taken.push_back(al.box);
    const double r = 9 * icon_scale();
    for (const auto& a : aircraft_now(t))
        if (a.state && a.p) taken.push_back({a.p->x - r, a.p->y - r, a.p->x + r, a.p->y + r});
    if (with_places) {
        for (const auto& p : place_layout(q.with_timeline)) taken.push_back(p.box);
        if (q.info)
            if (const auto hold = hold_banner(*q.info)) taken.push_back(hold->box);
        for (const auto& gl : view_gap_labels(q.with_timeline))
            if (t >= gl.start) taken.push_back(gl.box);
    }
    std::vector<Box> tracks;
    for (const auto& fv : m_scene.flights())
        for (const auto& piece : fv.trail)
            for (const auto& v : piece.v)
                if (v.t <= t) tracks.push_back({v.x - 3 * s(), v.y - 3 * s(), v.x + 3 * s(), v.y + 3 * s()});
    for (const auto& fv : m_scene.flights())
        for (const auto& stp : fv.analysis.stops) {
            auto card = stop_card(stp, t);
            if (!card) continue;
            const ScreenPt p = card->anchor;
            const bool right = p.x < W / 2.0, down = p.y < H / 2.0;
            std::vector<layout::Candidate> cands;
            for (double far : {1.0, 2.5, 4.5, 7.0}) {
                for (int k = 0; k < 4; ++k) {
                    const bool rr = (k & 1) ? !right : right, dd = (k & 2) ? !down : down;
                    cands.push_back({rr ? p.x + 40 * s() * far : p.x - 40 * s() * far - card->w,
                                     dd ? p.y + 30 * s() * far : p.y - 30 * s() * far - card->h});
                }
                // Straight below, above, beside.
                cands.push_back({p.x - card->w / 2, p.y + 30 * s() * far});
                cands.push_back({p.x - card->w / 2, p.y - 30 * s() * far - card->h});
                cands.push_back({p.x + 40 * s() * far, p.y - card->h / 2});
                cands.push_back({p.x - 40 * s() * far - card->w, p.y - card->h / 2});
            }
            std::vector<Box> with_tracks = taken;
            with_tracks.insert(with_tracks.end(), tracks.begin(), tracks.end());
            const double k_min = std::min(1.0, layout::kMinTextPx / (m_scene.options().style.font_small * s()));
            auto fit = layout::place_moving({card->w, card->h}, 1.0, cands, with_tracks, W, H);
            if (!fit) fit = layout::place_moving({card->w, card->h}, k_min, cands, taken, W, H);
            if (!fit) continue;  // no room: the card yields
            card->x = fit->box.x0;
            card->y = fit->box.y0;
            card->k = fit->k;
            card->w *= fit->k;
            card->h *= fit->k;
            taken.push_back(fit->box);
            out.push_back(*card);
        }
    return out;
}

const std::vector<ViewGapLabel>& FrameLayouter::view_gap_labels(bool with_timeline) const {
    // One label per coverage gap at most, for the gaps whose dashed line is long enough on
    // screen to matter (at least the label's width), longest gaps first; beside the dashed
    // line's middle, never on it, clear of the furniture and of each other.
    const auto& tf = m_scene.transform();
    const std::array<double, 5> key{tf.extent().xmin, tf.extent().ymax, tf.scale(), static_cast<double>(tf.width()),
                                    with_timeline ? 1.0 : 0.0};
    if (m_gap_cache && m_gap_cache->first == key) return m_gap_cache->second;
    const auto& st = m_scene.options().style;
    const double W = tf.width(), H = tf.height(), px = st.font_small * s();
    struct G {
        const analysis::Gap* g;
        ScreenPt a, b;
    };
    std::vector<G> gaps;
    for (const auto& fv : m_scene.flights())
        for (const analysis::Gap* gp : fv.analysis.all_gaps()) {
            const auto& pts = fv.flight.points;
            const auto a = m_scene.to_screen(pts[gp->index_before].position()), b = m_scene.to_screen(pts[gp->index_before + 1].position());
            if (a && b) gaps.push_back({gp, *a, *b});
        }
    std::stable_sort(gaps.begin(), gaps.end(), [](const G& x, const G& y) { return x.g->duration() > y.g->duration(); });
    std::vector<Box> taken = frame_layout(with_timeline).boxes();
    for (const auto& al : airport_labels(with_timeline)) taken.push_back(al.box);
    std::vector<ViewGapLabel> out;
    for (const auto& g : gaps) {
        const std::string text = "no data " + format_duration(g.g->duration());
        const auto sz = m_text.measure(text, px, true);
        const double dx = g.b.x - g.a.x, dy = g.b.y - g.a.y, len = std::hypot(dx, dy);
        if (len < std::max(sz.width, 40 * s())) continue;  // too short at this scale to matter
        const double nx = -dy / len, ny = dx / len;
        const double off = std::abs(nx) * sz.width / 2 + std::abs(ny) * sz.height / 2 + 6 * s();
        const double mx = (g.a.x + g.b.x) / 2, my = (g.a.y + g.b.y) / 2;
        for (double side : {-1.0, 1.0}) {
            const double cx = mx + side * nx * off, cy = my + side * ny * off;
            const Box b{cx - sz.width / 2, cy - sz.height / 2, cx + sz.width / 2, cy + sz.height / 2};
            if (b.x0 < 0 || b.y0 < 0 || b.x1 > W || b.y1 > H) continue;
            if (std::any_of(taken.begin(), taken.end(), [&](const Box& o) { return o.overlaps(b); })) continue;
            taken.push_back(b);
            out.push_back({text, g.g->start, b, g.a, g.b});
            break;
        }
    }
    m_gap_cache = std::make_pair(key, std::move(out));
    return m_gap_cache->second;
}

std::vector<GapLabelLine> FrameLayouter::gap_label_lines(bool with_timeline) const {
    std::vector<GapLabelLine> out;
    if (busy()) return out;
    for (const auto& g : view_gap_labels(with_timeline)) out.push_back({g.box, g.a, g.b});
    return out;
}

std::vector<GapLabel> FrameLayouter::gap_labels(const FrameKey& q) const {
    const TimePoint t = q.t;
    std::vector<GapLabel> out;
    if (busy()) return out;
    for (const auto& g : view_gap_labels(q.with_timeline))
        if (t >= g.start) out.push_back({g.text, g.box.x0, g.box.y0});  // once the gap has begun
    return out;
}

std::vector<Box> FrameLayouter::annotation_boxes(const FrameKey& q) const {
    auto out = annotation_boxes_without_places(q);
    bool with_timeline = false;
    {
        std::lock_guard lock(m_places_mutex);
        if (m_places_cache) with_timeline = m_places_cache->first[4] != 0;
    }
    for (const auto& p : place_layout(with_timeline)) {
        out.push_back(p.box);
        if (p.dot) out.push_back({p.dot->x - 4 * s(), p.dot->y - 4 * s(), p.dot->x + 4 * s(), p.dot->y + 4 * s()});
    }
    return out;
}

std::vector<Box> FrameLayouter::annotation_boxes_without_places(const FrameKey& q, bool with_places) const {
    // Mirrors draw_routes_and_airports (airport names) and draw_stops_and_gaps (gap labels,
    // stop cards) so aircraft labels keep clear of them.
    const auto& st = m_scene.options().style;
    std::vector<Box> out;
    for (const auto& l : airport_labels(q.with_timeline)) {
        out.push_back(l.box);
        if (!l.leader) continue;
        // The leader as a chain of small boxes (pieces of at most 6 px), so labels keep off it.
        const auto [a, b] = *l.leader;
        const int n = std::max(1, static_cast<int>(std::ceil(std::hypot(b.x - a.x, b.y - a.y) / 6.0)));
        for (int k = 0; k < n; ++k) {
            const double ax = a.x + (b.x - a.x) * k / n, ay = a.y + (b.y - a.y) * k / n;
            const double bx = a.x + (b.x - a.x) * (k + 1) / n, by = a.y + (b.y - a.y) * (k + 1) / n;
            out.push_back({std::min(ax, bx) - 1, std::min(ay, by) - 1, std::max(ax, bx) + 1, std::max(ay, by) + 1});
        }
    }
    if (busy()) return out;
    auto text_box = [&](const std::string& text, double x, double y, double size, bool bold, bool right) {
        const auto sz = m_text.measure(text, size, bold);
        return right ? Box{x - sz.width, y, x, y + sz.height} : Box{x, y, x + sz.width, y + sz.height};
    };
    for (const auto& g : gap_labels(q)) out.push_back(text_box(g.text, g.x, g.y, st.font_small * s(), true, false));
    for (const auto& card : stop_cards(q, with_places)) out.push_back({card.x, card.y, card.x + card.w, card.y + card.h});
    return out;
}

bool FrameLayouter::gone(const FlightView& fv, const AircraftState& state, TimePoint t) const noexcept {
    // Busy scenes: an aircraft whose track ended over 2 minutes ago has left the area (or landed):
    // leaving its icon at the last fix piles icons along the edge of the coverage.
    // Likewise between legs and in coverage gaps: nothing is known, and a busy sky has no room
    // for guesses.
    if (!busy()) return false;
    if (state.phase == Phase::unknown || state.phase == Phase::gap) return true;
    return state.phase == Phase::ended && t - fv.flight.points.back().time() > std::chrono::minutes(2);
}

double FrameLayouter::icon_scale() const noexcept { return (busy() ? m_crowded : 1.5) * s(); }

std::vector<PlacedLabel> FrameLayouter::label_layout(const FrameKey& q) const {
    const TimePoint t = q.t;
    const auto& st = m_scene.options().style;
    const double font = (busy() ? st.font_small : st.font_normal) * s();
    const double r_icon = 9 * icon_scale();  // half the icon's span
    struct Cand {
        std::size_t flight;
        ScreenPt p;
        double alt;
    };
    // Keep clear of the clock and figures (top-left) and the bottom HUD rows. Asked for first:
    // these layouts may place the aircraft at other times, and `now` below must stay this frame's.
    const double W = m_scene.options().width, H = m_scene.options().height;
    std::vector<Box> icons = annotation_boxes(q);
    for (const auto& b : frame_layout(q.with_timeline).boxes()) icons.push_back(b);
    if (q.info)
        if (const auto hold = hold_banner(*q.info)) icons.push_back(hold->box);
    std::vector<Cand> cands;
    const auto& now = aircraft_now(t);
    for (std::size_t fi = 0; fi < m_scene.flights().size(); ++fi) {
        const auto& fv = m_scene.flights()[fi];
        const auto& state = now[fi].state;
        if (!state || gone(fv, *state, t)) continue;
        const auto& p = now[fi].p;
        if (!p) continue;
        icons.push_back({p->x - r_icon, p->y - r_icon, p->x + r_icon, p->y + r_icon});
        if (busy() && state->phase == Phase::ended) continue;  // long gone: no label in a busy sky
        cands.push_back({fi, *p, state->altitude ? state->altitude->m() : -1.0});
    }
    auto label_text = [&](const Cand& c) {
        const auto& fv = m_scene.flights()[c.flight];
        const auto& state = *now[c.flight].state;
        std::string line2;
        switch (state.phase) {
            case Phase::stopped: line2 = "on ground"; break;
            case Phase::gap: line2 = "no data (position estimated)"; break;
            case Phase::unknown: line2 = "no data"; break;
            case Phase::ground: line2 = "taxiing"; break;
            case Phase::ended: {
                // A track that ends on the ground landed; one that ends in the air was last seen.
                const auto& legs = fv.analysis.legs;
                if (!legs.empty() && legs.back().landing_time)
                    line2 = "landed" + (legs.back().arrival_airport ? " at " + legs.back().arrival_airport->icao : std::string()) + " " +
                            short_utc(*legs.back().landing_time);
                else
                    line2 = "last seen " + short_utc(fv.flight.points.back().time());
                break;
            }
            default: {
                char buf[64];
                std::snprintf(buf, sizeof buf, " · %.0f kt", state.ground_speed ? state.ground_speed->kt() : 0.0);
                line2 = altitude_text(state.altitude) + (state.ground_speed ? buf : "");
            }
        }
        // Busy scenes: one line (callsign and altitude) so more labels fit.
        return aircraft_label_name(fv.flight.aircraft) +
               (busy() ? (state.phase == Phase::airborne ? " " + altitude_text(state.altitude) : std::string()) : "\n" + line2);
    };
    // Most important first: in busy scenes the highest aircraft (en-route traffic reads better
    // than the crowd at the airport), else flight order; ties by flight order (deterministic).
    if (busy()) std::stable_sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) { return a.alt > b.alt; });
    // Texts are made and measured only for candidates a label could still fit beside (one line
    // at this font, less a margin, bounds every label): in a busy sky most are boxed in by other
    // aircraft.
    std::vector<ScreenPt> anchors;
    anchors.reserve(cands.size());
    for (const auto& c : cands) anchors.push_back(c.p);
    std::vector<std::string> texts(cands.size());
    const double line_h = 0.75 * m_text.measure("A", font, true).height;  // a margin for fallback fonts
    const auto placed = place_labels_sized(
        anchors,
        [&](std::size_t i) {
            texts[i] = label_text(cands[i]);
            const auto sz = m_text.measure(texts[i], font, true);
            return std::pair{sz.width, sz.height};
        },
        0, line_h, icons, W, H, r_icon + 4 * s(), 2 * s(), busy() ? 60 : 10'000);
    std::vector<PlacedLabel> out;
    for (std::size_t i = 0; i < placed.size(); ++i)
        if (placed[i]) out.push_back({cands[i].flight, std::move(texts[i]), *placed[i], font});
    return out;
}

double FrameLayouter::bar_top() const {
    const auto* p = frame_layout(true).find(layout::Role::timeline_bar);
    return p ? p->box.y0 : m_scene.options().height;
}

std::optional<layout::MovingFit> FrameLayouter::hold_banner(const FrameInfo& f) const {
    if (!f.timeline) return std::nullopt;
    const auto& seg = f.timeline->segment_at(f.video_s);
    if (seg.kind != SegmentKind::hold || seg.caption.empty()) return std::nullopt;
    const auto& st = m_scene.options().style;
    const double pad = 12 * s(), W = m_scene.options().width, H = m_scene.options().height;
    const auto sz = m_text.measure(seg.caption, st.font_large * s(), true);
    const double w = sz.width + 3 * pad, h = sz.height + 2 * pad;
    // Bottom centre above the furniture's bottom row, else the middle of the frame; clear of
    // all furniture, shrunk to the text floor if need be.
    const auto& L = frame_layout(true);
    double bottom = H;
    for (const auto& p : L.items)
        if (p.box.y0 > H / 2) bottom = std::min(bottom, p.box.y0);
    const double g = 16 * s();
    std::vector<layout::Candidate> c{{W / 2 - w / 2, bottom - g - h}, {W / 2 - w / 2, H * 0.62 - h / 2}, {W / 2 - w / 2, H / 2 - h / 2}};
    for (double y = bottom - g - h; y > 0; y -= h / 2)
        for (double fx : {0.5, 0.3, 0.7}) c.push_back({W * fx - w / 2, y});
    const double k_min = std::min(1.0, layout::kMinTextPx / (st.font_large * s()));
    // Clear of the furniture, the place names (drawn on the cached map) and the gap labels.
    auto taken = L.boxes();
    for (const auto& p : place_layout(true)) taken.push_back(p.box);
    for (const auto& gl : view_gap_labels(true)) taken.push_back(gl.box);
    for (const auto& al : airport_labels(true)) taken.push_back(al.box);
    // Nowhere clear (small frames): it yields; the clock still says "fast-forward".
    return layout::place_moving({w, h}, k_min, c, taken, W, H);
}

BarRect FrameLayouter::playhead(const FrameInfo& f) const {
    const double m = 24 * s(), x0 = m, x1 = m_scene.options().width - m, h = 22 * s();
    const double cx = x0 + (x1 - x0) * f.video_s / f.timeline->video_duration_s(), y = bar_top();
    return {cx - 1.5 * s(), cx + 1.5 * s(), y, h + 8 * s()};
}

double FrameLayouter::legend_item_width(const LegendItem& item, double px, double k) const {
    return 54 * k + m_text.measure(item.text, px).width;
}

std::optional<ScaleBar> FrameLayouter::drawn_scale_bar(bool with_timeline) const {
    if (!m_scene.options().scale_bar) return std::nullopt;
    // In the box the frame layout gives it; where that is off the map (beside a globe), a
    // shorter bar whose ends are both on it, else none.
    const auto* p = frame_layout(with_timeline).find(layout::Role::scale_bar);
    if (!p) return std::nullopt;
    // Where the slot is off the map (beside a globe), move in toward the centre, in steps of
    // 1/40 of the frame, to the first place where the whole bar is on the map and its box
    // clear of the other furniture.
    const auto& L = frame_layout(with_timeline);
    const double W = m_scene.options().width, H = m_scene.options().height;
    const double x1 = p->box.x1 - 8 * s(), y = p->box.y1 - 12 * s(), max_px = p->box.w() - 16 * s();
    std::optional<ScaleBar> best;
    for (int j = 0; j < 12; ++j)
        for (int i = 0; i < 12; ++i) {
            auto bar = scale_bar(m_scene, {{x1 - i * W / 40, y - j * H / 40}}, max_px);
            if (!bar) continue;
            const Box b = scale_bar_box(*bar);
            if (b.x0 < 0 || b.y0 < 0 || b.x1 > W || b.y1 > H) continue;
            if (std::any_of(L.items.begin(), L.items.end(),
                            [&](const layout::Placed& q) { return q.role != layout::Role::scale_bar && q.box.overlaps(b); }))
                continue;
            if (bar->b.x - bar->a.x >= 0.35 * max_px) return bar;  // as scale_bar: a bar that fills a third of its room
            if (!best || bar->b.x - bar->a.x > best->b.x - best->a.x) best = bar;
        }
    return best;
}

Box FrameLayouter::scale_bar_box(const ScaleBar& bar) const {
    // Mirrors draw_scale_and_north.
    const auto sz = m_text.measure(bar.label, m_scene.options().style.font_small * s(), true);
    return {bar.a.x - 8 * s(), bar.a.y - sz.height - 8 * s(), bar.b.x + 8 * s(), bar.a.y + 6 * s() + 6 * s()};
}

// Tick labels at the text floor or larger; frames under 640 px wide get tick marks only.
bool FrameLayouter::tick_labels() const noexcept { return m_scene.options().width >= 640; }
double FrameLayouter::tick_font_px() const noexcept { return std::max(layout::kMinTextPx, m_scene.options().style.font_small * 0.8 * s()); }
double FrameLayouter::tick_band() const noexcept { return tick_labels() ? tick_font_px() * 1.35 + 2 * s() : 2 * s(); }
double FrameLayouter::bar_height(bool with_timeline) const noexcept {
    return m_scene.options().timeline_bar && with_timeline ? 34 * s() + tick_band() : 0;
}

std::vector<int> FrameLayouter::airborne_counts(const Timeline& tl, int columns) const {
    // Leg intervals as column ranges (video position), summed with a difference array.
    std::vector<int> diff(static_cast<std::size_t>(columns) + 1, 0);
    const double total = tl.video_duration_s();
    for (const auto& fv : m_scene.flights())
        for (const auto& leg : fv.analysis.legs) {
            const double a = tl.video_time(leg.departure_time) / total * columns, b = tl.video_time(leg.arrival_time) / total * columns;
            const int ia = std::clamp(static_cast<int>(std::floor(a)), 0, columns),
                      ib = std::clamp(static_cast<int>(std::ceil(b)), 0, columns);
            if (ib <= ia) continue;
            ++diff[static_cast<std::size_t>(ia)];
            --diff[static_cast<std::size_t>(ib)];
        }
    std::vector<int> out(static_cast<std::size_t>(columns));
    int run = 0;
    for (int i = 0; i < columns; ++i) out[static_cast<std::size_t>(i)] = run += diff[static_cast<std::size_t>(i)];
    return out;
}

}  // namespace fr::render
