// A progress bar on a terminal, plain lines elsewhere (a log, CI), for sigma report's measuring.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

namespace sigma::cli {

class Progress {
 public:
  // `total` steps in all. With `terminal`, one line is redrawn in place; without, each phase
  // gets one plain line, so that a log stays short.
  Progress(std::ostream& out, bool terminal, std::size_t total);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress();

  // Starts a phase ("accuracy"), then one step per item ("gelu").
  void Phase(std::string_view name);
  void Step(std::string_view item);
  // Ends the bar, so that what follows starts on a line of its own.
  void Finish();

 private:
  void Draw(std::string_view item);

  std::ostream& out_;
  bool terminal_;
  std::size_t total_;
  std::size_t done_ = 0;
  std::string phase_;
  bool finished_ = false;
};

}  // namespace sigma::cli
