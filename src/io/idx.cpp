#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sigma/error.hpp>
#include <sigma/idx.hpp>
#include <string>

#include "nn/random.hpp"

namespace sigma::nn {
namespace {

constexpr std::uint8_t kUnsignedByte = 0x08;
// 4 GiB of pixels: 90 times Fashion-MNIST's training images. Guards the product of the extents
// against overflow and a corrupt header against a huge allocation.
constexpr std::size_t kMaxElements = std::size_t{1} << 32;
// A compressed file's length says nothing of what it holds, so its data is read in pieces of
// this size and memory follows what actually arrives, not what the header claims.
constexpr std::size_t kReadChunk = std::size_t{16} << 20;

struct GzCloser {
  void operator()(gzFile file) const { gzclose(file); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

// Throws if zlib has seen a corrupt or cut-short stream (a bad CRC or length in the trailer, or
// no trailer at all), which gzread reports only through gzerror.
void check_stream(gzFile file, const std::string& path) {
  int code = Z_OK;
  const char* message = gzerror(file, &code);
  if (code != Z_OK) {
    throw Error("cannot read IDX file '" + path + "': the gzip stream is corrupt or cut short (" +
                message + ")");
  }
}

// Reads up to size bytes; returns how many (fewer only at the end of the file). Throws for a
// corrupt stream.
std::size_t read_some(gzFile file, const std::string& path, void* data, std::size_t size) {
  auto* bytes = static_cast<unsigned char*>(data);
  std::size_t done = 0;
  while (done < size) {
    const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(size - done, 1u << 30));
    const int got = gzread(file, bytes + done, chunk);
    if (got < 0) check_stream(file, path);
    if (got <= 0) break;
    done += static_cast<std::size_t>(got);
  }
  check_stream(file, path);
  return done;
}

// Reads exactly size bytes; false at the end of the file.
bool read_exact(gzFile file, const std::string& path, void* data, std::size_t size) {
  return read_some(file, path, data, size) == size;
}

std::string find_file(const std::string& folder, const std::string& name) {
  const std::filesystem::path base = std::filesystem::path(folder) / name;
  if (std::filesystem::exists(base)) return base.string();
  if (std::filesystem::exists(base.string() + ".gz")) return base.string() + ".gz";
  return {};
}

constexpr std::array<const char*, 4> kMnistNames = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte"};

}  // namespace

IdxArray read_idx(const std::string& path) {
  // gzopen reads a file without the gzip header as it is, so one path serves both.
  GzFile file(gzopen(path.c_str(), "rb"));
  if (!file) throw Error("cannot open IDX file '" + path + "'");
  const std::string where = "IDX file '" + path + "'";
  std::array<std::uint8_t, 4> magic{};
  if (!read_exact(file.get(), path, magic.data(), magic.size())) {
    throw Error(where + " is truncated: it ends inside the 4-byte magic number");
  }
  if (magic[0] != 0 || magic[1] != 0) {
    throw Error(where + " is not an IDX file: its magic number does not start with two zero bytes");
  }
  if (magic[2] != kUnsignedByte) {
    char type[8];
    std::snprintf(type, sizeof(type), "0x%02x", magic[2]);
    throw Error(where + " holds data of type " + type +
                "; sigma reads unsigned bytes (type 0x08) only");
  }
  const std::size_t rank = magic[3];
  if (rank == 0) throw Error(where + " has rank 0");
  IdxArray array;
  std::size_t elements = 1;
  for (std::size_t i = 0; i < rank; ++i) {
    std::array<std::uint8_t, 4> big_endian{};
    if (!read_exact(file.get(), path, big_endian.data(), big_endian.size())) {
      throw Error(where + " is truncated: it ends inside the extents of its " +
                  std::to_string(rank) + " dimensions");
    }
    const std::size_t extent = (std::size_t{big_endian[0]} << 24) |
                               (std::size_t{big_endian[1]} << 16) |
                               (std::size_t{big_endian[2]} << 8) | big_endian[3];
    if (extent == 0) throw Error(where + " has an extent of 0 in dimension " + std::to_string(i));
    if (extent > kMaxElements / elements) {
      throw Error(where + " declares more than 2^32 elements (4 GiB), more than sigma reads; " +
                  "its header is corrupt");
    }
    elements *= extent;
    array.dims.push_back(extent);
  }
  const std::string truncated = where + " is truncated: its header declares " +
                                std::to_string(elements) + " bytes of data and fewer follow";
  // An uncompressed file must hold what its header declares before anything is allocated.
  std::error_code error;
  const std::uintmax_t length = std::filesystem::file_size(path, error);
  const std::size_t header = 4 + 4 * rank;
  if (gzdirect(file.get()) == 1 && !error) {
    if (length < header + elements) throw Error(truncated);
    array.data.reserve(elements);
  }
  while (array.data.size() < elements) {
    const std::size_t begin = array.data.size();
    array.data.resize(begin + std::min(kReadChunk, elements - begin));
    if (!read_exact(file.get(), path, array.data.data() + begin, array.data.size() - begin)) {
      throw Error(truncated);
    }
  }
  unsigned char extra = 0;
  if (read_exact(file.get(), path, &extra, 1)) {
    throw Error(where + " is longer than its header declares (" + std::to_string(elements) +
                " bytes of data)");
  }
  return array;
}

Dataset load_idx_dataset(const std::string& images_path, const std::string& labels_path) {
  const IdxArray images = read_idx(images_path);
  const IdxArray labels = read_idx(labels_path);
  if (images.dims.size() < 2) {
    throw Error("IDX file '" + images_path + "' has rank 1; images need a count and a shape");
  }
  if (labels.dims.size() != 1) {
    throw Error("IDX file '" + labels_path + "' has rank " + std::to_string(labels.dims.size()) +
                "; labels have rank 1");
  }
  if (images.dims[0] != labels.dims[0]) {
    throw Error("'" + images_path + "' holds " + std::to_string(images.dims[0]) + " images but '" +
                labels_path + "' " + std::to_string(labels.dims[0]) + " labels");
  }
  Dataset set;
  set.features = images.data.size() / images.dims[0];
  set.images.resize(images.data.size());
  std::transform(images.data.begin(), images.data.end(), set.images.begin(),
                 [](std::uint8_t pixel) { return static_cast<float>(pixel) / 255.0f; });
  set.labels.assign(labels.data.begin(), labels.data.end());
  set.classes =
      static_cast<std::size_t>(*std::max_element(set.labels.begin(), set.labels.end())) + 1;
  return set;
}

bool has_mnist_files(const std::string& folder) {
  return std::all_of(kMnistNames.begin(), kMnistNames.end(),
                     [&](const char* name) { return !find_file(folder, name).empty(); });
}

DataSplit load_mnist_folder(const std::string& folder) {
  std::array<std::string, 4> paths;
  for (std::size_t i = 0; i < kMnistNames.size(); ++i) {
    paths[i] = find_file(folder, kMnistNames[i]);
    if (paths[i].empty()) {
      throw Error("'" + folder + "' has no " + kMnistNames[i] + " (nor " + kMnistNames[i] +
                  ".gz); an MNIST-format folder holds train-images-idx3-ubyte, "
                  "train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte");
    }
  }
  DataSplit split{load_idx_dataset(paths[0], paths[1]), load_idx_dataset(paths[2], paths[3]),
                  folder};
  if (split.train.features != split.test.features) {
    throw Error("'" + folder + "': the training and test images differ in size");
  }
  split.train.classes = split.test.classes = std::max(split.train.classes, split.test.classes);
  return split;
}

DataSplit synthetic_dataset(std::size_t train_size, std::size_t test_size, std::uint64_t seed) {
  constexpr std::size_t kClasses = 10;
  constexpr std::size_t kFeatures = 28 * 28;
  detail::Random random(detail::derive_seed(seed, 0x5e7));
  // The classes share one random pattern and differ in a few dozen pixels each; with noise on
  // every pixel they overlap, so that the error falls over epochs rather than in a few batches.
  std::vector<float> base(kFeatures);
  for (float& pixel : base) pixel = random.uniform() < 1.0 / 3 ? 0.7f : 0.0f;
  std::vector<float> patterns(kClasses * kFeatures);
  for (std::size_t c = 0; c < kClasses; ++c) {
    std::copy(base.begin(), base.end(), patterns.begin() + c * kFeatures);
    for (int k = 0; k < 24; ++k) {
      float& pixel = patterns[c * kFeatures + random.below(kFeatures)];
      pixel = 0.7f - pixel;
    }
  }
  auto make = [&](std::size_t size) {
    Dataset set;
    set.features = kFeatures;
    set.classes = kClasses;
    set.images.resize(size * kFeatures);
    set.labels.resize(size);
    for (std::size_t i = 0; i < size; ++i) {
      const std::size_t label = random.below(kClasses);
      set.labels[i] = static_cast<std::int32_t>(label);
      for (std::size_t j = 0; j < kFeatures; ++j) {
        const double value = patterns[label * kFeatures + j] + 0.35 * random.normal();
        set.images[i * kFeatures + j] = static_cast<float>(std::clamp(value, 0.0, 1.0));
      }
    }
    return set;
  };
  DataSplit split;
  split.train = make(train_size);
  split.test = make(test_size);
  split.source = "synthetic";
  return split;
}

}  // namespace sigma::nn
