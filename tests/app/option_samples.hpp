#pragma once
// One sample command-line value per option of the option table (app/scene_file.hpp), shared by
// the scene-file round trip and the test that `view` accepts every option. An option without a
// sample here fails SampleForEveryOption.
#include <map>
#include <string>
#include <vector>

namespace fr::test {

inline const std::map<std::string, std::vector<std::string>>& samples_by_key() {
    static const std::map<std::string, std::vector<std::string>> m = {
        {"inputs", {"a_reconstructed.csv", "dir/b.csv"}},
        {"format", {"--format", "fr24-csv"}},
        {"strict", {"--strict"}},
        {"csv-columns", {"--csv-columns", "time=ts:epoch_ms,lat=latitude,lon=longitude"}},
        {"merge", {"--merge", "icao"}},
        {"within", {"--within", "100,10,-110,60"}},
        {"index-dir", {"--index-dir", "cache/idx"}},
        {"keep-outliers", {"--keep-outliers"}},
        {"verbose", {"-v"}},
        {"aircraft", {"--aircraft", "RFF7203", "--aircraft", "RA-86559"}},
        {"output", {"-o", "out/map.pdf"}},
        {"size", {"--size", "1280x720"}},
        {"aspect", {"--aspect", "4:3"}},
        {"dpi", {"--dpi", "144.5"}},
        {"at", {"--at", "+13h20m,2023-08-01T05:11:31Z"}},
        {"crs", {"--crs", "EPSG:3857"}},
        {"extent", {"--extent", "-1000.25,-500,1000,500.125"}},
        {"bbox", {"--bbox", "100,10,-110,60"}},
        {"basemap", {"--basemap", "maps/land.gpkg"}},
        {"projection", {"--projection", "robinson"}},
        {"overlay", {"--overlay", "a.geojson", "--overlay", "b.gpkg"}},
        {"overlay-label", {"--overlay", "c.geojson", "--overlay-label", "name"}},
        {"basemap-attribution", {"--basemap-attribution", "© Example tiles, \"CC BY\""}},
        {"offline", {"--offline"}},
        {"max-tiles", {"--max-tiles", "250"}},
        {"trail-minutes", {"--trail-minutes", "90"}},
        {"color-by", {"--color-by", "altitude"}},
        {"style", {"--style", "density"}},
        {"profile", {"--profile"}},
        {"theme", {"--theme", "dark"}},
        {"keyframe", {"--keyframe", "+2h,60.5,56.8,2500", "--keyframe", "2023-08-01T01:00:00Z,125.67,39.22,600"}},
        {"follow", {"--follow", "RFF7203"}},
        {"zoom-km", {"--zoom-km", "250"}},
        {"time-range", {"--time-range", "+1h,+30h"}},
        {"title", {"--title", "RFF7203 \"to\" Pyongyang\\ 平壤"}},
        {"subtitle", {"--subtitle", "line one\nline two"}},
        {"source", {"--source", "Flightradar24 (reconstructed)"}},
        {"labels", {"--no-labels"}},
        {"great-circles", {"--no-great-circles"}},
        {"sheet", {"--sheet", "2x3"}},
        {"sheet-holds", {"--sheet-holds"}},
        {"fps", {"--fps", "25"}},
        {"duration", {"--duration", "12.5"}},
        {"frames", {"--frames", "10:20"}},
        {"speed", {"--speed", "0.1x"}},
        {"hold", {"--hold", "1.5"}},
        {"crf", {"--crf", "30"}},
        {"preset", {"--preset", "slow"}},
        {"threads", {"--threads", "1"}},
        {"png-level", {"--png-level", "5"}},
        {"title-card", {"--title-card", "2"}},
        {"fade", {"--fade", "0.75"}},
        {"quiet", {"-q"}},
        {"allow-large", {"--allow-large"}},
        {"allow-empty", {"--allow-empty"}},
        {"shaders", {"--no-shaders"}},
        {"screenshot", {"--screenshot", "shots/window.png"}},
        {"exit", {"--exit"}},
        {"still-dir", {"--still-dir", "stills"}},
        {"merge", {"--merge", "never"}},
        {"input-tz", {"--input-tz", "Europe/Paris"}},
        {"geojson", {"--geojson-style", "kepler"}},
        {"keep-outliers", {"--keep-outliers"}},
        {"verbose", {"-v"}},
        {"max-input-bytes", {"--max-input-bytes", "512M"}},
        {"layers", {"--layers", "-cities,+rivers"}},
        {"tz", {"--tz", "Asia/Pyongyang"}},
    };
    return m;
}

}  // namespace fr::test
