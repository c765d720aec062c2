#include "export/atomic_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <random>
#include <system_error>

#include "core/error.hpp"

namespace fr::output {

namespace fs = std::filesystem;

namespace {

std::string errno_text(int e) { return std::generic_category().message(e); }

// ---- the process-wide list of temporaries, for the signal handlers --------------------------
// Fixed storage so that the handler touches no allocator: a slot is claimed with a CAS
// (0 free -> 1 being filled -> 2 live), the handler only reads live slots. 256 slots: a PNG
// sequence holds one per writer thread, everything else one or two.

struct Slot {
    std::atomic<int> state{0};
    bool is_dir = false;
    char path[PATH_MAX] = {};
};
constexpr int kSlots = 256;
Slot g_slots[kSlots];

int claim_slot(const fs::path& p, bool is_dir) noexcept {
    const std::string& s = p.native();
    if (s.size() >= PATH_MAX) return -1;
    for (int i = 0; i < kSlots; ++i) {
        int expected = 0;
        if (g_slots[i].state.compare_exchange_strong(expected, 1)) {
            std::memcpy(g_slots[i].path, s.c_str(), s.size() + 1);
            g_slots[i].is_dir = is_dir;
            g_slots[i].state.store(2);
            return i;
        }
    }
    return -1;  // no signal-time cleanup for this one; destructors still remove it
}

void release_slot(int& i) noexcept {
    if (i >= 0) g_slots[i].state.store(0);
    i = -1;
}

/// Removes the entries of a directory we created (flat: GDAL/SQLite write files beside each
/// other) and the directory. Async-signal-safe: getdents64 instead of opendir (which mallocs).
void remove_flat_dir(const char* path) noexcept {
    const int dfd = ::open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd >= 0) {
        alignas(8) char buf[4096];
        for (;;) {
            const long n = ::syscall(SYS_getdents64, dfd, buf, sizeof buf);
            if (n <= 0) break;
            for (long off = 0; off < n;) {
                // struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, char name[]
                unsigned short reclen;
                std::memcpy(&reclen, buf + off + 16, sizeof reclen);
                const char* name = buf + off + 19;
                if (!(name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))) ::unlinkat(dfd, name, 0);
                off += reclen;
            }
        }
        ::close(dfd);
    }
    ::rmdir(path);
}

/// Outputs renamed into place so far (AtomicFile and AtomicDir commits).
std::atomic<int> g_outputs_committed{0};

extern "C" void on_fatal_signal(int sig) {
    bool live = false;
    for (const auto& slot : g_slots) live = live || slot.state.load() != 0;
    remove_registered_temporaries();
    const char* what = sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP" : "signal";
    char msg[160] = "flightreplay: interrupted (";
    std::strcat(msg, what);
    // A signal that arrives after the last output was renamed into place (while the program
    // frees memory on its way out) cannot undo it: say so, rather than "nothing left behind".
    std::strcat(msg, !live && g_outputs_committed.load() > 0 ? ") after the output was complete and in place\n"
                                                             : "); no partial output left behind\n");
    [[maybe_unused]] const auto w = ::write(STDERR_FILENO, msg, std::strlen(msg));
    ::_exit(128 + sig);
}

// ---- temporary names ------------------------------------------------------------------------

std::atomic<std::uint64_t> g_seed{0};
std::atomic<std::uint64_t> g_seeded_attempt{0};

std::uint64_t splitmix64(std::uint64_t x) noexcept {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

fs::path temp_name(const fs::path& target, std::uint64_t bits) {
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::string name = target.filename().string();
    if (name.size() > 200) name.resize(200);  // NAME_MAX is 255: leave room for the suffix
    name = "." + name + ".tmp-";
    for (int i = 0; i < 6; ++i) {
        name += alphabet[bits % 62];
        bits /= 62;
    }
    return target.parent_path() / name;
}

fs::path next_temp_name(const fs::path& target) {
    if (const std::uint64_t seed = g_seed.load()) return temp_name(target, splitmix64(seed + g_seeded_attempt.fetch_add(1)));
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    return temp_name(target, rng());
}

fs::path directory_of(const fs::path& target) { return target.parent_path().empty() ? fs::path(".") : target.parent_path(); }

/// Best effort: makes the directory entry of a rename durable. Filesystems that cannot fsync
/// a directory (EINVAL) are not an error.
void fsync_directory(const fs::path& dir, const fs::path& target) {
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return;
    const int rc = ::fsync(dfd);
    const int e = errno;
    ::close(dfd);
    if (rc != 0 && e != EINVAL && e != EROFS)
        throw IoError("cannot write '" + target.string() + "': fsync of its folder failed: " + errno_text(e));
}

/// Gives `fd` the mode of an existing regular `target` and, where permitted, its owner.
void keep_mode_and_owner(int fd, const fs::path& target) {
    struct stat old {};
    if (::lstat(target.c_str(), &old) != 0 || !S_ISREG(old.st_mode)) return;
    struct stat now {};
    if (::fstat(fd, &now) != 0) return;
    if (now.st_uid != old.st_uid || now.st_gid != old.st_gid) {
        // Only root may give a file away; anyone may keep the group when a member. Failure is
        // not an error: the file is then ours, as any newly written file would be.
        if (::fchown(fd, old.st_uid, old.st_gid) != 0) {
            [[maybe_unused]] const int r = ::fchown(fd, static_cast<uid_t>(-1), old.st_gid);
        }
    }
    // After chown, which clears set-id bits.
    if (::fchmod(fd, old.st_mode & 07777) != 0)
        throw IoError("cannot write '" + target.string() + "': cannot keep its mode: " + errno_text(errno));
}

void refuse_directory_target(const fs::path& target) {
    struct stat st {};
    if (::stat(target.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        throw IoError("cannot write '" + target.string() + "': it is an existing directory");
}

}  // namespace

// ---- checks before anything is created --------------------------------------------------------

void check_output_target(const fs::path& target, const std::vector<fs::path>& inputs) {
    struct stat out {};
    if (::stat(target.c_str(), &out) != 0) return;  // does not exist yet: nothing to compare
    if (S_ISDIR(out.st_mode))
        throw UsageError("output '" + target.string() + "' is an existing directory; name a file (or a folder/%05d.png sequence)");
    for (const auto& in : inputs) {
        struct stat st {};
        if (in == "-" || ::stat(in.c_str(), &st) != 0) continue;
        if (st.st_dev == out.st_dev && st.st_ino == out.st_ino)
            throw UsageError("output '" + target.string() + "' is the input '" + in.string() +
                             "'; writing it would destroy the input: choose another output name");
    }
}

// ---- AtomicFile -----------------------------------------------------------------------------

AtomicFile::AtomicFile(fs::path target) : m_target(std::move(target)) {
    refuse_directory_target(m_target);
    // Created 0666 minus the umask (what any new output gets); an existing target's mode is
    // applied at commit(). 100 collisions in a row (62^6 names) mean something else is wrong.
    for (int attempt = 0; attempt < 100; ++attempt) {
        fs::path name = next_temp_name(m_target);
        const int fd = ::open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd >= 0) {
            m_fd = fd;
            m_temp = std::move(name);
            m_slot = claim_slot(m_temp, false);
            return;
        }
        if (errno != EEXIST)
            throw IoError("cannot write '" + m_target.string() + "': cannot create a temporary file in '" +
                          directory_of(m_target).string() + "': " + errno_text(errno));
    }
    throw IoError("cannot write '" + m_target.string() + "': 100 temporary names in a row already exist");
}

AtomicFile::~AtomicFile() {
    if (m_fd >= 0) ::close(m_fd);
    if (!m_committed && !m_temp.empty()) ::unlink(m_temp.c_str());
    release_slot(m_slot);
}

void AtomicFile::write_at(const void* data, std::size_t n, std::int64_t offset) {
    const auto* p = static_cast<const char*>(data);
    std::int64_t off = offset;
    while (n > 0) {
        const ssize_t w = ::pwrite(m_fd, p, n, static_cast<off_t>(off));
        if (w < 0) {
            if (errno == EINTR) continue;
            throw IoError("cannot write '" + m_target.string() + "': " + errno_text(errno));
        }
        if (w == 0) throw IoError("cannot write '" + m_target.string() + "': the file system accepted no more bytes");
        p += w;
        off += w;
        n -= static_cast<std::size_t>(w);
    }
    if (off > m_size) m_size = off;
}

void AtomicFile::write(const void* data, std::size_t n) {
    write_at(data, n, m_pos);
    m_pos += static_cast<std::int64_t>(n);
}

void AtomicFile::commit() {
    if (m_committed) return;
    if (m_fd < 0) throw IoError("cannot write '" + m_target.string() + "': the temporary file is closed");
    keep_mode_and_owner(m_fd, m_target);
    if (::fsync(m_fd) != 0) throw IoError("cannot write '" + m_target.string() + "': fsync failed: " + errno_text(errno));
    // The name must still be our file: a swapped-in symlink or file would be renamed instead.
    struct stat mine {
    }, named{};
    if (::fstat(m_fd, &mine) != 0 || ::lstat(m_temp.c_str(), &named) != 0 || mine.st_dev != named.st_dev || mine.st_ino != named.st_ino)
        throw IoError("cannot write '" + m_target.string() + "': the temporary file '" + m_temp.string() +
                      "' was replaced or removed by someone else");
    refuse_directory_target(m_target);
    if (::rename(m_temp.c_str(), m_target.c_str()) != 0)
        throw IoError("cannot write '" + m_target.string() + "': cannot rename the temporary file over it: " + errno_text(errno));
    g_outputs_committed.fetch_add(1);
    m_committed = true;
    release_slot(m_slot);
    const int rc = ::close(m_fd);
    m_fd = -1;
    if (rc != 0 && errno != EINTR) throw IoError("cannot write '" + m_target.string() + "': close failed: " + errno_text(errno));
    fsync_directory(directory_of(m_target), m_target);
}

// ---- AtomicDir ------------------------------------------------------------------------------

AtomicDir::AtomicDir(fs::path target) : m_target(std::move(target)) {
    refuse_directory_target(m_target);
    for (int attempt = 0; attempt < 100; ++attempt) {
        fs::path name = next_temp_name(m_target);
        if (::mkdir(name.c_str(), 0700) == 0) {
            m_dir = std::move(name);
            m_slot = claim_slot(m_dir, true);
            return;
        }
        if (errno != EEXIST)
            throw IoError("cannot write '" + m_target.string() + "': cannot create a temporary folder in '" +
                          directory_of(m_target).string() + "': " + errno_text(errno));
    }
    throw IoError("cannot write '" + m_target.string() + "': 100 temporary names in a row already exist");
}

AtomicDir::~AtomicDir() {
    if (!m_dir.empty()) remove_flat_dir(m_dir.c_str());
    release_slot(m_slot);
}

void AtomicDir::commit() {
    if (m_committed) return;
    const fs::path file = file_path();
    const int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) throw IoError("cannot write '" + m_target.string() + "': the library wrote no file: " + errno_text(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw IoError("cannot write '" + m_target.string() + "': the library wrote something that is not a file");
    }
    // The private folder is 0700 and its file got the library's mode (0666 minus umask): fine
    // for a new output; an existing one keeps its mode and owner.
    try {
        keep_mode_and_owner(fd, m_target);
    } catch (...) {
        ::close(fd);
        throw;
    }
    const int rc = ::fsync(fd);
    const int e = errno;
    ::close(fd);
    if (rc != 0) throw IoError("cannot write '" + m_target.string() + "': fsync failed: " + errno_text(e));
    refuse_directory_target(m_target);
    if (::rename(file.c_str(), m_target.c_str()) != 0)
        throw IoError("cannot write '" + m_target.string() + "': cannot rename the temporary file over it: " + errno_text(errno));
    g_outputs_committed.fetch_add(1);
    m_committed = true;
    // What else the library left (journals) goes with the folder.
    remove_flat_dir(m_dir.c_str());
    m_dir.clear();
    release_slot(m_slot);
    fsync_directory(directory_of(m_target), m_target);
}

// ---- signals --------------------------------------------------------------------------------

void remove_registered_temporaries() noexcept {
    for (auto& s : g_slots) {
        if (s.state.load() != 2) continue;
        if (s.is_dir)
            remove_flat_dir(s.path);
        else
            ::unlink(s.path);
    }
}

void install_cleanup_handlers() noexcept {
    struct sigaction sa {};
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGHUP);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
        struct sigaction old {};
        sigaction(sig, nullptr, &old);
        if (old.sa_handler == SIG_IGN) continue;  // e.g. nohup: keep ignoring
        sigaction(sig, &sa, nullptr);
    }
}

namespace detail {

void set_temp_name_seed(std::uint64_t seed) noexcept {
    g_seed.store(seed);
    g_seeded_attempt.store(0);
}

fs::path seeded_temp_name(const fs::path& target, std::uint64_t seed, int n) {
    return temp_name(target, splitmix64(seed + static_cast<std::uint64_t>(n)));
}

}  // namespace detail

}  // namespace fr::output
