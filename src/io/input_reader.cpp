#include "io/input_reader.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <system_error>

#include "core/error.hpp"

namespace fr::io {

namespace {

std::string bytes_text(std::uint64_t n) {
    if (n >= (std::uint64_t{1} << 30) && n % (std::uint64_t{1} << 30) == 0) return std::to_string(n >> 30) + " GiB";
    if (n >= (std::uint64_t{1} << 20) && n % (std::uint64_t{1} << 20) == 0) return std::to_string(n >> 20) + " MiB";
    return std::to_string(n) + " bytes";
}

[[noreturn]] void fail(const std::string& name, const std::string& what) { throw IoError("flightreplay: " + name + ": " + what); }

std::string over_cap(std::uint64_t max_bytes) {
    return "more than " + bytes_text(max_bytes) + " (the --max-input-bytes cap; raise it to read larger inputs)";
}

struct MdDeleter {
    void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};

class Sha256 {
public:
    Sha256() : m_ctx(EVP_MD_CTX_new()) {
        if (!m_ctx || EVP_DigestInit_ex(m_ctx.get(), EVP_sha256(), nullptr) != 1) throw IoError("flightreplay: cannot start SHA-256");
    }
    void update(const void* p, std::size_t n) {
        if (n > 0 && EVP_DigestUpdate(m_ctx.get(), p, n) != 1) throw IoError("flightreplay: SHA-256 failed");
    }
    std::string hex() {
        unsigned char d[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        if (EVP_DigestFinal_ex(m_ctx.get(), d, &len) != 1) throw IoError("flightreplay: SHA-256 failed");
        static constexpr char digits[] = "0123456789abcdef";
        std::string out;
        for (unsigned int i = 0; i < len; ++i) {
            out += digits[d[i] >> 4];
            out += digits[d[i] & 0xF];
        }
        return out;
    }

private:
    std::unique_ptr<EVP_MD_CTX, MdDeleter> m_ctx;
};

struct Fd {
    int fd = -1;
    bool owned = false;
    ~Fd() {
        if (owned && fd >= 0) ::close(fd);
    }
};

bool is_gzip(std::string_view s) {
    return s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0x1f && static_cast<unsigned char>(s[1]) == 0x8b;
}

struct InflateEnd {
    void operator()(z_stream* z) const noexcept { inflateEnd(z); }
};

}  // namespace

InputBytes read_input(const std::filesystem::path& path, std::uint64_t max_bytes) {
    const std::string name = path == "-" ? std::string("stdin") : path.string();
    Fd f;
    if (path == "-") {
        f.fd = STDIN_FILENO;
    } else {
        f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        f.owned = true;
        if (f.fd < 0) fail(name, "cannot open for reading: " + std::generic_category().message(errno));
    }
    struct stat st {};
    if (::fstat(f.fd, &st) != 0) fail(name, "cannot read: " + std::generic_category().message(errno));
    if (S_ISDIR(st.st_mode)) fail(name, "is a directory");
    const bool regular = S_ISREG(st.st_mode);
    if (regular && static_cast<std::uint64_t>(st.st_size) > max_bytes)
        fail(name, "the file is " + std::to_string(st.st_size) + " bytes, " + over_cap(max_bytes));

    InputBytes in;
    std::string raw;
    // A regular file is read into a buffer of its size; pipes and devices (which report no
    // size) grow theirs, never past the cap.
    // (+1: the read that sees the end needs room too, or the string would grow to twice.)
    if (regular) raw.reserve(static_cast<std::size_t>(st.st_size) + 1);
    Sha256 hash;
    constexpr std::size_t chunk = 1 << 20;
    for (;;) {
        const std::size_t old = raw.size();
        std::size_t want = std::min<std::uint64_t>(chunk, max_bytes + 1 - old);
        if (raw.capacity() > old) want = std::min(want, raw.capacity() - old);
        raw.resize(old + want);
        const ssize_t n = ::read(f.fd, raw.data() + old, want);
        if (n < 0) {
            raw.resize(old);
            if (errno == EINTR) continue;
            fail(name, "read error after " + std::to_string(old) + " bytes: " + std::generic_category().message(errno));
        }
        raw.resize(old + static_cast<std::size_t>(n));
        hash.update(raw.data() + old, static_cast<std::size_t>(n));
        if (n == 0) break;
        if (raw.size() > max_bytes) fail(name, "stopped reading at " + over_cap(max_bytes));
    }
    in.raw_bytes = raw.size();
    in.sha256 = hash.hex();
    in.was_gzip = is_gzip(raw);
    if (in.was_gzip) {
        in.text = gunzip_all(name, raw, max_bytes);
    } else {
        in.text = std::move(raw);
    }
    return in;
}

std::string gunzip_all(const std::string& name, std::string_view in, std::uint64_t max_bytes) {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK) fail(name, "zlib init failed");
    std::unique_ptr<z_stream, InflateEnd> guard(&zs);
    std::string out;
    // The last member's trailer holds its size mod 2^32: exact for one member under the cap.
    if (in.size() >= 18) {
        const auto* t = reinterpret_cast<const unsigned char*>(in.data() + in.size() - 4);
        const std::uint64_t isize = t[0] | (t[1] << 8) | (t[2] << 16) | (std::uint64_t{t[3]} << 24);
        // A trailer can lie: never reserve past deflate's ceiling (~1032:1) or the cap.
        out.reserve(static_cast<std::size_t>(std::min({isize, max_bytes, std::uint64_t{1032} * in.size()})));
    }
    std::size_t member_start = 0;   // byte offset of the current member in `in`
    std::size_t member_out = 0;     // out.size() when the member began
    int members = 1;
    std::string buf(1 << 18, '\0');
    for (;;) {
        const std::size_t consumed = member_start + static_cast<std::size_t>(zs.total_in);
        const std::size_t left = in.size() - consumed;
        zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + consumed));
        zs.avail_in = static_cast<uInt>(std::min<std::size_t>(left, 1u << 30));
        zs.next_out = reinterpret_cast<Bytef*>(buf.data());
        zs.avail_out = static_cast<uInt>(buf.size());
        const int rc = inflate(&zs, Z_NO_FLUSH);
        const std::size_t produced = buf.size() - zs.avail_out;
        if (rc != Z_OK && rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && produced > 0)) {
            const std::size_t at = member_start + static_cast<std::size_t>(zs.total_in);
            if (rc == Z_BUF_ERROR)
                fail(name, "gzip data is truncated at byte " + std::to_string(at) + " (member " + std::to_string(members) +
                               ", " + std::to_string(out.size()) + " bytes decompressed)");
            fail(name, "gzip data is corrupt at byte " + std::to_string(at) + " (member " + std::to_string(members) +
                           "): " + (zs.msg ? zs.msg : "invalid data"));
        }
        if (out.size() + produced > max_bytes) fail(name, "decompressed to " + over_cap(max_bytes));
        out.append(buf.data(), produced);
        const std::uint64_t m_out = out.size() - member_out, m_in = std::max<std::uint64_t>(1, zs.total_in);
        if (m_out > gzip_ratio_check_bytes && m_out > max_gzip_ratio * m_in)
            fail(name, "gzip member " + std::to_string(members) + " expands " + std::to_string(m_out / m_in) +
                           ":1 to more than " + bytes_text(gzip_ratio_check_bytes) + " (over " + std::to_string(max_gzip_ratio) +
                           ":1 is refused as a decompression bomb)");
        if (rc == Z_STREAM_END) {
            const std::size_t next = member_start + static_cast<std::size_t>(zs.total_in);
            const std::string_view rest = in.substr(next);
            if (rest.empty() || rest.find_first_not_of('\0') == std::string_view::npos) return out;
            if (!is_gzip(rest))
                fail(name, std::to_string(rest.size()) + " byte(s) after gzip member " + std::to_string(members) +
                               " (from byte " + std::to_string(next) + ") are not gzip data");
            member_start = next;
            member_out = out.size();
            ++members;
            if (inflateReset(&zs) != Z_OK) fail(name, "zlib reset failed");
            continue;
        }
        if (produced == 0 && zs.avail_in == 0 && member_start + zs.total_in >= in.size())
            fail(name, "gzip data is truncated at byte " + std::to_string(in.size()) + " (member " + std::to_string(members) +
                           ", " + std::to_string(out.size()) + " bytes decompressed)");
    }
}

std::uint64_t parse_byte_size(const std::string& text, const std::string& option) {
    std::uint64_t v = 0;
    std::size_t i = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        if (v > (UINT64_MAX - 9) / 10) throw UsageError("invalid " + option + " '" + text + "': too large");
        v = v * 10 + static_cast<std::uint64_t>(text[i] - '0');
    }
    int shift = 0;
    if (i + 1 == text.size()) {
        switch (text[i] | 0x20) {
            case 'k': shift = 10; break;
            case 'm': shift = 20; break;
            case 'g': shift = 30; break;
            case 't': shift = 40; break;
            default: shift = -1;
        }
        ++i;
    }
    if (i == 0 || i != text.size() || shift < 0 || v == 0)
        throw UsageError("invalid " + option + " '" + text + "': expected a positive byte count such as 2G, 512M or 1000000");
    if (shift > 0 && v > (UINT64_MAX >> shift)) throw UsageError("invalid " + option + " '" + text + "': too large");
    return v << shift;
}

}  // namespace fr::io
