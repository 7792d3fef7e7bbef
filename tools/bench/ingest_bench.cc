// ingest_bench: single-core throughput of the reading stage alone, ReadDocuments (detection,
// validation, the format's reader, boilerplate cleaning) followed by text::Normalize on each
// document, the part of `prose2stix convert` before sentence splitting.
//
//   ingest_bench [DIR] [--repeat N]
//
// Reads every file under DIR (default ../shared/data/annoctr/text) into memory, runs the stage
// once as a warm-up and then N times, and prints MB/s of input and a checksum of the output
// lengths (so that two builds can be compared to produce the same amount of text).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_corpus.h"
#include "prose2stix/ingest/reader.h"
#include "prose2stix/text/normalize.h"

namespace {

// Runs the stage over every input once; returns the summed sizes of what it produced.
size_t Pass(const std::vector<std::string>& texts, const std::vector<std::string>& names) {
  size_t produced = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    auto docs = prose2stix::ingest::ReadDocuments(texts[i], names[i]);
    if (!docs.ok()) continue;
    for (const prose2stix::ingest::Document& d : *docs) {
      const prose2stix::text::NormalizedText n = prose2stix::text::Normalize(d.text);
      produced += d.text.size() + d.source_map.size() + n.text.size() + n.anchors.size();
    }
  }
  return produced;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = "../shared/data/annoctr/text";
  int repeat = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else {
      dir = a;
    }
  }
  prose2stix::bench::Corpus corpus;
  if (!prose2stix::bench::LoadCorpus("ingest_bench", dir, &corpus)) return 2;
  const std::vector<std::string>& texts = corpus.texts;
  const std::vector<std::string>& names = corpus.names;
  const size_t bytes = corpus.bytes;
  const size_t check = Pass(texts, names);  // warm-up
  const auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < repeat; ++r) {
    if (Pass(texts, names) != check) {
      std::fprintf(stderr, "ingest_bench: passes disagree\n");
      return 1;
    }
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%zu files, %zu bytes, %d passes: %.3f s, %.1f MB/s (output checksum %zu)\n", texts.size(),
              bytes, repeat, s, static_cast<double>(bytes) * repeat / s / 1e6, check);
  return 0;
}
