#pragma once
// A LineStreamLoader for CSV formats: each block is read with a CsvReader and its records are
// handed to record() with their file line; a record whose quoted field runs past the block
// (a newline inside quotes) is left for the next block, which starts with it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/loader.hpp"
#include "io/text/csv.hpp"

namespace fr::io::detail {

class CsvStreamLoader : public LineStreamLoader {
public:
    std::size_t consume(std::string_view block, std::uint64_t first_line, std::size_t, bool last) override {
        const std::size_t from = prefix(block);
        std::uint64_t line = first_line;
        for (std::size_t i = 0; i < from; ++i) line += block[i] == '\n';
        // As CsvReader over the whole text: a byte-order mark is skipped where the reader starts.
        CsvReader csv(block.substr(from), m_separator, line, !m_reader_started);
        csv.set_max_fields(m_max_fields);
        for (;;) {
            const std::size_t start = csv.pos();
            if (!csv.next(m_fields)) break;
            if (!last && csv.truncated()) return from + start;  // the record continues in the next block
            m_reader_started = true;
            record(m_fields, csv.line(), csv.error());
        }
        return block.size();
    }

protected:
    explicit CsvStreamLoader(std::size_t max_fields, char separator = ',') : m_max_fields(max_fields), m_separator(separator) {}
    /// Bytes at the start of `block` (whole lines, or a byte-order mark) the reader skips;
    /// asked for every block (return 0 once the records have begun).
    virtual std::size_t prefix(std::string_view) { return 0; }
    bool reader_started() const noexcept { return m_reader_started; }
    /// One record: its fields, the line where it starts, and the reader's error ("" if none).
    virtual void record(const std::vector<std::string_view>& f, std::uint64_t line, const std::string& error) = 0;

private:
    std::size_t m_max_fields;
    char m_separator;
    bool m_reader_started = false;
    std::vector<std::string_view> m_fields;
};

}  // namespace fr::io::detail
