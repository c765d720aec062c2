#pragma once
// RAII owners for Cairo, Pango/GLib and fontconfig handles: unique_ptr with a
// stateless deleter per handle type. Cairo errors are sticky; check_status() turns one into
// fr::RenderError with context.
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <glib-object.h>
#include <pango/pango.h>

#include <memory>
#include <string>

#include "core/error.hpp"
#include "core/thread_owner.hpp"

namespace fr::render {

struct CairoDeleter {
    void operator()(cairo_t* c) const noexcept { cairo_destroy(c); }
    void operator()(cairo_surface_t* s) const noexcept { cairo_surface_destroy(s); }
    void operator()(cairo_pattern_t* p) const noexcept { cairo_pattern_destroy(p); }
};
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoDeleter>;

struct GObjectDeleter {
    void operator()(gpointer o) const noexcept {
        if (o) g_object_unref(o);
    }
};
template <class T>
using GPtr = std::unique_ptr<T, GObjectDeleter>;

struct FcConfigDeleter {
    void operator()(FcConfig* c) const noexcept { FcConfigDestroy(c); }
};
using FcConfigPtr = std::unique_ptr<FcConfig, FcConfigDeleter>;

struct FontDescDeleter {
    void operator()(PangoFontDescription* d) const noexcept { pango_font_description_free(d); }
};
using FontDescPtr = std::unique_ptr<PangoFontDescription, FontDescDeleter>;

inline void check_status(cairo_status_t st, const std::string& what) {
    if (st != CAIRO_STATUS_SUCCESS) throw RenderError("Cairo: " + what + ": " + cairo_status_to_string(st));
}
inline void check(cairo_t* cr, const std::string& what) { check_status(cairo_status(cr), what); }
inline void check(cairo_surface_t* s, const std::string& what) { check_status(cairo_surface_status(s), what); }

/// A new ARGB32 image surface, owned by the calling thread; throws RenderError on failure.
SurfacePtr make_image_surface(int width, int height);
/// A cairo context on `s`, owned by the calling thread; throws RenderError on failure.
CairoPtr make_context(cairo_surface_t* s);

/// Cairo contexts and the surfaces they draw on are not thread-safe. Those made by
/// make_context / make_image_surface record the thread that made them (Cairo user data);
/// check_owner() checks that the calling thread owns `cr` and its target surface, when owner
/// checks are on (core/thread_owner.hpp). Contexts made elsewhere are not checked.
void check_owner(cairo_t* cr, const char* what) noexcept;
/// Hands a surface made by make_image_surface to the calling thread (the previous owner is
/// done with it, and a join orders that before this call).
void adopt_surface(cairo_surface_t* s) noexcept;

}  // namespace fr::render
