#include "core/diagnostic.hpp"

#include <algorithm>

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

bool Diagnostics::has_errors() const noexcept {
    return std::any_of(m_items.begin(), m_items.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::error; });
}

}  // namespace fr
