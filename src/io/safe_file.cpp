#include "io/safe_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <random>
#include <sigma/error.hpp>

namespace sigma::io {
namespace {

[[noreturn]] void fail(std::string_view what, const std::string& path, const std::string& reason) {
  throw Error("cannot write " + std::string(what) + " '" + path + "': " + reason);
}

[[noreturn]] void fail_errno(std::string_view what, const std::string& path, int error) {
  fail(what, path, std::strerror(error));
}

std::string folder_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string name_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The file a chain of symbolic links ends at (the path itself when it is no link). Relative
// links are read from the folder of the link, as the kernel does.
std::string follow_links(const std::string& path, std::string_view what) {
  std::string current = path;
  for (int hop = 0; hop < 40; ++hop) {
    struct stat status = {};
    if (::lstat(current.c_str(), &status) != 0 || !S_ISLNK(status.st_mode)) return current;
    std::string target(4096, '\0');
    const ssize_t length = ::readlink(current.c_str(), target.data(), target.size());
    if (length < 0) fail_errno(what, path, errno);
    target.resize(static_cast<std::size_t>(length));
    current = target.front() == '/' ? target : folder_of(current) + "/" + target;
  }
  fail_errno(what, path, ELOOP);
}

// Throws unless `path` is absent or a regular file (or a link, when links are followed).
// Returns whether it exists, with its status in `status`.
bool check_target(const std::string& path, struct stat& status, std::string_view what,
                  Symlinks symlinks) {
  if (::lstat(path.c_str(), &status) != 0) {
    if (errno == ENOENT) return false;
    fail_errno(what, path, errno);
  }
  if (S_ISLNK(status.st_mode)) {
    if (symlinks == Symlinks::kRefuse) {
      fail(what, path, "it is a symbolic link, which sigma does not write through unless asked to");
    }
    return true;
  }
  if (S_ISDIR(status.st_mode)) fail(what, path, "it is a folder");
  if (!S_ISREG(status.st_mode)) {
    fail(what, path, "it exists and is not a regular file (a device, FIFO or socket)");
  }
  return true;
}

// Removes the temporaries of `prefix` in `folder` whose process (the number after the prefix)
// is gone: what a run killed in the middle of a save left behind. Best effort.
void remove_stale_temporaries(const std::string& folder, const std::string& prefix) {
  DIR* dir = ::opendir(folder.c_str());
  if (dir == nullptr) return;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name = entry->d_name;
    if (name.substr(0, prefix.size()) != prefix) continue;
    const std::string_view rest = name.substr(prefix.size());
    pid_t pid = 0;
    const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), pid);
    if (error != std::errc() || end == rest.data() || *end != '-' || pid <= 0) continue;
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;
    const std::string stale = folder + "/" + std::string(name);
    struct stat status = {};
    if (::lstat(stale.c_str(), &status) == 0 && S_ISREG(status.st_mode)) ::unlink(stale.c_str());
  }
  ::closedir(dir);
}

// Creates a new temporary beside `target`; returns its descriptor and sets `temporary`.
int create_temporary(const std::string& target, mode_t mode, std::string& temporary,
                     std::string_view what, const std::string& path) {
  static constexpr char kLetters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device device;
  std::uniform_int_distribution<std::size_t> letter(0, sizeof(kLetters) - 2);
  const std::string stem =
      folder_of(target) + "/" + temporary_prefix(target) + std::to_string(::getpid()) + "-";
  for (int attempt = 0; attempt < 100; ++attempt) {
    temporary = stem;
    for (int i = 0; i < 6; ++i) temporary += kLetters[letter(device)];
    const int fd =
        ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd >= 0) return fd;
    if (errno != EEXIST) fail_errno(what, path, errno);
  }
  fail_errno(what, path, EEXIST);
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Makes a rename in `folder` durable. Some file systems cannot sync a folder (EINVAL): nothing
// more can be done there.
bool sync_folder(const std::string& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0 || errno == EINVAL;
  ::close(fd);
  return synced;
}

}  // namespace

std::string temporary_prefix(const std::string& path) {
  // Capped so that the temporary's name stays within NAME_MAX. Appended piecewise: GCC 12
  // misreads "." + std::string as an overlapping copy.
  std::string prefix = ".";
  prefix += name_of(path).substr(0, 200);
  prefix += ".sigma-tmp-";
  return prefix;
}

namespace {

// The file a write to `path` replaces (`path`, or where its links lead when followed), after
// the checks of check_target; `exists` and `status` describe it.
std::string resolve_target(const std::string& path, std::string_view what, Symlinks symlinks,
                           bool& exists, struct stat& status) {
  exists = check_target(path, status, what, symlinks);
  std::string target = path;
  if (exists && S_ISLNK(status.st_mode)) {
    target = follow_links(path, what);
    exists = check_target(target, status, what, Symlinks::kRefuse);
  }
  if (name_of(target).empty()) fail(what, path, "it names a folder");
  return target;
}

}  // namespace

void check_writable(const std::string& path, std::string_view what, Symlinks symlinks) {
  bool exists = false;
  struct stat status = {};
  resolve_target(path, what, symlinks, exists, status);
}

void write_file(const std::string& path, std::string_view bytes, std::string_view what,
                Symlinks symlinks) {
  bool exists = false;
  struct stat status = {};
  const std::string target = resolve_target(path, what, symlinks, exists, status);
  remove_stale_temporaries(folder_of(target), temporary_prefix(target));
  // A replacement keeps the old file's permissions; until then only its owner can read it.
  std::string temporary;
  const int fd = create_temporary(target, exists ? 0600 : 0666, temporary, what, path);
  bool ok = write_all(fd, bytes);
  // Its owner and group too where this process may set them (root may; others may set only
  // their own groups, so a refusal leaves the replacement theirs, as an editor's save does), then
  // its mode (a change of owner clears the set-id bits).
  if (ok && exists && (status.st_uid != ::geteuid() || status.st_gid != ::getegid()) &&
      ::fchown(fd, status.st_uid, status.st_gid) != 0 && errno != EPERM) {
    ok = false;
  }
  if (ok && exists) ok = ::fchmod(fd, status.st_mode & 07777) == 0;
  if (ok) ok = ::fsync(fd) == 0;
  int error = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (ok && ::rename(temporary.c_str(), target.c_str()) != 0) {
    ok = false;
    error = errno;
  }
  if (!ok) {
    ::unlink(temporary.c_str());
    fail_errno(what, path, error);
  }
  if (!sync_folder(folder_of(target))) {
    fail(what, path,
         std::string("written, but its folder could not be synced: ") + std::strerror(errno));
  }
}

AppendFile::AppendFile(const std::string& path, Mode mode, std::string_view what, Symlinks symlinks)
    : path_(path), what_(what) {
  struct stat status = {};
  check_target(path, status, what, symlinks);
  // O_NONBLOCK: a FIFO planted after the check must not hang the open; it is refused below.
  const int no_follow = symlinks == Symlinks::kRefuse ? O_NOFOLLOW : 0;
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK | no_follow,
               0666);
  if (fd_ < 0) {
    if (errno == ELOOP && symlinks == Symlinks::kRefuse) check_target(path, status, what, symlinks);
    fail_errno(what, path, errno);
  }
  int error = 0;
  if (::fstat(fd_, &status) != 0) {
    error = errno;
  } else if (!S_ISREG(status.st_mode)) {
    ::close(fd_);
    fd_ = -1;
    fail(what, path, "it exists and is not a regular file (a device, FIFO or socket)");
  } else if (::fcntl(fd_, F_SETFL, O_APPEND) != 0) {
    error = errno;
  }
  truncate_on_write_ = mode == Mode::kTruncate;
  if (error != 0) {
    ::close(fd_);
    fd_ = -1;
    fail_errno(what, path, error);
  }
}

AppendFile::AppendFile(AppendFile&& other) noexcept
    : fd_(other.fd_),
      truncate_on_write_(other.truncate_on_write_),
      path_(std::move(other.path_)),
      what_(std::move(other.what_)) {
  other.fd_ = -1;
}

AppendFile& AppendFile::operator=(AppendFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    truncate_on_write_ = other.truncate_on_write_;
    path_ = std::move(other.path_);
    what_ = std::move(other.what_);
    other.fd_ = -1;
  }
  return *this;
}

AppendFile::~AppendFile() {
  if (fd_ >= 0) ::close(fd_);
}

void AppendFile::write(std::string_view text) {
  if (fd_ < 0) fail(what_, path_, "it is not open");
  if (truncate_on_write_) {
    if (::ftruncate(fd_, 0) != 0) fail_errno(what_, path_, errno);
    truncate_on_write_ = false;
  }
  if (!write_all(fd_, text)) fail_errno(what_, path_, errno);
}

}  // namespace sigma::io
