// HTML text for sigma report: light typesetting of the catalog's formulas, data URIs.
#pragma once

#include <string>
#include <string_view>

#include "common/markup.hpp"  // escape_markup, the one escaper

namespace sigma::cli {

// A catalog formula ("1 / (1 + e^-x)", "(1 + alpha x^2)^(-3/2)") as HTML: exponents as
// superscripts, alpha, beta, lambda, pi, phi and Phi as Greek letters, sqrt as the radical,
// inf as the infinity sign, <=, >=, != and +- as their symbols; everything else escaped.
std::string FormulaHtml(std::string_view formula);

// `bytes` in base64 (RFC 4648, padded), for a data: URI.
std::string Base64(std::string_view bytes);

}  // namespace sigma::cli
