#pragma once
// A usage error about one setting's value, thrown by a library that checks the value but does
// not know how the user spelled the setting (a command-line flag, a scene-file key, a Python
// keyword). setting() is the library's own name for it (the SceneOptions field, e.g.
// "zoom_km"); what() describes the value ("the zoom width must be > 0 km"). The caller words
// the message: the command line as "--zoom-km: the zoom width must be > 0 km" (app/cli.cpp),
// the Python module alike.
#include <string>
#include <utility>

#include "core/error.hpp"

namespace fr {

class SettingError : public UsageError {
public:
    SettingError(std::string setting, const std::string& what) : UsageError(what), m_setting(std::move(setting)) {}
    const std::string& setting() const noexcept { return m_setting; }

private:
    std::string m_setting;
};

}  // namespace fr
