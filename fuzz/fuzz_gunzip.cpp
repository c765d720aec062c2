// libFuzzer target for io::gunzip_all (every member, caps, bomb check) and read-once detection:
// arbitrary bytes as a gzip stream, under a 16 MiB cap so the fuzzer's RSS limit holds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "io/text/input_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    try {
        const std::string out = fr::io::gunzip_all("fuzz-input", in, std::uint64_t{16} << 20);
        return out.size() > (std::size_t{16} << 20) ? 1 : 0;  // the cap must hold
    } catch (const fr::IoError&) {
        return 0;
    }
}
