// Method: a single forward pass. A 256-entry table marks the ASCII bytes that need attention
// (CR, tab, backtick, control characters) and every byte >= 0x80; maximal runs of other bytes are
// appended in bulk. Marked bytes are decoded (utf8::Decode turns each ill-formed byte into
// U+FFFD) and mapped by a switch on the code point. After each replacement the running length
// difference between input and output is compared with the one of the last anchor and a new
// (output, input) anchor is pushed only when it changed, so the map stays small: one anchor per
// length-changing replacement, none for identical runs.
#include "prose2stix/text/normalize.h"

#include <algorithm>
#include <array>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "prose2stix/util/utf8.h"

namespace prose2stix::text {

namespace {

inline unsigned char U(char c) { return static_cast<unsigned char>(c); }

constexpr std::array<bool, 256> MakeSpecialTable() {
  std::array<bool, 256> t{};
  for (int b = 0; b < 0x20; ++b) t[static_cast<size_t>(b)] = true;
  t['\n'] = false;
  t['`'] = true;
  t[0x7F] = true;
  for (int b = 0x80; b < 0x100; ++b) t[static_cast<size_t>(b)] = true;
  return t;
}
constexpr std::array<bool, 256> kSpecial = MakeSpecialTable();

// The first position at or after `i` whose byte is kSpecial, or in.size(); 16 bytes at a time
// with SSE2 (signed, the bytes >= 0x80 compare below 0x20 too).
inline size_t NextSpecial(std::string_view in, size_t i) {
  const size_t n = in.size();
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20), newline = _mm_set1_epi8('\n');
  const __m128i backtick = _mm_set1_epi8('`'), del = _mm_set1_epi8(0x7F);
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in.data() + i));
    const __m128i low_or_high = _mm_andnot_si128(_mm_cmpeq_epi8(v, newline), _mm_cmplt_epi8(v, space));
    const __m128i hit = _mm_or_si128(low_or_high, _mm_or_si128(_mm_cmpeq_epi8(v, backtick), _mm_cmpeq_epi8(v, del)));
    if (const int mask = _mm_movemask_epi8(hit); mask != 0) {
      return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
  }
#endif
  while (i < n && !kSpecial[U(in[i])]) ++i;
  return i;
}

inline bool IsAsciiAlpha(unsigned char b) { return (b | 0x20u) >= 'a' && (b | 0x20u) <= 'z'; }

inline bool IsAsciiSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// True when the byte before `out`'s end is a letter (ASCII, or the last byte of a multi-byte
// sequence, which in prose is nearly always a letter).
inline bool EndsWithLetter(const std::string& out) {
  if (out.empty()) return false;
  unsigned char b = U(out.back());
  return IsAsciiAlpha(b) || b >= 0x80;
}

// True when the input at `pos` starts with a letter (ASCII or any multi-byte sequence).
inline bool StartsWithLetter(std::string_view in, size_t pos) {
  if (pos >= in.size()) return false;
  unsigned char b = U(in[pos]);
  return IsAsciiAlpha(b) || b >= 0xC2;
}

// Em dashes used as punctuation: padded with spaces when glued to neighbours.
void AppendStandaloneDash(std::string_view in, size_t next, std::string* out) {
  if (!out->empty() && !IsAsciiSpace(out->back())) out->push_back(' ');
  out->push_back('-');
  if (next < in.size() && !IsAsciiSpace(in[next])) out->push_back(' ');
}

}  // namespace

size_t MapToInput(std::span<const std::pair<size_t, size_t>> anchors, size_t offset) {
  if (anchors.empty()) return offset;
  // Last anchor whose normalised offset is <= offset.
  auto it = std::upper_bound(anchors.begin(), anchors.end(), offset,
                             [](size_t off, const std::pair<size_t, size_t>& a) { return off < a.first; });
  if (it == anchors.begin()) return offset;
  const auto& a = *(it - 1);
  size_t mapped = a.second + (offset - a.first);
  if (it != anchors.end()) mapped = std::min(mapped, it->second);
  return mapped;
}

size_t NormalizedText::ToInput(size_t offset) const {
  return MapToInput(anchors, std::min(offset, text.size()));
}

NormalizedText Normalize(std::string_view in) {
  NormalizedText result;
  std::string& out = result.text;
  out.reserve(in.size() + in.size() / 16 + 16);
  result.anchors.emplace_back(0, 0);
  // Length difference (input - output) at the last anchor, as a signed quantity.
  long long last_delta = 0;
  auto note = [&](size_t in_pos) {
    long long delta = static_cast<long long>(in_pos) - static_cast<long long>(out.size());
    if (delta != last_delta) {
      result.anchors.emplace_back(out.size(), in_pos);
      last_delta = delta;
    }
  };

  const size_t n = in.size();
  size_t i = 0;
  while (i < n) {
    // Bulk-copy the run of bytes that need no change.
    const size_t run = NextSpecial(in, i);
    if (run > i) {
      out.append(in.data() + i, run - i);
      i = run;
      if (i >= n) break;
    }
    const unsigned char b = U(in[i]);
    if (b < 0x80) {
      switch (b) {
        case '\r':
          out.push_back('\n');
          i += (i + 1 < n && in[i + 1] == '\n') ? 2 : 1;
          break;
        case '\t':
          out.push_back(' ');
          ++i;
          break;
        case '\v':
          out.push_back('\n');
          ++i;
          break;
        case '\f':
          out.append("\n\n");
          ++i;
          break;
        case '`':
          if (i + 2 < n && in[i + 1] == '`' && IsAsciiAlpha(U(in[i + 2])) && (out.empty() || out.back() != '`')) {
            out.push_back('"');  // ``TeX-style quote'' (but not a Markdown ``` fence)
            i += 2;
          } else if (i + 1 < n && in[i + 1] == '`') {
            out.append("``");  // part of a fence or an empty code span: kept
            i += 2;
          } else {
            out.push_back(EndsWithLetter(out) && StartsWithLetter(in, i + 1) ? '\'' : '`');
            ++i;
          }
          break;
        default:  // NUL and other control characters
          out.push_back(' ');
          ++i;
          break;
      }
      note(i);
      continue;
    }

    const size_t start = i;
    const char32_t cp = utf8::Decode(in, &i);
    if (cp == utf8::kReplacement && i - start == 1) {
      utf8::Append(utf8::kReplacement, &out);
      note(i);
      continue;
    }
    switch (cp) {
      case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC:
        out.push_back('\'');
        break;
      case 0x00B4:  // acute accent typed as an apostrophe: "don´t"
        if (EndsWithLetter(out) && StartsWithLetter(in, i)) {
          out.push_back('\'');
        } else {
          out.append(in.data() + start, i - start);
        }
        break;
      case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB: case 0x00BB: case 0x2033:
        out.push_back('"');
        break;
      case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
        out.push_back(' ');
        break;
      case 0x2014: case 0x2015: case 0x2E3A: case 0x2E3B:
        AppendStandaloneDash(in, i, &out);
        break;
      case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2212: case 0xFE58: case 0xFE63:
        out.push_back('-');
        break;
      case 0x2026:
        out.append("...");
        break;
      case 0x200B: case 0x200C: case 0x200D: case 0x200E: case 0x200F: case 0x202A: case 0x202B:
      case 0x202C: case 0x202D: case 0x202E: case 0x2060: case 0x2066: case 0x2067: case 0x2068:
      case 0x2069: case 0xFEFF: case 0x00AD:
        break;  // removed
      case 0x0085: case 0x2028:
        out.push_back('\n');
        break;
      case 0x2029:
        out.append("\n\n");
        break;
      case 0xFB00: out.append("ff"); break;
      case 0xFB01: out.append("fi"); break;
      case 0xFB02: out.append("fl"); break;
      case 0xFB03: out.append("ffi"); break;
      case 0xFB04: out.append("ffl"); break;
      case 0xFB05: case 0xFB06: out.append("st"); break;
      default:
        if (cp >= 0x2000 && cp <= 0x200A) {
          out.push_back(' ');
        } else if (cp >= 0xFF01 && cp <= 0xFF5E) {
          out.push_back(static_cast<char>(cp - 0xFEE0));
        } else if (cp >= 0x80 && cp <= 0x9F) {  // C1 control characters
          out.push_back(' ');
        } else {
          out.append(in.data() + start, i - start);
        }
        break;
    }
    note(i);
  }
  return result;
}

}  // namespace prose2stix::text
