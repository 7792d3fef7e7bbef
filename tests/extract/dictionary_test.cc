// The English dictionary that tells ordinary capitalised words from proper names.
#include <doctest/doctest.h>

#include <string_view>

#include "prose2stix/extract/dictionary.h"

namespace prose2stix::extract {

TEST_CASE("dictionary: ordinary words in any capitalisation, proper names and non-words not") {
  CHECK(EnglishWordCount() > 50000);
  struct Row {
    std::string_view word;
    bool english;
  };
  const Row rows[] = {
      {"risk", true},      {"Risk", true},        {"RISK", true},          {"business", true},
      {"Services", true},  {"children", true},    {"intelligence", true},  {"aardvark", true},
      {"Juxinhe", false},  {"Kaseya", false},     {"Mandiant", false},     {"APT41", false},
      {"co-op", false},    {"", false},           {"an", false},           {"xqzvv", false},
      {"caf\xc3\xa9", false},
      {"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz", false},
  };
  for (const Row& r : rows) {
    INFO(r.word);
    CHECK(IsEnglishWord(r.word) == r.english);
  }
}

}  // namespace prose2stix::extract
