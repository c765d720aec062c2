#include "export/vector_still.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include <cstdio>
#include <memory>

#include "core/error.hpp"
#include "export/atomic_file.hpp"
#include "export/xml_text.hpp"

namespace fr::output {

namespace {

struct SurfaceCloser {
    void operator()(cairo_surface_t* s) const noexcept { cairo_surface_destroy(s); }
};
struct ContextCloser {
    void operator()(cairo_t* c) const noexcept { cairo_destroy(c); }
};

/// Cairo's stream callback: checked writes through our descriptor. The first failure's text
/// is kept (Cairo only knows CAIRO_STATUS_WRITE_ERROR) and thrown after Cairo returns.
struct Stream {
    AtomicFile* file;
    std::string error;
    std::string* buffer = nullptr;  ///< SVG: collected here, metadata inserted, then written
};
cairo_status_t write_to_file(void* closure, const unsigned char* data, unsigned int length) {
    auto* s = static_cast<Stream*>(closure);
    if (!s->error.empty()) return CAIRO_STATUS_WRITE_ERROR;
    try {
        if (s->buffer)
            s->buffer->append(reinterpret_cast<const char*>(data), length);
        else
            s->file->write(data, length);
        return CAIRO_STATUS_SUCCESS;
    } catch (const std::exception& e) {
        s->error = e.what();
        return CAIRO_STATUS_WRITE_ERROR;
    }
}

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
    throw IoError("cannot write '" + path.string() + "': " + what);
}

/// A <title> and a Dublin Core <metadata> block (the form Inkscape reads and writes) for the
/// document's provenance, inserted right after the opening <svg> tag Cairo wrote.
std::string svg_with_metadata(const std::string& svg, const VectorMetadata& meta, const std::filesystem::path& path) {
    const auto open = svg.find("<svg");
    const auto end = open == std::string::npos ? open : svg.find('>', open);
    if (end == std::string::npos) throw IoError("cannot write '" + path.string() + "': Cairo wrote no <svg> element");
    std::string block = "\n";
    if (!meta.title.empty()) block += "<title>" + xml_escaped(meta.title) + "</title>\n";
    block +=
        "<metadata>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<rdf:Description rdf:about=\"\">\n";
    auto add = [&](const char* key, const std::string& v) {
        if (!v.empty()) block += std::string("<dc:") + key + ">" + xml_escaped(v) + "</dc:" + key + ">\n";
    };
    add("title", meta.title);
    add("description", meta.subject);
    add("creator", meta.creator);
    add("subject", meta.keywords);
    add("date", meta.date);
    block += "</rdf:Description>\n</rdf:RDF>\n</metadata>";
    std::string out;
    out.reserve(svg.size() + block.size());
    out.append(svg, 0, end + 1);
    out += block;
    out.append(svg, end + 1, std::string::npos);
    return out;
}

constexpr double points_per_px = 72.0 / 96.0;  // PDF user units are points (1/72 in); CSS px are 1/96 in

}  // namespace

void write_vector_still(const std::filesystem::path& path, VectorFormat format, double width_px, double height_px,
                        const VectorMetadata& meta, const std::function<void(cairo_t*)>& draw) {
    if (!(width_px >= 1 && height_px >= 1)) fail(path, "page size must be at least 1x1 pixel");
    AtomicFile file(path);
    std::string svg;
    Stream stream{&file, {}, format == VectorFormat::svg ? &svg : nullptr};
    // A failed write throws the file's own message ("No space left on device"), not Cairo's.
    auto check = [&](cairo_status_t st) {
        if (!stream.error.empty()) throw IoError(stream.error);
        if (st != CAIRO_STATUS_SUCCESS) fail(path, cairo_status_to_string(st));
    };
    {
        std::unique_ptr<cairo_surface_t, SurfaceCloser> surface;
        if (format == VectorFormat::pdf) {
            surface.reset(cairo_pdf_surface_create_for_stream(write_to_file, &stream, width_px * points_per_px, height_px * points_per_px));
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
            surface.reset(cairo_svg_surface_create_for_stream(write_to_file, &stream, width_px, height_px));
            cairo_svg_surface_restrict_to_version(surface.get(), CAIRO_SVG_VERSION_1_1);
            cairo_svg_surface_set_document_unit(surface.get(), CAIRO_SVG_UNIT_PX);
        }
        check(cairo_surface_status(surface.get()));
        {
            std::unique_ptr<cairo_t, ContextCloser> cr(cairo_create(surface.get()));
            if (format == VectorFormat::pdf) cairo_scale(cr.get(), points_per_px, points_per_px);
            draw(cr.get());
            check(cairo_status(cr.get()));
        }
        cairo_surface_finish(surface.get());
        check(cairo_surface_status(surface.get()));
    }
    if (format == VectorFormat::svg) {
        const std::string out = svg_with_metadata(svg, meta, path);
        file.write(out.data(), out.size());
    }
    file.commit();
}

}  // namespace fr::output
