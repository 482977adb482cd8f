#include "distribution_text.hpp"

#include <fmt/format.h>

#include <sigma/error.hpp>

#include "numbers.hpp"

namespace sigma::cli {
namespace {

constexpr char kForms[] = "normal:S (S > 0) or uniform:A:B (A < B)";

// The fields of `text` between colons.
std::vector<std::string_view> Split(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  for (std::size_t colon; (colon = text.find(':', start)) != std::string_view::npos;) {
    fields.push_back(text.substr(start, colon - start));
    start = colon + 1;
  }
  fields.push_back(text.substr(start));
  return fields;
}

// A finite float, or an Error that names the field and the whole distribution.
double ReadNumber(std::string_view text, std::string_view field, std::string_view what) {
  float value = 0;
  if (ParseNumber(field, value) != NumberStatus::kOk || !std::isfinite(value)) {
    throw Error(
        fmt::format("--dist '{}': {} '{}' is not a finite float32 number", text, what, field));
  }
  return value;
}

}  // namespace

InputDistribution ParseDistribution(std::string_view text) {
  const std::vector<std::string_view> fields = Split(text);
  InputDistribution d;
  if (fields[0] == "normal" && fields.size() == 2) {
    d.kind = InputDistribution::Kind::kNormal;
    d.a = ReadNumber(text, fields[1], "the standard deviation");
    if (!(d.a > 0)) {
      throw Error(fmt::format("--dist '{}': the standard deviation must be positive", text));
    }
  } else if (fields[0] == "uniform" && fields.size() == 3) {
    d.kind = InputDistribution::Kind::kUniform;
    d.a = ReadNumber(text, fields[1], "the lower end");
    d.b = ReadNumber(text, fields[2], "the upper end");
    if (!(d.a < d.b)) {
      throw Error(fmt::format("--dist '{}': the lower end must be below the upper end", text));
    }
  } else {
    throw Error(fmt::format("--dist '{}' is not {}, e.g. normal:4 or uniform:-8:8", text, kForms));
  }
  return d;
}

std::string DistributionName(const InputDistribution& d) {
  const auto number = [](double v) { return FormatNumber(static_cast<float>(v)); };
  if (d.kind == InputDistribution::Kind::kNormal) return "normal:" + number(d.a);
  return "uniform:" + number(d.a) + ":" + number(d.b);
}

std::string DistributionLabel(const InputDistribution& d) {
  const auto number = [](double v) { return FormatNumber(static_cast<float>(v)); };
  if (d.kind == InputDistribution::Kind::kNormal) return "N(0," + number(d.a) + ")";
  return "U(" + number(d.a) + "," + number(d.b) + ")";
}

std::string DistributionLabels(const std::vector<InputDistribution>& distributions) {
  std::string text;
  for (std::size_t i = 0; i < distributions.size(); ++i) {
    text += (i == 0                          ? ""
             : i + 1 == distributions.size() ? " and "
                                             : ", ") +
            DistributionLabel(distributions[i]);
  }
  return text;
}

}  // namespace sigma::cli
