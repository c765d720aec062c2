#pragma once
// A temporary file beside an output file, `<target>.tmp-XXXXXX`, for write-then-rename. Shared by
// the PNG writer and the video encoder (internal to the export module).
#include <filesystem>
#include <system_error>

namespace fr::output::detail {

class TempFile {
public:
    TempFile() = default;
    /// Removes the file unless release()d; closes the descriptor if still held.
    ~TempFile();
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    /// Creates the file exclusively (O_EXCL) with mode 0666 minus the umask, as an ordinary
    /// output file would get (mkstemp's 0600 would survive the rename). Returns the error, if any.
    std::error_code create(const std::filesystem::path& target);
    const std::filesystem::path& path() const noexcept { return m_path; }
    /// The open descriptor; ownership passes to the caller.
    int take_fd() noexcept;
    /// After a successful rename: nothing left to remove.
    void release() noexcept { m_path.clear(); }

private:
    std::filesystem::path m_path;
    int m_fd = -1;
};

}  // namespace fr::output::detail
