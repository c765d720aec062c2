// readsb globe-history archives (src/io/formats/readsb_archive.cpp): a tar built here from the real
// ac671b trace (gzip, as the archives hold it) and synthetic traces ('~' addresses, one zstd),
// split into parts with split(1). Selecting ac671b by address from the split archive gives the
// same tracks as the single file, and `flightreplay info` says the same.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/error.hpp"
#include "io/formats/readsb_archive.hpp"
#include "io/loader.hpp"
#include "test_files.hpp"
#include "test_paths.hpp"

using namespace fr;
namespace fs = std::filesystem;

namespace {

int sh(const std::string& cmd) { return test::shell_status(cmd); }
std::string slurp(const fs::path& p) { return test::file_bytes(p); }

class TraceArchive : public ::testing::Test {
protected:
    void SetUp() override {
        m_real = test::shared_data("xoolive-traffic/readsb/trace_full_ac671b.json");
        if (!fs::exists(m_real)) GTEST_SKIP() << "shared recorded data not found at " << m_real;
        if (sh("command -v tar >/dev/null && command -v split >/dev/null && command -v gzip >/dev/null && command -v zstd >/dev/null") != 0)
            GTEST_SKIP() << "tar, split, gzip and zstd are needed to build the test archive";
        m_dir = fs::temp_directory_path() /
                ("fr_archive_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        const auto tree = m_dir / "tree";
        fs::create_directories(tree / "traces/1b");
        fs::create_directories(tree / "traces/01");
        fs::create_directories(tree / "traces/02");
        ASSERT_EQ(sh("gzip -c " + m_real.string() + " > " + (tree / "traces/1b/trace_full_ac671b.json").string()), 0);
        // Synthetic aircraft with non-ICAO ('~') addresses, so they never match a real one.
        auto synthetic = [&](const std::string& hex, double lat) {
            std::ostringstream j;
            j << "{\"icao\":\"" << hex << "\",\"timestamp\":1738703622.0,\"trace\":[\n";
            for (int i = 0; i < 50; ++i)
                j << (i ? ",\n" : "") << "[" << i * 10 << "," << lat + i * 0.01 << ",-88.0,30000,450.0,0.0,0,0,null]";
            j << "\n]}\n";
            return j.str();
        };
        std::ofstream(tree / "a.json") << synthetic("~a00001", 10.0);
        std::ofstream(tree / "b.json") << synthetic("~a00002", 20.0);
        ASSERT_EQ(sh("gzip -c " + (tree / "a.json").string() + " > " + (tree / "traces/01/trace_full_~a00001.json").string()), 0);
        ASSERT_EQ(sh("zstd -q -c " + (tree / "b.json").string() + " > " + (tree / "traces/02/trace_full_~a00002.json").string()), 0);
        fs::remove(tree / "a.json");
        fs::remove(tree / "b.json");
        std::ofstream(tree / "README.txt") << "test archive\n";
        m_tar = m_dir / "v2025.02.05-planes-readsb-synthetic-0.tar";
        ASSERT_EQ(sh("tar -cf " + m_tar.string() + " -C " + tree.string() + " README.txt traces"), 0);
        // Parts of 32 KiB: the real member (~60 KB gzip) spans several of them.
        ASSERT_EQ(sh("split -b 32768 " + m_tar.string() + " " + m_tar.string() + "."), 0);
        m_parts = io::archive_parts(m_tar.string() + ".aa");
        ASSERT_GE(m_parts.size(), 3u);
    }
    void TearDown() override {
        std::error_code ec;
        if (!m_dir.empty()) fs::remove_all(m_dir, ec);
    }

    fs::path m_real, m_dir, m_tar;
    std::vector<fs::path> m_parts;
};

void expect_same_points(const Track& a, const Track& b) {
    ASSERT_EQ(a.points.size(), b.points.size());
    for (std::size_t i = 0; i < a.points.size(); ++i) {
        ASSERT_EQ(a.points[i].time(), b.points[i].time()) << i;
        ASSERT_EQ(a.points[i].lat_deg(), b.points[i].lat_deg()) << i;  // same bytes, same parse
        ASSERT_EQ(a.points[i].lon_deg(), b.points[i].lon_deg()) << i;
    }
}

}  // namespace

TEST_F(TraceArchive, MemberNames) {
    EXPECT_EQ(io::trace_member_address("traces/1b/trace_full_ac671b.json"), "ac671b");
    EXPECT_EQ(io::trace_member_address("traces/01/trace_full_~A00001.json"), "~a00001");
    EXPECT_FALSE(io::trace_member_address("README.txt"));
    EXPECT_FALSE(io::trace_member_address("heatmap/00.bin.ttf"));
    EXPECT_TRUE(io::is_split_part(m_parts[1]));
}

TEST_F(TraceArchive, SplitPartsSelectedByAddressGiveTheSingleFile) {
    const auto single = io::load_file(m_real);
    io::LoadOptions opt;
    opt.icao_filter = {"ac671b"};
    const auto r = io::load_paths({m_parts[0]}, opt);
    // The same diagnostics as the single file (it repeats one timestamp), at the same places.
    ASSERT_EQ(r.diagnostics.size(), single.diagnostics.size());
    for (std::size_t i = 0; i < r.diagnostics.size(); ++i) {
        EXPECT_EQ(r.diagnostics.items()[i].message, single.diagnostics.items()[i].message);
        EXPECT_EQ(r.diagnostics.items()[i].line, single.diagnostics.items()[i].line);
    }
    ASSERT_EQ(r.tracks.size(), single.tracks.size());
    for (std::size_t i = 0; i < r.tracks.size(); ++i) {
        expect_same_points(r.tracks[i], single.tracks[i]);
        EXPECT_EQ(r.tracks[i].aircraft.registration, "N899DN");
        EXPECT_EQ(r.tracks[i].provenance, Provenance::synthetic) << "the archive's name says synthetic";
        EXPECT_NE(r.tracks[i].source.find("(traces/1b/trace_full_ac671b.json)"), std::string::npos) << r.tracks[i].source;
    }
}

TEST_F(TraceArchive, WholeArchiveGzipAndZstdMembersOnce) {
    // All parts named (as a shell glob gives them): read once. The unsplit tar reads the same.
    const auto r = io::load_paths(m_parts);
    const auto whole = io::load_paths({m_tar});
    std::size_t real = 0, synth = 0;
    for (const auto& t : r.tracks) (t.aircraft.icao24 == "ac671b" ? real : synth)++;
    EXPECT_EQ(synth, 2u) << "~a00001 (gzip) and ~a00002 (zstd)";
    EXPECT_EQ(real, io::load_file(m_real).tracks.size());
    ASSERT_EQ(whole.tracks.size(), r.tracks.size());
    for (std::size_t i = 0; i < r.tracks.size(); ++i) expect_same_points(whole.tracks[i], r.tracks[i]);
}

TEST_F(TraceArchive, OtherMembersAreNotDecompressedWhenSelecting) {
    // Corrupt the zstd member's data in place (same size): selecting ac671b must not notice,
    // reading everything must fail naming the archive and the member.
    std::string tar = slurp(m_tar);
    const auto at = tar.find("trace_full_~a00002.json");
    ASSERT_NE(at, std::string::npos);
    const std::size_t data = (at / 512 + 1) * 512;  // the member's data follows its 512-byte header
    ASSERT_EQ(tar.compare(data, 4, "\x28\xb5\x2f\xfd"), 0) << "zstd magic";
    for (std::size_t i = 4; i < 20; ++i) tar[data + i] = 'x';  // keep the magic: a zstd error, not raw bytes
    std::ofstream(m_tar, std::ios::binary | std::ios::trunc) << tar;
    const std::string member = m_tar.string() + "(traces/02/trace_full_~a00002.json)";
    io::LoadOptions opt;
    opt.icao_filter = {"ac671b"};
    const auto selected = io::load_paths({m_tar}, opt);
    for (const auto& d : selected.diagnostics.items()) EXPECT_EQ(d.file.find("a00002"), std::string::npos) << format(d);
    const auto all = io::load_paths({m_tar});
    bool reported = false;
    for (const auto& d : all.diagnostics.items())
        reported |= d.file == member && d.severity == Severity::error && d.message.find("member skipped") != std::string::npos;
    EXPECT_TRUE(reported) << "the corrupt member is reported as " << member;
    std::size_t synth = 0;
    for (const auto& t : all.tracks) synth += t.aircraft.icao24 == "~a00001";
    EXPECT_EQ(synth, 1u) << "the other members are still read";
}

TEST_F(TraceArchive, TruncatedArchiveIsAnError) {
    fs::resize_file(m_tar, 70000);  // cuts the real member short
    try {
        io::load_paths({m_tar});
        FAIL() << "a truncated archive must be an error";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find(m_tar.filename().string()), std::string::npos) << e.what();
    }
}

TEST_F(TraceArchive, InfoSaysTheSameAsForTheSingleFile) {
    auto run = [&](const std::string& args) {
        const auto out = m_dir / "info.txt";
        EXPECT_EQ(sh(std::string(FR_EXE) + " info " + args + " > " + out.string() + " 2>/dev/null"), 0) << args;
        return slurp(out);
    };
    const auto single = run(m_real.string() + " --aircraft ac671b");
    const auto split = run(m_parts[0].string() + " --aircraft icao:ac671b");
    const auto bare = run(m_parts[0].string() + " --aircraft ac671b");
    // Same aircraft, legs, times and counts; only the provenance mark differs.
    auto strip = [](std::string s) { return std::regex_replace(s, std::regex("  \\[synthetic data\\]"), ""); };
    EXPECT_NE(split.find("[synthetic data]"), std::string::npos) << "the archive's name says synthetic";
    EXPECT_FALSE(strip(single).empty());
    EXPECT_EQ(strip(split), strip(single)) << split << "\n---\n" << single;
    EXPECT_EQ(strip(bare), strip(single));
}

// Member decompression (libdeflate for gzip): several members, a wrong size guess, zero
// padding, damage; against the gzip tool's output.
TEST(MemberDecompression, ForgedSizeFieldDoesNotSizeTheBuffer) {
    // A 1 KiB member claiming 2 GiB: the first buffer is bounded by deflate's 1032:1 ratio
    // (the old code allocated the claimed 2 GiB up front).
    EXPECT_LE(io::detail::gunzip_first_room(1024, 0x7fffffffu), 1024u * 1032u + 1024u);
    EXPECT_EQ(io::detail::gunzip_first_room(1024, 3000), 4096u) << "at least 4x the compressed size";
    EXPECT_EQ(io::detail::gunzip_first_room(1024, 100000), 100000u) << "an honest size field is used as is";
    // Such a member ("hello\\n" with its size field set to 0x7fffffff) is refused as damaged, not expanded.
    std::string gz("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\xcd\xc9\xc9\xe7\x02\x00\x20\x30\x3a\x36", 22);
    gz += std::string("\xff\xff\xff\x7f", 4);
    EXPECT_THROW((void)io::detail::decompress_member("forged", gz), IoError);
}

TEST(MemberDecompression, GzipMembersAsTheGzipToolWritesThem) {
    if (test::shell_status("command -v gzip >/dev/null") != 0) GTEST_SKIP() << "gzip is needed";
    const auto dir = fs::temp_directory_path() / ("fr_gunzip_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::string big;
    for (int i = 0; i < 200000; ++i) big += "[" + std::to_string(i) + ",45.0,10.0]\n";  // ~3 MB, compresses > 4x
    std::ofstream(dir / "a") << big;
    std::ofstream(dir / "b") << "tail\n";
    // Two members: the last member's size field (5 bytes) is a far too small first guess.
    ASSERT_EQ(test::shell_status("cd " + dir.string() + " && gzip -c a > ab.gz && gzip -c b >> ab.gz"), 0);
    const std::string ab = test::file_bytes(dir / "ab.gz");
    EXPECT_EQ(io::detail::decompress_member("ab", ab), big + "tail\n");
    EXPECT_EQ(io::detail::decompress_member("ab", ab + std::string(512, '\0')), big + "tail\n") << "zero padding after the last member";
    EXPECT_THROW((void)io::detail::decompress_member("ab", ab + "garbage!"), IoError);
    std::string damaged = ab;
    for (std::size_t k = 100; k < 140; ++k) damaged[k] = static_cast<char>(0xff);
    try {
        (void)io::detail::decompress_member("m", damaged);
        FAIL() << "a damaged deflate stream must be an error";
    } catch (const IoError& e) {
        // The member first; the program's name is the app's to add.
        EXPECT_EQ(std::string(e.what()).rfind("m: corrupt compressed data", 0), 0u) << e.what();
    }
    EXPECT_THROW((void)io::detail::decompress_member("cut", ab.substr(0, ab.size() / 2)), IoError);
    fs::remove_all(dir);
}

// A member whose bytes look like lrzip, lzop or grzip data must not make us start a program:
// libarchive's "all filters" runs `lrzip -d` (and lzop, grzip) found on PATH for those. Fake
// programs of those names on PATH leave a marker file when run.
TEST(TraceArchiveHostile, MemberNeverStartsAnExternalDecompressor) {
    if (sh("command -v tar >/dev/null") != 0) GTEST_SKIP() << "tar is needed to build the test archive";
    const fs::path dir = fs::temp_directory_path() / ("fr_archive_exec_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "bin");
    fs::create_directories(dir / "tree/traces/01");
    const fs::path marker = dir / "ran";
    for (const char* prog : {"lrzip", "lzop", "grzip"}) {
        const fs::path p = dir / "bin" / prog;
        std::ofstream(p) << "#!/bin/sh\necho " << prog << " >> '" << marker.string() << "'\ncat >/dev/null\n";
        fs::permissions(p, fs::perms::owner_all);
    }
    const std::string lrzip_magic("LRZI\x00\x06", 6);
    const std::string lzop_magic("\x89LZO\x00\r\n\x1a\n\x10\x30\x20\xa0\x09\x40\x01\x05\x03\x00\x00\x01\x00\x00\x81\xa4", 25);
    const std::string members[][2] = {{"trace_full_~a00001.json", lrzip_magic},
                                      {"trace_full_~a00002.json", lzop_magic},
                                      {"trace_full_~a00003.json", "GRZipII\x00\x02\x04:)"}};
    for (const auto& m : members) std::ofstream(dir / "tree/traces/01" / m[0], std::ios::binary) << m[1] << std::string(200, 'x');
    const fs::path tar = dir / "hostile.tar";
    ASSERT_EQ(sh("tar -cf " + tar.string() + " -C " + (dir / "tree").string() + " traces"), 0);

    const std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "";
    ::setenv("PATH", ((dir / "bin").string() + ":" + old_path).c_str(), 1);
    io::LoadResult r;
    EXPECT_NO_THROW(r = io::load_trace_archive(tar, std::vector<std::string>{}));
    ::setenv("PATH", old_path.c_str(), 1);

    EXPECT_FALSE(fs::exists(marker)) << "started: " << slurp(marker);
    std::size_t reported = 0;
    for (const auto& d : r.diagnostics.items())
        reported += d.severity == Severity::error && d.file.find("hostile.tar(traces/01/") != std::string::npos;
    EXPECT_GE(reported, 3u) << "each member is reported as unreadable";
    EXPECT_TRUE(r.tracks.empty());
    fs::remove_all(dir);
}

// The per-input cap (--max-input-bytes) applies to each archive member, to its stored bytes and
// to its decompressed text, with decompression stopping at the cap; a member over it is reported
// with the archive and the member's name and skipped, the others read. The same in each way an
// archive is read: whole (libarchive), by name (our header walk), and the first query that
// builds the index.
TEST(TraceArchiveCaps, MemberOverTheCapIsNamedAndSkippedInEveryRead) {
    if (sh("command -v tar >/dev/null && command -v gzip >/dev/null") != 0) GTEST_SKIP() << "tar and gzip are needed";
    const fs::path dir = fs::temp_directory_path() / ("fr_archive_cap_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "tree/traces/01");
    fs::create_directories(dir / "tree/traces/02");
    fs::create_directories(dir / "tree/traces/03");
    auto trace = [](const std::string& hex, int rows) {
        std::ostringstream j;
        j << "{\"icao\":\"" << hex << "\",\"timestamp\":1738703622.0,\"trace\":[\n";
        for (int i = 0; i < rows; ++i)
            j << (i ? ",\n" : "") << "[" << i * 10 << "," << 10.0 + i * 0.01 << ",-88.0,30000,450.0,0.0,0,0,"
              << (i == 0 ? "{\"flight\":\"CAP1\"}" : "null") << "]";
        j << "\n]}\n";
        return j.str();
    };
    // ~a00001: small (read); ~a00002: 20 KB of text in a gzip member of ~1 KB (over the cap once
    // decompressed); ~a00003: 20 KB stored as is (over the cap as stored).
    std::ofstream(dir / "a.json") << trace("~a00001", 5);
    std::ofstream(dir / "b.json") << trace("~a00002", 400);
    std::ofstream(dir / "tree/traces/03/trace_full_~a00003.json") << trace("~a00003", 400);
    ASSERT_EQ(sh("gzip -c " + (dir / "a.json").string() + " > " + (dir / "tree/traces/01/trace_full_~a00001.json").string()), 0);
    ASSERT_EQ(sh("gzip -c " + (dir / "b.json").string() + " > " + (dir / "tree/traces/02/trace_full_~a00002.json").string()), 0);
    ASSERT_LT(fs::file_size(dir / "tree/traces/02/trace_full_~a00002.json"), 8000u);
    ASSERT_GT(fs::file_size(dir / "b.json"), 16000u);
    const fs::path tar = dir / "cap.tar";
    ASSERT_EQ(sh("tar -cf " + tar.string() + " -C " + (dir / "tree").string() + " traces"), 0);

    auto check = [&](const io::LoadOptions& opt, const std::string& how) {
        SCOPED_TRACE(how);
        io::LoadResult r;
        ASSERT_NO_THROW(r = io::load_trace_archive(tar, opt));
        ASSERT_EQ(r.tracks.size(), 1u) << "the member under the cap is read";
        EXPECT_EQ(r.tracks[0].aircraft.icao24, "~a00001");
        bool decompressed = false, stored = false;
        for (const auto& d : r.diagnostics.items()) {
            if (d.severity != Severity::error) continue;
            if (d.file == tar.string() + "(traces/02/trace_full_~a00002.json)")
                decompressed = d.message.find("decompressed to more than 8000 bytes (the 'max_input_bytes' cap") != std::string::npos &&
                               d.message.find("(member skipped)") != std::string::npos;
            if (d.file == tar.string() + "(traces/03/trace_full_~a00003.json)")
                stored = d.message.find("bytes, more than 8000 bytes (the 'max_input_bytes' cap") != std::string::npos;
        }
        std::string all;
        for (const auto& d : r.diagnostics.items()) all += format(d) + "\n";
        EXPECT_TRUE(decompressed) << "the member over the cap once decompressed is named:\n" << all;
        EXPECT_TRUE(stored) << "the member over the cap as stored is named:\n" << all;
    };
    io::LoadOptions whole;
    whole.max_input_bytes = 8000;
    check(whole, "whole read");
    io::LoadOptions by_name = whole;
    by_name.aircraft = {"icao:~a00001", "icao:~a00002", "icao:~a00003"};
    check(by_name, "selection by name");
    io::LoadOptions first_query = whole;
    first_query.aircraft = {"call:CAP1"};
    first_query.index_dir = dir / "index";
    fs::create_directories(first_query.index_dir);
    check(first_query, "first query, building the index");
    // With the default cap all three are read.
    const auto r = io::load_trace_archive(tar, std::vector<std::string>{});
    EXPECT_EQ(r.tracks.size(), 3u);
    fs::remove_all(dir);
}

TEST(MemberDecompression, CapAndBombStopDecompression) {
    if (test::shell_status("command -v gzip >/dev/null") != 0) GTEST_SKIP() << "gzip is needed";
    const auto dir = fs::temp_directory_path() / ("fr_gunzip_cap_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    // 96 MiB of zeros compress about 1000:1: over 64 MiB at more than 200:1 is a decompression
    // bomb, refused whatever the cap.
    ASSERT_EQ(test::shell_status("head -c 100663296 /dev/zero | gzip -c > " + (dir / "zeros.gz").string()), 0);
    const std::string bomb = test::file_bytes(dir / "zeros.gz");
    ASSERT_LT(bomb.size(), 200000u);
    try {
        (void)io::detail::decompress_member("day.tar(traces/00/trace_full_000000.json)", bomb);
        ADD_FAILURE() << "a decompression bomb must be refused";
    } catch (const IoError& e) {
        const std::string msg = e.what();
        EXPECT_EQ(msg.rfind("day.tar(traces/00/trace_full_000000.json): gzip member 1 expands", 0), 0u) << msg;
        EXPECT_NE(msg.find("decompression bomb"), std::string::npos) << msg;
    }
    // An honest member over the cap stops at the cap, with the cap in the message.
    std::string text;
    for (int i = 0; i < 20000; ++i) text += "[" + std::to_string(i) + ",45.0,10.0]\n";  // ~300 KB
    std::ofstream(dir / "t") << text;
    ASSERT_EQ(test::shell_status("gzip -c " + (dir / "t").string() + " > " + (dir / "t.gz").string()), 0);
    const std::string gz = test::file_bytes(dir / "t.gz");
    EXPECT_EQ(io::detail::decompress_member("m", gz, text.size()), text) << "exactly the cap is allowed";
    try {
        (void)io::detail::decompress_member("a.tar(m)", gz, text.size() - 1);
        ADD_FAILURE() << "one byte over the cap must be refused";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("a.tar(m): decompressed to more than " + std::to_string(text.size() - 1) +
                                             " bytes (the 'max_input_bytes' cap"),
                  std::string::npos)
            << e.what();
    }
    fs::remove_all(dir);
}
