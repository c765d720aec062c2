#pragma once
// Text for XML documents we write ourselves (KML placemarks, SVG metadata).
#include <string>
#include <string_view>

namespace fr::output {

/// `s` as XML character data or attribute text: & < > " escaped; C0 control characters, which
/// XML 1.0 does not allow (tab, newline and carriage return aside), become spaces.
inline std::string xml_escaped(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
                    out += ' ';
                else
                    out += c;
        }
    }
    return out;
}

}  // namespace fr::output
