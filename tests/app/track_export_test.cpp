// Analysed-track export read back by GDAL's own client, ogrinfo: layer names, feature counts
// and attributes for GeoJSON, KML and GeoPackage. The RFF7203 sample has two legs (UUMU-ZKPY,
// ZKPY-UUMU), one observed ground stop at ZKPY and two coverage gaps.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "report_helpers.hpp"

using namespace fr;

namespace {

std::map<std::string, int> layer_counts(const std::string& ogrinfo_out) {
    std::map<std::string, int> m;
    std::regex re("Layer name: (\\S+)\\n(?:[^\\n]*\\n)*?Feature Count: (\\d+)");
    for (auto it = std::sregex_iterator(ogrinfo_out.begin(), ogrinfo_out.end(), re); it != std::sregex_iterator(); ++it)
        m[(*it)[1]] = std::stoi((*it)[2]);
    return m;
}

void export_and_check(const std::string& ext, const std::map<std::string, int>& expected) {
    FR_REQUIRE_TOOL("ogrinfo");
    const auto dir = test::out_dir("tracks-" + ext);
    const auto out = dir / ("tracks." + ext);
    auto r = test::run_fr("render " + test::samples() + " -o " + out.string() + " -q");
    ASSERT_EQ(r.status, 0) << r.err;
    auto info = test::run_shell("ogrinfo -ro -so -al " + out.string());
    ASSERT_EQ(info.status, 0) << info.err;
    EXPECT_EQ(layer_counts(info.out), expected) << info.out;
    auto all = test::run_shell("ogrinfo -ro -al " + out.string());
    EXPECT_NE(all.out.find("departure_airport (String) = UUMU"), std::string::npos) << all.out.substr(0, 4000);
    EXPECT_NE(all.out.find("arrival_airport (String) = ZKPY"), std::string::npos);
    EXPECT_NE(all.out.find("callsign (String) = RFF7203"), std::string::npos);
    EXPECT_NE(all.out.find("airport (String) = ZKPY"), std::string::npos);
    // GeoJSON readers turn ISO 8601 strings into DateTime fields on their own.
    EXPECT_TRUE(std::regex_search(all.out, std::regex("departure_time \\((String|DateTime)\\) = 2023[-/]07[-/]31[T ]15:09:03")));
    // KML reads every attribute back as a string.
    EXPECT_TRUE(std::regex_search(all.out, std::regex("inferred \\([A-Za-z()]+\\) = 0"))) << "stop seen on the ground at ZKPY";
    EXPECT_TRUE(std::regex_search(all.out, std::regex("duration_s \\([A-Za-z0-9]+\\) = 130503\\n")))  // ZKPY stop: 36 h 15 min 3 s
        << "stop duration in seconds";
    EXPECT_NE(all.out.find("provenance (String) = reconstructed"), std::string::npos);
    // Written beside the target and renamed: nothing else is left in the folder.
    int files = 0;
    for (auto it = std::filesystem::directory_iterator(dir); it != std::filesystem::directory_iterator(); ++it) ++files;
    EXPECT_EQ(files, 1);
}

}  // namespace

TEST(TrackExport, GeoJsonHasOneLayerWithKinds) { export_and_check("geojson", {{"analysis", 5}}); }
TEST(TrackExport, KmlHasLegsStopsGaps) { export_and_check("kml", {{"legs", 2}, {"stops", 1}, {"gaps", 2}}); }
TEST(TrackExport, GeoPackageHasLegsStopsGapsAndPoints) {
    // The points layer holds every cleaned fix: as many as the CSV export has rows.
    const auto dir = test::out_dir("tracks-csv");
    const auto csv = dir / "fixes.csv";
    auto r = test::run_fr("render " + test::samples() + " -o " + csv.string() + " -q");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto text = test::slurp(csv);
    const int rows = static_cast<int>(std::count(text.begin(), text.end(), '\n')) - 1;  // less the header
    EXPECT_GT(rows, 1500);
    export_and_check("gpkg", {{"legs", 2}, {"stops", 1}, {"gaps", 2}, {"points", rows}});
}

TEST(TrackExport, FailedWriteLeavesNothing) {
    const auto dir = test::out_dir("tracks-fail");
    auto r = test::run_fr("render " + test::samples() + " -o " + (dir / "missing/sub/t.gpkg").string() + " -q");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.err.find("t.gpkg"), std::string::npos) << r.err;
    EXPECT_TRUE(std::filesystem::is_empty(dir));
}
