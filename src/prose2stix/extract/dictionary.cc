#include "prose2stix/extract/dictionary.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "prose2stix/util/embedded.h"

namespace prose2stix::extract {

namespace {

// The words of the embedded table, in its (bytewise sorted) order, as views into it.
const std::vector<std::string_view>& Words() {
  static const std::vector<std::string_view> words = [] {
    std::vector<std::string_view> out;
    std::string_view data = embedded::Find(embedded::data(), "english_words.txt");
    out.reserve(data.size() / 9);
    while (!data.empty()) {
      size_t nl = data.find('\n');
      std::string_view line = data.substr(0, nl);
      data = nl == std::string_view::npos ? std::string_view() : data.substr(nl + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty() || line[0] == '#') continue;
      out.push_back(line);
    }
    if (!std::is_sorted(out.begin(), out.end())) std::sort(out.begin(), out.end());
    return out;
  }();
  return words;
}

}  // namespace

bool IsEnglishWord(std::string_view word) {
  constexpr size_t kMax = 40;
  if (word.size() < 3 || word.size() > kMax) return false;
  char buf[kMax];
  for (size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c < 'a' || c > 'z') return false;
    buf[i] = c;
  }
  std::string_view lower(buf, word.size());
  const auto& words = Words();
  return std::binary_search(words.begin(), words.end(), lower);
}

size_t EnglishWordCount() { return Words().size(); }

}  // namespace prose2stix::extract
