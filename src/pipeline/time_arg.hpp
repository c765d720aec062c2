#pragma once
// A time option's value as given: ISO 8601 UTC or an offset (+13h20m) from the time base (the
// earliest accepted fix of the selected aircraft). Parsed once here for the app, the pipeline
// (an absolute time range lets archives skip members) and the Python module.
#include <optional>
#include <string>
#include <utility>

#include "core/time.hpp"

namespace fr::pipeline {

/// A time option's value: ISO 8601 UTC, or an offset (+13h20m) from the time base.
struct TimeArg {
    std::optional<TimePoint> absolute;
    Duration offset{};
    TimePoint at(TimePoint base) const noexcept { return absolute ? *absolute : base + offset; }
};

/// Parses one time; `option` ("--at") names it in the message. Throws fr::UsageError.
TimeArg parse_time(const std::string& text, const std::string& option);
/// "START,END", each as parse_time; `option` names it in the message. Throws fr::UsageError
/// (also when both are absolute and START is not before END).
std::pair<TimeArg, TimeArg> parse_time_range_arg(const std::string& text, const std::string& option = "--time-range");

}  // namespace fr::pipeline
