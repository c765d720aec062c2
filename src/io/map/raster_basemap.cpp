#include "io/map/raster_basemap.hpp"

#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <set>
#include <string_view>

#include "core/error.hpp"
#include "core/setting_error.hpp"
#include "core/setting_text.hpp"
#include "core/text.hpp"
#include "io/text/input_reader.hpp"

namespace fr::io {

namespace {

struct WarpOptionsDeleter {
    void operator()(GDALWarpAppOptions* o) const noexcept { GDALWarpAppOptionsFree(o); }
};

[[noreturn]] void fail(const std::string& p, const std::string& what) {
    throw IoError("cannot " + what + " raster basemap '" + p + "' with GDAL: " + CPLGetLastErrorMsg());
}

std::string num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

}  // namespace

bool is_raster(const std::filesystem::path& path) {
    GDALAllRegister();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    CPLPopErrorHandler();
    return ds && ds->GetRasterCount() > 0;
}

namespace {

/// Warps an open dataset (see warp_raster); `label` names it in errors; `extra` are more
/// gdalwarp arguments.
RasterImage warp_dataset(GDALDataset& src, const std::string& label, const std::string& crs, double xmin, double ymin, double xmax,
                         double ymax, int width, int height, const std::vector<std::string>& extra) {
    // The target CRS as WKT: GDAL takes PROJ strings too, but WKT avoids "+type=crs" issues.
    OGRSpatialReference srs;
    if (srs.SetFromUserInput(crs.c_str()) != OGRERR_NONE) fail(label, "use CRS '" + crs + "' for");
    char* wkt = nullptr;
    srs.exportToWkt(&wkt);
    const std::string t_srs = wkt ? wkt : crs;
    CPLFree(wkt);
    std::vector<std::string> args{"-of", "MEM", "-t_srs", t_srs, "-te", num(xmin), num(ymin), num(xmax), num(ymax), "-ts",
                                  std::to_string(width), std::to_string(height), "-r", "bilinear", "-dstalpha",
                                  // Sample the source's edges densely so curved borders of the
                                  // source area (e.g. on a globe) are found; 1 thread: the machine is shared.
                                  "-wo", "SAMPLE_GRID=YES", "-wo", "SOURCE_EXTRA=2", "-et", "0.125"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::unique_ptr<GDALWarpAppOptions, WarpOptionsDeleter> opt(GDALWarpAppOptionsNew(argv.data(), nullptr));
    if (!opt) fail(label, "set up warping for");
    GDALDatasetH in = GDALDataset::ToHandle(&src);
    int usage_error = 0;
    GDALDatasetUniquePtr out(GDALDataset::FromHandle(GDALWarp("", nullptr, 1, &in, opt.get(), &usage_error)));
    if (!out || usage_error) fail(label, "warp");
    const int nb = out->GetRasterCount();  // source bands + alpha
    if (nb < 2) fail(label, "read bands of");
    const int colour_bands = nb - 1;
    std::vector<std::vector<std::uint8_t>> band(static_cast<std::size_t>(nb),
                                                std::vector<std::uint8_t>(static_cast<std::size_t>(width) * height));
    for (int b = 0; b < nb; ++b)
        if (out->GetRasterBand(b + 1)->RasterIO(GF_Read, 0, 0, width, height, band[static_cast<std::size_t>(b)].data(), width, height,
                                                GDT_Byte, 0, 0) != CE_None)
            fail(label, "read warped pixels of");
    const GDALColorTable* palette = colour_bands == 1 ? src.GetRasterBand(1)->GetColorTable() : nullptr;
    RasterImage img;
    img.width = width;
    img.height = height;
    img.bgra.resize(static_cast<std::size_t>(width) * height * 4);
    const auto& alpha = band.back();
    for (std::size_t i = 0; i < alpha.size(); ++i) {
        int r, g, b, a = alpha[i];
        if (colour_bands >= 3) {
            r = band[0][i];
            g = band[1][i];
            b = band[2][i];
            if (colour_bands >= 4) a = a * band[3][i] / 255;
        } else if (palette) {
            const GDALColorEntry* e = palette->GetColorEntry(band[0][i]);
            r = e ? e->c1 : 0;
            g = e ? e->c2 : 0;
            b = e ? e->c3 : 0;
        } else {
            r = g = b = band[0][i];
        }
        img.bgra[i * 4 + 0] = static_cast<std::uint8_t>(b * a / 255);
        img.bgra[i * 4 + 1] = static_cast<std::uint8_t>(g * a / 255);
        img.bgra[i * 4 + 2] = static_cast<std::uint8_t>(r * a / 255);
        img.bgra[i * 4 + 3] = static_cast<std::uint8_t>(a);
    }
    return img;
}

}  // namespace

RasterImage warp_raster(const std::filesystem::path& path, const std::string& crs, double xmin, double ymin, double xmax, double ymax,
                        int width, int height) {
    GDALAllRegister();
    GDALDatasetUniquePtr src(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!src) fail(path.string(), "open");
    return warp_dataset(*src, path.string(), crs, xmin, ymin, xmax, ymax, width, height, {});
}

namespace {

namespace fs = std::filesystem;

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
}

std::string xml_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

fs::path default_tile_cache() {
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    if (xdg && *xdg && fs::path(xdg).is_absolute()) return fs::path(xdg) / "flightreplay" / "tiles";
    const char* home = std::getenv("HOME");
    if (home && *home && fs::path(home).is_absolute()) return fs::path(home) / ".cache" / "flightreplay" / "tiles";
    throw IoError("no cache directory for map tiles: neither XDG_CACHE_HOME nor HOME is an absolute path");
}

/// Web Mercator (EPSG:3857) half-width of the world, metres, and the size of a zoom-0 pixel.
constexpr double kMercHalf = 20037508.342789244;
constexpr double kZ0Res = 2 * kMercHalf / 256;  // 156543.03 m per pixel at zoom 0

struct Footprint {
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;  ///< EPSG:3857 metres
    double res = NAN;                                                     ///< EPSG:3857 metres per output pixel at the frame's centre
};

/// The output frame seen in EPSG:3857: a 33 x 33 grid of its points (those the projection
/// can map there: not off a globe, not beyond Mercator's limit), and the pixel size at the centre.
Footprint footprint_3857(const std::string& crs, double xmin, double ymin, double xmax, double ymax, int width, int height) {
    OGRSpatialReference from, to;
    if (from.SetFromUserInput(crs.c_str()) != OGRERR_NONE) throw IoError("cannot use CRS '" + crs + "' for map tiles");
    to.importFromEPSG(3857);
    from.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    to.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&from, &to));
    if (!ct) throw IoError("cannot transform '" + crs + "' to web Mercator for map tiles");
    Footprint f;
    constexpr int n = 32;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    for (int i = 0; i <= n; ++i)
        for (int j = 0; j <= n; ++j) {
            double x = xmin + (xmax - xmin) * i / n, y = ymin + (ymax - ymin) * j / n;
            int ok = 0;
            if (!ct->Transform(1, &x, &y, nullptr, &ok) || !ok || !std::isfinite(x) || !std::isfinite(y)) continue;
            f.x0 = std::min(f.x0, x), f.x1 = std::max(f.x1, x), f.y0 = std::min(f.y0, y), f.y1 = std::max(f.y1, y);
        }
    const double cx = (xmin + xmax) / 2, cy = (ymin + ymax) / 2, px = (xmax - xmin) / width, py = (ymax - ymin) / height;
    double xs[3] = {cx, cx + px, cx}, ys[3] = {cy, cy, cy + py};
    int ok[3] = {0, 0, 0};
    if (ct->Transform(3, xs, ys, nullptr, ok) && ok[0] && ok[1] && ok[2])
        f.res = (std::hypot(xs[1] - xs[0], ys[1] - ys[0]) + std::hypot(xs[2] - xs[0], ys[2] - ys[0])) / 2;
    CPLPopErrorHandler();
    f.x0 = std::max(f.x0, -kMercHalf), f.x1 = std::min(f.x1, kMercHalf);
    f.y0 = std::max(f.y0, -kMercHalf), f.y1 = std::min(f.y1, kMercHalf);
    if (!(f.res > 0) && f.x1 > f.x0) f.res = (f.x1 - f.x0) / width;  // centre off the map: the mean over the frame
    return f;
}

struct TileRange {
    long x0 = 0, y0 = 0, x1 = -1, y1 = -1;  ///< XYZ tile indices (rows from the north), inclusive
    long count() const { return x1 < x0 || y1 < y0 ? 0 : (x1 - x0 + 1) * (y1 - y0 + 1); }
};

TileRange tiles_at(const Footprint& f, int z) {
    const double t = 2 * kMercHalf / std::ldexp(1.0, z);
    const long last = (1L << z) - 1;
    TileRange r;
    if (!(f.x1 > f.x0) || !(f.y1 > f.y0)) return r;
    // A frame edge on a tile edge takes no tile beyond it (1e-6 tile: rounding of the transform).
    r.x0 = std::clamp(static_cast<long>(std::floor((f.x0 + kMercHalf) / t + 1e-6)), 0L, last);
    r.x1 = std::clamp(static_cast<long>(std::ceil((f.x1 + kMercHalf) / t - 1e-6)) - 1, 0L, last);
    r.y0 = std::clamp(static_cast<long>(std::floor((kMercHalf - f.y1) / t + 1e-6)), 0L, last);
    r.y1 = std::clamp(static_cast<long>(std::ceil((kMercHalf - f.y0) / t - 1e-6)) - 1, 0L, last);
    return r;
}

/// GDAL messages during a tile warp: the ones GDAL 3.6 prints for tiles the server answered
/// 204/404 (empty tiles by ZeroBlockHttpCodes: "Unable to open downloaded block" and the
/// missing cache file behind it) are dropped; the first other error is kept for the message.
struct TileErrors {
    std::string first;
    static void CPL_STDCALL handler(CPLErr cls, CPLErrorNum, const char* msg) {
        auto* self = static_cast<TileErrors*>(CPLGetErrorHandlerUserData());
        const std::string m = msg ? msg : "";
        if (contains(m, "Unable to open downloaded block") || contains(m, "No such file or directory")) return;
        if (cls >= CE_Failure && self && self->first.empty()) {
            // GDAL's text spans lines and ends with advice about its XML: one line, the cause kept.
            std::string one = m.substr(0, m.find("Add the HTTP status code"));
            for (auto& c : one)
                if (c == '\n' || c == '\r') c = ' ';
            while (!one.empty() && (one.back() == ' ' || one.back() == '.')) one.pop_back();
            self->first = one + " (no answer from the tile server? " + setting_text("offline") + " uses the cache only)";
        }
    }
};

}  // namespace

std::optional<TileKind> tile_kind(const std::string& b) {
    const bool url = b.rfind("http://", 0) == 0 || b.rfind("https://", 0) == 0;
    if (url || contains(b, "{z}")) {
        if (!contains(b, "{z}") || !contains(b, "{x}") || !(contains(b, "{y}") || contains(b, "{-y}")))
            throw SettingError("basemap", "invalid tile template '" + b + "': it needs {z}, {x} and {y} (or {-y} for TMS rows)");
        return url ? TileKind::url : TileKind::folder;
    }
    if (lower_extension(fs::path(b)) == ".mbtiles") return TileKind::mbtiles;
    return std::nullopt;
}

int zoom_for_resolution(double res_3857) {
    if (!(res_3857 > 0)) return 0;
    return std::clamp(static_cast<int>(std::ceil(std::log2(kZ0Res / res_3857) - 0.25)), 0, 19);
}

std::pair<int, long> path_zoom(const std::string& crs, const std::vector<ViewBox>& views, long max_tiles) {
    std::vector<Footprint> fp;
    int zoom = 0;
    for (const auto& v : views) {
        fp.push_back(footprint_3857(crs, v.xmin, v.ymin, v.xmax, v.ymax, v.width, v.height));
        zoom = std::max(zoom, zoom_for_resolution(fp.back().res));
    }
    for (;; --zoom) {
        std::set<std::pair<long, long>> tiles;
        for (const auto& f : fp) {
            const TileRange r = tiles_at(f, zoom);
            for (long y = r.y0; y <= r.y1; ++y)
                for (long x = r.x0; x <= r.x1; ++x) tiles.emplace(x, y);
            if (static_cast<long>(tiles.size()) > max_tiles) break;
        }
        if (static_cast<long>(tiles.size()) <= max_tiles || zoom == 0) return {zoom, static_cast<long>(tiles.size())};
    }
}

std::string mbtiles_attribution(const std::filesystem::path& path) {
    GDALAllRegister();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_VECTOR | GDAL_OF_READONLY));
    CPLPopErrorHandler();
    if (!ds) return {};
    const char* a = ds->GetMetadataItem("attribution");
    return a ? a : "";
}

TileBasemap warp_tiles(const std::string& basemap, TileKind kind, const TileOptions& opt, const std::string& crs, double xmin, double ymin,
                       double xmax, double ymax, int width, int height) {
    GDALAllRegister();
    TileBasemap out;
    if (kind == TileKind::mbtiles) {
        CPLPushErrorHandler(CPLQuietErrorHandler);
        GDALDatasetUniquePtr ds(GDALDataset::Open(basemap.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
        GDALDatasetUniquePtr vec(ds ? nullptr : GDALDataset::Open(basemap.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
        CPLPopErrorHandler();
        if (!ds && vec) {
            const char* format = vec->GetMetadataItem("format");
            throw IoError(setting_text("basemap") + " '" + basemap + "' is a vector MBTiles (format " + (format ? format : "pbf") +
                          "): only raster tiles (png, jpg, webp) can be drawn as a basemap");
        }
        if (!ds) fail(basemap, "open");
        out.attribution = ds->GetMetadataItem("attribution") ? ds->GetMetadataItem("attribution") : "";
        // GDAL exposes the zoom levels below the finest (ZOOM_LEVEL) as overviews, finest first:
        // the zoom is chosen as for a URL and read as that overview.
        std::vector<std::string> ovr{"-ovr", "NONE"};
        if (const char* zl = ds->GetMetadataItem("ZOOM_LEVEL")) {
            const int zmax = std::atoi(zl);
            const int z =
                std::min(zmax, opt.zoom ? *opt.zoom : zoom_for_resolution(footprint_3857(crs, xmin, ymin, xmax, ymax, width, height).res));
            const int n_ovr = ds->GetRasterCount() > 0 ? ds->GetRasterBand(1)->GetOverviewCount() : 0;
            if (z < zmax) ovr[1] = std::to_string(std::min(zmax - z - 1, n_ovr - 1));
            out.zoom = zmax - (ovr[1] == "NONE" ? 0 : std::stoi(ovr[1]) + 1);
        }
        out.image = warp_dataset(*ds, basemap, crs, xmin, ymin, xmax, ymax, width, height, ovr);
        return out;
    }
    const Footprint f = footprint_3857(crs, xmin, ymin, xmax, ymax, width, height);
    out.zoom = opt.zoom ? *opt.zoom : zoom_for_resolution(f.res);
    const TileRange range = tiles_at(f, out.zoom);
    out.tiles = range.count();
    if (out.tiles > opt.max_tiles)
        throw IoError(setting_text("basemap") + " '" + basemap + "': the view needs " + std::to_string(out.tiles) + " tiles at zoom " +
                      std::to_string(out.zoom) + ", more than " + setting_text("max_tiles") + " " + std::to_string(opt.max_tiles) +
                      " (raise " + setting_text("max_tiles") + ", or draw a smaller " + setting_text("size") + " or a smaller area)");
    // The template in GDAL's TMS syntax: {z} -> ${z}; {-y} counts rows from the south (YOrigin bottom).
    std::string server = basemap;
    const bool tms_rows = contains(server, "{-y}");
    replace_all(server, "{-y}", "\x01");  // after {y} -> ${y}, which would otherwise match again
    for (const char* k : {"z", "x", "y"}) replace_all(server, std::string("{") + k + "}", std::string("${") + k + "}");
    replace_all(server, "\x01", "${y}");
    replace_all(server, "{s}", "a");  // subdomains: always the first one (deterministic, one cache)
    fs::path cache;
    if (kind == TileKind::folder) {
        server = "file://" + fs::absolute(fs::path(server)).lexically_normal().string();
    } else {
        cache = (opt.cache_dir.empty() ? default_tile_cache() : opt.cache_dir) / sha256_hex(basemap).substr(0, 32);
        std::error_code ec;
        fs::create_directories(cache, ec);
        if (ec) throw IoError("cannot create the tile cache '" + cache.string() + "': " + ec.message());
    }
    if (opt.offline && kind == TileKind::url) {
        // GDAL's WMS cache keeps a tile under <md5 of the server URL>/<a>/<b>/<md5 of the tile URL>;
        // offline, GDAL would draw a missing one as empty without a word, so each is checked here.
        const fs::path base = cache / md5_hex(server);
        for (long y = range.y0; y <= range.y1; ++y)
            for (long x = range.x0; x <= range.x1; ++x) {
                std::string u = server;
                replace_all(u, "${z}", std::to_string(out.zoom));
                replace_all(u, "${x}", std::to_string(x));
                replace_all(u, "${y}", std::to_string(tms_rows ? (1L << out.zoom) - 1 - y : y));
                const std::string key = md5_hex(u);
                if (!fs::exists(base / key.substr(0, 1) / key.substr(1, 1) / key))
                    throw IoError(setting_text("offline") + ": tile " + std::to_string(out.zoom) + "/" + std::to_string(x) + "/" +
                                  std::to_string(y) + " (" + u + ") is not in the tile cache '" + cache.string() +
                                  "'; render once without " + setting_text("offline") + " to fetch it");
            }
    }
    std::string xml = "<GDAL_WMS><Service name=\"TMS\"><ServerUrl>" + xml_escape(server) +
                      "</ServerUrl></Service>"
                      "<DataWindow><UpperLeftX>" +
                      num(-kMercHalf) + "</UpperLeftX><UpperLeftY>" + num(kMercHalf) +
                      "</UpperLeftY>"
                      "<LowerRightX>" +
                      num(kMercHalf) + "</LowerRightX><LowerRightY>" + num(-kMercHalf) +
                      "</LowerRightY>"
                      "<TileLevel>" +
                      std::to_string(out.zoom) +
                      "</TileLevel><TileCountX>1</TileCountX><TileCountY>1</TileCountY>"
                      "<YOrigin>" +
                      (tms_rows ? "bottom" : "top") +
                      "</YOrigin></DataWindow>"
                      "<Projection>EPSG:3857</Projection><BlockSizeX>256</BlockSizeX><BlockSizeY>256</BlockSizeY><BandsCount>4</BandsCount>"
                      "<ZeroBlockHttpCodes>204,404</ZeroBlockHttpCodes><ZeroBlockOnServerException>true</ZeroBlockOnServerException>"
                      "<Timeout>15</Timeout><MaxConnections>4</MaxConnections>"
                      "<UserAgent>flightreplay/" FR_VERSION " (+map rendering; tiles cached)</UserAgent>";
    if (!cache.empty()) xml += "<Cache><Path>" + xml_escape(cache.string()) + "</Path></Cache>";
    if (opt.offline) xml += "<OfflineMode>true</OfflineMode>";
    xml += "</GDAL_WMS>";
    static std::atomic<int> serial{0};
    const std::string mem = "/vsimem/flightreplay_tiles_" + std::to_string(serial++) + ".xml";
    VSILFILE* fp = VSIFileFromMemBuffer(mem.c_str(), reinterpret_cast<GByte*>(xml.data()), static_cast<vsi_l_offset>(xml.size()), FALSE);
    if (!fp) fail(basemap, "describe");
    VSIFCloseL(fp);
    struct Unlink {
        std::string p;
        ~Unlink() { VSIUnlink(p.c_str()); }
    } unlink{mem};
    TileErrors errors;
    CPLPushErrorHandlerEx(&TileErrors::handler, &errors);
    GDALDatasetUniquePtr ds(GDALDataset::Open(mem.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    try {
        if (!ds) fail(basemap, "open");
        // -ovr NONE: read the chosen zoom itself (the cap was counted at it).
        out.image = warp_dataset(*ds, basemap, crs, xmin, ymin, xmax, ymax, width, height, {"-ovr", "NONE"});
    } catch (...) {
        CPLPopErrorHandler();
        if (!errors.first.empty())
            throw IoError("cannot read map tiles of " + setting_text("basemap") + " '" + basemap + "': " + errors.first);
        throw;
    }
    CPLPopErrorHandler();
    if (!errors.first.empty()) throw IoError("cannot read map tiles of " + setting_text("basemap") + " '" + basemap + "': " + errors.first);
    return out;
}

}  // namespace fr::io
