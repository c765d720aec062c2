#pragma once
// `flightreplay index ARCHIVE...`: builds (or checks) the index of globe-history day archives
// (io/formats/archive_index.hpp) so that later loads read only the members a query selects.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace fr::app {

/// Indexes each archive (its first part or any part: all parts are taken). An index that is
/// present and valid is kept (`force` rebuilds it); a stale or corrupt one is reported and
/// rebuilt. Writes atomically under `index_dir` (the cache directory when empty). Returns the
/// exit code; throws fr::UsageError for an argument that is not an archive, fr::IoError for a
/// damaged archive or an index that cannot be written. `max_input_bytes`: the per-member cap
/// (--max-input-bytes, as for loading; the 200:1 ratio rule applies to members decompressing
/// past 64 MiB): a member over either is indexed as unreadable and named on stderr with why.
int run_index(const std::vector<std::filesystem::path>& archives, const std::filesystem::path& index_dir, bool force, bool quiet,
              std::uint64_t max_input_bytes);

}  // namespace fr::app
