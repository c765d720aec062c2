#include "pipeline/time_arg.hpp"

#include "core/error.hpp"

namespace fr::pipeline {

TimeArg parse_time(const std::string& text, const std::string& option) {
    TimeArg t;
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
        if (auto d = parse_offset(text)) {
            t.offset = *d;
            return t;
        }
    } else if (auto a = parse_iso8601(text)) {
        t.absolute = *a;
        return t;
    }
    throw UsageError("invalid " + option + " time '" + text +
                     "': expected ISO 8601 UTC (2023-08-01T05:11:31Z) or an offset from the first fix (+13h20m, at most 36500d)");
}

std::pair<TimeArg, TimeArg> parse_time_range_arg(const std::string& text, const std::string& option) {
    const auto comma = text.find(',');
    if (comma == std::string::npos)
        throw UsageError("invalid " + option + " '" + text + "': expected START,END (ISO 8601 UTC or +offsets from the first fix)");
    const auto a = parse_time(text.substr(0, comma), option), b = parse_time(text.substr(comma + 1), option);
    const bool same_kind = a.absolute.has_value() == b.absolute.has_value();
    if (same_kind && !(a.at(TimePoint{}) < b.at(TimePoint{})))
        throw UsageError("invalid " + option + " '" + text + "': START must be before END");
    return {a, b};
}

}  // namespace fr::pipeline
