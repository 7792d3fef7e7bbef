// Fuzz target for the text stage: Normalize, then SplitSentences and TokenizeSentences on the
// result, checking the structural contracts (valid UTF-8 out, monotonic offset map, sentences in
// order and trimmed, every non-space byte in exactly one sentence, tokens inside their sentence).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "prose2stix/text/normalize.h"
#include "prose2stix/text/sentence_splitter.h"
#include "prose2stix/text/tokenizer.h"
#include "prose2stix/util/utf8.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1u << 20)) return 0;
  using namespace prose2stix::text;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  const NormalizedText nt = Normalize(input);
  const std::string& text = nt.text;
  Check(prose2stix::utf8::FirstInvalid(text) == std::string_view::npos);
  Check(!nt.anchors.empty() && nt.anchors.front().first == 0 && nt.anchors.front().second == 0);
  for (size_t k = 1; k < nt.anchors.size(); ++k) {
    Check(nt.anchors[k - 1].first <= nt.anchors[k].first);
    Check(nt.anchors[k - 1].second <= nt.anchors[k].second);
  }
  Check(nt.ToInput(text.size()) == input.size());
  size_t prev_mapped = 0;
  const size_t step = text.size() / 4096 + 1;
  for (size_t off = 0; off <= text.size(); off += step) {
    const size_t mapped = nt.ToInput(off);
    Check(mapped <= input.size() && mapped >= prev_mapped);
    prev_mapped = mapped;
  }

  const std::vector<Sentence> sentences = SplitSentences(text);
  size_t covered = 0;  // bytes of text before this position are accounted for
  for (const Sentence& s : sentences) {
    Check(s.begin < s.end && s.end <= text.size() && s.begin >= covered);
    Check(s.end - s.begin <= kMaxSentenceBytes);
    Check(s.text.data() == text.data() + s.begin && s.text.size() == s.end - s.begin);
    Check(!IsSpace(text[s.begin]) && !IsSpace(text[s.end - 1]));
    for (size_t k = covered; k < s.begin; ++k) Check(IsSpace(text[k]));  // gaps are whitespace
    covered = s.end;
  }
  for (size_t k = covered; k < text.size(); ++k) Check(IsSpace(text[k]));

  const std::vector<Token> tokens = TokenizeSentences(text, sentences);
  size_t si = 0;
  size_t prev_end = 0;
  for (const Token& t : tokens) {
    Check(t.begin < t.end && t.begin >= prev_end);
    Check(t.text.data() == text.data() + t.begin && t.text.size() == t.end - t.begin);
    while (si < sentences.size() && t.begin >= sentences[si].end) ++si;
    Check(si < sentences.size());
    Check(t.begin >= sentences[si].begin && t.end <= sentences[si].end);
    Check(t.sentence_start == (t.begin == sentences[si].begin));
    for (char c : t.text) Check(!IsSpace(c));
    prev_end = t.end;
  }
  return 0;
}
