// convert_bench: single-core convert throughput on plain text, beside the one-pass floor.
//
//   convert_bench [DIR] [--repeat N] [--no-tagger]
//
// Reads every file under DIR (default ../shared/data/annoctr/text), then in the same process
// times (1) a word count over the same bytes (the `wc -w` floor: one pass, no allocation) and
// (2) Converter::Convert on each file's bytes, the whole path of `prose2stix convert FILE`
// (detection, reader, cleaning, extraction, bundle, validation), and (3) ConvertDocuments on the
// same texts as plain-text Documents, which leaves out reading and cleaning.
// Prints MB/s for both and their ratio, and the peak RSS; the convert figure also per CPU-second
// of this thread, which a loaded machine disturbs far less than the wall clock.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_clock.h"
#include "bench_corpus.h"
#include "prose2stix/convert/pipeline.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

size_t CountWords(const std::string& s) {
  size_t words = 0;
  bool in_word = false;
  for (char c : s) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = "../shared/data/annoctr/text";
  int repeat = 3;
  bool tagger = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--repeat" && i + 1 < argc) repeat = std::max(1, std::atoi(argv[++i]));
    else if (a == "--no-tagger") tagger = false;
    else dir = a;
  }
  prose2stix::bench::Corpus corpus;
  if (!prose2stix::bench::LoadCorpus("convert_bench", dir, &corpus)) return 2;
  const std::vector<std::string>& texts = corpus.texts;
  const std::vector<std::string>& names = corpus.names;
  const size_t bytes = corpus.bytes;
  prose2stix::convert::ConvertOptions opt;
  opt.use_tagger = tagger;
  opt.fixed_time = "2025-01-01T00:00:00.000Z";
  auto t_start = std::chrono::steady_clock::now();
  auto conv = prose2stix::convert::Converter::Create(opt);
  if (!conv.ok()) return 1;
  {
    // Warm-up: loads the gazetteer and the tagger, and compiles the validator's schemas.
    prose2stix::ingest::Document d;
    d.text = "Warm-up: APT28 targeted banks in France.";
    d.name = "warm-up";
    d.format = "text";
    std::vector<prose2stix::ingest::Document> docs;
    docs.push_back(std::move(d));
    if (!(*conv)->ConvertDocuments(std::move(docs)).ok()) return 1;
  }
  double startup = Seconds(t_start);

  auto t0 = std::chrono::steady_clock::now();
  size_t words = 0;
  for (int r = 0; r < repeat; ++r)
    for (const std::string& t : texts) words += CountWords(t);
  double wc = Seconds(t0);

  // (2) The whole path of `prose2stix convert FILE`: format detection, reader and cleaning,
  // normalisation, extraction, bundle, validation and JSON (file I/O excluded, as for the word count).
  t0 = std::chrono::steady_clock::now();
  double c0 = prose2stix::bench::ThreadCpuSeconds();
  size_t objects = 0, failed = 0;
  for (int r = 0; r < repeat; ++r) {
    for (size_t i = 0; i < texts.size(); ++i) {
      auto c = (*conv)->Convert(texts[i], names[i]);
      if (c.ok()) objects += c->objects;
      else ++failed;
    }
  }
  double cv = Seconds(t0);
  double cv_cpu = prose2stix::bench::ThreadCpuSeconds() - c0;
  // (3) The same from Documents already read (no detection, reader or cleaning).
  t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < repeat; ++r) {
    for (const std::string& t : texts) {
      prose2stix::ingest::Document d;
      d.text = t;
      d.name = "bench";
      d.format = "text";
      std::vector<prose2stix::ingest::Document> docs;
      docs.push_back(std::move(d));
      auto c = (*conv)->ConvertDocuments(std::move(docs));
      if (!c.ok()) ++failed;
    }
  }
  double cv_docs = Seconds(t0);
  double mb = static_cast<double>(bytes) * repeat / 1e6;
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("corpus: %zu files, %.2f MB x %d repeats, %zu words per pass\n", texts.size(), mb / repeat, repeat,
              words / static_cast<size_t>(repeat));
  std::printf("startup (gazetteer, tagger, schemas): %.1f ms\n", startup * 1000);
  std::printf("word count (wc -w floor):   %8.1f MB/s\n", mb / wc);
  std::printf("convert%s, bytes to JSON: %8.1f MB/s  (%zu objects, %zu failed)\n", tagger ? "" : " (no tagger)",
              mb / cv, objects, failed);
  std::printf("  the same per CPU-second:  %8.1f MB/s  (differs from the above when other processes ran)\n",
              mb / cv_cpu);
  std::printf("convert from Documents:     %8.1f MB/s  (reading and cleaning %.0f%% of the time)\n", mb / cv_docs,
              100.0 * std::max(0.0, cv - cv_docs) / cv);
  std::printf("ratio wc/convert:           %8.1fx\n", cv / wc);
  std::printf("peak RSS: %.1f MB\n", static_cast<double>(ru.ru_maxrss) / 1024);
  return 0;
}
