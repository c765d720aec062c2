#pragma once
// A private X server for window tests and benchmarks: starts Xvfb on a free display (unless
// FR_TEST_DISPLAY names one to use), sets DISPLAY for this process and its children, and stops
// the server it started. So plain `ctest` works on a headless machine (CI included).
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

class XvfbServer {
public:
    /// Screen size in pixels; throws std::runtime_error when Xvfb does not come up in 10 s.
    explicit XvfbServer(int width = 1920, int height = 1080) {
        if (const char* d = std::getenv("FR_TEST_DISPLAY"); d && *d) {
            m_display = d;
            setenv("DISPLAY", d, 1);
            return;
        }
        for (int n = 90 + getpid() % 400, tries = 0; tries < 50; ++n, ++tries) {
            const auto sock = "/tmp/.X11-unix/X" + std::to_string(n);
            const auto lock = "/tmp/.X" + std::to_string(n) + "-lock";
            if (std::filesystem::exists(sock) || std::filesystem::exists(lock)) continue;
            const pid_t pid = fork();
            if (pid == 0) {
                const std::string disp = ":" + std::to_string(n), screen = std::to_string(width) + "x" + std::to_string(height) + "x24";
                std::freopen("/dev/null", "w", stdout);
                std::freopen("/dev/null", "w", stderr);
                execlp("Xvfb", "Xvfb", disp.c_str(), "-screen", "0", screen.c_str(), "-nolisten", "tcp", "-noreset", (char*)nullptr);
                _exit(127);
            }
            m_pid = pid;
            const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
            while (std::chrono::steady_clock::now() < until) {
                if (std::filesystem::exists(sock)) {
                    m_display = ":" + std::to_string(n);
                    setenv("DISPLAY", m_display.c_str(), 1);
                    std::this_thread::sleep_for(std::chrono::milliseconds(200));
                    return;
                }
                int st = 0;
                if (waitpid(pid, &st, WNOHANG) == pid) break;  // died (display taken): try the next
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
            stop();
        }
        throw std::runtime_error("cannot start Xvfb (is the xvfb package installed?)");
    }
    ~XvfbServer() { stop(); }
    XvfbServer(const XvfbServer&) = delete;
    XvfbServer& operator=(const XvfbServer&) = delete;
    const std::string& display() const noexcept { return m_display; }

private:
    void stop() {
        if (m_pid > 0) {
            kill(m_pid, SIGTERM);
            int st = 0;
            waitpid(m_pid, &st, 0);
            m_pid = -1;
        }
    }
    pid_t m_pid = -1;
    std::string m_display;
};
