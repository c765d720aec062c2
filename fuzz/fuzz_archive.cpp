// libFuzzer target for the readsb globe-history day archives: our own tar header walk
// (io/formats/tar_walk.hpp, walk_tar over PartSet with pread), reading each member it finds and
// decompressing it (detail::decompress_member), and the full load through libarchive
// (load_trace_archive, no index). The first input byte chooses the layout: even, one file
// day.tar; odd, two split parts day.tar.aa and day.tar.ab cut at (byte / 2) x 512 bytes, so
// headers and members span parts. A damaged archive must throw fr::IoError, nothing else.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/formats/readsb_archive.hpp"
#include "io/formats/tar_walk.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path& work_dir() {
    static const fs::path dir = [] {
        std::string tmpl = (fs::temp_directory_path() / "fr-fuzz-archive-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) std::abort();
        return fs::path(tmpl);
    }();
    return dir;
}

void write_file(const fs::path& p, const char* data, std::size_t n) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(data, static_cast<std::streamsize>(n));
    if (!out) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const char* body = reinterpret_cast<const char*>(data) + 1;
    const std::size_t n = size - 1;
    const fs::path& dir = work_dir();
    for (const auto& e : fs::directory_iterator(dir)) fs::remove(e.path());
    std::vector<fs::path> parts;
    if (data[0] % 2 == 0) {
        parts.push_back(dir / "day.tar");
        write_file(parts[0], body, n);
    } else {
        const std::size_t cut = std::min(n, std::size_t{data[0] / 2u} * 512);
        parts.push_back(dir / "day.tar.aa");
        parts.push_back(dir / "day.tar.ab");
        write_file(parts[0], body, cut);
        write_file(parts[1], body + cut, n - cut);
    }

    std::size_t seen = 0;
    try {
        const fr::io::PartSet set(parts);
        for (const auto& m : fr::io::walk_tar(set, "fuzz-archive")) {
            if (m.data_offset + m.size > set.size() || m.data_offset < m.header_offset) {
                std::fprintf(stderr, "member %s lies outside the stream\n", m.name.c_str());
                std::abort();
            }
            if (m.size > (std::size_t{1} << 20)) continue;
            std::string raw(static_cast<std::size_t>(m.size), '\0');
            set.read(m.data_offset, raw.size(), raw.data());
            try {
                seen += fr::io::detail::decompress_member("fuzz-archive(" + m.name + ")", raw).size();
            } catch (const fr::IoError&) {}
        }
    } catch (const fr::IoError&) {}

    try {
        const auto r = fr::io::load_trace_archive(parts[0], std::vector<std::string>{});
        for (const auto& d : r.diagnostics.items()) seen += format(d).size();
    } catch (const fr::IoError&) {}
    return seen == static_cast<std::size_t>(-1) ? 1 : 0;
}
