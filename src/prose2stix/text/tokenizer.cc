// Method: a hand-written scanner. At each non-space position the scanner tries, in order:
//   1. indicator prefixes that switch to "run" mode (URL schemes, "www.", Windows drive and UNC
//      paths, %ENV%\ paths, absolute Unix paths): the token runs to the next space or stop
//      character with bracket balancing, then trailing sentence punctuation is given back;
//   2. a possessive/contracted "'s" glued to the previous word;
//   3. a word: a maximal run of word characters joined by inner connectors ('-', '_', '.', a
//      grouping ',' or time ':' between digits, an apostrophe between letters, '@' between word
//      characters, defang brackets "[.]" "(.)" "[dot]" "[@]" "[:]"); '/' after a domain or IP and
//      '\' before a path component switch to run mode; a final period is attached only for
//      abbreviations and initials;
//   4. otherwise one punctuation/symbol code point.
// The word's shape follows from flags collected while scanning. ASCII bytes are classified by a
// 256-entry table; non-ASCII code points are decoded with utf8::Decode and classified by range.
// Most words are a run of ASCII letters and digits followed by a space or plain punctuation: the
// run is found 16 bytes at a time (SSE2, scalar fallback), and when the byte after it cannot
// continue a word the token is pushed at once; only the other words take the full path
// (ScanWordRest), where "www." and drive paths, which begin like words, are recognised too.
// Every branch advances, and look-ahead is bounded by constants, so the scan is linear.
#include "prose2stix/text/tokenizer.h"

#include <array>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "prose2stix/text/sentence_splitter.h"
#include "prose2stix/util/utf8.h"

namespace prose2stix::text {

namespace {

inline unsigned char U(char c) { return static_cast<unsigned char>(c); }

// kCJoin: bytes after which a word may go on (inner connectors, brackets of defanged indicators,
// path separators) and every non-ASCII byte; a word followed by any other byte ends there.
// kCRunStop: bytes that run mode (RunEnd) must look at: spaces, stop characters, brackets and
// non-ASCII bytes; it steps over any other byte.
enum : unsigned char { kCSpace = 1, kCAlpha = 2, kCDigit = 4, kCHex = 8, kCUpper = 16, kCJoin = 32, kCRunStop = 64 };

constexpr std::array<unsigned char, 256> MakeClassTable() {
  std::array<unsigned char, 256> t{};
  t[' '] = t['\n'] = t['\t'] = t['\r'] = t['\f'] = t['\v'] = kCSpace;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<size_t>(c)] = kCAlpha;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<size_t>(c)] = kCAlpha | kCUpper;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = kCDigit | kCHex;
  for (int c = 'a'; c <= 'f'; ++c) t[static_cast<size_t>(c)] |= kCHex;
  for (int c = 'A'; c <= 'F'; ++c) t[static_cast<size_t>(c)] |= kCHex;
  for (char c : {'-', '_', '.', ',', ':', '\'', '@', '[', '(', '{', '/', '\\'}) t[static_cast<unsigned char>(c)] |= kCJoin;
  for (int c = 0x80; c <= 0xFF; ++c) t[static_cast<size_t>(c)] |= kCJoin | kCRunStop;
  for (char c : {' ', '\n', '\t', '\r', '\f', '\v', '"', '<', '>', '`', '|', '(', ')', '[', ']', '{', '}'}) {
    t[static_cast<unsigned char>(c)] |= kCRunStop;
  }
  return t;
}
constexpr std::array<unsigned char, 256> kClass = MakeClassTable();

inline bool IsSpace(char c) { return (kClass[U(c)] & kCSpace) != 0; }
inline bool IsAsciiAlpha(char c) { return (kClass[U(c)] & kCAlpha) != 0; }
inline bool IsAsciiDigit(char c) { return (kClass[U(c)] & kCDigit) != 0; }
inline bool IsAsciiAlnum(char c) { return (kClass[U(c)] & (kCAlpha | kCDigit)) != 0; }

// Letters, digits and marks of any script.
bool IsWordCodePoint(char32_t cp) {
  if (cp < 0x80) return IsAsciiAlnum(static_cast<char>(cp));
  if (cp < 0xC0) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
  if (cp < 0x370) return cp != 0xD7 && cp != 0xF7;
  if (cp < 0x2000) {
    switch (cp) {
      case 0x37E: case 0x387: case 0x589: case 0x5BE: case 0x5C0: case 0x5C3: case 0x5F3: case 0x5F4:
      case 0x60C: case 0x61B: case 0x61F: case 0x66A: case 0x66B: case 0x66C: case 0x66D: case 0x6D4:
      case 0x964: case 0x965: case 0xE4F: case 0x10FB:
        return false;
      default:
        return !(cp >= 0x55A && cp <= 0x55F) && !(cp >= 0x1360 && cp <= 0x1368);
    }
  }
  if (cp < 0x2C00) return false;  // general punctuation, symbols, arrows, math, box drawing
  if (cp < 0x2E00) return true;
  if (cp < 0x2E80) return false;
  if (cp < 0x3000) return true;
  if (cp < 0x3040) return cp >= 0x3005 && cp <= 0x3007;
  if (cp < 0xD800) return true;
  if (cp < 0xF900) return false;  // surrogates, private use
  if (cp < 0xFE00) return cp != 0xFD3E && cp != 0xFD3F;
  if (cp < 0xFE70) return false;
  if (cp < 0xFF00) return cp != 0xFEFF;
  if (cp < 0xFFF0) {
    return (cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
           (cp >= 0xFF41 && cp <= 0xFF5A) || (cp >= 0xFF66 && cp <= 0xFFDC);
  }
  if (cp < 0x10000) return false;
  if (cp < 0x1F000) return true;
  if (cp < 0x20000) return false;  // emoji and pictographs
  return cp < 0xE0000;
}

#if defined(__SSE2__)
// Masks (bit k for byte k) of the ASCII letters and of the digits among the 16 bytes at p.
struct BlockClasses {
  unsigned alpha, digit;
};
inline BlockClasses ClassifyBlock(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Range tests with one signed comparison each: adding (0x80 - lo) moves [lo, lo + k) to
  // [-128, -128 + k) exactly (the addition wraps), so no other byte lands there.
  const __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));  // ASCII upper case -> lower case
  const __m128i alpha = _mm_cmplt_epi8(_mm_add_epi8(folded, _mm_set1_epi8(static_cast<char>(0x80 - 'a'))),
                                       _mm_set1_epi8(static_cast<char>(-128 + 26)));
  const __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(static_cast<char>(0x80 - '0'))),
                                       _mm_set1_epi8(static_cast<char>(-128 + 10)));
  return {static_cast<unsigned>(_mm_movemask_epi8(alpha)), static_cast<unsigned>(_mm_movemask_epi8(digit))};
}
#endif

class Scanner {
 public:
  Scanner(std::string_view text, size_t begin, size_t end, std::vector<Token>* out)
      : text_(text.substr(0, end)), begin_(begin), out_(out) {}

  void Run() {
    const size_t n = text_.size();
    size_t i = begin_;
    space_before_ = i > 0 && IsSpace(text_[i - 1]);
    while (i < n) {
      if (IsSpace(text_[i])) {
        ++i;
        space_before_ = true;
        continue;
      }
      i = ScanToken(i);
      space_before_ = false;  // tokens end before a space or right before the next token
    }
  }

 private:
  // Length of the word character at `pos`, 0 when it is not one.
  size_t WordCharLen(size_t pos) const {
    if (pos >= text_.size()) return 0;
    const char c = text_[pos];
    if (U(c) < 0x80) return IsAsciiAlnum(c) ? 1 : 0;
    size_t p = pos;
    char32_t cp = utf8::Decode(text_, &p);
    if (cp == utf8::kReplacement && p - pos == 1) return 0;
    return IsWordCodePoint(cp) ? p - pos : 0;
  }
  bool IsWordAt(size_t pos) const { return WordCharLen(pos) != 0; }
  bool DigitAt(size_t pos) const { return pos < text_.size() && IsAsciiDigit(text_[pos]); }
  bool AlphaAt(size_t pos) const {
    if (pos >= text_.size()) return false;
    if (U(text_[pos]) < 0x80) return IsAsciiAlpha(text_[pos]);
    return IsWordAt(pos);
  }
  // U+2019 RIGHT SINGLE QUOTATION MARK, the typographic apostrophe.
  bool IsRightQuoteAt(size_t pos) const {
    return pos + 2 < text_.size() && U(text_[pos]) == 0xE2 && U(text_[pos + 1]) == 0x80 && U(text_[pos + 2]) == 0x99;
  }
  bool StartsWith(size_t pos, std::string_view s) const { return text_.substr(pos, s.size()) == s; }
  bool StartsWithNoCase(size_t pos, std::string_view s) const {
    if (pos + s.size() > text_.size()) return false;
    for (size_t k = 0; k < s.size(); ++k) {
      char c = text_[pos + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != s[k]) return false;
    }
    return true;
  }

  // Appends the token text_[b, e) (b < e <= text_.size()), built in place. Every token starts
  // where Run() called ScanToken, so whether a space precedes it is known there (space_before_).
  void Push(size_t b, size_t e, TokenShape shape) {
    out_->push_back(Token{b, e, std::string_view(text_.data() + b, e - b), shape, space_before_, false});
  }

  // Length of a defang marker at `pos` ("[.]", "(.)", "{.}", "[dot]", "(dot)", "[@]", "[at]",
  // "(at)", "[:]"), or 0.
  size_t DefangLen(size_t pos) const {
    if (pos >= text_.size()) return 0;
    char open = text_[pos];
    char close = open == '[' ? ']' : open == '(' ? ')' : open == '{' ? '}' : 0;
    if (close == 0 || pos + 2 >= text_.size()) return 0;
    char mid = text_[pos + 1];
    if ((mid == '.' || mid == '@' || mid == ':' || mid == ',') && text_[pos + 2] == close) return 3;
    if (StartsWithNoCase(pos + 1, "dot") && pos + 4 < text_.size() && text_[pos + 4] == close) return 5;
    if (StartsWithNoCase(pos + 1, "at") && pos + 3 < text_.size() && text_[pos + 3] == close) return 4;
    return 0;
  }

  // Run mode: from `pos`, consume up to whitespace, a stop character or a closing bracket that
  // was not opened inside the token (so "(see http://x/a)" leaves the ")" out), then give back
  // trailing sentence punctuation. Returns the end.
  size_t RunEnd(size_t start, size_t pos) const {
    const size_t n = text_.size();
    int paren = 0, bracket = 0, brace = 0;
    size_t e = pos;
    while (e < n) {
      char c = text_[e];
      if (!(kClass[U(c)] & kCRunStop)) {  // letters, digits, most punctuation of a URL or path
        ++e;
        continue;
      }
      if (IsSpace(c) || c == '"' || c == '<' || c == '>' || c == '`' || c == '|') break;
      if (c == '(') ++paren;
      if (c == '[') ++bracket;
      if (c == '{') ++brace;
      if (c == ')' && --paren < 0) break;
      if (c == ']' && --bracket < 0) break;
      if (c == '}' && --brace < 0) break;
      if (U(c) >= 0x80) {
        size_t p = e;
        char32_t cp = utf8::Decode(text_, &p);
        // Typographic quotes and angle quotes end a URL; other letters (IDNs, paths) do not.
        if (cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019 || cp == 0xAB || cp == 0xBB ||
            cp == utf8::kReplacement || cp == 0xA0) {
          break;
        }
        e = p;
        continue;
      }
      ++e;
    }
    while (e > start + 1) {
      char c = text_[e - 1];
      if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'' || c == '*') {
        --e;
      } else {
        break;
      }
    }
    return e;
  }

  // Whether a path (run mode) starts at `pos`.
  bool IsPathStart(size_t pos) const {
    const size_t n = text_.size();
    char c = text_[pos];
    if (IsAsciiAlpha(c) && pos + 3 < n && text_[pos + 1] == ':' && text_[pos + 2] == '\\' &&
        (pos == 0 || !IsAsciiAlnum(text_[pos - 1]))) {
      return true;  // C:\...
    }
    if (c == '\\' && pos + 2 < n && text_[pos + 1] == '\\' && IsAsciiAlnum(text_[pos + 2])) return true;
    if (c == '%') {  // %APPDATA%\...
      size_t e = pos + 1;
      while (e < n && e - pos < 40 && (IsAsciiAlnum(text_[e]) || text_[e] == '_')) ++e;
      return e > pos + 1 && e + 1 < n && text_[e] == '%' && (text_[e + 1] == '\\' || text_[e + 1] == '/');
    }
    if ((c == '/' || (c == '~' && pos + 1 < n && text_[pos + 1] == '/')) &&
        (pos == 0 || IsSpace(text_[pos - 1]) || text_[pos - 1] == '(' || text_[pos - 1] == '"' ||
         text_[pos - 1] == '\'' || text_[pos - 1] == '[')) {
      // An absolute Unix path: at least two components, "/etc/passwd", "~/.ssh/id_rsa".
      size_t e = pos + (c == '~' ? 2 : 1);
      if (e >= n || !(IsAsciiAlnum(text_[e]) || text_[e] == '.' || text_[e] == '_')) return false;
      for (; e < n && e - pos < 256 && !IsSpace(text_[e]); ++e) {
        if (text_[e] == '/' && e + 1 < n && (IsAsciiAlnum(text_[e + 1]) || text_[e + 1] == '.' || text_[e + 1] == '_')) {
          return true;
        }
      }
    }
    return false;
  }

  size_t ScanToken(size_t i) {
    const size_t n = text_.size();
    const char c = text_[i];
    const unsigned char cls = kClass[U(c)];
    if (cls & (kCAlpha | kCDigit)) return ScanWord(i);
    if (U(c) >= 0x80) {
      if (WordCharLen(i) > 0) return ScanWord(i);
      // "’s" in text that was not normalised.
      if (IsRightQuoteAt(i) && i > begin_ && i + 3 < n && (text_[i + 3] == 's' || text_[i + 3] == 'S') &&
          !IsWordAt(i + 4) && IsWordAt(LeadByte(i - 1))) {
        Push(i, i + 4, TokenShape::kWord);
        return i + 4;
      }
      size_t p = i;
      utf8::Decode(text_, &p);
      Push(i, p, TokenShape::kPunct);
      return p;
    }
    // "'s" after a word.
    if (c == '\'' && i > begin_ && i + 1 < n && (text_[i + 1] == 's' || text_[i + 1] == 'S') &&
        !IsWordAt(i + 2) && IsWordAt(LeadByte(i - 1))) {
      Push(i, i + 2, TokenShape::kWord);
      return i + 2;
    }
    if ((c == '/' || c == '\\' || c == '%' || c == '~') && IsPathStart(i)) return PushRun(i, i + 1);
    Push(i, i + 1, TokenShape::kPunct);
    return i + 1;
  }

  // Pushes a kOther token running from `start` (scanning resumes at `pos`) and returns its end.
  size_t PushRun(size_t start, size_t pos) {
    size_t e = RunEnd(start, pos);
    Push(start, e, TokenShape::kOther);
    return e;
  }

  // Start of the code point whose last byte is at `pos`.
  size_t LeadByte(size_t pos) const {
    size_t p = pos;
    while (p > begin_ && pos - p < 3 && (U(text_[p]) & 0xC0u) == 0x80u) --p;
    return p;
  }

  // Whether text_[b, e) can be a URL scheme: a letter, then letters, digits, '+', '-', '.'.
  bool IsScheme(size_t b, size_t e) const {
    if (e - b > 10 || !IsAsciiAlpha(text_[b])) return false;
    for (size_t k = b; k < e; ++k) {
      char c = text_[k];
      if (!IsAsciiAlnum(c) && c != '+' && c != '-' && c != '.') return false;
    }
    return true;
  }

  // The end of the run of ASCII letters and digits from `e`; `any` gains kCAlpha and kCDigit
  // when the run holds a letter or a digit. With SSE2, 16 bytes are classified at once while they
  // lie inside the text.
  size_t AsciiRun(size_t e, unsigned char* any) const {
    const size_t n = text_.size();
#if defined(__SSE2__)
    while (e + 16 <= n) {
      const BlockClasses b = ClassifyBlock(text_.data() + e);
      const unsigned len = static_cast<unsigned>(__builtin_ctz(~(b.alpha | b.digit)));  // <= 16
      const unsigned in = (1u << len) - 1;
      if (b.alpha & in) *any |= kCAlpha;
      if (b.digit & in) *any |= kCDigit;
      e += len;
      if (len < 16) return e;
    }
#endif
    while (e < n) {
      const unsigned char cls = kClass[U(text_[e])];
      if (!(cls & (kCAlpha | kCDigit))) break;
      *any |= cls;
      ++e;
    }
    return e;
  }

  // Whether text_[b, e) is a bare hash: hex digits only, of an MD5, SHA-1, SHA-256 or SHA-512
  // length. (Callers have checked that it holds a digit.)
  bool IsHashLike(size_t b, size_t e) const {
    const size_t length = e - b;
    if (length != 32 && length != 40 && length != 64 && length != 128) return false;
    for (size_t k = b; k < e; ++k)
      if (!(kClass[U(text_[k])] & kCHex)) return false;
    return true;
  }

  // A word starting at i (a word character). The common case, a run of ASCII letters and digits
  // ended by a byte that cannot continue a word (a space, most punctuation), is finished here;
  // anything else goes on in ScanWordRest.
  size_t ScanWord(size_t i) {
    const size_t n = text_.size();
    unsigned char any = 0;  // kCAlpha, kCDigit: the ASCII word characters seen
    const size_t e = AsciiRun(i, &any);
    if (e == i || (e < n && (kClass[U(text_[e])] & kCJoin))) return ScanWordRest(i, e, any);
    // The shapes ScanWordRest gives a word without dots, joiners, defangs or non-ASCII letters.
    TokenShape shape;
    if (!(any & kCAlpha)) {
      shape = TokenShape::kNumber;
    } else if ((any & kCDigit) && IsHashLike(i, e)) {
      shape = TokenShape::kOther;  // MD5, SHA-1, SHA-256, SHA-512
    } else {
      shape = (any & kCDigit) ? TokenShape::kAlnum : TokenShape::kWord;
    }
    Push(i, e, shape);
    return e;
  }

  // The rest of a word from `e`, where ScanWord's ASCII run stopped (with its `any` bits):
  // non-ASCII letters, inner connectors, defangs, URL and path switches, a final period.
  [[gnu::noinline]] size_t ScanWordRest(size_t i, size_t e, unsigned char any) {
    const size_t n = text_.size();
    // Run-mode prefixes that start like a word: "C:\...", "www." (schemes are found below when
    // "://" follows). Their letters are a run of one or three that a connector ends.
    if (e == i + 1 && IsAsciiAlpha(text_[i]) && i + 3 < n && text_[i + 1] == ':' && text_[i + 2] == '\\' &&
        IsPathStart(i)) {
      return PushRun(i, i + 1);
    }
    if (e == i + 3 && (text_[i] | 0x20) == 'w' && StartsWithNoCase(i, "www") &&
        (i == 0 || !IsAsciiAlnum(text_[i - 1]))) {
      size_t after = i + 3 < n && text_[i + 3] == '.' ? i + 4 : i + 3 + DefangLen(i + 3);
      if (after > i + 3 && IsWordAt(after)) return PushRun(i, after);
    }
    bool other = false, non_ascii = false, joined = false;  // joined: '_' or apostrophe inside
    size_t dots = 0;
    for (;;) {
      // Consume a run of word characters; ASCII in a tight loop.
      for (;;) {
        e = AsciiRun(e, &any);
        if (e >= n || U(text_[e]) < 0x80) break;
        const size_t len = WordCharLen(e);
        if (len == 0) break;
        non_ascii = true;
        e += len;
      }
      if (e >= n) break;
      const char c = text_[e];
      if (!(kClass[U(c)] & kCJoin)) break;  // a space or a stop character: the common case
      const size_t next = e + 1;
      if (c == '-' || c == '_' || c == '.') {
        if (!IsWordAt(next)) break;
        if (c == '.') ++dots;
        if (c == '_') joined = true;
        e = next;
        continue;
      }
      if (c == ',' || c == ':') {
        if (c == ':' && StartsWith(next, "//") && IsScheme(i, e)) return PushRun(i, e + 3);
        // "1,000" (groups of exactly three digits) and "10:26:16".
        if (!(any & kCAlpha) && !joined && !other && IsAsciiDigit(text_[e - 1]) && DigitAt(next) &&
            (c == ':' || (DigitAt(next + 1) && DigitAt(next + 2) && !DigitAt(next + 3)))) {
          e = next;
          continue;
        }
        break;
      }
      if (c == '\'' || IsRightQuoteAt(e)) {
        // Inner apostrophe between letters, except a possessive "'s" which is split off.
        const size_t after = c == '\'' ? next : e + 3;
        if (AlphaAt(LeadByte(e - 1)) && AlphaAt(after)) {
          if ((text_[after] == 's' || text_[after] == 'S') && !IsWordAt(after + 1)) break;
          joined = true;
          e = after;
          continue;
        }
        break;
      }
      if (c == '@') {
        if (!IsWordAt(next)) break;
        other = true;
        e = next;
        continue;
      }
      if (c == '[' || c == '(' || c == '{') {
        size_t d = DefangLen(e);
        if (d > 0 && IsWordAt(e + d)) {
          other = true;
          e += d;
          continue;
        }
        if (d == 3 && text_[e + 1] == ':' && StartsWith(e + 3, "//") && IsScheme(i, e)) {
          return PushRun(i, e + 5);  // "hxxp[:]//"
        }
        if (c == '[' && StartsWith(e, "[://]") && IsScheme(i, e)) return PushRun(i, e + 5);
        break;
      }
      if (c == '/') {
        // "example.com/path", "1.2.3.4/24", "evil[.]com/a.php": the rest is a URL.
        if ((other || (dots > 0 && ((any & kCAlpha) || dots >= 3))) && next < n && !IsSpace(text_[next])) {
          return PushRun(i, next);
        }
        break;
      }
      if (c == '\\') {
        // "HKLM\Software\...", "system32\cmd.exe": a path.
        if (next < n && (IsWordAt(next) || text_[next] == '%' || text_[next] == '$')) return PushRun(i, next);
        break;
      }
      break;
    }
    const bool has_alpha = (any & kCAlpha) || non_ascii;
    const bool has_digit = (any & kCDigit) != 0;
    // A final period: abbreviations, initialisms, and capital initials followed by more text.
    bool abbreviation = false;
    if (e < n && text_[e] == '.' && !other) {
      if (LookupAbbreviation(text_.substr(i, e + 1 - i)) != AbbreviationKind::kNone) {
        abbreviation = true;
      } else if (e == i + 1 && (kClass[U(text_[i])] & kCUpper)) {
        size_t k = e + 1;
        while (k < n && IsSpace(text_[k])) ++k;
        abbreviation = k < n;
      }
      if (abbreviation) ++e;
    }
    TokenShape shape;
    if (other) {
      shape = TokenShape::kOther;
    } else if (abbreviation) {
      shape = TokenShape::kWord;
    } else if (!has_alpha) {
      shape = (dots == 3 && !joined) ? TokenShape::kOther : TokenShape::kNumber;  // IPv4
    } else if (has_digit && !non_ascii && IsHashLike(i, e)) {
      shape = TokenShape::kOther;  // MD5, SHA-1, SHA-256, SHA-512 (a connector in it is no hex digit)
    } else if (dots > 0 && !IsVersion(i, e)) {
      shape = TokenShape::kOther;  // domain or file name: "example.com", "update.exe"
    } else if (has_digit) {
      shape = TokenShape::kAlnum;
    } else {
      shape = TokenShape::kWord;
    }
    Push(i, e, shape);
    return e;
  }

  // "v2.1.3", "V10.0": a version string.
  bool IsVersion(size_t b, size_t e) const {
    if (e - b < 2 || (text_[b] != 'v' && text_[b] != 'V') || !IsAsciiDigit(text_[b + 1])) return false;
    for (size_t k = b + 1; k < e; ++k) {
      if (!IsAsciiDigit(text_[k]) && text_[k] != '.') return false;
    }
    return true;
  }

  std::string_view text_;
  size_t begin_;
  std::vector<Token>* out_;
  bool space_before_ = false;  // whitespace precedes the token being scanned
};

void TokenizeInto(std::string_view text, size_t begin, size_t end, std::vector<Token>* out) {
  if (end > text.size()) end = text.size();
  if (begin >= end) return;
  Scanner(text, begin, end, out).Run();
}

}  // namespace

std::vector<Token> Tokenize(std::string_view text, size_t begin, size_t end) {
  std::vector<Token> out;
  if (end > text.size()) end = text.size();
  if (begin < end) out.reserve((end - begin) / 5 + 4);
  TokenizeInto(text, begin, end, &out);
  return out;
}

std::vector<Token> TokenizeSentences(std::string_view text, const std::vector<Sentence>& sentences) {
  std::vector<Token> out;
  if (!sentences.empty()) out.reserve((sentences.back().end - sentences.front().begin) / 5 + 4);
  for (const Sentence& s : sentences) {
    size_t first = out.size();
    TokenizeInto(text, s.begin, s.end, &out);
    if (out.size() > first) out[first].sentence_start = true;
  }
  return out;
}

}  // namespace prose2stix::text
