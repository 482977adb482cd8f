// The training loop: shuffled mini-batches, the optimizer step, and the epoch's diagnostics.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <numeric>
#include <sigma/error.hpp>
#include <sigma/nn.hpp>
#include <string>

#include "nn/random.hpp"

namespace sigma::nn {
namespace {

constexpr std::uint64_t kShuffleStream = 2;
constexpr std::uint64_t kDropoutStream = 3;

// The network of a run on `train`: its inputs and classes come from the data.
NetworkConfig fitted(NetworkConfig config, const Dataset& train) {
  if (train.size() == 0) throw Error("the training set is empty");
  config.inputs = train.features;
  config.classes = train.classes;
  return config;
}

}  // namespace

Trainer::Trainer(const TrainConfig& config, const Dataset& train)
    : Trainer(config, Network(fitted(config.network, train), config.seed), train.size()) {}

Trainer::Trainer(const TrainConfig& config, Network network, std::size_t train_size)
    : config_(config),
      network_(std::move(network)),
      optimizer_(config.optimizer, network_),
      train_size_(train_size),
      train_features_(network_.config().inputs) {
  config_.network = network_.config();
  if (config_.batch_size == 0) throw Error("the batch size must be at least 1");
  if (train_size_ > std::size_t{0xffffffff}) throw Error("the training set has over 2^32 rows");
  reset_epoch_state();
}

void Trainer::reset_epoch_state() {
  const std::size_t hidden = config_.network.hidden.size();
  state_ = EpochState{};
  state_.grad_norm_sum.assign(hidden, 0.0);
  state_.saturated.assign(hidden, 0);
  state_.alive.resize(hidden);
  for (std::size_t l = 0; l < hidden; ++l) state_.alive[l].assign(config_.network.hidden[l], 0);
  // Fisher-Yates from the epoch's own stream, so that a resumed run shuffles the same way.
  order_.resize(train_size_);
  std::iota(order_.begin(), order_.end(), 0u);
  detail::Random random(
      detail::derive_seed(config_.seed, kShuffleStream, static_cast<std::uint64_t>(epoch_)));
  for (std::size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[random.below(i)]);
}

bool Trainer::run_epoch(const Dataset& train, const std::atomic<bool>* stop,
                        const std::function<void(std::size_t, std::size_t)>& progress) {
  if (train.size() != train_size_ || train.features != train_features_) {
    throw Error("this run trains on " + std::to_string(train_size_) + " examples of " +
                std::to_string(train_features_) + " features, not " + std::to_string(train.size()) +
                " of " + std::to_string(train.features));
  }
  const std::size_t batch = config_.batch_size;
  const std::size_t batches = (train_size_ + batch - 1) / batch;
  const std::size_t features = train_features_;
  const auto start = std::chrono::steady_clock::now();
  BatchDiagnostics diagnostics;
  while (state_.next_batch < batches) {
    const std::size_t begin = state_.next_batch * batch;
    const std::size_t rows = std::min(batch, train_size_ - begin);
    batch_x_.resize(rows * features);
    batch_labels_.resize(rows);
    for (std::size_t r = 0; r < rows; ++r) {
      const std::size_t row = order_[begin + r];
      std::memcpy(&batch_x_[r * features], &train.images[row * features], features * sizeof(float));
      batch_labels_[r] = train.labels[row];
    }
    // Numbered by the batch's first example counted over all epochs: unique to the batch.
    const std::uint64_t dropout_seed = detail::derive_seed(
        config_.seed, kDropoutStream, static_cast<std::uint64_t>(epoch_) * train_size_ + begin);
    const double loss =
        network_.train_batch(batch_x_, batch_labels_, dropout_seed, state_.errors, &diagnostics);
    optimizer_.step(network_);
    state_.loss_sum += loss;
    state_.examples += rows;
    ++state_.batches;
    for (std::size_t l = 0; l < state_.alive.size(); ++l) {
      state_.grad_norm_sum[l] += diagnostics.weight_grad_norm[l];
      state_.saturated[l] += diagnostics.saturated[l];
      for (std::size_t j = 0; j < state_.alive[l].size(); ++j) {
        state_.alive[l][j] |= diagnostics.alive[l][j];
      }
    }
    ++state_.next_batch;
    if (progress) progress(state_.next_batch, batches);
    if (stop != nullptr && stop->load() && state_.next_batch < batches) break;
  }
  state_.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return state_.next_batch == batches;
}

EpochReport Trainer::finish_epoch(const Dataset& test) {
  if (state_.next_batch * config_.batch_size < train_size_) {
    throw Error("finish_epoch before the epoch's last batch");
  }
  EpochReport report;
  report.act = config_.network.activation;
  report.epoch = epoch_ + 1;
  const double batches = static_cast<double>(std::max<std::size_t>(state_.batches, 1));
  const double examples = static_cast<double>(state_.examples);
  report.train_loss = state_.loss_sum / batches;
  report.train_error = static_cast<double>(state_.errors) / examples;
  report.seconds = state_.seconds;
  report.samples_per_second = state_.seconds > 0 ? examples / state_.seconds : 0;
  for (std::size_t l = 0; l < state_.alive.size(); ++l) {
    const std::vector<std::uint8_t>& alive = state_.alive[l];
    const auto dead = std::count(alive.begin(), alive.end(), std::uint8_t{0});
    report.dead_fraction.push_back(static_cast<double>(dead) / static_cast<double>(alive.size()));
    report.grad_norm.push_back(state_.grad_norm_sum[l] / batches);
    if (network_.bounded()) {
      report.saturated_fraction.push_back(static_cast<double>(state_.saturated[l]) /
                                          (examples * static_cast<double>(alive.size())));
    }
  }
  report.test_accuracy = test.size() > 0 ? accuracy(network_, test) : 0;
  ++epoch_;
  reset_epoch_state();
  return report;
}

}  // namespace sigma::nn
