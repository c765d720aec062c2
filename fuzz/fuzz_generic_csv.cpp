// libFuzzer target for the generic CSV loader with its column mapping (io/formats/generic_csv.hpp): the
// input's first line is the mapping (--csv-columns), the rest the delimited text. A mapping that
// does not parse must throw fr::UsageError and nothing else; a text that does not fit the mapping
// must give diagnostics, never throw.
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "fuzz_common.hpp"
#include "io/formats/generic_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view all(reinterpret_cast<const char*>(data), size);
    const auto nl = all.find('\n');
    const std::string_view spec = nl == std::string_view::npos ? all : all.substr(0, nl);
    const std::size_t skip = nl == std::string_view::npos ? size : nl + 1;
    fr::io::GenericCsvMapping mapping;
    try {
        mapping = fr::io::GenericCsvMapping::parse(spec);
    } catch (const fr::UsageError& e) {
        return std::string(e.what()).empty() ? 1 : 0;
    }
    return fr::fuzz::run(data + skip, size - skip, [&](const std::string& name, std::string_view text) {
        return fr::io::detail::load_generic_csv(name, text, mapping);
    });
}
