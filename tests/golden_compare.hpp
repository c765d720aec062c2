#pragma once
// Golden-image files: compares a rendered surface with tests/golden/NAME.png (writing
// NAME.actual.png and NAME.diff.png to the build tree), or rewrites the golden when
// FR_UPDATE_GOLDENS=1 (look at it before committing). Tolerances are the caller's.
#include <cairo.h>

#include <filesystem>
#include <string>

#include "image_compare.hpp"
#include "test_paths.hpp"

inline ImageDiff compare_with_golden(const std::string& name, cairo_surface_t* actual, int channel_tolerance) {
    const auto golden = fr::test::source_dir() / "tests/golden" / (name + ".png");
    const auto out_dir = fr::test::binary_dir() / "golden-output";
    std::filesystem::create_directories(out_dir);
    cairo_surface_write_to_png(actual, (out_dir / (name + ".actual.png")).c_str());
    if (update_goldens()) {
        cairo_surface_write_to_png(actual, golden.c_str());
        ImageDiff d;
        d.same_size = true;
        d.bad_fraction = 0;
        d.max_channel_diff = 0;
        return d;
    }
    cairo_surface_t* expected = cairo_image_surface_create_from_png(golden.c_str());
    if (cairo_surface_status(expected) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(expected);
        ImageDiff d;
        d.message = "cannot read golden " + golden.string() + " (run with FR_UPDATE_GOLDENS=1)";
        return d;
    }
    auto d = compare_surfaces(actual, expected, channel_tolerance, out_dir / (name + ".diff.png"));
    cairo_surface_destroy(expected);
    return d;
}
