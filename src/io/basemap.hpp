#pragma once
// The vector basemap read through GDAL/OGR (the bundled Natural Earth GeoPackage by default,
// any OGR vector source on request), prepared for one projection: clipped at the projection's
// seam (lon_0 + 180) and to a lon/lat window around the view, and densified to 1 degree so
// long straight edges (parallels) curve as they should after projection.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/lat_lon.hpp"
#include "geo/view.hpp"

namespace fr::io {

using Ring = std::vector<LatLon>;
struct Polygon {
    std::vector<Ring> rings;  ///< first is the exterior
};

struct Basemap {
    std::vector<Polygon> land;
    std::vector<Ring> borders;    ///< internal country borders (lines)
    std::vector<Ring> coastline;  ///< lines
    std::vector<Polygon> lakes;   ///< optional
};

struct BasemapWindow {
    double seam_lon = 180.0;               ///< meridian where geometry is cut
    std::optional<geo::GeoBounds> window;  ///< keep only this lon/lat box (may cross 180)
    double densify_deg = 1.0;              ///< max vertex spacing in degrees after clipping
};

/// Reads layers `land`, `borders`, `coastline` (and `lakes` if present) from the GeoPackage.
/// Throws fr::IoError naming the file and layer on failure.
Basemap load_basemap(const std::filesystem::path& gpkg, const BasemapWindow& w);

/// Reads every polygon and line of any OGR vector source (first layer or all layers) as an
/// overlay, in lon/lat (reprojected from the source CRS when it has one).
Basemap load_vector_overlay(const std::filesystem::path& path, const BasemapWindow& w);

}  // namespace fr::io
