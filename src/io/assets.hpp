#pragma once
// Finding bundled assets (basemap, airports, fonts, shaders) at run time: $FLIGHTREPLAY_DATA_DIR,
// then beside the executable (build tree: <exe>/../../assets or the source tree recorded at
// build time), then the install prefix's share/flightreplay.
#include <filesystem>

namespace fr::io {

/// The asset directory. Throws fr::IoError listing the places tried when none exists.
std::filesystem::path asset_dir();
/// asset_dir() / rel, checked to exist (IoError otherwise).
std::filesystem::path asset_path(const std::filesystem::path& rel);

}  // namespace fr::io
