#include "render/density.hpp"

#include <algorithm>
#include <cmath>

namespace fr::render {

double density_window_minutes(const SceneOptions& opt) noexcept { return opt.trail_minutes.value_or(kBusyTrailMinutes); }

namespace {
std::vector<const TrailPiece*> observed_pieces(const Scene& scene) {
    std::vector<const TrailPiece*> out;
    for (const auto& fv : scene.flights())
        for (const auto& p : fv.trail)
            if (!p.gap && !p.v.empty()) out.push_back(&p);
    return out;
}
}  // namespace

DensityGrid::DensityGrid(const Scene& scene, Duration window, int cell_px, Duration step)
    : m_cell(cell_px), m_origin(scene.start()), m_window(window), m_step(step) {
    build(observed_pieces(scene), scene.options().width, scene.options().height);
}

DensityGrid::DensityGrid(const std::vector<const TrailPiece*>& pieces, int width, int height, TimePoint origin, Duration window,
                         int cell_px, Duration step)
    : m_cell(cell_px), m_origin(origin), m_window(window), m_step(step) {
    build(pieces, width, height);
}

long long DensityGrid::step_index(TimePoint t) const noexcept {
    const long long d = (t - m_origin).count(), s = m_step.count();
    return d >= 0 ? d / s : -((-d + s - 1) / s);
}

std::size_t DensityGrid::end_of(long long k) const noexcept {
    if (k < 0) return 0;
    const auto K = static_cast<long long>(m_start.size()) - 1;
    return m_start[static_cast<std::size_t>(std::min(k + 1, K))];
}

void DensityGrid::build(const std::vector<const TrailPiece*>& pieces, int width, int height) {
    m_cols = (width + m_cell - 1) / m_cell;
    m_rows = (height + m_cell - 1) / m_cell;
    // Pass 1: (step index, cell) per sample, interpolated in screen space between the trail's
    // projected vertices (pre-densified along geodesics by the Scene).
    std::vector<std::pair<std::uint32_t, std::uint32_t>> raw;
    long long kmax = -1;
    for (const TrailPiece* p : pieces) {
        const auto& v = p->v;
        if (v.empty()) continue;
        long long k = std::max(0LL, step_index(v.front().t));
        if (m_origin + k * m_step < v.front().t) ++k;
        std::size_t i = 0;
        for (TimePoint t = m_origin + k * m_step; t <= v.back().t; ++k, t += m_step) {
            while (i + 1 < v.size() && v[i + 1].t < t) ++i;
            double x = v[i].x, y = v[i].y;
            if (i + 1 < v.size() && v[i + 1].t > v[i].t && t > v[i].t) {
                const double u = std::chrono::duration<double>(t - v[i].t) / std::chrono::duration<double>(v[i + 1].t - v[i].t);
                x += (v[i + 1].x - x) * u;
                y += (v[i + 1].y - y) * u;
            }
            if (!(x >= 0 && y >= 0 && x < width && y < height)) continue;
            const auto cell = static_cast<std::uint32_t>(static_cast<int>(y) / m_cell * m_cols + static_cast<int>(x) / m_cell);
            raw.emplace_back(static_cast<std::uint32_t>(k), cell);
            kmax = std::max(kmax, k);
        }
    }
    // Pass 2: counting sort by step index.
    m_start.assign(static_cast<std::size_t>(kmax + 2), 0);
    for (const auto& s : raw) ++m_start[s.first + 1];
    for (std::size_t k = 1; k < m_start.size(); ++k) m_start[k] += m_start[k - 1];
    m_cells.resize(raw.size());
    std::vector<std::size_t> pos(m_start.begin(), m_start.end() - 1);
    for (const auto& s : raw) m_cells[pos[s.first]++] = s.second;
    m_counts.assign(static_cast<std::size_t>(m_cols) * m_rows, 0);
    m_mark.assign(m_counts.size(), 0);
}

void DensityGrid::touch(std::uint32_t cell) {
    if (m_all_changed || m_mark[cell]) return;
    m_mark[cell] = 1;
    m_changed.push_back(cell);
}

void DensityGrid::advance(TimePoint t) {
    const std::size_t head = end_of(step_index(t));
    // The window (t - W, t]: samples at or before t - W have left it.
    const std::size_t tail = end_of(step_index(t - m_window));
    for (const auto c : m_changed) m_mark[c] = 0;
    m_changed.clear();
    const std::size_t moved = (head > m_head ? head - m_head : m_head - head) + (tail > m_tail ? tail - m_tail : m_tail - tail);
    const bool first = m_all_changed && m_head == 0 && m_tail == 0;
    m_all_changed = first || moved > m_counts.size() / 4;
    for (; m_head < head; ++m_head) ++m_counts[m_cells[m_head]], touch(m_cells[m_head]);
    for (; m_head > head; --m_head) --m_counts[m_cells[m_head - 1]], touch(m_cells[m_head - 1]);
    for (; m_tail < tail; ++m_tail) --m_counts[m_cells[m_tail]], touch(m_cells[m_tail]);
    for (; m_tail > tail; --m_tail) ++m_counts[m_cells[m_tail - 1]], touch(m_cells[m_tail - 1]);
    if (m_all_changed) {
        for (const auto c : m_changed) m_mark[c] = 0;
        m_changed.clear();
    }
}

std::vector<std::uint32_t> DensityGrid::from_scratch(TimePoint t) const {
    std::vector<std::uint32_t> out(m_counts.size(), 0);
    const std::size_t head = end_of(step_index(t)), tail = end_of(step_index(t - m_window));
    for (std::size_t i = tail; i < head; ++i) ++out[m_cells[i]];
    return out;
}

}  // namespace fr::render
