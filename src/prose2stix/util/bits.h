// Bit counting for the SIMD scanners' 16-bit block masks.
#ifndef PROSE2STIX_UTIL_BITS_H_
#define PROSE2STIX_UTIL_BITS_H_

namespace prose2stix {

// Set bits of a 16-bit mask (std::popcount is a library call on the x86-64 baseline, without
// -mpopcnt; this is a handful of ALU operations).
inline unsigned CountBits16(unsigned x) {
  x = x - ((x >> 1) & 0x5555u);
  x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
  x = (x + (x >> 4)) & 0x0F0Fu;
  return (x + (x >> 8)) & 0x1Fu;
}

}  // namespace prose2stix

#endif  // PROSE2STIX_UTIL_BITS_H_
