// IDX files: good ones plain and gzip-compressed, and every way a file can be broken.
#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sigma/error.hpp>
#include <sigma/idx.hpp>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<std::uint8_t>;

// The header of an unsigned-byte IDX file with these extents.
Bytes Header(const std::vector<std::uint32_t>& dims) {
  Bytes bytes = {0, 0, 0x08, static_cast<std::uint8_t>(dims.size())};
  for (const std::uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back((d >> shift) & 0xff);
  }
  return bytes;
}

Bytes Concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

class IdxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sigma_idx_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const Bytes& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    return path;
  }
  std::string WriteGz(const std::string& name, const Bytes& bytes) {
    const std::string path = (dir_ / name).string();
    gzFile file = gzopen(path.c_str(), "wb");
    gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(file);
    return path;
  }
  // Expects read_idx to throw a sigma::Error whose message holds `part`.
  static void ExpectError(const std::string& path, const std::string& part) {
    try {
      sigma::nn::read_idx(path);
      ADD_FAILURE() << path << " was read";
    } catch (const sigma::Error& e) {
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }

  std::filesystem::path dir_;
};

const Bytes kPixels = {0, 255, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};  // two 2x3 images

TEST_F(IdxTest, ReadsPlainAndGzipFiles) {
  const Bytes file = Concat(Header({2, 2, 3}), kPixels);
  for (const std::string& path : {Write("plain", file), WriteGz("packed.gz", file)}) {
    const sigma::nn::IdxArray array = sigma::nn::read_idx(path);
    EXPECT_EQ(array.dims, (std::vector<std::size_t>{2, 2, 3}));
    EXPECT_EQ(array.data, kPixels);
  }
}

TEST_F(IdxTest, RefusesBrokenFiles) {
  ExpectError((dir_ / "missing").string(), "cannot open");
  ExpectError(Write("empty", {}), "truncated");
  ExpectError(Write("magic", Concat({1, 0, 8, 1, 0, 0, 0, 1}, {7})), "not an IDX file");
  ExpectError(Write("type", Concat({0, 0, 0x0d, 1, 0, 0, 0, 1}, {7, 7, 7, 7})), "type 0x0d");
  ExpectError(Write("header", {0, 0, 8, 3, 0, 0, 0, 2, 0}), "truncated");
  ExpectError(Write("data", Concat(Header({2, 2, 3}), {1, 2, 3})), "truncated");
  ExpectError(Write("long", Concat(Concat(Header({2, 2, 3}), kPixels), {0})), "longer");
  ExpectError(Write("zero", Header({0, 28, 28})), "extent of 0");
  ExpectError(Write("huge", Header({0xffffffff, 0xffffffff, 28})), "corrupt");
  Bytes gz_truncated;
  {
    const std::string whole = WriteGz("whole.gz", Concat(Header({2, 2, 3}), kPixels));
    std::ifstream in(whole, std::ios::binary);
    gz_truncated.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    gz_truncated.resize(gz_truncated.size() / 2);
  }
  try {
    sigma::nn::read_idx(Write("cut.gz", gz_truncated));
    ADD_FAILURE() << "a truncated gzip file was read";
  } catch (const sigma::Error& e) {
    EXPECT_NE(std::string(e.what()).find("cut.gz"), std::string::npos) << e.what();
  }
}

// A header alone may not cost memory or time: 131072 x 131072 (16 GiB) is over the cap, and
// 65536 x 65536 (4 GiB) with no data behind it is refused from the file's length, plain, or as
// the compressed stream runs out.
TEST_F(IdxTest, RefusesHugeHeadersWithoutAllocating) {
  ExpectError(Write("cap", Header({131072, 131072})), "more than 2^32 elements");
  const auto start = std::chrono::steady_clock::now();
  ExpectError(Write("plain", Header({65536, 65536})), "truncated");
  ExpectError(WriteGz("packed.gz", Header({65536, 65536})), "truncated");
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1.0);
}

// A gzip file whose deflate data is whole but whose trailer (CRC-32 and length) is cut off, or
// whose CRC is wrong, is refused: the data cannot be trusted.
TEST_F(IdxTest, RefusesACutOrCorruptGzipTrailer) {
  const std::string whole = WriteGz("whole.gz", Concat(Header({2, 2, 3}), kPixels));
  Bytes bytes;
  {
    std::ifstream in(whole, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  Bytes cut = bytes;
  cut.resize(cut.size() - 6);
  ExpectError(Write("cut.gz", cut), "cut short");
  Bytes bad_crc = bytes;
  bad_crc[bad_crc.size() - 8] ^= 1;
  ExpectError(Write("crc.gz", bad_crc), "corrupt");
}

TEST_F(IdxTest, LoadsAnMnistFolder) {
  WriteGz("train-images-idx3-ubyte.gz", Concat(Header({2, 2, 3}), kPixels));
  WriteGz("train-labels-idx1-ubyte.gz", Concat(Header({2}), {3, 1}));
  Write("t10k-images-idx3-ubyte", Concat(Header({1, 2, 3}), {0, 51, 102, 153, 204, 255}));
  Write("t10k-labels-idx1-ubyte", Concat(Header({1}), {0}));
  ASSERT_TRUE(sigma::nn::has_mnist_files(dir_.string()));
  const sigma::nn::DataSplit data = sigma::nn::load_mnist_folder(dir_.string());
  EXPECT_EQ(data.train.size(), 2u);
  EXPECT_EQ(data.train.features, 6u);
  EXPECT_EQ(data.train.classes, 4u);
  EXPECT_EQ(data.test.classes, 4u);
  EXPECT_EQ(data.train.labels, (std::vector<std::int32_t>{3, 1}));
  EXPECT_FLOAT_EQ(data.train.images[1], 1.0f);
  EXPECT_FLOAT_EQ(data.test.images[1], 0.2f);
}

TEST_F(IdxTest, RefusesMismatchedOrMissingFiles) {
  const std::string images = Write("images", Concat(Header({2, 2, 3}), kPixels));
  const std::string labels = Write("labels", Concat(Header({3}), {0, 1, 2}));
  EXPECT_THROW(sigma::nn::load_idx_dataset(images, labels), sigma::Error);
  EXPECT_FALSE(sigma::nn::has_mnist_files(dir_.string()));
  try {
    sigma::nn::load_mnist_folder(dir_.string());
    ADD_FAILURE();
  } catch (const sigma::Error& e) {
    EXPECT_NE(std::string(e.what()).find("train-images-idx3-ubyte"), std::string::npos);
  }
}

TEST(Synthetic, IsTheSameForTheSameSeed) {
  const sigma::nn::DataSplit a = sigma::nn::synthetic_dataset(100, 10, 7);
  const sigma::nn::DataSplit b = sigma::nn::synthetic_dataset(100, 10, 7);
  EXPECT_EQ(a.train.images, b.train.images);
  EXPECT_EQ(a.test.labels, b.test.labels);
  EXPECT_EQ(a.train.features, 784u);
  EXPECT_EQ(a.train.classes, 10u);
}

}  // namespace
