// readsb / tar1090 trace_full JSON loader (src/io/formats/readsb.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "io/loader.hpp"
#include "json_test_support.hpp"

using namespace fr;
using fr::test::problems;
using fr::test::shared_data;
using fr::test::test_data;

TEST(Readsb, RealTraceFourFlights) {
    const auto path = shared_data("xoolive-traffic/readsb/trace_full_ac671b.json");
    FR_REQUIRE_SHARED(path);
    const auto r = io::load_file(path);
    EXPECT_EQ(r.format, io::Format::readsb_trace);
    EXPECT_EQ(r.rows_read, 2500u);
    // One track per leg (flags bit value 2), each with the callsign of its details objects.
    ASSERT_EQ(r.tracks.size(), 4u);
    const char* callsigns[] = {"DAL1812", "DAL2418", "DAL1615", "DAL2927"};
    std::size_t total = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        const auto& t = r.tracks[i];
        EXPECT_EQ(t.aircraft.icao24, "ac671b");
        EXPECT_EQ(t.aircraft.registration, "N899DN");
        EXPECT_EQ(t.aircraft.type, "B739");
        EXPECT_EQ(t.aircraft.callsign, callsigns[i]);
        EXPECT_EQ(t.points.front().new_leg(), i > 0) << i;
        total += t.points.size();
    }
    EXPECT_EQ(total, 2499u);  // one row repeats a timestamp and is dropped (reported below)
    const auto& first = r.tracks.front().points.front();
    EXPECT_EQ(format_iso8601(first.time(), true), "2025-02-04T21:13:42.619Z");  // base 1738703622.619 + 0.00
    EXPECT_NEAR(first.lat_deg(), 16.777359, 1e-9);
    EXPECT_NEAR(first.lon_deg(), -88.036868, 1e-9);
    EXPECT_NEAR(first.altitude()->m(), 32000 * 0.3048, 1e-3);  // 32000 ft in metres (float storage: 1 mm)
    EXPECT_NEAR(first.ground_speed()->kt(), 478.6, 1e-3);
    EXPECT_NEAR(first.track()->deg(), 327.8, 1e-4);
    EXPECT_EQ(first.on_ground(), OnGround::airborne);
    const auto& last = r.tracks.back().points.back();
    EXPECT_EQ(format_iso8601(last.time(), true), "2025-02-05T19:54:38.089Z");  // + 81655.47 s
    EXPECT_EQ(last.on_ground(), OnGround::ground);                             // altitude "ground" at DEN
    EXPECT_FALSE(last.altitude().has_value());
    ASSERT_EQ(r.diagnostics.size(), 1u);
    const auto msg = format(r.diagnostics.items()[0]);
    EXPECT_NE(msg.find("trace_full_ac671b.json:113:5: trace[104]: warning: 1 row(s) repeat an earlier timestamp"), std::string::npos)
        << msg;
}

TEST(Readsb, SmallFileNineAndFourteenElementRows) {
    const auto r = io::load_file(test_data("valid/json/readsb_small.json"));
    EXPECT_TRUE(r.diagnostics.empty()) << format(r.diagnostics.items().front());
    ASSERT_EQ(r.tracks.size(), 2u);
    const auto& a = r.tracks[0];
    EXPECT_EQ(a.aircraft.icao24, "~a1b2c3");   // non-ICAO address keeps its '~', lower-cased
    EXPECT_EQ(a.aircraft.callsign, "TST101");  // "TST101  " trimmed
    ASSERT_EQ(a.points.size(), 3u);
    EXPECT_EQ(format_iso8601(a.points[0].time(), true), "2023-11-14T22:13:20.500Z");
    EXPECT_EQ(a.points[0].on_ground(), OnGround::ground);
    EXPECT_NEAR(a.points[1].altitude()->m(), 1524.0, 1e-3);  // 5000 ft
    EXPECT_NEAR(a.points[1].ground_speed()->mps(), 150 * 1852.0 / 3600.0, 1e-4);
    EXPECT_FALSE(a.points[2].altitude().has_value());  // null altitude, 9-element row
    EXPECT_FALSE(a.points[2].ground_speed().has_value());
    const auto& b = r.tracks[1];
    EXPECT_EQ(b.aircraft.callsign, "TST202");
    EXPECT_TRUE(b.points[0].new_leg());
    EXPECT_EQ(format_iso8601(b.points[1].time(), true), "2023-11-14T23:13:30.500Z");
}

TEST(Readsb, ByteOrderMarkIsIgnored) {
    const auto r = io::load_file(test_data("valid/json/readsb_bom.json"));
    EXPECT_TRUE(r.diagnostics.empty());
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].points.size(), 2u);
}

struct ReadsbBad {
    const char* file;
    const char* expected;  // substring: file:line:column: json path: severity: what
    io::Format format = io::Format::automatic;
};

class ReadsbInvalid : public ::testing::TestWithParam<ReadsbBad> {};

TEST_P(ReadsbInvalid, NamesFileLinePathAndProblem) {
    const auto c = GetParam();
    const auto msg = problems(test_data(std::string("invalid/json/") + c.file), c.format);
    EXPECT_NE(msg.find(c.expected), std::string::npos) << msg;
}

INSTANTIATE_TEST_SUITE_P(
    Files, ReadsbInvalid,
    ::testing::Values(
        // Cut off: the rows before the cut are kept, and the warning says where reading stopped.
        ReadsbBad{"truncated.json",
                  "truncated.json:3:31: $: warning: the file ends inside an unfinished value at byte 116 (line 4; cut off?)"},
        ReadsbBad{"empty.json", "empty.json:1:1: error: empty file: no JSON value found", io::Format::readsb_trace},
        ReadsbBad{"bom_only.json", "bom_only.json:1:1: error: empty file: no JSON value found", io::Format::readsb_trace},
        ReadsbBad{"not_json.json",
                  "not_json.json:1:1: $: error: malformed JSON: expected a JSON document ('{' or '[') at byte offset 0, found a byte that "
                  "starts no JSON value",
                  io::Format::readsb_trace},
        ReadsbBad{"row_arity.json",
                  "row_arity.json:4:1: trace[1]: warning: row has 8 element(s); readsb trace rows have 9 or 14 (row skipped)"},
        ReadsbBad{"row_arity.json", "row_arity.json:5:1: trace[2]: warning: row has 10 element(s)"},
        ReadsbBad{"lat_out_of_range.json", "lat_out_of_range.json:4:1: trace[1][1]: warning: position 91.5, 20.01 is out of range"},
        ReadsbBad{"nan_value.json",
                  "nan_value.json:4:4: $: error: malformed JSON: expected a JSON value, found 'NaN' (JSON has no NaN or Infinity) (file "
                  "skipped)"},
        ReadsbBad{"huge_number.json",
                  "huge_number.json:4:16: $: error: malformed JSON: number 1e400 is out of the double range (file skipped)"},
        ReadsbBad{"altitude_string.json",
                  "altitude_string.json:4:16: trace[1][3]: warning: altitude '\"airborne\"' is neither feet nor \"ground\" (ignored)"},
        ReadsbBad{"absurd_time.json",
                  "absurd_time.json:2:14: timestamp: error: \"timestamp\" '-1700000000' is not a Unix time in seconds within 1990..2100"},
        ReadsbBad{
            "negative_offset.json",
            "negative_offset.json:4:1: trace[1][0]: warning: time offset -1500000000 s puts the fix outside 1990..2100 (row skipped)"},
        ReadsbBad{"duplicate_rows.json",
                  "duplicate_rows.json:5:1: trace[2]: warning: 1 row(s) repeat an earlier timestamp, first here (duplicates dropped)"},
        ReadsbBad{"reversed_rows.json",
                  "reversed_rows.json:4:1: trace[1]: warning: 2 row(s) out of time order, first here (rows sorted by time)"},
        ReadsbBad{"trailing_garbage.json",
                  "trailing_garbage.json:3:1: $: error: malformed JSON: unexpected 'x' after the end of the JSON value"},
        ReadsbBad{
            "missing_comma.json",
            "missing_comma.json:4:10: $: error: malformed JSON: expected ',' or ']' after an array element, found '2' (file skipped)"},
        ReadsbBad{"unclosed_string.json",
                  "unclosed_string.json:3:42: $: error: malformed JSON: control character byte 0x0a inside a string"},
        ReadsbBad{"not_gzip.json.gz",
                  "not_gzip.json.gz:1:1: $: error: malformed JSON: expected a JSON document ('{' or '[') at byte offset 0",
                  io::Format::readsb_trace}));

TEST(Readsb, NonJsonFileForcedAsJsonShowsNoBytes) {
    fr::test::TempDir dir;
    const auto path = dir.write("id_rsa", "\n  -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n");
    const auto msg = problems(path, io::Format::readsb_trace);
    EXPECT_NE(msg.find("id_rsa:2:3: $: error: malformed JSON: expected a JSON document ('{' or '[') at byte offset 3"), std::string::npos)
        << msg;
    EXPECT_EQ(msg.find("BEGIN"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("-----"), std::string::npos) << msg;
}

TEST(Readsb, NestingBombIsRefusedWithPosition) {
    fr::test::TempDir dir;
    // 100,000 unclosed '[' inside "trace": simdjson fails; the checker names the depth limit.
    const std::string head = "{\"icao\":\"abc123\",\"timestamp\":1700000000,\n\"trace\":";
    const auto path = dir.write("bomb.json", head + std::string(100000, '['));
    const auto msg = problems(path);
    EXPECT_NE(msg.find("bomb.json:2:1032: $: error: malformed JSON: nesting deeper than 1024 levels (refused)"), std::string::npos) << msg;
    // Balanced, so simdjson's own bracket check passes: the depth limit still refuses it.
    const auto path2 = dir.write("bomb2.json", head + "[" + std::string(100000, '[') + std::string(100000, ']') + "]}");
    const auto msg2 = problems(path2);
    EXPECT_NE(msg2.find("bomb2.json:2:1032: $: error: malformed JSON: nesting deeper than 1024 levels (refused)"), std::string::npos)
        << msg2;
    // 1000 levels is within the limit: valid JSON, each row an array of arrays; rows reported.
    const auto path3 = dir.write("deep_ok.json", head + "[" + std::string(1000, '[') + std::string(1000, ']') + "]}");
    const auto msg3 = problems(path3);
    EXPECT_NE(msg3.find("deep_ok.json:2:11: trace[0][0]: warning: time offset an array is not a finite JSON number (row skipped)"),
              std::string::npos)
        << msg3;
}

TEST(Readsb, HugeRowIsReportedNotLoaded) {
    fr::test::TempDir dir;
    std::string row = "[0";
    row.reserve(2'000'000);
    for (int i = 0; i < 999'999; ++i) row += ",1";
    row += "]";
    const auto path = dir.write(
        "huge_row.json", "{\"icao\":\"abc123\",\"timestamp\":1700000000,\n\"trace\":[\n[0,10,20,1000,100,45,0,0,null],\n" + row + "]}");
    const auto r = io::load_file(path);
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].points.size(), 1u);
    ASSERT_EQ(r.diagnostics.size(), 1u);
    const auto msg = format(r.diagnostics.items()[0]);
    EXPECT_NE(msg.find("huge_row.json:4:1: trace[1]: warning: row has 1000000 element(s)"), std::string::npos) << msg;
}

namespace {
std::string read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}
}  // namespace

TEST(Readsb, FastWalkerAndOnDemandReaderAgreeOnEveryTestFile) {
    // The walker reads clean files fast and gives up on anything unusual; whichever reader runs,
    // the result must be the same (fuzz/fuzz_readsb_readers does this on generated inputs).
    std::vector<std::filesystem::path> files;
    for (const char* dir : {"valid/json", "invalid/json"})
        for (const auto& e : std::filesystem::directory_iterator(test_data(dir))) files.push_back(e.path());
    if (const auto real = shared_data("xoolive-traffic/readsb/trace_full_ac671b.json"); std::filesystem::exists(real))
        files.push_back(real);
    std::sort(files.begin(), files.end());
    ASSERT_GE(files.size(), 20u);
    for (const auto& f : files) {
        const auto text = read_bytes(f);
        const auto fast = io::detail::load_readsb(f.filename().string(), text);
        const auto plain = io::detail::load_readsb_on_demand(f.filename().string(), text);
        EXPECT_EQ(io::detail::first_difference(fast, plain), "") << f;
    }
    // The comparison sees a difference: one point moved by the smallest step.
    const auto text = read_bytes(test_data("valid/json/readsb_small.json"));
    const auto a = io::detail::load_readsb("x", text);
    auto b = a;
    ASSERT_FALSE(b.tracks.empty());
    auto& p = b.tracks.front().points.front();
    p = TrackPoint(p.time(), *LatLon::checked(std::nextafter(p.lat_deg(), 90.0), p.lon_deg()));
    EXPECT_NE(io::detail::first_difference(a, b), "");
}
