#pragma once
// Finding bundled assets (basemap, airports, fonts, shaders) at run time: $FLIGHTREPLAY_DATA_DIR,
// then beside the executable (build tree: <exe>/../../assets or the source tree recorded at
// build time), then the install prefix's share/flightreplay.
#include <filesystem>
#include <optional>

namespace fr::io {

/// The asset directory. Throws fr::IoError listing the places tried when none exists.
std::filesystem::path asset_dir();
/// asset_dir() / rel, checked to exist (IoError otherwise).
std::filesystem::path asset_path(const std::filesystem::path& rel);
/// An asset that may be missing: asset_dir() / rel, else the same path under the derived-data
/// directory that set-up fills (`<build>/derived`: GSHHG intermediate and high resolution,
/// built by scripts/build_gshhg.sh), else nullopt.
std::optional<std::filesystem::path> optional_asset_path(const std::filesystem::path& rel);

}  // namespace fr::io
