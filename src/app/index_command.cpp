#include "app/index_command.hpp"

#include <iostream>
#include <map>
#include <mutex>
#include <set>

#include "core/diagnostic.hpp"
#include "core/error.hpp"
#include "export/atomic_file.hpp"
#include "io/formats/archive_index.hpp"
#include "io/formats/readsb_archive.hpp"

namespace fr::app {

namespace fs = std::filesystem;

int run_index(const std::vector<fs::path>& archives, const fs::path& index_dir, bool force, bool quiet, std::uint64_t max_input_bytes) {
    std::set<fs::path> done;  // split parts: once per archive
    for (const auto& a : archives) {
        std::error_code ec;
        if (!fs::is_regular_file(a, ec))
            throw UsageError("index: " + a.string() + ": not a file (give a day archive NAME.tar or one of its parts NAME.tar.aa ...)");
        if (!io::is_trace_archive(a))
            throw UsageError("index: " + a.string() + ": not a tar archive by name (NAME.tar or a split part NAME.tar.aa ...)");
        const auto parts = io::archive_parts(a);
        if (parts.empty() || !done.insert(parts.front()).second) continue;
        const std::string shown =
            parts.size() == 1 ? parts[0].string() : parts[0].string() + " (+" + std::to_string(parts.size() - 1) + " part(s))";
        io::PartSet set(parts);
        const fs::path dir = index_dir.empty() ? io::default_index_dir() : index_dir;
        const auto found = io::find_index(set, dir);
        if (found.state == io::IndexLookup::State::ok && !force) {
            if (!quiet) std::cerr << escape_control("flightreplay: " + shown + ": index up to date (" + found.file.string() + ")") << "\n";
            continue;
        }
        if (found.state == io::IndexLookup::State::stale || found.state == io::IndexLookup::State::corrupt)
            std::cerr << escape_control("flightreplay: " + found.file.string() + ": index " +
                                        (found.state == io::IndexLookup::State::stale ? "is stale" : "is corrupt") + ": " + found.why +
                                        " (rebuilt)")
                      << "\n";
        // Members that do not decompress (damaged, over the cap, a decompression bomb) are
        // indexed as unreadable; each is named here with why, in archive order.
        std::mutex lock;
        std::map<std::size_t, std::string> unreadable;
        auto visit = [&](std::size_t i, io::MemberPass& p) {
            if (!p.error) return;
            const std::lock_guard<std::mutex> g(lock);
            unreadable.emplace(i, *p.error);
        };
        const auto index = io::build_index(set, shown, visit, max_input_bytes);
        for (const auto& [i, why] : unreadable)
            std::cerr << escape_control("flightreplay: warning: " + why + " (indexed as unreadable)") << "\n";
        fs::create_directories(dir, ec);
        if (ec) throw IoError("flightreplay: " + dir.string() + ": cannot create the index directory: " + ec.message());
        const std::string text = io::serialize_index(index);
        output::AtomicFile out(found.file);
        out.write(text.data(), text.size());
        out.commit();
        if (!quiet) {
            std::size_t traces = 0, bad = 0;
            for (const auto& m : index.members) {
                traces += m.kind == io::IndexedMember::Kind::trace;
                bad += m.kind == io::IndexedMember::Kind::bad;
            }
            std::cerr << escape_control("flightreplay: " + shown + ": indexed " + std::to_string(traces) + " trace(s)" +
                                        (bad ? " and " + std::to_string(bad) + " unreadable member(s)" : std::string()) + " -> " +
                                        found.file.string())
                      << "\n";
        }
    }
    return 0;
}

}  // namespace fr::app
