#include <gtest/gtest.h>

#include "core/error.hpp"
#include "io/loader.hpp"
#include "text_loader_test_util.hpp"

using namespace fr;
using namespace fr::test;

TEST(Acmi, ObjectsPartialUpdatesRemovalAndEscapes) {
    const auto r = load_test_file("valid/text/objects.acmi");
    EXPECT_EQ(r.format, io::Format::acmi);
    // a1 (removed, then a new a1), c3; the ground vehicle b2 is not a track.
    ASSERT_EQ(r.tracks.size(), 3u) << all_diagnostics(r);
    const auto& a1 = r.tracks[0];
    EXPECT_EQ(a1.aircraft.callsign, "HBABC");
    EXPECT_EQ(a1.aircraft.registration, "HB-ABC");
    EXPECT_EQ(a1.aircraft.type, "C172");
    ASSERT_EQ(a1.points.size(), 3u);
    EXPECT_EQ(format_iso8601(a1.points[0].time()), "2021-08-17T12:00:00Z");
    EXPECT_EQ(format_iso8601(a1.points[1].time(), true), "2021-08-17T12:00:10.500Z");
    EXPECT_NEAR(a1.points[0].lon_deg(), 8.5, 1e-9);    // ReferenceLongitude + 0.5
    EXPECT_NEAR(a1.points[0].lat_deg(), 47.25, 1e-9);  // ReferenceLatitude + 0.25
    EXPECT_NEAR(a1.points[1].lat_deg(), 47.25, 1e-9);  // empty field: unchanged
    EXPECT_NEAR(a1.points[1].lon_deg(), 8.51, 1e-9);
    EXPECT_NEAR(a1.points[1].altitude()->m(), 1010.0, 1e-3);
    const auto& c3 = r.tracks[1];
    EXPECT_EQ(c3.aircraft.callsign, "REGA,1");  // \, escape
    ASSERT_EQ(c3.points.size(), 2u);
    EXPECT_NEAR(c3.points[0].track()->deg(), 90.0, 1e-9);   // yaw (6-field form)
    EXPECT_NEAR(c3.points[1].track()->deg(), 180.0, 1e-9);  // heading (9-field form)
    EXPECT_NEAR(c3.points[1].lon_deg(), 8.6, 1e-9);         // lon unchanged
    const auto& a1b = r.tracks[2];
    EXPECT_EQ(a1b.aircraft.callsign, "HBXYZ");
    ASSERT_EQ(a1b.points.size(), 1u);
    EXPECT_EQ(format_iso8601(a1b.points[0].time()), "2021-08-17T12:00:30Z");
    EXPECT_TRUE(r.diagnostics.empty()) << all_diagnostics(r);
}

TEST(AcmiInvalid, NoHeader) {
    const auto msg = load_error("invalid/text/acmi_no_header.acmi", io::Format::acmi);
    EXPECT_TRUE(error_names(msg, "acmi_no_header.acmi", 1, "missing ACMI header: first line must be 'FileType=text/acmi/tacview'"));
}

TEST(AcmiInvalid, HeaderMessageShowsNoBytesOfTheFile) {
    // A file forced to ACMI that is not one (a credentials file named by mistake): the message says
    // what was expected and where, never the line itself.
    const auto r = io::detail::load_acmi("creds.acmi", "password=hunter2\nuser=me\n");
    EXPECT_TRUE(has_diagnostic(r, "creds.acmi", 1, "found a line (byte offset 0) that does not start with 'FileType='"));
    EXPECT_EQ(all_diagnostics(r).find("hunter2"), std::string::npos) << all_diagnostics(r);
}

TEST(AcmiInvalid, BadTransforms) {
    const auto r = load_test_file("invalid/text/acmi_bad_t.acmi");
    EXPECT_TRUE(has_diagnostic(r, "acmi_bad_t.acmi", 5, "T= has 4 fields, expected 3, 5, 6 or 9"));
    EXPECT_TRUE(has_diagnostic(r, "acmi_bad_t.acmi", 6, "T= field 2 'abc' is not a number"));
    EXPECT_TRUE(has_diagnostic(r, "acmi_bad_t.acmi", 8, "object id 'zz!' is not hexadecimal"));
    EXPECT_TRUE(has_diagnostic(r, "acmi_bad_t.acmi", 10, "T= field 3 '1e400' is not a number"));
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].points.size(), 1u);
}

TEST(AcmiInvalid, NoReferenceTime) {
    const auto msg = load_error("invalid/text/acmi_no_reftime.acmi");
    EXPECT_TRUE(error_names(msg, "acmi_no_reftime.acmi", 3, "no '0,ReferenceTime=...'"));
}

TEST(AcmiInvalid, ZipCompressedButNotAZip) {
    // Only the 4-byte zip signature and junk.
    const auto msg = load_error("invalid/text/acmi_zipped.acmi");
    EXPECT_TRUE(error_names(msg, "acmi_zipped.acmi", 1, "zip-compressed ACMI: "));
    const auto cut = load_error("invalid/text/acmi_zip_truncated.zip.acmi");
    EXPECT_TRUE(error_names(cut, "acmi_zip_truncated.zip.acmi", 1, "zip-compressed ACMI: ")) << cut;
}

TEST(Acmi, ZippedWithBomReadsAsThePlainFile) {
    // objects.zip.acmi: objects.acmi with a UTF-8 BOM, deflated in a zip (as Tacview saves).
    const auto zipped = load_test_file("valid/text/objects.zip.acmi");
    const auto plain = load_test_file("valid/text/objects.acmi");
    EXPECT_EQ(zipped.format, io::Format::acmi);
    ASSERT_EQ(zipped.tracks.size(), plain.tracks.size());
    ASSERT_FALSE(plain.tracks.empty());
    for (std::size_t i = 0; i < plain.tracks.size(); ++i) {
        ASSERT_EQ(zipped.tracks[i].points.size(), plain.tracks[i].points.size());
        for (std::size_t k = 0; k < plain.tracks[i].points.size(); ++k) {
            EXPECT_EQ(zipped.tracks[i].points[k].time(), plain.tracks[i].points[k].time());
            EXPECT_EQ(zipped.tracks[i].points[k].lat_deg(), plain.tracks[i].points[k].lat_deg());  // same text, same parse
        }
    }
    EXPECT_EQ(zipped.diagnostics.size(), plain.diagnostics.size());
}

TEST(AcmiInvalid, ZippedMemberOverTheInputCapIsNotExpanded) {
    // objects.zip.acmi is 475 bytes; its member objects.txt.acmi is 542 bytes once inflated. A
    // cap of 500 bytes (--max-input-bytes) lets the file be read and stops the member.
    io::LoadOptions opt;
    opt.max_input_bytes = 500;
    std::string msg;
    try {
        io::load_file(test_data("valid/text/objects.zip.acmi"), opt);
    } catch (const IoError& e) {
        msg = e.what();
    }
    EXPECT_TRUE(
        error_names(msg, "objects.zip.acmi", 1,
                    "zip-compressed ACMI: member 'objects.txt.acmi' decompressed to more than 500 bytes (the 'max_input_bytes' cap"))
        << msg;
    opt.max_input_bytes = 542;  // exactly the member: read
    const auto r = io::load_file(test_data("valid/text/objects.zip.acmi"), opt);
    EXPECT_EQ(r.tracks.size(), 3u) << all_diagnostics(r);
}

TEST(AcmiInvalid, OutOfRangeAndPartialFirstUpdate) {
    const auto r = io::detail::load_acmi("acmi_out_of_range.acmi", read_test_file("invalid/text/acmi_out_of_range.acmi"));
    EXPECT_TRUE(has_diagnostic(r, "acmi_out_of_range.acmi", 6, "has no position yet"));
    EXPECT_TRUE(has_diagnostic(r, "acmi_out_of_range.acmi", 8, "out of range"));
    EXPECT_TRUE(r.tracks.empty());
    const auto msg = load_error("invalid/text/acmi_out_of_range.acmi");
    EXPECT_TRUE(error_names(msg, "acmi_out_of_range.acmi", 6, "no usable track point"));
}
