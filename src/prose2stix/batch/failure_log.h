// The inputs a batch job could not convert, with the reason, as a list shown in the summary and
// as failures.ndjson in the output directory: one {"input": ..., "error": ...} object per line
// (NDJSON jobs add "line": N, the 1-based input line). The file is written atomically at the end
// of the job, also when it was interrupted, and also when empty (so a re-run that succeeds does
// not leave an old list behind).
//
// Thread-safe: Add may be called from many threads.
#ifndef PROSE2STIX_BATCH_FAILURE_LOG_H_
#define PROSE2STIX_BATCH_FAILURE_LOG_H_

#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include "prose2stix/util/status.h"

namespace prose2stix::batch {

struct Failure {
  std::string input;  // the file (or stream name)
  std::string error;  // why, as Status::ToString gives it
  size_t line = 0;    // 1-based line of an NDJSON stream, 0 for files
};

// The name of the failure list inside the output directory.
inline constexpr const char* kFailuresFileName = "failures.ndjson";

class FailureLog {
 public:
  void Add(Failure failure);
  size_t size() const;
  // The failures so far, in the order they were added.
  std::vector<Failure> entries() const;

 private:
  mutable std::mutex mu_;
  std::vector<Failure> failures_;
};

// One JSON object per failure, each on its own line (invalid UTF-8 in names is repaired).
std::string FailuresToNdjson(const std::vector<Failure>& failures);

}  // namespace prose2stix::batch

#endif  // PROSE2STIX_BATCH_FAILURE_LOG_H_
