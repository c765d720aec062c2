#pragma once
// The track formats in one table: for each, its --format name, a one-line description, how
// content detection recognises it, its loader entry point (whole text or line stream), the
// libFuzzer targets that cover it and a sample under tests/data that detection recognises.
// parse_format, to_string, the loader's dispatch (whole text or streamed), content detection
// (each format is found at the stage its entry names) and the --format help text read it;
// tests/io/format_registry_test.cpp checks it against Format, fuzz/fuzz_*.cpp, tests/data and
// the format table of docs/formats.md.
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "io/loader.hpp"

namespace fr::io {

/// Where content detection (loader.cpp detect_from_text) recognises a format; the stages run
/// in this order, the first that recognises the content wins.
enum class DetectStage {
    first_line,   ///< the first data line alone (SBS-1 records, jet1090 JSON lines): decided from the head of a streamed file
    json,         ///< JSON, by its top-level shape and keys (json_util sniff_json, FR24 API flight-tracks prefix)
    markup_text,  ///< XML root elements, IGC and ACMI headers, the OpenSky CSV header (text_formats sniff_text_format)
    csv_header,   ///< a CSV header line of fixed column names
    name_only,    ///< never detected: only `--format NAME` selects it (FormatEntry::name_only_reason says why)
};

/// Loads a whole (decompressed) text. `name` is used in diagnostics; `readable`: bytes that may
/// be read from text.data() (>= text.size(); with stream_padding more, JSON is parsed in place);
/// `opt` carries the options a format needs (--csv-columns, --input-tz). Never throws for bad
/// records.
using WholeTextLoader = LoadResult (*)(const std::string& name, std::string_view text, std::size_t readable, const LoadOptions& opt);
/// Makes a loader fed in blocks of whole lines while the file is read (line-oriented formats).
using LineLoaderFactory = std::unique_ptr<detail::LineStreamLoader> (*)(const std::string& name, const LoadOptions& opt);

struct FormatEntry {
    Format format;
    std::string_view name;         ///< the `--format` value
    std::string_view description;  ///< one line, for help and docs
    DetectStage detect;
    std::string_view detected_by;                    ///< what detection looks for (docs/formats.md "detected by"); empty for name_only
    std::string_view name_only_reason;               ///< why the format is never detected (name_only only)
    WholeTextLoader load_text;                       ///< always set: the whole-text entry point
    LineLoaderFactory make_line_loader;              ///< set for formats parsed while the file is read; null otherwise
    std::span<const std::string_view> fuzz_targets;  ///< fuzz/<target>.cpp files that feed this format's loader
    std::string_view sample;                         ///< a valid file of this format, relative to tests/data
};

/// Every track format, in the order of the `--format` list (Format::automatic, "auto", is not
/// an entry).
std::span<const FormatEntry> track_formats() noexcept;

/// The entry of `f`; nullptr for Format::automatic.
const FormatEntry* find_format(Format f) noexcept;

/// The entry named `name` (a --format value); nullptr when there is none.
const FormatEntry* find_format(std::string_view name) noexcept;

/// A libFuzzer target that covers no single format (detection, gunzip, JSON syntax, scene
/// files), with what it covers: every fuzz/fuzz_*.cpp is named by a format entry or here.
struct SharedFuzzTarget {
    std::string_view name;
    std::string_view covers;
};
std::span<const SharedFuzzTarget> shared_fuzz_targets() noexcept;

/// "auto (detected from content, the default), fr24-csv, fr24-kml, ...": the --format values
/// for help texts, in registry order.
std::string format_choices();

}  // namespace fr::io
