// The boilerplate cleaner: decides, paragraph by paragraph, what belongs to the article body.
//
// Every reader hands over Blocks in reading order. Each block is first classified on its own
// (ClassifyUnit, MatchMarker), from features computed in one visit of its text (ScanUnit: word
// count, lowercase prefix, which searched phrases occur); then rules that look at neighbours run
// in this order:
//
//  1. Duplicates: a paragraph repeated verbatim (compared on letters and digits only) is kept once,
//     at its first occurrence. Short ones (< 20 key bytes) are left to the other rules.
//  2. Teasers: a paragraph near the top (first kTeaserWindow blocks) or one marked as a teaser
//     (a bracketed ellipsis "[…]" anywhere, or an ellipsis at its end) is dropped when its text,
//     cut at the ellipses, is entirely found in the paragraphs that follow it: it is a summary or
//     teaser of the article that repeats it.
//  3. Trailer markers (kMarkers, a table): "end" markers ("You may also like", "Disclaimer:",
//     "All rights reserved") end the article once some body text has been seen (kMinBodyBlocks
//     body paragraphs, kMinBodyBytes bytes); before that they are dropped alone. Legal lines
//     (disclaimer, copyright) end it only when at most kMaxTrailerRatio times the body text
//     follows them, since reports also print them on an early page. "drop" markers
//     ("Read more: ...", "Share this", "Tags: ...") drop just their paragraph.
//  4. Junk: widget lines (prices, percentages, UI words, table-of-contents lines), date stamps,
//     calls to action, and in HTML short paragraphs that are mostly link text, are dropped. List
//     items, table rows and preformatted lines are data: there only rows of UI words are dropped.
//  5. Headlines among junk: a headline-like paragraph (short, no final punctuation) that is
//     followed by junk before any body text (running text, a list item, a table row, a
//     preformatted line or an indicator) is a widget label or a teaser title and is dropped. A
//     heading after junk but before body text is kept, and so are runs of short lines with no junk
//     after them (titles, section headings, lists of names or signatures without bullets). Repeats
//     and date stamps are transparent here.
//
// All passes are linear in the input except the teaser search, which is bounded by
// kTeaserSearchBudget bytes searched (memmem, or Boyer-Moore where the C library has none).
#include "prose2stix/ingest/boilerplate.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#if defined(__x86_64__) || defined(__i386__)
#include <tmmintrin.h>
#endif
#endif
#if defined(__SSE2__) && (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
// AVX2 block loops for the per-unit scans, chosen at run time (the build targets baseline x86-64).
#define PROSE2STIX_UNIT_AVX2 1
#include <immintrin.h>
#endif

#include "prose2stix/ingest/date_parse.h"
#include "prose2stix/util/bits.h"
#include "prose2stix/util/byte_scan.h"
#include "prose2stix/util/hash.h"

namespace prose2stix::ingest {

namespace {

constexpr size_t kTeaserWindow = 6;
constexpr size_t kMinTeaserKey = 60;   // key bytes of a paragraph that may be a teaser
constexpr size_t kMinSegmentKey = 24;  // shorter ellipsis-separated pieces are ignored
constexpr size_t kMaxTeaserCandidates = 64;
constexpr size_t kTeaserSearchBudget = size_t{16} << 20;
constexpr size_t kMinDuplicateKey = 20;
constexpr size_t kMinBodyBlocks = 2;
constexpr size_t kMinBodyBytes = 250;
constexpr size_t kMaxTrailerRatio = 2;  // legal end markers: at most 2x the body may follow
constexpr size_t kMaxHeadlineWords = 20;
constexpr size_t kMaxHeadlineBytes = 160;

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsHex(char c) { return IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
char Lower(char c) { return IsAsciiUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr std::array<bool, 256> kSpaceTable = [] {
  std::array<bool, 256> t{};
  for (char c : std::string_view(" \t\n\r\f\v")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();
bool IsSpace(char c) { return kSpaceTable[static_cast<unsigned char>(c)]; }
// Bytes that end a run copied by BlockBuilder::Append: whitespace and 0xC2 (the lead byte of NBSP).
constexpr std::array<bool, 256> kRunBreak = [] {
  std::array<bool, 256> t = kSpaceTable;
  t[0xC2] = true;
  return t;
}();

// Lowercase ASCII with the typographic apostrophe folded to "'", for marker matching: writes at
// most `cap` folded bytes to `buf` (no allocation) and returns them. With SSE2, blocks of 16 bytes
// are lowercased at once up to their first 0xE2 byte (the lead byte of U+2019), whose character
// goes one at a time.
#if defined(__SSE2__)
// The 16 bytes of `v` with ASCII capitals lowercased.
inline __m128i LowerAscii16(__m128i v) {
  const __m128i upper =
      _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
  return _mm_add_epi8(v, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
}

// 0xFF in each byte of `v` that is \t \n \v \f or \r (0..4 after subtracting '\t'), else 0.
inline __m128i ControlSpace16(__m128i v) {
  const __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('\t'));
  return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(4)), d);
}
#endif

std::string_view FoldInto(std::string_view s, char* buf, size_t cap) {
  const size_t size = s.size();
  size_t n = 0, i = 0;
  while (i < size && n < cap) {
    size_t scalar_end = size;  // bytes before this index go one at a time
#if defined(__SSE2__)
    const __m128i lead = _mm_set1_epi8(static_cast<char>(0xE2));
    for (; i + 16 <= size && n + 16 <= cap; i += 16, n += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(buf + n), LowerAscii16(v));
      if (const int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(v, lead)); mask != 0) {
        // The bytes before the 0xE2 are folded and kept; the scalar loop takes its character.
        const auto before = static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
        i += before;
        n += before;
        scalar_end = i + 1;
        break;
      }
    }
    if (i >= size || n >= cap) break;
#endif
    while (i < scalar_end && i < size && n < cap) {
      if (s[i] == '\xE2' && i + 2 < size && s[i + 1] == '\x80' && s[i + 2] == '\x99') {
        buf[n++] = '\'';
        i += 3;
        continue;
      }
      buf[n++] = Lower(s[i]);
      ++i;
    }
  }
  return std::string_view(buf, n);
}

// Words (runs of non-space bytes) in `s`, counting stopped at stop_after + 1. With SSE2, 16 bytes
// at a time: the word starts of a block are its non-space bytes after a space.
#if defined(PROSE2STIX_UNIT_AVX2)
bool HasAvx2() {
  static const bool kHas = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
  return kHas;
}

// CountWords' block loop with AVX2, 32 bytes at a time. Returns the words counted (stopping once
// past stop_after) and leaves in *i and *in_word where and in what state the caller goes on.
__attribute__((target("avx2,popcnt"))) size_t CountWordsAvx2(std::string_view s, size_t stop_after, size_t* i,
                                                              bool* in_word) {
  const __m256i blank = _mm256_set1_epi8(' '), tab = _mm256_set1_epi8('\t'), four = _mm256_set1_epi8(4);
  size_t n = 0;
  bool inside = false;
  size_t at = 0;
  for (; at + 32 <= s.size(); at += 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s.data() + at));
    const __m256i d = _mm256_sub_epi8(v, tab);  // \t \n \v \f \r are 0..4 here
    const __m256i control = _mm256_cmpeq_epi8(_mm256_min_epu8(d, four), d);
    const __m256i space = _mm256_or_si256(_mm256_cmpeq_epi8(v, blank), control);
    const auto word = ~static_cast<uint32_t>(_mm256_movemask_epi8(space));
    const uint32_t starts = word & ~((word << 1) | (inside ? 1u : 0u));
    n += static_cast<size_t>(__builtin_popcount(starts));
    inside = (word >> 31) != 0;
    if (n > stop_after) break;
  }
  *i = at;
  *in_word = inside;
  return n;
}
#endif

size_t CountWords(std::string_view s, size_t stop_after) {
  size_t n = 0;
  bool in_word = false;
  size_t i = 0;
#if defined(PROSE2STIX_UNIT_AVX2)
  if (HasAvx2()) {
    n = CountWordsAvx2(s, stop_after, &i, &in_word);
    if (n > stop_after) return stop_after + 1;
  }
#endif
#if defined(__SSE2__)
  const __m128i blank = _mm_set1_epi8(' ');
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i space = _mm_or_si128(_mm_cmpeq_epi8(v, blank), ControlSpace16(v));
    const unsigned word = ~static_cast<unsigned>(_mm_movemask_epi8(space)) & 0xFFFFu;
    const unsigned starts = word & ~((word << 1) | (in_word ? 1u : 0u)) & 0xFFFFu;
    n += CountBits16(starts);
    in_word = (word & 0x8000u) != 0;
    if (n > stop_after) return stop_after + 1;
  }
#endif
  for (char c : s.substr(i)) {
    if (IsSpace(c)) {
      in_word = false;
    } else if (!in_word) {
      in_word = true;
      if (++n > stop_after) return n;
    }
  }
  return n;
}

// Key bytes of ASCII: letters lowercased, digits kept, 0 for the rest (dropped); non-ASCII bytes
// map to themselves and are looked at by WriteKey.
constexpr std::array<char, 256> kKeyTable = [] {
  std::array<char, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = static_cast<char>(c);
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<size_t>(c)] = static_cast<char>(c);
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<size_t>(c)] = static_cast<char>(c - 'A' + 'a');
  for (int c = 0x80; c < 0x100; ++c) t[static_cast<size_t>(c)] = static_cast<char>(c);
  return t;
}();

// One step of WriteKey at s[i]: writes the key bytes of one character to *o and returns the
// index after it.
inline size_t WriteKeyByte(std::string_view s, size_t i, char** o) {
  const char c = s[i];
  if (static_cast<unsigned char>(c) < 0x80) {
    if (const char k = kKeyTable[static_cast<unsigned char>(c)]; k != 0) *(*o)++ = k;
    return i + 1;
  }
  if (c == '\xE2' && i + 2 < s.size() && s[i + 1] == '\x80' &&
      std::string_view("\xA6\x98\x99\x9C\x9D\x93\x94").find(s[i + 2]) != std::string_view::npos) {
    return i + 3;
  }
  if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') return i + 2;
  *(*o)++ = c;
  return i + 1;
}

#if defined(__SSE2__)
// One all-ASCII block of 16 bytes, lowercased, and the mask of its letters and digits.
inline __m128i KeyBlock(__m128i v, unsigned* keep) {
  const __m128i lower = LowerAscii16(v);
  const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(lower, _mm_set1_epi8('z' + 1)));
  const __m128i digit =
      _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
  *keep = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(letter, digit)));
  return lower;
}
#endif

#if defined(__SSE2__) && (defined(__x86_64__) || defined(__i386__)) && \
    (defined(__GNUC__) || defined(__clang__))
#define PROSE2STIX_KEY_SSSE3 1
// For each 8-bit mask, the shuffle that moves the bytes of its set bits to the front, and their
// number.
struct CompressTable {
  std::array<std::array<uint8_t, 8>, 256> index{};
  std::array<uint8_t, 256> count{};
};
constexpr CompressTable kCompress = [] {
  CompressTable t;
  for (unsigned m = 0; m < 256; ++m) {
    uint8_t n = 0;
    for (uint8_t b = 0; b < 8; ++b) {
      if ((m >> b) & 1u) t.index[m][n++] = b;
    }
    for (uint8_t k = n; k < 8; ++k) t.index[m][k] = 0x80;  // zero the unused bytes
    t.count[m] = n;
  }
  return t;
}();

// WriteKey with SSSE3: the kept bytes of each half block are gathered by one byte shuffle and
// stored 8 at a time (the store may run past the kept bytes, never past out + s.size()).
// Goes on from s[i], with the key written so far ending at o.
__attribute__((target("ssse3"))) size_t WriteKeySsse3(std::string_view s, char* out, size_t i = 0,
                                                      char* o = nullptr) {
  if (o == nullptr) o = out;
  while (i + 16 <= s.size()) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    unsigned keep = 0;
    const __m128i lower = KeyBlock(v, &keep);
    // A byte >= 0x80 ends the block early: the ASCII bytes before it go here, its character
    // byte by byte, and the next block starts after that character.
    const unsigned high_bytes = static_cast<unsigned>(_mm_movemask_epi8(v));
    const unsigned ascii = high_bytes == 0 ? 16 : static_cast<unsigned>(__builtin_ctz(high_bytes));
    keep &= (1u << ascii) - 1;
    const unsigned low = keep & 0xFFu, high = keep >> 8;
    const auto indices = [](unsigned mask) {  // upper half zeroed
      return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(kCompress.index[mask].data()));
    };
    _mm_storel_epi64(reinterpret_cast<__m128i*>(o), _mm_shuffle_epi8(lower, indices(low)));
    o += kCompress.count[low];
    _mm_storel_epi64(reinterpret_cast<__m128i*>(o),
                     _mm_shuffle_epi8(_mm_srli_si128(lower, 8), indices(high)));
    o += kCompress.count[high];
    i += ascii;
    if (ascii < 16) i = WriteKeyByte(s, i, &o);
  }
  while (i < s.size()) i = WriteKeyByte(s, i, &o);
  return static_cast<size_t>(o - out);
}

bool HasSsse3() {
  static const bool kHas = __builtin_cpu_supports("ssse3");
  return kHas;
}

#if defined(PROSE2STIX_UNIT_AVX2)
// WriteKeySsse3's block step on 32 bytes with AVX2: the bytes are classified 32 at a time and the
// kept bytes of each quarter gathered by one byte shuffle, as there. The last bytes go to
// WriteKeySsse3.
__attribute__((target("avx2"))) size_t WriteKeyAvx2(std::string_view s, char* out) {
  char* o = out;
  size_t i = 0;
  const __m256i before_upper = _mm256_set1_epi8('A' - 1), after_upper = _mm256_set1_epi8('Z' + 1);
  const __m256i before_lower = _mm256_set1_epi8('a' - 1), after_lower = _mm256_set1_epi8('z' + 1);
  const __m256i before_digit = _mm256_set1_epi8('0' - 1), after_digit = _mm256_set1_epi8('9' + 1);
  while (i + 32 <= s.size()) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s.data() + i));
    // Signed compares: bytes >= 0x80 are negative and fall in no range.
    const __m256i upper = _mm256_and_si256(_mm256_cmpgt_epi8(v, before_upper), _mm256_cmpgt_epi8(after_upper, v));
    const __m256i lower = _mm256_add_epi8(v, _mm256_and_si256(upper, _mm256_set1_epi8(0x20)));
    const __m256i letter =
        _mm256_and_si256(_mm256_cmpgt_epi8(lower, before_lower), _mm256_cmpgt_epi8(after_lower, lower));
    const __m256i digit = _mm256_and_si256(_mm256_cmpgt_epi8(v, before_digit), _mm256_cmpgt_epi8(after_digit, v));
    auto keep = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_or_si256(letter, digit)));
    // As in WriteKeySsse3: a byte >= 0x80 ends the block after the ASCII bytes before it.
    const auto high_bytes = static_cast<uint32_t>(_mm256_movemask_epi8(v));
    const unsigned ascii = high_bytes == 0 ? 32 : static_cast<unsigned>(__builtin_ctz(high_bytes));
    if (ascii < 32) keep &= (uint32_t{1} << ascii) - 1;
    const __m128i halves[2] = {_mm256_castsi256_si128(lower), _mm256_extracti128_si256(lower, 1)};
    for (unsigned q = 0; q < 4; ++q) {
      const unsigned mask = (keep >> (8 * q)) & 0xFFu;
      const __m128i bytes8 = (q & 1u) != 0 ? _mm_srli_si128(halves[q >> 1], 8) : halves[q >> 1];
      const __m128i index = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(kCompress.index[mask].data()));
      _mm_storel_epi64(reinterpret_cast<__m128i*>(o), _mm_shuffle_epi8(bytes8, index));
      o += kCompress.count[mask];
    }
    i += ascii;
    if (ascii < 32) i = WriteKeyByte(s, i, &o);
  }
  return WriteKeySsse3(s, out, i, o);
}
#endif
#endif

// Letters and digits, lowercased; other ASCII dropped; non-ASCII bytes kept except punctuation
// that varies between copies of a text (ellipsis, curly quotes, dashes, NBSP). Writes the key to
// `out`, which has room for s.size() bytes (a key is never longer than its text); returns its size.
// Blocks of 16 bytes are lowercased at once and the letters and digits before their first byte
// >= 0x80 (all of them in an ASCII block) picked by a mask: with SSSE3 (checked at run time) by
// two byte shuffles (32 bytes classified at once with AVX2), with SSE2 bit by bit; the character
// at a byte >= 0x80 goes one at a time.
size_t WriteKey(std::string_view s, char* out) {
#if defined(PROSE2STIX_KEY_SSSE3)
#if defined(PROSE2STIX_UNIT_AVX2)
  if (HasAvx2()) return WriteKeyAvx2(s, out);
#endif
  if (HasSsse3()) return WriteKeySsse3(s, out);
#endif
  char* o = out;
  size_t i = 0;
#if defined(__SSE2__)
  alignas(16) char folded[16];
  while (i + 16 <= s.size()) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    unsigned keep = 0;
    _mm_store_si128(reinterpret_cast<__m128i*>(folded), KeyBlock(v, &keep));
    // As in WriteKeySsse3: a byte >= 0x80 ends the block after the ASCII bytes before it.
    const unsigned high_bytes = static_cast<unsigned>(_mm_movemask_epi8(v));
    const unsigned ascii = high_bytes == 0 ? 16 : static_cast<unsigned>(__builtin_ctz(high_bytes));
    for (keep &= (1u << ascii) - 1; keep != 0; keep &= keep - 1) *o++ = folded[__builtin_ctz(keep)];
    i += ascii;
    if (ascii < 16) i = WriteKeyByte(s, i, &o);
  }
#endif
  while (i < s.size()) i = WriteKeyByte(s, i, &o);
  return static_cast<size_t>(o - out);
}


std::string Key(std::string_view s) {
  std::string k(s.size(), '\0');
  k.resize(WriteKey(s, k.data()));
  return k;
}

// The marks of a teaser: a bracketed ellipsis anywhere ("[…]", "[...]"), or an ellipsis ending
// the paragraph. A "..." inside a quotation does not count.
bool HasTeaserEllipsis(std::string_view s) {
  for (size_t i = bytes::FindFirstOf<'['>(s, 0); i < s.size(); i = bytes::FindFirstOf<'['>(s, i + 1)) {
    const std::string_view rest = s.substr(i + 1);
    if (rest.compare(0, 4, "\xE2\x80\xA6]") == 0 || rest.compare(0, 4, "...]") == 0) return true;
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == ']' || s.back() == ')')) s.remove_suffix(1);
  return (s.size() >= 3 && s.substr(s.size() - 3) == "...") ||
         (s.size() >= 3 && s.substr(s.size() - 3) == "\xE2\x80\xA6");
}

// Splits at ellipsis marks: "…", "[…]", "...", "[...]".
std::vector<std::string_view> EllipsisSegments(std::string_view s, bool* has_ellipsis) {
  std::vector<std::string_view> out;
  size_t start = 0;
  *has_ellipsis = false;
  size_t i = 0;
  while (true) {
    const size_t dots = s.find("...", i), mark = s.find("\xE2\x80\xA6", i);
    const size_t at = std::min(dots, mark);
    if (at == std::string_view::npos) break;
    *has_ellipsis = true;
    size_t seg_end = at, next = at + 3;
    if (seg_end > start && s[seg_end - 1] == '[') --seg_end;
    while (next < s.size() && s[next] == '.') ++next;
    if (next < s.size() && s[next] == ']') ++next;
    out.push_back(s.substr(start, seg_end - start));
    start = i = next;
  }
  out.push_back(s.substr(start));
  return out;
}

#if defined(__GLIBC__) || defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) || \
    defined(__NetBSD__)
#define PROSE2STIX_HAS_MEMMEM 1
#else
#define PROSE2STIX_HAS_MEMMEM 0
#endif

// Finds one needle in any number of haystacks: the C library's memmem where there is one
// (glibc's is linear in the worst case and skips by pairs of bytes, which suits keys of lowercase
// letters far better than the byte shifts of Boyer-Moore), else a Boyer-Moore searcher built once.
class KeyFinder {
 public:
  explicit KeyFinder(std::string_view needle)
      : needle_(needle)
#if !PROSE2STIX_HAS_MEMMEM
        ,
        searcher_(needle.begin(), needle.end())
#endif
  {
  }
  // The first occurrence of the needle in `hay`, or npos.
  size_t In(std::string_view hay) const {
#if PROSE2STIX_HAS_MEMMEM
    const void* hit = memmem(hay.data(), hay.size(), needle_.data(), needle_.size());
    return hit == nullptr ? std::string_view::npos : static_cast<size_t>(static_cast<const char*>(hit) - hay.data());
#else
    const auto it = std::search(hay.begin(), hay.end(), searcher_);
    return it == hay.end() ? std::string_view::npos : static_cast<size_t>(it - hay.begin());
#endif
  }

 private:
  std::string_view needle_;
#if !PROSE2STIX_HAS_MEMMEM
  std::boyer_moore_searcher<std::string_view::const_iterator> searcher_;
#endif
};

// True when `needle` occurs in `hay`. The needle's first kSearchChunk bytes are searched for, and
// each hit is verified in full; every search is charged to *budget and the search fails once the
// budget is spent.
bool Occurs(std::string_view needle, std::string_view hay, size_t* budget) {
  constexpr size_t kSearchChunk = 1024;
  if (needle.size() > hay.size()) return false;
  const KeyFinder head(needle.substr(0, kSearchChunk));
  size_t from = 0;
  while (from + needle.size() <= hay.size()) {
    const std::string_view rest = hay.substr(from);
    if (*budget < rest.size()) return false;
    *budget -= rest.size();
    const size_t at = head.In(rest);
    if (at == std::string_view::npos) return false;
    const size_t found = from + at;
    if (hay.compare(found, needle.size(), needle) == 0) return true;
    from = found + 1;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Trailer markers.

enum class MatchKind { kWhole, kPrefix, kContains };
struct Marker {
  std::string_view text;  // lowercase
  MatchKind match;
  MarkerAction action;
  size_t max_words;   // the paragraph may have at most this many words; 0 = any
  bool late = false;  // kEndArticle only when little text follows (legal lines also appear
                      // mid-document, e.g. on a report's second page)
};

constexpr MarkerAction kEnd = MarkerAction::kEndArticle;
constexpr MarkerAction kDrop = MarkerAction::kDrop;
constexpr MatchKind kWhole = MatchKind::kWhole;
constexpr MatchKind kPrefix = MatchKind::kPrefix;
constexpr MatchKind kContains = MatchKind::kContains;

// Section headings that open lists of other articles, comments or legal text: the article is over.
// Paragraph-level furniture (share bars, tag lists, image credits, inline "read more" links) is
// dropped alone.
constexpr Marker kMarkers[] = {
    {"you may also like", kWhole, kEnd, 0},
    {"you might also like", kWhole, kEnd, 0},
    {"you may also be interested in", kWhole, kEnd, 0},
    {"you might be interested in", kWhole, kEnd, 0},
    {"you may be interested in", kWhole, kEnd, 0},
    {"related", kWhole, kEnd, 0},
    {"related articles", kWhole, kEnd, 0},
    {"related posts", kWhole, kEnd, 0},
    {"related stories", kWhole, kEnd, 0},
    {"related news", kWhole, kEnd, 0},
    {"related content", kWhole, kEnd, 0},
    {"related reading", kWhole, kEnd, 0},
    {"related coverage", kWhole, kEnd, 0},
    {"related topics", kWhole, kEnd, 0},
    {"recommended", kWhole, kEnd, 0},
    {"recommended for you", kWhole, kEnd, 0},
    {"recommended articles", kWhole, kEnd, 0},
    {"recommended stories", kWhole, kEnd, 0},
    {"recommended reading", kWhole, kEnd, 0},
    {"recommended posts", kWhole, kEnd, 0},
    {"more stories", kWhole, kEnd, 0},
    {"more news", kWhole, kEnd, 0},
    {"more articles", kWhole, kEnd, 0},
    {"more to read", kWhole, kEnd, 0},
    {"read next", kWhole, kEnd, 0},
    {"up next", kWhole, kEnd, 0},
    {"what to read next", kWhole, kEnd, 0},
    {"trending", kWhole, kEnd, 0},
    {"trending now", kWhole, kEnd, 0},
    {"trending stories", kWhole, kEnd, 0},
    {"popular", kWhole, kEnd, 0},
    {"popular posts", kWhole, kEnd, 0},
    {"popular stories", kWhole, kEnd, 0},
    {"most popular", kWhole, kEnd, 0},
    {"most read", kWhole, kEnd, 0},
    {"latest news", kWhole, kEnd, 0},
    {"latest articles", kWhole, kEnd, 0},
    {"latest posts", kWhole, kEnd, 0},
    {"latest stories", kWhole, kEnd, 0},
    {"top stories", kWhole, kEnd, 0},
    {"editor's picks", kWhole, kEnd, 0},
    {"don't miss", kWhole, kEnd, 0},
    {"in case you missed it", kWhole, kEnd, 0},
    {"comments", kWhole, kEnd, 0},
    {"leave a comment", kWhole, kEnd, 0},
    {"leave a reply", kWhole, kEnd, 0},
    {"post a comment", kWhole, kEnd, 0},
    {"join the conversation", kWhole, kEnd, 0},
    {"about the author", kWhole, kEnd, 0},
    {"share this article", kWhole, kEnd, 0},
    {"share this post", kWhole, kEnd, 0},
    {"share this story", kWhole, kEnd, 0},
    {"more from", kPrefix, kEnd, 8},
    {"disclaimer", kPrefix, kEnd, 0, true},
    {"copyright", kPrefix, kEnd, 30, true},
    {"\xC2\xA9", kPrefix, kEnd, 30, true},
    {"all rights reserved", kContains, kEnd, 30, true},
    {"appeared first on", kContains, kDrop, 40},
    {"originally appeared on", kContains, kDrop, 40},
    {"originally published on", kContains, kDrop, 40},
    {"read more", kPrefix, kDrop, 25},
    {"continue reading", kPrefix, kDrop, 25},
    {"read the full", kPrefix, kDrop, 25},
    {"read also", kPrefix, kDrop, 25},
    {"also read", kPrefix, kDrop, 25},
    {"related:", kPrefix, kDrop, 25},
    {"see also:", kPrefix, kDrop, 25},
    {"share this", kPrefix, kDrop, 12},
    {"share on", kPrefix, kDrop, 8},
    {"subscribe", kPrefix, kDrop, 30},
    {"sign up for", kPrefix, kDrop, 40},
    {"sign up to", kPrefix, kDrop, 40},
    {"click here", kPrefix, kDrop, 30},
    {"follow us", kPrefix, kDrop, 20},
    {"tags:", kPrefix, kDrop, 40},
    {"tagged:", kPrefix, kDrop, 40},
    {"tagged with", kPrefix, kDrop, 40},
    {"topics:", kPrefix, kDrop, 40},
    {"filed under", kPrefix, kDrop, 40},
    {"posted in", kPrefix, kDrop, 40},
    {"categories:", kPrefix, kDrop, 40},
    {"category:", kPrefix, kDrop, 40},
    {"image:", kPrefix, kDrop, 30},
    {"image credit", kPrefix, kDrop, 30},
    {"image source", kPrefix, kDrop, 30},
    {"photo:", kPrefix, kDrop, 30},
    {"photo credit", kPrefix, kDrop, 30},
    {"featured image", kPrefix, kDrop, 30},
    {"advertisement", kWhole, kDrop, 0},
    {"sponsored", kWhole, kDrop, 0},
    {"sponsored content", kWhole, kDrop, 0},
};

// Words of page furniture; a short line made only of these (and numbers) is a widget.
constexpr std::string_view kUiWords[] = {
    "share",     "shares", "tweet",    "like",     "likes",         "print",     "email",     "e-mail",
    "mail",      "follow", "comment",  "comments", "reply",         "save",      "saved",     "copy",
    "link",      "menu",   "close",    "search",   "login",         "logout",    "log",       "in",
    "out",       "sign",   "up",       "register", "home",          "next",      "previous",  "prev",
    "back",      "to",     "top",      "more",     "less",          "show",      "hide",      "facebook",
    "twitter",   "x",      "linkedin", "reddit",   "whatsapp",      "telegram",  "pinterest", "youtube",
    "instagram", "logo",   "chart",    "live",     "advertisement", "ad",        "ads",       "sponsored",
    "loading",   "skip",   "accept",   "reject",   "settings",      "ok",        "okay",      "subscribe",
    "listen",    "watch",  "play",     "video",    "min",           "mins",      "read",      "views",
    "view",      "votes",  "upvote",   "downvote", "bookmark",      "flipboard", "feed",      "rss",
};

static_assert([] {
  std::array<size_t, 26> per_letter{};
  for (std::string_view w : kUiWords) {
    if (w.empty() || w.size() >= 32 || w[0] < 'a' || w[0] > 'z' || ++per_letter[static_cast<size_t>(w[0] - 'a')] > 16)
      return false;
  }
  return true;
}(), "UI words start with a lowercase letter, at most 16 per letter, shorter than 32 bytes");

// Calls to action; a short paragraph with one of these addressed to the reader is a promotion.
constexpr std::string_view kPromoPhrases[] = {
    "newsletter", "subscribe", "sign up",      "signup",      "sign-up",    "follow us",
    "join us",    "join them", "download our", "get our app", "free trial", "register now",
};
constexpr std::string_view kReaderCues[] = {"you", "our ", "?", "!", "join", "want in"};

bool TrimmedEquals(std::string_view lower, std::string_view marker) {
  size_t end = lower.size();
  while (end > 0) {
    const char c = lower[end - 1];
    if (c == ':' || c == '.' || c == ' ' || c == '-' || c == '!' || c == '>' || c == '|') {
      --end;
    } else if (end >= 3 && lower.compare(end - 3, 3, "\xE2\x80\xA6") == 0) {
      end -= 3;
    } else {
      break;
    }
  }
  return lower.substr(0, end) == marker;
}

// ---------------------------------------------------------------------------------------------
// Token shapes.

std::string_view StripPunct(std::string_view t) {
  // Bit 0: stripped at either end; bit 1: stripped at the end ('.' only there).
  static constexpr auto kEdge = [] {
    std::array<uint8_t, 256> e{};
    for (char c : std::string_view("()[]{},;\"'<>:!?")) e[static_cast<unsigned char>(c)] = 3;
    e['.'] = 2;
    return e;
  }();
  while (!t.empty() && (kEdge[static_cast<unsigned char>(t.front())] & 1u) != 0) t.remove_prefix(1);
  while (!t.empty() && kEdge[static_cast<unsigned char>(t.back())] != 0) t.remove_suffix(1);
  return t;
}

// Un-defangs "1[.]2" into `out` (room for t.size() bytes) so that shared indicators are
// recognized; returns the refanged text.
std::string_view RefangInto(std::string_view t, char* out) {
  size_t n = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if ((t[i] == '[' || t[i] == '(') && i + 2 < t.size() && t[i + 1] == '.' &&
        (t[i + 2] == ']' || t[i + 2] == ')')) {
      out[n++] = '.';
      i += 2;
    } else {
      out[n++] = t[i];
    }
  }
  return std::string_view(out, n);
}

// Whether `t` starts with the lowercase ASCII `prefix`, ignoring ASCII case.
bool StartsWithNoCase(std::string_view t, std::string_view prefix) {
  if (t.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(t[i]) != prefix[i]) return false;
  }
  return true;
}

bool IsIpv4(std::string_view t) {
  int parts = 0;
  size_t i = 0;
  while (i <= t.size()) {
    size_t j = i;
    int value = 0;
    while (j < t.size() && IsAsciiDigit(t[j]) && j - i < 3) value = value * 10 + (t[j++] - '0');
    if (j == i || value > 255) return false;
    ++parts;
    if (j == t.size()) break;
    if (t[j] != '.') return false;
    i = j + 1;
  }
  return parts == 4;
}

bool IsDomainLike(std::string_view t) {
  size_t last_dot = t.rfind('.');
  if (last_dot == std::string_view::npos || last_dot == 0) return false;
  const std::string_view tld = t.substr(last_dot + 1);
  if (tld.size() < 2 || tld.size() > 12) return false;
  for (char c : tld) {
    if (!IsAsciiAlpha(c)) return false;
  }
  bool letter = false;
  char prev = '.';
  for (size_t i = 0; i < last_dot; ++i) {
    const char c = t[i];
    if (c == '.') {
      if (prev == '.') return false;
    } else if (IsAsciiAlpha(c)) {
      letter = true;
    } else if (!IsAsciiDigit(c) && c != '-' && c != '_') {
      return false;
    }
    prev = c;
  }
  return letter && prev != '.';
}

bool IsIndicatorToken(std::string_view raw) {
  raw = StripPunct(raw);
  if (raw.size() < 4) return false;
  // Every indicator shape has a dot, colon, at sign or hyphen, or is a long hex run.
  if (raw.size() < 32 && std::none_of(raw.begin(), raw.end(), [](char c) {
        return c == '.' || c == ':' || c == '@' || c == '-' || c == '[';
      })) {
    return false;
  }
  // The refanged token goes to a stack buffer (the heap only for very long tokens).
  char stack[256];
  std::unique_ptr<char[]> heap;
  char* buf = stack;
  if (raw.size() > sizeof stack) {
    heap.reset(new char[raw.size()]);
    buf = heap.get();
  }
  const std::string_view t = RefangInto(raw, buf);
  if (t.size() < 4) return false;
  // Scheme, "hxxp" and CVE prefixes are matched ignoring ASCII case ("://" has no letters).
  if (t.find("://") != std::string_view::npos || StartsWithNoCase(t, "hxxp")) return true;
  if (StartsWithNoCase(t, "cve-") && t.size() > 4 && IsAsciiDigit(t[4])) return true;
  size_t hex_run = 0, best_hex = 0;
  for (char c : t) {
    hex_run = IsHex(c) ? hex_run + 1 : 0;
    best_hex = std::max(best_hex, hex_run);
  }
  if (best_hex >= 32) return true;
  if (IsIpv4(t)) return true;
  const size_t colon = t.rfind(':');
  if (colon != std::string_view::npos && colon + 1 < t.size() &&
      t.find_first_not_of("0123456789", colon + 1) == std::string_view::npos &&
      (IsIpv4(t.substr(0, colon)) || IsDomainLike(t.substr(0, colon)))) {
    return true;  // host:port
  }
  const size_t at = t.find('@');
  if (at != std::string_view::npos && at > 0) return IsDomainLike(t.substr(at + 1));
  return IsDomainLike(t);
}

// A number, price or percentage: "$0.7598", "-3.83%", "1,204", "+2.1x", "24h". Letters may only
// follow the digits, as a unit of at most three letters: "w0rm", "GC01" and "APT28" are names.
bool IsNumericToken(std::string_view t) {
  size_t digits = 0, letters = 0;
  for (char c : t) {
    if (IsAsciiDigit(c)) {
      if (letters > 0) return false;
      ++digits;
    } else if (IsAsciiAlpha(c)) {
      if (digits == 0) return false;
      ++letters;
    } else if (static_cast<unsigned char>(c) < 0x80 &&
               std::string_view("$%+-.,()/#~<>=").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return digits > 0 && letters <= 3;
}

bool IsCurrencyCode(std::string_view t) {
  t = StripPunct(t);
  if (t.empty() || t.size() > 5) return false;
  for (char c : t) {
    if (!IsAsciiUpper(c)) return false;
  }
  return true;
}

bool IsUiWord(std::string_view t) {
  // The lengths of the UI words by first letter reject most words before any is compared. A
  // word holding U+2019 folds to one with "'", which no UI word has, so its raw length may be
  // tested too.
  static constexpr std::array<uint32_t, 256> kLengths = [] {
    std::array<uint32_t, 256> lengths{};
    for (std::string_view w : kUiWords) lengths[static_cast<unsigned char>(w[0])] |= uint32_t{1} << w.size();
    return lengths;
  }();
  // The UI words grouped by first letter (all start with a lowercase ASCII letter).
  struct ByLetter {
    std::array<std::array<std::string_view, 16>, 26> words{};
    std::array<uint8_t, 26> count{};
  };
  static constexpr ByLetter kByLetter = [] {
    ByLetter b;
    for (std::string_view w : kUiWords) {
      const auto letter = static_cast<size_t>(w[0] - 'a');
      b.words[letter][b.count[letter]++] = w;
    }
    return b;
  }();
  t = StripPunct(t);
  if (t.empty() || t.size() >= 32 ||
      ((kLengths[static_cast<unsigned char>(Lower(t[0]))] >> t.size()) & 1u) == 0) {
    return false;
  }
  char buf[32];
  const std::string_view lower = FoldInto(t, buf, sizeof buf);
  const auto letter = static_cast<size_t>(lower[0] - 'a');  // a letter: kLengths had an entry
  for (size_t i = 0; i < kByLetter.count[letter]; ++i) {
    if (kByLetter.words[letter][i] == lower) return true;
  }
  return false;
}

// Words that may stand next to a date in a date stamp ("Published: June 2, 2020").
constexpr std::string_view kDateCues[] = {"published", "posted",  "updated",  "last", "date", "on",  "at",
                                          "modified",  "created", "released", "am",   "pm",   "utc", "gmt"};

// True when the text around a date is at most one word (a source name glued to the date, as in
// "Agbi2026/01/15") plus date cue words: then the line is a date stamp, not a sentence.
bool IsDateStamp(std::string_view before, std::string_view after) {
  size_t other = 0;
  for (std::string_view part : {before, after}) {
    size_t i = 0;
    while (i < part.size()) {
      while (i < part.size() && !IsAsciiAlpha(part[i])) ++i;
      const size_t start = i;
      while (i < part.size() && IsAsciiAlpha(part[i])) ++i;
      if (i == start) break;
      char buf[32];
      const std::string_view word = FoldInto(part.substr(start, i - start), buf, sizeof buf);
      if (std::find(std::begin(kDateCues), std::end(kDateCues), word) != std::end(kDateCues)) continue;
      // A field label ("BuildTime: 2021-07-26") makes the date a value, not a stamp.
      if (i < part.size() && part[i] == ':') return false;
      if (++other > 1) return false;
    }
  }
  return true;
}

// A table-of-contents line: a dot leader ("Introduction . . . . . 4", "Scope.......12") ending in
// a page number.
bool IsTocLine(std::string_view text) {
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  if (text.empty() || !IsAsciiDigit(text.back())) return false;
  return text.find(". . . .") != std::string_view::npos || text.find(".....") != std::string_view::npos;
}

// A line made only of UI words ("Share", "Print", "Home | Next").
bool IsUiOnly(std::string_view text) {
  size_t words = 0;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    const size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    if (i == start) break;
    if (!IsUiWord(text.substr(start, i - start)) || ++words > 8) return false;
  }
  return words > 0;
}

bool EndsWithSentencePunct(std::string_view s) {
  while (!s.empty()) {
    const unsigned char c = static_cast<unsigned char>(s.back());
    if (c == ' ' || c == '"' || c == '\'' || c == ')' || c == ']' || c == '*') {
      s.remove_suffix(1);
      continue;
    }
    // Closing quotes ” ’ and » after the punctuation.
    if (s.size() >= 3 &&
        (s.substr(s.size() - 3) == "\xE2\x80\x9D" || s.substr(s.size() - 3) == "\xE2\x80\x99")) {
      s.remove_suffix(3);
      continue;
    }
    if (s.size() >= 3 && s.substr(s.size() - 3) == "\xE2\x80\xA6") return true;
    if (s.size() >= 3 && s.substr(s.size() - 3) == "\xE3\x80\x82") return true;
    return c == '.' || c == '!' || c == '?' || c == ':' || c == ';';
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Per-unit features, computed once per block: the word count, the folded (lowercase) prefix that
// markers are matched on, and which of the phrases searched inside a unit (calls to action and
// "contains" markers) occur in it. The phrases are found in one scan over the folded text: each
// phrase is anchored at its rarest letter (j, v, b, w, g, f... in English text), the scan looks
// for the few anchor bytes 16 at a time, and only at an anchor compares the phrases anchored
// there. The reader cues of the promo rule ("you", "?") are common, so they are searched only in
// the rare units that hold a call to action.

// Words counted per block; longer blocks count as kClassifyWords + 1. No rule distinguishes counts
// above kMaxMarkerWords (the longest limit: markers, promos, headlines, widgets).
constexpr size_t kClassifyWords = 40;
constexpr size_t kMaxMarkerWords = 40;  // promos and "contains" markers: only units this short
static_assert(kMaxMarkerWords <= kClassifyWords && kMaxHeadlineWords <= kClassifyWords);
static_assert([] {
  for (const Marker& m : kMarkers)
    if (m.max_words > kClassifyWords) return false;
  return true;
}(), "marker word limits are within the counted words");
constexpr size_t kPromoWindow = 600;    // folded bytes searched for calls to action
constexpr size_t kMarkerWindow = 4000;  // folded bytes searched for "contains" markers
constexpr size_t kShortFold = 48;       // folded prefix that whole and prefix markers look at

constexpr size_t kContainsMarkers = [] {
  size_t n = 0;
  for (const Marker& m : kMarkers) n += m.match == MatchKind::kContains ? 1 : 0;
  return n;
}();
static_assert(std::size(kPromoPhrases) + kContainsMarkers <= 32, "phrase bits fit in 32");

// Offset of a phrase's anchor: the first letter of this rare-to-common order (in English prose)
// that the phrase has before its last byte, else its first byte. A byte always follows the anchor,
// and the scan checks it against the bytes that follow that anchor in some phrase.
constexpr size_t AnchorOffset(std::string_view phrase) {
  constexpr std::string_view kRareFirst = "jqxzvbwgkfpyumcdlhsrnioate";
  for (char c : kRareFirst) {
    if (const size_t at = phrase.find(c); at != std::string_view::npos && at + 1 < phrase.size()) return at;
  }
  return 0;
}
static_assert([] {
  for (std::string_view p : kPromoPhrases)
    if (p.size() < 2) return false;
  for (const Marker& m : kMarkers)
    if (m.match == MatchKind::kContains && m.text.size() < 2) return false;
  return true;
}(), "searched phrases have a byte after their anchor");
// FindPhrases matches the raw text, anchored at a letter of either case (see MatchAnchor): the
// phrases must be lowercase ASCII letters, spaces and hyphens, anchored at a letter.
static_assert([] {
  auto plain = [](std::string_view p) {
    for (char c : p)
      if (!((c >= 'a' && c <= 'z') || c == ' ' || c == '-')) return false;
    const char a = p[AnchorOffset(p)];
    return a >= 'a' && a <= 'z';
  };
  for (std::string_view p : kPromoPhrases)
    if (!plain(p)) return false;
  for (const Marker& m : kMarkers)
    if (m.match == MatchKind::kContains && !plain(m.text)) return false;
  return true;
}(), "searched phrases are plain lowercase ASCII");
// Whole markers match units of at most their length + 8 folded bytes and prefix markers look at
// one byte after their text: the kShortFold-byte folded prefix decides both.
static_assert([] {
  for (const Marker& m : kMarkers)
    if (m.match != MatchKind::kContains && m.text.size() + 8 >= kShortFold) return false;
  return true;
}(), "whole and prefix markers fit in the folded prefix");

// Distinct anchor bytes of the searched phrases (compile time, to size the scan's registers).
constexpr size_t CountAnchors() {
  std::array<bool, 256> seen{};
  size_t n = 0;
  auto add = [&](std::string_view phrase) {
    const auto b = static_cast<unsigned char>(phrase[AnchorOffset(phrase)]);
    if (!seen[b]) ++n;
    seen[b] = true;
  };
  for (std::string_view p : kPromoPhrases) add(p);
  for (const Marker& m : kMarkers) {
    if (m.match == MatchKind::kContains) add(m.text);
  }
  return n;
}

// A list of at most N small values held in place (the phrase table's lists are built once and
// never grow past their compile-time bounds).
template <typename T, size_t N>
class FixedList {
 public:
  void push_back(const T& v) { items_[size_++] = v; }
  const T* begin() const { return items_.data(); }
  const T* end() const { return items_.data() + size_; }
  bool empty() const { return size_ == 0; }

 private:
  std::array<T, N> items_{};
  size_t size_ = 0;
};

// The most markers worth trying for one first byte (see PhraseTable::markers_by_first).
constexpr size_t MaxMarkersPerFirst() {
  size_t contains = 0;
  std::array<size_t, 256> per_first{};
  for (const Marker& m : kMarkers) {
    if (m.match == MatchKind::kContains) {
      ++contains;
    } else {
      ++per_first[static_cast<unsigned char>(m.text[0])];
    }
  }
  size_t most = 0;
  for (size_t n : per_first) most = std::max(most, n);
  return most + contains;
}

struct PhraseTable {
  struct Anchored {
    uint8_t phrase;  // index into text
    uint8_t offset;  // of the anchor byte in the phrase
  };
  static constexpr size_t kMaxAnchors = CountAnchors();
  static_assert(kMaxAnchors <= 8, "one bit per anchor byte in the pair filter");
  std::array<std::string_view, 32> text{};
  size_t count = 0;
  uint32_t promo_bits = 0;
  std::array<uint32_t, std::size(kMarkers)> marker_bit{};  // bit of a "contains" marker
  std::array<FixedList<Anchored, 32>, 256> by_anchor;      // phrases anchored at each byte
  // Per anchor byte, a 256-bit set of the bytes that follow it in the phrases anchored there.
  std::array<std::array<uint64_t, 4>, 256> follow{};
  std::array<char, kMaxAnchors> anchors{};                 // the distinct anchor bytes
  size_t anchor_count = 0;
  // Nibble tables of a byte-pair filter (SSSE3): bit k of anchor_lo[b & 15] & anchor_hi[b >> 4]
  // is set for the k-th anchor byte, and of follow_lo / follow_hi for (at least) the bytes that
  // follow it in a phrase. A position can start a match only where both agree on a bit.
  std::array<uint8_t, 16> anchor_lo{}, anchor_hi{}, follow_lo{}, follow_hi{};
  // Per first folded byte, the markers worth trying in table order: whole and prefix markers
  // that start with that byte and every "contains" marker.
  std::array<FixedList<uint8_t, MaxMarkersPerFirst()>, 256> markers_by_first;
  // The same restricted to prefix markers: all a unit can match when it is too long for a whole
  // marker and holds no "contains" phrase.
  std::array<FixedList<uint8_t, MaxMarkersPerFirst()>, 256> prefix_by_first;
  uint32_t contains_bits = 0;  // bits of the "contains" markers
  size_t max_whole_fold = 0;   // longest folded unit a whole marker may match
};

const PhraseTable& Phrases() {
  static const PhraseTable table = [] {
    PhraseTable t;
    auto add = [&t](std::string_view phrase) {
      const uint32_t bit = uint32_t{1} << t.count;
      const size_t offset = AnchorOffset(phrase);
      const auto anchor = static_cast<unsigned char>(phrase[offset]);
      if (t.by_anchor[anchor].empty()) t.anchors[t.anchor_count++] = static_cast<char>(anchor);
      size_t k = 0;
      while (static_cast<unsigned char>(t.anchors[k]) != anchor) ++k;
      const auto anchor_bit = static_cast<uint8_t>(1u << k);
      t.anchor_lo[anchor & 15u] |= anchor_bit;
      t.anchor_hi[anchor >> 4] |= anchor_bit;
      t.by_anchor[anchor].push_back({static_cast<uint8_t>(t.count), static_cast<uint8_t>(offset)});
      const auto next = static_cast<unsigned char>(phrase[offset + 1]);
      t.follow[anchor][next >> 6] |= uint64_t{1} << (next & 63);
      t.follow_lo[next & 15u] |= anchor_bit;
      t.follow_hi[next >> 4] |= anchor_bit;
      t.text[t.count++] = phrase;
      return bit;
    };
    for (std::string_view p : kPromoPhrases) t.promo_bits |= add(p);
    for (size_t i = 0; i < std::size(kMarkers); ++i) {
      if (kMarkers[i].match == MatchKind::kContains) t.contains_bits |= t.marker_bit[i] = add(kMarkers[i].text);
      if (kMarkers[i].match == MatchKind::kWhole) {
        t.max_whole_fold = std::max(t.max_whole_fold, kMarkers[i].text.size() + 8);
      }
    }
    // In table order: a "contains" marker goes to every list, the others to their first byte's.
    for (size_t i = 0; i < std::size(kMarkers); ++i) {
      const auto index = static_cast<uint8_t>(i);
      const auto first = static_cast<unsigned char>(kMarkers[i].text[0]);
      if (kMarkers[i].match == MatchKind::kContains) {
        for (auto& list : t.markers_by_first) list.push_back(index);
      } else {
        t.markers_by_first[first].push_back(index);
        if (kMarkers[i].match == MatchKind::kPrefix) t.prefix_by_first[first].push_back(index);
      }
    }
    return t;
  }();
  return table;
}

// Offset in FoldInto's output of the byte at text[pos]: every U+2019 before it folds from three
// bytes to one.
size_t FoldedOffset(std::string_view text, size_t pos) {
  size_t shift = 0;
  for (size_t i = text.find("\xE2\x80\x99"); i < pos; i = text.find("\xE2\x80\x99", i + 3)) shift += 2;
  return pos - shift;
}

// Records in *found the phrases anchored at text[q] (either ASCII case) that occur there and end
// within the first `window` folded bytes; calls to action count only when they end within the
// first kPromoWindow folded bytes. A phrase is ASCII without an apostrophe, so it matches the raw
// text ignoring ASCII case exactly where it matches FoldInto's output; only its offset differs,
// by two bytes per U+2019 before it, which matters only for a phrase ending past the window in
// raw bytes.
inline void MatchAnchor(const PhraseTable& t, std::string_view text, size_t q, size_t window,
                        uint32_t* found) {
  // Most anchor bytes of prose are followed by a byte no phrase has there.
  if (q + 1 >= text.size()) return;
  const auto anchor = static_cast<unsigned char>(Lower(text[q]));
  const auto next = static_cast<unsigned char>(Lower(text[q + 1]));
  if (((t.follow[anchor][next >> 6] >> (next & 63)) & 1u) == 0) return;
  for (const PhraseTable::Anchored& a : t.by_anchor[anchor]) {
    const uint32_t bit = uint32_t{1} << a.phrase;
    if ((*found & bit) != 0 || q < a.offset) continue;
    const size_t p = q - a.offset;
    const std::string_view phrase = t.text[a.phrase];
    if (p + phrase.size() > text.size() || Lower(text[p]) != phrase[0]) continue;
    const size_t limit = (bit & t.promo_bits) != 0 ? std::min(window, kPromoWindow) : window;
    if (p + phrase.size() > limit && FoldedOffset(text, p) + phrase.size() > limit) continue;
    size_t k = 1;
    while (k < phrase.size() && Lower(text[p + k]) == phrase[k]) ++k;
    if (k == phrase.size()) *found |= bit;
  }
}

#if defined(PROSE2STIX_KEY_SSSE3)
// The bits of lo[b & 15] & hi[b >> 4] for each byte b of `v` with capitals folded (the tables hold
// only lowercase letters).
__attribute__((target("ssse3"))) inline __m128i NibbleBits(__m128i v, __m128i lo, __m128i hi) {
  const __m128i nibble = _mm_set1_epi8(0x0F);
  v = _mm_or_si128(v, _mm_set1_epi8(0x20));
  return _mm_and_si128(_mm_shuffle_epi8(lo, _mm_and_si128(v, nibble)),
                       _mm_shuffle_epi8(hi, _mm_and_si128(_mm_srli_epi16(v, 4), nibble)));
}

#if defined(PROSE2STIX_UNIT_AVX2)
// NibbleBits on 32 bytes (both lanes look up the same 16-entry tables).
__attribute__((target("avx2"))) inline __m256i NibbleBits32(__m256i v, __m256i lo, __m256i hi) {
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  v = _mm256_or_si256(v, _mm256_set1_epi8(0x20));
  return _mm256_and_si256(_mm256_shuffle_epi8(lo, _mm256_and_si256(v, nibble)),
                          _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble)));
}

// FindPhrasesSsse3's filter 32 bytes at a time with AVX2; returns where the caller goes on.
__attribute__((target("avx2"))) size_t FindPhrasesAvx2(const PhraseTable& t, std::string_view text, size_t n,
                                                        size_t window, uint32_t* found) {
#define PROSE2STIX_TABLE32(a) _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>((a).data())))
  const __m256i anchor_lo = PROSE2STIX_TABLE32(t.anchor_lo), anchor_hi = PROSE2STIX_TABLE32(t.anchor_hi);
  const __m256i follow_lo = PROSE2STIX_TABLE32(t.follow_lo), follow_hi = PROSE2STIX_TABLE32(t.follow_hi);
#undef PROSE2STIX_TABLE32
  size_t q = 0;
  for (; q + 33 <= n; q += 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(text.data() + q));
    const __m256i next = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(text.data() + q + 1));
    const __m256i both =
        _mm256_and_si256(NibbleBits32(v, anchor_lo, anchor_hi), NibbleBits32(next, follow_lo, follow_hi));
    for (auto mask = ~static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(both, _mm256_setzero_si256())));
         mask != 0; mask &= mask - 1) {
      MatchAnchor(t, text, q + static_cast<size_t>(__builtin_ctz(mask)), window, found);
    }
  }
  return q;
}
#endif

// FindPhrases' block loop with SSSE3: per 16 bytes, a position is a candidate only when its byte
// (capitals folded) is an anchor and the next byte may follow that anchor, both tested with two
// nibble lookups; MatchAnchor checks the few candidates in full. Returns the index where the
// scalar tail takes over.
__attribute__((target("ssse3"))) size_t FindPhrasesSsse3(const PhraseTable& t, std::string_view text,
                                                          size_t q, size_t n, size_t window, uint32_t* found) {
  const auto table = [](const std::array<uint8_t, 16>& a) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(a.data()));
  };
  const __m128i anchor_lo = table(t.anchor_lo), anchor_hi = table(t.anchor_hi);
  const __m128i follow_lo = table(t.follow_lo), follow_hi = table(t.follow_hi);
  // The next bytes of a block are loaded one byte further on: blocks stop one byte short of n.
  for (; q + 17 <= n; q += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + q));
    const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + q + 1));
    const __m128i both =
        _mm_and_si128(NibbleBits(v, anchor_lo, anchor_hi), NibbleBits(next, follow_lo, follow_hi));
    unsigned mask =
        ~static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(both, _mm_setzero_si128()))) & 0xFFFFu;
    for (; mask != 0; mask &= mask - 1) {
      MatchAnchor(t, text, q + static_cast<size_t>(__builtin_ctz(mask)), window, found);
    }
  }
  // The tail: one more block ending one byte short of n, its positions before q masked off; only
  // the last position is left to the caller.
  if (n >= 17 && q + 1 < n) {
    const size_t b = n - 17;  // q - b is 1..16 here
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + b));
    const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + b + 1));
    const __m128i both =
        _mm_and_si128(NibbleBits(v, anchor_lo, anchor_hi), NibbleBits(next, follow_lo, follow_hi));
    unsigned mask =
        ~static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(both, _mm_setzero_si128()))) & 0xFFFFu;
    for (mask &= ~0u << (q - b); mask != 0; mask &= mask - 1) {
      MatchAnchor(t, text, b + static_cast<size_t>(__builtin_ctz(mask)), window, found);
    }
    q = n - 1;
  }
  return q;
}
#endif

// Bits of the phrases (calls to action, "contains" markers) that occur, ignoring ASCII case, in
// the first `window` bytes of FoldInto(text) (see MatchAnchor): the raw text is searched, without
// folding it first.
uint32_t FindPhrases(const PhraseTable& t, std::string_view text, size_t window) {
  // A folded byte comes from at most three raw bytes: no phrase within the window starts later.
  const size_t n = std::min(text.size(), 3 * window);
  uint32_t found = 0;
  size_t q = 0;
#if defined(PROSE2STIX_KEY_SSSE3)
  const bool ssse3 = HasSsse3();
  if (ssse3) {
#if defined(PROSE2STIX_UNIT_AVX2)
    if (HasAvx2()) q = FindPhrasesAvx2(t, text, n, window, &found);
#endif
    q = FindPhrasesSsse3(t, text, q, n, window, &found);
  }
#else
  constexpr bool ssse3 = false;
#endif
#if defined(__SSE2__)
  __m128i anchor[PhraseTable::kMaxAnchors];
  if (!ssse3) {
    for (size_t a = 0; a < t.anchor_count; ++a) anchor[a] = _mm_set1_epi8(t.anchors[a]);
  }
  const __m128i to_lower = _mm_set1_epi8(0x20);  // maps a capital to its letter (anchors are letters)
  for (; !ssse3 && q + 16 <= n; q += 16) {
    const __m128i v =
        _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + q)), to_lower);
    __m128i hit = _mm_setzero_si128();
    for (size_t a = 0; a < t.anchor_count; ++a) hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, anchor[a]));
    for (unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit)); mask != 0; mask &= mask - 1) {
      MatchAnchor(t, text, q + static_cast<size_t>(__builtin_ctz(mask)), window, &found);
    }
  }
#endif
  for (; q < n; ++q) {
    if (!t.by_anchor[static_cast<unsigned char>(Lower(text[q]))].empty()) {
      MatchAnchor(t, text, q, window, &found);
    }
  }
  return found;
}

bool ContainsAny(std::string_view hay, const std::string_view* needles, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (hay.find(needles[i]) != std::string_view::npos) return true;
  }
  return false;
}

struct UnitFeatures {
  const PhraseTable& table = Phrases();  // looked up once per UnitFeatures, not per unit
  size_t nwords = 0;       // counted up to kClassifyWords + 1
  std::string_view lower;  // FoldInto prefix of kShortFold bytes (whole and prefix markers)
  uint32_t phrases = 0;    // FindPhrases(text, window) when nwords <= kMaxMarkerWords, else 0
  char buf[kShortFold];
};

// `window` is the folded prefix searched in short units: kMarkerWindow for markers, kPromoWindow
// when only the class is wanted (calls to action count only within it). Whole and prefix markers
// are all shorter than kShortFold - 8 bytes, so the folded prefix decides them.
void ScanUnit(std::string_view text, UnitFeatures* f, size_t window = kMarkerWindow) {
  f->nwords = CountWords(text, kClassifyWords);
  f->lower = FoldInto(text, f->buf, kShortFold);
  f->phrases = f->nwords <= kMaxMarkerWords ? FindPhrases(f->table, text, window) : 0;
}

UnitClass ClassifyUnitImpl(std::string_view text, const UnitFeatures& f);

struct Unit {
  UnitClass cls = UnitClass::kBody;
  MarkerAction marker = MarkerAction::kNone;
  bool late_marker = false;  // an end marker that ends the article only near the end
  bool dropped = false;
  bool transparent = false;  // dropped as a repeat: ignored by the headline look-ahead
  bool structural = false;   // list item, table row, preformatted: body-like for headlines
};

bool IsBodyLike(const Unit& u) {
  return u.structural || u.cls == UnitClass::kBody || u.cls == UnitClass::kIndicator;
}

// The end of the run that BlockBuilder::Append copies as it is, starting at `j`: the first
// whitespace byte that is not a single space before a run byte, or the first NBSP. With SSE2, 16
// bytes at a time: a block is skipped when it has no control whitespace, no 0xC2 and no space
// followed by whitespace or 0xC2.
size_t RunEnd(std::string_view piece, size_t j) {
  const size_t n = piece.size();
#if defined(__SSE2__)
  const __m128i blank = _mm_set1_epi8(' ');
  const __m128i lead = _mm_set1_epi8(static_cast<char>(0xC2));
  while (j + 17 <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(piece.data() + j));
    const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(piece.data() + j + 1));
    const __m128i next_breaks =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(next, blank), ControlSpace16(next)), _mm_cmpeq_epi8(next, lead));
    const __m128i stop = _mm_or_si128(_mm_or_si128(ControlSpace16(v), _mm_cmpeq_epi8(v, lead)),
                                      _mm_and_si128(_mm_cmpeq_epi8(v, blank), next_breaks));
    const int mask = _mm_movemask_epi8(stop);
    if (mask == 0) {
      j += 16;
      continue;
    }
    j += static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    if (piece[j] != '\xC2' || piece[j + 1] == '\xA0') return j;  // j + 1 < n here
    ++j;  // a 0xC2 that does not start an NBSP belongs to the run
  }
#endif
  for (;;) {
    while (j < n && !kRunBreak[static_cast<unsigned char>(piece[j])]) ++j;
    if (j + 1 >= n) return j;
    if (piece[j] == ' ' && !kRunBreak[static_cast<unsigned char>(piece[j + 1])]) {
      j += 2;
    } else if (piece[j] == '\xC2' && piece[j + 1] != '\xA0') {
      ++j;
    } else {
      return j;
    }
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------

void BlockBuilder::Append(std::string_view piece, size_t source_offset, bool is_link) {
  constexpr size_t kNone = static_cast<size_t>(-1);
  size_t i = 0;
  while (i < piece.size()) {
    const char c = piece[i];
    const size_t src = source_offset + i;
    const bool nbsp = c == '\xC2' && i + 1 < piece.size() && piece[i + 1] == '\xA0';
    if (IsSpace(c) || nbsp) {
      if (!block_.text.empty() && !pending_space_) {
        pending_space_ = true;
        pending_source_ = src;
      }
      i += nbsp ? 2 : 1;
      continue;
    }
    if (pending_space_) {
      if (pending_source_ != kNone && pending_source_ != next_source_) {
        block_.anchors.push_back({block_.text.size(), pending_source_});
      }
      block_.text.push_back(' ');
      if (is_link) ++block_.link_chars;
      pending_space_ = false;
      next_source_ = pending_source_ == kNone ? kNone : pending_source_ + 1;
    }
    if (src != next_source_) block_.anchors.push_back({block_.text.size(), src});
    // The run up to the next whitespace that changes the text goes in one append. A single space
    // between two words is copied as it is, and so is a 0xC2 byte that does not start an NBSP:
    // there text and source offsets advance together, which is what the step by step path would
    // record too (no anchor, one space).
    const size_t j = RunEnd(piece, i + 1);
    block_.text.append(piece.substr(i, j - i));
    if (is_link) block_.link_chars += j - i;
    next_source_ = source_offset + j;
    i = j;
  }
}

void BlockBuilder::AppendSeparator(std::string_view sep) {
  if (block_.text.empty()) return;
  pending_space_ = false;
  block_.text += sep;
  next_source_ = static_cast<size_t>(-1);
}

void BlockBuilder::AppendSpace() {
  if (!block_.text.empty() && !pending_space_) {
    pending_space_ = true;
    pending_source_ = static_cast<size_t>(-1);
  }
}

Block BlockBuilder::Take(BlockKind kind) {
  // The block gets exact-size copies; the builder keeps its grown buffers for the next block, so
  // a block costs one allocation for its text (none when short) instead of one per doubling, and
  // none for its anchors unless it has more than AnchorList::kInline.
  Block out;
  out.text = block_.text;
  out.anchors = block_.anchors;
  out.kind = kind;
  out.link_chars = std::min(block_.link_chars, out.text.size());
  block_.text.clear();
  block_.anchors.clear();
  block_.link_chars = 0;
  next_source_ = static_cast<size_t>(-1);
  pending_source_ = static_cast<size_t>(-1);
  pending_space_ = false;
  return out;
}

bool StartsLowercase(std::string_view text) {
  for (char c : text) {
    if (IsSpace(c)) continue;
    return c >= 'a' && c <= 'z';
  }
  return false;
}

bool LooksLikeHeadline(std::string_view text) {
  return text.size() <= kMaxHeadlineBytes && CountWords(text, kMaxHeadlineWords) <= kMaxHeadlineWords &&
         !EndsWithSentencePunct(text);
}

std::string_view UnitClassName(UnitClass c) {
  switch (c) {
    case UnitClass::kBody:
      return "body";
    case UnitClass::kHeadline:
      return "headline";
    case UnitClass::kWidget:
      return "widget";
    case UnitClass::kDateLine:
      return "date";
    case UnitClass::kPromo:
      return "promo";
    case UnitClass::kIndicator:
      return "indicator";
  }
  return "?";
}

UnitClass ClassifyUnit(std::string_view text) {
  UnitFeatures f;
  ScanUnit(text, &f, kPromoWindow);  // the class reads only calls to action, not markers
  return ClassifyUnitImpl(text, f);
}

namespace {

UnitClass ClassifyUnitImpl(std::string_view text, const UnitFeatures& f) {
  const size_t nwords = f.nwords;
  const bool terminal = EndsWithSentencePunct(text);
  if (nwords <= kMaxMarkerWords) {
    if ((f.phrases & f.table.promo_bits) != 0) {
      // Rare: a call to action. The reader cues are searched in the folded promo window.
      char folded[kPromoWindow];
      if (ContainsAny(FoldInto(text, folded, kPromoWindow), kReaderCues, std::size(kReaderCues))) {
        return UnitClass::kPromo;
      }
    }
  }
  if (IsTocLine(text)) return UnitClass::kWidget;
  // Running text is body whatever its tokens are; the token-level checks below only matter for
  // short or unpunctuated units, which the junk and headline rules look at.
  if (nwords > kMaxHeadlineWords || (terminal && nwords > 8)) return UnitClass::kBody;
  // One pass over the words: any indicator makes the unit one; in units of at most 8 words the
  // words are also tallied for the widget and date-stamp tests below.
  // Only words holding a byte every short indicator has ('.', ':', '@', '-', '[') or of hash
  // length can be one (IsIndicatorToken's own first test, done here while the words are cut).
  static constexpr uint8_t kSpaceByte = 1, kMarkByte = 2, kDigitByte = 4;
  static constexpr auto kWordClass = [] {
    std::array<uint8_t, 256> t{};
    for (char c : std::string_view(" \t\n\r\f\v")) t[static_cast<unsigned char>(c)] = kSpaceByte;
    for (char c : std::string_view(".:@-[")) t[static_cast<unsigned char>(c)] = kMarkByte;
    for (char c = '0'; c <= '9'; ++c) t[static_cast<unsigned char>(c)] = kDigitByte;
    return t;
  }();
  const bool tally = nwords <= 8;
  size_t numeric = 0, ui = 0, codes = 0, symbols = 0, nword = 0;
  bool digit = false;
  for (size_t i = 0; i < text.size();) {
    while (i < text.size() && kWordClass[static_cast<unsigned char>(text[i])] == kSpaceByte) ++i;
    const size_t start = i;
    uint8_t seen = 0;
    for (uint8_t cls; i < text.size() && (cls = kWordClass[static_cast<unsigned char>(text[i])]) != kSpaceByte;
         ++i) {
      seen |= cls;
    }
    if (i == start) break;
    const std::string_view w = text.substr(start, i - start);
    if (((seen & kMarkByte) != 0 || w.size() >= 32) && IsIndicatorToken(w)) return UnitClass::kIndicator;
    if (!tally) continue;
    ++nword;
    digit |= (seen & kDigitByte) != 0;
    if (IsNumericToken(w)) {
      ++numeric;
    } else if (IsUiWord(w)) {
      ++ui;
    } else if (IsCurrencyCode(w)) {
      ++codes;
    } else if (StripPunct(w).find_first_not_of("|/\\-\xE2\x80\xA2\xC2\xB7") == std::string_view::npos) {
      ++symbols;  // separators between UI words: "Share | Tweet"
    }
  }
  if (tally) {
    if (numeric + ui > 0 && numeric + ui + codes + symbols == nword && (numeric > 0 || codes == 0)) {
      return UnitClass::kWidget;
    }
    // Every date form FindDate accepts has a year in digits.
    std::string date;
    size_t begin = 0, end = 0;
    if (digit && FindDate(text, &date, &begin, &end) &&
        IsDateStamp(text.substr(0, begin), text.substr(end))) {
      return UnitClass::kDateLine;
    }
  }
  if (!terminal && text.size() <= kMaxHeadlineBytes && nwords <= kMaxHeadlineWords) {
    return UnitClass::kHeadline;
  }
  return UnitClass::kBody;
}

// The first marker (in table order) that the unit matches, or null.
const Marker* FindMarker(const UnitFeatures& f) {
  // Whole and prefix markers look at the first bytes only; "contains" markers (all limited to
  // short paragraphs) at the whole text, found by ScanUnit.
  const std::string_view lower = f.lower;
  const size_t nwords = f.nwords;
  if (lower.empty()) return nullptr;
  const PhraseTable& t = f.table;
  const auto first = static_cast<unsigned char>(lower[0]);
  // Most units are too long for a whole marker and hold no "contains" phrase: then only the
  // prefix markers (in the same order) can match.
  const bool only_prefix = lower.size() > t.max_whole_fold && (f.phrases & t.contains_bits) == 0;
  for (const uint8_t index : only_prefix ? t.prefix_by_first[first] : t.markers_by_first[first]) {
    const Marker& m = kMarkers[index];
    bool hit = false;
    switch (m.match) {
      case MatchKind::kWhole:
        hit = lower.size() <= m.text.size() + 8 && TrimmedEquals(lower, m.text);
        break;
      case MatchKind::kPrefix:
        hit = lower.size() >= m.text.size() && lower.compare(0, m.text.size(), m.text) == 0 &&
              (lower.size() == m.text.size() || !IsAsciiAlpha(lower[m.text.size()]) ||
               !IsAsciiAlpha(m.text.back()));
        break;
      case MatchKind::kContains:
        hit = nwords <= kMaxMarkerWords && (f.phrases & t.marker_bit[index]) != 0;
        break;
    }
    if (!hit) continue;
    if (m.max_words != 0 && nwords > m.max_words) continue;
    return &m;
  }
  return nullptr;
}

}  // namespace

MarkerAction MatchMarker(std::string_view text) {
  UnitFeatures f;
  ScanUnit(text, &f);
  const Marker* m = FindMarker(f);
  return m != nullptr ? m->action : MarkerAction::kNone;
}

std::vector<Block> CleanBlocks(std::vector<Block> blocks, CleanReport* report) {
  CleanReport local;
  CleanReport& rep = report != nullptr ? *report : local;
  const size_t n = blocks.size();
  std::vector<Unit> units(n);
  // Keys of all blocks, back to back in one buffer: key(i) = all_keys[key_start[i], key_start[i+1]).
  // The buffer is sized for the texts (a key is never longer than its text) and left
  // uninitialised: only the written prefix is viewed.
  std::unique_ptr<char[]> key_buffer;
  std::string_view all_keys;
  std::vector<size_t> key_start(n + 1, 0);
  {
    size_t total = 0;
    for (const Block& b : blocks) total += b.text.size();
    key_buffer.reset(new char[total + 1]);
  }
  {
    UnitFeatures features;
    size_t key_end = 0;
    for (size_t i = 0; i < n; ++i) {
      const Block& b = blocks[i];
      ScanUnit(b.text, &features);
      units[i].cls = ClassifyUnitImpl(b.text, features);
      if (const Marker* m = FindMarker(features); m != nullptr) {
        units[i].marker = m->action;
        units[i].late_marker = m->late;
      }
      units[i].structural = b.kind == BlockKind::kListItem || b.kind == BlockKind::kPreformatted ||
                            b.kind == BlockKind::kTableRow;
      key_start[i] = key_end;
      key_end += WriteKey(b.text, key_buffer.get() + key_end);
    }
    all_keys = std::string_view(key_buffer.get(), key_end);
    key_start[n] = key_end;
  }
  auto key = [&](size_t i) { return all_keys.substr(key_start[i], key_start[i + 1] - key_start[i]); };

  // 1. Verbatim repeats, found with an open-addressing set of block indices (linear probing, at
  //    most half full) that compares the keys themselves: no node per block.
  {
    constexpr size_t kEmpty = static_cast<size_t>(-1);
    size_t capacity = 16;
    while (capacity < n * 2) capacity <<= 1;
    std::vector<size_t> slots(capacity, kEmpty);
    for (size_t i = 0; i < n; ++i) {
      const std::string_view k = key(i);
      if (k.size() < kMinDuplicateKey) continue;
      for (size_t h = static_cast<size_t>(HashChunks(k)) & (capacity - 1);; h = (h + 1) & (capacity - 1)) {
        if (slots[h] == kEmpty) {
          slots[h] = i;
          break;
        }
        if (key(slots[h]) == k) {
          units[i].dropped = units[i].transparent = true;
          ++rep.duplicates;
          break;
        }
      }
    }
  }

  // 2. Teasers repeated by the paragraphs that follow them, searched in the keys of the later
  //    blocks that are still kept (a copy without the dropped repeats, made only when needed).
  {
    std::string kept_keys;
    std::vector<size_t> kept_start;
    std::string_view search_keys = all_keys;
    const std::vector<size_t>* starts = &key_start;
    if (rep.duplicates > 0) {
      kept_keys.reserve(all_keys.size());
      kept_start.resize(n + 1);
      for (size_t i = 0; i < n; ++i) {
        kept_start[i] = kept_keys.size();
        if (!units[i].dropped) kept_keys += key(i);
      }
      kept_start[n] = kept_keys.size();
      search_keys = kept_keys;
      starts = &kept_start;
    }
    size_t budget = kTeaserSearchBudget, candidates = 0, kept_seen = 0;
    for (size_t i = 0; i < n && candidates < kMaxTeaserCandidates && budget > 0; ++i) {
      if (units[i].dropped) continue;
      ++kept_seen;
      if (key(i).size() < kMinTeaserKey || units[i].cls != UnitClass::kBody) continue;
      if (kept_seen > kTeaserWindow && !HasTeaserEllipsis(blocks[i].text)) continue;
      ++candidates;
      bool has_ellipsis = false;
      const std::vector<std::string_view> segments = EllipsisSegments(blocks[i].text, &has_ellipsis);
      const std::string_view rest = search_keys.substr((*starts)[i + 1]);
      size_t covered = 0;
      bool all_found = true;
      for (std::string_view seg : segments) {
        const std::string k = Key(seg);
        if (k.size() < kMinSegmentKey) continue;
        if (!Occurs(k, rest, &budget)) {
          all_found = false;
          break;
        }
        covered += k.size();
      }
      if (all_found && covered * 10 >= key(i).size() * 8) {
        units[i].dropped = units[i].transparent = true;
        ++rep.teasers;
      }
    }
  }

  // 3. Trailer markers.
  {
    std::vector<size_t> bytes_after(n + 1, 0);  // text bytes of blocks i+1..n-1
    for (size_t i = n; i-- > 0;)
      bytes_after[i] = bytes_after[i + 1] + (i + 1 < n ? blocks[i + 1].text.size() : 0);
    size_t body_blocks = 0, body_bytes = 0;
    for (size_t i = 0; i < n; ++i) {
      if (units[i].dropped) continue;
      if (units[i].marker == MarkerAction::kEndArticle) {
        const bool late_enough = !units[i].late_marker || bytes_after[i] <= kMaxTrailerRatio * body_bytes;
        if (body_blocks >= kMinBodyBlocks && body_bytes >= kMinBodyBytes && late_enough) {
          for (size_t j = i; j < n; ++j) {
            if (!units[j].dropped) {
              units[j].dropped = true;
              ++rep.after_end;
            }
          }
          break;
        }
        units[i].dropped = true;
        ++rep.markers;
        continue;
      }
      if (units[i].marker == MarkerAction::kDrop) {
        units[i].dropped = true;
        ++rep.markers;
        continue;
      }
      if (units[i].cls == UnitClass::kBody) {
        ++body_blocks;
        body_bytes += blocks[i].text.size();
      }
    }
  }

  // 4. Widgets, date stamps, calls to action, link lists. List items, table rows and preformatted
  //    lines are data: numbers and dates there are kept, only rows of UI words are dropped.
  for (size_t i = 0; i < n; ++i) {
    Unit& u = units[i];
    if (u.dropped) continue;
    if (u.structural && (u.cls == UnitClass::kWidget || u.cls == UnitClass::kDateLine) &&
        !IsUiOnly(blocks[i].text)) {
      continue;
    }
    if (u.cls == UnitClass::kWidget) {
      u.dropped = true;
      ++rep.widgets;
    } else if (u.cls == UnitClass::kDateLine) {
      u.dropped = u.transparent = true;
      ++rep.widgets;
    } else if (u.cls == UnitClass::kPromo) {
      u.dropped = true;
      ++rep.promos;
    } else if (u.cls != UnitClass::kIndicator && blocks[i].kind != BlockKind::kHeading &&
               blocks[i].link_chars * 2 > blocks[i].text.size() && CountWords(blocks[i].text, 30) < 30) {
      u.dropped = true;
      ++rep.link_lists;
    }
  }

  // 5. Headlines standing among junk: scanning backwards, remember whether junk (a dropped,
  //    non-transparent block) comes after the current position before any body text does.
  {
    bool junk_ahead = false;
    for (size_t i = n; i-- > 0;) {
      Unit& u = units[i];
      if (u.transparent) continue;
      if (u.dropped) {
        junk_ahead = true;
      } else if (IsBodyLike(u)) {
        junk_ahead = false;
      } else if (u.cls == UnitClass::kHeadline && junk_ahead) {
        u.dropped = true;
        ++rep.orphan_headlines;
      }
    }
  }

  // The kept blocks close up in place (no second vector).
  size_t kept = 0;
  for (size_t i = 0; i < n; ++i) {
    if (units[i].dropped) continue;
    if (kept != i) blocks[kept] = std::move(blocks[i]);
    ++kept;
  }
  blocks.resize(kept);
  return blocks;
}

void AssembleText(const std::vector<Block>& blocks, Document* doc) {
  size_t total = 0, anchors = 0;
  for (const Block& b : blocks) {
    total += b.text.size() + 2;
    anchors += b.anchors.size();
  }
  doc->text.clear();
  doc->text.reserve(total);
  doc->source_map.clear();
  doc->source_map.reserve(anchors);
  for (const Block& b : blocks) {
    if (b.text.empty()) continue;
    if (!doc->text.empty()) doc->text += "\n\n";
    const size_t base = doc->text.size();
    for (const OffsetAnchor& a : b.anchors)
      doc->source_map.push_back({base + a.text_offset, a.source_offset});
    doc->text += b.text;
  }
}

}  // namespace prose2stix::ingest
