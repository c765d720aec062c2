// The atomic-output helper under attack and interruption: symlinks planted at the temporary
// names it will try, a temporary swapped after creation, URLs other than the output offered to
// the muxer's io_open, signals while temporaries exist, modes of replaced files.
#include <gtest/gtest.h>

extern "C" {
#include <libavformat/avformat.h>
}

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "export/atomic_file.hpp"
#include "export/avio_file.hpp"
#include "export/png_writer.hpp"
#include "export/temp_dir.hpp"
#include "export/video_encoder.hpp"

namespace fs = std::filesystem;
using fr::output::AtomicDir;
using fr::output::AtomicFile;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}
void spit(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

/// Temporaries we made (planted symlinks are the test's own).
std::vector<fs::path> temporaries(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().find(".tmp-") != std::string::npos && !e.is_symlink()) out.push_back(e.path());
    return out;
}

/// Plants symlinks to `victim` at the first `n` names a seeded AtomicFile/AtomicDir will try.
std::vector<fs::path> plant(const fs::path& target, const fs::path& victim, std::uint64_t seed, int n) {
    std::vector<fs::path> planted;
    for (int i = 0; i < n; ++i) {
        planted.push_back(fr::output::detail::seeded_temp_name(target, seed, i));
        fs::create_symlink(victim, planted.back());
    }
    fr::output::detail::set_temp_name_seed(seed);
    return planted;
}

struct SeedReset {
    ~SeedReset() { fr::output::detail::set_temp_name_seed(0); }
};

}  // namespace

TEST(AtomicOutput, SymlinksAtTemporaryNamesAreNeverFollowed) {
    fr::test::TempDir d;
    SeedReset reset;
    const fs::path victim = d.path() / "victim", target = d.path() / "out.bin";
    spit(victim, "precious");
    const auto planted = plant(target, victim, 12345, 3);
    {
        AtomicFile f(target);
        for (const auto& p : planted) EXPECT_NE(f.temp_path(), p);
        f.write("new bytes", 9);
        f.commit();
    }
    EXPECT_EQ(slurp(victim), "precious");
    EXPECT_EQ(slurp(target), "new bytes");
    for (const auto& p : planted) EXPECT_TRUE(fs::is_symlink(p)) << p;
}

TEST(AtomicOutput, PngWriterSkipsPlantedSymlinks) {
    fr::test::TempDir d;
    SeedReset reset;
    const fs::path victim = d.path() / "victim", target = d.path() / "still.png";
    spit(victim, "precious");
    plant(target, victim, 777, 2);
    std::vector<std::uint8_t> px(16 * 16 * 4, 0xFF);
    fr::output::write_png(target, px.data(), 16, 16, 64, {});
    EXPECT_EQ(slurp(victim), "precious");
    EXPECT_EQ(slurp(target).substr(1, 3), "PNG");
}

TEST(AtomicOutput, VideoEncoderWritesThroughItsDescriptorOnly) {
    fr::test::TempDir d;
    SeedReset reset;
    const fs::path victim = d.path() / "victim", target = d.path() / "clip.mp4";
    spit(victim, "precious");
    plant(target, victim, 4242, 2);
    fr::output::VideoOptions vo;
    vo.width = 64;
    vo.height = 64;
    vo.fps = 10;
    vo.threads = 1;
    {
        fr::output::VideoEncoder enc(target, vo);
        std::vector<std::uint8_t> px(64 * 64 * 4);
        for (int i = 0; i < 12; ++i) {
            std::fill(px.begin(), px.end(), static_cast<std::uint8_t>(i * 20));
            enc.add_frame_argb32(px.data(), 64 * 4);
        }
        enc.finish();
    }
    EXPECT_EQ(slurp(victim), "precious");
    const auto probe = fr::output::probe_video(target);
    EXPECT_EQ(probe.frames, 12);
    // +faststart read the file back through the sentinel: the index is before the media data.
    const std::string bytes = slurp(target);
    ASSERT_NE(bytes.find("moov"), std::string::npos);
    EXPECT_LT(bytes.find("moov"), bytes.find("mdat"));
    EXPECT_TRUE(temporaries(d.path()).empty());
}

TEST(AtomicOutput, MuxerMayOpenOnlyTheSentinel) {
    fr::test::TempDir d;
    AtomicFile f(d.path() / "x.mp4");
    fr::output::detail::AvioOutput avio(f);
    AVFormatContext* fc = nullptr;
    ASSERT_GE(avformat_alloc_output_context2(&fc, nullptr, "mp4", fr::output::detail::kAvioSentinelUrl), 0);
    avio.attach(fc);
    // Bytes written through the write context are read back through a sentinel reader.
    avio_write(fc->pb, reinterpret_cast<const unsigned char*>("hello world"), 11);
    avio.flush();
    AVIOContext* r = nullptr;
    EXPECT_EQ(fc->io_open(fc, &r, "/etc/passwd", AVIO_FLAG_READ, nullptr), AVERROR(EPERM));
    EXPECT_EQ(fc->io_open(fc, &r, "file:x.mp4", AVIO_FLAG_READ, nullptr), AVERROR(EPERM));
    EXPECT_EQ(fc->io_open(fc, &r, fr::output::detail::kAvioSentinelUrl, AVIO_FLAG_WRITE, nullptr), AVERROR(EPERM));
    EXPECT_EQ(avio.refused_opens(), 3);
    ASSERT_EQ(fc->io_open(fc, &r, fr::output::detail::kAvioSentinelUrl, AVIO_FLAG_READ, nullptr), 0);
    EXPECT_EQ(avio_size(r), 11);
    ASSERT_EQ(avio_seek(r, 6, SEEK_SET), 6);
    unsigned char buf[16] = {};
    EXPECT_EQ(avio_read(r, buf, 5), 5);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), 5), "world");
    // The reader has its own position: the writer's is untouched (no shared offset).
    EXPECT_EQ(avio_tell(fc->pb), 11);
    fc->io_close2(fc, r);
    avformat_free_context(fc);
}

TEST(AtomicOutput, SwappedTemporaryIsNotRenamed) {
    fr::test::TempDir d;
    const fs::path target = d.path() / "out.txt", victim = d.path() / "victim";
    spit(target, "old");
    spit(victim, "precious");
    AtomicFile f(target);
    f.write("new", 3);
    fs::remove(f.temp_path());
    fs::create_symlink(victim, f.temp_path());
    EXPECT_THROW(f.commit(), fr::IoError);
    EXPECT_EQ(slurp(target), "old");
    EXPECT_EQ(slurp(victim), "precious");
}

TEST(AtomicOutput, UncommittedLeavesNothingAndKeepsTheOld) {
    fr::test::TempDir d;
    const fs::path target = d.path() / "out.txt";
    spit(target, "old");
    {
        AtomicFile f(target);
        f.write("half", 4);
    }
    {
        AtomicDir dir(target);
        spit(dir.file_path(), "half");
        spit(dir.dir() / "journal", "x");
    }
    EXPECT_EQ(slurp(target), "old");
    EXPECT_EQ(std::distance(fs::directory_iterator(d.path()), {}), 1);
}

TEST(AtomicOutput, ReplacedFileKeepsItsMode) {
    fr::test::TempDir d;
    const fs::path target = d.path() / "out.txt";
    spit(target, "old");
    fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    AtomicFile f(target);
    f.write("new", 3);
    f.commit();
    struct stat st {};
    ASSERT_EQ(::stat(target.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0640u);
    EXPECT_EQ(slurp(target), "new");

    AtomicDir dir(target);
    spit(dir.file_path(), "newer");
    dir.commit();
    ASSERT_EQ(::stat(target.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0640u);
    EXPECT_EQ(slurp(target), "newer");
    EXPECT_TRUE(temporaries(d.path()).empty());
}

TEST(AtomicOutput, SignalRemovesTemporariesAndExitsWith128PlusSignal) {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
        fr::test::TempDir d;
        const fs::path target = d.path() / "out.txt";
        spit(target, "old");
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            fr::output::install_cleanup_handlers();
            AtomicFile f(target);
            f.write("half", 4);
            AtomicDir dir(d.path() / "out.gpkg");
            spit(dir.file_path(), "half");
            spit(dir.dir() / "out.gpkg-journal", "x");
            ::raise(sig);
            ::_exit(0);  // not reached
        }
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFEXITED(status)) << "signal " << sig;
        EXPECT_EQ(WEXITSTATUS(status), 128 + sig);
        EXPECT_TRUE(temporaries(d.path()).empty()) << "signal " << sig;
        EXPECT_EQ(slurp(target), "old");
    }
}

TEST(AtomicOutput, OutputThatIsAnInputIsRefused) {
    fr::test::TempDir d;
    const fs::path in = d.path() / "t.json", alias = d.path() / "alias.geojson";
    spit(in, "{}");
    fs::create_hard_link(in, alias);
    EXPECT_THROW(fr::output::check_output_target(in, {in}), fr::UsageError);
    EXPECT_THROW(fr::output::check_output_target(alias, {in}), fr::UsageError);
    EXPECT_THROW(fr::output::check_output_target(d.path(), {}), fr::UsageError);
    EXPECT_NO_THROW(fr::output::check_output_target(d.path() / "new.png", {in}));
    EXPECT_THROW(AtomicFile f(d.path()), fr::IoError);  // a directory is never replaced
}
