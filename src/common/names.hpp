// How the catalogs match a user's name: lower-case, with '-' and ' ' read as '_', so that
// "Leaky-ReLU" finds leaky_relu and "Sparse Softmax Cross-Entropy..." finds its loss.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace sigma::detail {

inline std::string normalise_name(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c == '-' || c == ' ') c = '_';
  }
  return out;
}

}  // namespace sigma::detail
