// libFuzzer target for the fr24 playback CSV and FlightRadarAPI trail loaders (see
// scripts/fuzz.sh): each input goes through both.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fr::fuzz::run(data, size, fr::io::detail::load_fr24_playback_csv);
    return fr::fuzz::run(data, size, fr::io::detail::load_fr24_trail);
}
