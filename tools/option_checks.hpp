// Checks of option values that CLI11 does not have.

#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <string>

namespace sigma::cli {

// For unsigned options: CLI11 would read "-5" as 2^64 - 5.
inline CLI::Validator NotNegative() {
  return CLI::Validator(
      [](const std::string& text) {
        const std::size_t first = text.find_first_not_of(" \t");
        if (first == std::string::npos || text[first] != '-') return std::string();
        return "must not be negative, not " + text;
      },
      "", "NOT NEGATIVE");
}

}  // namespace sigma::cli
