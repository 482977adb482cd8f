// The one way sigma writes a file: whole, through a temporary that nobody else can have planted,
// or not at all. Used by the model file, sigma::plot and the CLI (the report, the training log).
#pragma once

#include <sigma/file.hpp>
#include <string>
#include <string_view>

namespace sigma::io {

// Replaces `path` with `bytes`: writes them to a new temporary `.NAME.sigma-tmp-PID-XXXXXX`
// beside it (created with O_EXCL | O_NOFOLLOW, so a planted file or link is never opened),
// syncs it, gives it the mode of the file it replaces, renames it over `path` and syncs the
// folder. A crash leaves the old file or the new one, whole; every failure removes the
// temporary and throws sigma::Error naming `what` and `path`. Refuses a target that is not a
// regular file, and a symbolic link unless `symlinks` is kFollow. Temporaries left beside `path`
// by a killed process are removed.
void write_file(const std::string& path, std::string_view bytes, std::string_view what,
                Symlinks symlinks = Symlinks::kRefuse);

// Throws what write_file would for `path` (a folder, FIFO, device or, unless followed, symbolic
// link), so that a long job can refuse its output before it starts rather than after.
void check_writable(const std::string& path, std::string_view what,
                    Symlinks symlinks = Symlinks::kRefuse);

// A file that grows by whole lines (sigma train's log), written straight through (unbuffered)
// so that a killed run keeps every line it wrote. Opening refuses what write_file refuses; it
// never follows a symbolic link unless asked, and never blocks on a FIFO.
class AppendFile {
 public:
  enum class Mode { kTruncate, kAppend };
  AppendFile() = default;
  AppendFile(const std::string& path, Mode mode, std::string_view what,
             Symlinks symlinks = Symlinks::kRefuse);
  AppendFile(AppendFile&& other) noexcept;
  AppendFile& operator=(AppendFile&& other) noexcept;
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;
  ~AppendFile();

  bool is_open() const noexcept { return fd_ >= 0; }
  // Writes all of `text`; throws sigma::Error if it cannot.
  void write(std::string_view text);

 private:
  int fd_ = -1;
  // kTruncate empties the file at the first write, not at the open: a run that fails before it
  // has anything to log leaves the old log as it was.
  bool truncate_on_write_ = false;
  std::string path_;
  std::string what_;
};

// The temporaries write_file uses for `path` start with this (".NAME.sigma-tmp-").
std::string temporary_prefix(const std::string& path);

}  // namespace sigma::io
