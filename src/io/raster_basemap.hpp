#pragma once
// A raster basemap (GeoTIFF or any GDAL raster) warped once into the view: GDAL's warper
// (GDALWarp, the library behind gdalwarp) reprojects it to the map CRS over exactly the
// frame's extent at the frame's pixel size, bilinear, with an alpha band so areas the source
// does not cover stay transparent. The renderer caches the result in its static layer.
#include <cstdint>
#include <filesystem>
#include <string>
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
RasterImage warp_raster(const std::filesystem::path& path, const std::string& crs, double xmin, double ymin, double xmax,
                        double ymax, int width, int height);

}  // namespace fr::io
