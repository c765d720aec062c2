#include "app/video_command.hpp"

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <future>
#include <iostream>
#include <memory>

#include "app/request_check.hpp"
#include "core/error.hpp"
#include "export/atomic_file.hpp"
#include "export/concat.hpp"
#include "export/frame_pipeline.hpp"
#include "export/png_sequence.hpp"
#include "export/video_encoder.hpp"
#include "export/yuv_convert.hpp"
#include "io/map/assets.hpp"
#include "pipeline/scene_sources.hpp"
#include "render/cairo_renderer.hpp"
#include "render/replay_clock.hpp"

namespace fr::app {

// Defined in render_command.cpp: the provenance tags the still path uses too.
std::vector<std::pair<std::string, std::string>> make_provenance_tags(const LoadedData& data, const render::Scene& scene);

namespace {

// ---- SIGHUP / SIGINT / SIGTERM: stop between frames, remove the partial output ------------------

std::atomic<int> g_signal{0};
extern "C" void on_signal(int sig) { g_signal.store(sig); }

/// Installs the handlers for its lifetime and restores the previous ones after.
class SignalGuard {
public:
    SignalGuard() {
        g_signal.store(0);
        struct sigaction sa {};
        sa.sa_handler = on_signal;
        sa.sa_flags = SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &m_old_int);
        sigaction(SIGTERM, &sa, &m_old_term);
        sigaction(SIGHUP, nullptr, &m_old_hup);
        if (m_old_hup.sa_handler != SIG_IGN) sigaction(SIGHUP, &sa, nullptr);  // nohup: keep ignoring
    }
    ~SignalGuard() {
        sigaction(SIGINT, &m_old_int, nullptr);
        sigaction(SIGTERM, &m_old_term, nullptr);
        sigaction(SIGHUP, &m_old_hup, nullptr);
    }
    SignalGuard(const SignalGuard&) = delete;
    SignalGuard& operator=(const SignalGuard&) = delete;
    static bool raised() noexcept { return g_signal.load() != 0; }
    static int signal_number() noexcept { return g_signal.load(); }

private:
    struct sigaction m_old_int {};
    struct sigaction m_old_term {};
    struct sigaction m_old_hup {};
};

struct Interrupted {};

// ---- progress bar with ETA on a terminal ---------------------------------------------------------

class Progress {
public:
    Progress(bool show, long long total, const char* what, const VideoControl* control = nullptr)
        : m_show(show), m_total(total), m_what(what), m_control(control) {}
    void update(long long done) {
        if (m_control && m_control->progress) m_control->progress(done, m_total, m_what);
        if (!m_show) return;
        const auto now = std::chrono::steady_clock::now();
        if (done < m_total && now - m_last < std::chrono::milliseconds(100)) return;
        m_last = now;
        const double el = std::chrono::duration<double>(now - m_start).count();
        const double rate = el > 0 ? static_cast<double>(done) / el : 0;
        const double eta = rate > 0 ? static_cast<double>(m_total - done) / rate : 0;
        const int width = 30;
        const int filled = m_total > 0 ? static_cast<int>(width * done / m_total) : width;
        std::fprintf(stderr, "\r%s [%.*s%*s] %lld/%lld frames %5.1f fps ETA %d:%02d ", m_what, filled, "##############################",
                     width - filled, "", done, m_total, rate, static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
        if (done == m_total) std::fprintf(stderr, "\n");
        std::fflush(stderr);
    }

private:
    bool m_show;
    long long m_total;
    const char* m_what;
    const VideoControl* m_control;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now(), m_last{};
};

// ---- what one frame shows -----------------------------------------------------------------------

struct FrameDrawer {
    const RenderRequest& req;
    const render::Scene& scene;
    const render::TextEngine& text;
    render::CairoRenderer& renderer;
    const Timeline& tl;
    FramePlan plan;

    /// Draws frame `i` of the whole video into `cr` (a surface of the output size).
    void draw(cairo_t* cr, long long i) const {
        renderer.draw_frame(cr, info(i));
        draw_extras(cr, i);
    }

    /// Draws frame `i` into `frame`, which holds the frame drawn before: only what changed
    /// is redrawn, and frame.changed() says where.
    void draw(render::IncrementalFrame& frame, long long i) const {
        renderer.draw_frame(frame, info(i));
        if (draw_extras(frame.context(), i)) frame.overlay().add_all();
    }

private:
    render::FrameInfo info(long long i) const {
        if (i < plan.title_frames) return {tl.replay_time(0), &tl, 0};
        const double v = frame_time_s(i - plan.title_frames, req.fps);
        return {tl.replay_time(v), &tl, v};
    }

    /// Title card and fades over the frame; true when it drew anything (over the whole frame).
    bool draw_extras(cairo_t* cr, long long i) const {
        bool drew = false;
        if (i < plan.title_frames) {
            draw_title_card(cr);
            drew = true;
        }
        if (plan.fade_frames > 0) {
            // Brightness ramps over the first and last fade_frames frames. It never goes below
            // kFloor so the provenance line stays legible in every frame: every frame drawn
            // from reconstructed or synthetic data must show so.
            constexpr double kFloor = 0.25;
            const double in = static_cast<double>(i) / static_cast<double>(plan.fade_frames);
            const double out = static_cast<double>(plan.total - 1 - i) / static_cast<double>(plan.fade_frames);
            const double b = kFloor + (1 - kFloor) * std::clamp(std::min(in, out), 0.0, 1.0);
            if (b < 1) {
                cairo_save(cr);
                cairo_set_source_rgba(cr, 0, 0, 0, 1 - b);
                cairo_paint(cr);
                cairo_restore(cr);
                drew = true;
            }
        }
        return drew;
    }

    /// A centred panel over the opening map: title, subtitle and the replay's UTC span. The
    /// renderer's own HUD (provenance line, attribution) stays visible around it.
    void draw_title_card(cairo_t* cr) const {
        // Text scale as the frames' (1 at 1080 px on the short side); each text wrapped, then
        // shrunk, to the panel (layout::fit_text), so a long title or a 9:16 frame clips nothing.
        const double w = req.width, h = req.height, s = std::min(w, h) / 1080.0;
        const std::string title = req.title.empty() ? "flightreplay" : req.title;
        const std::string span = format_time_span(scene.start(), scene.end());
        const render::layout::Measure ms = [this](const std::string& t, double px, bool bold) {
            const auto z = text.measure(t, px, bold);
            return render::layout::Size{z.width, z.height};
        };
        const double max_w = w * 0.8 - 80 * s;
        auto fit = [&](const std::string& t, double px, bool bold, double lines) {
            return render::layout::fit_text({t, px, render::layout::kMinTextPx, bold}, max_w, lines * ms("Ag", px, bold).h + 0.5, ms);
        };
        const auto tt = fit(title, 64 * s, true, 2), dt = fit(span, 28 * s, false, 2);
        const auto st = req.subtitle.empty() ? render::layout::LaidText{} : fit(req.subtitle, 34 * s, false, 2);
        const auto tz = render::layout::text_size(tt, ms, true), dz = render::layout::text_size(dt, ms, false);
        const auto sz = req.subtitle.empty() ? render::layout::Size{} : render::layout::text_size(st, ms, false);
        const double panel_w = std::max({tz.w, sz.w, dz.w}) + 80 * s;
        const double panel_h = tz.h + (req.subtitle.empty() ? 0 : sz.h + 10 * s) + dz.h + 10 * s + 60 * s;
        const double x = (w - panel_w) / 2, y = (h - panel_h) / 2;
        cairo_save(cr);
        cairo_set_source_rgba(cr, 0.05, 0.07, 0.12, 0.82);
        cairo_rectangle(cr, x, y, panel_w, panel_h);
        cairo_fill(cr);
        cairo_restore(cr);
        double ty = y + 30 * s;
        auto lines = [&](const render::layout::LaidText& t, const render::Rgba& c, bool bold) {
            for (const auto& l : t.lines) {
                text.draw(cr, l, w / 2, ty, t.px, c, bold, render::Align::center);
                ty += t.line_h;
            }
            ty += 10 * s;
        };
        lines(tt, {1, 1, 1, 1}, true);
        if (!req.subtitle.empty()) lines(st, {0.9, 0.9, 0.9, 1}, false);
        lines(dt, {0.8, 0.85, 0.9, 1}, false);
    }
};

/// Hands the heap's free pages back to the system. glibc keeps freed chunks of its main heap
/// resident: after a large load (points gathered in growing blocks, then copied into place)
/// it holds hundreds of MB of free pages, and per-frame allocations (text sprites, layouts)
/// scatter over them, so a long video's resident size crept up by a third of the scene's
/// size. Called once the scene is built and every 256 frames (milliseconds each).
void release_free_heap() noexcept {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

/// Renders frames [first, last) into the pipeline; checks for signals between frames. Frames are
/// drawn incrementally into one frame kept here; a slot gets the whole frame, or with
/// `changed_rects` only the tiles that changed since the frame before (the consumer keeps the
/// rest: the video path's converter), listed in changed_rects[slot].
void produce(output::FramePipeline& pipe, const FrameDrawer& drawer, Progress& progress, const std::function<bool()>& cancelled,
             long long first, long long last, int width, int height, std::vector<std::vector<output::PixelRect>>* changed_rects = nullptr) {
    render::IncrementalFrame frame(width, height);
    long long done = 0;
    for (long long i = first; i < last; ++i) {
        if (cancelled()) throw Interrupted{};
        drawer.draw(frame, i);
        cairo_surface_flush(frame.surface());
        if (cairo_status(frame.context()) != CAIRO_STATUS_SUCCESS)
            throw RenderError(std::string("drawing a frame: ") + cairo_status_to_string(cairo_status(frame.context())));
        const int slot = pipe.acquire();
        const auto changed = frame.changed();
        if (changed_rects) {
            render::copy_damaged(frame.data(), frame.stride(), pipe.data(slot), pipe.stride(), changed);
            auto& rects = (*changed_rects)[static_cast<std::size_t>(slot)];
            rects.clear();
            changed.for_each_run([&](int x0, int y0, int x1, int y1) { rects.push_back({x0, y0, x1, y1}); });
        } else {
            for (int y = 0; y < height; ++y)
                std::memcpy(pipe.data(slot) + static_cast<std::ptrdiff_t>(y) * pipe.stride(),
                            frame.data() + static_cast<std::ptrdiff_t>(y) * frame.stride(), static_cast<std::size_t>(width) * 4);
        }
        pipe.submit(slot, i);
        progress.update(++done);
        if (done % 256 == 0) release_free_heap();
    }
}

}  // namespace

namespace {

/// What run_video checks before loading anything (sizes and numbers: request_check.hpp).
void check_video_request(const RenderRequest& req) {
    if (req.output.kind != OutputKind::png_sequence && (req.width % 2 || req.height % 2)) {
        // yuv420p halves both sides; name the nearest even sizes.
        auto near = [](int v) { return v % 2 ? std::to_string(v - 1) + " or " + std::to_string(v + 1) : std::to_string(v); };
        const std::string nearest = req.width % 2 && req.height % 2
                                        ? std::to_string(req.width - 1) + "x" + std::to_string(req.height - 1)
                                        : (req.width % 2 ? near(req.width) + " x " + std::to_string(req.height)
                                                         : std::to_string(req.width) + " x " + near(req.height));
        throw UsageError("--size " + std::to_string(req.width) + "x" + std::to_string(req.height) +
                         ": video needs even sizes (yuv420p); nearest: " + nearest);
    }
    if (req.png_level < 0 || req.png_level > 9) throw UsageError("--png-level must be 0..9");
    if (req.title_card_s < 0 || req.fade_s < 0) throw UsageError("--title-card and --fade must not be negative");
}

}  // namespace

int run_video(const RenderRequest& req) {
    check_video_request(req);
    LoadedData data = load_and_analyse(req.load);
    if (!req.quiet) std::cerr << format_grouped(data.diagnostics, req.load.verbose);
    SignalGuard signals;
    VideoControl control;
    control.cancelled = [] { return SignalGuard::raised(); };
    if (render_video(req, std::move(data), control) == VideoStatus::cancelled) {
        if (!req.quiet && isatty(STDERR_FILENO)) std::fprintf(stderr, "\n");
        std::cerr << "flightreplay: interrupted; no partial " << (req.output.kind == OutputKind::png_sequence ? "frame" : "video")
                  << " left behind\n";
        return 128 + SignalGuard::signal_number();  // 129 for SIGHUP, 130 for SIGINT, 143 for SIGTERM
    }
    return 0;
}

namespace {

/// render_video; with `owned` (the same object as `data`) its flights and analyses move into the scene.
VideoStatus render_loaded(const RenderRequest& request, const LoadedData& data, LoadedData* owned, const VideoControl& control) {
    check_video_request(request);
    RenderRequest req = request;
    resolve_against_data(req, data.flights);  // times now absolute: one base for every option
    if (!req.output.is_video()) throw UsageError("output '" + req.output.string() + "' is not a video");
    const auto png_pattern =
        req.output.kind == OutputKind::png_sequence ? std::optional<std::string>(req.output.png_pattern()) : std::nullopt;
    const bool gif = req.output.kind == OutputKind::gif;
    const std::function<bool()> cancelled = control.cancelled ? control.cancelled : [] { return false; };
    if (!png_pattern) output::check_output_target(req.output.path, data.input_paths());
    // Fontconfig's set-up runs on another thread while the scene is projected.
    auto text_ready =
        std::async(std::launch::async, [] { return std::make_unique<render::TextEngine>(io::asset_path("fonts/fonts.conf")); });
    render::SceneOptions scene_options = make_scene_options(req, data);  // before the flights may move
    const render::Scene scene = owned
                                    ? pipeline::make_scene(std::move(owned->flights), std::move(owned->analyses), std::move(scene_options))
                                    : pipeline::make_scene(data.flights, data.analyses, std::move(scene_options));
    const auto text_engine = text_ready.get();
    text_engine->adopt_thread();  // made on the async thread; get() orders that before this
    release_free_heap();
    const render::TextEngine& text = *text_engine;
    render::CairoRenderer renderer(scene, text);
    const auto tags = make_provenance_tags(data, scene);

    // One timeline for the whole video, whatever slice this run renders: a shard computes
    // exactly the frames a single run would. The window builds its clock with the same function.
    FramePlan plan;
    const long long title_frames = std::llround(req.title_card_s * req.fps);
    std::optional<Timeline> tl;
    if (req.speed) {
        tl = render::make_replay_clock(scene, {req.speed, 0, req.hold_s});
        check_frame_count(static_cast<long long>(std::min(tl->video_duration_s() * req.fps, 2e18)), req);
        plan.total = req.frames       ? *req.frames
                     : req.duration_s ? std::llround(*req.duration_s * req.fps)
                                      : title_frames + std::llround(tl->video_duration_s() * req.fps);
    } else {
        plan.total = req.frames ? *req.frames : std::llround(req.duration_s.value_or(24.0) * req.fps);
        if (title_frames >= plan.total) throw UsageError("--title-card is as long as the whole video");
        tl = render::make_replay_clock(scene, {std::nullopt, static_cast<double>(plan.total - title_frames) / req.fps, req.hold_s});
    }
    if (title_frames >= plan.total) throw UsageError("--title-card is as long as the whole video");
    check_frame_count(plan.total, req);  // --speed can make a long video of a long recording
    plan.title_frames = title_frames;
    plan.fade_frames = std::min(std::llround(req.fade_s * req.fps), plan.total / 2);
    plan.first = 0;
    plan.last = plan.total;
    if (req.frame_slice) {
        plan.first = req.frame_slice->first;
        plan.last = req.frame_slice->second;
        // A slice past the end means the shards disagree with --duration/--fps: refuse rather
        // than silently render fewer frames.
        if (plan.first < 0 || plan.first >= plan.last || plan.last > plan.total)
            throw UsageError("--frames A:B must satisfy 0 <= A < B <= " + std::to_string(plan.total));
    }
    const long long count = plan.last - plan.first;
    const long long gop = 5LL * req.fps;  // VideoEncoder's default keyframe interval
    if (req.frame_slice && !png_pattern && !gif && !req.quiet &&
        (plan.first % gop != 0 || (plan.last % gop != 0 && plan.last != plan.total)))
        std::cerr << "flightreplay: warning: --frames " << plan.first << ":" << plan.last
                  << " does not start and end on keyframes (multiples of " << gop
                  << " frames, 5 s): joined shards then differ more from a single render (docs/scale-out.md)\n";
    const FrameDrawer drawer{req, scene, text, renderer, *tl, plan};
    const bool show = !req.quiet && isatty(STDERR_FILENO);

    try {
        if (png_pattern) {
            output::PngSequenceWriter writer(*png_pattern, req.width, req.height, req.png_level, tags);
            Progress progress(show, count, "render", &control);
            produce(writer.pipeline(), drawer, progress, cancelled, plan.first, plan.last, req.width, req.height);
            writer.finish();
            if (!req.quiet)
                std::cerr << "wrote " << count << " PNG frames " << output::png_sequence_path(*png_pattern, plan.first).string() << " .. "
                          << output::png_sequence_path(*png_pattern, plan.last - 1).string() << "\n";
            return VideoStatus::done;
        }

        output::VideoOptions vo;
        vo.container = to_string(req.output.kind);  // mp4, webm or gif: decided when -o was parsed
        vo.width = req.width;
        vo.height = req.height;
        vo.fps = req.fps;
        vo.crf = req.crf;
        vo.preset = req.preset;
        vo.threads = req.threads;
        vo.first_frame_index = plan.first;
        vo.metadata["title"] = req.title.empty() ? "flightreplay" : req.title;
        vo.metadata["comment"] = "provenance: " + std::string(to_string(scene.provenance())) + "; " + scene.attribution();
        vo.metadata["encoder_software"] = std::string("flightreplay ") + FR_VERSION;

        if (gif) {
            // Pass 1: palette statistics over at most ~120 frames spread over the slice (drawing
            // is cheap; palettegen's histogram of a whole frame is not).
            output::GifPaletteBuilder palette(req.width, req.height);
            auto surface = render::make_image_surface(req.width, req.height);
            auto cr = render::make_context(surface.get());
            const long long step = std::max(1LL, count / 120);
            Progress p1(show, (count + step - 1) / step, "palette", &control);
            long long n = 0;
            for (long long i = plan.first; i < plan.last; i += step) {
                if (cancelled()) throw Interrupted{};
                drawer.draw(cr.get(), i);
                cairo_surface_flush(surface.get());
                palette.add_frame_argb32(cairo_image_surface_get_data(surface.get()), cairo_image_surface_get_stride(surface.get()));
                p1.update(++n);
            }
            vo.gif_palette = palette.finish();
        }

        // x264 allocates its frame buffers (MBs each) again for every GOP's encoder. Kept in the
        // heap (not unmapped on free, not trimmed), the next encoder reuses the same pages instead
        // of the kernel zeroing fresh ones: measured, huge-page faults for 300 frames 200 -> 103.
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
        // Declared before the pipeline: the pipeline (and its worker) goes first, then the
        // encoder, whose destructor removes the temporary file of an unfinished video.
        output::VideoEncoder enc(req.output.path, vo);
        // Per slot: the tiles of that frame that changed (the video path converts only those).
        std::vector<std::vector<output::PixelRect>> changed(3);
        output::FramePipeline pipe(req.width, req.height, /*slots=*/3, /*workers=*/1, [&](const std::uint8_t* argb, int stride, long long) {
            if (gif) {
                enc.add_frame_argb32(argb, stride);
                return;
            }
            std::size_t slot = 0;
            while (pipe.data(static_cast<int>(slot)) != argb) ++slot;
            // Straight into the encoder's frame, which still holds the
            // previous frame: only the changed tiles are converted.
            const output::Yuv420View out = enc.next_frame();
            for (const auto& r : changed[slot]) output::argb32_to_yuv420p_rect(argb, stride, r.x0, r.y0, r.x1, r.y1, out);
            enc.add_next_frame();
        });
        Progress progress(show, count, "render", &control);
        produce(pipe, drawer, progress, cancelled, plan.first, plan.last, req.width, req.height, gif ? nullptr : &changed);
        pipe.finish();
        if (cancelled()) throw Interrupted{};
        enc.finish();
    } catch (const Interrupted&) {
        return VideoStatus::cancelled;
    }
    if (!req.quiet)
        std::cerr << "wrote " << req.output.string() << " (" << count << " frames, " << req.width << "x" << req.height << ", replay "
                  << format_iso8601(scene.start()) << " .. " << format_iso8601(scene.end()) << ")\n";
    return VideoStatus::done;
}

}  // namespace

VideoStatus render_video(const RenderRequest& request, const LoadedData& data, const VideoControl& control) {
    return render_loaded(request, data, nullptr, control);
}

VideoStatus render_video(const RenderRequest& request, LoadedData&& data, const VideoControl& control) {
    return render_loaded(request, data, &data, control);
}

int run_concat(const std::vector<std::filesystem::path>& shards, const std::filesystem::path& output, bool quiet) {
    output::check_output_target(output, shards);
    const auto r = output::concat_videos(shards, output);
    if (!quiet)
        std::cerr << "wrote " << output.string() << " (" << r.frames << " frames from " << shards.size()
                  << " shard(s), stream copy, frames " << r.first_pts_frames << ".." << r.first_pts_frames + r.frames - 1 << ")\n";
    return 0;
}

}  // namespace fr::app
