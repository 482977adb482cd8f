#include "report_command.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sigma/error.hpp>
#include <utility>
#include <vector>

#include "io/safe_file.hpp"
#include "report_data.hpp"
#include "report_html.hpp"
#include "training_log.hpp"

namespace sigma::cli {
namespace {

namespace fs = std::filesystem;

// ---- Writing ----

void MakeDirectory(const fs::path& directory) {
  std::error_code error;
  fs::create_directories(directory, error);
  if (error || !fs::is_directory(directory)) {
    throw Error(fmt::format("cannot create the report folder '{}': {}", directory.string(),
                            error ? error.message() : "a file of that name is in the way"));
  }
}

constexpr char kReportFooter[] = R"(Writes DIR/index.html, one self-contained page (no network):
every function with its formula, derivative, parameters, properties and plot; a guide to
choosing an activation; the collapse of stacked linear layers; and the accuracy and speed of
each function measured on this machine. Measuring takes under a minute (--quick: seconds).

--training-log reads JSON lines {"act", "epoch", "train_loss", "train_error", "test_accuracy",
"seconds"} (null for a diverged value, shown as n/a) and adds a comparison of the activations in
training.)";

}  // namespace

void RunReport(const ReportOptions& options, std::ostream& out, std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<EpochRecord> training;
  if (!options.training_log.empty()) training = ReadTrainingLog(options.training_log);
  const fs::path directory(options.directory);
  MakeDirectory(directory);
  io::check_writable((directory / "index.html").string(), "the report");
  Report r = CollectReport(options.quick, err);
  r.training = std::move(training);
  r.training_log = options.training_log;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const fs::path index = directory / "index.html";
  io::write_file(index.string(), ReportPage(r, seconds), "the report");
  out << fmt::format("sigma report: wrote {} in {:.0f} s; open file://{} in a browser\n",
                     index.string(), seconds, fs::absolute(index).lexically_normal().string());
}

CLI::App* AddReport(CLI::App& app, ReportOptions& options) {
  CLI::App* report = app.add_subcommand("report", "Write the HTML atlas of every activation");
  report->add_option("-o,--output", options.directory, "The folder for index.html")
      ->capture_default_str();
  report->add_flag("--quick", options.quick, "Fewer samples and runs: seconds, not a minute");
  report->add_option("--training-log", options.training_log,
                     "JSON lines from a training run, to compare the activations");
  report->footer(kReportFooter);
  return report;
}

}  // namespace sigma::cli
