#include "text.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <utility>

namespace sigma::cli {
namespace {

constexpr std::size_t kColumnGap = 2;
constexpr std::size_t kMinLastColumn = 30;
constexpr std::size_t kIndent = 4;

// Splits at spaces, dropping empty words.
std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> words;
  while (!line.empty()) {
    const std::size_t space = line.find(' ');
    const std::string_view word = line.substr(0, space);
    if (!word.empty()) words.push_back(word);
    if (space == std::string_view::npos) break;
    line.remove_prefix(space + 1);
  }
  return words;
}

void WrapLine(std::string_view line, std::size_t width, std::vector<std::string>& out) {
  std::string current;
  for (const std::string_view word : Words(line)) {
    if (!current.empty() && DisplayWidth(current) + 1 + DisplayWidth(word) > width) {
      out.push_back(std::move(current));
      current.clear();
    }
    if (!current.empty()) current += ' ';
    current += word;
  }
  out.push_back(std::move(current));
}

void AppendPadded(std::string& out, std::string_view text, std::size_t width) {
  out += text;
  out.append(width - std::min(width, DisplayWidth(text)), ' ');
}

// The width a column needs for `cell` unwrapped, at most `max_width` yet no less than its longest
// word.
std::size_t FitWidth(std::string_view cell, std::size_t max_width) {
  std::size_t longest_word = 0;
  for (const std::string_view word : Words(cell)) {
    longest_word = std::max(longest_word, DisplayWidth(word));
  }
  return std::max(std::min(DisplayWidth(cell), max_width), longest_word);
}

// Widths of all columns but the last.
std::vector<std::size_t> LeadingWidths(std::span<const Column> columns,
                                       std::span<const std::vector<std::string>> rows,
                                       std::size_t width) {
  std::vector<std::size_t> widths;
  for (std::size_t c = 0; c + 1 < columns.size(); ++c) {
    const std::size_t max_width = width == kNoLimit ? kNoLimit : columns[c].max_width;
    std::size_t w = DisplayWidth(columns[c].header);
    for (const auto& row : rows) w = std::max(w, FitWidth(row[c], max_width));
    widths.push_back(w);
  }
  return widths;
}

// Lays out one row of cells, already wrapped, side by side; columns past `widths` go unpadded.
void AppendLines(std::string& out, std::span<const std::vector<std::string>> cells,
                 std::span<const std::size_t> widths) {
  std::size_t height = 0;
  for (const auto& lines : cells) height = std::max(height, lines.size());
  for (std::size_t i = 0; i < height; ++i) {
    std::string line;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      std::string_view text;
      if (i < cells[c].size()) text = cells[c][i];
      if (c < widths.size()) {
        AppendPadded(line, text, widths[c] + kColumnGap);
      } else {
        line += text;
      }
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line;
    out += '\n';
  }
}

}  // namespace

std::size_t TerminalWidth() {
  winsize size{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  if (const char* columns = std::getenv("COLUMNS")) {
    const std::string_view text(columns);
    std::size_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc{} && ptr == text.data() + text.size() && value > 0) return value;
  }
  return kNoLimit;
}

std::size_t DisplayWidth(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::vector<std::string> Wrap(std::string_view text, std::size_t width) {
  std::vector<std::string> lines;
  while (true) {
    const std::size_t newline = text.find('\n');
    WrapLine(text.substr(0, newline), width, lines);
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  return lines;
}

std::string Join(std::span<const std::string_view> parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

std::string Join(std::span<const std::string> parts, std::string_view separator) {
  std::vector<std::string_view> views(parts.begin(), parts.end());
  return Join(views, separator);
}

std::string RenderTable(std::span<const Column> columns,
                        std::span<const std::vector<std::string>> rows, std::size_t width) {
  const std::vector<std::size_t> widths = LeadingWidths(columns, rows, width);
  std::size_t used = 0;
  for (const std::size_t w : widths) used += w + kColumnGap;
  const std::size_t room = width > used ? width - used : 0;
  const bool last_below = room < kMinLastColumn;
  const std::size_t last = columns.size() - 1;
  const std::size_t last_width =
      width == kNoLimit ? kNoLimit : (last_below ? width - std::min(width, kIndent) : room);

  std::vector<std::vector<std::string>> cells;
  for (const Column& column : columns) cells.push_back({std::string(column.header)});
  std::string out;
  AppendLines(out, std::span(cells).first(last_below ? last : columns.size()), widths);
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < last; ++c) cells[c] = Wrap(row[c], widths[c]);
    cells[last] = Wrap(row[last], std::max(kMinLastColumn, last_width));
    if (last_below) {
      AppendLines(out, std::span(cells).first(last), widths);
      for (const std::string& line : cells[last]) out += std::string(kIndent, ' ') + line + '\n';
    } else {
      AppendLines(out, cells, widths);
    }
  }
  return out;
}

}  // namespace sigma::cli
