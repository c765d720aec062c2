// GIS exports (src/export/track_export.cpp) read back by our own loaders and by GDAL's OGR API:
// the same fixes come back (times, positions, altitudes), and a leg across the antimeridian
// (a synthetic Hong Kong - Los Angeles flight) has no segment longer than 180 degrees.
#include <gtest/gtest.h>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <memory>

#include "core/time.hpp"
#include "export/track_export.hpp"
#include "io/loader.hpp"
#include "render/synthetic_flights.hpp"
#include "test_paths.hpp"

using namespace fr;

namespace {

namespace fs = std::filesystem;

struct Closer {
    void operator()(GDALDataset* d) const noexcept { GDALClose(GDALDataset::ToHandle(d)); }
};
using Dataset = std::unique_ptr<GDALDataset, Closer>;
struct FeatureFree {
    void operator()(OGRFeature* f) const noexcept { OGRFeature::DestroyFeature(f); }
};
using Feature = std::unique_ptr<OGRFeature, FeatureFree>;

class TrackExportRoundTrip : public ::testing::Test {
protected:
    void SetUp() override {
        GDALAllRegister();
        m_dir = fs::temp_directory_path() /
                ("fr_export_rt_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        const TimePoint t0 = *parse_iso8601("2024-03-01T14:00:00Z");
        m_data = test::analysed({test::synthetic_flight("CPA880", test::kHKG, test::kLAX, t0),
                                 test::synthetic_flight("SWR18", test::kZRH, test::kEWR, t0 + std::chrono::hours(1))});
        ASSERT_EQ(m_data.analyses[0].legs.size(), 1u);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
    fs::path write(const std::string& name, output::TrackExportOptions opt = {}) {
        const auto p = m_dir / name;
        output::write_track_export(p, m_data.flights, m_data.analyses, opt);
        return p;
    }
    /// Every fix of every leg must come back in `got` (matched by time, 1 ms): position within
    /// 1e-7 degrees (~1 cm; exports keep 7 decimals), altitude within 1 mm. Extra vertices are
    /// allowed only on the antimeridian (the cut). Returns the number of crossing vertices.
    std::size_t expect_same_fixes(const std::vector<Flight>& got, const std::string& what, bool altitude = true) {
        std::size_t crossings = 0;
        for (const auto& orig : m_data.flights) {
            const Flight* back = nullptr;
            for (const auto& g : got)
                if (g.aircraft.callsign == orig.aircraft.callsign || g.aircraft.display_name() == orig.aircraft.display_name()) back = &g;
            if (!back) {
                ADD_FAILURE() << what << ": flight " << orig.aircraft.display_name() << " not read back";
                continue;
            }
            std::map<TimePoint, const TrackPoint*> by_time;
            for (const auto& p : back->points) by_time[p.time()] = &p;
            std::size_t matched = 0;
            for (const auto& leg : m_data.analyses[static_cast<std::size_t>(&orig - m_data.flights.data())].legs) {
                for (std::size_t i = leg.first; i <= leg.last; ++i) {
                    const auto& p = orig.points[i];
                    const auto it = by_time.find(p.time());
                    if (it == by_time.end()) {
                        ADD_FAILURE() << what << ": fix at " << format_iso8601(p.time(), true) << " missing";
                        return crossings;
                    }
                    ++matched;
                    EXPECT_NEAR(it->second->lat_deg(), p.lat_deg(), 1e-7) << what << " " << i;
                    EXPECT_NEAR(it->second->lon_deg(), p.lon_deg(), 1e-7) << what << " " << i;
                    if (altitude && !it->second->altitude()) {
                        ADD_FAILURE() << what << ": no altitude at " << i;
                    } else if (altitude) {
                        EXPECT_NEAR(it->second->altitude()->m(), p.altitude()->m(), 1e-3) << what << " " << i;
                    }
                }
            }
            for (const auto& p : back->points) {
                bool original = false;
                for (const auto& q : orig.points) original |= q.time() == p.time();
                if (!original) {
                    EXPECT_NEAR(std::abs(p.lon_deg()), 180.0, 1e-9) << what << ": a vertex not in the data, off the antimeridian";
                    ++crossings;
                }
            }
            EXPECT_GT(matched, 100u) << what;
        }
        return crossings;
    }

    fs::path m_dir;
    test::FlightsAndAnalyses m_data;
};

/// Largest longitude step between consecutive vertices of any line in a layer (degrees).
double max_lon_step(OGRLayer* l, std::size_t& lines) {
    double worst = 0;
    lines = 0;
    l->ResetReading();
    for (Feature f(l->GetNextFeature()); f; f.reset(l->GetNextFeature())) {
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g || wkbFlatten(g->getGeometryType()) != wkbLineString) continue;
        const auto* ls = g->toLineString();
        ++lines;
        for (int i = 1; i < ls->getNumPoints(); ++i) worst = std::max(worst, std::abs(ls->getX(i) - ls->getX(i - 1)));
    }
    return worst;
}

}  // namespace

TEST_F(TrackExportRoundTrip, GeoJsonIsRfc7946WithTimesAndOurLoaderReadsItBack) {
    const auto p = write("tracks.geojson");
    // Our reader: per-vertex "times" and "altitude_m" arrays.
    const auto r = io::load_file(p);
    EXPECT_EQ(r.format, io::Format::geojson);
    for (const auto& d : r.diagnostics.items()) ADD_FAILURE() << format(d);
    const auto back = merge_tracks(r.tracks);
    // HKG-LAX crosses once: the two cut vertices (at +180 and -180) share a time, and merging
    // keeps one.
    EXPECT_EQ(expect_same_fixes(back, "geojson via our loader"), 1u);

    // GDAL: one layer, leg pieces as LineStrings with times arrays as long as their vertices.
    Dataset ds(GDALDataset::Open(p.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    OGRLayer* l = ds->GetLayer(0);
    std::size_t lines = 0;
    EXPECT_LE(max_lon_step(l, lines), 180.0) << "no segment jumps across the map";
    EXPECT_EQ(lines, 3u) << "HKG-LAX in two pieces, ZRH-EWR in one";
    l->ResetReading();
    std::size_t legs = 0;
    for (Feature f(l->GetNextFeature()); f; f.reset(l->GetNextFeature())) {
        if (std::string(f->GetFieldAsString("kind")) != "leg") continue;
        ++legs;
        const int ti = f->GetFieldIndex("times");
        ASSERT_GE(ti, 0);
        const auto* ls = f->GetGeometryRef()->toLineString();
        // GDAL reads a JSON array of strings as a StringList.
        char** times = f->GetFieldAsStringList(ti);
        ASSERT_EQ(CSLCount(times), ls->getNumPoints());
        const auto first = parse_iso8601(times[0]);
        ASSERT_TRUE(first);
        const bool hkg = std::abs(ls->getX(0) - test::kHKG.lon_deg()) < 1e-6;
        if (hkg) EXPECT_EQ(*first, m_data.flights[0].points[m_data.analyses[0].legs[0].first].time());
    }
    EXPECT_EQ(legs, 3u);
}

TEST_F(TrackExportRoundTrip, KmlGxTrackReadBackByOurLoaderAndGdal) {
    const auto p = write("tracks.kml");
    const auto r = io::load_file(p);
    EXPECT_EQ(r.format, io::Format::kml_track);
    // The two cut vertices share a time: the second is dropped as a repeat (reported).
    const auto back = merge_tracks(r.tracks);
    EXPECT_EQ(expect_same_fixes(back, "kml via our loader"), 1u);
    Dataset ds(GDALDataset::Open(p.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    OGRLayer* legs = ds->GetLayerByName("legs");
    ASSERT_NE(legs, nullptr);
    EXPECT_EQ(legs->GetFeatureCount(), 3);
    std::size_t lines = 0;
    EXPECT_LE(max_lon_step(legs, lines), 180.0);
    EXPECT_EQ(lines, 3u) << "GDAL reads each gx:Track as a LineString";
    ASSERT_NE(ds->GetLayerByName("stops"), nullptr);
}

TEST_F(TrackExportRoundTrip, GeoPackagePointsLayerKeepsTimeAndAltitude) {
    const auto p = write("tracks.gpkg");
    Dataset ds(GDALDataset::Open(p.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    OGRLayer* pts = ds->GetLayerByName("points");
    ASSERT_NE(pts, nullptr);
    std::size_t total = 0;
    for (const auto& f : m_data.flights) total += f.points.size();
    EXPECT_EQ(static_cast<std::size_t>(pts->GetFeatureCount()), total);
    std::vector<Flight> back(m_data.flights.size());
    pts->ResetReading();
    for (Feature f(pts->GetNextFeature()); f; f.reset(pts->GetNextFeature())) {
        int y, mo, d, h, mi, tz;
        float s;
        ASSERT_TRUE(f->GetFieldAsDateTime(f->GetFieldIndex("time"), &y, &mo, &d, &h, &mi, &s, &tz));
        const auto t = std::chrono::sys_days{std::chrono::year{y} / mo / d} + std::chrono::hours{h} + std::chrono::minutes{mi} +
                       std::chrono::milliseconds{std::lround(s * 1000.0)};
        const auto* pt = f->GetGeometryRef()->toPoint();
        TrackPoint tp(TimePoint{t}, *LatLon::checked(pt->getY(), pt->getX()));
        if (f->IsFieldSetAndNotNull(f->GetFieldIndex("altitude_m"))) tp.set_altitude(Length::metres(f->GetFieldAsDouble("altitude_m")));
        const std::string cs = f->GetFieldAsString("callsign");
        auto& fl = back[cs == "CPA880" ? 0 : 1];
        fl.aircraft.callsign = cs;
        fl.points.push_back(tp);
    }
    EXPECT_EQ(expect_same_fixes(back, "gpkg points via GDAL"), 0u);
    std::size_t lines = 0;
    EXPECT_LE(max_lon_step(ds->GetLayerByName("legs"), lines), 180.0);
    EXPECT_EQ(lines, 3u);
}

TEST_F(TrackExportRoundTrip, CsvOfCleanedFixesReadBackByGenericCsvAndGdal) {
    const auto p = write("fixes.csv");
    io::LoadOptions opt;
    opt.format = io::Format::generic_csv;
    opt.csv_columns =
        "time=time:iso8601,lat=lat,lon=lon,alt=altitude_m,speed=ground_speed_mps,track=track_deg,icao24=icao24,callsign=callsign";
    const auto r = io::load_file(p, opt);
    for (const auto& d : r.diagnostics.items()) ADD_FAILURE() << format(d);
    EXPECT_EQ(expect_same_fixes(merge_tracks(r.tracks), "csv via the generic CSV loader"), 0u);
    Dataset ds(GDALDataset::Open(p.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    std::size_t total = 0;
    for (const auto& f : m_data.flights) total += f.points.size();
    EXPECT_EQ(static_cast<std::size_t>(ds->GetLayer(0)->GetFeatureCount()), total);
}

TEST_F(TrackExportRoundTrip, KeplerGeoJsonHasTimeInTheFourthCoordinate) {
    output::TrackExportOptions opt;
    opt.geojson_style = output::GeoJsonStyle::kepler;
    const auto p = write("trips.geojson", opt);
    const auto r = io::load_file(p);  // our GeoJSON reader takes [lon, lat, alt, t]
    for (const auto& d : r.diagnostics.items()) ADD_FAILURE() << format(d);
    EXPECT_EQ(expect_same_fixes(merge_tracks(r.tracks), "kepler geojson via our loader"), 1u);
    Dataset ds(GDALDataset::Open(p.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    std::size_t lines = 0;
    EXPECT_LE(max_lon_step(ds->GetLayer(0), lines), 180.0);
    EXPECT_EQ(lines, 3u);
}
