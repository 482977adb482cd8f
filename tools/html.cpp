#include "html.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace sigma::cli {
namespace {

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Whole words of the formulas that have a symbol of their own.
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kWordSymbols = {{
    {"alpha", "\u03b1"},
    {"beta", "\u03b2"},
    {"lambda", "\u03bb"},
    {"pi", "\u03c0"},
    {"phi", "\u03c6"},
    {"Phi", "\u03a6"},
    {"sqrt", "\u221a"},
    {"inf", "\u221e"},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kOperatorSymbols = {{
    {"<=", "\u2264"},
    {">=", "\u2265"},
    {"!=", "\u2260"},
    {"+-", "\u00b1"},
}};

// The exponent after a '^' at text[begin]: a parenthesised group (without its parentheses), or
// an optional minus and one word or number. Sets `end` past it.
std::string_view Exponent(std::string_view text, std::size_t begin, std::size_t& end) {
  if (begin < text.size() && text[begin] == '(') {
    int depth = 0;
    for (end = begin; end < text.size(); ++end) {
      if (text[end] == '(') ++depth;
      if (text[end] == ')' && --depth == 0) break;
    }
    if (end == text.size()) {  // unbalanced: keep the rest as the exponent
      return text.substr(begin + 1);
    }
    ++end;
    return text.substr(begin + 1, end - begin - 2);
  }
  end = begin;
  if (end < text.size() && text[end] == '-') ++end;
  while (end < text.size() && (IsWordChar(text[end]) || text[end] == '.')) ++end;
  return text.substr(begin, end - begin);
}

}  // namespace

std::string FormulaHtml(std::string_view formula) {
  std::string out;
  std::size_t i = 0;
  while (i < formula.size()) {
    if (formula[i] == '^') {
      std::size_t end = i + 1;
      const std::string_view exponent = Exponent(formula, i + 1, end);
      out += "<sup>" + FormulaHtml(exponent) + "</sup>";
      i = end;
      continue;
    }
    if (IsWordChar(formula[i])) {
      std::size_t end = i;
      while (end < formula.size() && IsWordChar(formula[end])) ++end;
      const std::string_view word = formula.substr(i, end - i);
      std::string_view symbol = word;
      for (const auto& [name, replacement] : kWordSymbols) {
        if (word == name) symbol = replacement;
      }
      out += symbol == word ? escape_markup(word) : std::string(symbol);
      i = end;
      continue;
    }
    bool replaced = false;
    for (const auto& [op, symbol] : kOperatorSymbols) {
      if (formula.substr(i, op.size()) == op) {
        out += symbol;
        i += op.size();
        replaced = true;
        break;
      }
    }
    if (replaced) continue;
    out += escape_markup(formula.substr(i, 1));
    ++i;
  }
  return out;
}

std::string Base64(std::string_view bytes) {
  static constexpr char kDigits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t group = static_cast<std::uint8_t>(bytes[i]) << 16 |
                                static_cast<std::uint8_t>(bytes[i + 1]) << 8 |
                                static_cast<std::uint8_t>(bytes[i + 2]);
    out += kDigits[group >> 18];
    out += kDigits[(group >> 12) & 63];
    out += kDigits[(group >> 6) & 63];
    out += kDigits[group & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t group = static_cast<std::uint8_t>(bytes[i]) << 16;
    if (rest == 2) group |= static_cast<std::uint8_t>(bytes[i + 1]) << 8;
    out += kDigits[group >> 18];
    out += kDigits[(group >> 12) & 63];
    out += rest == 2 ? kDigits[(group >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace sigma::cli
