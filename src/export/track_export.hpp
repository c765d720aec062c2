#pragma once
// Analysed tracks as GIS vector data through GDAL/OGR: legs (LineStrings), ground stops
// (Points) and coverage gaps (LineStrings), for QGIS, kepler.gl or a report's own maps.
//   .gpkg, .kml: three layers, "legs", "stops" and "gaps".
//   .geojson (and .json): one FeatureCollection "analysis" (the format holds one layer), each
//   feature with `kind` = "leg", "stop" or "gap" and the attributes of its kind.
// Times are ISO 8601 UTC strings with Z (as on the command line), distances in km, durations in s.
// Written into a temporary folder beside the target and renamed, so a failed write leaves no file.
#include <filesystem>
#include <vector>

#include "analysis/analysis.hpp"
#include "core/track.hpp"

namespace fr::output {

/// True for the extensions above (case-insensitive).
bool is_track_export(const std::filesystem::path& path);

/// `analyses[i]` belongs to `flights[i]`. Throws fr::IoError naming `path` (GDAL's message
/// included) when the file cannot be written; std::invalid_argument for other extensions.
void write_track_export(const std::filesystem::path& path, const std::vector<Flight>& flights,
                        const std::vector<analysis::FlightAnalysis>& analyses);

}  // namespace fr::output
