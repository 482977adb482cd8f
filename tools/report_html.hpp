// The page of `sigma report`: the collected Report as one self-contained HTML document.
#pragma once

#include <string>

#include "report_data.hpp"

namespace sigma::cli {

// index.html, whole; `seconds` is how long collecting took.
std::string ReportPage(const Report& r, double seconds);

}  // namespace sigma::cli
