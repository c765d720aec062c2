#include "export/track_export.hpp"
#include "export/xml_text.hpp"

#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "export/atomic_file.hpp"
#include "geo/geodesic.hpp"

namespace fr::output {

namespace {

namespace fs = std::filesystem;

struct DatasetCloser {
    void operator()(GDALDataset* ds) const noexcept {
        if (ds) GDALClose(GDALDataset::ToHandle(ds));
    }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct FeatureDeleter {
    void operator()(OGRFeature* f) const noexcept { OGRFeature::DestroyFeature(f); }
};
using FeaturePtr = std::unique_ptr<OGRFeature, FeatureDeleter>;

/// GDAL's error model, wrapped once: while an export runs, every CPLError of CE_Failure or
/// worse is collected (GDAL 3.6 reports some failures only there, and CPLGetLastErrorMsg can be
/// empty or overwritten by a later warning).
class GdalErrors {
public:
    GdalErrors() {
        CPLErrorReset();
        CPLPushErrorHandlerEx(on_error, this);
    }
    ~GdalErrors() { CPLPopErrorHandler(); }
    GdalErrors(const GdalErrors&) = delete;
    GdalErrors& operator=(const GdalErrors&) = delete;
    bool failed() const noexcept { return m_failed; }
    /// "GDAL: first message" or a note that GDAL gave no reason.
    std::string text() const {
        if (!m_first.empty()) return "GDAL: " + m_first;
        return m_failed ? "GDAL reported a failure (error number " + std::to_string(m_errno) + ") without a message"
                        : "GDAL gave no reason";
    }

private:
    static void CPL_STDCALL on_error(CPLErr cls, CPLErrorNum num, const char* msg) {
        auto* self = static_cast<GdalErrors*>(CPLGetErrorHandlerUserData());
        if (!self || cls < CE_Failure) return;
        if (!self->m_failed) {
            self->m_failed = true;
            self->m_errno = num;
            if (msg) self->m_first = msg;
        }
    }
    bool m_failed = false;
    int m_errno = 0;
    std::string m_first;
};

thread_local GdalErrors* t_errors = nullptr;

[[noreturn]] void fail(const fs::path& path, const std::string& what) {
    throw IoError("cannot write '" + path.string() + "': " + what + " (" +
                  (t_errors ? t_errors->text() : std::string("GDAL gave no reason")) + ")");
}

/// A /vsimem/ file GDAL writes into, removed with its folder at the end.
struct MemFile {
    std::string dir, path;
    MemFile(const std::string& name) {
        static std::atomic<unsigned long long> counter{0};
        dir = "/vsimem/flightreplay-export-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
        path = dir + "/" + name;
    }
    ~MemFile() { VSIRmdirRecursive(dir.c_str()); }
};

struct Field {
    const char* name;
    OGRFieldType type;
    OGRFieldSubType sub = OFSTNone;
};

enum class Kind { leg, stop, gap };

// Attributes per kind; the GeoJSON layer has their union plus `kind`.
const std::vector<Field>& fields(Kind k) {
    static const std::vector<Field> leg = {{"flight", OFTString},
                                           {"icao24", OFTString},
                                           {"registration", OFTString},
                                           {"callsign", OFTString},
                                           {"departure_airport", OFTString},
                                           {"departure_name", OFTString},
                                           {"arrival_airport", OFTString},
                                           {"arrival_name", OFTString},
                                           {"departure_time", OFTString},
                                           {"arrival_time", OFTString},
                                           {"duration_s", OFTInteger64},
                                           {"distance_km", OFTReal},
                                           {"great_circle_km", OFTReal},
                                           {"points", OFTInteger},
                                           {"provenance", OFTString},
                                           // One feature per piece of the leg between antimeridian crossings; per-vertex arrays.
                                           {"part", OFTInteger},
                                           {"times", OFTString, OFSTJSON},
                                           {"altitude_m", OFTString, OFSTJSON}};
    static const std::vector<Field> stop = {{"flight", OFTString},        {"icao24", OFTString},
                                            {"registration", OFTString},  {"callsign", OFTString},
                                            {"airport", OFTString},       {"airport_name", OFTString},
                                            {"start", OFTString},         {"end", OFTString},
                                            {"duration_s", OFTInteger64}, {"inferred", OFTInteger, OFSTBoolean},
                                            {"provenance", OFTString}};
    static const std::vector<Field> gap = {{"flight", OFTString},        {"icao24", OFTString},    {"registration", OFTString},
                                           {"callsign", OFTString},      {"start", OFTString},     {"end", OFTString},
                                           {"duration_s", OFTInteger64}, {"distance_km", OFTReal}, {"plausible", OFTInteger, OFSTBoolean},
                                           {"provenance", OFTString}};
    return k == Kind::leg ? leg : k == Kind::stop ? stop : gap;
}

void add_fields(OGRLayer* layer, const std::vector<Field>& fs_, const fs::path& path) {
    for (const auto& f : fs_) {
        if (layer->GetLayerDefn()->GetFieldIndex(f.name) >= 0) continue;
        OGRFieldDefn d(f.name, f.type);
        d.SetSubType(f.sub);
        if (layer->CreateField(&d) != OGRERR_NONE) fail(path, std::string("cannot create field ") + f.name);
    }
}

long long seconds(Duration d) { return std::chrono::duration_cast<std::chrono::seconds>(d).count(); }

/// One vertex of an exported line: the fix's position, time and altitude, or a vertex added
/// where the leg crosses the antimeridian.
struct Vertex {
    double lon, lat;
    TimePoint time;
    std::optional<double> alt_m;
};

/// The fixes first..last of a flight as lines that never cross the antimeridian (RFC 7946
/// section 3.1.9): where the geodesic between two fixes crosses +-180 the line ends at the
/// crossing and the next one starts there, at the same latitude and time, on the other side
/// (exactly 180 and -180). The crossing is found by bisection on the geodesic (50 halvings:
/// ~1e-15 of the segment); its time and altitude are interpolated by the fraction of the
/// geodesic, i.e. at constant speed and climb rate between the two fixes.
std::vector<std::vector<Vertex>> pieces(const Flight& f, std::size_t first, std::size_t last) {
    std::vector<std::vector<Vertex>> out(1);
    auto vertex = [](const TrackPoint& p) {
        return Vertex{p.lon_deg(), p.lat_deg(), p.time(), p.altitude() ? std::optional{p.altitude()->m()} : std::nullopt};
    };
    for (std::size_t i = first; i <= last && i < f.points.size(); ++i) {
        const TrackPoint& b = f.points[i];
        if (i > first) {
            const TrackPoint& a = f.points[i - 1];
            if (std::abs(b.lon_deg() - a.lon_deg()) > 180.0) {  // the shorter way round crosses +-180
                const bool east = a.lon_deg() > 0;              // from the east edge (180) to the west edge (-180)
                double lo = 0, hi = 1;
                for (int k = 0; k < 50; ++k) {
                    const double mid = (lo + hi) / 2;
                    const double lon = geo::interpolate(a.position(), b.position(), mid).lon_deg();
                    if ((lon > 0) == east)
                        lo = mid;
                    else
                        hi = mid;
                }
                const double fr = (lo + hi) / 2;
                const double lat = geo::interpolate(a.position(), b.position(), fr).lat_deg();
                const auto dt = std::chrono::duration_cast<Duration>((b.time() - a.time()) * fr);
                const TimePoint t = a.time() + dt;
                std::optional<double> alt;
                if (a.altitude() && b.altitude()) alt = a.altitude()->m() + (b.altitude()->m() - a.altitude()->m()) * fr;
                out.back().push_back({east ? 180.0 : -180.0, lat, t, alt});
                out.emplace_back();
                out.back().push_back({east ? -180.0 : 180.0, lat, t, alt});
            }
        }
        out.back().push_back(vertex(b));
    }
    return out;
}

/// JSON array text of the vertices' times (ISO 8601 UTC, milliseconds when not whole).
std::string times_json(const std::vector<Vertex>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out += ',';
        out += '"' + format_iso8601(v[i].time, true) + '"';
    }
    return out + "]";
}

/// A metre value with millimetre resolution, without trailing zeros.
std::string metres_text(double m) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", m);
    std::string s = buf;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
}

/// JSON array text of the vertices' altitudes in metres (null where unknown).
std::string altitudes_json(const std::vector<Vertex>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out += ',';
        out += v[i].alt_m ? metres_text(*v[i].alt_m) : "null";
    }
    return out + "]";
}

class Writer {
public:
    Writer(const fs::path& target, GDALDataset* ds, bool single_layer) : m_target(target), m_ds(ds), m_single(single_layer) {
        m_srs.SetWellKnownGeogCS("WGS84");
        m_srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);  // x = longitude
        if (m_single) {
            m_layers[0] = create("analysis", wkbUnknown);
            add_fields(m_layers[0], {{"kind", OFTString}}, m_target);
            for (Kind k : {Kind::leg, Kind::stop, Kind::gap}) add_fields(m_layers[0], fields(k), m_target);
            m_layers[1] = m_layers[2] = m_layers[0];
        }
    }

    /// Starts writing one kind. Separate layers are created only now: the KML driver writes
    /// to the layer created last and nothing else.
    void begin(Kind k) {
        if (m_single) return;
        static const char* names[] = {"legs", "stops", "gaps"};
        // Gaps across the antimeridian are MultiLineStrings, the others LineStrings.
        m_layers[static_cast<int>(k)] = create(names[static_cast<int>(k)], k == Kind::stop  ? wkbPoint
                                                                           : k == Kind::leg ? wkbLineString
                                                                                            : wkbUnknown);
        add_fields(layer(k), fields(k), m_target);
    }

    /// GeoPackage only: a "points" layer, one Point per fix of every flight, with its time and
    /// altitude (the legs' per-vertex arrays, in a form any GIS can filter and style by).
    void write_points(const std::vector<Flight>& flights, const std::vector<analysis::FlightAnalysis>& analyses) {
        OGRLayer* l = create("points", wkbPoint);
        static const std::vector<Field> pf = {{"flight", OFTString},         {"icao24", OFTString},  {"callsign", OFTString},
                                              {"leg", OFTInteger},           {"time", OFTDateTime},  {"altitude_m", OFTReal},
                                              {"ground_speed_mps", OFTReal}, {"track_deg", OFTReal}, {"on_ground", OFTInteger, OFSTBoolean},
                                              {"provenance", OFTString}};
        add_fields(l, pf, m_target);
        if (l->StartTransaction() != OGRERR_NONE) fail(m_target, "cannot start a transaction");
        for (std::size_t fi = 0; fi < flights.size(); ++fi) {
            const Flight& f = flights[fi];
            const auto& legs = analyses[fi].legs;
            std::size_t li = 0;
            for (std::size_t i = 0; i < f.points.size(); ++i) {
                while (li < legs.size() && legs[li].last < i) ++li;
                const TrackPoint& p = f.points[i];
                FeaturePtr feat(OGRFeature::CreateFeature(l->GetLayerDefn()));
                set(feat, "flight", f.aircraft.display_name());
                set(feat, "icao24", f.aircraft.icao24);
                const bool in_leg = li < legs.size() && legs[li].first <= i;
                set(feat, "callsign", in_leg && !legs[li].callsign.empty() ? legs[li].callsign : f.aircraft.callsign);
                if (in_leg) feat->SetField("leg", static_cast<int>(li));
                const auto day = std::chrono::floor<std::chrono::days>(p.time());
                const std::chrono::year_month_day ymd{day};
                const auto in_day = (p.time() - day).count();  // ms
                feat->SetField("time", static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                               static_cast<int>(static_cast<unsigned>(ymd.day())), static_cast<int>(in_day / 3'600'000),
                               static_cast<int>(in_day / 60'000 % 60), static_cast<float>((in_day % 60'000) / 1000.0), 100 /* UTC */);
                if (p.altitude()) feat->SetField("altitude_m", p.altitude()->m());
                if (p.ground_speed()) feat->SetField("ground_speed_mps", p.ground_speed()->mps());
                if (p.track()) feat->SetField("track_deg", p.track()->deg());
                if (p.on_ground() != OnGround::unknown) feat->SetField("on_ground", p.on_ground() == OnGround::ground ? 1 : 0);
                feat->SetField("provenance", to_string(f.provenance));
                OGRPoint pt(p.lon_deg(), p.lat_deg());
                feat->SetGeometry(&pt);
                if (l->CreateFeature(feat.get()) != OGRERR_NONE) fail(m_target, "cannot write a point");
            }
        }
        if (l->CommitTransaction() != OGRERR_NONE) fail(m_target, "cannot commit the points");
    }

    /// One kind at a time: KML cannot interleave features of different layers.
    void write(const Flight& f, const analysis::FlightAnalysis& a, Kind pass) {
        for (const auto& leg : a.legs) {
            if (pass == Kind::leg) {
                auto feat = start(Kind::leg, f);
                set(feat, "callsign", leg.callsign.empty() ? f.aircraft.callsign : leg.callsign);
                if (leg.departure_airport) {
                    set(feat, "departure_airport", leg.departure_airport->icao);
                    set(feat, "departure_name", leg.departure_airport->name);
                }
                if (leg.arrival_airport) {
                    set(feat, "arrival_airport", leg.arrival_airport->icao);
                    set(feat, "arrival_name", leg.arrival_airport->name);
                }
                set(feat, "departure_time", format_iso8601(leg.departure_time));
                set(feat, "arrival_time", format_iso8601(leg.arrival_time));
                feat->SetField("duration_s", static_cast<GIntBig>(seconds(leg.arrival_time - leg.departure_time)));
                feat->SetField("distance_km", leg.distance_flown.km());
                if (leg.distance_great_circle) feat->SetField("great_circle_km", leg.distance_great_circle->km());
                feat->SetField("points", static_cast<int>(leg.points()));
                const auto parts = pieces(f, leg.first, leg.last);
                for (std::size_t k = 0; k < parts.size(); ++k) {
                    FeaturePtr piece(feat->Clone());
                    piece->SetField("part", static_cast<int>(k));
                    piece->SetField("times", times_json(parts[k]).c_str());
                    piece->SetField("altitude_m", altitudes_json(parts[k]).c_str());
                    OGRLineString line;
                    for (const auto& v : parts[k]) line.addPoint(v.lon, v.lat);
                    piece->SetGeometry(&line);
                    finish(Kind::leg, piece);
                }
            }
            if (pass != Kind::gap) continue;
            for (const auto& g : leg.gaps) {
                auto gf = start(Kind::gap, f);
                set(gf, "callsign", leg.callsign.empty() ? f.aircraft.callsign : leg.callsign);
                set(gf, "start", format_iso8601(g.start));
                set(gf, "end", format_iso8601(g.end));
                gf->SetField("duration_s", static_cast<GIntBig>(seconds(g.duration())));
                gf->SetField("distance_km", g.distance.km());
                gf->SetField("plausible", g.plausible ? 1 : 0);
                // Split at the antimeridian like the legs: a MultiLineString when it crosses.
                const auto parts = pieces(f, g.index_before, g.index_before + 1);
                OGRMultiLineString multi;
                for (const auto& part : parts) {
                    OGRLineString gl;
                    for (const auto& v : part) gl.addPoint(v.lon, v.lat);
                    multi.addGeometry(&gl);
                }
                if (parts.size() == 1)
                    gf->SetGeometry(multi.getGeometryRef(0));
                else
                    gf->SetGeometry(&multi);
                finish(Kind::gap, gf);
            }
        }
        for (const auto& s : a.stops) {
            if (pass != Kind::stop) break;
            auto feat = start(Kind::stop, f);
            set(feat, "callsign", f.aircraft.callsign);
            if (s.airport) {
                set(feat, "airport", s.airport->icao);
                set(feat, "airport_name", s.airport->name);
            }
            set(feat, "start", format_iso8601(s.start));
            set(feat, "end", format_iso8601(s.end));
            feat->SetField("duration_s", static_cast<GIntBig>(seconds(s.duration())));
            feat->SetField("inferred", s.inferred ? 1 : 0);
            OGRPoint pt(s.position.lon_deg(), s.position.lat_deg());
            feat->SetGeometry(&pt);
            finish(Kind::stop, feat);
        }
    }

private:
    OGRLayer* create(const char* name, OGRwkbGeometryType type) {
        // GeoJSON: RFC 7946 (WGS84 lon/lat, 7 decimals, bbox); our legs never cross +-180.
        const bool geojson = std::string(m_ds->GetDriverName()) == "GeoJSON";
        const char* rfc7946[] = {"RFC7946=YES", nullptr};
        OGRLayer* l = m_ds->CreateLayer(name, &m_srs, type, geojson ? const_cast<char**>(rfc7946) : nullptr);
        if (!l) fail(m_target, std::string("cannot create layer ") + name);
        return l;
    }
    OGRLayer* layer(Kind k) { return m_layers[static_cast<int>(k)]; }
    FeaturePtr start(Kind k, const Flight& f) {
        FeaturePtr feat(OGRFeature::CreateFeature(layer(k)->GetLayerDefn()));
        if (m_single) feat->SetField("kind", k == Kind::leg ? "leg" : k == Kind::stop ? "stop" : "gap");
        set(feat, "flight", f.aircraft.display_name());
        set(feat, "icao24", f.aircraft.icao24);
        set(feat, "registration", f.aircraft.registration);
        feat->SetField("provenance", to_string(f.provenance));
        return feat;
    }
    static void set(FeaturePtr& feat, const char* name, const std::string& v) {
        if (!v.empty()) feat->SetField(name, v.c_str());
    }
    void finish(Kind k, FeaturePtr& feat) {
        if (layer(k)->CreateFeature(feat.get()) != OGRERR_NONE) fail(m_target, "cannot write a feature");
    }

    fs::path m_target;
    GDALDataset* m_ds;
    bool m_single;
    OGRSpatialReference m_srs;
    OGRLayer* m_layers[3] = {nullptr, nullptr, nullptr};
};

std::string json_escaped(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

/// Numbers in a JSON array text written by times_json/altitudes_json (null kept as NaN).
std::vector<double> json_numbers(const char* text) {
    std::vector<double> out;
    const char* p = text;
    while (*p) {
        if (*p == 'n') {
            out.push_back(NAN);
            p += 4;
        } else if (*p == '-' || (*p >= '0' && *p <= '9')) {
            char* end = nullptr;
            out.push_back(std::strtod(p, &end));
            p = end;
        } else {
            ++p;
        }
    }
    return out;
}

/// Strings in a JSON array text of plain strings (our ISO times: no escapes).
std::vector<std::string> json_strings(const char* text) {
    std::vector<std::string> out;
    for (const char* p = text; *p; ++p) {
        if (*p != '"') continue;
        const char* end = std::strchr(p + 1, '"');
        if (!end) break;
        out.emplace_back(p + 1, end);
        p = end;
    }
    return out;
}

/// KML from the features the Writer made in memory: one Folder per layer with its Schema, one
/// Placemark per feature with its attributes as SchemaData (as GDAL's KML driver writes them,
/// so GDAL reads the same layers and fields back), legs as gx:Track with one <when> per vertex
/// (GDAL's KML driver cannot write gx:Track). A leg with an unknown altitude anywhere is
/// clamped to the ground (gx:coord needs three numbers; 0 is written for the unknown ones).
std::string kml_text(GDALDataset& mem) {
    std::string out =
        "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n"
        "<kml xmlns=\"http://www.opengis.net/kml/2.2\" xmlns:gx=\"http://www.google.com/kml/ext/2.2\">\n"
        "<Document id=\"root_doc\">\n";
    for (int li = 0; li < mem.GetLayerCount(); ++li) {
        OGRLayer* l = mem.GetLayer(li);
        const std::string name = l->GetName();
        if (name == "points") continue;
        OGRFeatureDefn* d = l->GetLayerDefn();
        out += "<Schema name=\"" + name + "\" id=\"" + name + "\">\n";
        for (int fi = 0; fi < d->GetFieldCount(); ++fi) {
            const auto* fd = d->GetFieldDefn(fi);
            if (std::string_view(fd->GetNameRef()) == "times" || std::string_view(fd->GetNameRef()) == "altitude_m")
                continue;  // in gx:Track
            const char* type = fd->GetType() == OFTReal                                         ? "double"
                               : (fd->GetType() == OFTInteger || fd->GetType() == OFTInteger64) ? "int"
                                                                                                : "string";
            out += "\t<SimpleField name=\"" + std::string(fd->GetNameRef()) + "\" type=\"" + type + "\"></SimpleField>\n";
        }
        out += "</Schema>\n";
    }
    for (int li = 0; li < mem.GetLayerCount(); ++li) {
        OGRLayer* l = mem.GetLayer(li);
        const std::string name = l->GetName();
        if (name == "points") continue;
        OGRFeatureDefn* d = l->GetLayerDefn();
        const int times_i = d->GetFieldIndex("times"), alt_i = d->GetFieldIndex("altitude_m");
        out += "<Folder><name>" + name + "</name>\n";
        l->ResetReading();
        for (FeaturePtr f(l->GetNextFeature()); f; f.reset(l->GetNextFeature())) {
            out += "  <Placemark>\n    <name>" + xml_escaped(f->GetFieldAsString("flight")) + "</name>\n";
            out += "    <ExtendedData><SchemaData schemaUrl=\"#" + name + "\">\n";
            for (int fi = 0; fi < d->GetFieldCount(); ++fi) {
                if (!f->IsFieldSetAndNotNull(fi) || fi == times_i || fi == alt_i) continue;
                out += "      <SimpleData name=\"" + std::string(d->GetFieldDefn(fi)->GetNameRef()) + "\">" +
                       xml_escaped(f->GetFieldAsString(fi)) + "</SimpleData>\n";
            }
            out += "    </SchemaData></ExtendedData>\n";
            const OGRGeometry* g = f->GetGeometryRef();
            char buf[128];
            auto coords = [&](const OGRLineString& ls) {
                std::string c;
                for (int i = 0; i < ls.getNumPoints(); ++i) {
                    std::snprintf(buf, sizeof buf, "%s%.7f,%.7f", i ? " " : "", ls.getX(i), ls.getY(i));
                    c += buf;
                }
                return c;
            };
            if (times_i >= 0 && g && wkbFlatten(g->getGeometryType()) == wkbLineString) {
                const auto* ls = g->toLineString();
                const auto times = json_strings(f->GetFieldAsString(times_i));
                const auto alts = json_numbers(f->GetFieldAsString(alt_i));
                const bool all_alt = std::none_of(alts.begin(), alts.end(), [](double a) { return std::isnan(a); });
                out += std::string("    <gx:Track><altitudeMode>") + (all_alt ? "absolute" : "clampToGround") + "</altitudeMode>\n";
                for (const auto& t : times) out += "      <when>" + t + "</when>\n";
                for (int i = 0; i < ls->getNumPoints(); ++i) {
                    const double a = static_cast<std::size_t>(i) < alts.size() && !std::isnan(alts[static_cast<std::size_t>(i)])
                                         ? alts[static_cast<std::size_t>(i)]
                                         : 0.0;
                    std::snprintf(buf, sizeof buf, "      <gx:coord>%.7f %.7f %s</gx:coord>\n", ls->getX(i), ls->getY(i),
                                  metres_text(a).c_str());
                    out += buf;
                }
                out += "    </gx:Track>\n";
            } else if (g && wkbFlatten(g->getGeometryType()) == wkbPoint) {
                const auto* pt = g->toPoint();
                std::snprintf(buf, sizeof buf, "    <Point><coordinates>%.7f,%.7f</coordinates></Point>\n", pt->getX(), pt->getY());
                out += buf;
            } else if (g && wkbFlatten(g->getGeometryType()) == wkbLineString) {
                out += "    <LineString><coordinates>" + coords(*g->toLineString()) + "</coordinates></LineString>\n";
            } else if (g && wkbFlatten(g->getGeometryType()) == wkbMultiLineString) {
                out += "    <MultiGeometry>";
                for (const auto* part : *g->toMultiLineString())
                    out += "<LineString><coordinates>" + coords(*part) + "</coordinates></LineString>";
                out += "</MultiGeometry>\n";
            }
            out += "  </Placemark>\n";
        }
        out += "</Folder>\n";
    }
    return out + "</Document></kml>\n";
}

/// The cleaned fixes of every flight as CSV (RFC 4180, header row): flight, icao24,
/// registration, callsign, leg (index, empty outside legs), time (ISO 8601 UTC), unix_s, lat,
/// lon (degrees, 7 decimals: ~1 cm), altitude_m, ground_speed_mps, track_deg (empty when
/// unknown), on_ground (1, 0 or empty), provenance.
std::string points_csv(const std::vector<Flight>& flights, const std::vector<analysis::FlightAnalysis>& analyses) {
    auto field = [](const std::string& v) {
        if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
        std::string q = "\"";
        for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    };
    std::string out =
        "flight,icao24,registration,callsign,leg,time,unix_s,lat,lon,altitude_m,ground_speed_mps,track_deg,on_ground,provenance\n";
    char buf[256];
    for (std::size_t fi = 0; fi < flights.size(); ++fi) {
        const Flight& f = flights[fi];
        const auto& legs = analyses[fi].legs;
        std::size_t li = 0;
        const std::string who =
            field(f.aircraft.display_name()) + "," + field(f.aircraft.icao24) + "," + field(f.aircraft.registration) + ",";
        for (std::size_t i = 0; i < f.points.size(); ++i) {
            while (li < legs.size() && legs[li].last < i) ++li;
            const bool in_leg = li < legs.size() && legs[li].first <= i;
            const TrackPoint& p = f.points[i];
            out += who;
            out += field(in_leg && !legs[li].callsign.empty() ? legs[li].callsign : f.aircraft.callsign) + ",";
            out += in_leg ? std::to_string(li) : std::string();
            const auto ms = p.time().time_since_epoch().count();
            std::snprintf(buf, sizeof buf, ",%s,%lld.%03lld,%.7f,%.7f,", format_iso8601(p.time(), true).c_str(),
                          static_cast<long long>(ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000)),
                          static_cast<long long>(((ms % 1000) + 1000) % 1000), p.lat_deg(), p.lon_deg());
            out += buf;
            if (p.altitude()) out += metres_text(p.altitude()->m());
            out += ',';
            if (p.ground_speed()) out += metres_text(p.ground_speed()->mps());
            out += ',';
            if (p.track()) out += metres_text(p.track()->deg());
            out += ',';
            if (p.on_ground() != OnGround::unknown) out += p.on_ground() == OnGround::ground ? "1" : "0";
            out += ',';
            out += to_string(f.provenance);
            out += '\n';
        }
    }
    return out;
}

/// GeoJSON for kepler.gl's trip layer: the same FeatureCollection as the default, but leg
/// coordinates are [lon, lat, altitude_m, unix_s] (0 for an unknown altitude: kepler needs
/// numbers) and the per-vertex arrays are left out.
std::string kepler_text(GDALDataset& mem) {
    OGRLayer* l = mem.GetLayer(0);
    OGRFeatureDefn* d = l->GetLayerDefn();
    const int times_i = d->GetFieldIndex("times"), alt_i = d->GetFieldIndex("altitude_m");
    std::string out = "{\n\"type\": \"FeatureCollection\",\n\"name\": \"analysis\",\n\"features\": [\n";
    char buf[160];
    bool first = true;
    l->ResetReading();
    for (FeaturePtr f(l->GetNextFeature()); f; f.reset(l->GetNextFeature())) {
        out += first ? "" : ",\n";
        first = false;
        out += "{ \"type\": \"Feature\", \"properties\": { ";
        bool firstp = true;
        for (int fi = 0; fi < d->GetFieldCount(); ++fi) {
            if (!f->IsFieldSetAndNotNull(fi) || fi == times_i || fi == alt_i) continue;
            const auto* fd = d->GetFieldDefn(fi);
            out += firstp ? "" : ", ";
            firstp = false;
            out += json_escaped(fd->GetNameRef()) + ": ";
            if (fd->GetType() == OFTString)
                out += json_escaped(f->GetFieldAsString(fi));
            else if (fd->GetSubType() == OFSTBoolean)
                out += f->GetFieldAsInteger(fi) ? "true" : "false";
            else
                out += f->GetFieldAsString(fi);
        }
        out += " }, \"geometry\": ";
        const OGRGeometry* g = f->GetGeometryRef();
        if (times_i >= 0 && g && wkbFlatten(g->getGeometryType()) == wkbLineString && f->IsFieldSetAndNotNull(times_i)) {
            const auto* ls = g->toLineString();
            const auto times = json_strings(f->GetFieldAsString(times_i));
            const auto alts = json_numbers(f->GetFieldAsString(alt_i));
            out += "{ \"type\": \"LineString\", \"coordinates\": [";
            for (int i = 0; i < ls->getNumPoints(); ++i) {
                const auto k = static_cast<std::size_t>(i);
                const double a = k < alts.size() && !std::isnan(alts[k]) ? alts[k] : 0.0;
                const auto t = k < times.size() ? parse_iso8601(times[k]) : std::nullopt;
                std::snprintf(buf, sizeof buf, "%s[%.7f, %.7f, %s, %.3f]", i ? ", " : "", ls->getX(i), ls->getY(i), metres_text(a).c_str(),
                              t ? to_unix_seconds(*t) : 0.0);
                out += buf;
            }
            out += "] }";
        } else if (g) {
            char* json = g->exportToJson();
            out += json ? json : "null";
            CPLFree(json);
        } else {
            out += "null";
        }
        out += " }";
    }
    return out + "\n]\n}\n";
}

}  // namespace

bool is_track_export(const fs::path& path) {
    const auto e = lower_extension(path);
    // Not ".json": inputs are JSON too, and `-o track.json` is more likely a slip than a wish
    // for GeoJSON (the CLI says to use .geojson).
    return e == ".geojson" || e == ".kml" || e == ".gpkg" || e == ".csv";
}

void write_track_export(const fs::path& path, const std::vector<Flight>& flights, const std::vector<analysis::FlightAnalysis>& analyses,
                        const TrackExportOptions& opt) {
    const auto e = lower_extension(path);
    // KML (gx:Track), kepler.gl GeoJSON and CSV are written as text from features built in
    // GDAL's Memory driver; GeoJSON and GeoPackage by GDAL's own drivers.
    const bool kepler = opt.geojson_style == GeoJsonStyle::kepler && e == ".geojson";
    const bool as_text = e == ".kml" || e == ".csv" || kepler;
    const char* driver_name = e == ".gpkg" ? "GPKG" : as_text ? "Memory" : e == ".geojson" ? "GeoJSON" : nullptr;
    if (!driver_name) throw std::invalid_argument("not a track export: " + path.string());
    if (flights.size() != analyses.size()) throw std::invalid_argument("write_track_export: one analysis per flight");
    GDALAllRegister();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
    if (!driver) fail(path, std::string("GDAL has no ") + driver_name + " driver");

    GdalErrors errors;
    t_errors = &errors;
    struct Reset {
        ~Reset() { t_errors = nullptr; }
    } reset;
    // Where GDAL writes. The GeoJSON and KML drivers of GDAL 3.6 do not check their writes
    // (a full disk gave a truncated file and no error): they write to memory, and the bytes go
    // to disk through an AtomicFile's checked writes. SQLite checks its writes, and GPKG needs
    // a real file: it writes inside a private folder beside the target (AtomicDir).
    const bool gpkg = std::string(driver_name) == "GPKG";
    std::optional<AtomicDir> dir;
    std::optional<MemFile> mem;
    std::string where;
    if (gpkg) {
        dir.emplace(path);
        where = dir->file_path().string();
    } else if (!as_text) {
        mem.emplace(path.filename().string());
        where = mem->path;
    }
    std::string text;
    {
        DatasetPtr ds(driver->Create(as_text ? "" : where.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) fail(path, std::string("cannot create a ") + driver_name + " dataset");
        Writer w(path, ds.get(), std::string(driver_name) == "GeoJSON" || kepler);
        if (e != ".csv") {
            for (Kind pass : {Kind::leg, Kind::stop, Kind::gap}) {
                w.begin(pass);
                for (std::size_t i = 0; i < flights.size(); ++i) w.write(flights[i], analyses[i], pass);
            }
        }
        if (e == ".gpkg") w.write_points(flights, analyses);
        // Text outputs are made in memory and written through the AtomicFile below.
        if (e == ".kml")
            text = kml_text(*ds);
        else if (e == ".csv")
            text = points_csv(flights, analyses);
        else if (kepler)
            text = kepler_text(*ds);
        ds->FlushCache();
        GDALClose(GDALDataset::ToHandle(ds.release()));  // GDAL 3.6: errors only through CPLError
    }
    if (errors.failed()) fail(path, "GDAL reported an error");
    if (gpkg) {
        dir->commit();
        return;
    }
    if (as_text) {
        AtomicFile file(path);
        file.write(text.data(), text.size());
        file.commit();
        return;
    }
    vsi_l_offset length = 0;
    GByte* bytes = VSIGetMemFileBuffer(mem->path.c_str(), &length, /*bUnlinkAndSeize=*/TRUE);
    if (!bytes) fail(path, "the driver wrote nothing");
    std::unique_ptr<GByte, decltype(&VSIFree)> owned(bytes, &VSIFree);
    AtomicFile file(path);
    file.write(owned.get(), static_cast<std::size_t>(length));
    file.commit();
}

}  // namespace fr::output
