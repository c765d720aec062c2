#pragma once
// Atomic outputs: every file flightreplay writes appears complete under its final name or not
// at all, and a file already there stays byte-identical until the new one replaces it.
//
// AtomicFile: a temporary file `.<name>.tmp-XXXXXX` created in the target's directory with
// O_RDWR|O_CREAT|O_EXCL|O_NOFOLLOW (never an existing file, never through a symlink), written
// through our own descriptor with checked writes (a full disk is an error, not a short file),
// then fsync, the old target's mode (and, where permitted, owner) applied, renamed over the
// target and the directory fsynced.
//
// AtomicDir: for libraries that insist on opening names themselves (GDAL): a private mkdtemp
// directory (mode 0700) in the target's directory; the library writes a file of the target's
// name inside it, which is then fsynced and renamed into place.
//
// Both register their temporary names with a process-wide list that the handlers installed
// by install_cleanup_handlers() remove on SIGINT, SIGTERM and SIGHUP (then exit 128 + signal),
// and remove them in their destructors when not committed. Rules: docs/outputs-and-limits.md.
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace fr::output {

/// Refuses (fr::UsageError, exit 2) an output that is one of the inputs (same device and
/// inode, also through links), an existing directory, or a name whose folder does not exist.
/// Inputs that do not exist (or "-") are ignored; call it again with the files actually read.
void check_output_target(const std::filesystem::path& target, const std::vector<std::filesystem::path>& inputs);

class AtomicFile {
public:
    /// Creates the temporary file beside `target`. Throws fr::IoError naming the target and
    /// the reason (e.g. "Permission denied") when it cannot.
    explicit AtomicFile(std::filesystem::path target);
    /// Removes the temporary file unless commit() succeeded.
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    /// The descriptor of the temporary file (opened O_RDWR); owned by this object.
    int fd() const noexcept { return m_fd; }
    const std::filesystem::path& target() const noexcept { return m_target; }
    const std::filesystem::path& temp_path() const noexcept { return m_temp; }

    /// Appends `n` bytes at the current end of what was written by write(). Retries short
    /// writes and EINTR; throws fr::IoError ("No space left on device", ...) otherwise.
    void write(const void* data, std::size_t n);
    /// Writes `n` bytes at byte `offset` (pwrite; does not move write()'s position). Throws as write().
    void write_at(const void* data, std::size_t n, std::int64_t offset);
    /// Bytes from the start to the furthest byte written so far.
    std::int64_t size() const noexcept { return m_size; }

    /// fsync, the old target's mode/owner, rename over the target, fsync of the directory.
    /// Throws fr::IoError; the temporary file is then removed and the old target kept.
    void commit();

private:
    std::filesystem::path m_target, m_temp;
    int m_fd = -1;
    int m_slot = -1;
    std::int64_t m_pos = 0, m_size = 0;
    bool m_committed = false;
};

class AtomicDir {
public:
    /// Creates `.<name>.tmp-XXXXXX/` (0700) beside `target`. Throws fr::IoError.
    explicit AtomicDir(std::filesystem::path target);
    /// Removes the directory and everything in it unless commit() succeeded.
    ~AtomicDir();
    AtomicDir(const AtomicDir&) = delete;
    AtomicDir& operator=(const AtomicDir&) = delete;

    /// Where the library should write: `<temp dir>/<target's file name>`.
    std::filesystem::path file_path() const { return m_dir / m_target.filename(); }
    const std::filesystem::path& dir() const noexcept { return m_dir; }

    /// Applies the old target's mode/owner to file_path(), fsyncs it, renames it over the
    /// target, fsyncs the directory and removes the temporary directory. Throws fr::IoError.
    void commit();

private:
    std::filesystem::path m_target, m_dir;
    int m_slot = -1;
    bool m_committed = false;
};

/// Installs handlers for SIGINT, SIGTERM and SIGHUP that remove every registered temporary
/// file and directory, print "interrupted" and exit with 128 + the signal number (130, 143,
/// 129). Code that wants to stop cooperatively (the video loop) may install its own handlers
/// for a while; they should call remove_registered_temporaries() before exiting.
void install_cleanup_handlers() noexcept;

/// Removes every registered temporary (async-signal-safe).
void remove_registered_temporaries() noexcept;

namespace detail {
/// Tests only: makes temporary names reproducible from `seed` (0 restores random names).
void set_temp_name_seed(std::uint64_t seed) noexcept;
/// The name the n-th (0-based) attempt after set_temp_name_seed(seed) gives for `target`.
std::filesystem::path seeded_temp_name(const std::filesystem::path& target, std::uint64_t seed, int n);
}  // namespace detail

}  // namespace fr::output
