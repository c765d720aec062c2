#include "geo/projector.hpp"

#include <proj.h>

#include <cmath>
#include <regex>

#include "core/error.hpp"

namespace fr::geo {

void Projector::CtxDeleter::operator()(pj_ctx* c) const noexcept { proj_context_destroy(c); }
void Projector::PjDeleter::operator()(PJconsts* p) const noexcept { proj_destroy(p); }

namespace {

[[noreturn]] void throw_proj(PJ_CONTEXT* ctx, const std::string& what) {
    const int err = proj_context_errno(ctx);
    const char* msg = err ? proj_context_errno_string(ctx, err) : "unknown error";
    throw ProjError("PROJ: " + what + ": " + (msg ? msg : "unknown error"));
}

double parse_lon0(const std::string& crs) {
    static const std::regex re(R"(\+lon_0=(-?[0-9.]+))");
    std::smatch m;
    if (std::regex_search(crs, m, re)) return std::stod(m[1].str());
    return 0.0;
}

}  // namespace

Projector::Projector(const std::string& crs) : m_ctx(proj_context_create()), m_crs(crs) {
    if (!m_ctx) throw ProjError("PROJ: cannot create a context");
    proj_log_level(m_ctx.get(), PJ_LOG_NONE);
    std::string target = crs;
    // A bare PROJ string needs "+type=crs" to be taken as a CRS rather than an operation.
    if (target.rfind("+proj", 0) == 0 && target.find("+type=crs") == std::string::npos) target += " +type=crs";
    PJ* raw = proj_create_crs_to_crs(m_ctx.get(), "EPSG:4326", target.c_str(), nullptr);
    if (!raw) throw_proj(m_ctx.get(), "cannot use CRS '" + crs + "'");
    PJ* norm = proj_normalize_for_visualization(m_ctx.get(), raw);
    proj_destroy(raw);
    if (!norm) throw_proj(m_ctx.get(), "cannot normalise axis order for '" + crs + "'");
    m_pj.reset(norm);
    m_lon0 = parse_lon0(crs);
    if (PJ* target = proj_get_target_crs(m_ctx.get(), m_pj.get())) {
        const auto type = proj_get_type(target);
        m_geographic = type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS || type == PJ_TYPE_GEOGRAPHIC_CRS;
        proj_destroy(target);
    }
}

Projector::~Projector() = default;
Projector::Projector(Projector&&) noexcept = default;
Projector& Projector::operator=(Projector&&) noexcept = default;

std::optional<XY> Projector::forward(LatLon p) const noexcept {
    m_owner.check("PROJ transformation (geo::Projector::forward)");
    PJ_COORD c = proj_coord(p.lon_deg(), p.lat_deg(), 0, 0);
    PJ_COORD r = proj_trans(m_pj.get(), PJ_FWD, c);
    if (!std::isfinite(r.xy.x) || !std::isfinite(r.xy.y) || std::abs(r.xy.x) > 1e30) {
        proj_errno_reset(m_pj.get());
        return std::nullopt;
    }
    return XY{r.xy.x, r.xy.y};
}

void Projector::forward_inplace(std::vector<double>& xs, std::vector<double>& ys) const noexcept {
    m_owner.check("PROJ transformation (geo::Projector::forward_inplace)");
    const auto n = std::min(xs.size(), ys.size());
    proj_trans_generic(m_pj.get(), PJ_FWD, xs.data(), sizeof(double), n, ys.data(), sizeof(double), n, nullptr, 0, 0, nullptr, 0, 0);
    proj_errno_reset(m_pj.get());
}

std::optional<LatLon> Projector::inverse(XY xy) const noexcept {
    m_owner.check("PROJ transformation (geo::Projector::inverse)");
    PJ_COORD c = proj_coord(xy.x, xy.y, 0, 0);
    PJ_COORD r = proj_trans(m_pj.get(), PJ_INV, c);
    if (!std::isfinite(r.lp.lam) || !std::isfinite(r.lp.phi)) {
        proj_errno_reset(m_pj.get());
        return std::nullopt;
    }
    return LatLon::normalized(r.lp.phi, r.lp.lam);
}

}  // namespace fr::geo
