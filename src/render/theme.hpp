#pragma once
// Themes: a Style read from a small TOML file (assets/themes/light.toml, dark.toml,
// print.toml, or any file). Keys: `name`, a [colours] table of "#rrggbb" / "#rrggbbaa" values
// and a [sizes] table of pixel sizes at 1080 lines; keys left out keep the light default.
#include <filesystem>
#include <string>

#include "render/style.hpp"

namespace fr::render {

/// `name_or_file`: a bundled theme name ("light", "dark", "print") or a path to a .toml file.
/// Throws fr::UsageError for an unknown name, and for a bad file with "FILE:LINE:COLUMN:" and
/// the offending key (unknown keys are errors, so a typo never silently does nothing).
Style load_theme(const std::string& name_or_file);

}  // namespace fr::render
