#include <gtest/gtest.h>

#include "core/setting_text.hpp"

#include <fstream>

#include <unistd.h>

#include "core/error.hpp"
#include "io/loader.hpp"
#include "io/text/csv.hpp"
#include "test_paths.hpp"

using namespace fr;
using fr::test::test_data;

namespace {

std::string first_message(const io::LoadResult& r) { return r.diagnostics.empty() ? std::string{} : format(r.diagnostics.items().front()); }

io::LoadResult load(const std::string& rel) { return io::load_file(test_data(rel)); }

}  // namespace

TEST(Fr24Csv, ReadsSevenColumnExport) {
    auto r = load("valid/fr24/seven_columns.csv");
    EXPECT_EQ(r.format, io::Format::fr24_csv);
    ASSERT_EQ(r.tracks.size(), 1u);
    const auto& t = r.tracks[0];
    EXPECT_EQ(t.aircraft.callsign, "ANZ1005");
    ASSERT_EQ(t.points.size(), 3u);
    EXPECT_EQ(format_iso8601(t.points[0].time()), "2021-10-29T04:26:16Z");
    EXPECT_NEAR(t.points[0].lat_deg(), 33.943356, 1e-9);  // degrees, latitude first in Position
    EXPECT_NEAR(t.points[0].lon_deg(), -118.42868, 1e-9);
    EXPECT_EQ(t.points[0].on_ground(), OnGround::ground);                         // 0 ft = on the ground in FR24
    EXPECT_NEAR(t.points[2].altitude()->m(), 1066.8, 1e-3);                       // 3500 ft in metres, 1 mm
    EXPECT_NEAR(t.points[2].ground_speed()->mps(), 210 * 1852.0 / 3600.0, 1e-4);  // m/s
    EXPECT_NEAR(t.points[2].track()->deg(), 265.0, 1e-4);
    EXPECT_EQ(t.provenance, Provenance::recorded);
    EXPECT_TRUE(r.diagnostics.empty()) << first_message(r);
}

TEST(Fr24Csv, ReadsSixColumnVariantAndBomCrlf) {
    EXPECT_EQ(load("valid/fr24/six_columns.csv").tracks.at(0).points.size(), 2u);
    auto r = load("valid/fr24/bom_crlf.csv");
    EXPECT_EQ(r.tracks.at(0).points.size(), 2u);
    EXPECT_TRUE(r.diagnostics.empty()) << first_message(r);
}

struct BadCase {
    const char* file;
    const char* expected;  // substring of the first diagnostic, incl. file:line:column
};

class Fr24CsvInvalid : public ::testing::TestWithParam<BadCase> {};

TEST_P(Fr24CsvInvalid, NamesFileLineAndField) {
    const auto c = GetParam();
    const auto path = test_data(std::string("invalid/fr24/") + c.file);
    try {
        auto r = io::load_file(path);
        ASSERT_FALSE(r.diagnostics.empty()) << c.file;
        EXPECT_NE(first_message(r).find(c.expected), std::string::npos) << first_message(r);
        EXPECT_NE(first_message(r).find(path.string()), std::string::npos);
    } catch (const IoError& e) {
        // Files with no usable point are errors as a whole; the message must still say why.
        EXPECT_NE(std::string(e.what()).find(c.expected), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, Fr24CsvInvalid,
    ::testing::Values(BadCase{"lat_out_of_range.csv", ":2:4: warning: Position '93.9,-118.42868' is out of range"},
                      BadCase{"position_not_pair.csv", ":2:4: warning: Position '-118.42868' is not a quoted \"lat,lon\" pair"},
                      BadCase{"header_only.csv", "no usable track point (0 row(s) read"}, BadCase{"empty.csv", "unrecognised track format"},
                      BadCase{"wrong_header.csv",
                              ":1: unrecognised track format: the first data line (byte offset 0) matches no known format"},
                      BadCase{"nan_and_huge.csv", ":3:5: warning: Altitude 'NaN' is not a number of feet"},
                      BadCase{"reversed_and_duplicated.csv", ":3:1: warning: 1 row(s) out of time order"},
                      BadCase{"truncated.csv", ":3:1: warning: unterminated quoted field (row skipped)"},
                      BadCase{"negative_time.csv", ":2:1: warning: Timestamp -5 is outside 1990..2100"},
                      BadCase{"short_row.csv", ":2:1: warning: expected 7 fields, found 6"},
                      BadCase{"utc_disagrees.csv", ":2:2: warning: UTC '2021-10-29T05:26:16Z' disagrees with Timestamp"}),
    [](const auto& param_info) {
        std::string n = param_info.param.file;
        for (auto& ch : n)
            if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
        return n;
    });

TEST(Fr24Csv, ReportsHugeSpeedAndDuplicates) {
    auto r = load("invalid/fr24/nan_and_huge.csv");
    ASSERT_EQ(r.diagnostics.size(), 2u);
    EXPECT_NE(format(r.diagnostics.items()[1]).find(":4:6: warning: Speed '9999'"), std::string::npos);
    EXPECT_EQ(r.tracks.at(0).points.size(), 1u);
    auto d = load("invalid/fr24/reversed_and_duplicated.csv");
    EXPECT_EQ(d.tracks.at(0).points.size(), 2u);
    EXPECT_EQ(d.diagnostics.size(), 2u);  // out of order + duplicate
}

TEST(Fr24Csv, StrictModeMakesAnyProblemFatal) {
    io::LoadOptions strict;
    strict.strict = true;
    EXPECT_THROW(io::load_file(test_data("invalid/fr24/lat_out_of_range.csv"), strict), IoError);
    EXPECT_NO_THROW(io::load_file(test_data("valid/fr24/seven_columns.csv"), strict));
}

TEST(Fr24Csv, ProvenanceComesFromTheFileName) {
    EXPECT_EQ(io::provenance_from_name("RFF7203_UUMU-ZKPY_2023-07-31_reconstructed.csv"), Provenance::reconstructed);
    EXPECT_EQ(io::provenance_from_name("x_SYNTHETIC.csv"), Provenance::synthetic);
    EXPECT_EQ(io::provenance_from_name("JL516_3376ab31.csv"), Provenance::recorded);
    // A folder of the path says it too (a generated tree keeps its format's file names).
    EXPECT_EQ(io::provenance_from_name("day-synthetic/traces/56/trace_full_~00056.json"), Provenance::synthetic);
    EXPECT_EQ(io::provenance_from_name("/tmp/cases_reconstructed/a.csv"), Provenance::reconstructed);
    EXPECT_EQ(io::provenance_from_name("/data/2023/traces/56/trace_full_a1b2c3.json"), Provenance::recorded);
}

TEST(Fr24Csv, ReadsRealExports) {
    const auto jl = fr::test::shared_data("xoolive-traffic/fr24_csv/JL516_3376ab31.csv");
    FR_REQUIRE_SHARED(jl);
    auto r = io::load_file(jl);
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].aircraft.callsign, "JAL516");
    EXPECT_EQ(format_iso8601(r.tracks[0].points.front().time()), "2024-01-02T07:22:55Z");
    EXPECT_GT(r.tracks[0].points.size(), 100u);
    // Every data row of the real file is valid: points == data lines.
    std::ifstream in(jl);
    std::string line;
    std::size_t rows = 0;
    while (std::getline(in, line)) rows += !line.empty();
    EXPECT_EQ(r.tracks[0].points.size() + r.rows_skipped, rows - 1);
}

// Regression (fuzz_fr24_csv, heap-use-after-free): a record with many ""-escaped fields made the
// reader's storage grow and move short strings under the views already returned.
TEST(CsvReader, ManyEscapedFieldsKeepTheirContent) {
    std::string row;
    for (int i = 0; i < 40; ++i) row += (i ? "," : "") + std::string("\"f") + std::to_string(i) + "\"\"q\"";
    row += "\n";
    io::detail::CsvReader csv(row);
    std::vector<std::string_view> f;
    ASSERT_TRUE(csv.next(f));
    ASSERT_EQ(f.size(), 40u);
    for (int i = 0; i < 40; ++i) EXPECT_EQ(f[static_cast<std::size_t>(i)], "f" + std::to_string(i) + "\"q") << i;
}

TEST(LoadPaths, DirectoriesSkipNotesQuietlyAndReportOtherFiles) {
    const auto dir = std::filesystem::temp_directory_path() / ("fr_load_paths_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(test_data("valid/fr24/seven_columns.csv"), dir / "a.csv");
    std::ofstream(dir / "README.md") << "# notes\n";
    std::ofstream(dir / "junk.dat") << "not a track\n";
    auto r = io::load_paths({dir});
    EXPECT_EQ(r.tracks.size(), 1u);
    ASSERT_EQ(r.diagnostics.size(), 1u);  // junk.dat only
    // Named with the reason: what was found and what was expected.
    EXPECT_NE(format(r.diagnostics.items()[0])
                  .find("junk.dat: warning: skipped while reading the directory: unrecognised track format: "
                        "the first data line (byte offset 0) matches no known format"),
              std::string::npos)
        << format(r.diagnostics.items()[0]);
    // Named on the command line, the same file is an error.
    EXPECT_THROW(io::load_paths({dir / "junk.dat"}), IoError);
    std::filesystem::remove_all(dir);
}

TEST(LoadPaths, SkippedGranularCsvNamesTheMappingThatReadsIt) {
    const auto granular = fr::test::shared_data("xoolive-traffic/fr24_csv/JL516_Flightradar24_ADS-B_data_granular.csv");
    FR_REQUIRE_SHARED(granular);
    const auto dir = std::filesystem::temp_directory_path() / ("fr_load_paths_granular_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(test_data("valid/fr24/seven_columns.csv"), dir / "a.csv");
    std::filesystem::copy_file(granular, dir / "granular.csv");
    const auto r = io::load_paths({dir});
    ASSERT_EQ(r.diagnostics.size(), 1u);
    const auto msg = format(r.diagnostics.items()[0]);
    EXPECT_NE(msg.find("granular.csv: warning: skipped while reading the directory: Flightradar24 \"granular\""), std::string::npos) << msg;
    const std::string key = setting_text("csv_columns") + " '";
    const auto at = msg.find(key);
    ASSERT_NE(at, std::string::npos) << msg;
    // The mapping the message names really reads the file.
    const auto end = msg.find('\'', at + key.size());
    io::LoadOptions opt;
    opt.format = io::Format::generic_csv;
    opt.csv_columns = msg.substr(at + key.size(), end - at - key.size());
    const auto g = io::load_file(dir / "granular.csv", opt);
    ASSERT_EQ(g.tracks.size(), 1u);
    EXPECT_EQ(g.tracks[0].aircraft.icao24, "8467d8");
    EXPECT_GT(g.tracks[0].points.size(), 100u);
    std::filesystem::remove_all(dir);
}
