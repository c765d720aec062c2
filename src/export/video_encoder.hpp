#pragma once
// Video export through FFmpeg's libraries (libavformat/libavcodec/libswscale), linked, not a
// shelled-out ffmpeg. Frames arrive as Cairo ARGB32 (premultiplied, native-endian: B,G,R,A
// bytes on little-endian machines); the encoder converts them to the codec's pixel format.
// GIF (.gif) goes through libavfilter's paletteuse with a palette made beforehand by
// GifPaletteBuilder (palettegen over the frames), ordered (Bayer) dithering so static map areas
// stay still from frame to frame.
// Output goes to a temporary file beside the target and is renamed on finish(); a destroyed
// unfinished encoder removes its temporary file, so no half-written video is ever left.
//
// Colour: RGB -> yuv420p with libswscale (bilinear chroma filter, accurate rounding), BT.709
// matrix, limited ("tv", 16-235) range, and the stream is tagged BT.709/tv so players decode it
// the same way. Chroma is subsampled 2x2, so colours at sharp edges bleed by about one pixel.
// Determinism: the muxer and codec always run with the bitexact flags (no "Lavf..." version
// tag, no wall-clock times); with `threads` pinned to a positive number the same frames give
// byte-identical files on the same machine and library versions. Pinned mode also keeps x264
// off its AVX-512 code (whose output was found to depend on heap contents; see
// video_encoder.cpp), so it is a few per cent slower on AVX-512 machines.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace fr::output {

struct Yuv420Image;
struct Yuv420View;

struct VideoOptions {
    int width = 1920;                 ///< pixels, even
    int height = 1080;                ///< pixels, even
    int fps = 30;                     ///< frames per second (integer rates only)
    std::string codec;                ///< empty: chosen from the extension (.mp4 -> libx264, .webm -> libvpx-vp9)
    std::string container;            ///< "mp4", "webm" or "gif" (the caller's output kind); empty: from the extension
    int crf = 23;                     ///< x264/VP9 constant rate factor
    std::string preset = "veryfast";  ///< x264 preset
    int threads = 0;                  ///< encoder threads; 0 = automatic; > 0 pins them: deterministic mode (byte-identical output)
    std::map<std::string, std::string> metadata;  ///< container tags (title, comment, ...)
    long long first_frame_index = 0;              ///< pts of the first frame (a shard of frames A:B starts at A)
    /// Keyframes (closed GOPs) at every multiple of this frame index, counted from frame 0 of the
    /// whole video, not from first_frame_index, and no scene-cut keyframes elsewhere: a shard that
    /// starts on a multiple encodes its GOPs as a single pass does (tests/export). 0: 5 s of video.
    int keyframe_interval = 0;
    std::vector<std::uint32_t> gif_palette;  ///< .gif only: up to 256 ARGB32 colours (GifPaletteBuilder)
};

class VideoEncoder {
public:
    /// Opens the encoder and the output's AtomicFile (export/atomic_file.hpp): the muxer
    /// writes through our descriptor only. Throws fr::EncodeError with the FFmpeg or file-system
    /// error text on failure. Writing a frame or finish() throws fr::IoError when the file
    /// system refuses bytes (e.g. a full disk); an unfinished video leaves nothing behind.
    VideoEncoder(std::filesystem::path path, VideoOptions options);
    ~VideoEncoder();
    VideoEncoder(const VideoEncoder&) = delete;
    VideoEncoder& operator=(const VideoEncoder&) = delete;

    /// Encodes one frame of width x height ARGB32 pixels; `stride` in bytes.
    void add_frame_argb32(const std::uint8_t* pixels, int stride);
    /// Encodes one frame already converted to yuv420p (BT.709 limited range), e.g. by
    /// IncrementalYuvConverter. Not for GIF.
    void add_frame_yuv420p(const Yuv420Image& image);
    /// The next frame's yuv420p planes, to be written in place, then add_next_frame(). They
    /// hold the previous frame's pixels (if the encoder still held that buffer, it is copied
    /// first), so a caller that knows what changed writes only that: no full-frame copy.
    Yuv420View next_frame();
    void add_next_frame();
    /// Flushes, writes the trailer, closes and renames the temporary file to the target path.
    void finish();
    long long frames_written() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// Builds a GIF palette (libavfilter palettegen, 256 colours, statistics over every frame added).
class GifPaletteBuilder {
public:
    GifPaletteBuilder(int width, int height);
    ~GifPaletteBuilder();
    GifPaletteBuilder(const GifPaletteBuilder&) = delete;
    GifPaletteBuilder& operator=(const GifPaletteBuilder&) = delete;
    void add_frame_argb32(const std::uint8_t* pixels, int stride);
    /// The palette as ARGB32 words (at most 256). Throws fr::EncodeError when no frame was added.
    std::vector<std::uint32_t> finish();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// What a video file contains, read back with libavformat/libavcodec (used by tests).
struct VideoProbe {
    std::string codec;         ///< e.g. "h264"
    std::string pixel_format;  ///< e.g. "yuv420p"
    int width = 0, height = 0;
    long long frames = 0;  ///< counted by demuxing every packet
    double duration_s = 0;
    double fps = 0;
    std::map<std::string, std::string> metadata;  ///< container tags, keys lower-cased (Matroska stores "COMMENT")
    std::string color_space;                      ///< e.g. "bt709" (av_color_space_name); empty when unspecified
    std::string color_range;                      ///< "tv" (limited) or "pc" (full); empty when unspecified
};
/// Throws fr::EncodeError when the file cannot be opened or has no video stream.
VideoProbe probe_video(const std::filesystem::path& path);

/// Lowers FFmpeg's process-wide log level to errors only (libx264 otherwise prints its
/// statistics to stderr at the default level). Global state: call once from main() or tests.
void quiet_ffmpeg_logs() noexcept;

}  // namespace fr::output
