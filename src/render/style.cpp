#include "render/style.hpp"

#include <cstdlib>

#include "core/error.hpp"

namespace fr::render {

Rgba parse_colour(const std::string& hex) {
    auto bad = [&] { return UsageError("invalid colour '" + hex + "' (expected #rrggbb or #rrggbbaa)"); };
    if ((hex.size() != 7 && hex.size() != 9) || hex[0] != '#') throw bad();
    unsigned v[4] = {0, 0, 0, 255};
    for (std::size_t i = 0; i * 2 + 1 < hex.size(); ++i) {
        const std::string byte = hex.substr(1 + i * 2, 2);
        char* end = nullptr;
        v[i] = static_cast<unsigned>(std::strtoul(byte.c_str(), &end, 16));
        if (end != byte.c_str() + 2) throw bad();
    }
    return {v[0] / 255.0, v[1] / 255.0, v[2] / 255.0, v[3] / 255.0};
}

Style light_style() { return Style{}; }

}  // namespace fr::render
