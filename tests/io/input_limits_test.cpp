// Reading inputs within bounds: multi-member gzip, the per-file cap (files, devices, gzip),
// decompression bombs, deeply nested XML, directory walks over loops and bad links, and
// messages that quote no raw bytes of an unrecognised file.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "core/diagnostic.hpp"
#include "core/error.hpp"
#include "export/temp_dir.hpp"
#include "io/loader.hpp"
#include "io/text/input_reader.hpp"
#include "io/text/xml_util.hpp"
#include "test_paths.hpp"

namespace fs = std::filesystem;
using namespace fr;

namespace {

/// One gzip member (RFC 1952) holding `data`.
std::string gzip_member(const std::string& data, int level = 6) {
    z_stream zs{};
    EXPECT_EQ(deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
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

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}
void spit(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

std::string message_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no exception)";
}

const std::string kTrack = std::string(FR_TEST_DATA) + "/valid/fr24/seven_columns.csv";

}  // namespace

TEST(InputLimits, MultiMemberGzipReadsEveryMember) {
    EXPECT_EQ(io::gunzip_all("t", gzip_member("first\n") + gzip_member("second\n") + gzip_member("third\n")), "first\nsecond\nthird\n");
    // A track split across two members loads exactly as the plain file.
    fr::test::TempDir d;
    const std::string text = slurp(kTrack);
    const auto cut = text.find('\n', text.size() / 2) + 1;
    spit(d.path() / "split.csv.gz", gzip_member(text.substr(0, cut)) + gzip_member(text.substr(cut)));
    const auto plain = io::load_file(kTrack), split = io::load_file(d.path() / "split.csv.gz");
    ASSERT_EQ(split.tracks.size(), plain.tracks.size());
    EXPECT_EQ(split.tracks[0].points.size(), plain.tracks[0].points.size());
    EXPECT_EQ(split.rows_read, plain.rows_read);
}

TEST(InputLimits, GzipTrailingBytes) {
    EXPECT_EQ(io::gunzip_all("t", gzip_member("a\n") + std::string(512, '\0')), "a\n");  // tape padding
    const auto msg = message_of([] { io::gunzip_all("t.gz", gzip_member("a\n") + "junk"); });
    EXPECT_NE(msg.find("4 byte(s) after gzip member 1"), std::string::npos) << msg;
    const std::string whole = gzip_member(std::string(10000, 'x'));
    const auto cut = message_of([&] { io::gunzip_all("t.gz", whole.substr(0, whole.size() / 2)); });
    EXPECT_NE(cut.find("truncated"), std::string::npos) << cut;
}

TEST(InputLimits, DecompressedBytesAreCapped) {
    const std::string member = gzip_member(std::string(3 << 20, 'a'));
    const auto msg = message_of([&] { io::gunzip_all("big.gz", member, 1 << 20); });
    EXPECT_NE(msg.find("big.gz: decompressed to more than 1 MiB"), std::string::npos) << msg;
    EXPECT_EQ(io::gunzip_all("big.gz", member, 4 << 20).size(), 3u << 20);
}

TEST(InputLimits, DecompressionBombIsRefusedEarly) {
    // 100 MiB of zeros deflate ~1000:1: past 64 MiB at over 200:1 it is a bomb, whatever the cap.
    const std::string bomb = gzip_member(std::string(100 << 20, '\0'), 9);
    ASSERT_LT(bomb.size(), 200u << 10);
    const auto msg = message_of([&] { io::gunzip_all("bomb.gz", bomb); });
    EXPECT_NE(msg.find("decompression bomb"), std::string::npos) << msg;
    // Below 64 MiB the ratio is not checked.
    EXPECT_EQ(io::gunzip_all("small.gz", gzip_member(std::string(32 << 20, '\0'), 9)).size(), 32u << 20);
}

TEST(InputLimits, FilesAndDevicesAreCapped) {
    fr::test::TempDir d;
    spit(d.path() / "big.csv", std::string(2 << 20, 'x'));
    auto msg = message_of([&] { io::read_input(d.path() / "big.csv", 1 << 20); });
    EXPECT_NE(msg.find("the file is 2097152 bytes, more than 1 MiB"), std::string::npos) << msg;
    msg = message_of([] { io::read_input("/dev/zero", 1 << 20); });
    EXPECT_NE(msg.find("/dev/zero: stopped reading at more than 1 MiB"), std::string::npos) << msg;
    io::LoadOptions opt;
    opt.max_input_bytes = 100;
    msg = message_of([&] { io::load_file(kTrack, opt); });
    EXPECT_NE(msg.find("more than 100 bytes"), std::string::npos) << msg;
}

TEST(InputLimits, HashIsOfTheBytesRead) {
    const auto in = io::read_input(kTrack);
    EXPECT_EQ(in.raw_bytes, fs::file_size(kTrack));
    EXPECT_EQ(in.sha256.size(), 64u);
    const auto r = io::load_file(kTrack);
    ASSERT_EQ(r.inputs.size(), 1u);
    EXPECT_EQ(r.inputs[0].sha256, in.sha256);
    // SHA-256 of "abc" (FIPS 180-2, appendix B.1).
    fr::test::TempDir d;
    spit(d.path() / "abc", "abc");
    EXPECT_EQ(io::read_input(d.path() / "abc").sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(InputLimits, ByteSizes) {
    EXPECT_EQ(io::parse_byte_size("2G", "--max-input-bytes"), std::uint64_t{2} << 30);
    EXPECT_EQ(io::parse_byte_size("512m", "--max-input-bytes"), std::uint64_t{512} << 20);
    EXPECT_EQ(io::parse_byte_size("1000", "--max-input-bytes"), 1000u);
    EXPECT_THROW(io::parse_byte_size("0", "--max-input-bytes"), UsageError);
    EXPECT_THROW(io::parse_byte_size("2X", "--max-input-bytes"), UsageError);
    EXPECT_THROW(io::parse_byte_size("-1", "--max-input-bytes"), UsageError);
    EXPECT_THROW(io::parse_byte_size("99999999999999999999", "--max-input-bytes"), UsageError);
    EXPECT_THROW(io::parse_byte_size("99999999999T", "--max-input-bytes"), UsageError);
}

TEST(InputLimits, DeeplyNestedXmlIsRefusedWithoutCrashing) {
    // 400,000 nested elements (1.2 MB): used to overflow the stack in the tree's destructor.
    std::string gpx = "<gpx>";
    for (int i = 0; i < 400000; ++i) gpx += "<a>";
    const auto doc = io::detail::parse_xml(gpx);
    EXPECT_NE(doc.error.find("nested deeper than 256"), std::string::npos) << doc.error;
    EXPECT_EQ(doc.error_line, 1u);
    fr::test::TempDir d;
    spit(d.path() / "deep.gpx", "<?xml version=\"1.0\"?>\n" + gpx);
    const auto msg = message_of([&] { io::load_file(d.path() / "deep.gpx"); });
    EXPECT_NE(msg.find("deep.gpx:2:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("nested deeper than 256"), std::string::npos) << msg;
    std::string kml = "<kml xmlns=\"http://www.opengis.net/kml/2.2\">";
    for (int i = 0; i < 400000; ++i) kml += "<Folder>";
    spit(d.path() / "deep.kml", kml);
    EXPECT_THROW(io::load_file(d.path() / "deep.kml"), IoError);
    // At the limit a document still parses, and a deep tree is torn down without recursion.
    std::string ok = "<r>";
    for (std::size_t i = 1; i < io::detail::max_xml_depth; ++i) ok += "<a>";
    for (std::size_t i = 1; i < io::detail::max_xml_depth; ++i) ok += "</a>";
    ok += "</r>";
    EXPECT_TRUE(io::detail::parse_xml(ok).error.empty());
    io::detail::XmlElement deep;
    io::detail::XmlElement* at = &deep;
    for (int i = 0; i < 1000000; ++i) {
        at->children.emplace_back();
        at = &at->children.back();
    }
}

TEST(InputLimits, DirectoryWalkSkipsLoopsAndBrokenLinksAndGoesOn) {
    fr::test::TempDir d;
    fs::copy_file(kTrack, d.path() / "b.csv");
    fs::create_symlink("loop", d.path() / "loop");             // ELOOP
    fs::create_symlink("missing.csv", d.path() / "dangling");  // ENOENT
    fs::create_directory(d.path() / "sub");
    fs::create_directory_symlink("..", d.path() / "sub" / "up");  // a cycle if followed
    fs::copy_file(kTrack, d.path() / "sub" / "c.csv");
    const auto r = io::load_paths({d.path()});
    EXPECT_EQ(r.inputs.size(), 2u);
    std::string all;
    for (const auto& dg : r.diagnostics.items()) all += format(dg) + "\n";
    EXPECT_NE(all.find((d.path() / "loop").string()), std::string::npos) << all;
    EXPECT_NE(all.find((d.path() / "dangling").string()), std::string::npos) << all;
    if (::geteuid() != 0) {  // root reads any directory
        fs::create_directory(d.path() / "locked");
        fs::permissions(d.path() / "locked", fs::perms::none);
        const auto r2 = io::load_paths({d.path()});
        fs::permissions(d.path() / "locked", fs::perms::owner_all);
        std::string all2;
        for (const auto& dg : r2.diagnostics.items()) all2 += format(dg) + "\n";
        EXPECT_NE(all2.find("locked"), std::string::npos) << all2;
        EXPECT_EQ(r2.inputs.size(), 2u);
    }
}

TEST(InputLimits, UnrecognisedFileMessageQuotesNoBytes) {
    fr::test::TempDir d;
    spit(d.path() / "evil.txt", "\x1b]0;pwned\x07\x1b[31mEVIL,DATA\n");
    const auto msg = message_of([&] { io::load_file(d.path() / "evil.txt"); });
    EXPECT_EQ(msg.find('\x1b'), std::string::npos) << msg;
    EXPECT_EQ(msg.find("EVIL"), std::string::npos) << msg;
    EXPECT_NE(msg.find("byte offset 0"), std::string::npos) << msg;
    EXPECT_NE(msg.find("expected an FR24 CSV export"), std::string::npos) << msg;
}

TEST(InputLimits, DirectoryIsReadOnce) {
    // Detection and loading share one read: the provenance lists each file once.
    fr::test::TempDir d;
    fs::copy_file(kTrack, d.path() / "a.csv");
    spit(d.path() / "notes.dat", "not a track\n");
    const auto r = io::load_paths({d.path()});
    ASSERT_EQ(r.inputs.size(), 1u);
    EXPECT_EQ(r.inputs[0].sha256, io::read_input(kTrack).sha256);
}

TEST(InputLimits, TruncatedJsonKeepsTheRecordsBeforeTheCut) {
    // FR24 playback JSON cut in the middle of its track, as a broken download leaves it.
    const std::string whole = slurp(std::string(FR_TEST_DATA) + "/valid/json/fr24_small.json");
    const auto full = io::detail::load_fr24_json("fr24.json", whole);
    ASSERT_FALSE(full.tracks.empty());
    const std::size_t n = full.tracks[0].points.size();
    ASSERT_GE(n, 3u);
    const auto track = whole.find("\"track\"");
    ASSERT_NE(track, std::string::npos);
    // Cut inside the last point object: every point before it survives.
    const auto last_point = whole.rfind("{", whole.rfind("timestamp"));
    const std::string cut = whole.substr(0, last_point + 10);
    const auto r = io::detail::load_fr24_json("fr24-cut.json", cut);
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].points.size(), n - 1);
    ASSERT_FALSE(r.diagnostics.empty());
    const std::string msg = format(r.diagnostics.items().front());
    EXPECT_NE(msg.find("fr24-cut.json:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("warning: the file ends inside an unfinished value at byte " + std::to_string(cut.size())), std::string::npos)
        << msg;
    // readsb: the trace cut inside a row keeps the rows before it (not a short row).
    const std::string readsb =
        "{\"icao\":\"abc123\",\"timestamp\":1700000000,\n\"trace\":[\n[0,10,20,1000,100,45,0,0,null],\n"
        "[5,10.01,20.01,1100,100,45,0,0,null],\n[9,10.02,20.";
    const auto rr = io::detail::load_readsb("readsb-cut.json", readsb);
    ASSERT_EQ(rr.tracks.size(), 1u) << [&] {
        std::string a;
        for (const auto& d : rr.diagnostics.items()) a += format(d) + "\n";
        return a;
    }();
    EXPECT_EQ(rr.tracks[0].points.size(), 2u);
    EXPECT_EQ(rr.rows_skipped, 0u);
    // Damage in the middle (not a cut) still skips the file.
    const auto bad = io::detail::load_fr24_json("bad.json", whole.substr(0, last_point) + "]]" + whole.substr(last_point));
    EXPECT_TRUE(bad.tracks.empty());
}

TEST(InputLimits, IgcExtensionWiderThanAnIntIsIgnored) {
    // An I record may declare a 64-byte extension; its digits once overflowed `int` (undefined
    // behaviour; in practice it wrapped, here to 90, and became a 90 degree track).
    const std::string wide = "1" + std::string(61, '0') + "90";
    ASSERT_EQ(wide.size(), 64u);
    const std::string igc =
        "AXXX001 test logger\nHFDTEDATE:311221,01\nI013699TRT\n"
        "B1200004700000N00800000EA0100001050" +
        wide +
        "\n"
        "B1200104700100N00800100EA0100201052" +
        std::string(61, '0') + "045\n";
    const auto r = io::detail::load_igc("wide.igc", igc);
    ASSERT_EQ(r.tracks.size(), 1u);
    ASSERT_EQ(r.tracks[0].points.size(), 2u);
    EXPECT_FALSE(r.tracks[0].points[0].track().has_value());
    ASSERT_TRUE(r.tracks[0].points[1].track().has_value());         // a wide field that fits is read
    EXPECT_NEAR(r.tracks[0].points[1].track()->deg(), 45.0, 1e-9);  // degrees
}

TEST(InputLimits, MessagesEscapeControlCharacters) {
    EXPECT_EQ(escape_control("AB\x1b]0;x\x07\x1b[2J"), "AB\\x1b]0;x\\x07\\x1b[2J");
    EXPECT_EQ(escape_control(std::string("a\0b", 3)), "a\\x00b");  // not cut at the NUL
    EXPECT_EQ(escape_control("line\nnext\ttab"), "line\\x0anext\\ttab");
    EXPECT_EQ(escape_control("line\nnext\ttab", /*keep_newlines=*/true), "line\nnext\ttab");
    EXPECT_EQ(escape_control("Z\xc2\x9b"
                             "2J"),
              "Z\\u009b2J");  // C1 CSI
    EXPECT_EQ(escape_control("a\xe2\x80\xae"
                             "b"),
              "a\\u202eb");                                                                   // right-to-left override
    EXPECT_EQ(escape_control("M\xc3\xbcnchen \xe2\x9c\x88"), "M\xc3\xbcnchen \xe2\x9c\x88");  // UTF-8 kept
    EXPECT_EQ(escape_control("\xff\xc3"), "\\xff\\xc3");                                      // not UTF-8
    Diagnostic d{"evil\x1b.csv", 3, 4, Severity::warning, "callsign '\x1b[31mX' is odd", {}};
    EXPECT_EQ(format(d), "flightreplay: evil\\x1b.csv:3:4: warning: callsign '\\x1b[31mX' is odd");
}
