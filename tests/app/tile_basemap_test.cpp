// Tile basemaps end to end: generated tiles (tests/app/tile_fixture.py, one solid colour per
// tile) served by an HTTP server on 127.0.0.1 that this test starts and stops, read from a
// {z}/{x}/{y} folder and from an MBTiles file; the rendered still's pixels must show each tile
// in its place. Nothing is fetched from outside the machine. Also the refusals: too many tiles,
// a tile missing with --offline, a vector MBTiles, a tile URL without its credit.
#include <gtest/gtest.h>

#include <cairo.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "test_paths.hpp"

namespace fs = std::filesystem;
extern char** environ;

namespace {

struct Run {
    int status;
    std::string err;
};

/// This process's folder (ctest runs each test in a process of its own, maybe at once):
/// fixtures, outputs, caches; removed when the suite passes, kept for a look when not.
fs::path work_dir() {
    static const fs::path d = [] {
        auto p = fr::test::binary_dir() / "tile-basemap" / std::to_string(::getpid());
        fs::remove_all(p);
        fs::create_directories(p);
        return p;
    }();
    return d;
}

std::string fixture() { return (fr::test::source_dir() / "tests/app/tile_fixture.py").string(); }

std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// Runs the executable with a private tile cache (`cache`, under the build tree).
Run run(const std::string& args, const fs::path& cache) {
    const auto err_file = work_dir() / ("stderr_" + std::to_string(::getpid()) + ".txt");
    const std::string cmd = "cd " + quote(work_dir().string()) + " && XDG_CACHE_HOME=" + quote(cache.string()) + " " + FR_EXE + " " + args +
                            " 2>" + quote(err_file.string());
    const int rc = std::system(cmd.c_str());
    std::ifstream in(err_file);
    std::stringstream ss;
    ss << in.rdbuf();
    fs::remove(err_file);
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, ss.str()};
}

/// The fixture's colour of tile z/x/y (tile_fixture.py colour()).
struct Rgb {
    int r, g, b;
};
Rgb tile_colour(int z, int x, int y) { return {(x * 67 + 30) % 256, (y * 97 + 50) % 256, (z * 40 + 20) % 256}; }

/// A still's pixel (ARGB32 from the PNG).
Rgb pixel(const fs::path& png, int x, int y) {
    cairo_surface_t* s = cairo_image_surface_create_from_png(png.c_str());
    EXPECT_EQ(cairo_surface_status(s), CAIRO_STATUS_SUCCESS) << png;
    Rgb out{-1, -1, -1};
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
        cairo_surface_flush(s);
        const auto* row = cairo_image_surface_get_data(s) + static_cast<std::ptrdiff_t>(y) * cairo_image_surface_get_stride(s);
        const auto v = reinterpret_cast<const std::uint32_t*>(row)[x];
        out = {static_cast<int>((v >> 16) & 255), static_cast<int>((v >> 8) & 255), static_cast<int>(v & 255)};
    }
    cairo_surface_destroy(s);
    return out;
}

/// Each channel within `tol` (0..255): the tiles are solid colours read at their zoom with no
/// resampling between tiles away from tile edges, so only PNG rounding remains (tol 3).
::testing::AssertionResult near(const Rgb& got, const Rgb& want, int tol = 3) {
    if (std::abs(got.r - want.r) <= tol && std::abs(got.g - want.g) <= tol && std::abs(got.b - want.b) <= tol)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "pixel " << got.r << "," << got.g << "," << got.b << " is not tile colour " << want.r << ","
                                         << want.g << "," << want.b << " (within " << tol << ")";
}

// The view: web Mercator, exactly the four zoom-3 tiles x 4..5, y 2..3 (lon 0..90, lat 0..66.5)
// at 512 x 512 pixels: 256 px per tile, so zoom 3 is the level chosen.
const std::string kView = "--size 512x512 --crs EPSG:3857 --extent 0,0,10018754.171394622,10018754.171394622 --layers -graticule -q";

/// Checks one pixel inside each of the four tiles, clear of the clock, legend and source line.
void expect_four_tiles(const fs::path& png, bool tms_rows = false) {
    struct Probe {
        int px, py, tx, ty;
    };
    for (const Probe& p : {Probe{128, 128, 4, 2}, Probe{384, 128, 5, 2}, Probe{128, 384, 4, 3}, Probe{384, 300, 5, 3}}) {
        SCOPED_TRACE("pixel " + std::to_string(p.px) + "," + std::to_string(p.py));
        // With {-y} the server's rows count from the south: row y of the map is file 7 - y.
        EXPECT_TRUE(near(pixel(png, p.px, p.py), tile_colour(3, p.tx, tms_rows ? 7 - p.ty : p.ty)));
    }
}

class TileBasemap : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        const auto d = work_dir();
        s_ready =
            std::system(("/usr/bin/python3 " + quote(fixture()) + " tree " + quote((d / "tiles").string()) + " --zmax 3").c_str()) == 0 &&
            std::system(("/usr/bin/python3 " + quote(fixture()) + " mbtiles " + quote((d / "raster.mbtiles").string()) +
                         " --zmax 3 --attribution 'Fixture tiles (test)'")
                            .c_str()) == 0 &&
            std::system(
                ("/usr/bin/python3 " + quote(fixture()) + " mbtiles " + quote((d / "vector.mbtiles").string()) + " --vector").c_str()) == 0;
        // A short track in the tiles' south-east corner, under the legend and source line.
        std::ofstream(d / "track.gpx") << R"(<?xml version="1.0"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>T1</name><trkseg>
<trkpt lat="5" lon="80"><ele>3000</ele><time>2024-01-01T00:00:00Z</time></trkpt>
<trkpt lat="6" lon="82"><ele>3000</ele><time>2024-01-01T00:20:00Z</time></trkpt>
<trkpt lat="7" lon="84"><ele>3000</ele><time>2024-01-01T00:40:00Z</time></trkpt>
</trkseg></trk></gpx>
)";
        // The server: a free port on 127.0.0.1, written to a file once it listens.
        const auto port_file = d / "port.txt";
        fs::remove(port_file);
        const std::string py = "/usr/bin/python3", script = fixture(), root = (d / "tiles").string(), pf = port_file.string(),
                          log = (d / "requests.log").string();
        std::vector<char*> argv{const_cast<char*>(py.c_str()),
                                const_cast<char*>(script.c_str()),
                                const_cast<char*>("serve"),
                                const_cast<char*>(root.c_str()),
                                const_cast<char*>(pf.c_str()),
                                const_cast<char*>(log.c_str()),
                                nullptr};
        if (posix_spawn(&s_server, py.c_str(), nullptr, nullptr, argv.data(), environ) != 0) s_server = 0;
        for (int i = 0; s_server && i < 100 && !fs::exists(port_file); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        std::ifstream(port_file) >> s_port;
    }
    static void TearDownTestSuite() {
        if (s_server > 0) {
            ::kill(s_server, SIGTERM);
            ::waitpid(s_server, nullptr, 0);
            s_server = 0;
        }
        if (!::testing::UnitTest::GetInstance()->current_test_suite()->failed_test_count()) fs::remove_all(work_dir());
    }
    void SetUp() override {
        if (!s_ready) GTEST_SKIP() << "cannot generate the tile fixtures with /usr/bin/python3";
    }
    void need_server() {
        if (s_port <= 0) GTEST_SKIP() << "the tile server on 127.0.0.1 did not start";
    }
    static std::string url(const std::string& path = "{z}/{x}/{y}.png") {
        return "http://127.0.0.1:" + std::to_string(s_port) + "/" + path;
    }
    static fs::path cache(const std::string& name) { return work_dir() / ("cache-" + name); }
    static long requests() {
        std::ifstream in(work_dir() / "requests.log");
        long n = 0;
        for (std::string line; std::getline(in, line);) ++n;
        return n;
    }
    static inline pid_t s_server = 0;
    static inline int s_port = 0;
    static inline bool s_ready = false;
};

}  // namespace

TEST_F(TileBasemap, UrlTilesAreDrawnInPlaceAndCached) {
    need_server();
    const auto out = work_dir() / "url.png";
    const auto c = cache("url");
    fs::remove_all(c);
    const long before = requests();
    auto r = run("render track.gpx -o url.png " + kView + " --basemap " + quote(url()) + " --basemap-attribution 'Test tiles'", c);
    ASSERT_EQ(r.status, 0) << r.err;
    expect_four_tiles(out);
    EXPECT_GE(requests() - before, 4) << "the four tiles came from the server";
    // The cache lies under XDG_CACHE_HOME, never in the working directory.
    EXPECT_TRUE(fs::exists(c / "flightreplay" / "tiles"));
    EXPECT_FALSE(fs::exists(work_dir() / "flightreplay"));
    // The credit is in the PNG metadata (the source line's text).
    std::ifstream png(out, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(png)), {});
    EXPECT_NE(bytes.find("Basemap: Test tiles"), std::string::npos);
    // Again, offline: every tile from the cache, no request reaches the server.
    const long after = requests();
    r = run("render track.gpx -o url-offline.png " + kView + " --basemap " + quote(url()) + " --basemap-attribution 'Test tiles' --offline",
            c);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(requests(), after);
    expect_four_tiles(work_dir() / "url-offline.png");
}

TEST_F(TileBasemap, MovingCameraFetchesEachTileOnce) {
    need_server();
    const auto log = work_dir() / "requests.log";
    const long before = requests();
    auto r = run("render track.gpx -o follow.mp4 --size 320x180 --fps 10 --duration 3 --follow T1 --zoom-km 1500 -q --basemap " +
                     quote(url()) + " --basemap-attribution T",
                 cache("follow"));
    ASSERT_EQ(r.status, 0) << r.err;
    std::ifstream in(log);
    std::vector<std::string> paths;
    long n = 0;
    for (std::string line; std::getline(in, line); ++n)
        if (n >= before) paths.push_back(line);
    ASSERT_FALSE(paths.empty());
    // 30 frames of a moving view, each warped again: every tile still came from the server once.
    std::sort(paths.begin(), paths.end());
    EXPECT_EQ(std::adjacent_find(paths.begin(), paths.end()), paths.end()) << "a tile was fetched twice";
    // One zoom for the whole path (the tightest view's; the camera keeps its width here).
    const std::string z = paths.front().substr(0, paths.front().find('/', 1));
    for (const auto& p : paths) EXPECT_EQ(p.substr(0, p.find('/', 1)), z) << p;
}

TEST_F(TileBasemap, TmsRowsFromTheSouth) {
    need_server();
    auto r = run("render track.gpx -o tms.png " + kView + " --basemap " + quote(url("{z}/{x}/{-y}.png")) + " --basemap-attribution T",
                 cache("tms"));
    ASSERT_EQ(r.status, 0) << r.err;
    expect_four_tiles(work_dir() / "tms.png", /*tms_rows=*/true);
}

TEST_F(TileBasemap, TileFolder) {
    auto r = run("render track.gpx -o folder.png " + kView + " --basemap 'tiles/{z}/{x}/{y}.png'", cache("folder"));
    ASSERT_EQ(r.status, 0) << r.err;
    expect_four_tiles(work_dir() / "folder.png");
    EXPECT_FALSE(fs::exists(cache("folder") / "flightreplay" / "tiles")) << "a folder is read in place, not cached";
}

TEST_F(TileBasemap, MbtilesWithItsAttribution) {
    auto r = run("render track.gpx -o mbtiles.png " + kView + " --basemap raster.mbtiles", cache("mb"));
    ASSERT_EQ(r.status, 0) << r.err;
    expect_four_tiles(work_dir() / "mbtiles.png");
    std::ifstream png(work_dir() / "mbtiles.png", std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(png)), {});
    EXPECT_NE(bytes.find("Basemap: Fixture tiles (test)"), std::string::npos) << "the MBTiles metadata's attribution is the credit";
}

TEST_F(TileBasemap, TooManyTilesIsAnError) {
    need_server();
    const long before = requests();
    auto r = run("render track.gpx -o many.png " + kView + " --basemap " + quote(url()) + " --basemap-attribution T --max-tiles 3",
                 cache("many"));
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_NE(r.err.find("needs 4 tiles at zoom 3, more than --max-tiles 3"), std::string::npos) << r.err;
    EXPECT_EQ(requests(), before) << "nothing fetched";
    EXPECT_FALSE(fs::exists(work_dir() / "many.png"));
}

TEST_F(TileBasemap, OfflineWithAMissingTileIsAClearError) {
    need_server();
    const long before = requests();
    auto r = run("render track.gpx -o offline.png " + kView + " --basemap " + quote(url("{z}/{x}/{y}.png?never-fetched")) +
                     " --basemap-attribution T --offline",
                 cache("offline"));
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_NE(r.err.find("--offline: tile 3/4/2"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("is not in the tile cache"), std::string::npos) << r.err;
    EXPECT_EQ(requests(), before) << "offline: no request";
    EXPECT_FALSE(fs::exists(work_dir() / "offline.png"));
}

TEST_F(TileBasemap, VectorMbtilesAreRefused) {
    auto r = run("render track.gpx -o vector.png " + kView + " --basemap vector.mbtiles", cache("vector"));
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_NE(r.err.find("is a vector MBTiles (format pbf)"), std::string::npos) << r.err;
}

TEST_F(TileBasemap, UrlWithoutAttributionIsAUsageError) {
    // Checked before anything is read or fetched: no server needed (port 9 is never contacted).
    auto r = run("render track.gpx -o noattr.png " + kView + " --basemap 'https://127.0.0.1:9/{z}/{x}/{y}.png'", cache("noattr"));
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find("--basemap-attribution"), std::string::npos) << r.err;
}

TEST_F(TileBasemap, TemplateWithoutZxyIsAUsageError) {
    auto r = run("render track.gpx -o badtpl.png " + kView + " --basemap 'https://127.0.0.1:9/tiles/{z}.png' --basemap-attribution T",
                 cache("bad"));
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find("needs {z}, {x} and {y}"), std::string::npos) << r.err;
}

TEST_F(TileBasemap, NoServerIsADataErrorNamingTheUrl) {
    // Nothing listens on 127.0.0.1:9 here: the connection is refused at once.
    auto r = run("render track.gpx -o down.png " + kView + " --basemap 'http://127.0.0.1:9/{z}/{x}/{y}.png' --basemap-attribution T",
                 cache("down"));
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_NE(r.err.find("cannot read map tiles of --basemap 'http://127.0.0.1:9/{z}/{x}/{y}.png'"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(work_dir() / "down.png"));
}
