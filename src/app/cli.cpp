#include "app/cli.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iostream>
#include <sstream>

#include "analysis/report_json.hpp"
#include "app/index_command.hpp"
#include "app/render_command.hpp"
#include "app/scene_file.hpp"
#include "app/video_command.hpp"
#include "core/diagnostic.hpp"
#include "core/error.hpp"
#include "core/setting_error.hpp"
#include "core/setting_text.hpp"
#include "io/text/input_reader.hpp"
#include "pipeline/pipeline.hpp"
#ifdef FR_HAVE_WINDOW
#include "app/window/view_cli.hpp"
#endif

namespace fr::app {

std::string option_flag(std::string setting) {
    if (setting == "keyframes") return "--keyframe";
    std::replace(setting.begin(), setting.end(), '_', '-');
    return "--" + setting;
}

void install_setting_wording() noexcept {
    fr::set_setting_wording([](std::string_view key) { return option_flag(std::string(key)); });
}

namespace {

std::vector<double> parse_numbers(const std::string& s, std::size_t n, const std::string& what) {
    std::vector<double> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ',')) {
        double v = 0;
        auto r = std::from_chars(item.data(), item.data() + item.size(), v);
        if (r.ec != std::errc{} || r.ptr != item.data() + item.size() || !std::isfinite(v))
            throw UsageError("invalid " + what + " '" + s + "': '" + item + "' is not a number");
        out.push_back(v);
    }
    if (out.size() != n) throw UsageError("invalid " + what + " '" + s + "': expected " + std::to_string(n) + " comma-separated numbers");
    return out;
}

long long parse_ll(const std::string& s, const std::string& what) {
    long long v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) throw UsageError("invalid " + what + " '" + s + "'");
    return v;
}

}  // namespace

std::pair<int, int> parse_size(const std::string& s) {
    const auto x = s.find('x');
    if (x == std::string::npos) throw UsageError("invalid --size '" + s + "': expected WxH, e.g. 1920x1080");
    const std::string limits = "each side " + std::to_string(kMinSide) + " to " + std::to_string(kMaxSide) + " pixels, at most " +
                               std::to_string(kMaxPixels >> 20) + " Mi pixels in all (e.g. 16384x4096)";
    auto side = [&](const std::string& text) {
        long long v = 0;
        auto r = std::from_chars(text.data(), text.data() + text.size(), v);
        if (r.ptr != text.data() + text.size() || text.empty() || (r.ec != std::errc{} && r.ec != std::errc::result_out_of_range))
            throw UsageError("invalid --size '" + s + "': expected WxH, e.g. 1920x1080");
        if (r.ec == std::errc::result_out_of_range || v < kMinSide || v > kMaxSide)
            throw UsageError("invalid --size '" + s + "': " + limits);
        return static_cast<int>(v);
    };
    const int w = side(s.substr(0, x)), h = side(s.substr(x + 1));
    if (static_cast<long long>(w) * h > kMaxPixels) throw UsageError("invalid --size '" + s + "': " + limits);
    return {w, h};
}

geo::Extent parse_extent(const std::string& s) {
    auto v = parse_numbers(s, 4, "--extent");
    if (v[2] <= v[0] || v[3] <= v[1]) throw UsageError("invalid --extent '" + s + "': need xmin < xmax and ymin < ymax");
    return {v[0], v[1], v[2], v[3]};
}

geo::GeoBounds parse_bbox(const std::string& s, const std::string& option) {
    auto v = parse_numbers(s, 4, option);
    if (v[1] < -90 || v[3] > 90 || v[1] >= v[3])
        throw UsageError("invalid " + option + " '" + s + "': latitudes must be -90 <= lat_min < lat_max <= 90");
    double lon_max = v[2];
    if (lon_max <= v[0]) lon_max += 360.0;  // crosses the antimeridian
    if (lon_max - v[0] > 360.0) throw UsageError("invalid " + option + " '" + s + "': longitude span exceeds 360 degrees");
    return {v[0], lon_max, v[1], v[3]};
}

double parse_speed(const std::string& s) {
    std::string t = s;
    if (!t.empty() && (t.back() == 'x' || t.back() == 'X')) t.pop_back();
    double v = 0;
    auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || r.ec != std::errc{} || r.ptr != t.data() + t.size() || !(v > 0))
        throw UsageError("invalid --speed '" + s + "': expected a positive factor such as 600x");
    return v;
}

std::pair<std::optional<long long>, std::optional<std::pair<long long, long long>>> parse_frames(const std::string& s) {
    const auto colon = s.find(':');
    if (colon == std::string::npos) {
        const auto n = parse_ll(s, "--frames");
        if (n <= 0) throw UsageError("invalid --frames '" + s + "': must be positive");
        return {n, std::nullopt};
    }
    const auto a = parse_ll(s.substr(0, colon), "--frames start"), b = parse_ll(s.substr(colon + 1), "--frames end");
    if (a < 0 || b <= a) throw UsageError("invalid --frames '" + s + "': need 0 <= A < B");
    return {std::nullopt, std::pair{a, b}};
}

std::pair<int, int> parse_sheet(const std::string& s) {
    const auto x = s.find('x');
    if (x == std::string::npos) throw UsageError("invalid --sheet '" + s + "': expected CxR (columns x rows), e.g. 2x3");
    const auto c = parse_ll(s.substr(0, x), "--sheet columns"), r = parse_ll(s.substr(x + 1), "--sheet rows");
    if (c < 1 || r < 1 || c * r > 64) throw UsageError("invalid --sheet '" + s + "': need 1 to 64 cells");
    return {static_cast<int>(c), static_cast<int>(r)};
}

int aspect_height(int width, const std::string& aspect) {
    static const std::pair<const char*, std::pair<int, int>> presets[] = {
        {"16:9", {16, 9}}, {"3:2", {3, 2}}, {"4:3", {4, 3}}, {"1:1", {1, 1}}, {"9:16", {9, 16}}};
    for (const auto& [name, ratio] : presets)
        if (aspect == name) {
            // Rounded to an even number so the size also suits yuv420p video.
            const long long h = 2 * std::llround(static_cast<double>(width) * ratio.second / ratio.first / 2.0);
            return static_cast<int>(std::max(2LL, h));
        }
    throw UsageError("invalid --aspect '" + aspect + "': one of 16:9, 3:2, 4:3, 1:1, 9:16");
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

std::string nearest_name(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = std::string::npos;
    int prefixed = 0;
    std::string prefix_match;
    for (const auto& c : candidates) {
        const auto d = edit_distance(word, c);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
        if (word.size() >= 3 && c.rfind(word, 0) == 0) {
            ++prefixed;
            prefix_match = c;
        }
    }
    const std::size_t allowed = std::max<std::size_t>(1, word.size() / 3);
    if (best_d != std::string::npos && best_d > 0 && best_d <= allowed) return best;
    if (prefixed == 1) return prefix_match;
    return {};
}

namespace {

/// A parse error in our words: unknown commands and options get the nearest valid name.
std::string usage_error_text(CLI::App& app, int argc, char** argv, const CLI::ParseError& e) {
    const std::string help = " (flightreplay --help lists the commands)";
    std::vector<std::string> commands;
    for (const auto* sub : app.get_subcommands([](CLI::App*) { return true; })) commands.push_back(sub->get_name());
    int i = 1;
    while (i < argc && argv[i][0] == '-') ++i;  // global flags (--version, --help) come first
    if (i >= argc) return "no command given: one of info, render, view, concat, index" + help;
    const std::string command = argv[i];
    CLI::App* sub = nullptr;
    for (auto* s : app.get_subcommands([](CLI::App*) { return true; }))
        if (s->get_name() == command) sub = s;
    if (!sub) {
        const auto near = nearest_name(command, commands);
        return "unknown command '" + command + "'" + (near.empty() ? "" : "; did you mean '" + near + "'?") + help;
    }
    for (int k = i + 1; k < argc; ++k) {
        const std::string arg = argv[k];
        if (arg == "--") break;
        if (arg.size() < 3 || arg.rfind("--", 0) != 0) continue;
        const std::string name = arg.substr(0, arg.find('='));
        if (sub->get_option_no_throw(name) || name == "--help") continue;
        std::vector<std::string> names;
        for (const auto* o : sub->get_options())
            for (const auto& l : o->get_lnames()) names.push_back("--" + l);
        const auto near = nearest_name(name, names);
        return command + ": unknown option '" + name + "'" + (near.empty() ? "" : "; did you mean '" + near + "'?") + " (flightreplay " +
               command + " --help lists them)";
    }
    return command + ": " + e.what() + " (flightreplay " + command + " --help)";
}

}  // namespace

int main_entry(int argc, char** argv) {
    install_setting_wording();  // the libraries' messages name settings by their flags
    CLI::App app{"flightreplay: replay recorded flight tracks over a map and export what it shows"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("flightreplay ") + FR_VERSION);

    // Every render option is described once in scene_file.cpp's table (CLI and scene files).
    auto* info = app.add_subcommand("info", "print legs, ground stops and coverage gaps");
    CliBindings info_options;
    info_options.add_to(*info, CliBindings::Command::info);
    bool json = false;
    info->add_flag("--json", json, "print the documented JSON schema instead of a table");

    auto* render =
        app.add_subcommand("render", "render a still (.png, .svg, .pdf), a video (.mp4, .webm) or analysed tracks (.geojson, .kml, .gpkg)");
    CliBindings render_options;
    render_options.add_to(*render, CliBindings::Command::render);
    std::string scene_file;
    bool dump = false;
    render->add_option("--scene", scene_file, "read options from a TOML scene file (command-line options override it)");
    render->add_flag("--dump-scene", dump, "print the scene this command would render, as TOML, and render nothing");

    // `concat`: join shards rendered with --frames A:B by stream copy (src/app/video_command.cpp).
    auto* concat = app.add_subcommand("concat", "join video shards (render --frames A:B) without re-encoding");
    std::vector<std::filesystem::path> concat_inputs;
    std::filesystem::path concat_output;
    bool concat_quiet = false;
    concat->add_option("shards", concat_inputs, "shard files in frame order")->required();
    concat->add_option("-o,--output", concat_output, "output file: .mp4, .webm or .mkv")->required();
    concat->add_flag("-q,--quiet", concat_quiet, "no summary on stderr");

    // `index`: the member index of globe-history day archives (src/app/index_command.cpp).
    auto* index = app.add_subcommand("index", "index globe-history day archives so that later queries read only the matching members");
    std::vector<std::filesystem::path> index_inputs;
    std::filesystem::path index_dir;
    bool index_force = false, index_quiet = false;
    std::string index_max_input;
    index->add_option("archives", index_inputs, "archives: NAME.tar or any of its split parts NAME.tar.aa ...")->required();
    index->add_option("--index-dir", index_dir, "write the index here (default: $XDG_CACHE_HOME/flightreplay/index)");
    index->add_option("--max-input-bytes", index_max_input,
                      "cap on the bytes of one archive member, stored or decompressed, e.g. 512M, 4G (default 2G); a member over it is "
                      "reported and indexed as unreadable");
    index->add_flag("--force", index_force, "rebuild even when a valid index exists");
    index->add_flag("-q,--quiet", index_quiet, "no summary on stderr");

#ifdef FR_HAVE_WINDOW
    window::ViewCli view_cli(app);  // `view`: src/app/window/view_cli.cpp
#endif
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {  // --help, --version
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "flightreplay: " << escape_control(usage_error_text(app, argc, argv, e)) << "\n";  // quotes argv
        return kExitUsage;
    }
    try {
#ifdef FR_HAVE_WINDOW
        if (view_cli.parsed()) return view_cli.run();
#endif
        if (concat->parsed()) return run_concat(concat_inputs, concat_output, concat_quiet);
        if (index->parsed())
            return run_index(
                index_inputs, index_dir, index_force, index_quiet,
                index_max_input.empty() ? io::default_max_input_bytes : io::parse_byte_size(index_max_input, "--max-input-bytes"));
        RenderRequest rq;
        if (info->parsed()) {
            info_options.apply(rq);
            if (rq.load.inputs.empty()) throw UsageError("no input files");
            auto data = load_and_analyse(rq.load);
            std::cerr << format_grouped(data.diagnostics, rq.load.verbose);
            if (data.rows_skipped > 0)
                std::cerr << "flightreplay: " << data.rows_skipped << " of " << data.rows_read << " row(s) skipped\n";
            for (const auto& f : data.stored_indexes)
                std::cerr << "flightreplay: archive index stored in " << escape_control(f.string())
                          << " (the next selection by callsign, registration, type, place or time reads only the members that match)\n";
            // The table holds names from the input (callsigns, airports): no raw control characters.
            std::cout << (json ? analysis::to_json(data.flights, data.analyses)
                               : escape_control(analysis::to_table(data.flights, data.analyses), /*keep_newlines=*/true));
            return 0;
        }
        if (!scene_file.empty()) load_scene_file(scene_file, rq);
        render_options.apply(rq);
        if (dump) {
            std::cout << dump_scene(rq);
            return 0;
        }
        validate_request(rq);
        if (!rq.aspect.empty()) rq.height = aspect_height(rq.width, rq.aspect);  // after the dump: it keeps --aspect
        return run_render(rq);
    } catch (const SettingError& e) {
        // A library's check of one setting: worded here with the option that sets it.
        std::cerr << escape_control("flightreplay: " + option_flag(e.setting()) + ": " + e.what()) << "\n";
        return kExitUsage;
    } catch (const UsageError& e) {
        std::string msg = e.what();
        if (msg.rfind("flightreplay:", 0) != 0) msg = "flightreplay: " + msg;
        std::cerr << escape_control(msg) << "\n";
        return kExitUsage;
    } catch (const std::exception& e) {
        std::string msg = e.what();
        if (msg.rfind("flightreplay:", 0) != 0) msg = "flightreplay: " + msg;
        std::cerr << escape_control(msg) << "\n";
        return kExitData;
    }
}

}  // namespace fr::app
