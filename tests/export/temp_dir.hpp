#pragma once
// A fresh, empty directory under the system temp dir, removed with everything in it.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace fr::test {

class TempDir {
public:
    TempDir() {
        std::random_device rd;
        for (int attempt = 0; attempt < 100; ++attempt) {
            auto p = std::filesystem::temp_directory_path() / ("fr-export-test-" + std::to_string(rd()));
            if (std::filesystem::create_directory(p)) {
                m_path = p;
                return;
            }
        }
        throw std::runtime_error("cannot create a temporary test directory");
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }
    /// Names of the entries in the directory, sorted.
    std::vector<std::string> entries() const {
        std::vector<std::string> out;
        for (const auto& e : std::filesystem::directory_iterator(m_path)) out.push_back(e.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }

    /// Permissions an ordinary new file gets here (0666 minus the umask), for comparison.
    std::filesystem::perms plain_file_perms() const {
        const auto ref = m_path / ".perms-reference";
        { std::ofstream(ref) << ""; }
        const auto perms = std::filesystem::status(ref).permissions();
        std::filesystem::remove(ref);
        return perms;
    }

private:
    std::filesystem::path m_path;
};

}  // namespace fr::test
