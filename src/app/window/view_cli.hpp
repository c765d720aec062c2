#pragma once
// The `view` subcommand: every option of the one option table (app/scene_file.hpp) and
// --scene, so a scene dumped by `render --dump-scene` opens unchanged; render-only options are
// accepted and ignored with one notice, and --size is the window's size (default 1280x720, or
// the scene file's size). Compiled into fr_app; cli.cpp registers it in three lines.
#include <CLI/CLI.hpp>

#include <string>

#include "app/scene_file.hpp"
#include "app/window/view_command.hpp"

namespace fr::app::window {

/// The window's default size when neither --size nor a scene file gives one.
inline constexpr int kDefaultWindowWidth = 1280, kDefaultWindowHeight = 720;

class ViewCli {
public:
    explicit ViewCli(CLI::App& app);
    bool parsed() const { return m_sub->parsed(); }
    /// Loads, opens the window, returns the exit status. Throws like run_view.
    int run();

    /// The request `view` works from, after parsing: the window's default size, then the
    /// scene file, then the command line; render-only options reset to their defaults, with
    /// their names (for the notice) added to `ignored`. Throws fr::UsageError.
    RenderRequest request(std::vector<std::string>& ignored) const;
    /// `rq` with render-only options reset to their defaults; their names added to `ignored`.
    static RenderRequest view_request(RenderRequest rq, std::vector<std::string>& ignored);

private:
    CLI::App* m_sub;
    CliBindings m_bindings;
    std::string m_scene_file;
};

}  // namespace fr::app::window
