#pragma once
// Text through Pango with a private fontconfig configuration (assets/fonts/fonts.conf), so the
// bundled DejaVu Sans is the only font and output never depends on the system's fonts.
// Hinting is off and metrics are unhinted, so text is laid out identically at every size.
#include <cairo.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "render/cairo_handles.hpp"
#include "render/cartography.hpp"
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
    /// Returns the ink's bounding box in user space (halo included), for damage tracking.
    ///
    /// On image surfaces without rotation or scaling (every raster frame and the window's HUD),
    /// text is drawn once into a small image, remembered, and composited: labels, cards and
    /// figures recur frame after frame, and laying out, stroking the halo and filling glyphs cost
    /// most of a replay frame's drawing. The position is kept to 1/4 pixel (the image is drawn
    /// at that sub-pixel offset), so the pixels depend only on the arguments, never on what was
    /// drawn before. Vector surfaces (SVG/PDF) always get real text.
    Box draw(cairo_t* cr, const std::string& text, double x, double y, double size_px, const Rgba& colour, bool bold = false,
             Align align = Align::left, Rgba halo = {0, 0, 0, 0}) const;

    /// The engine belongs to the thread that made it (or adopted it); other threads may use it
    /// only while its owner holds a SharedUse (its locks then serialise Pango), e.g. while the
    /// static layer is drawn in two halves. Checked when owner checks are on.
    class SharedUse {
    public:
        explicit SharedUse(const TextEngine& e) noexcept;
        ~SharedUse();
        SharedUse(const SharedUse&) = delete;
        SharedUse& operator=(const SharedUse&) = delete;

    private:
        const TextEngine& m_engine;
    };
    /// Hands the engine to the calling thread (made on another one, e.g. while data loads).
    void adopt_thread() const noexcept { m_owner.adopt(); }

private:
    ThreadOwner m_owner;
    mutable std::atomic<int> m_shared{0};  ///< live SharedUse objects
    void check_thread() const noexcept;

    FcConfigPtr m_config;
    GPtr<PangoFontMap> m_font_map;
    GPtr<PangoContext> m_context;
    /// Pango's objects are not thread-safe: every layout is made and drawn under this lock, so
    /// the static map layer can be drawn by two threads (its halves) with one engine.
    mutable std::mutex m_pango_mutex;
    mutable std::mutex m_measured_mutex;
    mutable std::unordered_map<std::string, TextSize> m_measured;  ///< key: size_px bytes, bold, text

    struct Sprite {
        SurfacePtr image;    ///< premultiplied ARGB32, null when the text has no ink
        int ox = 0, oy = 0;  ///< image origin relative to the whole-pixel text origin
        Box ink;             ///< ink box (halo included) relative to the exact text origin
    };
    Sprite render_sprite(const std::string& text, double fx, double fy, double size_px, const Rgba& colour, bool bold, Align align,
                         const Rgba& halo) const;
    mutable std::mutex m_sprites_mutex;
    mutable std::unordered_map<std::string, std::shared_ptr<const Sprite>> m_sprites;
    mutable std::size_t m_sprite_bytes = 0;
};

}  // namespace fr::render
