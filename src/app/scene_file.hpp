#pragma once
// Every `render` option, described once: the table below drives both the CLI11 registration
// (cli.cpp) and the TOML scene files (`--scene FILE`, `--dump-scene`), so a figure can be
// re-rendered exactly later and the two can never drift apart. Adding an option is one line in
// `render_options()` (scene_file.cpp). Schema and examples: docs/scene-files.md.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "app/render_command.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace fr::app {

/// Which subcommands take an option: `render`, `view` (the window), or both. `view` accepts
/// render-only options too (so a dumped scene opens unchanged) and ignores them with one notice.
enum class OptionScope { both, render, view };

/// What an option holds: a flag (bool), an integer, a real, one text value or a list of texts.
enum class OptionKind { flag, integer, real, text, list };
using OptionValue = std::variant<bool, long long, double, std::string, std::vector<std::string>>;

struct OptionSpec {
    std::string key;      ///< TOML key = the long option name without "--" ("great-circles", "output")
    std::string section;  ///< TOML table: input, output, view, time, layout, video, run
    std::string cli;      ///< CLI11 names, e.g. "-o,--output" or "--labels,!--no-labels"; empty: positional "key"
    std::string help;
    OptionKind kind = OptionKind::text;
    bool path = false;     ///< values are file paths: relative ones in a scene file are relative to that file
    bool on_info = false;  ///< also an option of `info` (the input options)
    OptionScope scope = OptionScope::both;
    /// A list option that takes one value per occurrence (`--overlay A --overlay B`), so a
    /// track file after it stays an input and each --overlay-label finds its --overlay.
    bool one_value_each = false;
    /// Stores a value into the request; throws fr::UsageError naming the option when invalid.
    std::function<void(RenderRequest&, const OptionValue&)> set;
    /// The request's value; nullopt when unset (not written to a scene).
    std::function<std::optional<OptionValue>(const RenderRequest&)> get;
};

/// The table, in the order options appear in help and in dumped scenes.
const std::vector<OptionSpec>& render_options();

/// CLI11 side: registers every option (or only the input options) of the table on `sub`,
/// storing raw values; `apply()` then copies those given on the command line into a request,
/// so they override whatever a scene file set.
class CliBindings {
public:
    /// The subcommand registering: `info` (input options only), `render` (all but view-only
    /// ones) or `view` (all).
    enum class Command { info, render, view };
    void add_to(CLI::App& sub, Command command);
    /// The table entries given on the command line.
    std::vector<const OptionSpec*> given() const;
    /// Copies the options present on the command line into `req`. Throws fr::UsageError.
    void apply(RenderRequest& req) const;

private:
    struct Slot {
        const OptionSpec* spec = nullptr;
        CLI::Option* option = nullptr;
        bool flag = false;
        std::string text;
        std::vector<std::string> list;
    };
    std::vector<std::unique_ptr<Slot>> m_slots;
    const CLI::App* m_app = nullptr;  ///< the subcommand (its parse order places --overlay-label)
};

/// Reads a TOML scene file into `req` (over its current values). Relative paths are taken
/// relative to the file's folder. Unknown tables or keys, wrong types and invalid values throw
/// fr::UsageError "FILE:LINE:COLUMN: what was wrong (what was done)".
void load_scene_file(const std::filesystem::path& file, RenderRequest& req);
/// Same, from text (`origin` names it in messages; relative paths resolve against `base_dir`).
void load_scene_text(std::string_view toml_text, const std::string& origin, const std::filesystem::path& base_dir, RenderRequest& req);

/// The scene `req` describes, as TOML: every set option, paths made absolute, each key
/// preceded by its help text as a comment. Deterministic: same request, same bytes.
std::string dump_scene(const RenderRequest& req);

/// Checks what only the whole request can tell (an input and an output are given, --frames A:B
/// has --duration). Throws fr::UsageError.
void validate_request(const RenderRequest& req);

}  // namespace fr::app
