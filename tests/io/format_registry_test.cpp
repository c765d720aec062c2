// The format registry (src/io/format_registry.hpp) against what it describes: every Format has
// an entry with a loader, a detection (or the reason it has none), fuzz targets that exist in
// fuzz/ and a sample in tests/data that detection recognises; every fuzz/fuzz_*.cpp is named;
// --format parsing, its help list and the table of docs/formats.md agree with it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "core/setting_error.hpp"
#include "io/format_registry.hpp"
#include "io/loader.hpp"
#include "test_paths.hpp"

using namespace fr;
using fr::test::source_dir;
using fr::test::test_data;

namespace {

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST(FormatRegistry, EveryFormatHasOneEntry) {
    // Format's values run from automatic (0) to the last enumerator without gaps.
    constexpr int last = static_cast<int>(io::Format::readsb_snapshot);
    std::set<std::string_view> names;
    for (int i = 1; i <= last; ++i) {
        const auto f = static_cast<io::Format>(i);
        const io::FormatEntry* e = io::find_format(f);
        ASSERT_NE(e, nullptr) << "Format value " << i << " has no registry entry";
        EXPECT_EQ(e->format, f);
        EXPECT_TRUE(names.insert(e->name).second) << "two entries named " << e->name;
    }
    EXPECT_EQ(io::track_formats().size(), static_cast<std::size_t>(last)) << "an entry is listed twice";
    EXPECT_EQ(io::find_format(io::Format::automatic), nullptr);
}

TEST(FormatRegistry, EveryEntryHasLoaderDetectionFuzzTargetAndSample) {
    for (const auto& e : io::track_formats()) {
        SCOPED_TRACE(std::string(e.name));
        EXPECT_FALSE(e.description.empty());
        EXPECT_NE(e.load_text, nullptr) << "no loader";
        if (e.detect == io::DetectStage::name_only) {
            EXPECT_FALSE(e.name_only_reason.empty()) << "never detected, and no reason given";
            EXPECT_TRUE(e.detected_by.empty());
        } else {
            EXPECT_FALSE(e.detected_by.empty()) << "detected, but the registry does not say by what";
            EXPECT_TRUE(e.name_only_reason.empty());
        }
        EXPECT_FALSE(e.fuzz_targets.empty()) << "no fuzz target";
        for (const auto& t : e.fuzz_targets)
            EXPECT_TRUE(std::filesystem::is_regular_file(source_dir() / "fuzz" / (std::string(t) + ".cpp"))) << "fuzz/" << t << ".cpp";
        ASSERT_FALSE(e.sample.empty()) << "no sample";
        const auto sample = test_data(std::string(e.sample));
        ASSERT_TRUE(std::filesystem::is_regular_file(sample)) << sample;
        if (e.detect == io::DetectStage::name_only) {
            // Named only: detection must not pick it, whatever it says about the sample.
            try {
                EXPECT_NE(io::detect_format(sample), e.format) << sample;
            } catch (const IoError&) {}
        } else {
            EXPECT_EQ(io::to_string(io::detect_format(sample)), e.name) << sample;
        }
    }
}

TEST(FormatRegistry, ForcedFormatLoadsItsSampleThroughTheRegistry) {
    for (const auto& e : io::track_formats()) {
        SCOPED_TRACE(std::string(e.name));
        io::LoadOptions opt;
        opt.format = e.format;
        if (e.format == io::Format::generic_csv) opt.csv_columns = "time=WHEN:iso8601,lat=lat,lon=lon,alt=alt";
        if (e.format == io::Format::fr24api_summary || e.format == io::Format::fr24api_events) {
            // Leg metadata alone loads as summaries (no positions).
            const auto r = io::load_file(test_data(std::string(e.sample)), opt);
            EXPECT_FALSE(r.summaries.empty());
            continue;
        }
        const auto r = io::load_file(test_data(std::string(e.sample)), opt);
        EXPECT_EQ(r.format, e.format);
        EXPECT_FALSE(r.tracks.empty());
    }
}

TEST(FormatRegistry, FormatNamesRoundTripAndHelpListsEveryName) {
    EXPECT_EQ(io::parse_format("auto"), io::Format::automatic);
    const std::string help = io::format_choices();
    std::string usage, setting;
    try {
        io::parse_format("no-such-format");
    } catch (const SettingError& e) {
        usage = e.what();
        setting = e.setting();
    }
    EXPECT_NE(usage.find("unknown format 'no-such-format'"), std::string::npos) << usage;
    EXPECT_EQ(setting, "format");  // the app words it as --format
    for (const auto& e : io::track_formats()) {
        EXPECT_EQ(io::parse_format(std::string(e.name)), e.format) << e.name;
        EXPECT_STREQ(io::to_string(e.format), std::string(e.name).c_str());
        EXPECT_NE(help.find(", " + std::string(e.name)), std::string::npos) << e.name << " missing from: " << help;
        EXPECT_NE(usage.find(", " + std::string(e.name)), std::string::npos) << e.name << " missing from: " << usage;
    }
}

TEST(FormatRegistry, EveryFuzzTargetIsNamed) {
    std::map<std::string, std::string> named;  // target -> who names it
    for (const auto& e : io::track_formats())
        for (const auto& t : e.fuzz_targets) named.emplace(std::string(t), "format " + std::string(e.name));
    std::set<std::string> shared;
    for (const auto& s : io::shared_fuzz_targets()) {
        EXPECT_FALSE(s.covers.empty()) << s.name;
        EXPECT_TRUE(named.emplace(std::string(s.name), "shared").second) << s.name << " is both shared and a format's";
        shared.insert(std::string(s.name));
    }
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "fuzz")) {
        const auto file = entry.path().filename().string();
        if (file.rfind("fuzz_", 0) != 0 || entry.path().extension() != ".cpp") continue;
        ++files;
        const auto target = entry.path().stem().string();
        const auto it = named.find(target);
        EXPECT_NE(it, named.end()) << "fuzz/" << file << " is named by no registry entry (io/format_registry.cpp)";
        // A target that drives a format's loader belongs to that format's entry.
        if (slurp(entry.path()).find("detail::load_") != std::string::npos) {
            EXPECT_FALSE(shared.count(target)) << "fuzz/" << file << " runs a loader but is listed as shared";
        }
    }
    EXPECT_EQ(files, named.size()) << "the registry names a fuzz target that fuzz/ does not have";
}

TEST(FormatRegistry, DocsFormatTableMatchesTheRegistry) {
    // docs/formats.md: | `--format` | format | detected by |
    const std::string all = slurp(source_dir() / "docs" / "formats.md");
    const auto head = all.find("| `--format` | format | detected by |");
    ASSERT_NE(head, std::string::npos) << "docs/formats.md: the format table's header is gone";
    const auto end = all.find("\n\n", head);
    const std::string doc = all.substr(head, end == std::string::npos ? std::string::npos : end - head);
    const std::regex row(R"(\n\| `([a-z0-9-]+)` \| ([^|\n]+) \| ([^\n]+) \|)");
    std::map<std::string, std::pair<std::string, std::string>> rows;
    for (auto it = std::sregex_iterator(doc.begin(), doc.end(), row); it != std::sregex_iterator(); ++it)
        rows[(*it)[1]] = {(*it)[2], (*it)[3]};
    for (const auto& e : io::track_formats()) {
        SCOPED_TRACE(std::string(e.name));
        const auto r = rows.find(std::string(e.name));
        ASSERT_NE(r, rows.end()) << "docs/formats.md has no row for --format " << e.name;
        EXPECT_EQ(r->second.first, e.description);
        EXPECT_EQ(r->second.second, e.detect == io::DetectStage::name_only ? std::string("never detected") : std::string(e.detected_by));
        rows.erase(r);
    }
    for (const auto& [name, _] : rows) ADD_FAILURE() << "docs/formats.md lists --format " << name << ", which the registry does not have";
}
