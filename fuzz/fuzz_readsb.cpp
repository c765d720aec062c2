// libFuzzer target for detail::load_readsb (see scripts/fuzz.sh).
#include "fuzz_common.hpp"
#include "io/text/json_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Detection runs on the same untrusted bytes before any loader.
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (fr::io::detail::looks_like_json(text)) (void)fr::io::detail::sniff_json(text);
    (void)fr::io::detail::check_json_syntax(text);
    return fr::fuzz::run(data, size, fr::io::detail::load_readsb);
}
