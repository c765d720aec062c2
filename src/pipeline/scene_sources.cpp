#include "pipeline/scene_sources.hpp"

#include <algorithm>
#include <cstdio>

#include "io/map/assets.hpp"

namespace fr::pipeline {

namespace {

bool same_read(const io::VectorRead& a, const io::VectorRead& b) {
    return a.path == b.path && a.kind == b.kind && a.with_land == b.with_land && a.with_rivers == b.with_rivers &&
           a.label_field == b.label_field;
}

/// The area a session reads for a view of window `w`: the view's lon/lat window widened by its
/// own span (at least 10 degrees) on every side, so later pans by up to a view's width and
/// every zoom in stay inside it; all longitudes once that reaches 300 degrees, but short of
/// the poles (89.9 degrees), so that the read still goes through the GeoPackage's R-tree (see
/// io::VectorFeatures::covers). A whole-world view is read as it is.
io::BasemapWindow session_region(const io::BasemapWindow& w) {
    io::BasemapWindow r = w;
    if (!r.window) return r;
    geo::GeoBounds b = *r.window;
    const double pad_lon = std::max(b.lon_span(), 10.0), pad_lat = std::max(b.lat_span(), 10.0);  // degrees
    constexpr double kShortOfPole = 89.9;                                                         // degrees
    if (b.lon_span() + 2 * pad_lon >= 300.0) {
        b.lon_min = -180.0;
        b.lon_max = 180.0;
    } else {
        b.lon_min -= pad_lon;
        b.lon_max += pad_lon;
    }
    b.lat_min = std::max(-kShortOfPole, std::min(b.lat_min, b.lat_min - pad_lat));
    b.lat_max = std::min(kShortOfPole, std::max(b.lat_max, b.lat_max + pad_lat));
    b.lat_min = std::min(b.lat_min, r.window->lat_min);  // never narrower than the view itself
    b.lat_max = std::max(b.lat_max, r.window->lat_max);
    r.window = b;
    return r;
}

std::string warp_key(const std::string& path, const std::string& crs, double xmin, double ymin, double xmax, double ymax, int width,
                     int height) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "|%.17g|%.17g|%.17g|%.17g|%d|%d", xmin, ymin, xmax, ymax, width, height);
    return path + "|" + crs + buf;
}

}  // namespace

io::Basemap SceneSources::vector(const io::VectorRead& what, const io::BasemapWindow& w) {
    if (m_reuse == Reuse::once) {
        auto f = io::VectorFeatures::read(what, w);
        {
            const std::lock_guard lock(m_mutex);
            ++m_files_read;
        }
        return f->clip(w);
    }
    std::shared_ptr<const io::VectorFeatures> found;
    {
        const std::lock_guard lock(m_mutex);
        for (const auto& v : m_vectors)
            if (same_read(v->what(), what)) found = v;
    }
    if (!found || !found->covers(w)) {
        found = io::VectorFeatures::read(what, w, session_region(w));
        if (!found->covers(w)) found = io::VectorFeatures::read(what, w);  // as a one-shot read (whole-world views)
        const std::lock_guard lock(m_mutex);
        ++m_files_read;
        const auto it = std::find_if(m_vectors.begin(), m_vectors.end(), [&](const auto& v) { return same_read(v->what(), what); });
        if (it != m_vectors.end())
            *it = found;
        else
            m_vectors.push_back(found);
    }
    return found->clip(w);
}

io::RasterImage SceneSources::raster(const std::filesystem::path& path, const std::string& crs, double xmin, double ymin, double xmax,
                                     double ymax, int width, int height) {
    const auto key = warp_key(path.string(), crs, xmin, ymin, xmax, ymax, width, height);
    {
        const std::lock_guard lock(m_mutex);
        for (const auto& w : m_warps)
            if (w.key == key && w.raster) return *w.raster;
    }
    auto img = io::warp_raster(path, crs, xmin, ymin, xmax, ymax, width, height);
    const std::lock_guard lock(m_mutex);
    ++m_files_read;
    if (m_reuse == Reuse::session) {
        std::erase_if(m_warps, [&](const Warp& w) { return w.raster && w.key.starts_with(path.string() + "|"); });
        m_warps.push_back({key, img, std::nullopt});
    }
    return img;
}

io::TileBasemap SceneSources::tiles(const std::string& basemap, io::TileKind kind, const io::TileOptions& opt, const std::string& crs,
                                    double xmin, double ymin, double xmax, double ymax, int width, int height) {
    const auto key = warp_key(basemap, crs, xmin, ymin, xmax, ymax, width, height) + "|" + std::to_string(opt.zoom.value_or(-1)) + "|" +
                     std::to_string(opt.max_tiles) + (opt.offline ? "|offline" : "");
    {
        const std::lock_guard lock(m_mutex);
        for (const auto& w : m_warps)
            if (w.key == key && w.tiles) return *w.tiles;
    }
    auto t = io::warp_tiles(basemap, kind, opt, crs, xmin, ymin, xmax, ymax, width, height);
    const std::lock_guard lock(m_mutex);
    ++m_files_read;
    if (m_reuse == Reuse::session) {
        std::erase_if(m_warps, [&](const Warp& w) { return w.tiles && w.key.starts_with(basemap + "|"); });
        m_warps.push_back({key, std::nullopt, t});
    }
    return t;
}

bool SceneSources::is_raster(const std::filesystem::path& path) {
    {
        const std::lock_guard lock(m_mutex);
        if (const auto it = m_is_raster.find(path.string()); it != m_is_raster.end()) return it->second;
    }
    const bool r = io::is_raster(path);
    const std::lock_guard lock(m_mutex);
    m_is_raster[path.string()] = r;
    return r;
}

std::string SceneSources::mbtiles_attribution(const std::filesystem::path& path) {
    {
        const std::lock_guard lock(m_mutex);
        if (const auto it = m_mbtiles_credit.find(path.string()); it != m_mbtiles_credit.end()) return it->second;
    }
    auto credit = io::mbtiles_attribution(path);
    const std::lock_guard lock(m_mutex);
    m_mbtiles_credit[path.string()] = credit;
    return credit;
}

std::optional<std::filesystem::path> SceneSources::optional_asset(const std::string& rel) {
    {
        const std::lock_guard lock(m_mutex);
        if (const auto it = m_assets.find(rel); it != m_assets.end()) return it->second;
    }
    auto p = io::optional_asset_path(rel);
    const std::lock_guard lock(m_mutex);
    m_assets[rel] = p;
    return p;
}

std::size_t SceneSources::files_read() const {
    const std::lock_guard lock(m_mutex);
    return m_files_read;
}

// The bundled place tables, read once per process (function-local statics: thread-safe).
const std::vector<io::City>& SceneSources::bundled_cities() {
    static const auto v = io::load_cities(io::asset_path("places/cities.csv"));
    return v;
}
const std::vector<io::WaterBody>& SceneSources::bundled_water() {
    static const auto v = io::load_water_bodies(io::asset_path("places/water.csv"));
    return v;
}
const std::vector<io::CountryLabel>& SceneSources::bundled_countries() {
    static const auto v = io::load_country_labels(io::asset_path("places/countries.csv"));
    return v;
}
const analysis::AirportTable& SceneSources::bundled_airports() {
    static const auto v = analysis::AirportTable::load(io::asset_path("airports/airports.csv"));
    return v;
}
const std::vector<io::RunwayOutline>& SceneSources::bundled_runways() {
    static const auto v = io::load_runways(io::asset_path("airports/runways.csv"));
    return v;
}

render::Scene make_scene(std::vector<Flight> flights, std::vector<analysis::FlightAnalysis> analyses, render::SceneOptions opt) {
    return render::Scene(std::move(flights), std::move(analyses), std::move(opt),
                         std::make_shared<SceneSources>(SceneSources::Reuse::once));
}

}  // namespace fr::pipeline
