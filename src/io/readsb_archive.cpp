// readsb globe-history day archives (adsb.lol, ADS-B Exchange, airplanes.live publish one per
// UTC day): a tar of `traces/<xx>/trace_full_<hex>.json` members (xx: the address's last two
// hex digits), each a readsb trace (readsb.cpp) compressed with gzip despite the name (zstd in
// some releases), plus README and licence files. Big days are split with `split` into parts
// `NAME.tar.aa`, `NAME.tar.ab`, ...: read as one stream in name order.
//
// libarchive walks the tar headers; a member is only decompressed when it is wanted, so
// `--aircraft icao:HEX` reads one trace out of gigabytes by its name alone. Decompression of
// a member (gzip or zstd, told apart by magic bytes) goes through a second libarchive reader
// over the member's bytes ("raw" format, all filters). Members other than traces are skipped.
// Diagnostics name `ARCHIVE(MEMBER)`.
//
// With an index (io/archive_index.hpp, built by `flightreplay index`), a query by callsign,
// registration, type, region or time reads only the members the index selects, with pread
// over the parts; each member read goes through the same take_member as in the full read, so
// both keep the same tracks. An archive whose name contains "synthetic" is synthetic
// as a whole.
#include "io/readsb_archive.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <memory>
#include <regex>

#include "core/diagnostic.hpp"
#include "core/error.hpp"
#include "io/archive_index.hpp"
#include "io/tar_walk.hpp"

namespace fr::io {

namespace {

namespace fs = std::filesystem;

struct ArchiveFree {
    void operator()(archive* a) const noexcept { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

using detail::max_member_bytes;

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

std::string detail::decompress_member(const std::string& where, const std::string& raw) {
    ArchivePtr a(archive_read_new());
    // Only what the archives hold (gzip, zstd, or stored). Not filter_all: for lrzip, lzop and
    // grzip data libarchive runs the external program of that name found on PATH, so a hostile
    // member could start a program.
    archive_read_support_filter_gzip(a.get());
    archive_read_support_filter_zstd(a.get());
    archive_read_support_format_raw(a.get());
    if (archive_read_open_memory(a.get(), raw.data(), raw.size()) != ARCHIVE_OK)
        throw IoError("flightreplay: " + where + ": cannot decompress: " + error_of(a.get()));
    archive_entry* e = nullptr;
    if (archive_read_next_header(a.get(), &e) != ARCHIVE_OK) throw IoError("flightreplay: " + where + ": cannot decompress: " + error_of(a.get()));
    std::string out;
    char buf[1 << 16];
    la_ssize_t n;
    while ((n = archive_read_data(a.get(), buf, sizeof buf)) > 0) {
        out.append(buf, static_cast<std::size_t>(n));
        if (out.size() > max_member_bytes) throw IoError("flightreplay: " + where + ": decompresses to more than 2 GiB (refused)");
    }
    if (n < 0) throw IoError("flightreplay: " + where + ": corrupt compressed data: " + error_of(a.get()));
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

/// Decompresses, parses and (when it matches the query) keeps one member. Shared by the
/// indexed and the full read, so both keep the same tracks and diagnostics.
void take_member(const std::string& where, const std::string& hex, const std::string& raw, const ArchiveQuery& q, Provenance prov,
                 LoadResult& all) {
    std::string text;
    try {
        text = detail::decompress_member(where, raw);
    } catch (const IoError& err) {  // one bad member: reported, the others still read
        // The message repeats `where` (escaped, as every fr::Error message is): keep what follows.
        std::string why = err.what();
        const std::string prefix = "flightreplay: " + escape_control(where, /*keep_newlines=*/true) + ": ";
        if (why.rfind(prefix, 0) == 0) why.erase(0, prefix.size());
        all.diagnostics.error(where, 0, 0, why + " (member skipped)");
        return;
    }
    auto r = detail::load_readsb(where, text);
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
    if (parts.empty()) throw IoError("flightreplay: " + first_part.string() + ": no archive parts found");
    std::vector<std::string> names;
    for (const auto& p : parts) names.push_back(p.string());
    const std::string shown = parts.size() == 1 ? names[0] : names[0] + " (+" + std::to_string(parts.size() - 1) + " part(s))";
    const ArchiveQuery q = query_of(opt);
    const Provenance prov = provenance_from_name(first_part);

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
            if (m.size > max_member_bytes) throw IoError("flightreplay: " + where + ": larger than 2 GiB (refused)");
            std::string raw(static_cast<std::size_t>(m.size), '\0');
            set.read(m.data_offset, raw.size(), raw.data());
            take_member(where, m.icao, raw, q, prov, all);
        }
        if (traces == 0 && q.aircraft.empty())
            all.diagnostics.warn(names[0], 0, 0, "archive holds no traces/<xx>/trace_full_<hex>.json member");
        return all;
    }
    if (found.state == IndexLookup::State::stale || found.state == IndexLookup::State::corrupt)
        all.diagnostics.warn(found.file.string(), 0, 0,
                             std::string("archive index ") + (found.state == IndexLookup::State::stale ? "is stale" : "is corrupt") +
                                 ": " + found.why + " (not used: the whole archive is read; `flightreplay index " + names[0] +
                                 "` rebuilds it)");
    if (opt.relative_time_range)
        throw UsageError("--time-range with +offsets needs the archive's index (" + shown +
                         " has none): give absolute times (ISO 8601 UTC, e.g. 2025-02-05T06:00:00Z) or run `flightreplay index " +
                         names[0] + "` first");

    std::vector<const char*> cnames;
    for (const auto& n : names) cnames.push_back(n.c_str());
    cnames.push_back(nullptr);
    ArchivePtr a(archive_read_new());
    archive_read_support_format_tar(a.get());
    archive_read_support_format_gnutar(a.get());
    archive_read_support_filter_none(a.get());
    if (archive_read_open_filenames(a.get(), cnames.data(), 1 << 20) != ARCHIVE_OK)
        throw IoError("flightreplay: " + shown + ": not a readable tar archive: " + error_of(a.get()));

    archive_entry* e = nullptr;
    int rc;
    std::size_t members = 0;
    while ((rc = archive_read_next_header(a.get(), &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
        if (archive_entry_filetype(e) != AE_IFREG) continue;
        const std::string member = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
        const auto hex = trace_member_address(member);
        if (!hex || name_rules_out(*hex, q)) {
            archive_read_data_skip(a.get());  // by name alone: no decompression
            continue;
        }
        ++members;
        const std::string where = names[0] + "(" + member + ")";
        std::string raw;
        char buf[1 << 16];
        la_ssize_t n;
        while ((n = archive_read_data(a.get(), buf, sizeof buf)) > 0) {
            raw.append(buf, static_cast<std::size_t>(n));
            if (raw.size() > max_member_bytes) throw IoError("flightreplay: " + where + ": larger than 2 GiB (refused)");
        }
        if (n < 0) throw IoError("flightreplay: " + where + ": cannot read the member: " + error_of(a.get()));
        take_member(where, *hex, raw, q, prov, all);
    }
    if (rc != ARCHIVE_EOF) throw IoError("flightreplay: " + shown + ": archive is damaged: " + error_of(a.get()));
    if (members == 0 && q.aircraft.empty())
        all.diagnostics.warn(names[0], 0, 0, "archive holds no traces/<xx>/trace_full_<hex>.json member");
    return all;
}

}  // namespace fr::io
