#pragma once
// Command-line grammar (docs/command-line.md) and the top-level entry point.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "geo/view.hpp"

namespace fr::app {

/// Exit statuses (README "Exit codes"). A signal N that stops a run gives 128 + N.
inline constexpr int kExitOk = 0;
inline constexpr int kExitData = 1;   ///< bad data, a file that cannot be read or written, any runtime failure
inline constexpr int kExitUsage = 2;  ///< invalid command line or scene file, including option values the data contradict

/// Output sizes: each side 16..16384 pixels and at most 64 Mi pixels (2^26, e.g. 16384x4096)
/// in all, for every output and the window.
inline constexpr int kMinSide = 16, kMaxSide = 16384;
inline constexpr long long kMaxPixels = 64LL << 20;

/// "1920x1080" -> {1920, 1080}, within the limits above. Throws fr::UsageError naming --size.
std::pair<int, int> parse_size(const std::string& s);
/// "xmin,ymin,xmax,ymax" in map units. Throws fr::UsageError.
geo::Extent parse_extent(const std::string& s);
/// "lon_min,lat_min,lon_max,lat_max" in degrees; lon_max may exceed 180 or be less than lon_min
/// (both: crossing the antimeridian). Throws fr::UsageError.
geo::GeoBounds parse_bbox(const std::string& s, const std::string& option = "--bbox");
/// "600x" or "600" -> 600. Throws fr::UsageError.
double parse_speed(const std::string& s);
/// "N" -> {N, nullopt}; "A:B" -> {nullopt, {A, B}}. Throws fr::UsageError.
std::pair<std::optional<long long>, std::optional<std::pair<long long, long long>>> parse_frames(const std::string& s);

/// "2x3" -> {2 columns, 3 rows}; 1 to 64 cells. Throws fr::UsageError.
std::pair<int, int> parse_sheet(const std::string& s);
/// Height for `width` pixels at an aspect preset ("16:9", "3:2", "4:3", "1:1", "9:16"), rounded
/// to an even number of pixels. Throws fr::UsageError for other presets.
int aspect_height(int width, const std::string& aspect);

/// Levenshtein distance (insertions, deletions, substitutions; bytes).
std::size_t edit_distance(std::string_view a, std::string_view b);
/// The candidate nearest to `word` when close enough to be a typo of it (distance at most 1
/// for short words, a third of the length for longer ones, or a unique prefix); else empty.
std::string nearest_name(std::string_view word, const std::vector<std::string>& candidates);

/// Runs the program; returns the exit status. Never throws.
/// The flag of a library setting (fr::SettingError: render::SceneOptions' field names and the
/// like): "zoom_km" -> "--zoom-km"; where the option table spells it otherwise, its entry.
std::string option_flag(std::string setting);
/// Makes the libraries' messages name settings by their flags (fr::setting_text: "input_tz" ->
/// "--input-tz"). main_entry calls it; so does the Python module, whose keywords are the
/// command line's options.
void install_setting_wording() noexcept;

int main_entry(int argc, char** argv);

}  // namespace fr::app
