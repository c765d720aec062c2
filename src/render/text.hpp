#pragma once
// Text through Pango with a private fontconfig configuration (assets/fonts/fonts.conf), so the
// bundled DejaVu Sans is the only font and output never depends on the system's fonts.
// Hinting is off and metrics are unhinted, so text is laid out identically at every size.
#include <cairo.h>

#include <filesystem>
#include <mutex>
#include <string>
#include <unordered_map>

#include "render/cairo_handles.hpp"
#include "render/style.hpp"

typedef struct _PangoFontMap PangoFontMap;
typedef struct _PangoContext PangoContext;

namespace fr::render {

enum class Align { left, center, right };

struct TextSize {
    double width = 0, height = 0;  ///< pixels (logical extents)
};

class TextEngine {
public:
    /// Loads the fontconfig file; throws RenderError when it cannot be parsed or has no font.
    explicit TextEngine(const std::filesystem::path& fonts_conf);
    ~TextEngine();
    TextEngine(const TextEngine&) = delete;
    TextEngine& operator=(const TextEngine&) = delete;

    /// Size of `text` (may contain newlines) at `size_px` pixels. Remembered (up to 20,000
    /// strings): busy scenes measure a thousand aircraft labels a frame, mostly the same
    /// strings as in the frame before, and a Pango layout per string cost ~10 ms a frame.
    TextSize measure(const std::string& text, double size_px, bool bold = false) const;
    /// Draws `text` with its top-left (or top-centre/top-right per `align`) at (x, y).
    /// A halo (outline) in `halo` colour is drawn under it when halo.a > 0.
    void draw(cairo_t* cr, const std::string& text, double x, double y, double size_px, const Rgba& colour,
              bool bold = false, Align align = Align::left, Rgba halo = {0, 0, 0, 0}) const;

private:
    FcConfigPtr m_config;
    GPtr<PangoFontMap> m_font_map;
    GPtr<PangoContext> m_context;
    mutable std::mutex m_measured_mutex;
    mutable std::unordered_map<std::string, TextSize> m_measured;  ///< key: size_px bytes, bold, text
};

}  // namespace fr::render
