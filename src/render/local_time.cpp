#include "render/local_time.hpp"

#include <date/tz.h>

#include <fstream>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "io/map/assets.hpp"

namespace fr::render {

namespace {

const date::time_zone* zone(const std::string& name) {
    try {
        return date::locate_zone(name);
    } catch (const std::exception& e) {
        throw UsageError("unknown time zone '" + name +
                         "' (a zone of /usr/share/zoneinfo such as Asia/Seoul, or utc, or auto): " + e.what());
    }
}

/// tz-lookup's packed quadtree (see scripts/build_tz_tables.js and the package's
/// tz_template.js): a 48 x 24 root grid, then 2 x 2 children; each node entry is two
/// characters, value = c0 * 56 + c1 - 1995; values >= 3136 - zones are leaves (zone index
/// value - (3136 - zones)), others are offsets to the next node.
struct Grid {
    std::string data;
    std::vector<std::string> zones;
};

const Grid& grid() {
    static const Grid g = [] {
        const auto path = io::asset_path("tz/tz_lookup.txt");
        std::ifstream in(path);
        Grid out;
        if (!in || !std::getline(in, out.data) || out.data.size() < 2304)
            throw IoError(path.string() + ":1:1: missing or short tz-lookup grid");
        std::string line;
        while (std::getline(in, line))
            if (!line.empty()) out.zones.push_back(line);
        if (out.zones.empty()) throw IoError(path.string() + ":2:1: no zone names");
        return out;
    }();
    return g;
}

const std::unordered_map<std::string, std::string>& airport_zones() {
    static const auto m = [] {
        const auto path = io::asset_path("tz/airport_tz.csv");
        std::ifstream in(path);
        if (!in) throw IoError("cannot open '" + path.string() + "'");
        std::unordered_map<std::string, std::string> out;
        std::string line;
        std::size_t n = 0;
        while (std::getline(in, line)) {
            ++n;
            if (n == 1 || line.empty()) continue;  // header
            const auto comma = line.find(',');
            if (comma == std::string::npos || comma == 0 || comma + 1 == line.size())
                throw IoError(path.string() + ":" + std::to_string(n) + ":1: expected icao,tzid");
            out.emplace(line.substr(0, comma), line.substr(comma + 1));
        }
        return out;
    }();
    return m;
}

std::string utc_hm(TimePoint t) {
    const auto s = format_iso8601(std::chrono::time_point_cast<std::chrono::seconds>(t));
    return s.substr(0, 10) + " " + s.substr(11, 5) + "Z";
}

}  // namespace

void check_tz_option(const std::string& tz) {
    if (tz == "utc" || tz == "auto") return;
    (void)zone(tz);
}

std::string tz_lookup(LatLon p) {
    const Grid& g = grid();
    const double lat = p.lat_deg(), lon = p.lon_deg();
    if (lat >= 90) return "Etc/GMT";
    const int leaf0 = 3136 - static_cast<int>(g.zones.size());
    auto value = [&](std::size_t i) {
        if (i + 1 >= g.data.size()) throw IoError("tz-lookup grid: index out of range (corrupt table)");
        return static_cast<int>(static_cast<unsigned char>(g.data[i])) * 56 + static_cast<int>(static_cast<unsigned char>(g.data[i + 1])) -
               1995;
    };
    // The constants are the smallest doubles above 360 and 180 (as in the original), so the
    // cell indices stay below 48 and 24.
    double x = (180 + lon) * 48 / 360.00000000000006, y = (90 - lat) * 24 / 180.00000000000003;
    int u = static_cast<int>(x), v = static_cast<int>(y);
    long n = -1;
    int i = value(static_cast<std::size_t>(v * 96 + u * 2));
    while (i < leaf0) {
        n = n + i + 1;
        x = std::fmod((x - u) * 2, 2.0);
        y = std::fmod((y - v) * 2, 2.0);
        u = static_cast<int>(x);
        v = static_cast<int>(y);
        i = value(static_cast<std::size_t>(n * 8 + v * 4 + u * 2 + 2304));
    }
    return g.zones.at(static_cast<std::size_t>(i - leaf0));
}

std::optional<std::string> airport_time_zone(const std::string& icao) {
    const auto& m = airport_zones();
    const auto it = m.find(icao);
    if (it == m.end()) return std::nullopt;
    return it->second;
}

std::string format_local(TimePoint t, const std::string& name, bool seconds) {
    const auto* z = zone(name);
    const auto st = std::chrono::time_point_cast<std::chrono::seconds>(t);
    const auto info = z->get_info(st);
    const auto local = z->to_local(st);
    return date::format(seconds ? "%H:%M:%S" : "%H:%M", local) + " " + info.abbrev;
}

int local_day_offset(TimePoint t, const std::string& name) {
    const auto st = std::chrono::time_point_cast<std::chrono::seconds>(t);
    const auto local_days = date::floor<date::days>(zone(name)->to_local(st)).time_since_epoch().count();
    const auto utc_days = date::floor<date::days>(st).time_since_epoch().count();
    return static_cast<int>(local_days - utc_days);
}

LocalTime::LocalTime(std::string mode) : m_mode(std::move(mode)) { check_tz_option(m_mode); }

std::string LocalTime::zone_at(LatLon p) const { return automatic() ? tz_lookup(p) : m_mode; }

std::string LocalTime::stop_zone(const analysis::Stop& s) const {
    if (!automatic()) return m_mode;
    if (s.airport)
        if (auto z = airport_time_zone(s.airport->icao)) return *z;
    return tz_lookup(s.airport ? s.airport->position : s.position);
}

std::string LocalTime::stop_times(const analysis::Stop& s, bool departed) const {
    auto line = [&](const char* what, TimePoint t) {
        std::string out = std::string(what) + " " + utc_hm(t);
        if (!enabled()) return out;
        const auto z = stop_zone(s);
        out += " / " + format_local(t, z);
        if (const int d = local_day_offset(t, z); d != 0) out += d > 0 ? " (+1d)" : " (-1d)";
        return out;
    };
    return line("arrived", s.start) + (departed ? "\n" + line("departed", s.end) : "");
}

}  // namespace fr::render
