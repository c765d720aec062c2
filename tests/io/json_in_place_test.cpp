// A JSON document is held once while it is loaded: load_file parses a readsb trace or an FR24
// playback JSON in the buffer it read the file into (which keeps simdjson's padding after the
// text), with no second, padded copy, and gives that buffer back before returning the points.
// Checked by counting, through a replaced global operator new, the live heap blocks of the
// document's size (a copy of the text, padded or not) while the file loads. Not timed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>
#include <string>

#include "io/loader.hpp"

namespace {

/// Heap blocks of `lo`..`hi` bytes, counted while `on`.
struct CopyCounter {
    std::atomic_flag lock = ATOMIC_FLAG_INIT;
    bool on = false;
    std::size_t lo = 0, hi = 0;
    void* blocks[64] = {};
    int live = 0, peak = 0;
};
CopyCounter g_count;

void lock() {
    while (g_count.lock.test_and_set(std::memory_order_acquire)) {}
}
void unlock() { g_count.lock.clear(std::memory_order_release); }

void note_new(void* p, std::size_t n) noexcept {
    if (p == nullptr) return;
    lock();
    if (g_count.on && n >= g_count.lo && n <= g_count.hi) {
        for (auto& b : g_count.blocks)
            if (b == nullptr) {
                b = p;
                g_count.peak = std::max(g_count.peak, ++g_count.live);
                break;
            }
    }
    unlock();
}

void note_delete(void* p) noexcept {
    if (p == nullptr) return;
    lock();
    for (auto& b : g_count.blocks)
        if (b == p) {
            b = nullptr;
            --g_count.live;
            break;
        }
    unlock();
}

void* counted_new(std::size_t n) {
    void* p = std::malloc(n ? n : 1);
    if (p == nullptr) throw std::bad_alloc();
    note_new(p, n);
    return p;
}

void* counted_new(std::size_t n, const std::nothrow_t&) noexcept {
    void* p = std::malloc(n ? n : 1);
    note_new(p, n);
    return p;
}

void counted_delete(void* p) noexcept {
    note_delete(p);
    std::free(p);
}

}  // namespace

void* operator new(std::size_t n) { return counted_new(n); }
void* operator new[](std::size_t n) { return counted_new(n); }
void* operator new(std::size_t n, const std::nothrow_t& t) noexcept { return counted_new(n, t); }
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return counted_new(n, t); }
void operator delete(void* p) noexcept { counted_delete(p); }
void operator delete[](void* p) noexcept { counted_delete(p); }
void operator delete(void* p, std::size_t) noexcept { counted_delete(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_delete(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { counted_delete(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { counted_delete(p); }

namespace {

namespace fs = std::filesystem;

/// Loads `path` and returns the most blocks of `text_bytes`..`text_bytes` + 4 KiB (the read
/// buffer and any copy of the text: simdjson's padded copies add 64 bytes) alive at once;
/// `left` receives how many are still alive when load_file has returned.
int copies_while_loading(const fs::path& path, std::size_t text_bytes, fr::io::Format format, fr::io::LoadResult& out, int& left) {
    fr::io::LoadOptions opt;
    opt.format = format;
    lock();
    g_count.on = true;
    g_count.lo = text_bytes;
    g_count.hi = text_bytes + 4096;
    g_count.live = g_count.peak = 0;
    std::fill(std::begin(g_count.blocks), std::end(g_count.blocks), nullptr);
    unlock();
    try {
        out = fr::io::load_file(path, opt);
    } catch (...) {
        g_count.on = false;
        throw;
    }
    lock();
    g_count.on = false;
    const int peak = g_count.peak;
    left = g_count.live;
    unlock();
    return peak;
}

class JsonInPlaceTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("fr_json_in_place_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(m_dir);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
    fs::path write(const std::string& name, const std::string& text) {
        const auto p = m_dir / name;
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }
    fs::path m_dir;
};

constexpr int points = 20000;  // about 1.7 MB of readsb text, 3 MB of FR24 JSON

}  // namespace

TEST_F(JsonInPlaceTest, ReadsbTraceIsHeldOnceAndGivenBack) {
    std::string text = "{\"icao\":\"4ca7b4\",\"r\":\"SYN-1\",\"t\":\"A320\",\"timestamp\":1700000000,\"trace\":[\n";
    char row[200];
    for (int k = 0; k < points; ++k) {
        const int n = std::snprintf(row, sizeof row, "%s[%d,%.5f,%.5f,35000,450.0,%d.0,0,0,%s,\"adsb_icao\",35100,0,null,null]",
                                    k ? ",\n" : "", k, 40.0 + k * 1e-4, -3.0 + k * 1e-4, k % 360, k ? "null" : "{\"flight\":\"SYN1    \"}");
        text.append(row, static_cast<std::size_t>(n));
    }
    text += "\n]}\n";
    const auto path = write("trace_full_4ca7b4.json", text);
    for (const auto format : {fr::io::Format::automatic, fr::io::Format::readsb_trace}) {
        fr::io::LoadResult r;
        int left = -1;
        const int copies = copies_while_loading(path, text.size(), format, r, left);
        EXPECT_EQ(copies, 1) << "blocks the size of the document alive at once, with --format " << fr::io::to_string(format)
                             << ": the read buffer and no copy";
        EXPECT_EQ(left, 0) << "the read buffer is given back before the points are returned";
        ASSERT_EQ(r.tracks.size(), 1u);
        EXPECT_EQ(r.tracks[0].points.size(), static_cast<std::size_t>(points));
        EXPECT_EQ(r.format, fr::io::Format::readsb_trace);
    }
}

TEST_F(JsonInPlaceTest, Fr24JsonIsHeldOnce) {
    std::string text =
        "{\"result\":{\"request\":{},\"response\":{\"data\":{\"flight\":{\"identification\":{\"id\":\"1\",\"number\":{\"default\":\"XX1\"},"
        "\"callsign\":\"XXA1\"},\"aircraft\":{\"model\":{\"code\":\"A320\",\"text\":\"Airbus\"},\"identification\":{\"modes\":\"4B1901\","
        "\"registration\":\"HB-ABC\"}},\"track\":[\n";
    char row[300];
    for (int k = 0; k < points; ++k) {
        const int n =
            std::snprintf(row, sizeof row,
                          "%s{\"latitude\":%.5f,\"longitude\":%.5f,\"altitude\":{\"feet\":30000,\"meters\":9144},\"speed\":"
                          "{\"kmh\":800,\"kts\":432,\"mph\":497},\"heading\":%d,\"squawk\":\"1000\",\"timestamp\":%d,\"ems\":null}",
                          k ? ",\n" : "", 40.0 + k * 1e-4, 8.0 + k * 1e-4, k % 360, 1712400000 + 10 * k);
        text.append(row, static_cast<std::size_t>(n));
    }
    text += "\n]}}}}}\n";
    const auto path = write("fr24.json", text);
    for (const auto format : {fr::io::Format::automatic, fr::io::Format::fr24_json}) {
        fr::io::LoadResult r;
        int left = -1;
        const int copies = copies_while_loading(path, text.size(), format, r, left);
        EXPECT_EQ(copies, 1) << "blocks the size of the document alive at once, with --format " << fr::io::to_string(format);
        EXPECT_EQ(left, 0);
        ASSERT_EQ(r.tracks.size(), 1u);
        EXPECT_EQ(r.tracks[0].points.size(), static_cast<std::size_t>(points));
    }
}

TEST_F(JsonInPlaceTest, CounterSeesACopy) {
    // The counter itself: a copy of the text made while it counts is seen.
    const std::string text(100000, 'x');
    lock();
    g_count.on = true;
    g_count.lo = text.size();
    g_count.hi = text.size() + 4096;
    g_count.live = g_count.peak = 0;
    unlock();
    {
        std::string a = text, b = text;
        EXPECT_EQ(a.size() + b.size(), 2 * text.size());
    }
    lock();
    g_count.on = false;
    const int peak = g_count.peak, live = g_count.live;
    unlock();
    EXPECT_EQ(peak, 2);
    EXPECT_EQ(live, 0);
}
