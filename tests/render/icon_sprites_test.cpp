// Busy scenes' aircraft icons composited from cached coverage masks (render/icon_sprites.hpp)
// against the same icons filled and stroked by Cairo, over a background of opaque and
// half-transparent colour:
// - at a bucket's heading and a quarter-pixel position the masks give Cairo's pixels exactly
//   (tolerance 0 of 255 in every channel);
// - anywhere else they equal Cairo's icon at the nearest bucket heading and quarter pixel, and
//   differ from the exact icon by the rounding alone: the heading by at most half a bucket (0.7
//   degrees: 0.12 px at the wing tips of a 16 px icon), the position by at most 1/8 px per
//   axis, so edge pixels may differ by up to 96 of 255 and by under 6 of 255 on average over the
//   pixels the icons cover;
// - a clip of whole pixels is honoured; vector targets and scaled contexts are left to Cairo.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "render/cairo_handles.hpp"
#include "render/damage.hpp"
#include "render/icon_sprites.hpp"

using namespace fr;
using namespace fr::render;

namespace {

constexpr int W = 240, H = 160;

SurfacePtr background() {
    auto s = make_image_surface(W, H);
    auto cr = make_context(s.get());
    cairo_set_source_rgb(cr.get(), 0.85, 0.9, 0.95);
    cairo_paint(cr.get());
    cairo_rectangle(cr.get(), 0, H / 2.0, W, H / 2.0);  // lower half: a translucent band over it
    cairo_set_source_rgba(cr.get(), 0.2, 0.5, 0.1, 0.4);
    cairo_fill(cr.get());
    cairo_surface_flush(s.get());
    return s;
}

/// The painter's direct drawing of one icon.
void draw_direct(cairo_t* cr, const AircraftIcon& ic) {
    cairo_save(cr);
    cairo_translate(cr, ic.x, ic.y);
    cairo_rotate(cr, ic.angle);
    add_icon_path(cr, ic.k);
    cairo_set_source_rgba(cr, ic.fill.r, ic.fill.g, ic.fill.b, ic.fill.a);
    cairo_fill_preserve(cr);
    cairo_set_source_rgba(cr, ic.outline.r, ic.outline.g, ic.outline.b, ic.outline.a);
    cairo_set_line_width(cr, ic.line_width);
    cairo_stroke(cr);
    cairo_restore(cr);
}

struct Diff {
    int max = 0;
    double mean = 0;  ///< over every channel of the frame
    long long pixels = 0;
};

Diff compare(cairo_surface_t* a, cairo_surface_t* b) {
    cairo_surface_flush(a);
    cairo_surface_flush(b);
    const auto *pa = cairo_image_surface_get_data(a), *pb = cairo_image_surface_get_data(b);
    const int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
    Diff d;
    double sum = 0;
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            bool differs = false;
            for (int c = 0; c < 4; ++c) {
                const int v = std::abs(int{pa[y * sa + 4 * x + c]} - int{pb[y * sb + 4 * x + c]});
                d.max = std::max(d.max, v);
                sum += v;
                differs = differs || v != 0;
            }
            d.pixels += differs;
        }
    d.mean = sum / (4.0 * W * H);
    return d;
}

/// A grid of icons: `exact` puts them at bucket headings and quarter pixels, else anywhere.
std::vector<AircraftIcon> icons(bool exact) {
    std::vector<AircraftIcon> v;
    const Rgba colours[] = {{0.0, 0.45, 0.70, 1}, {0.90, 0.62, 0.0, 1}, {0.36, 0.61, 0.28, 1}, {0.2, 0.2, 0.2, 1}};
    std::uint32_t s = 7203;
    auto rnd = [&s] {
        s = s * 1664525u + 1013904223u;
        return (s >> 8) / 16777216.0;
    };
    int i = 0;
    for (double y = 12; y < H - 10; y += 22)
        for (double x = 12; x < W - 10; x += 22, ++i) {
            AircraftIcon ic;
            ic.flight = static_cast<std::size_t>(i);
            ic.k = 1.0;
            ic.line_width = 1.2;
            ic.fill = colours[i % 4];
            ic.outline = {1, 1, 1, 1};
            if (exact) {
                ic.x = x + 0.25 * (i % 4);
                ic.y = y + 0.25 * ((i / 4) % 4);
                ic.angle = 2 * M_PI * ((i * 37) % IconSprites::kHeadings) / IconSprites::kHeadings;
            } else {
                ic.x = x + rnd();
                ic.y = y + rnd();
                ic.angle = 2 * M_PI * rnd() - M_PI;
            }
            v.push_back(ic);
        }
    return v;
}

/// `expected` drawn icon by icon with Cairo against `list` drawn from the sprites, on the same
/// background.
Diff direct_vs_sprites(const std::vector<AircraftIcon>& expected, const std::vector<AircraftIcon>& list, IconSprites& sprites) {
    auto direct = background(), sprite = background();
    {
        auto cr = make_context(direct.get());
        for (const auto& ic : expected) draw_direct(cr.get(), ic);
    }
    {
        auto cr = make_context(sprite.get());
        EXPECT_TRUE(sprites.draw(cr.get(), list, nullptr));
    }
    return compare(direct.get(), sprite.get());
}

}  // namespace

TEST(IconSprites, EqualCairoAtBucketHeadingsAndQuarterPixels) {
    const auto list = icons(true);
    IconSprites sprites;
    const Diff d = direct_vs_sprites(list, list, sprites);
    EXPECT_EQ(d.max, 0) << d.pixels << " pixels differ";
    EXPECT_GT(sprites.size(), 0u);
}

TEST(IconSprites, AnywhereEqualCairoAtTheNearestBucketAndQuarterPixel) {
    // Heading and position are rounded to the nearest bucket and quarter pixel (not truncated,
    // not mirrored): Cairo drawing the rounded icons gives the sprites' pixels exactly.
    const auto list = icons(false);
    auto rounded = list;
    for (auto& ic : rounded) {
        ic.x = std::round(ic.x * IconSprites::kSub) / IconSprites::kSub;
        ic.y = std::round(ic.y * IconSprites::kSub) / IconSprites::kSub;
        ic.angle = 2 * M_PI * std::round(ic.angle / (2 * M_PI) * IconSprites::kHeadings) / IconSprites::kHeadings;
    }
    IconSprites sprites;
    const Diff d = direct_vs_sprites(rounded, list, sprites);
    EXPECT_EQ(d.max, 0) << d.pixels << " pixels differ";
}

TEST(IconSprites, CloseToCairoAnywhere) {
    // Against the unrounded icons: an edge moved by up to ~0.2 px changes its pixels' coverage by
    // up to ~0.3 of full (measured here: 75 of 255 at most, 3.9 of 255 on average over the pixels
    // the icons cover).
    const auto list = icons(false);
    auto base = background(), direct = background();
    {
        auto cr = make_context(direct.get());
        for (const auto& ic : list) draw_direct(cr.get(), ic);
    }
    IconSprites sprites;
    const Diff d = direct_vs_sprites(list, list, sprites);
    const Diff ink = compare(base.get(), direct.get());  // the pixels the icons cover
    std::printf("sprites vs Cairo: max %d of 255, mean %.2f over the icons' pixels, %lld pixels differ; icons cover %lld pixels\n", d.max,
                d.mean * (static_cast<double>(W) * H) / static_cast<double>(ink.pixels), d.pixels, ink.pixels);
    EXPECT_LE(d.max, 96);
    EXPECT_LT(d.mean * (static_cast<double>(W) * H) / static_cast<double>(ink.pixels), 6.0);
}

TEST(IconSprites, ReportsEachIconsPixelsAsDamage) {
    const auto list = icons(false);
    auto before = background(), after = background();
    TileDamage damage(W, H);
    IconSprites sprites;
    {
        auto cr = make_context(after.get());
        ASSERT_TRUE(sprites.draw(cr.get(), list, &damage));
    }
    cairo_surface_flush(after.get());
    const auto *pa = cairo_image_surface_get_data(before.get()), *pb = cairo_image_surface_get_data(after.get());
    const int stride = cairo_image_surface_get_stride(after.get());
    TileDamage changed(W, H);
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x)
            if (std::memcmp(pa + y * stride + 4 * x, pb + y * stride + 4 * x, 4) != 0)
                changed.add({double(x), double(y), x + 1.0, y + 1.0}, 0);
    TileDamage both = damage;
    both.merge(changed);
    EXPECT_EQ(both.pixels(), damage.pixels()) << "a changed pixel outside the reported damage";
    EXPECT_FALSE(changed.empty());
}

TEST(IconSprites, KeepsToAWholePixelClip) {
    const auto list = icons(false);
    auto clipped = background(), whole = background(), base = background();
    IconSprites sprites;
    {
        auto cr = make_context(whole.get());
        ASSERT_TRUE(sprites.draw(cr.get(), list, nullptr));
    }
    {
        auto cr = make_context(clipped.get());
        cairo_rectangle(cr.get(), 30, 20, 100, 50);
        cairo_rectangle(cr.get(), 150, 90, 60, 40);
        cairo_clip(cr.get());
        ASSERT_TRUE(sprites.draw(cr.get(), list, nullptr));
    }
    cairo_surface_flush(clipped.get());
    cairo_surface_flush(whole.get());
    const auto *pc = cairo_image_surface_get_data(clipped.get()), *pw = cairo_image_surface_get_data(whole.get()),
               *pb = cairo_image_surface_get_data(base.get());
    const int stride = cairo_image_surface_get_stride(whole.get());
    long long inside_differs = 0, outside_touched = 0;
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            const bool in = (x >= 30 && x < 130 && y >= 20 && y < 70) || (x >= 150 && x < 210 && y >= 90 && y < 130);
            const auto* c = pc + y * stride + 4 * x;
            if (in)
                inside_differs += std::memcmp(c, pw + y * stride + 4 * x, 4) != 0;
            else
                outside_touched += std::memcmp(c, pb + y * stride + 4 * x, 4) != 0;
        }
    EXPECT_EQ(inside_differs, 0);
    EXPECT_EQ(outside_touched, 0);
}

TEST(IconSprites, LeavesVectorTargetsAndScaledContextsToCairo) {
    const auto list = icons(true);
    IconSprites sprites;
    {
        SurfacePtr rec(cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, nullptr));
        CairoPtr cr(cairo_create(rec.get()));
        EXPECT_FALSE(sprites.draw(cr.get(), list, nullptr));
    }
    {
        auto s = background();
        auto cr = make_context(s.get());
        cairo_scale(cr.get(), 1.5, 1.5);
        EXPECT_FALSE(sprites.draw(cr.get(), list, nullptr));
    }
    {
        auto s = background();
        auto cr = make_context(s.get());
        cairo_arc(cr.get(), 50, 50, 30, 0, 2 * M_PI);  // not whole pixels
        cairo_clip(cr.get());
        EXPECT_FALSE(sprites.draw(cr.get(), list, nullptr));
    }
    {
        auto s = background();
        auto cr = make_context(s.get());
        auto translucent = list;
        translucent[0].fill.a = 0.7;
        EXPECT_FALSE(sprites.draw(cr.get(), translucent, nullptr));
    }
    EXPECT_EQ(sprites.size(), 0u) << "nothing drawn, nothing cached";
}
