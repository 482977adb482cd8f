#include "training_log.hpp"

#include <fmt/format.h>

#include <climits>
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sigma/error.hpp>

namespace sigma::cli {
namespace {

// One line of the log, for messages that name the file, the line and the field.
class Line {
 public:
  Line(const std::string& path, int number, const nlohmann::json& json)
      : path_(path), number_(number), json_(json) {}

  [[noreturn]] void Fail(const std::string& what) const {
    throw Error(fmt::format("training log '{}' line {}: {}", path_, number_, what));
  }

  const nlohmann::json& Field(const char* name) const {
    const auto it = json_.find(name);
    if (it == json_.end()) Fail(fmt::format("no \"{}\"", name));
    return *it;
  }

  std::string Text(const char* name) const {
    const nlohmann::json& value = Field(name);
    if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
      Fail(fmt::format("\"{}\" must be a non-empty string, not {}", name, Shown(value)));
    }
    return value.get<std::string>();
  }

  // A whole number in [1, INT_MAX]: 1e10 or 4294967297 are refused, not wrapped.
  int Count(const char* name) const {
    const nlohmann::json& value = Field(name);
    const bool whole =
        value.is_number_unsigned() || (value.is_number_integer() && value.get<std::int64_t>() >= 0);
    if (!whole || value.get<std::uint64_t>() < 1 || value.get<std::uint64_t>() > INT_MAX) {
      Fail(fmt::format("\"{}\" must be a whole number from 1 to {}, not {}", name, INT_MAX,
                       Shown(value)));
    }
    return static_cast<int>(value.get<std::uint64_t>());
  }

  // A whole number from 0, such as a seed.
  std::uint64_t Natural(const char* name) const {
    const nlohmann::json& value = Field(name);
    if (!value.is_number_unsigned() &&
        !(value.is_number_integer() && value.get<std::int64_t>() >= 0)) {
      Fail(fmt::format("\"{}\" must be a whole number from 0, not {}", name, Shown(value)));
    }
    return value.get<std::uint64_t>();
  }

  // A number; null, which sigma train writes for NaN and the infinities, reads as NaN.
  double Number(const char* name) const { return NumberIn(name, Field(name), "be a number"); }

  // Number(name), or NaN where the field is absent.
  double OptionalNumber(const char* name) const {
    return json_.contains(name) ? Number(name) : std::numeric_limits<double>::quiet_NaN();
  }

  // A non-empty array of such numbers, one per hidden layer.
  std::vector<double> Numbers(const char* name) const {
    const nlohmann::json& value = Field(name);
    if (!value.is_array() || value.empty()) {
      Fail(fmt::format("\"{}\" must be an array of numbers, one per hidden layer, not {}", name,
                       Shown(value)));
    }
    std::vector<double> numbers;
    for (const nlohmann::json& item : value) {
      numbers.push_back(NumberIn(name, item, "hold numbers"));
    }
    return numbers;
  }

  // Numbers(name), or nothing where the field is absent.
  std::vector<double> OptionalNumbers(const char* name) const {
    return json_.contains(name) ? Numbers(name) : std::vector<double>{};
  }

 private:
  double NumberIn(const char* name, const nlohmann::json& value, const char* must) const {
    if (value.is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (!value.is_number()) Fail(fmt::format("\"{}\" must {}, not {}", name, must, Shown(value)));
    return value.get<double>();
  }

  static std::string Shown(const nlohmann::json& value) {
    std::string text = value.dump();
    if (text.size() > 40) text = text.substr(0, 37) + "...";
    return text;
  }

  const std::string& path_;
  int number_;
  const nlohmann::json& json_;
};

}  // namespace

std::vector<EpochRecord> ReadTrainingLog(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(fmt::format("cannot read the training log '{}'", path));
  std::vector<EpochRecord> records;
  std::string text;
  for (int number = 1; std::getline(in, text); ++number) {
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    const Line line(path, number, json);
    if (json.is_discarded()) line.Fail("not valid JSON");
    if (!json.is_object()) line.Fail("not a JSON object");
    records.push_back({line.Text("act"), line.Natural("seed"), line.OptionalNumber("lr"),
                       line.Count("epoch"), line.Number("train_loss"), line.Number("train_error"),
                       line.Number("test_accuracy"), line.Number("seconds"),
                       line.Numbers("dead_fraction"), line.Numbers("grad_norm"),
                       line.OptionalNumbers("saturated_fraction")});
    const EpochRecord& record = records.back();
    const std::size_t layers = record.dead_fraction.size();
    if (record.grad_norm.size() != layers ||
        (!record.saturated_fraction.empty() && record.saturated_fraction.size() != layers)) {
      line.Fail(fmt::format(
          "\"dead_fraction\", \"grad_norm\" and \"saturated_fraction\" must have one entry per "
          "hidden layer each ({}, {} and {} here)",
          layers, record.grad_norm.size(), record.saturated_fraction.size()));
    }
  }
  if (in.bad()) throw Error(fmt::format("cannot read the training log '{}'", path));
  return records;
}

}  // namespace sigma::cli
