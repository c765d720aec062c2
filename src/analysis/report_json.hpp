#pragma once
// Reports of analysed flights: the `info --json` schema and a plain-text table.
#include <string>
#include <vector>

#include "analysis/analysis.hpp"
#include "core/track.hpp"

namespace fr::analysis {

/// JSON per the schema in docs/info-json.md: {"flights": [{"aircraft", "provenance", "sources",
/// "legs", "stops"}]}. Times ISO 8601 UTC with Z, distances in metres, speeds in m/s,
/// durations in seconds. `analyses[i]` belongs to `flights[i]`; throws std::invalid_argument
/// when the sizes differ.
std::string to_json(const std::vector<Flight>& flights, const std::vector<FlightAnalysis>& analyses);

/// A readable plain-text summary: per flight its legs (airports, times, durations, distances),
/// stops ("On ground at NAME (ICAO) 36 h 04 min") and coverage gaps. Same preconditions.
std::string to_table(const std::vector<Flight>& flights, const std::vector<FlightAnalysis>& analyses);

/// Escapes a string for a JSON string literal (quotes not included): ", \, and control
/// characters below 0x20 as \n, \t, ... or \u00XX. UTF-8 passes through unchanged.
std::string json_escape(const std::string& s);

}  // namespace fr::analysis
