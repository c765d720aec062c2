#pragma once
// How a message names a setting. The libraries know their settings by key ("input_tz",
// "max_tiles": the option table's names) but not how the user spelled them: a command-line flag
// ("--input-tz"), a scene-file key, a Python keyword. A message that points the user at a
// setting ("give the receiver's zone with <input_tz> ZONE") asks setting_text(key), and the front
// end decides the words once, at start-up, with set_setting_wording: the command line and the
// Python module (whose keywords are the command line's options) install the flag spelling. Without
// a front end (unit tests, a library user) a key reads as the key in single quotes ('input_tz').
// SettingError (core/setting_error.hpp) is the same idea for errors about one setting's value.
#include <string>
#include <string_view>

namespace fr {

/// Words a setting's key for the user; must be safe to call from any thread.
using SettingWording = std::string (*)(std::string_view key);

/// Installs the front end's wording (null: the default). Call before any thread is started.
void set_setting_wording(SettingWording wording) noexcept;

/// The setting `key` as the user knows it: the installed wording, else 'key'.
std::string setting_text(std::string_view key);

}  // namespace fr
