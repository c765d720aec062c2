// libFuzzer target for the readsb aircraft.json snapshot loader (io/formats/readsb_snapshot.hpp): the
// content check that picks snapshots out of an archive, the loader with its diagnostics, and the
// accumulation of the snapshot's tracks (twice, so the repeated-fix removal runs on every input).
#include <string_view>

#include "fuzz_common.hpp"
#include "io/formats/readsb_snapshot.hpp"
#include "io/text/json_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)fr::io::detail::looks_like_snapshot(text);
    if (fr::io::detail::looks_like_json(text)) (void)fr::io::detail::sniff_json(text);
    const auto res = fr::io::detail::load_readsb_snapshot("fuzz-input", text);
    std::size_t total = 0;
    for (const auto& d : res.diagnostics.items()) total += format(d).size();
    fr::io::SnapshotTracks acc;
    acc.add(res.tracks);
    acc.add(res.tracks);
    std::size_t repeats = 0;
    const auto tracks = acc.finish(&repeats);
    for (const auto& t : tracks) total += t.points.size();
    // Every fix of the second copy repeats one of the first.
    std::size_t points = 0;
    for (const auto& t : res.tracks) points += t.points.size();
    if (repeats < points) __builtin_trap();
    return total == static_cast<std::size_t>(-1) ? 1 : 0;
}
