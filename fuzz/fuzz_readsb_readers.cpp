// Differential libFuzzer target: load_readsb (fast walker, falling back to On-Demand) and
// load_readsb_on_demand (On-Demand only) must give the same result on every input: the same
// tracks and points bit for bit, diagnostics and counts. A difference aborts with what differs.
#include <cstdio>
#include <cstdlib>

#include "io/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto fast = fr::io::detail::load_readsb("fuzz-input", text);
    const auto plain = fr::io::detail::load_readsb_on_demand("fuzz-input", text);
    if (const auto diff = fr::io::detail::first_difference(fast, plain); !diff.empty()) {
        std::fprintf(stderr, "readsb readers disagree: %s\n", diff.c_str());
        std::abort();
    }
    return 0;
}
