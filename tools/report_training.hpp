// The training evidence of `sigma report`: a short comparison of activations, each trained from
// the same seeds (or read from a training log), drawn as charts that each come with a sentence
// read from the data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "progress.hpp"
#include "training_log.hpp"

namespace sigma::cli {

// The built-in comparison: the same deep, narrow network with each activation, from each seed.
struct TrainingPlan {
  std::vector<std::string> acts;
  std::size_t width;  // units of each hidden layer
  std::size_t depth;  // hidden layers
  std::vector<std::uint64_t> seeds;
  int epochs;
  std::size_t train_examples;  // the first N of the training set
  std::size_t test_examples;   // the first N of the test set
  double learning_rate;        // SGD with the trainer's default momentum
  // relu once more at this rate (0: not), where many of its units die.
  double dying_relu_rate;
  bool synthetic;  // the synthetic set even where Fashion-MNIST is installed
};

// Six hidden layers are enough for the gradient reaching sigmoid's first layer to fall a
// hundredfold; at SGD's default rate of 0.05 elu diverges in this network, so the rate is 0.02,
// and at 0.1 a third of relu's first-layer units die (at 0.15 the whole network dies or
// diverges). About 27 s of processor time on an AMD EPYC (Zen 5), split over two threads.
inline const TrainingPlan kFullTrainingPlan{
    {"relu", "leaky_relu", "elu", "gelu", "tanh", "sigmoid"},
    64,
    6,
    {1, 2},
    10,
    20000,
    5000,
    0.02,
    0.1,
    false};
// For tests: seconds.
inline const TrainingPlan kQuickTrainingPlan{
    {"relu", "leaky_relu", "elu", "gelu", "tanh", "sigmoid"},
    16,
    4,
    {1, 2},
    3,
    1000,
    500,
    0.02,
    0.1,
    true};

// The training error whose time to reach the comparison measures, as `sigma train` does.
inline constexpr double kTargetError = 0.15;

// Progress steps RunTrainingPlan takes: one per epoch of each run.
std::size_t TrainingSteps(const TrainingPlan& plan);

// Trains every activation of `plan` from every seed, one epoch of each in turn (one step of
// `progress` each), and returns the epochs as a training log would hold them. `source` gets
// where the data came from.
std::vector<EpochRecord> RunTrainingPlan(const TrainingPlan& plan, Progress& progress,
                                         std::string& source);

// Where the section's numbers came from, in HTML: the plan and its data, or the log's path.
std::string DescribePlan(const TrainingPlan& plan, const std::string& source);

// Throws sigma::Error where `records` hold more than the section draws: 48 runs (activation and
// learning rate), or 100 seeds of one. TrainingSection checks the same; this checks a log before
// anything is measured.
void CheckTrainingRecords(const std::vector<EpochRecord>& records);

// The report's training section: the charts, each with its reading, and a summary table.
// `origin` (HTML) says where the records came from; no records: why there are none.
std::string TrainingSection(const std::vector<EpochRecord>& records, const std::string& origin);

}  // namespace sigma::cli
