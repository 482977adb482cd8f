#include "bench_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sigma/sigma.hpp>

#include "distribution_text.hpp"
#include "measure.hpp"

namespace sigma::cli {
namespace {

// Bytes moved per element: forward reads x and writes y; backward reads x and dy, writes dx.
constexpr double kForwardBytes = 2 * sizeof(float);
constexpr double kBackwardBytes = 3 * sizeof(float);

const std::vector<std::string> kDefaultSpecs = {"sigmoid",    "tanh",     "gelu", "silu",
                                                "elu",        "softplus", "mish", "relu",
                                                "leaky_relu", "hardswish"};

constexpr int kNameWidth = 28;
constexpr int kGbWidth = 7;

// The text table's columns of rates: one per distribution, then the slowest of them where there
// are several, then GB/s at the slowest rate; once for forward and once for backward.
class Table {
 public:
  explicit Table(const std::vector<InputDistribution>& distributions) {
    for (const InputDistribution& d : distributions) {
      labels_.push_back(DistributionLabel(d));
      widths_.push_back(std::max<int>(7, static_cast<int>(labels_.back().size())) + 1);
    }
    if (labels_.size() > 1) {
      labels_.push_back("slowest");
      widths_.push_back(8);
    }
    labels_.push_back("GB/s");
    widths_.push_back(kGbWidth);
  }

  std::string Heading() const {
    int block = 0;
    for (int w : widths_) block += w;
    std::string heading =
        fmt::format("{:<{}} {:<{}}  {}\n", "", kNameWidth, "forward", block - 1, "backward");
    heading += fmt::format("{:<{}}", "function", kNameWidth);
    for (int pass = 0; pass < 2; ++pass) {
      heading += pass == 0 ? "" : " ";
      for (std::size_t i = 0; i < labels_.size(); ++i) {
        heading += fmt::format("{:>{}}", labels_[i], widths_[i]);
      }
    }
    return heading + '\n';
  }

  // One function's row; `each` has a rate per distribution.
  std::string Row(const std::string& name, const Speeds& speeds) const {
    std::string row = fmt::format("{:<{}}", name, kNameWidth);
    for (int pass = 0; pass < 2; ++pass) {
      const bool forward = pass == 0;
      row += forward ? "" : " ";
      std::size_t column = 0;
      for (const SpeedResult& r : speeds.each) {
        row += fmt::format("{:>{}.2f}", forward ? r.forward : r.backward, widths_[column++]);
      }
      const double slowest = forward ? speeds.slowest.forward : speeds.slowest.backward;
      if (speeds.each.size() > 1) row += fmt::format("{:>{}.2f}", slowest, widths_[column++]);
      row += fmt::format("{:>{}.1f}", slowest * (forward ? kForwardBytes : kBackwardBytes),
                         widths_[column]);
    }
    return row + '\n';
  }

  // memcpy's rate, under the forward block's last rate column (it does not depend on the values).
  std::string CopyRow(double copy) const {
    int before = 0;
    for (std::size_t i = 0; i + 2 < widths_.size(); ++i) before += widths_[i];
    return fmt::format("{:<{}}{:{}}{:>{}.2f}{:>{}.1f}\n", "(memcpy)", kNameWidth, "", before, copy,
                       widths_[widths_.size() - 2], copy * kForwardBytes, kGbWidth);
  }

 private:
  std::vector<std::string> labels_;
  std::vector<int> widths_;
};

}  // namespace

void RunBench(const BenchOptions& options, std::ostream& out) {
  if (options.elements == 0) throw Error("bench: --elements must be positive");
  if (options.distributions.empty()) throw Error("bench: --dist needs a distribution");
  std::vector<InputDistribution> distributions;
  for (const std::string& text : options.distributions) {
    distributions.push_back(ParseDistribution(text));
  }
  const std::vector<std::string>& specs = options.specs.empty() ? kDefaultSpecs : options.specs;
  std::vector<Activation> acts;
  for (const std::string& spec : specs) acts.push_back(Activation::parse(spec));

  set_num_threads(options.threads);
  const SpeedInputs inputs = DrawSpeedInputs(distributions, options.elements);
  const double copy = MeasureCopy(options.elements, options.runs);
  nlohmann::ordered_json names = nlohmann::ordered_json::array();
  for (const InputDistribution& d : distributions) names.push_back(DistributionName(d));
  nlohmann::ordered_json json = {{"elements", options.elements},
                                 {"threads", options.threads},
                                 {"runs", options.runs},
                                 {"distributions", names},
                                 {"dy_distribution", DistributionName(kGradientDistribution)},
                                 {"copy_gelem_per_s", copy},
                                 {"copy_gb_per_s", copy * kForwardBytes},
                                 {"functions", nlohmann::ordered_json::array()}};
  const Table table(distributions);
  if (!options.json) {
    out << fmt::format("{} float32 elements, {} thread(s), median of {} runs, Gelem/s\n",
                       options.elements, options.threads, options.runs);
    out << fmt::format("x from {}{}, dy from {}{}\n", DistributionLabels(distributions),
                       distributions.size() > 1 ? " in turn" : "",
                       DistributionLabel(kGradientDistribution),
                       distributions.size() > 1 ? "; GB/s at the slowest of them" : "");
    out << table.Heading() << table.CopyRow(copy);
  }
  for (const Activation& act : acts) {
    const Speeds speeds = MeasureSpeed(act, inputs, options.runs);
    if (options.json) {
      nlohmann::ordered_json each = nlohmann::ordered_json::array();
      for (std::size_t i = 0; i < distributions.size(); ++i) {
        each.push_back({{"distribution", names[i]},
                        {"forward_gelem_per_s", speeds.each[i].forward},
                        {"backward_gelem_per_s", speeds.each[i].backward}});
      }
      const SpeedResult& slowest = speeds.slowest;
      json["functions"].push_back({{"spec", act.spec()},
                                   {"forward_gelem_per_s", slowest.forward},
                                   {"forward_gb_per_s", slowest.forward * kForwardBytes},
                                   {"backward_gelem_per_s", slowest.backward},
                                   {"backward_gb_per_s", slowest.backward * kBackwardBytes},
                                   {"by_distribution", each}});
    } else {
      out << table.Row(act.spec(), speeds);
    }
  }
  if (options.json) out << json.dump(2) << '\n';
}

}  // namespace sigma::cli
