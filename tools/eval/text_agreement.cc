// text_agreement: measures how closely the text stage (Normalize, SplitSentences,
// TokenizeSentences) reproduces the AnnoCTR corpus's tokens and sentences, and how fast it runs.
//
//   text_agreement [--top N] [--bench MB] [ANNOCTR_DIR]
//
// ANNOCTR_DIR (default ../shared/data/annoctr) holds text/{train,dev}/*.txt and
// ner_bio_{train,dev}.bio (one token per line, blank line between sentences, <DOCSTART> between
// documents). Each .bio document is matched to its text file by the first 300 non-space bytes,
// its tokens are located in the raw text, and our tokens (mapped back through the normalisation
// offset map) are compared by exact byte span. Gold tokens lying inside one of our kOther tokens
// (URLs, paths, defanged indicators, which AnnoCTR splits at every punctuation mark) and
// apostrophe splits ("China" "'" "s" in AnnoCTR, "China" "'s" here) are counted separately; the
// "adjusted" figure leaves them out. --bench replicates the texts to about MB megabytes and
// reports the CPU-time throughput of each pass, document by document.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prose2stix/text/normalize.h"
#include "prose2stix/text/sentence_splitter.h"
#include "prose2stix/text/tokenizer.h"
#include "prose2stix/util/file.h"

namespace {

using prose2stix::text::NormalizedText;
using prose2stix::text::Sentence;
using prose2stix::text::Token;
using prose2stix::text::TokenShape;

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }
bool IsNbspAt(std::string_view s, size_t pos) { return s.compare(pos, 2, "\xC2\xA0") == 0; }

// The first `limit` bytes of `s` that are neither whitespace nor part of a no-break space.
std::string Signature(std::string_view s, size_t limit) {
  std::string out;
  for (size_t i = 0; i < s.size() && out.size() < limit; ++i) {
    if (IsSpace(s[i])) continue;
    if (IsNbspAt(s, i)) {
      ++i;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

using Doc = std::vector<std::vector<std::string>>;  // sentences of tokens

std::vector<Doc> ReadBio(const std::string& text) {
  std::vector<Doc> docs;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string_view line(text.data() + pos, nl - pos);
    pos = nl + 1;
    std::string_view token = line.substr(0, line.find('\t'));
    if (token == "<DOCSTART>") {
      docs.emplace_back(1);
    } else if (line.empty()) {
      if (!docs.empty() && !docs.back().back().empty()) docs.back().emplace_back();
    } else if (!docs.empty()) {
      docs.back().back().emplace_back(token);
    }
  }
  return docs;
}

struct Counts {
  size_t docs = 0, aligned = 0;
  size_t gold_tokens = 0, our_tokens = 0, matched_tokens = 0, inside_other = 0, apostrophe = 0;
  size_t gold_sentences = 0, our_sentences = 0, matched_sentences = 0;
  std::map<std::string, int> misses;
};

// Locates the gold tokens in `text`; false when they do not line up.
bool Align(const Doc& doc, std::string_view text, std::vector<std::pair<size_t, size_t>>* spans,
           std::vector<size_t>* sentence_starts) {
  size_t pos = 0;
  for (const auto& sentence : doc) {
    bool first = true;
    for (const std::string& token : sentence) {
      if (Signature(token, 1).empty()) continue;
      while (pos < text.size() && (IsSpace(text[pos]) || IsNbspAt(text, pos))) pos += IsSpace(text[pos]) ? 1 : 2;
      if (text.compare(pos, token.size(), token) != 0) return false;
      if (first) sentence_starts->push_back(pos);
      first = false;
      spans->emplace_back(pos, pos + token.size());
      pos += token.size();
    }
  }
  return true;
}

void Compare(const Doc& doc, const std::string& text, Counts* c) {
  std::vector<std::pair<size_t, size_t>> gold;
  std::vector<size_t> gold_starts;
  if (!Align(doc, text, &gold, &gold_starts)) return;
  ++c->aligned;
  NormalizedText nt = prose2stix::text::Normalize(text);
  std::vector<Sentence> sentences = prose2stix::text::SplitSentences(nt.text);
  std::vector<Token> tokens = prose2stix::text::TokenizeSentences(nt.text, sentences);
  std::set<std::pair<size_t, size_t>> ours;
  std::vector<std::pair<size_t, size_t>> others;
  for (const Token& t : tokens) {
    std::pair<size_t, size_t> span(nt.ToInput(t.begin), nt.ToInput(t.end));
    ours.insert(span);
    if (t.shape == TokenShape::kOther) others.push_back(span);
  }
  std::set<size_t> our_starts;
  for (const Sentence& s : sentences) our_starts.insert(nt.ToInput(s.begin));
  c->gold_tokens += gold.size();
  c->our_tokens += ours.size();
  c->gold_sentences += gold_starts.size();
  c->our_sentences += our_starts.size();
  for (size_t s : gold_starts) c->matched_sentences += our_starts.count(s);
  for (const auto& span : gold) {
    if (ours.count(span)) {
      ++c->matched_tokens;
      continue;
    }
    auto it = std::upper_bound(others.begin(), others.end(), std::make_pair(span.first, size_t(-1)));
    if (it != others.begin() && (it - 1)->first <= span.first && (it - 1)->second >= span.second) {
      ++c->inside_other;
      continue;
    }
    std::string token = text.substr(span.first, span.second - span.first);
    bool after_apostrophe = span.first > 0 && (text[span.first - 1] == '\'' ||
                                               (span.first >= 3 && text.compare(span.first - 3, 3, "\xE2\x80\x99") == 0));
    if (token == "'" || token == "\xE2\x80\x99" || after_apostrophe) {
      ++c->apostrophe;
      continue;
    }
    ++c->misses[token];
  }
}

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void Bench(const std::vector<std::string>& texts, double megabytes) {
  size_t total = 0;
  for (const std::string& t : texts) total += t.size();
  if (total == 0) return;
  const size_t reps = static_cast<size_t>(megabytes * 1e6 / static_cast<double>(total)) + 1;
  double normalize = 0, split = 0, tokenize = 0;
  size_t token_count = 0;
  for (size_t r = 0; r < reps; ++r) {
    for (const std::string& t : texts) {
      double t0 = CpuSeconds();
      NormalizedText nt = prose2stix::text::Normalize(t);
      double t1 = CpuSeconds();
      std::vector<Sentence> sentences = prose2stix::text::SplitSentences(nt.text);
      double t2 = CpuSeconds();
      std::vector<Token> tokens = prose2stix::text::TokenizeSentences(nt.text, sentences);
      double t3 = CpuSeconds();
      token_count += tokens.size();
      normalize += t1 - t0;
      split += t2 - t1;
      tokenize += t3 - t2;
    }
  }
  const double mb = static_cast<double>(total * reps) / 1e6;
  std::printf("bench: %.1f MB (%zu documents x %zu), CPU time: normalize %.0f MB/s, split %.0f MB/s, "
              "tokenize %.0f MB/s (%zu tokens); all three %.0f MB/s\n",
              mb, texts.size(), reps, mb / normalize, mb / split, mb / tokenize, token_count,
              mb / (normalize + split + tokenize));
}

double Percent(size_t a, size_t b) { return b == 0 ? 0.0 : 100.0 * static_cast<double>(a) / static_cast<double>(b); }

}  // namespace

int main(int argc, char** argv) {
  std::string dir = "../shared/data/annoctr";
  int top = 20;
  double bench_mb = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--top" && i + 1 < argc) {
      top = std::atoi(argv[++i]);
    } else if (arg == "--bench" && i + 1 < argc) {
      bench_mb = std::atof(argv[++i]);
    } else if (arg == "-h" || arg == "--help") {
      std::printf("usage: text_agreement [--top N] [--bench MB] [ANNOCTR_DIR]\n");
      return 0;
    } else {
      dir = arg;
    }
  }
  auto files = prose2stix::ExpandPaths({dir + "/text"}, {".txt"});
  if (!files.ok()) {
    std::fprintf(stderr, "text_agreement: %s\n", files.status().ToString().c_str());
    return 1;
  }
  std::map<std::string, std::string> by_signature;
  std::vector<std::string> texts;
  for (const std::string& path : *files) {
    auto text = prose2stix::ReadFile(path);
    if (!text.ok()) {
      std::fprintf(stderr, "text_agreement: %s\n", text.status().ToString().c_str());
      return 1;
    }
    by_signature[Signature(*text, 300)] = *text;
    texts.push_back(std::move(*text));
  }
  for (const char* split : {"train", "dev"}) {
    std::string bio_path = dir + "/ner_bio_" + split + ".bio";
    auto bio = prose2stix::ReadFile(bio_path);
    if (!bio.ok()) {
      std::fprintf(stderr, "text_agreement: %s\n", bio.status().ToString().c_str());
      continue;
    }
    Counts c;
    for (const Doc& doc : ReadBio(*bio)) {
      ++c.docs;
      std::string all;
      for (const auto& s : doc) {
        for (const std::string& t : s) all += t;
      }
      auto it = by_signature.find(Signature(all, 300));
      if (it != by_signature.end()) Compare(doc, it->second, &c);
    }
    const size_t adjusted_gold = c.gold_tokens - c.inside_other - c.apostrophe;
    std::printf("%s: %zu documents, %zu aligned with their text\n", bio_path.c_str(), c.docs, c.aligned);
    std::printf("  tokens: gold %zu, ours %zu, same span %zu (%.2f%% of gold, %.2f%% of ours)\n", c.gold_tokens,
                c.our_tokens, c.matched_tokens, Percent(c.matched_tokens, c.gold_tokens),
                Percent(c.matched_tokens, c.our_tokens));
    std::printf("  gold tokens inside our URL/path/indicator tokens %zu, apostrophe splits %zu; "
                "adjusted agreement %.2f%%\n",
                c.inside_other, c.apostrophe, Percent(c.matched_tokens, adjusted_gold));
    std::printf("  sentence starts: gold %zu, ours %zu, matched %zu (recall %.2f%%, precision %.2f%%)\n",
                c.gold_sentences, c.our_sentences, c.matched_sentences, Percent(c.matched_sentences, c.gold_sentences),
                Percent(c.matched_sentences, c.our_sentences));
    std::vector<std::pair<int, std::string>> misses;
    for (const auto& [token, count] : c.misses) misses.emplace_back(count, token);
    std::sort(misses.rbegin(), misses.rend());
    for (size_t i = 0; i < misses.size() && static_cast<int>(i) < top; ++i) {
      std::printf("    %6d  %s\n", misses[i].first, misses[i].second.c_str());
    }
  }
  if (bench_mb > 0) Bench(texts, bench_mb);
  return 0;
}
