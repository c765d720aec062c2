#pragma once
// The steps every subcommand, the window and the Python module share: load -> merge -> filter ->
// analyse (library fr_pipeline: io and analysis, nothing that draws). Thin: the work is in
// io/ and analysis/.
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/airport_table.hpp"
#include "analysis/analysis.hpp"
#include "io/loader.hpp"
#include "io/map/airports.hpp"

namespace fr::pipeline {

struct LoadedData {
    std::vector<Flight> flights;
    std::vector<analysis::FlightAnalysis> analyses;
    Diagnostics diagnostics;
    std::size_t rows_read = 0, rows_skipped = 0;
    std::vector<std::filesystem::path> files;  ///< every file read, for provenance hashes
    std::vector<io::InputFile> inputs;         ///< every file read: SHA-256 of the bytes actually read
    /// Globe-history archives: trace members decompressed and their stored bytes (an index
    /// makes a selective query read fewer; checked by tests, never timed).
    std::uint64_t archive_members_read = 0, archive_bytes_read = 0;
    /// Archive indexes built by this load's full pass and stored (io::LoadOptions::index_on_first_pass).
    std::vector<std::filesystem::path> stored_indexes;
    /// "sha256  name" lines for provenance (PNG tEXt, PDF subject, MP4 tags), one per input.
    std::vector<std::string> input_hashes() const;
    /// The paths read ("-" for standard input), for checks against the output.
    std::vector<std::filesystem::path> input_paths() const;
};

struct LoadRequest {
    std::vector<std::filesystem::path> inputs;
    io::LoadOptions load;
    std::vector<std::string> aircraft;  ///< keep only these (ICAO address, registration or callsign)
    /// --time-range as given: an absolute one lets archives read only members with a fix in it
    /// (the clipping itself is the renderer's).
    std::optional<TimeRange> time_range;
    MergeMode merge = MergeMode::automatic;  ///< --merge
    bool keep_outliers = false;
    bool verbose =
        false;  ///< --verbose: every warning, not folded by kind  ///< --keep-outliers: listed, but left in the drawn track and the analysis
};

/// Throws fr::IoError for unreadable inputs, fr::UsageError when the filter leaves nothing.
LoadedData load_and_analyse(const LoadRequest& req);

/// The bundled airport table (loaded once per process).
const analysis::AirportTable& bundled_airports();

}  // namespace fr::pipeline
