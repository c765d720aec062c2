#include "export/png_writer.hpp"

#include "core/error.hpp"
#include "export/atomic_file.hpp"

#include <png.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>

namespace fr::output {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path) {
    throw IoError("cannot write PNG '" + path.string() + "': " + what);
}

// ---- RAII handles ---------------------------------------------------------------------------

/// libpng's write and info structs are destroyed together, so they are owned together.
struct PngHandles {
    png_structp png = nullptr;
    png_infop info = nullptr;
};
struct PngHandlesDeleter {
    void operator()(PngHandles* h) const noexcept {
        png_destroy_write_struct(&h->png, h->info ? &h->info : nullptr);
        delete h;
    }
};
using PngHandlesPtr = std::unique_ptr<PngHandles, PngHandlesDeleter>;

// ---- libpng's error model, wrapped once -------------------------------------------------------
// libpng reports errors by calling a callback that must not return; we record the message and
// longjmp back to run_libpng(), which only holds trivially destructible locals, then throw.

struct PngError {
    char message[4096] = {};
    AtomicFile* file = nullptr;
    bool io = false;  ///< the message is a complete IoError text from AtomicFile
};

/// libpng's write callback: checked writes through our descriptor. An IoError (full disk)
/// cannot cross libpng's C frames, so its text goes through the error callback.
extern "C" void on_png_write(png_structp png, png_bytep data, png_size_t length) {
    auto* err = static_cast<PngError*>(png_get_error_ptr(png));
    try {
        err->file->write(data, length);
        return;
    } catch (const std::exception& e) {
        err->io = true;
        std::snprintf(err->message, sizeof err->message, "%s", e.what());
    }
    png_error(png, err->message);  // longjmps: outside the catch block, whose exception is done
}
extern "C" void on_png_flush(png_structp) {}

extern "C" void on_png_error(png_structp png, png_const_charp msg) {
    auto* err = static_cast<PngError*>(png_get_error_ptr(png));
    if (msg != err->message)  // on_png_write passes our own buffer
        std::snprintf(err->message, sizeof err->message, "%s", msg ? msg : "libpng error");
    png_longjmp(png, 1);
}
extern "C" void on_png_warning(png_structp, png_const_charp) {}  // nothing we write warns

struct PngJob {
    png_uint_32 width, height;
    int color_type;
    int compression_level;
    png_textp texts;
    int text_count;
    png_bytepp rows;
    unsigned pixels_per_metre;  ///< 0: no pHYs chunk
};

/// Returns true on success; on failure libpng's message is in `err`.
bool run_libpng(const PngHandles& h, const PngJob& job) {
    if (setjmp(png_jmpbuf(h.png))) return false;
    png_set_write_fn(h.png, png_get_error_ptr(h.png), on_png_write, on_png_flush);
    png_set_IHDR(h.png, h.info, job.width, job.height, 8, job.color_type, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(h.png, job.compression_level);
    // Fast levels (1-3) use the "Up" filter only: libpng's default tries all five filters on
    // every row, which cost more than the deflate itself on map frames (large flat areas that
    // "Up" turns into zero runs). Level 0 stores unfiltered; 4-9 keep the adaptive choice.
    if (job.compression_level == 0)
        png_set_filter(h.png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    else if (job.compression_level <= 3)
        png_set_filter(h.png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
    // Level 1: run-length matching only (Z_RLE), several times faster than deflate's search
    // on such frames for files about a third larger (bench/png_sequence_bench).
    if (job.compression_level == 1) png_set_compression_strategy(h.png, Z_RLE);
    if (job.text_count > 0) png_set_text(h.png, h.info, job.texts, job.text_count);
    if (job.pixels_per_metre > 0) png_set_pHYs(h.png, h.info, job.pixels_per_metre, job.pixels_per_metre, PNG_RESOLUTION_METER);
    png_write_info(h.png, h.info);
    png_write_image(h.png, job.rows);
    png_write_end(h.png, h.info);
    return true;
}

bool valid_keyword(const std::string& k) {
    if (k.empty() || k.size() > 79 || k.front() == ' ' || k.back() == ' ') return false;
    for (std::size_t i = 0; i < k.size(); ++i) {
        const auto c = static_cast<unsigned char>(k[i]);
        if (!((c >= 32 && c <= 126) || c >= 161)) return false;
        if (c == ' ' && i > 0 && k[i - 1] == ' ') return false;
    }
    return true;
}

}  // namespace

unsigned pixels_per_metre(double dpi) {
    if (!(dpi > 0) || dpi > 1e6) return 0;
    return static_cast<unsigned>(std::lround(dpi / 0.0254));
}

void write_png(const std::filesystem::path& path, const std::uint8_t* argb32, int width, int height, int stride,
               const std::vector<std::pair<std::string, std::string>>& text_chunks, int compression_level, double dpi) {
    if (dpi < 0 || dpi > 1e6) fail("resolution " + std::to_string(dpi) + " dpi is outside 0..1e6", path);
    if (!argb32 || width <= 0 || height <= 0) fail("no pixels or a non-positive size", path);
    if (stride < 4 * width) fail("stride " + std::to_string(stride) + " is smaller than 4 x width", path);
    if (compression_level < 0 || compression_level > 9)
        fail("zlib compression level " + std::to_string(compression_level) + " is outside 0..9", path);

    // Text chunks: mutable copies, since png_text holds non-const pointers.
    std::vector<std::string> keys, values;
    keys.reserve(text_chunks.size());
    values.reserve(text_chunks.size());
    std::vector<png_text> texts(text_chunks.size());
    for (std::size_t i = 0; i < text_chunks.size(); ++i) {
        const auto& [key, value] = text_chunks[i];
        if (!valid_keyword(key)) fail("invalid PNG text keyword '" + key + "'", path);
        if (value.find('\0') != std::string::npos) fail("text for keyword '" + key + "' contains a NUL", path);
        keys.push_back(key);
        values.push_back(value);
        const bool ascii = std::all_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 128; });
        png_text& t = texts[i];
        std::memset(&t, 0, sizeof t);
        t.compression = ascii ? PNG_TEXT_COMPRESSION_NONE : PNG_ITXT_COMPRESSION_NONE;
        t.key = keys.back().data();
        t.text = values.back().data();
        t.text_length = ascii ? values.back().size() : 0;
        t.itxt_length = ascii ? 0 : values.back().size();
    }

    // Pixels: native-endian 0xAARRGGBB words -> R,G,B[,A] bytes, premultiplication undone.
    auto pixel = [&](int x, int y) {
        std::uint32_t p;
        std::memcpy(&p, argb32 + static_cast<std::size_t>(y) * stride + 4 * static_cast<std::size_t>(x), 4);
        return p;
    };
    bool opaque = true;
    for (int y = 0; y < height && opaque; ++y)
        for (int x = 0; x < width; ++x)
            if ((pixel(x, y) >> 24) != 0xFF) {
                opaque = false;
                break;
            }
    const int channels = opaque ? 3 : 4;
    const std::size_t row_bytes = static_cast<std::size_t>(width) * channels;
    std::vector<png_byte> data(row_bytes * height);
    std::vector<png_bytep> rows(height);
    for (int y = 0; y < height; ++y) {
        png_bytep out = data.data() + row_bytes * y;
        rows[y] = out;
        for (int x = 0; x < width; ++x) {
            const std::uint32_t p = pixel(x, y);
            const unsigned a = p >> 24, r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF;
            if (opaque) {
                *out++ = static_cast<png_byte>(r);
                *out++ = static_cast<png_byte>(g);
                *out++ = static_cast<png_byte>(b);
            } else {
                auto unpremultiply = [a](unsigned c) -> png_byte {
                    return a == 0 ? 0 : static_cast<png_byte>(std::min(255u, (c * 255 + a / 2) / a));
                };
                *out++ = unpremultiply(r);
                *out++ = unpremultiply(g);
                *out++ = unpremultiply(b);
                *out++ = static_cast<png_byte>(a);
            }
        }
    }

    AtomicFile file(path);
    PngError err;
    err.file = &file;
    PngHandlesPtr h(new PngHandles);
    h->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &err, on_png_error, on_png_warning);
    if (!h->png) fail("libpng cannot create a write struct", path);
    h->info = png_create_info_struct(h->png);
    if (!h->info) fail("libpng cannot create an info struct", path);

    const PngJob job{static_cast<png_uint_32>(width),
                     static_cast<png_uint_32>(height),
                     opaque ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGBA,
                     compression_level,
                     texts.data(),
                     static_cast<int>(texts.size()),
                     rows.data(),
                     pixels_per_metre(dpi)};
    if (!run_libpng(*h, job)) {
        if (err.io) throw IoError(err.message);
        fail(std::string("libpng: ") + err.message, path);
    }
    h.reset();
    file.commit();
}

}  // namespace fr::output
