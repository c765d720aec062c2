#pragma once
// Numbered PNG sequences: `-o frames/%05d.png` (a printf-style pattern with one integer field)
// or `-o frames/` (a directory: frames/00000.png ...). Frames are numbered by their index in the
// whole video, so shards (--frames A:B) write disjoint files. Each file is written by libpng at a
// chosen zlib level, through a temporary file and a rename (never a partial PNG), by several
// writer threads fed through a bounded FramePipeline.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "export/frame_pipeline.hpp"

namespace fr::output {

/// The pattern for `output` when it names a PNG sequence (contains a '%' field, ends with a
/// '/', or is an existing directory without an extension); nullopt otherwise. Throws
/// fr::UsageError for a pattern with other than exactly one %d / %0Nd field, or one that does
/// not give every frame its own name ending in .png.
std::optional<std::string> png_sequence_pattern(const std::filesystem::path& output);
/// The file of frame `index` under `pattern`.
std::filesystem::path png_sequence_path(const std::string& pattern, long long index);

class PngSequenceWriter {
public:
    /// `workers` 0: one per hardware thread. Creates the directory when missing.
    PngSequenceWriter(std::string pattern, int width, int height, int compression_level,
                      std::vector<std::pair<std::string, std::string>> text_chunks, int workers = 0, int slots = 0);
    FramePipeline& pipeline() noexcept { return m_pipeline; }
    void finish() { m_pipeline.finish(); }

private:
    std::string m_pattern;
    int m_width, m_height, m_level;
    std::vector<std::pair<std::string, std::string>> m_tags;
    FramePipeline m_pipeline;
};

}  // namespace fr::output
