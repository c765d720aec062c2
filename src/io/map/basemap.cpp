#include "io/map/basemap.hpp"

#include <gdal_priv.h>
#include <geos_c.h>
#include <ogr_geometry.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>

#include "core/error.hpp"
#include "core/setting_error.hpp"
#include "geo/geodesic.hpp"

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
    double lat0 = -w.lat_limit_deg, lat1 = w.lat_limit_deg;
    std::vector<std::pair<double, double>> win{{-180.0, 180.0}};
    if (w.window) {
        lat0 = std::max(lat0, w.window->lat_min);
        lat1 = std::min(lat1, w.window->lat_max);
        if (w.window->lon_span() < 360.0) {
            const double a = wrap180(w.window->lon_min);
            const double b = a + w.window->lon_span();
            win.clear();
            if (b <= 180.0)
                win.push_back({a, b});
            else {
                win.push_back({a, 180.0});
                win.push_back({-180.0, b - 360.0});
            }
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

/// The cap as an OGR (multi)polygon in lon/lat within [-180, 180] (see cap_polygons).
GeomPtr cap_geometry(const VisibleCap& cap) {
    const double lat = cap.centre.lat_deg(), lon0 = cap.centre.lon_deg();
    const double r_m = cap.radius_deg * 111'195.0;  // metres per degree of arc on the mean sphere (R = 6371.0088 km)
    const bool north = 90.0 - lat < cap.radius_deg, south = 90.0 + lat < cap.radius_deg;
    auto rel = [&](double lon) {  // longitude relative to the centre, in [-180, 180)
        return wrap180(lon - lon0);
    };
    std::vector<std::pair<double, double>> ring;  // unwrapped: x in [lon0 - 180, lon0 + 180]
    constexpr double step = 0.5;                  // degrees of azimuth between boundary vertices
    // A cap holding a pole meets the meridian opposite the centre (the seam) where the
    // boundary passes beyond that pole: azimuth 0 (north) or 180 (south). Start beside it and
    // close the ring along the pole's line.
    const double az0 = north ? 0.0 : south ? 180.0 : 0.0;
    for (double k = step / 2; k < 360.0; k += step) {
        const LatLon p = geo::direct(cap.centre, Angle::degrees(az0 + k), Length::metres(r_m));
        ring.emplace_back(lon0 + rel(p.lon_deg()), p.lat_deg());
    }
    if (north || south) {
        const double pole = north ? 90.0 : -90.0;
        const double s_first = ring.front().first > lon0 ? 180.0 : -180.0, s_last = ring.back().first > lon0 ? 180.0 : -180.0;
        ring.emplace_back(lon0 + s_last, ring.back().second);
        ring.emplace_back(lon0 + s_last, pole);
        ring.emplace_back(lon0 + s_first, pole);
        ring.emplace_back(lon0 + s_first, ring.front().second);
    }
    const GeomPtr world = box(-180.0, -90.0, 180.0, 90.0);
    GeomPtr out(new OGRMultiPolygon());
    for (double shift : {0.0, -360.0, 360.0}) {
        auto lr = std::make_unique<OGRLinearRing>();
        for (const auto& [x, y] : ring) lr->addPoint(x + shift, y);
        lr->closeRings();
        OGRPolygon poly;
        poly.addRingDirectly(lr.release());
        GeomPtr part(poly.Intersection(world.get()));
        if (!part || part->IsEmpty()) continue;
        GeomPtr u(out->Union(part.get()));
        if (u) out = std::move(u);
    }
    return out;
}

/// `g` cut to the rectangle `r` with GEOS's rectangle clipping (no general overlay: cutting a
/// continent to the view's window was half the basemap's load time); falls back to the general
/// intersection when GEOS declines.
OGRGeometry* clip_to_rect(const OGRGeometry& g, const OGREnvelope& r) {
    // A polygon with an edge lying on the rectangle's side (land closed along the antimeridian,
    // cut by a box that ends at 180) can come back from rectangle clipping as its complement
    // within the rectangle (GEOS 3.11): those take the general intersection.
    OGREnvelope e;
    g.getEnvelope(&e);
    constexpr double on_edge = 1e-9;  // degrees
    const bool edge_on_side = OGR_GT_IsSubClassOf(wkbFlatten(g.getGeometryType()), wkbCurvePolygon) ||
                                      OGR_GT_IsSubClassOf(wkbFlatten(g.getGeometryType()), wkbMultiSurface)
                                  ? (std::abs(e.MinX - r.MinX) < on_edge || std::abs(e.MaxX - r.MaxX) < on_edge ||
                                     std::abs(e.MinY - r.MinY) < on_edge || std::abs(e.MaxY - r.MaxY) < on_edge)
                                  : false;
    GEOSContextHandle_t ctx = OGRGeometry::createGEOSContext();
    OGRGeometry* out = nullptr;
    if (GEOSGeometry* in = edge_on_side ? nullptr : g.exportToGEOS(ctx)) {
        if (GEOSGeometry* clipped = GEOSClipByRect_r(ctx, in, r.MinX, r.MinY, r.MaxX, r.MaxY)) {
            out = OGRGeometryFactory::createFromGEOS(ctx, clipped);
            GEOSGeom_destroy_r(ctx, clipped);
        }
        GEOSGeom_destroy_r(ctx, in);
    }
    OGRGeometry::freeGEOSContext(ctx);
    if (out) return out;
    const GeomPtr box(OGRGeometryFactory::createGeometry(wkbPolygon));
    OGRLinearRing ring;
    ring.addPoint(r.MinX, r.MinY);
    ring.addPoint(r.MaxX, r.MinY);
    ring.addPoint(r.MaxX, r.MaxY);
    ring.addPoint(r.MinX, r.MaxY);
    ring.closeRings();
    box->toPolygon()->addRing(&ring);
    return g.Intersection(box.get());
}

void read_layer(GDALDataset& ds, OGRLayer& layer, const std::vector<GeomPtr>& boxes, const BasemapWindow& w, const OGRGeometry* cap,
                std::vector<Polygon>* polys, std::vector<Ring>* lines, bool outlines = false) {
    (void)ds;
    OGREnvelope cap_env;
    if (cap) cap->getEnvelope(&cap_env);
    std::unique_ptr<OGRCoordinateTransformation> to_wgs84;
    if (const auto* srs = layer.GetSpatialRef()) {
        OGRSpatialReference wgs84;
        wgs84.SetWellKnownGeogCS("WGS84");
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        if (!srs->IsSame(&wgs84)) to_wgs84.reset(OGRCreateCoordinateTransformation(srs, &wgs84));
    }
    // Only features near the view: the GeoPackage's R-tree skips the rest of the world (most of
    // it for regional views). The boxes below still decide exactly what is kept.
    if (!to_wgs84 && !boxes.empty()) {
        OGREnvelope all, e;
        for (const auto& b : boxes) {
            b->getEnvelope(&e);
            all.Merge(e);
        }
        layer.SetSpatialFilterRect(all.MinX, all.MinY, all.MaxX, all.MaxY);
    }
    layer.ResetReading();
    for (auto& feature : layer) {
        const OGRGeometry* g = feature->GetGeometryRef();
        if (!g) continue;
        GeomPtr geom(outlines ? g->Boundary() : g->clone());  // outlines: a polygon layer read as its rings (lines)
        if (!geom) continue;
        if (to_wgs84 && geom->transform(to_wgs84.get()) != OGRERR_NONE) continue;
        for (const auto& b : boxes) {
            OGREnvelope env, benv;
            geom->getEnvelope(&env);
            b->getEnvelope(&benv);
            if (!env.Intersects(benv)) continue;
            GeomPtr part(env.MinX >= benv.MinX && env.MaxX <= benv.MaxX && env.MinY >= benv.MinY && env.MaxY <= benv.MaxY
                             ? geom->clone()
                             : clip_to_rect(*geom, benv));
            if (!part || part->IsEmpty()) continue;
            if (cap) {
                OGREnvelope penv;
                part->getEnvelope(&penv);
                if (!penv.Intersects(cap_env)) continue;
                GeomPtr visible(part->Intersection(cap));
                if (!visible) {  // GEOS refused an invalid input: repair it once, then retry
                    GeomPtr valid(part->MakeValid());
                    if (valid) visible.reset(valid->Intersection(cap));
                }
                if (!visible || visible->IsEmpty()) continue;
                part = std::move(visible);
            }
            part->segmentize(w.densify_deg);
            collect(part.get(), polys, lines);
        }
    }
    layer.SetSpatialFilter(nullptr);
}

/// The point features of a layer (points and multipoints) inside the keep boxes and the cap,
/// with the text of `label_field` (see load_vector_overlay).
void read_points(OGRLayer& layer, const std::filesystem::path& path, const std::vector<GeomPtr>& boxes, const OGRGeometry* cap,
                 const std::string& label_field, std::vector<Basemap::Point>& out) {
    std::unique_ptr<OGRCoordinateTransformation> to_wgs84;
    if (const auto* srs = layer.GetSpatialRef()) {
        OGRSpatialReference wgs84;
        wgs84.SetWellKnownGeogCS("WGS84");
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        if (!srs->IsSame(&wgs84)) to_wgs84.reset(OGRCreateCoordinateTransformation(srs, &wgs84));
    }
    int field = -1;
    bool checked = false;
    layer.ResetReading();
    for (auto& feature : layer) {
        const OGRGeometry* g = feature->GetGeometryRef();
        if (!g) continue;
        const auto type = wkbFlatten(g->getGeometryType());
        if (type != wkbPoint && type != wkbMultiPoint) continue;
        if (!label_field.empty() && !checked) {
            checked = true;
            field = feature->GetFieldIndex(label_field.c_str());
            if (field < 0) {
                std::string names;
                for (int i = 0; i < feature->GetFieldCount(); ++i)
                    names += std::string(names.empty() ? "" : ", ") + feature->GetFieldDefnRef(i)->GetNameRef();
                throw SettingError("overlay_label", "label field '" + label_field + "': no such field in layer '" + layer.GetName() +
                                                        "' of '" + path.string() + "' (fields: " + (names.empty() ? "none" : names) + ")");
            }
        }
        const std::string text = field >= 0 && feature->IsFieldSetAndNotNull(field) ? feature->GetFieldAsString(field) : "";
        GeomPtr geom(g->clone());
        if (to_wgs84 && geom->transform(to_wgs84.get()) != OGRERR_NONE) continue;
        auto keep = [&](const OGRPoint& p) {
            if (!std::isfinite(p.getX()) || !std::isfinite(p.getY()) || std::abs(p.getY()) > 90) return;
            const bool inside = boxes.empty() || std::any_of(boxes.begin(), boxes.end(), [&](const GeomPtr& b) {
                                    OGREnvelope e;
                                    b->getEnvelope(&e);
                                    return p.getX() >= e.MinX && p.getX() <= e.MaxX && p.getY() >= e.MinY && p.getY() <= e.MaxY;
                                });
            if (!inside || (cap && !cap->Contains(&p))) return;
            if (auto ll = LatLon::normalized(p.getY(), p.getX())) out.push_back({*ll, text});
        };
        if (wkbFlatten(geom->getGeometryType()) == wkbPoint)
            keep(*geom->toPoint());
        else
            for (const auto* part : *geom->toMultiPoint()) keep(*part);
    }
    layer.ResetReading();
}

GDALDatasetUniquePtr open_vector(const std::filesystem::path& path) {
    // The Natural Earth and GSHHG layers are read on two threads at once: registering GDAL's
    // drivers from both at the same time is not safe (a rare crash in the goldens), so once.
    static std::once_flag registered;
    std::call_once(registered, [] { GDALAllRegister(); });
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) throw IoError("cannot open vector data '" + path.string() + "' with GDAL: " + CPLGetLastErrorMsg());
    return ds;
}

}  // namespace

Basemap load_basemap(const std::filesystem::path& gpkg, const BasemapWindow& w, bool with_land) {
    auto ds = open_vector(gpkg);
    const auto boxes = keep_boxes(w);
    const GeomPtr cap = w.cap ? cap_geometry(*w.cap) : nullptr;
    Basemap bm;
    auto layer = [&](const char* name, bool required) -> OGRLayer* {
        OGRLayer* l = ds->GetLayerByName(name);
        if (!l && required) throw IoError(gpkg.string() + ": basemap layer '" + name + "' not found");
        return l;
    };
    auto* land = layer("land", true);
    if (with_land) read_layer(*ds, *land, boxes, w, cap.get(), &bm.land, nullptr);
    if (auto* l = layer("borders", false)) read_layer(*ds, *l, boxes, w, cap.get(), nullptr, &bm.borders);
    if (!with_land) return bm;
    if (auto* l = layer("coastline", false)) read_layer(*ds, *l, boxes, w, cap.get(), nullptr, &bm.coastline);
    if (auto* l = layer("lakes", false)) read_layer(*ds, *l, boxes, w, cap.get(), &bm.lakes, nullptr);
    return bm;
}

Basemap load_gshhg(const std::filesystem::path& gpkg, const BasemapWindow& w, bool with_rivers) {
    auto ds = open_vector(gpkg);
    const auto boxes = keep_boxes(w);
    const GeomPtr cap = w.cap ? cap_geometry(*w.cap) : nullptr;
    Basemap bm;
    auto layer = [&](const char* name) -> OGRLayer& {
        OGRLayer* l = ds->GetLayerByName(name);
        if (!l) throw IoError(gpkg.string() + ": GSHHG layer '" + name + "' not found (rebuild with scripts/build_gshhg.sh)");
        return *l;
    };
    read_layer(*ds, layer("land"), boxes, w, cap.get(), &bm.land, nullptr);
    read_layer(*ds, layer("land"), boxes, w, cap.get(), nullptr, &bm.coastline, /*outlines=*/true);
    // The land polygons are closed along the antimeridian and through the south pole (where the
    // GSHHG shoreline is cut): those edges are not coast, so the outlines are split there.
    std::vector<Ring> coast;
    for (auto& r : bm.coastline) {
        Ring cur;
        auto artificial = [](const LatLon& a, const LatLon& b) {
            constexpr double eps = 1e-9;  // degrees
            return (std::abs(a.lon_deg()) >= 180 - eps && std::abs(b.lon_deg()) >= 180 - eps) ||
                   (a.lat_deg() <= -90 + eps && b.lat_deg() <= -90 + eps);
        };
        for (std::size_t i = 0; i < r.size(); ++i) {
            if (i > 0 && artificial(r[i - 1], r[i])) {
                if (cur.size() >= 2) coast.push_back(std::move(cur));
                cur.clear();
            }
            cur.push_back(r[i]);
        }
        if (cur.size() >= 2) coast.push_back(std::move(cur));
    }
    bm.coastline = std::move(coast);
    read_layer(*ds, layer("lakes"), boxes, w, cap.get(), &bm.lakes, nullptr);
    read_layer(*ds, layer("lake_islands"), boxes, w, cap.get(), &bm.lake_islands, nullptr);
    if (with_rivers) read_layer(*ds, layer("rivers"), boxes, w, cap.get(), nullptr, &bm.rivers);
    return bm;
}

Basemap load_vector_overlay(const std::filesystem::path& path, const BasemapWindow& w, const std::string& label_field) {
    auto ds = open_vector(path);
    const auto boxes = keep_boxes(w);
    const GeomPtr cap = w.cap ? cap_geometry(*w.cap) : nullptr;
    Basemap bm;
    for (auto* l : ds->GetLayers()) {
        read_layer(*ds, *l, boxes, w, cap.get(), &bm.land, &bm.borders);
        read_points(*l, path, boxes, cap.get(), label_field, bm.points);
    }
    return bm;
}

std::vector<Polygon> cap_polygons(const VisibleCap& cap) {
    std::vector<Polygon> out;
    const GeomPtr g = cap_geometry(cap);
    collect(g.get(), &out, nullptr);
    return out;
}

}  // namespace fr::io
