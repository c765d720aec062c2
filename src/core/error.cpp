#include "core/error.hpp"

#include "core/diagnostic.hpp"

namespace fr {

Error::Error(const std::string& what) : std::runtime_error(escape_control(what, /*keep_newlines=*/true)) {}
Error::Error(const char* what) : Error(std::string(what ? what : "")) {}

}  // namespace fr
