#include <gtest/gtest.h>

#include "core/diagnostic.hpp"
#include "core/text.hpp"
#include "core/track.hpp"

#include <algorithm>
#include <cstdio>

using namespace fr;
using namespace std::chrono_literals;

namespace {
TrackPoint pt(int s, double lat = 50, double lon = 10) {
    return TrackPoint(from_unix_seconds(1'700'000'000 + s), LatLon::from_degrees(lat, lon));
}
}  // namespace

TEST(LatLon, ValidatesRanges) {
    EXPECT_TRUE(LatLon::checked(90, 180));
    EXPECT_FALSE(LatLon::checked(90.0001, 0));
    EXPECT_FALSE(LatLon::checked(0, -180.5));
    EXPECT_FALSE(LatLon::checked(NAN, 0));
    EXPECT_THROW(LatLon::from_degrees(91, 0), std::invalid_argument);
    EXPECT_NEAR(LatLon::normalized(10, 190)->lon_deg(), -170.0, 1e-12);  // degrees
}

TEST(TrackPoint, StoresOptionalQuantitiesCompactly) {
    static_assert(sizeof(TrackPoint) <= 48, "memory target: at most 48 bytes per loaded point");
    auto p = pt(0);
    EXPECT_FALSE(p.altitude());
    p.set_altitude(Length::feet(35000)).set_ground_speed(Speed::knots(450)).set_on_ground(OnGround::airborne).set_new_leg(true);
    EXPECT_NEAR(p.altitude()->m(), 10668.0, 1e-3);  // metres; float storage keeps ~1 mm
    EXPECT_NEAR(p.ground_speed()->kt(), 450.0, 1e-3);
    EXPECT_EQ(p.on_ground(), OnGround::airborne);
    EXPECT_TRUE(p.new_leg());
    p.set_on_ground(OnGround::ground);
    EXPECT_TRUE(p.new_leg());  // flags independent
}

TEST(MergeTracks, MergesSameAircraftAcrossFilesAndKeepsOthersApart) {
    Track a{{"", "", "RFF7203", ""}, {pt(0), pt(60)}, Provenance::reconstructed, "a.csv"};
    Track b{{"", "", "RFF7203", ""}, {pt(120), pt(60)}, Provenance::reconstructed, "b.csv"};
    Track c{{"", "", "AFL100", ""}, {pt(30)}, Provenance::recorded, "c.csv"};
    auto flights = merge_tracks({a, c, b});
    ASSERT_EQ(flights.size(), 2u);
    EXPECT_EQ(flights[0].aircraft.callsign, "RFF7203");
    ASSERT_EQ(flights[0].points.size(), 3u);  // duplicate t=60 dropped
    EXPECT_TRUE(std::is_sorted(flights[0].points.begin(), flights[0].points.end(), [](auto& x, auto& y) { return x.time() < y.time(); }));
    EXPECT_EQ(flights[0].sources.size(), 2u);
    EXPECT_EQ(flights[0].provenance, Provenance::reconstructed);
    EXPECT_EQ(flights[1].aircraft.callsign, "AFL100");
}

TEST(MergeTracks, IcaoAddressWinsOverCallsign) {
    Track a{{"4b1805", "", "SWR1", ""}, {pt(0)}, Provenance::recorded, "a"};
    Track b{{"4b1806", "", "SWR1", ""}, {pt(10)}, Provenance::recorded, "b"};
    EXPECT_EQ(merge_tracks({a, b}).size(), 2u);
}

TEST(Diagnostics, RepeatsOfOneKindAreFoldedWithACount) {
    Diagnostics d;
    for (int i = 0; i < 174; ++i)
        d.warn("states.csv", 10 + static_cast<std::uint64_t>(i), 1,
               std::to_string(i + 1) + " row(s) out of time order, first here (rows sorted by time)");
    d.warn("states.csv", 500, 3, "latitude 91.2 out of range (row skipped)");
    const std::string folded = format_grouped(d);
    // Three of the 174, one line for the other 171, and the different message.
    EXPECT_EQ(std::count(folded.begin(), folded.end(), '\n'), 5);
    EXPECT_NE(folded.find("... and 171 more like the above"), std::string::npos) << folded;
    EXPECT_NE(folded.find("latitude 91.2"), std::string::npos);
    const std::string all = format_grouped(d, true);
    EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 175);
}

TEST(EscapeControl, KeepsPlainRunsAndEscapesEverythingElse) {
    using namespace std::string_literals;
    // Plain runs around each kind of byte that is escaped, at the start, middle and end.
    EXPECT_EQ(escape_control("plain text, 123"), "plain text, 123");
    EXPECT_EQ(escape_control("\x1b[31mred"), "\\x1b[31mred");
    EXPECT_EQ(escape_control("a\tb\nc"), "a\\tb\\x0ac");
    EXPECT_EQ(escape_control("a\tb\nc", true), "a\tb\nc");
    EXPECT_EQ(escape_control("nul\0here"s), "nul\\x00here");
    EXPECT_EQ(escape_control("del\x7f"), "del\\x7f");
    EXPECT_EQ(escape_control("Zürich \xe2\x80\xae!"), "Zürich \\u202e!");  // a bidirectional override
    EXPECT_EQ(escape_control("bad \xff byte"), "bad \\xff byte");
    EXPECT_EQ(escape_control(""), "");
}

TEST(MergeTracks, ComparisonsGrowLinearlyWithTracksAndAircraft) {
    // Operation counts, not time. `parts` consecutive tracks of one aircraft (a trace split at
    // every leg mark, or one file per hour) each continue the flight before: one comparison a
    // track. Distinct aircraft never compare with each other.
    auto one_aircraft = [](int parts) {
        std::vector<Track> v;
        for (int i = 0; i < parts; ++i)
            v.push_back(Track{
                {"3c66b0", "", "DLH4", ""}, {pt(600 * i), pt(600 * i + 60, 50, 10.01)}, Provenance::recorded, "part" + std::to_string(i)});
        const std::uint64_t before = merge_comparisons();
        const auto flights = merge_tracks(std::move(v));
        EXPECT_EQ(flights.size(), 1u);
        return merge_comparisons() - before;
    };
    EXPECT_EQ(one_aircraft(100), 99u);
    EXPECT_EQ(one_aircraft(10'000), 9'999u);
    auto distinct = [](int n) {
        std::vector<Track> v;
        for (int i = 0; i < n; ++i) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "%06x", i);
            v.push_back(Track{{hex, "", "C" + std::to_string(i), ""}, {pt(i), pt(i + 60)}, Provenance::recorded, "f"});
        }
        const std::uint64_t before = merge_comparisons();
        EXPECT_EQ(merge_tracks(std::move(v)).size(), static_cast<std::size_t>(n));
        return merge_comparisons() - before;
    };
    EXPECT_EQ(distinct(200'000), 0u);
    // Among many aircraft, a later track of one of them is still found (its address and its
    // callsign both point at its flight) and judged once: one comparison per returning track.
    auto returning = [](int n, int every) {
        std::vector<Track> v;
        auto hex = [](int i) {
            char h[8];
            std::snprintf(h, sizeof h, "%06x", i);
            return std::string(h);
        };
        for (int i = 0; i < n; ++i)
            v.push_back(Track{{hex(i), "", "C" + std::to_string(i), ""}, {pt(i), pt(i + 60)}, Provenance::recorded, "f"});
        for (int i = 0; i < n; i += every)
            v.push_back(Track{{hex(i), "", "C" + std::to_string(i), ""}, {pt(i + 120), pt(i + 180)}, Provenance::recorded, "g"});
        const std::uint64_t before = merge_comparisons();
        const auto flights = merge_tracks(std::move(v));
        EXPECT_EQ(flights.size(), static_cast<std::size_t>(n));
        const auto joined = std::count_if(flights.begin(), flights.end(), [](const Flight& f) { return f.points.size() == 4; });
        EXPECT_EQ(joined, (n + every - 1) / every);
        return merge_comparisons() - before;
    };
    EXPECT_EQ(returning(20'000, 100), 200u);
}

TEST(AircraftId, IsNamedByCallsignRegistrationOrAddressInAnyCase) {
    fr::AircraftId id;
    id.icao24 = "155b6f";
    id.registration = "RA-86559";
    id.callsign = "RFF7203";
    EXPECT_TRUE(id.is_named("rff7203"));
    EXPECT_TRUE(id.is_named("ra-86559"));
    EXPECT_TRUE(id.is_named("155B6F"));
    EXPECT_FALSE(id.is_named("RFF720"));
    EXPECT_FALSE(id.is_named(""));
    EXPECT_FALSE(fr::AircraftId{}.is_named(""));  // unknown fields never match an empty name
}

TEST(AsciiLower, FoldsOnlyAsciiLettersAndExtensions) {
    EXPECT_EQ(fr::ascii_lower("RFF7203-Ä"), "rff7203-Ä");  // UTF-8 bytes unchanged
    EXPECT_EQ(fr::lower_extension("out/Frame.PNG"), ".png");
    EXPECT_EQ(fr::lower_extension("out/README"), "");
}
