#include <gtest/gtest.h>

#include "core/setting_text.hpp"

#include "core/error.hpp"
#include "io/formats/generic_csv.hpp"
#include "io/formats/text_formats.hpp"
#include "text_loader_test_util.hpp"

using namespace fr;
using namespace fr::test;
using io::GenericCsvMapping;

TEST(GenericCsvMapping, ParsesTheDocumentedExample) {
    const auto m = GenericCsvMapping::parse("time=ts:epoch_ms,lat=latitude,lon=longitude,alt=alt_ft:ft,speed=gs:kt");
    EXPECT_EQ(m.time.name, "ts");
    EXPECT_EQ(m.time_form, GenericCsvMapping::TimeForm::epoch_ms);
    EXPECT_EQ(m.lat.name, "latitude");
    EXPECT_EQ(m.altitude_unit, GenericCsvMapping::AltUnit::ft);
    EXPECT_EQ(m.speed_unit, GenericCsvMapping::SpeedUnit::kt);
    EXPECT_EQ(m.separator, ',');
    const auto p = GenericCsvMapping::parse("time=#1:%d/%m/%Y %H:%M:%S,lat=#2,lon=#3,sep=pipe,header=no");
    EXPECT_EQ(p.time.index, 1);
    EXPECT_EQ(p.time_form, GenericCsvMapping::TimeForm::pattern);
    EXPECT_EQ(p.time_pattern, "%d/%m/%Y %H:%M:%S");
    EXPECT_EQ(p.separator, '|');
    EXPECT_FALSE(p.header);
}

TEST(GenericCsvMapping, RejectsBadSpecsWithTheItem) {
    auto msg = [](const char* spec) {
        try {
            GenericCsvMapping::parse(spec);
        } catch (const UsageError& e) {
            return std::string(e.what());
        }
        return std::string("<no error>");
    };
    EXPECT_NE(msg("time=t:fortnights,lat=a,lon=b").find("'time=t:fortnights': time form must be"), std::string::npos);
    EXPECT_NE(msg("time=t,lat=a,lon=b,alt=h:yards").find("altitude unit must be m or ft"), std::string::npos);
    EXPECT_NE(msg("time=t,lat=a,lon=b,speed=v:mph").find("speed unit must be mps, kt or kmh"), std::string::npos);
    EXPECT_NE(msg("time=t,lat=a").find("must map time, lat and lon"), std::string::npos);
    EXPECT_NE(msg("time=t,lat=a,lon=b,colour=red").find("unknown key"), std::string::npos);
    EXPECT_NE(msg("time=#0,lat=a,lon=b").find("'#N' needs a column number"), std::string::npos);
    EXPECT_NE(msg("time=t,lat=#2,lon=#3,header=no").find("with header=no every column must be '#N'"), std::string::npos);
}

TEST(GenericCsv, EpochMillisFeetKnotsSemicolon) {
    const auto r = load_test_file("valid/text/generic_epoch_ms.csv", io::Format::generic_csv,
                                  "time=ts:epoch_ms,lat=latitude,lon=longitude,alt=alt_ft:ft,speed=gs:kt,track=hdg,"
                                  "callsign=flight,icao24=hex,sep=semicolon");
    ASSERT_EQ(r.tracks.size(), 1u) << all_diagnostics(r);
    const auto& t = r.tracks[0];
    EXPECT_EQ(t.aircraft.icao24, "4b1805");  // 0x prefix removed, lower-cased
    EXPECT_EQ(t.aircraft.callsign, "SWR1");
    ASSERT_EQ(t.points.size(), 2u);
    EXPECT_EQ(format_iso8601(t.points[1].time(), true), "2021-08-17T12:00:10.500Z");
    EXPECT_NEAR(t.points[0].altitude()->m(), 304.8, 1e-3);
    EXPECT_NEAR(t.points[0].ground_speed()->kt(), 120.0, 1e-3);
    EXPECT_NEAR(t.points[1].track()->deg(), 95.0, 1e-4);
}

TEST(GenericCsv, EpochSecondsKmh) {
    const auto r = load_test_file("valid/text/generic_epoch_s.csv", io::Format::generic_csv, "time=epoch,lat=y,lon=x,speed=kmh:kmh");
    ASSERT_EQ(r.tracks.size(), 1u) << all_diagnostics(r);
    EXPECT_EQ(format_iso8601(r.tracks[0].points[0].time()), "2021-08-17T12:00:00Z");
    EXPECT_NEAR(r.tracks[0].points[0].ground_speed()->mps(), 100.0, 1e-4);
}

TEST(GenericCsv, Iso8601AndMetres) {
    const auto r = load_test_file("valid/text/generic_iso.csv", io::Format::generic_csv, "time=WHEN:iso8601,lat=lat,lon=lon,alt=alt");
    ASSERT_EQ(r.tracks.size(), 1u) << all_diagnostics(r);
    EXPECT_EQ(format_iso8601(r.tracks[0].points[1].time(), true), "2021-08-17T12:00:10.250Z");
    EXPECT_NEAR(r.tracks[0].points[1].altitude()->m(), 310.0, 1e-3);
}

TEST(GenericCsv, PatternWithoutHeaderCrlf) {
    const auto r = load_test_file("valid/text/generic_pattern_noheader.csv", io::Format::generic_csv,
                                  "time=#1:%d/%m/%Y %H:%M:%S,lat=#2,lon=#3,alt=#4:m,sep=|,header=no");
    ASSERT_EQ(r.tracks.size(), 1u) << all_diagnostics(r);
    ASSERT_EQ(r.tracks[0].points.size(), 2u);
    EXPECT_EQ(format_iso8601(r.tracks[0].points[1].time()), "2021-08-17T12:00:30Z");
    EXPECT_NEAR(r.tracks[0].points[1].altitude()->m(), 250.0, 1e-3);
}

TEST(GenericCsv, TimePatternParser) {
    EXPECT_EQ(format_iso8601(*io::parse_time_pattern("17-Aug-21 12:00:01.5", "%d-%b-%y %H:%M:%S.%f"), true), "2021-08-17T12:00:01.500Z");
    EXPECT_EQ(format_iso8601(*io::parse_time_pattern("2024-01-02 07:41:03Z.515", "%Y-%m-%d %H:%M:%SZ.%f"), true),
              "2024-01-02T07:41:03.515Z");
    EXPECT_FALSE(io::parse_time_pattern("2021-02-30 00:00:00", "%Y-%m-%d %H:%M:%S"));
    EXPECT_FALSE(io::parse_time_pattern("2021-02-03 00:00:00 extra", "%Y-%m-%d %H:%M:%S"));
}

TEST(GenericCsv, Fr24GranularCsvIsNamedAndLoadsThroughTheSuggestedMapping) {
    const auto path = shared_data("xoolive-traffic/fr24_csv/JL516_Flightradar24_ADS-B_data_granular.csv");
    FR_REQUIRE_SHARED(path);
    std::string msg;
    try {
        io::load_file(path);
    } catch (const IoError& e) {
        msg = e.what();
    }
    EXPECT_TRUE(error_names(msg, "JL516_Flightradar24_ADS-B_data_granular.csv", 1, "Flightradar24 \"granular\" ADS-B CSV"));
    EXPECT_NE(msg.find("network_time,receiver_time,hex,callsign"), std::string::npos) << msg;
    // The mapping the message suggests reads the file.
    const std::string key = setting_text("csv_columns") + " '";  // 'csv_columns' here; --csv-columns from the command line
    const auto q1 = msg.find(key), q2 = msg.rfind('\'');
    ASSERT_NE(q1, std::string::npos) << msg;
    io::LoadOptions opt;
    opt.format = io::Format::generic_csv;
    opt.csv_columns = msg.substr(q1 + key.size(), q2 - q1 - key.size());
    const auto r = io::load_file(path, opt);
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].aircraft.icao24, "8467d8");
    EXPECT_EQ(r.tracks[0].aircraft.callsign, "JAL516");
    EXPECT_GT(r.tracks[0].points.size(), 10000u);
    EXPECT_EQ(format_iso8601(r.tracks[0].points.front().time()), "2024-01-02T07:41:03Z");
    EXPECT_NEAR(r.tracks[0].points.front().altitude()->ft(), 26650.0, 0.01);
}

TEST(GenericCsvInvalid, NegativeTime) {
    const auto r = load_test_file("invalid/text/generic_negative_time.csv", io::Format::generic_csv, "time=ts,lat=lat,lon=lon");
    EXPECT_TRUE(has_diagnostic(r, "generic_negative_time.csv", 2, "time '-5' is outside 1990..2100"));
    ASSERT_EQ(r.tracks.size(), 1u);
    // The same file read as milliseconds has no plausible time at all.
    const auto msg = load_error("invalid/text/generic_negative_time.csv", io::Format::generic_csv, "time=ts:epoch_ms,lat=lat,lon=lon");
    EXPECT_TRUE(error_names(msg, "generic_negative_time.csv", 2, "no usable track point"));
}

TEST(GenericCsvInvalid, PatternMismatch) {
    const auto r = load_test_file("invalid/text/generic_bad_pattern.csv", io::Format::generic_csv,
                                  "time=when:%d/%m/%Y %H:%M:%S,lat=lat,lon=lon,sep=semicolon");
    EXPECT_TRUE(has_diagnostic(r, "generic_bad_pattern.csv", 2, "time '2021-08-17 12:00:00' is not the pattern '%d/%m/%Y %H:%M:%S'"));
    EXPECT_EQ(r.tracks.at(0).points.size(), 1u);
}

TEST(GenericCsvInvalid, MissingColumn) {
    const auto msg = load_error("invalid/text/generic_missing_column.csv", io::Format::generic_csv, "time=ts,lat=latitude,lon=longitude");
    EXPECT_TRUE(error_names(msg, "generic_missing_column.csv", 1, "lon column 'longitude' is not in the header"));
    // The header's fields are counted, not shown: a file named by mistake may hold anything.
    EXPECT_NE(msg.find("(the header line has 3 fields; file not read)"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("lng"), std::string::npos) << msg;
}

TEST(GenericCsvInvalid, UnreadableFileBytesStayOutOfTheMessage) {
    const auto r = io::detail::load_generic_csv("creds.csv", "aws_secret_access_key,wJalrXUtnFEMI\n",
                                                GenericCsvMapping::parse("time=ts,lat=lat,lon=lon"));
    const auto msg = all_diagnostics(r);
    EXPECT_TRUE(has_diagnostic(r, "creds.csv", 1, "time column 'ts' is not in the header (the header line has 2 fields"));
    EXPECT_EQ(msg.find("aws_secret"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("wJalr"), std::string::npos) << msg;
}

TEST(GenericCsvInvalid, GranularHeaderIsNamedWithoutItsText) {
    // Only the recognised prefix is named; the rest of the first line is not printed.
    try {
        (void)io::detail::sniff_text_format("g.csv", "network_time,receiver_time,hex,callsign,token=hunter2\n1,2,3,4,5\n");
        ADD_FAILURE() << "no error";
    } catch (const std::exception& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("g.csv:1: Flightradar24 \"granular\" ADS-B CSV (header starting 'network_time,receiver_time,hex,callsign')"),
                  std::string::npos)
            << msg;
        EXPECT_EQ(msg.find("callsign,..."), std::string::npos) << msg;
        EXPECT_EQ(msg.find("hunter2"), std::string::npos) << msg;
    }
}

TEST(GenericCsvInvalid, HugeNumbersAndDuplicates) {
    const auto r =
        load_test_file("invalid/text/generic_huge_dups.csv", io::Format::generic_csv, "time=ts,lat=lat,lon=lon,alt=alt:ft,speed=gs:kt");
    EXPECT_TRUE(has_diagnostic(r, "generic_huge_dups.csv", 2, "alt '1e308' ft is outside"));
    EXPECT_TRUE(has_diagnostic(r, "generic_huge_dups.csv", 3, "speed '99999' is above 1500 kt"));
    EXPECT_TRUE(has_diagnostic(r, "generic_huge_dups.csv", 5, "repeat an earlier timestamp"));
    EXPECT_EQ(r.tracks.at(0).points.size(), 1u);
}

TEST(GenericCsvInvalid, ShortRowAndHugeLine) {
    std::string text = "ts,lat,lon\n1629201600,47.1\n";
    for (int i = 0; i < 5'000'000; ++i) text += "9,";
    text += "9\n1629201610,47.1,8.1\n";
    const auto r = io::detail::load_generic_csv("gen.csv", text, GenericCsvMapping::parse("time=ts,lat=lat,lon=lon"));
    EXPECT_TRUE(has_diagnostic(r, "gen.csv", 2, "row has 2 field(s), the mapping needs 3"));
    EXPECT_TRUE(has_diagnostic(r, "gen.csv", 3, "more than 1024 fields"));
    EXPECT_EQ(r.tracks.at(0).points.size(), 1u);
}

TEST(GenericCsvInvalid, HeaderOnly) {
    const auto msg = load_error("invalid/text/generic_header_only.csv", io::Format::generic_csv, "time=ts,lat=lat,lon=lon");
    EXPECT_TRUE(error_names(msg, "generic_header_only.csv", 1, "header only: no data rows after the header"));
}
