// The job driver owns the calling thread: it starts a fixed pool of workers, then wakes every
// 100 ms to draw progress and look at the signal counter, and joins the workers when the inputs
// run out. Workers share one Converter (immutable, thread-safe), pull input indices from an
// atomic counter (file jobs) or tasks from a bounded queue (NDJSON), and keep nothing between
// inputs, so memory is the documents in flight plus the merge index. Failures and merging are
// funnelled through mutexes; the BundleMerger's Add is cheap next to a conversion. NDJSON results
// pass through a reorder buffer keyed by sequence number, which the window bounds.
#include "prose2stix/batch/job.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "prose2stix/batch/interrupt.h"
#include "prose2stix/batch/line_reader.h"
#include "prose2stix/batch/output_writer.h"
#include "prose2stix/convert/pipeline.h"
#include "prose2stix/ingest/ndjson_reader.h"
#include "prose2stix/stix/merge.h"
#include "prose2stix/util/file.h"
#include "prose2stix/validate/validator.h"

namespace prose2stix::batch {

namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

unsigned ResolveJobs(unsigned jobs) {
  if (jobs > 0) return jobs;
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  return (std::filesystem::path(dir) / name).string();
}

// The merged bundle under construction, fed by many workers.
class MergeSink {
 public:
  Status Add(std::string_view json, std::string_view name) {
    std::lock_guard<std::mutex> lock(mu_);
    return merger_.Add(json, name);
  }
  stix::BundleMerger& merger() { return merger_; }

 private:
  std::mutex mu_;
  stix::BundleMerger merger_;
};

// Counters shared by the workers and read by the driver for progress.
struct Counters {
  std::atomic<size_t> done{0}, converted{0}, failed{0}, skipped{0};
  std::atomic<uint64_t> objects{0}, bytes{0};

  Snapshot Snap() const {
    Snapshot s;
    s.done = done.load();
    s.failed = failed.load();
    s.skipped = skipped.load();
    s.bytes = bytes.load();
    return s;
  }
  void Fill(JobSummary* s) const {
    s->converted = converted.load();
    s->failed = failed.load();
    s->skipped = skipped.load();
    s->objects = objects.load();
    s->bytes = bytes.load();
  }
};

// True when the file at `path` looks like a whole bundle written by a job: not empty and ending
// with '}' (and a newline). A file cut short by a crash before it reached the disk (size 0, or
// zeros at the end) fails the test and its input is converted again.
bool LooksComplete(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  bool ok = false;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 2) {
    char tail[2] = {0, 0};
    if (::pread(fd, tail, 2, st.st_size - 2) == 2) ok = tail[1] == '}' || (tail[0] == '}' && tail[1] == '\n');
  }
  ::close(fd);
  return ok;
}

// The reason an input failed, without repeating its name when the status names it already.
std::string Reason(const Status& s, const std::string& path) {
  if (s.context() == path) return fmt::format("{}: {}", Status::CodeName(s.code()), s.message());
  return s.ToString();
}

// Finishes, validates and writes the merged bundle; records the outcome in `summary`.
void WriteMerged(stix::BundleMerger& merger, const JobOptions& options, std::ostream& out, JobSummary* summary) {
  std::string bundle = merger.Finish(options.pretty);
  summary->merged_objects = merger.objects();
  Result<std::unique_ptr<validate::Validator>> validator = validate::Validator::Create(validate::ValidatorOptions());
  if (!validator.ok()) {
    summary->merge_error = "cannot validate the merged bundle: " + validator.status().ToString();
    return;
  }
  validate::ValidationReport report = (*validator)->ValidateString(bundle, options.merge_path);
  if (!report.valid()) {
    std::string detail = "no detail";
    for (const validate::Diagnostic& d : report.diagnostics) {
      if (d.severity == validate::Severity::kError) {
        detail = fmt::format("{} at {} [{}]: {}", d.object_id, d.pointer, d.code, d.message);
        break;
      }
    }
    summary->merge_error = "the merged bundle failed validation, so it was not written: " + detail;
    return;
  }
  bundle.push_back('\n');
  if (options.merge_path == "-") {
    out << bundle;
    out.flush();
    if (!out) {
      summary->merge_error = "cannot write the merged bundle to standard output";
      return;
    }
  } else if (Status s = WriteFileAtomic(options.merge_path, bundle); !s.ok()) {
    summary->merge_error = s.ToString();
    return;
  }
  summary->merged_written = true;
}

void WriteFailureList(const JobOptions& options, JobSummary* summary) {
  if (options.out_dir.empty()) return;
  std::string path = JoinPath(options.out_dir, kFailuresFileName);
  if (Status s = WriteFileAtomic(path, FailuresToNdjson(summary->failures)); !s.ok()) {
    summary->job_error = s.ToString();
  }
}

// The end of a job abandoned by a second signal: nothing more is renamed into place, temporary
// files are gone, the failure list and the summary are written, and the process ends without
// waiting for the workers still inside a conversion.
[[noreturn]] void AbandonJob(OutputWriter* writer, JobSummary summary, const JobOptions& options, std::ostream& out,
                             std::ostream& err, bool list_failures) {
  if (writer) writer->Abandon();
  WriteFailureList(options, &summary);
  out.flush();
  err << FormatSummary(summary, options, list_failures);
  err << "prose2stix convert: abandoned the inputs in flight (second signal)\n";
  err.flush();
  std::_Exit(summary.ExitCode());
}

}  // namespace

int JobSummary::ExitCode() const {
  if (signal != 0) return 128 + signal;
  if (failed > 0 || !merge_error.empty() || !job_error.empty()) return 1;
  return 0;
}

std::string FormatSummary(const JobSummary& s, const JobOptions& options, bool list_failures) {
  std::string out;
  const char* kPrefix = "prose2stix convert: ";
  if (list_failures && !s.failures.empty()) {
    constexpr size_t kListed = 50;
    bool in_file = !options.out_dir.empty();
    size_t shown = in_file ? std::min(kListed, s.failures.size()) : s.failures.size();
    out += fmt::format("{}failed input{}:\n", kPrefix, s.failures.size() == 1 ? "" : "s");
    for (size_t i = 0; i < shown; ++i) {
      const Failure& f = s.failures[i];
      if (f.line > 0) {
        out += fmt::format("  {}, line {}: {}\n", f.input, f.line, f.error);
      } else {
        out += fmt::format("  {}: {}\n", f.input, f.error);
      }
    }
    if (shown < s.failures.size()) out += fmt::format("  ... and {} more\n", s.failures.size() - shown);
  }
  if (!options.quiet) {
    double mb = static_cast<double>(s.bytes) / 1e6;
    double secs = s.seconds > 0 ? s.seconds : 1e-9;
    out += fmt::format("{}{} converted, {} failed, {} skipped of {} input{}; {} objects; {:.1f} MB in {:.1f} s "
                       "({:.2f} MB/s, {:.1f} docs/s, {} job{})\n",
                       kPrefix, s.converted, s.failed, s.skipped, s.total, s.total == 1 ? "" : "s", s.objects, mb,
                       s.seconds, mb / secs, static_cast<double>(s.converted + s.failed) / secs, s.jobs,
                       s.jobs == 1 ? "" : "s");
  }
  if (!options.out_dir.empty() && !s.failures.empty()) {
    out += fmt::format("{}failures listed in {}\n", kPrefix, JoinPath(options.out_dir, kFailuresFileName));
  }
  if (!s.job_error.empty()) out += fmt::format("{}{}\n", kPrefix, s.job_error);
  if (!options.merge_path.empty()) {
    if (!s.merge_error.empty()) {
      out += fmt::format("{}merge: {}\n", kPrefix, s.merge_error);
    } else if (s.merged_written && !options.quiet) {
      out += fmt::format("{}merged {} objects into {}\n", kPrefix, s.merged_objects,
                         options.merge_path == "-" ? std::string("standard output") : options.merge_path);
    }
  }
  if (s.signal != 0) {
    std::string sig = s.signal == SIGINT    ? "SIGINT"
                      : s.signal == SIGTERM ? "SIGTERM"
                                            : fmt::format("signal {}", s.signal);
    out += fmt::format("{}interrupted by {}: {} input{} not started", kPrefix, sig, s.not_started,
                       s.not_started == 1 ? "" : "s");
    if (!options.merge_path.empty()) out += "; the merged bundle was not written";
    if (!options.out_dir.empty()) out += "; run again with --skip-existing to finish";
    out += "\n";
  }
  return out;
}

JobSummary RunFileJob(const convert::Converter& converter, const std::vector<InputFile>& inputs,
                      const JobOptions& options, std::ostream& out, std::ostream& err) {
  InterruptScope interrupts;
  const Clock::time_point start = Clock::now();
  const size_t n = inputs.size();
  const unsigned jobs = static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(ResolveJobs(options.jobs), n)));
  const bool write_files = !options.out_dir.empty();
  std::optional<MergeSink> merge;
  if (!options.merge_path.empty()) merge.emplace();
  OutputWriter writer(options.sync);
  FailureLog failures;
  Counters counters;
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::condition_variable cv;
  unsigned running = jobs;
  uint64_t total_bytes = 0;
  for (const InputFile& in : inputs) total_bytes += in.size;

  auto fail = [&](const InputFile& in, std::string error) {
    failures.Add(Failure{in.path, std::move(error), 0});
    counters.failed++;
  };
  auto process = [&](const InputFile& in) {
    std::string out_path = write_files ? JoinPath(options.out_dir, in.output) : std::string();
    if (!in.error.empty()) return fail(in, in.error);
    if (options.skip_existing && write_files) {
      std::error_code ec;
      if (std::filesystem::exists(out_path, ec)) {
        bool reused = LooksComplete(out_path);
        if (reused && merge) {
          Result<std::string> old = ReadFile(out_path, converter.options().max_input_bytes);
          reused = old.ok() && merge->Add(*old, out_path).ok();
        }
        if (reused) {
          counters.skipped++;
          counters.bytes += in.size;
          return;
        }
      }
    }
    Result<std::string> bytes = ReadFile(in.path, converter.options().max_input_bytes);
    if (!bytes.ok()) return fail(in, Reason(bytes.status(), in.path));
    if (bytes->empty()) return fail(in, Reason(Status::InvalidInput("empty file"), in.path));
    Result<convert::Conversion> conv = converter.Convert(*bytes, in.path);
    if (!conv.ok()) return fail(in, Reason(conv.status(), in.path));
    size_t size = bytes->size();
    bytes->clear();
    bytes->shrink_to_fit();
    if (write_files) {
      // The compact JSON is written from the conversion itself with its newline appended for the
      // write (the writer's buffer has room to spare, so no copy of the bundle), then cut back for
      // the merge.
      std::string pretty_json = options.pretty ? convert::Converter::ToJson(conv->bundle, true) : std::string();
      std::string& json = options.pretty ? pretty_json : conv->json;
      json.push_back('\n');
      Status s = writer.Write(out_path, json);
      json.pop_back();
      if (!s.ok()) {
        if (s.code() == Status::Code::kUnsupported) return;  // abandoned: neither done nor failed
        return fail(in, s.ToString());
      }
    }
    if (merge) {
      if (Status s = merge->Add(conv->json, in.path); !s.ok()) return fail(in, "merge: " + s.ToString());
    }
    counters.converted++;
    counters.objects += conv->objects;
    counters.bytes += size;
  };
  auto worker = [&] {
    while (!stop.load()) {
      size_t i = next.fetch_add(1);
      if (i >= n) break;
      process(inputs[i]);
      counters.done++;
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      --running;
    }
    cv.notify_all();
  };

  std::vector<std::thread> threads;
  threads.reserve(jobs);
  for (unsigned i = 0; i < jobs; ++i) threads.emplace_back(worker);

  Progress progress(err, options.progress, n, total_bytes);
  JobSummary summary;
  summary.total = n;
  summary.jobs = jobs;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu);
      if (cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return running == 0; })) break;
    }
    int signals = interrupts.signals();
    if (signals >= 1) stop.store(true);
    if (signals >= 2) {
      progress.Clear();
      counters.Fill(&summary);
      summary.seconds = Since(start);
      summary.signal = interrupts.last_signal();
      summary.not_started = n - std::min(n, next.load());
      summary.failures = failures.entries();
      AbandonJob(&writer, std::move(summary), options, out, err, true);
    }
    progress.Update(counters.Snap(), Since(start));
  }
  for (std::thread& t : threads) t.join();
  progress.Clear();

  counters.Fill(&summary);
  summary.seconds = Since(start);
  summary.failures = failures.entries();
  if (interrupts.signals() > 0) {
    summary.signal = interrupts.last_signal();
    summary.not_started = n - std::min(n, counters.done.load());
  }
  if (merge && summary.signal == 0) WriteMerged(merge->merger(), options, out, &summary);
  WriteFailureList(options, &summary);
  return summary;
}

namespace {

// One NDJSON line on its way through the workers.
struct LineTask {
  size_t seq = 0;
  size_t line_no = 0;
  std::string line;
  std::string error;  // set by the reader (line too long): no conversion
};

struct LineResult {
  bool ok = false;
  std::string json;  // the compact bundle
  Failure failure;
};

}  // namespace

JobSummary RunNdjsonJob(const convert::Converter& converter, int fd, std::string_view name,
                        const JobOptions& options, std::ostream& out, std::ostream& err) {
  InterruptScope interrupts;
  const Clock::time_point start = Clock::now();
  const unsigned jobs = ResolveJobs(options.jobs);
  const size_t window = options.window > 0 ? options.window : std::max<size_t>(8, size_t{4} * jobs);
  const bool lines_to_out = options.merge_path != "-";
  const std::string stream_name(name);
  std::optional<MergeSink> merge;
  if (!options.merge_path.empty()) merge.emplace();
  FailureLog failures;
  Counters counters;

  std::mutex mu;                      // guards everything below
  std::condition_variable work_cv;    // tasks queued or queue closed
  std::condition_variable space_cv;   // room in the window, or a worker finished
  std::deque<LineTask> queue;
  bool closed = false;
  size_t in_flight = 0;               // read and not yet emitted
  size_t next_emit = 0;
  std::map<size_t, LineResult> pending;
  unsigned running = jobs;
  bool out_failed = false;

  // Writes finished results to `out`: in sequence order, or each as it comes. Holds `mu`.
  auto emit = [&](LineResult& r) {
    if (r.ok) {
      if (lines_to_out) {
        out << r.json << '\n';
        if (!out) out_failed = true;
      }
    } else {
      failures.Add(std::move(r.failure));
    }
    --in_flight;
  };
  auto convert_line = [&](LineTask& task) {
    LineResult r;
    r.failure.input = stream_name;
    r.failure.line = task.line_no;
    if (!task.error.empty()) {
      r.failure.error = task.error;
      return r;
    }
    Result<ingest::Document> doc = ingest::ReadNdjsonLine(task.line, task.line_no, stream_name);
    if (!doc.ok()) {
      r.failure.error = doc.status().ToString();
      return r;
    }
    uint64_t size = task.line.size();
    task.line.clear();
    task.line.shrink_to_fit();
    std::vector<ingest::Document> docs;
    docs.push_back(std::move(*doc));
    Result<convert::Conversion> conv = converter.ConvertDocuments(std::move(docs));
    if (!conv.ok()) {
      r.failure.error = conv.status().ToString();
      return r;
    }
    if (merge) {
      if (Status s = merge->Add(conv->json, stream_name); !s.ok()) {
        r.failure.error = "merge: " + s.ToString();
        return r;
      }
    }
    counters.converted++;
    counters.objects += conv->objects;
    counters.bytes += size;
    r.ok = true;
    r.json = std::move(conv->json);
    return r;
  };
  auto worker = [&] {
    for (;;) {
      LineTask task;
      {
        std::unique_lock<std::mutex> lock(mu);
        work_cv.wait(lock, [&] { return !queue.empty() || closed; });
        if (queue.empty()) break;
        task = std::move(queue.front());
        queue.pop_front();
      }
      LineResult r = convert_line(task);
      if (!r.ok) counters.failed++;
      counters.done++;
      std::lock_guard<std::mutex> lock(mu);
      if (!options.ordered) {
        emit(r);
      } else {
        pending.emplace(task.seq, std::move(r));
        for (auto it = pending.find(next_emit); it != pending.end(); it = pending.find(next_emit)) {
          emit(it->second);
          pending.erase(it);
          ++next_emit;
        }
      }
      if (in_flight == 0 || queue.empty()) out.flush();
      space_cv.notify_all();
    }
    std::lock_guard<std::mutex> lock(mu);
    --running;
    space_cv.notify_all();
  };
  std::vector<std::thread> threads;
  threads.reserve(jobs);
  for (unsigned i = 0; i < jobs; ++i) threads.emplace_back(worker);

  Progress progress(err, options.progress, 0, 0, "lines");
  JobSummary summary;
  summary.jobs = jobs;
  size_t printed_failures = 0;
  // Errors of bad lines go to `err` as they happen (a stream may never end).
  auto report_failures = [&] {
    std::vector<Failure> all = failures.entries();
    if (all.size() == printed_failures) return;
    progress.Clear();
    for (size_t i = printed_failures; i < all.size(); ++i) {
      const Failure& f = all[i];
      // Reader errors name the place already ("<stdin>, line 3, column 7").
      bool placed = f.error.find(fmt::format("{}, line {}", f.input, f.line)) != std::string::npos;
      err << "prose2stix convert: ";
      if (!placed) err << f.input << ", line " << f.line << ": ";
      err << f.error << "\n";
    }
    err.flush();
    printed_failures = all.size();
  };
  auto check_abandon = [&] {
    if (interrupts.signals() < 2) return;
    progress.Clear();
    report_failures();
    std::lock_guard<std::mutex> lock(mu);
    counters.Fill(&summary);
    summary.seconds = Since(start);
    summary.signal = interrupts.last_signal();
    summary.failures = failures.entries();
    AbandonJob(nullptr, std::move(summary), options, out, err, false);
  };

  LineReader reader(fd, static_cast<size_t>(std::min<uint64_t>(converter.options().max_input_bytes, SIZE_MAX)));
  size_t seq = 0;
  std::string line;
  std::string read_error;
  while (interrupts.signals() == 0) {
    progress.Update(counters.Snap(), Since(start));
    report_failures();
    {
      std::unique_lock<std::mutex> lock(mu);
      if (in_flight >= window) {
        space_cv.wait_for(lock, std::chrono::milliseconds(100));
        continue;
      }
    }
    LineReader::Event e = reader.Next(&line, 100);
    if (e == LineReader::Event::kTimeout) continue;
    if (e == LineReader::Event::kEnd) break;
    if (e == LineReader::Event::kError) {
      read_error = stream_name + ": " + reader.error();
      break;
    }
    LineTask task;
    task.line_no = reader.line_no();
    if (e == LineReader::Event::kTooLong) {
      task.error = fmt::format("TooLarge: line is over the limit of {} bytes", converter.options().max_input_bytes);
    } else {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank lines are skipped
      task.line = std::move(line);
      line.clear();
    }
    task.seq = seq++;
    std::lock_guard<std::mutex> lock(mu);
    ++in_flight;
    queue.push_back(std::move(task));
    work_cv.notify_one();
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    closed = true;
    work_cv.notify_all();
  }
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu);
      if (space_cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return running == 0; })) break;
    }
    check_abandon();
    progress.Update(counters.Snap(), Since(start));
    report_failures();
  }
  for (std::thread& t : threads) t.join();
  progress.Clear();
  report_failures();
  out.flush();

  counters.Fill(&summary);
  summary.total = seq;
  summary.seconds = Since(start);
  summary.failures = failures.entries();
  if (interrupts.signals() > 0) summary.signal = interrupts.last_signal();
  if (!read_error.empty()) summary.job_error = read_error;
  if (out_failed) summary.job_error = "cannot write standard output";
  if (merge && summary.signal == 0) WriteMerged(merge->merger(), options, out, &summary);
  WriteFailureList(options, &summary);
  return summary;
}

}  // namespace prose2stix::batch
