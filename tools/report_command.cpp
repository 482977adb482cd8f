#include "report_command.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sigma/error.hpp>
#include <utility>
#include <vector>

#include "common/markup.hpp"
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

Then it trains a deep network with relu, leaky_relu, elu, gelu, tanh and sigmoid from two
seeds (Fashion-MNIST when installed, else a synthetic set; about half a minute, --quick: a
second) and draws the training: accuracy, loss, time to 15% training error, each layer's
gradient norm, dead and saturated units. --no-training skips it; --training-log FILE draws the
JSON lines of `sigma train --log FILE` instead (null for a diverged value, shown as n/a).)";

constexpr char kSkipped[] =
    "Skipped (<code>sigma report --no-training</code>). Without that flag, <code>sigma "
    "report</code> trains the activations and draws what they did; <code>sigma report "
    "--training-log FILE</code> draws the log of a <code>sigma train --log FILE</code> run.";

}  // namespace

void RunReport(const ReportOptions& options, std::ostream& out, std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  const bool from_log = !options.training_log.empty();
  std::vector<EpochRecord> training;
  if (from_log) {
    training = ReadTrainingLog(options.training_log);
    CheckTrainingRecords(training);
  }
  const fs::path directory(options.directory);
  MakeDirectory(directory);
  const Symlinks symlinks = options.follow_symlinks ? Symlinks::kFollow : Symlinks::kRefuse;
  io::check_writable((directory / "index.html").string(), "the report", symlinks);
  const TrainingPlan& plan = options.quick ? kQuickTrainingPlan : kFullTrainingPlan;
  Report r = CollectReport(options.quick, from_log || options.no_training ? nullptr : &plan, err);
  if (from_log) {
    r.training = std::move(training);
    r.training_origin =
        fmt::format("from the training log <code>{}</code>", escape_markup(options.training_log));
  } else if (options.no_training) {
    r.training_origin = kSkipped;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const fs::path index = directory / "index.html";
  io::write_file(index.string(), ReportPage(r, seconds), "the report", symlinks);
  out << fmt::format("sigma report: wrote {} in {:.0f} s; open file://{} in a browser\n",
                     index.string(), seconds, fs::absolute(index).lexically_normal().string());
}

CLI::App* AddReport(CLI::App& app, ReportOptions& options) {
  CLI::App* report = app.add_subcommand("report", "Write the HTML atlas of every activation");
  report->add_option("-o,--output", options.directory, "The folder for index.html")
      ->capture_default_str();
  report->add_flag("--quick", options.quick, "Fewer samples and runs: seconds, not a minute");
  CLI::Option* log = report->add_option("--training-log", options.training_log,
                                        "Draw this log of sigma train instead of training");
  report->add_flag("--no-training", options.no_training, "Leave out the training comparison")
      ->excludes(log);
  report->add_flag("--follow-symlinks", options.follow_symlinks,
                   "If DIR/index.html is a symbolic link, replace the file it points to (else "
                   "refused)");
  report->footer(kReportFooter);
  return report;
}

}  // namespace sigma::cli
