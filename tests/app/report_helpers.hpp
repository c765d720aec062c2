#pragma once
// Helpers for the report-output tests: run the real executable, look for external clients
// (pdftoppm, pdftotext, rsvg-convert, ogrinfo; scripts/setup.sh installs them), read files, and
// load PNGs for comparison.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cairo.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "test_paths.hpp"

namespace fr::test {

struct RunResult {
    int status = -1;
    std::string out, err;
};

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Runs a shell command line, capturing stdout and stderr.
inline RunResult run_shell(const std::string& cmd) {
    static int n = 0;
    const auto base = std::filesystem::temp_directory_path() / ("fr_report_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    const std::string full = cmd + " >" + base.string() + ".out 2>" + base.string() + ".err";
    const int rc = std::system(full.c_str());
    RunResult r{WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(base.string() + ".out"), slurp(base.string() + ".err")};
    std::filesystem::remove(base.string() + ".out");
    std::filesystem::remove(base.string() + ".err");
    return r;
}

inline RunResult run_fr(const std::string& args) { return run_shell(std::string(FR_EXE) + " " + args); }

inline bool have_tool(const std::string& name) { return run_shell("command -v " + name).status == 0; }

#define FR_REQUIRE_TOOL(name)                                                                       \
    do {                                                                                            \
        if (!fr::test::have_tool(name))                                                             \
            GTEST_SKIP() << name << " not found: install it with scripts/setup.sh (poppler-utils, " \
                         << "librsvg2-bin, gdal-bin)";                                              \
    } while (0)

inline std::string samples() {
    return (source_dir() / "assets/samples/RFF7203_UUMU-ZKPY_2023-07-31_reconstructed.csv").string() + " " +
           (source_dir() / "assets/samples/RFF7203_ZKPY-UUMU_2023-08-02_reconstructed.csv").string();
}

inline std::filesystem::path out_dir(const std::string& name) {
    auto d = binary_dir() / "report-output" / name;
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
}

struct SurfaceCloser {
    void operator()(cairo_surface_t* s) const noexcept { cairo_surface_destroy(s); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceCloser>;

/// A PNG as an RGB24 surface (alpha flattened onto white), so PNGs written with and without an
/// alpha channel compare alike.
inline Surface load_png_rgb(const std::filesystem::path& p) {
    Surface src(cairo_image_surface_create_from_png(p.c_str()));
    const int w = cairo_image_surface_get_width(src.get()), h = cairo_image_surface_get_height(src.get());
    Surface out(cairo_image_surface_create(CAIRO_FORMAT_RGB24, std::max(w, 1), std::max(h, 1)));
    cairo_t* cr = cairo_create(out.get());
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_surface(cr, src.get(), 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_flush(out.get());
    return out;
}

/// Mean of each `k` x `k` block: differences in antialiasing of one-pixel edges (Cairo's image
/// backend vs Poppler or librsvg) average out, while moved or missing content remains.
inline Surface downsample(cairo_surface_t* src, int k) {
    cairo_surface_flush(src);
    const int w = cairo_image_surface_get_width(src) / k, h = cairo_image_surface_get_height(src) / k;
    Surface out(cairo_image_surface_create(CAIRO_FORMAT_RGB24, std::max(w, 1), std::max(h, 1)));
    const unsigned char* a = cairo_image_surface_get_data(src);
    unsigned char* o = cairo_image_surface_get_data(out.get());
    const int sa = cairo_image_surface_get_stride(src), so = cairo_image_surface_get_stride(out.get());
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 4; ++c) {
                int sum = 0;
                for (int dy = 0; dy < k; ++dy)
                    for (int dx = 0; dx < k; ++dx) sum += a[(y * k + dy) * sa + (x * k + dx) * 4 + c];
                o[y * so + x * 4 + c] = static_cast<unsigned char>(sum / (k * k));
            }
    cairo_surface_mark_dirty(out.get());
    return out;
}

}  // namespace fr::test
