#!/usr/bin/env python3
"""The libraries' layering, checked on the #include lines of src/ (docs/ARCHITECTURE.md).

Each library may include its own headers and those of the libraries below it, never above:

    core < geo < io < analysis < render < export_report < window < app < python
    core < export (the frame, PNG and video writers know nothing of tracks or maps)
    analysis < render < pipeline < window (load -> merge -> analyse, and the scene's map sources;
        draws nothing; export for AtomicFile)

A static library that includes a header of a library linked after it builds, but fails to link
wherever the linker meets the two in the other order (a sanitizer build did exactly that), so
the rule is checked on the source, not left to the link order.

A library's private headers (the PRIVATE list of its fr_headers() call in CMake) are included
only by the library's own sources: another library including one is a violation too.

Libraries below the app name settings by key in their messages (fr::setting_text) and spell
no command-line flag in a string literal: the front end words them.

    scripts/check_layers.py [SRC_DIR]     exit 0: clean; 1: violations listed; 2: usage
    scripts/check_layers.py --self-test   checks that a planted violation is caught
"""
import os
import re
import sys
import tempfile

# Library of a source file: the CMake target that compiles it (read from src/*/CMakeLists.txt,
# add_library and target_sources; a header goes with its .cpp), else the first match of (path
# prefix relative to src/, library).
LIBRARY_OF = [
    ("app/window/", "window"),
    ("app/", "app"),
    ("export/track_export.", "export_report"),
    ("export/vector_still.", "export_report"),
    ("export/", "export"),
    ("python/", "python"),
    ("pipeline/", "pipeline"),
    ("render/", "render"),
    ("analysis/", "analysis"),
    ("io/", "io"),
    ("geo/", "geo"),
    ("core/", "core"),
]

# What each library may include (its own headers included).
BELOW = {
    "core": {"core"},
    "geo": {"core", "geo"},
    "io": {"core", "geo", "io"},
    "analysis": {"core", "geo", "io", "analysis"},
    "render": {"core", "geo", "io", "analysis", "render"},
    "export": {"core", "export"},
    "pipeline": {"core", "geo", "io", "analysis", "render", "export", "pipeline"},
    "export_report": {"core", "geo", "io", "analysis", "export", "export_report"},
    "window": {"core", "geo", "io", "analysis", "pipeline", "render", "export", "export_report", "window"},
    "app": {"core", "geo", "io", "analysis", "pipeline", "render", "export", "export_report", "window", "app"},
    "python": {"core", "geo", "io", "analysis", "pipeline", "render", "export", "export_report", "window", "app", "python"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
TARGET_NAMES = {"fr_python_core": "python"}
CMAKE_SOURCES = re.compile(r"\b(add_library|target_sources)\s*\(\s*(fr_\w+)([^)]*)\)", re.S)
CMAKE_HEADERS = re.compile(r"\bfr_headers\s*\(\s*(fr_\w+)([^)]*)\)", re.S)


def lib_name(target):
    return TARGET_NAMES.get(target, target[len("fr_"):])


def private_headers(src):
    """{header path relative to src/: library} from the PRIVATE lists of fr_headers() calls."""
    out = {}
    for root, _, files in os.walk(src):
        if "CMakeLists.txt" not in files:
            continue
        with open(os.path.join(root, "CMakeLists.txt"), encoding="utf-8") as f:
            text = re.sub(r"#[^\n]*", "", f.read())
        for target, args in CMAKE_HEADERS.findall(text):
            section = None
            for word in args.split():
                if word in ("PRIVATE", "EXCEPT", "HEADERS"):
                    section = word
                elif section == "PRIVATE":
                    rel = os.path.relpath(os.path.join(root, word), src).replace(os.sep, "/")
                    out[rel] = lib_name(target)
    return out


def cmake_libraries(src):
    """{path relative to src/ without extension: library} from the CMakeLists' source lists."""
    out = {}
    for root, _, files in os.walk(src):
        if "CMakeLists.txt" not in files:
            continue
        with open(os.path.join(root, "CMakeLists.txt"), encoding="utf-8") as f:
            text = re.sub(r"#[^\n]*", "", f.read())
        for _, target, args in CMAKE_SOURCES.findall(text):
            lib = lib_name(target)
            for word in args.split():
                word = word.replace("${CMAKE_CURRENT_SOURCE_DIR}/", "")
                if word.endswith(".cpp"):
                    rel = os.path.relpath(os.path.join(root, word), src).replace(os.sep, "/")
                    out[rel[: -len(".cpp")]] = lib
    return out


def library_of(rel, built=None):
    if built:
        stem = rel.rsplit(".", 1)[0]
        if stem in built:
            return built[stem]
    for prefix, lib in LIBRARY_OF:
        if rel.startswith(prefix):
            return lib
    return None


# Libraries below the app name settings by key (fr::setting_text, fr::SettingError) and never
# spell a command-line flag in a message: the front end words them.
NO_FLAGS = {"core", "geo", "io", "analysis", "render", "export", "export_report", "pipeline"}
STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
FLAG = re.compile(r"(?:^|[\s(`'])--[a-z][a-z0-9-]")


def flag_in_code(line):
    """The first string literal of `line` (outside // comments) that spells a --flag, or None."""
    if line.lstrip().startswith("//"):
        return None
    for m in STRING.finditer(line):
        before = line[: m.start()]
        if "//" in before.replace("://", ""):
            return None
        if FLAG.search(m.group(0)[1:-1]):
            return m.group(0)
    return None


def check(src):
    problems = []
    built = cmake_libraries(src)
    private = private_headers(src)
    for root, _, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith((".cpp", ".hpp", ".h")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src).replace(os.sep, "/")
            lib = library_of(rel, built)
            if lib not in BELOW:
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                for n, line in enumerate(f, 1):
                    if lib in NO_FLAGS and (lit := flag_in_code(line)):
                        problems.append(f"src/{rel}:{n}: library {lib} spells a command-line flag in {lit} "
                                        f"(name the setting with fr::setting_text instead)")
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    target = library_of(m.group(1), built)
                    if target is not None and target not in BELOW[lib]:
                        problems.append(f"src/{rel}:{n}: library {lib} includes \"{m.group(1)}\" of library "
                                        f"{target}, which is above it")
                    elif m.group(1) in private and private[m.group(1)] != lib:
                        problems.append(f"src/{rel}:{n}: library {lib} includes \"{m.group(1)}\", a private header "
                                        f"of library {private[m.group(1)]}")
    return problems


def self_test():
    with tempfile.TemporaryDirectory() as d:
        for rel, text in {
            "core/a.hpp": '#include "core/b.hpp"\n',
            "app/window/w.cpp": '#include "render/scene.hpp"\n#include "app/cli.hpp"\n#include "pipeline/pipeline.hpp"\n',
            "app/window/view_command.cpp": '#include "app/cli.hpp"\n',
            "pipeline/p.cpp": '#include "analysis/analysis.hpp"\n#include "app/cli.hpp"\n',
            "render/r.cpp": '#include "pipeline/pipeline.hpp"\n',
            "app/window/CMakeLists.txt": "add_library(fr_window STATIC w.cpp)\n"
                                         "target_sources(fr_app PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/view_command.cpp)\n",
            "app/window/moved.cpp": '#include "app/render_command.hpp"\n',
            "export/png_writer.cpp": '#include "render/scene.hpp"\n',
            "io/CMakeLists.txt": "add_library(fr_io STATIC tar_walk.cpp reader.cpp)\n"
                                 "fr_headers(fr_io PRIVATE tar_walk.hpp # the walk\n  EXCEPT other.hpp)\n",
            "io/tar_walk.hpp": "",
            "io/reader.cpp": '#include "io/tar_walk.hpp"\n',
            "analysis/uses_private.cpp": '#include "io/loader.hpp"\n#include "io/tar_walk.hpp"\n',
            "io/hint.cpp": '// a comment may say --format\nthrow IoError("x; use " + setting_text("format") + " y");\n'
                           'throw IoError("bad; use --format to force one");  // "--no"\n',
            "app/words.cpp": 'std::cerr << "use --format";\n',
        }.items():
            os.makedirs(os.path.join(d, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(d, rel), "w") as f:
                f.write(text)
        got = check(d)
        want = ["src/app/window/w.cpp:2", "src/app/window/moved.cpp:1", "src/export/png_writer.cpp:1",
                "src/pipeline/p.cpp:2", "src/render/r.cpp:1", "src/analysis/uses_private.cpp:2", "src/io/hint.cpp:3"]
        found = [p.split(": ")[0] for p in got]
        if sorted(found) != sorted(want):
            print("check_layers self-test FAILED: expected violations at", want, "got", got)
            return 1
    print("check_layers self-test: the planted violations were caught")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) > 2:
        print(__doc__)
        return 2
    src = argv[1] if len(argv) == 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
    problems = check(src)
    for p in problems:
        print(p)
    if problems:
        print(f"check_layers: {len(problems)} include(s) or message(s) against the layering")
        return 1
    print("check_layers: every include respects the layering; no library below the app spells a flag")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
