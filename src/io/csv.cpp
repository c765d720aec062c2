#include "io/csv.hpp"

#include <charconv>
#include <fast_float/fast_float.h>

namespace fr::io::detail {

CsvReader::CsvReader(std::string_view text, char separator) noexcept : m_text(text), m_sep(separator) {
    // A UTF-8 byte-order mark is not data.
    if (m_text.substr(0, 3) == "\xEF\xBB\xBF") m_pos = 3;
}

bool CsvReader::next(std::vector<std::string_view>& fields) {
    fields.clear();
    m_error.clear();
    m_unescaped.clear();
    if (m_pos >= m_text.size()) return false;
    m_record_line = m_line;
    const std::size_t n = m_text.size();
    m_unescaped.reserve(16);
    while (true) {
        std::string_view field;
        if (m_pos < n && m_text[m_pos] == '"') {
            // Quoted field.
            std::size_t start = ++m_pos;
            bool doubled = false;
            while (true) {
                const auto q = m_text.find('"', m_pos);
                if (q == std::string_view::npos) {
                    m_error = "unterminated quoted field";
                    for (std::size_t i = m_pos; i < n; ++i) m_line += m_text[i] == '\n';
                    m_pos = n;
                    field = m_text.substr(start);
                    break;
                }
                for (std::size_t i = m_pos; i < q; ++i) m_line += m_text[i] == '\n';
                if (q + 1 < n && m_text[q + 1] == '"') {
                    doubled = true;
                    m_pos = q + 2;
                    continue;
                }
                field = m_text.substr(start, q - start);
                m_pos = q + 1;
                break;
            }
            if (doubled) {
                std::string s;
                for (std::size_t i = 0; i < field.size(); ++i) {
                    s += field[i];
                    if (field[i] == '"' && i + 1 < field.size() && field[i + 1] == '"') ++i;
                }
                m_unescaped.push_back(std::move(s));
                field = m_unescaped.back();
            }
            // Only a separator or end of line may follow a closing quote.
            if (m_pos < n && m_text[m_pos] != m_sep && m_text[m_pos] != '\n' && m_text[m_pos] != '\r') {
                if (m_error.empty()) m_error = "unexpected character after closing quote";
                while (m_pos < n && m_text[m_pos] != m_sep && m_text[m_pos] != '\n') ++m_pos;
            }
        } else {
            std::size_t start = m_pos;
            while (m_pos < n && m_text[m_pos] != m_sep && m_text[m_pos] != '\n') ++m_pos;
            std::size_t end = m_pos;
            if (end > start && m_text[end - 1] == '\r') --end;
            field = m_text.substr(start, end - start);
        }
        if (fields.size() < m_max_fields) {
            fields.push_back(field);
        } else if (m_error.empty()) {
            m_error = "more than " + std::to_string(m_max_fields) + " fields";
        }
        if (m_pos >= n) return true;
        if (m_text[m_pos] == m_sep) {
            ++m_pos;
            continue;
        }
        if (m_text[m_pos] == '\r') ++m_pos;
        if (m_pos < n && m_text[m_pos] == '\n') {
            ++m_pos;
            ++m_line;
        }
        return true;
    }
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

bool parse_double(std::string_view s, double& out) noexcept {
    s = trim(s);
    if (s.empty()) return false;
    if (s.front() == '+') s.remove_prefix(1);
    auto r = fast_float::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

bool parse_int64(std::string_view s, std::int64_t& out) noexcept {
    s = trim(s);
    if (s.empty()) return false;
    auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

}  // namespace fr::io::detail
