// The library's only file I/O: whole-file reads with a size limit, atomic writes, directory walks.
#ifndef PROSE2STIX_UTIL_FILE_H_
#define PROSE2STIX_UTIL_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "prose2stix/util/result.h"
#include "prose2stix/util/status.h"

namespace prose2stix {

// Default ceiling for one input read into memory (256 MiB).
inline constexpr uint64_t kDefaultMaxInputBytes = uint64_t{256} << 20;

// Reads the whole file at `path` ("-" reads standard input). Fails with kTooLarge, naming the
// file and its size, when it holds more than `max_bytes`; the file is not read in that case.
Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes = kDefaultMaxInputBytes);

// Writes `data` to `path` atomically: a temporary file in the same directory is written, flushed
// and renamed over `path`, so readers see the old file or the whole new one, never a part.
// The temporary file is removed when any step fails.
Status WriteFileAtomic(const std::string& path, std::string_view data);

// Writes all of `data` to the open descriptor `fd`, retrying short and interrupted writes.
// Returns 0, or the errno of the write that failed.
int WriteAll(int fd, std::string_view data);

// Expands `paths` into regular files: a file is kept as is, a directory is walked recursively
// (sorted, symlinked directories not followed) keeping names that end with one of `suffixes`
// (all files when `suffixes` is empty). "-" passes through. A missing path is an error.
Result<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths,
                                             const std::vector<std::string>& suffixes);

}  // namespace prose2stix

#endif  // PROSE2STIX_UTIL_FILE_H_
