#pragma once
// `flightreplay concat`: joins separately rendered slices (shards, `render --frames A:B`) of one
// video into one file by stream copy through libavformat. No encoder is opened: packets are
// copied as they are, so joining costs disk I/O only and adds no generation loss.
// Every shard starts with a keyframe (each shard is its own encode, and x264 GOPs are closed),
// so the joined stream decodes from any shard boundary.
#include <filesystem>
#include <vector>

namespace fr::output {

struct ConcatResult {
    long long frames = 0;            ///< video packets written
    long long first_pts_frames = 0;  ///< the first frame's index (pts in frames)
};

/// Joins `shards` in order into `output` (.mp4, .webm or .mkv; written to a temporary file and
/// renamed). Shards must share codec, size, codec extradata and frame rate, and follow each other
/// without gap or overlap: a shard of frames A:B carries pts from A, so the next must start at B.
/// Throws fr::EncodeError naming the offending shard otherwise.
ConcatResult concat_videos(const std::vector<std::filesystem::path>& shards, const std::filesystem::path& output);

}  // namespace fr::output
