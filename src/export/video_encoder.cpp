#include "export/video_encoder.hpp"

#include "core/error.hpp"
#include "core/text.hpp"
#include "export/atomic_file.hpp"
#include "export/avio_file.hpp"
#include "export/yuv_convert.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavformat/avformat.h>
#include <libavutil/cpu.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <set>
#include <system_error>
#include <utility>
#include <vector>

namespace fr::output {
namespace detail {

// ---- FFmpeg's error model, wrapped once --------------------------------------------------

std::string av_error_text(int rc) {
    std::array<char, AV_ERROR_MAX_STRING_SIZE> buf{};
    if (av_strerror(rc, buf.data(), buf.size()) < 0) return "FFmpeg error " + std::to_string(rc);
    return buf.data();
}

/// Throws EncodeError("cannot WHAT for 'PATH': FFmpeg text") when rc < 0; returns rc otherwise.
int check(int rc, const char* what, const std::filesystem::path& path) {
    if (rc < 0) throw EncodeError(std::string("cannot ") + what + " for '" + path.string() + "': " + av_error_text(rc));
    return rc;
}

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path) {
    throw EncodeError(what + " for '" + path.string() + "'");
}

// ---- RAII handles ---------------------------------------------------------------------------

struct OutputFormatDeleter {
    void operator()(AVFormatContext* c) const noexcept {
        // Our outputs bring their own AVIOContext (AvioOutput), freed by its owner.
        if (c->pb && !(c->flags & AVFMT_FLAG_CUSTOM_IO) && !(c->oformat->flags & AVFMT_NOFILE)) avio_closep(&c->pb);
        avformat_free_context(c);
    }
};
struct InputFormatDeleter {
    void operator()(AVFormatContext* c) const noexcept { avformat_close_input(&c); }
};
struct CodecContextDeleter {
    void operator()(AVCodecContext* c) const noexcept { avcodec_free_context(&c); }
};
struct FrameDeleter {
    void operator()(AVFrame* f) const noexcept { av_frame_free(&f); }
};
struct PacketDeleter {
    void operator()(AVPacket* p) const noexcept { av_packet_free(&p); }
};
struct SwsDeleter {
    void operator()(SwsContext* s) const noexcept { sws_freeContext(s); }
};

using OutputFormatPtr = std::unique_ptr<AVFormatContext, OutputFormatDeleter>;
using InputFormatPtr = std::unique_ptr<AVFormatContext, InputFormatDeleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;
struct GraphDeleter {
    void operator()(AVFilterGraph* g) const noexcept { avfilter_graph_free(&g); }
};
using GraphPtr = std::unique_ptr<AVFilterGraph, GraphDeleter>;

/// Creates a filter in `graph`; throws with the filter's name on failure.
AVFilterContext* make_filter(AVFilterGraph* graph, const char* filter, const char* name, const std::string& args,
                             const std::filesystem::path& path) {
    const AVFilter* f = avfilter_get_by_name(filter);
    if (!f) fail(std::string("libavfilter has no '") + filter + "' filter", path);
    AVFilterContext* ctx = nullptr;
    check(avfilter_graph_create_filter(&ctx, f, name, args.empty() ? nullptr : args.c_str(), nullptr, graph),
          (std::string("create the ") + filter + " filter").c_str(), path);
    return ctx;
}

std::string buffer_args(int w, int h, int fps) {
    return "video_size=" + std::to_string(w) + "x" + std::to_string(h) + ":pix_fmt=" + std::to_string(AV_PIX_FMT_RGB32) + ":time_base=1/" +
           std::to_string(fps) + ":pixel_aspect=1/1";
}

/// Wraps caller-owned ARGB32 pixels in a frame without copying (the buffer source copies it).
FramePtr wrap_argb(const std::uint8_t* pixels, int stride, int w, int h, long long pts, const std::filesystem::path& path) {
    FramePtr f(av_frame_alloc());
    if (!f) fail("cannot allocate a frame", path);
    f->format = AV_PIX_FMT_RGB32;
    f->width = w;
    f->height = h;
    f->data[0] = const_cast<std::uint8_t*>(pixels);
    f->linesize[0] = stride;
    f->pts = pts;
    return f;
}

/// An AVDictionary owned for the length of a scope (options passed to *_open functions).
class Dict {
public:
    Dict() = default;
    ~Dict() { av_dict_free(&m_dict); }
    Dict(const Dict&) = delete;
    Dict& operator=(const Dict&) = delete;
    void set(const std::string& key, const std::string& value, const std::filesystem::path& path) {
        check(av_dict_set(&m_dict, key.c_str(), value.c_str(), 0), "set option", path);
    }
    AVDictionary** get() noexcept { return &m_dict; }
    /// Names of the options that the consumer did not recognise, comma-separated.
    std::string leftover() const {
        std::string out;
        const AVDictionaryEntry* e = nullptr;
        while ((e = av_dict_get(m_dict, "", e, AV_DICT_IGNORE_SUFFIX)) != nullptr) {
            if (!out.empty()) out += ", ";
            out += e->key;
        }
        return out;
    }

private:
    AVDictionary* m_dict = nullptr;
};

/// Tags the MP4 muxer writes as iTunes-style atoms, which players show. Any other key needs
/// `movflags +use_metadata_tags` (QuickTime "mdta" keys), which replaces the iTunes atoms.
bool is_itunes_tag(const std::string& key) {
    static const std::set<std::string> known = {// ("encoder" is not listed: the muxer drops it in bitexact mode.)
                                                "title",    "artist", "album_artist", "album",    "composer", "copyright",  "date",
                                                "comment",  "genre",  "description",  "synopsis", "show",     "network",    "episode_id",
                                                "grouping", "lyrics", "keywords",     "track",    "disc",     "compilation"};
    return known.count(key) != 0;
}

/// x264 instruction sets for deterministic mode: what the CPU has, up to AVX2, never AVX-512.
/// Measured here (x264 core 164 r3095, FFmpeg 5.1, AVX-512 CPU): with AVX-512 enabled, two
/// single-threaded encodes of the same frames in one process differed in a few macroblocks
/// whenever an earlier encoder had run (their heap contents differ), while the C, SSE and AVX2
/// paths gave identical bytes every time (and the same bytes as each other). Returns "" off x86,
/// which leaves x264's own detection in place.
std::string x264_deterministic_asm() {
#if defined(__x86_64__) || defined(__i386__)
    const int f = av_get_cpu_flags();
    // x264's names are cumulative ("AVX2" includes FMA3, LZCNT, BMI1/2 and everything below).
    if ((f & AV_CPU_FLAG_AVX2) && (f & AV_CPU_FLAG_FMA3) && (f & AV_CPU_FLAG_BMI2)) return "AVX2";
    if (f & AV_CPU_FLAG_AVX) return "AVX";
    if (f & AV_CPU_FLAG_SSE42) return "SSE4.2";
    if (f & AV_CPU_FLAG_SSE4) return "SSE4.1";
    if (f & AV_CPU_FLAG_SSSE3) return "SSSE3";
    if (f & AV_CPU_FLAG_SSE3) return "SSE3";
    if (f & AV_CPU_FLAG_SSE2) return "SSE2";
    return "0";
#else
    return "";
#endif
}

}  // namespace detail

using namespace detail;

// ---- encoder --------------------------------------------------------------------------------

struct VideoEncoder::Impl {
    std::filesystem::path target;
    VideoOptions options;
    // Declared before the format context: destroyed after it (the temporary file last).
    std::optional<AtomicFile> file;
    std::optional<AvioOutput> avio;
    OutputFormatPtr format;
    CodecContextPtr codec;
    AVStream* stream = nullptr;  // owned by `format`
    SwsPtr sws;
    FramePtr frame;
    PacketPtr packet;
    long long frames = 0;
    bool finished = false;
    bool gif = false;
    const AVCodec* enc = nullptr;
    std::string codec_name_used;
    // GIF: frames -> [src] paletteuse [pal] -> sink -> gif encoder
    GraphPtr graph;
    AVFilterContext* graph_src = nullptr;
    AVFilterContext* graph_sink = nullptr;
    FramePtr filtered;

    Impl(std::filesystem::path path, VideoOptions opts) : target(std::move(path)), options(std::move(opts)) {
        const int w = options.width, h = options.height;
        if (w <= 0 || h <= 0 || w % 2 != 0 || h % 2 != 0)
            fail("video size " + std::to_string(w) + "x" + std::to_string(h) + " is not positive and even (yuv420p needs even sizes)",
                 target);
        if (options.fps <= 0) fail("frame rate " + std::to_string(options.fps) + " is not positive", target);

        // Container as the caller decided it, else from the target's extension (the temporary
        // name has none of its own).
        const std::string ext = options.container.empty() ? lower_extension(target) : "." + options.container;
        const char* muxer = nullptr;
        std::string codec_name = options.codec;
        if (ext == ".mp4") {
            muxer = "mp4";
            if (codec_name.empty()) codec_name = "libx264";
        } else if (ext == ".webm") {
            muxer = "webm";
            if (codec_name.empty()) codec_name = "libvpx-vp9";
        } else if (ext == ".gif") {
            muxer = "gif";
            codec_name = "gif";
            gif = true;
            if (options.gif_palette.empty() || options.gif_palette.size() > 256)
                fail("a GIF needs a palette of 1 to 256 colours (GifPaletteBuilder)", target);
        } else {
            fail("unsupported video extension '" + ext + "' (use .mp4, .webm or .gif)", target);
        }

        try {
            file.emplace(target);
        } catch (const IoError& e) {
            throw EncodeError(e.what());  // the encoder's own error type (same text)
        }
        avio.emplace(*file);
        AVFormatContext* fc = nullptr;
        check(avformat_alloc_output_context2(&fc, nullptr, muxer, kAvioSentinelUrl), "create the muxer", target);
        format.reset(fc);
        avio->attach(fc);
        // Bitexact: no "Lavf<version>" encoder tag or other build/time dependent bytes.
        format->flags |= AVFMT_FLAG_BITEXACT;

        if (options.keyframe_interval <= 0) options.keyframe_interval = 5 * options.fps;
        codec_name_used = codec_name;
        enc = avcodec_find_encoder_by_name(codec_name.c_str());
        if (!enc) fail("encoder '" + codec_name + "' is not available in this libavcodec", target);
        codec = open_codec();

        stream = avformat_new_stream(format.get(), nullptr);
        if (!stream) fail("cannot add a video stream", target);
        stream->time_base = codec->time_base;
        stream->avg_frame_rate = codec->framerate;
        check(avcodec_parameters_from_context(stream->codecpar, codec.get()), "copy codec parameters", target);

        bool all_itunes = true;
        for (const auto& [key, value] : options.metadata) {
            check(av_dict_set(&format->metadata, key.c_str(), value.c_str(), 0), "set a metadata tag", target);
            all_itunes = all_itunes && is_itunes_tag(key);
        }

        Dict mux_opts;
        if (std::string(muxer) == "mp4") mux_opts.set("movflags", all_itunes ? "+faststart" : "+faststart+use_metadata_tags", target);
        write_check(avformat_write_header(format.get(), mux_opts.get()), "write the header");

        frame.reset(av_frame_alloc());
        packet.reset(av_packet_alloc());
        if (!frame || !packet) fail("cannot allocate frame buffers", target);
        if (gif) {
            open_gif_graph();
            return;
        }

        sws.reset(
            sws_getContext(w, h, AV_PIX_FMT_RGB32, w, h, AV_PIX_FMT_YUV420P, SWS_BILINEAR | SWS_ACCURATE_RND, nullptr, nullptr, nullptr));
        if (!sws) fail("libswscale cannot convert ARGB32 to yuv420p", target);
        // Source full-range RGB, destination BT.709 limited range.
        const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
        check(sws_setColorspaceDetails(sws.get(), bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16), "set BT.709 conversion", target);

        frame->format = AV_PIX_FMT_YUV420P;
        frame->width = w;
        frame->height = h;
        frame->color_primaries = codec->color_primaries;
        frame->color_trc = codec->color_trc;
        frame->colorspace = codec->colorspace;
        frame->color_range = codec->color_range;
        check(av_frame_get_buffer(frame.get(), 0), "allocate a frame", target);
    }

    /// A new encoder instance. Each GOP (keyframe_interval frames from a multiple of it) is
    /// encoded by a fresh instance: rate control and lookahead then never carry state across a
    /// GOP boundary, so a shard that starts on a boundary encodes exactly the GOPs a single
    /// pass does (measured before: shards that only shared keyframe positions differed from
    /// the single pass by 43 dB PSNR, the I-frame's QP depending on the frames before it).
    CodecContextPtr open_codec() {
        const std::string& codec_name = codec_name_used;
        const int w = options.width, h = options.height;
        CodecContextPtr ctx(avcodec_alloc_context3(enc));
        if (!ctx) fail("cannot allocate the encoder context", target);
        ctx->width = w;
        ctx->height = h;
        ctx->pix_fmt = gif ? AV_PIX_FMT_PAL8 : AV_PIX_FMT_YUV420P;
        ctx->time_base = AVRational{1, options.fps};  // pts = frame index
        ctx->framerate = AVRational{options.fps, 1};
        ctx->sample_aspect_ratio = AVRational{1, 1};
        // A keyframe every keyframe_interval frames (default 5 s): seeking in a long replay
        // stays cheap while mostly static map content still compresses well.
        ctx->gop_size = options.keyframe_interval;
        ctx->thread_count = std::max(0, options.threads);
        ctx->flags |= AV_CODEC_FLAG_BITEXACT;
        if (!gif) {
            ctx->color_primaries = AVCOL_PRI_BT709;
            ctx->color_trc = AVCOL_TRC_BT709;
            ctx->colorspace = AVCOL_SPC_BT709;
            ctx->color_range = AVCOL_RANGE_MPEG;
        }
        if (format->oformat->flags & AVFMT_GLOBALHEADER) ctx->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;

        Dict codec_opts;
        const std::string crf = std::to_string(options.crf);
        if (codec_name == "libx264") {
            codec_opts.set("preset", options.preset, target);
            codec_opts.set("crf", crf, target);
            codec_opts.set("profile", "high", target);
            codec_opts.set("forced-idr", "1", target);
            if (options.threads > 0)
                if (const std::string isa = x264_deterministic_asm(); !isa.empty()) codec_opts.set("x264-params", "asm=" + isa, target);
        } else if (codec_name == "libvpx-vp9") {
            ctx->bit_rate = 0;  // constant-quality mode: crf with no target bitrate
            codec_opts.set("crf", crf, target);
            codec_opts.set("deadline", "good", target);
            codec_opts.set("cpu-used", "4", target);  // libvpx speed 4 of 0..8: fast, still good
            codec_opts.set("row-mt", options.threads == 1 ? "0" : "1", target);
        }
        check(avcodec_open2(ctx.get(), enc, codec_opts.get()), "open the encoder", target);
        if (const std::string left = codec_opts.leftover(); !left.empty())
            fail("encoder '" + codec_name + "' did not accept option(s) " + left, target);

        return ctx;
    }

    /// Ends the current GOP's encoder (its packets are written) and starts a fresh one. (Flushing
    /// the old encoder on a thread of its own while the new one starts was measured slower here:
    /// 2.3-2.6 s against 2.0-2.3 s for 300 frames on 2 cores; both encoders' threads compete.)
    void restart_codec() {
        encode(nullptr);
        codec = open_codec();
    }

    void write_packet(AVPacket* p) {
        av_packet_rescale_ts(p, AVRational{1, options.fps}, stream->time_base);
        p->stream_index = stream->index;
        // Takes the packet's reference and leaves it blank.
        write_check(av_interleaved_write_frame(format.get(), p), "write a packet");
    }

    /// check() for calls that write: a failed write reports the file's own error.
    void write_check(int rc, const char* what) {
        if (rc < 0 && !avio->error().empty()) throw IoError(avio->error());
        check(rc, what, target);
    }

    void open_gif_graph() {
        const int w = options.width, h = options.height;
        graph.reset(avfilter_graph_alloc());
        if (!graph) fail("cannot allocate a filter graph", target);
        graph->nb_threads = 1;
        graph_src = make_filter(graph.get(), "buffer", "in", buffer_args(w, h, options.fps), target);
        AVFilterContext* pal = make_filter(graph.get(), "buffer", "palette", buffer_args(16, 16, options.fps), target);
        // Bayer dithering is ordered: an unchanged area dithers the same way every frame, so the
        // static map does not shimmer; diff_mode=rectangle re-maps only the changed rectangle.
        AVFilterContext* use = make_filter(graph.get(), "paletteuse", "use", "dither=bayer:bayer_scale=3:diff_mode=rectangle", target);
        graph_sink = make_filter(graph.get(), "buffersink", "out", "", target);
        check(avfilter_link(graph_src, 0, use, 0), "link the GIF filters", target);
        check(avfilter_link(pal, 0, use, 1), "link the GIF filters", target);
        check(avfilter_link(use, 0, graph_sink, 0), "link the GIF filters", target);
        check(avfilter_graph_config(graph.get(), nullptr), "configure the GIF filters", target);
        // The palette as a 16x16 image, sent once; paletteuse keeps the last palette frame.
        FramePtr pf(av_frame_alloc());
        if (!pf) fail("cannot allocate a frame", target);
        pf->format = AV_PIX_FMT_RGB32;
        pf->width = 16;
        pf->height = 16;
        check(av_frame_get_buffer(pf.get(), 0), "allocate the palette frame", target);
        for (int i = 0; i < 256; ++i) {
            const std::uint32_t c = i < static_cast<int>(options.gif_palette.size()) ? options.gif_palette[i] : options.gif_palette.back();
            std::memcpy(pf->data[0] + (i / 16) * pf->linesize[0] + (i % 16) * 4, &c, 4);
        }
        pf->pts = 0;
        check(av_buffersrc_add_frame(pal, pf.get()), "send the GIF palette", target);
        check(av_buffersrc_add_frame(pal, nullptr), "close the GIF palette input", target);
        filtered.reset(av_frame_alloc());
        if (!filtered) fail("cannot allocate a frame", target);
    }

    /// Pulls every frame the GIF filter graph has ready into the encoder.
    void drain_graph() {
        for (;;) {
            const int rc = av_buffersink_get_frame(graph_sink, filtered.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
            check(rc, "filter a GIF frame", target);
            encode(filtered.get());
            av_frame_unref(filtered.get());
        }
    }

    /// Sends `f` (nullptr flushes) and writes every packet the encoder has ready.
    void encode(const AVFrame* f) {
        check(avcodec_send_frame(codec.get(), f), "encode a frame", target);
        for (;;) {
            const int rc = avcodec_receive_packet(codec.get(), packet.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
            check(rc, "receive an encoded packet", target);
            write_packet(packet.get());
        }
    }
};

VideoEncoder::VideoEncoder(std::filesystem::path path, VideoOptions options)
    : m_impl(std::make_unique<Impl>(std::move(path), std::move(options))) {}

VideoEncoder::~VideoEncoder() = default;  // unfinished: Impl closes, then removes the temp file

void VideoEncoder::add_frame_argb32(const std::uint8_t* pixels, int stride) {
    Impl& im = *m_impl;
    if (im.finished) fail("add_frame_argb32 after finish()", im.target);
    if (!pixels || stride < 4 * im.options.width) fail("frame stride " + std::to_string(stride) + " is smaller than 4 x width", im.target);
    if (im.gif) {
        FramePtr f = wrap_argb(pixels, stride, im.options.width, im.options.height, im.options.first_frame_index + im.frames, im.target);
        // Copies the pixels (KEEP_REF on a frame without buffers) and filters it at once.
        check(av_buffersrc_add_frame_flags(im.graph_src, f.get(), AV_BUFFERSRC_FLAG_KEEP_REF | AV_BUFFERSRC_FLAG_PUSH),
              "filter a GIF frame", im.target);
        im.drain_graph();
        ++im.frames;
        return;
    }
    // The encoder may still hold a reference to the previous frame's buffers.
    check(av_frame_make_writable(im.frame.get()), "make a frame writable", im.target);
    const std::uint8_t* src[1] = {pixels};
    const int src_stride[1] = {stride};
    const int rows = sws_scale(im.sws.get(), src, src_stride, 0, im.options.height, im.frame->data, im.frame->linesize);
    if (rows != im.options.height) fail("libswscale converted " + std::to_string(rows) + " rows", im.target);
    im.frame->pts = im.options.first_frame_index + im.frames;
    const bool gop_start = im.frame->pts % im.options.keyframe_interval == 0;
    if (gop_start && im.frames > 0) im.restart_codec();
    im.frame->pict_type = gop_start ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
    im.encode(im.frame.get());
    ++im.frames;
}

void VideoEncoder::add_frame_yuv420p(const Yuv420Image& image) {
    Impl& im = *m_impl;
    if (image.width != im.options.width || image.height != im.options.height)
        fail("yuv420p frame size differs from the video size", im.target);
    const Yuv420View out = next_frame();
    const std::uint8_t* planes[3] = {image.y.data(), image.u.data(), image.v.data()};
    std::uint8_t* dst[3] = {out.y, out.u, out.v};
    const int w = image.width, h = image.height;
    for (int p = 0; p < 3; ++p) {
        const int pw = p == 0 ? w : w / 2, ph = p == 0 ? h : h / 2;
        av_image_copy_plane(dst[p], p == 0 ? out.y_stride : out.c_stride, planes[p], pw, pw, ph);
    }
    add_next_frame();
}

Yuv420View VideoEncoder::next_frame() {
    Impl& im = *m_impl;
    if (im.finished) fail("a frame after finish()", im.target);
    if (im.gif) fail("a GIF takes ARGB32 frames", im.target);
    // Keeps the pixels: when the buffer is shared, FFmpeg allocates a new one and copies them.
    check(av_frame_make_writable(im.frame.get()), "make a frame writable", im.target);
    AVFrame* f = im.frame.get();
    if (f->linesize[1] != f->linesize[2]) fail("unexpected yuv420p plane strides", im.target);
    return {f->data[0], f->data[1], f->data[2], f->linesize[0], f->linesize[1], im.options.width, im.options.height};
}

void VideoEncoder::add_next_frame() {
    Impl& im = *m_impl;
    if (im.finished) fail("a frame after finish()", im.target);
    im.frame->pts = im.options.first_frame_index + im.frames;
    const bool gop_start = im.frame->pts % im.options.keyframe_interval == 0;
    if (gop_start && im.frames > 0) im.restart_codec();
    im.frame->pict_type = gop_start ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
    im.encode(im.frame.get());
    ++im.frames;
}

void VideoEncoder::finish() {
    Impl& im = *m_impl;
    if (im.finished) return;
    if (im.gif) {
        check(av_buffersrc_add_frame(im.graph_src, nullptr), "flush the GIF filters", im.target);
        im.drain_graph();
    }
    im.encode(nullptr);
    im.write_check(av_write_trailer(im.format.get()), "write the trailer");
    im.avio->flush();
    im.file->commit();
    im.finished = true;
}

long long VideoEncoder::frames_written() const noexcept { return m_impl->frames; }

// ---- GIF palette ----------------------------------------------------------------------------

struct GifPaletteBuilder::Impl {
    int width, height;
    GraphPtr graph;
    AVFilterContext* src = nullptr;
    AVFilterContext* sink = nullptr;
    long long frames = 0;
    const std::filesystem::path what = "GIF palette";
};

GifPaletteBuilder::GifPaletteBuilder(int width, int height) : m_impl(std::make_unique<Impl>()) {
    Impl& im = *m_impl;
    im.width = width;
    im.height = height;
    im.graph.reset(avfilter_graph_alloc());
    if (!im.graph) fail("cannot allocate a filter graph", im.what);
    im.graph->nb_threads = 1;
    im.src = make_filter(im.graph.get(), "buffer", "in", buffer_args(width, height, 30), im.what);
    AVFilterContext* gen =
        make_filter(im.graph.get(), "palettegen", "gen", "max_colors=256:stats_mode=full:reserve_transparent=0", im.what);
    im.sink = make_filter(im.graph.get(), "buffersink", "out", "", im.what);
    check(avfilter_link(im.src, 0, gen, 0), "link palettegen", im.what);
    check(avfilter_link(gen, 0, im.sink, 0), "link palettegen", im.what);
    check(avfilter_graph_config(im.graph.get(), nullptr), "configure palettegen", im.what);
}

GifPaletteBuilder::~GifPaletteBuilder() = default;

void GifPaletteBuilder::add_frame_argb32(const std::uint8_t* pixels, int stride) {
    Impl& im = *m_impl;
    FramePtr f = wrap_argb(pixels, stride, im.width, im.height, im.frames++, im.what);
    // PUSH: palettegen takes the frame now. Without it, frames queue on the link until the sink
    // is read at finish() (measured: 2 MB per 960x540 frame held until the end).
    check(av_buffersrc_add_frame_flags(im.src, f.get(), AV_BUFFERSRC_FLAG_KEEP_REF | AV_BUFFERSRC_FLAG_PUSH),
          "add a frame to the palette statistics", im.what);
}

std::vector<std::uint32_t> GifPaletteBuilder::finish() {
    Impl& im = *m_impl;
    if (im.frames == 0) fail("no frames", im.what);
    check(av_buffersrc_add_frame(im.src, nullptr), "flush palettegen", im.what);
    FramePtr out(av_frame_alloc());
    if (!out) fail("cannot allocate a frame", im.what);
    check(av_buffersink_get_frame(im.sink, out.get()), "get the palette", im.what);
    std::vector<std::uint32_t> palette(256);
    for (int i = 0; i < 256; ++i) std::memcpy(&palette[i], out->data[0] + (i / 16) * out->linesize[0] + (i % 16) * 4, 4);
    return palette;
}

// ---- probe ----------------------------------------------------------------------------------

VideoProbe probe_video(const std::filesystem::path& path) {
    AVFormatContext* raw = nullptr;
    check(avformat_open_input(&raw, path.c_str(), nullptr, nullptr), "open the video", path);
    InputFormatPtr in(raw);
    check(avformat_find_stream_info(in.get(), nullptr), "read stream information", path);
    const int index = av_find_best_stream(in.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (index < 0) fail("no video stream (" + av_error_text(index) + ")", path);
    const AVStream* st = in->streams[index];
    const AVCodecParameters* par = st->codecpar;

    VideoProbe p;
    p.codec = avcodec_get_name(par->codec_id);
    if (const char* pf = av_get_pix_fmt_name(static_cast<AVPixelFormat>(par->format))) p.pixel_format = pf;
    p.width = par->width;
    p.height = par->height;
    if (par->color_space != AVCOL_SPC_UNSPECIFIED)
        if (const char* s = av_color_space_name(par->color_space)) p.color_space = s;
    if (par->color_range != AVCOL_RANGE_UNSPECIFIED)
        if (const char* s = av_color_range_name(par->color_range)) p.color_range = s;
    p.fps = st->avg_frame_rate.den != 0 ? av_q2d(st->avg_frame_rate) : 0.0;
    if (in->duration != AV_NOPTS_VALUE)
        p.duration_s = static_cast<double>(in->duration) / AV_TIME_BASE;
    else if (st->duration != AV_NOPTS_VALUE)
        p.duration_s = static_cast<double>(st->duration) * av_q2d(st->time_base);

    const AVDictionaryEntry* e = nullptr;
    while ((e = av_dict_get(in->metadata, "", e, AV_DICT_IGNORE_SUFFIX)) != nullptr) {
        std::string key = e->key;
        std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        p.metadata[key] = e->value;
    }

    PacketPtr pkt(av_packet_alloc());
    if (!pkt) fail("cannot allocate a packet", path);
    for (;;) {
        const int rc = av_read_frame(in.get(), pkt.get());
        if (rc == AVERROR_EOF) break;
        check(rc, "read a packet", path);
        if (pkt->stream_index == index) ++p.frames;
        av_packet_unref(pkt.get());
    }
    return p;
}

void quiet_ffmpeg_logs() noexcept { av_log_set_level(AV_LOG_ERROR); }

}  // namespace fr::output
