#pragma once
// Command-line grammar (DECISIONS.md "Command line") and the top-level entry point.
#include <optional>
#include <string>
#include <utility>

#include "geo/view.hpp"

namespace fr::app {

/// "1920x1080" -> {1920, 1080}. Throws fr::UsageError.
std::pair<int, int> parse_size(const std::string& s);
/// "xmin,ymin,xmax,ymax" in map units. Throws fr::UsageError.
geo::Extent parse_extent(const std::string& s);
/// "lon_min,lat_min,lon_max,lat_max" in degrees; lon_max may exceed 180 or be less than lon_min
/// (both: crossing the antimeridian). Throws fr::UsageError.
geo::GeoBounds parse_bbox(const std::string& s);
/// "600x" or "600" -> 600. Throws fr::UsageError.
double parse_speed(const std::string& s);
/// "N" -> {N, nullopt}; "A:B" -> {nullopt, {A, B}}. Throws fr::UsageError.
std::pair<std::optional<long long>, std::optional<std::pair<long long, long long>>> parse_frames(const std::string& s);

/// "2x3" -> {2 columns, 3 rows}; 1 to 64 cells. Throws fr::UsageError.
std::pair<int, int> parse_sheet(const std::string& s);
/// Height for `width` pixels at an aspect preset ("16:9", "3:2", "4:3", "1:1", "9:16"), rounded
/// to an even number of pixels. Throws fr::UsageError for other presets.
int aspect_height(int width, const std::string& aspect);

/// Runs the program; returns the exit status. Never throws.
int main_entry(int argc, char** argv);

}  // namespace fr::app
