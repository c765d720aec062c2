#pragma once
// Exceptions for set-up failures (files, CRSs, encoders). Record-level problems in input
// files are Diagnostics (see diagnostic.hpp), not exceptions.
#include <stdexcept>
#include <string>

namespace fr {

/// Messages often quote input (names, values, member paths), so the text is made safe once,
/// here: control characters, NUL included, and bytes that are not UTF-8 are escaped as
/// escape_control() does (core/diagnostic.hpp; newlines and tabs kept). what() is therefore
/// never cut short at a NUL byte and never carries a raw terminal escape sequence.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& what);
    explicit Error(const char* what);
};
/// A file could not be read or written, or its content is unusable as a whole.
class IoError : public Error {
public:
    using Error::Error;
};
/// PROJ refused a CRS or a transformation.
class ProjError : public Error {
public:
    using Error::Error;
};
/// Cairo, Pango, SFML or a shader failed.
class RenderError : public Error {
public:
    using Error::Error;
};
/// libavcodec/libavformat failed.
class EncodeError : public Error {
public:
    using Error::Error;
};
/// The command line or a scene file is invalid.
class UsageError : public Error {
public:
    using Error::Error;
};

}  // namespace fr
