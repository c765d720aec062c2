#pragma once
// A raster basemap (GeoTIFF or any GDAL raster) warped once into the view: GDAL's warper
// (GDALWarp, the library behind gdalwarp) reprojects it to the map CRS over exactly the
// frame's extent at the frame's pixel size, bilinear, with an alpha band so areas the source
// does not cover stay transparent. The renderer caches the result in its static layer.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fr::io {

struct RasterImage {
    int width = 0, height = 0;
    std::vector<std::uint8_t> bgra;  ///< premultiplied B, G, R, A per pixel (Cairo ARGB32 on little-endian), rows top-down
};

/// True when GDAL opens `path` as a raster with at least one band (a vector file is not).
bool is_raster(const std::filesystem::path& path);

/// Warps the raster to `crs` (PROJ string, EPSG code or WKT) covering map-unit box
/// [xmin, xmax] x [ymin, ymax] in width x height pixels (north up). One band is read as grey
/// (or through its colour table), three as RGB, four as RGBA. Throws fr::IoError naming the
/// file and GDAL's message when it cannot be read or warped.
RasterImage warp_raster(const std::filesystem::path& path, const std::string& crs, double xmin, double ymin, double xmax, double ymax,
                        int width, int height);

/// What a --basemap argument names when it is a tile source.
enum class TileKind {
    url,      ///< http(s) XYZ template with {z}, {x}, {y} or {-y} (TMS rows), optional {s}
    folder,   ///< a local {z}/{x}/{y} template (a path containing "{z}"), read as file:// without cache
    mbtiles,  ///< an MBTiles (SQLite) file of raster tiles
};
/// The tile kind of a --basemap value, nullopt for any other file (GeoTIFF, vector data).
/// Throws fr::UsageError for a URL template without {z}, {x} and {y}/{-y}.
std::optional<TileKind> tile_kind(const std::string& basemap);

struct TileOptions {
    bool offline = false;             ///< --offline: only tiles already in the cache; a missing one is an error
    long max_tiles = 4000;            ///< --max-tiles: most tiles one view may need
    std::filesystem::path cache_dir;  ///< empty: $XDG_CACHE_HOME/flightreplay/tiles (or ~/.cache/...)
    std::optional<int> zoom;          ///< fixed zoom (a moving camera's, see path_zoom); unset: from the view's pixel size
};

/// One view of a camera path: map-unit box and its size in pixels.
struct ViewBox {
    double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
    int width = 0, height = 0;
};
/// The zoom for a moving camera: the finest any of `views` (in `crs`) needs, lowered one level
/// at a time until the tiles of all views together number at most `max_tiles`, so the whole
/// path is fetched once within the cap. Returns the zoom and that tile count.
std::pair<int, long> path_zoom(const std::string& crs, const std::vector<ViewBox>& views, long max_tiles);

struct TileBasemap {
    RasterImage image;
    std::string attribution;  ///< from MBTiles metadata ("attribution"), empty otherwise
    int zoom = -1;            ///< zoom level read (-1: an MBTiles without ZOOM_LEVEL, read at GDAL's choice)
    long tiles = 0;           ///< tiles the view needs at that zoom (URL and folder templates; MBTiles are local and not capped)
};

/// Web-Mercator zoom level whose pixel size matches `res_3857` (EPSG:3857 metres per output
/// pixel): the level of 156543.03 / 2^z closest from below, allowing tiles up to 19% coarser
/// (2^0.25) than the output before going one finer. Clamped to 0..19.
int zoom_for_resolution(double res_3857);

/// Draws a tile source warped to `crs` over [xmin, xmax] x [ymin, ymax] in width x height pixels,
/// like warp_raster. URL tiles are cached under TileOptions::cache_dir/<hash of the template>
/// (204 and 404 answers are empty tiles; 15 s timeout). Throws fr::IoError when the view needs
/// more than max_tiles tiles, when a tile is missing from the cache with `offline`, for a vector
/// MBTiles, or when GDAL fails.
TileBasemap warp_tiles(const std::string& basemap, TileKind kind, const TileOptions& opt, const std::string& crs, double xmin, double ymin,
                       double xmax, double ymax, int width, int height);

/// The "attribution" row of an MBTiles file's metadata, empty when absent or unreadable.
std::string mbtiles_attribution(const std::filesystem::path& path);

}  // namespace fr::io
