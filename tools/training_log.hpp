// The log of a training run that compares activations (issue 7's trainer writes it): one JSON
// object per line and epoch, read by sigma report.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace sigma::cli {

struct EpochRecord {
  std::string act;         // the activation's spec
  std::uint64_t seed = 0;  // runs of one activation from several seeds are averaged
  double learning_rate = std::numeric_limits<double>::quiet_NaN();  // NaN: not logged
  int epoch = 0;                                                    // from 1
  // NaN where the run diverged (sigma train logs non-finite values as null).
  double train_loss = 0;
  double train_error = 0;    // share of misclassified training examples
  double test_accuracy = 0;  // share of correctly classified test examples
  double seconds = 0;        // time of this epoch
  // Per hidden layer, first to last (NaN where diverged): the share of units that got no
  // gradient all epoch, the L2 norm of the weight gradient, and for a bounded activation (else
  // empty) the share of unit-example pairs with |f'| < 1e-3 max|f'|.
  std::vector<double> dead_fraction;
  std::vector<double> grad_norm;
  std::vector<double> saturated_fraction;
};

// The records of `path`, in file order; blank lines are skipped. lr and saturated_fraction may
// be absent; every other field above must be there, as sigma train writes it. Throws sigma::Error
// naming the file, line and field of anything that is not such a record.
std::vector<EpochRecord> ReadTrainingLog(const std::string& path);

}  // namespace sigma::cli
