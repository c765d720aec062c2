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
#include <string>
#include <string_view>

namespace fr::io {

inline constexpr std::uint64_t default_max_input_bytes = std::uint64_t{2} << 30;
/// Members decompressing to more than this are checked against max_gzip_ratio.
inline constexpr std::uint64_t gzip_ratio_check_bytes = std::uint64_t{64} << 20;
inline constexpr std::uint64_t max_gzip_ratio = 200;

struct InputBytes {
    std::string text;        ///< content, decompressed when the file was gzip
    bool was_gzip = false;
    std::string sha256;      ///< lowercase hex SHA-256 of the bytes as read (before decompression)
    std::uint64_t raw_bytes = 0;
};

/// Reads `path` ("-": standard input) once. Throws fr::IoError naming the file: cannot open,
/// read error, over the cap, corrupt or truncated gzip, decompression bomb.
InputBytes read_input(const std::filesystem::path& path, std::uint64_t max_bytes = default_max_input_bytes);

/// Decompresses every gzip member of `in` (concatenated members are one stream, as gzip(1)
/// reads them; trailing zero bytes are ignored, other trailing bytes are an error). `name` is
/// used in messages. Throws fr::IoError.
std::string gunzip_all(const std::string& name, std::string_view in, std::uint64_t max_bytes = default_max_input_bytes);

/// Parses a byte count: digits with an optional K, M, G or T suffix (powers of 1024), e.g.
/// "512M", "2G", "1000000". Throws fr::UsageError naming `option`.
std::uint64_t parse_byte_size(const std::string& text, const std::string& option);

}  // namespace fr::io
