// The benchmarks' input: every regular file under a folder, read into memory before timing.
#ifndef PROSE2STIX_TOOLS_BENCH_BENCH_CORPUS_H_
#define PROSE2STIX_TOOLS_BENCH_BENCH_CORPUS_H_

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "prose2stix/util/file.h"

namespace prose2stix::bench {

struct Corpus {
  std::vector<std::string> texts;  // file contents
  std::vector<std::string> names;  // their file names, same order
  size_t bytes = 0;
};

// Reads every regular file under `dir`, recursively, in path order. On failure (not a folder, no files) prints
// why to standard error, prefixed with `tool`, and returns false.
inline bool LoadCorpus(const char* tool, const std::string& dir, Corpus* corpus) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    std::fprintf(stderr, "%s: %s is not a directory (pass the AnnoCTR text folder)\n", tool, dir.c_str());
    return false;
  }
  std::vector<std::filesystem::path> paths;  // sorted, so that every run reads the same order
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  for (const std::filesystem::path& path : paths) {
    Result<std::string> text = ReadFile(path.string());
    if (!text.ok()) {
      std::fprintf(stderr, "%s: %s\n", tool, text.status().ToString().c_str());
      return false;
    }
    corpus->texts.push_back(std::move(*text));
    corpus->names.push_back(path.filename().string());
    corpus->bytes += corpus->texts.back().size();
  }
  if (corpus->texts.empty()) {
    std::fprintf(stderr, "%s: no files under %s\n", tool, dir.c_str());
    return false;
  }
  return true;
}

}  // namespace prose2stix::bench

#endif  // PROSE2STIX_TOOLS_BENCH_BENCH_CORPUS_H_
