// Busy scenes' trail strokes rasterised straight into the frame (render/direct_raster.hpp)
// against Cairo stroking the same polylines (round joins and caps) over an opaque background:
// - coverage comes from the distance of each pixel's centre to the line, Cairo's from the
//   area, so edge pixels differ: by at most 64 of 255 per channel, and by under 4 of 255 on
//   average over the pixels either touches;
// - horizontal and vertical runs (away from their caps) give Cairo's pixels to within 1 of 255;
// - a stroke blends once where it crosses itself (Cairo's rule for one stroke);
// - whole-pixel clips are honoured, damage covers every changed pixel, and contexts that are not
//   plain raster targets are refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "render/cairo_handles.hpp"
#include "render/damage.hpp"
#include "render/direct_raster.hpp"

using namespace fr;
using namespace fr::render;

namespace {

constexpr int W = 200, H = 120;

SurfacePtr background() {
    auto s = make_image_surface(W, H);
    auto cr = make_context(s.get());
    cairo_set_source_rgb(cr.get(), 0.96, 0.95, 0.92);
    cairo_paint(cr.get());
    cairo_surface_flush(s.get());
    return s;
}

void cairo_polyline(cairo_t* cr, const std::vector<double>& xy, double width, const Rgba& c) {
    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_width(cr, width);
    cairo_move_to(cr, xy[0], xy[1]);
    for (std::size_t i = 2; i + 1 < xy.size(); i += 2) cairo_line_to(cr, xy[i], xy[i + 1]);
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
    cairo_stroke(cr);
    cairo_restore(cr);
}

struct Diff {
    int max = 0;
    double sum = 0;
    long long touched = 0;  ///< pixels that differ from the background in either image
};

Diff compare(cairo_surface_t* a, cairo_surface_t* b, cairo_surface_t* base, int x0 = 0, int y0 = 0, int x1 = W, int y1 = H) {
    const auto *pa = cairo_image_surface_get_data(a), *pb = cairo_image_surface_get_data(b), *pc = cairo_image_surface_get_data(base);
    const int st = cairo_image_surface_get_stride(a);
    Diff d;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) {
            const int o = y * st + 4 * x;
            if (std::memcmp(pa + o, pc + o, 4) == 0 && std::memcmp(pb + o, pc + o, 4) == 0) continue;
            ++d.touched;
            for (int c = 0; c < 4; ++c) {
                const int v = std::abs(int{pa[o + c]} - int{pb[o + c]});
                d.max = std::max(d.max, v);
                d.sum += v;
            }
        }
    return d;
}

const std::vector<std::vector<double>> kLines = {
    {10, 10, 60, 25, 90, 12, 120, 40},        // shallow zigzag
    {20, 100, 35, 50, 40, 105},               // sharp turn
    {150, 10, 190, 110},                      // steep diagonal
    {130.3, 60.7, 131.1, 61.2, 132.9, 60.1},  // sub-pixel segments
    {100, 80, 100.0, 80.0},                   // a dot
};
const Rgba kColours[] = {{0.0, 0.45, 0.70, 1}, {0.8, 0.2, 0.1, 0.6}, {0.2, 0.6, 0.3, 0.2}, {0.1, 0.1, 0.1, 1}, {0.9, 0.6, 0, 0.8}};

}  // namespace

TEST(DirectRaster, StrokesCloseToCairo) {
    for (const double width : {1.08, 1.8, 3.0}) {
        auto base = background(), ours = background(), theirs = background();
        auto target = [&] {
            auto cr = make_context(ours.get());
            auto t = RasterTarget::of(cr.get());
            EXPECT_TRUE(t);
            return *t;
        }();
        {
            auto cr = make_context(theirs.get());
            for (std::size_t i = 0; i < kLines.size(); ++i) {
                stroke_polyline(target, kLines[i], width, kColours[i], nullptr);
                cairo_polyline(cr.get(), kLines[i], width, kColours[i]);
            }
        }
        cairo_surface_mark_dirty(ours.get());
        cairo_surface_flush(theirs.get());
        const Diff d = compare(ours.get(), theirs.get(), base.get());
        std::printf("width %.2f px: max %d of 255, mean %.2f over %lld touched pixels\n", width, d.max, d.sum / (4.0 * d.touched),
                    d.touched);
        EXPECT_LE(d.max, 64) << "width " << width;
        EXPECT_LT(d.sum / (4.0 * d.touched), 4.0) << "width " << width;
    }
}

TEST(DirectRaster, StraightRunsMatchCairo) {
    // A horizontal and a vertical line on pixel centres: the distance rule is Cairo's area there.
    auto base = background(), ours = background(), theirs = background();
    const std::vector<double> h = {20, 40.5, 180, 40.5}, v = {100.5, 60, 100.5, 110};
    {
        auto cr = make_context(ours.get());
        auto t = RasterTarget::of(cr.get());
        ASSERT_TRUE(t);
        stroke_polyline(*t, h, 1.8, kColours[0], nullptr);
        stroke_polyline(*t, v, 1.8, kColours[0], nullptr);
        cairo_surface_mark_dirty(ours.get());
    }
    {
        auto cr = make_context(theirs.get());
        cairo_polyline(cr.get(), h, 1.8, kColours[0]);
        cairo_polyline(cr.get(), v, 1.8, kColours[0]);
        cairo_surface_flush(theirs.get());
    }
    // Away from the round caps (3 px from each end).
    EXPECT_LE(compare(ours.get(), theirs.get(), base.get(), 23, 30, 177, 50).max, 1);
    EXPECT_LE(compare(ours.get(), theirs.get(), base.get(), 90, 63, 110, 107).max, 1);
}

TEST(DirectRaster, OneStrokeBlendsOnceWhereItCrossesItself) {
    auto once = background(), twice = background();
    const std::vector<double> cross = {20, 20, 100, 100, 100, 20, 20, 100};  // crosses at (60, 60)
    const Rgba c{0.8, 0.2, 0.1, 0.5};
    {
        auto cr = make_context(once.get());
        auto t = RasterTarget::of(cr.get());
        ASSERT_TRUE(t);
        stroke_polyline(*t, cross, 3, c, nullptr);
        cairo_surface_mark_dirty(once.get());
    }
    {
        auto cr = make_context(twice.get());
        auto t = RasterTarget::of(cr.get());
        ASSERT_TRUE(t);
        stroke_polyline(*t, {20, 20, 100, 100}, 3, c, nullptr);
        stroke_polyline(*t, {100, 20, 20, 100}, 3, c, nullptr);
        cairo_surface_mark_dirty(twice.get());
    }
    const auto* a = cairo_image_surface_get_data(once.get()) + 60 * cairo_image_surface_get_stride(once.get()) + 4 * 60;
    const auto* b = cairo_image_surface_get_data(twice.get()) + 60 * cairo_image_surface_get_stride(twice.get()) + 4 * 60;
    auto far = [](const std::uint8_t* p, const std::uint8_t* q) {
        return std::abs(int{p[0]} - int{q[0]}) + std::abs(int{p[2]} - int{q[2]});
    };
    const auto* on_line = cairo_image_surface_get_data(once.get()) + 30 * cairo_image_surface_get_stride(once.get()) + 4 * 30;
    EXPECT_LE(far(a, on_line), 2) << "the crossing looks like the rest of the line";
    EXPECT_GT(far(b, on_line), 20) << "two strokes do blend twice (the test can tell)";
}

TEST(DirectRaster, ClipAndDamage) {
    auto base = background(), clipped = background(), whole = background();
    TileDamage damage(W, H);
    {
        auto cr = make_context(whole.get());
        auto t = RasterTarget::of(cr.get());
        ASSERT_TRUE(t);
        for (std::size_t i = 0; i < kLines.size(); ++i) stroke_polyline(*t, kLines[i], 1.8, kColours[i], &damage);
        cairo_surface_mark_dirty(whole.get());
    }
    {
        auto cr = make_context(clipped.get());
        cairo_rectangle(cr.get(), 0, 0, W, 60);  // the top half, as the trails' first thread
        cairo_clip(cr.get());
        auto t = RasterTarget::of(cr.get());
        ASSERT_TRUE(t);
        for (std::size_t i = 0; i < kLines.size(); ++i) stroke_polyline(*t, kLines[i], 1.8, kColours[i], nullptr);
        cairo_surface_mark_dirty(clipped.get());
    }
    const auto *pw = cairo_image_surface_get_data(whole.get()), *pc = cairo_image_surface_get_data(clipped.get()),
               *pb = cairo_image_surface_get_data(base.get());
    const int st = cairo_image_surface_get_stride(whole.get());
    TileDamage changed(W, H);
    long long clip_wrong = 0;
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            const int o = y * st + 4 * x;
            if (std::memcmp(pw + o, pb + o, 4) != 0) changed.add({double(x), double(y), x + 1.0, y + 1.0}, 0);
            clip_wrong += std::memcmp(pc + o, (y < 60 ? pw : pb) + o, 4) != 0;
        }
    EXPECT_EQ(clip_wrong, 0);
    TileDamage both = damage;
    both.merge(changed);
    EXPECT_EQ(both.pixels(), damage.pixels()) << "a changed pixel outside the reported damage";
    EXPECT_FALSE(changed.empty());
}

TEST(DirectRaster, RefusesWhatIsNotAPlainRasterTarget) {
    {
        SurfacePtr rec(cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, nullptr));
        CairoPtr cr(cairo_create(rec.get()));
        EXPECT_FALSE(RasterTarget::of(cr.get()));
    }
    auto s = background();
    {
        auto cr = make_context(s.get());
        cairo_rotate(cr.get(), 0.1);
        EXPECT_FALSE(RasterTarget::of(cr.get()));
    }
    {
        auto cr = make_context(s.get());
        cairo_set_operator(cr.get(), CAIRO_OPERATOR_SOURCE);
        EXPECT_FALSE(RasterTarget::of(cr.get()));
    }
    {
        auto cr = make_context(s.get());
        cairo_rectangle(cr.get(), 0.5, 0, 10, 10);
        cairo_clip(cr.get());
        EXPECT_FALSE(RasterTarget::of(cr.get()));
    }
    {
        auto cr = make_context(s.get());
        cairo_translate(cr.get(), 0, -30);  // the lower half's thread: a translation is fine
        auto t = RasterTarget::of(cr.get());
        ASSERT_TRUE(t);
        EXPECT_EQ(t->oy, -30);
        ASSERT_EQ(t->clip.size(), 1u);
        EXPECT_EQ(t->clip[0].y1, H);
    }
}

namespace {

/// Distance from (px, py) to the polyline `xy`, pixels.
double distance_to_polyline(double px, double py, const std::vector<double>& xy) {
    if (xy.size() == 2) return std::hypot(px - xy[0], py - xy[1]);
    double best = INFINITY;
    for (std::size_t i = 0; i + 3 < xy.size(); i += 2) {
        const double ax = xy[i], ay = xy[i + 1], dx = xy[i + 2] - ax, dy = xy[i + 3] - ay, len2 = dx * dx + dy * dy;
        const double u = len2 > 0 ? std::clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0.0, 1.0) : 0.0;
        best = std::min(best, std::hypot(px - ax - u * dx, py - ay - u * dy));
    }
    return best;
}

/// A gentle arc densified every `step` px (a geodesic on a conic projection looks like this).
std::vector<double> arc(double step, double radius, double x0, double y0, double length) {
    std::vector<double> xy;
    for (double s = 0; s <= length; s += step) {
        const double a = s / radius;
        xy.insert(xy.end(), {x0 + radius * std::sin(a), y0 + radius * (1 - std::cos(a))});
    }
    return xy;
}

}  // namespace

// Thinning keeps the polyline within its tolerance of itself, both ways, and drops what a
// densified, nearly straight trail does not need.
TEST(DirectRaster, ThinningStaysWithinItsTolerance) {
    constexpr double kTol = 1.0 / 32;  // px, the painter's
    const std::vector<double> xy = arc(2.5, 4000, 10, 30, 180);
    std::vector<double> out;
    thin_polyline(xy, kTol, out);
    ASSERT_GE(out.size(), 4u);
    EXPECT_EQ(out[0], xy[0]);
    EXPECT_EQ(out[out.size() - 1], xy[xy.size() - 1]);
    // Every vertex dropped lies within the tolerance of what is kept (1e-9 px of arithmetic);
    // every vertex kept is one of the input's.
    for (std::size_t i = 0; i < xy.size(); i += 2)
        EXPECT_LE(distance_to_polyline(xy[i], xy[i + 1], out), kTol + 1e-9) << "vertex " << i / 2;
    for (std::size_t i = 0; i < out.size(); i += 2) EXPECT_LT(distance_to_polyline(out[i], out[i + 1], xy), 1e-9);
    // A 180 px arc of radius 4000 px bows 1 px: it needs a few vertices of its 73, not all.
    EXPECT_LT(out.size() / 2, xy.size() / 2 / 4);
    // A run is at most 64 vertices, even on a straight line.
    std::vector<double> line;
    for (int i = 0; i < 1000; ++i) line.insert(line.end(), {10.0 + 0.1 * i, 50.0});
    thin_polyline(line, kTol, out);
    EXPECT_GE(out.size() / 2, 1000u / 64);
    EXPECT_LE(out.size() / 2, 1000u / 63 + 2);
}

TEST(DirectRaster, ThinningKeepsTurnsBackAndShortLines) {
    std::vector<double> out;
    // Out and back along one line: the far end is within any tolerance of the line through
    // the ends, but not of the segment between them, so it stays.
    const std::vector<double> hairpin = {10, 10, 60, 10, 61, 10, 20, 10};
    thin_polyline(hairpin, 0.5, out);
    EXPECT_LT(distance_to_polyline(61, 10, out), 1e-9);
    // A right angle keeps its corner; one or two points come back as they are.
    thin_polyline({0, 0, 10, 0, 10, 10}, 0.5, out);
    EXPECT_EQ(out, (std::vector<double>{0, 0, 10, 0, 10, 10}));
    thin_polyline({3, 4}, 0.5, out);
    EXPECT_EQ(out, (std::vector<double>{3, 4}));
    thin_polyline({3, 4, 5, 6}, 0.5, out);
    EXPECT_EQ(out, (std::vector<double>{3, 4, 5, 6}));
}

// What the painter draws: a thinned densified trail against the whole one, by at most
// tolerance x 255 per channel (coverage is distance-based), on the pixels either touches.
TEST(DirectRaster, AThinnedTrailLooksLikeTheWholeOne) {
    constexpr double kTol = 1.0 / 32;
    const std::vector<double> xy = arc(2.5, 900, 15, 20, 170);
    std::vector<double> thin;
    thin_polyline(xy, kTol, thin);
    ASSERT_LT(thin.size(), xy.size());
    auto base = background();
    auto draw = [&](const std::vector<double>& line) {
        auto s = background();
        auto cr = make_context(s.get());
        auto t = RasterTarget::of(cr.get());
        EXPECT_TRUE(t);
        stroke_polyline(*t, line, 1.8, kColours[0], nullptr);
        cairo_surface_mark_dirty(s.get());
        return s;
    };
    auto whole = draw(xy), thinned = draw(thin);
    const Diff d = compare(whole.get(), thinned.get(), base.get());
    EXPECT_GT(d.touched, 300);
    EXPECT_LE(d.max, static_cast<int>(std::ceil(kTol * 255)) + 1);
}
