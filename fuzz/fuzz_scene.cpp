// libFuzzer target for TOML scene files (app/scene_file.hpp): the text parse and every option's
// validation (load_scene_text, then validate_request), with no file read: relative paths resolve
// against a folder that does not exist. A bad scene must throw fr::UsageError, nothing else. A
// scene that loads must dump (--dump-scene) and load back to the same dump (a difference aborts).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "app/render_command.hpp"
#include "app/scene_file.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    fr::app::RenderRequest req;
    try {
        fr::app::load_scene_text(text, "fuzz.toml", "/nonexistent-fuzz-dir", req);
    } catch (const fr::UsageError& e) {
        return std::string(e.what()).empty() ? 1 : 0;
    }
    try {
        fr::app::validate_request(req);
    } catch (const fr::UsageError&) {}
    const std::string once = fr::app::dump_scene(req);
    fr::app::RenderRequest again;
    try {
        fr::app::load_scene_text(once, "dumped.toml", "/nonexistent-fuzz-dir", again);
    } catch (const fr::UsageError& e) {
        std::fprintf(stderr, "a dumped scene does not load: %s\n%s\n", e.what(), once.c_str());
        std::abort();
    }
    const std::string twice = fr::app::dump_scene(again);
    if (once != twice) {
        std::fprintf(stderr, "scene does not round-trip:\n%s\n---\n%s\n", once.c_str(), twice.c_str());
        std::abort();
    }
    return 0;
}
