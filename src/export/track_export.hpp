#pragma once
// Analysed tracks as GIS vector data: legs (LineStrings), ground stops (Points) and coverage
// gaps (LineStrings), for QGIS, kepler.gl or a report's own maps.
//   .gpkg: layers "legs", "stops", "gaps" and "points" (one Point per fix: time, altitude, ...).
//   .kml: folders "legs" (gx:Track, one <when> per vertex), "stops" and "gaps".
//   .geojson (and .json): one FeatureCollection "analysis" (the format holds one layer), each
//   feature with `kind` = "leg", "stop" or "gap" and the attributes of its kind. RFC 7946:
//   a leg is cut where it crosses +-180 (one LineString feature per piece, `part` 0, 1, ...)
//   and carries per-vertex `times` (ISO 8601 Z) and `altitude_m` arrays. GeoJsonStyle::kepler
//   writes [lon, lat, alt, unix_s] coordinates for kepler.gl's trip layer instead.
//   .csv: the cleaned fixes, one row each (columns in track_export.cpp, points_csv).
// Times are ISO 8601 UTC strings with Z (as on the command line), distances in km, durations in s.
// Written into a temporary folder beside the target and renamed, so a failed write leaves no file.
#include <filesystem>
#include <vector>

#include "analysis/analysis.hpp"
#include "core/track.hpp"

namespace fr::output {

/// True for the extensions above (case-insensitive).
bool is_track_export(const std::filesystem::path& path);

enum class GeoJsonStyle {
    rfc7946,  ///< LineStrings [lon, lat], per-vertex "times" and "altitude_m" arrays as properties
    kepler,   ///< kepler.gl trips: coordinates [lon, lat, altitude_m, unix_s]
};

struct TrackExportOptions {
    GeoJsonStyle geojson_style = GeoJsonStyle::rfc7946;
};

/// `analyses[i]` belongs to `flights[i]`. Throws fr::IoError naming `path` (GDAL's message
/// included) when the file cannot be written; std::invalid_argument for other extensions.
void write_track_export(const std::filesystem::path& path, const std::vector<Flight>& flights,
                        const std::vector<analysis::FlightAnalysis>& analyses, const TrackExportOptions& opt = {});

}  // namespace fr::output
