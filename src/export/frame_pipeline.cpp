#include "export/frame_pipeline.hpp"

#include <stdexcept>

#include "core/error.hpp"

namespace fr::output {

FramePipeline::FramePipeline(int width, int height, int slots, int workers, Consumer consume)
    : m_stride(width * 4), m_consume(std::move(consume)) {
    if (width <= 0 || height <= 0 || slots < 1 || workers < 1) throw EncodeError("frame pipeline: invalid size, slot or worker count");
    m_buffers.resize(static_cast<std::size_t>(slots));
    for (int i = 0; i < slots; ++i) {
        // Default-initialised (not zeroed): pages are touched only where frames are written.
        m_buffers[static_cast<std::size_t>(i)].reset(new std::uint8_t[static_cast<std::size_t>(m_stride) * height]);
        m_free.push_back(i);
    }
    for (int i = 0; i < workers; ++i) m_workers.emplace_back([this] { work(); });
}

FramePipeline::~FramePipeline() { cancel(); }

void FramePipeline::rethrow_locked() {
    if (m_error) std::rethrow_exception(m_error);
    if (m_cancelled) throw EncodeError("frame pipeline was cancelled");
}

int FramePipeline::acquire() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return !m_free.empty() || m_error || m_cancelled; });
    rethrow_locked();
    const int slot = m_free.front();
    m_free.pop_front();
    return slot;
}

void FramePipeline::submit(int slot, long long frame_index) {
    std::unique_lock lock(m_mutex);
    rethrow_locked();
    m_queue.emplace_back(slot, frame_index);
    m_changed.notify_all();
}

void FramePipeline::work() {
    for (;;) {
        std::pair<int, long long> item;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [&] { return !m_queue.empty() || m_closed || m_cancelled; });
            if (m_cancelled || (m_queue.empty() && m_closed)) return;
            item = m_queue.front();
            m_queue.pop_front();
        }
        try {
            m_consume(data(item.first), m_stride, item.second);
        } catch (...) {
            std::unique_lock lock(m_mutex);
            if (!m_error) m_error = std::current_exception();
            m_cancelled = true;
            m_changed.notify_all();
            return;
        }
        std::unique_lock lock(m_mutex);
        m_free.push_back(item.first);
        m_changed.notify_all();
    }
}

void FramePipeline::finish() {
    {
        std::unique_lock lock(m_mutex);
        m_closed = true;
        m_changed.notify_all();
    }
    for (auto& t : m_workers)
        if (t.joinable()) t.join();
    std::unique_lock lock(m_mutex);
    if (m_error) std::rethrow_exception(m_error);
}

void FramePipeline::cancel() noexcept {
    {
        std::unique_lock lock(m_mutex);
        m_cancelled = true;
        m_queue.clear();
        m_changed.notify_all();
    }
    for (auto& t : m_workers)
        if (t.joinable()) t.join();
}

}  // namespace fr::output
