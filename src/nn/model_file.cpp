// sigma's model file: "SIGMAMDL", a version, the architecture, the parameters, the training
// state, and a CRC-32 of everything before it. The layout is in docs/training.md.
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <bit>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sigma/error.hpp>
#include <sigma/nn.hpp>
#include <string>
#include <type_traits>

namespace sigma::nn {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the model file is little-endian and written as the memory holds it");

constexpr char kMagic[8] = {'S', 'I', 'G', 'M', 'A', 'M', 'D', 'L'};
constexpr std::uint32_t kVersion = 1;

class Writer {
 public:
  template <typename T>
  void put(T value) {
    static_assert(std::is_arithmetic_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  void put_string(const std::string& text) {
    put<std::uint64_t>(text.size());
    bytes_ += text;
  }
  template <typename T>
  void put_array(const std::vector<T>& values) {
    put<std::uint64_t>(values.size());
    bytes_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
  std::string& bytes() { return bytes_; }

 private:
  std::string bytes_;
};

class Reader {
 public:
  Reader(const std::string& bytes, const std::string& path) : bytes_(bytes), path_(path) {}

  template <typename T>
  T get() {
    T value;
    std::memcpy(&value, take(sizeof(T)), sizeof(T));
    return value;
  }
  std::string get_string() {
    const std::size_t size = get_size(1);
    return std::string(take(size), size);
  }
  template <typename T>
  std::vector<T> get_array() {
    const std::size_t size = get_size(sizeof(T));
    std::vector<T> values(size);
    const char* bytes = take(size * sizeof(T));
    if (size > 0) std::memcpy(values.data(), bytes, size * sizeof(T));  // data() may be null
    return values;
  }
  // An array that must have `size` elements, read into `values`.
  template <typename T>
  void get_array_into(std::vector<T>& values, const char* what) {
    std::vector<T> read = get_array<T>();
    if (read.size() != values.size()) fail(std::string("the size of ") + what + " is wrong");
    values = std::move(read);
  }
  std::size_t get_size(std::size_t element) {
    const auto size = get<std::uint64_t>();
    if (size > (bytes_.size() - position_) / element) fail("a length runs past the end");
    return static_cast<std::size_t>(size);
  }
  bool done() const { return position_ == bytes_.size(); }
  [[noreturn]] void fail(const std::string& what) const {
    throw Error("model file '" + path_ + "' is corrupt: " + what);
  }

 private:
  const char* take(std::size_t size) {
    if (size > bytes_.size() - position_) fail("it ends too soon");
    const char* data = bytes_.data() + position_;
    position_ += size;
    return data;
  }

  const std::string& bytes_;
  const std::string& path_;
  std::size_t position_ = 0;
};

void write_network(Writer& out, const Network& network) {
  const NetworkConfig& config = network.config();
  out.put<std::uint64_t>(config.inputs);
  out.put<std::uint64_t>(config.classes);
  std::vector<std::uint64_t> hidden(config.hidden.begin(), config.hidden.end());
  out.put_array(hidden);
  out.put_string(config.activation);
  out.put<std::uint32_t>(static_cast<std::uint32_t>(config.init));
  out.put<double>(config.dropout);
  for (const Dense& layer : network.layers()) {
    out.put_array(layer.weight);
    out.put_array(layer.bias);
  }
}

Network read_network(Reader& in) {
  NetworkConfig config;
  config.inputs = in.get<std::uint64_t>();
  config.classes = in.get<std::uint64_t>();
  const std::vector<std::uint64_t> hidden = in.get_array<std::uint64_t>();
  config.hidden.assign(hidden.begin(), hidden.end());
  config.activation = in.get_string();
  const auto init = in.get<std::uint32_t>();
  if (init > static_cast<std::uint32_t>(Init::kLecunUniform)) in.fail("unknown initialiser");
  config.init = static_cast<Init>(init);
  config.dropout = in.get<double>();
  // Built with any seed: every weight is read back below.
  Network network(config, 0);
  for (Dense& layer : network.layers()) {
    in.get_array_into(layer.weight, "a weight");
    in.get_array_into(layer.bias, "a bias");
  }
  return network;
}

// The bytes of `path` after checking the magic, version and checksum.
std::string read_checked(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw Error("cannot open model file '" + path + "'");
  std::string bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  if (file.bad()) throw Error("cannot read model file '" + path + "'");
  if (bytes.size() < sizeof(kMagic) + 8 || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    throw Error("'" + path + "' is not a sigma model file (no SIGMAMDL header)");
  }
  std::uint32_t stored = 0;
  std::memcpy(&stored, bytes.data() + bytes.size() - 4, 4);
  bytes.resize(bytes.size() - 4);
  const auto computed = static_cast<std::uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
  if (stored != computed) {
    throw Error("model file '" + path + "' is corrupt: its CRC-32 does not match its contents");
  }
  std::uint32_t version = 0;
  std::memcpy(&version, bytes.data() + sizeof(kMagic), 4);
  if (version != kVersion) {
    throw Error("model file '" + path + "' has format version " + std::to_string(version) +
                "; this sigma reads version " + std::to_string(kVersion));
  }
  return bytes;
}

// Writes to path.tmp, syncs it and renames it over path: a crash at any point leaves either
// the old file or the new one, whole.
void write_atomically(const std::string& path, const std::string& bytes) {
  const std::string temporary = path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error("cannot write model file '" + temporary + "'");
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  const bool ok = written == bytes.size() && ::fsync(fd) == 0;
  if (::close(fd) != 0 || !ok) {
    std::remove(temporary.c_str());
    throw Error("cannot write model file '" + temporary + "' (disk full?)");
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    throw Error("cannot rename '" + temporary + "' to '" + path + "'");
  }
}

}  // namespace

void Trainer::save(const std::string& path) const {
  Writer out;
  out.bytes().append(kMagic, sizeof(kMagic));
  out.put<std::uint32_t>(kVersion);
  write_network(out, network_);
  const OptimizerConfig& optimizer = optimizer_.config();
  out.put<std::uint32_t>(static_cast<std::uint32_t>(optimizer.kind));
  out.put<double>(optimizer.learning_rate);
  out.put<double>(optimizer.momentum);
  out.put<std::uint8_t>(optimizer.nesterov ? 1 : 0);
  out.put<double>(optimizer.weight_decay);
  out.put<double>(optimizer.beta1);
  out.put<double>(optimizer.beta2);
  out.put<double>(optimizer.epsilon);
  out.put<std::uint64_t>(optimizer_.steps());
  out.put<std::uint64_t>(optimizer_.slots().size());
  for (const std::vector<float>& slot : optimizer_.slots()) out.put_array(slot);
  out.put<std::uint64_t>(config_.batch_size);
  out.put<std::uint64_t>(config_.seed);
  out.put<std::uint64_t>(train_size_);
  out.put<std::uint64_t>(train_features_);
  out.put<std::int64_t>(epoch_);
  out.put<std::uint64_t>(state_.next_batch);
  out.put<std::uint64_t>(state_.examples);
  out.put<std::uint64_t>(state_.errors);
  out.put<std::uint64_t>(state_.batches);
  out.put<double>(state_.loss_sum);
  out.put<double>(state_.seconds);
  out.put_array(state_.grad_norm_sum);
  out.put_array(state_.saturated);
  for (const std::vector<std::uint8_t>& alive : state_.alive) out.put_array(alive);
  const auto crc =
      static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(out.bytes().data()),
                                       static_cast<uInt>(out.bytes().size())));
  out.put<std::uint32_t>(crc);
  write_atomically(path, out.bytes());
}

Trainer Trainer::resume(const std::string& path, const Dataset& train) {
  const std::string bytes = read_checked(path);
  Reader in(bytes, path);
  in.get<std::uint64_t>();  // the magic, checked
  in.get<std::uint32_t>();  // the version, checked
  Network network = read_network(in);
  TrainConfig config;
  const auto kind = in.get<std::uint32_t>();
  if (kind > static_cast<std::uint32_t>(OptimizerKind::kAdamW)) in.fail("unknown optimizer");
  config.optimizer.kind = static_cast<OptimizerKind>(kind);
  config.optimizer.learning_rate = in.get<double>();
  config.optimizer.momentum = in.get<double>();
  config.optimizer.nesterov = in.get<std::uint8_t>() != 0;
  config.optimizer.weight_decay = in.get<double>();
  config.optimizer.beta1 = in.get<double>();
  config.optimizer.beta2 = in.get<double>();
  config.optimizer.epsilon = in.get<double>();
  const auto steps = in.get<std::uint64_t>();
  std::vector<std::vector<float>> slots(in.get_size(8));
  for (std::vector<float>& slot : slots) slot = in.get_array<float>();
  config.batch_size = in.get<std::uint64_t>();
  config.seed = in.get<std::uint64_t>();
  const auto train_size = in.get<std::uint64_t>();
  const auto train_features = in.get<std::uint64_t>();
  if (train_size != train.size() || train_features != train.features) {
    throw Error("model file '" + path + "' was trained on " + std::to_string(train_size) +
                " examples of " + std::to_string(train_features) + " features; this data has " +
                std::to_string(train.size()) + " of " + std::to_string(train.features));
  }
  Trainer trainer(config, std::move(network), train_size);
  if (slots.size() != trainer.optimizer_.slots().size()) in.fail("the optimizer state is wrong");
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].size() != trainer.optimizer_.slots()[i].size()) in.fail("an optimizer slot");
    trainer.optimizer_.slots()[i] = std::move(slots[i]);
  }
  trainer.optimizer_.set_steps(steps);
  trainer.epoch_ = static_cast<int>(in.get<std::int64_t>());
  trainer.reset_epoch_state();  // the epoch's shuffle
  EpochState& state = trainer.state_;
  state.next_batch = in.get<std::uint64_t>();
  state.examples = in.get<std::uint64_t>();
  state.errors = in.get<std::uint64_t>();
  state.batches = in.get<std::uint64_t>();
  state.loss_sum = in.get<double>();
  state.seconds = in.get<double>();
  in.get_array_into(state.grad_norm_sum, "the gradient norms");
  in.get_array_into(state.saturated, "the saturation counts");
  for (std::vector<std::uint8_t>& alive : state.alive) in.get_array_into(alive, "the live units");
  if (!in.done()) in.fail("bytes follow the training state");
  if (state.next_batch * config.batch_size > train_size + config.batch_size - 1) {
    in.fail("its batch counter is past the end of the epoch");
  }
  return trainer;
}

Network load_network(const std::string& path) {
  const std::string bytes = read_checked(path);
  Reader in(bytes, path);
  in.get<std::uint64_t>();
  in.get<std::uint32_t>();
  return read_network(in);
}

}  // namespace sigma::nn
