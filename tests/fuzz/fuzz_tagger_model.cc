// Fuzz target for the tagger: the input is parsed as a model (Tagger::Load must reject garbage
// with a Status, never crash) and, split on spaces and newlines, tagged as a sentence by the
// embedded model and by the input model when it loads.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "prose2stix/extract/tagger.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using prose2stix::extract::Tagger;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto loaded = Tagger::Load(bytes);

  std::vector<std::string_view> words, extra;
  size_t i = 0;
  while (i < bytes.size() && words.size() < 4096) {
    while (i < bytes.size() && (bytes[i] == ' ' || bytes[i] == '\n')) ++i;
    size_t j = i;
    while (j < bytes.size() && bytes[j] != ' ' && bytes[j] != '\n') ++j;
    if (j > i) {
      words.push_back(bytes.substr(i, j - i));
      extra.push_back(words.size() % 3 == 0 ? bytes.substr(i, j - i) : std::string_view());
    }
    i = j;
  }
  if (const Tagger* t = Tagger::Default()) {
    for (const auto& span : t->Tag(words, extra)) {
      if (span.first_token >= span.last_token || span.last_token > words.size()) __builtin_trap();
    }
  }
  if (loaded.ok()) (void)(*loaded)->Tag(words);
  return 0;
}
