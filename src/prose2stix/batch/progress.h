// Progress of a batch job on standard error: one line rewritten in place on a terminal (at most
// four times a second), a plain line every five seconds otherwise (logs, CI), nothing when off.
//
//   Progress p(std::cerr, Progress::ModeFor(STDERR_FILENO, quiet), files, bytes);
//   while (running) { p.Update(Snapshot(), elapsed); ... }
//   p.Clear();                         // before the summary
//
// A line reads "  120/4000 files  3.0%  4.21 MB/s  17.5 docs/s  ETA 3m41s  2 failed"; the ETA is
// the bytes still to read over the byte rate so far. With no known total (a stream), it shows the
// count and rates only. Not thread-safe: one thread (the job's driver) calls it.
#ifndef PROSE2STIX_BATCH_PROGRESS_H_
#define PROSE2STIX_BATCH_PROGRESS_H_

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>

namespace prose2stix::batch {

// Counts at one moment of a job.
struct Snapshot {
  size_t done = 0;     // inputs finished, whatever the outcome
  size_t failed = 0;   // inputs that could not be converted
  size_t skipped = 0;  // inputs skipped (output already there)
  uint64_t bytes = 0;  // input bytes read (and skipped inputs' sizes, so the ETA stays honest)
};

class Progress {
 public:
  enum class Mode { kOff, kTerminal, kPlain };
  // kTerminal when `fd` is a terminal, kPlain otherwise, kOff when `quiet`.
  static Mode ModeFor(int fd, bool quiet);

  // `total` inputs (0: unknown) of `total_bytes` bytes (0: unknown); `unit` names them ("files",
  // "lines").
  Progress(std::ostream& out, Mode mode, size_t total, uint64_t total_bytes, std::string unit = "files");

  // Shows `s` if the last line is old enough (or `force`). `elapsed`: seconds since the start.
  void Update(const Snapshot& s, double elapsed, bool force = false);
  // Erases the terminal line (so the next output starts at column 0); no-op in other modes.
  void Clear();

  // The text of one progress line.
  std::string Render(const Snapshot& s, double elapsed) const;

 private:
  std::ostream& out_;
  Mode mode_;
  size_t total_;
  uint64_t total_bytes_;
  std::string unit_;
  double last_ = 0;  // the first line comes one period after the start
  bool line_open_ = false;
};

// "42s", "3m05s", "2h07m".
std::string FormatDuration(double seconds);

}  // namespace prose2stix::batch

#endif  // PROSE2STIX_BATCH_PROGRESS_H_
