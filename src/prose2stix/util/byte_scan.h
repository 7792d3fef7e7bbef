// Finding the next byte of a small fixed set, 16 bytes at a time.
//
// The readers and the sentence splitter skip long runs of ordinary text to the next byte that
// needs a look (markup, terminal punctuation, a line feed). With SSE2 each block of 16 bytes is
// compared with every wanted byte at once and the first hit taken from the mask; without SSE2
// (or for the last bytes of the text) the bytes are compared one at a time. Header-only, pure,
// thread-safe; nothing outside the given string_view is read.
#ifndef PROSE2STIX_UTIL_BYTE_SCAN_H_
#define PROSE2STIX_UTIL_BYTE_SCAN_H_

#include <array>
#include <cstddef>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace prose2stix::bytes {

// True when `c` is one of kBytes.
template <char... kBytes>
constexpr bool IsOneOf(char c) {
  return ((c == kBytes) || ...);
}

#if defined(__SSE2__)
// Bit k set when p[k] is one of kBytes, for the 16 bytes at p.
template <char... kBytes>
inline unsigned Match16(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  __m128i hit = _mm_setzero_si128();
  ((hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(kBytes)))), ...);
  return static_cast<unsigned>(_mm_movemask_epi8(hit));
}
#endif

// The first index at or after `i` whose byte in `s` is one of kBytes, or s.size() (`i` itself when
// it is past the end). With SSE2, a
// tail shorter than a block is covered by one more block ending at the end of `s` (its bytes
// before `i` masked off) when `s` has 16 bytes; shorter strings are looked at byte by byte, one
// table look-up each.
template <char... kBytes>
inline size_t FindFirstOf(std::string_view s, size_t i) {
#if defined(__SSE2__)
  if (s.size() >= 16) {
    for (; i + 16 <= s.size(); i += 16) {
      if (const unsigned mask = Match16<kBytes...>(s.data() + i); mask != 0) {
        return i + static_cast<size_t>(__builtin_ctz(mask));
      }
    }
    if (i >= s.size()) return i;
    const size_t last = s.size() - 16;  // i - last is 1..15 here
    const unsigned mask = Match16<kBytes...>(s.data() + last) >> (i - last);
    return mask != 0 ? i + static_cast<size_t>(__builtin_ctz(mask)) : s.size();
  }
#endif
  static constexpr auto kWanted = [] {
    std::array<bool, 256> t{};
    ((t[static_cast<unsigned char>(kBytes)] = true), ...);
    return t;
  }();
  while (i < s.size() && !kWanted[static_cast<unsigned char>(s[i])]) ++i;
  return i;
}

}  // namespace prose2stix::bytes

#endif  // PROSE2STIX_UTIL_BYTE_SCAN_H_
