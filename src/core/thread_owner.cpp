#include "core/thread_owner.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace fr {

namespace {

bool enabled_at_start() {
    if (const char* env = std::getenv("FR_THREAD_CHECKS"); env && *env) return std::strcmp(env, "0") != 0;
#ifdef FR_THREAD_CHECKS
    return true;
#else
    return false;
#endif
}

std::atomic<ThreadViolationHandler> g_handler{nullptr};

}  // namespace

namespace detail {

std::atomic<bool> g_thread_checks{enabled_at_start()};

void thread_violation(const char* what, std::thread::id owner, std::thread::id user) noexcept {
    if (auto h = g_handler.load()) {
        h(what, owner, user);
        return;
    }
    std::ostringstream ids;
    ids << "owned by thread " << owner << ", used by thread " << user;
    std::fprintf(stderr, "flightreplay: internal error: %s used by a thread that does not own it (%s)\n", what, ids.str().c_str());
    std::abort();
}

}  // namespace detail

ScopedThreadChecks::ScopedThreadChecks(ThreadViolationHandler handler) noexcept
    : m_was_enabled(detail::g_thread_checks.exchange(true)), m_old(g_handler.exchange(handler)) {}

ScopedThreadChecks::~ScopedThreadChecks() {
    g_handler.store(m_old);
    detail::g_thread_checks.store(m_was_enabled);
}

}  // namespace fr
