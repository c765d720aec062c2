#pragma once
// Colours, line widths and text sizes. Sizes are in pixels at 1080 lines of output and scale
// with the output height so 640x360 and 3840x2160 frames look the same.
#include <array>
#include <string>

namespace fr::render {

struct Rgba {
    double r = 0, g = 0, b = 0, a = 1;
};
/// "#rrggbb" or "#rrggbbaa"; throws fr::UsageError on bad syntax.
Rgba parse_colour(const std::string& hex);

struct Style {
    std::string name = "light";
    Rgba ocean{0.855, 0.906, 0.941};
    Rgba land{0.961, 0.953, 0.929};
    Rgba lake{0.855, 0.906, 0.941};
    Rgba border{0.62, 0.60, 0.58, 0.9};
    Rgba coastline{0.47, 0.55, 0.62};
    Rgba graticule{0.60, 0.68, 0.76, 0.45};
    Rgba trail{0.85, 0.28, 0.06};
    Rgba trail_gap{0.42, 0.46, 0.49};
    Rgba great_circle{0.11, 0.45, 0.75};
    Rgba airport{0.15, 0.15, 0.18};
    Rgba text{0.10, 0.10, 0.12};
    Rgba halo{1, 1, 1, 0.85};
    Rgba card_bg{1, 1, 1, 0.92};
    Rgba card_border{0.35, 0.35, 0.40};
    Rgba stop{0.58, 0.16, 0.56};
    Rgba warning_bg{0.69, 0.13, 0.10, 0.92};
    Rgba warning_text{1, 1, 1};
    Rgba timeline_bg{1, 1, 1, 0.88};
    Rgba background{0.93, 0.93, 0.92};    ///< outside the world's outline (globe, world maps)
    Rgba outline{0.40, 0.47, 0.55};       ///< the globe's limb / world outline
    Rgba clip_mark{0.69, 0.13, 0.10};     ///< Mercator's clip latitude
    Rgba river{0.55, 0.68, 0.80};         ///< GSHHG rivers
    Rgba runway{0.42, 0.42, 0.46};        ///< runway surfaces (close range)
    Rgba place_text{0.25, 0.25, 0.28};    ///< city and airport names
    Rgba country_text{0.45, 0.42, 0.40};  ///< country names
    Rgba water_text{0.30, 0.45, 0.60};    ///< ocean, sea and lake names
    Rgba city{0.25, 0.25, 0.28};          ///< city dots
    double trail_width = 3.0;
    double border_width = 0.8;
    double coastline_width = 0.9;
    double river_width = 0.8;
    double font_place = 14;  ///< city, airport and water names; countries get 1.15x
    double font_small = 15, font_normal = 19, font_large = 26;
};

Style light_style();

}  // namespace fr::render
