#pragma once
// Internals shared by the text/XML loaders (FR24 KML, KML gx:Track, GPX, IGC, ACMI, OpenSky
// CSV, generic CSV): content sniffing for load_file's detection, and small helpers for
// diagnostics.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "io/formats/track_checks.hpp"
#include "io/loader.hpp"

namespace fr::io::detail {

/// Recognises FR24 KML, KML gx:Track, GPX, IGC, ACMI and OpenSky CSV from the content.
/// Returns nullopt when none fits. Throws IoError for dialects it recognises but we do not
/// read (FR24 "granular" CSV, KML with neither a Route folder nor a gx:Track), naming what
/// was found and what is expected.
std::optional<Format> sniff_text_format(const std::string& name, std::string_view text);

/// load_acmi with the per-input cap (--max-input-bytes) on the decompressed member of a zipped
/// ACMI (load_acmi: the default cap). A member over the cap, or expanding past 64 MiB at more
/// than 200:1, is an error diagnostic naming the member (file not read).
LoadResult load_acmi(const std::string& name, std::string_view text, std::uint64_t max_bytes);

/// True when `t` lies in the plausible recording window 1990..2100 (track_checks.hpp).
inline bool plausible_time(TimePoint t) noexcept {
    const auto s = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
    return s >= min_unix_s && s <= max_unix_s;
}

/// `'value'`, cut to 40 characters with "..." so that a huge field cannot flood a message.
inline std::string quote_value(std::string_view s) {
    constexpr std::size_t max_shown = 40;
    std::string out = "'";
    out += s.size() > max_shown ? std::string(s.substr(0, max_shown)) + "..." : std::string(s);
    return out + "'";
}

}  // namespace fr::io::detail
