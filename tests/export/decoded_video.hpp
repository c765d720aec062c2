#pragma once
// Test helper: decodes every frame of a video (libavformat/libavcodec) to yuv420p planes with
// its pts in frames, and PSNR between two decoded frames.
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/mathematics.h>
}

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace fr::test {

struct DecodedFrame {
    long long pts_frames = 0;       ///< pts in units of 1/fps
    std::vector<std::uint8_t> yuv;  ///< Y, U, V planes packed (yuv420p)
};

inline std::vector<DecodedFrame> decode_video(const std::filesystem::path& path) {
    AVFormatContext* fc = nullptr;
    if (avformat_open_input(&fc, path.c_str(), nullptr, nullptr) < 0) throw std::runtime_error("cannot open " + path.string());
    avformat_find_stream_info(fc, nullptr);
    const int si = av_find_best_stream(fc, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    AVStream* st = fc->streams[si];
    const AVCodec* dec = avcodec_find_decoder(st->codecpar->codec_id);
    AVCodecContext* cc = avcodec_alloc_context3(dec);
    avcodec_parameters_to_context(cc, st->codecpar);
    cc->thread_count = 1;
    avcodec_open2(cc, dec, nullptr);
    const AVRational frame_tb = av_inv_q(st->avg_frame_rate);
    std::vector<DecodedFrame> out;
    AVPacket* pkt = av_packet_alloc();
    AVFrame* f = av_frame_alloc();
    auto drain = [&] {
        while (avcodec_receive_frame(cc, f) == 0) {
            DecodedFrame d;
            d.pts_frames = av_rescale_q(f->best_effort_timestamp, st->time_base, frame_tb);
            const int size = av_image_get_buffer_size(static_cast<AVPixelFormat>(f->format), f->width, f->height, 1);
            d.yuv.resize(static_cast<std::size_t>(size));
            av_image_copy_to_buffer(d.yuv.data(), size, f->data, f->linesize, static_cast<AVPixelFormat>(f->format), f->width, f->height,
                                    1);
            out.push_back(std::move(d));
        }
    };
    while (av_read_frame(fc, pkt) == 0) {
        if (pkt->stream_index == si) {
            avcodec_send_packet(cc, pkt);
            drain();
        }
        av_packet_unref(pkt);
    }
    avcodec_send_packet(cc, nullptr);
    drain();
    av_frame_free(&f);
    av_packet_free(&pkt);
    avcodec_free_context(&cc);
    avformat_close_input(&fc);
    return out;
}

/// PSNR in dB over all samples (infinity when identical).
inline double psnr(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
    if (a.size() != b.size() || a.empty()) throw std::runtime_error("psnr: sizes differ");
    double se = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double d = static_cast<double>(a[i]) - b[i];
        se += d * d;
    }
    if (se == 0) return std::numeric_limits<double>::infinity();
    return 10 * std::log10(255.0 * 255.0 / (se / static_cast<double>(a.size())));
}

/// Lowest per-frame PSNR between two decoded videos of equal frame count.
inline double min_psnr(const std::vector<DecodedFrame>& a, const std::vector<DecodedFrame>& b) {
    double lo = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) lo = std::min(lo, psnr(a[i].yuv, b[i].yuv));
    return lo;
}

}  // namespace fr::test
