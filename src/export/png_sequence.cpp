#include "export/png_sequence.hpp"

#include <algorithm>
#include <cstdio>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "core/setting_error.hpp"
#include "export/png_writer.hpp"

namespace fr::output {

std::optional<std::string> png_sequence_pattern(const std::filesystem::path& output) {
    const std::string s = output.string();
    if (s.find('%') != std::string::npos) {
        // Exactly one field: % [0] [width] d
        const auto p = s.find('%');
        std::size_t i = p + 1;
        if (i < s.size() && s[i] == '0') ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        if (i >= s.size() || s[i] != 'd' || s.find('%', i) != std::string::npos || i - p > 4)
            throw UsageError("invalid PNG sequence pattern '" + s + "': use one %d or %0Nd field, e.g. frames/%05d.png");
        if (output.extension() != ".png") throw UsageError("PNG sequence pattern '" + s + "' must end in .png");
        // Every frame must get its own name ending in .png: frames 0 and 1 differ, and the
        // longest name fits a file name (255 bytes).
        const auto first = png_sequence_path(s, 0), second = png_sequence_path(s, 1);
        const auto last = png_sequence_path(s, 999'999'999'999LL);
        if (first == second || first.extension() != ".png" || last.extension() != ".png")
            throw UsageError("PNG sequence pattern '" + s + "' does not give each frame its own .png name");
        if (first.filename().string().size() > 255 || last.filename().string().size() > 255)
            throw UsageError("PNG sequence pattern '" + s + "' gives file names longer than 255 bytes");
        return s;
    }
    // A folder: named with a trailing slash, or an existing directory without an extension
    // (an existing directory `x.png` is an error elsewhere, not a sequence folder).
    std::error_code ec;
    if (!s.empty() && (s.back() == '/' || (std::filesystem::is_directory(output, ec) && !output.has_extension())))
        return (output / "%05d.png").string();
    return std::nullopt;
}

std::filesystem::path png_sequence_path(const std::string& pattern, long long index) {
    std::string fmt = pattern;
    fmt.insert(fmt.find('d', fmt.find('%')), "ll");
    // Sized by a first call: a wide field (%099d) must not be cut to the buffer (every frame
    // would then get the same name).
    const int n = std::snprintf(nullptr, 0, fmt.c_str(), index);
    if (n < 0) throw UsageError("invalid PNG sequence pattern '" + pattern + "'");
    std::vector<char> buf(static_cast<std::size_t>(n) + 1);
    std::snprintf(buf.data(), buf.size(), fmt.c_str(), index);
    return std::string(buf.data(), static_cast<std::size_t>(n));
}

namespace {
int default_workers() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }
}  // namespace

PngSequenceWriter::PngSequenceWriter(std::string pattern, int width, int height, int compression_level,
                                     std::vector<std::pair<std::string, std::string>> text_chunks, int workers, int slots)
    : m_pattern(std::move(pattern)), m_width(width), m_height(height), m_level(compression_level), m_tags(std::move(text_chunks)),
      m_pipeline(width, height, slots > 0 ? slots : (workers > 0 ? workers : default_workers()) + 2,
                 workers > 0 ? workers : default_workers(), [this](const std::uint8_t* argb, int stride, long long index) {
                     write_png(png_sequence_path(m_pattern, index), argb, m_width, m_height, stride, m_tags, m_level);
                 }) {
    if (compression_level < 0 || compression_level > 9)
        throw SettingError("png_level", "the PNG compression level must be 0..9, not " + std::to_string(compression_level));
    const auto dir = png_sequence_path(m_pattern, 0).parent_path();
    std::error_code ec;
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (ec) throw IoError("cannot create '" + dir.string() + "': " + ec.message());
}

}  // namespace fr::output
