// readsb globe-history day archives (adsb.lol, ADS-B Exchange, airplanes.live publish one per
// UTC day): a tar of `traces/<xx>/trace_full_<hex>.json` members (xx: the address's last two
// hex digits), each a readsb trace (readsb.cpp) compressed with gzip despite the name (zstd in
// some releases), plus README and licence files. Big days are split with `split` into parts
// `NAME.tar.aa`, `NAME.tar.ab`, ...: read as one stream in name order.
//
// A member is only decompressed when it is wanted: `--aircraft icao:HEX` reads one trace out
// of gigabytes by its name alone (our own header walk, io/formats/tar_walk.hpp, reads 512 bytes per
// member and seeks past the data; then pread of the chosen member). A whole read goes through
// libarchive. Decompression of
// a member (gzip or zstd, told apart by magic bytes) goes through a second libarchive reader
// over the member's bytes ("raw" format, all filters). Members other than traces are skipped.
// Diagnostics name `ARCHIVE(MEMBER)`.
//
// With an index (io/formats/archive_index.hpp, built by `flightreplay index`), a query by callsign,
// registration, type, region or time reads only the members the index selects, with pread
// over the parts; each member read goes through the same take_member as in the full read, so
// both keep the same tracks. Without a valid index, a query that needs the traces' own fields
// (callsign, registration, type, --within, a time window) reads every member through our header
// walk and builds the index as it goes (returned for the caller to store), so the next query
// reads only what matches. An archive whose name contains "synthetic" is synthetic as a whole.
#include "io/formats/readsb_archive.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <libdeflate.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <regex>

#include "core/diagnostic.hpp"
#include "core/error.hpp"
#include "core/setting_error.hpp"
#include "io/formats/archive_index.hpp"
#include "io/formats/readsb_snapshot.hpp"
#include "io/formats/tar_walk.hpp"

namespace fr::io {

namespace {

namespace fs = std::filesystem;

struct ArchiveFree {
    void operator()(archive* a) const noexcept { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

/// The first output buffer of a gzip member is never larger than this (then doubled as needed,
/// up to the cap).
constexpr std::size_t first_room_ceiling = std::size_t{2} << 30;

/// Why a member whose stored bytes exceed the cap is not read (the diagnostic names the
/// archive and the member).
std::string member_over_cap(std::uint64_t size, std::uint64_t cap) {
    return "the member is " + std::to_string(size) + " bytes, " + over_input_cap(cap);
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string error_of(archive* a) {
    const char* e = archive_error_string(a);
    return e ? e : "unknown libarchive error";
}

}  // namespace

bool is_split_part(const fs::path& p) {
    static const std::regex part(R"(.*\.tar\.[a-z][a-z]$)", std::regex::icase);
    return std::regex_match(p.filename().string(), part);
}

bool is_trace_archive(const fs::path& p) {
    const auto n = lower(p.filename().string());
    if (is_split_part(p)) return true;
    if (n.size() >= 4 && n.compare(n.size() - 4, 4, ".tar") == 0) return true;
    return false;
}

std::vector<fs::path> archive_parts(const fs::path& p) {
    if (!is_split_part(p)) return {p};
    const std::string name = p.filename().string();
    const std::string stem = name.substr(0, name.size() - 2);  // "NAME.tar."
    std::vector<fs::path> parts;
    const auto dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    for (const auto& e : fs::directory_iterator(dir)) {
        const auto n = e.path().filename().string();
        if (n.size() == name.size() && n.compare(0, stem.size(), stem) == 0 && is_split_part(e.path())) parts.push_back(e.path());
    }
    std::sort(parts.begin(), parts.end());
    return parts;
}

std::optional<std::string> trace_member_address(std::string_view member) {
    const auto slash = member.rfind('/');
    auto base = member.substr(slash == std::string_view::npos ? 0 : slash + 1);
    constexpr std::string_view prefix = "trace_full_";
    if (base.substr(0, prefix.size()) != prefix) return std::nullopt;
    base.remove_prefix(prefix.size());
    for (std::string_view ext : {".json.gz", ".json.zst", ".json"}) {
        if (base.size() > ext.size() && base.substr(base.size() - ext.size()) == ext) {
            std::string hex(base.substr(0, base.size() - ext.size()));
            return lower(hex);
        }
    }
    return std::nullopt;
}

namespace {

struct DeflateFree {
    void operator()(libdeflate_decompressor* d) const noexcept { libdeflate_free_decompressor(d); }
};

/// Every gzip member of `raw` (which starts with 1f 8b) with libdeflate, 2-3x zlib's speed.
/// The first guess of the size is the last member's ISIZE field (exact for one member up to
/// 4 GiB); on too small a buffer the member is decompressed again into twice the room. The room
/// never exceeds the cap (`max_bytes` in all) nor what a gzip member may expand to without
/// being a decompression bomb (64 MiB, or 200 times its compressed bytes): a member that needs
/// more is refused before more is allocated.
std::string gunzip_all(const std::string& where, const std::string& raw, std::uint64_t max_bytes) {
    thread_local std::unique_ptr<libdeflate_decompressor, DeflateFree> d(libdeflate_alloc_decompressor());
    if (!d) throw IoError(where + ": cannot decompress: out of memory");
    max_bytes = std::min<std::uint64_t>(max_bytes, std::uint64_t{1} << 62);  // room arithmetic below cannot overflow
    std::string out;
    std::size_t in_pos = 0;
    int member = 0;
    while (in_pos < raw.size()) {
        if (raw.size() - in_pos < 18 || static_cast<unsigned char>(raw[in_pos]) != 0x1f ||
            static_cast<unsigned char>(raw[in_pos + 1]) != 0x8b) {
            // Zero padding after the last member is tolerated, as gzip does; anything else is not.
            if (raw.find_first_not_of('\0', in_pos) == std::string::npos) break;
            throw IoError(where + ": corrupt compressed data: bytes after a gzip member are not another gzip member");
        }
        ++member;
        const std::size_t in_left = raw.size() - in_pos;
        const auto* tail = reinterpret_cast<const unsigned char*>(raw.data() + raw.size() - 4);
        std::size_t room = static_cast<std::size_t>(tail[0]) | static_cast<std::size_t>(tail[1]) << 8 |
                           static_cast<std::size_t>(tail[2]) << 16 | static_cast<std::size_t>(tail[3]) << 24;
        room = detail::gunzip_first_room(in_left, room);
        // This member (at most in_left compressed bytes) may expand to bomb_room bytes at most.
        const std::uint64_t bomb_room = std::max<std::uint64_t>(gzip_ratio_check_bytes, max_gzip_ratio * std::uint64_t{in_left});
        for (;;) {
            const std::uint64_t cap_left = max_bytes - std::min<std::uint64_t>(out.size(), max_bytes);
            room = static_cast<std::size_t>(std::min<std::uint64_t>({room, cap_left + 1, bomb_room + 1}));
            const std::size_t at = out.size();
            out.resize(at + room);
            std::size_t in_used = 0, out_used = 0;
            const auto rc =
                libdeflate_gzip_decompress_ex(d.get(), raw.data() + in_pos, in_left, out.data() + at, room, &in_used, &out_used);
            if (rc == LIBDEFLATE_SUCCESS) {
                out.resize(at + out_used);
                if (out.size() > max_bytes) throw IoError(where + ": decompressed to " + over_input_cap(max_bytes));
                if (out_used > gzip_ratio_check_bytes && out_used > max_gzip_ratio * std::max<std::size_t>(1, in_used))
                    throw IoError(where + ": gzip member " + std::to_string(member) + " expands " +
                                  std::to_string(out_used / std::max<std::size_t>(1, in_used)) + ":1 to more than 64 MiB (over " +
                                  std::to_string(max_gzip_ratio) + ":1 is refused as a decompression bomb)");
                in_pos += in_used;
                break;
            }
            out.resize(at);
            if (rc != LIBDEFLATE_INSUFFICIENT_SPACE)
                throw IoError(where + std::string(": corrupt compressed data: ") +
                              (rc == LIBDEFLATE_SHORT_OUTPUT ? "short output" : "truncated or damaged gzip input"));
            if (room > cap_left) throw IoError(where + ": decompressed to " + over_input_cap(max_bytes));
            if (room > bomb_room)
                throw IoError(where + ": gzip member " + std::to_string(member) + " expands more than " + std::to_string(max_gzip_ratio) +
                              ":1 to more than 64 MiB (over " + std::to_string(max_gzip_ratio) + ":1 is refused as a decompression bomb)");
            room *= 2;
        }
    }
    return out;
}

}  // namespace

std::size_t detail::gunzip_first_room(std::size_t compressed, std::size_t isize) noexcept {
    constexpr std::size_t max_deflate_ratio = 1032;
    const std::size_t most =
        compressed > first_room_ceiling / max_deflate_ratio ? first_room_ceiling : compressed * max_deflate_ratio + 1024;
    return std::max(std::min(isize, most), compressed * 4 > first_room_ceiling ? first_room_ceiling : compressed * 4);
}

std::string detail::decompress_member(const std::string& where, const std::string& raw, std::uint64_t max_bytes) {
    if (raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0x1f && static_cast<unsigned char>(raw[1]) == 0x8b)
        return gunzip_all(where, raw, max_bytes);
    ArchivePtr a(archive_read_new());
    // Only what the archives hold (gzip, zstd, or stored). Not filter_all: for lrzip, lzop and
    // grzip data libarchive runs the external program of that name found on PATH, so a hostile
    // member could start a program.
    archive_read_support_filter_gzip(a.get());
    archive_read_support_filter_zstd(a.get());
    archive_read_support_format_raw(a.get());
    if (archive_read_open_memory(a.get(), raw.data(), raw.size()) != ARCHIVE_OK)
        throw IoError(where + ": cannot decompress: " + error_of(a.get()));
    archive_entry* e = nullptr;
    if (archive_read_next_header(a.get(), &e) != ARCHIVE_OK) throw IoError(where + ": cannot decompress: " + error_of(a.get()));
    std::string out;
    char buf[1 << 16];
    la_ssize_t n;
    while ((n = archive_read_data(a.get(), buf, sizeof buf)) > 0) {
        out.append(buf, static_cast<std::size_t>(n));
        if (out.size() > max_bytes) throw IoError(where + ": decompressed to " + over_input_cap(max_bytes));
        // zstd (or stored data): the same bomb rule as gzip members, checked as the text grows.
        if (out.size() > gzip_ratio_check_bytes && out.size() > max_gzip_ratio * std::max<std::size_t>(1, raw.size()))
            throw IoError(where + ": compressed data expand more than " + std::to_string(max_gzip_ratio) +
                          ":1 to more than 64 MiB (refused as a decompression bomb)");
    }
    if (n < 0) throw IoError(where + ": corrupt compressed data: " + error_of(a.get()));
    return out;
}

namespace {

std::string lower_copy(std::string s) { return lower(std::move(s)); }

/// True when the member's name alone rules it out: every --aircraft entry is `icao:` and none
/// is this address.
bool name_rules_out(const std::string& hex, const ArchiveQuery& q) {
    if (q.aircraft.empty()) return false;
    for (const auto& a : q.aircraft) {
        const auto la = lower_copy(a);
        if (la.rfind("icao:", 0) != 0) return false;
        if (la.substr(5) == hex) return false;
    }
    return true;
}

/// Reports a member that did not decompress (`what`: the IoError's text) and goes on.
void report_unreadable(const std::string& where, const std::string& what, LoadResult& all) {
    // The message repeats `where` (escaped, as every fr::Error message is): keep what follows.
    const std::string prefix = escape_control(where, /*keep_newlines=*/true) + ": ";
    all.diagnostics.error(where, 0, 0, (what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what) + " (member skipped)");
}

/// Keeps one parsed member when it matches the query. Shared by the indexed read, the full
/// read and the index-building pass, so all keep the same tracks and diagnostics.
void keep_member(const std::string& where, const std::string& hex, LoadResult r, const ArchiveQuery& q, Provenance prov, LoadResult& all) {
    if (!q.selects_all()) {
        IndexedMember m;
        m.icao = hex;
        describe_member(m, r.tracks);
        if (!member_matches_aircraft(m, q) || !tracks_match_place_time(r.tracks, q)) return;
    }
    for (auto& t : r.tracks) {
        t.provenance = std::max(t.provenance, prov);
        t.source = where;
        all.tracks.push_back(std::move(t));
    }
    all.diagnostics.append(r.diagnostics);
    all.rows_read += r.rows_read;
    all.rows_skipped += r.rows_skipped;
}

/// Decompresses, parses and (when it matches the query) keeps one member.
void take_member(const std::string& where, const std::string& hex, const std::string& raw, const ArchiveQuery& q, Provenance prov,
                 std::uint64_t max_bytes, LoadResult& all) {
    ++all.archive_members_read;
    all.archive_bytes_read += raw.size();
    std::string text;
    try {
        text = detail::decompress_member(where, raw, max_bytes);
    } catch (const IoError& err) {  // one bad member: reported, the others still read
        report_unreadable(where, err.what(), all);
        return;
    }
    keep_member(where, hex, detail::load_readsb(where, text), q, prov, all);
}

/// A member that may be an aircraft.json snapshot (readsb-hist): decompressed, and when it is
/// one, its fixes join `snaps` (the query is applied to the accumulated tracks at the end).
void take_snapshot(const std::string& where, const std::string& raw, Provenance prov, std::uint64_t max_bytes, SnapshotTracks& snaps,
                   LoadResult& all) {
    std::string text;
    try {
        text = detail::decompress_member(where, raw, max_bytes);
    } catch (const IoError& err) {
        report_unreadable(where, err.what(), all);
        return;
    }
    if (!detail::looks_like_snapshot(text)) return;  // some other JSON: not ours to read
    ++all.archive_members_read;
    all.archive_bytes_read += raw.size();
    auto r = detail::load_readsb_snapshot(where, text);
    for (auto& t : r.tracks) t.provenance = std::max(t.provenance, prov);
    snaps.add(std::move(r.tracks));
    all.diagnostics.append(r.diagnostics);
    all.rows_read += r.rows_read;
    all.rows_skipped += r.rows_skipped;
}

/// The tracks accumulated from snapshots that answer the query, appended to `all`.
void finish_snapshots(SnapshotTracks& snaps, const ArchiveQuery& q, LoadResult& all) {
    for (auto& t : snaps.finish()) {
        if (!q.selects_all()) {
            IndexedMember m;
            m.icao = t.aircraft.icao24;
            std::vector<Track> one;
            one.push_back(std::move(t));
            describe_member(m, one);
            if (!member_matches_aircraft(m, q) || !tracks_match_place_time(one, q)) continue;
            t = std::move(one.front());
        }
        all.tracks.push_back(std::move(t));
    }
}

/// Reads the snapshot members the index lists (kind other, snapshot names) with pread.
void take_indexed_snapshots(const ArchiveIndex& ix, const PartSet& set, const std::string& first, Provenance prov, std::uint64_t max_bytes,
                            SnapshotTracks& snaps, LoadResult& all) {
    for (const auto& m : ix.members) {
        if (m.kind != IndexedMember::Kind::other || !detail::snapshot_member_name(m.name)) continue;
        const std::string where = first + "(" + m.name + ")";
        if (m.size > max_bytes) {
            report_unreadable(where, member_over_cap(m.size, max_bytes), all);
            continue;
        }
        std::string raw(static_cast<std::size_t>(m.size), '\0');
        set.read(m.data_offset, raw.size(), raw.data());
        take_snapshot(where, raw, prov, max_bytes, snaps, all);
    }
}

/// True when the query needs more than member names: a callsign, registration, type or bare
/// --aircraft entry, --within or a time window. Only then does a full pass build the index.
bool needs_trace_facts(const ArchiveQuery& q) {
    if (q.within || q.window) return true;
    for (const auto& a : q.aircraft)
        if (lower_copy(a).rfind("icao:", 0) != 0) return true;
    return false;
}

ArchiveQuery query_of(const LoadOptions& opt) {
    ArchiveQuery q;
    q.aircraft = opt.aircraft;
    if (q.aircraft.empty())
        for (const auto& h : opt.icao_filter) q.aircraft.push_back("icao:" + lower_copy(h));
    q.within = opt.within;
    q.window = opt.time_window;
    return q;
}

}  // namespace

LoadResult load_trace_archive(const fs::path& first_part, const std::vector<std::string>& icao_filter) {
    LoadOptions opt;
    opt.icao_filter = icao_filter;
    opt.index_dir = "";
    return load_trace_archive(first_part, opt);
}

LoadResult load_trace_archive(const fs::path& first_part, const LoadOptions& opt) {
    const auto parts = archive_parts(first_part);
    if (parts.empty()) throw IoError(first_part.string() + ": no archive parts found");
    std::vector<std::string> names;
    for (const auto& p : parts) names.push_back(p.string());
    const std::string shown = parts.size() == 1 ? names[0] : names[0] + " (+" + std::to_string(parts.size() - 1) + " part(s))";
    const ArchiveQuery q = query_of(opt);
    const Provenance prov = provenance_from_name(first_part);
    const std::uint64_t cap = opt.max_input_bytes;  // per member: stored bytes, and decompressed text

    LoadResult all;
    all.format = Format::readsb_trace;

    // The index, when there is a valid one: read only what it selects.
    PartSet set(parts);
    IndexLookup found;
    if (!q.selects_all() || opt.relative_time_range) {
        try {
            found = find_index(set, opt.index_dir);
        } catch (const IoError&) {  // no cache directory at all: as if there were no index
        }
    }
    if (found.state == IndexLookup::State::ok) {
        std::size_t traces = 0;
        for (const auto& m : found.index.members) {
            if (m.kind == IndexedMember::Kind::other) continue;
            ++traces;
            const bool want = m.kind == IndexedMember::Kind::bad ? !name_rules_out(m.icao, q)
                                                                 : member_matches_aircraft(m, q) && member_may_match_place_time(m, q);
            if (!want) continue;
            const std::string where = names[0] + "(" + m.name + ")";
            if (m.size > cap) {  // as a member that does not decompress: reported, the others read
                report_unreadable(where, member_over_cap(m.size, cap), all);
                continue;
            }
            std::string raw(static_cast<std::size_t>(m.size), '\0');
            set.read(m.data_offset, raw.size(), raw.data());
            take_member(where, m.icao, raw, q, prov, cap, all);
        }
        SnapshotTracks snaps;
        take_indexed_snapshots(found.index, set, names[0], prov, cap, snaps, all);
        const bool had_snapshots = !snaps.empty();
        finish_snapshots(snaps, q, all);
        if (traces == 0 && !had_snapshots && q.aircraft.empty())
            all.diagnostics.warn(names[0], 0, 0, "archive holds no traces/<xx>/trace_full_<hex>.json member");
        return all;
    }
    if (found.state == IndexLookup::State::stale || found.state == IndexLookup::State::corrupt)
        all.diagnostics.warn(found.file.string(), 0, 0,
                             std::string("archive index ") + (found.state == IndexLookup::State::stale ? "is stale" : "is corrupt") + ": " +
                                 found.why + " (not used: the whole archive is read; `flightreplay index " + names[0] + "` rebuilds it)");
    if (opt.relative_time_range)
        throw SettingError("time_range",
                           "a time range in +offsets needs the archive's index (" + shown +
                               " has none): give absolute times (ISO 8601 UTC, e.g. 2025-02-05T06:00:00Z) or run `flightreplay index " +
                               names[0] + "` first");

    if (!q.selects_all() && !needs_trace_facts(q)) {
        // By address alone: our header walk reads 512 bytes per member (with pread, seeking
        // past the data), then only the chosen members' bytes: less than the archive once.
        SnapshotTracks snaps;
        for (const auto& t : walk_tar(set, shown)) {
            const auto hex = trace_member_address(t.name);
            const bool snapshot = !hex && detail::snapshot_member_name(t.name);
            if (!snapshot && (!hex || name_rules_out(*hex, q))) continue;
            const std::string where = names[0] + "(" + t.name + ")";
            if (t.size > cap) {
                report_unreadable(where, member_over_cap(t.size, cap), all);
                continue;
            }
            std::string raw(static_cast<std::size_t>(t.size), '\0');
            set.read(t.data_offset, raw.size(), raw.data());
            if (snapshot)
                take_snapshot(where, raw, prov, cap, snaps, all);
            else
                take_member(where, *hex, raw, q, prov, cap, all);
        }
        finish_snapshots(snaps, q, all);
        return all;
    }
    if (opt.index_on_first_pass && needs_trace_facts(q) && !found.file.empty()) {
        // The first query that needs the traces' own fields reads every member anyway: build
        // the index on the way (our header walk and pread, as `flightreplay index` does), so
        // that the next query reads only what matches. The caller stores it.
        std::mutex lock;
        std::map<std::size_t, LoadResult> kept;  // by member index: archive order, as the full read
        auto visit = [&](std::size_t i, MemberPass& p) {
            LoadResult one;
            if (p.read) {  // a member refused by its size was not read: not counted, as in the other passes
                ++one.archive_members_read;
                one.archive_bytes_read += p.member.size;
            }
            if (p.error)
                report_unreadable(p.where, *p.error, one);
            else
                keep_member(p.where, p.member.icao, std::move(*p.parsed), q, prov, one);
            const std::lock_guard<std::mutex> g(lock);
            kept.emplace(i, std::move(one));
        };
        auto ix = build_index(set, shown, visit, cap);
        for (auto& [i, one] : kept) {
            for (auto& t : one.tracks) all.tracks.push_back(std::move(t));
            all.diagnostics.append(one.diagnostics);
            all.rows_read += one.rows_read;
            all.rows_skipped += one.rows_skipped;
            all.archive_members_read += one.archive_members_read;
            all.archive_bytes_read += one.archive_bytes_read;
        }
        SnapshotTracks snaps;
        take_indexed_snapshots(ix, set, names[0], prov, cap, snaps, all);
        const bool had_snapshots = !snaps.empty();
        finish_snapshots(snaps, q, all);
        if (kept.empty() && !had_snapshots && q.aircraft.empty())
            all.diagnostics.warn(names[0], 0, 0, "archive holds no traces/<xx>/trace_full_<hex>.json member");
        all.built_indexes.push_back({found.file, serialize_index(ix), shown});
        return all;
    }

    std::vector<const char*> cnames;
    for (const auto& n : names) cnames.push_back(n.c_str());
    cnames.push_back(nullptr);
    ArchivePtr a(archive_read_new());
    archive_read_support_format_tar(a.get());
    archive_read_support_format_gnutar(a.get());
    archive_read_support_filter_none(a.get());
    if (archive_read_open_filenames(a.get(), cnames.data(), 1 << 20) != ARCHIVE_OK)
        throw IoError(shown + ": not a readable tar archive: " + error_of(a.get()));

    archive_entry* e = nullptr;
    int rc;
    std::size_t members = 0;
    SnapshotTracks snaps;
    // A member's stored bytes; false (reported, skipped) when they exceed the cap: the header's
    // size is checked before a byte is read.
    auto read_all = [&](const std::string& where, std::string& raw) {
        const bool sized = archive_entry_size_is_set(e) && archive_entry_size(e) > 0;
        if (sized && static_cast<std::uint64_t>(archive_entry_size(e)) > cap) {
            report_unreadable(where, member_over_cap(static_cast<std::uint64_t>(archive_entry_size(e)), cap), all);
            archive_read_data_skip(a.get());
            return false;
        }
        if (sized) raw.reserve(static_cast<std::size_t>(archive_entry_size(e)));
        char buf[1 << 16];
        la_ssize_t n;
        while ((n = archive_read_data(a.get(), buf, sizeof buf)) > 0) {
            raw.append(buf, static_cast<std::size_t>(n));
            if (raw.size() > cap) {
                report_unreadable(where, member_over_cap(raw.size(), cap), all);
                archive_read_data_skip(a.get());
                return false;
            }
        }
        if (n < 0) throw IoError(where + ": cannot read the member: " + error_of(a.get()));
        return true;
    };
    while ((rc = archive_read_next_header(a.get(), &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
        if (archive_entry_filetype(e) != AE_IFREG) continue;
        const std::string member = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
        const auto hex = trace_member_address(member);
        if (!hex && detail::snapshot_member_name(member)) {  // readsb-hist: aircraft.json snapshots
            const std::string where = names[0] + "(" + member + ")";
            std::string raw;
            if (read_all(where, raw)) take_snapshot(where, raw, prov, cap, snaps, all);
            continue;
        }
        if (!hex || name_rules_out(*hex, q)) {
            archive_read_data_skip(a.get());  // by name alone: no decompression
            continue;
        }
        ++members;
        const std::string where = names[0] + "(" + member + ")";
        std::string raw;
        if (read_all(where, raw)) take_member(where, *hex, raw, q, prov, cap, all);
    }
    if (rc != ARCHIVE_EOF) throw IoError(shown + ": archive is damaged: " + error_of(a.get()));
    const bool had_snapshots = !snaps.empty();
    finish_snapshots(snaps, q, all);
    if (members == 0 && !had_snapshots && q.aircraft.empty())
        all.diagnostics.warn(names[0], 0, 0, "archive holds no traces/<xx>/trace_full_<hex>.json member");
    return all;
}

}  // namespace fr::io
