#pragma once
// Window-versus-export comparison. A whole-image share of differing pixels cannot see a clock
// that is one minute off (a few digits among a million pixels), so the images are compared
// in 16x16 tiles: a pixel is "bad" when any channel differs by more than `channel_tolerance`,
// and the images match when no tile has more than `max_tile_bad` bad pixels and the whole
// image no more than `max_bad_fraction`. GPU trails differ from Cairo's only on their
// anti-aliased edge (a few scattered pixels per tile); a changed clock digit changes dozens
// of pixels in one tile.
#include <cairo.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

struct TileDiff {
    bool same_size = false;
    int worst_tile_bad = 256;  ///< bad pixels in the worst 16x16 tile
    int worst_tile_x = -1, worst_tile_y = -1;
    double bad_fraction = 1;
    std::string message;
};

inline TileDiff compare_tiles(cairo_surface_t* a, cairo_surface_t* b, int channel_tolerance, const char* diff_png = nullptr) {
    TileDiff d;
    const int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    if (w != cairo_image_surface_get_width(b) || h != cairo_image_surface_get_height(b)) {
        d.message = "sizes differ";
        return d;
    }
    d.same_size = true;
    cairo_surface_flush(a);
    cairo_surface_flush(b);
    const int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
    const unsigned char* pa = cairo_image_surface_get_data(a);
    const unsigned char* pb = cairo_image_surface_get_data(b);
    const int tw = (w + 15) / 16, th = (h + 15) / 16;
    std::vector<int> tiles(static_cast<std::size_t>(tw) * th, 0);
    long bad = 0;
    cairo_surface_t* diff = diff_png ? cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h) : nullptr;
    unsigned char* pd = diff ? cairo_image_surface_get_data(diff) : nullptr;
    const int sd = diff ? cairo_image_surface_get_stride(diff) : 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            int m = 0;
            for (int c = 0; c < 3; ++c) m = std::max(m, std::abs(pa[y * sa + x * 4 + c] - pb[y * sb + x * 4 + c]));
            if (pd) {  // red: bad pixel; else the actual image, dimmed
                unsigned char* q = pd + y * sd + x * 4;
                q[0] = m > channel_tolerance ? 0 : static_cast<unsigned char>(pa[y * sa + x * 4] / 3);
                q[1] = m > channel_tolerance ? 0 : static_cast<unsigned char>(pa[y * sa + x * 4 + 1] / 3);
                q[2] = m > channel_tolerance ? 255 : static_cast<unsigned char>(pa[y * sa + x * 4 + 2] / 3);
                q[3] = 255;
            }
            if (m > channel_tolerance) {
                ++bad;
                ++tiles[static_cast<std::size_t>(y / 16) * tw + x / 16];
            }
        }
    if (diff) {
        cairo_surface_mark_dirty(diff);
        cairo_surface_write_to_png(diff, diff_png);
        cairo_surface_destroy(diff);
    }
    d.worst_tile_bad = 0;
    for (int ty = 0; ty < th; ++ty)
        for (int tx = 0; tx < tw; ++tx)
            if (tiles[static_cast<std::size_t>(ty) * tw + tx] > d.worst_tile_bad)
                d.worst_tile_bad = tiles[static_cast<std::size_t>(ty) * tw + tx], d.worst_tile_x = tx * 16, d.worst_tile_y = ty * 16;
    d.bad_fraction = static_cast<double>(bad) / (static_cast<double>(w) * h);
    d.message = "bad pixels " + std::to_string(bad) + " (" + std::to_string(d.bad_fraction * 100) + "%), worst 16x16 tile has " +
                std::to_string(d.worst_tile_bad) + " at (" + std::to_string(d.worst_tile_x) + "," + std::to_string(d.worst_tile_y) + ")";
    return d;
}
