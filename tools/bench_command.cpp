#include "bench_command.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <sigma/sigma.hpp>

#include "measure.hpp"

namespace sigma::cli {
namespace {

// Bytes moved per element: forward reads x and writes y; backward reads x and dy, writes dx.
constexpr double kForwardBytes = 2 * sizeof(float);
constexpr double kBackwardBytes = 3 * sizeof(float);

const std::vector<std::string> kDefaultSpecs = {"sigmoid",    "tanh",     "gelu", "silu",
                                                "elu",        "softplus", "mish", "relu",
                                                "leaky_relu", "hardswish"};

}  // namespace

void RunBench(const BenchOptions& options, std::ostream& out) {
  if (options.elements == 0) throw Error("bench: --elements must be positive");
  const std::vector<std::string>& specs = options.specs.empty() ? kDefaultSpecs : options.specs;
  std::vector<Activation> acts;
  for (const std::string& spec : specs) acts.push_back(Activation::parse(spec));

  set_num_threads(options.threads);
  const double copy = MeasureCopy(options.elements, options.runs);
  nlohmann::ordered_json json = {{"elements", options.elements},
                                 {"threads", options.threads},
                                 {"copy_gelem_per_s", copy},
                                 {"copy_gb_per_s", copy * kForwardBytes},
                                 {"functions", nlohmann::ordered_json::array()}};
  if (!options.json) {
    out << fmt::format("{} float32 elements, {} thread(s), median of {} runs\n", options.elements,
                       options.threads, options.runs);
    out << fmt::format("{:<28} {:>10} {:>8} {:>10} {:>8}\n", "function", "fwd Gel/s", "GB/s",
                       "bwd Gel/s", "GB/s");
    out << fmt::format("{:<28} {:>10.2f} {:>8.1f}\n", "(memcpy)", copy, copy * kForwardBytes);
  }
  for (const Activation& act : acts) {
    const SpeedResult speed = MeasureSpeed(act, options.elements, options.runs);
    if (options.json) {
      json["functions"].push_back({{"spec", act.spec()},
                                   {"forward_gelem_per_s", speed.forward},
                                   {"forward_gb_per_s", speed.forward * kForwardBytes},
                                   {"backward_gelem_per_s", speed.backward},
                                   {"backward_gb_per_s", speed.backward * kBackwardBytes}});
    } else {
      out << fmt::format("{:<28} {:>10.2f} {:>8.1f} {:>10.2f} {:>8.1f}\n", act.spec(),
                         speed.forward, speed.forward * kForwardBytes, speed.backward,
                         speed.backward * kBackwardBytes);
    }
  }
  if (options.json) out << json.dump(2) << '\n';
}

}  // namespace sigma::cli
