#include "core/setting_text.hpp"

#include <atomic>

namespace fr {

namespace {

std::atomic<SettingWording> g_wording{nullptr};

}  // namespace

void set_setting_wording(SettingWording wording) noexcept { g_wording.store(wording, std::memory_order_release); }

std::string setting_text(std::string_view key) {
    if (const SettingWording w = g_wording.load(std::memory_order_acquire)) return w(key);
    return "'" + std::string(key) + "'";
}

}  // namespace fr
