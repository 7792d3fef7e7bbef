// A strict UTF-8 decoder following the Unicode "maximal subpart" replacement practice only
// approximately: any ill-formed lead or continuation byte becomes one U+FFFD and decoding resumes
// at the next byte. Windows-1252 fallback covers text saved by legacy tools.
//
// The scans over whole inputs (FirstInvalid, LooksBinary) run at memory speed on the common case:
// 16 bytes at a time with SSE2 (part of the x86-64 baseline; other targets take 8 bytes at a time
// in a 64-bit word), skipping ASCII blocks (FirstInvalid) or counting control bytes with one
// compare per block (LooksBinary); only the blocks that hold a byte of interest go byte by byte.
#include "prose2stix/util/utf8.h"
#include "prose2stix/util/bits.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace prose2stix::utf8 {

namespace {

// Windows-1252 0x80..0x9F; 0 marks the five undefined positions.
constexpr char32_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

inline unsigned char U(char c) { return static_cast<unsigned char>(c); }

// The first position at or after `i` whose byte is >= 0x80, or s.size().
inline size_t SkipAscii(std::string_view s, size_t i) {
  const size_t n = s.size();
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    if (const int mask = _mm_movemask_epi8(v); mask != 0) {
      return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
  }
#else
  for (; i + 8 <= n; i += 8) {
    uint64_t word = 0;
    std::memcpy(&word, s.data() + i, 8);
    if ((word & 0x8080808080808080ull) != 0) break;
  }
#endif
  while (i < n && U(s[i]) < 0x80) ++i;
  return i;
}

// True for the C0 control bytes that LooksBinary counts (all but tab, LF, CR and form feed).
inline bool IsBinaryControl(unsigned char b) {
  return b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f';
}

}  // namespace

char32_t Decode(std::string_view s, size_t* pos) {
  const size_t i = *pos;
  const unsigned char b0 = U(s[i]);
  if (b0 < 0x80) {
    *pos = i + 1;
    return b0;
  }
  size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, cp = b0 & 0x1Fu, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, cp = b0 & 0x0Fu, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, cp = b0 & 0x07u, min = 0x10000;
  } else {
    *pos = i + 1;
    return kReplacement;
  }
  if (i + len > s.size()) {
    *pos = i + 1;
    return kReplacement;
  }
  for (size_t k = 1; k < len; ++k) {
    const unsigned char b = U(s[i + k]);
    if ((b & 0xC0u) != 0x80u) {
      *pos = i + 1;
      return kReplacement;
    }
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    *pos = i + 1;
    return kReplacement;
  }
  *pos = i + len;
  return cp;
}

void Append(char32_t cp, std::string* out) {
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = kReplacement;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

size_t FirstInvalid(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    // Fast path over ASCII.
    if (U(s[pos]) < 0x80) {
      pos = SkipAscii(s, pos);
      continue;
    }
    size_t start = pos;
    size_t before = pos;
    char32_t cp = Decode(s, &pos);
    if (cp == kReplacement) {
      // A literal U+FFFD (EF BF BD) is valid; a replacement from bad bytes advanced one byte.
      if (pos - before == 1) return start;
    }
  }
  return std::string_view::npos;
}

std::string Repair(std::string_view s, bool* repaired) {
  if (repaired) *repaired = false;
  size_t first = FirstInvalid(s);
  if (first == std::string_view::npos) return std::string(s);
  if (repaired) *repaired = true;
  // Count ill-formed sequences; many of them suggest a legacy single-byte encoding.
  size_t bad = 0;
  bool cp1252_ok = true;
  for (size_t pos = 0; pos < s.size();) {
    size_t before = pos;
    char32_t cp = Decode(s, &pos);
    if (cp == kReplacement && pos - before == 1) ++bad;
  }
  for (char c : s) {
    unsigned char b = U(c);
    if (b >= 0x80 && b <= 0x9F && kCp1252High[b - 0x80] == 0) cp1252_ok = false;
  }
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  if (bad > 3 && cp1252_ok) {
    for (char c : s) {
      unsigned char b = U(c);
      if (b < 0x80) {
        out.push_back(c);
      } else if (b <= 0x9F) {
        Append(kCp1252High[b - 0x80], &out);
      } else {
        Append(b, &out);
      }
    }
    return out;
  }
  for (size_t pos = 0; pos < s.size();) {
    size_t before = pos;
    char32_t cp = Decode(s, &pos);
    if (cp == kReplacement && pos - before == 1) {
      Append(kReplacement, &out);
    } else {
      out.append(s.substr(before, pos - before));
    }
  }
  return out;
}

bool LooksBinary(std::string_view s) {
  std::string_view head = s.substr(0, 64 * 1024);
  size_t control = 0;  // C0 bytes other than tab, LF, CR, FF; a NUL decides at once
  size_t i = 0;
#if defined(__SSE2__)
  // Per block: the bytes <= 0x1F (unsigned) minus the four allowed ones; text has none but LF.
  const __m128i limit = _mm_set1_epi8(0x1F);
  const __m128i tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'),
                ff = _mm_set1_epi8('\f');
  for (; i + 16 <= head.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(head.data() + i));
    const __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, limit), v);
    const __m128i allowed = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, lf)),
                                         _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, ff)));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_andnot_si128(allowed, low)));
    if (mask == 0) continue;
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128())) != 0) return true;
    control += CountBits16(mask);
  }
#endif
  for (; i < head.size(); ++i) {
    const unsigned char b = U(head[i]);
    if (b == 0) return true;
    if (IsBinaryControl(b)) ++control;
  }
  return !head.empty() && control * 10 > head.size();
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  // Branch-free, so that the compiler vectorises it: whole documents pass through here.
  for (char& c : out) c = static_cast<char>(c + (static_cast<unsigned char>(c - 'A') < 26u ? 32 : 0));
  return out;
}

}  // namespace prose2stix::utf8
