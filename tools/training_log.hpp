// The log of a training run that compares activations (issue 7's trainer writes it): one JSON
// object per line and epoch, read by sigma report.
#pragma once

#include <string>
#include <vector>

namespace sigma::cli {

struct EpochRecord {
  std::string act;  // the activation's spec
  int epoch = 0;    // from 1
  // NaN where the run diverged (sigma train logs non-finite values as null).
  double train_loss = 0;
  double train_error = 0;    // share of misclassified training examples
  double test_accuracy = 0;  // share of correctly classified test examples
  double seconds = 0;        // time of this epoch
};

// The records of `path`, in file order; blank lines are skipped. Throws sigma::Error naming the
// file, line and field of anything that is not such a record.
std::vector<EpochRecord> ReadTrainingLog(const std::string& path);

}  // namespace sigma::cli
