#include "train_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <sigma/error.hpp>
#include <sigma/nn.hpp>

#include "io/safe_file.hpp"
#include "option_checks.hpp"

namespace sigma::cli {
namespace {

// Set by SIGINT and SIGTERM; the training loop reads it after every batch, after each epoch's
// evaluation and after each save.
std::atomic<bool> g_interrupted{false};
std::atomic<int> g_signal{0};  // which one, for the exit status
static_assert(std::atomic<int>::is_always_lock_free, "stored from a signal handler");

extern "C" void OnInterrupt(int signal) {
  g_signal.store(signal);
  g_interrupted.store(true);
}

// Installs the Ctrl-C (and kill's SIGTERM) handler for the life of a training run, then puts the
// old ones back.
class InterruptGuard {
 public:
  InterruptGuard() {
    g_interrupted.store(false);
    g_signal.store(0);
    struct sigaction action = {};
    action.sa_handler = OnInterrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous_interrupt_);
    sigaction(SIGTERM, &action, &previous_terminate_);
  }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  ~InterruptGuard() {
    sigaction(SIGINT, &previous_interrupt_, nullptr);
    sigaction(SIGTERM, &previous_terminate_, nullptr);
  }

 private:
  struct sigaction previous_interrupt_ = {};
  struct sigaction previous_terminate_ = {};
};

// The options a checkpoint fixes: --resume continues with the checkpoint's own.
constexpr std::array<const char*, 12> kCheckpointOptions = {
    "--act", "--hidden",   "--depth",    "--init",         "--dropout", "--optimizer",
    "--lr",  "--momentum", "--nesterov", "--weight-decay", "--batch",   "--seed"};

void CheckResumeOptions(const TrainOptions& options) {
  if (options.resume.empty()) return;
  std::string conflicts;
  for (const char* name : kCheckpointOptions) {
    if (std::find(options.given.begin(), options.given.end(), name) == options.given.end()) {
      continue;
    }
    conflicts += conflicts.empty() ? "" : ", ";
    conflicts += name;
  }
  if (!conflicts.empty()) {
    throw Error(fmt::format(
        "--resume continues with the checkpoint's activation, layers, initialiser, dropout, "
        "optimizer, learning rate, momentum, weight decay, batch size and seed; leave out {}",
        conflicts));
  }
}

std::vector<std::size_t> ParseHidden(const std::string& text) {
  std::vector<std::size_t> sizes;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = std::min(text.find(',', begin), text.size());
    const std::string piece = text.substr(begin, end - begin);
    std::size_t used = 0;
    unsigned long value = 0;
    try {
      value = std::stoul(piece, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (piece.empty() || used != piece.size() || value == 0 || value > 1000000) {
      throw Error(
          fmt::format("--hidden '{}': '{}' is not a layer size (1 to 1000000)", text, piece));
    }
    sizes.push_back(value);
    begin = end + 1;
  }
  return sizes;
}

}  // namespace

std::string FormatHidden(const std::vector<std::size_t>& sizes) {
  return fmt::format("{}", fmt::join(sizes, ","));
}

void KeepFirst(nn::Dataset& set, std::size_t limit) {
  if (limit == 0 || limit >= set.size()) return;
  set.labels.resize(limit);
  set.images.resize(limit * set.features);
}

namespace {

sigma::nn::DataSplit LoadData(const TrainOptions& options, std::ostream& out) {
  if (options.data == "synthetic") return sigma::nn::synthetic_dataset();
  if (!options.data.empty()) return sigma::nn::load_mnist_folder(options.data);
  if (sigma::nn::has_mnist_files(sigma::nn::kFashionMnistFolder)) {
    return sigma::nn::load_mnist_folder(sigma::nn::kFashionMnistFolder);
  }
  out << "sigma train: no Fashion-MNIST in " << sigma::nn::kFashionMnistFolder
      << " (Debian: dataset-fashion-mnist); training on the synthetic set\n";
  return sigma::nn::synthetic_dataset();
}

// FILE for one activation, FILE-ACT.EXT when several share --save.
std::string SavePath(const std::string& save, const std::string& act, bool several) {
  if (!several) return save;
  std::string tag = act;
  for (char& c : tag) {
    if (c == ':' || c == ',' || c == '=' || c == '/') c = '_';
  }
  const std::filesystem::path path(save);
  return (path.parent_path() / (path.stem().string() + "-" + tag + path.extension().string()))
      .string();
}

std::string JoinPercent(const std::vector<double>& values) {
  std::string text;
  for (const double value : values) {
    if (!text.empty()) text += '/';
    text += fmt::format("{:.1f}%", 100 * value);
  }
  return text.empty() ? "-" : text;
}

std::string JoinNumbers(const std::vector<double>& values) {
  std::string text;
  for (const double value : values) {
    if (!text.empty()) text += '/';
    text += fmt::format("{:.3g}", value);
  }
  return text;
}

nlohmann::json EpochJson(const sigma::nn::EpochReport& report, const sigma::nn::TrainConfig& config,
                         const TrainOptions& options, const std::string& source) {
  nlohmann::json json = {
      {"act", report.act},
      {"epoch", report.epoch},
      {"train_loss", report.train_loss},
      {"train_error", report.train_error},
      {"test_accuracy", report.test_accuracy},
      {"seconds", report.seconds},
      {"samples_per_second", report.samples_per_second},
      {"dead_fraction", report.dead_fraction},
      {"grad_norm", report.grad_norm},
      {"hidden", config.network.hidden},
      {"init", std::string(sigma::nn::init_name(config.network.init))},
      {"optimizer", std::string(sigma::nn::optimizer_name(config.optimizer.kind))},
      {"lr", config.optimizer.learning_rate},
      {"batch", config.batch_size},
      {"seed", config.seed},
      {"threads", options.threads},
      {"data", source},
  };
  if (!report.saturated_fraction.empty()) json["saturated_fraction"] = report.saturated_fraction;
  return json;
}

// One activation's run, for the comparison at the end.
struct Summary {
  std::string act;
  std::optional<int> epochs_to_target;
  double seconds_to_target = 0;
  double seconds = 0;
  sigma::nn::EpochReport last;
};

void PrintComparison(const std::vector<Summary>& runs, double target, std::ostream& out) {
  // The per-layer columns grow with the depth, so they are as wide as their widest entry.
  std::size_t act_width = 10, dead_width = 4, grad_width = 9;
  for (const Summary& run : runs) {
    act_width = std::max(act_width, run.act.size());
    dead_width = std::max(dead_width, JoinPercent(run.last.dead_fraction).size());
    grad_width = std::max(grad_width, JoinNumbers(run.last.grad_norm).size());
  }
  out << fmt::format("\nComparison (target: {:.1f}% training error)\n", 100 * target);
  out << fmt::format("{:<{}}  {:>6}  {:>7}  {:>9}  {:>8}  {:>{}}  {:>{}}  {}\n", "activation",
                     act_width, "epochs", "seconds", "train err", "test acc", "dead", dead_width,
                     "grad norm", grad_width, "saturated");
  for (const Summary& run : runs) {
    const std::string epochs = run.epochs_to_target ? std::to_string(*run.epochs_to_target) : "-";
    const std::string seconds =
        run.epochs_to_target ? fmt::format("{:.1f}", run.seconds_to_target) : "-";
    out << fmt::format("{:<{}}  {:>6}  {:>7}  {:>8.2f}%  {:>7.2f}%  {:>{}}  {:>{}}  {}\n", run.act,
                       act_width, epochs, seconds, 100 * run.last.train_error,
                       100 * run.last.test_accuracy, JoinPercent(run.last.dead_fraction),
                       dead_width, JoinNumbers(run.last.grad_norm), grad_width,
                       JoinPercent(run.last.saturated_fraction));
  }
  out << "epochs and seconds: to reach the target (- if never); the rest at the last epoch, per "
         "hidden layer\n";
}

constexpr char kTrainFooter[] =
    R"(Data: --data FOLDER reads MNIST-format IDX files (train-images-idx3-ubyte and the
other three, plain or .gz); without it, Fashion-MNIST from /usr/share/datasets/fashion-mnist, or
a synthetic set if that is missing; --data synthetic forces the synthetic set.

SPEC is NAME[:KEY=VALUE,...]; --act relu,tanh,sigmoid trains each from the same seed and ends
with a comparison. Each epoch is one JSON line in --log: act, epoch, train_loss, train_error,
test_accuracy, seconds, samples_per_second, dead_fraction, grad_norm (per hidden layer) and
saturated_fraction (bounded activations). Ctrl-C or SIGTERM saves a checkpoint after the
current batch (or evaluation) and exits 130 (143 for SIGTERM); --resume FILE continues it exactly, with the
checkpoint's own settings. --save and --log refuse a symbolic link unless --follow-symlinks.
See docs/training.md.)";

}  // namespace

std::vector<std::string> SplitSpecs(const std::vector<std::string>& values) {
  std::vector<std::string> specs;
  for (const std::string& value : values) {
    std::size_t begin = 0;
    bool first = true;
    while (begin <= value.size()) {
      const std::size_t end = std::min(value.find(',', begin), value.size());
      const std::string piece = value.substr(begin, end - begin);
      const bool continues = piece.find('=') != std::string::npos &&
                             piece.find(':') == std::string::npos && !first &&
                             specs.back().find(':') != std::string::npos;
      if (continues) {
        specs.back() += ',';
        specs.back() += piece;
      } else {
        if (piece.empty()) throw Error(fmt::format("--act '{}' has an empty spec", value));
        specs.push_back(piece);
      }
      first = false;
      begin = end + 1;
    }
  }
  return specs;
}

int InterruptingSignal() { return g_signal.load(); }

bool RunTrain(const TrainOptions& options, std::ostream& out, std::ostream& progress,
              bool terminal) {
  // Everything is checked before the data is read, so that a typo fails at once.
  std::vector<std::string> acts = SplitSpecs(
      options.acts.empty() ? std::vector<std::string>{sigma::nn::NetworkConfig{}.activation}
                           : options.acts);
  CheckResumeOptions(options);
  sigma::nn::TrainConfig config;
  config.network.hidden = ParseHidden(options.hidden);
  if (options.depth > 0) {
    if (config.network.hidden.size() != 1) {
      throw Error(fmt::format("--depth repeats one layer size; give --hidden one size, not '{}'",
                              options.hidden));
    }
    config.network.hidden.assign(options.depth, config.network.hidden.front());
  }
  config.network.init = sigma::nn::parse_init(options.init);
  config.network.dropout = options.dropout;
  config.optimizer.kind = sigma::nn::parse_optimizer(options.optimizer);
  config.optimizer.learning_rate = options.lr;
  config.optimizer.momentum = options.optimizer == "sgd" ? options.momentum : 0;
  config.optimizer.nesterov = options.nesterov;
  config.optimizer.weight_decay = options.weight_decay;
  config.batch_size = options.batch;
  config.seed = options.seed;
  for (std::string& act : acts) act = Activation::parse(act).spec();
  sigma::nn::check_optimizer_config(config.optimizer);
  const auto given = [&](const char* name) {
    return std::find(options.given.begin(), options.given.end(), name) != options.given.end();
  };
  if (config.optimizer.kind != sigma::nn::OptimizerKind::kSgd &&
      (given("--momentum") || given("--nesterov"))) {
    throw Error(fmt::format("--momentum and --nesterov apply to --optimizer sgd, not {}",
                            options.optimizer));
  }

  // Checked before the run rather than refused after it.
  const Symlinks symlinks = options.follow_symlinks ? Symlinks::kFollow : Symlinks::kRefuse;
  const std::size_t run_count = options.resume.empty() ? acts.size() : 1;
  if (!options.save.empty()) {
    for (const std::string& act : acts) {
      io::check_writable(SavePath(options.save, act, run_count > 1), "model file", symlinks);
    }
  }

  sigma::nn::DataSplit data = LoadData(options, out);
  KeepFirst(data.train, options.limit);
  sigma::nn::set_training_threads(options.threads);
  out << fmt::format("sigma train: {} training and {} test examples from {}, {} threads\n",
                     data.train.size(), data.test.size(), data.source, options.threads);

  io::AppendFile log;
  if (!options.log.empty()) {
    log = io::AppendFile(
        options.log,
        options.resume.empty() ? io::AppendFile::Mode::kTruncate : io::AppendFile::Mode::kAppend,
        "the log", symlinks);
  }
  const InterruptGuard guard;
  std::vector<Summary> runs;
  for (std::size_t run = 0; run < run_count; ++run) {
    std::optional<sigma::nn::Trainer> trainer;
    if (options.resume.empty()) {
      config.network.activation = acts[run];
      trainer.emplace(config, data.train);
    } else {
      trainer.emplace(sigma::nn::Trainer::resume(options.resume, data.train));
      out << fmt::format("sigma train: resuming {} from '{}' after {} epochs\n",
                         trainer->config().network.activation, options.resume, trainer->epoch());
    }
    const std::string act = trainer->config().network.activation;
    const std::string save =
        options.save.empty() && !options.resume.empty() ? options.resume : options.save;
    Summary summary{act, {}, 0, 0, {}};
    while (trainer->epoch() < options.epochs) {
      const int epoch = trainer->epoch() + 1;
      auto bar = [&](std::size_t done, std::size_t total) {
        if (!terminal || (done % 8 != 0 && done != total)) return;
        const std::size_t width = 30, filled = done * width / total;
        progress << fmt::format("\r{} epoch {}/{} [{:#<{}}{:-<{}}] {:3}%\x1b[K", act, epoch,
                                options.epochs, "", filled, "", width - filled, done * 100 / total)
                 << std::flush;
      };
      const bool complete = trainer->run_epoch(data.train, &g_interrupted, bar);
      if (terminal) progress << "\r\x1b[K" << std::flush;
      const std::string checkpoint =
          save.empty() ? "sigma-train.sgm" : SavePath(save, act, run_count > 1);
      if (!complete) {
        trainer->save(checkpoint, symlinks);
        out << fmt::format(
            "sigma train: interrupted in epoch {} of {}; checkpoint saved to '{}'. Continue with "
            "sigma train --resume {} (and the same --data, --limit, --threads, --epochs)\n",
            epoch, act, checkpoint, checkpoint);
        return false;
      }
      const sigma::nn::EpochReport report = trainer->finish_epoch(data.test);
      summary.seconds += report.seconds;
      if (!summary.epochs_to_target && report.train_error <= options.target_error) {
        summary.epochs_to_target = report.epoch;
        summary.seconds_to_target = summary.seconds;
      }
      summary.last = report;
      out << fmt::format(
          "{} epoch {}: loss {:.4f}, train error {:.2f}%, test accuracy {:.2f}%, {:.2f} s "
          "({:.0f} samples/s), dead {}, grad norm {}{}\n",
          act, report.epoch, report.train_loss, 100 * report.train_error,
          100 * report.test_accuracy, report.seconds, report.samples_per_second,
          JoinPercent(report.dead_fraction), JoinNumbers(report.grad_norm),
          report.saturated_fraction.empty()
              ? ""
              : ", saturated " + JoinPercent(report.saturated_fraction));
      out.flush();
      if (log.is_open()) {
        log.write(EpochJson(report, trainer->config(), options, data.source).dump() + '\n');
      }
      // Interrupted during the evaluation: the epoch is whole, so it is kept and the run stops.
      if (g_interrupted.load()) {
        trainer->save(checkpoint, symlinks);
        out << fmt::format(
            "sigma train: interrupted after epoch {} of {}; checkpoint saved to '{}'. Continue "
            "with sigma train --resume {} (and the same --data, --limit, --threads, --epochs)\n",
            epoch, act, checkpoint, checkpoint);
        return false;
      }
    }
    if (!save.empty()) {
      const std::string path = SavePath(save, act, run_count > 1);
      trainer->save(path, symlinks);
      if (g_interrupted.load()) {
        out << fmt::format("sigma train: interrupted; {} saved to '{}'\n", act, path);
        return false;
      }
    }
    runs.push_back(std::move(summary));
  }
  PrintComparison(runs, options.target_error, out);
  return true;
}

CLI::App* AddTrain(CLI::App& app, TrainOptions& options) {
  CLI::App* train = app.add_subcommand("train", "Train a network with each activation and compare");
  train->add_option("--data", options.data, "MNIST-format folder, or 'synthetic'");
  train->add_option(
      "--act", options.acts,
      fmt::format("Activations, SPEC[,SPEC...] (default {})", nn::NetworkConfig{}.activation));
  train->add_option("--hidden", options.hidden, "Hidden layer sizes")->capture_default_str();
  train->add_option("--depth", options.depth, "N hidden layers, each of --hidden's one size")
      ->check(CLI::Range(1, 1000));
  train->add_option("--epochs", options.epochs, "Epochs")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  train->add_option("--batch", options.batch, "Mini-batch size")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  train->add_option("--lr", options.lr, "Learning rate")->capture_default_str();
  train->add_option("--optimizer", options.optimizer, "sgd, adam or adamw")
      ->check(CLI::IsMember({"sgd", "adam", "adamw"}))
      ->capture_default_str();
  train->add_option("--momentum", options.momentum, "SGD momentum")->capture_default_str();
  train->add_flag("--nesterov", options.nesterov, "Nesterov momentum");
  train->add_option("--weight-decay", options.weight_decay, "L2 (AdamW: decoupled) weight decay")
      ->capture_default_str();
  train->add_option("--dropout", options.dropout, "Dropout rate after each hidden layer")
      ->capture_default_str();
  train
      ->add_option("--init", options.init,
                   "auto, he_normal, he_uniform, xavier_normal, xavier_uniform, lecun_normal or "
                   "lecun_uniform")
      ->capture_default_str();
  train->add_option("--seed", options.seed, "Random seed")->capture_default_str();
  train->add_option("--threads", options.threads, "Threads")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  train->add_option("--limit", options.limit, "Train on the first N examples only")
      ->check(NotNegative());
  train
      ->add_option("--target-error", options.target_error,
                   "The training error the comparison times")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  train->add_option("--log", options.log, "Write one JSON line per epoch to FILE");
  train->add_option("--save", options.save, "Save the model (a checkpoint) to FILE");
  train->add_option("--resume", options.resume, "Continue the checkpoint FILE");
  train->add_flag("--follow-symlinks", options.follow_symlinks,
                  "Let --save and --log write through a symbolic link (else refused)");
  train->footer(kTrainFooter);
  return train;
}

}  // namespace sigma::cli
