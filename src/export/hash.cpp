#include "export/hash.hpp"

#include "core/error.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>

namespace fr::output {
namespace {

struct MdCtxDeleter {
    void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
struct FileDeleter {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

/// libcrypto's error model, wrapped once: the oldest queued error's text (and clears the queue).
[[noreturn]] void throw_crypto(const char* what, const std::filesystem::path& path) {
    std::array<char, 256> buf{};
    const unsigned long code = ERR_get_error();
    ERR_error_string_n(code, buf.data(), buf.size());
    ERR_clear_error();
    throw IoError(std::string("cannot ") + what + " of '" + path.string() + "': " + buf.data());
}

}  // namespace

std::string sha256_file(const std::filesystem::path& path) {
    errno = 0;
    std::unique_ptr<std::FILE, FileDeleter> file(std::fopen(path.c_str(), "rb"));
    if (!file) throw IoError("cannot open '" + path.string() + "' to hash it: " + std::generic_category().message(errno));

    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw_crypto("start SHA-256", path);

    std::array<unsigned char, 64 * 1024> block{};
    for (;;) {
        const std::size_t n = std::fread(block.data(), 1, block.size(), file.get());
        if (n > 0 && EVP_DigestUpdate(ctx.get(), block.data(), n) != 1) throw_crypto("hash", path);
        if (n < block.size()) {
            if (std::ferror(file.get())) throw IoError("cannot read '" + path.string() + "' to hash it");
            break;
        }
    }

    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &len) != 1) throw_crypto("finish SHA-256", path);

    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * len);
    for (unsigned int i = 0; i < len; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xF];
    }
    return out;
}

}  // namespace fr::output
