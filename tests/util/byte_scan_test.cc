#include "prose2stix/util/byte_scan.h"

#include <doctest/doctest.h>

#include <string>

namespace prose2stix::bytes {

TEST_CASE("FindFirstOf finds the first wanted byte in blocks and in the tail, table") {
  struct Case {
    std::string text;
    size_t from;
    size_t expected;
  };
  const std::string long_plain(40, 'a');
  const Case cases[] = {
      {"", 0, 0},
      {"abc", 0, 3},
      {"ab[c", 0, 2},
      {"[", 0, 0},
      {"ab[c", 3, 4},                                     // from past the only hit
      {"0123456789abcdef(", 0, 16},                       // first byte after a full block
      {"0123456789abcde\\", 0, 15},                       // last byte of a block
      {long_plain, 0, 40},                                // blocks and tail without a hit
      {long_plain + "]", 0, 40},                          // hit in the tail
      {long_plain + ")" + long_plain, 0, 40},             // hit in a later block
      {"x(" + long_plain + "(", 2, 42},                   // start inside, skip the earlier hit
      {"ab", 5, 5},                                       // from past the end: returned as it is
      {long_plain, 45, 45},
      {long_plain + "[", 39, 40},                         // the last block overlaps bytes before from
      {"[" + long_plain, 1, 41},
      {std::string(30, 'a') + "[" + std::string(9, 'a'), 35, 40},           // a hit before from is masked
      {std::string(30, 'a') + "[aaaaaa(aa", 35, 37},                        // the next one is found
      {std::string("\xE2\x80\x99 no wanted byte here at all!"), 0, 31},  // bytes >= 0x80 are no hit
  };
  for (const Case& c : cases) {
    const size_t found = FindFirstOf<'\\', '[', ']', '(', ')'>(c.text, c.from);
    CHECK_MESSAGE(found == c.expected, '"', c.text, "\" from ", c.from);
  }
  // A byte >= 0x80 can be searched for too.
  const size_t lead = FindFirstOf<'\xE3'>(std::string(20, '.') + "\xE3\x80\x82", 0);
  CHECK(lead == 20);
  const bool b_in = IsOneOf<'a', 'b'>('b'), c_in = IsOneOf<'a', 'b'>('c');
  CHECK(b_in);
  CHECK_FALSE(c_in);
}

}  // namespace prose2stix::bytes
