#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "core/setting_text.hpp"

using namespace fr;

// Messages quote input; what() is a C string, so a raw NUL would cut the message short there
// and raw control bytes would reach the terminal.
TEST(Error, MessageWithNulIsEscapedNotCut) {
    const UsageError e(std::string("unknown key 'a\0b' in [input] (scene file not read)", 50));
    EXPECT_EQ(std::string(e.what()), "unknown key 'a\\x00b' in [input] (scene file not read)");
}

TEST(Error, ControlBytesAndBadUtf8AreEscapedNewlinesKept) {
    const IoError e("flightreplay: day.tar(traces/\x1b[2Jx\xff.json): corrupt\nsecond line\tend");
    EXPECT_EQ(std::string(e.what()), "flightreplay: day.tar(traces/\\x1b[2Jx\\xff.json): corrupt\nsecond line\tend");
}

TEST(Error, EscapingTwiceChangesNothing) {
    // Messages are often re-thrown inside others (scene file: "FILE:LINE: " + e.what()).
    const UsageError inner(std::string("bad \x07 value \0 here", 18));
    const UsageError outer(std::string("scene.toml:3:1: ") + inner.what());
    EXPECT_EQ(std::string(outer.what()), "scene.toml:3:1: bad \\x07 value \\x00 here");
}

// Libraries name a setting by key; the front end decides the words (the command line installs
// its flags). Without a front end the key is quoted as it is.
TEST(SettingText, TheFrontEndWordsASettingTheLibrariesNameByKey) {
    EXPECT_EQ(setting_text("input_tz"), "'input_tz'");
    set_setting_wording([](std::string_view key) { return "<" + std::string(key) + ">"; });
    EXPECT_EQ(setting_text("input_tz"), "<input_tz>");
    // A message built by a library after the front end spoke uses its words.
    const std::string hint = "give the zone with " + setting_text("input_tz") + " ZONE";
    EXPECT_EQ(hint, "give the zone with <input_tz> ZONE");
    set_setting_wording(nullptr);
    EXPECT_EQ(setting_text("max_tiles"), "'max_tiles'");
}
