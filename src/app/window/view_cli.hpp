#pragma once
// The `view` subcommand's options (the input and view options of `render`, plus the window's
// own) and its entry point. Compiled into fr_app; cli.cpp registers it in three lines.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "app/pipeline.hpp"
#include "app/window/view_command.hpp"

namespace fr::app::window {

class ViewCli {
public:
    explicit ViewCli(CLI::App& app);
    bool parsed() const { return m_sub->parsed(); }
    /// Loads, opens the window, returns the exit status. Throws like run_view.
    int run();

private:
    CLI::App* m_sub;
    LoadRequest m_load;
    std::string m_format = "auto", m_size = "1280x720", m_extent, m_bbox, m_speed;
    ViewRequest m_req;
};

}  // namespace fr::app::window
