#pragma once
// Helpers for the text/XML loader tests: load a committed test file and assert that a
// diagnostic names the file, the line and what was wrong.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "core/diagnostic.hpp"
#include "core/error.hpp"
#include "io/loader.hpp"
#include "test_paths.hpp"

namespace fr::test {

inline std::string all_diagnostics(const io::LoadResult& r) {
    std::string out;
    for (const auto& d : r.diagnostics.items()) out += format(d) + "\n";
    return out;
}

/// Success when a diagnostic for a file whose name contains `file` sits on `line` and its
/// formatted text (flightreplay: FILE:LINE:COLUMN: message) contains `what`.
inline ::testing::AssertionResult has_diagnostic(const io::LoadResult& r, const std::string& file, std::uint64_t line,
                                                 const std::string& what) {
    for (const auto& d : r.diagnostics.items()) {
        const std::string text = format(d);
        if (d.file.find(file) != std::string::npos && d.line == line &&
            text.find(file + ":" + std::to_string(line) + ":") != std::string::npos && text.find(what) != std::string::npos)
            return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "no diagnostic for " << file << ":" << line << " containing '" << what << "'; got:\n"
                                         << all_diagnostics(r);
}

inline io::LoadResult load_test_file(const std::string& rel, io::Format f = io::Format::automatic, std::string columns = {}) {
    io::LoadOptions opt;
    opt.format = f;
    opt.csv_columns = std::move(columns);
    return io::load_file(test_data(rel), opt);
}

inline std::string read_test_file(const std::string& rel) {
    std::ifstream in(test_data(rel), std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The IoError message of load_file, or "" when it did not throw.
inline std::string load_error(const std::string& rel, io::Format f = io::Format::automatic, std::string columns = {}) {
    try {
        load_test_file(rel, f, std::move(columns));
    } catch (const IoError& e) {
        return e.what();
    }
    return {};
}

/// Every test asserts file name, line and what: this checks all three in a thrown message.
inline ::testing::AssertionResult error_names(const std::string& msg, const std::string& file, std::uint64_t line,
                                              const std::string& what) {
    const std::string pos = file + ":" + std::to_string(line) + ":";
    if (msg.find(pos) != std::string::npos && msg.find(what) != std::string::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "expected '" << pos << "' and '" << what
                                         << "' in: " << (msg.empty() ? "<no error thrown>" : msg);
}

}  // namespace fr::test
