// File I/O with POSIX calls: errors carry errno text and the path; writes go through a temporary
// file and rename(2), which is atomic within one file system.
#include "prose2stix/util/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

namespace prose2stix {

namespace {

std::string ErrnoText(int err) { return std::string(std::strerror(err)); }

// Reads `fd` to its end. `st` is its fstat (nullptr when unknown): a regular file's size is read
// straight into the string, and a read that ends exactly at that size, short of the byte asked
// beyond it, is taken as the end: a small file costs one read(2). Anything else (a pipe, a file
// that grows, /proc files that claim size 0) is read in 64 KB steps until read(2) returns 0.
Result<std::string> ReadFd(int fd, const std::string& path, uint64_t max_bytes, const struct stat* st) {
  const bool regular = st != nullptr && S_ISREG(st->st_mode);
  const uint64_t size = regular ? static_cast<uint64_t>(st->st_size) : 0;
  if (size > max_bytes) {
    return Status::TooLarge("file is " + std::to_string(size) + " bytes, over the limit of " + std::to_string(max_bytes),
                            path);
  }
  // For a regular file one byte more than its size, so that a file that has grown is noticed.
  size_t want = regular ? static_cast<size_t>(size) + 1 : size_t{1} << 16;
  std::string out;
  size_t have = 0;
  for (;;) {
    if (out.size() - have < want) out.resize(have + want);
    ssize_t n = ::read(fd, out.data() + have, out.size() - have);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError("cannot read: " + ErrnoText(errno), path);
    }
    if (n == 0) break;
    size_t asked = out.size() - have;
    have += static_cast<size_t>(n);
    if (have > max_bytes) {
      return Status::TooLarge("input is over the limit of " + std::to_string(max_bytes) + " bytes", path);
    }
    if (regular && size > 0 && have == size && static_cast<size_t>(n) < asked) break;
    want = size_t{1} << 16;
  }
  out.resize(have);
  return out;
}

}  // namespace

Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes) {
  if (path == "-") return ReadFd(STDIN_FILENO, "<stdin>", max_bytes, nullptr);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return Status::NotFound("no such file", path);
    return Status::IoError("cannot open: " + ErrnoText(err), path);
  }
  struct stat st {};
  bool have_stat = fstat(fd, &st) == 0;
  if (have_stat && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument("is a directory", path);
  }
  Result<std::string> r = ReadFd(fd, path, max_bytes, have_stat ? &st : nullptr);
  ::close(fd);
  return r;
}

int WriteAll(int fd, std::string_view data) {
  const char* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return 0;
}

Status WriteFileAtomic(const std::string& path, std::string_view data) {
  static std::atomic<unsigned> counter{0};
  std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IoError("cannot create: " + ErrnoText(errno), tmp);
  if (int err = WriteAll(fd, data); err != 0) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return Status::IoError("cannot write: " + ErrnoText(err), tmp);
  }
  if (::fsync(fd) != 0 && errno != EINVAL) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return Status::IoError("cannot sync: " + ErrnoText(err), tmp);
  }
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Status::IoError("cannot close: " + ErrnoText(err), tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Status::IoError("cannot rename into place: " + ErrnoText(err), path);
  }
  return Status::Ok();
}

Result<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths,
                                             const std::vector<std::string>& suffixes) {
  namespace fs = std::filesystem;
  auto wanted = [&](const std::string& name) {
    if (suffixes.empty()) return true;
    return std::any_of(suffixes.begin(), suffixes.end(), [&](const std::string& s) {
      return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
    });
  };
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    if (p == "-") {
      out.push_back(p);
      continue;
    }
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) return Status::NotFound("no such file or directory", p);
    if (!fs::is_directory(st)) {
      out.push_back(p);
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) return Status::IoError("cannot list directory: " + ec.message(), p);
    for (; it != end; it.increment(ec)) {
      if (ec) return Status::IoError("cannot list directory: " + ec.message(), p);
      std::error_code ec2;
      if (it->is_regular_file(ec2) && wanted(it->path().filename().string())) {
        found.push_back(it->path().string());
      }
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

}  // namespace prose2stix
