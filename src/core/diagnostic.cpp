#include "core/diagnostic.hpp"
#include "core/setting_text.hpp"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

namespace fr {

std::string escape_control(std::string_view text, bool keep_newlines) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    auto byte = [&](unsigned char c) {
        out += "\\x";
        out += hex[c >> 4];
        out += hex[c & 0xF];
    };
    // Printable ASCII (and newlines and tabs when kept) passes unchanged: copied a run at a time,
    // since a report of 200,000 aircraft is tens of megabytes of it.
    auto plain = [keep_newlines](unsigned char c) { return (c >= 0x20 && c < 0x7F) || (keep_newlines && (c == '\n' || c == '\t')); };
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (plain(c)) {
            std::size_t j = i + 1;
            while (j < text.size() && plain(static_cast<unsigned char>(text[j]))) ++j;
            out.append(text.data() + i, j - i);
            i = j;
            continue;
        }
        if (c < 0x80) {
            if (c == '\n' && keep_newlines)
                out += '\n';
            else if (c == '\t' && keep_newlines)
                out += '\t';
            else if (c == '\t')
                out += "\\t";
            else if (c < 0x20 || c == 0x7F)
                byte(c);
            else
                out += static_cast<char>(c);
            ++i;
            continue;
        }
        // A well-formed UTF-8 sequence (no overlongs, no surrogates, <= U+10FFFF)?
        int len = 0;
        std::uint32_t cp = 0;
        if (c >= 0xC2 && c <= 0xDF)
            len = 2, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            len = 3, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            len = 4, cp = c & 0x07;
        bool ok = len > 0 && i + static_cast<std::size_t>(len) <= text.size();
        for (int k = 1; ok && k < len; ++k) {
            const auto cc = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
            ok = (cc & 0xC0) == 0x80;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (ok) ok = !(len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) && !(len == 4 && (cp < 0x10000 || cp > 0x10FFFF));
        if (!ok) {
            byte(c);
            ++i;
            continue;
        }
        if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
            out += "\\u";
            for (int shift = 12; shift >= 0; shift -= 4) out += hex[(cp >> shift) & 0xF];
        } else {
            out.append(text.substr(i, static_cast<std::size_t>(len)));
        }
        i += static_cast<std::size_t>(len);
    }
    return out;
}

std::string format(const Diagnostic& d) { return "flightreplay: " + describe(d); }

std::string describe(const Diagnostic& d) {
    std::string out = escape_control(d.file);
    if (d.line > 0) {
        out += ':' + std::to_string(d.line);
        if (d.column > 0) out += ':' + std::to_string(d.column);
    }
    if (!d.json_path.empty()) out += ": " + escape_control(d.json_path);
    out += d.severity == Severity::error ? ": error: " : ": warning: ";
    out += escape_control(d.message);
    return out;
}

std::string format_grouped(const Diagnostics& diagnostics, bool all, std::size_t keep) {
    // Group key: severity, file, and the message with every run of digits masked.
    auto key_of = [](const Diagnostic& d) {
        std::string k = d.severity == Severity::error ? "E" : "W";
        k += d.file;
        k += '\0';
        bool in_digits = false;
        for (char c : d.message) {
            const bool digit = c >= '0' && c <= '9';
            if (digit && !in_digits) k += '#';
            if (!digit) k += c;
            in_digits = digit;
        }
        return k;
    };
    std::unordered_map<std::string, std::size_t> count, shown;
    if (!all)
        for (const auto& d : diagnostics.items()) ++count[key_of(d)];
    std::string out;
    for (const auto& d : diagnostics.items()) {
        if (all) {
            out += format(d) + "\n";
            continue;
        }
        const std::string k = key_of(d);
        const std::size_t n = ++shown[k];
        if (n <= keep) out += format(d) + "\n";
        if (n == keep && count[k] > keep)
            out += "flightreplay: " + escape_control(d.file) + ": ... and " + std::to_string(count[k] - keep) + " more like the above (" +
                   setting_text("verbose") + " lists them all)\n";
    }
    return out;
}

bool Diagnostics::has_errors() const noexcept {
    return std::any_of(m_items.begin(), m_items.end(), [](const Diagnostic& d) { return d.severity == Severity::error; });
}

}  // namespace fr
