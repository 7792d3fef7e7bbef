// Bit tricks shared by the scanners: counting the bits of the SIMD scanners' 16-bit block masks,
// and the eight-bytes-at-a-time test of the JSON writers.
#ifndef PROSE2STIX_UTIL_BITS_H_
#define PROSE2STIX_UTIL_BITS_H_

#include <cstdint>

namespace prose2stix {

// Set bits of a 16-bit mask (std::popcount is a library call on the x86-64 baseline, without
// -mpopcnt; this is a handful of ALU operations).
inline unsigned CountBits16(unsigned x) {
  x = x - ((x >> 1) & 0x5555u);
  x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
  x = (x + (x >> 4)) & 0x0F0Fu;
  return (x + (x >> 8)) & 0x1Fu;
}

// True when some byte of `w` (eight bytes of a string) is below 0x20, is '"' or '\\', or is
// >= 0x80: a byte a JSON writer must escape, or that starts a UTF-8 sequence to check. A word
// without one is copied as it is.
inline bool HasJsonSpecialByte(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  const uint64_t quote = w ^ (kOnes * '"');
  const uint64_t backslash = w ^ (kOnes * '\\');
  const uint64_t control = w - kOnes * 0x20;  // borrows into the high bit for bytes < 0x20
  return (((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) | control | w) & kHigh;
}

}  // namespace prose2stix

#endif  // PROSE2STIX_UTIL_BITS_H_
