#pragma once
// A bounded pool of ARGB32 frame buffers passed from one producer (the renderer, on the calling
// thread) to `workers` consumer threads (colour conversion + encoding, or PNG writers), so that
// drawing, conversion and encoding overlap on different cores. Memory is bounded by `slots`
// frames: acquire() blocks while every buffer is still queued or being consumed.
// With one worker, frames are consumed in submission order; with several, in any order.
// A consumer's exception stops the pipeline; acquire(), submit() and finish() rethrow it.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace fr::output {

class FramePipeline {
public:
    /// Called on a worker thread for each submitted frame.
    using Consumer = std::function<void(const std::uint8_t* argb, int stride, long long frame_index)>;

    FramePipeline(int width, int height, int slots, int workers, Consumer consume);
    /// Cancels (queued frames are dropped) and joins the workers.
    ~FramePipeline();
    FramePipeline(const FramePipeline&) = delete;
    FramePipeline& operator=(const FramePipeline&) = delete;

    int slots() const noexcept { return static_cast<int>(m_buffers.size()); }
    int stride() const noexcept { return m_stride; }
    /// The pixels of slot `i` (stride() bytes per row, 4*width aligned as Cairo wants).
    /// Not zeroed: each frame's producer writes what its consumer reads.
    std::uint8_t* data(int slot) noexcept { return m_buffers[static_cast<std::size_t>(slot)].get(); }

    /// A free slot to draw into; blocks while none is free.
    int acquire();
    /// Queues slot `slot`, drawn, as frame `frame_index`.
    void submit(int slot, long long frame_index);
    /// Waits until every submitted frame is consumed and joins the workers.
    void finish();
    /// Drops queued frames, waits for the frames in progress, joins. Never throws.
    void cancel() noexcept;

private:
    void work();
    void rethrow_locked();

    int m_stride;
    std::vector<std::unique_ptr<std::uint8_t[]>> m_buffers;
    Consumer m_consume;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<int> m_free;
    std::deque<std::pair<int, long long>> m_queue;
    bool m_closed = false;
    bool m_cancelled = false;
    std::exception_ptr m_error;
    std::vector<std::thread> m_workers;
};

}  // namespace fr::output
