#include "export/track_export.hpp"

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/error.hpp"
#include "core/time.hpp"

namespace fr::output {

namespace {

namespace fs = std::filesystem;

std::string lower_ext(const fs::path& p) {
    auto e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e;
}

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

[[noreturn]] void fail(const fs::path& path, const std::string& what) {
    std::string gdal = CPLGetLastErrorMsg();
    throw IoError("cannot write '" + path.string() + "': " + what + (gdal.empty() ? "" : " (GDAL: " + gdal + ")"));
}

/// Removes a folder and what is left in it, unless released.
struct TempDir {
    fs::path path;
    ~TempDir() {
        if (!path.empty()) {
            std::error_code ec;
            fs::remove_all(path, ec);
        }
    }
};

struct Field {
    const char* name;
    OGRFieldType type;
    OGRFieldSubType sub = OFSTNone;
};

enum class Kind { leg, stop, gap };

// Attributes per kind; the GeoJSON layer has their union plus `kind`.
const std::vector<Field>& fields(Kind k) {
    static const std::vector<Field> leg = {
        {"flight", OFTString}, {"icao24", OFTString}, {"registration", OFTString}, {"callsign", OFTString},
        {"departure_airport", OFTString}, {"departure_name", OFTString}, {"arrival_airport", OFTString},
        {"arrival_name", OFTString}, {"departure_time", OFTString}, {"arrival_time", OFTString},
        {"duration_s", OFTInteger64}, {"distance_km", OFTReal}, {"great_circle_km", OFTReal},
        {"points", OFTInteger}, {"provenance", OFTString}};
    static const std::vector<Field> stop = {
        {"flight", OFTString}, {"icao24", OFTString}, {"registration", OFTString}, {"callsign", OFTString},
        {"airport", OFTString}, {"airport_name", OFTString}, {"start", OFTString}, {"end", OFTString},
        {"duration_s", OFTInteger64}, {"inferred", OFTInteger, OFSTBoolean}, {"provenance", OFTString}};
    static const std::vector<Field> gap = {
        {"flight", OFTString}, {"icao24", OFTString}, {"registration", OFTString}, {"callsign", OFTString},
        {"start", OFTString}, {"end", OFTString}, {"duration_s", OFTInteger64}, {"distance_km", OFTReal},
        {"plausible", OFTInteger, OFSTBoolean}, {"provenance", OFTString}};
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
        m_layers[static_cast<int>(k)] = create(names[static_cast<int>(k)], k == Kind::stop ? wkbPoint : wkbLineString);
        add_fields(layer(k), fields(k), m_target);
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
            OGRLineString line;
            for (std::size_t i = leg.first; i <= leg.last && i < f.points.size(); ++i)
                line.addPoint(f.points[i].lon_deg(), f.points[i].lat_deg());
            feat->SetGeometry(&line);
            finish(Kind::leg, feat);
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
                OGRLineString gl;
                for (std::size_t i = g.index_before; i <= g.index_before + 1 && i < f.points.size(); ++i)
                    gl.addPoint(f.points[i].lon_deg(), f.points[i].lat_deg());
                gf->SetGeometry(&gl);
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
        OGRLayer* l = m_ds->CreateLayer(name, &m_srs, type, nullptr);
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

}  // namespace

bool is_track_export(const fs::path& path) {
    const auto e = lower_ext(path);
    return e == ".geojson" || e == ".json" || e == ".kml" || e == ".gpkg";
}

void write_track_export(const fs::path& path, const std::vector<Flight>& flights, const std::vector<analysis::FlightAnalysis>& analyses) {
    const auto e = lower_ext(path);
    const char* driver_name = e == ".gpkg" ? "GPKG" : e == ".kml" ? "KML" : (e == ".geojson" || e == ".json") ? "GeoJSON" : nullptr;
    if (!driver_name) throw std::invalid_argument("not a track export: " + path.string());
    if (flights.size() != analyses.size()) throw std::invalid_argument("write_track_export: one analysis per flight");
    GDALAllRegister();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
    if (!driver) fail(path, std::string("GDAL has no ") + driver_name + " driver");

    TempDir dir;
    std::string tmpl = (path.parent_path().empty() ? fs::path(".") : path.parent_path()).string() + "/." +
                       path.filename().string() + ".tmp-XXXXXX";
    if (!::mkdtemp(tmpl.data())) fail(path, "cannot create a temporary folder beside it");
    dir.path = tmpl;
    const fs::path tmp_file = dir.path / path.filename();

    CPLErrorReset();
    {
        DatasetPtr ds(driver->Create(tmp_file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) fail(path, std::string("cannot create a ") + driver_name + " dataset");
        Writer w(path, ds.get(), std::string(driver_name) == "GeoJSON");
        for (Kind pass : {Kind::leg, Kind::stop, Kind::gap}) {
            w.begin(pass);
            for (std::size_t i = 0; i < flights.size(); ++i) w.write(flights[i], analyses[i], pass);
        }
        ds->FlushCache();
        GDALClose(GDALDataset::ToHandle(ds.release()));  // GDAL 3.6: errors only through CPLError
    }
    if (CPLGetLastErrorType() >= CE_Failure) fail(path, "GDAL reported an error");
    std::error_code ec;
    fs::rename(tmp_file, path, ec);
    if (ec) fail(path, "cannot rename '" + tmp_file.string() + "': " + ec.message());
}

}  // namespace fr::output
