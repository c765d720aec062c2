#include "export/yuv_convert.hpp"

#include <algorithm>
#include <cstring>

namespace fr::output {

namespace {

// BT.709, limited range, 8-bit: Y = 16 + 219*(Kr R + Kg G + Kb B)/255 etc.; 16.16 fixed point.
constexpr int kShift = 16;
constexpr int kYR = 11966, kYG = 40254, kYB = 4064;    // 0.18259, 0.61423, 0.06201
constexpr int kUR = -6596, kUG = -22189, kUB = 28785;  // -0.10064, -0.33857, 0.43922
constexpr int kVR = 28785, kVG = -26145, kVB = -2639;  // 0.43922, -0.39894, -0.04027
constexpr int kYOff = (16 << kShift) + (1 << (kShift - 1));
constexpr int kCOff = (128 << kShift) + (1 << (kShift - 1));

inline std::uint8_t luma(const std::uint8_t* p) noexcept {
    // Cairo ARGB32 is a native-endian word: bytes B, G, R, A on little-endian machines.
    return static_cast<std::uint8_t>((kYR * p[2] + kYG * p[1] + kYB * p[0] + kYOff) >> kShift);
}

inline std::uint8_t clamp8(int v) noexcept { return static_cast<std::uint8_t>(std::clamp(v, 0, 255)); }

}  // namespace

void argb32_to_yuv420p_rect(const std::uint8_t* argb, int stride, int x0, int y0, int x1, int y1, const Yuv420View& out) noexcept {
    for (int y = y0; y < y1; y += 2) {
        const std::uint8_t* r0 = argb + static_cast<std::ptrdiff_t>(y) * stride;
        const std::uint8_t* r1 = r0 + stride;
        std::uint8_t* yy0 = out.y + static_cast<std::ptrdiff_t>(y) * out.y_stride;
        std::uint8_t* yy1 = yy0 + out.y_stride;
        for (int x = x0; x < x1; ++x) {
            yy0[x] = luma(r0 + 4 * x);
            yy1[x] = luma(r1 + 4 * x);
        }
        std::uint8_t* uu = out.u + static_cast<std::ptrdiff_t>(y / 2) * out.c_stride;
        std::uint8_t* vv = out.v + static_cast<std::ptrdiff_t>(y / 2) * out.c_stride;
        for (int x = x0; x < x1; x += 2) {
            const std::uint8_t* a = r0 + 4 * x;
            const std::uint8_t* b = r1 + 4 * x;
            // Sum of four samples: the factor 4 goes into the shift.
            const int B = a[0] + a[4] + b[0] + b[4];
            const int G = a[1] + a[5] + b[1] + b[5];
            const int R = a[2] + a[6] + b[2] + b[6];
            uu[x / 2] = clamp8((kUR * R + kUG * G + kUB * B + 4 * kCOff) >> (kShift + 2));
            vv[x / 2] = clamp8((kVR * R + kVG * G + kVB * B + 4 * kCOff) >> (kShift + 2));
        }
    }
}

void argb32_to_yuv420p_rect(const std::uint8_t* argb, int stride, int x0, int y0, int x1, int y1, Yuv420Image& out) noexcept {
    const Yuv420View view{out.y.data(), out.u.data(), out.v.data(), out.width, out.width / 2, out.width, out.height};
    argb32_to_yuv420p_rect(argb, stride, x0, y0, x1, y1, view);
}

IncrementalYuvConverter::IncrementalYuvConverter(int width, int height) : m_width(width), m_height(height), m_yuv(width, height) {}

long long IncrementalYuvConverter::convert(const std::uint8_t* argb, int stride) {
    const std::size_t row_bytes = static_cast<std::size_t>(m_width) * 4;
    if (!m_have_previous) {
        m_previous.resize(static_cast<std::size_t>(m_width) * m_height * 4);  // allocated on first use
        argb32_to_yuv420p_rect(argb, stride, 0, 0, m_width, m_height, m_yuv);
        for (int y = 0; y < m_height; ++y)
            std::memcpy(m_previous.data() + y * row_bytes, argb + static_cast<std::ptrdiff_t>(y) * stride, row_bytes);
        m_have_previous = true;
        return static_cast<long long>(m_width) * m_height;
    }
    constexpr int kBand = 16;  // rows per band (even)
    constexpr int kGroup = 8;  // pixels per column group (even)
    const int groups = (m_width + kGroup - 1) / kGroup;
    long long converted = 0;
    for (int y0 = 0; y0 < m_height; y0 += kBand) {
        const int y1 = std::min(m_height, y0 + kBand);
        // Column-group span that changed anywhere in this band.
        int lo = groups, hi = -1;
        for (int y = y0; y < y1; ++y) {
            const std::uint8_t* cur = argb + static_cast<std::ptrdiff_t>(y) * stride;
            const std::uint8_t* prev = m_previous.data() + y * row_bytes;
            if (std::memcmp(cur, prev, row_bytes) == 0) continue;
            const auto gbytes = static_cast<std::size_t>(kGroup) * 4;
            auto group_differs = [&](int g) {
                const std::size_t off = g * gbytes;
                return std::memcmp(cur + off, prev + off, std::min(gbytes, row_bytes - off)) != 0;
            };
            int g = 0;
            while (g < lo && !group_differs(g)) ++g;
            lo = std::min(lo, g);
            g = groups - 1;
            while (g > hi && !group_differs(g)) --g;
            hi = std::max(hi, g);
        }
        if (hi < lo) continue;
        const int x0 = lo * kGroup, x1 = std::min(m_width, (hi + 1) * kGroup);
        argb32_to_yuv420p_rect(argb, stride, x0, y0, x1, y1, m_yuv);
        for (int y = y0; y < y1; ++y)
            std::memcpy(m_previous.data() + y * row_bytes + x0 * 4, argb + static_cast<std::ptrdiff_t>(y) * stride + x0 * 4,
                        static_cast<std::size_t>(x1 - x0) * 4);
        converted += static_cast<long long>(x1 - x0) * (y1 - y0);
    }
    return converted;
}

}  // namespace fr::output
