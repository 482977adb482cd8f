#include "progress.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sigma::cli {
namespace {

constexpr std::size_t kBarWidth = 30;

}  // namespace

Progress::Progress(std::ostream& out, bool terminal, std::size_t total)
    : out_(out), terminal_(terminal), total_(std::max<std::size_t>(total, 1)) {}

Progress::~Progress() { Finish(); }

void Progress::Phase(std::string_view name) {
  phase_ = name;
  if (terminal_) {
    Draw("");
  } else {
    out_ << fmt::format("sigma report: {} ({}/{} steps done)", phase_, done_, total_) << std::endl;
  }
}

void Progress::Step(std::string_view item) {
  done_ = std::min(done_ + 1, total_);
  if (terminal_) Draw(item);
}

void Progress::Finish() {
  if (finished_) return;
  finished_ = true;
  if (terminal_) out_ << '\n' << std::flush;
}

void Progress::Draw(std::string_view item) {
  const std::size_t filled = done_ * kBarWidth / total_;
  // \r returns to the line's start and \x1b[K clears what a longer previous line left.
  out_ << fmt::format("\r[{:#<{}}{:-<{}}] {:3}% {} {}\x1b[K", "", filled, "", kBarWidth - filled,
                      done_ * 100 / total_, phase_, item)
       << std::flush;
}

}  // namespace sigma::cli
