#include "export/concat.hpp"

#include "core/error.hpp"
#include "core/setting_text.hpp"
#include "core/text.hpp"
#include "export/atomic_file.hpp"
#include "export/avio_file.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libavutil/mathematics.h>
}

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string>

namespace fr::output {

namespace detail {
bool is_itunes_tag(const std::string& key);  // video_encoder.cpp
}

namespace {

std::string av_text(int rc) {
    std::array<char, AV_ERROR_MAX_STRING_SIZE> buf{};
    av_strerror(rc, buf.data(), buf.size());
    return buf.data();
}
void check(int rc, const std::string& what, const std::filesystem::path& path) {
    if (rc < 0) throw EncodeError("concat: cannot " + what + " '" + path.string() + "': " + av_text(rc));
}

struct InputDeleter {
    void operator()(AVFormatContext* c) const noexcept { avformat_close_input(&c); }
};
struct OutputDeleter {
    void operator()(AVFormatContext* c) const noexcept {
        if (c->pb && !(c->flags & AVFMT_FLAG_CUSTOM_IO)) avio_closep(&c->pb);
        avformat_free_context(c);
    }
};
struct PacketDeleter {
    void operator()(AVPacket* p) const noexcept { av_packet_free(&p); }
};
using InputPtr = std::unique_ptr<AVFormatContext, InputDeleter>;
using OutputPtr = std::unique_ptr<AVFormatContext, OutputDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;

struct Shard {
    InputPtr in;
    int stream = -1;
};

Shard open_shard(const std::filesystem::path& p) {
    AVFormatContext* raw = nullptr;
    check(avformat_open_input(&raw, p.c_str(), nullptr, nullptr), "open", p);
    Shard s{InputPtr(raw), -1};
    // Shards are what `render --frames A:B` writes: MP4 or WebM/Matroska, nothing else (a
    // PNG or GIF would otherwise be "joined" as a one-frame stream).
    const std::string demuxer = s.in->iformat && s.in->iformat->name ? s.in->iformat->name : "unknown";
    if (demuxer.find("mp4") == std::string::npos && demuxer.find("matroska") == std::string::npos)
        throw EncodeError("concat: '" + p.string() + "' is not a video shard (its content is " + demuxer +
                          "); concat joins MP4 or WebM shards written by render " + setting_text("frames") + " A:B");
    check(avformat_find_stream_info(s.in.get(), nullptr), "read stream information of", p);
    s.stream = av_find_best_stream(s.in.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    check(s.stream, "find a video stream in", p);
    return s;
}

bool same_parameters(const AVCodecParameters* a, const AVCodecParameters* b) {
    return a->codec_id == b->codec_id && a->width == b->width && a->height == b->height && a->format == b->format &&
           a->extradata_size == b->extradata_size &&
           (a->extradata_size == 0 || std::memcmp(a->extradata, b->extradata, static_cast<std::size_t>(a->extradata_size)) == 0);
}

}  // namespace

ConcatResult concat_videos(const std::vector<std::filesystem::path>& shards, const std::filesystem::path& output) {
    if (shards.empty()) throw UsageError("concat needs at least one shard");
    const std::string ext = lower_extension(output);
    const char* muxer = ext == ".mp4" ? "mp4" : ext == ".webm" ? "webm" : ext == ".mkv" ? "matroska" : nullptr;
    if (!muxer) throw UsageError("concat output '" + output.string() + "': use .mp4, .webm or .mkv");

    Shard first = open_shard(shards.front());
    const AVStream* st0 = first.in->streams[first.stream];
    const AVRational fps = st0->avg_frame_rate;
    if (fps.num <= 0 || fps.den <= 0) throw EncodeError("concat: '" + shards.front().string() + "' has no frame rate");
    const AVRational frame_tb = av_inv_q(fps);

    AtomicFile file(output);
    detail::AvioOutput avio(file);  // before `out`: destroyed after it
    AVFormatContext* oc_raw = nullptr;
    check(avformat_alloc_output_context2(&oc_raw, nullptr, muxer, detail::kAvioSentinelUrl), "create the muxer for", output);
    OutputPtr out(oc_raw);
    avio.attach(out.get());
    // A failed write reports the file's own error ("No space left on device").
    auto write_check = [&](int rc, const std::string& what) {
        if (rc < 0 && !avio.error().empty()) throw IoError(avio.error());
        check(rc, what, output);
    };
    out->flags |= AVFMT_FLAG_BITEXACT;
    AVStream* ost = avformat_new_stream(out.get(), nullptr);
    if (!ost) throw EncodeError("concat: cannot add a stream to '" + output.string() + "'");
    check(avcodec_parameters_copy(ost->codecpar, st0->codecpar), "copy codec parameters for", output);
    ost->codecpar->codec_tag = 0;
    ost->codecpar->bit_rate = 0;                   // measured by the muxer from the packets, as for a single render
    for (int k = 0; k < st0->nb_side_data; ++k) {  // e.g. CPB properties (MP4 'btrt' box)
        const AVPacketSideData& sd = st0->side_data[k];
        if (std::uint8_t* dst = av_stream_new_side_data(ost, sd.type, sd.size)) std::memcpy(dst, sd.data, sd.size);
    }
    ost->time_base = st0->time_base;
    ost->avg_frame_rate = fps;
    // Container tags of the first shard (provenance), without the demuxer's own brand fields.
    bool all_itunes = true;
    const AVDictionaryEntry* tag = nullptr;
    while ((tag = av_dict_get(first.in->metadata, "", tag, AV_DICT_IGNORE_SUFFIX)) != nullptr) {
        const std::string key = tag->key;
        if (key == "major_brand" || key == "minor_version" || key == "compatible_brands" || key == "encoder") continue;
        av_dict_set(&out->metadata, tag->key, tag->value, 0);
        all_itunes = all_itunes && detail::is_itunes_tag(key);
    }
    AVDictionary* opts = nullptr;
    // As VideoEncoder writes them: keys other than iTunes atoms need QuickTime "mdta" tags.
    if (std::string(muxer) == "mp4") av_dict_set(&opts, "movflags", all_itunes ? "+faststart" : "+faststart+use_metadata_tags", 0);
    const int hrc = avformat_write_header(out.get(), &opts);
    av_dict_free(&opts);
    write_check(hrc, "write the header of");

    ConcatResult result;
    PacketPtr pkt(av_packet_alloc());
    if (!pkt) throw EncodeError("concat: cannot allocate a packet");
    long long next_frame = 0;  // frame index expected at the next shard's start
    for (std::size_t i = 0; i < shards.size(); ++i) {
        Shard opened;
        if (i > 0) opened = open_shard(shards[i]);
        Shard& s = i == 0 ? first : opened;  // `first` stays open: st0 points into it
        const AVStream* ist = s.in->streams[s.stream];
        if (!same_parameters(ist->codecpar, st0->codecpar) || av_cmp_q(ist->avg_frame_rate, fps) != 0)
            throw EncodeError("concat: '" + shards[i].string() + "' differs from '" + shards.front().string() +
                              "' in codec, size, encoder settings or frame rate; render every shard with the same options");
        bool first_packet = true;
        long long shard_frames = 0, shard_start = 0;
        for (;;) {
            const int rc = av_read_frame(s.in.get(), pkt.get());
            if (rc == AVERROR_EOF) break;
            check(rc, "read a packet from", shards[i]);
            if (pkt->stream_index != s.stream) {
                av_packet_unref(pkt.get());
                continue;
            }
            if (first_packet) {
                // The shard's first packet is its opening keyframe: its pts is the shard's first frame.
                if (!(pkt->flags & AV_PKT_FLAG_KEY))
                    throw EncodeError("concat: '" + shards[i].string() + "' does not start with a keyframe");
                shard_start = av_rescale_q(pkt->pts, ist->time_base, frame_tb);
                if (i == 0) {
                    next_frame = shard_start;
                    result.first_pts_frames = shard_start;
                } else if (shard_start != next_frame) {
                    throw EncodeError("concat: '" + shards[i].string() + "' starts at frame " + std::to_string(shard_start) +
                                      " but the shards before it end at frame " + std::to_string(next_frame) +
                                      " (missing, repeated or misordered shard)");
                }
                first_packet = false;
            }
            pkt->stream_index = ost->index;
            pkt->pos = -1;
            av_packet_rescale_ts(pkt.get(), ist->time_base, ost->time_base);
            write_check(av_interleaved_write_frame(out.get(), pkt.get()), "write a packet to");
            ++shard_frames;
        }
        next_frame = shard_start + shard_frames;
        result.frames += shard_frames;
    }
    write_check(av_write_trailer(out.get()), "write the trailer of");
    avio.flush();
    file.commit();
    return result;
}

}  // namespace fr::output
