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
// Diagnostics name `ARCHIVE(MEMBER)`. An archive whose name contains "synthetic" is synthetic
// as a whole.
#include "io/readsb_archive.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <memory>
#include <regex>

#include "core/error.hpp"

namespace fr::io {

namespace {

namespace fs = std::filesystem;

struct ArchiveFree {
    void operator()(archive* a) const noexcept { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

/// Largest member we read or decompress (the per-file cap of every input): a gzip bomb is
/// refused, not expanded.
constexpr std::size_t max_member_bytes = std::size_t{2} << 30;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string error_of(archive* a) {
    const char* e = archive_error_string(a);
    return e ? e : "unknown libarchive error";
}

/// Decompresses a member's bytes (gzip, zstd or none).
std::string decompress(const std::string& where, const std::string& raw) {
    ArchivePtr a(archive_read_new());
    archive_read_support_filter_all(a.get());
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

LoadResult load_trace_archive(const fs::path& first_part, const std::vector<std::string>& icao_filter) {
    const auto parts = archive_parts(first_part);
    if (parts.empty()) throw IoError("flightreplay: " + first_part.string() + ": no archive parts found");
    std::vector<std::string> names;
    for (const auto& p : parts) names.push_back(p.string());
    std::vector<const char*> cnames;
    for (const auto& n : names) cnames.push_back(n.c_str());
    cnames.push_back(nullptr);
    const std::string shown = parts.size() == 1 ? names[0] : names[0] + " (+" + std::to_string(parts.size() - 1) + " part(s))";

    ArchivePtr a(archive_read_new());
    archive_read_support_format_tar(a.get());
    archive_read_support_format_gnutar(a.get());
    archive_read_support_filter_none(a.get());
    if (archive_read_open_filenames(a.get(), cnames.data(), 1 << 20) != ARCHIVE_OK)
        throw IoError("flightreplay: " + shown + ": not a readable tar archive: " + error_of(a.get()));
    std::vector<std::string> wanted;
    for (const auto& f : icao_filter) wanted.push_back(lower(f));

    LoadResult all;
    all.format = Format::readsb_trace;
    const Provenance prov = provenance_from_name(first_part);
    archive_entry* e = nullptr;
    int rc;
    std::size_t members = 0;
    while ((rc = archive_read_next_header(a.get(), &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
        if (archive_entry_filetype(e) != AE_IFREG) continue;
        const std::string member = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
        const auto hex = trace_member_address(member);
        const bool take = hex && (wanted.empty() || std::find(wanted.begin(), wanted.end(), *hex) != wanted.end());
        if (!take) {
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
        std::string text;
        try {
            text = decompress(where, raw);
        } catch (const IoError& err) {  // one bad member: reported, the others still read
            all.diagnostics.error(where, 0, 0, std::string(err.what()).substr(std::string("flightreplay: ").size() + where.size() + 2) +
                                                   " (member skipped)");
            continue;
        }
        auto r = detail::load_readsb(where, text);
        for (auto& t : r.tracks) {
            t.provenance = std::max(t.provenance, prov);
            t.source = where;
            all.tracks.push_back(std::move(t));
        }
        all.diagnostics.append(r.diagnostics);
        all.rows_read += r.rows_read;
        all.rows_skipped += r.rows_skipped;
    }
    if (rc != ARCHIVE_EOF) throw IoError("flightreplay: " + shown + ": archive is damaged: " + error_of(a.get()));
    if (members == 0 && wanted.empty())
        all.diagnostics.warn(names[0], 0, 0, "archive holds no traces/<xx>/trace_full_<hex>.json member");
    return all;
}

}  // namespace fr::io
