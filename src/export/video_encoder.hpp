#pragma once
// Video export through FFmpeg's libraries (libavformat/libavcodec/libswscale), linked, not a
// shelled-out ffmpeg. Frames arrive as Cairo ARGB32 (premultiplied, native-endian: B,G,R,A
// bytes on little-endian machines); the encoder converts them to the codec's pixel format.
// Output goes to a temporary file beside the target and is renamed on finish(); a destroyed
// unfinished encoder removes its temporary file, so no half-written video is ever left.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace fr::output {

struct VideoOptions {
    int width = 1920;            ///< pixels, even
    int height = 1080;           ///< pixels, even
    int fps = 30;                ///< frames per second (integer rates only)
    std::string codec;           ///< empty: chosen from the extension (.mp4 -> libx264, .webm -> libvpx-vp9)
    int crf = 23;                ///< x264/VP9 constant rate factor
    std::string preset = "veryfast";  ///< x264 preset
    int threads = 0;             ///< encoder threads; 0 = automatic; pin (e.g. 1) for byte-identical output
    std::map<std::string, std::string> metadata;  ///< container tags (title, comment, ...)
};

class VideoEncoder {
public:
    /// Opens the encoder and a temporary output file. Throws fr::EncodeError with the FFmpeg
    /// error text on failure.
    VideoEncoder(std::filesystem::path path, VideoOptions options);
    ~VideoEncoder();
    VideoEncoder(const VideoEncoder&) = delete;
    VideoEncoder& operator=(const VideoEncoder&) = delete;

    /// Encodes one frame of width x height ARGB32 pixels; `stride` in bytes.
    void add_frame_argb32(const std::uint8_t* pixels, int stride);
    /// Flushes, writes the trailer, closes and renames the temporary file to the target path.
    void finish();
    long long frames_written() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// What a video file contains, read back with libavformat/libavcodec (used by tests).
struct VideoProbe {
    std::string codec;        ///< e.g. "h264"
    std::string pixel_format; ///< e.g. "yuv420p"
    int width = 0, height = 0;
    long long frames = 0;     ///< counted by demuxing every packet
    double duration_s = 0;
    double fps = 0;
    std::map<std::string, std::string> metadata;
};
/// Throws fr::EncodeError when the file cannot be opened or has no video stream.
VideoProbe probe_video(const std::filesystem::path& path);

}  // namespace fr::output
