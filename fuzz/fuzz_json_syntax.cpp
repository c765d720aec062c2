// Differential libFuzzer target: the fast JSON syntax pass (json_syntax_ok, run over every file
// before On-Demand) must accept exactly the inputs the precise pass accepts; a disagreement
// would let malformed JSON reach On-Demand or reject valid files. 19.3 M executions clean when
// the fast pass was written (bench/README.md, loaders).
#include <cstdio>
#include <cstdlib>

#include "io/text/json_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const bool fast = fr::io::detail::json_syntax_ok(text);
    const bool precise = !fr::io::detail::check_json_syntax_precise(text).has_value();
    if (fast != precise) {
        std::fprintf(stderr, "json syntax passes disagree: fast=%d precise=%d\n", fast, precise);
        std::abort();
    }
    return 0;
}
