#include "io/map/basemap.hpp"

#include <gdal_priv.h>
#include <geos_c.h>
#include <ogr_geometry.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <deque>
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

/// One feature of a layer in lon/lat (WGS84), unclipped, with its envelope.
struct Feature {
    GeomPtr geom;
    OGREnvelope env;
};

/// The transformation of a layer's CRS to WGS84 lon/lat; null when it is already that (or has none).
std::unique_ptr<OGRCoordinateTransformation> to_wgs84_of(OGRLayer& layer) {
    std::unique_ptr<OGRCoordinateTransformation> to_wgs84;
    if (const auto* srs = layer.GetSpatialRef()) {
        OGRSpatialReference wgs84;
        wgs84.SetWellKnownGeogCS("WGS84");
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        if (!srs->IsSame(&wgs84)) to_wgs84.reset(OGRCreateCoordinateTransformation(srs, &wgs84));
    }
    return to_wgs84;
}

/// The features of one layer as read, with what decides their order.
struct LayerFeatures {
    std::vector<Feature> features;
    std::optional<OGREnvelope> filter;  ///< the spatial filter of the read (nullopt: none)
    std::optional<OGREnvelope> extent;  ///< the layer's extent, when read through a filter
};

/// The features of a layer in lon/lat, in the order the layer gives them; with a filter, only
/// those the GeoPackage's R-tree finds near `region` (most of the world skipped for regional
/// views). `outlines`: a polygon layer read as its rings (lines).
/// Order: a GeoPackage gives the features of a filtered read in its R-tree's order (those of a
/// smaller box in the same relative order), but file order when the filter holds the layer's
/// whole extent. So that cutting `view` from a wider read keeps the order (and so the drawing)
/// of a read for `view`, the wider filter is kept short of the extent where `view`'s is.
LayerFeatures read_features(OGRLayer& layer, const std::optional<OGREnvelope>& view, const std::optional<OGREnvelope>& region,
                            bool outlines) {
    const auto to_wgs84 = to_wgs84_of(layer);
    LayerFeatures out;
    if (!to_wgs84 && region) {
        OGREnvelope f = *region, e;
        if (layer.GetExtent(&e, TRUE) == OGRERR_NONE) {
            out.extent = e;
            if (f.Contains(e) && view && !view->Contains(e)) {  // pull one side in, between the extent's and the view's
                if (view->MinX > e.MinX)
                    f.MinX = (e.MinX + view->MinX) / 2;
                else if (view->MaxX < e.MaxX)
                    f.MaxX = (e.MaxX + view->MaxX) / 2;
                else if (view->MinY > e.MinY)
                    f.MinY = (e.MinY + view->MinY) / 2;
                else
                    f.MaxY = (e.MaxY + view->MaxY) / 2;
            }
        }
        out.filter = f;
        layer.SetSpatialFilterRect(f.MinX, f.MinY, f.MaxX, f.MaxY);
    }
    layer.ResetReading();
    for (auto& feature : layer) {
        const OGRGeometry* g = feature->GetGeometryRef();
        if (!g) continue;
        GeomPtr geom(outlines ? g->Boundary() : g->clone());
        if (!geom) continue;
        if (to_wgs84 && geom->transform(to_wgs84.get()) != OGRERR_NONE) continue;
        Feature ft{std::move(geom), {}};
        ft.geom->getEnvelope(&ft.env);
        out.features.push_back(std::move(ft));
    }
    layer.SetSpatialFilter(nullptr);
    return out;
}

/// Cuts `features` to the keep boxes and the cap (see keep_boxes), densified, into polygons
/// and lines. Reads nothing: features outside every box are skipped by their envelope.
void clip_features(const LayerFeatures& layer, const std::vector<GeomPtr>& boxes, const BasemapWindow& w, const OGRGeometry* cap,
                   std::vector<Polygon>* polys, std::vector<Ring>* lines) {
    OGREnvelope cap_env;
    if (cap) cap->getEnvelope(&cap_env);
    for (const auto& f : layer.features) {
        const OGRGeometry* geom = f.geom.get();
        const OGREnvelope& env = f.env;
        for (const auto& b : boxes) {
            OGREnvelope benv;
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
}

/// The envelope of the keep boxes: the spatial filter of a read for `w` (nullopt: no boxes).
std::optional<OGREnvelope> filter_of(const std::vector<GeomPtr>& boxes) {
    if (boxes.empty()) return std::nullopt;
    OGREnvelope all, e;
    for (const auto& b : boxes) {
        b->getEnvelope(&e);
        all.Merge(e);
    }
    return all;
}

/// A point feature of an overlay in lon/lat, with the text of its label attribute.
struct PointFeature {
    double x = 0, y = 0;  ///< lon, lat, degrees
    std::string text;
};

/// The point features of a layer (points and multipoints, each point of a multipoint on its
/// own) in lon/lat, with the text of `label_field` (see load_vector_overlay).
std::vector<PointFeature> read_points(OGRLayer& layer, const std::filesystem::path& path, const std::string& label_field) {
    const auto to_wgs84 = to_wgs84_of(layer);
    int field = -1;
    bool checked = false;
    std::vector<PointFeature> out;
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
            out.push_back({p.getX(), p.getY(), text});
        };
        if (wkbFlatten(geom->getGeometryType()) == wkbPoint)
            keep(*geom->toPoint());
        else
            for (const auto* part : *geom->toMultiPoint()) keep(*part);
    }
    layer.ResetReading();
    return out;
}

/// The points inside the keep boxes and the cap.
void clip_points(const std::vector<PointFeature>& points, const std::vector<GeomPtr>& boxes, const OGRGeometry* cap,
                 std::vector<Basemap::Point>& out) {
    for (const auto& pf : points) {
        const OGRPoint p(pf.x, pf.y);
        const bool inside = boxes.empty() || std::any_of(boxes.begin(), boxes.end(), [&](const GeomPtr& b) {
                                OGREnvelope e;
                                b->getEnvelope(&e);
                                return p.getX() >= e.MinX && p.getX() <= e.MaxX && p.getY() >= e.MinY && p.getY() <= e.MaxY;
                            });
        if (!inside || (cap && !cap->Contains(&p))) continue;
        if (auto ll = LatLon::normalized(p.getY(), p.getX())) out.push_back({*ll, pf.text});
    }
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

/// What one read of a file holds: per layer (in the order they are cut) its features.
struct VectorFeatures::Impl {
    VectorRead what;
    // Natural Earth: land, borders, coastline, lakes. GSHHG: land, land outlines, lakes,
    // lake_islands, rivers. Overlays: one entry per layer.
    LayerFeatures land, borders, coastline, lakes, outlines, lake_islands, rivers;
    struct OverlayLayer {
        LayerFeatures features;
        std::vector<PointFeature> points;
    };
    std::deque<OverlayLayer> overlay;  ///< a deque: its elements are never moved (OGREnvelope has no noexcept move)
};

VectorFeatures::VectorFeatures(std::unique_ptr<const Impl> impl) : m(std::move(impl)) {}
VectorFeatures::~VectorFeatures() = default;

std::shared_ptr<const VectorFeatures> VectorFeatures::read(const VectorRead& what, const BasemapWindow& view,
                                                           const std::optional<BasemapWindow>& region) {
    auto impl = std::make_unique<Impl>();
    impl->what = what;
    const auto view_filter = filter_of(keep_boxes(view));
    const auto region_filter = region ? filter_of(keep_boxes(*region)) : view_filter;
    const auto& path = what.path;
    auto ds = open_vector(path);
    switch (what.kind) {
        case VectorKind::natural_earth: {
            auto layer = [&](const char* name, bool required) -> OGRLayer* {
                OGRLayer* l = ds->GetLayerByName(name);
                if (!l && required) throw IoError(path.string() + ": basemap layer '" + name + "' not found");
                return l;
            };
            auto* land = layer("land", true);
            if (what.with_land) impl->land = read_features(*land, view_filter, region_filter, false);
            if (auto* l = layer("borders", false)) impl->borders = read_features(*l, view_filter, region_filter, false);
            if (!what.with_land) break;
            if (auto* l = layer("coastline", false)) impl->coastline = read_features(*l, view_filter, region_filter, false);
            if (auto* l = layer("lakes", false)) impl->lakes = read_features(*l, view_filter, region_filter, false);
            break;
        }
        case VectorKind::gshhg: {
            auto layer = [&](const char* name) -> OGRLayer& {
                OGRLayer* l = ds->GetLayerByName(name);
                if (!l) throw IoError(path.string() + ": GSHHG layer '" + name + "' not found (rebuild with scripts/build_gshhg.sh)");
                return *l;
            };
            impl->land = read_features(layer("land"), view_filter, region_filter, false);
            impl->outlines = read_features(layer("land"), view_filter, region_filter, /*outlines=*/true);
            impl->lakes = read_features(layer("lakes"), view_filter, region_filter, false);
            impl->lake_islands = read_features(layer("lake_islands"), view_filter, region_filter, false);
            if (what.with_rivers) impl->rivers = read_features(layer("rivers"), view_filter, region_filter, false);
            break;
        }
        case VectorKind::overlay:
            for (auto* l : ds->GetLayers()) {
                Impl::OverlayLayer ol;
                ol.features = read_features(*l, view_filter, region_filter, false);
                ol.points = read_points(*l, path, what.label_field);
                impl->overlay.push_back(std::move(ol));
            }
            break;
    }
    return std::shared_ptr<const VectorFeatures>(new VectorFeatures(std::move(impl)));
}

const VectorRead& VectorFeatures::what() const noexcept { return m->what; }

bool VectorFeatures::covers(const BasemapWindow& w) const {
    const auto f = filter_of(keep_boxes(w));
    auto layer_covers = [&](const LayerFeatures& l) {
        if (!l.filter) return !l.extent;  // read whole: a layer in another CRS (read whole for any view)
        if (!f || !l.filter->Contains(*f)) return false;
        // The same order as a read for `w` (see read_features): both filters hold the extent or neither.
        return !l.extent || !l.filter->Contains(*l.extent) || f->Contains(*l.extent);
    };
    const Impl& i = *m;
    for (const auto* l : {&i.land, &i.borders, &i.coastline, &i.lakes, &i.outlines, &i.lake_islands, &i.rivers})
        if (!layer_covers(*l)) return false;
    return std::all_of(i.overlay.begin(), i.overlay.end(), [&](const Impl::OverlayLayer& l) { return layer_covers(l.features); });
}

Basemap VectorFeatures::clip(const BasemapWindow& w) const {
    const auto boxes = keep_boxes(w);
    const GeomPtr cap = w.cap ? cap_geometry(*w.cap) : nullptr;
    Basemap bm;
    switch (m->what.kind) {
        case VectorKind::natural_earth:
            clip_features(m->land, boxes, w, cap.get(), &bm.land, nullptr);
            clip_features(m->borders, boxes, w, cap.get(), nullptr, &bm.borders);
            clip_features(m->coastline, boxes, w, cap.get(), nullptr, &bm.coastline);
            clip_features(m->lakes, boxes, w, cap.get(), &bm.lakes, nullptr);
            break;
        case VectorKind::gshhg: {
            clip_features(m->land, boxes, w, cap.get(), &bm.land, nullptr);
            clip_features(m->outlines, boxes, w, cap.get(), nullptr, &bm.coastline);
            // The land polygons are closed along the antimeridian and through the south pole
            // (where the GSHHG shoreline is cut): those edges are not coast, so the outlines are
            // split there.
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
            clip_features(m->lakes, boxes, w, cap.get(), &bm.lakes, nullptr);
            clip_features(m->lake_islands, boxes, w, cap.get(), &bm.lake_islands, nullptr);
            clip_features(m->rivers, boxes, w, cap.get(), nullptr, &bm.rivers);
            break;
        }
        case VectorKind::overlay:
            for (const auto& l : m->overlay) {
                clip_features(l.features, boxes, w, cap.get(), &bm.land, &bm.borders);
                clip_points(l.points, boxes, cap.get(), bm.points);
            }
            break;
    }
    return bm;
}

Basemap load_basemap(const std::filesystem::path& gpkg, const BasemapWindow& w, bool with_land) {
    return VectorFeatures::read({gpkg, VectorKind::natural_earth, with_land, false, {}}, w, std::nullopt)->clip(w);
}

Basemap load_gshhg(const std::filesystem::path& gpkg, const BasemapWindow& w, bool with_rivers) {
    return VectorFeatures::read({gpkg, VectorKind::gshhg, true, with_rivers, {}}, w, std::nullopt)->clip(w);
}

Basemap load_vector_overlay(const std::filesystem::path& path, const BasemapWindow& w, const std::string& label_field) {
    return VectorFeatures::read({path, VectorKind::overlay, true, false, label_field}, w, std::nullopt)->clip(w);
}

std::vector<Polygon> cap_polygons(const VisibleCap& cap) {
    std::vector<Polygon> out;
    const GeomPtr g = cap_geometry(cap);
    collect(g.get(), &out, nullptr);
    return out;
}

}  // namespace fr::io
