#include "render/frame_cache.hpp"

#include <cmath>
#include <cstring>
#include <exception>
#include <thread>

namespace fr::render {

IncrementalFrame::IncrementalFrame(int width, int height)
    : m_surface(make_image_surface(width, height)), m_cr(make_context(m_surface.get())), m_under(make_image_surface(width, height)),
      m_under_cr(make_context(m_under.get())), m_restored(width, height), m_under_drawn(width, height), m_top_drawn(width, height),
      m_changed(width, height) {}

TileDamage IncrementalFrame::changed() const {
    TileDamage d = m_changed;
    d.merge(m_top_drawn);
    return d;
}

void FrameCache::view_changed() noexcept {
    m_static.reset();
    m_density_valid = false;
}

cairo_surface_t* FrameCache::advance(TimePoint t, bool with_timeline) {
    const int W = m_scene.options().width, H = m_scene.options().height;
    if (m_cache_damage.width() != W || m_cache_damage.height() != H) m_cache_damage = TileDamage(W, H);
    if (!m_static || m_cache_with_timeline != with_timeline) {
        m_static = make_image_surface(W, H);
        m_cache_with_timeline = with_timeline;
        // Two threads, a half of the frame each (the same drawing clipped to pixel rows gives the
        // same pixels as one pass; tested against frames drawn in one go): this layer is most of
        // the time to a first frame.
        // Place names are laid out once, here, rather than by whichever half gets there first
        // while the other waits on the lock.
        (void)m_layout.place_layout(with_timeline);
        const int mid = H / 2;
        SurfacePtr bottom = make_image_surface(W, H - mid);
        (void)m_layout.frame_layout(with_timeline);
        const Furniture furn = m_layout.furniture(with_timeline);  // projects: on this thread, which owns the scene's Projector
        // Place labels are laid out (projecting, and filling the renderer's cache) here too: the
        // halves only read the cached layout.
        (void)m_layout.place_layout(with_timeline);
        const TextEngine::SharedUse shared_text(m_text);
        std::exception_ptr failed;
        std::thread lower([&] {
            try {
                adopt_surface(bottom.get());
                auto c = make_context(bottom.get());
                cairo_translate(c.get(), 0, -mid);
                m_painter.draw_static(c.get(), with_timeline, furn);
                check(c.get(), "drawing the basemap");
                cairo_surface_flush(bottom.get());
            } catch (...) {
                failed = std::current_exception();
            }
        });
        try {
            auto c = make_context(m_static.get());
            cairo_rectangle(c.get(), 0, 0, W, mid);
            cairo_clip(c.get());
            m_painter.draw_static(c.get(), with_timeline, furn);
            check(c.get(), "drawing the basemap");
        } catch (...) {
            lower.join();
            throw;
        }
        lower.join();
        if (failed) std::rethrow_exception(failed);
        cairo_surface_flush(m_static.get());
        const int sstride = cairo_image_surface_get_stride(m_static.get()), bstride = cairo_image_surface_get_stride(bottom.get());
        for (int y = mid; y < H; ++y)
            std::memcpy(cairo_image_surface_get_data(m_static.get()) + static_cast<std::ptrdiff_t>(y) * sstride,
                        cairo_image_surface_get_data(bottom.get()) + static_cast<std::ptrdiff_t>(y - mid) * bstride,
                        static_cast<std::size_t>(W) * 4);
        cairo_surface_mark_dirty(m_static.get());
        m_cache.reset();
    }
    const bool density = m_layout.density(), fading = m_layout.fading();
    static const std::vector<TrailChunk> kNone;
    const auto& m_chunks = density ? kNone : m_layout.trail_chunks().chunks;
    // Chunks finished after t are in the cache: time went back, start again from the map.
    const bool back = m_cached_chunks > 0 && !fading && m_chunks[m_cached_chunks - 1].end > t;
    if (!m_cache || back) {
        if (!m_cache) m_cache = make_image_surface(W, H);
        cairo_surface_flush(m_cache.get());
        std::memcpy(cairo_image_surface_get_data(m_cache.get()), cairo_image_surface_get_data(m_static.get()),
                    static_cast<std::size_t>(cairo_image_surface_get_stride(m_static.get())) * H);
        cairo_surface_mark_dirty(m_cache.get());
        m_cached_chunks = 0;
        m_cache_damage.add_all();
    }
    if (fading || density) return m_cache.get();  // fading trails change with time: all drawn per frame
    if (m_cached_chunks < m_chunks.size() && m_chunks[m_cached_chunks].end <= t) {
        auto c = make_context(m_cache.get());
        m_painter.draw_finished_chunks(c.get(), &m_cache_damage, m_layout.trail_chunks(), t, m_cached_chunks, &m_cached_chunks);
        check(c.get(), "drawing trails");
        cairo_surface_flush(m_cache.get());
    }
    return m_cache.get();
}

void FrameCache::draw_frame(IncrementalFrame& frame, const FrameInfo& f) {
    check_owner(frame.context(), "an incremental frame (render::FrameCache::draw_frame)");
    const int W = m_scene.options().width, H = m_scene.options().height;
    if (cairo_image_surface_get_width(frame.surface()) != W || cairo_image_surface_get_height(frame.surface()) != H)
        throw RenderError("incremental frame: size differs from the scene");
    const bool with_timeline = f.timeline != nullptr;
    const bool density = m_layout.density();
    advance(f.t, with_timeline);
    const bool fresh = frame.m_fresh || m_last_frame != &frame;
    m_last_frame = &frame;
    frame.m_fresh = false;

    // Layer 1 (everything but the timeline bar): back to the cached map wherever the last frame
    // drew over it or the map changed since, then the dynamic layer.
    frame.m_restored = frame.m_under_drawn;
    frame.m_restored.merge(m_cache_damage);
    if (fresh) frame.m_restored.add_all();
    // Density: the heat is part of the base the frame goes back to; where it changed (or the
    // map was restored) it is painted again, and is not counted as drawn over the base.
    if (density) {
        update_heat(f.t, with_timeline);
        frame.m_restored.merge(m_heat_damage);
        m_heat_damage.clear();
    }
    m_cache_damage.clear();
    cairo_surface_flush(frame.m_under.get());
    copy_damaged(cairo_image_surface_get_data(m_cache.get()), cairo_image_surface_get_stride(m_cache.get()),
                 cairo_image_surface_get_data(frame.m_under.get()), cairo_image_surface_get_stride(frame.m_under.get()), frame.m_restored);
    cairo_surface_mark_dirty(frame.m_under.get());
    frame.m_under_drawn.clear();
    cairo_t* under = frame.m_under_cr.get();
    // Drawn over the base: recorded in m_under_drawn (the heat is part of the base, not recorded).
    if (density)
        m_painter.paint_heat(under, m_heat.get(), &frame.m_restored);
    else
        draw_trails(frame, f.t);
    DynamicLayers rest;
    rest.trails = false;
    // The bar is left out here: layer 2 below.
    m_painter.draw_dynamic(under, &frame.m_under_drawn, f, rest, /*bar=*/nullptr, m_heat.get());
    check(under, "drawing a frame");
    cairo_surface_flush(frame.m_under.get());

    // Layer 2: the timeline bar is the same every frame, so the frame takes layer 1's changed
    // tiles and repaints the bar only there (and where the playhead was or is): with the whole
    // bar redrawn, most of a frame's changed pixels were the bar's.
    TileDamage recompose = frame.m_restored;
    recompose.merge(frame.m_under_drawn);
    recompose.merge(frame.m_top_drawn);
    if (fresh) recompose.add_all();
    frame.m_top_drawn.clear();
    const BarImage* bar_image = bar(f);
    if (bar_image) {
        if (frame.m_bar_generation != m_bar_generation)
            recompose.add({0, static_cast<double>(bar_image->y0), static_cast<double>(W),
                           static_cast<double>(bar_image->y0 + cairo_image_surface_get_height(bar_image->image))},
                          0);
        frame.m_bar_generation = m_bar_generation;
        const auto ph = m_layout.playhead(f);
        frame.m_top_drawn.add({ph.x0, ph.y, ph.x1, ph.y + ph.h});
        recompose.merge(frame.m_top_drawn);
    }
    cairo_surface_flush(frame.surface());
    copy_damaged(cairo_image_surface_get_data(frame.m_under.get()), cairo_image_surface_get_stride(frame.m_under.get()),
                 cairo_image_surface_get_data(frame.surface()), frame.stride(), recompose);
    cairo_surface_mark_dirty(frame.surface());
    if (bar_image) m_painter.draw_timeline_bar(frame.context(), nullptr, f, m_layout.bar_top(), *bar_image, &recompose);
    check(frame.context(), "drawing a frame");
    frame.m_changed = std::move(recompose);
}

void FrameCache::draw_trails(IncrementalFrame& frame, TimePoint t) {
    cairo_t* under = frame.m_under_cr.get();
    const int W = m_scene.options().width, H = m_scene.options().height;
    if (!m_layout.busy() || H < 64) {
        m_painter.draw_trails(under, &frame.m_under_drawn, t, /*tips_only=*/true);
        return;
    }
    // A busy sky strokes thousands of trails a frame (each aircraft's fading trail in up to five
    // opacities): two threads, a half of the frame each, as the static layer is drawn. Each
    // draws every trail clipped to its pixel rows (the same pixels as one pass, as the static
    // layer's halves) through a surface of its own over the same memory.
    (void)m_layout.trail_chunks();  // built here, not by the two threads at once
    const int mid = H / 2;
    const int stride = cairo_image_surface_get_stride(frame.m_under.get());
    cairo_surface_flush(frame.m_under.get());
    SurfacePtr bottom(
        cairo_image_surface_create_for_data(cairo_image_surface_get_data(frame.m_under.get()) + static_cast<std::ptrdiff_t>(mid) * stride,
                                            CAIRO_FORMAT_ARGB32, W, H - mid, stride));
    check(bottom.get(), "a half frame for trails");
    TileDamage lower_drawn(W, H);
    std::exception_ptr failed;
    std::thread lower([&] {
        try {
            CairoPtr c(cairo_create(bottom.get()));
            cairo_translate(c.get(), 0, -mid);
            m_painter.draw_trails(c.get(), &lower_drawn, t, /*tips_only=*/true);
            check(c.get(), "drawing trails");
            cairo_surface_flush(bottom.get());
        } catch (...) {
            failed = std::current_exception();
        }
    });
    try {
        cairo_save(under);
        cairo_rectangle(under, 0, 0, W, mid);
        cairo_clip(under);
        m_painter.draw_trails(under, &frame.m_under_drawn, t, /*tips_only=*/true);
        cairo_restore(under);
        cairo_surface_flush(frame.m_under.get());
    } catch (...) {
        lower.join();
        throw;
    }
    lower.join();
    if (failed) std::rethrow_exception(failed);
    frame.m_under_drawn.merge(lower_drawn);
    cairo_surface_mark_dirty(frame.m_under.get());
}

const BarImage* FrameCache::bar(const FrameInfo& f) {
    if (!(f.timeline && m_scene.options().timeline_bar && m_layout.frame_layout(true).find(layout::Role::timeline_bar))) return nullptr;
    ensure_bar_cache(f, m_layout.bar_top());
    return &m_bar;
}

void FrameCache::ensure_bar_cache(const FrameInfo& f, double y) {
    const auto& opt = m_scene.options();
    const double s = m_layout.s();
    const double h = 22 * s;
    const auto& tl = *f.timeline;
    const double total = tl.video_duration_s();
    if (!m_bar_cache || m_bar_timeline != &tl || m_bar_y != y || m_bar_total != total) {
        // Whole pixel rows around the bar, so painting the cache back needs no resampling.
        const int y0 = static_cast<int>(std::floor(y)) - 1;
        const int rows = static_cast<int>(std::ceil(y + h + 8 * s + m_layout.tick_band())) + 1 - y0;
        m_bar_cache = make_image_surface(opt.width, rows);
        m_bar = {m_bar_cache.get(), y0};
        auto c = make_context(m_bar_cache.get());
        cairo_translate(c.get(), 0, -y0);
        m_painter.draw_timeline_bar_background(c.get(), f, y);
        check(c.get(), "drawing the timeline bar");
        cairo_surface_flush(m_bar_cache.get());
        m_bar_timeline = &tl, m_bar_y = y, m_bar_total = total;
        ++m_bar_generation;
    }
}

std::uint32_t FrameCache::density_pixel(std::uint32_t count) noexcept {
    // A log scale of counts on inferno, from its dark purple (one sample, half transparent) to
    // its pale yellow end (kDensitySaturation samples and more, opaque).
    static const std::vector<std::uint32_t> table = [] {
        std::vector<std::uint32_t> t(kDensitySaturation + 1, 0);
        for (std::uint32_t n = 1; n <= kDensitySaturation; ++n) {
            const double v = std::log1p(n) / std::log1p(kDensitySaturation);
            const Rgba c = inferno(0.15 + 0.85 * v);
            const double a = 0.5 + 0.5 * v;
            auto ch = [a](double x) { return static_cast<std::uint32_t>(std::lround(std::clamp(x, 0.0, 1.0) * a * 255)); };
            t[n] = (static_cast<std::uint32_t>(std::lround(a * 255)) << 24) | (ch(c.r) << 16) | (ch(c.g) << 8) | ch(c.b);
        }
        return t;
    }();
    return table[std::min(count, kDensitySaturation)];
}

cairo_surface_t* FrameCache::heat(TimePoint t, bool with_timeline) {
    update_heat(t, with_timeline);
    return m_heat.get();
}

void FrameCache::update_heat(TimePoint t, bool with_timeline) {
    const int cell = kDensityCellPx;
    const int W = m_scene.options().width, H = m_scene.options().height;
    if (m_heat_damage.width() != W || m_heat_damage.height() != H) m_heat_damage = TileDamage(W, H);
    TileDamage* changed = &m_heat_damage;
    bool all = false;
    if (!m_density || !m_density_valid) {
        m_density.emplace(
            m_scene,
            std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::ratio<60>>(density_window_minutes(m_scene.options()))),
            cell);
        m_density_valid = true;
        m_heat = make_image_surface(m_density->cols(), m_density->rows());
        all = true;
    }
    const int cols = m_density->cols(), rows = m_density->rows();
    if (m_heat_layout != (with_timeline ? 1 : 0)) {  // heat stays off the furniture (title, legend, clock...)
        m_heat_layout = with_timeline ? 1 : 0;
        m_heat_mask.assign(static_cast<std::size_t>(cols) * rows, 0);
        for (const auto& p : m_layout.frame_layout(with_timeline).items) {
            const int x0 = std::max(0, static_cast<int>(std::floor(p.box.x0)) / cell),
                      x1 = std::min(cols - 1, static_cast<int>(std::ceil(p.box.x1)) / cell);
            const int y0 = std::max(0, static_cast<int>(std::floor(p.box.y0)) / cell),
                      y1 = std::min(rows - 1, static_cast<int>(std::ceil(p.box.y1)) / cell);
            for (int y = y0; y <= y1; ++y)
                for (int x = x0; x <= x1; ++x) m_heat_mask[static_cast<std::size_t>(y) * cols + x] = 1;
        }
        all = true;
    }
    m_density->advance(t);
    all = all || m_density->all_changed();
    cairo_surface_flush(m_heat.get());
    auto* data = cairo_image_surface_get_data(m_heat.get());
    const int stride = cairo_image_surface_get_stride(m_heat.get());
    const auto& counts = m_density->counts();
    auto put = [&](std::uint32_t c) {
        const int x = static_cast<int>(c % static_cast<std::uint32_t>(cols)), y = static_cast<int>(c / static_cast<std::uint32_t>(cols));
        reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride)[x] = m_heat_mask[c] ? 0 : density_pixel(counts[c]);
    };
    if (all) {
        for (std::uint32_t c = 0; c < counts.size(); ++c) put(c);
        if (changed) changed->add_all();
    } else {
        for (const auto c : m_density->changed()) {
            put(c);
            if (changed) {
                const double x = static_cast<double>(c % static_cast<std::uint32_t>(cols)) * cell,
                             y = static_cast<double>(c / static_cast<std::uint32_t>(cols)) * cell;
                changed->add({x, y, x + cell, y + cell}, 0);
            }
        }
    }
    cairo_surface_mark_dirty(m_heat.get());
}

}  // namespace fr::render
