#pragma once
// Shared body of the loader fuzz targets: run a loader over arbitrary bytes and format every
// diagnostic (formatting touches file/line/column/path, so bad offsets show up under ASan).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/diagnostic.hpp"
#include "io/loader.hpp"

namespace fr::fuzz {

template <class Loader>
int run(const std::uint8_t* data, std::size_t size, Loader loader) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    io::LoadResult res;
    if constexpr (std::is_invocable_v<Loader, const std::string&, std::string_view, std::size_t>) {
        // The JSON loaders parse in the caller's buffer when it keeps stream_padding bytes after
        // the text (as load_file's does): give them exactly that much, so that a read past it
        // shows under ASan.
        const std::size_t readable = size + io::detail::stream_padding;
        const std::unique_ptr<char[]> buf(new char[readable]());
        if (size > 0) std::memcpy(buf.get(), data, size);
        res = loader(std::string("fuzz-input"), std::string_view(buf.get(), size), readable);
    } else {
        res = loader(std::string("fuzz-input"), text);
    }
    std::size_t total = 0;
    for (const auto& d : res.diagnostics.items()) total += format(d).size();
    for (const auto& t : res.tracks) {
        for (const auto& p : t.points) total += static_cast<std::size_t>(p.position().lat_deg() > 0);
    }
    return total == static_cast<std::size_t>(-1) ? 1 : 0;  // keep `total` observable
}

}  // namespace fr::fuzz
