#pragma once
// Frame layout: where every box drawn over the map goes. Pure geometry, no Cairo: the renderer
// measures its texts and boxes (a Measure callback for the texts the layout wraps), asks, and
// draws at the rectangles that come out. The furniture (title, clock, banner, figures, legend,
// scale bar, north arrow, colour ramp, profile, source line, timeline bar) is laid out once per
// view; boxes that move (hold banner, stop cards, labels) are placed per frame against it.
//
// Priorities: the provenance banner never yields (it wraps, then shrinks, never clips); the
// title, clock and source line wrap or shrink to the text floor but stay; other furniture
// shrinks to the floor, then is left out; labels yield before furniture (they are placed last,
// against everything else).
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace fr::render {

/// An axis-aligned box in pixels.
struct Box {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool overlaps(const Box& o) const noexcept { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
    double w() const noexcept { return x1 - x0; }
    double h() const noexcept { return y1 - y0; }
};

namespace layout {

/// Smallest text drawn on a frame, pixels.
inline constexpr double kMinTextPx = 8;

enum class Role {
    banner,
    title,
    subtitle,
    clock,
    statistics,
    legend,
    scale_bar,
    north_arrow,
    colour_ramp,
    profile,
    source_line,
    timeline_bar,
    hold_banner,
    stop_card,
    gap_label,
    airport_label,
    place_label,
    aircraft_label
};
const char* to_string(Role r) noexcept;

struct Size {
    double w = 0, h = 0;
};
/// Size of one line of text at a font size in pixels (bold or not).
using Measure = std::function<Size(const std::string& text, double px, bool bold)>;

/// A text the layout may wrap (at spaces) and shrink down to `min_px`.
struct TextItem {
    std::string text;
    double px = 0, min_px = kMinTextPx;
    bool bold = false;
};
/// The same text as laid out: its lines at `px`.
struct LaidText {
    std::vector<std::string> lines;
    double px = 0;
    double line_h = 0;  ///< height of one line at px
};

/// A box drawn by fixed code at scale k (1 = as designed): its size at k = 1 and the smallest
/// text inside it at k = 1, which bounds how far it may shrink (k >= kMinTextPx / smallest_px).
struct BlockItem {
    Size size;
    double smallest_px = 0;
    bool present = false;
};

struct FurnitureSpec {
    double width = 0, height = 0;
    double s = 1;  ///< design pixels to frame pixels
    Measure measure;
    TextItem title, subtitle;
    /// Banner texts, the preferred first (e.g. a long then a short wording); empty: no banner.
    std::vector<std::string> banner;
    double banner_px = 0;
    double banner_pad = 0;
    /// clock_compact: the clock in a narrower form (date over time) for narrow frames.
    BlockItem clock, clock_compact, statistics, legend, scale_bar, north_arrow, colour_ramp, profile;
    TextItem source;   ///< the source line (attribution)
    double bar_h = 0;  ///< timeline bar band height; 0: no bar
};

/// One laid-out box.
struct Placed {
    Role role;
    Box box;
    double k = 1;            ///< scale of a block (1: as designed)
    double min_text_px = 0;  ///< the smallest text inside, pixels, as drawn
    LaidText text;           ///< texts (title, subtitle, banner, source line)
    int variant = 0;         ///< 1: the compact form (clock)
};

struct FrameLayout {
    double width = 0, height = 0, s = 1, margin = 0;
    bool portrait = false;
    std::vector<Placed> items;
    const Placed* find(Role r) const noexcept;
    std::vector<Box> boxes() const;
};

/// Lays out the furniture of a frame.
FrameLayout solve_furniture(const FurnitureSpec& spec);

/// Words of `text` in lines no wider than `max_w` at `px` (a word wider than that gets a line
/// of its own); explicit newlines are kept.
std::vector<std::string> wrap(const std::string& text, double px, bool bold, double max_w, const Measure& measure);

/// A text fitted into `max_w` x `max_h`: wrapped at `item.px`, then shrunk 10% at a time down
/// to `item.min_px` until it fits. Never fails: at the floor, the last try is returned (the
/// caller checks fits()).
LaidText fit_text(const TextItem& item, double max_w, double max_h, const Measure& measure);
Size text_size(const LaidText& t, const Measure& measure, bool bold);
/// The provenance banner's text within `max_w` (inside its padding): the first of `wordings`
/// (non-empty, preferred first) that fits on one line at `px`, else the last one wrapped and
/// then shrunk to at most three lines (down to kMinTextPx). Bold.
LaidText fit_banner(const std::vector<std::string>& wordings, double px, double max_w, const Measure& measure);

/// Places a moving box of size `size` (at k = 1; shrinkable down to k_min) at the first of
/// `candidates` (top-left corners at k = 1; centred positions keep their centre when shrunk)
/// inside the frame that overlaps none of `taken`. nullopt when none does at any scale.
struct Candidate {
    double x = 0, y = 0;
};
struct MovingFit {
    Box box;
    double k = 1;
};
std::optional<MovingFit> place_moving(Size size, double k_min, const std::vector<Candidate>& candidates, const std::vector<Box>& taken,
                                      double width, double height);

}  // namespace layout
}  // namespace fr::render
