#pragma once
// The reconstructed RFF7203 sample (Moscow Chkalovsky UUMU -> Pyongyang Sunan ZKPY and back,
// 31 July - 2 August 2023) as two FR24-format CSV files. See make_rff7203.cpp for the
// assumptions. Everything here is deterministic: the same bytes on every run and platform.
#include <filesystem>
#include <string>
#include <vector>

namespace fr::tools {

struct SampleFile {
    std::string name;     ///< file name, e.g. "RFF7203_UUMU-ZKPY_2023-07-31_reconstructed.csv"
    std::string content;  ///< the whole file, '\n' line ends
};

/// Generates both legs (outbound first). Pure: no I/O. Throws std::logic_error if the
/// simulated track breaks one of its own invariants (a programming error).
std::vector<SampleFile> make_rff7203_files();

/// Writes make_rff7203_files() into `dir` (created if missing). Throws std::runtime_error
/// with the path when a file cannot be written. Returns the paths written.
std::vector<std::filesystem::path> write_rff7203_files(const std::filesystem::path& dir);

}  // namespace fr::tools
