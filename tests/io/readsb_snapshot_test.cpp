// readsb aircraft.json snapshots (src/io/formats/readsb_snapshot.cpp): one snapshot, content detection,
// diagnostics, and many snapshots (a folder, a tar) accumulated into one track per aircraft.
// Every snapshot here is generated ('~' addresses, names containing "synthetic").
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/diagnostic.hpp"
#include "io/formats/archive_index.hpp"
#include "io/formats/readsb_archive.hpp"
#include "io/formats/readsb_snapshot.hpp"
#include "io/loader.hpp"
#include "test_files.hpp"
#include "test_paths.hpp"

using namespace fr;
namespace fs = std::filesystem;

namespace {

int sh(const std::string& cmd) { return test::shell_status(cmd); }
void spit(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

double unix_s(TimePoint t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }

/// Snapshot `k` (5 s apart from 2025-02-05T00:00:00Z): ~b00001 "SNPA" flies east 0.01 deg per
/// snapshot with a fresh position every snapshot; ~b00002 "SNPB" has a new position only every
/// other snapshot (seen_pos grows by 5 s in between: the same fix repeated); ~b00003 never has
/// a position.
std::string snapshot(int k) {
    const double now = 1738713600.0 + 5.0 * k;
    std::ostringstream j;
    j.precision(12);
    j << "{\"now\":" << now << ",\"messages\":" << 1000 + k << ",\"aircraft\":[\n";
    j << "{\"hex\":\"~b00001\",\"flight\":\"SNPA    \",\"alt_baro\":30000,\"gs\":400.0,\"track\":90.0,\"lat\":45.0,\"lon\":"
      << 10.0 + 0.01 * k << ",\"seen_pos\":0.5},\n";
    const int fix = k - (k % 2);  // the position of the last even snapshot
    j << "{\"hex\":\"~b00002\",\"flight\":\"SNPB    \",\"r\":\"N0SNPB\",\"t\":\"B738\",\"alt_baro\":20000,\"gs\":300.0,\"lat\":"
      << 46.0 + 0.01 * fix << ",\"lon\":11.0,\"seen_pos\":" << 1.0 + 5.0 * (k % 2) << "},\n";
    j << "{\"hex\":\"~b00003\",\"alt_baro\":12000,\"seen\":0.4}\n]}\n";
    return j.str();
}

class SnapshotTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("fr_snapshot_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
    /// readsb-hist/2025/02/05/HHMMSSZ.json.gz for `n` snapshots under `root`.
    fs::path make_folder(int n) {
        const auto day = m_dir / "readsb-hist-synthetic/2025/02/05";
        fs::create_directories(day);
        for (int k = 0; k < n; ++k) {
            char name[32];
            std::snprintf(name, sizeof name, "%02d%02d%02dZ.json", 0, (5 * k) / 60, (5 * k) % 60);
            spit(day / name, snapshot(k));
            EXPECT_EQ(sh("gzip -f " + (day / name).string()), 0);
        }
        return m_dir / "readsb-hist-synthetic";
    }
    fs::path m_dir;
};

const Track* find(const std::vector<Track>& ts, const std::string& hex) {
    for (const auto& t : ts)
        if (t.aircraft.icao24 == hex) return &t;
    return nullptr;
}

}  // namespace

TEST(Snapshot, SeedFileIsDetectedAndRead) {
    const auto seed = test::test_data("valid/json/readsb_snapshot_synthetic.json");
    EXPECT_EQ(io::detect_format(seed), io::Format::readsb_snapshot);
    const auto r = io::load_file(seed);
    EXPECT_EQ(r.format, io::Format::readsb_snapshot);
    EXPECT_TRUE(r.diagnostics.empty());
    ASSERT_EQ(r.tracks.size(), 2u) << "~a10003 has no position";
    const auto* a = find(r.tracks, "~a10001");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->aircraft.callsign, "SNP1");
    EXPECT_EQ(a->aircraft.registration, "N0SYN1");
    EXPECT_EQ(a->aircraft.type, "A320");
    ASSERT_EQ(a->points.size(), 1u);
    EXPECT_NEAR(unix_s(a->points[0].time()), 1738713600.0 - 1.5, 0.001) << "time = now - seen_pos (s)";
    EXPECT_NEAR(a->points[0].altitude()->ft(), 31000.0, 0.01) << "ft";
    EXPECT_EQ(a->provenance, Provenance::synthetic) << "the file name says synthetic";
    const auto* b = find(r.tracks, "~a10002");
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->points[0].on_ground(), OnGround::ground);
    EXPECT_FALSE(b->points[0].altitude().has_value());
}

TEST(Snapshot, BadValuesAreNamedWithLineAndColumn) {
    const std::string text =
        "{\"now\": 1738713600,\n"
        " \"aircraft\": [\n"
        "  {\"hex\": \"~c1\", \"lat\": 95.0, \"lon\": 10.0},\n"
        "  {\"hex\": \"~c2\", \"lat\": 45.0, \"lon\": 10.0, \"alt_baro\": \"high\"},\n"
        "  {\"lat\": 45.0, \"lon\": 10.0},\n"
        "  {\"hex\": \"~c4\", \"lat\": 45.0, \"lon\": 10.0, \"gs\": \"fast\"},\n"
        "  {\"hex\": \"~c5\", \"lat\": 45.5, \"lon\": 10.5, \"seen_pos\": 2}\n"
        " ]}\n";
    const auto r = io::detail::load_readsb_snapshot("snap.json", text);
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].aircraft.icao24, "~c5");
    EXPECT_EQ(r.rows_read, 5u);
    EXPECT_EQ(r.rows_skipped, 4u);
    std::vector<std::string> lines;
    for (const auto& d : r.diagnostics.items()) lines.push_back(format(d));
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_NE(lines[0].find("snap.json:3:3"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("out of range"), std::string::npos) << lines[0];
    EXPECT_NE(lines[1].find("snap.json:4:"), std::string::npos) << lines[1];
    EXPECT_NE(lines[1].find("neither feet nor \"ground\""), std::string::npos) << lines[1];
    EXPECT_NE(lines[2].find("snap.json:5:3"), std::string::npos) << lines[2];
    EXPECT_NE(lines[2].find("no \"hex\""), std::string::npos) << lines[2];
    EXPECT_NE(lines[3].find("snap.json:6:"), std::string::npos) << lines[3];

    // No "now": the file is skipped with an error; a trace is not a snapshot.
    const auto no_now = io::detail::load_readsb_snapshot("x.json", "{\"aircraft\": []}");
    ASSERT_EQ(no_now.diagnostics.size(), 1u);
    EXPECT_NE(format(no_now.diagnostics.items()[0]).find("no \"now\""), std::string::npos);
    EXPECT_FALSE(io::detail::looks_like_snapshot("{\"icao\":\"abc\",\"timestamp\":1,\"trace\":[]}"));
    EXPECT_TRUE(io::detail::looks_like_snapshot(snapshot(0)));
    EXPECT_TRUE(io::detail::snapshot_member_name("readsb-hist/2025/02/05/000005Z.json.gz"));
    EXPECT_FALSE(io::detail::snapshot_member_name("traces/01/trace_full_~a00001.json"));
}

TEST_F(SnapshotTest, FolderOfSnapshotsGivesOneTrackPerAircraft) {
    const int n = 24;
    const auto root = make_folder(n);
    const auto r = io::load_paths({root});
    EXPECT_EQ(r.format, io::Format::readsb_snapshot);
    ASSERT_EQ(r.tracks.size(), 2u) << "~b00003 never has a position";
    const auto* a = find(r.tracks, "~b00001");
    const auto* b = find(r.tracks, "~b00002");
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    ASSERT_EQ(a->points.size(), static_cast<std::size_t>(n)) << "a fresh position in every snapshot";
    ASSERT_EQ(b->points.size(), static_cast<std::size_t>(n / 2)) << "every other snapshot repeats the last fix: kept once";
    for (int k = 0; k < n; ++k) {
        EXPECT_NEAR(unix_s(a->points[static_cast<std::size_t>(k)].time()), 1738713600.0 + 5.0 * k - 0.5, 0.001) << "s, snapshot " << k;
        EXPECT_NEAR(a->points[static_cast<std::size_t>(k)].lon_deg(), 10.0 + 0.01 * k, 1e-9) << "deg";
    }
    for (std::size_t i = 0; i < b->points.size(); ++i)
        EXPECT_NEAR(unix_s(b->points[i].time()), 1738713600.0 + 10.0 * static_cast<double>(i) - 1.0, 0.001) << "s";
    EXPECT_EQ(b->aircraft.registration, "N0SNPB");
    EXPECT_EQ(b->aircraft.callsign, "SNPB");
    EXPECT_TRUE(r.diagnostics.empty()) << (r.diagnostics.empty() ? "" : format(r.diagnostics.items()[0]));
}

TEST_F(SnapshotTest, TarOfSnapshotsEqualsTheFolderAndIsIndexed) {
    if (sh("command -v tar >/dev/null && command -v gzip >/dev/null") != 0) GTEST_SKIP() << "tar and gzip are needed";
    const int n = 24;
    const auto root = make_folder(n);
    const auto tar = m_dir / "readsb-hist-synthetic-2025-02-05.tar";
    ASSERT_EQ(sh("tar --format=pax -cf " + tar.string() + " -C " + root.string() + " ."), 0);
    const auto folder = io::load_paths({root});
    io::LoadOptions plain;
    plain.index_dir = m_dir / "index";
    const auto from_tar = io::load_paths({tar}, plain);
    ASSERT_EQ(from_tar.tracks.size(), folder.tracks.size());
    for (std::size_t i = 0; i < folder.tracks.size(); ++i) {
        EXPECT_EQ(from_tar.tracks[i].aircraft.icao24, folder.tracks[i].aircraft.icao24);
        ASSERT_EQ(from_tar.tracks[i].points.size(), folder.tracks[i].points.size());
        for (std::size_t k = 0; k < folder.tracks[i].points.size(); ++k)
            EXPECT_EQ(from_tar.tracks[i].points[k].time(), folder.tracks[i].points[k].time());
    }
    EXPECT_EQ(from_tar.archive_members_read, static_cast<std::uint64_t>(n));
    // By callsign: the first pass builds the index; through it the same answer.
    io::LoadOptions by_call = plain;
    by_call.aircraft = {"call:SNPB"};
    const auto first = io::load_paths({tar}, by_call);
    ASSERT_EQ(first.tracks.size(), 1u);
    EXPECT_EQ(first.tracks[0].aircraft.icao24, "~b00002");
    ASSERT_EQ(first.built_indexes.size(), 1u);
    fs::create_directories(plain.index_dir);
    spit(first.built_indexes[0].file, first.built_indexes[0].text);
    const auto second = io::load_paths({tar}, by_call);
    EXPECT_TRUE(second.built_indexes.empty());
    ASSERT_EQ(second.tracks.size(), 1u);
    EXPECT_EQ(second.tracks[0].points.size(), first.tracks[0].points.size());
    EXPECT_EQ(second.tracks[0].points.size(), static_cast<std::size_t>(n / 2));
}

TEST_F(SnapshotTest, InfoReadsAFolderOfSnapshots) {
    const auto root = make_folder(12);
    const auto out = m_dir / "out.txt";
    ASSERT_EQ(sh(std::string(FR_EXE) + " info " + root.string() + " --aircraft call:SNPA > " + out.string() + " 2>&1"), 0)
        << test::file_bytes(out);
    EXPECT_NE(test::file_bytes(out).find("SNPA"), std::string::npos) << test::file_bytes(out);
}
