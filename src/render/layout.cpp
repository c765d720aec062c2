#include "render/layout.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace fr::render::layout {

const char* to_string(Role r) noexcept {
    switch (r) {
        case Role::banner: return "banner";
        case Role::title: return "title";
        case Role::subtitle: return "subtitle";
        case Role::clock: return "clock";
        case Role::statistics: return "statistics";
        case Role::legend: return "legend";
        case Role::scale_bar: return "scale bar";
        case Role::north_arrow: return "north arrow";
        case Role::colour_ramp: return "colour ramp";
        case Role::profile: return "profile";
        case Role::source_line: return "source line";
        case Role::timeline_bar: return "timeline bar";
        case Role::hold_banner: return "hold banner";
        case Role::stop_card: return "stop card";
        case Role::gap_label: return "gap label";
        case Role::airport_label: return "airport label";
        case Role::place_label: return "place label";
        case Role::aircraft_label: return "aircraft label";
    }
    return "?";
}

const Placed* FrameLayout::find(Role r) const noexcept {
    for (const auto& p : items)
        if (p.role == r) return &p;
    return nullptr;
}

std::vector<Box> FrameLayout::boxes() const {
    std::vector<Box> out;
    for (const auto& p : items) out.push_back(p.box);
    return out;
}

std::vector<std::string> wrap(const std::string& text, double px, bool bold, double max_w, const Measure& measure) {
    std::vector<std::string> out;
    std::istringstream paragraphs(text);
    std::string para;
    while (std::getline(paragraphs, para)) {
        std::istringstream words(para);
        std::string word, line;
        while (words >> word) {
            const std::string tryline = line.empty() ? word : line + " " + word;
            if (line.empty() || measure(tryline, px, bold).w <= max_w)
                line = tryline;
            else {
                out.push_back(line);
                line = word;
            }
        }
        out.push_back(line);
    }
    if (out.empty()) out.emplace_back();
    return out;
}

Size text_size(const LaidText& t, const Measure& measure, bool bold) {
    Size s;
    for (const auto& l : t.lines) s.w = std::max(s.w, measure(l, t.px, bold).w);
    s.h = t.line_h * static_cast<double>(t.lines.size());
    return s;
}

namespace {
bool fits(const LaidText& t, const Measure& measure, bool bold, double max_w, double max_h) {
    const auto s = text_size(t, measure, bold);
    return s.w <= max_w + 1e-9 && s.h <= max_h + 1e-9;
}
}  // namespace

LaidText fit_text(const TextItem& item, double max_w, double max_h, const Measure& measure) {
    LaidText t;
    for (double px = item.px;; px = std::max(px * 0.9, item.min_px)) {
        t.px = px;
        t.line_h = measure("Ag", px, item.bold).h;
        t.lines = wrap(item.text, px, item.bold, max_w, measure);
        if (fits(t, measure, item.bold, max_w, max_h) || px <= item.min_px) return t;
    }
}

LaidText fit_banner(const std::vector<std::string>& wordings, double px, double max_w, const Measure& measure) {
    for (const auto& alt : wordings) {
        const auto w = measure(alt, px, true).w;
        if (w <= max_w) return LaidText{{alt}, px, measure("Ag", px, true).h};
    }
    // The shortest wording, wrapped and then shrunk (at most three lines).
    TextItem t{wordings.back(), px, kMinTextPx, true};
    return fit_text(t, max_w, 3.2 * measure("Ag", px, true).h, measure);
}

std::optional<MovingFit> place_moving(Size size, double k_min, const std::vector<Candidate>& candidates, const std::vector<Box>& taken,
                                      double width, double height) {
    k_min = std::min(k_min, 1.0);
    for (double k = 1;; k = std::max(k - 0.1, k_min)) {
        for (const auto& c : candidates) {
            // Shrinking keeps the candidate's centre.
            const double cx = c.x + size.w / 2, cy = c.y + size.h / 2;
            const Box b{cx - size.w * k / 2, cy - size.h * k / 2, cx + size.w * k / 2, cy + size.h * k / 2};
            if (b.x0 < 0 || b.y0 < 0 || b.x1 > width || b.y1 > height) continue;
            if (std::none_of(taken.begin(), taken.end(), [&](const Box& o) { return o.overlaps(b); })) return MovingFit{b, k};
        }
        if (k <= k_min) return std::nullopt;
    }
}

namespace {

/// What a retry gives up, in order, when the guaranteed boxes do not fit the frame.
struct Concessions {
    bool no_subtitle = false;
    double title_lines = 3;  ///< most lines of the title at its full size (it shrinks to fit them)
    bool no_bar = false;
    bool tight = false;  ///< clock and banner text down toward the floor
};

struct Solver {
    const FurnitureSpec& sp;
    Concessions c;
    FrameLayout L;
    double m = 0, g = 0, avail = 0;

    bool free(const Box& b) const {
        if (b.x0 < -1e-9 || b.y0 < -1e-9 || b.x1 > L.width + 1e-9 || b.y1 > L.height + 1e-9) return false;
        return std::none_of(L.items.begin(), L.items.end(), [&](const Placed& p) { return p.box.overlaps(b); });
    }
    static double k_min(const BlockItem& b) { return b.smallest_px > 0 ? std::min(1.0, kMinTextPx / b.smallest_px) : 0.5; }

    /// A block: tries each anchor (a function of k giving the box) at k = 1, then smaller.
    template <class... F>
    const Placed* block(Role role, const BlockItem& b, F&&... anchors) {
        if (!b.present) return nullptr;
        const double kmin = k_min(b);
        for (double k = std::min(1.0, avail / std::max(b.size.w, 1e-9));; k = std::max(k - 0.1, kmin)) {
            if (k < kmin) return nullptr;
            std::optional<Box> got;
            auto attempt = [&](auto&& f) {
                if (got) return;
                const Box bx = f(k);
                if (free(bx)) got = bx;
            };
            (attempt(anchors), ...);
            if (got) {
                L.items.push_back({role, *got, k, b.smallest_px * k, {}});
                return &L.items.back();
            }
            if (k <= kmin) return nullptr;
        }
    }

    double banner_px() const { return c.tight ? std::max(kMinTextPx, sp.banner_px * 0.75) : sp.banner_px; }
    LaidText banner_text(double max_w) const { return fit_banner(sp.banner, banner_px(), max_w - 2 * sp.banner_pad, sp.measure); }
    Box banner_box(const LaidText& t, double x_right, double y) const {
        const auto s = text_size(t, sp.measure, true);
        return {x_right - s.w - 2 * sp.banner_pad, y, x_right, y + s.h + 2 * sp.banner_pad};
    }
    void add_text(Role role, const LaidText& t, bool bold, double cx, double y, double x_lo, double x_hi) {
        const auto s = text_size(t, sp.measure, bold);
        const double x0 = std::clamp(cx - s.w / 2, x_lo, std::max(x_lo, x_hi - s.w));
        L.items.push_back({role, {x0, y, x0 + s.w, y + s.h}, 1, t.px, t});
    }

    void solve() {
        const double W = sp.width, H = sp.height, s = sp.s;
        L.width = W;
        L.height = H;
        L.s = s;
        m = std::min(24 * s, 0.06 * std::min(W, H));
        g = std::min(8 * s, 0.03 * std::min(W, H));
        L.margin = m;
        avail = W - 2 * m;
        L.portrait = H > W * 1.05;
        const bool has_banner = !sp.banner.empty();

        // Clock: as designed, shrunk to the text floor, else compact (date over time).
        BlockItem cb = sp.clock;
        int clock_variant = 0;
        if (cb.present && avail / cb.size.w < k_min(cb) && sp.clock_compact.present) {
            cb = sp.clock_compact;
            clock_variant = 1;
        }
        double ck = cb.present ? std::max(std::min(1.0, avail / cb.size.w), std::min(1.0, k_min(cb))) : 1;
        if (c.tight) ck = std::min(ck, std::max(k_min(cb), 0.7));
        const Size clock{cb.size.w * ck, cb.size.h * ck};
        auto add_clock = [&](double x, double y0) {
            if (!cb.present) return;
            Placed p{Role::clock, {x, y0, x + clock.w, y0 + clock.h}, ck, cb.smallest_px * ck, {}};
            p.variant = clock_variant;
            L.items.push_back(p);
        };
        TextItem subtitle = sp.subtitle;
        if (c.no_subtitle) subtitle.text.clear();

        // Top: one row [clock | title | banner] when it fits, else the title on a row of its
        // own above, then [clock | banner], else the banner on a row of its own.
        double y = m;
        bool title_done = sp.title.text.empty();
        double left_y = m, right_y = m;
        if (!L.portrait) {
            std::optional<LaidText> bt;
            double bw = 0;
            if (has_banner) {
                const double room = avail - clock.w - g;
                bt = banner_text(room);
                const auto bs = text_size(*bt, sp.measure, true);
                bw = bs.w + 2 * sp.banner_pad;
                if (bw > room || bt->lines.size() > 1) bt.reset();
            }
            if (!has_banner || bt) {
                const double x_lo = m + clock.w + g, x_hi = W - m - (has_banner ? bw + g : 0);
                bool ok = true;
                LaidText tt, st;
                if (!title_done) {
                    TextItem ti = sp.title;
                    // In the row: one line, a little shrunk at most; else a row of its own.
                    ti.min_px = std::max(ti.min_px, ti.px * 0.85);
                    tt = fit_text(ti, x_hi - x_lo, 1.05 * sp.measure("Ag", sp.title.px, true).h, sp.measure);
                    ok = fits(tt, sp.measure, true, x_hi - x_lo, 1.05 * sp.measure("Ag", sp.title.px, true).h);
                    if (ok && !subtitle.text.empty()) {
                        TextItem si = subtitle;
                        st = fit_text(si, x_hi - x_lo, 2.05 * sp.measure("Ag", si.px, false).h, sp.measure);
                        ok = fits(st, sp.measure, false, x_hi - x_lo, 1e9);
                    }
                }
                if (ok) {
                    add_clock(m, m);
                    left_y = m + (cb.present ? clock.h + g : 0);
                    if (bt) {
                        const Box b = banner_box(*bt, W - m, m);
                        L.items.push_back({Role::banner, b, 1, bt->px, *bt});
                        right_y = b.y1 + g;
                    }
                    if (!title_done) {
                        add_text(Role::title, tt, true, W / 2, m, x_lo, x_hi);
                        double ty = L.items.back().box.y1;
                        if (!subtitle.text.empty()) {
                            add_text(Role::subtitle, st, false, W / 2, ty + 2 * s, x_lo, x_hi);
                            ty = L.items.back().box.y1;
                        }
                        title_done = true;
                    }
                    y = -1;  // top done
                }
            }
        }
        if (y >= 0) {
            // Title row(s).
            if (!title_done) {
                const double lh = sp.measure("Ag", sp.title.px, true).h;
                auto tt = fit_text(sp.title, avail, (c.title_lines + 0.1) * lh, sp.measure);
                add_text(Role::title, tt, true, W / 2, y, m, W - m);
                y = L.items.back().box.y1 + 2 * s;
                if (!subtitle.text.empty()) {
                    auto st = fit_text(subtitle, avail, 3.1 * sp.measure("Ag", subtitle.px, false).h, sp.measure);
                    add_text(Role::subtitle, st, false, W / 2, y, m, W - m);
                    y = L.items.back().box.y1;
                }
                y += g;
            }
            // [clock | banner] or banner row then clock row.
            std::optional<LaidText> bt;
            if (has_banner) {
                const double room = avail - clock.w - g;
                bt = banner_text(room);
                const auto bs = text_size(*bt, sp.measure, true);
                if (L.portrait || bs.w + 2 * sp.banner_pad > room || bt->lines.size() > 1) bt.reset();
            }
            if (has_banner && !bt) {  // a row of its own, centred
                const auto t = banner_text(avail);
                const auto bs = text_size(t, sp.measure, true);
                const double bw = bs.w + 2 * sp.banner_pad;
                const Box b = banner_box(t, W / 2 + bw / 2, y);
                L.items.push_back({Role::banner, b, 1, t.px, t});
                y = b.y1 + g;
            }
            add_clock(m, y);
            left_y = y + (cb.present ? clock.h + g : 0);
            right_y = y;
            if (bt) {
                const Box b = banner_box(*bt, W - m, y);
                L.items.push_back({Role::banner, b, 1, bt->px, *bt});
                right_y = b.y1 + g;
            } else if (!L.portrait) {
                right_y = y;
            } else {
                right_y = left_y;
            }
        }

        // Bottom, from the frame's foot up: source line, timeline bar, then the bottom row.
        double yb = H - m;
        if (!sp.source.text.empty()) {
            const double lh = sp.measure("Ag", sp.source.px, false).h;
            auto t = fit_text(sp.source, avail, 2.1 * lh, sp.measure);
            const auto ts = text_size(t, sp.measure, false);
            const Box b{W - m - ts.w, yb - ts.h, W - m, yb};
            L.items.push_back({Role::source_line, b, 1, t.px, t});
            yb = b.y0 - 2 * s;
        }
        if (sp.bar_h > 0 && !c.no_bar) {
            const Box b{m - 4 * s, yb - sp.bar_h, W - m + 4 * s, yb - 4 * s};  // bar_h includes a 4 s gap below
            L.items.push_back({Role::timeline_bar, b, 1, 0, {}});
            yb = b.y0 - g;
        }
        auto at = [](double x, double y0, const BlockItem& b, bool right, bool bottom) {
            return [=](double k) {
                const double w = b.size.w * k, h = b.size.h * k;
                const double x0 = right ? x - w : x, yy = bottom ? y0 - h : y0;
                return Box{x0, yy, x0 + w, yy + h};
            };
        };
        // Legend bottom-left; scale bar bottom-right, else above the legend.
        const Placed* legend = block(Role::legend, sp.legend, at(m, yb, sp.legend, false, true));
        const double above_legend = legend ? legend->box.y0 - g : yb;
        const Placed* bar =
            block(Role::scale_bar, sp.scale_bar, at(W - m, yb, sp.scale_bar, true, true), at(m, above_legend, sp.scale_bar, false, true));
        const double above_bar = bar ? bar->box.y0 - g : yb;
        // Statistics under the clock (or the banner when portrait).
        block(Role::statistics, sp.statistics, at(m, left_y, sp.statistics, false, false));
        // Profile under the banner (right), else under the figures.
        double stats_bottom = left_y;
        if (const auto* p = L.find(Role::statistics)) stats_bottom = p->box.y1 + g;
        block(Role::profile, sp.profile, at(W - m, right_y, sp.profile, true, false), at(m, stats_bottom, sp.profile, false, false),
              at(W - m, above_bar, sp.profile, true, true));
        const double profile_bottom = L.find(Role::profile) ? L.find(Role::profile)->box.y1 + g : right_y;
        block(Role::colour_ramp, sp.colour_ramp, at(W - m, above_bar, sp.colour_ramp, true, true),
              at(m, above_legend, sp.colour_ramp, false, true));
        block(Role::north_arrow, sp.north_arrow,
              at(W - m, std::max(H * 0.42 - sp.north_arrow.size.h / 2, profile_bottom), sp.north_arrow, true, false),
              at(W - m, profile_bottom, sp.north_arrow, true, false), at(W - m, above_bar, sp.north_arrow, true, true));
    }
};

}  // namespace

namespace {
bool sound(const FrameLayout& L) {
    for (std::size_t i = 0; i < L.items.size(); ++i) {
        const Box& a = L.items[i].box;
        if (a.x0 < -1e-6 || a.y0 < -1e-6 || a.x1 > L.width + 1e-6 || a.y1 > L.height + 1e-6) return false;
        if (L.items[i].min_text_px > 0 && L.items[i].min_text_px < kMinTextPx - 1e-6) return false;
        for (std::size_t j = i + 1; j < L.items.size(); ++j)
            if (a.overlaps(L.items[j].box)) return false;
    }
    return true;
}
}  // namespace

FrameLayout solve_furniture(const FurnitureSpec& spec) {
    // The guaranteed boxes (banner, title, clock, source line) are placed without yielding;
    // where they do not fit together, give up in turn: the subtitle, title lines (it shrinks),
    // the timeline bar, then the title down to one line at its floor.
    const std::vector<Concessions> ladder{{false, 3, false}, {true, 3, false}, {true, 2, false},
                                          {true, 2, true},   {true, 1, true},  {true, 1, true, true}};
    FrameLayout last;
    for (const auto& c : ladder) {
        Solver s{spec, c, {}};
        s.solve();
        if (sound(s.L)) return std::move(s.L);
        last = std::move(s.L);
    }
    return last;
}

}  // namespace fr::render::layout
