#pragma once
// Problems found in input records. Loaders collect them; the caller decides whether a warning
// is fatal (--strict) or reported and skipped (default).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fr {

enum class Severity : std::uint8_t { warning, error };

struct Diagnostic {
    std::string file;
    std::uint64_t line = 0;    ///< 1-based; 0 when not applicable
    std::uint64_t column = 0;  ///< 1-based field or byte column; 0 when not applicable
    Severity severity = Severity::warning;
    std::string message;    ///< what was wrong and what was done, e.g. "latitude 91.2 out of range (row skipped)"
    std::string json_path;  ///< for JSON inputs, e.g. "trace[12][3]"; empty otherwise
};

/// `FILE:LINE:COLUMN: error: message` (every error about a file reads so); LINE/COLUMN omitted
/// when zero; the JSON path follows the position when present. File, path and message go
/// through escape_control(): input text never reaches the terminal raw. What a library puts in
/// an exception: the front end adds the program's name when it prints.
std::string describe(const Diagnostic& d);
/// `flightreplay: ` + describe(d): a diagnostic as the command line prints it.
std::string format(const Diagnostic& d);

/// Text safe to print on a terminal: C0 controls, DEL, NUL and bytes that are not UTF-8 become
/// `\xNN` (a tab `\t`); C1 controls (U+0080..U+009F) and bidirectional overrides
/// (U+202A..U+202E, U+2066..U+2069) become `\uNNNN`. With `keep_newlines` (multi-line reports)
/// newlines and tabs pass. Everything else, valid UTF-8 included, is kept.
std::string escape_control(std::string_view text, bool keep_newlines = false);

class Diagnostics;
/// All diagnostics, one line each, except that repeats of the same message in one file (the
/// same text once numbers are masked, e.g. "3 row(s) out of time order") are folded after the
/// first `keep` into one line with their count; `all` prints every one. Each line ends in '\n'.
std::string format_grouped(const Diagnostics& diagnostics, bool all = false, std::size_t keep = 3);

class Diagnostics {
public:
    void add(Diagnostic d) { m_items.push_back(std::move(d)); }
    void warn(std::string file, std::uint64_t line, std::uint64_t column, std::string message) {
        add({std::move(file), line, column, Severity::warning, std::move(message), {}});
    }
    void error(std::string file, std::uint64_t line, std::uint64_t column, std::string message) {
        add({std::move(file), line, column, Severity::error, std::move(message), {}});
    }
    const std::vector<Diagnostic>& items() const noexcept { return m_items; }
    bool empty() const noexcept { return m_items.empty(); }
    std::size_t size() const noexcept { return m_items.size(); }
    bool has_errors() const noexcept;
    void append(const Diagnostics& other) { m_items.insert(m_items.end(), other.m_items.begin(), other.m_items.end()); }

private:
    std::vector<Diagnostic> m_items;
};

}  // namespace fr
