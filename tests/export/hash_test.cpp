#include "export/hash.hpp"

#include "core/error.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace fr::output {
namespace {

void write_file(const std::filesystem::path& p, const std::string& content) { std::ofstream(p, std::ios::binary) << content; }

// Vectors from FIPS 180-2 appendix B and the SHA-256 of the empty string.
TEST(Sha256File, KnownVectors) {
    fr::test::TempDir dir;
    write_file(dir / "empty", "");
    write_file(dir / "abc", "abc");
    write_file(dir / "million", std::string(1'000'000, 'a'));  // > one 64 KiB read block
    EXPECT_EQ(sha256_file(dir / "empty"), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_file(dir / "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_file(dir / "million"), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256File, MissingFileThrowsIoErrorNamingIt) {
    fr::test::TempDir dir;
    const auto p = dir / "absent.csv";
    try {
        (void)sha256_file(p);
        FAIL() << "expected IoError";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace fr::output
