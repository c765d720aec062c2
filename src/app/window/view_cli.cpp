#include "app/window/view_cli.hpp"

#include <iostream>

#include "app/request_check.hpp"
#include "core/error.hpp"

namespace fr::app::window {

ViewCli::ViewCli(CLI::App& app) {
    m_sub = app.add_subcommand("view", "open an interactive replay window (press H in it for the keys)");
    m_bindings.add_to(*m_sub, CliBindings::Command::view);
    m_sub->add_option("--scene", m_scene_file, "read options from a TOML scene file (command-line options override it)");
}

RenderRequest ViewCli::view_request(RenderRequest rq, std::vector<std::string>& ignored) {
    const RenderRequest defaults;
    for (const auto& spec : render_options()) {
        if (spec.scope != OptionScope::render) continue;
        const auto v = spec.get(rq), d = spec.get(defaults);
        if (v == d) continue;
        ignored.push_back("--" + spec.key);
        if (d) spec.set(rq, *d);
    }
    // Options without a default value (output, frames...) are cleared by hand.
    rq.output = OutputSpec{};
    rq.aspect.clear();
    rq.sheet.reset();
    rq.frames.reset();
    rq.frame_slice.reset();
    return rq;
}

RenderRequest ViewCli::request(std::vector<std::string>& ignored) const {
    RenderRequest rq;
    rq.width = kDefaultWindowWidth;  // a scene file's or --size's size overrides
    rq.height = kDefaultWindowHeight;
    if (!m_scene_file.empty()) load_scene_file(m_scene_file, rq);
    m_bindings.apply(rq);
    return view_request(std::move(rq), ignored);
}

int ViewCli::run() {
    std::vector<std::string> ignored;
    RenderRequest rq = request(ignored);
    if (!ignored.empty() && !rq.quiet) {
        std::string list;
        for (const auto& n : ignored) list += (list.empty() ? "" : ", ") + n;
        std::cerr << "flightreplay: view ignores render-only options: " << list << "\n";
    }
    if (rq.load.inputs.empty()) throw UsageError("no input files: give them on the command line or as [input] inputs in a scene file");
    if (rq.window.exit_after && rq.window.screenshot.empty()) throw UsageError("--exit needs --screenshot FILE");
    check_request(rq);
    const auto data = load_and_analyse(rq.load);
    if (!rq.quiet) std::cerr << format_grouped(data.diagnostics, rq.load.verbose);
    resolve_against_data(rq, data.flights);

    ViewRequest v;
    v.scene = make_scene_options(rq, data);
    if (!rq.at.empty()) v.at = rq.at.front().resolve(TimePoint{});  // absolute after resolve_against_data
    v.speed = rq.speed;
    v.duration_s = rq.duration_s.value_or(24.0);
    v.hold_s = rq.hold_s;
    v.shaders = rq.window.shaders;
    v.screenshot = rq.window.screenshot;
    v.exit_after = rq.window.exit_after;
    v.still_dir = rq.window.still_dir.empty() ? std::filesystem::path(".") : rq.window.still_dir;
    v.quiet = rq.quiet;
    return run_view(data, v);
}

}  // namespace fr::app::window
