#include "render/theme.hpp"

#include <toml++/toml.h>

#include <functional>
#include <map>

#include "core/error.hpp"
#include "core/setting_error.hpp"
#include "io/map/assets.hpp"

namespace fr::render {

namespace {

std::map<std::string, Rgba Style::*> colour_fields() {
    return {{"ocean", &Style::ocean},
            {"land", &Style::land},
            {"lake", &Style::lake},
            {"border", &Style::border},
            {"coastline", &Style::coastline},
            {"graticule", &Style::graticule},
            {"trail", &Style::trail},
            {"trail_gap", &Style::trail_gap},
            {"great_circle", &Style::great_circle},
            {"airport", &Style::airport},
            {"text", &Style::text},
            {"halo", &Style::halo},
            {"card_bg", &Style::card_bg},
            {"card_border", &Style::card_border},
            {"stop", &Style::stop},
            {"warning_bg", &Style::warning_bg},
            {"warning_text", &Style::warning_text},
            {"timeline_bg", &Style::timeline_bg},
            {"background", &Style::background},
            {"outline", &Style::outline},
            {"clip_mark", &Style::clip_mark},
            {"river", &Style::river},
            {"runway", &Style::runway},
            {"place_text", &Style::place_text},
            {"country_text", &Style::country_text},
            {"water_text", &Style::water_text},
            {"city", &Style::city}};
}

std::map<std::string, double Style::*> size_fields() {
    return {{"trail_width", &Style::trail_width}, {"border_width", &Style::border_width}, {"coastline_width", &Style::coastline_width},
            {"font_small", &Style::font_small},   {"font_normal", &Style::font_normal},   {"font_large", &Style::font_large},
            {"river_width", &Style::river_width}, {"font_place", &Style::font_place}};
}

std::string where(const std::filesystem::path& file, const toml::source_region& r) {
    return file.string() + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column) + ": ";
}

}  // namespace

Style load_theme(const std::string& name_or_file) {
    std::filesystem::path file = name_or_file;
    if (file.extension() != ".toml") {
        if (name_or_file != "light" && name_or_file != "dark" && name_or_file != "print")
            throw SettingError("theme", "unknown theme '" + name_or_file + "' (light, dark, print, or a .toml file)");
        file = io::asset_path("themes/" + name_or_file + ".toml");
    }
    toml::table tbl;
    try {
        tbl = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw UsageError(where(file, e.source()) + "invalid theme: " + std::string(e.description()));
    }
    Style st = light_style();
    const auto colours = colour_fields();
    const auto sizes = size_fields();
    for (auto&& [key, node] : tbl) {
        const std::string k(key.str());
        if (k == "name") {
            if (!node.is_string()) throw UsageError(where(file, node.source()) + "'name' must be a string");
            st.name = node.as_string()->get();
        } else if (k == "colours" && node.is_table()) {
            for (auto&& [ck, cv] : *node.as_table()) {
                const auto it = colours.find(std::string(ck.str()));
                if (it == colours.end()) throw UsageError(where(file, cv.source()) + "unknown colour '" + std::string(ck.str()) + "'");
                if (!cv.is_string())
                    throw UsageError(where(file, cv.source()) + "colour '" + std::string(ck.str()) + "' must be a \"#rrggbb\" string");
                try {
                    st.*(it->second) = parse_colour(cv.as_string()->get());
                } catch (const UsageError& e) {
                    throw UsageError(where(file, cv.source()) + "colours." + std::string(ck.str()) + ": " + e.what());
                }
            }
        } else if (k == "sizes" && node.is_table()) {
            for (auto&& [sk, sv] : *node.as_table()) {
                const auto it = sizes.find(std::string(sk.str()));
                if (it == sizes.end()) throw UsageError(where(file, sv.source()) + "unknown size '" + std::string(sk.str()) + "'");
                const auto v = sv.value<double>();
                if (!v || !(*v > 0) || *v > 200)
                    throw UsageError(where(file, sv.source()) + "size '" + std::string(sk.str()) + "' must be a number in (0, 200] pixels");
                st.*(it->second) = *v;
            }
        } else {
            throw UsageError(where(file, node.source()) + "unknown theme key '" + k + "' (name, [colours], [sizes])");
        }
    }
    return st;
}

}  // namespace fr::render
