#include "render/text.hpp"

#include <cstring>

#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

namespace fr::render {

namespace {

const cairo_user_data_key_t kOwnerKey{};

/// The text sprites remembered, bytes of pixels. A frame's recurring texts (labels, cards,
/// figures) take a few MB; the clock changes every frame and never hits, so a larger budget only
/// holds more dead clocks (64 MB of them, re-allocated each time the cache starts afresh, grew
/// a long video's heap by hundreds of MB through fragmentation).
constexpr std::size_t kSpriteCacheBytes = 16u << 20;

void delete_owner(void* p) { delete static_cast<ThreadOwner*>(p); }

}  // namespace

SurfacePtr make_image_surface(int width, int height) {
    SurfacePtr s(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height));
    check(s.get(), "cannot create a " + std::to_string(width) + "x" + std::to_string(height) + " image");
    auto* owner = new ThreadOwner;
    if (cairo_surface_set_user_data(s.get(), &kOwnerKey, owner, delete_owner) != CAIRO_STATUS_SUCCESS) delete owner;
    return s;
}

CairoPtr make_context(cairo_surface_t* s) {
    CairoPtr cr(cairo_create(s));
    check(cr.get(), "cannot create a drawing context");
    auto* owner = new ThreadOwner;
    if (cairo_set_user_data(cr.get(), &kOwnerKey, owner, delete_owner) != CAIRO_STATUS_SUCCESS) delete owner;
    return cr;
}

void check_owner(cairo_t* cr, const char* what) noexcept {
    if (!thread_checks_enabled() || !cr) return;
    if (const auto* o = static_cast<const ThreadOwner*>(cairo_get_user_data(cr, &kOwnerKey))) o->check(what);
    if (const auto* o = static_cast<const ThreadOwner*>(cairo_surface_get_user_data(cairo_get_target(cr), &kOwnerKey))) o->check(what);
}

void adopt_surface(cairo_surface_t* s) noexcept {
    if (const auto* o = static_cast<const ThreadOwner*>(cairo_surface_get_user_data(s, &kOwnerKey))) o->adopt();
}

TextEngine::TextEngine(const std::filesystem::path& fonts_conf) : m_config(FcConfigCreate()) {
    if (!m_config) throw RenderError("fontconfig: cannot create a configuration");
    if (!FcConfigParseAndLoad(m_config.get(), reinterpret_cast<const FcChar8*>(fonts_conf.c_str()), FcTrue))
        throw RenderError("fontconfig: cannot load '" + fonts_conf.string() + "'");
    if (!FcConfigBuildFonts(m_config.get())) throw RenderError("fontconfig: cannot build fonts from " + fonts_conf.string());
    FcFontSet* set = FcConfigGetFonts(m_config.get(), FcSetSystem);
    if (!set || set->nfont == 0) throw RenderError("fontconfig: no font found via '" + fonts_conf.string() + "'");
    m_font_map.reset(pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT));
    if (!m_font_map) throw RenderError("Pango: cannot create a FreeType font map");
    // The font map takes its own reference to the configuration.
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(m_font_map.get()), m_config.get());
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(m_font_map.get()), 72.0);  // 1 pt = 1 px
    m_context.reset(pango_font_map_create_context(m_font_map.get()));
    cairo_font_options_t* fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(m_context.get(), fo);
    cairo_font_options_destroy(fo);
}

TextEngine::~TextEngine() = default;

namespace {

GPtr<PangoLayout> make_layout(PangoContext* ctx, const std::string& text, double size_px, bool bold) {
    GPtr<PangoLayout> layout(pango_layout_new(ctx));
    FontDescPtr desc(pango_font_description_new());
    pango_font_description_set_family(desc.get(), "DejaVu Sans");
    pango_font_description_set_weight(desc.get(), bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(desc.get(), size_px * PANGO_SCALE);
    pango_layout_set_font_description(layout.get(), desc.get());
    pango_layout_set_text(layout.get(), text.c_str(), static_cast<int>(text.size()));
    return layout;
}

}  // namespace

void TextEngine::check_thread() const noexcept {
    if (m_shared.load(std::memory_order_acquire) == 0) m_owner.check("render::TextEngine");
}

TextEngine::SharedUse::SharedUse(const TextEngine& e) noexcept : m_engine(e) {
    e.m_owner.check("render::TextEngine (sharing it)");
    e.m_shared.fetch_add(1, std::memory_order_acq_rel);
}

TextEngine::SharedUse::~SharedUse() { m_engine.m_shared.fetch_sub(1, std::memory_order_acq_rel); }

TextSize TextEngine::measure(const std::string& text, double size_px, bool bold) const {
    check_thread();
    std::string key(sizeof size_px + 1, '\0');
    std::memcpy(key.data(), &size_px, sizeof size_px);
    key[sizeof size_px] = bold ? 'b' : 'r';
    key += text;
    {
        std::lock_guard lock(m_measured_mutex);
        if (const auto it = m_measured.find(key); it != m_measured.end()) return it->second;
    }
    std::unique_lock pango(m_pango_mutex);
    auto layout = make_layout(m_context.get(), text, size_px, bold);
    PangoRectangle logical;
    pango_layout_get_extents(layout.get(), nullptr, &logical);
    const TextSize r{logical.width / static_cast<double>(PANGO_SCALE), logical.height / static_cast<double>(PANGO_SCALE)};
    std::lock_guard lock(m_measured_mutex);
    if (m_measured.size() >= 20'000) m_measured.clear();  // bounded; labels recur frame to frame
    m_measured.emplace(std::move(key), r);
    return r;
}

namespace {

/// Draws the text (unless `paint` is false: cr may then be null) and returns its ink box.
Box draw_direct(PangoContext* ctx, cairo_t* cr, const std::string& text, double x, double y, double size_px, const Rgba& colour, bool bold,
                Align align, const Rgba& halo, bool paint = true) {
    auto layout = make_layout(ctx, text, size_px, bold);
    pango_layout_set_alignment(layout.get(), align == Align::center  ? PANGO_ALIGN_CENTER
                                             : align == Align::right ? PANGO_ALIGN_RIGHT
                                                                     : PANGO_ALIGN_LEFT);
    PangoRectangle ink, logical;
    pango_layout_get_extents(layout.get(), &ink, &logical);
    const double w = logical.width / static_cast<double>(PANGO_SCALE);
    if (align == Align::center) x -= w / 2;
    if (align == Align::right) x -= w;
    const double halo_w = halo.a > 0 ? std::max(2.0, size_px / 5) : 0.0;
    const double k = 1.0 / PANGO_SCALE, grow = halo_w / 2 + 1;
    const Box box{x + ink.x * k - grow, y + ink.y * k - grow, x + (ink.x + ink.width) * k + grow, y + (ink.y + ink.height) * k + grow};
    if (!paint) return box;
    cairo_save(cr);
    cairo_move_to(cr, x, y);
    if (halo.a > 0) {
        pango_cairo_layout_path(cr, layout.get());
        cairo_set_source_rgba(cr, halo.r, halo.g, halo.b, halo.a);
        cairo_set_line_width(cr, halo_w);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
        cairo_move_to(cr, x, y);
    }
    cairo_set_source_rgba(cr, colour.r, colour.g, colour.b, colour.a);
    pango_cairo_show_layout(cr, layout.get());
    cairo_new_path(cr);  // the path is not part of the saved state: leave no current point behind
    cairo_restore(cr);
    return box;
}

bool translation_only(cairo_t* cr) {
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    return m.xx == 1 && m.yy == 1 && m.xy == 0 && m.yx == 0;
}

}  // namespace

TextEngine::Sprite TextEngine::render_sprite(const std::string& text, double fx, double fy, double size_px, const Rgba& colour, bool bold,
                                             Align align, const Rgba& halo) const {
    Sprite sp;
    std::lock_guard pango(m_pango_mutex);
    sp.ink = draw_direct(m_context.get(), nullptr, text, fx, fy, size_px, colour, bold, align, halo, /*paint=*/false);
    sp.ox = static_cast<int>(std::floor(sp.ink.x0)) - 1;
    sp.oy = static_cast<int>(std::floor(sp.ink.y0)) - 1;
    const int w = static_cast<int>(std::ceil(sp.ink.x1)) + 1 - sp.ox, h = static_cast<int>(std::ceil(sp.ink.y1)) + 1 - sp.oy;
    if (w <= 0 || h <= 0 || text.empty()) return sp;
    sp.image = make_image_surface(w, h);
    CairoPtr c(cairo_create(sp.image.get()));
    draw_direct(m_context.get(), c.get(), text, fx - sp.ox, fy - sp.oy, size_px, colour, bold, align, halo);
    cairo_surface_flush(sp.image.get());
    return sp;
}

Box TextEngine::draw(cairo_t* cr, const std::string& text, double x, double y, double size_px, const Rgba& colour, bool bold, Align align,
                     Rgba halo) const {
    check_thread();
    check_owner(cr, "a Cairo context (render::TextEngine::draw)");
    if (cairo_surface_get_type(cairo_get_target(cr)) != CAIRO_SURFACE_TYPE_IMAGE || !translation_only(cr)) {
        std::lock_guard pango(m_pango_mutex);
        return draw_direct(m_context.get(), cr, text, x, y, size_px, colour, bold, align, halo);
    }
    // Device position, split into whole pixels and a quarter-pixel fraction.
    double dx = x, dy = y;
    cairo_user_to_device(cr, &dx, &dy);
    const double qx = std::round(dx * 4) / 4, qy = std::round(dy * 4) / 4;
    const double ix = std::floor(qx), iy = std::floor(qy), fx = qx - ix, fy = qy - iy;
    std::string key;
    key.reserve(text.size() + 80);
    const double nums[] = {size_px, colour.r, colour.g, colour.b, colour.a, halo.r, halo.g, halo.b, halo.a, fx, fy};
    key.append(reinterpret_cast<const char*>(nums), sizeof nums);
    key += static_cast<char>(bold ? 'b' : 'r');
    key += static_cast<char>('0' + static_cast<int>(align));
    key += text;
    std::shared_ptr<const Sprite> sp;
    {
        std::lock_guard lock(m_sprites_mutex);
        if (const auto it = m_sprites.find(key); it != m_sprites.end()) sp = it->second;
    }
    if (!sp) {
        sp = std::make_shared<const Sprite>(render_sprite(text, fx, fy, size_px, colour, bold, align, halo));
        std::lock_guard lock(m_sprites_mutex);
        const std::size_t bytes = sp->image ? static_cast<std::size_t>(cairo_image_surface_get_stride(sp->image.get())) *
                                                  cairo_image_surface_get_height(sp->image.get())
                                            : 0;
        // Bounded: a replay's texts recur, but clocks and durations change; start afresh when full.
        if (m_sprites.size() >= 4096 || m_sprite_bytes + bytes > kSpriteCacheBytes) {
            m_sprites.clear();
            m_sprite_bytes = 0;
        }
        if (m_sprites.emplace(key, sp).second) m_sprite_bytes += bytes;
    }
    if (sp->image) {
        cairo_save(cr);
        cairo_identity_matrix(cr);
        cairo_set_source_surface(cr, sp->image.get(), ix + sp->ox, iy + sp->oy);
        cairo_paint(cr);
        cairo_restore(cr);
    }
    // The ink box back in user space (a pure translation: offsets carry over).
    const double ux = x - dx, uy = y - dy;
    return {ix + sp->ink.x0 + ux, iy + sp->ink.y0 + uy, ix + sp->ink.x1 + ux, iy + sp->ink.y1 + uy};
}

}  // namespace fr::render
