#pragma once
// Shared body of the loader fuzz targets: run a loader over arbitrary bytes and format every
// diagnostic (formatting touches file/line/column/path, so bad offsets show up under ASan).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/diagnostic.hpp"
#include "io/loader.hpp"

namespace fr::fuzz {

template <class Loader>
int run(const std::uint8_t* data, std::size_t size, Loader loader) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto res = loader(std::string("fuzz-input"), text);
    std::size_t total = 0;
    for (const auto& d : res.diagnostics.items()) total += format(d).size();
    for (const auto& t : res.tracks) {
        for (const auto& p : t.points) total += static_cast<std::size_t>(p.position().lat_deg() > 0);
    }
    return total == static_cast<std::size_t>(-1) ? 1 : 0;  // keep `total` observable
}

}  // namespace fr::fuzz
