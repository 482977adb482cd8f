#include "report_data.hpp"

#include <unistd.h>

#include <ctime>
#include <fstream>
#include <sigma/plot.hpp>
#include <thread>

#include "bench_command.hpp"
#include "distribution_text.hpp"
#include "progress.hpp"

namespace sigma::cli {
namespace {

std::string CpuName() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "an unknown CPU";
}

std::string Today() {
  const std::time_t now = std::time(nullptr);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M", std::localtime(&now));
  return buffer;
}

std::string PlotSvg(const std::vector<Activation>& functions, int width, int height, bool legend) {
  PlotOptions options;
  options.width = width;
  options.height = height;
  options.legend = legend;
  return plot_to_string(functions, options, PlotFormat::kSvg);
}

}  // namespace

Report CollectReport(bool quick, const TrainingPlan* plan, std::ostream& err) {
  Report r;
  r.effort = quick ? kQuickEffort : kFullEffort;
  r.machine = {CpuName(), std::thread::hardware_concurrency(), Today()};
  for (const FunctionInfo& f : catalog())
    r.entries.push_back({Activation::parse(f.name), {}, {}, {}});

  const std::size_t n = r.entries.size();
  Progress progress(err, isatty(STDERR_FILENO) != 0,
                    3 * n + 1 + (plan != nullptr ? TrainingSteps(*plan) : 0));
  progress.Phase("plots");
  std::vector<Activation> overview;
  for (const char* spec : kOverviewSpecs) overview.push_back(Activation::parse(spec));
  r.overview_svg = PlotSvg(overview, kOverviewWidth, kOverviewHeight, true);
  for (Entry& e : r.entries) {
    e.plot_svg = PlotSvg({e.act}, kCardPlotWidth, kCardPlotHeight, false);
    e.gradient = AnalyseGradient(e.act);
    progress.Step(e.act.name());
  }

  progress.Phase("accuracy");
  const std::vector<float> inputs = AccuracyInputs(r.effort.accuracy_samples);
  for (Entry& e : r.entries) {
    e.measured.accuracy = MeasureAccuracy(e.act, inputs);
    progress.Step(e.act.name());
  }

  progress.Phase("speed");
  // One thread, so that the numbers compare across machines and with memcpy's single stream.
  set_num_threads(1);
  // The inputs of `sigma bench`'s default.
  for (const std::string& text : BenchOptions{}.distributions) {
    r.speed_distributions.push_back(ParseDistribution(text));
  }
  const SpeedInputs speed_inputs = DrawSpeedInputs(r.speed_distributions, r.effort.speed_elements);
  r.copy_rate = MeasureCopy(r.effort.speed_elements, r.effort.speed_runs);
  progress.Step("memcpy");
  for (Entry& e : r.entries) {
    e.measured.speed = MeasureSpeed(e.act, speed_inputs, r.effort.speed_runs).slowest;
    progress.Step(e.act.name());
  }
  set_num_threads(0);

  if (plan != nullptr) {
    progress.Phase("training");
    std::string source;
    r.training = RunTrainingPlan(*plan, progress, source);
    r.training_origin = DescribePlan(*plan, source);
  }
  progress.Finish();

  r.collapse = DemonstrateCollapse();
  return r;
}

}  // namespace sigma::cli
