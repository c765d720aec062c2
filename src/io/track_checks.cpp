#include "io/track_checks.hpp"

#include <algorithm>

namespace fr::io::detail {

std::vector<TrackPoint> finalize_points(std::vector<SourcedPoint> pts, const std::string& file,
                                        Diagnostics& diags, std::size_t& skipped) {
    std::size_t out_of_order = 0;
    std::uint64_t first_bad_line = 0;
    for (std::size_t i = 1; i < pts.size(); ++i) {
        if (pts[i].point.time() < pts[i - 1].point.time()) {
            if (out_of_order++ == 0) first_bad_line = pts[i].line;
        }
    }
    if (out_of_order > 0) {
        diags.warn(file, first_bad_line, 1,
                   std::to_string(out_of_order) + " row(s) out of time order, first here (rows sorted by time)");
        std::stable_sort(pts.begin(), pts.end(), [](const SourcedPoint& a, const SourcedPoint& b) {
            return a.point.time() < b.point.time();
        });
    }
    std::vector<TrackPoint> out;
    out.reserve(pts.size());
    std::size_t dups = 0;
    std::uint64_t first_dup_line = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        if (!out.empty() && pts[i].point.time() == out.back().time()) {
            if (dups++ == 0) first_dup_line = pts[i].line;
            ++skipped;
            continue;
        }
        out.push_back(pts[i].point);
    }
    if (dups > 0)
        diags.warn(file, first_dup_line, 1,
                   std::to_string(dups) + " row(s) repeat an earlier timestamp, first here (duplicates dropped)");
    return out;
}

}  // namespace fr::io::detail
