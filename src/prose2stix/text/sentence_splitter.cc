// Method: one forward scan. The scanner skips everything except line feeds, terminal punctuation
// and the lead byte of U+3002 16 bytes at a time (bytes::FindFirstOf), so ordinary prose is
// crossed at memchr-like speed. Each stop is judged locally:
//   * '.', '!', '?' runs: the closing quotes/brackets after them are skipped, then the next
//     non-space character must look like a sentence start; for a single period the word before it
//     (scanned back to the previous space, so each byte is looked at a bounded number of times)
//     is checked against the abbreviation table and the initial/initialism patterns, and the word
//     after it against the sentence-starter list;
//   * '\n': a following blank line is a paragraph break; otherwise the line just ended is judged
//     as heading / list item / table row versus a wrapped line (see IsLineBreakBoundary).
// Boundaries cut the text into chunks; each chunk trimmed of whitespace is a sentence, which
// gives the "every non-space byte in exactly one sentence" invariant by construction.
#include "prose2stix/text/sentence_splitter.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>

#include "prose2stix/util/byte_scan.h"
#include "prose2stix/util/utf8.h"

namespace prose2stix::text {

namespace {

inline unsigned char U(char c) { return static_cast<unsigned char>(c); }
constexpr std::array<bool, 256> MakeSpaceTable() {
  std::array<bool, 256> t{};
  t[' '] = t['\n'] = t['\t'] = t['\r'] = t['\f'] = t['\v'] = true;
  return t;
}
constexpr std::array<bool, 256> kSpace = MakeSpaceTable();
inline bool IsSpace(char c) { return kSpace[U(c)]; }  // ' ' \n \t \r \f \v, one load
inline bool IsHSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
inline bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlpha(char c) { return IsUpper(c) || IsLower(c); }


// ---- abbreviation table ---------------------------------------------------------------------

struct Abbreviation {
  std::string_view word;  // with its final period, exact case
  AbbreviationKind kind;
};

constexpr AbbreviationKind P = AbbreviationKind::kPrefix;
constexpr AbbreviationKind E = AbbreviationKind::kMayEnd;

// Sorted by `word` (byte order; checked at compile time below). Dotted initialisms ("U.S.", "e.g.") are
// recognised by pattern and listed here only when they need kPrefix.
constexpr Abbreviation kAbbreviations[] = {
    {"Adm.", P},    {"Apr.", E},    {"Art.", P},    {"Assn.", E},   {"Aug.", E},    {"Ave.", E},
    {"Bldg.", P},   {"Blvd.", E},   {"Bros.", E},   {"Capt.", P},   {"Ch.", P},     {"Cmdr.", P},
    {"Co.", E},     {"Col.", P},    {"Corp.", E},   {"Cpl.", P},    {"Dec.", E},    {"Dept.", E},
    {"Det.", P},    {"Dr.", P},     {"Eq.", P},     {"Est.", E},    {"Feb.", E},    {"Fig.", P},
    {"Figs.", P},   {"Fri.", E},    {"Ft.", P},     {"Gen.", P},    {"Gov.", P},    {"Govt.", E},
    {"Hon.", P},    {"Inc.", E},    {"Insp.", P},   {"Inst.", E},   {"Intl.", E},   {"Jan.", E},
    {"Jr.", E},     {"Jul.", E},    {"Jun.", E},    {"Lt.", P},     {"Ltd.", E},    {"Maj.", P},
    {"Mar.", E},    {"Messrs.", P}, {"Mme.", P},    {"Mon.", E},    {"Mr.", P},     {"Mrs.", P},
    {"Ms.", P},     {"Mt.", P},     {"Natl.", E},   {"No.", P},     {"Nos.", P},    {"Nov.", E},
    {"Nr.", P},     {"Oct.", E},    {"Ph.D.", E},   {"Plc.", E},    {"Pres.", P},   {"Prof.", P},
    {"Pty.", E},    {"Pvt.", P},    {"Rd.", E},     {"Ref.", P},    {"Rep.", P},    {"Rev.", P},
    {"Sat.", E},    {"Sec.", P},    {"Sen.", P},    {"Sep.", E},    {"Sept.", E},   {"Sgt.", P},
    {"Sr.", E},     {"St.", P},     {"Sun.", E},    {"Supt.", P},   {"Thu.", E},    {"Thur.", E},
    {"Thurs.", E},  {"Tue.", E},    {"Tues.", E},   {"Univ.", E},   {"Ver.", P},    {"Vol.", P},
    {"Wed.", E},    {"al.", E},     {"approx.", P}, {"ca.", P},     {"cf.", P},     {"e.g.", P},
    {"esp.", P},    {"est.", E},    {"etc.", E},    {"excl.", P},   {"fig.", P},    {"figs.", P},
    {"i.e.", P},    {"incl.", P},   {"p.", P},      {"plc.", E},
    {"pp.", P},     {"ref.", P},    {"resp.", P},   {"ver.", P},    {"viz.", P},    {"vol.", P},
    {"vs.", P},
};

// Common sentence-initial words (capitalised), sorted.
constexpr std::string_view kStarters[] = {
    "A",         "According", "Additionally", "After",      "Afterwards", "Again",    "All",
    "Also",      "Although",  "An",           "And",        "Another",    "Any",      "Around",
    "As",        "At",        "Based",        "Because",    "Before",     "Both",     "But",
    "By",        "Consequently", "Despite",   "During",     "Each",       "Earlier",  "Either",
    "Even",      "Every",     "Finally",      "First",      "Following",  "For",      "From",
    "Further",   "Furthermore", "Given",      "He",         "Her",        "Here",     "His",
    "How",       "However",   "I",            "If",         "In",         "Indeed",   "Instead",
    "It",        "Its",       "Last",         "Later",      "Like",       "Many",     "Meanwhile",
    "Moreover",  "Most",      "My",           "Neither",    "Nevertheless", "Next",   "No",
    "Nonetheless", "Nor",     "Not",          "Now",        "Of",         "On",       "Once",
    "One",       "Only",      "Or",           "Other",      "Our",        "Overall",  "Previously",
    "Recently",  "Second",    "Several",      "She",        "Since",      "So",       "Some",
    "Still",     "Such",      "That",         "The",        "Their",      "Then",     "There",
    "Therefore", "These",     "They",         "This",       "Those",      "Though",   "Thus",
    "To",        "Today",     "Two",          "Under",      "Unlike",     "Until",    "We",
    "What",      "When",      "Where",        "Whether",    "Which",      "While",    "Who",
    "Why",       "With",      "Within",       "Without",    "Yet",        "You",      "Your",
};

// Function words that cannot end a heading: a line ending in one of them wraps.
constexpr std::string_view kContinuationWords[] = {
    "a",    "an",   "and",  "are",  "as",    "at",   "be",   "by",   "for",  "from",
    "has",  "have", "in",   "into", "is",    "its",  "of",   "on",   "onto", "or",
    "than", "that", "the",  "their", "to",   "was",  "were", "which", "with", "within",
};

template <typename T, size_t N, typename Key>
constexpr bool IsSorted(const T (&table)[N], Key key_of) {
  for (size_t i = 1; i < N; ++i) {
    if (!(key_of(table[i - 1]) < key_of(table[i]))) return false;
  }
  return true;
}
static_assert(IsSorted(kAbbreviations, [](const Abbreviation& e) { return e.word; }));

// The abbreviation table for lookups: each word (at most 8 bytes) packed into a number, byte i
// in bits 8i..8i+7, with its length beside it (so a word with NUL bytes cannot pass for a
// shorter one), sorted by number. A lookup packs the word once and binary-searches integers.
struct PackedAbbreviation {
  uint64_t key;
  size_t size;
  AbbreviationKind kind;
};
constexpr uint64_t PackWord(std::string_view w) {
  uint64_t x = 0;
  for (size_t i = 0; i < w.size(); ++i) x |= uint64_t{static_cast<unsigned char>(w[i])} << (8 * i);
  return x;
}
constexpr size_t kLongestAbbreviation = 8;
constexpr auto kPackedAbbreviations = [] {
  std::array<PackedAbbreviation, std::size(kAbbreviations)> t{};
  for (size_t i = 0; i < t.size(); ++i) {
    t[i] = {PackWord(kAbbreviations[i].word), kAbbreviations[i].word.size(), kAbbreviations[i].kind};
  }
  std::sort(t.begin(), t.end(), [](const PackedAbbreviation& a, const PackedAbbreviation& b) { return a.key < b.key; });
  return t;
}();
static_assert([] {
  for (const Abbreviation& a : kAbbreviations)
    if (a.word.size() > kLongestAbbreviation) return false;
  return true;
}(), "abbreviations must fit in 8 bytes");
static_assert(IsSorted(kStarters, [](std::string_view e) { return e; }));
static_assert(IsSorted(kContinuationWords, [](std::string_view e) { return e; }));

template <typename T, size_t N, typename Key>
const T* FindSorted(const T (&table)[N], std::string_view key, Key key_of) {
  const T* it = std::lower_bound(std::begin(table), std::end(table), key,
                                 [&](const T& e, std::string_view k) { return key_of(e) < k; });
  return (it != std::end(table) && key_of(*it) == key) ? it : nullptr;
}

bool IsContinuationWord(std::string_view w) {
  if (w.size() > 6) return false;
  char buf[8];
  for (size_t i = 0; i < w.size(); ++i) {
    char c = w[i];
    buf[i] = IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return FindSorted(kContinuationWords, std::string_view(buf, w.size()),
                    [](std::string_view e) { return e; }) != nullptr;
}

// "U.S.", "e.g.", "a.m.": two or more single letters, each followed by a period.
bool IsDottedInitialism(std::string_view w) {
  if (w.size() < 4 || w.size() % 2 != 0) return false;
  for (size_t i = 0; i < w.size(); i += 2) {
    if (!IsAlpha(w[i]) || w[i + 1] != '.') return false;
  }
  return true;
}

// ---- character classes ----------------------------------------------------------------------

inline bool IsOpener(char c) { return c == '"' || c == '\'' || c == '(' || c == '[' || c == '{' || c == '<'; }
inline bool IsCloser(char c) { return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}' || c == '*'; }

// Length of the closing quote or bracket at text[pos] (typographic quotes included, for text
// that was not normalised), or 0.
size_t CloserLen(std::string_view text, size_t pos) {
  if (pos >= text.size()) return 0;
  if (IsCloser(text[pos])) return 1;
  if (U(text[pos]) == 0xE2 && text.substr(pos, 3) == "\xE2\x80\x9D") return 3;  // U+201D
  if (U(text[pos]) == 0xE2 && text.substr(pos, 3) == "\xE2\x80\x99") return 3;  // U+2019
  if (U(text[pos]) == 0xC2 && text.substr(pos, 2) == "\xC2\xBB") return 2;      // U+00BB
  return 0;
}

// Whether the code point at text[pos] may begin a sentence after terminal punctuation.
bool CanStartSentence(std::string_view text, size_t pos) {
  char c = text[pos];
  if (IsUpper(c) || IsDigit(c) || IsOpener(c)) return true;
  if (U(c) < 0x80) return false;
  size_t p = pos;
  char32_t cp = utf8::Decode(text, &p);
  if (cp == 0x201C || cp == 0x2018 || cp == 0x00AB || cp == 0x00BF || cp == 0x00A1) return true;
  if (cp < 0xC0) return false;
  if (cp <= 0xFF) return cp <= 0xDE && cp != 0xD7;  // Latin-1 capitals
  if (cp <= 0x17F) return cp % 2 == 0;               // Latin Extended-A: capitals mostly even
  if (cp <= 0x24F) return true;
  if (cp >= 0x370 && cp <= 0x3FF) return cp <= 0x3AB;  // Greek
  if (cp >= 0x400 && cp <= 0x4FF) return cp <= 0x42F;  // Cyrillic
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;      // punctuation and symbols
  if (cp >= 0x3000 && cp <= 0x303F) return false;
  if (cp >= 0xE000 && cp <= 0xF8FF) return false;
  if (cp >= 0xFE00 && cp <= 0xFFFF) return false;
  return true;  // letters of caseless scripts
}

// The word (ASCII letters and apostrophes) starting at `pos`, after any opening punctuation.
std::string_view WordAt(std::string_view text, size_t pos) {
  while (pos < text.size() && IsOpener(text[pos])) ++pos;
  size_t end = pos;
  while (end < text.size() && (IsAlpha(text[end]) || IsDigit(text[end]))) ++end;
  return text.substr(pos, end - pos);
}

// The list/table/heading/figure markers a line may start with: bullets, "1." "a)", Markdown
// headings, tables, emphasis, images and quotes.
bool StartsWithMarker(std::string_view line) {
  if (line.empty()) return false;
  char c = line[0];
  if (c == '|' || c == '#' || c == '*') return true;
  if (c == '!' && line.size() > 1 && line[1] == '[') return true;
  if ((c == '-' || c == '+' || c == '>') && line.size() > 1 && line[1] == ' ') return true;
  if (U(c) >= 0x80) {
    size_t p = 0;
    char32_t cp = utf8::Decode(line, &p);
    switch (cp) {
      case 0x2022: case 0x2023: case 0x2043: case 0x25AA: case 0x25AB: case 0x25CF: case 0x25CB:
      case 0x25E6: case 0x25A0: case 0x25A1: case 0x00B7: case 0x2013: case 0x2014: case 0x27A2:
      case 0x2713: case 0x2714: case 0x25B6: case 0x25BA:
        return true;
      default:
        return false;
    }
  }
  size_t i = 0;
  while (i < line.size() && i < 3 && IsDigit(line[i])) ++i;
  if (i == 0 && IsAlpha(c) && line.size() > 2 && line[1] == ')') i = 1;
  return i > 0 && i + 1 < line.size() && (line[i] == '.' || line[i] == ')') && line[i + 1] == ' ';
}

// A horizontal rule or Setext underline: three or more of one of - = _ * (spaces allowed).
bool IsRule(std::string_view line) {
  size_t count = 0;
  char mark = 0;
  for (char c : line) {
    if (c == ' ') continue;
    if (c == '\n') break;
    if (c != '-' && c != '=' && c != '_' && c != '*') return false;
    if (mark != 0 && c != mark) return false;
    mark = c;
    ++count;
  }
  return count >= 3;
}

std::string_view Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

// Judges a single line feed in hard-wrapped text whose wrapped lines are up to `width` bytes:
// `line` is the line it ends (untrimmed), `next` the text after it (starting at its first
// non-space byte; empty at the end of the text). A line without final punctuation is a heading
// when it is clearly shorter than the wrap width (wrapping leaves lines near full width).
bool IsLineBreakBoundary(std::string_view line, std::string_view next, size_t width) {
  line = Trim(line);
  if (line.empty() || next.empty()) return false;
  if (StartsWithMarker(line) || StartsWithMarker(next) || IsRule(line) || IsRule(next)) return true;
  // A line that is one token (an indicator, a file name, an image link) stands alone.
  if (line.find(' ') == std::string_view::npos) return true;
  size_t last_pos = line.size() - 1;
  char last = line[last_pos];
  while (last_pos > 0 && IsCloser(last) && last != '*') last = line[--last_pos];
  if (last == '.' || last == '!' || last == '?') return false;  // left to the punctuation rule
  if (last == ',' || last == '/' || last == '(' || last == '&') return false;
  if (last == '-' && last_pos > 0 && IsAlpha(line[last_pos - 1])) return false;  // hyphenated
  if (IsLower(next[0])) return false;
  size_t w = line.size();
  while (w > 0 && IsAlpha(line[w - 1])) --w;
  if (IsContinuationWord(line.substr(w))) return false;
  if (last == ':' || last == ';') return true;
  return line.size() * 3 <= width * 2;
}

// Caption labels: "Figure 3. The loader ..." at the start of a line is one sentence.
constexpr std::string_view kCaptionWords[] = {
    "Appendix", "Chart", "Diagram", "Exhibit", "Fig", "Figure", "Image", "Listing", "Screenshot", "Table",
};
static_assert(IsSorted(kCaptionWords, [](std::string_view e) { return e; }));

// Whether `word` (text[s, ...), a number with its period) follows a caption label that opens its
// line, possibly after Markdown emphasis: "*Figure 12. Attack paths*".
bool IsCaptionNumber(std::string_view text, size_t chunk_begin, size_t s, std::string_view word) {
  if (word.size() > 4 || !std::all_of(word.begin(), word.end() - 1, IsDigit)) return false;
  size_t e = s;
  if (e == chunk_begin || text[e - 1] != ' ') return false;
  --e;
  size_t b = e;
  while (b > chunk_begin && e - b < 12 && IsAlpha(text[b - 1])) --b;
  if (b == e || !IsUpper(text[b])) return false;
  if (FindSorted(kCaptionWords, text.substr(b, e - b), [](std::string_view x) { return x; }) == nullptr) {
    return false;
  }
  while (b > chunk_begin && (text[b - 1] == '*' || text[b - 1] == '_' || text[b - 1] == '#' ||
                             text[b - 1] == '[' || text[b - 1] == '(' || IsHSpace(text[b - 1]))) {
    --b;
  }
  return b == 0 || text[b - 1] == '\n';
}

// Judges terminal punctuation text[p, q) followed by closers and whitespace (holding a line feed
// when `newline`), and the next sentence candidate starting at text[m] (non-space).
// `chunk_begin` bounds the look-back.
bool IsPunctuationBoundary(std::string_view text, size_t chunk_begin, size_t p, size_t q, size_t m,
                           bool newline) {
  // Across a line break anything but a lowercase letter may start the next sentence ("![image]",
  // "*Figure 2*", "- item").
  if (!CanStartSentence(text, m) && !(newline && !IsLower(text[m]) && !IsSpace(text[m]))) return false;
  if (q - p > 1 || text[p] != '.') return true;  // "!", "?", "?!", "..."
  // The word ending with this period.
  size_t s = p;
  while (s > chunk_begin && !IsSpace(text[s - 1])) --s;
  while (s < p && IsOpener(text[s])) ++s;
  if (s == p) return true;
  std::string_view word = text.substr(s, p + 1 - s);
  // "1." or "a." opening a line is a list number.
  size_t line_begin = s;
  while (line_begin > 0 && IsHSpace(text[line_begin - 1])) --line_begin;
  if ((line_begin == 0 || text[line_begin - 1] == '\n') && word.size() <= 4 &&
      (std::all_of(word.begin(), word.end() - 1, IsDigit) || (word.size() == 2 && IsAlpha(word[0])))) {
    return false;
  }
  if (IsCaptionNumber(text, chunk_begin, s, word)) return false;
  AbbreviationKind kind = LookupAbbreviation(word);
  if (kind == AbbreviationKind::kPrefix) return false;
  bool initial = word.size() == 2 && IsUpper(word[0]);
  if (kind == AbbreviationKind::kMayEnd || initial) return IsSentenceStarter(WordAt(text, m));
  return true;
}

// Whether the text's single line feeds wrap running prose (text from PDFs, e-mails, plain-text
// advisories) rather than separate paragraphs, items and headings (one block per line, as text
// extracted from HTML or Markdown). Evidence of wrapping: a line of some length that ends without
// terminal punctuation and is followed by a line starting in lowercase. Text with such pairs for
// at least a fifth of its longer lines is judged wrapped, and the longest such line gives the
// wrap width; otherwise 0 is returned and every line feed ends a sentence. One linear pass.
size_t HardWrapWidth(std::string_view text) {
  size_t long_lines = 0, wrap_votes = 0, width = 0;
  size_t line_start = 0;
  const size_t n = text.size();
  while (line_start < n) {
    size_t nl = text.find('\n', line_start);
    if (nl == std::string_view::npos) break;
    std::string_view line = Trim(text.substr(line_start, nl - line_start));
    size_t next = nl + 1;
    while (next < n && IsHSpace(text[next])) ++next;
    if (line.size() >= 40 && next < n && text[next] != '\n') {
      ++long_lines;
      size_t k = line.size();
      while (k > 1 && IsCloser(line[k - 1])) --k;
      char last = line[k - 1];
      bool terminal = last == '.' || last == '!' || last == '?' || last == ':' || last == ';';
      if (!terminal && IsLower(text[next])) {
        ++wrap_votes;
        width = std::max(width, line.size());
      }
    }
    line_start = nl + 1;
  }
  return (wrap_votes >= 2 && wrap_votes * 5 >= long_lines) ? width : 0;
}

// The first position in [i, end) holding a line feed, terminal punctuation or the lead byte of
// U+3002 IDEOGRAPHIC FULL STOP, or `end`.
inline size_t NextStop(std::string_view text, size_t i, size_t end) {
  return bytes::FindFirstOf<'\n', '.', '!', '?', '\xE3'>(text.substr(0, end), i);
}

class Splitter {
 public:
  explicit Splitter(std::string_view text) : text_(text) {}

  std::vector<Sentence> Run() {
    const size_t n = text_.size();
    out_.reserve(n / 80 + 1);
    wrap_width_ = HardWrapWidth(text_);
    size_t i = 0;
    size_t line_start = 0;
    while (i < n) {
      const size_t limit = chunk_ + kMaxSentenceBytes;
      i = NextStop(text_, i, std::min(n, limit));
      if (i >= n) break;
      if (i >= limit) {
        CutLongChunk(limit);
        continue;
      }
      const char c = text_[i];
      if (c == '\n') {
        size_t j = i + 1;
        while (j < n && IsHSpace(text_[j])) ++j;
        if (j < n && text_[j] == '\n') {
          Emit(i);  // paragraph break
        } else if (wrap_width_ == 0 ||
                   IsLineBreakBoundary(text_.substr(line_start, i - line_start), text_.substr(j), wrap_width_)) {
          Emit(i);
        }
        line_start = i + 1;
        i = j;
        continue;
      }
      if (c == '.' || c == '!' || c == '?') {
        // Runs are bounded by `limit` so no sentence outgrows kMaxSentenceBytes.
        size_t q = i;
        while (q < limit && q < n && (text_[q] == '.' || text_[q] == '!' || text_[q] == '?')) ++q;
        size_t r = q;
        for (size_t len; r < limit && (len = CloserLen(text_, r)) > 0;) r += len;
        if (r < n && IsSpace(text_[r])) {
          size_t m = r;
          bool newline = false;
          while (m < n && IsSpace(text_[m])) newline |= text_[m++] == '\n';
          if (m < n && IsPunctuationBoundary(text_, chunk_, i, q, m, newline)) Emit(r);
        }
        i = r;
        continue;
      }
      // 0xE3: U+3002 is E3 80 82.
      if (i + 2 < n && i + 3 <= limit && U(text_[i + 1]) == 0x80 && U(text_[i + 2]) == 0x82) {
        i += 3;
        Emit(i);
      } else {
        ++i;
      }
    }
    Emit(n);
    return std::move(out_);
  }

 private:
  // Ends the current chunk at `cut` (trimmed; empty chunks are dropped).
  void Emit(size_t cut) {
    size_t b = chunk_, e = cut;
    while (b < e && IsSpace(text_[b])) ++b;
    while (e > b && IsSpace(text_[e - 1])) --e;
    if (e > b) out_.push_back(Sentence{b, e, text_.substr(b, e - b)});
    chunk_ = cut;
  }

  // The chunk reached kMaxSentenceBytes at `limit`: cut at its last space, or at a code point
  // boundary when it has none.
  void CutLongChunk(size_t limit) {
    size_t cut = limit;
    while (cut > chunk_ && !IsSpace(text_[cut - 1])) --cut;
    if (cut <= chunk_ + kMaxSentenceBytes / 2) {
      cut = limit;
      while (cut > chunk_ + 1 && (U(text_[cut]) & 0xC0u) == 0x80u) --cut;
    }
    Emit(cut);
  }

  std::string_view text_;
  size_t wrap_width_ = 0;  // see HardWrapWidth; 0 when lines are blocks
  size_t chunk_ = 0;      // start of the current (untrimmed) chunk
  std::vector<Sentence> out_;
};

}  // namespace

AbbreviationKind LookupAbbreviation(std::string_view word) {
  if (word.size() < 2 || word.back() != '.') return AbbreviationKind::kNone;
  if (word.size() <= kLongestAbbreviation) {
    const uint64_t key = PackWord(word);
    const auto* a = std::lower_bound(kPackedAbbreviations.begin(), kPackedAbbreviations.end(), key,
                                     [](const PackedAbbreviation& e, uint64_t k) { return e.key < k; });
    if (a != kPackedAbbreviations.end() && a->key == key && a->size == word.size()) return a->kind;
  }
  if (IsDottedInitialism(word)) return AbbreviationKind::kMayEnd;
  return AbbreviationKind::kNone;
}

bool IsSentenceStarter(std::string_view word) {
  return !word.empty() && FindSorted(kStarters, word, [](std::string_view e) { return e; }) != nullptr;
}

std::vector<Sentence> SplitSentences(std::string_view text) { return Splitter(text).Run(); }

}  // namespace prose2stix::text
