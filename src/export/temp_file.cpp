#include "export/temp_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <random>
#include <string>

namespace fr::output::detail {

TempFile::~TempFile() {
    if (m_fd >= 0) ::close(m_fd);
    if (!m_path.empty()) {
        std::error_code ec;
        std::filesystem::remove(m_path, ec);  // destructors never throw
    }
}

std::error_code TempFile::create(const std::filesystem::path& target) {
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::random_device rd;
    std::uniform_int_distribution<int> pick(0, sizeof alphabet - 2);
    // 62^6 names; 100 collisions in a row would mean something else is wrong.
    for (int attempt = 0; attempt < 100; ++attempt) {
        std::string name = target.string() + ".tmp-";
        for (int i = 0; i < 6; ++i) name += alphabet[pick(rd)];
        const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            m_fd = fd;
            m_path = name;
            return {};
        }
        if (errno != EEXIST) return {errno, std::generic_category()};
    }
    return std::make_error_code(std::errc::file_exists);
}

int TempFile::take_fd() noexcept {
    const int fd = m_fd;
    m_fd = -1;
    return fd;
}

}  // namespace fr::output::detail
