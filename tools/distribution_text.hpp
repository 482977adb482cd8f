// The text of an input distribution (support/input_distribution.hpp) for the command line and the
// report: reading `--dist` and naming a distribution in a table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "support/input_distribution.hpp"

namespace sigma::cli {

// Reads "normal:S" (S > 0) or "uniform:A:B" (A < B), each number a finite float in any form
// `sigma eval` reads. Throws sigma::Error with one line that says what is wrong.
InputDistribution ParseDistribution(std::string_view text);

// The text ParseDistribution reads back, numbers in their shortest form: "normal:4",
// "uniform:-8:8".
std::string DistributionName(const InputDistribution& d);

// A short heading for a table: "N(0,4)", "U(-8,8)".
std::string DistributionLabel(const InputDistribution& d);

// The labels as a list in words: "N(0,1), N(0,4) and N(0,16)".
std::string DistributionLabels(const std::vector<InputDistribution>& distributions);

}  // namespace sigma::cli
