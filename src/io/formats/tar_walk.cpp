#include "io/formats/tar_walk.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "core/error.hpp"

namespace fr::io {

namespace fs = std::filesystem;

PartSet::PartSet(std::vector<fs::path> parts) {
    for (auto& p : parts) {
        Part part;
        part.path = std::move(p);
        part.fd = ::open(part.path.c_str(), O_RDONLY | O_CLOEXEC);
        if (part.fd < 0) {
            const int err = errno;
            for (auto& q : m_parts) ::close(q.fd);
            throw IoError(part.path.string() + ": cannot open: " + std::strerror(err));
        }
        struct stat st {};
        if (::fstat(part.fd, &st) != 0) {
            const int err = errno;
            ::close(part.fd);
            for (auto& q : m_parts) ::close(q.fd);
            throw IoError(part.path.string() + ": cannot examine: " + std::strerror(err));
        }
        part.size = static_cast<std::uint64_t>(st.st_size);
        part.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
        part.start = m_size;
        m_size += part.size;
        m_parts.push_back(std::move(part));
    }
}

PartSet::~PartSet() {
    for (auto& p : m_parts)
        if (p.fd >= 0) ::close(p.fd);
}

PartSet::PartSet(PartSet&& o) noexcept : m_parts(std::move(o.m_parts)), m_size(o.m_size) {
    o.m_parts.clear();
    o.m_size = 0;
}

std::pair<std::size_t, std::uint64_t> PartSet::locate(std::uint64_t offset) const {
    auto it = std::upper_bound(m_parts.begin(), m_parts.end(), offset, [](std::uint64_t o, const Part& p) { return o < p.start; });
    if (it == m_parts.begin()) return {0, offset};
    const auto i = static_cast<std::size_t>(it - m_parts.begin()) - 1;
    return {i, offset - m_parts[i].start};
}

void PartSet::read(std::uint64_t offset, std::size_t n, char* out) const {
    if (offset > m_size || n > m_size - offset)
        throw IoError((m_parts.empty() ? std::string("archive") : m_parts.front().path.string()) + ": byte " + std::to_string(offset) +
                      ": the archive ends before " + std::to_string(n) + " more byte(s) (truncated)");
    auto [i, local] = locate(offset);
    while (n > 0) {
        const Part& p = m_parts[i];
        const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(n, p.size - local));
        std::size_t done = 0;
        while (done < take) {
            const ssize_t r = ::pread(p.fd, out + done, take - done, static_cast<off_t>(local + done));
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0)
                throw IoError(p.path.string() + ": byte " + std::to_string(local + done) + ": " +
                              (r < 0 ? std::strerror(errno) : "file shrank while being read"));
            done += static_cast<std::size_t>(r);
        }
        out += take;
        n -= take;
        ++i;
        local = 0;
    }
}

namespace {

constexpr std::uint64_t block = 512;

std::uint64_t round_up(std::uint64_t n) { return (n + block - 1) / block * block; }

/// An octal or base-256 numeric header field; nullopt when malformed.
std::optional<std::uint64_t> numeric(const unsigned char* f, std::size_t len) {
    if (f[0] & 0x80) {                         // GNU base-256: big-endian, the first byte's high bit is the marker
        if (f[0] & 0x40) return std::nullopt;  // negative
        std::uint64_t v = f[0] & 0x3f;
        for (std::size_t i = 1; i < len; ++i) {
            if (v >> 56) return std::nullopt;
            v = (v << 8) | f[i];
        }
        return v;
    }
    std::size_t i = 0;
    while (i < len && (f[i] == ' ' || f[i] == 0)) ++i;
    std::uint64_t v = 0;
    bool any = false;
    for (; i < len && f[i] >= '0' && f[i] <= '7'; ++i) {
        if (v >> 60) return std::nullopt;
        v = v * 8 + (f[i] - '0');
        any = true;
    }
    for (; i < len; ++i)
        if (f[i] != ' ' && f[i] != 0) return std::nullopt;
    if (!any) return std::uint64_t{0};
    return v;
}

std::string cstr(const unsigned char* f, std::size_t len) {
    const auto* end = static_cast<const unsigned char*>(std::memchr(f, 0, len));
    return std::string(reinterpret_cast<const char*>(f), end ? static_cast<std::size_t>(end - f) : len);
}

}  // namespace

std::vector<TarMember> walk_tar(const PartSet& parts, const std::string& shown) {
    std::vector<TarMember> out;
    const std::uint64_t total = parts.size();
    std::uint64_t pos = 0;
    std::optional<std::string> long_name;  // from a GNU 'L' member or a pax `path`
    std::uint64_t pax_size = 0;            // from a pax `size`, when has_pax_size
    bool has_pax_size = false;
    std::uint64_t first_header = 0;  // when has_first_header
    bool has_first_header = false;
    unsigned char h[block];
    auto fail = [&](std::uint64_t at, const std::string& what) { throw IoError(shown + ": byte " + std::to_string(at) + ": " + what); };
    auto read_data = [&](std::uint64_t at, std::uint64_t n) {
        if (n > (std::uint64_t{64} << 20)) fail(at, "tar extension header of " + std::to_string(n) + " bytes (refused: over 64 MiB)");
        std::string s(static_cast<std::size_t>(n), '\0');
        parts.read(at, s.size(), s.data());
        return s;
    };
    while (true) {
        if (pos + block > total) {
            if (pos == total) break;  // no end blocks: tolerated, as GNU tar does with a warning
            fail(pos, "truncated tar header");
        }
        parts.read(pos, block, reinterpret_cast<char*>(h));
        if (std::all_of(h, h + block, [](unsigned char c) { return c == 0; })) break;  // end of archive
        const auto stored = numeric(h + 148, 8);
        unsigned long sum = 0;
        for (std::size_t i = 0; i < block; ++i) sum += (i >= 148 && i < 156) ? ' ' : h[i];
        if (!stored || *stored != sum) fail(pos, "bad tar header checksum (not a tar archive, or damaged)");
        auto size = numeric(h + 124, 12);
        if (!size) fail(pos, "bad tar size field");
        const char type = static_cast<char>(h[156]);
        if (!has_first_header) {
            first_header = pos;
            has_first_header = true;
        }
        const std::uint64_t data = pos + block;
        if (type == 'x' || type == 'L') {
            const std::string body = read_data(data, *size);
            if (type == 'L') {
                long_name = cstr(reinterpret_cast<const unsigned char*>(body.data()), body.size());
            } else {
                // Records "LEN key=value\n", LEN counting the whole record in bytes.
                std::size_t i = 0;
                while (i < body.size()) {
                    std::size_t sp = body.find(' ', i);
                    if (sp == std::string::npos) fail(data + i, "bad pax record");
                    std::uint64_t len = 0;
                    for (std::size_t k = i; k < sp; ++k) {
                        if (body[k] < '0' || body[k] > '9') fail(data + i, "bad pax record length");
                        len = len * 10 + static_cast<std::uint64_t>(body[k] - '0');
                    }
                    if (len <= sp - i + 1 || i + len > body.size() || body[i + len - 1] != '\n') fail(data + i, "bad pax record length");
                    const std::string rec = body.substr(sp + 1, i + len - 1 - (sp + 1));
                    const auto eq = rec.find('=');
                    if (eq == std::string::npos) fail(data + i, "pax record without '='");
                    const std::string key = rec.substr(0, eq), value = rec.substr(eq + 1);
                    if (key == "path") long_name = value;
                    if (key == "size") {
                        // pax sizes are decimal, not octal
                        std::uint64_t d = 0;
                        bool ok = !value.empty();
                        for (char c : value) {
                            if (c < '0' || c > '9' || (d >> 59))
                                ok = false;
                            else
                                d = d * 10 + static_cast<std::uint64_t>(c - '0');
                        }
                        if (!ok) fail(data + i, "bad pax size '" + value + "'");
                        pax_size = d;
                        has_pax_size = true;
                    }
                    i += len;
                }
            }
            pos = data + round_up(*size);
            continue;
        }
        if (type == 'g' || type == 'K') {  // pax global header, GNU long link name: not about the data
            if (type == 'g' && has_first_header && first_header == pos) has_first_header = false;
            pos = data + round_up(*size);
            continue;
        }
        if (has_pax_size) size = pax_size;
        if (data + *size > total) fail(pos, "member data run past the end of the archive (truncated)");
        if (type == '0' || type == '\0' || type == '7') {
            std::string name;
            if (long_name) {
                name = *long_name;
            } else {
                name = cstr(h, 100);
                if (std::memcmp(h + 257, "ustar", 5) == 0) {
                    const std::string prefix = cstr(h + 345, 155);
                    if (!prefix.empty()) name = prefix + "/" + name;
                }
            }
            out.push_back(TarMember{std::move(name), first_header, data, *size});
        }
        // Other types ('5' directories, links, 'g' global pax, 'K', sparse...): skipped.
        long_name.reset();
        has_pax_size = false;
        has_first_header = false;
        pos = data + round_up(*size);
    }
    return out;
}

}  // namespace fr::io
