// The single-word lists are compiled, at first use, into one WordTable: lower-case lists under
// their words with the bits of the first WordClasses group, case-sensitive lists under their
// spellings with the bits of the second. Classify() looks up the lower-cased word and, when it
// has capitals, the word itself, and keeps from each lookup only the bits of its group; the Is...
// functions are single lookups. The relation cue lists (relation_cues.cc) share the table, their
// classes shifted into the high 32 bits and matched like the first group. Cities are matched on
// the text, by their first two bytes.
#include "prose2stix/extract/lexicon.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <string>
#include <vector>

#include "prose2stix/extract/relation_cues.h"
#include "prose2stix/extract/word_table.h"
#include "prose2stix/util/hash.h"

namespace prose2stix::extract::lexicon {

namespace {

constexpr WordClasses kLowerClasses = kGroupNoun | kThreatWord | kOrgCueNoun | kPersonTitle | kSpeechVerb | kAgentVerb |
                                       kNameCue | kMalwareNoun | kRelationCueClasses;
constexpr WordClasses kExactClasses = kOrgDesignator | kOrgOpener | kCommonCapitalised | kActorFamily | kCapital;
static_assert((kLowerClasses & kExactClasses) == 0);

bool StartsUpper(std::string_view w) { return !w.empty() && w[0] >= 'A' && w[0] <= 'Z'; }

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Vendor naming families. Microsoft (2023 taxonomy): weather events name the origin;
// CrowdStrike: animals; Secureworks: colours/elements (noun first, all caps).
constexpr ActorFamily kFamilies[] = {
    {"Typhoon", "CN", "nation-state", false},   {"Blizzard", "RU", "nation-state", false},
    {"Sandstorm", "IR", "nation-state", false}, {"Sleet", "KP", "nation-state", false},
    {"Hail", "KR", "nation-state", false},      {"Dust", "TR", "nation-state", false},
    {"Cyclone", "VN", "nation-state", false},   {"Rain", "LB", "nation-state", false},
    {"Tempest", "", "crime-syndicate", false},  {"Tsunami", "", "", false},
    {"Flood", "", "", false},                   {"Panda", "CN", "nation-state", false},
    {"Bear", "RU", "nation-state", false},      {"Kitten", "IR", "nation-state", false},
    {"Chollima", "KP", "nation-state", false},  {"Tiger", "IN", "nation-state", false},
    {"Leopard", "PK", "nation-state", false},   {"Buffalo", "VN", "nation-state", false},
    {"Crane", "KR", "nation-state", false},     {"Ocelot", "CO", "nation-state", false},
    {"Spider", "", "crime-syndicate", false},   {"Jackal", "", "activist", false},
    {"BRONZE", "CN", "nation-state", true},     {"IRON", "RU", "nation-state", true},
    {"COBALT", "IR", "nation-state", true},     {"NICKEL", "KP", "nation-state", true},
    {"GOLD", "", "crime-syndicate", true},
};

constexpr std::string_view kNumberedPrefixes[] = {
    "APT", "APT-C-", "CL-CRI-", "CL-STA-", "DEV-", "FIN",  "G",    "SectorA", "SectorB", "SectorC", "Storm-",
    "TA",  "TAG-",   "TEMP.",   "TG-",    "TGR-", "UAC-", "UAT-", "UNC",     "UNK",     "Void",    "Z"};

constexpr std::string_view kGroupNouns[] = {
    "actor",  "actors", "apt",    "clan",   "cluster",   "collective", "crew",   "faction",
    "gang",   "gangs",  "group",  "groups", "hackers",   "operation",  "operator", "operators",
    "outfit", "ring",   "syndicate", "team", "threat",   "unit",       "adversary", "affiliate"};

constexpr std::string_view kThreatWords[] = {
    "apt",          "attack",       "attacker",    "attackers",  "attacks",      "backdoor",
    "breach",       "campaign",     "campaigns",   "cyber",      "cyberattack",  "cyberattacks",
    "cybercrime",   "cybercriminal", "cyberespionage", "espionage", "exploit",    "exploited",
    "hack",         "hacked",       "hacker",      "hackers",    "hacking",      "intrusion",
    "intrusions",   "malware",      "phishing",    "ransomware", "spear-phishing", "spying",
    "state-backed", "state-sponsored", "targeted", "targeting",  "threat",       "trojan"};

constexpr std::string_view kOrgDesignators[] = {
    "AG",          "Agency",      "Airlines",    "Airways",     "Association", "Authority",   "Bank",
    "Bureau",      "Co",          "Co.",         "College",     "Command",     "Commission",  "Committee",
    "Communications", "Company",  "Consulting",  "Corp",        "Corp.",       "Corporation", "Council",
    "Department",  "Electric",    "Electronics", "Energy",      "Enterprises", "Forces",      "Foundation",
    "GmbH",        "Group",       "Holding",     "Holdings",    "Hospital",    "Inc",         "Inc.",
    "Industries",  "Information", "Institute",   "Insurance",   "Intelligence", "International", "LLC",
    "LLP",         "Labs",        "Laboratories", "Limited",    "Ltd",         "Ltd.",        "Media",
    "Ministry",    "Motors",      "Network",     "Networks",    "Office",      "Oil",         "PLC",
    "Partners",    "Pharmaceuticals", "Police",  "Research",    "S.A.",        "SA",          "SE",
    "Security",    "Service",     "Services",    "Software",    "Solutions",   "Systems",     "Tech",
    "Technologies", "Technology", "Telecom",     "Telecommunications", "University", "Ventures", "plc"};

constexpr std::string_view kOrgOpeners[] = {
    "Agency", "Bank", "Bureau", "Center", "Centre", "College", "Commission", "Committee",
    "Council", "Department", "Institute", "Ministry", "Office", "School", "Secretariat", "University"};

constexpr std::string_view kOrgCueNouns[] = {
    "bank",     "company", "contractor", "developer", "firm",     "group",
    "insurer",  "maker",   "manufacturer", "operator", "organisation", "organization",
    "provider", "startup", "subsidiary", "supplier", "university", "vendor",  "exchange", "retailer",
    "airline",  "carrier", "broadcaster", "publisher"};

constexpr std::string_view kTitles[] = {
    "ambassador", "analyst",    "ceo",        "chair",       "chairman",   "chairwoman", "chancellor",
    "chief",      "ciso",       "commander",  "commissioner", "congressman", "congresswoman", "cso",
    "cto",        "deputy",     "director",   "dr.",         "founder",    "general",    "gen.",
    "governor",   "head",       "investigator", "lead",      "leader",     "manager",    "minister",
    "mr.",        "mrs.",       "ms.",        "official",    "president",  "prof.",      "professor",
    "rep.",       "representative", "researcher", "sec.",    "secretary",  "sen.",       "senator",
    "specialist", "spokesman",  "spokesperson", "spokeswoman", "vice",     "assistant",  "vp",
    "svp",        "evp",        "cio",        "cfo",         "coo"};

constexpr std::string_view kSpeechVerbs[] = {
    "added",   "announced", "commented", "confirmed", "explained", "noted", "reported", "said",
    "says",    "stated",    "tells",     "testified", "told",      "warned", "writes",  "wrote"};

struct Capital {
  std::string_view city;
  std::string_view country;
};
constexpr Capital kCapitals[] = {
    {"Ankara", "TR"},    {"Beijing", "CN"}, {"Berlin", "DE"},    {"Brussels", "BE"}, {"Canberra", "AU"},
    {"Jerusalem", "IL"}, {"Kiev", "UA"},    {"Kremlin", "RU"},   {"Kyiv", "UA"},     {"London", "GB"},
    {"Minsk", "BY"},     {"Moscow", "RU"},  {"New Delhi", "IN"}, {"Ottawa", "CA"},   {"Paris", "FR"},
    {"Pyongyang", "KP"}, {"Riyadh", "SA"},  {"Seoul", "KR"},     {"Taipei", "TW"},   {"Tehran", "IR"},
    {"Tokyo", "JP"},     {"Washington", "US"}, {"Islamabad", "PK"}, {"Hanoi", "VN"}, {"Damascus", "SY"}};

constexpr Capital kCities[] = {
    {"Abu Dhabi", "AE"}, {"Accra", "GH"}, {"Addis Ababa", "ET"}, {"Almaty", "KZ"},
    {"Amman", "JO"}, {"Amsterdam", "NL"}, {"Ankara", "TR"}, {"Astana", "KZ"},
    {"Athens", "GR"}, {"Atlanta", "US"}, {"Auckland", "NZ"}, {"Baghdad", "IQ"},
    {"Baku", "AZ"}, {"Bangalore", "IN"}, {"Bangkok", "TH"}, {"Barcelona", "ES"},
    {"Beijing", "CN"}, {"Beirut", "LB"}, {"Belgrade", "RS"}, {"Bengaluru", "IN"},
    {"Berlin", "DE"}, {"Bogota", "CO"}, {"Boston", "US"}, {"Brussels", "BE"},
    {"Bucharest", "RO"}, {"Budapest", "HU"}, {"Buenos Aires", "AR"}, {"Cairo", "EG"},
    {"California", "US"}, {"Canberra", "AU"}, {"Caracas", "VE"}, {"Chengdu", "CN"},
    {"Chicago", "US"}, {"Copenhagen", "DK"}, {"Crimea", "UA"}, {"Damascus", "SY"},
    {"Delhi", "IN"}, {"Dhaka", "BD"}, {"Doha", "QA"}, {"Donetsk", "UA"},
    {"Dubai", "AE"}, {"Dublin", "IE"}, {"Florida", "US"}, {"Frankfurt", "DE"},
    {"Gaza", "PS"}, {"Geneva", "CH"}, {"Guangdong", "CN"}, {"Guangzhou", "CN"},
    {"Hangzhou", "CN"}, {"Hanoi", "VN"}, {"Havana", "CU"}, {"Helsinki", "FI"},
    {"Ho Chi Minh City", "VN"}, {"Houston", "US"}, {"Islamabad", "PK"}, {"Istanbul", "TR"},
    {"Jakarta", "ID"}, {"Jeddah", "SA"}, {"Jerusalem", "IL"}, {"Johannesburg", "ZA"},
    {"Kabul", "AF"}, {"Karachi", "PK"}, {"Kathmandu", "NP"}, {"Kharkiv", "UA"},
    {"Khartoum", "SD"}, {"Kiev", "UA"}, {"Kyiv", "UA"}, {"Lagos", "NG"},
    {"Lahore", "PK"}, {"Lima", "PE"}, {"Lisbon", "PT"}, {"London", "GB"},
    {"Los Angeles", "US"}, {"Luhansk", "UA"}, {"Lviv", "UA"}, {"Madrid", "ES"},
    {"Manila", "PH"}, {"Maryland", "US"}, {"Melbourne", "AU"}, {"Mexico City", "MX"},
    {"Milan", "IT"}, {"Minsk", "BY"}, {"Montreal", "CA"}, {"Moscow", "RU"},
    {"Mumbai", "IN"}, {"Munich", "DE"}, {"Nairobi", "KE"}, {"New Delhi", "IN"},
    {"New York City", "US"}, {"New York", "US"}, {"Odesa", "UA"}, {"Odessa", "UA"},
    {"Oslo", "NO"}, {"Ottawa", "CA"}, {"Paris", "FR"}, {"Prague", "CZ"},
    {"Pyongyang", "KP"}, {"Quebec", "CA"}, {"Rabat", "MA"}, {"Riga", "LV"},
    {"Rio de Janeiro", "BR"}, {"Riyadh", "SA"}, {"Rome", "IT"}, {"Saint Petersburg", "RU"},
    {"San Francisco", "US"}, {"Santiago", "CL"}, {"Sao Paulo", "BR"}, {"Seattle", "US"},
    {"Seoul", "KR"}, {"Shanghai", "CN"}, {"Shenzhen", "CN"}, {"Silicon Valley", "US"},
    {"Sofia", "BG"}, {"St. Petersburg", "RU"}, {"Stockholm", "SE"}, {"Sydney", "AU"},
    {"Taipei", "TW"}, {"Tallinn", "EE"}, {"Tashkent", "UZ"}, {"Tbilisi", "GE"},
    {"Tehran", "IR"}, {"Tel Aviv", "IL"}, {"Texas", "US"}, {"The Hague", "NL"},
    {"Tibet", "CN"}, {"Tokyo", "JP"}, {"Toronto", "CA"}, {"Tripoli", "LY"},
    {"Tunis", "TN"}, {"Vancouver", "CA"}, {"Vienna", "AT"}, {"Vilnius", "LT"},
    {"Virginia", "US"}, {"Warsaw", "PL"}, {"Washington", "US"}, {"Washington D.C.", "US"},
    {"Washington, D.C.", "US"}, {"Wellington", "NZ"}, {"Wuhan", "CN"}, {"Xinjiang", "CN"},
    {"Yerevan", "AM"}, {"Zurich", "CH"}};

constexpr std::string_view kAgentVerbs[] = {
    "accused",  "accuses",  "announced", "blamed",  "blames",     "called",    "claimed",  "claims",
    "complain", "complained", "complains", "condemned", "condemns", "curbed",  "demanded", "denied",
    "denies",   "deny",     "dismissed", "has",     "have",       "imposed",   "insisted", "insists",
    "issued",   "maintains", "rejected", "rejects", "responded",  "retaliated", "said",    "says",
    "sanctioned", "urged",  "vowed",     "warned",  "wants",      "typically", "commented", "comments",
    "declined", "refused",  "reacted"};

// Words after which (or after "as" / "to as") the entity rules look for a name.
constexpr std::string_view kNameCues[] = {"known", "tracked",   "referred",  "dubbed", "called",
                                          "named", "nicknamed", "codenamed", "aka",    "a.k.a."};

// Nouns that name malware and other named things that are no threat group (the entity rules
// stop a group-context search at them).
constexpr std::string_view kMalwareNouns[] = {
    "malware", "backdoor", "trojan",   "ransomware", "tool",    "loader",  "implant",   "variant",
    "botnet",  "campaign", "operation", "stealer",   "rat",     "worm",    "exploit",   "vulnerability",
    "strain",  "family",   "framework", "site",      "website", "system",  "platform",  "program",
    "service", "app",      "application", "domain",  "forum",   "channel", "page",      "project",
    "method",  "technique", "persona",  "account",   "document", "file",   "script"};

constexpr std::string_view kCommonCapitalisedWords[] = {
    "A",        "About",    "According", "After",   "Again",    "Alongside", "Also",     "Although",
    "Among",    "An",       "And",       "Another", "Any",      "April",     "As",       "At",
    "August",   "Because",  "Before",    "Both",    "But",      "By",        "Data",     "December",
    "Despite",  "During",   "Each",      "Earlier", "Either",   "Every",     "February", "Figure",
    "Finally",  "First",    "For",       "Friday",  "From",     "Further",   "He",       "Her",
    "His",      "How",      "However",   "If",      "In",       "Instead",   "It",       "Its",
    "January",  "July",     "June",      "Last",    "Later",    "March",     "May",      "Meanwhile",
    "Monday",   "More",     "Most",      "Moreover", "New",     "No",        "Not",      "November",
    "October",  "Of",       "On",        "One",     "Other",    "Our",       "Over",     "Saturday",
    "September", "She",     "Since",     "So",      "Some",     "Such",      "Sunday",   "That",
    "The",      "Their",    "Then",      "There",   "These",    "They",      "This",     "Those",
    "Thursday", "To",       "Tuesday",   "We",      "Wednesday", "What",     "When",     "While"};

// Every list of single words with its class.
struct ClassList {
  WordClasses word_class;
  std::vector<std::string_view> words;
};

std::vector<ClassList> AllLists() {
  std::vector<ClassList> lists = {
      {kGroupNoun, {std::begin(kGroupNouns), std::end(kGroupNouns)}},
      {kThreatWord, {std::begin(kThreatWords), std::end(kThreatWords)}},
      {kOrgCueNoun, {std::begin(kOrgCueNouns), std::end(kOrgCueNouns)}},
      {kPersonTitle, {std::begin(kTitles), std::end(kTitles)}},
      {kSpeechVerb, {std::begin(kSpeechVerbs), std::end(kSpeechVerbs)}},
      {kAgentVerb, {std::begin(kAgentVerbs), std::end(kAgentVerbs)}},
      {kNameCue, {std::begin(kNameCues), std::end(kNameCues)}},
      {kMalwareNoun, {std::begin(kMalwareNouns), std::end(kMalwareNouns)}},
      {kOrgDesignator, {std::begin(kOrgDesignators), std::end(kOrgDesignators)}},
      {kOrgOpener, {std::begin(kOrgOpeners), std::end(kOrgOpeners)}},
      {kCommonCapitalised, {std::begin(kCommonCapitalisedWords), std::end(kCommonCapitalisedWords)}},
      {kActorFamily, {}},
      {kCapital, {}},
  };
  for (const ActorFamily& f : kFamilies) lists[11].words.push_back(f.noun);
  for (const Capital& c : kCapitals) lists[12].words.push_back(c.city);
  return lists;
}

std::vector<WordTable::Entry> TableEntries() {
  std::vector<WordTable::Entry> entries;
  for (const ClassList& list : AllLists()) {
    for (std::string_view w : list.words) entries.emplace_back(w, list.word_class);
  }
  for (const relation_cues::List& list : relation_cues::Lists()) {
    for (std::string_view w : list.words) entries.emplace_back(w, WordClasses{list.bits} << kRelationCueShift);
  }
  return entries;
}

const WordTable& Table() {
  static const WordTable kTable(TableEntries());
  return kTable;
}

// The longest word Classify() lower-cases; no list word is longer.
constexpr size_t kMaxWord = 32;

// 0x80 in each byte of `x` that is an ASCII capital, 0 elsewhere (no carry crosses bytes: each
// addend keeps a byte's low seven bits below 0x100).
inline uint64_t CapitalBytes(uint64_t x) {
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full, kHigh = 0x8080808080808080ull;
  const uint64_t t = x & kLow7;
  const uint64_t at_least_a = t + 0x3F3F3F3F3F3F3F3Full;   // high bit when >= 'A'
  const uint64_t above_z = t + 0x2525252525252525ull;      // high bit when > 'Z'
  return at_least_a & ~above_z & ~x & kHigh;
}

inline WordClasses ClassifyIn(const WordTable& table, std::string_view word) {
  const size_t n = word.size();
  if (n == 0 || n > table.max_size() || n > kMaxWord) return 0;
  // Lower-case and hash both spellings in one pass, 8 bytes at a time.
  char lower[kMaxWord + 8];
  uint64_t lower_hash = HashStart(n), word_hash = lower_hash, capitals = 0;
  uint64_t lower_head = 0, word_head = 0;  // the first chunks
  for (size_t i = 0; i < n; i += 8) {
    const uint64_t x = LoadChunk(word.data() + i, std::min<size_t>(8, n - i));
    const uint64_t caps = CapitalBytes(x);
    const uint64_t l = x | (caps >> 2);  // 0x80 >> 2 == 0x20, the case bit
    std::memcpy(lower + i, &l, 8);
    if (i == 0) {
      lower_head = l;
      word_head = x;
    }
    lower_hash = HashChunk(lower_hash, l);
    word_hash = HashChunk(word_hash, x);
    capitals |= caps;
  }
  const WordClasses of_lower = table.FindHashed(std::string_view(lower, n), lower_hash, lower_head);
  const WordClasses of_word = capitals != 0 ? table.FindHashed(word, word_hash, word_head) : of_lower;
  return (of_lower & kLowerClasses) | (of_word & kExactClasses);
}

}  // namespace

WordClasses Classify(std::string_view word) { return ClassifyIn(Table(), word); }

void ClassifyTokens(std::string_view text, std::span<const text::Token> tokens, WordClasses* out) {
  const WordTable& table = Table();
  // One-byte tokens (punctuation, mostly) from a table of all 256.
  static const std::array<WordClasses, 256> kByByte = [&table] {
    std::array<WordClasses, 256> t{};
    for (size_t c = 0; c < 256; ++c) {
      const char b[8] = {static_cast<char>(c)};  // a whole chunk, so no read can go past it
      t[c] = ClassifyIn(table, std::string_view(b, 1));
    }
    return t;
  }();
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string_view w = text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin);
    out[i] = w.size() == 1 ? kByByte[static_cast<unsigned char>(w[0])] : ClassifyIn(table, w);
  }
}

std::vector<std::string_view> ClassWords(WordClasses one_class) {
  for (ClassList& list : AllLists()) {
    if (list.word_class == one_class) return std::move(list.words);
  }
  return {};
}

const ActorFamily* FindActorFamily(std::string_view word) {
  if ((Table().Find(word) & kActorFamily) == 0) return nullptr;
  for (const ActorFamily& f : kFamilies) {
    if (f.noun == word) return &f;
  }
  return nullptr;
}

bool IsNumberedActorName(std::string_view token) {
  // The cheap tests first: most tokens end in a letter.
  if (token.size() < 3 || !StartsUpper(token) ||
      (!(token.back() >= '0' && token.back() <= '9') && token.rfind("TEMP.", 0) != 0) ||
      std::none_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  for (std::string_view p : kNumberedPrefixes) {
    if (token.size() <= p.size() || token.substr(0, p.size()) != p) continue;
    std::string_view rest = token.substr(p.size());
    if (!rest.empty() && rest[0] == '-' && p.back() != '-' && p.back() != '.') rest.remove_prefix(1);
    if (p == "G" || p == "Z" || p == "Void") continue;  // ATT&CK ids and rare schemes: not names alone
    if (p == "TEMP.") return rest.size() >= 3 && std::isupper(static_cast<unsigned char>(rest[0]));
    if (AllDigits(rest) && rest.size() <= 5) return true;
  }
  return false;
}

bool IsGroupNoun(std::string_view lower) { return (Table().Find(lower) & kGroupNoun) != 0; }
bool IsThreatWord(std::string_view lower) { return (Table().Find(lower) & kThreatWord) != 0; }
bool IsOrgDesignator(std::string_view word) { return (Table().Find(word) & kOrgDesignator) != 0; }
bool IsOrgOpener(std::string_view word) { return (Table().Find(word) & kOrgOpener) != 0; }
bool IsOrgCueNoun(std::string_view lower) { return (Table().Find(lower) & kOrgCueNoun) != 0; }
bool IsPersonTitle(std::string_view word) { return (Classify(word) & kPersonTitle) != 0; }
bool IsSpeechVerb(std::string_view lower) { return (Table().Find(lower) & kSpeechVerb) != 0; }

std::string_view CapitalCountry(std::string_view word) {
  if ((Table().Find(word) & kCapital) == 0) return {};
  for (const Capital& c : kCapitals) {
    if (c.city == word) return c.country;
  }
  return {};
}

size_t MatchCity(std::string_view text, std::string_view* country) {
  if (!StartsUpper(text) || text.size() < 2) return 0;
  // Cities by their first two bytes (the first a capital), built once: the cities of prefix p are
  // cities[start[p], start[p + 1]), and a bit per prefix turns most words away in one load.
  struct Index {
    std::array<uint64_t, 26 * 256 / 64> has{};
    std::array<uint16_t, 26 * 256 + 1> start{};
    std::vector<const Capital*> cities;
  };
  static const Index kIndex = [] {
    Index x;
    auto prefix = [](std::string_view city) {
      return static_cast<size_t>(city[0] - 'A') * 256 + static_cast<unsigned char>(city[1]);
    };
    std::array<uint16_t, 26 * 256> count{};
    for (const Capital& c : kCities) ++count[prefix(c.city)];
    for (size_t p = 0; p < count.size(); ++p) {
      x.start[p + 1] = static_cast<uint16_t>(x.start[p] + count[p]);
      if (count[p] != 0) x.has[p / 64] |= uint64_t{1} << (p % 64);
    }
    x.cities.resize(x.start.back());
    std::array<uint16_t, 26 * 256> fill{};
    for (const Capital& c : kCities) {
      const size_t p = prefix(c.city);
      x.cities[x.start[p] + fill[p]++] = &c;  // table order within a prefix, as before
    }
    return x;
  }();
  const size_t p = static_cast<size_t>(text[0] - 'A') * 256 + static_cast<unsigned char>(text[1]);
  if ((kIndex.has[p / 64] >> (p % 64) & 1) == 0) return 0;
  size_t best = 0;
  for (size_t k = kIndex.start[p]; k < kIndex.start[p + 1]; ++k) {
    const Capital* c = kIndex.cities[k];
    const size_t n = c->city.size();
    if (n <= best || text.size() < n || std::memcmp(text.data(), c->city.data(), n) != 0) continue;
    if (n < text.size()) {
      unsigned char next = static_cast<unsigned char>(text[n]);
      if (std::isalnum(next) || next >= 0x80) continue;  // "Parisian", "Romero"
    }
    best = n;
    *country = c->country;
  }
  return best;
}

bool IsAgentVerb(std::string_view lower) { return (Table().Find(lower) & kAgentVerb) != 0; }
bool IsCommonCapitalised(std::string_view word) { return (Table().Find(word) & kCommonCapitalised) != 0; }

}  // namespace prose2stix::extract::lexicon
