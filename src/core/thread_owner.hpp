#pragma once
// Owner-thread checks for wrappers of handles that must not be used by two threads: PROJ's PJ
// and its PJ_CONTEXT, Cairo contexts and the surfaces they draw on, the Pango text engine.
// The system's PROJ, Cairo and Pango are not built with ThreadSanitizer, so TSan cannot see a
// race inside them (two threads on one PJ gave no report); instead each wrapper records the
// thread that owns it and checks every use.
//
// The checks are on by default in Debug, sanitizer and ThreadSanitizer builds (CMake option
// FR_THREAD_CHECKS) and off in Release, where a check is one relaxed atomic load. The
// environment variable FR_THREAD_CHECKS=1 (or 0) turns them on (off) at start-up in any build;
// tests turn them on with ScopedThreadChecks. A foreign use prints both thread ids and aborts
// (the default handler).
#include <atomic>
#include <thread>

namespace fr {

/// What to do on a foreign use: `what` names the object ("PROJ transformation"...).
using ThreadViolationHandler = void (*)(const char* what, std::thread::id owner, std::thread::id user);

namespace detail {
extern std::atomic<bool> g_thread_checks;
[[gnu::cold]] void thread_violation(const char* what, std::thread::id owner, std::thread::id user) noexcept;
}  // namespace detail

/// Whether owner checks run now.
inline bool thread_checks_enabled() noexcept { return detail::g_thread_checks.load(std::memory_order_relaxed); }

/// Turns the checks on and installs `handler` (nullptr: print and abort) for its lifetime; the
/// previous state comes back after. For tests.
class ScopedThreadChecks {
public:
    explicit ScopedThreadChecks(ThreadViolationHandler handler = nullptr) noexcept;
    ~ScopedThreadChecks();
    ScopedThreadChecks(const ScopedThreadChecks&) = delete;
    ScopedThreadChecks& operator=(const ScopedThreadChecks&) = delete;

private:
    bool m_was_enabled;
    ThreadViolationHandler m_old;
};

/// The thread an object belongs to: the one that made it, until adopt() hands it over.
class ThreadOwner {
public:
    ThreadOwner() noexcept : m_owner(std::this_thread::get_id()) {}
    /// A copy or moved-to object belongs to the thread that made it.
    ThreadOwner(const ThreadOwner&) noexcept : ThreadOwner() {}
    ThreadOwner& operator=(const ThreadOwner&) noexcept {
        adopt();
        return *this;
    }

    /// Checks that the calling thread owns the object (when checks are on).
    void check(const char* what) const noexcept {
        if (!thread_checks_enabled()) return;
        const auto me = std::this_thread::get_id(), owner = m_owner.load(std::memory_order_relaxed);
        if (me != owner) detail::thread_violation(what, owner, me);
    }
    /// Makes the calling thread the owner. Legal only once the previous owner is done with the
    /// object and a synchronisation (thread join, future get) orders its last use before this.
    void adopt() const noexcept { m_owner.store(std::this_thread::get_id(), std::memory_order_relaxed); }
    std::thread::id owner() const noexcept { return m_owner.load(std::memory_order_relaxed); }

private:
    mutable std::atomic<std::thread::id> m_owner;
};

}  // namespace fr
