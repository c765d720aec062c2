#pragma once
// Forward projection from WGS84 lon/lat to a map CRS through PROJ. Owns its PJ_CONTEXT (one
// per object, so one per thread when each thread makes its own) and PJ, both RAII.
// PROJ forbids using a PJ or its context from two threads at once: a Projector belongs to the
// thread that made it (or adopted it), and every call checks that (core/thread_owner.hpp).
// Another thread makes its own Projector (clone()) or receives the results.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/lat_lon.hpp"
#include "core/thread_owner.hpp"

struct pj_ctx;
struct PJconsts;

namespace fr::geo {

/// Map coordinates in the target CRS's units (metres for projected CRSs), x east, y north
/// (axis order normalised with proj_normalize_for_visualization).
struct XY {
    double x = 0;
    double y = 0;
};

class Projector {
public:
    /// `crs`: an EPSG code ("EPSG:3857"), a PROJ string ("+proj=lcc ...") or WKT.
    /// Throws fr::ProjError with PROJ's message when the CRS or transformation is invalid.
    explicit Projector(const std::string& crs);
    ~Projector();
    Projector(Projector&&) noexcept;
    Projector& operator=(Projector&&) noexcept;
    Projector(const Projector&) = delete;
    Projector& operator=(const Projector&) = delete;

    /// Projects one point; nullopt where the projection is undefined (far side of an
    /// orthographic globe, beyond Mercator's latitude limit...).
    std::optional<XY> forward(LatLon p) const noexcept;
    /// Projects many points in place: lon/lat degrees in, x/y out; undefined points become
    /// NaN/inf (PROJ's HUGE_VAL). Arrays have equal length.
    void forward_inplace(std::vector<double>& lon_x, std::vector<double>& lat_y) const noexcept;
    /// Inverse projection; nullopt outside the projection's domain.
    std::optional<LatLon> inverse(XY xy) const noexcept;

    /// A new Projector for the same CRS, with its own context, owned by the calling thread
    /// (e.g. made on a worker thread for that worker). Throws like the constructor.
    Projector clone() const { return Projector(m_crs); }
    /// Hands this Projector to the calling thread (after its previous owner is done with it and
    /// a join or future orders that before this call).
    void adopt_thread() const noexcept { m_owner.adopt(); }

    const std::string& crs() const noexcept { return m_crs; }
    /// True when the target CRS is geographic (map units are degrees), false when projected.
    bool is_geographic() const noexcept { return m_geographic; }
    /// The central meridian (lon_0) when the CRS has one, else 0. Used to place the seam
    /// (lon_0 + 180) where lines must be split.
    double central_meridian() const noexcept { return m_lon0; }

private:
    struct CtxDeleter {
        void operator()(pj_ctx* c) const noexcept;
    };
    struct PjDeleter {
        void operator()(PJconsts* p) const noexcept;
    };
    std::unique_ptr<pj_ctx, CtxDeleter> m_ctx;
    std::unique_ptr<PJconsts, PjDeleter> m_pj;
    std::string m_crs;
    double m_lon0 = 0;
    bool m_geographic = false;
    ThreadOwner m_owner;
};

}  // namespace fr::geo
