// The bounded frame pipeline and PNG sequence naming.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>

#include "core/error.hpp"
#include "export/frame_pipeline.hpp"
#include "export/png_sequence.hpp"
#include "temp_dir.hpp"

using fr::output::FramePipeline;

TEST(FramePipeline, OneWorkerConsumesInOrderWithTheRightPixels) {
    std::vector<long long> seen;
    std::vector<int> first_bytes;
    FramePipeline p(8, 4, 3, 1, [&](const std::uint8_t* px, int stride, long long i) {
        EXPECT_EQ(stride, 32);
        seen.push_back(i);
        first_bytes.push_back(px[0]);
    });
    for (long long i = 0; i < 50; ++i) {
        const int s = p.acquire();
        std::memset(p.data(s), static_cast<int>(i), 32 * 4);
        p.submit(s, 100 + i);
    }
    p.finish();
    ASSERT_EQ(seen.size(), 50u);
    for (int i = 0; i < 50; ++i) {
        EXPECT_EQ(seen[i], 100 + i);
        EXPECT_EQ(first_bytes[i], i);
    }
}

TEST(FramePipeline, NeverMoreFramesInFlightThanSlots) {
    std::atomic<int> in_consumer{0}, max_seen{0};
    std::atomic<int> acquired_not_consumed{0}, max_outstanding{0};
    FramePipeline p(4, 4, 2, 2, [&](const std::uint8_t*, int, long long) {
        max_seen = std::max(max_seen.load(), ++in_consumer);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        --in_consumer;
        --acquired_not_consumed;
    });
    for (int i = 0; i < 30; ++i) {
        const int s = p.acquire();
        max_outstanding = std::max(max_outstanding.load(), ++acquired_not_consumed);
        p.submit(s, i);
    }
    p.finish();
    EXPECT_LE(max_outstanding.load(), 2);
    EXPECT_LE(max_seen.load(), 2);
}

TEST(FramePipeline, ConsumerErrorReachesTheProducer) {
    FramePipeline p(4, 4, 2, 1, [&](const std::uint8_t*, int, long long i) {
        if (i == 3) throw fr::EncodeError("disk full at frame 3");
    });
    bool thrown = false;
    try {
        for (int i = 0; i < 100; ++i) p.submit(p.acquire(), i);
        p.finish();
    } catch (const fr::EncodeError& e) {
        thrown = true;
        EXPECT_NE(std::string(e.what()).find("frame 3"), std::string::npos);
    }
    EXPECT_TRUE(thrown);
}

TEST(PngSequence, PatternsAndDirectories) {
    using fr::output::png_sequence_path;
    using fr::output::png_sequence_pattern;
    EXPECT_EQ(*png_sequence_pattern("out/%05d.png"), "out/%05d.png");
    EXPECT_EQ(png_sequence_path("out/%05d.png", 42).string(), "out/00042.png");
    EXPECT_EQ(png_sequence_path("f%d.png", 1234567).string(), "f1234567.png");
    EXPECT_EQ(*png_sequence_pattern("frames/"), "frames/%05d.png");
    fr::test::TempDir d;
    EXPECT_EQ(*png_sequence_pattern(d.path()), (d.path() / "%05d.png").string());
    EXPECT_FALSE(png_sequence_pattern("still.png").has_value());
    EXPECT_THROW(png_sequence_pattern("a%s.png"), fr::UsageError);
    EXPECT_THROW(png_sequence_pattern("a%d_%d.png"), fr::UsageError);
    EXPECT_THROW(png_sequence_pattern("a%05d.jpg"), fr::UsageError);
}

TEST(PngSequence, WritesEveryFrameAtTheChosenLevel) {
    fr::test::TempDir d;
    const int w = 64, h = 32;
    auto write = [&](const std::string& sub, int level) {
        fr::output::PngSequenceWriter wr((d.path() / sub / "%03d.png").string(), w, h, level, {{"Software", "test"}}, 2);
        for (int i = 5; i < 15; ++i) {
            const int s = wr.pipeline().acquire();
            auto* px = wr.pipeline().data(s);
            for (int k = 0; k < w * h; ++k) {
                px[4 * k] = static_cast<std::uint8_t>(k * i), px[4 * k + 1] = static_cast<std::uint8_t>(k / 7), px[4 * k + 2] = 9,
                       px[4 * k + 3] = 255;
            }
            wr.pipeline().submit(s, i);
        }
        wr.finish();
    };
    write("l0", 0);
    write("l9", 9);
    std::uintmax_t s0 = 0, s9 = 0;
    for (int i = 5; i < 15; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "%03d.png", i);
        ASSERT_TRUE(std::filesystem::exists(d.path() / "l0" / name)) << name;
        s0 += std::filesystem::file_size(d.path() / "l0" / name);
        s9 += std::filesystem::file_size(d.path() / "l9" / name);
    }
    EXPECT_FALSE(std::filesystem::exists(d.path() / "l0" / "004.png"));
    EXPECT_FALSE(std::filesystem::exists(d.path() / "l0" / "015.png"));
    EXPECT_LT(s9, s0);  // level 9 compresses, level 0 stores
    EXPECT_THROW(fr::output::PngSequenceWriter((d.path() / "x/%d.png").string(), w, h, 10, {}), fr::UsageError);
}
