// The one escaper of text for HTML and SVG, shared by the library's SVG plots and the report of
// `sigma report` (tools/ includes it from here).
#pragma once

#include <string>
#include <string_view>

namespace sigma {

// `text` with &, <, > and " escaped, for element content and attribute values.
inline std::string escape_markup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace sigma
