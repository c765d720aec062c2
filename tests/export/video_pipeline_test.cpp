// Encoding through the optimized path (incremental yuv420p conversion) against the plain path
// (libswscale per frame), GIF through palettegen/paletteuse, and stream-copy concatenation of
// shards against a single encode (same frame count and timestamps, PSNR >= 45 dB: docs/decisions.md).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "core/error.hpp"
#include "decoded_video.hpp"
#include "export/concat.hpp"
#include "export/video_encoder.hpp"
#include "export/yuv_convert.hpp"
#include "temp_dir.hpp"

namespace {

constexpr int W = 320, H = 180, FPS = 10;
const bool kQuietLogs = (fr::output::quiet_ffmpeg_logs(), true);  // no x264 statistics in test output

/// A map-like frame: a fixed "basemap" and a marker and trail that move with i.
std::vector<std::uint8_t> frame(int i) {
    std::vector<std::uint8_t> px(static_cast<std::size_t>(W) * H * 4);
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            auto* p = &px[(static_cast<std::size_t>(y) * W + x) * 4];
            const bool land = y > 70 + 25 * std::sin(x / 23.0) || (x - 250) * (x - 250) + (y - 40) * (y - 40) < 400;
            p[0] = land ? 120 : 200, p[1] = land ? 190 : 150, p[2] = land ? 210 : 90, p[3] = 255;
        }
    const int mx = 10 + 8 * i, my = 20 + 4 * i;
    for (int k = 0; k <= i * 8; ++k) {  // trail
        const int tx = 10 + k, ty = 20 + k / 2;
        auto* p = &px[(static_cast<std::size_t>(ty) * W + tx) * 4];
        p[0] = 30, p[1] = 30, p[2] = 230;
    }
    for (int y = my; y < my + 6 && y < H; ++y)
        for (int x = mx; x < mx + 6 && x < W; ++x) {
            auto* p = &px[(static_cast<std::size_t>(y) * W + x) * 4];
            p[0] = 255, p[1] = 255, p[2] = 255;
        }
    return px;
}

fr::output::VideoOptions options() {
    fr::output::VideoOptions o;
    o.width = W;
    o.height = H;
    o.fps = FPS;
    o.threads = 1;
    return o;
}

void encode(const std::filesystem::path& p, int first, int last, bool incremental, int keyframe_interval = 0) {
    auto o = options();
    o.first_frame_index = first;
    o.keyframe_interval = keyframe_interval;
    fr::output::VideoEncoder enc(p, o);
    fr::output::IncrementalYuvConverter conv(W, H);
    for (int i = first; i < last; ++i) {
        const auto px = frame(i);
        if (incremental) {
            conv.convert(px.data(), W * 4);
            enc.add_frame_yuv420p(conv.image());
        } else {
            enc.add_frame_argb32(px.data(), W * 4);
        }
    }
    enc.finish();
}

}  // namespace

TEST(VideoPipeline, IncrementalPathDecodesLikeThePlainPath) {
    fr::test::TempDir d;
    encode(d / "plain.mp4", 0, 20, false);
    encode(d / "fast.mp4", 0, 20, true);
    const auto a = fr::test::decode_video(d / "plain.mp4"), b = fr::test::decode_video(d / "fast.mp4");
    ASSERT_EQ(a.size(), 20u);
    ASSERT_EQ(b.size(), 20u);
    const double p = fr::test::min_psnr(a, b);
    EXPECT_GE(p, 45.0);
    RecordProperty("min_psnr_db", std::to_string(p));
}

std::string file_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

TEST(VideoPipeline, InPlaceFramesUpdatedOnlyWhereChangedEncodeLikeWholeFrames) {
    // The export path converts only the changed 16x16 tiles straight into the encoder's frame,
    // which keeps the previous frame's pixels; the whole-frame path converts every frame. With
    // the encoder's threads pinned (deterministic), the two files must be identical, byte for
    // byte, across a GOP restart (keyframe interval 8 of 20 frames).
    fr::test::TempDir d;
    {
        auto o = options();
        o.keyframe_interval = 8;
        fr::output::VideoEncoder whole(d / "whole.mp4", o), in_place(d / "in_place.mp4", o);
        fr::output::Yuv420Image full(W, H);
        std::vector<std::uint8_t> prev;
        long long converted = 0;
        for (int i = 0; i < 20; ++i) {
            const auto px = frame(i);
            fr::output::argb32_to_yuv420p_rect(px.data(), W * 4, 0, 0, W, H, full);
            whole.add_frame_yuv420p(full);
            const auto out = in_place.next_frame();
            for (int ty = 0; ty < H; ty += 16)
                for (int tx = 0; tx < W; tx += 16) {
                    const int x1 = std::min(W, tx + 16), y1 = std::min(H, ty + 16);
                    bool changed = prev.empty();
                    for (int y = ty; y < y1 && !changed; ++y)
                        changed =
                            std::memcmp(&px[(static_cast<std::size_t>(y) * W + tx) * 4], &prev[(static_cast<std::size_t>(y) * W + tx) * 4],
                                        static_cast<std::size_t>(x1 - tx) * 4) != 0;
                    if (!changed) continue;
                    fr::output::argb32_to_yuv420p_rect(px.data(), W * 4, tx, ty, x1, y1, out);
                    converted += static_cast<long long>(x1 - tx) * (y1 - ty);
                }
            in_place.add_next_frame();
            prev = px;
        }
        whole.finish();
        in_place.finish();
        EXPECT_LT(converted, 20LL * W * H / 2);  // most tiles were left as they were
    }
    const auto a = file_bytes(d / "whole.mp4"), b = file_bytes(d / "in_place.mp4");
    ASSERT_GT(a.size(), 1000u);
    EXPECT_TRUE(a == b) << "the in-place encode differs from the whole-frame encode";
}

TEST(VideoPipeline, ShardsConcatenateToTheSingleRender) {
    fr::test::TempDir d;
    // Shards on keyframe boundaries (every 10 frames here) encode their GOPs as the single pass.
    encode(d / "single.mp4", 0, 30, true, 10);
    encode(d / "a.mp4", 0, 10, true, 10);
    encode(d / "b.mp4", 10, 20, true, 10);
    encode(d / "c.mp4", 20, 30, true, 10);
    const auto r = fr::output::concat_videos({d / "a.mp4", d / "b.mp4", d / "c.mp4"}, d / "joined.mp4");
    EXPECT_EQ(r.frames, 30);
    const auto single = fr::test::decode_video(d / "single.mp4"), joined = fr::test::decode_video(d / "joined.mp4");
    ASSERT_EQ(joined.size(), single.size());
    for (std::size_t i = 0; i < single.size(); ++i) EXPECT_EQ(joined[i].pts_frames, single[i].pts_frames) << i;
    EXPECT_EQ(joined.front().pts_frames, 0);
    EXPECT_EQ(joined.back().pts_frames, 29);
    const double p = fr::test::min_psnr(single, joined);
    EXPECT_GE(p, 45.0);
    RecordProperty("min_psnr_db", std::to_string(p));
    const auto probe = fr::output::probe_video(d / "joined.mp4");
    EXPECT_EQ(probe.frames, 30);
    EXPECT_NEAR(probe.duration_s, 3.0, 0.11);
    EXPECT_EQ(probe.codec, "h264");
}

TEST(VideoPipeline, KeyframesSitOnMultiplesOfTheIntervalInTheWholeVideo) {
    fr::test::TempDir d;
    encode(d / "s.mp4", 7, 30, true, 10);  // a shard starting off the grid
    AVFormatContext* fc = nullptr;
    ASSERT_EQ(avformat_open_input(&fc, (d / "s.mp4").c_str(), nullptr, nullptr), 0);
    avformat_find_stream_info(fc, nullptr);
    const AVRational tb = fc->streams[0]->time_base;
    std::vector<long long> keys;
    AVPacket* pkt = av_packet_alloc();
    while (av_read_frame(fc, pkt) == 0) {
        if (pkt->flags & AV_PKT_FLAG_KEY) keys.push_back(av_rescale_q(pkt->pts, tb, AVRational{1, FPS}));
        av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    avformat_close_input(&fc);
    EXPECT_EQ(keys, (std::vector<long long>{7, 10, 20}));  // its own start, then the grid; no scene cuts
}

TEST(VideoPipeline, ConcatRejectsAMissingOrMisorderedShard) {
    fr::test::TempDir d;
    encode(d / "a.mp4", 0, 10, true);
    encode(d / "b.mp4", 10, 20, true);
    encode(d / "c.mp4", 20, 30, true);
    try {
        fr::output::concat_videos({d / "a.mp4", d / "c.mp4"}, d / "bad.mp4");
        FAIL() << "a gap was accepted";
    } catch (const fr::EncodeError& e) {
        EXPECT_NE(std::string(e.what()).find("starts at frame 20"), std::string::npos) << e.what();
    }
    EXPECT_THROW(fr::output::concat_videos({d / "b.mp4", d / "a.mp4"}, d / "bad.mp4"), fr::EncodeError);
    EXPECT_FALSE(std::filesystem::exists(d / "bad.mp4"));
    // Different encoder settings cannot be stream-copied together.
    auto o = options();
    o.width = W / 2;
    o.height = H / 2;
    o.first_frame_index = 10;
    {
        fr::output::VideoEncoder enc(d / "small.mp4", o);
        std::vector<std::uint8_t> px(static_cast<std::size_t>(W / 2) * (H / 2) * 4, 128);
        for (int i = 0; i < 5; ++i) enc.add_frame_argb32(px.data(), W * 2);
        enc.finish();
    }
    EXPECT_THROW(fr::output::concat_videos({d / "a.mp4", d / "small.mp4"}, d / "bad.mp4"), fr::EncodeError);
}

TEST(VideoPipeline, GifWithGeneratedPalette) {
    fr::test::TempDir d;
    fr::output::GifPaletteBuilder pal(W, H);
    for (int i = 0; i < 10; i += 3) pal.add_frame_argb32(frame(i).data(), W * 4);
    auto o = options();
    o.gif_palette = pal.finish();
    ASSERT_EQ(o.gif_palette.size(), 256u);
    {
        fr::output::VideoEncoder enc(d / "a.gif", o);
        for (int i = 0; i < 10; ++i) enc.add_frame_argb32(frame(i).data(), W * 4);
        enc.finish();
    }
    const auto p = fr::output::probe_video(d / "a.gif");
    EXPECT_EQ(p.codec, "gif");
    EXPECT_EQ(p.frames, 10);
    EXPECT_EQ(p.width, W);
    // The palette holds the map's colours: the decoded first frame is close to the source.
    const auto dec = fr::test::decode_video(d / "a.gif");
    ASSERT_FALSE(dec.empty());
    // FFmpeg's GIF decoder gives BGRA (or pal8: W*H indices then a 1024-byte palette). The sea
    // pixel at (5, 5) is B 200, G 150, R 90.
    const auto& f = dec.front().yuv;
    const std::uint8_t* c = nullptr;
    if (f.size() == static_cast<std::size_t>(W) * H * 4) {
        c = &f[(5u * W + 5) * 4];
    } else {
        ASSERT_GE(f.size(), static_cast<std::size_t>(W) * H + 1024);
        c = &f[static_cast<std::size_t>(W) * H + 4u * f[5 * W + 5]];
    }
    EXPECT_NEAR(c[0], 200, 12);
    EXPECT_NEAR(c[1], 150, 12);
    EXPECT_NEAR(c[2], 90, 12);
}

TEST(VideoPipeline, GifPassesKeepMemoryBounded) {
    // 150 frames of 640x360 (0.9 MB each) through palettegen and paletteuse: if the filter graph
    // queued frames (as it did before frames were pushed), peak memory would grow by > 130 MB.
    constexpr int w = 640, h = 360;
    auto peak_mb = [] {  // resident now (not the process's peak, which earlier tests set)
        std::ifstream statm("/proc/self/statm");
        long pages = 0, resident = 0;
        statm >> pages >> resident;
        return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
    };
    std::vector<std::uint8_t> px(static_cast<std::size_t>(w) * h * 4, 255);
    fr::output::GifPaletteBuilder pal(w, h);
    pal.add_frame_argb32(px.data(), w * 4);
    const double before = peak_mb();
    for (int i = 1; i < 150; ++i) {
        px[static_cast<std::size_t>(i) * 4001 % px.size()] = static_cast<std::uint8_t>(i);
        pal.add_frame_argb32(px.data(), w * 4);
    }
    // ASan keeps freed blocks resident in its quarantine (256 MB by default), so resident memory
    // says nothing there: the bounds are checked in the release build.
#if defined(__SANITIZE_ADDRESS__)
    constexpr bool kBounded = false;
#else
    constexpr bool kBounded = true;
#endif
    auto check_bound = [&](const char* what) {
        if (kBounded)
            EXPECT_LT(peak_mb() - before, 60.0) << what << " held the frames";
        else
            std::printf("ASan build: %s bound not checked (quarantine), measured %.0f MB\n", what, peak_mb() - before);
    };
    check_bound("palettegen");
    auto o = options();
    o.width = w;
    o.height = h;
    o.gif_palette = pal.finish();
    fr::test::TempDir d;
    fr::output::VideoEncoder enc(d / "m.gif", o);
    for (int i = 0; i < 150; ++i) enc.add_frame_argb32(px.data(), w * 4);
    check_bound("paletteuse");
    enc.finish();
}

TEST(VideoPipeline, GifWithoutPaletteIsRefused) {
    fr::test::TempDir d;
    EXPECT_THROW(fr::output::VideoEncoder(d / "a.gif", options()), fr::EncodeError);
    EXPECT_TRUE(d.entries().empty());
}
