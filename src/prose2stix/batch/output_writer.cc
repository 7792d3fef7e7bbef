// Each write registers its temporary name and creates the file under the mutex, and removes the
// name under the mutex after the rename, so Abandon() sees every temporary file that may exist, and
// a rename never happens after Abandon() has returned.
#include "prose2stix/batch/output_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "prose2stix/util/file.h"

namespace prose2stix::batch {

namespace {

std::string ErrnoText(int err) { return std::string(std::strerror(err)); }

}  // namespace

OutputWriter::OutputWriter(bool sync) : sync_(sync), pid_(std::to_string(::getpid())) {}

Status OutputWriter::MakeParent(const std::string& path) {
  namespace fs = std::filesystem;
  size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return Status::Ok();
  std::string parent = path.substr(0, slash);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (made_dirs_.count(parent) != 0) return Status::Ok();
  }
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec && !fs::is_directory(parent)) return Status::IoError("cannot create directory: " + ec.message(), parent);
  std::lock_guard<std::mutex> lock(mu_);
  made_dirs_.insert(std::move(parent));
  return Status::Ok();
}

Status OutputWriter::Write(const std::string& path, std::string_view data) {
  if (Status s = MakeParent(path); !s.ok()) return s;
  std::string tmp;
  int fd = -1, open_errno = 0;
  {
    // Created under the lock: Abandon() either comes first (nothing is created) or finds the name.
    std::lock_guard<std::mutex> lock(mu_);
    if (abandoned_) return Status::Unsupported("interrupted", path);
    tmp = path + ".tmp." + pid_ + "." + std::to_string(counter_++);
    temps_.insert(tmp);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    open_errno = errno;
  }
  auto fail = [&](const std::string& what, int err) {
    ::unlink(tmp.c_str());
    std::lock_guard<std::mutex> lock(mu_);
    temps_.erase(tmp);
    return Status::IoError(what + ": " + ErrnoText(err), tmp);
  };
  if (fd < 0) return fail("cannot create", open_errno);
  if (int err = WriteAll(fd, data); err != 0) {
    ::close(fd);
    return fail("cannot write", err);
  }
  if (sync_ && ::fsync(fd) != 0 && errno != EINVAL) {
    int err = errno;
    ::close(fd);
    return fail("cannot sync", err);
  }
  if (::close(fd) != 0) return fail("cannot close", errno);
  std::lock_guard<std::mutex> lock(mu_);
  if (abandoned_) {
    // Abandon() has already unlinked it; make sure.
    ::unlink(tmp.c_str());
    temps_.erase(tmp);
    return Status::Unsupported("interrupted", path);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    temps_.erase(tmp);
    return Status::IoError("cannot rename into place: " + ErrnoText(err), path);
  }
  temps_.erase(tmp);
  return Status::Ok();
}

void OutputWriter::Abandon() {
  std::lock_guard<std::mutex> lock(mu_);
  abandoned_ = true;
  for (const std::string& t : temps_) ::unlink(t.c_str());
  temps_.clear();
}

size_t OutputWriter::in_progress() const {
  std::lock_guard<std::mutex> lock(mu_);
  return temps_.size();
}

}  // namespace prose2stix::batch
