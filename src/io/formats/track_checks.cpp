#include "io/formats/track_checks.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

namespace fr::io::detail {

std::vector<TrackPoint> finalize_points(std::vector<SourcedPoint> pts, const std::string& file, Diagnostics& diags, std::size_t& skipped) {
    std::size_t out_of_order = 0;
    std::uint64_t first_bad_line = 0;
    for (std::size_t i = 1; i < pts.size(); ++i) {
        if (pts[i].point.time() < pts[i - 1].point.time()) {
            if (out_of_order++ == 0) first_bad_line = pts[i].line;
        }
    }
    if (out_of_order > 0) {
        diags.warn(file, first_bad_line, 1, std::to_string(out_of_order) + " row(s) out of time order, first here (rows sorted by time)");
        std::stable_sort(pts.begin(), pts.end(),
                         [](const SourcedPoint& a, const SourcedPoint& b) { return a.point.time() < b.point.time(); });
    }
    std::vector<TrackPoint> out;
    out.reserve(pts.size());
    std::size_t dups = 0;
    std::uint64_t first_dup_line = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        if (!out.empty() && pts[i].point.time() == out.back().time()) {
            if (dups++ == 0) first_dup_line = pts[i].line;
            ++skipped;
            continue;
        }
        out.push_back(pts[i].point);
    }
    if (dups > 0)
        diags.warn(file, first_dup_line, 1, std::to_string(dups) + " row(s) repeat an earlier timestamp, first here (duplicates dropped)");
    return out;
}

namespace {

static_assert(std::is_trivially_copyable_v<TrackPoint> && std::is_trivially_destructible_v<TrackPoint>,
              "PointCollector copies points as bytes");
constexpr std::size_t first_chunk_points = 2;  // then doubling: a day of 200,000 aircraft with 2 fixes each costs 2 fixes each
constexpr std::size_t max_chunk_points = std::size_t{1} << 16;
constexpr std::size_t point_bytes = sizeof(TrackPoint) + sizeof(std::uint64_t);
constexpr std::size_t map_threshold = std::size_t{1} << 20;

}  // namespace

std::uint64_t* PointCollector::Chunk::lines() const noexcept {
    return reinterpret_cast<std::uint64_t*>(static_cast<char*>(mem) + cap * sizeof(TrackPoint));
}

PointCollector::Chunk PointCollector::allocate(std::size_t cap) {
    static_assert(sizeof(TrackPoint) % alignof(std::uint64_t) == 0);
    Chunk c;
    c.cap = cap;
    c.bytes = cap * point_bytes;
    if (c.bytes >= map_threshold) {
        void* m = ::mmap(nullptr, c.bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) throw std::bad_alloc();
        c.mem = m;
    } else {
        c.mem = std::malloc(c.bytes);
        if (!c.mem) throw std::bad_alloc();
    }
    return c;
}

void PointCollector::free_chunk(Chunk& c) noexcept {
    if (!c.mem) return;
    if (c.bytes >= map_threshold)
        ::munmap(c.mem, c.bytes);
    else
        std::free(c.mem);
    c.mem = nullptr;
}

void PointCollector::release() noexcept {
    for (auto& c : m_chunks) free_chunk(c);
    m_chunks.clear();
    m_size = 0;
}

PointCollector::PointCollector(PointCollector&& o) noexcept { *this = std::move(o); }

PointCollector& PointCollector::operator=(PointCollector&& o) noexcept {
    if (this == &o) return *this;
    release();
    m_chunks = std::move(o.m_chunks);
    o.m_chunks.clear();
    m_size = std::exchange(o.m_size, 0);
    m_has_last = std::exchange(o.m_has_last, false);
    m_last = o.m_last;
    m_out_of_order = std::exchange(o.m_out_of_order, 0);
    m_dups = std::exchange(o.m_dups, 0);
    m_first_bad_line = std::exchange(o.m_first_bad_line, 0);
    m_first_dup_line = std::exchange(o.m_first_dup_line, 0);
    return *this;
}

void PointCollector::push(const TrackPoint& p, std::uint64_t line) {
    if (m_chunks.empty() || m_chunks.back().n == m_chunks.back().cap)
        m_chunks.push_back(allocate(m_chunks.empty() ? first_chunk_points : std::min(max_chunk_points, m_chunks.back().cap * 2)));
    Chunk& c = m_chunks.back();
    new (c.points() + c.n) TrackPoint(p);
    c.lines()[c.n] = line;
    ++c.n;
    ++m_size;
    // The checks of finalize_points, as the points arrive (valid for duplicates while the
    // input is in order).
    if (m_has_last && p.time() < m_last) {
        if (m_out_of_order++ == 0) m_first_bad_line = line;
    } else if (m_has_last && p.time() == m_last) {
        if (m_dups++ == 0) m_first_dup_line = line;
    }
    m_has_last = true;
    m_last = p.time();
}

std::vector<TrackPoint> PointCollector::finalize(const std::string& file, Diagnostics& diags, std::size_t& skipped) {
    std::vector<TrackPoint> out;
    if (m_out_of_order > 0) {
        // Rare: sort with the lines, as finalize_points does.
        std::vector<SourcedPoint> pts;
        pts.reserve(m_size);
        for (auto& c : m_chunks) {
            for (std::size_t i = 0; i < c.n; ++i) pts.push_back({c.points()[i], c.lines()[i]});
            free_chunk(c);
        }
        release();
        out = finalize_points(std::move(pts), file, diags, skipped);
    } else {
        out.reserve(m_size - m_dups);
        bool any = false;
        for (auto& c : m_chunks) {
            for (std::size_t i = 0; i < c.n; ++i) {
                const TrackPoint& p = c.points()[i];
                if (any && p.time() == out.back().time()) continue;
                out.push_back(p);
                any = true;
            }
            free_chunk(c);
        }
        skipped += m_dups;
        if (m_dups > 0)
            diags.warn(file, m_first_dup_line, 1,
                       std::to_string(m_dups) + " row(s) repeat an earlier timestamp, first here (duplicates dropped)");
        release();
    }
    *this = PointCollector();
    return out;
}

}  // namespace fr::io::detail
