// libFuzzer target for the archive index reader (io/formats/archive_index.hpp, parse_index): a corrupt
// index file must throw fr::IoError naming the file and line, nothing else. Inputs with an even
// first byte get a correct checksum line appended (so the fuzzer reaches the field parsing
// behind the checksum); odd ones are parsed as they are. An index that parses must serialize
// and parse back to the same text (a difference aborts).
#include <cstdio>
#include <cstdlib>
#include <string>

#include <openssl/evp.h>

#include "core/error.hpp"
#include "io/formats/archive_index.hpp"

namespace {
std::string sha256_hex(const std::string& s) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(s.data(), s.size(), md, &len, EVP_sha256(), nullptr);
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        out += digits[md[i] >> 4];
        out += digits[md[i] & 15];
    }
    return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] % 2 == 0) {
        if (!text.empty() && text.back() != '\n') text += '\n';
        text += "sha256\t" + sha256_hex(text) + "\n";
    }
    fr::io::ArchiveIndex ix;
    try {
        ix = fr::io::parse_index(text, "fuzz-index");
    } catch (const fr::IoError& e) {
        return std::string(e.what()).find("fuzz-index:") == std::string::npos ? 1 : 0;
    }
    const std::string once = fr::io::serialize_index(ix);
    const std::string twice = fr::io::serialize_index(fr::io::parse_index(once, "fuzz-index-2"));
    if (once != twice) {
        std::fprintf(stderr, "index does not round-trip:\n%s\n---\n%s\n", once.c_str(), twice.c_str());
        std::abort();
    }
    return 0;
}
