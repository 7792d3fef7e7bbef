// The inputs of a batch job: files and directories from the command line and from list files,
// filtered by globs, each with a unique output name.
//
//   InputOptions o;
//   o.paths = {"reports/", "extra/advisory.pdf"};
//   o.exclude = {"*.bak"};
//   Result<std::vector<InputFile>> inputs = CollectInputs(o);
//   // reports/2024/a.html -> output "2024/a.html.json"; extra/advisory.pdf -> "extra/advisory.pdf.json"
//
// Rules:
//  - A directory is walked recursively in sorted order (byte order of names). Hidden entries
//    (names starting with '.') are skipped, symbolic links to directories are not followed, FIFOs,
//    sockets and devices are ignored. A symbolic link to a file is followed; a dangling one is kept
//    as an input that fails ("dangling symbolic link"), so that nothing vanishes silently. A
//    subdirectory that cannot be listed is kept as a failing input too.
//  - --include / --exclude globs (fnmatch(3), no flags) apply to the files found in directories:
//    a glob matches when it matches the path relative to the walked directory ("2024/a.html") or
//    the base name ("a.html"). With includes, a file must match one; an excluded file is dropped;
//    an excluded directory is not entered. Files named explicitly are never filtered.
//  - A list file (--files-from, "-" for standard input) names one file per line; blank lines are
//    skipped and a trailing '\r' is dropped. A listed directory is an input that fails ("is a
//    directory"), as is a missing file: lists come from find(1) and the like, and a bad entry
//    should be reported, not stop the job.
//  - A path given on the command line that does not exist is an input that fails; the job goes on.
//  - Files under `skip_dir` (the output directory) are never collected from walks, so a job
//    whose output directory lies inside its input directory does not convert its own output.
//  - The same file reached twice (same absolute path after lexical normalisation) is kept once.
// Output names: a walked file mirrors its path relative to the walked directory; a file named
// explicitly keeps its path as given when that is relative and stays below the working directory,
// else its base name; ".json" is appended. When two inputs would get the same output name, each
// of them gets "<first 8 hex digits of SHA-1 of its absolute path>-" before its base name: stable
// from run to run, so --skip-existing finds the outputs of an earlier run.
#ifndef PROSE2STIX_BATCH_INPUTS_H_
#define PROSE2STIX_BATCH_INPUTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "prose2stix/util/result.h"

namespace prose2stix::batch {

struct InputFile {
  std::string path;    // the path to open
  std::string output;  // output name relative to the output directory, unique within the job
  uint64_t size = 0;   // bytes when collected (0 when unknown)
  std::string error;   // why it cannot be converted, when that is known already (else empty)
};

struct InputOptions {
  // Files and directories.
  std::vector<std::string> paths;
  // List files, one path per line; "-" reads standard input.
  std::vector<std::string> files_from;
  // Globs selecting files found in directories.
  std::vector<std::string> include, exclude;
  // A directory whose files are never collected from walks (empty: none).
  std::string skip_dir;
};

// Collects the inputs in order: the paths first (each directory's files sorted), then each list.
// Fails (InvalidArgument / IoError) only when a list file cannot be read; problems with single
// inputs are recorded in InputFile::error.
Result<std::vector<InputFile>> CollectInputs(const InputOptions& options);

// True when one of `globs` matches `rel_path` or its base name.
bool MatchesAnyGlob(const std::vector<std::string>& globs, std::string_view rel_path);

// Gives every input a unique InputFile::output from its relative name (see the rules above).
// `rels` holds one relative name per input.
void AssignOutputNames(const std::vector<std::string>& rels, std::vector<InputFile>* inputs);

}  // namespace prose2stix::batch

#endif  // PROSE2STIX_BATCH_INPUTS_H_
