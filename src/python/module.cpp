// flightreplay._core: the pybind11 layer under the `flightreplay` Python package
// (flightreplay/__init__.py holds the user-facing API; docs/python.md describes both).
//
// Everything here goes through the command line's own code: the option table of
// src/app/scene_file.cpp (so keyword arguments are validated exactly as command-line options),
// load_and_analyse, the info JSON report, draw_raster_still/write_still and render_video.
//
// Threads and the GIL: each long call (load, still, video, export) runs on a worker thread
// that owns every C handle it creates (PROJ, Cairo, GDAL, FFmpeg) from construction to
// destruction. The calling thread releases the GIL and waits in steps of at most
// kSignalPoll; between steps it takes the GIL, runs PyErr_CheckSignals() and the progress
// callback. When a signal handler raises (Ctrl-C: KeyboardInterrupt), the worker's cancel
// flag is set, the worker is joined (a video removes its partial file on the way out) and
// the exception is re-raised. The module installs no signal handlers: Python's own handler
// sets the flag that PyErr_CheckSignals() sees.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "analysis/report_json.hpp"
#include "app/cli.hpp"
#include "app/render_command.hpp"
#include "app/scene_file.hpp"
#include "app/still_command.hpp"
#include "app/video_command.hpp"
#include "core/error.hpp"
#include "core/setting_error.hpp"
#include "core/track.hpp"
#include "export/png_writer.hpp"
#include "export/video_encoder.hpp"
#include "pipeline/pipeline.hpp"

namespace py = pybind11;

namespace {

using namespace std::chrono_literals;

/// How often the waiting thread checks for signals: the binding's promise is "at least every
/// 100 ms"; 50 ms leaves room for the GIL hand-over.
constexpr auto kSignalPoll = 50ms;

/// A loader's strict-mode failure with the position of the first problem, raised in Python
/// as flightreplay.StrictError (file, line, column, message attributes).
struct StrictFailure {
    std::string what, file, message;
    std::uint64_t line = 0, column = 0;
};

/// Progress of the worker, read by the waiting thread.
struct ProgressState {
    std::atomic<long long> done{0}, total{0};
    std::atomic<const char*> pass{""};
    std::atomic<bool> changed{false};
};

/// Runs `work` on a worker thread; the calling thread (holding the GIL on entry) releases the
/// GIL while waiting, and every kSignalPoll takes it to check signals and report progress.
/// On a Python exception (a signal handler's or the progress callback's) `cancel` is set, the
/// worker joined and the exception re-raised. C++ exceptions of the worker propagate.
template <class F>
auto run_interruptible(F&& work, std::atomic<bool>& cancel, ProgressState* progress, const py::object& on_progress) {
    using R = decltype(work());
    std::packaged_task<R()> task(std::forward<F>(work));
    auto result = task.get_future();
    std::thread worker(std::move(task));
    std::optional<py::error_already_set> failure;
    long long reported_done = -1;
    const char* reported_pass = nullptr;
    auto report = [&] {
        if (!progress || on_progress.is_none() || !progress->changed.exchange(false)) return;
        const char* pass = progress->pass.load();
        const long long done = progress->done.load();
        if (done == reported_done && pass == reported_pass) return;
        reported_done = done;
        reported_pass = pass;
        on_progress(done, progress->total.load(), std::string(pass));
    };
    for (;;) {
        bool ready = false;
        {
            py::gil_scoped_release release;
            ready = result.wait_for(kSignalPoll) == std::future_status::ready;
        }
        if (ready) break;
        if (failure) continue;  // already cancelling: wait for the worker to clean up
        if (PyErr_CheckSignals() != 0) {
            failure.emplace();  // fetches the pending exception (KeyboardInterrupt for Ctrl-C)
            cancel = true;
            continue;
        }
        try {
            report();
        } catch (py::error_already_set& e) {
            failure.emplace(std::move(e));
            cancel = true;
        }
    }
    {
        py::gil_scoped_release release;
        worker.join();
    }
    if (failure) {
        // The worker's own outcome (its exception, or the cancelled status) is dropped: the
        // Python exception says why the work stopped.
        try {
            (void)result.get();
        } catch (...) {}
        throw std::move(*failure);
    }
    if constexpr (std::is_void_v<R>) {
        result.get();
        report();
    } else {
        R r = result.get();
        report();
        return r;
    }
}

// ---- options ----------------------------------------------------------------------------------

const fr::app::OptionSpec* find_option(const std::string& key) {
    for (const auto& s : fr::app::render_options())
        if (s.key == key) return &s;
    return nullptr;
}

const char* kind_name(fr::app::OptionKind k) {
    switch (k) {
        case fr::app::OptionKind::flag: return "flag";
        case fr::app::OptionKind::integer: return "integer";
        case fr::app::OptionKind::real: return "real";
        case fr::app::OptionKind::text: return "text";
        case fr::app::OptionKind::list: return "list";
    }
    return "text";
}

/// A Python value -> the option table's value for `spec`. The Python layer has already turned
/// datetimes, tuples and paths into the command line's text forms.
fr::app::OptionValue to_option_value(const fr::app::OptionSpec& spec, const py::handle& v) {
    const std::string name = "--" + spec.key;
    switch (spec.kind) {
        case fr::app::OptionKind::flag:
            if (!py::isinstance<py::bool_>(v)) throw fr::UsageError(name + " must be True or False");
            return v.cast<bool>();
        case fr::app::OptionKind::integer:
            // int or anything usable as an index (numpy.int64), never bool.
            if (py::isinstance<py::bool_>(v) || !PyIndex_Check(v.ptr())) throw fr::UsageError(name + " must be an integer");
            return py::reinterpret_steal<py::int_>(PyNumber_Index(v.ptr())).cast<long long>();
        case fr::app::OptionKind::real:
            // int, float or a NumPy scalar of either, never bool or text.
            if (py::isinstance<py::bool_>(v) || py::isinstance<py::str>(v) ||
                !(PyIndex_Check(v.ptr()) || PyFloat_Check(v.ptr()) || py::hasattr(v, "__float__")))
                throw fr::UsageError(name + " must be a number");
            return py::float_(py::reinterpret_borrow<py::object>(v)).cast<double>();
        case fr::app::OptionKind::text:
            if (!py::isinstance<py::str>(v)) throw fr::UsageError(name + " must be text");
            return v.cast<std::string>();
        case fr::app::OptionKind::list: {
            std::vector<std::string> items;
            if (py::isinstance<py::str>(v)) {
                items.push_back(v.cast<std::string>());
            } else {
                for (auto item : v) {
                    if (!py::isinstance<py::str>(item)) throw fr::UsageError(name + " must be text or a list of texts");
                    items.push_back(item.cast<std::string>());
                }
            }
            return items;
        }
    }
    throw fr::UsageError("unknown option kind");
}

/// The request a call describes: `base` (a replay's), then the scene file, then each
/// (key, value) in order. Throws fr::UsageError naming the option, as the command line does.
fr::app::RenderRequest make_request(const fr::app::RenderRequest* base, const std::optional<std::string>& scene, const py::list& options) {
    fr::app::RenderRequest req = base ? *base : fr::app::RenderRequest{};
    if (scene) fr::app::load_scene_file(*scene, req);
    for (auto item : options) {
        auto pair = item.cast<py::tuple>();
        const auto key = pair[0].cast<std::string>();
        const auto* spec = find_option(key);
        if (!spec) throw fr::UsageError("unknown option '" + key + "'");
        spec->set(req, to_option_value(*spec, pair[1]));
    }
    return req;
}

// ---- the loaded state ---------------------------------------------------------------------------

/// One `fr.load()`: the request it was made with and what load_and_analyse returned. Immutable
/// after construction, so worker threads of later calls may read it while Python holds it.
struct ReplayState {
    fr::app::RenderRequest request;
    fr::pipeline::LoadedData data;
};

/// A still's pixels, copied out of the Cairo surface on the worker (which owns the surface).
struct StillPixels {
    int width = 0, height = 0, stride = 0;
    double dpi = 96;                   ///< written into the PNG's pHYs chunk
    std::vector<std::uint8_t> argb32;  ///< Cairo ARGB32, premultiplied, native-endian words
    std::vector<std::pair<std::string, std::string>> tags;
    std::vector<std::string> times;  ///< ISO 8601 UTC
};

py::list diagnostics_list(const fr::Diagnostics& diags) {
    py::list out;
    for (const auto& d : diags.items())
        out.append(py::make_tuple(d.file, d.line, d.column, d.severity == fr::Severity::error ? "error" : "warning", d.message, d.json_path,
                                  fr::format(d)));
    return out;
}

/// load_and_analyse for `req`. In strict mode a loader's failure is re-described with the
/// position of the problem (found by loading again without strict: the error path only).
fr::pipeline::LoadedData load_data(const fr::app::RenderRequest& req) {
    try {
        return fr::pipeline::load_and_analyse(req.load);
    } catch (const fr::IoError& e) {
        if (!req.load.load.strict) throw;
        const std::string what = e.what();
        auto lenient = req.load;
        lenient.load.strict = false;
        fr::Diagnostics diags;
        try {
            diags = fr::pipeline::load_and_analyse(lenient).diagnostics;
        } catch (const std::exception&) {
            throw e;
        }
        for (const auto& d : diags.items())
            if (what.find(fr::describe(d)) != std::string::npos) throw StrictFailure{what, d.file, d.message, d.line, d.column};
        throw;
    }
}

// ---- points: the TrackPoint record as a NumPy structured dtype ---------------------------------

/// Byte offsets of TrackPoint's fields (core/track.hpp: time ms int64, lat, lon doubles,
/// altitude m, ground speed m/s, track deg floats, flags byte; 40 bytes). Members are private,
/// so the layout is checked once at import against a probe point instead of offsetof.
struct PointLayout {
    static constexpr std::size_t time = 0, lat = 8, lon = 16, alt = 24, gs = 28, track = 32, flags = 36;
};
static_assert(sizeof(fr::TrackPoint) == 40, "the dtype below describes a 40-byte TrackPoint");

void check_point_layout() {
    fr::TrackPoint p(fr::TimePoint(std::chrono::milliseconds(1690815600123)), *fr::LatLon::checked(55.875, 38.0625));
    p.set_altitude(fr::Length::metres(1234.5)).set_ground_speed(fr::Speed::metres_per_second(98.25)).set_track(fr::Angle::degrees(271.5));
    p.set_on_ground(fr::OnGround::ground).set_new_leg(true);
    unsigned char raw[sizeof p];
    std::memcpy(raw, &p, sizeof p);
    auto at = [&](std::size_t off, auto v) {
        decltype(v) got;
        std::memcpy(&got, raw + off, sizeof got);
        return got == v;
    };
    const bool ok = at(PointLayout::time, std::int64_t{1690815600123}) && at(PointLayout::lat, 55.875) && at(PointLayout::lon, 38.0625) &&
                    at(PointLayout::alt, 1234.5f) && at(PointLayout::gs, 98.25f) && at(PointLayout::track, 271.5f) &&
                    at(PointLayout::flags, static_cast<std::uint8_t>(2u | 4u));
    if (!ok) throw std::runtime_error("flightreplay: fr::TrackPoint's memory layout differs from the NumPy dtype in src/python/module.cpp");
}

py::dtype point_dtype() {
    py::list names, formats, offsets;
    auto add = [&](const char* n, const char* f, std::size_t off) {
        names.append(n);
        formats.append(f);
        offsets.append(off);
    };
    add("time", "<M8[ms]", PointLayout::time);
    add("lat", "<f8", PointLayout::lat);
    add("lon", "<f8", PointLayout::lon);
    add("altitude_m", "<f4", PointLayout::alt);
    add("ground_speed_mps", "<f4", PointLayout::gs);
    add("track_deg", "<f4", PointLayout::track);
    add("flags", "u1", PointLayout::flags);
    py::dict d;
    d["names"] = names;
    d["formats"] = formats;
    d["offsets"] = offsets;
    d["itemsize"] = sizeof(fr::TrackPoint);
    return py::dtype::from_args(d);
}

}  // namespace

PYBIND11_MODULE(_core, m) {
    m.doc() = "flightreplay's C++ layer; use the `flightreplay` package (docs/python.md)";
    m.attr("__version__") = FR_VERSION;
    check_point_layout();
    fr::output::quiet_ffmpeg_logs();     // as the command line: x264 prints statistics otherwise
    fr::app::install_setting_wording();  // messages name settings by their options, as the command line's

    // Exceptions: base first (pybind11 tries translators registered later first).
    static py::exception<fr::Error> error(m, "Error", PyExc_RuntimeError);
    static py::exception<fr::IoError> data_error(m, "DataError", error.ptr());
    static py::exception<fr::UsageError> usage_error(m, "UsageError", PyExc_ValueError);
    static py::exception<StrictFailure> strict_error(m, "StrictError", data_error.ptr());
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const StrictFailure& f) {
            py::object e = py::handle(strict_error.ptr())(f.what);
            e.attr("file") = f.file;
            e.attr("line") = f.line;
            e.attr("column") = f.column;
            e.attr("message") = f.message;
            PyErr_SetObject(strict_error.ptr(), e.ptr());
        } catch (const fr::SettingError& e) {
            usage_error((fr::app::option_flag(e.setting()) + ": " + e.what()).c_str());  // as the command line words it
        } catch (const fr::UsageError& e) {
            usage_error(e.what());
        } catch (const fr::IoError& e) {
            data_error(e.what());
        } catch (const fr::Error& e) {
            error(e.what());
        }
    });

    m.def(
        "option_table",
        [] {
            py::list out;
            for (const auto& s : fr::app::render_options())
                out.append(py::make_tuple(s.key, s.section, kind_name(s.kind), s.help, s.on_info, s.path));
            return out;
        },
        "The command line's option table: (key, section, kind, help, input option, is a path) per option.");
    m.def("point_dtype", &point_dtype, "The NumPy dtype of one track point (a view of fr::TrackPoint).");

    py::class_<fr::app::RenderRequest>(m, "Request", "A validated set of options (the command line's RenderRequest).")
        .def("dump_scene", [](const fr::app::RenderRequest& r) { return fr::app::dump_scene(r); })
        .def("validate", [](const fr::app::RenderRequest& r) { fr::app::validate_request(r); })
        .def_property_readonly("inputs",
                               [](const fr::app::RenderRequest& r) {
                                   std::vector<std::string> out;
                                   for (const auto& p : r.load.inputs) out.push_back(p.string());
                                   return out;
                               })
        .def_property_readonly("quiet", [](const fr::app::RenderRequest& r) { return r.quiet; })
        .def_property_readonly("output", [](const fr::app::RenderRequest& r) { return r.output.string(); })
        .def_property_readonly("size", [](const fr::app::RenderRequest& r) { return py::make_tuple(r.width, r.height); });

    m.def(
        "make_request", [](std::optional<std::string> scene, const py::list& options) { return make_request(nullptr, scene, options); },
        py::arg("scene"), py::arg("options"),
        "A request from a scene file (or None) and (key, value) options, each validated by the option table.");

    py::class_<ReplayState, std::shared_ptr<ReplayState>>(m, "ReplayState")
        .def_property_readonly("request", [](const ReplayState& s) { return s.request; })
        .def(
            "derive",
            [](const ReplayState& s, const py::list& options) {
                auto r = make_request(&s.request, std::nullopt, options);
                if (!r.aspect.empty()) r.height = fr::app::aspect_height(r.width, r.aspect);
                return r;
            },
            "The replay's request with these (key, value) options over it.")
        .def("info_json", [](const ReplayState& s) { return fr::analysis::to_json(s.data.flights, s.data.analyses); })
        .def("info_table", [](const ReplayState& s) { return fr::analysis::to_table(s.data.flights, s.data.analyses); })
        .def_property_readonly("diagnostics", [](const ReplayState& s) { return diagnostics_list(s.data.diagnostics); })
        .def(
            "diagnostics_text", [](const ReplayState& s) { return fr::format_grouped(s.data.diagnostics, s.request.load.verbose); },
            "The diagnostics as the command line prints them (repeats folded unless verbose).")
        .def_property_readonly("rows", [](const ReplayState& s) { return py::make_tuple(s.data.rows_read, s.data.rows_skipped); })
        .def_property_readonly("files",
                               [](const ReplayState& s) {
                                   std::vector<std::string> out;
                                   for (const auto& f : s.data.files) out.push_back(f.string());
                                   return out;
                               })
        .def_property_readonly("flight_count", [](const ReplayState& s) { return s.data.flights.size(); })
        .def(
            "points",
            [](const std::shared_ptr<ReplayState>& s, std::size_t i) {
                if (i >= s->data.flights.size()) throw py::index_error("flight index out of range");
                const auto& pts = s->data.flights[i].points;
                // A view: no copy; the array keeps the replay alive and is read-only (the C++
                // side never changes loaded data, and users must not either).
                py::array a(point_dtype(), std::vector<py::ssize_t>{static_cast<py::ssize_t>(pts.size())},
                            std::vector<py::ssize_t>{static_cast<py::ssize_t>(sizeof(fr::TrackPoint))}, pts.data(), py::cast(s));
                a.attr("flags").attr("writeable") = false;
                return a;
            },
            py::arg("index"))
        .def(
            "still",
            [](const std::shared_ptr<ReplayState>& s, const fr::app::RenderRequest& req) {
                std::atomic<bool> cancel{false};
                return run_interruptible(
                    [s, req] {
                        const auto r = fr::app::draw_raster_still(req, s->data);
                        StillPixels px;
                        px.width = cairo_image_surface_get_width(r.surface.get());
                        px.height = cairo_image_surface_get_height(r.surface.get());
                        px.stride = cairo_image_surface_get_stride(r.surface.get());
                        const auto* data = cairo_image_surface_get_data(r.surface.get());
                        px.argb32.assign(data, data + static_cast<std::size_t>(px.stride) * static_cast<std::size_t>(px.height));
                        px.tags = r.tags;
                        px.dpi = req.dpi;
                        for (auto t : r.times) px.times.push_back(fr::format_iso8601(t));
                        return px;
                    },
                    cancel, nullptr, py::none());
            },
            "Draws the PNG still of `request` (the same pixels and tags as `render -o X.png`).")
        .def(
            "write",
            [](const std::shared_ptr<ReplayState>& s, const fr::app::RenderRequest& req, const py::object& on_progress) {
                std::atomic<bool> cancel{false};
                ProgressState progress;
                return run_interruptible(
                    [s, req, &cancel, &progress]() -> std::vector<std::string> {
                        if (req.output.is_video()) {
                            fr::app::VideoControl control;
                            control.cancelled = [&cancel] { return cancel.load(); };
                            control.progress = [&progress](long long done, long long total, const char* pass) {
                                progress.total = total;
                                progress.pass = pass;
                                progress.done = done;
                                progress.changed = true;
                            };
                            if (fr::app::render_video(req, s->data, control) == fr::app::VideoStatus::cancelled) return {"cancelled"};
                            return {};
                        }
                        std::vector<std::string> times;
                        for (auto t : fr::app::write_still(req, s->data)) times.push_back(fr::format_iso8601(t));
                        return times;
                    },
                    cancel, &progress, on_progress);
            },
            py::arg("request"), py::arg("progress") = py::none(),
            "Writes request.output (still, video or track export) as `render` does; progress(done, total, pass).");

    py::class_<StillPixels>(m, "StillPixels")
        .def_readonly("width", &StillPixels::width)
        .def_readonly("height", &StillPixels::height)
        .def_readonly("times", &StillPixels::times)
        .def_readonly("tags", &StillPixels::tags)
        .def("save_png",
             [](const StillPixels& p, const std::string& path) {
                 py::gil_scoped_release release;
                 fr::output::write_png(path, p.argb32.data(), p.width, p.height, p.stride, p.tags, 6, p.dpi);
             })
        .def("rgba", [](const StillPixels& p) {
            // H x W x 4 RGBA, premultiplication undone (rounded to nearest) as write_png does.
            py::array_t<std::uint8_t> out({p.height, p.width, 4});
            auto* dst = out.mutable_data();
            for (int y = 0; y < p.height; ++y) {
                const auto* row = reinterpret_cast<const std::uint32_t*>(p.argb32.data() + static_cast<std::size_t>(y) * p.stride);
                for (int x = 0; x < p.width; ++x, dst += 4) {
                    const std::uint32_t v = row[x];
                    const unsigned a = v >> 24, r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;
                    if (a == 255) {
                        dst[0] = static_cast<std::uint8_t>(r), dst[1] = static_cast<std::uint8_t>(g), dst[2] = static_cast<std::uint8_t>(b);
                    } else if (a == 0) {
                        dst[0] = dst[1] = dst[2] = 0;
                    } else {
                        dst[0] = static_cast<std::uint8_t>(std::min(255u, (r * 255 + a / 2) / a));
                        dst[1] = static_cast<std::uint8_t>(std::min(255u, (g * 255 + a / 2) / a));
                        dst[2] = static_cast<std::uint8_t>(std::min(255u, (b * 255 + a / 2) / a));
                    }
                    dst[3] = static_cast<std::uint8_t>(a);
                }
            }
            return out;
        });

    m.def(
        "load",
        [](const fr::app::RenderRequest& req) {
            if (req.load.inputs.empty()) throw fr::UsageError("no input files: give paths, or a scene file with [input] inputs");
            std::atomic<bool> cancel{false};  // loaders take no token: a Ctrl-C is raised when the load returns
            auto state = run_interruptible(
                [req] {
                    auto s = std::make_shared<ReplayState>();
                    s->request = req;
                    s->data = load_data(req);
                    return s;
                },
                cancel, nullptr, py::none());
            return state;
        },
        py::arg("request"), "load_and_analyse for the request's inputs (GIL released; Ctrl-C raises when it returns).");
}
