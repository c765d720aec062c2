#pragma once
// The scene's sources (render::MapSources): every file a Scene needs (the basemap and GSHHG
// GeoPackages, overlays, raster and tile basemaps, the place, airport and runway tables) is read
// here, in the pipeline library beside load_and_analyse, so that the render library reads no map
// file: the Scene only projects, clips and builds geometry. A SceneSources made for one scene
// (Reuse::once) reads exactly what that view needs; one kept for a session (Reuse::session,
// the window) keeps what it read, in lon/lat, and serves the next views from memory: a settled
// pan or zoom re-projects cached geometry without opening a file. A view outside what was read
// (zooming far out, panning far away) or at another GSHHG resolution reads once more, a wider
// area, and keeps that.
//
// Threads: a Scene reads two basemaps at once (Natural Earth and GSHHG on two threads), so the
// cache is guarded by a mutex; what it holds (io::VectorFeatures, the tables) is never changed
// once read (shared as pointers to const; clipping only reads it). It holds no Projector: each
// Scene projects with its own.
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "analysis/airport_table.hpp"
#include "io/map/airports.hpp"
#include "io/map/basemap.hpp"
#include "io/map/places.hpp"
#include "io/map/raster_basemap.hpp"
#include "render/map_sources.hpp"
#include "render/scene.hpp"

namespace fr::pipeline {

class SceneSources final : public render::MapSources {
public:
    enum class Reuse {
        once,     ///< read what one view needs (the R-tree window of that view), keep nothing extra
        session,  ///< read a wider area than asked (three times the view's window) and keep it for later views
    };
    explicit SceneSources(Reuse reuse = Reuse::session) : m_reuse(reuse) {}
    SceneSources(const SceneSources&) = delete;
    SceneSources& operator=(const SceneSources&) = delete;

    Reuse reuse() const noexcept { return m_reuse; }

    /// The layers `what` names cut to `w` (io::load_basemap / load_gshhg / load_vector_overlay
    /// for `w`); from memory when an earlier read of the same file covers `w`. Throws as those.
    io::Basemap vector(const io::VectorRead& what, const io::BasemapWindow& w) override;
    /// io::warp_raster; the last warp of each file is kept and returned again for the same
    /// CRS, box and size (a raster is warped once per view).
    io::RasterImage raster(const std::filesystem::path& path, const std::string& crs, double xmin, double ymin, double xmax, double ymax,
                           int width, int height) override;
    /// io::warp_tiles (tiles come from the on-disk tile cache after the first fetch); the last
    /// result is kept for the same request, as raster.
    io::TileBasemap tiles(const std::string& basemap, io::TileKind kind, const io::TileOptions& opt, const std::string& crs, double xmin,
                          double ymin, double xmax, double ymax, int width, int height) override;
    /// io::is_raster, io::mbtiles_attribution, io::optional_asset_path: asked once per name.
    bool is_raster(const std::filesystem::path& path) override;
    std::string mbtiles_attribution(const std::filesystem::path& path) override;
    std::optional<std::filesystem::path> optional_asset(const std::string& rel) override;

    /// The bundled tables (read once per process, on first use; thread-safe).
    const std::vector<io::City>& cities() const override { return bundled_cities(); }
    const std::vector<io::WaterBody>& water() const override { return bundled_water(); }
    const std::vector<io::CountryLabel>& countries() const override { return bundled_countries(); }
    const analysis::AirportTable& airports() const override { return bundled_airports(); }
    const std::vector<io::RunwayOutline>& runways() const override { return bundled_runways(); }
    static const std::vector<io::City>& bundled_cities();
    static const std::vector<io::WaterBody>& bundled_water();
    static const std::vector<io::CountryLabel>& bundled_countries();
    static const analysis::AirportTable& bundled_airports();
    static const std::vector<io::RunwayOutline>& bundled_runways();

    /// Files opened so far by vector, raster and tiles (tests and benchmarks: a settled pan or
    /// zoom in a session should open none).
    std::size_t files_read() const;

private:
    Reuse m_reuse;
    mutable std::mutex m_mutex;
    std::vector<std::shared_ptr<const io::VectorFeatures>> m_vectors;  ///< session: the latest read of each request
    struct Warp {
        std::string key;
        std::optional<io::RasterImage> raster;
        std::optional<io::TileBasemap> tiles;
    };
    std::vector<Warp> m_warps;  ///< the last warp per file
    std::map<std::string, bool> m_is_raster;
    std::map<std::string, std::string> m_mbtiles_credit;
    std::map<std::string, std::optional<std::filesystem::path>> m_assets;
    std::size_t m_files_read = 0;
};

/// A Scene with sources made for it alone (SceneSources::Reuse::once): exports, stills, tests.
render::Scene make_scene(std::vector<Flight> flights, std::vector<analysis::FlightAnalysis> analyses, render::SceneOptions opt);

}  // namespace fr::pipeline
