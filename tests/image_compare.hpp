#pragma once
// Golden-image comparison for tests (maplibre-native render-test style): writes actual.png and
// diff.png beside the build tree, passes when the share of pixels differing by more than
// `channel_tolerance` in any channel is at most `max_bad_fraction`. With FR_UPDATE_GOLDENS=1
// the expected image is rewritten instead (look at it before committing).
#include <cairo.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>

struct ImageDiff {
    bool same_size = false;
    double bad_fraction = 1.0;  ///< share of pixels beyond the channel tolerance
    int max_channel_diff = 255;
    std::string message;
};

inline ImageDiff compare_surfaces(cairo_surface_t* actual, cairo_surface_t* expected, int channel_tolerance,
                                  const std::filesystem::path& diff_png) {
    ImageDiff d;
    const int w = cairo_image_surface_get_width(actual), h = cairo_image_surface_get_height(actual);
    if (w != cairo_image_surface_get_width(expected) || h != cairo_image_surface_get_height(expected)) {
        d.message = "size differs";
        return d;
    }
    d.same_size = true;
    cairo_surface_flush(actual);
    cairo_surface_flush(expected);
    cairo_surface_t* diff = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    const int sa = cairo_image_surface_get_stride(actual), se = cairo_image_surface_get_stride(expected),
              sd = cairo_image_surface_get_stride(diff);
    const unsigned char* a = cairo_image_surface_get_data(actual);
    const unsigned char* e = cairo_image_surface_get_data(expected);
    unsigned char* o = cairo_image_surface_get_data(diff);
    long bad = 0;
    d.max_channel_diff = 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            int m = 0;
            for (int c = 0; c < 4; ++c) m = std::max(m, std::abs(a[y * sa + x * 4 + c] - e[y * se + x * 4 + c]));
            d.max_channel_diff = std::max(d.max_channel_diff, m);
            unsigned char* p = o + y * sd + x * 4;
            const bool is_bad = m > channel_tolerance;
            bad += is_bad;
            p[0] = 0;
            p[1] = is_bad ? 0 : static_cast<unsigned char>(a[y * sa + x * 4 + 1] / 4);
            p[2] = is_bad ? 255 : static_cast<unsigned char>(a[y * sa + x * 4 + 2] / 4);
            p[3] = 255;
        }
    cairo_surface_mark_dirty(diff);
    cairo_surface_write_to_png(diff, diff_png.c_str());
    cairo_surface_destroy(diff);
    d.bad_fraction = static_cast<double>(bad) / (static_cast<double>(w) * h);
    d.message = "differing pixels: " + std::to_string(d.bad_fraction * 100) + "%, largest channel difference " +
                std::to_string(d.max_channel_diff) + "; see " + diff_png.string();
    return d;
}

inline bool update_goldens() {
    const char* v = std::getenv("FR_UPDATE_GOLDENS");
    return v && std::string(v) == "1";
}
