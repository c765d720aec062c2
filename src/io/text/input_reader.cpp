#include "io/text/input_reader.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>

#include "core/error.hpp"
#include "core/setting_text.hpp"

namespace fr::io {

namespace {

std::string bytes_text(std::uint64_t n) {
    if (n >= (std::uint64_t{1} << 30) && n % (std::uint64_t{1} << 30) == 0) return std::to_string(n >> 30) + " GiB";
    if (n >= (std::uint64_t{1} << 20) && n % (std::uint64_t{1} << 20) == 0) return std::to_string(n >> 20) + " MiB";
    return std::to_string(n) + " bytes";
}

[[noreturn]] void fail(const std::string& name, const std::string& what) { throw IoError(name + ": " + what); }

std::string over_cap(std::uint64_t max_bytes) {
    return "more than " + bytes_text(max_bytes) + " (the " + setting_text("max_input_bytes") + " cap; raise it to read larger inputs)";
}

struct MdDeleter {
    void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};

std::string hex_of(const unsigned char* d, unsigned int len) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
        out += digits[d[i] >> 4];
        out += digits[d[i] & 0xF];
    }
    return out;
}

std::string digest_hex(std::string_view data, const EVP_MD* type, const char* name) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), md, &len, type, nullptr) != 1) throw IoError(std::string("cannot compute ") + name);
    return hex_of(md, len);
}

class Sha256 {
public:
    Sha256() : m_ctx(EVP_MD_CTX_new()) {
        if (!m_ctx || EVP_DigestInit_ex(m_ctx.get(), EVP_sha256(), nullptr) != 1) throw IoError("cannot start SHA-256");
    }
    void update(const void* p, std::size_t n) {
        if (n > 0 && EVP_DigestUpdate(m_ctx.get(), p, n) != 1) throw IoError("SHA-256 failed");
    }
    std::string hex() {
        unsigned char d[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        if (EVP_DigestFinal_ex(m_ctx.get(), d, &len) != 1) throw IoError("SHA-256 failed");
        return hex_of(d, len);
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

struct GzipInflater::State {
    std::string name;
    std::uint64_t max = 0;
    z_stream zs{};
    enum class Mode { member, between, tail } mode = Mode::member;
    std::uint64_t fed = 0;           ///< raw bytes fed before the current feed() call
    std::uint64_t member_start = 0;  ///< raw offset of the current member
    std::uint64_t member_out = 0;    ///< output bytes when the member began
    int members = 1;
    std::string gap;  ///< the first bytes after a member (is another one starting?)
    std::uint64_t tail_from = 0, tail_count = 0;
    bool tail_nonzero = false;
    std::string buf = std::string(std::size_t{1} << 18, '\0');
};

GzipInflater::GzipInflater(std::string name, std::uint64_t max_bytes) : m_s(std::make_unique<State>()) {
    m_s->name = std::move(name);
    m_s->max = max_bytes;
    if (inflateInit2(&m_s->zs, 15 + 16) != Z_OK) fail(m_s->name, "zlib init failed");
}

GzipInflater::~GzipInflater() { inflateEnd(&m_s->zs); }

void GzipInflater::feed(std::string_view raw, const Sink& sink) {
    State& s = *m_s;
    using Mode = State::Mode;
    std::size_t i = 0;
    // Inflates raw[i, i + n) of the current member; returns the bytes consumed (all of them
    // unless the member ended inside).
    auto inflate_piece = [&](const char* p, std::size_t n) -> std::size_t {
        z_stream& zs = s.zs;
        zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(p));
        zs.avail_in = static_cast<uInt>(n);
        for (;;) {
            zs.next_out = reinterpret_cast<Bytef*>(s.buf.data());
            zs.avail_out = static_cast<uInt>(s.buf.size());
            const int rc = inflate(&zs, Z_NO_FLUSH);
            const std::size_t produced = s.buf.size() - zs.avail_out;
            if (rc != Z_OK && rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && produced > 0)) {
                if (rc == Z_BUF_ERROR && zs.avail_in == 0) return n;  // wants the next piece
                const std::uint64_t at = s.member_start + zs.total_in;
                if (rc == Z_BUF_ERROR)
                    fail(s.name, "gzip data is truncated at byte " + std::to_string(at) + " (member " + std::to_string(s.members) + ", " +
                                     std::to_string(m_out) + " bytes decompressed)");
                fail(s.name, "gzip data is corrupt at byte " + std::to_string(at) + " (member " + std::to_string(s.members) +
                                 "): " + (zs.msg ? zs.msg : "invalid data"));
            }
            if (m_out + produced > s.max) fail(s.name, "decompressed to " + over_cap(s.max));
            if (produced > 0) sink(s.buf.data(), produced);
            m_out += produced;
            const std::uint64_t m_out_member = m_out - s.member_out, m_in = std::max<std::uint64_t>(1, zs.total_in);
            if (m_out_member > gzip_ratio_check_bytes && m_out_member > max_gzip_ratio * m_in)
                fail(s.name, "gzip member " + std::to_string(s.members) + " expands " + std::to_string(m_out_member / m_in) +
                                 ":1 to more than " + bytes_text(gzip_ratio_check_bytes) + " (over " + std::to_string(max_gzip_ratio) +
                                 ":1 is refused as a decompression bomb)");
            if (rc == Z_STREAM_END) {
                s.mode = Mode::between;
                return n - zs.avail_in;
            }
            if (zs.avail_in == 0 && zs.avail_out != 0) return n;
        }
    };
    while (i < raw.size()) {
        if (s.mode == Mode::tail) {
            s.tail_count += raw.size() - i;
            for (; i < raw.size(); ++i) s.tail_nonzero = s.tail_nonzero || raw[i] != '\0';
            break;
        }
        if (s.mode == Mode::between) {
            while (s.gap.size() < 2 && i < raw.size()) s.gap += raw[i++];
            if (s.gap.size() < 2) break;
            const std::uint64_t gap_at = s.fed + i - 2;
            if (is_gzip(s.gap)) {
                s.member_start = gap_at;
                s.member_out = m_out;
                ++s.members;
                if (inflateReset(&s.zs) != Z_OK) fail(s.name, "zlib reset failed");
                s.mode = Mode::member;
                const std::string gap = std::move(s.gap);
                s.gap.clear();
                inflate_piece(gap.data(), gap.size());  // a member is longer than its magic bytes
            } else {
                s.mode = Mode::tail;
                s.tail_from = gap_at;
                s.tail_nonzero = s.gap[0] != '\0' || s.gap[1] != '\0';
                s.tail_count = 2;
                s.gap.clear();
            }
            continue;
        }
        const std::size_t n = std::min<std::size_t>(raw.size() - i, std::size_t{1} << 30);
        i += inflate_piece(raw.data() + i, n);
    }
    s.fed += raw.size();
}

void GzipInflater::finish() {
    State& s = *m_s;
    using Mode = State::Mode;
    if (s.mode == Mode::member)
        fail(s.name, "gzip data is truncated at byte " + std::to_string(s.member_start + s.zs.total_in) + " (member " +
                         std::to_string(s.members) + ", " + std::to_string(m_out) + " bytes decompressed)");
    std::uint64_t junk = 0, from = 0;
    if (s.mode == Mode::between && !s.gap.empty() && s.gap.find_first_not_of('\0') != std::string::npos) {
        junk = s.gap.size();
        from = s.fed - s.gap.size();
    } else if (s.mode == Mode::tail && s.tail_nonzero) {
        junk = s.tail_count;
        from = s.tail_from;
    }
    if (junk > 0)
        fail(s.name, std::to_string(junk) + " byte(s) after gzip member " + std::to_string(s.members) + " (from byte " +
                         std::to_string(from) + ") are not gzip data");
}

std::string gunzip_all(const std::string& name, std::string_view in, std::uint64_t max_bytes) {
    std::string out;
    // The last member's trailer holds its size mod 2^32: exact for one member under the cap.
    if (in.size() >= 18) {
        const auto* t = reinterpret_cast<const unsigned char*>(in.data() + in.size() - 4);
        const std::uint64_t isize = t[0] | (t[1] << 8) | (t[2] << 16) | (std::uint64_t{t[3]} << 24);
        // A trailer can lie: never reserve past deflate's ceiling (~1032:1) or the cap.
        out.reserve(static_cast<std::size_t>(std::min({isize, max_bytes, std::uint64_t{1032} * in.size()})));
    }
    GzipInflater g(name, max_bytes);
    g.feed(in, [&out](const char* p, std::size_t n) { out.append(p, n); });
    g.finish();
    return out;
}

struct InputStream::Impl {
    Fd f;
    Sha256 hash;
    std::unique_ptr<GzipInflater> gz;
    std::string raw;
    std::string hex;
};

InputStream::InputStream(const std::filesystem::path& path, std::uint64_t max_bytes)
    : m_i(std::make_unique<Impl>()), m_name(path == "-" ? std::string("stdin") : path.string()), m_max(max_bytes) {
    Fd& f = m_i->f;
    if (path == "-") {
        f.fd = STDIN_FILENO;
    } else {
        f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        f.owned = true;
        if (f.fd < 0) fail(m_name, "cannot open for reading: " + std::generic_category().message(errno));
    }
    struct stat st {};
    if (::fstat(f.fd, &st) != 0) fail(m_name, "cannot read: " + std::generic_category().message(errno));
    if (S_ISDIR(st.st_mode)) fail(m_name, "is a directory");
    if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > max_bytes)
        fail(m_name, "the file is " + std::to_string(st.st_size) + " bytes, " + over_cap(max_bytes));
    if (S_ISREG(st.st_mode)) m_file_size = static_cast<std::uint64_t>(st.st_size);
}

InputStream::~InputStream() = default;

std::uint64_t InputStream::size_hint() const {
    if (!m_gzip) return m_file_size;
    unsigned char t[4];
    if (m_file_size < 18 || ::pread(m_i->f.fd, t, 4, static_cast<off_t>(m_file_size - 4)) != 4) return 0;
    const std::uint64_t isize = t[0] | (t[1] << 8) | (t[2] << 16) | (std::uint64_t{t[3]} << 24);
    return std::min({isize, m_max, std::uint64_t{1032} * m_file_size});
}

std::string InputStream::sha256() {
    if (m_i->hex.empty()) m_i->hex = m_i->hash.hex();
    return m_i->hex;
}

bool InputStream::fill() {
    // Compressed input is fed 64 KiB at a time, so one piece decompresses to at most ~66 MB
    // (deflate's ceiling) and text to well under a MiB; plain text is read 1 MiB at a time.
    const std::size_t piece = (!m_started || m_gzip) ? std::size_t{64} << 10 : std::size_t{1} << 20;
    std::string& raw = m_i->raw;
    raw.clear();
    for (;;) {
        const std::size_t old = raw.size();
        const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(piece - old, m_max + 1 - m_raw));
        raw.resize(old + want);
        const ssize_t n = ::read(m_i->f.fd, raw.data() + old, want);
        if (n < 0) {
            raw.resize(old);
            if (errno == EINTR) continue;
            fail(m_name, "read error after " + std::to_string(m_raw) + " bytes: " + std::generic_category().message(errno));
        }
        raw.resize(old + static_cast<std::size_t>(n));
        m_i->hash.update(raw.data() + old, static_cast<std::size_t>(n));
        m_raw += static_cast<std::uint64_t>(n);
        if (m_raw > m_max) fail(m_name, "stopped reading at " + over_cap(m_max));
        // The first two bytes say whether this is gzip: read until we have them.
        if (n == 0 || m_started || raw.size() >= 2) break;
    }
    if (raw.empty()) return false;
    if (!m_started) {
        m_started = true;
        m_gzip = is_gzip(raw);
        if (m_gzip) m_i->gz = std::make_unique<GzipInflater>(m_name, m_max);
    }
    if (m_gzip) {
        m_i->gz->feed(raw, [this](const char* p, std::size_t n) { m_pending.append(p, n); });
    } else {
        m_pending.swap(raw);
    }
    return true;
}

std::size_t InputStream::read(char* out, std::size_t n) {
    while (m_pending_at == m_pending.size()) {
        m_pending.clear();
        m_pending_at = 0;
        if (m_eof) return 0;
        if (!fill()) {
            m_eof = true;
            if (m_gzip) m_i->gz->finish();
            return 0;
        }
    }
    const std::size_t k = std::min(n, m_pending.size() - m_pending_at);
    std::memcpy(out, m_pending.data() + m_pending_at, k);
    m_pending_at += k;
    return k;
}

std::string over_input_cap(std::uint64_t max_bytes) { return over_cap(max_bytes); }

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

std::string sha256_hex(std::string_view data) { return digest_hex(data, EVP_sha256(), "SHA-256"); }
std::string md5_hex(std::string_view data) { return digest_hex(data, EVP_md5(), "MD5"); }

}  // namespace fr::io
