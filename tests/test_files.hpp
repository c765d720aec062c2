#pragma once
// Small helpers for tests that build inputs with shell tools and read outputs back.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fr::test {

/// Runs `cmd` with /bin/sh; its exit status, or -1 when it did not exit normally.
inline int shell_status(const std::string& cmd) {
    const int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/// The whole file as bytes (empty when it cannot be read).
inline std::string file_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace fr::test
