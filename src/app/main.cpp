#include "app/cli.hpp"
#include "export/atomic_file.hpp"
#include "export/video_encoder.hpp"

int main(int argc, char** argv) {
    fr::output::quiet_ffmpeg_logs();         // x264 prints statistics to stderr otherwise
    fr::output::install_cleanup_handlers();  // SIGINT/SIGTERM/SIGHUP remove temporary outputs
    return fr::app::main_entry(argc, argv);
}
