// libFuzzer target for the FR24 API loaders (see scripts/fuzz.sh): every input goes through
// load_fr24api_tracks (fast walker, falling back to On-Demand), the On-Demand reader alone
// (the two must agree: any difference aborts), and load_fr24api_summary / _events, whose rows
// are joined onto the tracks.
#include <cstdio>
#include <cstdlib>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto fast = fr::io::detail::load_fr24api_tracks("fuzz-input", text);
    const auto slow = fr::io::detail::load_fr24api_tracks_on_demand("fuzz-input", text);
    const auto diff = fr::io::detail::first_difference(fast, slow);
    if (!diff.empty()) {
        std::fprintf(stderr, "fast and On-Demand readers differ: %s\n", diff.c_str());
        std::abort();
    }
    auto sum = fr::io::detail::load_fr24api_summary("fuzz-input", text);
    const auto events = fr::io::detail::load_fr24api_events("fuzz-input", text);
    sum.summaries.insert(sum.summaries.end(), events.summaries.begin(), events.summaries.end());
    fr::io::detail::join_summaries(fast.tracks, sum.summaries);
    fr::fuzz::run(data, size, fr::io::detail::load_fr24api_events);
    return fr::fuzz::run(data, size, fr::io::detail::load_fr24api_summary);
}
