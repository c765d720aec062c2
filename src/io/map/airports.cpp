// The bundled airport table: an RFC 4180 CSV reader for assets/airports/airports.csv (and the
// runways.csv beside it).
#include "io/map/airports.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string_view>
#include <system_error>
#include <unordered_map>

#include "core/error.hpp"
#include "geo/geodesic.hpp"

namespace fr::io {
namespace {

// The columns the bundled table has (assets/airports/README or the build script); order is
// looked up by name so a reordered file still loads.
constexpr const char* kColumns[] = {"icao", "iata",         "name", "city",      "country", "lat",
                                    "lon",  "elevation_ft", "type", "scheduled", "military"};
constexpr std::size_t kColumnCount = std::size(kColumns);

struct Row {
    std::vector<std::string> fields;
    std::uint64_t line = 0;  // 1-based line where the record starts
};

// Splits RFC 4180 CSV text into records. Quoted fields may hold commas, doubled quotes and
// line breaks. Throws IoError on an unterminated quote or junk after a closing quote.
std::vector<Row> parse_csv(const std::string& file, std::string_view text) {
    std::vector<Row> rows;
    Row row;
    std::string field;
    std::uint64_t line = 1;
    row.line = 1;
    bool in_quotes = false;
    bool after_quote = false;  // just closed a quoted field
    bool row_has_content = false;
    std::uint64_t quote_line = 0;
    auto end_field = [&] {
        row.fields.push_back(std::move(field));
        field.clear();
        after_quote = false;
    };
    auto end_row = [&] {
        end_field();
        if (row_has_content || row.fields.size() > 1 || !row.fields[0].empty()) rows.push_back(std::move(row));
        row = Row{};
        row_has_content = false;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_quotes) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field.push_back('"');
                    ++i;
                } else {
                    in_quotes = false;
                    after_quote = true;
                }
            } else {
                if (c == '\n') ++line;
                field.push_back(c);
            }
            continue;
        }
        if (c == ',') {
            end_field();
            row_has_content = true;
        } else if (c == '\r') {
            // tolerated before \n (CRLF files)
        } else if (c == '\n') {
            end_row();
            ++line;
            row.line = line;
        } else if (c == '"' && field.empty() && !after_quote) {
            in_quotes = true;
            quote_line = line;
            row_has_content = true;
        } else {
            if (after_quote)
                throw IoError(file + ":" + std::to_string(line) + ":" + std::to_string(row.fields.size() + 1) +
                              ": unexpected character after closing quote (airport table not loaded)");
            field.push_back(c);
            row_has_content = true;
        }
    }
    if (in_quotes)
        throw IoError(file + ":" + std::to_string(quote_line) + ":" + std::to_string(row.fields.size() + 1) +
                      ": unterminated quoted field (airport table not loaded)");
    if (row_has_content || !field.empty() || !row.fields.empty()) end_row();
    return rows;
}

[[noreturn]] void bad_field(const std::string& file, const Row& row, std::size_t col, const char* name, const std::string& what) {
    throw IoError(file + ":" + std::to_string(row.line) + ":" + std::to_string(col + 1) + ": field '" + name + "': " + what +
                  " (airport table not loaded)");
}

double parse_double(const std::string& file, const Row& row, std::size_t col, const char* name) {
    const std::string& s = row.fields[col];
    double v = 0.0;
    const char* b = s.data();
    const char* e = s.data() + s.size();
    auto [p, ec] = std::from_chars(b, e, v);
    if (s.empty() || ec != std::errc{} || p != e || !std::isfinite(v)) bad_field(file, row, col, name, "'" + s + "' is not a number");
    return v;
}

bool parse_flag(const std::string& file, const Row& row, std::size_t col, const char* name) {
    const std::string& s = row.fields[col];
    if (s == "1" || s == "yes") return true;
    if (s == "0" || s == "no" || s.empty()) return false;
    bad_field(file, row, col, name, "'" + s + "' is not 0 or 1");
}

AirportSize parse_size(const std::string& file, const Row& row, std::size_t col) {
    const std::string& s = row.fields[col];
    if (s == "large" || s == "large_airport") return AirportSize::large;
    if (s == "medium" || s == "medium_airport") return AirportSize::medium;
    if (s == "small" || s == "small_airport") return AirportSize::small;
    bad_field(file, row, col, "type", "'" + s + "' is not small, medium or large");
}

// Reads runways.csv (columns: icao, le_ident, he_ident, length_ft, heading_deg, le_lat, le_lon,
// he_lat, he_lon; others ignored) and attaches each runway to its airport.
void attach_runways(const std::filesystem::path& csv, std::vector<Airport>& airports) {
    const std::string file = csv.string();
    std::ifstream in(csv, std::ios::binary);
    if (!in) throw IoError("cannot open runway table '" + file + "'");
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    std::vector<Row> rows = parse_csv(file, text);
    if (rows.empty()) return;
    const Row& header = rows.front();
    constexpr const char* cols[] = {"icao", "le_ident", "he_ident", "length_ft", "heading_deg", "le_lat", "le_lon", "he_lat", "he_lon"};
    std::size_t index[std::size(cols)];
    for (std::size_t c = 0; c < std::size(cols); ++c) {
        auto it = std::find(header.fields.begin(), header.fields.end(), cols[c]);
        if (it == header.fields.end())
            throw IoError(file + ":" + std::to_string(header.line) + ": header lacks column '" + cols[c] + "' (runway table not loaded)");
        index[c] = static_cast<std::size_t>(it - header.fields.begin());
    }
    std::unordered_map<std::string, Airport*> by_icao;
    for (auto& a : airports)
        if (!a.icao.empty()) by_icao.emplace(a.icao, &a);
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const Row& row = rows[r];
        if (row.fields.size() != header.fields.size())
            throw IoError(file + ":" + std::to_string(row.line) + ": expected " + std::to_string(header.fields.size()) + " fields, found " +
                          std::to_string(row.fields.size()) + " (runway table not loaded)");
        auto it = by_icao.find(row.fields[index[0]]);
        if (it == by_icao.end()) continue;
        AirportRunway rw;
        rw.le_ident = row.fields[index[1]];
        rw.he_ident = row.fields[index[2]];
        if (!row.fields[index[3]].empty()) rw.length = Length::feet(parse_double(file, row, index[3], "length_ft"));
        if (!row.fields[index[5]].empty() && !row.fields[index[6]].empty() && !row.fields[index[7]].empty() &&
            !row.fields[index[8]].empty()) {
            rw.le = LatLon::checked(parse_double(file, row, index[5], "le_lat"), parse_double(file, row, index[6], "le_lon"));
            rw.he = LatLon::checked(parse_double(file, row, index[7], "he_lat"), parse_double(file, row, index[8], "he_lon"));
        }
        // Heading: OurAirports' true heading of the low end, else the azimuth between the ends;
        // a runway with neither says nothing about alignment and is left out here.
        if (!row.fields[index[4]].empty())
            rw.heading_deg = parse_double(file, row, index[4], "heading_deg");
        else if (rw.le && rw.he)
            rw.heading_deg = geo::inverse(*rw.le, *rw.he).azimuth1.normalized_360().deg();
        else
            continue;
        it->second->runways.push_back(std::move(rw));
    }
}

}  // namespace

std::vector<Airport> read_airports(const std::filesystem::path& csv) {
    const std::string file = csv.string();
    std::ifstream in(csv, std::ios::binary);
    if (!in) throw IoError("cannot open airport table '" + file + "'");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw IoError("cannot read airport table '" + file + "'");
    const std::string text = ss.str();

    std::vector<Row> rows = parse_csv(file, text);
    if (rows.empty()) throw IoError(file + ":1: empty airport table, expected a header (airport table not loaded)");
    const Row& header = rows.front();
    std::size_t index[kColumnCount];
    for (std::size_t c = 0; c < kColumnCount; ++c) {
        auto it = std::find(header.fields.begin(), header.fields.end(), kColumns[c]);
        if (it == header.fields.end())
            throw IoError(file + ":" + std::to_string(header.line) + ": header lacks column '" + kColumns[c] +
                          "' (airport table not loaded)");
        index[c] = static_cast<std::size_t>(it - header.fields.begin());
    }
    enum { icao, iata, name, city, country, lat, lon, elev, type, sched, mil };

    std::vector<Airport> airports;
    airports.reserve(rows.size() - 1);
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const Row& row = rows[r];
        if (row.fields.size() != header.fields.size())
            throw IoError(file + ":" + std::to_string(row.line) + ": expected " + std::to_string(header.fields.size()) + " fields, found " +
                          std::to_string(row.fields.size()) + " (airport table not loaded)");
        const double la = parse_double(file, row, index[lat], "lat");
        const double lo = parse_double(file, row, index[lon], "lon");
        auto pos = LatLon::checked(la, lo);
        if (!pos) {
            const bool lat_bad = !(std::abs(la) <= 90.0);
            bad_field(file, row, index[lat_bad ? lat : lon], lat_bad ? "lat" : "lon",
                      std::string(lat_bad ? "latitude " : "longitude ") + row.fields[index[lat_bad ? lat : lon]] + " out of range");
        }
        // An empty ICAO code is allowed: OurAirports has medium fields with only a local or
        // IATA code (the bundled table has ~265, e.g. Aleknagik, WKK).
        const std::string& icao_code = row.fields[index[icao]];
        Airport a{icao_code, row.fields[index[iata]], row.fields[index[name]], row.fields[index[city]], row.fields[index[country]], *pos,
                  // An empty elevation (a few OurAirports rows) is taken as sea level.
                  Length::feet(row.fields[index[elev]].empty() ? 0.0 : parse_double(file, row, index[elev], "elevation_ft")),
                  parse_size(file, row, index[type]), parse_flag(file, row, index[sched], "scheduled"),
                  parse_flag(file, row, index[mil], "military")};
        airports.push_back(std::move(a));
    }
    const auto runways = csv.parent_path() / "runways.csv";
    if (std::filesystem::exists(runways)) attach_runways(runways, airports);
    return airports;
}

}  // namespace fr::io
