#include "export/png_writer.hpp"

#include "core/error.hpp"
#include "temp_dir.hpp"

#include <cairo.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace fr::output {
namespace {

struct SurfaceDel {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDel>;

constexpr int kW = 67, kH = 45;  // odd width: rows are not a multiple of 8 bytes

/// A Cairo ARGB32 image whose every pixel differs from its neighbours, alpha fixed.
SurfacePtr make_surface(unsigned alpha) {
    SurfacePtr s(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, kW, kH));
    cairo_surface_flush(s.get());
    unsigned char* data = cairo_image_surface_get_data(s.get());
    const int stride = cairo_image_surface_get_stride(s.get());
    for (int y = 0; y < kH; ++y)
        for (int x = 0; x < kW; ++x) {
            // Straight colour, then premultiplied as Cairo stores it.
            const unsigned r = (x * 37 + y * 11) & 0xFF, g = (x * 5 + y * 53) & 0xFF, b = (x * y * 7) & 0xFF;
            auto pm = [alpha](unsigned c) { return (c * alpha + 127) / 255; };
            const std::uint32_t p = alpha << 24 | pm(r) << 16 | pm(g) << 8 | pm(b);
            std::memcpy(data + y * stride + 4 * x, &p, 4);
        }
    cairo_surface_mark_dirty(s.get());
    return s;
}

void write_surface(const std::filesystem::path& p, cairo_surface_t* s, const std::vector<std::pair<std::string, std::string>>& text = {},
                   int level = 6) {
    write_png(p, cairo_image_surface_get_data(s), kW, kH, cairo_image_surface_get_stride(s), text, level);
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::uint32_t pixel(cairo_surface_t* s, int x, int y) {
    std::uint32_t p;
    std::memcpy(&p, cairo_image_surface_get_data(s) + y * cairo_image_surface_get_stride(s) + 4 * x, 4);
    return p;
}

const std::vector<std::pair<std::string, std::string>> kText = {
    {"Software", "flightreplay 0.1.0"},
    {"Source", "input sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"Comment", "provenance: reconstructed"},
};

TEST(PngWriter, OpaqueRoundTripsExactlyWithTextChunks) {
    fr::test::TempDir dir;
    const auto out = dir / "still.png";
    auto src = make_surface(255);
    write_surface(out, src.get(), kText);
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"still.png"});  // no temp file left
    EXPECT_EQ(std::filesystem::status(out).permissions(), dir.plain_file_perms());

    SurfacePtr back(cairo_image_surface_create_from_png(out.c_str()));
    ASSERT_EQ(cairo_surface_status(back.get()), CAIRO_STATUS_SUCCESS);
    ASSERT_EQ(cairo_image_surface_get_width(back.get()), kW);
    ASSERT_EQ(cairo_image_surface_get_height(back.get()), kH);
    for (int y = 0; y < kH; ++y)
        for (int x = 0; x < kW; ++x) ASSERT_EQ(pixel(back.get(), x, y), pixel(src.get(), x, y)) << "pixel " << x << "," << y;

    const std::string bytes = read_file(out);
    ASSERT_GT(bytes.size(), 26u);
    EXPECT_EQ(static_cast<unsigned char>(bytes[25]), 2u) << "opaque input should be written as RGB (colour type 2)";
    for (const auto& [key, value] : kText) EXPECT_NE(bytes.find("tEXt" + key + std::string(1, '\0') + value), std::string::npos) << key;
    EXPECT_EQ(bytes.find("tIME"), std::string::npos) << "a tIME chunk would make bytes depend on the clock";
}

TEST(PngWriter, TranslucentIsUnpremultipliedRgba) {
    fr::test::TempDir dir;
    const auto out = dir / "alpha.png";
    auto src = make_surface(128);
    write_surface(out, src.get());
    const std::string bytes = read_file(out);
    EXPECT_EQ(static_cast<unsigned char>(bytes[25]), 6u) << "translucent input should be RGBA (colour type 6)";

    // Cairo premultiplies again on reading: +-1 per channel from the two roundings.
    SurfacePtr back(cairo_image_surface_create_from_png(out.c_str()));
    ASSERT_EQ(cairo_surface_status(back.get()), CAIRO_STATUS_SUCCESS);
    for (int y = 0; y < kH; ++y)
        for (int x = 0; x < kW; ++x) {
            const std::uint32_t a = pixel(src.get(), x, y), b = pixel(back.get(), x, y);
            for (int shift : {0, 8, 16, 24}) {
                const int ca = (a >> shift) & 0xFF, cb = (b >> shift) & 0xFF;
                ASSERT_LE(std::abs(ca - cb), 1) << "pixel " << x << "," << y << " shift " << shift;
            }
        }
}

TEST(PngWriter, NonAsciiTextGoesIntoItxt) {
    fr::test::TempDir dir;
    const auto out = dir / "utf8.png";
    auto src = make_surface(255);
    write_surface(out, src.get(), {{"Title", "Moskva \xe2\x80\x93 Zyryanka"}});
    const std::string bytes = read_file(out);
    EXPECT_NE(bytes.find("iTXtTitle"), std::string::npos);
    EXPECT_NE(bytes.find("Moskva \xe2\x80\x93 Zyryanka"), std::string::npos);
}

/// The pHYs chunk's big-endian pixels-per-unit pair and unit byte, read back with libpng.
TEST(PngWriter, DpiGoesIntoPhys) {
    fr::test::TempDir dir;
    auto src = make_surface(255);
    write_png(dir / "300.png", cairo_image_surface_get_data(src.get()), kW, kH, cairo_image_surface_get_stride(src.get()), {}, 6, 300);
    write_png(dir / "none.png", cairo_image_surface_get_data(src.get()), kW, kH, cairo_image_surface_get_stride(src.get()), {});
    // 300 / 0.0254 = 11811.02 -> 11811 pixels per metre (0x00002E23), unit 1 (metre).
    const std::string bytes = read_file(dir / "300.png");
    const std::string phys = std::string("pHYs") + std::string("\x00\x00\x2E\x23\x00\x00\x2E\x23\x01", 9);
    EXPECT_NE(bytes.find(phys), std::string::npos) << "no pHYs chunk of 11811 px/m";
    EXPECT_EQ(read_file(dir / "none.png").find("pHYs"), std::string::npos) << "dpi 0 must write no pHYs";
    EXPECT_EQ(pixels_per_metre(96), 3780u);  // the CSS pixel: 96 / 0.0254 = 3779.5 -> 3780
    EXPECT_EQ(pixels_per_metre(0), 0u);
    EXPECT_THROW(write_png(dir / "bad.png", cairo_image_surface_get_data(src.get()), kW, kH, kW * 4, {}, 6, -1), IoError);
}

TEST(PngWriter, SameInputSameBytesAndLevelMatters) {
    fr::test::TempDir dir;
    auto src = make_surface(255);
    write_surface(dir / "a.png", src.get(), kText);
    write_surface(dir / "b.png", src.get(), kText);
    write_surface(dir / "c.png", src.get(), kText, 0);
    const auto a = read_file(dir / "a.png"), b = read_file(dir / "b.png"), c = read_file(dir / "c.png");
    EXPECT_EQ(a, b);
    // Level 0 stores the 67*45*3 bytes of pixels uncompressed, so it must be larger.
    EXPECT_GT(c.size(), a.size());
    EXPECT_GT(c.size(), static_cast<std::size_t>(kW * kH * 3));
}

TEST(PngWriter, MissingDirectoryThrowsIoErrorNamingTheFile) {
    fr::test::TempDir dir;
    const auto out = dir / "missing" / "x.png";
    auto src = make_surface(255);
    try {
        write_surface(out, src.get(), kText);
        FAIL() << "expected IoError";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find(out.string()), std::string::npos) << e.what();
    }
    EXPECT_TRUE(dir.entries().empty());
}

TEST(PngWriter, InvalidArgumentsThrowAndLeaveNothing) {
    fr::test::TempDir dir;
    auto src = make_surface(255);
    EXPECT_THROW(write_surface(dir / "k.png", src.get(), {{"", "empty keyword"}}), IoError);
    EXPECT_THROW(write_surface(dir / "k.png", src.get(), {{std::string(80, 'k'), "keyword too long"}}), IoError);
    EXPECT_THROW(write_surface(dir / "k.png", src.get(), {}, 10), IoError);
    EXPECT_THROW(write_png(dir / "k.png", cairo_image_surface_get_data(src.get()), kW, kH, kW * 4 - 1, {}), IoError);
    EXPECT_TRUE(dir.entries().empty());
}

}  // namespace
}  // namespace fr::output
