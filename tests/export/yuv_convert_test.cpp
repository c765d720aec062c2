// Incremental colour conversion: identical to a full conversion of each frame, close to
// libswscale (the plain path), and it notices a single changed pixel anywhere.
#include <gtest/gtest.h>

extern "C" {
#include <libswscale/swscale.h>
}

#include <cmath>
#include <cstring>
#include <random>

#include "export/yuv_convert.hpp"

using fr::output::IncrementalYuvConverter;
using fr::output::Yuv420Image;

namespace {

constexpr int W = 322, H = 182;  // not multiples of the band/group sizes

struct Argb {
    std::vector<std::uint8_t> px = std::vector<std::uint8_t>(static_cast<std::size_t>(W) * H * 4);
    void set(int x, int y, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
        auto* p = &px[(static_cast<std::size_t>(y) * W + x) * 4];
        p[0] = b, p[1] = g, p[2] = r, p[3] = 255;
    }
};

Argb map_like() {  // gradients, a coastline-like edge and saturated colours
    Argb a;
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            const bool land = y > 60 + 20 * std::sin(x / 15.0);
            a.set(x, y, land ? 200 : static_cast<std::uint8_t>(x % 256), land ? 190 : 120, land ? static_cast<std::uint8_t>(y) : 230);
        }
    for (int x = 0; x < 40; ++x) a.set(x, 5, 255, 0, 0);
    return a;
}

Yuv420Image full(const Argb& a) {
    Yuv420Image out(W, H);
    fr::output::argb32_to_yuv420p_rect(a.px.data(), W * 4, 0, 0, W, H, out);
    return out;
}

bool same(const Yuv420Image& a, const Yuv420Image& b) { return a.y == b.y && a.u == b.u && a.v == b.v; }

}  // namespace

TEST(YuvConvert, IncrementalEqualsFullConversionFrameAfterFrame) {
    Argb frame = map_like();
    IncrementalYuvConverter conv(W, H);
    EXPECT_EQ(conv.convert(frame.px.data(), W * 4), static_cast<long long>(W) * H);
    ASSERT_TRUE(same(conv.image(), full(frame)));
    std::mt19937 rng(7);
    for (int i = 0; i < 40; ++i) {
        // A moving "aircraft" box at odd positions plus scattered single pixels.
        const int bx = static_cast<int>(rng() % (W - 9)), by = static_cast<int>(rng() % (H - 7));
        for (int y = by; y < by + 7; ++y)
            for (int x = bx; x < bx + 9; ++x) frame.set(x, y, static_cast<std::uint8_t>(i * 6), 20, 240);
        frame.set(static_cast<int>(rng() % W), static_cast<int>(rng() % H), 1, 2, 3);
        const long long n = conv.convert(frame.px.data(), W * 4);
        EXPECT_LT(n, static_cast<long long>(W) * H / 2) << "frame " << i << " converted too much";
        ASSERT_TRUE(same(conv.image(), full(frame))) << "frame " << i;
    }
}

TEST(YuvConvert, NoticesOneChangedPixelInEveryCorner) {
    Argb frame = map_like();
    IncrementalYuvConverter conv(W, H);
    conv.convert(frame.px.data(), W * 4);
    for (auto [x, y] : {std::pair{0, 0}, {W - 1, 0}, {0, H - 1}, {W - 1, H - 1}, {W / 2 + 1, H / 2 + 1}}) {
        frame.set(x, y, 0, 0, 0);
        EXPECT_EQ(conv.convert(frame.px.data(), W * 4) > 0, true);
        EXPECT_EQ(conv.image().y[static_cast<std::size_t>(y) * W + x], 16) << x << "," << y;  // black = 16 in tv range
    }
    EXPECT_EQ(conv.convert(frame.px.data(), W * 4), 0);  // unchanged frame: nothing converted
}

TEST(YuvConvert, KnownColoursInBt709TvRange) {
    Argb a;
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) a.set(x, y, 255, 255, 255);
    for (int y = 0; y < 2; ++y)
        for (int x = 0; x < 2; ++x) a.set(x, y, 255, 0, 0);
    const auto img = full(a);
    EXPECT_EQ(img.y[W + 5], 235);  // white
    EXPECT_EQ(img.u[5], 128);
    EXPECT_EQ(img.v[5], 128);
    EXPECT_EQ(img.y[0], 63);  // BT.709 red: Y 63, Cb 102, Cr 240
    EXPECT_EQ(img.u[0], 102);
    EXPECT_EQ(img.v[0], 240);
}

TEST(YuvConvert, CloseToLibswscaleThePlainPath) {
    const Argb a = map_like();
    const auto mine = full(a);
    SwsContext* sws =
        sws_getContext(W, H, AV_PIX_FMT_RGB32, W, H, AV_PIX_FMT_YUV420P, SWS_BILINEAR | SWS_ACCURATE_RND, nullptr, nullptr, nullptr);
    ASSERT_NE(sws, nullptr);
    const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
    sws_setColorspaceDetails(sws, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);
    Yuv420Image ref(W, H);
    const std::uint8_t* src[1] = {a.px.data()};
    const int src_stride[1] = {W * 4};
    std::uint8_t* dst[3] = {ref.y.data(), ref.u.data(), ref.v.data()};
    const int dst_stride[3] = {W, W / 2, W / 2};
    sws_scale(sws, src, src_stride, 0, H, dst, dst_stride);
    sws_freeContext(sws);
    int max_diff = 0;
    double se = 0;
    std::size_t n = 0;
    auto cmp = [&](const std::vector<std::uint8_t>& p, const std::vector<std::uint8_t>& q) {
        for (std::size_t i = 0; i < p.size(); ++i) {
            const int d = std::abs(int(p[i]) - int(q[i]));
            max_diff = std::max(max_diff, d);
            se += d * d;
            ++n;
        }
    };
    cmp(mine.y, ref.y);
    cmp(mine.u, ref.u);
    cmp(mine.v, ref.v);
    const double psnr = 10 * std::log10(255.0 * 255.0 / (se / static_cast<double>(n)));
    // Luma is computed the same way; chroma differs where libswscale's bilinear filter reaches
    // across a 2x2 block at sharp colour edges.
    int max_luma = 0;
    for (std::size_t i = 0; i < mine.y.size(); ++i) max_luma = std::max(max_luma, std::abs(int(mine.y[i]) - int(ref.y[i])));
    EXPECT_LE(max_luma, 1);
    EXPECT_GT(psnr, 45.0) << "max diff " << max_diff;
    RecordProperty("psnr_vs_swscale_db", std::to_string(psnr));
    RecordProperty("max_diff_vs_swscale", max_diff);
}
