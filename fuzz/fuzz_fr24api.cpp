// libFuzzer target for the FR24 API loaders (see scripts/fuzz.sh): every input goes through
// both detail::load_fr24api_tracks and detail::load_fr24api_summary, and the summaries are
// joined onto the tracks.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fr::fuzz::run(data, size, fr::io::detail::load_fr24api_tracks);
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto tracks = fr::io::detail::load_fr24api_tracks("fuzz-input", text).tracks;
    const auto sum = fr::io::detail::load_fr24api_summary("fuzz-input", text);
    fr::io::detail::join_summaries(tracks, sum.summaries);
    return fr::fuzz::run(data, size, fr::io::detail::load_fr24api_summary);
}
