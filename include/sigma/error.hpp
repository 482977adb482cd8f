// sigma::Error: the one exception type the library throws for bad input.
#pragma once

#include <stdexcept>
#include <string>

namespace sigma {

// Thrown for unknown names, malformed or out-of-domain parameters, mismatched sizes and other
// misuse. The message is one line that names the problem.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace sigma
