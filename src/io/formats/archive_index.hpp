#pragma once
// The index of a globe-history day archive (io/formats/readsb_archive.hpp): per member, where its data
// lie (part file, offset, stored and decompressed sizes, from our own tar header walk,
// io/formats/tar_walk.hpp) and what the trace holds (ICAO address, callsigns, registration, type, time
// span, lon/lat box). With it, a query by callsign, registration, type, region or time window
// reads only the members that can match, with pread. The file format is documented in
// docs/formats.md ("Archive index").
//
// Where it lives: `$XDG_CACHE_HOME/flightreplay/index/<key>` (`~/.cache` when XDG_CACHE_HOME
// is unset or not absolute) or `<dir>/<key>` with --index-dir; the key is a hash of the parts'
// absolute paths, sizes and modification times, so a changed archive never finds an old index.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/time.hpp"
#include "core/track.hpp"
#include "geo/view.hpp"
#include "io/formats/tar_walk.hpp"
#include "io/loader.hpp"
#include "io/text/input_reader.hpp"

namespace fr::io {

/// What the index knows of one regular member.
struct IndexedMember {
    enum class Kind : char {
        trace = 'T',  ///< a trace_full_<hex> member that decompressed and parsed
        bad = 'E',    ///< a trace_full_<hex> member that did not (read again to report why)
        other = 'O',  ///< README, licence, heatmap...: never loaded
    };
    std::string name;  ///< path inside the archive
    Kind kind = Kind::other;
    std::uint32_t part = 0;                                     ///< index into ArchiveIndex::parts of the part holding the first data byte
    std::uint64_t part_offset = 0;                              ///< offset of the first data byte in that part, bytes
    std::uint64_t data_offset = 0;                              ///< the same in the joined stream, bytes
    std::uint64_t header_offset = 0;                            ///< stream offset of the member's first header (pax/'L' included), bytes
    std::uint64_t size = 0;                                     ///< stored (compressed) bytes
    std::uint64_t unpacked = 0;                                 ///< decompressed bytes (0 for other/bad)
    std::string icao;                                           ///< from the member name: lower-case hex, '~' kept
    std::string registration, type;                             ///< as the trace gives them (may be empty)
    std::vector<std::string> callsigns;                         ///< every distinct callsign of its legs, in order seen
    std::size_t points = 0;                                     ///< fixes parsed
    TimePoint first{}, last{};                                  ///< time span of the fixes (valid when points > 0)
    double lon_min = 0, lat_min = 0, lon_max = 0, lat_max = 0;  ///< degrees, plain min/max (valid when points > 0)
};

struct IndexedPart {
    std::string path;  ///< absolute
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
};

struct ArchiveIndex {
    static constexpr int version = 1;  ///< bump when the file format changes
    std::vector<IndexedPart> parts;
    std::vector<IndexedMember> members;
};

/// Which members a load wants. Empty fields select everything.
struct ArchiveQuery {
    /// --aircraft entries: `icao:HEX`, `reg:X`, `call:X`, `type:X` or a bare value (ICAO address,
    /// registration or callsign). Case-insensitive.
    std::vector<std::string> aircraft;
    std::optional<geo::GeoBounds> within;                   ///< degrees; lon_max may exceed 180 (crossing the antimeridian)
    std::optional<std::pair<TimePoint, TimePoint>> window;  ///< absolute, inclusive
    bool selects_all() const noexcept { return aircraft.empty() && !within && !window; }
};

/// Whether a member with these facts answers the query's --aircraft part (exact).
bool member_matches_aircraft(const IndexedMember& m, const ArchiveQuery& q);
/// Whether a member may hold a fix inside `within` during `window` (from its box and span: a
/// superset of the exact answer).
bool member_may_match_place_time(const IndexedMember& m, const ArchiveQuery& q);
/// Whether `tracks` hold a fix inside `within` during `window` (exact).
bool tracks_match_place_time(const std::vector<Track>& tracks, const ArchiveQuery& q);
/// Fills the trace facts of `m` (registration, type, callsigns, points, span, box) from the
/// member's parsed tracks.
void describe_member(IndexedMember& m, const std::vector<Track>& tracks);

/// `$XDG_CACHE_HOME/flightreplay/index`, or `$HOME/.cache/flightreplay/index`. Throws
/// fr::IoError when neither variable gives an absolute path.
std::filesystem::path default_index_dir();
/// 32 hex digits from the parts' absolute paths, sizes and modification times.
std::string index_key(const PartSet& parts);

/// The index as text (docs/formats.md), ending in a SHA-256 line over everything before it.
std::string serialize_index(const ArchiveIndex& index);
/// Parses serialize_index's text. Throws fr::IoError naming `file`, the line and what is wrong
/// (unknown version, bad field, checksum mismatch: the file was truncated or altered).
ArchiveIndex parse_index(const std::string& text, const std::filesystem::path& file);

struct IndexLookup {
    enum class State { absent, ok, stale, corrupt } state = State::absent;
    std::filesystem::path file;  ///< where the index is (or would be)
    std::string why;             ///< for stale and corrupt: what was wrong
    ArchiveIndex index;          ///< for ok
};
/// Looks for the index of `parts` under `dir` (default_index_dir() when empty). Never throws
/// for a bad index file: it is reported as stale or corrupt.
IndexLookup find_index(const PartSet& parts, const std::filesystem::path& dir);

/// What the index pass made of one trace member, for a load that keeps what the pass parses
/// (the first query on an archive without an index builds it as it reads).
struct MemberPass {
    const IndexedMember& member;  ///< its facts (trace or bad)
    const std::string& where;     ///< "ARCHIVE(MEMBER)" for diagnostics
    const std::string* error;     ///< set when it did not decompress: why ("flightreplay: WHERE: ..." as thrown)
    LoadResult* parsed;           ///< otherwise the parsed trace (the visitor may move from it)
    /// False when the member was refused by its size before a byte of it was read (over the
    /// per-member cap): byte counters must not count it.
    bool read;
};
/// Called once per trace member, from the pass's worker threads (several at once, each with
/// a distinct `index` into ArchiveIndex::members).
using MemberVisitor = std::function<void(std::size_t index, MemberPass& pass)>;

/// Walks the archive and parses every trace member: the index of `parts`. Throws fr::IoError
/// for a damaged tar; a member that does not decompress or parse is kept as Kind::bad.
/// `visit`, when given, sees every trace member's parse. `max_bytes`: the per-member cap on
/// stored and decompressed bytes (--max-input-bytes); a member over it is Kind::bad.
ArchiveIndex build_index(const PartSet& parts, const std::string& shown, const MemberVisitor& visit = {},
                         std::uint64_t max_bytes = default_max_input_bytes);

}  // namespace fr::io
