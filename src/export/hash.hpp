#pragma once
// File hashing for provenance (PNG tEXt chunks, MP4 tags): SHA-256 through OpenSSL's libcrypto.
#include <filesystem>
#include <string>

namespace fr::output {

/// SHA-256 of the file's bytes as 64 lowercase hex digits. Reads in 64 KiB blocks.
/// Throws fr::IoError naming the file when it cannot be opened or read.
std::string sha256_file(const std::filesystem::path& path);

}  // namespace fr::output
