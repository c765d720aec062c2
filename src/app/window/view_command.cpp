#include "app/window/view_command.hpp"

#include <iostream>

#include "app/render_command.hpp"
#include "app/window/replay_window.hpp"
#include "app/window/view_session.hpp"
#include "core/error.hpp"
#include "export/hash.hpp"
#include "io/map/assets.hpp"

namespace fr::app::window {

int run_view(const pipeline::LoadedData& data, const ViewRequest& req) {
    if (req.exit_after && req.screenshot.empty()) throw UsageError("--exit needs --screenshot FILE");
    render::TextEngine text(io::asset_path("fonts/fonts.conf"));
    WindowOptions wo;
    wo.width = req.scene.width;
    wo.height = req.scene.height;
    wo.shaders = req.shaders;
    wo.duration_s = req.duration_s;
    wo.hold_s = req.hold_s;
    wo.clock_skew_s = clock_skew_from_env();
    wo.title = req.scene.title.empty() ? "flightreplay" : "flightreplay - " + req.scene.title;
    wo.screenshot_path = req.screenshot;
    wo.still_dir = req.still_dir;
    wo.quiet = req.quiet;
    wo.png_tags.emplace_back("Software", std::string("flightreplay ") + FR_VERSION);
    std::string inputs;
    for (const auto& line : data.input_hashes()) inputs += (inputs.empty() ? "" : "\n") + line;
    wo.png_tags.emplace_back("Source", inputs);
    ReplayWindow win(data.flights, data.analyses, req.scene, text, wo);
    wo.png_tags.emplace_back("Provenance", to_string(win.scene().provenance()));
    if (!req.quiet)
        std::cerr << "flightreplay: window " << req.scene.width << "x" << req.scene.height << ", "
                  << (win.shaders_active() ? "trails on the GPU (GLSL)" : "all-Cairo (no shaders)") << "; press H for help\n";
    auto& ctl = win.controller();
    if (req.speed) {
        while (ctl.speed() < *req.speed && ctl.speed() < speed_ladder[std::size(speed_ladder) - 1]) ctl.faster();
        while (ctl.speed() > *req.speed && ctl.speed() > speed_ladder[0]) ctl.slower();
    }
    if (req.at) {
        ctl.seek(*req.at);
        ctl.set_paused(true);
    } else {
        ctl.set_paused(req.exit_after);
    }
    win.run(req.exit_after);
    return 0;
}

}  // namespace fr::app::window
