#include "core/diagnostic.hpp"

#include <algorithm>
#include <unordered_map>

namespace fr {

std::string format(const Diagnostic& d) {
    std::string out = "flightreplay: " + d.file;
    if (d.line > 0) {
        out += ':' + std::to_string(d.line);
        if (d.column > 0) out += ':' + std::to_string(d.column);
    }
    if (!d.json_path.empty()) out += ": " + d.json_path;
    out += d.severity == Severity::error ? ": error: " : ": warning: ";
    out += d.message;
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
            out += "flightreplay: " + d.file + ": ... and " + std::to_string(count[k] - keep) +
                   " more like the above (--verbose lists them all)\n";
    }
    return out;
}

bool Diagnostics::has_errors() const noexcept {
    return std::any_of(m_items.begin(), m_items.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::error; });
}

}  // namespace fr
