// Plain-text layout for the command line: word wrapping, tables and the terminal's width.
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sigma::cli {

// A width for text that is never wrapped.
inline constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();

// Columns of the terminal on standard output; else $COLUMNS; else kNoLimit, so that output into a
// pipe keeps one line per item for grep.
std::size_t TerminalWidth();

// Columns `text` takes up: UTF-8 code points, as the catalog's formulas use symbols such as 'σ'.
std::size_t DisplayWidth(std::string_view text);

// Splits `text` into lines of at most `width` columns at spaces, keeping its own line breaks. A
// word longer than `width` gets a line of its own.
std::vector<std::string> Wrap(std::string_view text, std::size_t width);

std::string Join(std::span<const std::string_view> parts, std::string_view separator);
std::string Join(std::span<const std::string> parts, std::string_view separator);

struct Column {
  std::string_view header;
  std::size_t max_width;  // wider cells wrap (unless the width is kNoLimit); unused for the last
};

// A table whose cells wrap within their columns to fit `width`. The last column takes the room
// left; when that is too little, it goes below the other cells of its row, indented, instead.
std::string RenderTable(std::span<const Column> columns,
                        std::span<const std::vector<std::string>> rows, std::size_t width);

}  // namespace sigma::cli
