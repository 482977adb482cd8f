#include "bench_command.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <nlohmann/json.hpp>
#include <sigma/sigma.hpp>

#include "distribution_text.hpp"
#include "measure.hpp"
#include "option_checks.hpp"

namespace sigma::cli {
namespace {

// Bytes moved per element: forward reads x and writes y; backward reads x and dy, writes dx.
struct Traffic {
  double forward, backward;
  explicit Traffic(std::size_t element_bytes)
      : forward(2.0 * static_cast<double>(element_bytes)),
        backward(3.0 * static_cast<double>(element_bytes)) {}
};

const std::vector<std::string> kDefaultSpecs = {"sigmoid",    "tanh",     "gelu", "silu",
                                                "elu",        "softplus", "mish", "relu",
                                                "leaky_relu", "hardswish"};

constexpr int kNameWidth = 28;
constexpr int kGbWidth = 7;

// The text table's columns of rates: one per distribution, then the slowest of them where there
// are several, then GB/s at the slowest rate; once for forward and once for backward.
class Table {
 public:
  Table(const std::vector<InputDistribution>& distributions, Traffic traffic) : traffic_(traffic) {
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
      row += fmt::format("{:>{}.1f}", slowest * (forward ? traffic_.forward : traffic_.backward),
                         widths_[column]);
    }
    return row + '\n';
  }

  // memcpy's rate, under the forward block's last rate column (it does not depend on the values).
  std::string CopyRow(double copy) const {
    int before = 0;
    for (std::size_t i = 0; i + 2 < widths_.size(); ++i) before += widths_[i];
    return fmt::format("{:<{}}{:{}}{:>{}.2f}{:>{}.1f}\n", "(memcpy)", kNameWidth, "", before, copy,
                       widths_[widths_.size() - 2], copy * traffic_.forward, kGbWidth);
  }

 private:
  Traffic traffic_;
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
  const std::size_t element_bytes = options.dtype == "f32" ? sizeof(float) : 2;
  const Traffic traffic(element_bytes);
  const SpeedInputs inputs = DrawSpeedInputs(distributions, options.elements);
  const double copy = MeasureCopy(options.elements, options.runs, element_bytes);
  nlohmann::ordered_json names = nlohmann::ordered_json::array();
  for (const InputDistribution& d : distributions) names.push_back(DistributionName(d));
  nlohmann::ordered_json json = {{"elements", options.elements},
                                 {"threads", options.threads},
                                 {"runs", options.runs},
                                 {"dtype", options.dtype},
                                 {"distributions", names},
                                 {"dy_distribution", DistributionName(kGradientDistribution)},
                                 {"copy_gelem_per_s", copy},
                                 {"copy_gb_per_s", copy * traffic.forward},
                                 {"functions", nlohmann::ordered_json::array()}};
  const Table table(distributions, traffic);
  if (!options.json) {
    out << fmt::format("{} {} elements, {} thread(s), median of {} runs, Gelem/s\n",
                       options.elements, options.dtype == "f32" ? "float32" : options.dtype,
                       options.threads, options.runs);
    out << fmt::format("x from {}{}, dy from {}{}\n", DistributionLabels(distributions),
                       distributions.size() > 1 ? " in turn" : "",
                       DistributionLabel(kGradientDistribution),
                       distributions.size() > 1 ? "; GB/s at the slowest of them" : "");
    out << table.Heading() << table.CopyRow(copy);
  }
  for (const Activation& act : acts) {
    const Speeds speeds = MeasureSpeed(act, inputs, options.runs, options.dtype);
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
                                   {"forward_gb_per_s", slowest.forward * traffic.forward},
                                   {"backward_gelem_per_s", slowest.backward},
                                   {"backward_gb_per_s", slowest.backward * traffic.backward},
                                   {"by_distribution", each}});
    } else {
      out << table.Row(act.spec(), speeds);
    }
  }
  if (options.json) out << json.dump(2) << '\n';
}

CLI::App* AddBench(CLI::App& app, BenchOptions& options) {
  CLI::App* bench = app.add_subcommand("bench", "Measure activation throughput on this machine");
  bench->add_option("SPEC", options.specs, "The functions (default: ten the tutorials compare)")
      ->type_name("");
  bench->add_option("--elements", options.elements, "Array length")
      ->check(NotNegative())
      ->check(CLI::Range(std::size_t{0}, std::size_t{1} << 32))
      ->capture_default_str();
  bench->add_option("--threads", options.threads, "Threads")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  bench->add_option("--runs", options.runs, "Timed runs per measurement (the median is shown)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  bench
      ->add_option("--dist", options.distributions,
                   "Draw x from normal:S (N(0, S), S > 0) or uniform:A:B (A < B); repeat it, or "
                   "separate by commas, to time each")
      ->type_name("DIST")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->capture_default_str();
  bench->add_option("--dtype", options.dtype, "Element type: f32, bf16 or f16")
      ->check(CLI::IsMember({"f32", "bf16", "f16"}))
      ->capture_default_str();
  bench->add_flag("--json", options.json, "Print JSON");
  bench->footer(
      "Gelem/s is elements per second; GB/s counts the bytes read and written (8 per float32 "
      "element forward, 12 backward; half that in bf16 and f16). Each function is timed with x "
      "from each distribution (the "
      "same draws for every function) and dy from N(0, 1); the slowest rate is the one that "
      "counts, and with --json forward_gelem_per_s and backward_gelem_per_s are that, "
      "by_distribution the rest. For the comparison with oneDNN and XNNPACK, see "
      "build/bench/activation_bench and bench/compare_activations.py.");
  return bench;
}

}  // namespace sigma::cli
