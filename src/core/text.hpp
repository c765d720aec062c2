#pragma once
// ASCII case folding for identifiers, option values and file extensions. Not locale-aware on
// purpose: callsigns, registrations, format names and extensions are ASCII, and a user's locale
// must not change what matches.
#include <filesystem>
#include <string>
#include <string_view>

namespace fr {

/// `s` with A-Z folded to a-z; every other byte unchanged.
inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

/// The extension of `p` with its dot, in ASCII lower case (".png"); empty without one.
inline std::string lower_extension(const std::filesystem::path& p) { return ascii_lower(p.extension().string()); }

}  // namespace fr
