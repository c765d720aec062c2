#include "app/replay_spec.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "core/error.hpp"
#include "core/text.hpp"
#include "export/png_sequence.hpp"

namespace fr::app {

namespace {

std::string format_real(double v) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

}  // namespace

const char* to_string(OutputKind k) noexcept {
    switch (k) {
        case OutputKind::png: return "png";
        case OutputKind::svg: return "svg";
        case OutputKind::pdf: return "pdf";
        case OutputKind::png_sequence: return "png-sequence";
        case OutputKind::mp4: return "mp4";
        case OutputKind::webm: return "webm";
        case OutputKind::gif: return "gif";
        case OutputKind::geojson: return "geojson";
        case OutputKind::kml: return "kml";
        case OutputKind::gpkg: return "gpkg";
        case OutputKind::csv: return "csv";
    }
    return "?";
}

OutputSpec::OutputSpec(std::filesystem::path p) : OutputSpec(parse(p)) {}

OutputSpec OutputSpec::parse(const std::filesystem::path& path) {
    OutputSpec o;
    o.path = path;
    if (path.empty()) return o;  // "no output" is the caller's to judge (validate_request)
    // A pattern or a folder is a PNG sequence (png_sequence_pattern checks the pattern).
    if (output::png_sequence_pattern(path)) {
        o.kind = OutputKind::png_sequence;
        return o;
    }
    static const std::pair<const char*, OutputKind> kinds[] = {
        {".png", OutputKind::png},   {".svg", OutputKind::svg}, {".pdf", OutputKind::pdf},         {".mp4", OutputKind::mp4},
        {".webm", OutputKind::webm}, {".gif", OutputKind::gif}, {".geojson", OutputKind::geojson}, {".kml", OutputKind::kml},
        {".gpkg", OutputKind::gpkg}, {".csv", OutputKind::csv},
    };
    const auto ext = lower_extension(path);
    for (const auto& [e, k] : kinds)
        if (ext == e) {
            o.kind = k;
            return o;
        }
    if (ext == ".json")
        throw UsageError("output '" + path.string() +
                         "': name GeoJSON output .geojson (.json is not written, so that a slip cannot overwrite a JSON track)");
    throw UsageError("unsupported output '" + path.string() + "': use .png, .svg, .pdf, .mp4, .webm, .gif, .geojson, .kml, .gpkg or .csv");
}

bool OutputSpec::is_video() const noexcept {
    return kind == OutputKind::mp4 || kind == OutputKind::webm || kind == OutputKind::gif || kind == OutputKind::png_sequence;
}

bool OutputSpec::is_track_export() const noexcept {
    return kind == OutputKind::geojson || kind == OutputKind::kml || kind == OutputKind::gpkg || kind == OutputKind::csv;
}

std::string OutputSpec::png_pattern() const {
    if (kind != OutputKind::png_sequence) return {};
    return output::png_sequence_pattern(path).value_or(std::string());
}

const char* to_string(ColorBy c) noexcept { return c == ColorBy::altitude ? "altitude" : "aircraft"; }
const char* to_string(DrawStyle s) noexcept { return s == DrawStyle::density ? "density" : "tracks"; }
const char* to_string(output::GeoJsonStyle s) noexcept { return s == output::GeoJsonStyle::kepler ? "kepler" : "rfc7946"; }

std::optional<ColorBy> parse_color_by(std::string_view s) noexcept {
    if (s == "aircraft") return ColorBy::aircraft;
    if (s == "altitude") return ColorBy::altitude;
    return std::nullopt;
}
std::optional<DrawStyle> parse_draw_style(std::string_view s) noexcept {
    if (s == "tracks") return DrawStyle::tracks;
    if (s == "density") return DrawStyle::density;
    return std::nullopt;
}
std::optional<output::GeoJsonStyle> parse_geojson_style(std::string_view s) noexcept {
    if (s == "rfc7946") return output::GeoJsonStyle::rfc7946;
    if (s == "kepler") return output::GeoJsonStyle::kepler;
    return std::nullopt;
}

KeyframeSpec parse_keyframe(const std::string& text) {
    auto bad = [&](const std::string& why) {
        return UsageError("invalid --keyframe '" + text + "': " + why + " (expected TIME,LON,LAT,WIDTH_KM, e.g. +2h,125.67,39.22,800)");
    };
    std::vector<std::string> parts;
    std::size_t pos = 0;
    while (true) {
        const auto next = text.find(',', pos);
        parts.push_back(text.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
        if (next == std::string::npos) break;
        pos = next + 1;
    }
    if (parts.size() != 4) throw bad("4 comma-separated fields needed");
    const auto t = TimeRef::parse(parts[0]);
    if (!t) throw bad("'" + parts[0] + "' is not ISO 8601 UTC (2023-08-01T05:11:31Z) or an offset from the first fix (+13h20m)");
    double v[3];
    for (int i = 0; i < 3; ++i) {
        const auto& p = parts[static_cast<std::size_t>(i) + 1];
        auto r = std::from_chars(p.data(), p.data() + p.size(), v[i]);
        if (p.empty() || r.ec != std::errc{} || r.ptr != p.data() + p.size() || !std::isfinite(v[i]))
            throw bad("'" + p + "' is not a number");
    }
    const auto centre = LatLon::checked(v[1], v[0]);
    if (!centre) throw bad("longitude must be -180..180 and latitude -90..90 degrees");
    if (!(v[2] > 0 && v[2] <= 40'075)) throw bad("width must be more than 0 and at most 40075 km (the equator)");
    return KeyframeSpec{*t, *centre, v[2]};
}

std::string to_string(const KeyframeSpec& k) {
    return k.time.to_string() + "," + format_real(k.centre.lon_deg()) + "," + format_real(k.centre.lat_deg()) + "," +
           format_real(k.width_km);
}

}  // namespace fr::app
