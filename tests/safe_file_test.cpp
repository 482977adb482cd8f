// The safe writer every file sigma writes goes through: planted links, FIFOs and folders are
// refused, modes are kept, and no temporary outlives a write or a killed run.
#include "io/safe_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sigma/error.hpp>
#include <string>

namespace {

namespace fs = std::filesystem;
using sigma::Symlinks;
using sigma::io::AppendFile;
using sigma::io::write_file;

class SafeFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sigma_safe_file_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  // The names in the folder, to show that no temporary is left.
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  // Expects `write` to throw a sigma::Error whose message holds `part`.
  template <typename Fn>
  static void ExpectError(Fn&& write, const std::string& part) {
    try {
      write();
      ADD_FAILURE() << "no error; expected one with '" << part << "'";
    } catch (const sigma::Error& e) {
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
  }

  fs::path dir_;
};

TEST_F(SafeFileTest, WritesAndReplacesKeepingTheMode) {
  write_file(Path("a"), "first", "test file");
  EXPECT_EQ(Read(Path("a")), "first");
  ASSERT_EQ(::chmod(Path("a").c_str(), 0640), 0);
  write_file(Path("a"), "second", "test file");
  EXPECT_EQ(Read(Path("a")), "second");
  struct stat status = {};
  ASSERT_EQ(::stat(Path("a").c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 07777, 0640u);
  write_file(Path("empty"), "", "test file");
  EXPECT_EQ(fs::file_size(Path("empty")), 0u);
  EXPECT_EQ(Names(), (std::vector<std::string>{"a", "empty"}));
}

// A replaced file keeps its owner and group where the writer may set them (root may).
TEST_F(SafeFileTest, ReplacingKeepsTheOwnerWhereAllowed) {
  if (::geteuid() != 0) GTEST_SKIP() << "only root may give a file to another user";
  write_file(Path("owned"), "first", "test file");
  ASSERT_EQ(::chown(Path("owned").c_str(), 65534, 65534), 0);  // nobody, nogroup
  ASSERT_EQ(::chmod(Path("owned").c_str(), 0604), 0);
  write_file(Path("owned"), "second", "test file");
  struct stat status = {};
  ASSERT_EQ(::stat(Path("owned").c_str(), &status), 0);
  EXPECT_EQ(status.st_uid, 65534u);
  EXPECT_EQ(status.st_gid, 65534u);
  EXPECT_EQ(status.st_mode & 07777, 0604u);
  EXPECT_EQ(Read(Path("owned")), "second");
}

TEST_F(SafeFileTest, RefusesAPlantedSymlinkUnlessAskedToFollow) {
  std::ofstream(Path("victim")) << "precious";
  fs::create_symlink("victim", Path("link"));
  ExpectError([&] { write_file(Path("link"), "evil", "test file"); }, "symbolic link");
  EXPECT_EQ(Read(Path("victim")), "precious");
  EXPECT_EQ(Names(), (std::vector<std::string>{"link", "victim"}));
  // Followed on request: the file it points to is replaced and the link stays a link.
  write_file(Path("link"), "new", "test file", Symlinks::kFollow);
  EXPECT_EQ(Read(Path("victim")), "new");
  EXPECT_TRUE(fs::is_symlink(Path("link")));
  EXPECT_EQ(Names(), (std::vector<std::string>{"link", "victim"}));
  // A link to a folder or a device is refused even when followed.
  fs::create_symlink("/dev/null", Path("null"));
  ExpectError([&] { write_file(Path("null"), "x", "test file", Symlinks::kFollow); },
              "not a regular file");
}

TEST_F(SafeFileTest, RefusesFifosFoldersAndMissingFolders) {
  ASSERT_EQ(::mkfifo(Path("fifo").c_str(), 0600), 0);
  fs::create_directory(Path("folder"));
  ExpectError([&] { write_file(Path("fifo"), "x", "test file"); }, "not a regular file");
  ExpectError([&] { write_file(Path("folder"), "x", "test file"); }, "is a folder");
  ExpectError([&] { write_file(Path("missing/x"), "x", "test file"); },
              "cannot write test file '" + Path("missing/x") + "': No such file");
  EXPECT_TRUE(fs::is_fifo(Path("fifo")));
  EXPECT_EQ(Names(), (std::vector<std::string>{"fifo", "folder"}));
}

// A temporary left by a killed run (its process gone) is removed by the next write; one of a
// live process (this one) is not touched.
TEST_F(SafeFileTest, RemovesTheTemporariesOfDeadRuns) {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  int status = 0;
  ::waitpid(child, &status, 0);
  const std::string prefix = sigma::io::temporary_prefix(Path("m.sgm"));
  EXPECT_EQ(prefix, ".m.sgm.sigma-tmp-");
  const std::string dead = prefix + std::to_string(child) + "-abcdef";
  const std::string live = prefix + std::to_string(::getpid()) + "-abcdef";
  std::ofstream(Path(dead)) << "stale";
  std::ofstream(Path(live)) << "in use";
  write_file(Path("m.sgm"), "model", "test file");
  EXPECT_EQ(Names(), (std::vector<std::string>{live, "m.sgm"}));
}

TEST_F(SafeFileTest, AppendsAndTruncatesButRefusesLinksAndFifos) {
  {
    AppendFile log(Path("log"), AppendFile::Mode::kTruncate, "the log");
    log.write("one\n");
  }
  {
    AppendFile log(Path("log"), AppendFile::Mode::kAppend, "the log");
    log.write("two\n");
  }
  EXPECT_EQ(Read(Path("log")), "one\ntwo\n");
  {
    AppendFile log(Path("log"), AppendFile::Mode::kTruncate, "the log");
    EXPECT_EQ(Read(Path("log")), "one\ntwo\n");  // emptied at the first write, not before
    log.write("three\n");
  }
  EXPECT_EQ(Read(Path("log")), "three\n");
  fs::create_symlink("log", Path("link"));
  ExpectError([&] { AppendFile(Path("link"), AppendFile::Mode::kAppend, "the log"); },
              "symbolic link");
  AppendFile(Path("link"), AppendFile::Mode::kAppend, "the log", Symlinks::kFollow).write("4\n");
  EXPECT_EQ(Read(Path("log")), "three\n4\n");
  // Opening a FIFO without a reader would block; it is refused at once.
  ASSERT_EQ(::mkfifo(Path("fifo").c_str(), 0600), 0);
  ExpectError([&] { AppendFile(Path("fifo"), AppendFile::Mode::kAppend, "the log"); },
              "not a regular file");
}

}  // namespace
