// `sigma train`: trains the same network with one or more activations on Fashion-MNIST (or any
// MNIST-format folder, or a synthetic set), logs each epoch as a JSON line, and compares them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace sigma::cli {

struct TrainOptions {
  std::string data;               // an MNIST-format folder, "synthetic", or empty: Fashion-MNIST
  std::vector<std::string> acts;  // SPEC[,SPEC...] each; empty: relu
  std::string hidden = "256,128";
  int epochs = 5;
  std::size_t batch = 128;
  double lr = 0.05;
  std::string optimizer = "sgd";
  double momentum = 0.9;
  bool nesterov = false;
  double weight_decay = 0;
  double dropout = 0;
  std::string init = "auto";
  std::uint64_t seed = 42;
  int threads = 2;
  std::size_t limit = 0;         // train on the first LIMIT examples only (0: all)
  double target_error = 0.15;    // the training error the comparison times
  std::string log;               // JSON lines, one per epoch
  std::string save;              // the model (and checkpoint) file
  std::string resume;            // a checkpoint to continue
  bool follow_symlinks = false;  // --save and --log may write through a symbolic link
  // The options given on the command line ("--lr", ...): --resume refuses those the
  // checkpoint fixes.
  std::vector<std::string> given;
};

// The specs of `--act` values: split at commas, except that a KEY=VALUE piece without a colon
// continues the spec before it (hardtanh:min_val=-2,max_val=2). Exposed for the tests.
std::vector<std::string> SplitSpecs(const std::vector<std::string>& values);

// Trains as `options` says, printing each epoch and the comparison to `out` and a progress bar
// to `progress` when it is a terminal. Returns false when Ctrl-C stopped it (a checkpoint is
// saved first; SIGTERM does the same). Throws sigma::Error for bad options or data.
bool RunTrain(const TrainOptions& options, std::ostream& out, std::ostream& progress,
              bool terminal);

}  // namespace sigma::cli
