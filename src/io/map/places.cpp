#include "io/map/places.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "io/text/csv.hpp"

namespace fr::io {

namespace {

std::string read_all(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw IoError("cannot open '" + p.string() + "'");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// A table read by column name: the header row says where each wanted column is.
class Table {
public:
    Table(const std::filesystem::path& path, std::vector<std::string> wanted) : m_path(path), m_text(read_all(path)), m_reader(m_text) {
        std::vector<std::string_view> header;
        if (!m_reader.next(header)) throw IoError(path.string() + ":1:1: empty file (expected a header row)");
        for (const auto& w : wanted) {
            const auto it = std::find(header.begin(), header.end(), w);
            if (it == header.end()) throw IoError(path.string() + ":1:1: column '" + w + "' missing from the header");
            m_index.push_back(static_cast<std::size_t>(it - header.begin()));
        }
    }
    /// Next record; false at the end. f(i) is the i-th wanted column.
    bool next() {
        if (!m_reader.next(m_fields)) return false;
        if (!m_reader.error().empty()) fail(0, m_reader.error());
        for (std::size_t i = 0; i < m_index.size(); ++i)
            if (m_index[i] >= m_fields.size()) fail(i, "missing field (the record has " + std::to_string(m_fields.size()) + " fields)");
        return true;
    }
    std::string_view f(std::size_t i) const { return detail::trim(m_fields[m_index[i]]); }
    double number(std::size_t i, const char* what) const {
        double v = 0;
        if (!detail::parse_double(f(i), v) || !std::isfinite(v))
            fail(i, std::string(what) + " '" + std::string(f(i)) + "' is not a number");
        return v;
    }
    std::optional<double> optional_number(std::size_t i, const char* what) const {
        if (f(i).empty()) return std::nullopt;
        return number(i, what);
    }
    LatLon position(std::size_t lat, std::size_t lon) const {
        const double la = number(lat, "latitude"), lo = number(lon, "longitude");
        const auto p = LatLon::checked(la, lo);
        if (!p) fail(std::abs(la) > 90 ? lat : lon, "position " + std::to_string(la) + "," + std::to_string(lo) + " out of range");
        return *p;
    }
    [[noreturn]] void fail(std::size_t i, const std::string& what) const {
        throw IoError(m_path.string() + ":" + std::to_string(m_reader.line()) + ":" + std::to_string(m_index.empty() ? 1 : m_index[i] + 1) +
                      ": " + what);
    }

private:
    std::filesystem::path m_path;
    std::string m_text;
    detail::CsvReader m_reader;
    std::vector<std::size_t> m_index;
    std::vector<std::string_view> m_fields;
};

}  // namespace

std::vector<City> load_cities(const std::filesystem::path& csv) {
    Table t(csv, {"name", "lon", "lat", "country", "population"});
    std::vector<City> out;
    while (t.next()) {
        double pop = t.number(4, "population");
        if (pop < 0) t.fail(4, "negative population");
        out.push_back({std::string(t.f(0)), std::string(t.f(3)), t.position(2, 1), static_cast<long long>(pop)});
    }
    std::stable_sort(out.begin(), out.end(), [](const City& a, const City& b) { return a.population > b.population; });
    return out;
}

std::vector<WaterBody> load_water_bodies(const std::filesystem::path& csv) {
    Table t(csv, {"name", "lon", "lat", "rank"});
    std::vector<WaterBody> out;
    while (t.next()) {
        const double r = t.number(3, "rank");
        if (r != 1 && r != 2 && r != 3) t.fail(3, "rank must be 1, 2 or 3");
        out.push_back({std::string(t.f(0)), t.position(2, 1), static_cast<int>(r)});
    }
    return out;
}

std::vector<RunwayOutline> load_runways(const std::filesystem::path& csv) {
    Table t(csv, {"icao", "le_ident", "he_ident", "le_lat", "le_lon", "he_lat", "he_lon", "width_ft", "length_ft"});
    std::vector<RunwayOutline> out;
    constexpr double ft = 0.3048;
    while (t.next()) {
        RunwayOutline r;
        r.icao = t.f(0);
        r.le_ident = t.f(1);
        r.he_ident = t.f(2);
        if (!t.f(3).empty() && !t.f(4).empty()) r.le = t.position(3, 4);
        if (!t.f(5).empty() && !t.f(6).empty()) r.he = t.position(5, 6);
        if (const auto w = t.optional_number(7, "width_ft"); w && *w > 0) r.width_m = *w * ft;
        if (const auto l = t.optional_number(8, "length_ft")) r.length_m = *l * ft;
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<CountryLabel> load_country_labels(const std::filesystem::path& csv) {
    Table t(csv, {"name", "lon", "lat", "area_km2"});
    std::vector<CountryLabel> out;
    while (t.next()) {
        const double a = t.number(3, "area_km2");
        if (a < 0) t.fail(3, "negative area");
        out.push_back({std::string(t.f(0)), t.position(2, 1), a});
    }
    std::stable_sort(out.begin(), out.end(), [](const CountryLabel& a, const CountryLabel& b) { return a.area_km2 > b.area_km2; });
    return out;
}

}  // namespace fr::io
