// Tests of the bit tricks in util/bits.h against plain definitions, over every input that matters.
#include "prose2stix/util/bits.h"

#include <cstdint>
#include <cstring>
#include <initializer_list>

#include <doctest/doctest.h>

namespace prose2stix {
namespace {

TEST_CASE("CountBits16 counts the set bits of every 16-bit mask") {
  for (unsigned x = 0; x < 0x10000; ++x) {
    unsigned want = 0;
    for (unsigned b = 0; b < 16; ++b) want += (x >> b) & 1u;
    REQUIRE_MESSAGE(CountBits16(x) == want, "mask " << x);
  }
}

TEST_CASE("HasJsonSpecialByte finds any byte a JSON writer must look at, in any lane") {
  auto special = [](unsigned b) { return b < 0x20 || b == '"' || b == '\\' || b >= 0x80; };
  // Every byte value at every position of an otherwise plain word, and beside another special
  // byte (a borrow from one lane must not hide or invent a hit in the next).
  for (unsigned fill : {unsigned{'a'}, unsigned{' '}, unsigned{'~'}, unsigned{'!'}}) {
    for (unsigned pos = 0; pos < 8; ++pos) {
      for (unsigned b = 0; b < 256; ++b) {
        unsigned char bytes[8];
        std::memset(bytes, static_cast<int>(fill), sizeof bytes);
        bytes[pos] = static_cast<unsigned char>(b);
        uint64_t w;
        std::memcpy(&w, bytes, 8);
        REQUIRE_MESSAGE(HasJsonSpecialByte(w) == special(b), "byte " << b << " at " << pos << " fill " << fill);
        if (pos + 1 < 8) {
          bytes[pos + 1] = 0x1F;  // a control byte next to it: always special
          std::memcpy(&w, bytes, 8);
          REQUIRE_MESSAGE(HasJsonSpecialByte(w), "byte " << b << " at " << pos << " before a control byte");
        }
      }
    }
  }
  uint64_t plain;
  std::memcpy(&plain, "APT28 xy", 8);
  CHECK_FALSE(HasJsonSpecialByte(plain));
}

}  // namespace
}  // namespace prose2stix
