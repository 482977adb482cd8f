// Data sets for sigma's trainer: the IDX files of MNIST and Fashion-MNIST (plain or gzip), and a
// small synthetic set for when there are no files.
//
//   sigma::nn::DataSplit data = sigma::nn::load_mnist_folder("/usr/share/datasets/fashion-mnist");
//   // data.train.images: size() rows of 784 floats in [0, 1]; data.train.labels: class ids
//
// IDX (LeCun's format): the magic number 0x00 0x00 TYPE RANK, then RANK big-endian 32-bit
// extents, then the data in row-major order. sigma reads unsigned bytes (TYPE 0x08), the type of
// every MNIST-format file. A file whose magic, rank, extents or length is wrong is refused with a
// sigma::Error that names the file and what is wrong, never read in part.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sigma::nn {

struct IdxArray {
  std::vector<std::size_t> dims;   // the extents, outermost first
  std::vector<std::uint8_t> data;  // the product of dims bytes, row-major
};

// Reads an IDX file of unsigned bytes, gzip-compressed or not (told apart by its content, not its
// name). Throws sigma::Error for a missing, corrupt, truncated or over-long file.
IdxArray read_idx(const std::string& path);

// Examples for classification: row i of `images` (features floats) has class labels[i].
struct Dataset {
  std::vector<float> images;
  std::vector<std::int32_t> labels;
  std::size_t features = 0;
  std::size_t classes = 0;
  std::size_t size() const noexcept { return labels.size(); }
};

struct DataSplit {
  Dataset train;
  Dataset test;
  std::string source;  // where it came from, for messages: a folder, or "synthetic"
};

// An images file (rank >= 2: count, then the extents of one image) and its labels file (rank 1,
// the same count), pixels scaled to [0, 1]. Throws sigma::Error if the counts differ.
Dataset load_idx_dataset(const std::string& images_path, const std::string& labels_path);

// The four MNIST-format files of `folder`: train-images-idx3-ubyte, train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each with or without ".gz".
DataSplit load_mnist_folder(const std::string& folder);
// Whether `folder` holds those four files.
bool has_mnist_files(const std::string& folder);

// Where Debian's dataset-fashion-mnist puts Fashion-MNIST.
inline constexpr char kFashionMnistFolder[] = "/usr/share/datasets/fashion-mnist";

// Ten classes of 28x28 "images", each a fixed random pattern plus noise: learnable in an epoch,
// for tests and for machines without the data set. The same seed gives the same set.
DataSplit synthetic_dataset(std::size_t train_size = 6000, std::size_t test_size = 1000,
                            std::uint64_t seed = 1);

}  // namespace sigma::nn
