#pragma once
// Shared helpers for the simdjson-based loaders (readsb, FR24 JSON, traffic JSON, GeoJSON):
// a padded copy of the file, byte offset -> line/column, JSON-path diagnostics, a syntax
// checker (a fast pass over every file; a precise one, only when that fails, to say *where*),
// number and time conversions, and content sniffing for format detection.
//
// We use simdjson's On-Demand API throughout: it reads values in document order without
// building a tree, and every value keeps a pointer into the source buffer
// (`raw_json_token()`), which is how diagnostics get their line and column.
#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/time.hpp"
#include "io/formats/track_checks.hpp"
#include "io/loader.hpp"

namespace fr::io::detail {

struct TextPosition {
    std::uint64_t line = 1;    ///< 1-based
    std::uint64_t column = 1;  ///< 1-based byte column
};

/// Line and column of byte `offset` in `text` (offsets past the end map to the end).
TextPosition position_of(std::string_view text, std::size_t offset) noexcept;

/// A JSON file prepared for simdjson, which reads up to SIMDJSON_PADDING bytes past the end.
/// When the caller's buffer has that room (`readable`: bytes that may be read from
/// text.data(), at least text.size() + stream_padding) the file is parsed where it lies, with
/// no copy; else (and for a file starting with a UTF-8 BOM, which is blanked to spaces:
/// simdjson 3.0 rejects it, RFC 8259 lets parsers ignore it) a padded copy is made. Offsets
/// into what padded() views equal offsets into the file. The text must outlive the source.
class JsonSource {
public:
    JsonSource(const std::string& name, std::string_view text, std::size_t readable = 0);

    const std::string& name() const noexcept { return m_name; }
    /// The document as simdjson reads it (the caller's text, or the padded copy).
    simdjson::padded_string_view padded() noexcept { return m_view; }
    /// True when no copy of the text was made (parsed in the caller's buffer).
    bool in_place() const noexcept { return m_padded.size() == 0; }
    std::string_view text() const noexcept { return m_text; }
    /// True when the file holds nothing but whitespace (and maybe a BOM).
    bool blank() const noexcept;

    /// Byte offset of a pointer into padded() (clamped to the file size).
    std::size_t offset_of(const char* p) const noexcept;
    /// Line/column of a byte offset; builds a newline index on first use (O(n) once).
    TextPosition position(std::size_t offset) const;

    /// Adds a diagnostic at byte `offset` naming `json_path`.
    void report(Diagnostics& diags, Severity sev, std::size_t offset, std::string json_path, std::string message) const;
    /// Adds a diagnostic at the start of value `v`.
    void report(Diagnostics& diags, Severity sev, simdjson::ondemand::value& v, std::string json_path, std::string message) const;
    /// Runs check_json_syntax over the whole file; on failure adds an error diagnostic at the
    /// first syntax error ("malformed JSON: ... (file skipped)") and returns false. Loaders
    /// call it before On-Demand, which assumes a valid document in the parts it skips.
    /// A file cut off inside an array (a truncated download) is not skipped: the text is
    /// taken up to the last complete element of the innermost open array, the open containers
    /// are closed, and a warning names the byte (line, column) where reading stopped; the
    /// records before the cut are kept, as the CSV/GPX/IGC loaders keep the rows before a cut.
    bool validate(Diagnostics& diags);
    /// validate(), then starts On-Demand on the file: false (with a diagnostic, file skipped)
    /// when either fails. The common opening of every JSON loader.
    bool open(simdjson::ondemand::parser& parser, simdjson::ondemand::document& doc, Diagnostics& diags);
    /// The root has the wrong type: reports the first syntax error if the file is not JSON at
    /// all, else "expected <expected> at the top level".
    void report_root_type(Diagnostics& diags, const std::string& expected) const;
    /// After simdjson reported a structural error `code` (near pointer `near`, may be null):
    /// locates the first syntax error with check_json_syntax and adds an error diagnostic
    /// "malformed JSON: ... (<what_was_done>)". `json_path` names where we were reading.
    void report_syntax(Diagnostics& diags, simdjson::error_code code, const char* near, std::string json_path,
                       const std::string& what_was_done) const;

private:
    std::string m_name;
    std::string_view m_text;
    std::string m_closed;              // the text closed after a cut (see validate); m_text views it then
    simdjson::padded_string m_padded;  // empty when the text is read in place
    simdjson::padded_string_view m_view;
    mutable std::vector<std::size_t> m_line_starts;  // lazily filled
};

/// A syntax error found by check_json_syntax.
struct JsonSyntaxError {
    std::size_t offset = 0;
    std::string what;  ///< e.g. "expected ',' or ']' after an array element, found '}'"
};

/// A number for a diagnostic: up to 10 significant digits, no trailing zeros ("%.10g").
std::string format_number(double v);

/// Maximum nesting depth we accept; simdjson's default limit (DEFAULT_MAX_DEPTH).
inline constexpr std::size_t max_json_depth = 1024;

/// A strict RFC 8259 validator (iterative, so nesting bombs cannot overflow the stack; depth
/// limited to max_json_depth). Returns the first error or nullopt. Linear time: json_syntax_ok
/// first (~1 GB/s), and only when that fails the slower pass that finds and words the error.
std::optional<JsonSyntaxError> check_json_syntax(std::string_view text);

/// True when check_json_syntax would find no error (same language, no error text): the fast
/// pass that JsonSource::validate runs over every file before On-Demand reads it.
bool json_syntax_ok(std::string_view text) noexcept;

/// For a document cut off inside an array: the text up to the last complete element of the
/// innermost array open at the end (or just after its '['), with every open container closed;
/// `cut` receives the byte offset where the kept text ends. nullopt when the text does not end
/// inside an array. Iterative; at most max_json_depth levels.
std::optional<std::string> close_truncated_json(std::string_view text, std::size_t& cut);

/// The precise pass alone (what check_json_syntax runs when json_syntax_ok fails). Exposed for
/// fuzz/fuzz_json_syntax.cpp, which checks that both passes accept exactly the same inputs.
std::optional<JsonSyntaxError> check_json_syntax_precise(std::string_view text);

/// True for simdjson errors that concern one value (wrong type, bad number) rather than the
/// document's structure: after those, reading can go on with the next record.
bool is_value_error(simdjson::error_code code) noexcept;

/// Short human text for a value, for messages: the raw token cut to 40 characters.
std::string shown_token(simdjson::ondemand::value& v);

/// Epoch seconds or milliseconds, told apart by magnitude: |t| >= 1e11 is milliseconds
/// (1e11 s is the year 5138, 1e11 ms is 1973-03-03, and no recording predates 1990).
/// Returns nullopt for non-finite values or times outside 1990..2100 (track_checks.hpp).
std::optional<TimePoint> epoch_to_time(double t) noexcept;

/// What a JSON file looks like at the top, for detection and for "unknown JSON" messages.
struct JsonSniff {
    Format format = Format::automatic;  ///< automatic when not recognised
    std::string description;            ///< e.g. "JSON object with keys a, b, c"
};
/// Looks at the root of `text` (whole file, already decompressed). `readable` as for JsonSource:
/// with room for simdjson's padding after the text, no copy is made. Never throws.
JsonSniff sniff_json(std::string_view text, std::size_t readable = 0);

/// True when the first non-blank byte (after a BOM) is '{' or '['.
bool looks_like_json(std::string_view text) noexcept;

}  // namespace fr::io::detail

namespace fr::io::detail {

/// Outcome of reading one scalar.
enum class JsonRead : std::uint8_t {
    ok,          ///< value read
    null,        ///< JSON null
    bad,         ///< wrong type or malformed/out-of-range number (a value problem)
    structural,  ///< the document is broken here: stop reading
};

/// Reads a number (any JSON number, as double). `err` receives simdjson's code on failure.
JsonRead read_number(simdjson::ondemand::value& v, double& out, simdjson::error_code& err) noexcept;
/// Reads a string (unescaped view valid until the next string is read).
JsonRead read_string(simdjson::ondemand::value& v, std::string_view& out, simdjson::error_code& err) noexcept;

/// finalize_points for JSON: `pts[i].line` holds the record's byte offset (not a line); the diagnostics it adds get
/// line/column from `src` and a JSON path from `path_of(offset)`.
template <class PathOf>
std::vector<TrackPoint> finalize_json_points(std::vector<SourcedPoint> pts, const JsonSource& src, Diagnostics& diags, std::size_t& skipped,
                                             PathOf path_of);

/// JSON path helpers: indexed("trace", 3) == "trace[3]", member("a", "b") == "a.b". (Built by
/// appending: GCC 12 warns falsely (-Wrestrict) on `"[" + std::to_string(i)` at -O3.)
std::string indexed(std::string_view base, std::size_t i);
std::string member(std::string_view base, std::string_view key);

/// Lower-cases ASCII and trims spaces (callsigns, hex addresses).
std::string trimmed(std::string_view s);
std::string lower_trimmed(std::string_view s);

template <class PathOf>
std::vector<TrackPoint> finalize_json_points(std::vector<SourcedPoint> pts, const JsonSource& src, Diagnostics& diags, std::size_t& skipped,
                                             PathOf path_of) {
    Diagnostics local;
    auto out = finalize_points(std::move(pts), src.name(), local, skipped);
    for (auto d : local.items()) {
        const std::size_t offset = static_cast<std::size_t>(d.line);
        const auto pos = src.position(offset);
        d.line = pos.line;
        d.column = pos.column;
        d.json_path = path_of(offset);
        diags.add(std::move(d));
    }
    return out;
}

}  // namespace fr::io::detail
