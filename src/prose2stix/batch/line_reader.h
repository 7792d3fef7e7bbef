// Reads lines from a file descriptor (a pipe, a terminal, a file) with a bounded buffer and a
// timeout, so a streaming job can check for Ctrl-C and draw progress while it waits for input.
//
//   LineReader r(STDIN_FILENO, max_line_bytes);
//   std::string line;
//   for (;;) {
//     LineReader::Event e = r.Next(&line, 100);
//     if (e == LineReader::Event::kLine) Use(line, r.line_no());
//     else if (e == LineReader::Event::kEnd) break;
//     ...
//   }
//
// Lines end with "\n" (a "\r" before it is dropped); the last line may lack it. A line longer
// than `max_line` bytes is not kept: its bytes are skipped up to the next newline and Next
// returns kTooLong, so memory stays bounded by `max_line` plus one read. Not thread-safe. The
// descriptor is not closed.
#ifndef PROSE2STIX_BATCH_LINE_READER_H_
#define PROSE2STIX_BATCH_LINE_READER_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace prose2stix::batch {

class LineReader {
 public:
  enum class Event {
    kLine,     // *line holds the next line
    kTooLong,  // the next line was longer than max_line and was skipped
    kTimeout,  // no complete line within the timeout (or a signal arrived); call again
    kEnd,      // end of input
    kError,    // read failed; error() says why
  };

  LineReader(int fd, size_t max_line) : fd_(fd), max_line_(max_line) {}

  // Waits at most `timeout_ms` milliseconds for more input (negative: forever).
  Event Next(std::string* line, int timeout_ms);

  // 1-based number of the line last returned (kLine or kTooLong).
  size_t line_no() const { return line_no_; }
  // Bytes read so far.
  uint64_t bytes() const { return bytes_; }
  const std::string& error() const { return error_; }

 private:
  int fd_;
  size_t max_line_;
  std::string buf_;
  size_t pos_ = 0;        // start of the unread part of buf_
  bool eof_ = false;
  bool skipping_ = false;  // inside a line that is too long
  size_t line_no_ = 0;
  uint64_t bytes_ = 0;
  std::string error_;
};

}  // namespace prose2stix::batch

#endif  // PROSE2STIX_BATCH_LINE_READER_H_
