// poll(2) waits for input with a timeout; read(2) appends up to 64 KiB to the buffer, which is
// compacted when its consumed part is over half of it. An overlong line is dropped as soon as it
// outgrows the limit, and the reader then skips to the next newline.
#include "prose2stix/batch/line_reader.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace prose2stix::batch {

LineReader::Event LineReader::Next(std::string* line, int timeout_ms) {
  for (;;) {
    size_t nl = buf_.find('\n', pos_);
    if (nl != std::string::npos) {
      ++line_no_;
      bool too_long = skipping_ || nl - pos_ > max_line_;
      skipping_ = false;
      if (!too_long) {
        size_t end = nl;
        if (end > pos_ && buf_[end - 1] == '\r') --end;
        line->assign(buf_, pos_, end - pos_);
      }
      pos_ = nl + 1;
      if (pos_ > buf_.size() / 2) {
        buf_.erase(0, pos_);
        pos_ = 0;
      }
      return too_long ? Event::kTooLong : Event::kLine;
    }
    if (buf_.size() - pos_ > max_line_) {
      skipping_ = true;  // no newline yet: drop what we have of this line
      buf_.clear();
      pos_ = 0;
    }
    if (eof_) {
      if (pos_ < buf_.size() || skipping_) {
        ++line_no_;
        bool too_long = skipping_;
        skipping_ = false;
        if (!too_long) {
          size_t end = buf_.size();
          if (end > pos_ && buf_[end - 1] == '\r') --end;
          line->assign(buf_, pos_, end - pos_);
        }
        buf_.clear();
        pos_ = 0;
        return too_long ? Event::kTooLong : Event::kLine;
      }
      return Event::kEnd;
    }
    struct pollfd pfd {};
    pfd.fd = fd_;
    pfd.events = POLLIN;
    int ready = ::poll(&pfd, 1, timeout_ms);
    if (ready == 0) return Event::kTimeout;
    if (ready < 0) {
      if (errno == EINTR) return Event::kTimeout;
      error_ = std::string("cannot wait for input: ") + std::strerror(errno);
      return Event::kError;
    }
    char chunk[1 << 16];
    ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) return Event::kTimeout;
      error_ = std::string("cannot read: ") + std::strerror(errno);
      return Event::kError;
    }
    if (n == 0) {
      eof_ = true;
      continue;
    }
    bytes_ += static_cast<uint64_t>(n);
    buf_.append(chunk, static_cast<size_t>(n));
  }
}

}  // namespace prose2stix::batch
