#pragma once
// Our own walk over tar headers (ustar, pax and GNU), for the archive index: where each
// member's data lie, so that a member can later be read with pread without libarchive and
// without reading what comes before it. An archive may be split into parts (`split` output,
// NAME.tar.aa, .ab, ...) that together form one byte stream; a member may span parts.
//
// Header rules (POSIX.1-2008 pax, GNU tar's manual "Basic Tar Format"):
// - 512-byte blocks; a header's checksum is the sum of its bytes with the checksum field read
//   as spaces; the archive ends at a zero block (tar writes two; one is accepted).
// - name: ustar `prefix` (byte 345, 155 bytes) + '/' + `name` (byte 0, 100 bytes) when the
//   magic is "ustar"; a GNU 'L' member before the header holds a longer name; a pax 'x'
//   member holds `path` and `size` records that override the header's fields. So a member's
//   data start later than its own header + 512 whenever such members precede it.
// - size: octal, or base-256 (first byte's high bit set, GNU) for sizes of 8 GiB and more.
// - type '0' or NUL (and '7', contiguous) is a regular file; 'g' (pax global) and the
//   others are skipped.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace fr::io {

/// The parts of one archive read as one stream, through pread. Move-only; owns descriptors.
class PartSet {
public:
    /// Opens every part (in the order given). Throws fr::IoError naming the part that fails.
    explicit PartSet(std::vector<std::filesystem::path> parts);
    ~PartSet();
    PartSet(PartSet&& o) noexcept;
    PartSet& operator=(PartSet&&) = delete;
    PartSet(const PartSet&) = delete;
    PartSet& operator=(const PartSet&) = delete;

    struct Part {
        std::filesystem::path path;
        std::uint64_t size = 0;     ///< bytes
        std::int64_t mtime_ns = 0;  ///< modification time, ns since the epoch
        std::uint64_t start = 0;    ///< offset of its first byte in the joined stream
        int fd = -1;
    };
    const std::vector<Part>& parts() const noexcept { return m_parts; }
    std::uint64_t size() const noexcept { return m_size; }  ///< bytes of all parts together

    /// Reads `n` bytes at stream offset `offset` into `out` (across parts as needed). Throws
    /// fr::IoError when the stream ends first or a read fails.
    void read(std::uint64_t offset, std::size_t n, char* out) const;
    /// Part index and offset within it of stream offset `offset`.
    std::pair<std::size_t, std::uint64_t> locate(std::uint64_t offset) const;

private:
    std::vector<Part> m_parts;
    std::uint64_t m_size = 0;
};

/// One regular member as the header walk found it.
struct TarMember {
    std::string name;             ///< full path inside the archive (pax `path` or GNU long name applied)
    std::uint64_t header_offset;  ///< stream offset of its first header block (a pax or 'L' header when present)
    std::uint64_t data_offset;    ///< stream offset of its first data byte
    std::uint64_t size;           ///< data bytes
};

/// Walks every header of `parts` and returns the regular members in archive order. Throws
/// fr::IoError naming the archive and the byte offset of a bad header (checksum, size field,
/// truncated stream). `shown` names the archive in messages.
std::vector<TarMember> walk_tar(const PartSet& parts, const std::string& shown);

}  // namespace fr::io
