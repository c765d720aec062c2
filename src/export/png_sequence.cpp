#include "export/png_sequence.hpp"

#include <algorithm>
#include <cstdio>
#include <thread>

#include "core/error.hpp"
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
        if (output.extension() != ".png")
            throw UsageError("PNG sequence pattern '" + s + "' must end in .png");
        return s;
    }
    std::error_code ec;
    if (!s.empty() && (s.back() == '/' || std::filesystem::is_directory(output, ec)))
        return (output / "%05d.png").string();
    return std::nullopt;
}

std::filesystem::path png_sequence_path(const std::string& pattern, long long index) {
    std::string fmt = pattern;
    fmt.insert(fmt.find('d', fmt.find('%')), "ll");
    std::vector<char> buf(pattern.size() + 32);
    std::snprintf(buf.data(), buf.size(), fmt.c_str(), index);
    return buf.data();
}

namespace {
int default_workers() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }
}  // namespace

PngSequenceWriter::PngSequenceWriter(std::string pattern, int width, int height, int compression_level,
                                     std::vector<std::pair<std::string, std::string>> text_chunks, int workers, int slots)
    : m_pattern(std::move(pattern)), m_width(width), m_height(height), m_level(compression_level),
      m_tags(std::move(text_chunks)),
      m_pipeline(width, height, slots > 0 ? slots : (workers > 0 ? workers : default_workers()) + 2,
                 workers > 0 ? workers : default_workers(),
                 [this](const std::uint8_t* argb, int stride, long long index) {
                     write_png(png_sequence_path(m_pattern, index), argb, m_width, m_height, stride, m_tags, m_level);
                 }) {
    if (compression_level < 0 || compression_level > 9)
        throw UsageError("--png-level must be 0..9, not " + std::to_string(compression_level));
    const auto dir = png_sequence_path(m_pattern, 0).parent_path();
    std::error_code ec;
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (ec) throw IoError("cannot create '" + dir.string() + "': " + ec.message());
}

}  // namespace fr::output
