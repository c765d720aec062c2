#include "export/track_export.hpp"

#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/error.hpp"
#include "core/time.hpp"
#include "export/atomic_file.hpp"

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
    throw IoError("cannot write '" + path.string() + "': " + what + " (" + (t_errors ? t_errors->text() : std::string("GDAL gave no reason")) + ")");
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
    // Not ".json": inputs are JSON too, and `-o track.json` is more likely a slip than a wish
    // for GeoJSON (the CLI says to use .geojson).
    return e == ".geojson" || e == ".kml" || e == ".gpkg";
}

void write_track_export(const fs::path& path, const std::vector<Flight>& flights, const std::vector<analysis::FlightAnalysis>& analyses) {
    const auto e = lower_ext(path);
    const char* driver_name = e == ".gpkg" ? "GPKG" : e == ".kml" ? "KML" : e == ".geojson" ? "GeoJSON" : nullptr;
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
    } else {
        mem.emplace(path.filename().string());
        where = mem->path;
    }
    {
        DatasetPtr ds(driver->Create(where.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) fail(path, std::string("cannot create a ") + driver_name + " dataset");
        Writer w(path, ds.get(), std::string(driver_name) == "GeoJSON");
        for (Kind pass : {Kind::leg, Kind::stop, Kind::gap}) {
            w.begin(pass);
            for (std::size_t i = 0; i < flights.size(); ++i) w.write(flights[i], analyses[i], pass);
        }
        ds->FlushCache();
        GDALClose(GDALDataset::ToHandle(ds.release()));  // GDAL 3.6: errors only through CPLError
    }
    if (errors.failed()) fail(path, "GDAL reported an error");
    if (gpkg) {
        dir->commit();
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
