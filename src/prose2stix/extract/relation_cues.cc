// Method: each cue list is a constant array of lower-case words tagged with its class bit. At
// compile time all lists are folded into one open-addressing hash table (word -> union of bits,
// 1024 slots for ~230 words, with a byte array of tags beside them) and a filter: for each first byte, the set of lengths of the words
// that start with it. Classify() first asks the filter, which turns away most tokens of prose
// (capitalised names, numbers, punctuation, long words) with two loads; the others are hashed from
// their length and first eight bytes (one load and a mask) and probed linearly; a slot keeps
// those eight bytes as a number, so most comparisons are one integer compare. Nothing is built at
// run time, so there is no initialisation guard on the hot path.
#include "prose2stix/extract/relation_cues.h"

#include <array>
#include <bit>
#include <cstddef>
#include <cstring>
#include <span>
#include <type_traits>

namespace prose2stix::extract::relation_cues {

namespace {

constexpr std::string_view kTargetVerbs[] = {
    "targeted", "targeting", "targets", "attacked", "attacking", "breached", "breaching", "compromised",
    "compromising", "hacked", "infiltrated", "infiltrating", "infiltrate", "spied", "spying", "stealing",
    "stole", "steal", "siphoning", "siphoned", "exfiltrated", "exfiltrating", "penetrated", "hit",
    "struck", "victimized", "target", "attack", "breach", "infected", "infecting", "phished",
    "intrusions", "intrusion", "attacks", "hacking", "harvesting", "collecting", "accessed"};
constexpr std::string_view kSupplyWords[] = {
    "provided", "provide", "provides", "providing", "supplied", "supplies", "supply", "supplying", "sold",
    "sells", "selling", "providers", "provider", "suppliers", "supplier", "aiding", "aided", "supporting",
    "supported", "helped", "helping"};
constexpr std::string_view kSanctionWords[] = {"sanctioned", "sanctions", "sanctioning", "indicted", "charged"};
constexpr std::string_view kAttribWords[] = {
    "sponsored", "backed", "operated", "run", "controlled", "directed", "funded", "employed", "works",
    "working", "work", "worked", "on", "unit", "part", "arm", "division", "linked", "tied", "ties",
    "connected", "connections", "links", "associated", "affiliated", "attributed", "sponsors", "sponsor",
    "runs", "operates", "controls", "directs", "behind"};
constexpr std::string_view kReportingVerbs[] = {
    "linked", "attributed", "tied", "connected", "said", "says", "reported", "observed", "assessed",
    "assesses", "believes", "identified", "discovered", "tracks", "tracked", "named", "accused",
    "published", "warned", "told", "described", "detected", "uncovered", "disclosed", "found"};
constexpr std::string_view kContrasts[] = {"while", "whereas", "but", "although"};
constexpr std::string_view kVictimNouns[] = {"victims", "targets"};
constexpr std::string_view kVictimListVerbs[] = {"include", "included", "includes", "including", "were", "are"};
constexpr std::string_view kDemonstratives[] = {"the", "this", "that"};
constexpr std::string_view kAnaphorModifiers[] = {"threat", "hacking", "hacker", "cyber", "espionage", "apt"};
constexpr std::string_view kAnaphorNouns[] = {"group",     "hackers",  "actor", "actors",    "gang",      "attackers",
                                              "operators", "crew",     "adversary", "apt", "intruders", "collective"};
constexpr std::string_view kCompanyNouns[] = {"company", "firm", "contractor", "vendor", "supplier"};
constexpr std::string_view kNounCues[] = {"target", "attack", "attacks", "breach", "intrusion", "intrusions", "hacking"};
constexpr std::string_view kNounCuePreps[] = {"on", "against", "into", "of"};
constexpr std::string_view kArticles[] = {"the", "a", "an"};
constexpr std::string_view kModifierPreps[] = {"for", "with", "by", "from", "than", "about", "like", "to"};
constexpr std::string_view kObjectStops[] = {
    "according", "said", "says", "told", "while", "whereas", "but", "which", "who", "that", "with",
    "using", "via", "through", "after", "because", "when", "impersonating", "posing", "pretending",
    "disguised", "including"};
constexpr std::string_view kPossessives[] = {"its", "their"};
constexpr std::string_view kAidVerbs[] = {"aiding", "aided", "supporting", "supported", "helped", "helping"};
constexpr std::string_view kStateBackedWords[] = {"state-backed",  "state-sponsored", "nation-state",
                                                  "government-backed", "state-linked", "state-aligned",
                                                  "state-affiliated"};
constexpr std::string_view kStateSuffixes[] = {"-backed", "-sponsored", "sponsored", "backed"};
constexpr std::string_view kSpyWords[] = {"espionage", "cyber-espionage", "cyberespionage", "spying", "spy"};
constexpr std::string_view kCrimeWords[] = {"cybercriminal", "cybercriminals", "cybercrime", "criminal", "criminals"};
constexpr std::string_view kRansomwareNouns[] = {"gang", "group", "operators", "crew", "affiliate"};
constexpr std::string_view kActivistWords[] = {"hacktivist", "hacktivists", "hacktivism"};
constexpr std::string_view kActiveWords[] = {"active", "operating", "operational", "around", "existed"};
constexpr std::string_view kModifiers[] = {"'s",        "-",     "linked", "based", "backed", "state-sponsored",
                                           "state-backed", "sponsored", "nexus", "aligned", "state", "the"};
constexpr std::string_view kActorModifiers[] = {
    "hacking", "hacker", "threat", "group", "actor", "apt", "cyber", "espionage", "cyberespionage", "hackers",
    "gang", "advanced", "persistent", "nation-state"};
constexpr std::string_view kOrgModifiers[] = {
    "firm", "company", "technology", "security", "cybersecurity", "telecom", "government", "state-owned",
    "tech", "defense", "defence", "contractor"};
constexpr std::string_view kToldSaidWords[] = {"told", "said"};
// The words that start an actor attribute besides the lists of kStateBacked, kSpyWord,
// kCrimeWord and kActivistWord (see kActorAttribute).
constexpr std::string_view kAttributeStarts[] = {"state", "financially", "ransomware", "since", "in"};

struct List {
  Classes bits;
  std::span<const std::string_view> words;
};

constexpr List kLists[] = {
    {kTargetVerb, kTargetVerbs},
    {kSupplyWord, kSupplyWords},
    {kSanctionWord, kSanctionWords},
    {kAttribWord, kAttribWords},
    {kReportingVerb, kReportingVerbs},
    {kContrast, kContrasts},
    {kVictimNoun, kVictimNouns},
    {kVictimListVerb, kVictimListVerbs},
    {kDemonstrative, kDemonstratives},
    {kAnaphorModifier, kAnaphorModifiers},
    {kAnaphorNoun, kAnaphorNouns},
    {kCompanyNoun, kCompanyNouns},
    {kNounCue, kNounCues},
    {kNounCuePrep, kNounCuePreps},
    {kArticle, kArticles},
    {kModifierPrep, kModifierPreps},
    {kObjectStop, kObjectStops},
    {kPossessive, kPossessives},
    {kAidVerb, kAidVerbs},
    {kStateBacked | kActorAttribute, kStateBackedWords},
    {kStateSuffix, kStateSuffixes},
    {kSpyWord | kActorAttribute, kSpyWords},
    {kCrimeWord | kActorAttribute, kCrimeWords},
    {kRansomwareNoun, kRansomwareNouns},
    {kActivistWord | kActorAttribute, kActivistWords},
    {kActiveWord, kActiveWords},
    {kModifier, kModifiers},
    {kActorModifier, kActorModifiers},
    {kOrgModifier, kOrgModifiers},
    {kToldSaid, kToldSaidWords},
    {kActorAttribute, kAttributeStarts},
};

constexpr unsigned U(char c) { return static_cast<unsigned char>(c); }

constexpr size_t kSlotBits = 10;
constexpr size_t kSlots = size_t{1} << kSlotBits;
constexpr size_t kMaxWordSize = 19;  // longest word a slot holds; the lists' longest has 17 bytes

// A word in a slot: its first 8 bytes as a little-endian number (byte 0 lowest, zero-padded) and
// the bytes after them.
struct Slot {
  uint64_t head = 0;
  Classes bits = 0;
  char tail[kMaxWordSize - 8] = {};
};

struct Table {
  // One byte per slot, read first: 0 for an empty slot, else Tag() of its word. The probes of a
  // word in no list mostly end here, within 1 KB that stays in cache; a slot is read only when
  // its tag matches.
  std::array<uint8_t, kSlots> tags{};
  std::array<Slot, kSlots> slots{};
  // Bit n of lengths[b] is set when some word of n bytes starts with byte b.
  std::array<uint32_t, 256> lengths{};
};

// The first min(n, 8) bytes at p as a Slot::head. `avail` (>= n) bytes may be read at p: with 8
// of them on a little-endian machine this is one load and a mask.
constexpr uint64_t Head(const char* p, size_t n, size_t avail) {
  const size_t k = n < 8 ? n : 8;
  if (!std::is_constant_evaluated() && std::endian::native == std::endian::little && avail >= 8) {
    uint64_t x = 0;
    std::memcpy(&x, p, 8);
    return k == 8 ? x : x & ((uint64_t{1} << (8 * k)) - 1);
  }
  uint64_t x = 0;
  for (size_t i = 0; i < k; ++i) x |= uint64_t{U(p[i])} << (8 * i);
  return x;
}

// A multiplicative hash of an `n`-byte word's head and length. Its high kSlotBits bits pick the
// slot to start probing at (Home); the 3 bits below them go into the tag.
constexpr uint64_t Hash(uint64_t head, size_t n) { return (head ^ (uint64_t{n} << 59)) * 0x9E3779B97F4A7C15ull; }
constexpr size_t Home(uint64_t hash) { return static_cast<size_t>(hash >> (64 - kSlotBits)); }
// The word's length (1 to 19, so never 0) in the high 5 bits, 3 hash bits in the low ones.
constexpr uint8_t Tag(uint64_t hash, size_t n) {
  return static_cast<uint8_t>(n << 3 | ((hash >> (61 - kSlotBits)) & 7));
}
static_assert(kMaxWordSize < 32, "the length must fit in a tag's 5 bits");

constexpr bool SameBytes(const char* a, const char* b, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

constexpr Table BuildTable() {
  Table t;
  for (const List& list : kLists) {
    for (std::string_view w : list.words) {
      if (w.empty() || w.size() > kMaxWordSize) continue;  // excluded by the static_assert below
      t.lengths[U(w[0])] |= uint32_t{1} << w.size();
      const uint64_t head = Head(w.data(), w.size(), w.size());
      const uint64_t hash = Hash(head, w.size());
      const uint8_t tag = Tag(hash, w.size());
      const size_t rest = w.size() > 8 ? w.size() - 8 : 0;
      for (size_t i = Home(hash);; i = (i + 1) & (kSlots - 1)) {
        Slot& s = t.slots[i];
        if (t.tags[i] == 0) {
          t.tags[i] = tag;
          s.head = head;
          for (size_t k = 0; k < rest; ++k) s.tail[k] = w[8 + k];
          s.bits = list.bits;
          break;
        }
        if (t.tags[i] == tag && s.head == head && (rest == 0 || SameBytes(s.tail, w.data() + 8, rest))) {
          s.bits |= list.bits;
          break;
        }
      }
    }
  }
  return t;
}

constexpr bool AllWordsFit() {
  for (const List& list : kLists)
    for (std::string_view w : list.words)
      if (w.empty() || w.size() > kMaxWordSize) return false;
  return true;
}
static_assert(AllWordsFit(), "every cue word must be non-empty and fit in a slot");

constexpr Table kTable = BuildTable();

// The classes of the n bytes at p, of which `avail` (>= n) may be read.
inline Classes Lookup(const char* p, size_t n, size_t avail) {
  if (n == 0 || n > kMaxWordSize) return 0;
  if (((kTable.lengths[U(p[0])] >> n) & 1u) == 0) return 0;
  const uint64_t head = Head(p, n, avail);
  const uint64_t hash = Hash(head, n);
  const uint8_t tag = Tag(hash, n);
  for (size_t i = Home(hash);; i = (i + 1) & (kSlots - 1)) {
    const uint8_t t = kTable.tags[i];
    if (t == 0) return 0;
    if (t != tag) continue;
    const Slot& s = kTable.slots[i];
    if (s.head == head && (n <= 8 || SameBytes(s.tail, p + 8, n - 8))) return s.bits;
  }
}

}  // namespace

Classes Classify(std::string_view lower) { return Lookup(lower.data(), lower.size(), lower.size()); }

void ClassifyTokens(std::string_view lower_text, std::span<const text::Token> tokens, Classes* out) {
  const char* text = lower_text.data();
  for (const text::Token& t : tokens) *out++ = Lookup(text + t.begin, t.end - t.begin, lower_text.size() - t.begin);
}

std::vector<std::string_view> ClassWords(Classes one_class) {
  std::vector<std::string_view> out;
  for (const List& list : kLists) {
    if ((list.bits & one_class) == 0) continue;
    out.insert(out.end(), list.words.begin(), list.words.end());
  }
  return out;
}

}  // namespace prose2stix::extract::relation_cues
