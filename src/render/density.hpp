#pragma once
// --style density: traffic heat over a trailing window (the heatmap idea of tar1090) for skies
// with more aircraft than a frame can show one by one. Every aircraft's position is sampled at
// fixed instants (every kDensityStep of replay time, the same instants for all aircraft) from
// the scene's projected trail vertices, once, at build; a frame's grid counts the samples that
// fall in each cell over the window (t - window, t]. Moving to another time adds the samples
// entering the window and subtracts those leaving it, so a frame costs what changed, not the
// whole window; the counts are exact integers, equal to a grid counted from scratch.
#include <cstdint>
#include <vector>

#include "core/time.hpp"
#include "render/scene.hpp"

namespace fr::render {

/// Replay time between two position samples of one aircraft.
inline constexpr Duration kDensityStep = std::chrono::seconds(20);
/// Cell size of the density grid, pixels (2x2 pixel cells).
inline constexpr int kDensityCellPx = 2;
/// Counts at which the colour ramp reaches its end (log scale: log(1 + n) / log(1 + this)):
/// 48 samples of 20 s are 16 aircraft-minutes in one 2x2 cell.
inline constexpr std::uint32_t kDensitySaturation = 48;
/// The density window in effect, minutes: the trail fade window when there is one (see
/// default_trail_minutes), else kBusyTrailMinutes.
double density_window_minutes(const SceneOptions& opt) noexcept;

class DensityGrid {
public:
    /// Samples the scene's observed trail pieces (not coverage gaps) on a grid of
    /// ceil(width / cell_px) x ceil(height / cell_px) cells; positions off the frame are dropped.
    DensityGrid(const Scene& scene, Duration window, int cell_px = kDensityCellPx, Duration step = kDensityStep);
    /// The same from explicit pieces (tests): `origin` is the first sampling instant.
    DensityGrid(const std::vector<const TrailPiece*>& pieces, int width, int height, TimePoint origin, Duration window,
                int cell_px = kDensityCellPx, Duration step = kDensityStep);

    int cols() const noexcept { return m_cols; }
    int rows() const noexcept { return m_rows; }
    int cell_px() const noexcept { return m_cell; }
    std::size_t samples() const noexcept { return m_cells.size(); }
    /// Brings the counts to the window ending at t: adds the samples entering it and subtracts
    /// those leaving it since the last call (either direction in time).
    void advance(TimePoint t);
    /// Counts of the window ending at t, counted from scratch (what advance must equal).
    std::vector<std::uint32_t> from_scratch(TimePoint t) const;
    /// Per cell, row-major.
    const std::vector<std::uint32_t>& counts() const noexcept { return m_counts; }
    /// Cells whose count changed in the last advance (each once); all_changed() instead when
    /// that was most of the grid.
    const std::vector<std::uint32_t>& changed() const noexcept { return m_changed; }
    bool all_changed() const noexcept { return m_all_changed; }

private:
    /// Samples with step index <= k are the first m_start[k + 1] entries of m_cells.
    std::size_t end_of(long long k) const noexcept;
    long long step_index(TimePoint t) const noexcept;  ///< floor((t - origin) / step)
    void build(const std::vector<const TrailPiece*>& pieces, int width, int height);
    void touch(std::uint32_t cell);
    int m_cols = 0, m_rows = 0, m_cell = kDensityCellPx;
    TimePoint m_origin;
    Duration m_window, m_step;
    std::vector<std::uint32_t> m_cells;  ///< sample cells in time order
    std::vector<std::size_t> m_start;    ///< per step index k, the first sample of k; one more at the end
    std::vector<std::uint32_t> m_counts;
    std::size_t m_head = 0, m_tail = 0;  ///< samples [m_tail, m_head) are in the window
    std::vector<std::uint32_t> m_changed;
    std::vector<std::uint8_t> m_mark;
    bool m_all_changed = true;
};

}  // namespace fr::render
