#include "io/format_registry.hpp"

#include <array>

#include "io/formats/generic_csv.hpp"
#include "io/formats/readsb_snapshot.hpp"
#include "io/formats/text_formats.hpp"

namespace fr::io {

namespace {

// Whole-text entry points in one signature.
template <LoadResult (*Load)(const std::string&, std::string_view)>
LoadResult whole(const std::string& name, std::string_view text, std::size_t, const LoadOptions&) {
    return Load(name, text);
}

// JSON documents, parsed in the caller's buffer when it has simdjson's padding.
template <LoadResult (*Load)(const std::string&, std::string_view, std::size_t)>
LoadResult in_place(const std::string& name, std::string_view text, std::size_t readable, const LoadOptions&) {
    return Load(name, text, readable);
}

LoadResult whole_sbs(const std::string& name, std::string_view text, std::size_t, const LoadOptions& opt) {
    check_input_tz(opt.input_tz);
    return detail::load_sbs(name, text, opt.input_tz);
}

LoadResult whole_acmi(const std::string& name, std::string_view text, std::size_t, const LoadOptions& opt) {
    return detail::load_acmi(name, text, opt.max_input_bytes);
}

LoadResult whole_generic_csv(const std::string& name, std::string_view text, std::size_t, const LoadOptions& opt) {
    return detail::load_generic_csv(name, text, GenericCsvMapping::parse(opt.csv_columns));
}

// Line-stream entry points in one signature.
template <std::unique_ptr<detail::LineStreamLoader> (*Make)(const std::string&)>
std::unique_ptr<detail::LineStreamLoader> streamed(const std::string& name, const LoadOptions&) {
    return Make(name);
}

std::unique_ptr<detail::LineStreamLoader> streamed_sbs(const std::string& name, const LoadOptions& opt) {
    return detail::make_sbs_loader(name, opt.input_tz);
}

std::unique_ptr<detail::LineStreamLoader> streamed_generic_csv(const std::string& name, const LoadOptions& opt) {
    return detail::make_generic_csv_loader(name, GenericCsvMapping::parse(opt.csv_columns));
}

template <std::size_t N>
using Targets = std::array<std::string_view, N>;
// readsb traces: the loader (fast walker and On-Demand reader), globe-history day archives and
// their index.
constexpr Targets<4> fuzz_readsb{"fuzz_readsb", "fuzz_readsb_readers", "fuzz_archive", "fuzz_archive_index"};
constexpr Targets<1> fuzz_fr24_csv{"fuzz_fr24_csv"}, fuzz_fr24_kml{"fuzz_fr24_kml"}, fuzz_fr24_json{"fuzz_fr24_json"},
    fuzz_fr24api{"fuzz_fr24api"}, fuzz_fr24_community{"fuzz_fr24_community"}, fuzz_readsb_snapshot{"fuzz_readsb_snapshot"},
    fuzz_sbs{"fuzz_sbs"}, fuzz_jet1090{"fuzz_jet1090"}, fuzz_opensky_csv{"fuzz_opensky_csv"}, fuzz_opensky_json{"fuzz_opensky_json"},
    fuzz_gpx{"fuzz_gpx"}, fuzz_kml_track{"fuzz_kml_track"}, fuzz_geojson{"fuzz_geojson"}, fuzz_igc{"fuzz_igc"}, fuzz_acmi{"fuzz_acmi"},
    fuzz_generic_csv{"fuzz_generic_csv"};

using enum DetectStage;

// The --format list, in this order (detection runs by DetectStage, not in this order). Fields:
// format, name, description, detection stage, detected by, why never detected, whole-text
// loader, line-stream loader, fuzz targets, sample under tests/data. The descriptions and
// "detected by" texts are the table of docs/formats.md (checked by tests/io).
// clang-format off
const FormatEntry formats[] = {
    {Format::fr24_csv, "fr24-csv", "Flightradar24 per-flight CSV export",
     csv_header, "header `Timestamp,UTC,Callsign,Position,...`", {},
     whole<detail::load_fr24_csv>, streamed<detail::make_fr24_csv_loader>,
     fuzz_fr24_csv, "valid/fr24/seven_columns.csv"},
    {Format::fr24_kml, "fr24-kml", "Flightradar24 KML export",
     markup_text, "`<kml` with a `Route` folder", {},
     whole<detail::load_fr24_kml>, nullptr,
     fuzz_fr24_kml, "valid/text/fr24_route.kml"},
    {Format::fr24_json, "fr24-json", "Flightradar24 web playback JSON",
     json, "`result.response`", {},
     in_place<detail::load_fr24_json>, nullptr,
     fuzz_fr24_json, "valid/json/fr24_small.json"},
    {Format::readsb_trace, "readsb", "readsb / tar1090 trace JSON",
     json, "keys `icao` and `trace`", {},
     in_place<detail::load_readsb>, nullptr,
     fuzz_readsb, "valid/json/readsb_small.json"},
    {Format::opensky_csv, "opensky-csv", "OpenSky state vectors CSV",
     markup_text, "header with `icao24` and `lastposupdate`", {},
     whole<detail::load_opensky_csv>, streamed<detail::make_opensky_csv_loader>,
     fuzz_opensky_csv, "valid/text/opensky_states.csv"},
    {Format::opensky_json, "opensky-json", "traffic-library OpenSky records",
     json, "array of `{\"icao24\", \"timestamp\", ...}`", {},
     in_place<detail::load_opensky_json>, nullptr,
     fuzz_opensky_json, "valid/json/traffic_small.json"},
    {Format::gpx, "gpx", "GPX 1.0/1.1 tracks",
     markup_text, "`<gpx`", {},
     whole<detail::load_gpx>, nullptr,
     fuzz_gpx, "valid/text/track.gpx"},
    {Format::kml_track, "kml", "KML `gx:Track`",
     markup_text, "`<kml` with a `gx:Track`", {},
     whole<detail::load_kml_track>, nullptr,
     fuzz_kml_track, "valid/text/gx_track.kml"},
    {Format::geojson, "geojson", "GeoJSON with time",
     json, "`\"type\"` of a GeoJSON object", {},
     in_place<detail::load_geojson>, nullptr,
     fuzz_geojson, "valid/json/geojson_linestring.geojson"},
    {Format::igc, "igc", "IGC flight recorder",
     markup_text, "`A` record then `HF` headers", {},
     whole<detail::load_igc>, nullptr,
     fuzz_igc, "valid/text/new_date_rollover.igc"},
    {Format::acmi, "acmi", "Tacview ACMI 2.2 text, plain or zipped",
     markup_text, "`FileType=text/acmi` (or a zip named `.acmi`)", {},
     whole_acmi, nullptr,
     fuzz_acmi, "valid/text/objects.acmi"},
    {Format::generic_csv, "csv", "any delimited text, with a column mapping",
     name_only, {}, "any delimited text could be read by some mapping: the columns come from the column mapping",
     whole_generic_csv, streamed_generic_csv,
     fuzz_generic_csv, "valid/text/generic_iso.csv"},
    {Format::fr24api_tracks, "fr24api-tracks", "Flightradar24 API flight-tracks",
     json, "array of `{\"fr24_id\", \"tracks\"}`", {},
     in_place<detail::load_fr24api_tracks>, nullptr,
     fuzz_fr24api, "valid/json/fr24api_tracks_CPA830.json"},
    {Format::fr24api_summary, "fr24api-summary", "Flightradar24 API flight-summary",
     json, "`{\"data\": [{\"fr24_id\", ...}]}`", {},
     in_place<detail::load_fr24api_summary>, nullptr,
     fuzz_fr24api, "valid/json/fr24api_summary.json"},
    {Format::fr24api_events, "fr24api-events", "Flightradar24 API historic flight-events",
     json, "`{\"data\": [{\"fr24_id\", \"events\", ...}]}`", {},
     in_place<detail::load_fr24api_events>, nullptr,
     fuzz_fr24api, "valid/json/fr24api_events.json"},
    {Format::sbs, "sbs", "SBS-1 BaseStation (port 30003) recording",
     first_line, "first line `MSG,` (or `SEL,`, `ID,`, `AIR,`, `STA,`, `CLK,`)", {},
     whole_sbs, streamed_sbs,
     fuzz_sbs, "valid/receivers/basestation_30003.sbs"},
    {Format::jet1090, "jet1090", "jet1090 JSON lines",
     first_line, "one object per line with `icao24`, `timestamp` and `df`/`frame`", {},
     whole<detail::load_jet1090>, streamed<detail::make_jet1090_loader>,
     fuzz_jet1090, "valid/receivers/jet1090_toulouse.jsonl"},
    {Format::fr24_playback_csv, "fr24-playback-csv", "`fr24` Python library playback CSV",
     csv_header, "header `timestamp,latitude,longitude,...,ground_speed`", {},
     whole<detail::load_fr24_playback_csv>, streamed<detail::make_fr24_playback_csv_loader>,
     fuzz_fr24_community, "valid/text/fr24_playback_3376ab31.csv"},
    {Format::fr24_trail, "fr24-trail", "FlightRadarAPI `trail` JSON",
     json, "array of `{\"lat\", \"lng\", \"ts\", ...}`", {},
     in_place<detail::load_fr24_trail>, nullptr,
     fuzz_fr24_community, "valid/json/fr24_trail_CPA830.json"},
    {Format::readsb_snapshot, "readsb-snapshot", "readsb `aircraft.json` snapshot(s), accumulated per aircraft",
     json, "object with keys `now` and `aircraft`", {},
     whole<detail::load_readsb_snapshot>, nullptr,
     fuzz_readsb_snapshot, "valid/json/readsb_snapshot_synthetic.json"},
};
// clang-format on

constexpr SharedFuzzTarget shared_fuzz[] = {
    {"fuzz_detect", "content detection (text-format and JSON sniffing, truncated-JSON repair), run on every input before a loader"},
    {"fuzz_gunzip", "gzip decompression of inputs (every member, size caps)"},
    {"fuzz_json_syntax", "the fast JSON syntax pass against the precise one (json_syntax_ok, run over every JSON input before On-Demand)"},
    {"fuzz_scene", "TOML scene files (the app's option table)"},
};

}  // namespace

std::span<const FormatEntry> track_formats() noexcept { return formats; }

const FormatEntry* find_format(Format f) noexcept {
    for (const auto& e : formats)
        if (e.format == f) return &e;
    return nullptr;
}

const FormatEntry* find_format(std::string_view name) noexcept {
    for (const auto& e : formats)
        if (e.name == name) return &e;
    return nullptr;
}

std::span<const SharedFuzzTarget> shared_fuzz_targets() noexcept { return shared_fuzz; }

std::string format_choices() {
    std::string out = "auto (detected from content, the default)";
    for (const auto& e : formats) {
        out += ", ";
        out += e.name;
    }
    return out;
}

}  // namespace fr::io
