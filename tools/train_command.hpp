// `sigma train`: trains the same network with one or more activations on Fashion-MNIST (or any
// MNIST-format folder, or a synthetic set), logs each epoch as a JSON line, and compares them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <sigma/nn.hpp>
#include <string>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace sigma::cli {

// The inverse of --hidden's parsing: "256,128".
std::string FormatHidden(const std::vector<std::size_t>& sizes);

// Keeps the first `limit` examples of `set` (all of them for 0).
void KeepFirst(nn::Dataset& set, std::size_t limit);

// The defaults the library does not hold are written here; the rest are the library's.
struct TrainOptions {
  std::string data;               // an MNIST-format folder, "synthetic", or empty: Fashion-MNIST
  std::vector<std::string> acts;  // SPEC[,SPEC...] each; empty: NetworkConfig's activation
  std::string hidden = FormatHidden(nn::NetworkConfig{}.hidden);
  int depth = 0;  // > 0: that many hidden layers of --hidden's one size
  int epochs = 5;
  std::size_t batch = nn::TrainConfig{}.batch_size;
  double lr = nn::OptimizerConfig{}.learning_rate;
  std::string optimizer = std::string(nn::optimizer_name(nn::OptimizerConfig{}.kind));
  double momentum = nn::OptimizerConfig{}.momentum;
  bool nesterov = nn::OptimizerConfig{}.nesterov;
  double weight_decay = nn::OptimizerConfig{}.weight_decay;
  double dropout = nn::NetworkConfig{}.dropout;
  std::string init = std::string(nn::init_name(nn::NetworkConfig{}.init));
  std::uint64_t seed = nn::TrainConfig{}.seed;
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

// The signal that stopped the last RunTrain (SIGINT or SIGTERM), 0 if none.
int InterruptingSignal();

// Registers `sigma train` and its flags on `app`, parsing into `options`, whose initial values
// are the defaults shown by --help.
CLI::App* AddTrain(CLI::App& app, TrainOptions& options);

}  // namespace sigma::cli
