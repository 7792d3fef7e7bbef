// tagger_bench: per-token cost of the sequence tagger (prose2stix/extract/tagger.h) on real text.
//
//   tagger_bench [DIR] [--repeat N] [--only extract|sequence|tag] [--no-cache] [--dump FILE]
//
// Splits every file under DIR (default ../shared/data/annoctr/text) into sentences and tokens
// with the project's text stage, keeps sentences of 1..200 tokens (as the entity extractor does),
// then times, on one thread and best of N passes (default 5):
//   extract   FeatureExtractor::Extract with the default model's lexicon
//   sequence  Tagger::TagSequence (features, emissions, Viterbi)
//   tag       Tagger::Tag (also max-marginals, span margins and confidences)
// and prints CPU nanoseconds per token for each (--only: just one, e.g. under perf; --no-cache:
// with Tagger::UseWordCache(false)). It also prints checksums of the feature keys and
// of everything TagSequence and Tag returned (tags; spans, labels, confidence bits), so two builds
// can be checked to tag identically; --dump writes one line per sentence with its tags and spans
// for diffing.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "bench_clock.h"
#include "bench_corpus.h"
#include "prose2stix/extract/tagger.h"
#include "prose2stix/text/sentence_splitter.h"
#include "prose2stix/text/tokenizer.h"

namespace {

using prose2stix::extract::FeatureExtractor;
using prose2stix::extract::TaggedSpan;
using prose2stix::extract::Tagger;

double CpuNs() { return prose2stix::bench::ThreadCpuSeconds() * 1e9; }

struct Checksum {
  uint64_t h = 0xcbf29ce484222325ULL;
  void Add(uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xFF;
      h *= 0x100000001b3ULL;
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string dir = "../shared/data/annoctr/text";
  std::string dump, only;
  int repeat = 5;
  bool cache = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--dump" && i + 1 < argc) {
      dump = argv[++i];
    } else if (a == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else if (a == "--no-cache") {
      cache = false;
    } else {
      dir = a;
    }
  }
  const Tagger* tagger = Tagger::Default();
  if (tagger == nullptr) {
    std::fprintf(stderr, "tagger_bench: no embedded tagger model\n");
    return 1;
  }
  Tagger::UseWordCache(cache);
  prose2stix::bench::Corpus corpus;
  if (!prose2stix::bench::LoadCorpus("tagger_bench", dir, &corpus)) return 2;
  const std::vector<std::string>& texts = corpus.texts;
  std::vector<std::vector<std::string_view>> sentences;
  size_t tokens = 0;
  for (const std::string& t : texts) {
    for (const auto& s : prose2stix::text::SplitSentences(t)) {
      std::vector<std::string_view> words;
      for (const auto& tok : prose2stix::text::Tokenize(t, s.begin, s.end)) words.push_back(tok.text);
      if (words.empty() || words.size() > 200) continue;
      tokens += words.size();
      sentences.push_back(std::move(words));
    }
  }
  if (tokens == 0) {
    std::fprintf(stderr, "tagger_bench: no text under %s\n", dir.c_str());
    return 2;
  }

  FeatureExtractor fx;
  size_t keys = 0;
  Checksum key_sum;
  auto time_best = [&](std::string_view name, auto&& pass) {
    if (!only.empty() && only != name) return 0.0;
    double best = 1e300;
    for (int r = 0; r < repeat; ++r) {
      const double t0 = CpuNs();
      pass();
      best = std::min(best, CpuNs() - t0);
    }
    return best / static_cast<double>(tokens);
  };
  const double extract_ns = time_best("extract", [&] {
    keys = 0;
    key_sum = Checksum();
    for (const auto& s : sentences) {
      fx.Extract(s, {}, &tagger->lexicon());
      for (size_t i = 0; i < fx.size(); ++i) {
        keys += fx.Features(i).size();
        for (uint64_t k : fx.Features(i)) key_sum.h = (key_sum.h ^ k) * 0x100000001b3ULL;
      }
    }
  });
  Checksum seq_sum;
  const double sequence_ns = time_best("sequence", [&] {
    seq_sum = Checksum();
    for (const auto& s : sentences) {
      for (uint8_t t : tagger->TagSequence(s)) seq_sum.Add(t);
    }
  });
  Checksum tag_sum;
  size_t spans = 0;
  const double tag_ns = time_best("tag", [&] {
    tag_sum = Checksum();
    spans = 0;
    for (const auto& s : sentences) {
      for (const TaggedSpan& sp : tagger->Tag(s)) {
        uint32_t bits;
        std::memcpy(&bits, &sp.confidence, sizeof bits);
        tag_sum.Add(sp.first_token);
        tag_sum.Add(sp.last_token);
        tag_sum.Add(static_cast<uint64_t>(sp.label));
        tag_sum.Add(bits);
        ++spans;
      }
      tag_sum.Add(~uint64_t{0});
    }
  });

  std::printf("text: %zu sentences, %zu tokens, %.1f features per token, model %zu features\n",
              sentences.size(), tokens, static_cast<double>(keys) / static_cast<double>(tokens),
              tagger->num_features());
  std::printf("extract:  %7.1f ns/token\n", extract_ns);
  std::printf("sequence: %7.1f ns/token\n", sequence_ns);
  std::printf("tag:      %7.1f ns/token  (%zu spans)\n", tag_ns, spans);
  std::printf("checksum: features %016" PRIx64 " sequence %016" PRIx64 " tag %016" PRIx64 "\n", key_sum.h,
              seq_sum.h, tag_sum.h);

  if (!dump.empty()) {
    std::FILE* out = std::fopen(dump.c_str(), "w");
    if (out == nullptr) {
      std::fprintf(stderr, "tagger_bench: cannot write %s\n", dump.c_str());
      return 1;
    }
    for (const auto& s : sentences) {
      for (uint8_t t : tagger->TagSequence(s)) std::fprintf(out, "%u ", static_cast<unsigned>(t));
      std::fprintf(out, "|");
      for (const TaggedSpan& sp : tagger->Tag(s)) {
        std::fprintf(out, " %zu-%zu:%d:%.9g", sp.first_token, sp.last_token, static_cast<int>(sp.label),
                     static_cast<double>(sp.confidence));
      }
      std::fprintf(out, "\n");
    }
    std::fclose(out);
  }
  return 0;
}
