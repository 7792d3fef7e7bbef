// Atomic output files whose temporary files can be removed from another thread.
//
// A batch job writes each bundle as util/file.h's WriteFileAtomic does (a temporary file
// "<path>.tmp.<pid>.<n>" in the same directory, flushed, then renamed over <path>), but keeps the
// names of the temporary files being written, so that when the job is abandoned (a second Ctrl-C)
// Abandon() can delete them before the process exits: no partial file and no temporary file is
// left behind. After Abandon() every Write fails and renames nothing.
//
// Thread-safe: Write may be called from many threads at once, Abandon from any thread.
#ifndef PROSE2STIX_BATCH_OUTPUT_WRITER_H_
#define PROSE2STIX_BATCH_OUTPUT_WRITER_H_

#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>

#include "prose2stix/util/status.h"

namespace prose2stix::batch {

class OutputWriter {
 public:
  // `sync`: fsync each file before the rename, so a crash leaves the old file or the whole new
  // one (off only for throwaway output, where it saves a disk flush per file).
  explicit OutputWriter(bool sync = true);

  // Creates the parent directories of `path` (once per directory: a directory made or found
  // before is taken to still exist) and writes `data` to it atomically. Fails with
  // IoError naming the file, or with Unsupported("interrupted") after Abandon().
  Status Write(const std::string& path, std::string_view data);

  // Deletes every temporary file being written and refuses further writes.
  void Abandon();

  // Temporary files currently being written (for tests).
  size_t in_progress() const;

 private:
  Status MakeParent(const std::string& path);

  bool sync_;
  std::string pid_;  // of this process, in temporary names
  std::unordered_set<std::string> made_dirs_;  // guarded by mu_
  mutable std::mutex mu_;
  std::set<std::string> temps_;
  bool abandoned_ = false;
  uint64_t counter_ = 0;
};

}  // namespace prose2stix::batch

#endif  // PROSE2STIX_BATCH_OUTPUT_WRITER_H_
