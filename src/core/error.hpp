#pragma once
// Exceptions for set-up failures (files, CRSs, encoders). Record-level problems in input
// files are Diagnostics (see diagnostic.hpp), not exceptions.
#include <stdexcept>
#include <string>

namespace fr {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};
/// A file could not be read or written, or its content is unusable as a whole.
class IoError : public Error { public: using Error::Error; };
/// PROJ refused a CRS or a transformation.
class ProjError : public Error { public: using Error::Error; };
/// Cairo, Pango, SFML or a shader failed.
class RenderError : public Error { public: using Error::Error; };
/// libavcodec/libavformat failed.
class EncodeError : public Error { public: using Error::Error; };
/// The command line or a scene file is invalid.
class UsageError : public Error { public: using Error::Error; };

}  // namespace fr
