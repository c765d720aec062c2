#pragma once
// PNG stills through libpng directly: a chosen zlib level (Cairo's own writer has none and was
// about 5x slower per frame in png_sequence_bench, bench/README.md), tEXt provenance chunks, deterministic bytes (no tIME
// chunk, nothing from the clock), written through an AtomicFile (export/atomic_file.hpp), so a
// failed write never leaves a partial PNG and never touches an existing one.
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace fr::output {

/// Writes width x height pixels of Cairo ARGB32 (premultiplied, native-endian 32-bit words,
/// `stride` bytes per row) as an 8-bit PNG: RGB when every pixel is opaque, else RGBA with the
/// premultiplication undone (rounded to nearest; fully transparent pixels become 0,0,0,0).
/// `text_chunks`: (keyword, text) pairs; keywords 1-79 printable Latin-1 characters without
/// leading, trailing or double spaces (PNG spec 11.3.4.3). Text that is plain ASCII goes into a
/// tEXt chunk, any other text (taken as UTF-8) into an uncompressed iTXt chunk.
/// `compression_level`: zlib level 0 (none, fastest) to 9 (smallest).
/// `dpi`: when > 0, a pHYs chunk records that many pixels per inch (stored as pixels per metre,
/// rounded to nearest), so print and layout programs place the image at its intended size.
/// Throws fr::IoError naming `path` on invalid arguments or any libpng or file-system failure.
void write_png(const std::filesystem::path& path, const std::uint8_t* argb32, int width, int height, int stride,
               const std::vector<std::pair<std::string, std::string>>& text_chunks, int compression_level = 6, double dpi = 0);

/// Pixels per metre for a pHYs chunk at `dpi` pixels per inch (1 in = 0.0254 m exactly).
unsigned pixels_per_metre(double dpi);

}  // namespace fr::output
