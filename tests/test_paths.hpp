#pragma once
// Paths for tests: shared recorded data (may be absent), committed test data, source and build
// trees. Use FR_REQUIRE_SHARED(path) at the top of a test that reads ../shared/data.
#include <filesystem>
#include <string>

namespace fr::test {
inline std::filesystem::path shared_data(const std::string& rel) { return std::filesystem::path(FR_SHARED_DATA) / rel; }
inline std::filesystem::path test_data(const std::string& rel) { return std::filesystem::path(FR_TEST_DATA) / rel; }
inline std::filesystem::path source_dir() { return FR_SOURCE_DIR; }
inline std::filesystem::path binary_dir() { return FR_BINARY_DIR; }
}  // namespace fr::test

#define FR_REQUIRE_SHARED(path)                                                                                                          \
    do {                                                                                                                                 \
        if (!std::filesystem::exists(path))                                                                                              \
            GTEST_SKIP() << "shared recorded data not found at " << (path) << " (../shared/data is absent in a fresh clone; CI has it)"; \
    } while (0)
