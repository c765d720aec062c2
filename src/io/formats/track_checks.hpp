#pragma once
// Checks shared by every loader, applied after a file is parsed: sort by time (out-of-order
// rows are reported), drop exact duplicate timestamps (reported), and reject fixes implying
// impossible speeds. Each action leaves a Diagnostic naming the source line.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/track.hpp"

namespace fr::io::detail {

/// Physical limits for sanity checks.
/// 1,500 kt ground speed: above Concorde's 1,176 kt maximum plus a 200 kt jet-stream tailwind
/// with margin; a report beyond it is a corrupt value, not an aircraft.
inline constexpr double max_ground_speed_kt = 1500.0;
/// -2,000 ft .. 100,000 ft: the Dead Sea shore is -1,400 ft; no aircraft in these data sets
/// cruises above FL600 and U-2/SR-71 ceilings are below 90,000 ft.
inline constexpr double min_altitude_ft = -2000.0;
inline constexpr double max_altitude_ft = 100000.0;
/// Unix time before 1990-01-01 or after 2100-01-01 is a broken clock, not a recording.
inline constexpr std::int64_t min_unix_s = 631152000;
inline constexpr std::int64_t max_unix_s = 4102444800;

/// A parsed fix with the line it came from (for diagnostics during post-processing).
struct SourcedPoint {
    TrackPoint point;
    std::uint64_t line;
};

/// Sorts by time (stable), reports out-of-order and duplicate rows, drops duplicates (the first
/// row for a timestamp is kept), and returns the points. `skipped` is incremented per drop.
std::vector<TrackPoint> finalize_points(std::vector<SourcedPoint> pts, const std::string& file, Diagnostics& diags, std::size_t& skipped);

/// The points of one track as a streamed loader collects them: what finalize_points does, at
/// about 48 bytes a point at peak instead of up to 144 (a growing vector of SourcedPoint copied
/// on each doubling, then the result beside it). Points go into chunks that grow to 64 Ki
/// points; chunks of 1 MiB or more are mapped directly, so that each is given back to the
/// system as soon as finalize() has copied it into the result (heap chunks might not be).
/// Order and duplicates are tracked as points arrive; only out-of-order input (rare) goes
/// through finalize_points.
class PointCollector {
public:
    PointCollector() = default;
    PointCollector(PointCollector&& o) noexcept;
    PointCollector& operator=(PointCollector&& o) noexcept;
    PointCollector(const PointCollector&) = delete;
    PointCollector& operator=(const PointCollector&) = delete;
    ~PointCollector() { release(); }

    void push(const TrackPoint& p, std::uint64_t line);
    std::size_t size() const noexcept { return m_size; }
    bool empty() const noexcept { return m_size == 0; }
    /// As finalize_points (same result, same diagnostics); leaves the collector empty.
    std::vector<TrackPoint> finalize(const std::string& file, Diagnostics& diags, std::size_t& skipped);

private:
    struct Chunk {
        void* mem = nullptr;
        std::size_t bytes = 0;
        std::size_t cap = 0, n = 0;
        TrackPoint* points() const noexcept { return static_cast<TrackPoint*>(mem); }
        std::uint64_t* lines() const noexcept;
    };
    static Chunk allocate(std::size_t cap);
    static void free_chunk(Chunk& c) noexcept;
    void release() noexcept;

    std::vector<Chunk> m_chunks;
    std::size_t m_size = 0;
    bool m_has_last = false;
    TimePoint m_last{};
    std::size_t m_out_of_order = 0, m_dups = 0;
    std::uint64_t m_first_bad_line = 0, m_first_dup_line = 0;
};

}  // namespace fr::io::detail
