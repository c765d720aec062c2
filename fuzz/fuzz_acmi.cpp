// libFuzzer target for detail::load_acmi, text and zipped (see scripts/fuzz.sh).
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return fr::fuzz::run(data, size, fr::io::detail::load_acmi);
}
