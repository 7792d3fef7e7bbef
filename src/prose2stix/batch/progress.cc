// Rates are averages over the whole job (bytes / elapsed), which is steadier than a moving window
// for inputs of mixed size; the ETA divides the bytes left by that rate.
#include "prose2stix/batch/progress.h"

#include <unistd.h>

#include <fmt/format.h>

namespace prose2stix::batch {

Progress::Mode Progress::ModeFor(int fd, bool quiet) {
  if (quiet) return Mode::kOff;
  return isatty(fd) ? Mode::kTerminal : Mode::kPlain;
}

Progress::Progress(std::ostream& out, Mode mode, size_t total, uint64_t total_bytes, std::string unit)
    : out_(out), mode_(mode), total_(total), total_bytes_(total_bytes), unit_(std::move(unit)) {}

std::string FormatDuration(double seconds) {
  if (seconds < 0) seconds = 0;
  auto s = static_cast<uint64_t>(seconds + 0.5);
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
}

std::string Progress::Render(const Snapshot& s, double elapsed) const {
  std::string line;
  double mb = static_cast<double>(s.bytes) / 1e6;
  double rate = elapsed > 0 ? mb / elapsed : 0;
  double docs = elapsed > 0 ? static_cast<double>(s.done) / elapsed : 0;
  if (total_ > 0) {
    double pct = 100.0 * static_cast<double>(s.done) / static_cast<double>(total_);
    line = fmt::format("{}/{} {}  {:.1f}%", s.done, total_, unit_, pct);
  } else {
    line = fmt::format("{} {}", s.done, unit_);
  }
  line += fmt::format("  {:.2f} MB/s  {:.1f} docs/s", rate, docs);
  if (total_ > 0 && s.done > 0 && s.done < total_) {
    double eta = -1;
    if (total_bytes_ > s.bytes && s.bytes > 0) {
      eta = elapsed * static_cast<double>(total_bytes_ - s.bytes) / static_cast<double>(s.bytes);
    } else if (total_bytes_ == 0) {
      eta = elapsed * static_cast<double>(total_ - s.done) / static_cast<double>(s.done);
    }
    if (eta >= 0) line += "  ETA " + FormatDuration(eta);
  }
  if (s.skipped > 0) line += fmt::format("  {} skipped", s.skipped);
  if (s.failed > 0) line += fmt::format("  {} failed", s.failed);
  return line;
}

void Progress::Update(const Snapshot& s, double elapsed, bool force) {
  if (mode_ == Mode::kOff) return;
  double period = mode_ == Mode::kTerminal ? 0.25 : 5.0;
  if (!force && elapsed - last_ < period) return;
  last_ = elapsed;
  if (mode_ == Mode::kTerminal) {
    out_ << "\r" << Render(s, elapsed) << "\x1b[K";
    line_open_ = true;
  } else {
    out_ << "progress: " << Render(s, elapsed) << "\n";
  }
  out_.flush();
}

void Progress::Clear() {
  if (mode_ == Mode::kTerminal && line_open_) {
    out_ << "\r\x1b[K";
    out_.flush();
    line_open_ = false;
  }
}

}  // namespace prose2stix::batch
