// libFuzzer target for content detection, which load_file runs on every input before any
// loader: text-format sniffing (FR24 KML, gx:Track, GPX, IGC, ACMI, OpenSky CSV; fr::IoError for
// recognised dialects we do not read, nothing else), JSON sniffing, and the repair of a
// truncated JSON document (whose result must pass the syntax check).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "io/formats/text_formats.hpp"
#include "io/text/json_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::size_t seen = 0;
    try {
        seen += fr::io::detail::sniff_text_format("fuzz-input", text).has_value();
    } catch (const fr::IoError& e) {
        seen += std::string(e.what()).size();
    }
    seen += fr::io::detail::looks_like_json(text);
    seen += fr::io::detail::sniff_json(text).description.size();
    std::size_t cut = 0;
    if (const auto closed = fr::io::detail::close_truncated_json(text, cut)) {
        if (cut > size) {
            std::fprintf(stderr, "close_truncated_json cut %zu of %zu bytes\n", cut, size);
            std::abort();
        }
    }
    return seen == static_cast<std::size_t>(-1) ? 1 : 0;
}
