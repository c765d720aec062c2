#include "io/text/json_util.hpp"

#include <cstdio>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "io/formats/track_checks.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fr::io::detail {

namespace {

bool is_ws(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string shown_char(std::string_view text, std::size_t i) {
    if (i >= text.size()) return "end of file";
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c >= 0x7f) {
        static const char hex[] = "0123456789abcdef";
        return std::string("byte 0x") + hex[c >> 4] + hex[c & 15];
    }
    return std::string("'") + static_cast<char>(c) + "'";
}

std::string cut(std::string_view s, std::size_t max = 40) {
    if (s.size() <= max) return std::string(s);
    return std::string(s.substr(0, max)) + "...";
}

/// Length of a valid UTF-8 sequence starting at text[i] (i < size), or 0 when invalid.
std::size_t utf8_length(std::string_view text, std::size_t i) noexcept {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char c = b(i);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1fu;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0fu;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07u;
    } else
        return 0;
    if (i + n > text.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((b(i + k) & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (b(i + k) & 0x3fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return n;
}

}  // namespace

TextPosition position_of(std::string_view text, std::size_t offset) noexcept {
    offset = std::min(offset, text.size());
    TextPosition p;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++p.line;
            line_start = i + 1;
        }
    }
    p.column = offset - line_start + 1;
    return p;
}

JsonSource::JsonSource(const std::string& name, std::string_view text, std::size_t readable) : m_name(name), m_text(text) {
    const bool bom = text.substr(0, 3) == "\xEF\xBB\xBF";
    if (!bom && readable >= text.size() + simdjson::SIMDJSON_PADDING && readable - text.size() >= stream_padding) {
        m_view = simdjson::padded_string_view(text.data(), text.size(), readable);
        return;
    }
    m_padded = simdjson::padded_string(text.data(), text.size());
    if (bom) std::fill_n(m_padded.data(), 3, ' ');
    m_view = m_padded;
}

bool JsonSource::blank() const noexcept {
    const std::size_t start = m_text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    for (std::size_t i = start; i < m_text.size(); ++i)
        if (!is_ws(m_text[i])) return false;
    return true;
}

std::size_t JsonSource::offset_of(const char* p) const noexcept {
    if (p == nullptr || p < m_view.data()) return 0;
    return std::min(static_cast<std::size_t>(p - m_view.data()), m_text.size());
}

TextPosition JsonSource::position(std::size_t offset) const {
    if (m_line_starts.empty()) {
        m_line_starts.push_back(0);
        const char* base = m_text.data();
        const char* end = base + m_text.size();
        for (const char* p = base; p < end;) {
            const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
            if (!nl) break;
            p = static_cast<const char*>(nl) + 1;
            m_line_starts.push_back(static_cast<std::size_t>(p - base));
        }
    }
    offset = std::min(offset, m_text.size());
    const auto it = std::upper_bound(m_line_starts.begin(), m_line_starts.end(), offset);
    const std::size_t line_index = static_cast<std::size_t>(it - m_line_starts.begin()) - 1;
    return {line_index + 1, offset - m_line_starts[line_index] + 1};
}

void JsonSource::report(Diagnostics& diags, Severity sev, std::size_t offset, std::string json_path, std::string message) const {
    const auto pos = position(offset);
    diags.add({m_name, pos.line, pos.column, sev, std::move(message), std::move(json_path)});
}

void JsonSource::report(Diagnostics& diags, Severity sev, simdjson::ondemand::value& v, std::string json_path, std::string message) const {
    report(diags, sev, offset_of(v.raw_json_token().data()), std::move(json_path), std::move(message));
}

bool JsonSource::open(simdjson::ondemand::parser& parser, simdjson::ondemand::document& doc, Diagnostics& diags) {
    // On-Demand does not validate what it skips, and on some malformed documents it reaches
    // states its own code marks unreachable (found by fuzz/fuzz_*): validate first.
    if (!validate(diags)) return false;
    if (auto e = parser.iterate(padded()).get(doc)) {
        report_syntax(diags, e, nullptr, {}, "file skipped");
        return false;
    }
    return true;
}

std::string format_number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

bool JsonSource::validate(Diagnostics& diags) {
    if (blank()) {
        report(diags, Severity::error, 0, {}, "empty file: no JSON value found (file skipped)");
        return false;
    }
    if (auto err = check_json_syntax(m_text)) {
        // Cut off (nothing but white space from the error on)? Keep what came before the cut.
        std::size_t cut = 0;
        // The syntax checker words end-of-input errors "file ends ..." (inside an array, object
        // or value); errors with structure after them are damage, not a cut.
        // A token running into the end ("20." cut from "20.5") is a cut too.
        const bool at_end = err->what.rfind("file ends", 0) == 0 || err->what == "string starting here is never closed" ||
                            m_text.find_first_of(" \t\r\n,:[]{}\"", err->offset) == std::string_view::npos;
        if (at_end && m_closed.empty()) {
            if (auto closed = close_truncated_json(m_text, cut); closed && !check_json_syntax(*closed)) {
                const auto end = position(m_text.size());
                report(diags, Severity::warning, cut, "$",
                       "the file ends inside an unfinished value at byte " + std::to_string(m_text.size()) + " (line " +
                           std::to_string(end.line) +
                           "; cut off?): reading stopped here, after the last complete "
                           "element; the records before the cut are kept");
                const bool bom = m_text.substr(0, 3) == "\xEF\xBB\xBF";
                m_closed = std::move(*closed);
                m_text = m_closed;
                m_padded = simdjson::padded_string(m_closed.data(), m_closed.size());
                if (bom) std::fill_n(m_padded.data(), 3, ' ');
                m_view = m_padded;
                return true;
            }
        }
        report(diags, Severity::error, err->offset, "$", "malformed JSON: " + err->what + " (file skipped)");
        return false;
    }
    return true;
}

std::optional<std::string> close_truncated_json(std::string_view text, std::size_t& cut) {
    // Per open container: where a cut may end the text. `record_cut`: after the last complete
    // element that is itself an array or object (records: FR24 track points, readsb rows,
    // GeoJSON coordinate pairs); `scalar_cut`: after any complete element (or the '[').
    struct Level {
        char open;
        std::size_t record_cut = std::string_view::npos, scalar_cut = std::string_view::npos;
    };
    std::vector<Level> stack;
    bool in_string = false, escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            continue;
        }
        switch (c) {
            case '"': in_string = true; break;
            case '[':
            case '{':
                if (stack.size() >= max_json_depth) return std::nullopt;
                stack.push_back({c});
                if (c == '[') stack.back().scalar_cut = i + 1;
                break;
            case ']':
            case '}':
                if (stack.empty()) return std::nullopt;
                stack.pop_back();
                if (!stack.empty() && stack.back().open == '[') stack.back().record_cut = stack.back().scalar_cut = i + 1;
                break;
            case ',':
                if (!stack.empty() && stack.back().open == '[') stack.back().scalar_cut = i;
                break;
            default: break;
        }
    }
    if (stack.empty()) return std::nullopt;
    // The deepest array that ended a record, else the deepest array with any complete element.
    auto pick = [&](auto member) -> std::ptrdiff_t {
        for (std::ptrdiff_t k = static_cast<std::ptrdiff_t>(stack.size()) - 1; k >= 0; --k)
            if (stack[static_cast<std::size_t>(k)].open == '[' && stack[static_cast<std::size_t>(k)].*member != std::string_view::npos)
                return k;
        return -1;
    };
    std::ptrdiff_t k = pick(&Level::record_cut);
    const bool record = k >= 0;
    if (!record) k = pick(&Level::scalar_cut);
    if (k < 0) return std::nullopt;
    const auto& level = stack[static_cast<std::size_t>(k)];
    cut = record ? level.record_cut : level.scalar_cut;
    std::string out(text.substr(0, cut));
    for (std::ptrdiff_t m = k; m >= 0; --m) out += stack[static_cast<std::size_t>(m)].open == '[' ? ']' : '}';
    return out;
}

void JsonSource::report_root_type(Diagnostics& diags, const std::string& expected) const {
    if (auto err = check_json_syntax(m_text)) {
        report(diags, Severity::error, err->offset, "$", "malformed JSON: " + err->what + " (file skipped)");
        return;
    }
    std::size_t i = m_text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    while (i < m_text.size() && is_ws(m_text[i])) ++i;
    report(diags, Severity::error, i, "$", "expected " + expected + " at the top level (file skipped)");
}

void JsonSource::report_syntax(Diagnostics& diags, simdjson::error_code code, const char* near, std::string json_path,
                               const std::string& what_was_done) const {
    if (blank()) {
        report(diags, Severity::error, 0, {}, "empty file: no JSON value found (" + what_was_done + ")");
        return;
    }
    if (auto err = check_json_syntax(m_text)) {
        report(diags, Severity::error, err->offset, std::move(json_path), "malformed JSON: " + err->what + " (" + what_was_done + ")");
        return;
    }
    // The text is valid JSON but simdjson still failed (e.g. CAPACITY for files over 4 GiB).
    report(diags, Severity::error, near ? offset_of(near) : 0, std::move(json_path),
           std::string("JSON could not be read: ") + simdjson::error_message(code) + " (" + what_was_done + ")");
}

namespace {

/// The precise checker: the reference for what is valid, and the only place that words errors.
/// About 50 instructions a byte; check_json_syntax runs it only where json_syntax_ok failed.
std::optional<JsonSyntaxError> locate_json_syntax_error(std::string_view text) {
    // Iterative recursive-descent: `stack` holds '[' or '{' per open container.
    std::vector<char> stack;
    std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    const std::size_t n = text.size();
    auto skip_ws = [&] {
        while (i < n && is_ws(text[i])) ++i;
    };
    auto fail = [&](std::size_t at, std::string what) { return JsonSyntaxError{at, std::move(what)}; };
    // The document's first value does not start: the file is not JSON at all (perhaps not a
    // track file, named by mistake), so none of its bytes go into the message, only where.
    auto not_json = [&](std::size_t at) {
        return fail(
            at, "expected a JSON document ('{' or '[') at byte offset " + std::to_string(at) + ", found a byte that starts no JSON value");
    };
    // States: expecting a value; after a value (expecting ',' or a closer).
    enum class State { value, value_or_close, key_or_close, key, after_value } st = State::value;
    skip_ws();
    if (i >= n) return fail(i, "empty file: no JSON value found");
    std::vector<std::size_t> open_at;  // offsets of the open brackets, for "unclosed" messages
    while (true) {
        skip_ws();
        if (st == State::after_value) {
            if (stack.empty()) {
                if (i < n) return fail(i, "unexpected " + shown_char(text, i) + " after the end of the JSON value");
                return std::nullopt;
            }
            if (i >= n) {
                const auto at = open_at.back();
                const auto p = position_of(text, at);
                return fail(n, std::string("file ends inside the ") + (stack.back() == '[' ? "array" : "object") + " opened at line " +
                                   std::to_string(p.line) + ", column " + std::to_string(p.column) + " (truncated file?)");
            }
            const char c = text[i];
            if (c == ',') {
                ++i;
                st = stack.back() == '[' ? State::value : State::key;
                continue;
            }
            if ((c == ']' && stack.back() == '[') || (c == '}' && stack.back() == '{')) {
                ++i;
                stack.pop_back();
                open_at.pop_back();
                continue;
            }
            return fail(i, std::string("expected ',' or '") + (stack.back() == '[' ? ']' : '}') + "' after " +
                               (stack.back() == '[' ? "an array element" : "an object member") + ", found " + shown_char(text, i));
        }
        if (i >= n) {
            if (stack.empty()) return fail(i, "file ends where a value was expected");
            const auto p = position_of(text, open_at.back());
            return fail(n, std::string("file ends inside the ") + (stack.back() == '[' ? "array" : "object") + " opened at line " +
                               std::to_string(p.line) + ", column " + std::to_string(p.column) + " (truncated file?)");
        }
        const char c = text[i];
        if (st == State::value_or_close && c == ']') {
            ++i;
            stack.pop_back();
            open_at.pop_back();
            st = State::after_value;
            continue;
        }
        if (st == State::key_or_close && c == '}') {
            ++i;
            stack.pop_back();
            open_at.pop_back();
            st = State::after_value;
            continue;
        }
        const bool want_key = st == State::key || st == State::key_or_close;
        if (want_key && c != '"')
            return fail(i, "expected a quoted object key" + std::string(st == State::key_or_close ? " or '}'" : "") + ", found " +
                               shown_char(text, i));
        if (c == '"') {
            const std::size_t start = i++;
            while (true) {
                if (i >= n) return fail(start, "string starting here is never closed");
                unsigned char ch = static_cast<unsigned char>(text[i]);
                while (ch >= 0x20 && ch < 0x80 && ch != '"' && ch != '\\' && i + 1 < n) ch = static_cast<unsigned char>(text[++i]);
                if (ch == '"') {
                    ++i;
                    break;
                }
                if (ch < 0x20) return fail(i, "control character " + shown_char(text, i) + " inside a string (must be escaped)");
                if (ch == '\\') {
                    if (i + 1 >= n) return fail(start, "string starting here is never closed");
                    const char e = text[i + 1];
                    if (e == 'u') {
                        for (std::size_t k = 2; k < 6; ++k)
                            if (i + k >= n || !std::isxdigit(static_cast<unsigned char>(text[i + k])))
                                return fail(i, "bad \\u escape in a string");
                        i += 6;
                    } else if (std::string_view("\"\\/bfnrt").find(e) != std::string_view::npos) {
                        i += 2;
                    } else {
                        return fail(i, "bad escape '\\" + std::string(1, e) + "' in a string");
                    }
                    continue;
                }
                const std::size_t len = utf8_length(text, i);
                if (len == 0) return fail(i, "invalid UTF-8 " + shown_char(text, i) + " inside a string");
                i += len;
            }
            if (want_key) {
                skip_ws();
                if (i >= n || text[i] != ':') return fail(i, "expected ':' after an object key, found " + shown_char(text, i));
                ++i;
                st = State::value;
                continue;
            }
            st = State::after_value;
            continue;
        }
        if (c == '[' || c == '{') {
            if (stack.size() >= max_json_depth)
                return fail(i, "nesting deeper than " + std::to_string(max_json_depth) + " levels (refused)");
            stack.push_back(c);
            open_at.push_back(i);
            ++i;
            st = c == '[' ? State::value_or_close : State::key_or_close;
            continue;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            const std::size_t start = i;
            if (text[i] == '-') ++i;
            auto digits = [&] {
                std::size_t k = 0;
                while (i < n && text[i] >= '0' && text[i] <= '9') {
                    ++i;
                    ++k;
                }
                return k;
            };
            if (i < n && text[i] == '0')
                ++i;
            else if (digits() == 0)
                return stack.empty() ? not_json(start) : fail(start, "malformed number '" + cut(text.substr(start, i - start + 1)) + "'");
            if (i < n && text[i] == '.') {
                ++i;
                if (digits() == 0) return fail(start, "malformed number (no digit after '.')");
            }
            const bool has_exp = i < n && (text[i] == 'e' || text[i] == 'E');
            if (has_exp) {
                ++i;
                if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
                if (digits() == 0) return fail(start, "malformed number (no digit in the exponent)");
            }
            // Only exponents and very long mantissas can overflow a double: check those alone
            // (strtod on every number would make this check the slowest part of loading).
            if (has_exp || i - start > 300) {
                const std::string num(text.substr(start, i - start));
                const double d = std::strtod(num.c_str(), nullptr);
                if (!std::isfinite(d)) return fail(start, "number " + cut(num) + " is out of the double range");
            }
            st = State::after_value;
            continue;
        }
        for (std::string_view lit : {std::string_view("true"), std::string_view("false"), std::string_view("null")}) {
            if (text.substr(i, lit.size()) == lit) {
                i += lit.size();
                st = State::after_value;
                break;
            }
        }
        if (st == State::after_value) continue;
        std::size_t e = i;
        while (e < n && e - i < 20 && !is_ws(text[e]) && text[e] != ',' && text[e] != ']' && text[e] != '}') ++e;
        if (e == n && !stack.empty())
            return fail(i, "file ends in the middle of the value '" + cut(text.substr(i, e - i)) + "' (truncated file?)");
        if (stack.empty()) return not_json(i);
        return fail(i, "expected a JSON value, found '" + cut(text.substr(i, std::max<std::size_t>(e - i, 1))) + "'" +
                           (text.substr(i, 3) == "NaN" || text.substr(i, 8) == "Infinity" ? " (JSON has no NaN or Infinity)" : ""));
    }
}

/// Byte classes for json_syntax_ok.
enum : std::uint8_t { c_ws = 1, c_digit = 2, c_hex = 4 };
constexpr std::array<std::uint8_t, 256> make_classes() {
    std::array<std::uint8_t, 256> t{};
    t[' '] = t['\t'] = t['\n'] = t['\r'] = c_ws;
    for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = c_digit | c_hex;
    for (int c = 'a'; c <= 'f'; ++c) t[static_cast<std::size_t>(c)] = c_hex;
    for (int c = 'A'; c <= 'F'; ++c) t[static_cast<std::size_t>(c)] = c_hex;
    return t;
}
constexpr auto byte_class = make_classes();

/// Skips a run of ASCII digits (numbers are most of a trace file's bytes).
inline const unsigned char* skip_digits(const unsigned char* p, const unsigned char* end) noexcept {
#if defined(__SSE2__)
    while (end - p >= 16) {
        const __m128i d = _mm_sub_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), _mm_set1_epi8('0'));
        // Digits became 0..9: unsigned d <= 9 exactly where min(d, 9) == d.
        const unsigned digit = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d)));
        if (digit != 0xffffu) return p + __builtin_ctz(~digit);
        p += 16;
    }
#endif
    while (p < end && (byte_class[*p] & c_digit)) ++p;
    return p;
}

/// Skips the body of a string whose opening quote is just before `p`; returns the byte after
/// the closing quote, or nullptr where locate_json_syntax_error would fail.
inline const unsigned char* skip_string(const unsigned char* p, const unsigned char* end) noexcept {
    while (true) {
#if defined(__SSE2__)
        // 16 bytes at a time: stop at '"', '\\', a control character or a non-ASCII byte
        // (signed compare: 0x80..0xff are negative, so "< 0x20" catches both).
        while (end - p >= 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
            const __m128i special =
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                             _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
            const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(special));
            if (mask != 0) {
                p += __builtin_ctz(mask);
                goto special_byte;
            }
            p += 16;
        }
#endif
        while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') ++p;
        if (p >= end) return nullptr;
#if defined(__SSE2__)
    special_byte:
#endif
        const unsigned char c = *p;
        if (c == '"') return p + 1;
        if (c < 0x20) return nullptr;
        if (c == '\\') {
            if (end - p < 2) return nullptr;
            const unsigned char e = p[1];
            if (e == 'u') {
                if (end - p < 6) return nullptr;
                for (int k = 2; k < 6; ++k)
                    if (!(byte_class[p[k]] & c_hex)) return nullptr;
                p += 6;
            } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
                p += 2;
            } else {
                return nullptr;
            }
            continue;
        }
        // Non-ASCII: one whole, valid UTF-8 sequence (the rules of utf8_length).
        const std::string_view rest(reinterpret_cast<const char*>(p), static_cast<std::size_t>(end - p));
        const std::size_t len = utf8_length(rest, 0);
        if (len == 0) return nullptr;
        p += len;
    }
}

}  // namespace

bool json_syntax_ok(std::string_view text) noexcept {
    // Accepts exactly what locate_json_syntax_error accepts (tested differentially by
    // fuzzing), one token at a time: no per-byte state transitions, strings skipped 16 bytes
    // at a time. A number with an exponent or over 300 characters goes to strtod, as there.
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* const end = p + text.size();
    if (text.substr(0, 3) == "\xEF\xBB\xBF") p += 3;
    std::array<bool, max_json_depth> in_array;  // per open container: '[' (true) or '{'
    std::size_t depth = 0;
    auto skip_ws = [&] {
        while (p < end && (byte_class[*p] & c_ws)) ++p;
    };

value:
    skip_ws();
    if (p >= end) return false;
    switch (*p) {
        case '"':
            p = skip_string(p + 1, end);
            if (!p) return false;
            goto after_value;
        case '[':
        case '{': {
            if (depth >= max_json_depth) return false;
            const bool arr = *p == '[';
            in_array[depth++] = arr;
            ++p;
            skip_ws();
            if (p < end && *p == (arr ? ']' : '}')) {
                ++p;
                --depth;
                goto after_value;
            }
            if (arr) goto value;
            goto key;
        }
        case 't':
            if (end - p < 4 || std::memcmp(p, "true", 4) != 0) return false;
            p += 4;
            goto after_value;
        case 'f':
            if (end - p < 5 || std::memcmp(p, "false", 5) != 0) return false;
            p += 5;
            goto after_value;
        case 'n':
            if (end - p < 4 || std::memcmp(p, "null", 4) != 0) return false;
            p += 4;
            goto after_value;
        default: {
            const auto* const start = p;
            if (*p == '-') ++p;
            if (p < end && *p == '0') {
                ++p;
            } else {
                const auto* d = p;
                p = skip_digits(p, end);
                if (p == d) return false;
            }
            if (p < end && *p == '.') {
                const auto* d = ++p;
                p = skip_digits(p, end);
                if (p == d) return false;
            }
            const bool has_exp = p < end && (*p == 'e' || *p == 'E');
            if (has_exp) {
                ++p;
                if (p < end && (*p == '+' || *p == '-')) ++p;
                const auto* d = p;
                p = skip_digits(p, end);
                if (p == d) return false;
            }
            if (has_exp || p - start > 300) {
                const std::string num(reinterpret_cast<const char*>(start), static_cast<std::size_t>(p - start));
                if (!std::isfinite(std::strtod(num.c_str(), nullptr))) return false;
            }
            goto after_value;
        }
    }

key:
    skip_ws();
    if (p >= end || *p != '"') return false;
    p = skip_string(p + 1, end);
    if (!p) return false;
    skip_ws();
    if (p >= end || *p != ':') return false;
    ++p;
    goto value;

after_value:
    skip_ws();
    if (depth == 0) return p == end;
    if (p >= end) return false;
    if (*p == ',') {
        ++p;
        if (in_array[depth - 1]) goto value;
        goto key;
    }
    if (*p == (in_array[depth - 1] ? ']' : '}')) {
        ++p;
        --depth;
        goto after_value;
    }
    return false;
}

std::optional<JsonSyntaxError> check_json_syntax(std::string_view text) {
    if (json_syntax_ok(text)) return std::nullopt;
    return locate_json_syntax_error(text);
}

std::optional<JsonSyntaxError> check_json_syntax_precise(std::string_view text) { return locate_json_syntax_error(text); }

bool is_value_error(simdjson::error_code code) noexcept {
    switch (code) {
        case simdjson::INCORRECT_TYPE:
        case simdjson::NUMBER_ERROR:
        case simdjson::NUMBER_OUT_OF_RANGE:
        case simdjson::NO_SUCH_FIELD:
        case simdjson::STRING_ERROR:
        case simdjson::T_ATOM_ERROR:
        case simdjson::F_ATOM_ERROR:
        case simdjson::N_ATOM_ERROR: return true;
        default: return false;
    }
}

std::string shown_token(simdjson::ondemand::value& v) {
    std::string_view t = v.raw_json_token();
    while (!t.empty() && is_ws(t.back())) t.remove_suffix(1);
    if (!t.empty() && (t.front() == '[' || t.front() == '{')) return t.front() == '[' ? "an array" : "an object";
    std::string out(1, '\'');
    out += cut(t);
    out += '\'';
    return out;
}

std::optional<TimePoint> epoch_to_time(double t) noexcept {
    if (!std::isfinite(t)) return std::nullopt;
    if (std::fabs(t) >= 1e11) t /= 1000.0;
    if (t < static_cast<double>(min_unix_s) || t > static_cast<double>(max_unix_s)) return std::nullopt;
    return from_unix_seconds(t);
}

bool looks_like_json(std::string_view text) noexcept {
    std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    while (i < text.size() && is_ws(text[i])) ++i;
    return i < text.size() && (text[i] == '{' || text[i] == '[');
}

namespace {

/// Fallback for documents simdjson cannot iterate (truncated, malformed): look for the
/// telltale keys in the first 64 KiB so the right loader gives the precise syntax error.
Format sniff_prefix(std::string_view text) {
    const auto head = text.substr(0, 65536);
    auto has = [&](std::string_view s) { return head.find(s) != std::string_view::npos; };
    std::size_t i = 0;
    while (i < head.size() && (is_ws(head[i]) || static_cast<unsigned char>(head[i]) >= 0x80)) ++i;
    const bool array = i < head.size() && head[i] == '[';
    if (!array && has("\"trace\"") && (has("\"icao\"") || has("\"timestamp\""))) return Format::readsb_trace;
    if (!array && has("\"result\"") && has("\"response\"")) return Format::fr24_json;
    if (!array && has("\"now\"") && has("\"aircraft\"")) return Format::readsb_snapshot;
    if (has("\"FeatureCollection\"") || has("\"Feature\"") || has("\"LineString\"") || has("\"coordinates\"")) return Format::geojson;
    if (array && has("\"icao24\"")) return Format::opensky_json;
    return Format::automatic;
}

std::string key_list(const std::vector<std::string>& keys, bool more) {
    std::string out;
    for (const auto& k : keys) out += (out.empty() ? "" : ", ") + cut(k, 30);
    if (more) out += ", ...";
    return out.empty() ? "no keys" : "keys " + out;
}

/// Calls on_key(key) for each member key of the top-level object of `text`, in order, found by
/// skipping each value's bytes (strings and brackets) without parsing it: no copy of the text
/// and no index of it, so that detecting a large readsb trace costs next to nothing. False
/// (some keys may have been seen) when the text does not open with an object, a key holds an
/// escape (simdjson would unescape it) or the bytes are not a balanced object: the caller then
/// sniffs with simdjson. On a valid document the keys are those On-Demand iterates.
template <class OnKey>
bool top_level_keys(std::string_view text, OnKey&& on_key) {
    std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    const std::size_t n = text.size();
    auto ws = [&] {
        while (i < n && is_ws(text[i])) ++i;
    };
    // Past the closing quote of the string whose opening quote is at i; false at the end.
    auto skip_string = [&] {
        for (++i; i < n; ++i) {
            if (text[i] == '\\')
                ++i;
            else if (text[i] == '"')
                return ++i, true;
        }
        return false;
    };
    ws();
    if (i >= n || text[i] != '{') return false;
    ++i;
    ws();
    if (i < n && text[i] == '}') return true;
    while (true) {
        ws();
        if (i >= n || text[i] != '"') return false;
        const std::size_t k0 = i + 1;
        if (!skip_string()) return false;
        const std::string_view key = text.substr(k0, i - 1 - k0);
        if (key.find('\\') != std::string_view::npos) return false;
        on_key(key);
        ws();
        if (i >= n || text[i] != ':') return false;
        ++i;
        ws();
        if (i >= n) return false;
        if (text[i] == '"') {
            if (!skip_string()) return false;
        } else if (text[i] == '[' || text[i] == '{') {
            std::size_t depth = 0;
            do {
                const char c = text[i];
                if (c == '"') {
                    if (!skip_string()) return false;
                    continue;
                }
                if (c == '[' || c == '{') {
                    if (++depth > max_json_depth) return false;
                } else if (c == ']' || c == '}') {
                    --depth;
                }
                ++i;
            } while (depth > 0 && i < n);
            if (depth > 0) return false;
        } else {  // a number, true, false or null
            while (i < n && text[i] != ',' && text[i] != '}' && !is_ws(text[i])) ++i;
        }
        ws();
        if (i >= n) return false;
        if (text[i] == '}') return true;
        if (text[i] != ',') return false;
        ++i;
    }
}

}  // namespace

JsonSniff sniff_json(std::string_view text, std::size_t readable) {
    JsonSniff res;
    {
        // A readsb trace ("icao" and "trace" at the top: the first rule below) by its keys
        // alone; simdjson's sniff would hold a copy of the text and an index of every value.
        constexpr std::size_t max_keys = 12;
        std::vector<std::string> keys;
        bool more = false, icao = false, trace = false;
        const bool scanned = top_level_keys(text, [&](std::string_view key) {
            icao = icao || key == "icao";
            trace = trace || key == "trace";
            if (keys.size() < max_keys)
                keys.emplace_back(key);
            else
                more = true;
        });
        if (scanned && icao && trace) {
            res.format = Format::readsb_trace;
            res.description = "JSON object with " + key_list(keys, more);
            return res;
        }
    }
    JsonSource src("", text, readable);
    if (src.blank()) {
        res.description = "an empty file";
        return res;
    }
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc;
    auto fallback = [&] {
        res.format = sniff_prefix(text);
        auto err = check_json_syntax(text);
        const auto p = position_of(text, err ? err->offset : 0);
        res.description =
            err ? "malformed JSON (line " + std::to_string(p.line) + ", column " + std::to_string(p.column) + ": " + err->what + ")"
                : "JSON simdjson could not read";
        return res;
    };
    if (parser.iterate(src.padded()).get(doc)) return fallback();
    simdjson::ondemand::json_type type;
    if (doc.type().get(type)) return fallback();
    constexpr std::size_t max_keys = 12;
    if (type == simdjson::ondemand::json_type::object) {
        simdjson::ondemand::object obj;
        if (doc.get_object().get(obj)) return fallback();
        std::vector<std::string> keys;
        bool snap_now = false, snap_aircraft = false;
        bool more = false, icao = false, trace = false, result = false, response = false, fr24_summary = false, fr24_events = false;
        std::string geo_type;
        for (auto field : obj) {
            std::string_view key;
            if (field.unescaped_key().get(key)) return fallback();
            if (key == "icao") icao = true;
            if (key == "trace") trace = true;
            if (key == "now") snap_now = true;
            if (key == "aircraft") snap_aircraft = true;
            if (key == "result") {
                result = true;
                simdjson::ondemand::object inner;
                if (!field.value().get_object().get(inner)) {
                    simdjson::ondemand::value resp;
                    response = !inner.find_field_unordered("response").get(resp);
                }
            }
            if (key == "data") {  // FR24 API flight-summary: {"data": [{"fr24_id": ...}]}
                simdjson::ondemand::array rows;
                if (!field.value().get_array().get(rows)) {
                    for (auto row : rows) {
                        simdjson::ondemand::object first;
                        simdjson::ondemand::value id;
                        fr24_summary = !row.get_object().get(first) && !first.find_field_unordered("fr24_id").get(id);
                        simdjson::ondemand::value ev;
                        fr24_events = fr24_summary && !first.find_field_unordered("events").get(ev);
                        break;
                    }
                }
            }
            if (key == "type") {
                std::string_view t;
                if (!field.value().get_string().get(t)) geo_type = std::string(t);
            }
            if (keys.size() < max_keys)
                keys.emplace_back(key);
            else
                more = true;
        }
        res.description = "JSON object with " + key_list(keys, more);
        if (icao && trace)
            res.format = Format::readsb_trace;
        else if (snap_now && snap_aircraft)
            res.format = Format::readsb_snapshot;
        else if (result && response)
            res.format = Format::fr24_json;
        else if (fr24_events)
            res.format = Format::fr24api_events;
        else if (fr24_summary)
            res.format = Format::fr24api_summary;
        else if (geo_type == "FeatureCollection" || geo_type == "Feature" || geo_type == "LineString" || geo_type == "MultiLineString" ||
                 geo_type == "Point" || geo_type == "GeometryCollection")
            res.format = Format::geojson;
        if (!geo_type.empty() && res.format == Format::automatic) res.description += " and \"type\": \"" + cut(geo_type) + "\"";
        return res;
    }
    if (type == simdjson::ondemand::json_type::array) {
        simdjson::ondemand::array arr;
        if (doc.get_array().get(arr)) return fallback();
        for (auto elem : arr) {
            simdjson::ondemand::object first;
            if (elem.get_object().get(first)) {
                res.description = "JSON array whose first element is not an object";
                return res;
            }
            std::vector<std::string> keys;
            bool more = false, icao24 = false, ts = false, fr24_id = false, tracks = false, lat = false, lng = false, unix_ts = false;
            for (auto field : first) {
                std::string_view key;
                if (field.unescaped_key().get(key)) return fallback();
                icao24 |= key == "icao24";
                ts |= key == "timestamp" || key == "latitude";
                fr24_id |= key == "fr24_id";
                tracks |= key == "tracks";
                lat |= key == "lat";
                lng |= key == "lng";
                unix_ts |= key == "ts";
                if (keys.size() < max_keys)
                    keys.emplace_back(key);
                else
                    more = true;
            }
            res.description = "JSON array of objects with " + key_list(keys, more);
            if (icao24 && ts)
                res.format = Format::opensky_json;
            else if (fr24_id && tracks)
                res.format = Format::fr24api_tracks;
            else if (lat && lng && unix_ts)
                res.format = Format::fr24_trail;
            return res;
        }
        res.description = "an empty JSON array";
        return res;
    }
    res.description = "a JSON scalar, not an object or array";
    return res;
}

}  // namespace fr::io::detail

namespace fr::io::detail {

JsonRead read_number(simdjson::ondemand::value& v, double& out, simdjson::error_code& err) noexcept {
    err = v.get_double().get(out);
    if (!err) return std::isfinite(out) ? JsonRead::ok : JsonRead::bad;
    if (err == simdjson::INCORRECT_TYPE) {
        bool is_null = false;
        if (!v.is_null().get(is_null) && is_null) return JsonRead::null;
    }
    return is_value_error(err) ? JsonRead::bad : JsonRead::structural;
}

JsonRead read_string(simdjson::ondemand::value& v, std::string_view& out, simdjson::error_code& err) noexcept {
    err = v.get_string().get(out);
    if (!err) return JsonRead::ok;
    if (err == simdjson::INCORRECT_TYPE) {
        bool is_null = false;
        if (!v.is_null().get(is_null) && is_null) return JsonRead::null;
    }
    return is_value_error(err) ? JsonRead::bad : JsonRead::structural;
}

std::string indexed(std::string_view base, std::size_t i) {
    std::string out(base);
    out += '[';
    out += std::to_string(i);
    out += ']';
    return out;
}

std::string member(std::string_view base, std::string_view key) {
    std::string out(base);
    if (!out.empty()) out += '.';
    out += key;
    return out;
}

std::string trimmed(std::string_view s) {
    while (!s.empty() && is_ws(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ws(s.back())) s.remove_suffix(1);
    return std::string(s);
}

std::string lower_trimmed(std::string_view s) {
    std::string out = trimmed(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace fr::io::detail
