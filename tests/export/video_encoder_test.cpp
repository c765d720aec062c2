// End-to-end tests of the video encoder: real files are encoded with libx264/libvpx-vp9 and read
// back with libavformat/libavcodec.
#include "export/video_encoder.hpp"

#include "core/error.hpp"
#include "temp_dir.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <vector>

namespace fr::output {
namespace {

constexpr int kW = 320, kH = 240, kFps = 30, kFrames = 60;

// Synthetic frame layout (opaque ARGB32 words, 0xAARRGGBB):
//   top-left 160x120: flat red; top-right 160x120: flat blue;
//   bottom half: grey horizontal ramp with a white 32x32 square moving 4 px per frame.
constexpr std::uint32_t kRed = 0xFFFF0000u, kBlue = 0xFF0000FFu;
std::vector<std::uint32_t> make_frame(int index) {
    std::vector<std::uint32_t> px(static_cast<std::size_t>(kW) * kH);
    for (int y = 0; y < kH; ++y)
        for (int x = 0; x < kW; ++x) {
            std::uint32_t c;
            if (y < kH / 2) {
                c = x < kW / 2 ? kRed : kBlue;
            } else {
                const auto g = static_cast<std::uint32_t>(x * 255 / (kW - 1));
                c = 0xFF000000u | g << 16 | g << 8 | g;
                const int sx = (4 * index) % (kW - 32), sy = kH / 2 + 40;
                if (x >= sx && x < sx + 32 && y >= sy && y < sy + 32) c = 0xFFFFFFFFu;
            }
            px[static_cast<std::size_t>(y) * kW + x] = c;
        }
    return px;
}

VideoOptions small_options() {
    VideoOptions o;
    o.width = kW;
    o.height = kH;
    o.fps = kFps;
    o.metadata = {{"title", "flightreplay test"}, {"comment", "provenance: synthetic"}};
    return o;
}

void encode_frames(const std::filesystem::path& path, const VideoOptions& o, int frames, int changed_frame = -1) {
    VideoEncoder enc(path, o);
    for (int i = 0; i < frames; ++i) {
        auto px = make_frame(i);
        if (i == changed_frame) px[0] = 0xFF00FF00u;  // one green pixel
        enc.add_frame_argb32(reinterpret_cast<const std::uint8_t*>(px.data()), kW * 4);
    }
    EXPECT_EQ(enc.frames_written(), frames);
    enc.finish();
}

std::vector<char> read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class VideoEncoderTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { quiet_ffmpeg_logs(); }
    fr::test::TempDir dir;
};

void expect_probe(const VideoProbe& p, const char* codec) {
    EXPECT_EQ(p.codec, codec);
    EXPECT_EQ(p.pixel_format, "yuv420p");
    EXPECT_EQ(p.width, kW);
    EXPECT_EQ(p.height, kH);
    EXPECT_EQ(p.frames, kFrames);
    EXPECT_NEAR(p.duration_s, 2.0, 0.05);  // 60 frames at 30 fps; container rounding < 1 frame
    EXPECT_NEAR(p.fps, 30.0, 1e-6);
    EXPECT_EQ(p.color_space, "bt709");
    EXPECT_EQ(p.color_range, "tv");
    auto tag = [&](const char* key) { return p.metadata.count(key) ? p.metadata.at(key) : "(missing)"; };
    EXPECT_EQ(tag("title"), "flightreplay test");
    EXPECT_EQ(tag("comment"), "provenance: synthetic");
}

TEST_F(VideoEncoderTest, Mp4IsH264Yuv420pWithAllFramesAndTags) {
    const auto out = dir / "replay.mp4";
    encode_frames(out, small_options(), kFrames);
    ASSERT_TRUE(std::filesystem::exists(out));
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"replay.mp4"});  // no temp file left
    expect_probe(probe_video(out), "h264");
    // Readable like any other new file (a mkstemp-style 0600 would survive the rename).
    EXPECT_EQ(std::filesystem::status(out).permissions(), dir.plain_file_perms());

    // +faststart: the moov box comes before mdat.
    const auto bytes = read_bytes(out);
    const std::string s(bytes.begin(), bytes.end());
    const auto moov = s.find("moov"), mdat = s.find("mdat");
    ASSERT_NE(moov, std::string::npos);
    ASSERT_NE(mdat, std::string::npos);
    EXPECT_LT(moov, mdat);
}

TEST_F(VideoEncoderTest, Mp4KeepsNonStandardTags) {
    auto o = small_options();
    o.metadata["flightreplay_inputs_sha256"] = "0123abcd";
    const auto out = dir / "tags.mp4";
    encode_frames(out, o, 5);
    const auto p = probe_video(out);
    ASSERT_EQ(p.metadata.count("flightreplay_inputs_sha256"), 1u);
    EXPECT_EQ(p.metadata.at("flightreplay_inputs_sha256"), "0123abcd");
    EXPECT_EQ(p.metadata.count("title"), 1u);
}

TEST_F(VideoEncoderTest, WebmIsVp9Yuv420p) {
    if (!avcodec_find_encoder_by_name("libvpx-vp9")) GTEST_SKIP() << "this libavcodec was built without libvpx (no libvpx-vp9 encoder)";
    const auto out = dir / "replay.webm";
    encode_frames(out, small_options(), kFrames);
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"replay.webm"});
    expect_probe(probe_video(out), "vp9");
}

TEST_F(VideoEncoderTest, UnfinishedEncoderLeavesNoFile) {
    {
        VideoEncoder enc(dir / "half.mp4", small_options());
        for (int i = 0; i < 10; ++i) {
            const auto px = make_frame(i);
            enc.add_frame_argb32(reinterpret_cast<const std::uint8_t*>(px.data()), kW * 4);
        }
        EXPECT_EQ(dir.entries().size(), 1u);  // the temporary file exists while encoding
    }
    EXPECT_TRUE(dir.entries().empty());
}

TEST_F(VideoEncoderTest, MissingDirectoryThrowsWithPath) {
    const auto out = dir / "no-such-dir" / "out.mp4";
    try {
        VideoEncoder enc(out, small_options());
        FAIL() << "expected EncodeError";
    } catch (const EncodeError& e) {
        EXPECT_NE(std::string(e.what()).find(out.string()), std::string::npos) << e.what();
    }
}

TEST_F(VideoEncoderTest, BadExtensionAndOddSizeThrowAndLeaveNothing) {
    EXPECT_THROW(VideoEncoder(dir / "out.avi", small_options()), EncodeError);
    auto o = small_options();
    o.width = 321;
    EXPECT_THROW(VideoEncoder(dir / "out.mp4", o), EncodeError);
    EXPECT_TRUE(dir.entries().empty());
}

TEST_F(VideoEncoderTest, PinnedThreadsGiveIdenticalBytes) {
    // An abandoned multi-threaded encode first leaves the heap as a real session would; this is
    // the condition under which x264's AVX-512 code made repeated encodes differ (see
    // video_encoder.cpp). ctest runs each test in a fresh process, so it has to be recreated here.
    auto dirty_heap = [&] {
        auto busy = small_options();
        busy.threads = 4;
        VideoEncoder abandoned(dir / "abandoned.mp4", busy);
        const auto px = make_frame(0);
        abandoned.add_frame_argb32(reinterpret_cast<const std::uint8_t*>(px.data()), kW * 4);
    };
    auto o = small_options();
    o.threads = 1;
    dirty_heap();
    encode_frames(dir / "a.mp4", o, 20);
    dirty_heap();
    encode_frames(dir / "b.mp4", o, 20);
    encode_frames(dir / "c.mp4", o, 20, /*changed_frame=*/10);
    const auto a = read_bytes(dir / "a.mp4"), b = read_bytes(dir / "b.mp4"), c = read_bytes(dir / "c.mp4");
    ASSERT_FALSE(a.empty());
    if (a != b) {
        const auto diff = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
        ADD_FAILURE() << "two encodes of the same frames differ (" << a.size() << " and " << b.size() << " bytes), first at byte "
                      << (diff.first - a.begin());
    }
    EXPECT_FALSE(a == c) << "a changed pixel did not change the file: the comparison cannot fail";
}

// ---- decoding back ----------------------------------------------------------------------

struct Yuv {
    int w = 0, h = 0;
    std::vector<std::uint8_t> y, u, v;  // yuv420p planes, tightly packed
};

struct InDel {
    void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct CtxDel {
    void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameDel {
    void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PktDel {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};

/// Decodes frame `index` (0-based, in presentation order) of the first video stream.
Yuv decode_frame(const std::filesystem::path& path, int index) {
    AVFormatContext* raw = nullptr;
    if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) < 0) throw std::runtime_error("open");
    std::unique_ptr<AVFormatContext, InDel> in(raw);
    if (avformat_find_stream_info(in.get(), nullptr) < 0) throw std::runtime_error("stream info");
    const AVCodec* dec = nullptr;
    const int si = av_find_best_stream(in.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &dec, 0);
    if (si < 0 || !dec) throw std::runtime_error("no video stream");
    std::unique_ptr<AVCodecContext, CtxDel> ctx(avcodec_alloc_context3(dec));
    avcodec_parameters_to_context(ctx.get(), in->streams[si]->codecpar);
    ctx->thread_count = 1;
    if (avcodec_open2(ctx.get(), dec, nullptr) < 0) throw std::runtime_error("open decoder");
    std::unique_ptr<AVFrame, FrameDel> frame(av_frame_alloc());
    std::unique_ptr<AVPacket, PktDel> pkt(av_packet_alloc());
    int seen = 0;
    auto take = [&]() -> bool {
        while (avcodec_receive_frame(ctx.get(), frame.get()) == 0) {
            if (seen++ == index) return true;
            av_frame_unref(frame.get());
        }
        return false;
    };
    bool found = false;
    while (!found && av_read_frame(in.get(), pkt.get()) >= 0) {
        const bool mine = pkt->stream_index == si;
        if (mine) avcodec_send_packet(ctx.get(), pkt.get());
        av_packet_unref(pkt.get());
        if (mine) found = take();
    }
    if (!found) {
        avcodec_send_packet(ctx.get(), nullptr);  // drain delayed frames
        found = take();
    }
    if (!found) throw std::runtime_error("frame " + std::to_string(index) + " not found");
    if (frame->format != AV_PIX_FMT_YUV420P) throw std::runtime_error("not yuv420p");
    Yuv out;
    out.w = frame->width;
    out.h = frame->height;
    auto copy = [&](int plane, int w, int h, std::vector<std::uint8_t>& dst) {
        dst.resize(static_cast<std::size_t>(w) * h);
        for (int r = 0; r < h; ++r)
            std::memcpy(dst.data() + static_cast<std::size_t>(r) * w,
                        frame->data[plane] + static_cast<std::size_t>(r) * frame->linesize[plane], w);
    };
    copy(0, out.w, out.h, out.y);
    copy(1, out.w / 2, out.h / 2, out.u);
    copy(2, out.w / 2, out.h / 2, out.v);
    return out;
}

/// BT.709 limited-range YCbCr -> RGB (ITU-R BT.709-6 matrix, 8-bit: Y 16..235, C 16..240).
std::array<int, 3> rgb_at(const Yuv& f, int x, int y) {
    const double Y = (f.y[static_cast<std::size_t>(y) * f.w + x] - 16) * (255.0 / 219.0);
    const double cb = (f.u[static_cast<std::size_t>(y / 2) * (f.w / 2) + x / 2] - 128) * (255.0 / 224.0);
    const double cr = (f.v[static_cast<std::size_t>(y / 2) * (f.w / 2) + x / 2] - 128) * (255.0 / 224.0);
    const double r = Y + 1.5748 * cr;
    const double g = Y - 0.1873 * cb - 0.4681 * cr;
    const double b = Y + 1.8556 * cb;
    auto clamp = [](double v) { return static_cast<int>(std::lround(std::clamp(v, 0.0, 255.0))); };
    return {clamp(r), clamp(g), clamp(b)};
}

// Tolerance: +-6 per channel. 8-bit limited-range quantisation alone costs up to ~2 levels per
// channel after the round trip; crf 23 on a flat block adds a few more. A BT.601/BT.709 mix-up
// moves green of pure red by ~16, and swapped R/B by 255, so both fail.
constexpr int kTol = 6;

TEST_F(VideoEncoderTest, FlatColoursSurviveTheRoundTrip) {
    const auto out = dir / "colour.mp4";
    encode_frames(out, small_options(), kFrames);
    for (int index : {0, 31, kFrames - 1}) {
        SCOPED_TRACE("frame " + std::to_string(index));
        const Yuv f = decode_frame(out, index);
        ASSERT_EQ(f.w, kW);
        ASSERT_EQ(f.h, kH);
        int worst = 0;
        // Interiors only: 16 px away from every edge of the flat regions (chroma bleeds ~1 px,
        // codec ringing a few px).
        for (int y = 16; y < kH / 2 - 16; y += 3)
            for (int x = 16; x < kW - 16; x += 3) {
                if (x >= kW / 2 - 16 && x < kW / 2 + 16) continue;
                const bool red = x < kW / 2;
                const auto [r, g, b] = rgb_at(f, x, y);
                const int er = red ? 255 : 0, eb = red ? 0 : 255;
                worst = std::max({worst, std::abs(r - er), std::abs(g - 0), std::abs(b - eb)});
                if (std::abs(r - er) > kTol || g > kTol || std::abs(b - eb) > kTol) {
                    ADD_FAILURE() << "pixel " << x << "," << y << " decoded as " << r << "," << g << "," << b;
                    return;
                }
            }
        std::printf("frame %d: largest channel error in flat regions %d\n", index, worst);
    }
}

}  // namespace
}  // namespace fr::output
