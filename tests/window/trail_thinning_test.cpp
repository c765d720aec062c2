// Thinned trails of busy scenes (the window's TrailLayer): which densified vertices a joined
// segment may skip. No display needed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "app/window/trail_layer.hpp"

using namespace fr;
using app::window::thin_trail_piece;

namespace {

const TimePoint t0 = *parse_iso8601("2024-01-01T10:00:00Z");

/// `n` vertices a minute apart along x, `px_per_min` pixels a minute, y from `y(i)`.
template <class Y>
std::vector<render::TrailVertex> track(int n, double px_per_min, Y y) {
    std::vector<render::TrailVertex> v;
    for (int i = 0; i < n; ++i) v.push_back({i * px_per_min, y(i), t0 + std::chrono::minutes(i)});
    return v;
}

/// Each skipped vertex lies within `tol` px of where its joined segment has the aircraft at its time.
void expect_within(const std::vector<render::TrailVertex>& v, const std::vector<std::size_t>& kept, double tol) {
    ASSERT_FALSE(kept.empty());
    EXPECT_EQ(kept.front(), 0u);
    EXPECT_EQ(kept.back(), v.size() - 1);
    for (std::size_t q = 1; q < kept.size(); ++q) {
        const auto& a = v[kept[q - 1]];
        const auto& b = v[kept[q]];
        ASSERT_LT(kept[q - 1], kept[q]);
        for (std::size_t k = kept[q - 1] + 1; k < kept[q]; ++k) {
            const double f = std::chrono::duration<double>(v[k].t - a.t) / std::chrono::duration<double>(b.t - a.t);
            EXPECT_LE(std::hypot(a.x + (b.x - a.x) * f - v[k].x, a.y + (b.y - a.y) * f - v[k].y), tol) << "vertex " << k;
        }
    }
}

}  // namespace

TEST(TrailThinning, AStraightSteadyTrackBecomesFewSegments) {
    const auto v = track(200, 4, [](int) { return 100.0; });
    const std::vector<double> alt(v.size(), 35000);
    const auto kept = thin_trail_piece(v, alt, 0.25, 250, 64);
    expect_within(v, kept, 0.25);
    EXPECT_EQ(kept.size(), 5u);  // 199 segments, at most 64 joined: 4 segments
}

TEST(TrailThinning, ATurnKeepsItsVerticesWithinTheTolerance) {
    // A quarter circle of radius 300 px, a vertex every degree: the chord's sagitta limits joins.
    std::vector<render::TrailVertex> v;
    for (int i = 0; i <= 90; ++i) {
        const double a = i * M_PI / 180;
        v.push_back({300 * std::cos(a), 300 * std::sin(a), t0 + std::chrono::seconds(10 * i)});
    }
    const std::vector<double> alt(v.size(), 35000);
    for (const double tol : {0.25, 0.0625}) {
        const auto kept = thin_trail_piece(v, alt, tol, 250, 64);
        expect_within(v, kept, tol);
        // Sagitta of n one-degree steps: 300 (1 - cos(n / 2 deg)) <= tol: n = 4 at 0.25 px, 2 at 1/16.
        EXPECT_GE(kept.size(), tol > 0.1 ? 90u / 4 : 90u / 2) << tol;
    }
}

TEST(TrailThinning, ASpeedChangeOnAStraightLineIsNotJoined) {
    // Straight, but 4 px a minute then 8: joining across the change would put the moving tip
    // (interpolated in time along the joined segment) off the aircraft.
    auto v = track(40, 4, [](int) { return 0.0; });
    for (std::size_t i = 20; i < v.size(); ++i) v[i].x = 20 * 4 + (static_cast<double>(i) - 20) * 8;
    const std::vector<double> alt(v.size(), 35000);
    const auto kept = thin_trail_piece(v, alt, 0.25, 250, 64);
    expect_within(v, kept, 0.25);
    EXPECT_NE(std::find(kept.begin(), kept.end(), 20u), kept.end()) << "the vertex where the speed changes must stay";
}

TEST(TrailThinning, AltitudeStaysWithinToleranceOfTheJoinedLine) {
    const auto v = track(60, 4, [](int) { return 0.0; });
    std::vector<double> alt(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) alt[i] = i < 20 ? 1750.0 * static_cast<double>(i) : 35000;  // climb, then level
    const auto kept = thin_trail_piece(v, alt, 0.25, 250, 64);
    expect_within(v, kept, 0.25);
    EXPECT_NE(std::find(kept.begin(), kept.end(), 20u), kept.end()) << "the top of climb must stay";
    EXPECT_LE(kept.size(), 4u);  // the steady climb and the level part each join
    // Unknown altitude is joined only with unknown altitude.
    alt[30] = NAN;
    const auto kept2 = thin_trail_piece(v, alt, 0.25, 250, 64);
    EXPECT_NE(std::find(kept2.begin(), kept2.end(), 29u), kept2.end());
    EXPECT_NE(std::find(kept2.begin(), kept2.end(), 31u), kept2.end());
}
