#include "io/map/assets.hpp"

#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "core/error.hpp"

namespace fr::io {

namespace {

std::filesystem::path exe_dir() {
    std::error_code ec;
    auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path{} : p.parent_path();
}

bool looks_like_assets(const std::filesystem::path& d) {
    std::error_code ec;
    return std::filesystem::exists(d / "basemap", ec) || std::filesystem::exists(d / "airports", ec);
}

}  // namespace

std::filesystem::path asset_dir() {
    std::vector<std::filesystem::path> tried;
    if (const char* env = std::getenv("FLIGHTREPLAY_DATA_DIR"); env && *env) {
        tried.emplace_back(env);
        if (looks_like_assets(tried.back())) return tried.back();
    }
    const auto exe = exe_dir();
    if (!exe.empty()) {
        tried.push_back(exe / "../share/flightreplay");
        if (looks_like_assets(tried.back())) return std::filesystem::weakly_canonical(tried.back());
    }
    tried.emplace_back(FR_ASSET_DIR_BUILD);
    if (looks_like_assets(tried.back())) return tried.back();
    tried.emplace_back(FR_ASSET_DIR_INSTALL);
    if (looks_like_assets(tried.back())) return tried.back();
    std::string list;
    for (const auto& t : tried) list += (list.empty() ? "" : ", ") + t.string();
    throw IoError("cannot find the asset directory (tried " + list + "); set FLIGHTREPLAY_DATA_DIR");
}

std::filesystem::path asset_path(const std::filesystem::path& rel) {
    auto p = asset_dir() / rel;
    if (!std::filesystem::exists(p)) throw IoError("missing asset " + p.string());
    return p;
}

std::optional<std::filesystem::path> optional_asset_path(const std::filesystem::path& rel) {
    std::error_code ec;
    auto p = asset_dir() / rel;
    if (std::filesystem::exists(p, ec)) return p;
    for (const auto& base : {exe_dir() / "../derived", exe_dir() / "../../derived", std::filesystem::path(FR_DERIVED_DIR_BUILD)}) {
        if (base.empty()) continue;
        p = base / rel;
        if (std::filesystem::exists(p, ec)) return p;
    }
    return std::nullopt;
}

}  // namespace fr::io
