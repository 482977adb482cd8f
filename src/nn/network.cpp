// Dense layers with a fused activation and a softmax cross-entropy head, on OpenBLAS's sgemm.
#include <cblas.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <sigma/dropout.hpp>
#include <sigma/error.hpp>
#include <sigma/losses.hpp>
#include <sigma/nn.hpp>
#include <string>

#include "nn/random.hpp"

namespace sigma::nn {
namespace {

// Purposes of the seed streams (see detail::derive_seed).
constexpr std::uint64_t kInitStream = 1;

// The largest |f'(x)| over [-20, 20] in steps of 2^-10: every catalog activation attains its
// largest slope well inside (at 0 for the sigmoid family, on the whole positive side for the
// rectifiers).
double largest_derivative(const Activation& activation) {
  double largest = 0;
  for (double x = -20; x <= 20; x += 0x1p-10) {
    const double d = std::abs(activation.reference_derivative(x));
    if (std::isfinite(d)) largest = std::max(largest, d);
  }
  return largest;
}

// Index of the largest logit of a row; the first on ties, as argmax in PyTorch.
std::size_t argmax(const float* row, std::size_t n) {
  return static_cast<std::size_t>(std::max_element(row, row + n) - row);
}

}  // namespace

Init parse_init(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, Init>, 11> kNames = {{
      {"auto", Init::kAuto},
      {"he_normal", Init::kHeNormal},
      {"kaiming_normal", Init::kHeNormal},
      {"he_uniform", Init::kHeUniform},
      {"kaiming_uniform", Init::kHeUniform},
      {"xavier_normal", Init::kXavierNormal},
      {"glorot_normal", Init::kXavierNormal},
      {"xavier_uniform", Init::kXavierUniform},
      {"glorot_uniform", Init::kXavierUniform},
      {"lecun_normal", Init::kLecunNormal},
      {"lecun_uniform", Init::kLecunUniform},
  }};
  for (const auto& [known, init] : kNames) {
    if (known == name) return init;
  }
  throw Error("unknown initialiser '" + std::string(name) +
              "'; use auto, he_normal, he_uniform, xavier_normal, xavier_uniform, lecun_normal "
              "or lecun_uniform");
}

std::string_view init_name(Init init) {
  switch (init) {
    case Init::kAuto:
      return "auto";
    case Init::kHeNormal:
      return "he_normal";
    case Init::kHeUniform:
      return "he_uniform";
    case Init::kXavierNormal:
      return "xavier_normal";
    case Init::kXavierUniform:
      return "xavier_uniform";
    case Init::kLecunNormal:
      return "lecun_normal";
    case Init::kLecunUniform:
      return "lecun_uniform";
  }
  return "auto";
}

Init default_init(const Activation& activation) {
  if (activation.name() == "selu") return Init::kLecunNormal;
  const Properties& properties = activation.info().properties;
  return properties.bounded_above ? Init::kXavierNormal : Init::kHeNormal;
}

Network::Network(const NetworkConfig& config, std::uint64_t seed)
    : config_(config), activation_(Activation::parse(config.activation)) {
  if (config.inputs == 0 || config.classes < 2) {
    throw Error("a network needs at least one input and two classes");
  }
  if (std::find(config.hidden.begin(), config.hidden.end(), 0) != config.hidden.end()) {
    throw Error("a hidden layer needs at least one unit");
  }
  if (!(config.dropout >= 0 && config.dropout < 1)) {
    throw Error("the dropout rate must be in [0, 1), not " + std::to_string(config.dropout));
  }
  config_.activation = activation_.spec();
  max_derivative_ = largest_derivative(activation_);
  const Init init = config.init == Init::kAuto ? default_init(activation_) : config.init;
  config_.init = init;
  std::vector<std::size_t> sizes = {config.inputs};
  sizes.insert(sizes.end(), config.hidden.begin(), config.hidden.end());
  sizes.push_back(config.classes);
  for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
    Dense layer;
    layer.inputs = sizes[l];
    layer.outputs = sizes[l + 1];
    layer.weight.resize(layer.inputs * layer.outputs);
    layer.bias.assign(layer.outputs, 0.0f);
    layer.weight_grad.resize(layer.weight.size());
    layer.bias_grad.resize(layer.outputs);
    const double fan_in = static_cast<double>(layer.inputs);
    const double fan_out = static_cast<double>(layer.outputs);
    double stddev = 0;
    bool uniform = false;
    switch (init) {
      case Init::kHeUniform:
        uniform = true;
        [[fallthrough]];
      case Init::kAuto:
      case Init::kHeNormal:
        stddev = std::sqrt(2.0 / fan_in);
        break;
      case Init::kXavierUniform:
        uniform = true;
        [[fallthrough]];
      case Init::kXavierNormal:
        stddev = std::sqrt(2.0 / (fan_in + fan_out));
        break;
      case Init::kLecunUniform:
        uniform = true;
        [[fallthrough]];
      case Init::kLecunNormal:
        stddev = std::sqrt(1.0 / fan_in);
        break;
    }
    detail::Random random(detail::derive_seed(seed, kInitStream, l));
    const double bound = std::sqrt(3.0) * stddev;  // U(-a, a) has variance a^2 / 3
    for (float& w : layer.weight) {
      w = static_cast<float>(uniform ? (2 * random.uniform() - 1) * bound
                                     : random.normal() * stddev);
    }
    layers_.push_back(std::move(layer));
  }
  z_.resize(layers_.size());
  a_.resize(layers_.size());
  derivative_.resize(layers_.size());
  mask_.resize(layers_.size());
}

bool Network::bounded() const noexcept {
  const Properties& properties = activation_.info().properties;
  return properties.bounded_below && properties.bounded_above;
}

void Network::resize(std::size_t rows) {
  if (rows == rows_) return;
  rows_ = rows;
  std::size_t widest = 0;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const std::size_t size = rows * layers_[l].outputs;
    z_[l].resize(size);
    widest = std::max(widest, layers_[l].outputs);
    if (l + 1 < layers_.size()) {
      a_[l].resize(size);
      derivative_[l].resize(size);
      if (config_.dropout > 0) mask_[l].resize(size);
    }
  }
  delta_.resize(rows * widest);
  delta_next_.resize(rows * widest);
  loss_grad_.resize(rows * config_.classes);
}

void Network::forward(std::span<const float> x, std::size_t rows, bool training,
                      std::uint64_t dropout_seed) {
  if (x.size() != rows * config_.inputs) {
    throw Error("the batch holds " + std::to_string(x.size()) + " values, not " +
                std::to_string(rows) + " rows of " + std::to_string(config_.inputs));
  }
  resize(rows);
  const int n = static_cast<int>(rows);
  const float* input = x.data();
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const Dense& layer = layers_[l];
    float* z = z_[l].data();
    for (std::size_t r = 0; r < rows; ++r) {
      std::copy(layer.bias.begin(), layer.bias.end(), z + r * layer.outputs);
    }
    const int in = static_cast<int>(layer.inputs);
    const int out = static_cast<int>(layer.outputs);
    // z = x W^T + b, with b already in z.
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, out, in, 1.0f, input, in,
                layer.weight.data(), in, 1.0f, z, out);
    if (l + 1 == layers_.size()) break;
    activation_.forward(z_[l], a_[l]);
    if (training && config_.dropout > 0) {
      dropout(a_[l], a_[l], mask_[l], config_.dropout, detail::derive_seed(dropout_seed, l));
    }
    input = a_[l].data();
  }
}

std::span<const float> Network::predict(std::span<const float> x, std::size_t rows) {
  forward(x, rows, /*training=*/false, 0);
  return z_.back();
}

double Network::train_batch(std::span<const float> x, std::span<const std::int32_t> labels,
                            std::uint64_t dropout_seed, std::size_t& errors,
                            BatchDiagnostics* diagnostics) {
  const std::size_t rows = labels.size();
  forward(x, rows, /*training=*/true, dropout_seed);
  const std::size_t classes = config_.classes;
  const std::array<std::size_t, 2> shape = {rows, classes};
  float loss = 0;
  std::span<float> delta(delta_.data(), rows * classes);
  sparse_softmax_cross_entropy_with_logits(labels, z_.back(), std::span<float>(&loss, 1), delta,
                                           shape, -1, Reduction::kMean);
  for (std::size_t r = 0; r < rows; ++r) {
    if (argmax(&z_.back()[r * classes], classes) != static_cast<std::size_t>(labels[r])) ++errors;
  }
  const std::size_t hidden = layers_.size() - 1;
  if (diagnostics != nullptr) {
    diagnostics->alive.resize(hidden);
    diagnostics->weight_grad_norm.assign(hidden, 0.0);
    diagnostics->saturated.assign(hidden, 0);
  }
  const int n = static_cast<int>(rows);
  const float saturation = static_cast<float>(1e-3 * max_derivative_);
  for (std::size_t l = layers_.size(); l-- > 0;) {
    Dense& layer = layers_[l];
    const int in = static_cast<int>(layer.inputs);
    const int out = static_cast<int>(layer.outputs);
    const float* input = l == 0 ? x.data() : a_[l - 1].data();
    // dW = delta^T x; db = the column sums of delta.
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, out, in, n, 1.0f, delta_.data(), out,
                input, in, 0.0f, layer.weight_grad.data(), in);
    std::fill(layer.bias_grad.begin(), layer.bias_grad.end(), 0.0f);
    for (std::size_t r = 0; r < rows; ++r) {
      const float* row = &delta_[r * layer.outputs];
      for (std::size_t j = 0; j < layer.outputs; ++j) layer.bias_grad[j] += row[j];
    }
    if (diagnostics != nullptr && l < hidden) {
      double sum = 0;
      for (const float g : layer.weight_grad) sum += static_cast<double>(g) * g;
      diagnostics->weight_grad_norm[l] = std::sqrt(sum);
    }
    if (l == 0) break;  // the inputs need no gradient
    // The gradient at the previous layer's output, then through its dropout and activation.
    const std::size_t size = rows * layer.inputs;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, in, out, 1.0f, delta_.data(), out,
                layer.weight.data(), in, 0.0f, delta_next_.data(), in);
    std::span<float> upstream(delta_next_.data(), size);
    if (config_.dropout > 0) dropout_backward(mask_[l - 1], upstream, upstream, config_.dropout);
    std::vector<float>& derivative = derivative_[l - 1];
    activation_.derivative(z_[l - 1], derivative);
    for (std::size_t i = 0; i < size; ++i) upstream[i] *= derivative[i];
    if (diagnostics != nullptr) {
      std::vector<std::uint8_t>& alive = diagnostics->alive[l - 1];
      alive.assign(layer.inputs, 0);
      std::uint64_t saturated = 0;
      for (std::size_t r = 0; r < rows; ++r) {
        const float* row = &derivative[r * layer.inputs];
        for (std::size_t j = 0; j < layer.inputs; ++j) {
          alive[j] |= static_cast<std::uint8_t>(row[j] != 0.0f);
          saturated += static_cast<std::uint64_t>(std::abs(row[j]) < saturation);
        }
      }
      diagnostics->saturated[l - 1] = saturated;
    }
    delta_.swap(delta_next_);
  }
  return loss;
}

double accuracy(Network& network, const Dataset& data) {
  constexpr std::size_t kChunk = 1000;
  const std::size_t features = network.config().inputs;
  const std::size_t classes = network.config().classes;
  if (data.features != features) {
    throw Error("the data has " + std::to_string(data.features) + " features; the network takes " +
                std::to_string(features));
  }
  if (data.size() == 0) return 0;
  std::size_t correct = 0;
  for (std::size_t begin = 0; begin < data.size(); begin += kChunk) {
    const std::size_t rows = std::min(kChunk, data.size() - begin);
    const std::span<const float> logits = network.predict(
        std::span<const float>(data.images).subspan(begin * features, rows * features), rows);
    for (std::size_t r = 0; r < rows; ++r) {
      if (argmax(&logits[r * classes], classes) ==
          static_cast<std::size_t>(data.labels[begin + r])) {
        ++correct;
      }
    }
  }
  return static_cast<double>(correct) / static_cast<double>(data.size());
}

void set_training_threads(int threads) {
  set_num_threads(threads);
  openblas_set_num_threads(threads > 0 ? threads : num_threads());
}

}  // namespace sigma::nn
