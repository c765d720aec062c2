// The reconstructed RFF7203 sample: regenerating it gives the committed bytes, and the committed
// files satisfy the properties the rest of the project relies on (ordering, fix spacing, one
// coverage gap per leg, a ~36 h stop, ends at the airports).
#include <gtest/gtest.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/lat_lon.hpp"
#include "geo/geodesic.hpp"
#include "rff7203_sample.hpp"
#include "test_paths.hpp"

namespace {

namespace fs = std::filesystem;

const char* const k_out = "RFF7203_UUMU-ZKPY_2023-07-31_reconstructed.csv";
const char* const k_back = "RFF7203_ZKPY-UUMU_2023-08-02_reconstructed.csv";

std::string slurp(const fs::path& p) {
    std::ifstream is(p, std::ios::binary);
    std::ostringstream ss;
    ss << is.rdbuf();
    return ss.str();
}

fs::path committed(const char* name) { return fr::test::source_dir() / "assets" / "samples" / name; }

struct Row {
    long long t;
    double lat, lon;
    int alt, speed, dir;
};

/// Minimal parser for the exact layout we write: '#' lines, the header, then
/// `t,UTC,RFF7203,"lat,lon",alt,speed,dir`.
std::vector<Row> parse(const std::string& text) {
    std::vector<Row> rows;
    std::istringstream is(text);
    std::string line;
    bool header = false;
    while (std::getline(is, line)) {
        if (!header) {
            if (line.rfind('#', 0) == 0) continue;
            EXPECT_EQ(line, "Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction");
            header = true;
            continue;
        }
        Row r{};
        const auto q1 = line.find('"'), q2 = line.find('"', q1 + 1);
        EXPECT_NE(q2, std::string::npos) << line;
        if (q2 == std::string::npos) break;
        r.t = std::stoll(line.substr(0, line.find(',')));
        const std::string pos = line.substr(q1 + 1, q2 - q1 - 1);
        r.lat = std::stod(pos.substr(0, pos.find(',')));
        r.lon = std::stod(pos.substr(pos.find(',') + 1));
        EXPECT_EQ(line.substr(line.find(',', line.find(',') + 1) + 1, 8), "RFF7203,") << line;
        std::istringstream rest(line.substr(q2 + 2));
        char c1 = 0, c2 = 0;
        rest >> r.alt >> c1 >> r.speed >> c2 >> r.dir;
        EXPECT_TRUE(rest && c1 == ',' && c2 == ',') << line;
        rows.push_back(r);
    }
    EXPECT_TRUE(header);
    return rows;
}

const fr::LatLon k_uumu = fr::LatLon::from_degrees(55.8783, 38.061699);
const fr::LatLon k_zkpy = fr::LatLon::from_degrees(39.224098, 125.669998);

double km_from(const Row& r, fr::LatLon p) { return fr::geo::distance(fr::LatLon::from_degrees(r.lat, r.lon), p).km(); }

/// Checks one leg: spacing 30..60 s except exactly one 20..30 min coverage gap, valid values,
/// ground rows within 2 km of the airports at both ends.
void check_leg(const std::vector<Row>& rows, fr::LatLon from, fr::LatLon to) {
    ASSERT_GT(rows.size(), 300u);
    int gaps = 0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const long long dt = rows[i].t - rows[i - 1].t;
        ASSERT_GT(dt, 0) << "times must increase strictly, row " << i;
        if (dt < 30 || dt > 60) {
            ++gaps;
            EXPECT_GE(dt, 20 * 60) << "row " << i << ": spacing " << dt << " s is neither 30..60 s nor a 20..30 min gap";
            EXPECT_LE(dt, 30 * 60) << "row " << i;
        }
    }
    EXPECT_EQ(gaps, 1) << "exactly one coverage gap (over North Korea) per leg";
    for (const auto& r : rows) {
        EXPECT_TRUE(fr::LatLon::checked(r.lat, r.lon).has_value());
        EXPECT_GE(r.alt, 0);
        EXPECT_LE(r.alt, 39000);  // FL390 ceiling of the assumed profile
        EXPECT_GE(r.speed, 0);
        EXPECT_LE(r.speed, 520);  // knots, ground speed
        EXPECT_GE(r.dir, 0);
        EXPECT_LT(r.dir, 360);
    }
    // Ends on the ground, within 2 km of the airports' reference points, with taxi speeds.
    EXPECT_LT(km_from(rows.front(), from), 2.0);
    EXPECT_LT(km_from(rows.back(), to), 2.0);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(rows[i].alt, 0);
        EXPECT_LE(rows[i].speed, 20);
        EXPECT_EQ(rows[rows.size() - 1 - i].alt, 0);
        EXPECT_LE(rows[rows.size() - 1 - i].speed, 20);
    }
    // Cruise between FL330 and FL390 somewhere on the leg.
    int max_alt = 0;
    for (const auto& r : rows) max_alt = std::max(max_alt, r.alt);
    EXPECT_GE(max_alt, 33000);
}

TEST(MakeRff7203, RegeneratesTheCommittedFilesByteForByte) {
    const fs::path dir = fr::test::binary_dir() / "tests_tmp" / "make_rff7203";
    fs::remove_all(dir);
    const auto written = fr::tools::write_rff7203_files(dir);
    ASSERT_EQ(written.size(), 2u);
    for (const char* name : {k_out, k_back}) {
        ASSERT_TRUE(fs::exists(committed(name))) << committed(name);
        const std::string want = slurp(committed(name));
        const std::string got = slurp(dir / name);
        EXPECT_EQ(got.size(), want.size()) << name;
        EXPECT_TRUE(got == want) << name << " differs from the committed file; regenerate with "
                                 << "fr_make_rff7203 assets/samples and review the diff";
    }
}

TEST(MakeRff7203, GeneratorIsDeterministic) {
    const auto a = fr::tools::make_rff7203_files();
    const auto b = fr::tools::make_rff7203_files();
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(a[i].content == b[i].content);
}

TEST(MakeRff7203, FilesSayTheyAreReconstructed) {
    for (const char* name : {k_out, k_back}) {
        const std::string text = slurp(committed(name));
        EXPECT_EQ(text.rfind("# RECONSTRUCTED", 0), 0u) << name;
        EXPECT_NE(std::string(name).find("reconstructed"), std::string::npos);
    }
}

TEST(MakeRff7203, OutboundLegInvariants) { check_leg(parse(slurp(committed(k_out))), k_uumu, k_zkpy); }

TEST(MakeRff7203, ReturnLegInvariants) { check_leg(parse(slurp(committed(k_back))), k_zkpy, k_uumu); }

TEST(MakeRff7203, StopAtPyongyangLastsAbout36Hours) {
    const auto out = parse(slurp(committed(k_out)));
    const auto back = parse(slurp(committed(k_back)));
    ASSERT_FALSE(out.empty());
    ASSERT_FALSE(back.empty());
    const long long stop_s = back.front().t - out.back().t;
    EXPECT_GE(stop_s, 35 * 3600);
    EXPECT_LE(stop_s, 37 * 3600);
    // Both sides of the stop at ZKPY (within 2 km), so the stop is found between the files.
    EXPECT_LT(km_from(out.back(), k_zkpy), 2.0);
    EXPECT_LT(km_from(back.front(), k_zkpy), 2.0);
    // Outbound departs 2023-07-31 (UTC) and the return lands on 2023-08-02 (UTC).
    EXPECT_GE(out.front().t, 1690761600);   // 2023-07-31T00:00:00Z
    EXPECT_LT(out.front().t, 1690848000);   // 2023-08-01T00:00:00Z
    EXPECT_GE(out.back().t, 1690848000);    // lands 2023-08-01
    EXPECT_GE(back.front().t, 1690934400);  // 2023-08-02T00:00:00Z
    EXPECT_LT(back.back().t, 1691020800);   // 2023-08-03T00:00:00Z
}

}  // namespace
