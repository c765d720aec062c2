#include "io/raster_basemap.hpp"

#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <memory>

#include "core/error.hpp"

namespace fr::io {

namespace {

struct WarpOptionsDeleter {
    void operator()(GDALWarpAppOptions* o) const noexcept { GDALWarpAppOptionsFree(o); }
};

[[noreturn]] void fail(const std::filesystem::path& p, const std::string& what) {
    throw IoError("flightreplay: cannot " + what + " raster basemap '" + p.string() + "' with GDAL: " + CPLGetLastErrorMsg());
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

RasterImage warp_raster(const std::filesystem::path& path, const std::string& crs, double xmin, double ymin, double xmax,
                        double ymax, int width, int height) {
    GDALAllRegister();
    GDALDatasetUniquePtr src(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!src) fail(path, "open");
    // The target CRS as WKT: GDAL takes PROJ strings too, but WKT avoids "+type=crs" issues.
    OGRSpatialReference srs;
    if (srs.SetFromUserInput(crs.c_str()) != OGRERR_NONE) fail(path, "use CRS '" + crs + "' for");
    char* wkt = nullptr;
    srs.exportToWkt(&wkt);
    const std::string t_srs = wkt ? wkt : crs;
    CPLFree(wkt);
    std::vector<std::string> args{"-of", "MEM", "-t_srs", t_srs, "-te", num(xmin), num(ymin), num(xmax), num(ymax),
                                  "-ts", std::to_string(width), std::to_string(height), "-r", "bilinear", "-dstalpha",
                                  // Sample the source's edges densely so curved borders of the
                                  // source area (e.g. on a globe) are found; 1 thread: the machine is shared.
                                  "-wo", "SAMPLE_GRID=YES", "-wo", "SOURCE_EXTRA=2", "-et", "0.125"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::unique_ptr<GDALWarpAppOptions, WarpOptionsDeleter> opt(GDALWarpAppOptionsNew(argv.data(), nullptr));
    if (!opt) fail(path, "set up warping for");
    GDALDatasetH in = GDALDataset::ToHandle(src.get());
    int usage_error = 0;
    GDALDatasetUniquePtr out(GDALDataset::FromHandle(GDALWarp("", nullptr, 1, &in, opt.get(), &usage_error)));
    if (!out || usage_error) fail(path, "warp");
    const int nb = out->GetRasterCount();  // source bands + alpha
    if (nb < 2) fail(path, "read bands of");
    const int colour_bands = nb - 1;
    std::vector<std::vector<std::uint8_t>> band(static_cast<std::size_t>(nb), std::vector<std::uint8_t>(static_cast<std::size_t>(width) * height));
    for (int b = 0; b < nb; ++b)
        if (out->GetRasterBand(b + 1)->RasterIO(GF_Read, 0, 0, width, height, band[static_cast<std::size_t>(b)].data(), width, height, GDT_Byte, 0, 0) != CE_None)
            fail(path, "read warped pixels of");
    const GDALColorTable* palette = colour_bands == 1 ? src->GetRasterBand(1)->GetColorTable() : nullptr;
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

}  // namespace fr::io
