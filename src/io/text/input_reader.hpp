#pragma once
// Reading an input file once, within bounds: the raw bytes are hashed (SHA-256, for
// provenance) as they are read, gzip is decompressed (every member of a multi-member file),
// and no file, pipe or device can make us hold more than a cap of bytes.
//
// Caps (docs/outputs-and-limits.md):
// - per file, and per decompressed file: `max_bytes` (default 2 GiB, --max-input-bytes);
//   regular files over it are refused before reading; pipes, devices (/dev/zero) and
//   decompression stop reading at the cap with an error;
// - a gzip member that decompresses to more than 64 MiB at a ratio over 200:1 is refused as a
//   decompression bomb (text track files compress 5-20:1; deflate's limit is about 1032:1).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace fr::io {

inline constexpr std::uint64_t default_max_input_bytes = std::uint64_t{2} << 30;
/// Members decompressing to more than this are checked against max_gzip_ratio.
inline constexpr std::uint64_t gzip_ratio_check_bytes = std::uint64_t{64} << 20;
inline constexpr std::uint64_t max_gzip_ratio = 200;

struct InputBytes {
    std::string text;  ///< content, decompressed when the file was gzip
    bool was_gzip = false;
    std::string sha256;  ///< lowercase hex SHA-256 of the bytes as read (before decompression)
    std::uint64_t raw_bytes = 0;
};

/// Reads `path` ("-": standard input) once. Throws fr::IoError naming the file: cannot open,
/// read error, over the cap, corrupt or truncated gzip, decompression bomb.
InputBytes read_input(const std::filesystem::path& path, std::uint64_t max_bytes = default_max_input_bytes);

/// Decompresses every gzip member of `in` (concatenated members are one stream, as gzip(1)
/// reads them; trailing zero bytes are ignored, other trailing bytes are an error). `name` is
/// used in messages. Throws fr::IoError.
std::string gunzip_all(const std::string& name, std::string_view in, std::uint64_t max_bytes = default_max_input_bytes);

/// Streaming gzip decompression of every member (the one inflater behind gunzip_all and
/// InputStream): raw bytes are fed in pieces, decompressed bytes go to `sink`. Errors (corrupt,
/// truncated, trailing junk, over the cap, decompression bomb) name `name` and byte offsets of
/// the raw input, the same for one piece or many.
class GzipInflater {
public:
    using Sink = std::function<void(const char*, std::size_t)>;
    GzipInflater(std::string name, std::uint64_t max_bytes);
    ~GzipInflater();
    GzipInflater(const GzipInflater&) = delete;
    GzipInflater& operator=(const GzipInflater&) = delete;
    /// Decompresses the next raw bytes. Output for one call is bounded by deflate's ratio
    /// (~1032:1): callers feed small pieces when they must bound it.
    void feed(std::string_view raw, const Sink& sink);
    /// At the end of the raw input: throws when the last member is incomplete or junk follows.
    void finish();
    std::uint64_t out_bytes() const noexcept { return m_out; }

private:
    struct State;
    std::unique_ptr<State> m_s;
    std::uint64_t m_out = 0;
};

/// Reads an input once, in pieces: the same caps, hash and gzip handling as read_input, but
/// only a bounded window of the content is held (streamed loaders).
class InputStream {
public:
    /// Opens `path` ("-": standard input). Throws fr::IoError as read_input does.
    InputStream(const std::filesystem::path& path, std::uint64_t max_bytes = default_max_input_bytes);
    ~InputStream();
    InputStream(const InputStream&) = delete;
    InputStream& operator=(const InputStream&) = delete;
    /// Copies up to `n` bytes of content (decompressed) to `out`; 0 only at the end of the input.
    /// Throws fr::IoError (read error, over the cap, corrupt gzip).
    std::size_t read(char* out, std::size_t n);
    /// Valid once read() has returned 0.
    bool was_gzip() const noexcept { return m_gzip; }
    std::string sha256();
    std::uint64_t raw_bytes() const noexcept { return m_raw; }
    const std::string& name() const noexcept { return m_name; }
    /// The content's size when it can be known cheaply (a regular file; for gzip, the last
    /// member's trailer, bounded as gunzip_all bounds it), else 0. Valid after the first read().
    std::uint64_t size_hint() const;

private:
    bool fill();  ///< reads the next raw piece into m_pending; false at the end of the file
    struct Impl;
    std::unique_ptr<Impl> m_i;
    std::string m_name;
    std::uint64_t m_max = 0;
    std::uint64_t m_raw = 0;
    std::uint64_t m_file_size = 0;  ///< regular files: st_size, else 0
    bool m_gzip = false;
    bool m_started = false;
    bool m_eof = false;
    std::string m_pending;  ///< content ready for read()
    std::size_t m_pending_at = 0;
};

/// "more than 2 GiB (the <max_input_bytes> cap; raise it to read larger inputs)", the setting
/// worded by setting_text: how every message about the cap words it (files, pipes,
/// decompressed data, archive members).
std::string over_input_cap(std::uint64_t max_bytes);

/// Parses a byte count: digits with an optional K, M, G or T suffix (powers of 1024), e.g.
/// "512M", "2G", "1000000". Throws fr::UsageError naming `option`.
std::uint64_t parse_byte_size(const std::string& text, const std::string& option);

/// Lowercase hex digests of `data` (provenance, cache keys, index checksums).
std::string sha256_hex(std::string_view data);
std::string md5_hex(std::string_view data);  ///< GDAL's tile-cache names; not for security

}  // namespace fr::io
