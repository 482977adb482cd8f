// `sigma report`: the atlas of every activation as one self-contained HTML page, with a guide to
// choosing one and the accuracy and speed measured on this machine.
#pragma once

#include <ostream>
#include <string>

namespace CLI {
class App;
}  // namespace CLI

namespace sigma::cli {

struct ReportOptions {
  std::string directory = "sigma-report";  // gets index.html
  bool quick = false;            // fewer samples and runs, for tests: seconds instead of a minute
  std::string training_log;      // JSON lines of a training run, drawn instead of training
  bool no_training = false;      // no training comparison at all
  bool follow_symlinks = false;  // replace the file an index.html symlink points to
};

// Measures, trains (unless told not to, or given a log), draws and writes DIRECTORY/index.html
// (whole, or not at all), then tells `out` where it is. Progress goes to `err`: a bar when standard
// error is a terminal, a line per phase otherwise. Throws sigma::Error for an unreadable training
// log or an unwritable directory.
void RunReport(const ReportOptions& options, std::ostream& out, std::ostream& err);

// Registers `sigma report` and its flags on `app`, parsing into `options`, whose initial values
// are the defaults shown by --help.
CLI::App* AddReport(CLI::App& app, ReportOptions& options);

}  // namespace sigma::cli
