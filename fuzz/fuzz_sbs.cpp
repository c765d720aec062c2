// libFuzzer target for detail::load_sbs (see scripts/fuzz.sh). Odd-sized inputs are read in
// the Europe/Paris zone, so the tz conversion is exercised too.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return fr::fuzz::run(data, size, [size](const std::string& name, std::string_view text) {
        return fr::io::detail::load_sbs(name, text, size % 2 ? "Europe/Paris" : "");
    });
}
