// SBS-1 BaseStation loader (src/io/formats/sbs.cpp): message types merged per aircraft, time zones,
// diagnostics, and real positions written as SBS lines.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "core/error.hpp"
#include "io/loader.hpp"
#include "json_test_support.hpp"
#include "text_loader_test_util.hpp"

using namespace fr;
using fr::test::has_diagnostic;
using fr::test::load_test_file;
using fr::test::test_data;

namespace {

const Track& by_icao(const io::LoadResult& r, const std::string& icao) {
    for (const auto& t : r.tracks)
        if (t.aircraft.icao24 == icao) return t;
    throw std::runtime_error("no track " + icao);
}

io::LoadResult load_tz(const std::filesystem::path& p, const std::string& tz) {
    io::LoadOptions opt;
    opt.input_tz = tz;
    return io::load_file(p, opt);
}

}  // namespace

TEST(Sbs, MergesMessageTypesPerAircraft) {
    const auto r = load_test_file("valid/receivers/basestation_30003.sbs");
    EXPECT_EQ(r.format, io::Format::sbs);
    ASSERT_EQ(r.tracks.size(), 2u);
    // Only the default-zone warning, on the first MSG line.
    ASSERT_EQ(r.diagnostics.size(), 1u) << fr::test::all_diagnostics(r);
    EXPECT_TRUE(has_diagnostic(r, "basestation_30003.sbs", 1, "read as UTC"));

    const auto& a = by_icao(r, "3461ce");  // hex ident upper-case in the file
    EXPECT_EQ(a.aircraft.callsign, "VLG22LL");
    ASSERT_EQ(a.points.size(), 2u);
    EXPECT_EQ(format_iso8601(a.points[0].time(), true), "2024-06-06T09:38:40Z");
    EXPECT_EQ(a.points[0].on_ground(), OnGround::ground);  // MSG,2 surface position
    EXPECT_NEAR(a.points[0].ground_speed()->kt(), 5.0, 1e-4);
    EXPECT_NEAR(a.points[0].track()->deg(), 281.2, 1e-4);
    EXPECT_EQ(a.points[1].on_ground(), OnGround::airborne);
    EXPECT_NEAR(a.points[1].altitude()->m(), 1500 * 0.3048, 1e-3);
    EXPECT_FALSE(a.points[1].ground_speed()) << "speed from 90 s before is not carried (30 s limit)";

    const auto& b = by_icao(r, "4ca7b4");
    EXPECT_EQ(b.aircraft.callsign, "RYR4TX");
    ASSERT_EQ(b.points.size(), 3u);
    EXPECT_EQ(format_iso8601(b.points[0].time(), true), "2024-06-06T09:38:41.200Z");
    EXPECT_FALSE(b.points[0].ground_speed()) << "no MSG,4 yet";
    EXPECT_NEAR(b.points[1].ground_speed()->kt(), 451.0, 1e-3);  // carried from MSG,4 0.8 s before
    EXPECT_NEAR(b.points[1].track()->deg(), 92.5, 1e-4);
    EXPECT_NEAR(b.points[1].altitude()->m(), 37000 * 0.3048, 1e-3);
    // 09:39:20: altitude empty, the last one 38 s old: not carried.
    EXPECT_FALSE(b.points[2].altitude());
}

TEST(Sbs, InputTimeZone) {
    const auto p = test_data("valid/receivers/basestation_30003.sbs");
    const auto r = load_tz(p, "Europe/Paris");  // CEST, UTC+2 in June
    EXPECT_TRUE(r.diagnostics.empty()) << fr::test::all_diagnostics(r);
    EXPECT_EQ(format_iso8601(by_icao(r, "4ca7b4").points[0].time(), true), "2024-06-06T07:38:41.200Z");
    EXPECT_THROW(load_tz(p, "Mars/Olympus_Mons"), UsageError);
    EXPECT_NO_THROW(io::check_input_tz("America/Los_Angeles"));
}

TEST(Sbs, RepeatedHourTakesTheEarlierInstant) {
    // 2023-10-29: Paris goes from CEST to CET at 03:00, so 02:30 happens twice; the first
    // (00:30Z) is chosen. 03:30 is CET only (02:30Z).
    fr::test::TempDir dir;
    const auto p = dir.write("fallback.sbs",
                             "MSG,3,1,1,4CA7B4,1,2023/10/29,02:30:00.000,2023/10/29,02:30:00.000,,1000,,,43.9,1.9,,,0,,0,0\n"
                             "MSG,3,1,1,4CA7B4,1,2023/10/29,03:30:00.000,2023/10/29,03:30:00.000,,1000,,,43.9,1.9,,,0,,0,0\n");
    const auto r = load_tz(p, "Europe/Paris");
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(format_iso8601(r.tracks[0].points[0].time()), "2023-10-29T00:30:00Z");
    EXPECT_EQ(format_iso8601(r.tracks[0].points[1].time()), "2023-10-29T02:30:00Z");
}

TEST(Sbs, BadLinesNameFileLineAndColumn) {
    const auto r = load_test_file("invalid/receivers/basestation_bad.sbs", io::Format::automatic);
    const std::string f = "basestation_bad.sbs";
    EXPECT_TRUE(has_diagnostic(r, f, 2, "expected 22 comma-separated fields, found 10"));
    EXPECT_TRUE(has_diagnostic(r, f, 3, "hex ident 'XYZ123' is not a 24-bit hex address"));
    EXPECT_TRUE(has_diagnostic(r, f, 3, f + ":3:11:"));  // the byte where the hex ident starts
    EXPECT_TRUE(has_diagnostic(r, f, 4, "date/time '2024/13/06'"));
    EXPECT_TRUE(has_diagnostic(r, f, 5, "out of range"));
    EXPECT_TRUE(has_diagnostic(r, f, 6, "altitude 'FL370' is not an altitude in feet"));
    EXPECT_TRUE(has_diagnostic(r, f, 6, f + ":6:69:"));
    EXPECT_TRUE(has_diagnostic(r, f, 7, "not an SBS-1 record"));
    EXPECT_TRUE(has_diagnostic(r, f, 8, "transmission type '9' is not 1..8"));
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].points.size(), 2u);
    EXPECT_EQ(r.rows_skipped, 7u);
}

TEST(Sbs, StreamedAndWholeTextReadersAgree) {
    // load_file reads SBS in blocks; load_sbs over the whole text must give the same result.
    const auto path = test_data("valid/receivers/basestation_30003.sbs");
    const auto streamed = io::load_file(path);
    const auto text = fr::test::read_test_file("valid/receivers/basestation_30003.sbs");
    auto whole = io::detail::load_sbs(path.string(), text);
    whole.format = streamed.format;
    EXPECT_EQ(io::detail::first_difference(streamed, whole), "");
}

// Real positions (the readsb trace of ac671b) written as a receiver would: MSG,4 velocity,
// then MSG,3 (or MSG,2 on the ground) position, 100 ms apart. Loading them back gives the
// same fixes. Over 4 MiB, so the block reader's joins between blocks are crossed.
TEST(Sbs, RealTraceWrittenAsSbsLoadsTheSameFixes) {
    const auto src = fr::test::shared_data("xoolive-traffic/readsb/trace_full_ac671b.json");
    FR_REQUIRE_SHARED(src);
    const auto ref = io::load_file(src).tracks.at(0);
    std::string sbs;
    char buf[512];
    auto stamp = [](TimePoint t, char* out) {
        const auto s = format_iso8601(t, true);  // YYYY-MM-DDTHH:MM:SS[.fff]Z
        std::snprintf(out, 32, "%.4s/%.2s/%.2s,%.8s.%03d", s.c_str(), s.c_str() + 5, s.c_str() + 8, s.c_str() + 11,
                      static_cast<int>(t.time_since_epoch().count() % 1000));
    };
    std::size_t repeats = 0;
    while (sbs.size() < (std::size_t{5} << 20)) {  // the trace again and again, a day later each time
        for (const auto& p : ref.points) {
            const TimePoint t = p.time() + std::chrono::days{static_cast<int>(repeats)};
            char when[32], vwhen[32];
            stamp(t - std::chrono::milliseconds{100}, vwhen);
            stamp(t, when);
            if (p.ground_speed() || p.track()) {
                std::snprintf(buf, sizeof buf, "MSG,4,1,1,AC671B,1,%s,%s,,,%s,%s,,,0,,,,,0\n", vwhen, vwhen,
                              p.ground_speed() ? std::to_string(p.ground_speed()->kt()).c_str() : "",
                              p.track() ? std::to_string(p.track()->deg()).c_str() : "");
                sbs += buf;
            }
            const bool ground = p.on_ground() == OnGround::ground;
            std::snprintf(buf, sizeof buf, "MSG,%d,1,1,AC671B,1,%s,%s,,%s,,,%.6f,%.6f,,,0,,0,%d\n", ground ? 2 : 3, when, when,
                          p.altitude() ? std::to_string(p.altitude()->m() / 0.3048).c_str() : "", p.lat_deg(), p.lon_deg(),
                          ground ? -1 : 0);
            sbs += buf;
        }
        ++repeats;
    }
    fr::test::TempDir dir;
    const auto r = io::load_file(dir.write("ac671b.sbs", sbs));
    ASSERT_EQ(r.tracks.size(), 1u);
    const auto& t = r.tracks[0];
    ASSERT_EQ(t.points.size(), ref.points.size() * repeats);
    for (std::size_t k = 0; k < t.points.size(); ++k) {
        const auto& a = t.points[k];
        const auto& b = ref.points[k % ref.points.size()];
        ASSERT_EQ(a.time(), b.time() + std::chrono::days{static_cast<int>(k / ref.points.size())}) << k;
        ASSERT_NEAR(a.lat_deg(), b.lat_deg(), 1e-6) << k;  // printed to 6 decimals
        ASSERT_NEAR(a.lon_deg(), b.lon_deg(), 1e-6) << k;
        // Where the trace lacks a value, SBS semantics carry the previous one (up to 30 s old):
        // only values the trace has are compared.
        if (b.altitude()) {
            ASSERT_TRUE(a.altitude()) << k;
            ASSERT_NEAR(a.altitude()->m(), b.altitude()->m(), 1e-3) << k;
        }
        if (b.ground_speed()) {
            ASSERT_TRUE(a.ground_speed()) << k;
            ASSERT_NEAR(a.ground_speed()->kt(), b.ground_speed()->kt(), 1e-3) << k;
        }
        ASSERT_EQ(a.on_ground() == OnGround::ground, b.on_ground() == OnGround::ground)
            << k << " " << format_iso8601(a.time(), true) << " sbs " << static_cast<int>(a.on_ground()) << " readsb "
            << static_cast<int>(b.on_ground());
    }
}

TEST(Sbs, FromAPipeReadsWhole) {
    // A pipe cannot be read twice (the head for detection, then the blocks): it is read whole.
    fr::test::TempDir dir;
    const auto fifo = dir.write("x", "").parent_path() / "pipe.sbs";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::string text = fr::test::read_test_file("valid/receivers/basestation_30003.sbs");
    std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << text; });
    const auto r = io::load_file(fifo);
    writer.join();
    const auto file = load_test_file("valid/receivers/basestation_30003.sbs");
    ASSERT_EQ(r.tracks.size(), file.tracks.size());
    for (std::size_t i = 0; i < r.tracks.size(); ++i) EXPECT_EQ(r.tracks[i].points.size(), file.tracks[i].points.size());
}
