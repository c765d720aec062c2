#include "export/avio_file.hpp"

extern "C" {
#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavutil/error.h>
#include <libavutil/mem.h>
}

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "core/error.hpp"
#include "export/atomic_file.hpp"

namespace fr::output::detail {

namespace {

constexpr int kBufferBytes = 1 << 16;

/// Per AVIOContext: where it is in the file.
struct Cursor {
    AvioOutput::State* state;
    std::int64_t pos = 0;
};

void free_context(AVIOContext* pb) noexcept {
    if (!pb) return;
    delete static_cast<Cursor*>(pb->opaque);
    av_freep(&pb->buffer);
    avio_context_free(&pb);
}

}  // namespace

struct AvioOutput::State {
    AtomicFile* file = nullptr;
    AVIOContext* write_pb = nullptr;
    std::set<AVIOContext*> readers;  // opened by io_open, closed by io_close2 (or at the end)
    std::string error;
    int refused = 0;
};

namespace {

int write_cb(void* opaque, std::uint8_t* buf, int size) {
    auto* c = static_cast<Cursor*>(opaque);
    try {
        c->state->file->write_at(buf, static_cast<std::size_t>(size), c->pos);
    } catch (const std::exception& e) {
        if (c->state->error.empty()) c->state->error = e.what();
        return AVERROR(EIO);
    }
    c->pos += size;
    return size;
}

int read_cb(void* opaque, std::uint8_t* buf, int size) {
    auto* c = static_cast<Cursor*>(opaque);
    for (;;) {
        const ssize_t n = ::pread(c->state->file->fd(), buf, static_cast<std::size_t>(size), static_cast<off_t>(c->pos));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int e = errno;
            if (c->state->error.empty())
                c->state->error = "cannot read back '" + c->state->file->target().string() + "': " + std::strerror(e);
            return AVERROR(e);
        }
        if (n == 0) return AVERROR_EOF;
        c->pos += n;
        return static_cast<int>(n);
    }
}

std::int64_t seek_cb(void* opaque, std::int64_t offset, int whence) {
    auto* c = static_cast<Cursor*>(opaque);
    struct stat st {};
    auto size = [&]() -> std::int64_t {
        if (::fstat(c->state->file->fd(), &st) != 0) return AVERROR(errno);
        return static_cast<std::int64_t>(st.st_size);
    };
    switch (whence & ~AVSEEK_FORCE) {
        case AVSEEK_SIZE: return size();
        case SEEK_SET: break;
        case SEEK_CUR: offset += c->pos; break;
        case SEEK_END: {
            const std::int64_t s = size();
            if (s < 0) return s;
            offset += s;
            break;
        }
        default: return AVERROR(EINVAL);
    }
    if (offset < 0) return AVERROR(EINVAL);
    c->pos = offset;
    return offset;
}

AVIOContext* make_context(AvioOutput::State* state, bool write) {
    auto* buffer = static_cast<unsigned char*>(av_malloc(kBufferBytes));
    if (!buffer) return nullptr;
    auto* cursor = new Cursor{state, 0};
    AVIOContext* pb =
        avio_alloc_context(buffer, kBufferBytes, write ? 1 : 0, cursor, write ? nullptr : read_cb, write ? write_cb : nullptr, seek_cb);
    if (!pb) {
        delete cursor;
        av_free(buffer);
    }
    return pb;
}

int io_open(AVFormatContext* s, AVIOContext** pb, const char* url, int flags, AVDictionary**) {
    auto* state = static_cast<AvioOutput::State*>(s->opaque);
    // Only the output itself, and only to read it back (+faststart): nothing else is opened by name.
    if (!state || !url || std::strcmp(url, kAvioSentinelUrl) != 0 || (flags & AVIO_FLAG_WRITE)) {
        if (state) ++state->refused;
        return AVERROR(EPERM);
    }
    AVIOContext* r = make_context(state, false);
    if (!r) return AVERROR(ENOMEM);
    state->readers.insert(r);
    *pb = r;
    return 0;
}

int io_close2(AVFormatContext* s, AVIOContext* pb) {
    auto* state = static_cast<AvioOutput::State*>(s->opaque);
    if (!pb) return 0;
    if (state && state->readers.erase(pb)) {
        free_context(pb);
        return 0;
    }
    return 0;  // our write context is freed by AvioOutput; nothing else was opened
}

}  // namespace

AvioOutput::AvioOutput(AtomicFile& file) : m_state(std::make_unique<State>()) {
    m_state->file = &file;
    m_state->write_pb = make_context(m_state.get(), true);
    if (!m_state->write_pb) throw EncodeError("cannot allocate an output context for '" + file.target().string() + "'");
}

AvioOutput::~AvioOutput() {
    for (AVIOContext* r : m_state->readers) free_context(r);
    free_context(m_state->write_pb);
}

void AvioOutput::attach(AVFormatContext* fc) noexcept {
    fc->pb = m_state->write_pb;
    fc->flags |= AVFMT_FLAG_CUSTOM_IO;
    fc->opaque = m_state.get();
    fc->io_open = io_open;
    fc->io_close2 = io_close2;
}

void AvioOutput::flush() {
    avio_flush(m_state->write_pb);
    if (!m_state->error.empty()) throw IoError(m_state->error);
    if (m_state->write_pb->error < 0) {
        char text[AV_ERROR_MAX_STRING_SIZE] = {};
        av_strerror(m_state->write_pb->error, text, sizeof text);
        throw IoError("cannot write '" + m_state->file->target().string() + "': " + text);
    }
}

const std::string& AvioOutput::error() const noexcept { return m_state->error; }
int AvioOutput::refused_opens() const noexcept { return m_state->refused; }

}  // namespace fr::output::detail
