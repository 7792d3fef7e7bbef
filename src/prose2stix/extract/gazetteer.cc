// Gazetteer matching with a byte trie over normalised surfaces.
//
// Loading parses the tab-separated tables in place (every name is a string_view into the table
// text) into entries, then turns every canonical name and alias into a key: ASCII case folded,
// runs of separators (spaces, hyphens, line breaks, no-break spaces) collapsed to one space, a
// space put between letters and digits that touch ("APT28" -> "apt 28"), curly apostrophes
// straightened. The keys go into a trie whose nodes store their edges contiguously and sorted;
// the root has a 256-entry table. A terminal node lists its candidate surfaces: the same key can
// belong to several entries or spellings ("Zinc", "ZINC").
//
// Find() walks the text once. Each run of ASCII letters (or of digits) that starts a word is
// hashed while it is scanned; a bit set of the hashes of every key's first run rejects most words
// of ordinary prose without touching the trie, and for the rest ("the", "a", "new" start keys too)
// a second bit set of (first run, next two normalised bytes) rejects most of what remains. At the remaining word starts it feeds the
// normalised text into the trie (the same normaliser, applied on the fly, keeping the original
// bytes for the case check) and remembers the longest terminal that ends on a word boundary and
// has a candidate whose case rules accept the original spelling; the scan then resumes after
// that match. A walk stops at the first byte with no edge or after the longest key, and a run of
// separators counts as one byte only up to 32 bytes, so the work is linear in the text length.
// Stop phrases are ordinary keys whose matches are dropped; a following group, sector or
// software noun is looked at only after a match.
#include "prose2stix/extract/gazetteer.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_set>
#include <utility>

#include "prose2stix/util/utf8.h"

namespace prose2stix::extract {

struct Gazetteer::Surface {
  std::string_view text;  // the table's spelling
  const GazetteerEntry* entry = nullptr;
  uint32_t pattern_begin = 0;  // normalised spelling with case kept, in patterns_
  uint32_t pattern_len = 0;
  bool ambiguous = false;
  // Copies of what BestCandidate asks of every candidate, so that it need not follow `entry`:
  // the entry's kind and KindPriority() (-1 for a stop phrase).
  EntryKind kind = EntryKind::kThreatActor;
  int8_t priority = 0;
};

// A trie node in 8 bytes and an edge in 4, so that a walk, which misses the cache at most nodes
// it visits, fetches fewer lines; where a node's candidates begin is kept apart
// (cand_begin_), as only nodes with candidates need it.
struct Gazetteer::Node {
  uint32_t first_edge = 0;
  uint16_t edge_count = 0;  // at most 256
  uint16_t cand_count = 0;  // Finish() checks the bound
};

struct Gazetteer::Edge {
  static constexpr uint32_t kMaxChild = (uint32_t{1} << 24) - 1;  // Finish() checks the bound
  uint32_t packed = 0;  // the child node << 8 | the byte
  unsigned char byte() const { return static_cast<unsigned char>(packed & 0xFF); }
  uint32_t child() const { return packed >> 8; }
  static Edge Make(unsigned char byte, uint32_t child) { return Edge{child << 8 | byte}; }
};

namespace {

constexpr size_t kMaxKeyBytes = 200;  // longer table names are rejected at load time

inline unsigned char U(char c) { return static_cast<unsigned char>(c); }
constexpr bool IsAsciiAlpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
constexpr bool IsAsciiDigit(unsigned char c) { return c >= '0' && c <= '9'; }
constexpr bool IsAsciiAlnum(unsigned char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c); }
inline unsigned char FoldByte(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + 32) : c;
}

// Length of the separator at s[pos] (space, tab, line break, hyphen, no-break space, the Unicode
// hyphens U+2010..U+2013), or 0.
inline size_t SeparatorLength(std::string_view s, size_t pos) {
  const unsigned char c = U(s[pos]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '-') return 1;
  if (c == 0xC2 && pos + 1 < s.size() && U(s[pos + 1]) == 0xA0) return 2;
  if (c == 0xE2 && pos + 2 < s.size() && U(s[pos + 1]) == 0x80 && U(s[pos + 2]) >= 0x90 &&
      U(s[pos + 2]) <= 0x93) {
    return 3;
  }
  return 0;
}

// A code point that is part of a word: ASCII letters and digits, and every non-ASCII code point
// except spaces, dashes, quotation marks and common punctuation.
bool IsWordCodePoint(char32_t cp) {
  if (cp < 0x80) return IsAsciiAlnum(static_cast<unsigned char>(cp));
  if (cp == 0xA0 || cp == 0xAB || cp == 0xBB || cp == 0xB7 || cp == 0xA7 || cp == 0xB6) return false;
  if (cp >= 0x2000 && cp <= 0x206F) return false;  // general punctuation, spaces, dashes, quotes
  if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK punctuation
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;  // full-width punctuation
  if (cp == 0xFEFF || cp == utf8::kReplacement) return false;
  return true;
}

bool IsWordAt(std::string_view s, size_t pos) {
  if (pos >= s.size()) return false;
  const unsigned char c = U(s[pos]);
  if (c < 0x80) return IsAsciiAlnum(c);
  size_t p = pos;
  return IsWordCodePoint(utf8::Decode(s, &p));
}

bool IsWordBefore(std::string_view s, size_t pos) {
  if (pos == 0) return false;
  const unsigned char c = U(s[pos - 1]);
  if (c < 0x80) return IsAsciiAlnum(c);
  size_t start = pos - 1;
  while (start > 0 && pos - start < 4 && (U(s[start]) & 0xC0) == 0x80) --start;
  size_t p = start;
  const char32_t cp = utf8::Decode(s, &p);
  return p == pos ? IsWordCodePoint(cp) : true;  // a stray continuation byte: treat as a letter
}

enum class Cls : uint8_t { kNone, kAlpha, kDigit, kSep, kOther };

// Emitted for a separator run with a blank line in it; no key contains it, so no match crosses
// a paragraph.
constexpr unsigned char kParagraphBreak = 0x01;
constexpr size_t kMaxSeparatorRun = 32;

// Produces the normalised byte stream of `s` from `pos`: see the file comment. `orig` receives
// the byte with its case kept.
struct Normalizer {
  std::string_view s;
  size_t pos = 0;
  Cls prev = Cls::kNone;

  bool Next(unsigned char* out, unsigned char* orig) {
    if (pos >= s.size()) return false;
    if (size_t n = SeparatorLength(s, pos); n > 0) {
      const size_t start = pos;
      int newlines = s[pos] == '\n';
      pos += n;
      while (pos < s.size() && (n = SeparatorLength(s, pos)) > 0 && pos - start < kMaxSeparatorRun) {
        newlines += s[pos] == '\n';
        pos += n;
      }
      prev = Cls::kSep;
      // A blank line or a long run of blanks (layout, not a name) ends every name; capping the
      // run also bounds the bytes one walk can read.
      *out = *orig = (newlines >= 2 || pos - start >= kMaxSeparatorRun) ? kParagraphBreak : ' ';
      return true;
    }
    const unsigned char c = U(s[pos]);
    if (IsAsciiAlpha(c) || IsAsciiDigit(c)) {
      const Cls cls = IsAsciiDigit(c) ? Cls::kDigit : Cls::kAlpha;
      if ((cls == Cls::kDigit && prev == Cls::kAlpha) || (cls == Cls::kAlpha && prev == Cls::kDigit)) {
        prev = Cls::kSep;  // a virtual separator; the character comes next time
        *out = *orig = ' ';
        return true;
      }
      prev = cls;
      *orig = c;
      *out = FoldByte(c);
      ++pos;
      return true;
    }
    prev = Cls::kOther;
    if (c == 0xE2 && pos + 2 < s.size() && U(s[pos + 1]) == 0x80 &&
        (U(s[pos + 2]) == 0x98 || U(s[pos + 2]) == 0x99)) {
      pos += 3;
      *out = *orig = '\'';
      return true;
    }
    *out = *orig = c;
    ++pos;
    return true;
  }
};

// The normalised form of a whole table name: case kept, leading and trailing separators dropped.
std::string NormalizeKeepCase(std::string_view s) {
  std::string out;
  Normalizer n{s};
  unsigned char b = 0, o = 0;
  while (n.Next(&b, &o)) {
    if (o == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(static_cast<char>(o));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string Fold(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(FoldByte(U(c)));
  return out;
}

// Capitalisation of one word of a surface or of the text.
enum class WordCase : uint8_t { kNoLetters, kLower, kCapital, kUpper, kMixed };

WordCase ClassifyWord(const unsigned char* w, size_t len, size_t* letters) {
  size_t upper = 0, lower = 0;
  bool first_upper = false;
  bool seen = false;
  for (size_t i = 0; i < len; ++i) {
    const unsigned char c = w[i];
    if (!IsAsciiAlpha(c)) continue;
    const bool up = c <= 'Z';
    if (!seen) first_upper = up;
    seen = true;
    (up ? upper : lower) += 1;
  }
  *letters = upper + lower;
  if (*letters == 0) return WordCase::kNoLetters;
  if (upper == 0) return WordCase::kLower;
  if (lower == 0) return *letters >= 2 ? WordCase::kUpper : WordCase::kCapital;
  if (first_upper && upper == 1) return WordCase::kCapital;
  return WordCase::kMixed;
}

// The hash of a run of ASCII letters or digits for the first-token filters: h * 33 + byte over
// the folded bytes (a short dependency chain per byte), mixed by one multiplication and reduced
// to kTokenBits bits.
constexpr unsigned kTokenBits = 16;
inline uint32_t TokenHashStep(uint32_t h, unsigned char folded) { return h * 33u + folded; }
constexpr uint32_t kTokenHashSeed = 5381u;
inline uint32_t TokenBucket(uint32_t h) { return (h * 0x9E3779B1u) >> (32 - kTokenBits); }

// The bucket of a key's first run followed by the two normalised bytes after it (`second` is
// kKeyEnd when the key ends after `first`), for the pair filter.
constexpr unsigned kPairBits = 18;
constexpr uint32_t kKeyEnd = 0x100;
constexpr uint32_t kNextRun = 0x80000000u;  // marks a run hash (not a byte) as `second`
inline uint32_t PairBucket(uint32_t run_hash, uint32_t first, uint32_t second) {
  uint32_t h = (run_hash * 0x85EBCA6Bu) ^ (first * 0x2545F491u) ^ (second * 0x9E3779B1u);
  h ^= h >> 15;
  return (h * 0xC2B2AE35u) >> (32 - kPairBits);
}

inline bool TestBit(const std::vector<uint64_t>& bits, uint32_t bucket) {
  return (bits[bucket / 64] >> (bucket % 64) & 1) != 0;
}
inline void SetBit(std::vector<uint64_t>* bits, uint32_t bucket) {
  (*bits)[bucket / 64] |= uint64_t{1} << (bucket % 64);
}

// Per byte: the byte folded to lower case when it is an ASCII letter, else 0; and whether it is
// an ASCII letter or digit. The scan over every word of the text reads these.
constexpr std::array<unsigned char, 256> MakeFoldedLetters() {
  std::array<unsigned char, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<size_t>(c)] = static_cast<unsigned char>(c);
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<size_t>(c)] = static_cast<unsigned char>(c + 32);
  return t;
}
constexpr std::array<unsigned char, 256> kFoldedLetter = MakeFoldedLetters();
constexpr std::array<bool, 256> MakeAlnum() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) t[static_cast<size_t>(c)] = IsAsciiAlnum(static_cast<unsigned char>(c));
  return t;
}
constexpr std::array<bool, 256> kAlnum = MakeAlnum();

// Length of the run of letters only or digits only at s[pos] (0 when s[pos] is not alnum).
inline size_t TokenRun(std::string_view s, size_t pos, uint32_t* hash) {
  uint32_t h = kTokenHashSeed;
  size_t j = pos;
  if (j < s.size() && IsAsciiDigit(U(s[j]))) {
    while (j < s.size() && IsAsciiDigit(U(s[j]))) h = TokenHashStep(h, U(s[j++]));
  } else {
    for (; j < s.size(); ++j) {
      const unsigned char folded = kFoldedLetter[U(s[j])];
      if (folded == 0) break;
      h = TokenHashStep(h, folded);
    }
  }
  *hash = h;
  return j - pos;
}

// The pair filter's second part for a key (folded, normalised) whose first run ends at `run`:
// after a space, the hash of the next run (kNextRun set, as MayStartKey computes it from the
// text); else the next byte, or kKeyEnd.
inline uint32_t PairSecond(std::string_view key, size_t run) {
  if (key[run] == ' ') {
    uint32_t next_hash = 0;
    TokenRun(key, run + 1, &next_hash);
    return kNextRun | next_hash;
  }
  return run + 1 < key.size() ? U(key[run + 1]) : kKeyEnd;
}

// When text[pos..] is a separator (space or hyphen, no blank line) followed by one of `nouns`
// (lower case, Capitalised or in capitals) ending on a word boundary, returns the end of that
// noun; otherwise returns pos. Only plain spaces and hyphens count, so a noun on the next line of
// a list is not taken.
size_t FollowingNoun(std::string_view s, size_t pos, std::span<const std::string_view> nouns) {
  size_t p = pos;
  while (p < s.size() && (s[p] == ' ' || s[p] == '-') && p - pos < 3) ++p;
  if (p == pos || p >= s.size()) return pos;
  for (std::string_view noun : nouns) {
    if (p + noun.size() > s.size()) continue;
    const std::string_view word = s.substr(p, noun.size());
    size_t letters = 0;
    const WordCase wc = ClassifyWord(reinterpret_cast<const unsigned char*>(word.data()), word.size(), &letters);
    if (wc == WordCase::kMixed ||
        !std::equal(word.begin(), word.end(), noun.begin(), [](char a, char b) { return FoldByte(U(a)) == U(b); })) {
      continue;
    }
    if (IsWordAt(s, p + noun.size())) continue;
    return p + noun.size();
  }
  return pos;
}

// Is text[begin, end), which starts with a capital, part of a longer proper name: preceded on
// the same line by a capitalised word other than a sentence-opening function word, or followed by
// "of" and a capitalised word?
bool InsideProperName(std::string_view s, size_t begin, size_t end) {
  if (begin >= s.size() || !(U(s[begin]) >= 'A' && U(s[begin]) <= 'Z')) return false;
  size_t p = begin;
  while (p > 0 && s[p - 1] == ' ') --p;
  if (p < begin && p > 0 && IsAsciiAlpha(U(s[p - 1]))) {
    size_t w = p;
    while (w > 0 && IsAsciiAlpha(U(s[w - 1]))) --w;
    const std::string_view word = s.substr(w, p - w);
    static constexpr std::string_view kOpeners[] = {"The", "A", "An", "In", "On", "At", "For", "By", "Of", "To",
                                                    "And", "Many", "Several", "Some", "Other", "All", "Most",
                                                    "These", "Those", "Its", "Their", "Our", "Such", "Both"};
    const bool capital = U(word[0]) >= 'A' && U(word[0]) <= 'Z';
    if (capital && std::find(std::begin(kOpeners), std::end(kOpeners), word) == std::end(kOpeners)) return true;
  }
  const std::string_view rest = s.substr(end);
  return rest.size() > 4 && rest.substr(0, 4) == " of " && U(rest[4]) >= 'A' && U(rest[4]) <= 'Z';
}

int KindPriority(EntryKind kind) {
  switch (kind) {
    case EntryKind::kNewsOutlet: return 0;
    case EntryKind::kOrganization: return 1;
    case EntryKind::kCountry: return 2;
    case EntryKind::kRegion: return 3;
    case EntryKind::kThreatActor: return 4;
    case EntryKind::kSector: return 5;
  }
  return 6;
}

// Does the text spelling `text` (normalised, case kept, same length and folded bytes as
// `pattern`) satisfy the case rules of `pattern`? See Gazetteer::Find in the header.
bool CaseAccepts(std::string_view pattern, const unsigned char* text, EntryKind kind) {
  const auto* p = reinterpret_cast<const unsigned char*>(pattern.data());
  const size_t n = pattern.size();
  const bool sector = kind == EntryKind::kSector;
  const bool actor = kind == EntryKind::kThreatActor;
  // A name written all in capitals across several words ("FANCY BEAR", "IRON TWILIGHT") is a
  // house style, not an acronym: its words may be written capitalised.
  bool caps_phrase = true;
  size_t words_with_letters = 0;
  for (size_t b = 0; b < n;) {
    size_t e = b;
    while (e < n && p[e] != ' ') ++e;
    size_t letters = 0;
    const WordCase wc = ClassifyWord(p + b, e - b, &letters);
    if (wc != WordCase::kNoLetters) {
      ++words_with_letters;
      if (wc != WordCase::kUpper || letters < 4) caps_phrase = false;
    }
    b = e + 1;
  }
  caps_phrase = caps_phrase && words_with_letters >= 2;

  bool first = true;
  for (size_t b = 0; b < n;) {
    size_t e = b;
    while (e < n && p[e] != ' ') ++e;
    size_t letters = 0, text_letters = 0;
    const WordCase pc = ClassifyWord(p + b, e - b, &letters);
    const WordCase tc = ClassifyWord(text + b, e - b, &text_letters);
    const bool exact = std::equal(p + b, p + e, text + b);
    const bool titled = tc == WordCase::kCapital || tc == WordCase::kUpper;
    // Long names capitalised like the table need not agree on inner capitals: GitHub/Github,
    // Zscaler/ZScaler. (Short ones must: GReAT is not "Great", DoJ is not "Doj".)
    const bool long_capital = !sector && letters >= 6 && IsAsciiAlpha(p[b]) && p[b] <= 'Z' &&
                              text[b] <= 'Z' && pc != WordCase::kUpper;
    bool ok = true;
    switch (pc) {
      case WordCase::kNoLetters:
        break;
      case WordCase::kMixed:
        ok = exact || (long_capital && tc != WordCase::kLower);
        break;
      case WordCase::kUpper:
        if (sector || !(caps_phrase || letters >= 6)) {
          ok = exact;
        } else {
          ok = titled || (actor && !first && tc == WordCase::kLower);
        }
        break;
      case WordCase::kCapital:
      case WordCase::kLower:
        if (sector) {
          ok = tc != WordCase::kMixed;
        } else if (first) {
          ok = titled || exact || (long_capital && tc == WordCase::kMixed);
        } else if (pc == WordCase::kLower) {
          ok = tc != WordCase::kMixed || exact;
        } else {
          ok = titled || (actor && tc == WordCase::kLower) || (long_capital && tc == WordCase::kMixed);
        }
        break;
    }
    if (!ok) return false;
    if (pc != WordCase::kNoLetters) first = false;
    b = e + 1;
  }
  return true;
}

// ------------------------------------------------------------------------------ table parsing

struct Row {
  std::vector<std::string_view> cols;
  size_t line = 0;
};

// Splits a table into rows of tab-separated columns; '#' lines and blank lines are skipped.
Status ParseTable(std::string_view name, std::string_view text, size_t columns, std::vector<Row>* rows) {
  size_t line_no = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    Row row;
    row.line = line_no;
    for (size_t b = 0;;) {
      const size_t tab = line.find('\t', b);
      row.cols.push_back(line.substr(b, tab == std::string_view::npos ? std::string_view::npos : tab - b));
      if (tab == std::string_view::npos) break;
      b = tab + 1;
    }
    const std::string where = std::string(name) + ":" + std::to_string(line_no);
    if (row.cols.size() != columns) {
      return Status::InvalidInput("expected " + std::to_string(columns) + " columns, found " +
                                      std::to_string(row.cols.size()),
                                  where);
    }
    if (row.cols[0].empty()) return Status::InvalidInput("empty name", where);
    if (utf8::FirstInvalid(line) != std::string_view::npos) {
      return Status::InvalidInput("invalid UTF-8", where);
    }
    rows->push_back(std::move(row));
  }
  return Status::Ok();
}

bool IsAlpha2(std::string_view s) {
  return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

bool IsVocabValue(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || c == '-')) return false;
  }
  return true;
}

}  // namespace

std::string_view EntryKindName(EntryKind kind) {
  switch (kind) {
    case EntryKind::kThreatActor: return "threat-actor";
    case EntryKind::kCountry: return "country";
    case EntryKind::kRegion: return "region";
    case EntryKind::kSector: return "sector";
    case EntryKind::kOrganization: return "organization";
    case EntryKind::kNewsOutlet: return "news-outlet";
  }
  return "unknown";
}

// Collects entries and their surfaces, then builds the trie.
struct Gazetteer::Builder {
  Gazetteer* g;
  // Per entry: the range of its aliases in alias_pool_ and whether its canonical name is a
  // surface (country "short"/"demonym" entries match only their aliases).
  struct Pending {
    size_t alias_begin = 0;
    size_t alias_count = 0;
    bool canonical_is_surface = true;
  };
  std::vector<Pending> pending;
  std::unordered_set<std::string_view> common[6];  // per EntryKind: ambiguous surfaces
  std::vector<std::string_view> stops;     // stop phrases

  void Add(const GazetteerEntry& e, std::string_view alias_list, bool canonical_is_surface) {
    Pending p;
    p.alias_begin = g->alias_pool_.size();
    p.canonical_is_surface = canonical_is_surface;
    for (size_t b = 0; b < alias_list.size();) {
      size_t bar = alias_list.find('|', b);
      if (bar == std::string_view::npos) bar = alias_list.size();
      if (bar > b) g->alias_pool_.push_back(alias_list.substr(b, bar - b));
      b = bar + 1;
    }
    p.alias_count = g->alias_pool_.size() - p.alias_begin;
    g->entries_.push_back(e);
    pending.push_back(p);
  }

  bool IsCommon(EntryKind kind, std::string_view surface) const {
    return common[static_cast<size_t>(kind)].count(surface) > 0;
  }

  Status Finish();
};

Status Gazetteer::Builder::Finish() {
  // Entries are complete: fix their alias spans and collect surfaces.
  struct Key {
    std::string folded;
    uint32_t surface;
  };
  std::vector<Key> keys;
  std::vector<Surface> surfaces;
  for (size_t i = 0; i < g->entries_.size(); ++i) {
    GazetteerEntry& e = g->entries_[i];
    const Pending& p = pending[i];
    e.aliases = std::span<const std::string_view>(g->alias_pool_.data() + p.alias_begin, p.alias_count);
    e.ambiguous = IsCommon(e.kind, e.canonical);
    auto add = [&](std::string_view text) -> Status {
      std::string pattern = NormalizeKeepCase(text);
      if (pattern.empty()) return Status::Ok();
      if (pattern.size() > kMaxKeyBytes) {
        return Status::InvalidInput("name longer than " + std::to_string(kMaxKeyBytes) + " bytes",
                                    std::string(text.substr(0, 60)));
      }
      Surface s;
      s.text = text;
      s.entry = &e;
      s.pattern_begin = static_cast<uint32_t>(g->patterns_.size());
      s.pattern_len = static_cast<uint32_t>(pattern.size());
      s.ambiguous = IsCommon(e.kind, text);
      s.kind = e.kind;
      s.priority = static_cast<int8_t>(KindPriority(e.kind));
      g->patterns_ += pattern;
      keys.push_back(Key{Fold(pattern), static_cast<uint32_t>(surfaces.size())});
      surfaces.push_back(s);
      return Status::Ok();
    };
    if (p.canonical_is_surface) PROSE2STIX_RETURN_IF_ERROR(add(e.canonical));
    for (std::string_view a : e.aliases) PROSE2STIX_RETURN_IF_ERROR(add(a));
  }
  for (std::string_view phrase : stops) {
    std::string pattern = NormalizeKeepCase(phrase);
    if (pattern.empty() || pattern.size() > kMaxKeyBytes) continue;
    Surface s;
    s.text = phrase;
    s.entry = &g->stop_entry_;
    s.pattern_begin = static_cast<uint32_t>(g->patterns_.size());
    s.pattern_len = static_cast<uint32_t>(pattern.size());
    s.kind = g->stop_entry_.kind;
    s.priority = -1;
    g->patterns_ += pattern;
    keys.push_back(Key{Fold(pattern), static_cast<uint32_t>(surfaces.size())});
    surfaces.push_back(s);
  }
  // Identical surfaces of one entry ("Zinc" listed twice) are kept once.
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    return a.folded != b.folded ? a.folded < b.folded : a.surface < b.surface;
  });

  // Build the trie from the sorted keys: a key shares the path of its predecessor up to their
  // common prefix. Nodes are numbered in creation (depth-first) order. Because the keys are
  // sorted, each node's children are created in increasing byte order and terminal nodes come in
  // increasing order, so one counting pass lays edges and candidates out contiguously.
  struct TmpEdge {
    uint32_t parent;
    unsigned char byte;
    uint32_t child;
  };
  std::vector<TmpEdge> tmp_edges;
  std::vector<std::pair<uint32_t, uint32_t>> cands;  // (node, surface), grouped by node
  uint32_t node_count = 1;
  std::vector<uint32_t> path;  // path[d] = node reached after d+1 bytes of the previous key
  std::string_view prev;
  for (const Key& k : keys) {
    size_t common_len = 0;
    while (common_len < prev.size() && common_len < k.folded.size() && prev[common_len] == k.folded[common_len]) {
      ++common_len;
    }
    path.resize(common_len);
    uint32_t node = common_len == 0 ? 0 : path[common_len - 1];
    for (size_t d = common_len; d < k.folded.size(); ++d) {
      tmp_edges.push_back(TmpEdge{node, U(k.folded[d]), node_count});
      node = node_count++;
      path.push_back(node);
    }
    // Drop exact duplicates (same entry, same spelling).
    bool dup = false;
    for (size_t c = cands.size(); c > 0 && cands[c - 1].first == node; --c) {
      const Surface& o = surfaces[cands[c - 1].second];
      const Surface& s = surfaces[k.surface];
      if (o.entry == s.entry && o.text == s.text) dup = true;
    }
    if (!dup) cands.emplace_back(node, k.surface);
    g->max_key_ = std::max(g->max_key_, k.folded.size());
    prev = k.folded;
  }

  if (node_count - 1 > Edge::kMaxChild) return Status::InvalidInput("the gazetteer's trie has too many nodes");
  g->nodes_.assign(node_count, Node{});
  g->cand_begin_.assign(node_count, 0);
  for (const TmpEdge& e : tmp_edges) ++g->nodes_[e.parent].edge_count;
  uint32_t offset = 0;
  for (Node& n : g->nodes_) {
    n.first_edge = offset;
    offset += n.edge_count;
  }
  g->edges_.assign(tmp_edges.size(), Edge{});
  std::vector<uint32_t> fill(node_count, 0);
  for (const TmpEdge& e : tmp_edges) {
    g->edges_[g->nodes_[e.parent].first_edge + fill[e.parent]++] = Edge::Make(e.byte, e.child);
  }
  // Candidates: preferred kinds first, unambiguous before ambiguous, then table order.
  auto priority = [](const Surface& x) { return x.priority * 2 + (x.ambiguous ? 1 : 0); };
  g->surfaces_.clear();
  g->surfaces_.reserve(cands.size());
  for (size_t b = 0; b < cands.size();) {
    size_t e = b;
    while (e < cands.size() && cands[e].first == cands[b].first) ++e;
    std::stable_sort(cands.begin() + static_cast<std::ptrdiff_t>(b), cands.begin() + static_cast<std::ptrdiff_t>(e),
                     [&](const auto& x, const auto& y) { return priority(surfaces[x.second]) < priority(surfaces[y.second]); });
    if (e - b > UINT16_MAX) return Status::InvalidInput("too many gazetteer names share one spelling");
    Node& n = g->nodes_[cands[b].first];
    g->cand_begin_[cands[b].first] = static_cast<uint32_t>(g->surfaces_.size());
    n.cand_count = static_cast<uint16_t>(e - b);
    for (size_t i = b; i < e; ++i) g->surfaces_.push_back(surfaces[cands[i].second]);
    b = e;
  }
  g->root_next_.assign(256, 0);
  for (const Edge& e : std::span<const Edge>(g->edges_.data() + g->nodes_[0].first_edge, g->nodes_[0].edge_count)) {
    g->root_next_[e.byte()] = e.child();
  }
  // First-token filters: the first run of every key; of the keys that are that run alone; and of
  // the others, the run with the two bytes after it.
  g->first_tokens_.assign((size_t{1} << kTokenBits) / 64, 0);
  g->whole_tokens_.assign((size_t{1} << kTokenBits) / 64, 0);
  g->token_pairs_.assign((size_t{1} << kPairBits) / 64, 0);
  for (const Key& k : keys) {
    uint32_t h = 0;
    const size_t run = TokenRun(k.folded, 0, &h);
    if (run == 0) continue;
    SetBit(&g->first_tokens_, TokenBucket(h));
    if (run == k.folded.size()) {
      SetBit(&g->whole_tokens_, TokenBucket(h));
    } else {
      SetBit(&g->token_pairs_, PairBucket(h, U(k.folded[run]), PairSecond(k.folded, run)));
    }
  }
  // Countries by code.
  g->by_code_.assign(26 * 26, nullptr);
  for (const GazetteerEntry& e : g->entries_) {
    if (e.kind == EntryKind::kCountry && e.subtype == "name" && IsAlpha2(e.code)) {
      g->by_code_[static_cast<size_t>((e.code[0] - 'A') * 26 + (e.code[1] - 'A'))] = &e;
    }
  }
  // Sectors and regions by name and by vocabulary value, for Lookup.
  for (const GazetteerEntry& e : g->entries_) {
    if (e.kind != EntryKind::kSector && e.kind != EntryKind::kRegion) continue;
    auto& index = e.kind == EntryKind::kSector ? g->sector_keys_ : g->region_keys_;
    index.try_emplace(Fold(NormalizeKeepCase(e.canonical)), &e);
    index.try_emplace(Fold(e.code), &e);
  }
  return Status::Ok();
}

Gazetteer::Gazetteer() = default;
Gazetteer::~Gazetteer() = default;

size_t Gazetteer::surface_count() const { return surfaces_.size(); }

Result<std::unique_ptr<Gazetteer>> Gazetteer::Load(std::span<const embedded::File> files) {
  std::unique_ptr<Gazetteer> g(new Gazetteer());
  Builder b{g.get(), {}, {}, {}};
  auto table = [&](std::string_view name, size_t columns, std::vector<Row>* rows) -> Status {
    for (const embedded::File& f : files) {
      if (f.name == name) return ParseTable(name, f.data, columns, rows);
    }
    return Status::NotFound("gazetteer table missing", name);
  };
  auto where = [](std::string_view name, const Row& r) {
    return std::string(name) + ":" + std::to_string(r.line);
  };
  std::vector<Row> actors, countries, regions, sectors, orgs, news, common;
  PROSE2STIX_RETURN_IF_ERROR(table("threat_actors.tsv", 5, &actors));
  PROSE2STIX_RETURN_IF_ERROR(table("countries.tsv", 7, &countries));
  PROSE2STIX_RETURN_IF_ERROR(table("regions.tsv", 5, &regions));
  PROSE2STIX_RETURN_IF_ERROR(table("sectors.tsv", 3, &sectors));
  PROSE2STIX_RETURN_IF_ERROR(table("organizations.tsv", 4, &orgs));
  PROSE2STIX_RETURN_IF_ERROR(table("news_outlets.tsv", 2, &news));
  PROSE2STIX_RETURN_IF_ERROR(table("common_words.tsv", 3, &common));
  std::vector<Row> stops;
  PROSE2STIX_RETURN_IF_ERROR(table("stop_phrases.tsv", 2, &stops));
  for (const Row& r : stops) b.stops.push_back(r.cols[0]);
  // Stop phrases follow the case rules of sector phrases: any capitalisation.
  g->stop_entry_.kind = EntryKind::kSector;

  for (const Row& r : common) {
    bool known = false;
    for (EntryKind k : {EntryKind::kThreatActor, EntryKind::kCountry, EntryKind::kRegion,
                        EntryKind::kSector, EntryKind::kOrganization, EntryKind::kNewsOutlet}) {
      if (r.cols[1] == EntryKindName(k)) {
        b.common[static_cast<size_t>(k)].insert(r.cols[0]);
        known = true;
      }
    }
    if (!known) return Status::InvalidInput("unknown kind '" + std::string(r.cols[1]) + "'", where("common_words.tsv", r));
  }
  const size_t total = actors.size() + 3 * countries.size() + regions.size() + sectors.size() +
                       orgs.size() + news.size();
  g->entries_.reserve(total);  // entries never move once added: surfaces point at them
  b.pending.reserve(total);

  for (const Row& r : actors) {
    // name, aliases, country, sources, attack_id
    if (!r.cols[2].empty() && !IsAlpha2(r.cols[2])) {
      return Status::InvalidInput("bad country code '" + std::string(r.cols[2]) + "'", where("threat_actors.tsv", r));
    }
    GazetteerEntry e;
    e.kind = EntryKind::kThreatActor;
    e.canonical = r.cols[0];
    e.code = r.cols[2];
    e.subtype = r.cols[3];
    e.external_id = r.cols[4];
    b.Add(e, r.cols[1], true);
  }
  for (const Row& r : countries) {
    // alpha2, name, names, short forms, demonyms, subregion, region
    if (!IsAlpha2(r.cols[0])) {
      return Status::InvalidInput("bad country code '" + std::string(r.cols[0]) + "'", where("countries.tsv", r));
    }
    if (r.cols[1].empty()) return Status::InvalidInput("empty country name", where("countries.tsv", r));
    GazetteerEntry e;
    e.kind = EntryKind::kCountry;
    e.canonical = r.cols[1];
    e.code = r.cols[0];
    e.region = r.cols[5];
    e.subtype = "name";
    b.Add(e, r.cols[2], true);
    if (!r.cols[3].empty()) {
      e.subtype = "short";
      b.Add(e, r.cols[3], false);
    }
    if (!r.cols[4].empty()) {
      e.subtype = "demonym";
      b.Add(e, r.cols[4], false);
    }
  }
  for (const Row& r : regions) {
    // value, name, m49, parent, aliases
    if (!IsVocabValue(r.cols[0]) || r.cols[1].empty()) {
      return Status::InvalidInput("bad region row", where("regions.tsv", r));
    }
    GazetteerEntry e;
    e.kind = EntryKind::kRegion;
    e.canonical = r.cols[1];
    e.code = r.cols[0];
    e.region = r.cols[3];
    b.Add(e, r.cols[4], true);
  }
  for (const Row& r : sectors) {
    // value, label, surfaces
    if (!IsVocabValue(r.cols[0]) || r.cols[1].empty()) {
      return Status::InvalidInput("bad sector row", where("sectors.tsv", r));
    }
    GazetteerEntry e;
    e.kind = EntryKind::kSector;
    e.canonical = r.cols[1];
    e.code = r.cols[0];
    // The label ("infrastructure", "communications") is often no sector in prose (the attacker's
    // infrastructure, C2 communications): only the listed surfaces match.
    b.Add(e, r.cols[2], false);
  }
  for (const Row& r : orgs) {
    // name, type, country, aliases
    static constexpr std::string_view kTypes[] = {"government", "military", "intelligence", "cert",
                                                  "vendor",     "company",  "international"};
    if (std::find(std::begin(kTypes), std::end(kTypes), r.cols[1]) == std::end(kTypes)) {
      return Status::InvalidInput("unknown organisation type '" + std::string(r.cols[1]) + "'",
                                  where("organizations.tsv", r));
    }
    if (!r.cols[2].empty() && !IsAlpha2(r.cols[2])) {
      return Status::InvalidInput("bad country code '" + std::string(r.cols[2]) + "'", where("organizations.tsv", r));
    }
    GazetteerEntry e;
    e.kind = EntryKind::kOrganization;
    e.canonical = r.cols[0];
    e.subtype = r.cols[1];
    e.code = r.cols[2];
    b.Add(e, r.cols[3], true);
  }
  for (const Row& r : news) {
    GazetteerEntry e;
    e.kind = EntryKind::kNewsOutlet;
    e.canonical = r.cols[0];
    b.Add(e, r.cols[1], true);
  }
  PROSE2STIX_RETURN_IF_ERROR(b.Finish());
  return g;
}

const Gazetteer& Gazetteer::Default() {
  static const Gazetteer* const instance = [] {
    auto r = Load(embedded::data());
    if (!r.ok()) {
      std::fprintf(stderr, "prose2stix: embedded gazetteer tables: %s\n", r.status().ToString().c_str());
      return static_cast<const Gazetteer*>(new Gazetteer());
    }
    return static_cast<const Gazetteer*>(std::move(r).value().release());
  }();
  return *instance;
}

const Gazetteer::Surface* Gazetteer::BestCandidate(uint32_t node, const unsigned char* orig, size_t len) const {
  const Node& n = nodes_[node];
  const Surface* best = nullptr;
  int best_score = 1 << 20;
  const uint32_t begin = cand_begin_[node];
  for (uint32_t i = begin; i < begin + n.cand_count; ++i) {
    const Surface& s = surfaces_[i];
    const std::string_view pattern(patterns_.data() + s.pattern_begin, s.pattern_len);
    if (pattern.size() != len) continue;
    // The text as the table spells it passes every case rule: only other spellings are checked.
    const bool exact = std::equal(pattern.begin(), pattern.end(), orig, [](char a, unsigned char b) { return U(a) == b; });
    if (!exact && !CaseAccepts(pattern, orig, s.kind)) continue;
    const int score = s.priority * 4 + (exact ? 0 : 2) + (s.ambiguous ? 1 : 0);
    if (score < best_score) {
      best_score = score;
      best = &s;
    }
  }
  return best;
}

// A key starting at text[i] has the same first run (letters or digits, as TokenRun() reads it)
// and, unless it is that run alone, the same two normalised bytes after it, or the one byte and
// its end. So the walk is needed only when one of those is in the filters.
bool Gazetteer::MayStartKey(std::string_view text, size_t i, size_t run, uint32_t run_hash, uint32_t bucket) const {
  if (TestBit(whole_tokens_, bucket)) return true;
  Normalizer norm{text, i + run, IsAsciiDigit(U(text[i])) ? Cls::kDigit : Cls::kAlpha};
  unsigned char first = 0, second = 0, orig = 0;
  if (!norm.Next(&first, &orig)) return false;
  if (first == ' ') {
    // A word follows: the key's second run must be this one ("the Dukes", not every "the d").
    uint32_t next_hash = 0;
    TokenRun(text, norm.pos, &next_hash);
    return TestBit(token_pairs_, PairBucket(run_hash, first, kNextRun | next_hash));
  }
  if (TestBit(token_pairs_, PairBucket(run_hash, first, kKeyEnd))) return true;
  return norm.Next(&second, &orig) && TestBit(token_pairs_, PairBucket(run_hash, first, second));
}

std::vector<GazetteerMatch> Gazetteer::Find(std::string_view text) const {
  std::vector<GazetteerMatch> out;
  if (nodes_.empty()) return out;
  std::array<unsigned char, kMaxKeyBytes + 8> orig{};
  auto child = [this](uint32_t node, unsigned char byte) -> uint32_t {
    const Node& n = nodes_[node];
    const Edge* first = edges_.data() + n.first_edge;
    const Edge* last = first + n.edge_count;
    if (n.edge_count <= 8) {
      for (const Edge* e = first; e != last; ++e) {
        if (e->byte() == byte) return e->child();
      }
      return 0;
    }
    const Edge* e = std::lower_bound(first, last, byte, [](const Edge& x, unsigned char v) { return x.byte() < v; });
    return (e != last && e->byte() == byte) ? e->child() : 0;
  };

  // Walks the trie from text[start]; returns the end of the longest accepted match or 0.
  auto walk = [&](size_t start, const Surface** found) -> size_t {
    Normalizer norm{text, start};
    uint32_t node = 0;
    size_t depth = 0, best_end = 0;
    unsigned char b = 0, o = 0;
    while (depth < max_key_ && norm.Next(&b, &o)) {
      node = depth == 0 ? root_next_[b] : child(node, b);
      if (node == 0) break;
      orig[depth++] = o;
      if (nodes_[node].cand_count > 0 && b != ' ' && !IsWordAt(text, norm.pos)) {
        if (const Surface* s = BestCandidate(node, orig.data(), depth)) {
          *found = s;
          best_end = norm.pos;
        }
      }
    }
    return best_end;
  };

  // Records a match (unless it is a stop phrase) after looking at the words that follow it (see
  // the header: group and sector nouns join the match, software and language nouns and proper
  // names around a sector word make it ambiguous); returns where scanning resumes.
  auto emit = [&](size_t begin, size_t end, const Surface* s) -> size_t {
    if (s->entry == &stop_entry_) return end;
    GazetteerMatch m{begin, end, s->entry, s->text, s->ambiguous};
    if (s->entry->kind == EntryKind::kThreatActor || s->entry->kind == EntryKind::kSector) {
      static constexpr std::string_view kActorNouns[] = {"group", "gang", "team", "crew"};
      static constexpr std::string_view kSectorNouns[] = {"sectors", "sector", "industries", "industry"};
      static constexpr std::string_view kSoftwareNouns[] = {
          "ransomware", "malware", "backdoor", "trojan", "rat", "loader", "stealer", "wiper",
          "implant", "dropper", "botnet", "variant", "variants", "payload", "sample", "samples"};
      const bool actor = s->entry->kind == EntryKind::kThreatActor;
      const auto nouns = actor ? std::span<const std::string_view>(kActorNouns)
                               : std::span<const std::string_view>(kSectorNouns);
      if (const size_t after = FollowingNoun(text, end, nouns); after > end) {
        m.end = after;
        m.ambiguous = false;
      } else if (actor && FollowingNoun(text, end, kSoftwareNouns) > end) {
        m.ambiguous = true;  // "Akira ransomware", "Winnti malware": the software, maybe its group
      }
    }
    if (s->entry->kind == EntryKind::kSector && !m.ambiguous && InsideProperName(text, m.begin, m.end)) {
      m.ambiguous = true;  // "Michigan State University", "Ministry of Foreign Affairs of Peru"
    }
    if (s->entry->kind == EntryKind::kCountry && s->entry->subtype == "demonym") {
      static constexpr std::string_view kLanguageNouns[] = {"speaking", "speakers", "speaker", "language",
                                                            "languages", "translation"};
      if (FollowingNoun(text, end, kLanguageNouns) > end) m.ambiguous = true;  // "Russian-speaking"
    }
    out.push_back(m);
    return m.end;
  };

  const size_t n = text.size();
  bool prev_word = false;
  size_t i = 0;
  while (i < n) {
    const unsigned char c = U(text[i]);
    if (IsAsciiAlnum(c)) {
      uint32_t h = 0;
      const size_t run = TokenRun(text, i, &h);
      const uint32_t bucket = TokenBucket(h);
      if (!prev_word && TestBit(first_tokens_, bucket) && MayStartKey(text, i, run, h, bucket)) {
        const Surface* s = nullptr;
        if (const size_t end = walk(i, &s); end > 0) {
          i = emit(i, end, s);
          prev_word = IsWordBefore(text, i);
          continue;
        }
      }
      // No key starts here: skip the rest of the alphanumeric run.
      i += run;
      while (i < n && kAlnum[U(text[i])]) ++i;
      prev_word = true;
      continue;
    }
    size_t next = i + 1;
    bool is_word = false;
    if (c >= 0x80) {
      next = i;
      is_word = IsWordCodePoint(utf8::Decode(text, &next));
    }
    // Rare keys start with punctuation or a non-ASCII letter.
    if (!prev_word && root_next_[c] != 0 && SeparatorLength(text, i) == 0) {
      const Surface* s = nullptr;
      if (const size_t end = walk(i, &s); end > 0) {
        i = emit(i, end, s);
        prev_word = IsWordBefore(text, i);
        continue;
      }
    }
    prev_word = is_word;
    i = next;
  }
  return out;
}

const GazetteerEntry* Gazetteer::Lookup(EntryKind kind, std::string_view name) const {
  if (nodes_.empty()) return nullptr;
  const std::string key = Fold(NormalizeKeepCase(name));
  if (key.empty()) return nullptr;
  // Sector labels are not surfaces, and sectors and regions may be looked up by their STIX
  // vocabulary value ("financial-services", "western-europe"); there are few of either.
  if (kind == EntryKind::kSector || kind == EntryKind::kRegion) {
    const auto& keys = kind == EntryKind::kSector ? sector_keys_ : region_keys_;
    if (auto it = keys.find(key); it != keys.end()) return it->second;
  }
  uint32_t node = 0;
  for (size_t d = 0; d < key.size(); ++d) {
    const unsigned char byte = U(key[d]);
    if (d == 0) {
      node = root_next_[byte];
    } else {
      const Node& nd = nodes_[node];
      node = 0;
      for (uint32_t e = nd.first_edge; e < nd.first_edge + nd.edge_count; ++e) {
        if (edges_[e].byte() == byte) node = edges_[e].child();
      }
    }
    if (node == 0) return nullptr;
  }
  const Node& nd = nodes_[node];
  const GazetteerEntry* found = nullptr;
  for (uint32_t i = cand_begin_[node]; i < cand_begin_[node] + nd.cand_count; ++i) {
    const GazetteerEntry* e = surfaces_[i].entry;
    if (e->kind != kind) continue;
    if (Fold(NormalizeKeepCase(e->canonical)) == key) return e;  // a canonical name first
    if (found == nullptr) found = e;
  }
  return found;
}

const GazetteerEntry* Gazetteer::CountryByCode(std::string_view alpha2) const {
  if (!IsAlpha2(alpha2) || by_code_.empty()) return nullptr;
  return by_code_[static_cast<size_t>((alpha2[0] - 'A') * 26 + (alpha2[1] - 'A'))];
}

}  // namespace prose2stix::extract
