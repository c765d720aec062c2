#pragma once
// Choosing a map for the data: the CRS (automatic or given), the extent with a margin, the
// seam where lines must be split, and the transform from map units to pixels.
#include <string>
#include <vector>

#include "core/lat_lon.hpp"
#include "geo/projector.hpp"

namespace fr::geo {

/// A lon/lat box that may cross the antimeridian: lon_max may exceed 180 (as in --bbox, where
/// lon_max > 180 or lon_max < lon_min means crossing it). Degrees.
struct GeoBounds {
    double lon_min = 0, lon_max = 0, lat_min = 0, lat_max = 0;
    double lon_span() const noexcept { return lon_max - lon_min; }
    double lat_span() const noexcept { return lat_max - lat_min; }
    double center_lon() const noexcept;  ///< in [-180, 180)
    double center_lat() const noexcept { return (lat_min + lat_max) / 2; }
};

/// The smallest longitude interval (on the circle) and latitude interval covering `pts`.
/// Throws std::invalid_argument for an empty input.
GeoBounds bounds_of(const std::vector<LatLon>& pts);

enum class ProjectionKind { regional_conic, azimuthal, polar, global };
struct CrsChoice {
    ProjectionKind kind;
    std::string proj;  ///< PROJ string
};
/// Picks a projection suited to the bounds: Lambert conformal conic for mid-latitude regional
/// and continental extents, Lambert azimuthal equal-area centred on the data near the equator
/// or when the data reach above 70 degrees latitude (poles drawn correctly), Equal Earth when
/// the data span more than a hemisphere.
CrsChoice choose_crs(const GeoBounds& b);

/// A rectangle in map units (x east, y north).
struct Extent {
    double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
    double width() const noexcept { return xmax - xmin; }
    double height() const noexcept { return ymax - ymin; }
};

/// Bounding rectangle of the projected points (undefined points ignored), grown by `margin`
/// (a fraction of the larger side on each side) and then widened or heightened to `aspect`
/// (width / height). Throws std::invalid_argument when no point projects.
Extent fit_extent(const Projector& proj, const std::vector<LatLon>& pts, double margin, double aspect);

/// Map units <-> pixels for an extent drawn into width x height pixels (y down). The extent
/// is centred and letterboxed if its aspect differs from the image's.
class MapTransform {
public:
    MapTransform(Extent e, int width_px, int height_px) noexcept;
    double px(double x) const noexcept { return m_ox + (x - m_e.xmin) * m_scale; }
    double py(double y) const noexcept { return m_oy + (m_e.ymax - y) * m_scale; }
    double map_x(double px_) const noexcept { return m_e.xmin + (px_ - m_ox) / m_scale; }
    double map_y(double py_) const noexcept { return m_e.ymax - (py_ - m_oy) / m_scale; }
    double scale() const noexcept { return m_scale; }  ///< pixels per map unit
    const Extent& extent() const noexcept { return m_e; }
    int width() const noexcept { return m_w; }
    int height() const noexcept { return m_h; }

private:
    Extent m_e;
    int m_w, m_h;
    double m_scale, m_ox, m_oy;
};

/// Splits a lon/lat polyline where it crosses the seam meridian `seam_lon` (the antimeridian
/// of the projection's central meridian), so no projected segment jumps across the map. The
/// crossing point is found on the geodesic (bisection to ~1e-9 of the segment) and repeated
/// on both sides at seam -/+ 1e-9 degrees.
std::vector<std::vector<LatLon>> split_at_seam(const std::vector<LatLon>& line, double seam_lon);

}  // namespace fr::geo
