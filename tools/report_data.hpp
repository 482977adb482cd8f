// What `sigma report` shows, collected before any HTML is written: the catalog's plots and
// gradient facts, and the accuracy and speed measured on this machine (report_html.cpp renders
// it, report_command.cpp writes it).
#pragma once

#include <cstddef>
#include <ostream>
#include <sigma/sigma.hpp>
#include <string>
#include <vector>

#include "measure.hpp"
#include "report_guide.hpp"
#include "report_training.hpp"
#include "support/input_distribution.hpp"
#include "training_log.hpp"

namespace sigma::cli {

// ---- What is measured, and how much ----

struct Effort {
  std::size_t accuracy_samples;  // bit patterns, plus a sixteenth of that on [-10, 10]
  std::size_t speed_elements;
  int speed_runs;
};

// 2^16 bit patterns per function are one every 65536: every binade about 256 times. 2^20 floats
// (4 MiB per array) are past the L2 cache of most machines, so the copy rate is memory's.
inline constexpr Effort kFullEffort{std::size_t{1} << 16, std::size_t{1} << 20, 5};
inline constexpr Effort kQuickEffort{std::size_t{1} << 12, std::size_t{1} << 16, 1};

inline constexpr const char* kOverviewSpecs[] = {"sigmoid", "tanh", "relu", "softplus", "elu"};
inline constexpr int kCardPlotWidth = 600;
inline constexpr int kCardPlotHeight = 250;
inline constexpr int kOverviewWidth = 1000;
inline constexpr int kOverviewHeight = 420;

struct Measured {
  AccuracyResult accuracy;
  SpeedResult speed;
};

struct Entry {
  Activation act;
  std::string plot_svg;
  Measured measured;
  GradientFacts gradient;
};

struct Machine {
  std::string cpu;
  unsigned threads;
  std::string date;
};

struct Report {
  std::vector<Entry> entries;
  std::string overview_svg;
  double copy_rate = 0;                                // Gelem/s of memcpy
  std::vector<InputDistribution> speed_distributions;  // x's, each timed; the slowest is shown
  Effort effort;
  Machine machine;
  CollapseDemo collapse;
  std::vector<EpochRecord> training;
  std::string training_origin;  // HTML: where the training records came from, or why none
};

// Plots and measures every catalog function, then trains as `plan` says (none: the training
// fields are left empty), with progress on `err` (a bar when standard error is a terminal).
Report CollectReport(bool quick, const TrainingPlan* plan, std::ostream& err);

}  // namespace sigma::cli
