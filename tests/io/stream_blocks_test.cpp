// Line-oriented formats (SBS-1, jet1090, OpenSky CSV, FR24 CSV, fr24 playback CSV, the generic
// CSV) are parsed while the file is read, in blocks of whole lines. Read in blocks of a few
// bytes, every valid and broken test file must give exactly what the parser gives on the whole
// text (points bit for bit, diagnostics with file:line:column, counts); and the places where
// chunking goes wrong are checked one by one: a line across reads, CRLF split between reads,
// gzip members that end mid-line, no final newline, a quoted CSV field holding a newline across
// a block, and the line number of a diagnostic after many blocks.
#include <gtest/gtest.h>

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/error.hpp"
#include "export/temp_dir.hpp"
#include "io/formats/generic_csv.hpp"
#include "io/loader.hpp"
#include "test_files.hpp"
#include "test_paths.hpp"

namespace fs = std::filesystem;
using namespace fr;

namespace {

std::string gzip_member(const std::string& data) {
    z_stream zs{};
    EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
    std::string out(deflateBound(&zs, data.size()) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

void spit(const fs::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary);
    out << bytes;
}

using WholeLoader = std::function<io::LoadResult(const std::string&, std::string_view)>;

/// The whole-text parser of each streamed format (what load_file must reproduce).
WholeLoader whole_loader(io::Format f) {
    switch (f) {
        case io::Format::sbs: return [](const std::string& n, std::string_view t) { return io::detail::load_sbs(n, t); };
        case io::Format::jet1090: return io::detail::load_jet1090;
        case io::Format::opensky_csv: return io::detail::load_opensky_csv;
        case io::Format::fr24_csv: return io::detail::load_fr24_csv;
        default: return io::detail::load_fr24_playback_csv;
    }
}

io::LoadResult load_blocks(const fs::path& p, std::size_t block, io::Format f = io::Format::automatic) {
    io::LoadOptions opt;
    opt.stream_block_bytes = block;
    opt.format = f;
    return io::load_file(p, opt);
}

/// Loads `path` in blocks of many sizes and compares each result with the whole-text parser
/// on `text` (the file's content, decompressed).
void expect_blocks_agree(const fs::path& path, const std::string& text, io::Format f) {
    auto whole = whole_loader(f)(path.string(), text);
    for (std::size_t block : {1u, 2u, 3u, 5u, 7u, 16u, 61u, 100u, 4096u, 4u << 20}) {
        SCOPED_TRACE(path.filename().string() + ", blocks of " + std::to_string(block) + " bytes");
        io::LoadResult streamed;
        try {
            streamed = load_blocks(path, block, f);
        } catch (const IoError& e) {
            // A file without usable points fails as a whole; the whole-text parser says why.
            EXPECT_TRUE(std::none_of(whole.tracks.begin(), whole.tracks.end(), [](const Track& t) { return !t.points.empty(); }))
                << e.what();
            continue;
        }
        // load_file adds the input, provenance and source; the parser's own output must match.
        streamed.inputs.clear();
        EXPECT_EQ(io::detail::first_difference(streamed, whole), "");
        EXPECT_EQ(streamed.format, f);
    }
}

struct Sample {
    const char* file;
    io::Format format;
};

const Sample samples[] = {
    {"valid/receivers/basestation_30003.sbs", io::Format::sbs},
    {"invalid/receivers/basestation_bad.sbs", io::Format::sbs},
    {"valid/receivers/jet1090_toulouse.jsonl", io::Format::jet1090},
    {"invalid/receivers/jet1090_bad.jsonl", io::Format::jet1090},
    {"valid/text/opensky_states.csv", io::Format::opensky_csv},
    {"invalid/text/opensky_bad_values.csv", io::Format::opensky_csv},
    {"invalid/text/opensky_header_only.csv", io::Format::opensky_csv},
    {"invalid/text/opensky_swapped.csv", io::Format::opensky_csv},
    {"valid/fr24/seven_columns.csv", io::Format::fr24_csv},
    {"valid/fr24/six_columns.csv", io::Format::fr24_csv},
    {"valid/fr24/bom_crlf.csv", io::Format::fr24_csv},
    {"invalid/fr24/reversed_and_duplicated.csv", io::Format::fr24_csv},
    {"invalid/fr24/short_row.csv", io::Format::fr24_csv},
    {"invalid/fr24/truncated.csv", io::Format::fr24_csv},
    {"invalid/fr24/utc_disagrees.csv", io::Format::fr24_csv},
    {"invalid/fr24/nan_and_huge.csv", io::Format::fr24_csv},
    {"invalid/fr24/wrong_header.csv", io::Format::fr24_csv},
    {"valid/text/fr24_playback_3376ab31.csv", io::Format::fr24_playback_csv},
    {"invalid/text/fr24_playback_bad.csv", io::Format::fr24_playback_csv},
};

/// An SBS-1 recording of `n` positions of one aircraft, one a second.
std::string sbs_lines(int n, const char* eol = "\n") {
    std::string s;
    char buf[200];
    for (int i = 0; i < n; ++i) {
        std::snprintf(buf, sizeof buf,
                      "MSG,3,1,1,4CA7B4,1,2023/11/14,22:%02d:%02d.000,2023/11/14,22:%02d:%02d.000,,35000,,,%.4f,%.4f,,,0,,0,0%s", i / 60,
                      i % 60, i / 60, i % 60, 45.0 + i * 0.001, 1.0 + i * 0.001, eol);
        s += buf;
    }
    return s;
}

}  // namespace

TEST(StreamBlocks, EveryTestFileGivesTheWholeTextResultAtAnyBlockSize) {
    for (const auto& s : samples) {
        const fs::path p = fr::test::test_data(s.file);
        ASSERT_TRUE(fs::exists(p)) << p;
        const std::string text = fr::test::file_bytes(p);
        // Detected from the head of the file (files with no usable point fail as a whole; a
        // wrong header is not recognised at all).
        if (std::string(s.file).find("wrong_header") == std::string::npos) try {
                EXPECT_EQ(load_blocks(p, 7, io::Format::automatic).format, s.format) << s.file;
            } catch (const IoError& e) {
                EXPECT_NE(std::string(e.what()).find("no usable track point"), std::string::npos) << e.what();
            }
        expect_blocks_agree(p, text, s.format);
    }
}

TEST(StreamBlocks, RealRecordingGivesTheWholeTextResult) {
    const fs::path p = fr::test::shared_data("xoolive-traffic/fr24_csv/JL516_3376ab31.csv");
    FR_REQUIRE_SHARED(p);
    const std::string text = fr::test::file_bytes(p);
    const auto whole = io::detail::load_fr24_csv(p.string(), text);
    ASSERT_EQ(whole.tracks.size(), 1u);
    for (std::size_t block : {97u, 4096u}) {
        auto streamed = load_blocks(p, block);
        streamed.inputs.clear();
        EXPECT_EQ(io::detail::first_difference(streamed, whole), "") << p << " in blocks of " << block;
    }
}

TEST(StreamBlocks, LineAcrossReadsAndNoFinalNewline) {
    fr::test::TempDir d;
    std::string text = sbs_lines(50);
    text.pop_back();  // the last line has no '\n'
    const fs::path p = d.path() / "no_final_newline.sbs";
    spit(p, text);
    for (std::size_t block : {1u, 13u, 99u, 150u, 1000u}) {  // lines are ~100 bytes: cuts inside lines
        const auto r = load_blocks(p, block);
        ASSERT_EQ(r.tracks.size(), 1u) << block;
        EXPECT_EQ(r.tracks[0].points.size(), 50u) << "blocks of " << block << ": the last line (no newline) is read too";
        EXPECT_NEAR(r.tracks[0].points.back().lat_deg(), 45.049, 1e-9) << "degrees";
        EXPECT_EQ(r.rows_read, 50u);
        EXPECT_EQ(r.rows_skipped, 0u);
    }
    expect_blocks_agree(p, text, io::Format::sbs);
}

TEST(StreamBlocks, CrlfSplitBetweenReads) {
    fr::test::TempDir d;
    const std::string text = sbs_lines(20, "\r\n");
    const fs::path p = d.path() / "crlf.sbs";
    spit(p, text);
    const std::size_t cr = text.find('\r');
    // Blocks that end on the '\r' of a CRLF (the '\n' comes with the next read).
    for (std::size_t block : {cr + 1, cr, cr + 2, std::size_t{1}}) {
        const auto r = load_blocks(p, block);
        ASSERT_EQ(r.tracks.size(), 1u);
        EXPECT_EQ(r.tracks[0].points.size(), 20u) << "blocks of " << block;
        EXPECT_TRUE(r.diagnostics.items().size() == 1) << "only the time zone note, blocks of " << block << ": "
                                                       << (r.diagnostics.empty() ? "" : format(r.diagnostics.items().back()));
    }
    expect_blocks_agree(p, text, io::Format::sbs);
    // The FR24 CSV with a byte-order mark and CRLF, the same way.
    const fs::path csv = fr::test::test_data("valid/fr24/bom_crlf.csv");
    const std::string t = fr::test::file_bytes(csv);
    ASSERT_NE(t.find("\r\n"), std::string::npos);
    expect_blocks_agree(csv, t, io::Format::fr24_csv);
}

TEST(StreamBlocks, GzipMembersThatEndMidLine) {
    fr::test::TempDir d;
    const std::string text = sbs_lines(60);
    // Three members cut inside lines (not at line ends), as `cat a.gz b.gz c.gz` makes them.
    const std::size_t a = text.size() / 3 + 17, b = 2 * text.size() / 3 + 5;
    ASSERT_NE(text[a - 1], '\n');
    ASSERT_NE(text[b - 1], '\n');
    const fs::path p = d.path() / "members.sbs.gz";
    spit(p, gzip_member(text.substr(0, a)) + gzip_member(text.substr(a, b - a)) + gzip_member(text.substr(b)));
    for (std::size_t block : {1u, 11u, 64u, 4096u}) {
        const auto r = load_blocks(p, block);
        ASSERT_EQ(r.tracks.size(), 1u);
        EXPECT_EQ(r.tracks[0].points.size(), 60u) << "blocks of " << block << ": every member is read";
        ASSERT_EQ(r.inputs.size(), 1u);
        EXPECT_EQ(r.inputs[0].bytes, fs::file_size(p)) << "the hash covers the bytes as read (compressed)";
    }
    expect_blocks_agree(p, text, io::Format::sbs);
    // A corrupt last member is still an error, after the blocks before it were parsed.
    std::string bad = gzip_member(text.substr(0, a)) + gzip_member(text.substr(a));
    bad.resize(bad.size() - 6);
    const fs::path q = d.path() / "cut.sbs.gz";
    spit(q, bad);
    try {
        load_blocks(q, 16);
        ADD_FAILURE() << "a truncated gzip member must fail";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("gzip data is truncated"), std::string::npos) << e.what();
    }
}

TEST(StreamBlocks, DiagnosticLineAfterManyBlocks) {
    fr::test::TempDir d;
    std::string text = sbs_lines(80);
    // Line 57 gets a latitude that is not a number.
    std::size_t at = 0;
    for (int i = 0; i < 56; ++i) at = text.find('\n', at) + 1;
    const std::size_t lat = text.find(",45.", at);
    text.replace(lat + 1, 7, "north!!");
    const fs::path p = d.path() / "bad_line_57.sbs";
    spit(p, text);
    for (std::size_t block : {1u, 100u, 333u, 4096u}) {
        const auto r = load_blocks(p, block);
        bool found = false;
        for (const auto& diag : r.diagnostics.items())
            if (diag.line == 57 && diag.message.find("is not a number pair") != std::string::npos) {
                found = true;
                EXPECT_EQ(diag.column, 1 + (lat + 1 - at)) << "byte column of the latitude, blocks of " << block;
            }
        EXPECT_TRUE(found) << "blocks of " << block;
        ASSERT_EQ(r.tracks.size(), 1u);
        EXPECT_EQ(r.tracks[0].points.size(), 79u);
    }
}

TEST(StreamBlocks, QuotedCsvFieldWithANewlineAcrossABlock) {
    fr::test::TempDir d;
    // FR24 CSV: row 3's Position holds a newline (one record over lines 3-4, skipped); row 6
    // (line 7) has a bad altitude: its line number counts both lines of the quoted record.
    const std::string text =
        "Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction\n"
        "1700000000,2023-11-14T22:13:20Z,JAL516,\"45.000000,1.000000\",35000,450,90\n"
        "1700000010,2023-11-14T22:13:30Z,JAL516,\"45.001000,\n1.001000\",35000,450,90\n"
        "1700000020,2023-11-14T22:13:40Z,JAL516,\"45.002000,1.002000\",35000,450,90\n"
        "1700000030,2023-11-14T22:13:50Z,JAL516,\"45.003000,1.003000\",35000,450,90\n"
        "1700000040,2023-11-14T22:14:00Z,JAL516,\"45.004000,1.004000\",high,450,90\n"
        "1700000050,2023-11-14T22:14:10Z,JAL516,\"45.005000,1.005000\",35000,450,90";
    const fs::path p = d.path() / "quoted_newline.csv";
    spit(p, text);
    const auto whole = io::detail::load_fr24_csv(p.string(), text);
    bool found = false;
    for (const auto& diag : whole.diagnostics.items())
        found = found || (diag.line == 7 && diag.message.find("Altitude 'high'") != std::string::npos);
    ASSERT_TRUE(found) << "the whole-text parser names line 7";
    expect_blocks_agree(p, text, io::Format::fr24_csv);
    // The same for the other CSV formats, with a callsign holding a newline.
    const std::string osky =
        "time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,alert,spi,squawk,baroaltitude,geoaltitude,lastposupdate,"
        "lastcontact\n"
        "1700000000,3c66b0,45.0,1.0,231.5,90.0,0.0,\"DLH\n400\",False,False,False,1000,10668.0,10900.5,1700000000.0,1700000000.9\n"
        "1700000010,3c66b0,45.01,1.01,231.5,90.0,0.0,DLH400,False,False,False,1000,10668.0,10900.5,1700000010.0,1700000010.9\n"
        "1700000020,3c66b0,91.0,1.02,231.5,90.0,0.0,DLH400,False,False,False,1000,10668.0,10900.5,1700000020.0,1700000020.9\n";
    const fs::path q = d.path() / "opensky_quoted.csv";
    spit(q, osky);
    expect_blocks_agree(q, osky, io::Format::opensky_csv);
}

namespace {

/// The generic CSV read through `mapping` in blocks of many sizes: the same result as the
/// whole-text parser on `text` (points bit for bit, diagnostics with file:line:column, counts).
void expect_generic_blocks_agree(const fs::path& path, const std::string& text, const std::string& mapping) {
    const auto whole = io::detail::load_generic_csv(path.string(), text, io::GenericCsvMapping::parse(mapping));
    for (std::size_t block : {1u, 2u, 3u, 5u, 7u, 16u, 61u, 100u, 4096u, 4u << 20}) {
        SCOPED_TRACE(path.filename().string() + ", blocks of " + std::to_string(block) + " bytes");
        io::LoadOptions opt;
        opt.stream_block_bytes = block;
        opt.format = io::Format::generic_csv;
        opt.csv_columns = mapping;
        io::LoadResult streamed;
        try {
            streamed = io::load_file(path, opt);
        } catch (const IoError& e) {
            EXPECT_TRUE(std::none_of(whole.tracks.begin(), whole.tracks.end(), [](const Track& t) { return !t.points.empty(); }))
                << e.what();
            continue;
        }
        streamed.inputs.clear();
        EXPECT_EQ(io::detail::first_difference(streamed, whole), "");
        EXPECT_EQ(streamed.format, io::Format::generic_csv);
    }
}

}  // namespace

TEST(StreamBlocks, GenericCsvTestFilesGiveTheWholeTextResultAtAnyBlockSize) {
    const std::pair<const char*, const char*> files[] = {
        {"valid/text/generic_epoch_ms.csv",
         "time=ts:epoch_ms,lat=latitude,lon=longitude,alt=alt_ft:ft,speed=gs:kt,track=hdg,callsign=flight,icao24=hex,sep=semicolon"},
        {"valid/text/generic_epoch_s.csv", "time=epoch,lat=y,lon=x,speed=kmh:kmh"},
        {"valid/text/generic_iso.csv", "time=WHEN:iso8601,lat=lat,lon=lon,alt=alt"},
        {"valid/text/generic_pattern_noheader.csv", "time=#1:%d/%m/%Y %H:%M:%S,lat=#2,lon=#3,alt=#4:m,sep=|,header=no"},
        {"invalid/text/generic_bad_pattern.csv", "time=when:%d/%m/%Y %H:%M:%S,lat=lat,lon=lon,sep=semicolon"},
        {"invalid/text/generic_header_only.csv", "time=ts,lat=lat,lon=lon"},
        {"invalid/text/generic_huge_dups.csv", "time=ts,lat=lat,lon=lon,alt=alt:ft,speed=gs:kt"},
        {"invalid/text/generic_missing_column.csv", "time=ts,lat=latitude,lon=longitude"},
        {"invalid/text/generic_negative_time.csv", "time=ts,lat=lat,lon=lon"},
        {"invalid/text/generic_negative_time.csv", "time=ts:epoch_ms,lat=lat,lon=lon"},
    };
    for (const auto& [file, mapping] : files) {
        const fs::path p = fr::test::test_data(file);
        ASSERT_TRUE(fs::exists(p)) << p;
        expect_generic_blocks_agree(p, fr::test::file_bytes(p), mapping);
    }
}

TEST(StreamBlocks, GenericCsvOfManyAircraftWithBrokenRowsAcrossBlocks) {
    fr::test::TempDir d;
    // Three aircraft interleaved over 300 rows (CRLF, a byte-order mark), with a latitude that is
    // not a number on line 151, a quoted callsign holding a newline (lines 201-202: one record), a
    // row out of time order and a repeated timestamp: the diagnostics must name the same
    // line:column in any block size, and the points agree bit for bit.
    std::string text = "\xEF\xBB\xBFts;hex;cs;lat;lon;alt\r\n";
    const char* hexes[] = {"0x4B1805", "3c66b0", "A0B1C2"};
    char row[200];
    for (int i = 0; i < 300; ++i) {
        const int line = i + 2;
        const std::string cs = line == 201 ? "\"SWR\r\n1\"" : std::string("CS") + std::to_string(i % 3);
        const long long ts = line == 120 ? 1629201600LL : 1629201600LL + i * 5;  // line 120: back in time
        std::snprintf(row, sizeof row, "%lld;%s;%s;%s;%.4f;%d\r\n", ts, hexes[i % 3], cs.c_str(),
                      line == 151 ? "north" : std::to_string(47.0 + i * 0.001).c_str(), 8.0 + i * 0.001, 1000 + i);
        text += row;
        if (line == 201) ++i;  // the record took two lines: keep the line numbers above right
    }
    const fs::path p = d.path() / "many.csv";
    spit(p, text);
    const std::string mapping = "time=ts,icao24=hex,callsign=cs,lat=lat,lon=lon,alt=alt,sep=semicolon";
    const auto whole = io::detail::load_generic_csv(p.string(), text, io::GenericCsvMapping::parse(mapping));
    ASSERT_EQ(whole.tracks.size(), 3u);
    bool bad_lat = false, out_of_order = false;
    for (const auto& diag : whole.diagnostics.items()) {
        bad_lat =
            bad_lat || (diag.line == 151 && diag.column == 4 && diag.message.find("lat 'north' is not a number") != std::string::npos);
        out_of_order = out_of_order || diag.line == 120;
    }
    EXPECT_TRUE(bad_lat) << "the whole-text parser names line 151, column 4";
    EXPECT_TRUE(out_of_order) << "the whole-text parser names line 120";
    expect_generic_blocks_agree(p, text, mapping);
    // The same text gzip-compressed in two members cut inside a line.
    const std::size_t cut = text.size() / 2 + 3;
    const fs::path gz = d.path() / "many.csv.gz";
    spit(gz, gzip_member(text.substr(0, cut)) + gzip_member(text.substr(cut)));
    expect_generic_blocks_agree(gz, text, mapping);
}
