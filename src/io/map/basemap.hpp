#pragma once
// The vector basemap read through GDAL/OGR (the bundled Natural Earth GeoPackage by default,
// any OGR vector source on request), prepared for one projection: clipped at the projection's
// seam (lon_0 + 180) and to a lon/lat window around the view, and densified to 1 degree so
// long straight edges (parallels) curve as they should after projection.
#include <filesystem>
#include <memory>
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
    std::vector<Ring> borders;          ///< internal country borders (lines)
    std::vector<Ring> coastline;        ///< lines
    std::vector<Polygon> lakes;         ///< optional
    std::vector<Polygon> lake_islands;  ///< GSHHG level 3 (islands in lakes), drawn as land over the lakes
    std::vector<Ring> rivers;           ///< GSHHG rivers (lines)
    /// Point features (overlays only), with the text of the label attribute when one is asked for.
    struct Point {
        LatLon position;
        std::string label;
    };
    std::vector<Point> points;
};

/// A spherical cap: what an orthographic globe shows (the hemisphere facing the viewer).
struct VisibleCap {
    LatLon centre;             ///< degrees
    double radius_deg = 89.5;  ///< angular radius, degrees (0, 90]
};

struct BasemapWindow {
    double seam_lon = 180.0;               ///< meridian where geometry is cut
    std::optional<geo::GeoBounds> window;  ///< keep only this lon/lat box (may cross 180)
    double densify_deg = 1.0;              ///< max vertex spacing in degrees after clipping
    std::optional<VisibleCap> cap;         ///< keep only this cap (orthographic globes)
    double lat_limit_deg = 90.0;           ///< keep only |lat| <= this (Mercator's limit), degrees
};

/// Which layers of a vector file a read takes (see load_basemap, load_gshhg, load_vector_overlay).
enum class VectorKind { natural_earth, gshhg, overlay };
struct VectorRead {
    std::filesystem::path path;
    VectorKind kind = VectorKind::natural_earth;
    bool with_land = true;     ///< natural_earth: land, coast and lakes too (false: borders only)
    bool with_rivers = false;  ///< gshhg: the rivers layer too
    std::string label_field;   ///< overlay: the attribute whose text labels its points
};

/// The features of one vector file read into memory, in lon/lat and not yet clipped: a view is
/// cut from them (clip) without reading the file again. Never changed once read (clip only
/// reads the geometries). load_basemap and friends are read + clip; a caller that shows many
/// views of one map (the window's pan and zoom) keeps the read.
class VectorFeatures {
public:
    /// Reads the layers `what` names, keeping the features near `region` (default: `view`; the
    /// GeoPackage's R-tree finds those that meet the box around the region's keep area; layers
    /// in another CRS are read whole), so that `view` and views inside `region` can be cut from
    /// them. Throws fr::IoError naming the file and layer when it cannot be read,
    /// fr::UsageError for a missing label field (as load_vector_overlay).
    static std::shared_ptr<const VectorFeatures> read(const VectorRead& what, const BasemapWindow& view,
                                                      const std::optional<BasemapWindow>& region = std::nullopt);
    ~VectorFeatures();
    VectorFeatures(const VectorFeatures&) = delete;
    VectorFeatures& operator=(const VectorFeatures&) = delete;

    const VectorRead& what() const noexcept;
    /// True when every feature a read for `w` would keep was read here (clip(w) then equals
    /// reading for w).
    bool covers(const BasemapWindow& w) const;
    /// The features cut to `w` (seam, window, latitude limit, cap), densified: what
    /// load_basemap / load_gshhg / load_vector_overlay return for `w`. Reads no file.
    Basemap clip(const BasemapWindow& w) const;

    struct Impl;

private:
    explicit VectorFeatures(std::unique_ptr<const Impl> impl);
    std::unique_ptr<const Impl> m;
};

/// The cap as lon/lat polygons within [-180, 180] (split where it crosses the antimeridian;
/// closed through the pole it contains). Its boundary is sampled every 0.5 degree of azimuth
/// on the WGS84 geodesic circle, so it is exact at the vertices and within ~0.01 degree between.
std::vector<Polygon> cap_polygons(const VisibleCap& cap);

/// Reads layers `land`, `borders`, `coastline` (and `lakes` if present) from the GeoPackage.
/// Throws fr::IoError naming the file and layer on failure.
/// With `with_land` false only borders are read (land, coast and lakes come from GSHHG).
Basemap load_basemap(const std::filesystem::path& gpkg, const BasemapWindow& w, bool with_land = true);

/// Reads a GSHHG GeoPackage made by scripts/build_gshhg.sh: `land` (polygons, and their
/// outlines as the coastline), `lakes`, `lake_islands`, and `rivers` when `with_rivers`.
/// Throws fr::IoError naming the file and layer on failure.
Basemap load_gshhg(const std::filesystem::path& gpkg, const BasemapWindow& w, bool with_rivers);

/// Reads every polygon, line and point of any OGR vector source (all layers) as an overlay, in
/// lon/lat (reprojected from the source CRS when it has one). With `label_field`, each point
/// carries that attribute's value as text (empty when null). Throws fr::IoError naming the file
/// when it cannot be read, fr::UsageError when a layer with points has no field `label_field`
/// (the message lists the fields it has).
Basemap load_vector_overlay(const std::filesystem::path& path, const BasemapWindow& w, const std::string& label_field = {});

}  // namespace fr::io
