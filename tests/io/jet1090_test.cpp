// jet1090 JSON-lines loader (src/io/formats/jet1090.cpp).
#include <gtest/gtest.h>

#include "io/loader.hpp"
#include "json_test_support.hpp"
#include "text_loader_test_util.hpp"

using namespace fr;
using fr::test::has_diagnostic;
using fr::test::load_test_file;
using fr::test::test_data;

TEST(Jet1090, AccumulatesSparseMessagesPerAircraft) {
    const auto r = load_test_file("valid/receivers/jet1090_toulouse.jsonl");
    EXPECT_EQ(r.format, io::Format::jet1090);
    EXPECT_TRUE(r.diagnostics.empty()) << fr::test::all_diagnostics(r);
    ASSERT_EQ(r.tracks.size(), 2u);
    const auto& a = r.tracks[0];
    EXPECT_EQ(a.aircraft.icao24, "3461ce");
    ASSERT_EQ(a.points.size(), 1u);
    EXPECT_EQ(format_iso8601(a.points[0].time(), true), "2024-06-06T08:58:39.500Z");
    EXPECT_EQ(a.points[0].on_ground(), OnGround::ground);  // BDS 0,6 surface position
    EXPECT_NEAR(a.points[0].ground_speed()->kt(), 5.0, 1e-4);
    const auto& b = r.tracks[1];
    EXPECT_EQ(b.aircraft.icao24, "4ca7b4");
    EXPECT_EQ(b.aircraft.callsign, "RYR4TX");
    ASSERT_EQ(b.points.size(), 2u);
    EXPECT_NEAR(b.points[0].altitude()->m(), 37000 * 0.3048, 1e-3);
    EXPECT_FALSE(b.points[0].ground_speed()) << "velocity arrives after the first position";
    EXPECT_NEAR(b.points[1].ground_speed()->kt(), 451.0, 1e-3);
    EXPECT_NEAR(b.points[1].track()->deg(), 92.5, 1e-4);
    EXPECT_NEAR(b.points[1].altitude()->m(), 37025 * 0.3048, 1e-3);
    EXPECT_EQ(b.points[1].on_ground(), OnGround::airborne);
}

TEST(Jet1090, BadLinesNameFileLineAndColumn) {
    const auto r = load_test_file("invalid/receivers/jet1090_bad.jsonl");
    const std::string f = "jet1090_bad.jsonl";
    EXPECT_TRUE(has_diagnostic(r, f, 2, "malformed JSON: expected ',' or '}' after an object member"));
    EXPECT_TRUE(has_diagnostic(r, f, 2, f + ":2:92:"));  // the '"' of "latitude" after 37000
    EXPECT_TRUE(has_diagnostic(r, f, 3, "no \"icao24\""));
    EXPECT_TRUE(has_diagnostic(r, f, 4, "is not a Unix time in seconds within 1990..2100"));
    EXPECT_TRUE(has_diagnostic(r, f, 4, f + ":4:15: timestamp:"));
    EXPECT_TRUE(has_diagnostic(r, f, 5, "out of range"));
    EXPECT_TRUE(has_diagnostic(r, f, 6, "altitude '\"high\"' is not a finite JSON number"));
    ASSERT_EQ(r.tracks.size(), 1u);
    EXPECT_EQ(r.tracks[0].points.size(), 2u);
}

TEST(Jet1090, StreamedAndWholeTextReadersAgree) {
    const auto path = test_data("invalid/receivers/jet1090_bad.jsonl");
    const auto streamed = io::load_file(path);
    auto whole = io::detail::load_jet1090(path.string(), fr::test::read_test_file("invalid/receivers/jet1090_bad.jsonl"));
    EXPECT_EQ(io::detail::first_difference(streamed, whole), "");
}
