// A small neural-network layer for comparing activations by training: dense layers with any
// catalog activation, a softmax cross-entropy head, initialisers, SGD and Adam, and a trainer
// with per-layer diagnostics and exact checkpoints.
//
//   sigma::nn::TrainConfig config;                 // 784-256-128-10 ReLU, SGD, momentum 0.9
//   config.network.activation = "tanh";
//   sigma::nn::DataSplit data = sigma::nn::load_mnist_folder(sigma::nn::kFashionMnistFolder);
//   sigma::nn::Trainer trainer(config, data.train);
//   while (trainer.epoch() < config.epochs) {
//     trainer.run_epoch(data.train);              // or stop early at a flag, see run_epoch
//     sigma::nn::EpochReport report = trainer.finish_epoch(data.test);
//   }
//   trainer.save("model.sgm");
//
// Layout: a batch is row-major, one example per row. A dense layer's weight is outputs x inputs
// (PyTorch's nn.Linear), z = x W^T + b, and the hidden layers apply the activation to z as one
// array call per layer and batch. The GEMMs are OpenBLAS's cblas_sgemm.
//
// Reproducibility: every random draw (initialisation, each epoch's shuffle, each batch's dropout)
// comes from the seed through a counter-based stream, so a run is the same bit for bit for a
// given seed, data and thread count, and a run resumed from a checkpoint is the same bit for bit
// as one that was never interrupted. (OpenBLAS splits a GEMM differently for another thread
// count, which changes the rounding.)
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <sigma/activation.hpp>
#include <sigma/file.hpp>
#include <sigma/idx.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sigma::nn {

// How a layer's weights are drawn (biases start at 0). With fan_in and fan_out the layer's
// inputs and outputs: He (Kaiming) std sqrt(2 / fan_in), Xavier (Glorot) std
// sqrt(2 / (fan_in + fan_out)), LeCun std sqrt(1 / fan_in); the uniform forms draw from
// [-a, a] with a = sqrt(3) std. kAuto picks from the hidden activation: see default_init.
enum class Init {
  kAuto,
  kHeNormal,
  kHeUniform,
  kXavierNormal,
  kXavierUniform,
  kLecunNormal,
  kLecunUniform
};

// "auto", "he_normal" (or "kaiming_normal"), "he_uniform", "xavier_normal" ("glorot_normal"),
// "xavier_uniform", "lecun_normal", "lecun_uniform"; throws sigma::Error for anything else.
Init parse_init(std::string_view name);
std::string_view init_name(Init init);
// He for the rectifier family (relu, leaky_relu, elu, gelu, silu, ...: unbounded above),
// LeCun normal for selu (its fixed point assumes it), Xavier for the bounded ones (sigmoid,
// tanh, ...).
Init default_init(const Activation& activation);

struct NetworkConfig {
  std::size_t inputs = 784;
  std::vector<std::size_t> hidden = {256, 128};  // units of each hidden layer
  std::size_t classes = 10;
  std::string activation = "relu";  // a catalog spec, applied after every hidden layer
  Init init = Init::kAuto;
  double dropout = 0;  // the rate of dropout after every hidden activation, in [0, 1)
};

struct Dense {
  std::size_t inputs = 0;
  std::size_t outputs = 0;
  std::vector<float> weight;  // outputs x inputs, row-major
  std::vector<float> bias;    // outputs
  std::vector<float> weight_grad;
  std::vector<float> bias_grad;
};

// What one training batch adds to an epoch's diagnostics, per hidden layer.
struct BatchDiagnostics {
  std::vector<std::vector<std::uint8_t>> alive;  // unit j had f'(z) != 0 for some example
  std::vector<double> weight_grad_norm;          // L2 norm of the layer's weight gradient
  std::vector<std::uint64_t> saturated;          // unit-example pairs with |f'| < 1e-3 max|f'|
};

class Network {
 public:
  // Draws the weights from `seed`. Throws sigma::Error for a bad spec, size or dropout rate.
  Network(const NetworkConfig& config, std::uint64_t seed);

  const NetworkConfig& config() const noexcept { return config_; }
  const Activation& activation() const noexcept { return activation_; }
  std::vector<Dense>& layers() noexcept { return layers_; }
  const std::vector<Dense>& layers() const noexcept { return layers_; }

  // The logits (rows x classes) of `rows` examples (rows x inputs), without dropout. The span
  // stays valid until the next call on this network.
  std::span<const float> predict(std::span<const float> x, std::size_t rows);
  // One training step's forward and backward pass: the mean softmax cross-entropy of the batch
  // against `labels`, whose gradient lands in each layer's weight_grad and bias_grad. Counts the
  // misclassified examples into `errors` and, with `diagnostics`, fills it.
  double train_batch(std::span<const float> x, std::span<const std::int32_t> labels,
                     std::uint64_t dropout_seed, std::size_t& errors,
                     BatchDiagnostics* diagnostics = nullptr);

  // The largest |f'| of the activation (at the configured parameters), the scale of "saturated".
  double max_derivative() const noexcept { return max_derivative_; }
  // Whether the activation is bounded on both sides, so that saturation means something.
  bool bounded() const noexcept;

 private:
  void forward(std::span<const float> x, std::size_t rows, bool training,
               std::uint64_t dropout_seed);
  void resize(std::size_t rows);

  NetworkConfig config_;
  Activation activation_;
  double max_derivative_;
  std::vector<Dense> layers_;
  // Per layer, for the current batch: pre-activations z, outputs a (after dropout), the dropout
  // mask, and f'(z) (kept because the diagnostics read it as well as the backward pass).
  std::vector<std::vector<float>> z_, a_, derivative_;
  std::vector<std::vector<std::uint8_t>> mask_;
  std::vector<float> delta_, delta_next_, loss_grad_;
  std::size_t rows_ = 0;
};

enum class OptimizerKind { kSgd, kAdam, kAdamW };
// "sgd", "adam", "adamw"; throws sigma::Error for anything else.
OptimizerKind parse_optimizer(std::string_view name);
std::string_view optimizer_name(OptimizerKind kind);

// PyTorch's definitions, so that the same settings mean the same thing. SGD: g += wd w;
// v = momentum v + g; w -= lr v (Nesterov: w -= lr (g + momentum v)). Adam: g += wd w, then
// the bias-corrected moments; AdamW: w -= lr wd w instead (decoupled). Biases are decayed too,
// as PyTorch does by default.
struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::kSgd;
  double learning_rate = 0.05;
  double momentum = 0.9;
  bool nesterov = false;
  double weight_decay = 0;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
};

// Throws sigma::Error unless the learning rate is positive and finite, the momentum and the betas
// in [0, 1), the weight decay non-negative and finite and epsilon positive (NaN fails each).
// The Optimizer checks its config with it; a caller may check one before it loads any data.
void check_optimizer_config(const OptimizerConfig& config);

class Optimizer {
 public:
  Optimizer(const OptimizerConfig& config, const Network& network);
  // Updates every parameter from its gradient.
  void step(Network& network);
  const OptimizerConfig& config() const noexcept { return config_; }
  // The state a checkpoint holds: SGD's velocities, or Adam's two moments, per parameter array
  // (weight then bias of each layer), and the number of steps taken.
  std::vector<std::vector<float>>& slots() noexcept { return slots_; }
  const std::vector<std::vector<float>>& slots() const noexcept { return slots_; }
  std::uint64_t steps() const noexcept { return steps_; }
  void set_steps(std::uint64_t steps) noexcept { steps_ = steps; }

 private:
  OptimizerConfig config_;
  std::vector<std::vector<float>> slots_;
  std::uint64_t steps_ = 0;
};

struct TrainConfig {
  NetworkConfig network;
  OptimizerConfig optimizer;
  std::size_t batch_size = 128;
  std::uint64_t seed = 42;
};

// One epoch's measurements. Diagnostics are per hidden layer.
struct EpochReport {
  std::string act;         // the activation's canonical spec
  int epoch = 0;           // counted from 1
  double train_loss = 0;   // mean cross-entropy over the epoch's batches, as they were trained
  double train_error = 0;  // share of the epoch's examples misclassified when trained on
  double test_accuracy = 0;
  double seconds = 0;  // training time of the epoch, without the test evaluation
  double samples_per_second = 0;
  // Share of units whose f'(z) was 0 for every example of the epoch: they learnt nothing.
  std::vector<double> dead_fraction;
  // The L2 norm of the layer's weight gradient, averaged over the epoch's batches.
  std::vector<double> grad_norm;
  // Share of unit-example pairs with |f'(z)| < 1e-3 max|f'| (bounded activations only; empty
  // for the others).
  std::vector<double> saturated_fraction;
};

// A training run: the network, the optimizer and where it is in the data. All of it goes into a
// checkpoint, so that a resumed run continues exactly.
class Trainer {
 public:
  Trainer(const TrainConfig& config, const Dataset& train);
  // Continues the run saved at `path` (see save); throws sigma::Error for a file that is not a
  // sigma checkpoint, is corrupt, or was trained on data of another shape than `train`.
  static Trainer resume(const std::string& path, const Dataset& train);

  // Trains the rest of the current epoch in shuffled mini-batches (the last may be smaller).
  // Stops after the batch in progress when *stop becomes true, and returns whether the epoch
  // is complete. `progress(done, total)` is called after every batch.
  bool run_epoch(const Dataset& train, const std::atomic<bool>* stop = nullptr,
                 const std::function<void(std::size_t, std::size_t)>& progress = {});
  // After a complete epoch: evaluates on `test` and returns the epoch's report.
  EpochReport finish_epoch(const Dataset& test);

  int epoch() const noexcept { return epoch_; }  // complete epochs
  const TrainConfig& config() const noexcept { return config_; }
  Network& network() noexcept { return network_; }
  const Optimizer& optimizer() const noexcept { return optimizer_; }

  // Writes a checkpoint (the model, the optimizer state, the position in the data and the
  // epoch's diagnostics so far) to `path`, atomically: to a new temporary beside it, synced,
  // then renamed, so that an interrupted save leaves any previous file whole. Refuses a path
  // that is not a regular file, and a symbolic link unless `symlinks` is kFollow (see
  // <sigma/file.hpp>). Format in docs/training.md.
  void save(const std::string& path, Symlinks symlinks = Symlinks::kRefuse) const;

 private:
  struct EpochState {
    std::size_t next_batch = 0;
    std::size_t examples = 0;
    std::size_t errors = 0;
    std::size_t batches = 0;
    double loss_sum = 0;
    double seconds = 0;
    std::vector<double> grad_norm_sum;
    std::vector<std::vector<std::uint8_t>> alive;
    std::vector<std::uint64_t> saturated;
  };
  Trainer(const TrainConfig& config, Network network, std::size_t train_size);
  void reset_epoch_state();

  TrainConfig config_;
  Network network_;
  Optimizer optimizer_;
  std::size_t train_size_;
  std::size_t train_features_;
  int epoch_ = 0;
  EpochState state_;
  std::vector<std::uint32_t> order_;  // this epoch's shuffle
  std::vector<float> batch_x_;
  std::vector<std::int32_t> batch_labels_;
};

// The network of a checkpoint or model file, without its training state.
Network load_network(const std::string& path);
// Share of `data` that `network` classifies correctly.
double accuracy(Network& network, const Dataset& data);

// Sets the threads of sigma's array functions and of OpenBLAS together (0: their defaults).
void set_training_threads(int threads);

}  // namespace sigma::nn
