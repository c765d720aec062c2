#pragma once
// Vector stills through Cairo's PDF and SVG surfaces: the same drawing code as the PNG path,
// text kept as text in PDF (Cairo's SVG surface writes glyphs as outlines: accepted), written to
// an AtomicFile (export/atomic_file.hpp), so a failed write leaves nothing behind.
#include <cairo.h>

#include <filesystem>
#include <functional>
#include <string>

namespace fr::output {

enum class VectorFormat { pdf, svg };

/// Document information. PDF: Title, Subject, Creator, Keywords and both dates. SVG: a <title>
/// and a Dublin Core <metadata> block (dc:title, description = subject, creator, subject =
/// keywords, date), inserted after Cairo's <svg> tag (Cairo's SVG surface writes none).
struct VectorMetadata {
    std::string title, subject, creator, keywords;
    /// "YYYY-MM-DDThh:mm:ssZ": PDF CreationDate and ModDate. Pinned by the caller (to the data's
    /// start time) so that the same input gives the same bytes; empty lets Cairo use the clock.
    std::string date;
};

/// Creates a `width_px` x `height_px` page (CSS pixels, 1/96 in: a PDF page is 0.75 pt per
/// pixel) and calls `draw` with a context whose user space is those pixels. Throws fr::IoError
/// naming `path` on any Cairo or file-system failure (and removes the temporary file).
void write_vector_still(const std::filesystem::path& path, VectorFormat format, double width_px, double height_px,
                        const VectorMetadata& meta, const std::function<void(cairo_t*)>& draw);

}  // namespace fr::output
