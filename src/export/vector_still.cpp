#include "export/vector_still.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include <cstdio>
#include <memory>

#include "core/error.hpp"
#include "export/temp_file.hpp"

namespace fr::output {

namespace {

struct FileCloser {
    void operator()(std::FILE* f) const noexcept {
        if (f) std::fclose(f);
    }
};
struct SurfaceCloser {
    void operator()(cairo_surface_t* s) const noexcept { cairo_surface_destroy(s); }
};
struct ContextCloser {
    void operator()(cairo_t* c) const noexcept { cairo_destroy(c); }
};

cairo_status_t write_to_file(void* closure, const unsigned char* data, unsigned int length) {
    auto* f = static_cast<std::FILE*>(closure);
    return std::fwrite(data, 1, length, f) == length ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
    throw IoError("cannot write '" + path.string() + "': " + what);
}

constexpr double points_per_px = 72.0 / 96.0;  // PDF user units are points (1/72 in); CSS px are 1/96 in

}  // namespace

void write_vector_still(const std::filesystem::path& path, VectorFormat format, double width_px, double height_px,
                        const VectorMetadata& meta, const std::function<void(cairo_t*)>& draw) {
    if (!(width_px >= 1 && height_px >= 1)) fail(path, "page size must be at least 1x1 pixel");
    detail::TempFile temp;
    if (auto ec = temp.create(path)) fail(path, "cannot create a temporary file beside it: " + ec.message());
    std::unique_ptr<std::FILE, FileCloser> file(::fdopen(temp.take_fd(), "wb"));
    if (!file) fail(path, "fdopen failed");
    {
        std::unique_ptr<cairo_surface_t, SurfaceCloser> surface;
        if (format == VectorFormat::pdf) {
            surface.reset(cairo_pdf_surface_create_for_stream(write_to_file, file.get(), width_px * points_per_px,
                                                              height_px * points_per_px));
            cairo_pdf_surface_restrict_to_version(surface.get(), CAIRO_PDF_VERSION_1_5);
            auto set = [&](cairo_pdf_metadata_t key, const std::string& v) {
                if (!v.empty()) cairo_pdf_surface_set_metadata(surface.get(), key, v.c_str());
            };
            set(CAIRO_PDF_METADATA_TITLE, meta.title);
            set(CAIRO_PDF_METADATA_SUBJECT, meta.subject);
            set(CAIRO_PDF_METADATA_CREATOR, meta.creator);
            set(CAIRO_PDF_METADATA_KEYWORDS, meta.keywords);
            set(CAIRO_PDF_METADATA_CREATE_DATE, meta.date);
            set(CAIRO_PDF_METADATA_MOD_DATE, meta.date);
        } else {
            surface.reset(cairo_svg_surface_create_for_stream(write_to_file, file.get(), width_px, height_px));
            cairo_svg_surface_restrict_to_version(surface.get(), CAIRO_SVG_VERSION_1_1);
            cairo_svg_surface_set_document_unit(surface.get(), CAIRO_SVG_UNIT_PX);
        }
        if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
            fail(path, cairo_status_to_string(cairo_surface_status(surface.get())));
        {
            std::unique_ptr<cairo_t, ContextCloser> cr(cairo_create(surface.get()));
            if (format == VectorFormat::pdf) cairo_scale(cr.get(), points_per_px, points_per_px);
            draw(cr.get());
            if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) fail(path, cairo_status_to_string(cairo_status(cr.get())));
        }
        cairo_surface_finish(surface.get());
        if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
            fail(path, cairo_status_to_string(cairo_surface_status(surface.get())));
    }
    if (std::fflush(file.get()) != 0) fail(path, "write failed");
    if (std::fclose(file.release()) != 0) fail(path, "close failed");
    std::error_code ec;
    std::filesystem::rename(temp.path(), path, ec);
    if (ec) fail(path, "cannot rename '" + temp.path().string() + "': " + ec.message());
    temp.release();
}

}  // namespace fr::output
