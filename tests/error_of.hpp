// The message of the sigma::Error a call throws, for tests that check what an error says.
#pragma once

#include <sigma/error.hpp>
#include <string>

namespace sigma {

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace sigma
