// A hand-written recursive-descent checker for the STIX 2.1 patterning grammar (part 9 of the
// specification; the grammar of STIXPattern.g4 for 2.1, with case-sensitive keywords).
//
// Method. A scanner turns the pattern into tokens one at a time (no token array): whitespace,
// including the Unicode spaces the grammar lists, and /* */ and // comments are skipped. Literal
// tokens are validated as they are scanned (escapes, timestamp ranges, hex length, base64
// padding); a malformed literal is reported and parsing goes on, since its extent is known. The
// parser needs one token of look-ahead, so every byte is scanned once and the time is linear.
// Operator precedence is encoded by one function per level, each looping over its operator
// (FOLLOWEDBY < OR < AND for observations, OR < AND for comparisons), so long flat chains use no
// recursion; only parentheses recurse, and a depth counter stops at kMaxPatternNesting.
// Parsing stops at the first syntax error.
//
// Semantics checked while parsing: each object path is walked through the SCO catalogue (types,
// properties, extensions, references to other SCOs, list indexes); each comparison's literal is
// checked against the kind of the property it ends at; AND operands in a comparison expression
// must be satisfiable by one object type (the set of types of an OR is the union of its operands,
// of an AND the intersection); qualifiers get their ranges and ordering checked.
#include "prose2stix/validate/pattern.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <iterator>
#include <span>

#include "prose2stix/util/utf8.h"
#include "prose2stix/validate/sco_catalog.h"

namespace prose2stix::validate {

namespace {

enum class Tok : uint8_t {
  kEnd,
  kError,  // the scanner already reported why
  kLBrack,
  kRBrack,
  kLParen,
  kRParen,
  kColon,
  kDot,
  kComma,
  kStar,
  kEq,
  kNeq,
  kLt,
  kLe,
  kGt,
  kGe,
  kIdent,
  kString,
  kInt,
  kFloat,
  kHex,
  kBinary,
  kTimestamp,
  kBool,
  kAnd,
  kOr,
  kNot,
  kFollowedBy,
  kLike,
  kMatches,
  kIsSubset,
  kIsSuperset,
  kExists,
  kIn,
  kStart,
  kStop,
  kSeconds,
  kWithin,
  kRepeats,
  kTimes,
  kLast,
};

struct Token {
  Tok kind = Tok::kEnd;
  size_t begin = 0;
  size_t end = 0;
};

struct Keyword {
  std::string_view text;
  Tok kind;
};
constexpr Keyword kKeywords[] = {
    {"AND", Tok::kAnd},           {"OR", Tok::kOr},
    {"NOT", Tok::kNot},           {"FOLLOWEDBY", Tok::kFollowedBy},
    {"LIKE", Tok::kLike},         {"MATCHES", Tok::kMatches},
    {"ISSUBSET", Tok::kIsSubset}, {"ISSUPERSET", Tok::kIsSuperset},
    {"EXISTS", Tok::kExists},     {"IN", Tok::kIn},
    {"START", Tok::kStart},       {"STOP", Tok::kStop},
    {"SECONDS", Tok::kSeconds},   {"WITHIN", Tok::kWithin},
    {"REPEATS", Tok::kRepeats},   {"TIMES", Tok::kTimes},
    {"LAST", Tok::kLast},
};

inline unsigned char U(char c) { return static_cast<unsigned char>(c); }
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsIdentStart(char c) { return IsAlpha(c) || c == '_'; }
inline bool IsIdentChar(char c) { return IsAlpha(c) || IsDigit(c) || c == '_' || c == '-'; }
inline bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
inline bool IsBase64Char(char c) { return IsAlpha(c) || IsDigit(c) || c == '+' || c == '/'; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

// Makes a fragment of the pattern printable: at most 40 bytes (cut at a character boundary),
// control characters and bytes that are not UTF-8 written as \xNN.
std::string Sanitize(std::string_view s) {
  constexpr size_t kMax = 40;
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (i >= kMax) {
      out += "...";
      break;
    }
    const unsigned char c = U(s[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F) {
        out += fmt::format("\\x{:02X}", c);
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    size_t j = i;
    const char32_t cp = utf8::Decode(s, &j);
    if (cp == utf8::kReplacement && j == i + 1) {
      out += fmt::format("\\x{:02X}", c);
    } else {
      out.append(s.substr(i, j - i));
    }
    i = j;
  }
  return out;
}

// A fragment in single quotes, for messages.
std::string Quote(std::string_view s) { return "'" + Sanitize(s) + "'"; }

// A token for messages: quoted literals (', t', h', b') are shown as written, others quoted.
std::string Show(std::string_view s) {
  const bool literal = (!s.empty() && s[0] == '\'') || (s.size() > 1 && s[1] == '\'');
  return literal ? Sanitize(s) : Quote(s);
}

// ---- timestamps ----------------------------------------------------------------------------

int Digits(std::string_view s, size_t pos, size_t count) {
  int v = 0;
  for (size_t i = pos; i < pos + count; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

// Checks the body of t'...': YYYY-MM-DDTHH:MM:SS[.fraction]Z with real calendar ranges (second 60
// allowed for leap seconds). Returns an empty string when valid, else the reason.
std::string TimestampProblem(std::string_view s) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  if (s.size() < kShape.size() + 1) return "too short for YYYY-MM-DDTHH:MM:SSZ";
  for (size_t i = 0; i < kShape.size(); ++i) {
    const bool ok = kShape[i] == 'd' ? IsDigit(s[i]) : s[i] == kShape[i];
    if (!ok)
      return fmt::format("expected {} at position {}",
                         kShape[i] == 'd' ? "a digit" : Quote(kShape.substr(i, 1)), i);
  }
  size_t i = kShape.size();
  if (s[i] == '.') {
    ++i;
    const size_t frac = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == frac) return "a digit must follow '.'";
  }
  if (i + 1 != s.size() || s[i] != 'Z') return "must end in 'Z' (UTC) with no time-zone offset";
  const int year = Digits(s, 0, 4);
  const int month = Digits(s, 5, 2);
  const int day = Digits(s, 8, 2);
  if (month < 1 || month > 12) return fmt::format("month {:02d} out of range", month);
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int max_day = kDays[month - 1] + ((month == 2 && leap) ? 1 : 0);
  if (day < 1 || day > max_day) return fmt::format("day {:02d} out of range for month {:02d}", day, month);
  if (Digits(s, 11, 2) > 23) return "hour out of range";
  if (Digits(s, 14, 2) > 59) return "minute out of range";
  if (Digits(s, 17, 2) > 60) return "second out of range";
  return {};
}

// Compares two valid timestamp bodies as instants: <0, 0, >0.
int CompareTimestamps(std::string_view a, std::string_view b) {
  const int head = a.substr(0, 19).compare(b.substr(0, 19));
  if (head != 0) return head;
  // Fractions: compare digit by digit, missing digits count as 0.
  auto frac = [](std::string_view t) {
    return t.size() > 21 ? t.substr(20, t.size() - 21) : std::string_view();
  };
  const std::string_view fa = frac(a);
  const std::string_view fb = frac(b);
  for (size_t i = 0; i < std::max(fa.size(), fb.size()); ++i) {
    const char x = i < fa.size() ? fa[i] : '0';
    const char y = i < fb.size() ? fb[i] : '0';
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

// Returns an empty string when `s` is well-formed base64 (RFC 4648, padded), else the reason.
std::string Base64Problem(std::string_view s) {
  if (s.empty()) return "empty";
  size_t pad = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '=') {
      ++pad;
    } else if (pad > 0) {
      return "'=' padding only at the end";
    } else if (!IsBase64Char(s[i])) {
      return fmt::format("{} is not a base64 character", Quote(s.substr(i, 1)));
    }
  }
  if (s.size() % 4 != 0) return fmt::format("length {} is not a multiple of 4", s.size());
  if (pad > 2) return "more than two '=' padding characters";
  return {};
}

// ---- MATCHES and ISSUBSET operands ------------------------------------------------------------

// Checks the structure of a PCRE regular expression: balanced groups, terminated character
// classes, quantifiers that follow something repeatable, ordered {n,m} bounds, no trailing
// backslash. Conservative: anything it does not understand is taken as a literal. Returns an empty
// string when no problem is found, else the problem, with *at set to its character offset.
std::string RegexProblem(std::string_view re, size_t* at) {
  const size_t n = re.size();
  size_t open_groups = 0;
  bool can_repeat = false;        // the previous item may take a quantifier
  bool after_quantifier = false;  // the previous item is a quantifier (a '?' or '+' may follow)
  size_t i = 0;
  auto atom = [&](size_t next) {
    i = next;
    can_repeat = true;
    after_quantifier = false;
  };
  auto no_atom = [&](size_t next) {
    i = next;
    can_repeat = false;
    after_quantifier = false;
  };
  while (i < n) {
    *at = i;
    const char c = re[i];
    switch (c) {
      case '\\': {
        if (i + 1 >= n) return "trailing backslash";
        if (re[i + 1] == 'Q') {  // \Q...\E: a literal run
          const size_t e = re.find("\\E", i + 2);
          atom(e == std::string_view::npos ? n : e + 2);
        } else {
          atom(i + 2);
        }
        break;
      }
      case '[': {
        size_t j = i + 1;
        if (j < n && re[j] == '^') ++j;
        if (j < n && re[j] == ']') ++j;  // a leading ']' is a literal
        bool closed = false;
        while (j < n) {
          if (re[j] == '\\') {
            j += 2;
            continue;
          }
          if (re[j] == '[' && j + 1 < n && (re[j + 1] == ':' || re[j + 1] == '.' || re[j + 1] == '=')) {
            // A POSIX class such as [:alpha:] or [:^digit:] inside the brackets.
            size_t k = j + 2;
            if (k < n && re[k] == '^') ++k;
            while (k < n && IsAlpha(re[k])) ++k;
            if (k + 1 < n && re[k] == re[j + 1] && re[k + 1] == ']') {
              j = k + 2;
              continue;
            }
          }
          if (re[j] == ']') {
            closed = true;
            break;
          }
          ++j;
        }
        if (!closed) return "unterminated character class";
        atom(j + 1);
        break;
      }
      case '(': {
        if (i + 1 < n && re[i + 1] == '*') {  // (*VERB)
          const size_t e = re.find(')', i);
          if (e == std::string_view::npos) return "unterminated (*VERB)";
          no_atom(e + 1);
          break;
        }
        if (i + 2 < n && re[i + 1] == '?' && re[i + 2] == '#') {  // (?#comment)
          const size_t e = re.find(')', i);
          if (e == std::string_view::npos) return "unterminated (?# comment";
          no_atom(e + 1);
          break;
        }
        ++open_groups;
        no_atom(i + 1 < n && re[i + 1] == '?' ? i + 2 : i + 1);
        break;
      }
      case ')':
        if (open_groups == 0) return "unmatched ')'";
        --open_groups;
        atom(i + 1);
        break;
      case '|':
      case '^':
      case '$':
        no_atom(i + 1);
        break;
      case '*':
      case '+':
      case '?':
        if (after_quantifier && c != '*') {  // lazy (*?) or possessive (*+) form
          no_atom(i + 1);
          break;
        }
        if (!can_repeat) return fmt::format("quantifier '{}' does not follow a repeatable item", c);
        i += 1;
        can_repeat = false;
        after_quantifier = true;
        break;
      case '{': {
        // {n}, {n,} or {n,m} is a quantifier; any other '{' is a literal.
        size_t j = i + 1;
        size_t low_digits = 0;
        uint64_t low = 0;
        while (j < n && IsDigit(re[j]) && low_digits < 10)
          low = low * 10 + static_cast<uint64_t>(re[j++] - '0'), ++low_digits;
        bool quantifier = false;
        uint64_t high = low;
        bool has_high = true;
        if (low_digits > 0 && j < n && re[j] == '}') {
          quantifier = true;
        } else if (low_digits > 0 && j < n && re[j] == ',') {
          ++j;
          size_t high_digits = 0;
          high = 0;
          while (j < n && IsDigit(re[j]) && high_digits < 10)
            high = high * 10 + static_cast<uint64_t>(re[j++] - '0'), ++high_digits;
          has_high = high_digits > 0;
          quantifier = j < n && re[j] == '}';
        }
        if (!quantifier) {
          atom(i + 1);
          break;
        }
        if (!can_repeat) return "quantifier '{' does not follow a repeatable item";
        if (has_high && high < low) return "numbers out of order in {} quantifier";
        i = j + 1;
        can_repeat = false;
        after_quantifier = true;
        break;
      }
      default:
        atom(i + 1);
        break;
    }
  }
  *at = n;
  if (open_groups > 0) return "missing ')'";
  return {};
}

// Parses 1 to `max_digits` decimal digits as a number no greater than `max`.
bool ParseSmall(std::string_view s, size_t max_digits, unsigned max, unsigned* out) {
  if (s.empty() || s.size() > max_digits) return false;
  unsigned v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

bool IsIpv4Address(std::string_view s) {
  for (int octet = 0; octet < 4; ++octet) {
    const size_t dot = s.find('.');
    const std::string_view part = octet < 3 ? s.substr(0, dot) : s;
    unsigned v = 0;
    if ((octet < 3 && dot == std::string_view::npos) || !ParseSmall(part, 3, 255, &v)) return false;
    if (octet < 3) s.remove_prefix(dot + 1);
  }
  return true;
}

bool IsIpv6Address(std::string_view s) {
  if (s.empty()) return false;
  size_t groups = 0;
  bool compressed = false;
  if (s.starts_with("::")) {
    compressed = true;
    s.remove_prefix(2);
  }
  while (!s.empty()) {
    const size_t colon = s.find(':');
    const std::string_view part = s.substr(0, colon);
    if (colon == std::string_view::npos && part.find('.') != std::string_view::npos) {
      if (!IsIpv4Address(part)) return false;
      groups += 2;
      break;
    }
    if (part.empty() || part.size() > 4 || !std::all_of(part.begin(), part.end(), IsHexDigit)) return false;
    ++groups;
    if (colon == std::string_view::npos) break;
    s.remove_prefix(colon + 1);
    if (s.starts_with(":")) {
      if (compressed) return false;
      compressed = true;
      s.remove_prefix(1);
    } else if (s.empty()) {
      return false;  // trailing single ':'
    }
  }
  return compressed ? groups < 8 : groups == 8;
}

// Colon-delimited lower-case MAC-48 with leading zeros, as STIX 2.1 requires for mac-addr values.
bool IsMac48(std::string_view s) {
  if (s.size() != 17) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i % 3 == 2 ? c != ':' : !(IsDigit(c) || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool IsIpv4Cidr(std::string_view s) {
  const size_t slash = s.find('/');
  unsigned prefix = 0;
  if (slash != std::string_view::npos && !ParseSmall(s.substr(slash + 1), 2, 32, &prefix)) return false;
  return IsIpv4Address(s.substr(0, slash));
}

bool IsIpv6Cidr(std::string_view s) {
  const size_t slash = s.find('/');
  unsigned prefix = 0;
  if (slash != std::string_view::npos && !ParseSmall(s.substr(slash + 1), 3, 128, &prefix)) return false;
  return IsIpv6Address(s.substr(0, slash));
}

// ---- object types ----------------------------------------------------------------------------

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The SCO type name closest to a misspelt `type`, or empty.
std::string_view SuggestType(std::string_view type) {
  if (type.size() > 64) return {};
  std::string_view best;
  size_t best_distance = 3;
  for (const ScoType& t : ScoTypes()) {
    if (EqualsIgnoreCase(t.name, type)) return t.name;
    if (type.size() >= 3 && t.name.substr(0, type.size()) == type) return t.name;  // "domain"
    if (type.size() > t.name.size() && type.substr(0, t.name.size()) == t.name)
      return t.name;  // "ipv4-address"
    const size_t d = EditDistance(type, t.name);
    if (d < best_distance) {
      best_distance = d;
      best = t.name;
    }
  }
  return best;
}

// Property names STIX 2.0 used where 2.1 has another name.
struct Renamed {
  std::string_view type;
  std::string_view old_name;
  std::string_view new_name;
};
constexpr Renamed kRenamed[] = {
    {"file", "created", "ctime"},
    {"file", "modified", "mtime"},
    {"file", "accessed", "atime"},
    {"directory", "created", "ctime"},
    {"directory", "modified", "mtime"},
    {"directory", "accessed", "atime"},
    {"process", "created", "created_time"},
    {"process", "binary_ref", "image_ref"},
    {"process", "arguments", "command_line"},
    {"windows-registry-key", "modified", "modified_time"},
    {"user-account", "password_last_changed", "credential_last_changed"},
};

std::string_view RenamedIn21(std::string_view type, std::string_view name) {
  for (const Renamed& r : kRenamed) {
    if (r.type == type && r.old_name == name) return r.new_name;
  }
  return {};
}

// ---- object path walking -----------------------------------------------------------------------

// Where an object path stands after some components: what the next component may be.
struct Cursor {
  enum class Mode : uint8_t {
    kStop,        // nothing more is known (custom type/property, dictionary value, ...)
    kTypes,       // properties of one of `types` (the root type, or the targets of a reference)
    kProps,       // properties in `props` (an extension or nested object called `owner`)
    kExtensions,  // extension names of type `owner`
    kAnyKey,      // a dictionary: any key
    kHashKeys,    // a hashes dictionary: hashing-algorithm-ov keys
    kScalar,      // a single value: no further component
    kList,        // a list: needs an index
  };
  Mode mode = Mode::kStop;
  std::span<const std::string_view> types;
  std::span<const ScoProperty> props;
  std::string_view owner;
  const ScoProperty* prop = nullptr;             // the property the path is at, when known
  std::span<const std::string_view> prop_types;  // the object types `prop` was looked up on
  std::string_view hash_algorithm;               // set at a hashes key from the vocabulary
  std::span<const std::string_view> targets;     // for references: the types they may point to
  bool leaf_known = false;                       // `leaf` is the kind of the value the path denotes
  ValueKind leaf = ValueKind::kString;
};

Cursor AtProperty(const ScoProperty& p, std::string_view owner_type) {
  Cursor c;
  c.prop = &p;
  c.leaf_known = true;
  c.leaf = p.kind;
  c.targets = p.ref_types;
  switch (p.kind) {
    case ValueKind::kRef:
      c.mode = p.ref_types.empty() ? Cursor::Mode::kStop : Cursor::Mode::kTypes;
      c.types = p.ref_types;
      break;
    case ValueKind::kStringList:
    case ValueKind::kObjectList:
    case ValueKind::kRefList:
      c.mode = Cursor::Mode::kList;
      break;
    case ValueKind::kObject:
      c.mode = Cursor::Mode::kProps;
      c.props = p.sub_properties;
      c.owner = p.name;
      break;
    case ValueKind::kDictionary:
      c.mode = Cursor::Mode::kAnyKey;
      break;
    case ValueKind::kHashes:
      c.mode = Cursor::Mode::kHashKeys;
      break;
    case ValueKind::kExtensions:
      c.mode = Cursor::Mode::kExtensions;
      c.owner = owner_type;
      break;
    default:
      c.mode = Cursor::Mode::kScalar;
      break;
  }
  return c;
}

// The cursor at an element of the list the cursor `list` is at.
Cursor AtElement(const Cursor& list) {
  const ScoProperty& p = *list.prop;
  Cursor c;
  c.prop = &p;
  c.leaf_known = true;
  c.targets = list.targets;
  switch (p.kind) {
    case ValueKind::kObjectList:
      c.mode = Cursor::Mode::kProps;
      c.props = p.sub_properties;
      c.owner = p.name;
      c.leaf_known = false;
      break;
    case ValueKind::kRefList:
      c.mode = list.targets.empty() ? Cursor::Mode::kStop : Cursor::Mode::kTypes;
      c.types = list.targets;
      c.leaf = ValueKind::kRef;
      break;
    default:
      c.mode = Cursor::Mode::kScalar;
      c.leaf = ValueKind::kString;
      break;
  }
  return c;
}

std::string_view KindName(ValueKind k) {
  switch (k) {
    case ValueKind::kString:
      return "a string";
    case ValueKind::kInteger:
      return "an integer";
    case ValueKind::kFloat:
      return "a number";
    case ValueKind::kBoolean:
      return "a boolean";
    case ValueKind::kTimestamp:
      return "a timestamp";
    case ValueKind::kHex:
      return "a hex string";
    case ValueKind::kBinary:
      return "base64 binary";
    case ValueKind::kDictionary:
      return "a dictionary";
    case ValueKind::kHashes:
      return "a hashes dictionary";
    case ValueKind::kStringList:
      return "a list of strings";
    case ValueKind::kObject:
      return "an object";
    case ValueKind::kObjectList:
      return "a list of objects";
    case ValueKind::kRef:
      return "an object reference";
    case ValueKind::kRefList:
      return "a list of object references";
    case ValueKind::kExtensions:
      return "the extensions dictionary";
  }
  return "a value";
}

std::string_view LiteralName(Tok t) {
  switch (t) {
    case Tok::kString:
      return "a string";
    case Tok::kInt:
      return "an integer";
    case Tok::kFloat:
      return "a float";
    case Tok::kHex:
      return "a hex literal";
    case Tok::kBinary:
      return "a binary literal";
    case Tok::kTimestamp:
      return "a timestamp literal";
    case Tok::kBool:
      return "a boolean";
    default:
      return "a literal";
  }
}

// Whether a literal of token kind `t` can ever equal/order against a value of kind `k`.
bool LiteralFits(ValueKind k, Tok t) {
  switch (k) {
    case ValueKind::kString:
    case ValueKind::kRef:
      return t == Tok::kString || t == Tok::kHex || t == Tok::kBinary;
    case ValueKind::kHex:
    case ValueKind::kBinary:
      return t == Tok::kString || t == Tok::kHex || t == Tok::kBinary;
    case ValueKind::kInteger:
    case ValueKind::kFloat:
      return t == Tok::kInt || t == Tok::kFloat;
    case ValueKind::kBoolean:
      return t == Tok::kBool;
    case ValueKind::kTimestamp:
      return t == Tok::kTimestamp;
    default:
      return true;  // containers: the spec leaves these comparisons to implementations
  }
}

// Object types an expression can be satisfied by; `any` when unconstrained or too many to track.
// A fixed array, since comparisons are parsed by the thousand and rarely mix more than two types.
struct TypeSet {
  static constexpr size_t kCapacity = 16;
  bool any = false;
  size_t count = 0;
  std::array<std::string_view, kCapacity> names;  // distinct, in order of appearance

  static TypeSet Of(std::string_view type) {
    TypeSet s;
    s.names[0] = type;
    s.count = 1;
    return s;
  }
  static TypeSet Any() {
    TypeSet s;
    s.any = true;
    return s;
  }
  bool Contains(std::string_view type) const {
    return std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(count), type) !=
           names.begin() + static_cast<std::ptrdiff_t>(count);
  }
};

TypeSet Union(const TypeSet& a, const TypeSet& b) {
  if (a.any || b.any) return TypeSet::Any();
  TypeSet out = a;
  for (size_t i = 0; i < b.count; ++i) {
    if (out.Contains(b.names[i])) continue;
    if (out.count == TypeSet::kCapacity) return TypeSet::Any();
    out.names[out.count++] = b.names[i];
  }
  return out;
}

TypeSet Intersect(const TypeSet& a, const TypeSet& b) {
  if (a.any) return b;
  if (b.any) return a;
  TypeSet out;
  for (size_t i = 0; i < a.count; ++i) {
    if (b.Contains(a.names[i])) out.names[out.count++] = a.names[i];
  }
  return out;
}

std::string JoinTypes(const TypeSet& s) {
  std::string out;
  for (size_t i = 0; i < s.count; ++i) {
    if (i > 0) out += i + 1 == s.count ? " or " : ", ";
    out += s.names[i];
  }
  return out;
}

// ---- the checker -------------------------------------------------------------------------------

class Checker {
 public:
  explicit Checker(std::string_view pattern) : p_(pattern) {}

  std::vector<PatternIssue> Run() {
    Advance();
    if (tok_.kind == Tok::kEnd) {
      Error(0, "empty pattern: expected an observation expression such as [file:name = 'x']");
    } else if (!failed_) {
      ParseObservationFollowedBy();
      if (!failed_ && tok_.kind != Tok::kEnd) {
        Expected("AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern");
      }
    }
    std::stable_sort(issues_.begin(), issues_.end(),
                     [](const PatternIssue& a, const PatternIssue& b) { return a.offset < b.offset; });
    if (dropped_ > 0) {
      issues_.push_back(PatternIssue{false, p_.size(), fmt::format("{} more issues not shown", dropped_)});
    }
    return std::move(issues_);
  }

 private:
  // ---- issues ----
  // Errors and warnings are capped separately, so warnings never crowd out an error.
  bool Full(bool error) const { return (error ? errors_ : warnings_) >= kMaxPatternIssues; }
  void Add(bool error, size_t offset, std::string message) {
    if (Full(error)) {
      ++dropped_;
      return;
    }
    ++(error ? errors_ : warnings_);
    issues_.push_back(PatternIssue{error, offset, std::move(message)});
  }
  void Error(size_t offset, std::string message) { Add(true, offset, std::move(message)); }
  void Warning(size_t offset, std::string message) { Add(false, offset, std::move(message)); }

  std::string_view Text(const Token& t) const { return p_.substr(t.begin, t.end - t.begin); }

  std::string Near(const Token& t) const {
    if (t.kind == Tok::kEnd) return "near end of pattern";
    return "near " + Show(Text(t));
  }

  // Reports a syntax error at the current token and stops parsing.
  void Expected(std::string_view what) {
    if (failed_) return;
    failed_ = true;
    if (tok_.kind == Tok::kError) return;  // the scanner said why
    std::string msg = fmt::format("expected {} at offset {} {}", what, tok_.begin, Near(tok_));
    const std::string_view text = Text(tok_);
    if (tok_.kind == Tok::kIdent) {
      for (const Keyword& k : kKeywords) {
        if (EqualsIgnoreCase(k.text, text)) {
          msg += fmt::format(" (keywords are case-sensitive: write '{}')", k.text);
          break;
        }
      }
      if (EqualsIgnoreCase(text, "true") || EqualsIgnoreCase(text, "false")) {
        msg += " (booleans are lower-case: true, false)";
      }
    }
    Error(tok_.begin, std::move(msg));
  }

  // ---- scanner ----
  void Advance() {
    if (failed_) {
      tok_ = Token{Tok::kError, p_.size(), p_.size()};
      return;
    }
    tok_ = Scan(pos_);
    pos_ = tok_.end;
    if (tok_.kind == Tok::kError) failed_ = true;
  }

  bool Accept(Tok kind) {
    if (tok_.kind != kind) return false;
    Advance();
    return true;
  }

  bool Expect(Tok kind, std::string_view what) {
    if (Accept(kind)) return true;
    Expected(what);
    return false;
  }

  // Length of the whitespace character at i, or 0.
  size_t SpaceLength(size_t i) const {
    const size_t n = p_.size();
    const unsigned char c = U(p_[i]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
    if (c == 0xC2 && i + 1 < n && (U(p_[i + 1]) == 0x85 || U(p_[i + 1]) == 0xA0)) return 2;
    if (i + 2 >= n) return 0;
    const unsigned char b1 = U(p_[i + 1]);
    const unsigned char b2 = U(p_[i + 2]);
    if (c == 0xE1 && b1 == 0x9A && b2 == 0x80) return 3;  // U+1680
    if (c == 0xE2 && b1 == 0x80 && ((b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF)) {
      return 3;  // U+2000..U+200A, U+2028, U+2029, U+202F
    }
    if (c == 0xE2 && b1 == 0x81 && b2 == 0x9F) return 3;  // U+205F
    if (c == 0xE3 && b1 == 0x80 && b2 == 0x80) return 3;  // U+3000
    return 0;
  }

  Token Fail(size_t begin, size_t end, std::string message) {
    Error(begin, std::move(message));
    return Token{Tok::kError, begin, end};
  }

  Token Scan(size_t i) {
    const size_t n = p_.size();
    // Whitespace and comments.
    while (i < n) {
      if (const size_t len = SpaceLength(i)) {
        i += len;
      } else if (p_[i] == '/' && i + 1 < n && p_[i + 1] == '*') {
        const size_t close = p_.find("*/", i + 2);
        if (close == std::string_view::npos) {
          return Fail(i, n, fmt::format("unterminated comment starting at offset {}", i));
        }
        i = close + 2;
      } else if (p_[i] == '/' && i + 1 < n && p_[i + 1] == '/') {
        while (i < n && p_[i] != '\n' && p_[i] != '\r') ++i;
      } else {
        break;
      }
    }
    if (i >= n) return Token{Tok::kEnd, n, n};
    const char c = p_[i];
    const char next = i + 1 < n ? p_[i + 1] : '\0';
    auto one = [&](Tok k) { return Token{k, i, i + 1}; };
    auto two = [&](Tok k) { return Token{k, i, i + 2}; };
    switch (c) {
      case '[':
        return one(Tok::kLBrack);
      case ']':
        return one(Tok::kRBrack);
      case '(':
        return one(Tok::kLParen);
      case ')':
        return one(Tok::kRParen);
      case ':':
        return one(Tok::kColon);
      case ',':
        return one(Tok::kComma);
      case '*':
        return one(Tok::kStar);
      case '=':
        return next == '=' ? two(Tok::kEq) : one(Tok::kEq);
      case '!':
        if (next == '=') return two(Tok::kNeq);
        return Fail(i, i + 1, fmt::format("unexpected '!' at offset {} (did you mean '!='?)", i));
      case '<':
        if (next == '>') return two(Tok::kNeq);
        return next == '=' ? two(Tok::kLe) : one(Tok::kLt);
      case '>':
        return next == '=' ? two(Tok::kGe) : one(Tok::kGt);
      case '\'':
        return ScanString(i);
      default:
        break;
    }
    if (IsDigit(c) ||
        ((c == '+' || c == '-') && (IsDigit(next) || (next == '.' && i + 2 < n && IsDigit(p_[i + 2])))) ||
        (c == '.' && IsDigit(next))) {
      return ScanNumber(i);
    }
    if (c == '.') return one(Tok::kDot);
    if (IsIdentStart(c)) {
      if ((c == 't' || c == 'h' || c == 'b') && next == '\'') return ScanPrefixed(i);
      size_t j = i + 1;
      while (j < n && IsIdentChar(p_[j])) ++j;
      const std::string_view word = p_.substr(i, j - i);
      if (c >= 'A' && c <= 'Z') {  // keywords are upper-case
        for (const Keyword& k : kKeywords) {
          if (k.text == word) return Token{k.kind, i, j};
        }
      }
      if (word == "true" || word == "false") return Token{Tok::kBool, i, j};
      return Token{Tok::kIdent, i, j};
    }
    size_t j = i;
    utf8::Decode(p_, &j);
    return Fail(i, j, fmt::format("unexpected character {} at offset {}", Quote(p_.substr(i, j - i)), i));
  }

  // A quoted string: '...' where a backslash may only escape ' or \.
  Token ScanString(size_t i) {
    const size_t n = p_.size();
    bool bad_utf8_reported = false;
    size_t j = i + 1;
    while (j < n) {
      const char c = p_[j];
      if (c == '\'') return Token{Tok::kString, i, j + 1};
      if (c == '\\') {
        if (j + 1 < n && (p_[j + 1] == '\'' || p_[j + 1] == '\\')) {
          j += 2;
          continue;
        }
        if (j + 1 < n) {
          size_t k = j + 1;
          utf8::Decode(p_, &k);
          Error(j, fmt::format(
                       "invalid escape {} at offset {} in string literal (only \\' and \\\\ are allowed)",
                       Quote(p_.substr(j, k - j)), j));
        }
        ++j;
        continue;
      }
      if (U(c) >= 0x80) {
        size_t k = j;
        const char32_t cp = utf8::Decode(p_, &k);
        if (cp == utf8::kReplacement && k == j + 1 && !bad_utf8_reported) {
          bad_utf8_reported = true;
          Error(j, fmt::format("invalid UTF-8 byte 0x{:02X} at offset {} in string literal", U(c), j));
        }
        j = k;
        continue;
      }
      ++j;
    }
    return Fail(
        i, n,
        fmt::format("unterminated string literal starting at offset {} near {}", i, Sanitize(p_.substr(i))));
  }

  // Integers ([+-]?(0|[1-9][0-9]*)) and floats ([+-]?[0-9]*.[0-9]+).
  Token ScanNumber(size_t i) {
    const size_t n = p_.size();
    size_t j = i;
    if (p_[j] == '+' || p_[j] == '-') ++j;
    const size_t digits = j;
    while (j < n && IsDigit(p_[j])) ++j;
    if (j < n && p_[j] == '.') {
      if (j + 1 < n && IsDigit(p_[j + 1])) {
        j += 1;
        while (j < n && IsDigit(p_[j])) ++j;
        return Token{Tok::kFloat, i, j};
      }
      return Fail(i, j + 1,
                  fmt::format("malformed number {} at offset {} (a digit must follow '.')",
                              Quote(p_.substr(i, j + 1 - i)), i));
    }
    if (j - digits > 1 && p_[digits] == '0') {
      Error(i, fmt::format("integer {} at offset {} has a leading zero", Quote(p_.substr(i, j - i)), i));
    }
    return Token{Tok::kInt, i, j};
  }

  // t'...', h'...' and b'...'.
  Token ScanPrefixed(size_t i) {
    const size_t close = p_.find('\'', i + 2);
    if (close == std::string_view::npos) {
      return Fail(
          i, p_.size(),
          fmt::format("unterminated literal starting at offset {} near {}", i, Sanitize(p_.substr(i))));
    }
    const std::string_view body = p_.substr(i + 2, close - i - 2);
    const std::string_view whole = p_.substr(i, close + 1 - i);
    Token t{Tok::kString, i, close + 1};
    switch (p_[i]) {
      case 't': {
        t.kind = Tok::kTimestamp;
        const std::string problem = TimestampProblem(body);
        if (!problem.empty())
          Error(i, fmt::format("invalid timestamp {} at offset {}: {}", Show(whole), i, problem));
        break;
      }
      case 'h': {
        t.kind = Tok::kHex;
        const auto bad = std::find_if(body.begin(), body.end(), [](char c) { return !IsHexDigit(c); });
        if (bad != body.end()) {
          Error(i, fmt::format("invalid hex literal {} at offset {}: {} is not a hex digit", Show(whole), i,
                               Quote(std::string_view(&*bad, 1))));
        } else if (body.size() % 2 != 0) {
          Error(i, fmt::format("invalid hex literal {} at offset {}: odd number of digits", Show(whole), i));
        }
        break;
      }
      default: {
        t.kind = Tok::kBinary;
        const std::string problem = Base64Problem(body);
        if (!problem.empty())
          Error(i, fmt::format("invalid base64 literal {} at offset {}: {}", Show(whole), i, problem));
        break;
      }
    }
    return t;
  }

  // ---- nesting guard ----
  class Nest {
   public:
    explicit Nest(Checker* c) : c_(c) { ++c_->depth_; }
    ~Nest() { --c_->depth_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;
    bool ok() const {
      if (c_->depth_ <= kMaxPatternNesting) return true;
      if (!c_->failed_) {
        c_->failed_ = true;
        c_->Error(c_->tok_.begin, fmt::format("nesting deeper than {} levels at offset {}",
                                              kMaxPatternNesting, c_->tok_.begin));
      }
      return false;
    }

   private:
    Checker* c_;
  };

  // ---- observation expressions ----
  void ParseObservationFollowedBy() {
    ParseObservationOr();
    while (!failed_ && Accept(Tok::kFollowedBy)) ParseObservationOr();
  }

  void ParseObservationOr() {
    ParseObservationAnd();
    while (!failed_ && Accept(Tok::kOr)) ParseObservationAnd();
  }

  void ParseObservationAnd() {
    ParseQualifiedObservation();
    while (!failed_ && Accept(Tok::kAnd)) ParseQualifiedObservation();
  }

  void ParseQualifiedObservation() {
    if (tok_.kind == Tok::kLBrack) {
      Advance();
      if (failed_) return;
      ParseComparisonOr();
      if (failed_) return;
      if (!Expect(Tok::kRBrack, "']' to close the observation expression")) return;
    } else if (tok_.kind == Tok::kLParen) {
      Nest nest(this);
      if (!nest.ok()) return;
      Advance();
      if (failed_) return;
      ParseObservationFollowedBy();
      if (failed_) return;
      if (!Expect(Tok::kRParen, "')' or an observation operator (AND, OR, FOLLOWEDBY)")) return;
    } else {
      Expected("'[' or '(' to start an observation expression");
      return;
    }
    while (!failed_) {
      if (tok_.kind == Tok::kWithin) {
        ParseWithin();
      } else if (tok_.kind == Tok::kRepeats) {
        ParseRepeats();
      } else if (tok_.kind == Tok::kStart) {
        ParseStartStop();
      } else {
        break;
      }
    }
  }

  void ParseWithin() {
    Advance();  // WITHIN
    if (failed_) return;
    if (tok_.kind != Tok::kInt && tok_.kind != Tok::kFloat) {
      Expected("a positive number of seconds after WITHIN");
      return;
    }
    const std::string_view number = Text(tok_);
    const bool negative = number.front() == '-';
    const bool zero = std::none_of(number.begin(), number.end(), [](char c) { return c >= '1' && c <= '9'; });
    if (negative || zero) {
      Error(tok_.begin, fmt::format("WITHIN duration {} at offset {} is not a positive number of seconds",
                                    Quote(number), tok_.begin));
    }
    Advance();
    Expect(Tok::kSeconds, "SECONDS after the WITHIN duration");
  }

  void ParseRepeats() {
    Advance();  // REPEATS
    if (failed_) return;
    if (tok_.kind != Tok::kInt) {
      Expected("a positive integer after REPEATS");
      return;
    }
    const std::string_view number = Text(tok_);
    const bool negative = number.front() == '-';
    const bool zero = std::none_of(number.begin(), number.end(), [](char c) { return c >= '1' && c <= '9'; });
    if (negative || zero) {
      Error(tok_.begin, fmt::format("REPEATS count {} at offset {} is not a positive integer", Quote(number),
                                    tok_.begin));
    }
    Advance();
    Expect(Tok::kTimes, "TIMES after the REPEATS count");
  }

  void ParseStartStop() {
    Advance();  // START
    if (failed_) return;
    const Token start = tok_;
    if (start.kind != Tok::kTimestamp) {
      Expected(start.kind == Tok::kString
                   ? "a timestamp literal t'...' after START (STIX 2.1 requires t'' here)"
                   : "a timestamp literal t'...' after START");
      return;
    }
    Advance();
    if (!Expect(Tok::kStop, "STOP after the START timestamp")) return;
    const Token stop = tok_;
    if (stop.kind != Tok::kTimestamp) {
      Expected(stop.kind == Tok::kString
                   ? "a timestamp literal t'...' after STOP (STIX 2.1 requires t'' here)"
                   : "a timestamp literal t'...' after STOP");
      return;
    }
    Advance();
    const std::string_view a = Text(start).substr(2, start.end - start.begin - 3);
    const std::string_view b = Text(stop).substr(2, stop.end - stop.begin - 3);
    if (TimestampProblem(a).empty() && TimestampProblem(b).empty() && CompareTimestamps(b, a) <= 0) {
      Error(stop.begin, fmt::format("STOP {} at offset {} is not later than START {}", Show(Text(stop)),
                                    stop.begin, Show(Text(start))));
    }
  }

  // ---- comparison expressions ----
  TypeSet ParseComparisonOr() {
    TypeSet types = ParseComparisonAnd();
    while (!failed_ && Accept(Tok::kOr)) types = Union(types, ParseComparisonAnd());
    return types;
  }

  TypeSet ParseComparisonAnd() {
    TypeSet types = ParsePropTest();
    while (!failed_ && tok_.kind == Tok::kAnd) {
      const Token op = tok_;
      Advance();
      if (failed_) break;
      const TypeSet right = ParsePropTest();
      if (failed_) break;
      TypeSet both = Intersect(types, right);
      if (!both.any && both.count == 0) {
        Error(op.begin,
              fmt::format("AND at offset {} joins comparisons on {} with comparisons on {}: all operands of "
                          "AND in an observation expression must match the same object",
                          op.begin, JoinTypes(types), JoinTypes(right)));
        both = TypeSet::Any();  // reported once; do not cascade
      }
      types = both;
    }
    return types;
  }

  TypeSet ParsePropTest() {
    if (tok_.kind == Tok::kLParen) {
      Nest nest(this);
      if (!nest.ok()) return {};
      Advance();
      if (failed_) return {};
      TypeSet inner = ParseComparisonOr();
      if (failed_) return {};
      Expect(Tok::kRParen, "')' or a comparison operator (AND, OR)");
      return inner;
    }
    if (tok_.kind == Tok::kExists) {
      Advance();
      if (failed_) return {};
      Cursor leaf;
      return ParseObjectPath(&leaf);
    }
    if (tok_.kind == Tok::kNot) {
      Expected("an object path (NOT goes between the path and the operator, e.g. file:name NOT = 'x')");
      return {};
    }
    Cursor leaf;
    TypeSet types = ParseObjectPath(&leaf);
    if (failed_) return types;
    Accept(Tok::kNot);
    if (failed_) return types;
    const Token op = tok_;
    switch (op.kind) {
      case Tok::kEq:
      case Tok::kNeq:
        Advance();
        ParseLiteral(/*allow_bool=*/true, leaf, op);
        break;
      case Tok::kLt:
      case Tok::kLe:
      case Tok::kGt:
      case Tok::kGe:
        Advance();
        ParseLiteral(/*allow_bool=*/false, leaf, op);
        break;
      case Tok::kIn:
        Advance();
        ParseSet(leaf);
        break;
      case Tok::kLike:
      case Tok::kMatches:
      case Tok::kIsSubset:
      case Tok::kIsSuperset:
        Advance();
        if (failed_) break;
        if (tok_.kind != Tok::kString) {
          Expected(fmt::format("a string literal after {}", Text(op)));
          break;
        }
        CheckStringOperator(op, leaf, tok_);
        Advance();
        break;
      default:
        Expected("a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET)");
        break;
    }
    return types;
  }

  // LIKE, MATCHES, ISSUBSET, ISSUPERSET: the property should hold strings (IP addresses for the
  // last two); a MATCHES regex must be well-formed and an ISSUBSET/ISSUPERSET value an IP or CIDR.
  void CheckStringOperator(const Token& op, const Cursor& leaf, const Token& literal) {
    const std::string value = ComponentName(literal);
    if (op.kind == Tok::kMatches) {
      size_t at = 0;
      const std::string problem = RegexProblem(value, &at);
      if (!problem.empty()) {
        Error(literal.begin, fmt::format("invalid regular expression {} at offset {}: {} (at character {})",
                                         Show(Text(literal)), literal.begin, problem, at));
      }
    }
    if (!leaf.leaf_known) return;
    if (op.kind == Tok::kIsSubset || op.kind == Tok::kIsSuperset) {
      const bool v4 =
          std::find(leaf.prop_types.begin(), leaf.prop_types.end(), "ipv4-addr") != leaf.prop_types.end();
      const bool v6 =
          std::find(leaf.prop_types.begin(), leaf.prop_types.end(), "ipv6-addr") != leaf.prop_types.end();
      if (leaf.prop == nullptr || leaf.prop->name != "value" || (!v4 && !v6)) {
        Warning(op.begin, fmt::format("{} at offset {} applies to IP address values (ipv4-addr:value, "
                                      "ipv6-addr:value); here it compares {}",
                                      Text(op), op.begin, KindName(leaf.leaf)));
        return;
      }
      if (!((v4 && IsIpv4Cidr(value)) || (v6 && IsIpv6Cidr(value)))) {
        Warning(literal.begin,
                fmt::format("{} at offset {} is not an {} address or CIDR block", Show(Text(literal)),
                            literal.begin, v4 && v6 ? "IP" : (v4 ? "IPv4" : "IPv6")));
      }
      return;
    }
    if (leaf.leaf != ValueKind::kString && leaf.leaf != ValueKind::kRef && leaf.leaf != ValueKind::kHex &&
        leaf.leaf != ValueKind::kBinary && !IsListKind(leaf.leaf)) {
      Warning(op.begin, fmt::format("{} at offset {} matches strings, but the property holds {}", Text(op),
                                    op.begin, KindName(leaf.leaf)));
    }
  }

  bool IsLiteral(Tok k, bool allow_bool) const {
    switch (k) {
      case Tok::kString:
      case Tok::kInt:
      case Tok::kFloat:
      case Tok::kHex:
      case Tok::kBinary:
      case Tok::kTimestamp:
        return true;
      case Tok::kBool:
        return allow_bool;
      default:
        return false;
    }
  }

  // Equality operands whose shape the specification fixes: hashes of known algorithms, and the
  // values of ipv4-addr, ipv6-addr and mac-addr.
  void CheckValueFormat(const Cursor& leaf, const Token& literal) {
    if (literal.kind != Tok::kString) return;
    const std::string value = ComponentName(literal);
    if (!leaf.hash_algorithm.empty()) {
      const size_t want = HashHexLength(leaf.hash_algorithm);
      if (want != 0 && (value.size() != want || !std::all_of(value.begin(), value.end(), IsHexDigit))) {
        Warning(literal.begin, fmt::format("{} at offset {} is not a valid {} hash ({} hexadecimal digits)",
                                           Show(Text(literal)), literal.begin, leaf.hash_algorithm, want));
      }
      return;
    }
    if (leaf.prop == nullptr || leaf.prop->name != "value" || leaf.prop_types.empty()) return;
    bool v4 = false;
    bool v6 = false;
    bool mac = false;
    for (std::string_view type : leaf.prop_types) {
      if (type == "ipv4-addr") {
        v4 = true;
      } else if (type == "ipv6-addr") {
        v6 = true;
      } else if (type == "mac-addr") {
        mac = true;
      } else {
        return;  // domain names, URLs, ...: free-form
      }
    }
    if ((v4 && IsIpv4Cidr(value)) || (v6 && IsIpv6Cidr(value)) || (mac && IsMac48(value))) return;
    std::string expected;
    if (v4) expected = "an IPv4 address or CIDR block";
    if (v6) expected += std::string(expected.empty() ? "" : " or ") + "an IPv6 address or CIDR block";
    if (mac)
      expected +=
          std::string(expected.empty() ? "" : " or ") + "a lower-case MAC-48 address (aa:bb:cc:dd:ee:ff)";
    Warning(literal.begin,
            fmt::format("{} at offset {} is not {}", Show(Text(literal)), literal.begin, expected));
  }

  void CheckLiteralFits(const Cursor& leaf, const Token& literal, bool equality) {
    if (equality) CheckValueFormat(leaf, literal);
    if (!leaf.leaf_known || LiteralFits(leaf.leaf, literal.kind)) return;
    std::string hint;
    if (leaf.leaf == ValueKind::kTimestamp && literal.kind == Tok::kString) hint = " (write it as t'...')";
    Warning(literal.begin, fmt::format("{} {} at offset {} can never match {}, which holds {}{}",
                                       LiteralName(literal.kind), Show(Text(literal)), literal.begin,
                                       leaf.prop != nullptr ? Quote(leaf.prop->name) : "the property",
                                       KindName(leaf.leaf), hint));
  }

  void ParseLiteral(bool allow_bool, const Cursor& leaf, const Token& op) {
    if (failed_) return;
    if (!IsLiteral(tok_.kind, allow_bool)) {
      if (tok_.kind == Tok::kBool) {
        Expected(
            fmt::format("an orderable literal after {} (booleans only compare with = and !=)", Text(op)));
      } else if (tok_.kind == Tok::kLParen) {
        Expected(fmt::format("a single literal after {} (use IN for a set)", Text(op)));
      } else {
        Expected(fmt::format("a literal after {}", Text(op)));
      }
      return;
    }
    CheckLiteralFits(leaf, tok_, op.kind == Tok::kEq || op.kind == Tok::kNeq);
    Advance();
  }

  void ParseSet(const Cursor& leaf) {
    if (failed_) return;
    if (!Expect(Tok::kLParen, "'(' to start the set after IN")) return;
    if (Accept(Tok::kRParen)) return;
    while (!failed_) {
      if (!IsLiteral(tok_.kind, true)) {
        Expected("a literal in the set");
        return;
      }
      CheckLiteralFits(leaf, tok_, /*equality=*/true);
      Advance();
      if (failed_) return;
      if (Accept(Tok::kRParen)) return;
      if (!Expect(Tok::kComma, "',' or ')' in the set")) return;
    }
  }

  // ---- object paths ----

  // The text of a path component: an identifier, or a string literal without quotes and escapes.
  std::string ComponentName(const Token& t) const {
    const std::string_view text = Text(t);
    if (t.kind != Tok::kString) return std::string(text);
    std::string out;
    out.reserve(text.size());
    for (size_t i = 1; i + 1 < text.size(); ++i) {
      if (text[i] == '\\' && i + 2 < text.size()) ++i;
      out += text[i];
    }
    return out;
  }

  // Reads a property component (identifier without '-' or a quoted string) into *out.
  bool ParsePropertyName(std::string_view what, Token* out) {
    if (tok_.kind == Tok::kString) {
      *out = tok_;
      Advance();
      return !failed_;
    }
    if (tok_.kind == Tok::kIdent || (tok_.kind >= Tok::kAnd && tok_.kind <= Tok::kLast) ||
        tok_.kind == Tok::kBool) {
      const std::string_view text = Text(tok_);
      if (text.find('-') != std::string_view::npos) {
        if (!failed_) {
          failed_ = true;
          Error(tok_.begin, fmt::format("property name {} at offset {} contains '-': quote it as '{}'",
                                        Quote(text), tok_.begin, text));
        }
        return false;
      }
      if (tok_.kind != Tok::kIdent) {
        Expected(fmt::format("{} (quote reserved words: '{}')", what, text));
        return false;
      }
      *out = tok_;
      Advance();
      return !failed_;
    }
    Expected(what);
    return false;
  }

  // objectType ':' firstComponent ('.' component | '[' index ']')*. Returns the root type; *leaf
  // gets the cursor at the end of the path.
  TypeSet ParseObjectPath(Cursor* leaf) {
    if (tok_.kind != Tok::kIdent) {
      Expected("an object path such as file:name");
      return {};
    }
    const Token type_tok = tok_;
    const std::string_view type = Text(type_tok);
    Advance();
    if (!Accept(Tok::kColon)) {
      Expected(fmt::format("':' after the object type {}", Quote(type)));
      return {};
    }
    Cursor cursor = CheckObjectType(type_tok);
    if (failed_) return {};
    Token name;
    if (!ParsePropertyName("a property name after ':'", &name)) return {};
    StepKey(&cursor, ComponentName(name), name.begin);
    while (!failed_) {
      if (tok_.kind == Tok::kDot) {
        Advance();
        if (failed_) break;
        if (!ParsePropertyName("a property name after '.'", &name)) break;
        StepKey(&cursor, ComponentName(name), name.begin);
      } else if (tok_.kind == Tok::kLBrack) {
        Advance();
        if (failed_) break;
        const Token index = tok_;
        if (index.kind != Tok::kInt && index.kind != Tok::kStar) {
          Expected("a list index (an integer or *)");
          break;
        }
        Advance();
        if (!Expect(Tok::kRBrack, "']' to close the list index")) break;
        StepIndex(&cursor, index);
      } else {
        break;
      }
    }
    *leaf = cursor;
    return TypeSet::Of(type);
  }

  Cursor CheckObjectType(const Token& t) {
    const std::string_view type = Text(t);
    Cursor c;
    if (const ScoType* sco = FindScoType(type)) {
      c.mode = Cursor::Mode::kTypes;
      c.types = std::span<const std::string_view>(&sco->name, 1);
      return c;
    }
    if (type.starts_with("x-")) return c;  // custom observable: its properties are unknown
    if (IsNonObservableStixType(type)) {
      Error(t.begin, fmt::format("{} at offset {} is not a Cyber-observable Object type: patterns match SCOs "
                                 "(file, ipv4-addr, url, ...)",
                                 Quote(type), t.begin));
      return c;
    }
    if (Full(true)) {
      ++dropped_;
      return c;
    }
    const std::string_view suggestion = SuggestType(type);
    if (!suggestion.empty()) {
      Error(t.begin, fmt::format("unknown object type {} at offset {} (did you mean '{}'?)", Quote(type),
                                 t.begin, suggestion));
    } else {
      Error(t.begin,
            fmt::format("unknown object type {} at offset {}: not a STIX 2.1 SCO type, and custom types "
                        "start with 'x-'",
                        Quote(type), t.begin));
    }
    return c;
  }

  // The union of the reference targets of property `name` over `types`; empty (any type) when one
  // of them may point anywhere. The storage lives as long as the checker.
  std::span<const std::string_view> MergedTargets(std::span<const std::string_view> types,
                                                  std::string_view name) {
    std::vector<std::string_view>& merged = merged_targets_.emplace_back();
    for (std::string_view type_name : types) {
      const ScoType* type = FindScoType(type_name);
      const ScoProperty* p = type != nullptr ? FindScoProperty(*type, name) : nullptr;
      if (p == nullptr) continue;
      if (p->ref_types.empty()) return {};
      for (std::string_view target : p->ref_types) {
        if (std::find(merged.begin(), merged.end(), target) == merged.end()) merged.push_back(target);
      }
    }
    return merged;
  }

  static bool IsCustomName(std::string_view name) { return name.starts_with("x_") || name.starts_with("x-"); }

  void StepKey(Cursor* c, const std::string& name, size_t offset) {
    using Mode = Cursor::Mode;
    switch (c->mode) {
      case Mode::kStop:
        return;
      case Mode::kTypes: {
        // A reference may point to several types: the property is looked up on each, and where
        // more than one has it their reference targets are merged (domain-name and ipv4-addr
        // both have resolves_to_refs, with different targets).
        const ScoProperty* found = nullptr;
        std::string_view found_on;
        bool mixed_kinds = false;
        bool merge_targets = false;
        for (std::string_view type_name : c->types) {
          const ScoType* type = FindScoType(type_name);
          if (type == nullptr) {  // a reference to a non-SCO (marking-definition): not checked
            *c = Cursor{};
            return;
          }
          const ScoProperty* p = FindScoProperty(*type, name);
          if (p == nullptr) continue;
          if (found == nullptr) {
            found = p;
            found_on = type->name;
          } else if (p->kind != found->kind) {
            mixed_kinds = true;
          } else if (p->is_ref && !std::equal(p->ref_types.begin(), p->ref_types.end(),
                                              found->ref_types.begin(), found->ref_types.end())) {
            merge_targets = true;
          }
        }
        if (found != nullptr) {
          const std::span<const std::string_view> looked_up = c->types;
          if (mixed_kinds) {
            *c = Cursor{};
            return;
          }
          *c = AtProperty(*found, found_on);
          c->prop_types = looked_up;
          if (merge_targets) {
            c->targets = MergedTargets(looked_up, name);
            if (c->mode == Mode::kTypes) c->types = c->targets;
            if (c->targets.empty() && c->mode == Mode::kTypes) c->mode = Mode::kStop;
          }
          return;
        }
        if (!IsCustomName(name)) {
          std::string owner;
          for (size_t i = 0; i < c->types.size(); ++i) {
            if (i > 0) owner += " or ";
            owner += c->types[i];
          }
          std::string hint;
          if (c->types.size() == 1) {
            const std::string_view renamed = RenamedIn21(c->types[0], name);
            if (!renamed.empty()) hint = fmt::format(" (STIX 2.0 name; STIX 2.1 uses '{}')", renamed);
          }
          Warning(offset,
                  fmt::format("unknown property {} of {} at offset {}{}", Quote(name), owner, offset, hint));
        }
        *c = Cursor{};
        return;
      }
      case Mode::kProps: {
        if (const ScoProperty* p = FindIn(c->props, name)) {
          *c = AtProperty(*p, c->owner);
          return;
        }
        if (!IsCustomName(name)) {
          Warning(offset,
                  fmt::format("unknown property {} of {} at offset {}", Quote(name), c->owner, offset));
        }
        *c = Cursor{};
        return;
      }
      case Mode::kExtensions: {
        const ScoExtension* ext = FindScoExtension(name);
        if (ext == nullptr) {
          if (!IsCustomName(name) && !name.starts_with("extension-definition--")) {
            Warning(offset,
                    fmt::format("unknown extension {} of {} at offset {} (predefined extensions end in "
                                "'-ext'; custom ones are extension-definition ids)",
                                Quote(name), c->owner, offset));
          }
          *c = Cursor{};
          return;
        }
        if (ext->owner_type != c->owner) {
          Warning(offset, fmt::format("extension {} at offset {} belongs to {}, not {}", Quote(name), offset,
                                      ext->owner_type, c->owner));
        }
        Cursor next;
        next.mode = Mode::kProps;
        next.props = ext->properties;
        next.owner = ext->name;
        *c = next;
        return;
      }
      case Mode::kAnyKey:
        *c = Cursor{};
        return;
      case Mode::kHashKeys: {
        const std::string_view suggestion = SuggestHashAlgorithm(name);
        if (!suggestion.empty()) {
          Warning(offset,
                  fmt::format("hash algorithm {} at offset {} is not spelt as in hashing-algorithm-ov: "
                              "write '{}'",
                              Quote(name), offset, suggestion));
        }
        Cursor next;
        next.mode = Mode::kScalar;
        next.leaf_known = true;
        next.leaf = ValueKind::kString;
        next.prop = c->prop;
        for (std::string_view algorithm : HashAlgorithms()) {
          if (algorithm == name) next.hash_algorithm = algorithm;
        }
        *c = next;
        return;
      }
      case Mode::kScalar:
        Warning(offset, fmt::format("{} holds {}: it has no property {} (offset {})",
                                    c->prop != nullptr ? Quote(c->prop->name) : "the value",
                                    KindName(c->leaf), Quote(name), offset));
        *c = Cursor{};
        return;
      case Mode::kList: {
        Warning(offset, fmt::format("{} is a list: index it with [*] or [n] before {} (offset {})",
                                    Quote(c->prop->name), Quote(name), offset));
        *c = AtElement(*c);
        StepKey(c, name, offset);  // AtElement never returns kList: one level only
        return;
      }
    }
  }

  void StepIndex(Cursor* c, const Token& index) {
    if (index.kind == Tok::kInt && Text(index).front() == '-') {
      Warning(index.begin, fmt::format("negative list index {} at offset {} never matches",
                                       Quote(Text(index)), index.begin));
    }
    if (c->mode == Cursor::Mode::kList) {
      *c = AtElement(*c);
      return;
    }
    if (c->mode != Cursor::Mode::kStop && c->prop != nullptr) {
      Warning(index.begin, fmt::format("{} is not a list ({}): the index at offset {} never matches",
                                       Quote(c->prop->name), KindName(c->prop->kind), index.begin));
    }
    *c = Cursor{};
  }

  std::string_view p_;
  size_t pos_ = 0;
  Token tok_;
  bool failed_ = false;
  size_t depth_ = 0;
  std::deque<std::vector<std::string_view>> merged_targets_;  // see MergedTargets
  size_t errors_ = 0;
  size_t warnings_ = 0;
  size_t dropped_ = 0;
  std::vector<PatternIssue> issues_;
};

}  // namespace

std::vector<PatternIssue> CheckPattern(std::string_view pattern) { return Checker(pattern).Run(); }

bool HasPatternErrors(const std::vector<PatternIssue>& issues) {
  return std::any_of(issues.begin(), issues.end(), [](const PatternIssue& i) { return i.error; });
}

}  // namespace prose2stix::validate
