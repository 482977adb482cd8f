// sigma::nn: whole-network gradients against finite differences, XOR, the optimizers, the model
// file, and a resumed run against an uninterrupted one.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sigma/error.hpp>
#include <sigma/nn.hpp>
#include <string>
#include <vector>

namespace {

using sigma::nn::Dataset;
using sigma::nn::Network;
using sigma::nn::NetworkConfig;
using sigma::nn::TrainConfig;
using sigma::nn::Trainer;

// A few random examples for a small network.
Dataset SmallData(std::size_t rows, std::size_t features, std::size_t classes) {
  Dataset data;
  data.features = features;
  data.classes = classes;
  std::uint32_t state = 12345;
  auto next = [&state] {
    state = state * 1664525u + 1013904223u;
    return static_cast<float>(state >> 8) * 0x1p-24f;
  };
  for (std::size_t i = 0; i < rows * features; ++i) data.images.push_back(2 * next() - 1);
  for (std::size_t i = 0; i < rows; ++i)
    data.labels.push_back(static_cast<std::int32_t>(i % classes));
  return data;
}

class GradientCheck : public ::testing::TestWithParam<const char*> {};

// Every weight and bias of a 5-4-3-3 network: the backward pass against central differences of
// the loss. The activations are smooth, so that the differences converge.
TEST_P(GradientCheck, MatchesFiniteDifferences) {
  NetworkConfig config;
  config.inputs = 5;
  config.hidden = {4, 3};
  config.classes = 3;
  config.activation = GetParam();
  Network network(config, 3);
  const Dataset data = SmallData(6, 5, 3);
  std::size_t errors = 0;
  network.train_batch(data.images, data.labels, 0, errors);
  std::vector<std::vector<float>> analytic;
  for (const sigma::nn::Dense& layer : network.layers()) {
    analytic.push_back(layer.weight_grad);
    analytic.push_back(layer.bias_grad);
  }
  const float h = 1e-2f;
  std::size_t array = 0;
  std::size_t checked = 0;
  for (sigma::nn::Dense& layer : network.layers()) {
    for (std::vector<float>* values : {&layer.weight, &layer.bias}) {
      for (std::size_t i = 0; i < values->size(); ++i) {
        const float saved = (*values)[i];
        (*values)[i] = saved + h;
        const double up = network.train_batch(data.images, data.labels, 0, errors);
        (*values)[i] = saved - h;
        const double down = network.train_batch(data.images, data.labels, 0, errors);
        (*values)[i] = saved;
        const double numeric = (up - down) / (2 * h);
        EXPECT_NEAR(analytic[array][i], numeric, 5e-4 + 1e-2 * std::abs(numeric))
            << GetParam() << " parameter array " << array << " index " << i;
        ++checked;
      }
      ++array;
    }
  }
  EXPECT_EQ(checked, 5u * 4 + 4 + 4 * 3 + 3 + 3 * 3 + 3);
}

INSTANTIATE_TEST_SUITE_P(Smooth, GradientCheck,
                         ::testing::Values("tanh", "sigmoid", "softplus", "gelu", "elu", "silu"));

TEST(Network, GradientIsNotAllZero) {
  NetworkConfig config;
  config.inputs = 5;
  config.hidden = {4};
  config.classes = 3;
  Network network(config, 1);
  const Dataset data = SmallData(6, 5, 3);
  std::size_t errors = 0;
  network.train_batch(data.images, data.labels, 0, errors);
  const std::vector<float>& grad = network.layers()[0].weight_grad;
  EXPECT_TRUE(std::any_of(grad.begin(), grad.end(), [](float g) { return g != 0; }));
}

// XOR, which no linear model can learn, by a 2-8-2 network with a softmax head.
TEST(Network, LearnsXor) {
  Dataset xor_data;
  xor_data.features = 2;
  xor_data.classes = 2;
  for (int copy = 0; copy < 16; ++copy) {
    for (int a = 0; a < 2; ++a) {
      for (int b = 0; b < 2; ++b) {
        xor_data.images.push_back(static_cast<float>(a));
        xor_data.images.push_back(static_cast<float>(b));
        xor_data.labels.push_back(a ^ b);
      }
    }
  }
  for (const char* act : {"tanh", "relu"}) {
    TrainConfig config;
    config.network.hidden = {8};
    config.network.activation = act;
    config.optimizer.learning_rate = 0.1;
    config.batch_size = 8;
    config.seed = 5;
    Trainer trainer(config, xor_data);
    while (trainer.epoch() < 150) {
      trainer.run_epoch(xor_data);
      trainer.finish_epoch({});
    }
    EXPECT_EQ(sigma::nn::accuracy(trainer.network(), xor_data), 1.0) << act;
  }
}

TEST(Network, RefusesBadConfigurations) {
  NetworkConfig config;
  config.activation = "relux";
  EXPECT_THROW(Network(config, 1), sigma::Error);
  config.activation = "relu";
  config.dropout = 1;
  EXPECT_THROW(Network(config, 1), sigma::Error);
  config.dropout = 0;
  config.hidden = {0};
  EXPECT_THROW(Network(config, 1), sigma::Error);
  EXPECT_THROW(sigma::nn::parse_init("he"), sigma::Error);
  EXPECT_THROW(sigma::nn::parse_optimizer("rmsprop"), sigma::Error);
}

TEST(Network, InitialisersHaveTheirScale) {
  NetworkConfig config;
  config.inputs = 400;
  config.hidden = {200};
  config.classes = 10;
  for (const auto& [init, expected] :
       {std::pair{sigma::nn::Init::kHeNormal, std::sqrt(2.0 / 400)},
        std::pair{sigma::nn::Init::kHeUniform, std::sqrt(2.0 / 400)},
        std::pair{sigma::nn::Init::kXavierNormal, std::sqrt(2.0 / 600)},
        std::pair{sigma::nn::Init::kLecunUniform, std::sqrt(1.0 / 400)}}) {
    config.init = init;
    const Network network(config, 9);
    double sum = 0;
    for (const float w : network.layers()[0].weight) sum += static_cast<double>(w) * w;
    const double stddev = std::sqrt(sum / static_cast<double>(network.layers()[0].weight.size()));
    EXPECT_NEAR(stddev, expected, 0.02 * expected) << sigma::nn::init_name(init);
  }
  config.activation = "tanh";
  config.init = sigma::nn::Init::kAuto;
  EXPECT_EQ(Network(config, 1).config().init, sigma::nn::Init::kXavierNormal);
  config.activation = "relu";
  EXPECT_EQ(Network(config, 1).config().init, sigma::nn::Init::kHeNormal);
}

// One parameter array's update against PyTorch's formulas written out by hand.
TEST(Optimizer, FollowsPyTorchsRules) {
  NetworkConfig config;
  config.inputs = 2;
  config.hidden = {};
  config.classes = 2;
  auto step_twice = [&](const sigma::nn::OptimizerConfig& optimizer_config) {
    Network network(config, 1);
    sigma::nn::Dense& layer = network.layers()[0];
    layer.weight = {1, -2, 0.5f, 0};
    sigma::nn::Optimizer optimizer(optimizer_config, network);
    for (int step = 0; step < 2; ++step) {
      layer.weight_grad = {0.5f, 0.25f, -1, 0};
      std::fill(layer.bias_grad.begin(), layer.bias_grad.end(), 0.0f);
      optimizer.step(network);
    }
    return layer.weight[0];
  };
  sigma::nn::OptimizerConfig sgd;
  sgd.learning_rate = 0.1;
  sgd.momentum = 0.9;
  sgd.weight_decay = 0.01;
  // v1 = g1 = 0.5 + 0.01; w1 = 1 - 0.1 v1; v2 = 0.9 v1 + (0.5 + 0.01 w1); w2 = w1 - 0.1 v2.
  const double w1 = 1 - 0.1 * 0.51;
  const double v2 = 0.9 * 0.51 + 0.5 + 0.01 * w1;
  EXPECT_NEAR(step_twice(sgd), w1 - 0.1 * v2, 1e-6);
  sgd.nesterov = true;
  // Nesterov: w -= lr (g + momentum v).
  const double n1 = 1 - 0.1 * (0.51 + 0.9 * 0.51);
  const double g2 = 0.5 + 0.01 * n1;
  EXPECT_NEAR(step_twice(sgd), n1 - 0.1 * (g2 + 0.9 * (0.9 * 0.51 + g2)), 1e-6);
  sigma::nn::OptimizerConfig adam;
  adam.kind = sigma::nn::OptimizerKind::kAdam;
  adam.learning_rate = 0.01;
  adam.momentum = 0;
  // With a constant gradient the bias-corrected moments are g and g^2: each step is lr sign(g).
  EXPECT_NEAR(step_twice(adam), 1 - 2 * 0.01, 1e-6);
  adam.kind = sigma::nn::OptimizerKind::kAdamW;
  adam.weight_decay = 0.1;
  const double a1 = 1 * (1 - 0.01 * 0.1) - 0.01;
  EXPECT_NEAR(step_twice(adam), a1 * (1 - 0.01 * 0.1) - 0.01, 1e-6);
}

class TrainerFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sigma_nn_test_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::create_directories(dir_);
    data_ = sigma::nn::synthetic_dataset(600, 100, 3);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  static TrainConfig SmallConfig(sigma::nn::OptimizerKind kind) {
    TrainConfig config;
    config.network.hidden = {16, 8};
    config.network.dropout = 0.1;
    config.optimizer.kind = kind;
    config.optimizer.learning_rate = kind == sigma::nn::OptimizerKind::kSgd ? 0.05 : 1e-3;
    config.optimizer.nesterov = kind == sigma::nn::OptimizerKind::kSgd;
    config.optimizer.weight_decay = 1e-4;
    config.batch_size = 64;
    config.seed = 11;
    return config;
  }

  std::filesystem::path dir_;
  sigma::nn::DataSplit data_;
};

void ExpectSameWeights(const Network& a, const Network& b) {
  ASSERT_EQ(a.layers().size(), b.layers().size());
  for (std::size_t l = 0; l < a.layers().size(); ++l) {
    EXPECT_EQ(a.layers()[l].weight, b.layers()[l].weight) << "layer " << l;
    EXPECT_EQ(a.layers()[l].bias, b.layers()[l].bias) << "layer " << l;
  }
}

TEST_F(TrainerFiles, SaveAndLoadRoundTrip) {
  Trainer trainer(SmallConfig(sigma::nn::OptimizerKind::kSgd), data_.train);
  trainer.run_epoch(data_.train);
  trainer.finish_epoch(data_.test);
  trainer.save(Path("model.sgm"));
  trainer.save(Path("model.sgm"));  // over the old one
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename(), "model.sgm") << "a temporary is left behind";
  }
  Network loaded = sigma::nn::load_network(Path("model.sgm"));
  ExpectSameWeights(trainer.network(), loaded);
  EXPECT_EQ(loaded.config().hidden, (std::vector<std::size_t>{16, 8}));
  EXPECT_EQ(loaded.config().activation, "relu");
  EXPECT_EQ(sigma::nn::accuracy(loaded, data_.test),
            sigma::nn::accuracy(trainer.network(), data_.test));
}

TEST_F(TrainerFiles, RefusesCorruptFiles) {
  Trainer trainer(SmallConfig(sigma::nn::OptimizerKind::kAdam), data_.train);
  trainer.save(Path("model.sgm"));
  std::string bytes;
  {
    std::ifstream in(Path("model.sgm"), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  auto expect_refused = [&](const std::string& contents, const std::string& part) {
    std::ofstream(Path("bad.sgm"), std::ios::binary) << contents;
    for (int resume = 0; resume < 2; ++resume) {
      try {
        if (resume) {
          Trainer::resume(Path("bad.sgm"), data_.train);
        } else {
          sigma::nn::load_network(Path("bad.sgm"));
        }
        ADD_FAILURE() << "accepted a file that should fail with " << part;
      } catch (const sigma::Error& e) {
        EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
      }
    }
  };
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x10;
  expect_refused(flipped, "CRC-32");
  expect_refused(bytes.substr(0, bytes.size() - 100), "CRC-32");
  expect_refused("not a model", "not a sigma model file");
  expect_refused("", "not a sigma model file");
  // Sizes in the header that the file cannot hold are refused before anything is allocated:
  // a first hidden layer of 2^40 units (the file's CRC made to match).
  std::string huge = bytes.substr(0, bytes.size() - 4);
  const std::uint64_t units = std::uint64_t{1} << 40;
  huge.replace(8 + 4 + 8 + 8 + 8, 8, reinterpret_cast<const char*>(&units), 8);
  const auto crc = static_cast<std::uint32_t>(
      crc32_z(0, reinterpret_cast<const Bytef*>(huge.data()), huge.size()));
  huge.append(reinterpret_cast<const char*>(&crc), 4);
  expect_refused(huge, "layer sizes declare more weights than the file holds");
  // A model trained on other data cannot continue on this.
  const sigma::nn::DataSplit other = sigma::nn::synthetic_dataset(300, 10, 3);
  EXPECT_THROW(Trainer::resume(Path("model.sgm"), other.train), sigma::Error);
}

TEST_F(TrainerFiles, RefusesWhatIsNotAFile) {
  Trainer trainer(SmallConfig(sigma::nn::OptimizerKind::kSgd), data_.train);
  std::filesystem::create_directory(Path("folder.sgm"));
  EXPECT_THROW(trainer.save(Path("folder.sgm")), sigma::Error);
  try {
    sigma::nn::load_network(Path("folder.sgm"));
    ADD_FAILURE() << "read a folder as a model";
  } catch (const sigma::Error& e) {
    EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
  }
  // A checkpoint's optimizer state is checked as a new run's is.
  trainer.save(Path("model.sgm"));
  std::string bytes;
  {
    std::ifstream in(Path("model.sgm"), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  auto bytes_of = [](double value) {
    return std::string(reinterpret_cast<const char*>(&value), sizeof value);
  };
  const std::size_t at = bytes.find(bytes_of(0.05));  // SmallConfig's SGD rate
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, 8, bytes_of(std::nan("")));
  bytes.resize(bytes.size() - 4);
  const auto crc = static_cast<std::uint32_t>(
      crc32_z(0, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
  bytes.append(reinterpret_cast<const char*>(&crc), 4);
  std::ofstream(Path("nan.sgm"), std::ios::binary) << bytes;
  try {
    Trainer::resume(Path("nan.sgm"), data_.train);
    ADD_FAILURE() << "resumed a checkpoint whose learning rate is NaN";
  } catch (const sigma::Error& e) {
    EXPECT_NE(std::string(e.what()).find("learning rate"), std::string::npos) << e.what();
  }
}

// Stopping after a few batches, saving, and resuming gives the same bits as never stopping.
TEST_F(TrainerFiles, ResumeEqualsUninterruptedRun) {
  for (const auto kind : {sigma::nn::OptimizerKind::kSgd, sigma::nn::OptimizerKind::kAdamW}) {
    const TrainConfig config = SmallConfig(kind);
    Trainer straight(config, data_.train);
    std::vector<sigma::nn::EpochReport> straight_reports;
    while (straight.epoch() < 2) {
      ASSERT_TRUE(straight.run_epoch(data_.train));
      straight_reports.push_back(straight.finish_epoch(data_.test));
    }

    Trainer first(config, data_.train);
    std::atomic<bool> stop{false};
    ASSERT_TRUE(first.run_epoch(data_.train));
    first.finish_epoch(data_.test);
    const bool complete = first.run_epoch(data_.train, &stop, [&](std::size_t done, std::size_t) {
      if (done == 3) stop = true;
    });
    ASSERT_FALSE(complete);
    first.save(Path("checkpoint.sgm"));

    Trainer resumed = Trainer::resume(Path("checkpoint.sgm"), data_.train);
    EXPECT_EQ(resumed.epoch(), 1);
    ASSERT_TRUE(resumed.run_epoch(data_.train));
    const sigma::nn::EpochReport report = resumed.finish_epoch(data_.test);
    ExpectSameWeights(straight.network(), resumed.network());
    EXPECT_EQ(report.train_loss, straight_reports[1].train_loss);
    EXPECT_EQ(report.train_error, straight_reports[1].train_error);
    EXPECT_EQ(report.test_accuracy, straight_reports[1].test_accuracy);
    EXPECT_EQ(report.dead_fraction, straight_reports[1].dead_fraction);
    EXPECT_EQ(report.grad_norm, straight_reports[1].grad_norm);
  }
}

TEST_F(TrainerFiles, ReportsDiagnosticsPerHiddenLayer) {
  TrainConfig config = SmallConfig(sigma::nn::OptimizerKind::kSgd);
  config.network.activation = "sigmoid";
  Trainer trainer(config, data_.train);
  trainer.run_epoch(data_.train);
  const sigma::nn::EpochReport report = trainer.finish_epoch(data_.test);
  EXPECT_EQ(report.act, "sigmoid");
  EXPECT_EQ(report.epoch, 1);
  EXPECT_EQ(report.dead_fraction.size(), 2u);
  EXPECT_EQ(report.grad_norm.size(), 2u);
  EXPECT_EQ(report.saturated_fraction.size(), 2u);  // sigmoid is bounded
  EXPECT_GT(report.grad_norm[0], 0);
  EXPECT_GT(report.samples_per_second, 0);
  EXPECT_GT(report.train_loss, 0);
}

// A ReLU unit whose bias is far below any input never fires: it is dead, and counted so.
TEST_F(TrainerFiles, CountsDeadUnits) {
  TrainConfig config = SmallConfig(sigma::nn::OptimizerKind::kSgd);
  config.network.dropout = 0;
  Trainer trainer(config, data_.train);
  std::vector<float>& bias = trainer.network().layers()[0].bias;
  for (std::size_t j = 0; j < 4; ++j) bias[j] = -1e6f;
  trainer.run_epoch(data_.train);
  const sigma::nn::EpochReport report = trainer.finish_epoch(data_.test);
  EXPECT_GE(report.dead_fraction[0], 4.0 / 16);
  EXPECT_TRUE(report.saturated_fraction.empty());  // relu is unbounded above
}

}  // namespace
