#pragma once
// A small RFC 4180 record reader over an in-memory buffer: quoted fields, doubled quotes,
// CRLF or LF line ends, embedded newlines inside quotes. Fields are views into the buffer
// except where a doubled quote forces a copy. Tracks the 1-based line number of each record.
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace fr::io::detail {

class CsvReader {
public:
    explicit CsvReader(std::string_view text, char separator = ',') noexcept;
    /// A part of a file that starts at line `first_line`; a byte-order mark is skipped only
    /// when `skip_bom` (the start of the file).
    CsvReader(std::string_view text, char separator, std::uint64_t first_line, bool skip_bom) noexcept;
    /// Reads the next record into `fields`; false at end of input. `error` is set (and the
    /// record still returned) when a quoted field is unterminated or followed by junk.
    bool next(std::vector<std::string_view>& fields);
    std::uint64_t line() const noexcept { return m_record_line; }  ///< line where the record began
    const std::string& error() const noexcept { return m_error; }
    /// Limit on fields per record; further fields are dropped and `error` set. Guards against
    /// billion-field lines.
    void set_max_fields(std::size_t n) noexcept { m_max_fields = n; }
    /// Byte offset of the next record in the text.
    std::size_t pos() const noexcept { return m_pos; }
    /// The last record ran into the end of the text inside a quoted field (in a streamed file:
    /// it continues in the next block).
    bool truncated() const noexcept { return m_truncated; }

private:
    void count_lines(std::size_t from, std::size_t to) noexcept;  ///< adds the newlines in [from, to) to m_line

    std::string_view m_text;
    std::size_t m_pos = 0;
    char m_sep;
    std::uint64_t m_line = 1;
    std::uint64_t m_record_line = 0;
    std::string m_error;
    bool m_truncated = false;
    std::size_t m_max_fields = 4096;
    // Storage for fields with doubled quotes. A deque: the returned views point into these
    // strings (inside the object for short ones), and a vector would move them when it grows
    // (heap-use-after-free found by fuzz/fuzz_fr24_csv with 17+ such fields in one record).
    std::deque<std::string> m_unescaped;
};

/// Trims ASCII spaces and tabs.
std::string_view trim(std::string_view s) noexcept;
/// Parses a double with std::from_chars (locale-independent); false on junk or empty.
bool parse_double(std::string_view s, double& out) noexcept;
bool parse_int64(std::string_view s, std::int64_t& out) noexcept;

}  // namespace fr::io::detail
