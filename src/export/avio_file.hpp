#pragma once
// libavformat output through an AtomicFile's descriptor (internal to the export module).
//
// libavformat would otherwise open the output by name, and the mov muxer's +faststart pass
// reopens it by name to move the index to the front: between our creating the temporary file
// and those opens, the name could be swapped for a symlink. Instead the muxer gets a custom
// AVIOContext that pwrite()s at its own position on our descriptor, and AVFormatContext's
// io_open/io_close2 are overridden so that only the sentinel URL set as the context's url is
// served, with a read context that pread()s the same descriptor (never dup(): a duplicate
// shares the file offset); any other URL is refused with EPERM. Seek callbacks support
// AVSEEK_SIZE.
#include <memory>
#include <string>

struct AVFormatContext;
struct AVIOContext;

namespace fr::output {
class AtomicFile;
}

namespace fr::output::detail {

/// The URL given to avformat_alloc_output_context2 and served by io_open.
inline constexpr const char* kAvioSentinelUrl = "flightreplay-atomic-output:";

class AvioOutput {
public:
    /// Allocates the write context on `file` (which must outlive this object). Throws EncodeError.
    explicit AvioOutput(AtomicFile& file);
    ~AvioOutput();
    AvioOutput(const AvioOutput&) = delete;
    AvioOutput& operator=(const AvioOutput&) = delete;

    /// Gives `fc` our write context (AVFMT_FLAG_CUSTOM_IO) and the io_open/io_close2 overrides.
    /// `fc` must have been created with kAvioSentinelUrl as its file name.
    void attach(AVFormatContext* fc) noexcept;
    /// Flushes the write buffer; throws fr::IoError with the file's message (e.g. "No space
    /// left on device") when any write failed.
    void flush();
    /// The first write or read failure ("" when none): the text of the IoError it raised.
    const std::string& error() const noexcept;
    /// URLs io_open refused (tests and diagnostics).
    int refused_opens() const noexcept;

    struct State;

private:
    std::unique_ptr<State> m_state;
};

}  // namespace fr::output::detail
