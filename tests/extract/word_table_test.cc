#include "prose2stix/extract/word_table.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "prose2stix/util/hash.h"

namespace prose2stix::extract {
namespace {

struct Lookup {
  const char* word;
  WordTable::Mask want;
};

TEST_CASE("WordTable finds each word's mask, exactly as written") {
  constexpr WordTable::Mask kHigh = WordTable::Mask{1} << 40;  // masks have 64 bits
  const WordTable t({{"group", 1}, {"Group", 2}, {"apt", 1}, {"apt", 4}, {"APT", 8}, {"", 16}, {"a", 32}, {"apt", kHigh}});
  CHECK(t.size() == 5);  // "apt" twice is one word; "" is ignored
  CHECK(t.max_size() == 5);
  static const Lookup kLookups[] = {
      {"group", 1}, {"Group", 2}, {"GROUP", 0}, {"apt", 1 | 4 | kHigh}, {"APT", 8}, {"Apt", 0}, {"a", 32},
      {"", 0},      {"groups", 0}, {"grou", 0}, {"ap", 0},     {"aptx", 0}, {"b", 0},  {"group ", 0},
  };
  for (const Lookup& l : kLookups) {
    CHECK_MESSAGE(t.Find(l.word) == l.want, "word '" << l.word << "'");
  }
  // Views into a larger buffer: only the view's bytes count.
  const std::string text = "grouping";
  CHECK(t.Find(std::string_view(text).substr(0, 5)) == 1);
}

TEST_CASE("WordTable::Of is a set of the words given") {
  static constexpr std::string_view kWords[] = {"sector", "sectors", "Office", "sector"};
  const WordTable set = WordTable::Of(kWords);
  CHECK(set.size() == 3);
  for (std::string_view w : {"sector", "sectors", "Office"}) CHECK_MESSAGE(set.Contains(w), w);
  for (std::string_view w : {"Sector", "office", "sect", "", "sectorsx"}) CHECK_MESSAGE(!set.Contains(w), w);
}

TEST_CASE("WordTable holds many words, finds all of them and none of their near misses") {
  std::vector<std::string> words;
  for (int i = 0; i < 3000; ++i) words.push_back(std::string("w").append(std::to_string(i * 7)));
  std::vector<WordTable::Entry> entries;
  for (size_t i = 0; i < words.size(); ++i) entries.emplace_back(words[i], static_cast<uint32_t>(i + 1));
  const WordTable t(entries);
  CHECK(t.size() == words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    CHECK_MESSAGE(t.Find(words[i]) == i + 1, words[i]);
    std::string longer = words[i], shorter = words[i].substr(1), upper = words[i];
    longer.push_back('x');
    upper[0] = 'W';
    CHECK_MESSAGE(t.Find(longer) == 0, words[i]);
    CHECK_MESSAGE(t.Find(shorter) == 0, words[i]);
    CHECK_MESSAGE(t.Find(upper) == 0, words[i]);
  }
  for (int i = 0; i < 3000 * 7; ++i) {
    if (i % 7 != 0) CHECK(t.Find(std::string("w").append(std::to_string(i))) == 0);
  }
}

TEST_CASE("WordTable's hash (HashChunks) covers every length and byte, reading no byte outside the word") {
  // Words of 0 to 40 bytes cut out of a longer buffer: equal bytes hash equally wherever they sit,
  // and one changed byte (at any position) changes the hash.
  std::string buffer;
  for (int i = 0; i < 200; ++i) buffer.push_back(static_cast<char>('a' + (i * 7) % 26));
  for (size_t len = 0; len <= 40; ++len) {
    const std::string word = buffer.substr(3, len);
    CHECK(HashChunks(word) == HashChunks(std::string_view(buffer).substr(3, len)));
    for (size_t pos = 0; pos < len; ++pos) {
      std::string other = word;
      other[pos] = static_cast<char>(other[pos] ^ 0x20);
      CHECK_MESSAGE(HashChunks(other) != HashChunks(word), "length " << len << " position " << pos);
    }
    if (len > 0) CHECK(HashChunks(word) != HashChunks(word.substr(0, len - 1)));
  }
  const WordTable t({{"threat", 3}});
  CHECK(t.Find("threat") == 3);
  CHECK(t.Find("threatening") == 0);  // longer than any word: not even hashed
  const WordTable empty(std::span<const WordTable::Entry>{});
  CHECK(empty.Find("threat") == 0);
  CHECK(empty.size() == 0);
}

}  // namespace
}  // namespace prose2stix::extract
