// Helpers shared by the tests: paths to the source tree and ../shared, file reading and writing,
// padded JSON parsing, and running the prose2stix binary as a process.
#ifndef PROSE2STIX_TESTS_TESTUTIL_H_
#define PROSE2STIX_TESTS_TESTUTIL_H_

#include <string>

#include <rapidjson/document.h>

#include "prose2stix/convert/pipeline.h"

namespace prose2stix::testing {

// The repository root and its sibling ../shared (which may not exist).
std::string SourceDir();
std::string SharedDir();
bool SharedAvailable();

// Reads a whole file; fails the current test when it cannot.
std::string ReadTestFile(const std::string& path);

struct ProcessResult {
  int exit_code = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};
// Runs the built prose2stix binary with `args` (a shell-quoted string) and optional stdin text.
ProcessResult RunCli(const std::string& args, const std::string& stdin_text = "");

// A fresh empty temporary directory, removed at exit.
std::string TempDir();

// Writes `text` to `path`, creating the folders above it.
void Write(const std::string& path, const std::string& text);

// Parses `text` with room after it: RapidJSON's SSE2 scanner reads 16-byte blocks, which may run
// past the end of an unpadded string.
void ParseJson(rapidjson::Document* d, const std::string& text);

// One converter with default options and a fixed time (2025-01-01T00:00:00.000Z), shared by the
// tests that analyse texts.
const convert::Converter& FixedTimeConverter();

}  // namespace prose2stix::testing

#endif  // PROSE2STIX_TESTS_TESTUTIL_H_
