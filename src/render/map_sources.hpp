#pragma once
// What a Scene reads, as an interface: the basemap and GSHHG layers cut to a view, overlays,
// raster and tile basemaps warped to a frame, the bundled place, airport and runway tables.
// The render library reads no map file itself: pipeline::SceneSources implements this (for one
// scene, or kept for a window's session and served from memory), and tests may give their own.
//
// Threads: a Scene asks for two basemaps at once (Natural Earth and GSHHG on two threads), so
// an implementation must allow concurrent calls of vector(); the tables are read-only.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analysis/airport_table.hpp"
#include "io/map/airports.hpp"
#include "io/map/assets.hpp"
#include "io/map/basemap.hpp"
#include "io/map/places.hpp"
#include "io/map/raster_basemap.hpp"

namespace fr::render {

class MapSources {
public:
    virtual ~MapSources() = default;

    /// The layers `what` names cut to `w` (as io::load_basemap / load_gshhg / load_vector_overlay
    /// for `w`). Throws as those.
    virtual io::Basemap vector(const io::VectorRead& what, const io::BasemapWindow& w) = 0;
    /// A GDAL raster warped to the box (map units of `crs`) at width x height pixels (io::warp_raster).
    virtual io::RasterImage raster(const std::filesystem::path& path, const std::string& crs, double xmin, double ymin, double xmax,
                                   double ymax, int width, int height) = 0;
    /// Map tiles warped to the box (io::warp_tiles).
    virtual io::TileBasemap tiles(const std::string& basemap, io::TileKind kind, const io::TileOptions& opt, const std::string& crs,
                                  double xmin, double ymin, double xmax, double ymax, int width, int height) = 0;
    /// Whether `path` is a GDAL raster (else a vector file).
    virtual bool is_raster(const std::filesystem::path& path) = 0;
    /// The credit an MBTiles file names for itself (empty when none).
    virtual std::string mbtiles_attribution(const std::filesystem::path& path) = 0;
    /// A bundled asset's path (io::optional_asset_path); nullopt when not installed.
    virtual std::optional<std::filesystem::path> optional_asset(const std::string& rel) = 0;
    /// The same; throws fr::IoError naming the missing asset.
    std::filesystem::path asset(const std::string& rel) {
        if (auto p = optional_asset(rel)) return *p;
        return io::asset_path(rel);  // throws, naming what is missing
    }

    /// The bundled tables.
    virtual const std::vector<io::City>& cities() const = 0;
    virtual const std::vector<io::WaterBody>& water() const = 0;
    virtual const std::vector<io::CountryLabel>& countries() const = 0;
    virtual const analysis::AirportTable& airports() const = 0;
    virtual const std::vector<io::RunwayOutline>& runways() const = 0;
};

}  // namespace fr::render
