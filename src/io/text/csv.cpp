#include "io/text/csv.hpp"

#include <fast_float/fast_float.h>
#include <charconv>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fr::io::detail {

CsvReader::CsvReader(std::string_view text, char separator) noexcept : m_text(text), m_sep(separator) {
    // A UTF-8 byte-order mark is not data.
    if (m_text.substr(0, 3) == "\xEF\xBB\xBF") m_pos = 3;
}

CsvReader::CsvReader(std::string_view text, char separator, std::uint64_t first_line, bool skip_bom) noexcept
    : m_text(text), m_pos(0), m_sep(separator), m_line(first_line) {
    if (skip_bom && m_text.substr(0, 3) == "\xEF\xBB\xBF") m_pos = 3;
}

void CsvReader::count_lines(std::size_t from, std::size_t to) noexcept {
    // memchr: quoted fields rarely hold a newline, so this is usually one call.
    const char* p = m_text.data() + from;
    const char* const end = m_text.data() + to;
    while (const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p))) {
        ++m_line;
        p = static_cast<const char*>(nl) + 1;
    }
}

bool CsvReader::next(std::vector<std::string_view>& fields) {
    fields.clear();
    m_error.clear();
    m_truncated = false;
    m_unescaped.clear();
    if (m_pos >= m_text.size()) return false;
    m_record_line = m_line;
    const std::size_t n = m_text.size();
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
                    m_truncated = true;
                    count_lines(m_pos, n);
                    m_pos = n;
                    field = m_text.substr(start);
                    break;
                }
                count_lines(m_pos, q);
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
#if defined(__SSE2__)
            // 16 bytes at a time while they lie inside the buffer (the text is not padded).
            const __m128i sep = _mm_set1_epi8(m_sep), nl = _mm_set1_epi8('\n');
            while (n - m_pos >= 16) {
                const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(m_text.data() + m_pos));
                const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, sep), _mm_cmpeq_epi8(v, nl))));
                if (mask != 0) {
                    m_pos += static_cast<std::size_t>(__builtin_ctz(mask));
                    break;
                }
                m_pos += 16;
            }
#endif
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

namespace {

/// Plain decimals ("-12.375", "35000"): up to 19 digits with a value up to 2^53 and up to 22
/// decimals are the integer divided by an exact power of ten, which IEEE rounds correctly
/// (Clinger's fast path, the one fast_float itself takes first), so the result is fast_float's
/// to the bit. False for anything else (then fast_float decides).
bool plain_decimal(std::string_view s, double& out) noexcept {
    static constexpr double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char* p = s.data();
    const char* const end = p + s.size();
    const bool negative = p < end && *p == '-';
    p += negative;
    const char* const digits = p;
    std::uint64_t w = 0;
    while (p < end && static_cast<unsigned char>(*p - '0') < 10) w = w * 10 + static_cast<unsigned>(*p++ - '0');
    std::ptrdiff_t count = p - digits, decimals = 0;
    if (count == 0 || count > 19) return false;
    if (p < end && *p == '.') {
        const char* const f = ++p;
        while (p < end && static_cast<unsigned char>(*p - '0') < 10) w = w * 10 + static_cast<unsigned>(*p++ - '0');
        decimals = p - f;
        count += decimals;
        if (decimals == 0 || count > 19 || decimals > 22) return false;
    }
    if (p != end || w > (std::uint64_t{1} << 53)) return false;
    const double v = static_cast<double>(w) / pow10[decimals];
    out = negative ? -v : v;
    return true;
}

}  // namespace

bool parse_double(std::string_view s, double& out) noexcept {
    s = trim(s);
    if (s.empty()) return false;
    if (s.front() == '+') s.remove_prefix(1);
    if (plain_decimal(s, out)) return true;
    auto r = fast_float::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

bool parse_int64(std::string_view s, std::int64_t& out) noexcept {
    s = trim(s);
    if (s.empty()) return false;
    if (s.size() <= 18 && s.front() != '-') {  // cannot overflow: no range checks needed
        std::int64_t v = 0;
        std::size_t i = 0;
        while (i < s.size() && static_cast<unsigned char>(s[i] - '0') < 10) v = v * 10 + (s[i++] - '0');
        if (i == s.size()) {
            out = v;
            return true;
        }
        return false;  // from_chars would stop at the same byte
    }
    auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

}  // namespace fr::io::detail
