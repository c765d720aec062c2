#include "io/basemap.hpp"

#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/error.hpp"

namespace fr::io {

namespace {

struct GeomDeleter {
    void operator()(OGRGeometry* g) const noexcept { OGRGeometryFactory::destroyGeometry(g); }
};
using GeomPtr = std::unique_ptr<OGRGeometry, GeomDeleter>;

GeomPtr box(double x0, double y0, double x1, double y1) {
    auto ring = std::make_unique<OGRLinearRing>();
    ring->addPoint(x0, y0);
    ring->addPoint(x1, y0);
    ring->addPoint(x1, y1);
    ring->addPoint(x0, y1);
    ring->addPoint(x0, y0);
    auto poly = new OGRPolygon();
    poly->addRingDirectly(ring.release());
    return GeomPtr(poly);
}

double wrap180(double lon) {
    double l = std::fmod(lon + 180.0, 360.0);
    if (l < 0) l += 360.0;
    return l - 180.0;
}

/// Lon/lat boxes (within [-180, 180]) whose union is the area to keep: everything except a
/// hair-thin strip along the seam, intersected with the window when given.
std::vector<GeomPtr> keep_boxes(const BasemapWindow& w) {
    constexpr double eps = 1e-7;  // degrees (~1 cm): the cut along the seam
    const double s = wrap180(w.seam_lon);
    std::vector<std::pair<double, double>> lon_ranges;
    if (std::abs(std::abs(s) - 180.0) < 1e-9) {
        lon_ranges.push_back({-180.0, 180.0});
    } else {
        lon_ranges.push_back({-180.0, s - eps});
        lon_ranges.push_back({s + eps, 180.0});
    }
    double lat0 = -90, lat1 = 90;
    std::vector<std::pair<double, double>> win{{-180.0, 180.0}};
    if (w.window) {
        lat0 = std::max(-90.0, w.window->lat_min);
        lat1 = std::min(90.0, w.window->lat_max);
        if (w.window->lon_span() < 360.0) {
            const double a = wrap180(w.window->lon_min);
            const double b = a + w.window->lon_span();
            win.clear();
            if (b <= 180.0) win.push_back({a, b});
            else { win.push_back({a, 180.0}); win.push_back({-180.0, b - 360.0}); }
        }
    }
    std::vector<GeomPtr> out;
    for (auto [l0, l1] : lon_ranges)
        for (auto [w0, w1] : win) {
            const double x0 = std::max(l0, w0), x1 = std::min(l1, w1);
            if (x1 > x0) out.push_back(box(x0, lat0, x1, lat1));
        }
    return out;
}

Ring to_ring(const OGRSimpleCurve& c) {
    Ring r;
    r.reserve(static_cast<std::size_t>(c.getNumPoints()));
    for (int i = 0; i < c.getNumPoints(); ++i)
        if (auto p = LatLon::checked(std::clamp(c.getY(i), -90.0, 90.0), std::clamp(c.getX(i), -180.0, 180.0))) r.push_back(*p);
    return r;
}

void collect(const OGRGeometry* g, std::vector<Polygon>* polys, std::vector<Ring>* lines) {
    if (!g) return;
    switch (wkbFlatten(g->getGeometryType())) {
        case wkbPolygon: {
            if (!polys) break;
            const auto* p = g->toPolygon();
            Polygon out;
            if (p->getExteriorRing()) out.rings.push_back(to_ring(*p->getExteriorRing()));
            for (int i = 0; i < p->getNumInteriorRings(); ++i) out.rings.push_back(to_ring(*p->getInteriorRing(i)));
            if (!out.rings.empty() && out.rings.front().size() >= 4) polys->push_back(std::move(out));
            break;
        }
        case wkbLineString:
        case wkbLinearRing:
            if (lines) {
                auto r = to_ring(*g->toLineString());
                if (r.size() >= 2) lines->push_back(std::move(r));
            }
            break;
        case wkbMultiPolygon:
        case wkbMultiLineString:
        case wkbGeometryCollection:
            for (const auto* part : *g->toGeometryCollection()) collect(part, polys, lines);
            break;
        default: break;
    }
}

void read_layer(GDALDataset& ds, OGRLayer& layer, const std::vector<GeomPtr>& boxes, const BasemapWindow& w,
                std::vector<Polygon>* polys, std::vector<Ring>* lines) {
    (void)ds;
    std::unique_ptr<OGRCoordinateTransformation> to_wgs84;
    if (const auto* srs = layer.GetSpatialRef()) {
        OGRSpatialReference wgs84;
        wgs84.SetWellKnownGeogCS("WGS84");
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        if (!srs->IsSame(&wgs84)) to_wgs84.reset(OGRCreateCoordinateTransformation(srs, &wgs84));
    }
    layer.ResetReading();
    for (auto& feature : layer) {
        const OGRGeometry* g = feature->GetGeometryRef();
        if (!g) continue;
        GeomPtr geom(g->clone());
        if (to_wgs84 && geom->transform(to_wgs84.get()) != OGRERR_NONE) continue;
        for (const auto& b : boxes) {
            OGREnvelope env, benv;
            geom->getEnvelope(&env);
            b->getEnvelope(&benv);
            if (!env.Intersects(benv)) continue;
            GeomPtr part(env.MinX >= benv.MinX && env.MaxX <= benv.MaxX && env.MinY >= benv.MinY && env.MaxY <= benv.MaxY
                             ? geom->clone()
                             : geom->Intersection(b.get()));
            if (!part || part->IsEmpty()) continue;
            part->segmentize(w.densify_deg);
            collect(part.get(), polys, lines);
        }
    }
}

GDALDatasetUniquePtr open_vector(const std::filesystem::path& path) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) throw IoError("flightreplay: cannot open vector data '" + path.string() + "' with GDAL: " + CPLGetLastErrorMsg());
    return ds;
}

}  // namespace

Basemap load_basemap(const std::filesystem::path& gpkg, const BasemapWindow& w) {
    auto ds = open_vector(gpkg);
    const auto boxes = keep_boxes(w);
    Basemap bm;
    auto layer = [&](const char* name, bool required) -> OGRLayer* {
        OGRLayer* l = ds->GetLayerByName(name);
        if (!l && required) throw IoError("flightreplay: " + gpkg.string() + ": basemap layer '" + name + "' not found");
        return l;
    };
    if (auto* l = layer("land", true)) read_layer(*ds, *l, boxes, w, &bm.land, nullptr);
    if (auto* l = layer("borders", false)) read_layer(*ds, *l, boxes, w, nullptr, &bm.borders);
    if (auto* l = layer("coastline", false)) read_layer(*ds, *l, boxes, w, nullptr, &bm.coastline);
    if (auto* l = layer("lakes", false)) read_layer(*ds, *l, boxes, w, &bm.lakes, nullptr);
    return bm;
}

Basemap load_vector_overlay(const std::filesystem::path& path, const BasemapWindow& w) {
    auto ds = open_vector(path);
    const auto boxes = keep_boxes(w);
    Basemap bm;
    for (auto* l : ds->GetLayers()) read_layer(*ds, *l, boxes, w, &bm.land, &bm.borders);
    return bm;
}

}  // namespace fr::io
