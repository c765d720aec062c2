#include "app/cli.hpp"
#include "export/video_encoder.hpp"

int main(int argc, char** argv) {
    fr::output::quiet_ffmpeg_logs();  // x264 prints statistics to stderr otherwise
    return fr::app::main_entry(argc, argv);
}
