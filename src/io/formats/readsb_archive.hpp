#pragma once
// readsb globe-history day archives: a tar (or its split parts NAME.tar.aa, .ab, ... read as
// one stream) of traces/<xx>/trace_full_<hex>.json members, gzip or zstd compressed. See
// readsb_archive.cpp.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/loader.hpp"
#include "io/text/input_reader.hpp"

namespace fr::io {

/// True for NAME.tar and split parts NAME.tar.aa .. NAME.tar.zz (by name).
bool is_trace_archive(const std::filesystem::path& p);
/// True for a split part NAME.tar.xx.
bool is_split_part(const std::filesystem::path& p);
/// All parts of the archive `p` belongs to, in name order (just `p` when it is not a part).
std::vector<std::filesystem::path> archive_parts(const std::filesystem::path& p);
/// "ac671b" for ".../trace_full_ac671b.json" (lower-case, a '~' prefix kept); nullopt for other
/// names.
std::optional<std::string> trace_member_address(std::string_view member);

/// Loads the trace members of the archive whose first part is `first_part`. With a non-empty
/// `icao_filter` (lower-case addresses), only members of those addresses are read: the others
/// are skipped by name without decompressing them. Throws IoError for an unreadable or
/// damaged archive or a member whose stored bytes exceed the --max-input-bytes cap; a member
/// that does not decompress (damaged, over the cap, a decompression bomb) is reported (error)
/// and skipped, a bad trace is reported like a bad file. One member's text is held at a time.
LoadResult load_trace_archive(const std::filesystem::path& first_part, const std::vector<std::string>& icao_filter);

/// The same with every selection of `opt`: `aircraft` (icao:, reg:, call:, type: or bare),
/// `within` and `time_window` keep the members whose trace matches (for --within and the time
/// window: one fix inside the box during the window). When the archive has a valid index
/// (io/formats/archive_index.hpp, under `opt.index_dir` or the cache), only members the index selects
/// are read, with pread; the result is the same as without it. A stale or corrupt index is
/// reported (warning naming the index file and why) and the archive is read in full. Without
/// an index, `opt.relative_time_range` throws fr::UsageError asking for absolute times.
LoadResult load_trace_archive(const std::filesystem::path& first_part, const LoadOptions& opt);

namespace detail {
/// Decompresses a member's bytes (gzip, zstd multi-frame, or stored as is) with the per-input
/// caps (io/text/input_reader.hpp): at most `max_bytes` of text (--max-input-bytes), and no
/// gzip member expanding past 64 MiB at more than 200:1. Only the member's own text is held;
/// decompression stops at either limit. Throws fr::IoError "WHERE: ..." (WHERE names the
/// archive and the member).
std::string decompress_member(const std::string& where, const std::string& raw, std::uint64_t max_bytes = default_max_input_bytes);
/// First output buffer for a gzip member of `compressed` bytes whose size field says `isize`:
/// the field is trusted only up to deflate's largest ratio (1032:1), so a forged field on a
/// small member cannot make us allocate 2 GiB before a byte is decompressed.
std::size_t gunzip_first_room(std::size_t compressed, std::size_t isize) noexcept;
}  // namespace detail

}  // namespace fr::io
