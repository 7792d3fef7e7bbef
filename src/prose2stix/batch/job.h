// Batch conversion: many inputs through one shared Converter on a fixed pool of worker threads.
//
//   JobOptions o;
//   o.out_dir = "bundles";   // one bundle per input, named by inputs.h's rules
//   o.merge_path = "all.json";
//   JobSummary s = RunFileJob(*converter, inputs, o, std::cout, std::cerr);
//   std::cerr << FormatSummary(s, o);
//   return s.ExitCode();
//
// File jobs (RunFileJob): each worker takes the next input, reads it (at most the converter's
// max_input_bytes), converts it and writes "<out_dir>/<output name>" atomically; at most `jobs`
// documents are in memory at once, whatever the number of inputs. An input that cannot be
// converted is recorded in the failure list and the job goes on. With skip_existing an input
// whose output exists and looks whole (not empty, ending with '}') is skipped (and, when merging,
// that output is merged instead); an output cut short by a crash, or one that does not merge as a
// bundle, is converted again.
//
// NDJSON jobs (RunNdjsonJob): a stream holds one JSON document per line ({"id", "text" or
// "html", "title", "published", "url"}). Lines are read as they come, converted by the workers
// and written to `out` as one compact bundle per line, in input order (or as finished, with
// ordered = false). At most `window` lines are in flight (read but not yet written), so memory
// is bounded however long the stream. A bad line writes nothing to `out`: the error goes to
// `err` ("<name>, line N: ...") and to failures.ndjson in out_dir when given. Each bundle's
// report names its document ("<name>#<id>") in its external reference.
//
// Both: merge_path gathers every bundle in a stix::BundleMerger (the one structure that grows
// with the job) and writes the merged bundle, validated, atomically ("-": to `out`). SIGINT or
// SIGTERM stops taking new inputs, lets the ones in flight finish and be written, then ends
// with the summary (the merged bundle is not written then: it would be partial; run again with
// skip_existing to finish). A second signal abandons the inputs in flight: their temporary files
// are deleted, failures.ndjson and the summary are written, and the process exits at once
// (std::_Exit) with 128 + the signal number, since workers busy in a conversion cannot be joined.
//
// Thread safety: run one job at a time per process (signal handling is process-wide).
#ifndef PROSE2STIX_BATCH_JOB_H_
#define PROSE2STIX_BATCH_JOB_H_

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "prose2stix/batch/failure_log.h"
#include "prose2stix/batch/inputs.h"
#include "prose2stix/batch/progress.h"

namespace prose2stix::convert {
class Converter;
}

namespace prose2stix::batch {

struct JobOptions {
  // One bundle per input below this directory (file jobs), and failures.ndjson (both kinds).
  // Empty: none.
  std::string out_dir;
  // One merged bundle for the whole job; "-" writes it to `out`. Empty: none.
  std::string merge_path;
  // Two-space indented bundles (per-input files and the merged bundle; NDJSON lines never).
  bool pretty = false;
  // Skip inputs whose output exists already (file jobs with out_dir).
  bool skip_existing = false;
  // fsync each output before renaming it into place.
  bool sync = true;
  // Worker threads; 0: std::thread::hardware_concurrency().
  unsigned jobs = 0;
  // NDJSON: write bundles in input order (else as they are finished).
  bool ordered = true;
  // NDJSON: lines in flight at most; 0: 4 per worker (at least 8).
  size_t window = 0;
  // Progress display on `err`.
  Progress::Mode progress = Progress::Mode::kOff;
  // Only failures in the summary, not the totals.
  bool quiet = false;
};

struct JobSummary {
  size_t total = 0;      // inputs (NDJSON: non-blank lines read)
  size_t converted = 0;
  size_t failed = 0;
  size_t skipped = 0;
  size_t not_started = 0;  // left when interrupted
  uint64_t objects = 0;    // objects in the bundles written (before any merge)
  uint64_t bytes = 0;      // input bytes converted
  double seconds = 0;
  unsigned jobs = 0;       // worker threads used
  int signal = 0;          // the signal that interrupted the job, 0 when none
  std::vector<Failure> failures;
  // Merging: the merged bundle's object count, where it went, or why it could not be written.
  size_t merged_objects = 0;
  bool merged_written = false;
  std::string merge_error;
  // A problem with the job's own files (failures.ndjson) rather than an input.
  std::string job_error;

  // 128 + signal when interrupted, 1 when an input failed or an output could not be written,
  // else 0.
  int ExitCode() const;
};

JobSummary RunFileJob(const convert::Converter& converter, const std::vector<InputFile>& inputs,
                      const JobOptions& options, std::ostream& out, std::ostream& err);

// Reads the stream on `fd` (named `name` in errors and reports) until its end or a signal.
JobSummary RunNdjsonJob(const convert::Converter& converter, int fd, std::string_view name,
                        const JobOptions& options, std::ostream& out, std::ostream& err);

// The summary for standard error: failed inputs with reasons (the first 50 when a
// failures.ndjson holds them all), totals (unless quiet), where the merged bundle went, and how
// to resume.
// `list_failures`: false when they were already printed as they happened.
std::string FormatSummary(const JobSummary& summary, const JobOptions& options, bool list_failures = true);

}  // namespace prose2stix::batch

#endif  // PROSE2STIX_BATCH_JOB_H_
