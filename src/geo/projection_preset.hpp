#pragma once
// Named projection presets (--projection), each centred on the data, and what the renderer
// must know about the chosen CRS: where it stops (Mercator's latitude limit), whether it is a
// globe seen from space (orthographic: the far hemisphere is hidden), and whether it shows the
// whole world (so the area outside the world's outline is not ocean).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/lat_lon.hpp"
#include "geo/view.hpp"

namespace fr::geo {

enum class Preset { automatic, mercator, webmercator, equal_earth, robinson, orthographic, azimuthal_equidistant, lcc };

/// "auto", "mercator", "webmercator", "equal-earth", "robinson", "orthographic",
/// "azimuthal-equidistant", "lcc"; nullopt for anything else.
std::optional<Preset> parse_preset(std::string_view name) noexcept;
const char* to_string(Preset p) noexcept;
/// Every preset, `automatic` first (for tests and help text).
std::vector<Preset> all_presets();

/// Mercator's conventional limit: the latitude where the web-Mercator square ends,
/// atan(sinh(pi)) = 85.0511287798 degrees. Mercator itself goes on to infinity at the poles.
inline constexpr double kMercatorLimitDeg = 85.0511287798;

/// The point that best represents a set of positions: the normalised mean of their unit
/// vectors on the sphere (robust across the antimeridian and the poles). Throws
/// std::invalid_argument for an empty input or points that cancel out (antipodal pairs).
LatLon centroid_of(const std::vector<LatLon>& pts);

/// What the renderer needs to know about a CRS beyond the projection itself.
struct CrsTraits {
    std::string proj;           ///< PROJ string or the user's CRS text
    double lat_limit_deg = 90;  ///< |lat| beyond this is not drawn (Mercator), degrees
    bool globe = false;         ///< orthographic: only the hemisphere around `centre` is visible
    bool world = false;         ///< the whole world's outline is worth drawing (world/globe views)
    LatLon centre;              ///< lat_0/lon_0 of azimuthal projections, degrees
    double horizon_deg = 180;   ///< angular radius around `centre` that is visible, degrees
};

/// The CRS for a preset centred on the data (`pts`, degrees). `automatic` is choose_crs on the
/// data's bounds. Throws std::invalid_argument when `pts` is empty.
CrsTraits preset_crs(Preset p, const std::vector<LatLon>& pts);
/// Traits of a user-given CRS (--crs): recognises PROJ strings of ortho, aeqd, merc and
/// EPSG:3857 so the globe is clipped and Mercator's limit marked whatever way it was asked for.
CrsTraits traits_of_crs(const std::string& crs);

}  // namespace fr::geo
