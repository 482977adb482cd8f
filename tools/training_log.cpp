#include "training_log.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sigma/error.hpp>

namespace sigma::cli {

std::vector<EpochRecord> ReadTrainingLog(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(fmt::format("cannot read the training log '{}'", path));
  std::vector<EpochRecord> records;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      const nlohmann::json json = nlohmann::json::parse(line);
      records.push_back({json.at("act").get<std::string>(), json.at("epoch").get<int>(),
                         json.at("train_loss").get<double>(), json.at("train_error").get<double>(),
                         json.at("test_accuracy").get<double>(), json.at("seconds").get<double>()});
    } catch (const nlohmann::json::exception& e) {
      throw Error(fmt::format("training log '{}' line {}: {}", path, number, e.what()));
    }
  }
  if (in.bad()) throw Error(fmt::format("cannot read the training log '{}'", path));
  return records;
}

}  // namespace sigma::cli
