#pragma once
// readsb / tar1090 `aircraft.json` snapshots (readsb-hist samples: one every few seconds, often
// gzip-compressed, e.g. readsb-hist/YYYY/MM/DD/HHMMSSZ.json.gz): every aircraft the receiver
// network sees at one moment. Many snapshots together are accumulated into one track per
// aircraft. Layout and rules in readsb_snapshot.cpp and docs/formats.md.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/track.hpp"
#include "io/loader.hpp"

namespace fr::io {

/// Accumulates the per-aircraft tracks of many snapshots (each snapshot's LoadResult from
/// detail::load_readsb_snapshot) into one track per ICAO address.
class SnapshotTracks {
public:
    /// Takes one snapshot's tracks (one fix each).
    void add(std::vector<Track> tracks);
    bool empty() const noexcept { return m_by_hex.empty(); }
    /// One track per aircraft (by address, in address order), fixes in time order. A position
    /// that later snapshots repeat (readsb keeps the last position for up to a minute, so its
    /// time, now - seen_pos, is the same) is kept once; `repeats` counts those dropped.
    std::vector<Track> finish(std::size_t* repeats = nullptr);

private:
    std::map<std::string, Track> m_by_hex;
};

namespace detail {
/// One snapshot: `{"now": Unix s, "aircraft": [{"hex", "flight", "r", "t", "lat", "lon",
/// "alt_baro" (ft or "ground"), "gs", "track", "seen_pos", ...}]}`. One track of one fix per
/// aircraft with a position, at now - seen_pos. Aircraft without a position are passed over
/// silently (most of a snapshot); bad values are reported with file:line:column and skipped.
LoadResult load_readsb_snapshot(const std::string& name, std::string_view text);
/// True when `name` may be a snapshot inside an archive (.json, .json.gz, .json.zst, not a
/// trace_full_ member).
bool snapshot_member_name(std::string_view name);
/// True when the start of a (decompressed) document looks like a snapshot: an object with
/// "now" and "aircraft" among its first bytes.
bool looks_like_snapshot(std::string_view text);
}  // namespace detail

}  // namespace fr::io
