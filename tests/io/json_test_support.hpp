#pragma once
// Helpers shared by the JSON loader tests (readsb, FR24 JSON, traffic JSON, GeoJSON, detection).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/diagnostic.hpp"
#include "core/error.hpp"
#include "io/loader.hpp"
#include "test_paths.hpp"

namespace fr::test {

/// All diagnostics of a load, formatted one per line; or the exception text when load_file
/// throws (no usable point, unknown format). Either way what a user would see.
inline std::string problems(const std::filesystem::path& path, io::Format f = io::Format::automatic) {
    try {
        io::LoadOptions opt;
        opt.format = f;
        const auto r = io::load_file(path, opt);
        std::string out;
        for (const auto& d : r.diagnostics.items()) out += format(d) + "\n";
        return out;
    } catch (const IoError& e) {
        return std::string("IoError: ") + e.what();
    }
}

/// A temporary directory removed at the end of the test.
class TempDir {
public:
    TempDir() {
        m_path =
            std::filesystem::temp_directory_path() / ("fr_json_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                                      "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::filesystem::path write(const std::string& name, const std::string& content) const {
        const auto p = m_path / name;
        std::ofstream(p, std::ios::binary) << content;
        return p;
    }

private:
    std::filesystem::path m_path;
};

}  // namespace fr::test
