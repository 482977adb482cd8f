// SGD (momentum, Nesterov, weight decay) and Adam/AdamW with PyTorch's update rules.
#include <cmath>
#include <sigma/error.hpp>
#include <sigma/nn.hpp>
#include <string>

namespace sigma::nn {
namespace {

// The parameter arrays of a network in checkpoint order: each layer's weight, then its bias.
template <typename Fn>
void for_each_parameter(Network& network, Fn&& fn) {
  for (Dense& layer : network.layers()) {
    fn(layer.weight, layer.weight_grad);
    fn(layer.bias, layer.bias_grad);
  }
}

}  // namespace

OptimizerKind parse_optimizer(std::string_view name) {
  if (name == "sgd") return OptimizerKind::kSgd;
  if (name == "adam") return OptimizerKind::kAdam;
  if (name == "adamw") return OptimizerKind::kAdamW;
  throw Error("unknown optimizer '" + std::string(name) + "'; use sgd, adam or adamw");
}

std::string_view optimizer_name(OptimizerKind kind) {
  switch (kind) {
    case OptimizerKind::kSgd:
      return "sgd";
    case OptimizerKind::kAdam:
      return "adam";
    case OptimizerKind::kAdamW:
      return "adamw";
  }
  return "sgd";
}

void check_optimizer_config(const OptimizerConfig& config) {
  if (!(config.learning_rate > 0) || !std::isfinite(config.learning_rate)) {
    throw Error("the learning rate must be positive and finite");
  }
  if (!(config.momentum >= 0 && config.momentum < 1)) {
    throw Error("the momentum must be in [0, 1)");
  }
  if (config.nesterov && config.momentum == 0) throw Error("Nesterov momentum needs a momentum");
  if (!(config.weight_decay >= 0) || !std::isfinite(config.weight_decay)) {
    throw Error("the weight decay must be non-negative and finite");
  }
  if (!(config.beta1 >= 0 && config.beta1 < 1 && config.beta2 >= 0 && config.beta2 < 1)) {
    throw Error("Adam's betas must be in [0, 1)");
  }
  if (!(config.epsilon > 0 && std::isfinite(config.epsilon))) {
    throw Error("Adam's epsilon must be positive and finite");
  }
}

Optimizer::Optimizer(const OptimizerConfig& config, const Network& network) : config_(config) {
  check_optimizer_config(config);
  const std::size_t per_array = config.kind == OptimizerKind::kSgd ? 1 : 2;
  for (const Dense& layer : network.layers()) {
    for (std::size_t k = 0; k < per_array; ++k) slots_.emplace_back(layer.weight.size(), 0.0f);
    for (std::size_t k = 0; k < per_array; ++k) slots_.emplace_back(layer.bias.size(), 0.0f);
  }
}

void Optimizer::step(Network& network) {
  ++steps_;
  const float lr = static_cast<float>(config_.learning_rate);
  const float decay = static_cast<float>(config_.weight_decay);
  std::size_t slot = 0;
  if (config_.kind == OptimizerKind::kSgd) {
    const float momentum = static_cast<float>(config_.momentum);
    const bool nesterov = config_.nesterov;
    for_each_parameter(network, [&](std::vector<float>& w, const std::vector<float>& grad) {
      std::vector<float>& v = slots_[slot++];
      for (std::size_t i = 0; i < w.size(); ++i) {
        const float g = grad[i] + decay * w[i];
        v[i] = momentum * v[i] + g;
        w[i] -= lr * (nesterov ? g + momentum * v[i] : v[i]);
      }
    });
    return;
  }
  const double t = static_cast<double>(steps_);
  const float beta1 = static_cast<float>(config_.beta1);
  const float beta2 = static_cast<float>(config_.beta2);
  const float step_size =
      static_cast<float>(config_.learning_rate / (1 - std::pow(config_.beta1, t)));
  const float root_correction2 = static_cast<float>(std::sqrt(1 - std::pow(config_.beta2, t)));
  const float epsilon = static_cast<float>(config_.epsilon);
  const bool decoupled = config_.kind == OptimizerKind::kAdamW;
  for_each_parameter(network, [&](std::vector<float>& w, const std::vector<float>& grad) {
    std::vector<float>& m = slots_[slot++];
    std::vector<float>& v = slots_[slot++];
    for (std::size_t i = 0; i < w.size(); ++i) {
      float g = grad[i];
      if (decoupled) {
        w[i] -= lr * decay * w[i];
      } else {
        g += decay * w[i];
      }
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      w[i] -= step_size * m[i] / (std::sqrt(v[i]) / root_correction2 + epsilon);
    }
  });
}

}  // namespace sigma::nn
