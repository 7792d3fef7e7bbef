// Entity recognition in four steps.
//
// 1. Recognisers propose candidates, each a byte span with a type, a score in [0, 1] and the rule
//    that fired: gazetteer matches (actors, countries, demonyms, regions, sectors, organisations,
//    news outlets), actor naming schemes ("APT41", "<Word> Typhoon", "BRONZE BUTLER"), cue phrases
//    ("the hacker group known as X", "threat actor X", "X, a China-linked group"), organisation
//    designators ("... Network Technology", "Ministry of ..."), people with titles or speech verbs,
//    capitals used for governments ("Beijing denies"), and the statistical tagger.
// 2. Overlaps are resolved greedily by score (longer spans win near-ties); candidates on the same
//    span vote together. News outlets block every candidate they overlap and make no entity.
// 3. Short forms of long organisation names ("Sichuan Juxinhe") and acronyms introduced in
//    parentheses become mentions of the same name.
// 4. Every name is typed once per document by the sum of its votes over all its mentions (evidence,
//    not rule order); names the text declares aliases ("X, also known as Y", "X (Y)") and names of
//    one gazetteer entry merge into one entity.
#include "prose2stix/extract/entity_extractor.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <deque>
#include <numeric>
#include <span>
#include <string>
#include <tuple>
#include <unordered_map>


#include "prose2stix/extract/dictionary.h"
#include "prose2stix/extract/gazetteer.h"
#include "prose2stix/extract/lexicon.h"
#include "prose2stix/extract/tagger.h"
#include "prose2stix/extract/word_table.h"
#include "prose2stix/util/byte_scan.h"
#include "prose2stix/util/eq.h"
#include "prose2stix/util/utf8.h"

namespace prose2stix::extract {

std::string_view EntityTypeName(EntityType t) {
  switch (t) {
    case EntityType::kThreatActor: return "threat-actor";
    case EntityType::kOrganization: return "organization";
    case EntityType::kPerson: return "person";
    case EntityType::kSector: return "sector";
    case EntityType::kCountry: return "country";
    case EntityType::kRegion: return "region";
    case EntityType::kCity: return "city";
  }
  return "unknown";
}

std::string NameKey(std::string_view name) {
  // Per byte: kDrop, kSeparator, or the byte lower-cased (ASCII: the "C" locale's tolower and
  // isspace).
  constexpr int16_t kDrop = -1, kSeparator = -2;
  static constexpr auto kKeyByte = [] {
    std::array<int16_t, 256> t{};
    for (int c = 0; c < 256; ++c) t[static_cast<size_t>(c)] = static_cast<int16_t>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    for (unsigned char c : std::string_view(".'\",")) t[c] = kDrop;
    for (unsigned char c : std::string_view("-_ \t\n\v\f\r")) t[c] = kSeparator;
    return t;
  }();
  // The key is never longer than the name: write it in place, then cut to size.
  std::string out(name.size(), '\0');
  char* const first = out.data();
  char* o = first;
  for (char c : name) {
    const int16_t k = kKeyByte[static_cast<unsigned char>(c)];
    if (k == kDrop) continue;
    if (k == kSeparator) {
      if (o != first && o[-1] != ' ') *o++ = ' ';
      continue;
    }
    *o++ = static_cast<char>(k);
  }
  while (o != first && o[-1] == ' ') --o;
  out.resize(static_cast<size_t>(o - first));
  if (out.rfind("the ", 0) == 0) out.erase(0, 4);
  if (out.size() > 2 && out.compare(out.size() - 2, 2, " s") == 0) out.erase(out.size() - 2);
  return out;
}

namespace {

constexpr size_t kNone = static_cast<size_t>(-1);
constexpr int kTypeCount = 7;

int TypeIndex(EntityType t) { return static_cast<int>(t); }

// Every text field is a view: into the document text (spans, roles, descriptions), into static
// data (gazetteer entries, lexicon tables, literals), or into a string the extractor keeps
// (Intern), all of which outlive the extraction. So a candidate is trivially copyable: making,
// moving, grouping and copying one allocates nothing.
struct Candidate {
  size_t begin = 0, end = 0;  // bytes
  EntityType type = EntityType::kOrganization;
  float score = 0;
  std::string_view rule;
  std::string_view canonical;
  std::string_view country, region, sector, org_kind, actor_type;
  std::string_view role;         // people: the title that introduced them ("" when none)
  std::string_view description;  // people: the appositive that introduced them
  bool demonym = false, metonymy = false, blocked = false, from_gazetteer = false;
};
static_assert(std::is_trivially_copyable_v<Candidate>);

// Names that are never entities on their own, whatever a recogniser says.
bool IsGenericName(std::string_view key) {
  static constexpr std::string_view kGeneric[] = {
      "actor", "actors", "apt", "attacker", "attackers", "company", "companies", "firm", "government",
      "group", "groups", "hackers", "internet", "ministry", "state", "threat actor", "victims", "windows",
      "cyber", "security", "department", "agency", "university", "bank", "police", "army", "military",
      "intelligence", "national", "federal", "global", "international", "operation", "campaign", "raas",
      "red team", "blue team", "threat intelligence", "security team", "research team", "incident response",
      "advanced persistent threat", "advanced persistent group", "advanced persistent threat group", "apt group"};
  static const WordTable kGenericSet = WordTable::Of(kGeneric);
  return kGenericSet.Contains(key);
}

bool HasUpper(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}


class Extractor {
 public:
  Extractor(Analysis* a, const ExtractOptions& o) : a_(*a), opt_(o), text_(a->text) {}

  void Run() {
    IndexTokens();
    MarkMachineLines();
    cands_.reserve(NTok() / 8 + 16);  // prose has about one candidate in 15 tokens: no regrowth
    AddGazetteer();
    AddActorNames();
    AddCueNames();
    AddOrganizations();
    AddPeople();
    AddMetonymy();
    AddCities();
    if (opt_.use_tagger) AddTagger();
    AddListItems();
    AddCoordinated();
    ResolveOverlaps();
    AddShortForms();
    std::sort(accepted_.begin(), accepted_.end(),
              [](const Group& x, const Group& y) { return x.begin < y.begin; });
    BuildEntities();
  }

 private:
  // Candidates proposed for one exact span: votes_[first_vote, first_vote + vote_count) (Votes).
  struct Group {
    size_t begin = 0, end = 0;
    uint32_t first_vote = 0, vote_count = 0;
    float best = 0;
    bool blocked = false;
  };

  // ---- tokens ------------------------------------------------------------------------------
  // One pass over the tokens: sentence of each token, lower-cased text, and per-sentence facts
  // (threat words present, title-case heading) that the rules ask about for many tokens.
  void IndexTokens() {
    const auto& toks = a_.tokens;
    const size_t n = toks.size(), n_sent = a_.sentences.size();
    a_.token_sentence.resize(n);
    a_.token_classes.resize(n);
    a_.lower_text = utf8::AsciiLower(text_);
    cap_.resize(n);
    sent_threat_.assign(n_sent + 1, 0);
    sent_title_.assign(n_sent + 1, 0);
    lexicon::ClassifyTokens(text_, toks, a_.token_classes.data());
    // Sentence by sentence: a token belongs to the first sentence (from the previous token's on)
    // that ends after the token begins; the last sentence takes the rest (and with no sentences,
    // every token is in sentence 0). The per-sentence counts stay in registers.
    size_t i = 0;
    for (size_t s = 0; s < std::max<size_t>(n_sent, 1); ++s) {
      const size_t end = s + 1 < n_sent ? a_.sentences[s].end : kNone;
      uint8_t threat = 0;
      uint32_t words = 0, caps = 0;
      for (; i < n && toks[i].begin < end; ++i) {
        a_.token_sentence[i] = s;
        const bool cap = StartsCapital(Tok(i));
        cap_[i] = cap;
        // Branch-free: whether a token is a capitalised long word is a coin toss to the CPU.
        threat |= static_cast<uint8_t>(Is(i, lexicon::kThreatWord));
        const bool long_word = (toks[i].shape == text::TokenShape::kWord) & (toks[i].end - toks[i].begin > 3);
        words += long_word;
        caps += long_word & cap;
      }
      sent_threat_[s] = threat;
      sent_title_[s] = words >= 2 && caps * 10 >= words * 8;
    }
  }
  // Sentences that are data rather than prose: indicator tables ("185.19.85[.]139; DATAWIRE AG"),
  // registry and file paths ("HKEY_CURRENT_USER\Software\Microsoft"), JSON ("\"Name\": ...").
  // Companies, people, sectors and places there are hosting providers, software vendors, keys
  // and IP geolocations, not what a report is about; only threat actors count.
  void MarkMachineLines() {
    // The scan below acts only on separators, '\\', '[', '"' and dots; it jumps between them
    // (bytes::FindFirstOf, 16 bytes at a time), as most bytes of a sentence are none of them.
    // A dotted quad is looked at from the dot after its first group: every digit run that can
    // begin one is followed by a dot, and most digits in prose are not.
    auto next = [](std::string_view t, size_t i) {
      return bytes::FindFirstOf<';', '|', '\t', '\\', '[', '"', '.'>(t, i);
    };
    sent_machine_.assign(a_.sentences.size() + 1, 0);
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    for (size_t k = 0; k < a_.sentences.size(); ++k) {
      std::string_view t = std::string_view(text_).substr(a_.sentences[k].begin, a_.sentences[k].end - a_.sentences[k].begin);
      bool code = false;                 // a path or JSON
      size_t addresses = 0, separators = 0;  // IPs and defanged names; ';' '|' and tabs
      for (size_t i = next(t, 0); i + 2 < t.size() && !code; i = next(t, i + 1)) {
        char c = t[i];
        if (c == ';' || c == '|' || c == '\t') {
          ++separators;
        } else if (c == '\\') {
          code = std::isalpha(static_cast<unsigned char>(t[i + 1])) && i > 0 && std::isalnum(static_cast<unsigned char>(t[i - 1]));
        } else if (c == '[') {
          addresses += t[i + 1] == '.' && t[i + 2] == ']';  // defanged "example[.]com", "10.0.0[.]1"
        } else if (c == '"') {
          code = t[i + 1] == ':' && (t[i + 2] == ' ' || t[i + 2] == '"');
        } else if (c == '.' && i > 0 && digit(t[i - 1])) {
          // A dotted quad: 1-3 digits, then three times a dot and 1-3 digits. Its first group
          // ends here; a run of four digits or more before the dot begins none.
          size_t r = i - 1;
          while (r > 0 && digit(t[r - 1]) && i - r < 4) --r;
          if (i - r > 3) continue;
          size_t j = r, groups = 0;
          for (;;) {
            size_t d = 0;
            while (j < t.size() && digit(t[j]) && d < 4) ++j, ++d;
            if (d == 0 || d > 3) break;
            if (++groups == 4) break;
            if (j >= t.size() || t[j] != '.') break;
            ++j;
          }
          addresses += groups == 4 && (j >= t.size() || !digit(t[j]));
        }
      }
      // One address in a sentence of prose ("the IP 209[.]58.188.82 belongs to Hong Kong") is
      // still prose; addresses in a delimited row or a list of them are data.
      sent_machine_[k] = code || addresses >= 3 || (addresses >= 1 && separators >= 2);
    }
  }
  bool MachineLine(size_t byte) const { return sent_machine_[SentenceOfByte(byte)] != 0; }

  size_t NTok() const { return a_.tokens.size(); }
  // Token ranges lie inside the text (the tokenizer's contract): no bounds check.
  std::string_view Tok(size_t i) const {
    const text::Token& t = a_.tokens[i];
    return std::string_view(text_.data() + t.begin, t.end - t.begin);
  }
  // Token i lower-cased (ASCII letters): a view into a_.lower_text, which has the text's offsets.
  std::string_view TokLower(size_t i) const {
    const text::Token& t = a_.tokens[i];
    return std::string_view(a_.lower_text.data() + t.begin, t.end - t.begin);
  }
  // Token i is in one of the lexicon word classes `c` (lexicon::Classify).
  bool Is(size_t i, lexicon::WordClasses c) const { return (a_.token_classes[i] & c) != 0; }
  bool SameSentence(size_t i, size_t j) const { return tok_sentence_[i] == tok_sentence_[j]; }
  bool SentenceStart(size_t i) const { return i == 0 || !SameSentence(i - 1, i); }
  bool IsCap(size_t i) const { return cap_[i] != 0; }
  // The first capitalised token at or after i, or NTok(): memchr over cap_'s 0/1 bytes, as about
  // one token in twelve is capitalised.
  size_t NextCap(size_t i) const {
    if (i >= cap_.size()) return cap_.size();
    const void* p = std::memchr(cap_.data() + i, 1, cap_.size() - i);
    return p == nullptr ? cap_.size() : static_cast<size_t>(static_cast<const uint8_t*>(p) - cap_.data());
  }
  // The first token at or after i in one of the classes `c`, or NTok().
  size_t NextWith(size_t i, lexicon::WordClasses c) const {
    while (i < NTok() && !Is(i, c)) ++i;
    return i;
  }
  // An ASCII capital or a Latin-1 one (U+00C0..U+00DE, "\xC3\x80".."\xC3\x9E"); branch-free.
  static bool StartsCapital(std::string_view t) {
    if (t.empty()) return false;
    const unsigned c = static_cast<unsigned char>(t[0]);
    const unsigned c1 = t.size() > 1 ? static_cast<unsigned char>(t[1]) : 0u;
    return (c - 'A' < 26u) | ((c == 0xC3) & (c1 - 0x80u <= 0x1Eu));
  }
  bool IsWordTok(size_t i) const {
    return a_.tokens[i].shape == text::TokenShape::kWord || a_.tokens[i].shape == text::TokenShape::kAlnum;
  }
  // A capitalised word that can be part of a proper name.
  bool IsNameTok(size_t i) const {
    return IsCap(i) && IsWordTok(i) && !Is(i, lexicon::kCommonCapitalised);
  }
  bool IsPunct(size_t i, char c) const {
    const text::Token& t = a_.tokens[i];
    return t.end - t.begin == 1 && text_[t.begin] == c;
  }
  bool IsQuote(size_t i) const { return IsPunct(i, '"') || IsPunct(i, '\''); }
  // First token index whose begin >= byte.
  size_t TokAt(size_t byte) const {
    auto it = std::lower_bound(a_.tokens.begin(), a_.tokens.end(), byte,
                               [](const text::Token& t, size_t b) { return t.begin < b; });
    return static_cast<size_t>(it - a_.tokens.begin());
  }
  size_t SentenceOfByte(size_t byte) const {
    auto it = std::upper_bound(a_.sentences.begin(), a_.sentences.end(), byte,
                               [](size_t b, const text::Sentence& s) { return b < s.begin; });
    return it == a_.sentences.begin() ? 0 : static_cast<size_t>(it - a_.sentences.begin()) - 1;
  }
  // The text from token first_tok to token last_tok_excl - 1: a view into the document text.
  std::string_view SpanText(size_t first_tok, size_t last_tok_excl) const {
    return text_.substr(a_.tokens[first_tok].begin, a_.tokens[last_tok_excl - 1].end - a_.tokens[first_tok].begin);
  }
  bool SentenceHasThreatWord(size_t i) const { return sent_threat_[tok_sentence_[i]] != 0; }

  void Add(Candidate&& c) {
    if (c.end <= c.begin) return;
    if (c.type != EntityType::kThreatActor && MachineLine(c.begin)) return;
    cands_.push_back(std::move(c));
  }
  Candidate Make(size_t first_tok, size_t last_tok_excl, EntityType type, float score, std::string_view rule) const {
    Candidate c;
    c.begin = a_.tokens[first_tok].begin;
    c.end = a_.tokens[last_tok_excl - 1].end;
    c.type = type;
    c.score = score;
    c.rule = rule;
    c.canonical = SpanText(first_tok, last_tok_excl);
    return c;
  }

  // Keeps a rule name or a canonical name built at run time for the extraction's lifetime
  // (candidates hold views).
  std::string_view Intern(std::string rule) { return interned_.emplace_back(std::move(rule)); }

  // ---- recognisers -------------------------------------------------------------------------
  void AddGazetteer() {
    const Gazetteer& gaz = Gazetteer::Default();
    for (const GazetteerMatch& m : gaz.Find(text_)) {
      const GazetteerEntry& e = *m.entry;
      Candidate c;
      c.begin = m.begin;
      c.end = m.end;
      c.canonical = e.canonical;
      c.from_gazetteer = true;
      switch (e.kind) {
        case EntryKind::kNewsOutlet:
          c.blocked = true;
          c.score = 1.0f;
          c.rule = "gazetteer:news-outlet";
          break;
        case EntryKind::kThreatActor: {
          c.type = EntityType::kThreatActor;
          c.country = e.code;
          c.rule = "gazetteer:threat-actor";
          c.score = m.ambiguous ? AmbiguousActorScore(m.begin, m.end, NameKey(m.surface) != NameKey(e.canonical)) : 0.9f;
          break;
        }
        case EntryKind::kCountry: {
          // "US $1,000", "US$400": a currency.
          if (m.end < text_.size() && (text_[m.end] == '$' || (text_[m.end] == ' ' && m.end + 1 < text_.size() &&
                                                                text_[m.end + 1] == '$')))
            continue;
          c.type = EntityType::kCountry;
          c.country = e.code;
          c.demonym = e.subtype == "demonym";
          c.rule = c.demonym ? "gazetteer:demonym" : "gazetteer:country";
          c.score = m.ambiguous ? 0.4f : 0.9f;
          AddGovernmentOf(c, e);
          break;
        }
        case EntryKind::kRegion:
          c.type = EntityType::kRegion;
          c.region = e.code;
          c.rule = "gazetteer:region";
          c.score = 0.85f;
          break;
        case EntryKind::kSector:
          c.type = EntityType::kSector;
          c.sector = e.code;
          c.rule = "gazetteer:sector";
          c.score = SectorScore(m.begin, m.end, m.ambiguous);
          break;
        case EntryKind::kOrganization:
          if (FollowedByProduct(m.end)) continue;  // "Microsoft Word", "Google Drive": a product
          c.type = EntityType::kOrganization;
          c.org_kind = e.subtype;
          c.country = e.code;
          c.rule = "gazetteer:organization";
          c.score = m.ambiguous ? 0.45f : 0.9f;
          break;
      }
      Add(std::move(c));
    }
  }

  bool FollowedByProduct(size_t end) const {
    size_t j = TokAt(end);
    if (j >= NTok() || a_.tokens[j].begin != end + 1 || !IsCap(j)) return false;
    return IsProductWord(Tok(j));
  }

  // Legal forms of companies, in any capitalisation ("Ltd", "LTD.", "GmbH", "Co.").
  // `lower` is a lower-cased token (TokLower).
  static bool IsLegalForm(std::string_view lower) {
    static constexpr std::string_view kForms[] = {"inc", "inc.", "ltd", "ltd.", "co", "co.", "gmbh", "corp", "corp.",
                                                  "llc", "ag", "plc", "s.a.", "limited", "corporation"};
    static const WordTable kFormsSet = WordTable::Of(kForms);
    return kFormsSet.Contains(lower);
  }


  static bool IsPublicBodyDesignator(std::string_view w) {
    static constexpr std::string_view kPublic[] = {
        "Agency", "Authority", "Bureau", "College", "Command", "Commission", "Committee", "Council", "Department",
        "Forces", "Hospital", "Institute", "Ministry", "Office", "Police", "University", "Association"};
    static const WordTable kPublicSet = WordTable::Of(kPublic);
    return kPublicSet.Contains(w);
  }

  static bool IsProductWord(std::string_view w) {
    static constexpr std::string_view kProducts[] = {
        "Office", "Word", "Excel", "Windows", "Exchange", "Outlook", "Teams", "Azure", "Defender", "SharePoint",
        "PowerPoint", "Edge", "Chrome", "Drive", "Docs", "Sheets", "Play", "Cloud", "Workspace", "Gmail",
        "Android", "OneDrive", "Acrobat", "Reader", "Flash", "Store", "Photos", "Translate", "Search", "Ads",
        "Analytics", "Authenticator", "Forms", "SQL", "Server", "Visual", "Access", "Publisher", "Graph", "Live",
        "Update", "Installer", "Messenger", "Web", "Safe", "Remote", "Desktop", "Firefox", "Thunderbird", "Sites",
        "ATT"};  // MITRE ATT&CK
    static const WordTable kProductsSet = WordTable::Of(kProducts);
    return kProductsSet.Contains(w);
  }

  // An actor alias that is also a common word counts only with context: a group noun beside it,
  // quotes around it, or threat words in its sentence.
  // An alias that is a common word or a product ("Chromium", "Electrum", "Iodine") needs the
  // group noun or the quotes: threat words nearby are no evidence, since they surround software.
  float AmbiguousActorScore(size_t begin, size_t end, bool alias) const {
    size_t i = TokAt(begin), j = TokAt(end);
    if (i >= NTok()) return 0.2f;
    bool quoted = i > 0 && IsQuote(i - 1) && j < NTok() && IsQuote(j);
    bool group_after = j < NTok() && SameSentence(i, j) && Is(j, lexicon::kGroupNoun);
    bool group_before = i > 0 && SameSentence(i - 1, i) && Is(i - 1, lexicon::kGroupNoun);
    if (group_after || group_before || quoted) return 0.75f;
    if (alias) return 0.15f;
    return SentenceHasThreatWord(i) ? 0.45f : 0.2f;
  }

  // A one-word sector name ("energy", "communications") names the sector only before a head noun
  // ("energy companies", "the defense, aerospace and energy sectors", "Energy, Chemicals and
  // Financial Sectors") or after a targeting verb ("targeting energy and finance"); plural
  // institution nouns ("hospitals", "banks") stand alone. Capitalised single words mid-sentence
  // ("Ministry") are parts of names. An ambiguous surface ("business", "IT", "construction",
  // "law enforcement") needs that context even when it is longer than one word; without it, it
  // counts so little that only many mentions make a sector of it.
  float SectorScore(size_t begin, size_t end, bool ambiguous) const {
    size_t i = TokAt(begin), j = TokAt(end);
    if (i >= NTok()) return 0.2f;
    // "Huanyu Tianqiong Information Technology": a capitalised phrase after a capitalised word is
    // the tail of a name.
    if (IsCap(i) && i > 0 && SameSentence(i - 1, i) && IsCap(i - 1) && !AllCapsLine(i)) return ambiguous ? 0.05f : 0.25f;
    if (SectorHeadFollows(i, j, ambiguous) || (TargetVerbBefore(i) && !ModifiesNextNoun(j))) return 0.8f;
    if (j > i + 1) return ambiguous ? 0.05f : 0.8f;
    std::string_view w = TokLower(i);
    static constexpr std::string_view kInstitutions[] = {
        "hospitals", "clinics", "banks", "universities", "colleges", "telcos", "retailers", "manufacturers",
        "insurers", "automakers", "carmakers", "utilities", "airlines", "drugmakers", "ngos", "municipalities",
        "broadcasters", "ministries", "embassies", "diplomats", "journalists", "pharmacies", "refineries",
        "shipbuilders", "chipmakers", "isps", "msps", "think-tanks", "nonprofits", "charities"};
    static const WordTable kInstitutionsSet = WordTable::Of(kInstitutions);
    if (kInstitutionsSet.Contains(w))
      return ambiguous ? 0.3f : 0.8f;
    if (IsCap(i) && !SentenceStart(i) && !AllCapsLine(i)) return ambiguous ? 0.05f : 0.1f;
    return ambiguous ? 0.05f : 0.25f;
  }

  // The sector words from token i to j are followed, maybe through a list of further sector
  // words ("defense, aerospace and energy sectors"), by a head noun such as "sector" or
  // "companies".
  bool SectorHeadFollows(size_t i, size_t j, bool strong_only) const {
    // List items of up to three words ("Business Services") separated by commas and "and"/"or";
    // the sector word itself may be followed by one more word before the head ("IT Management
    // software firm" is a firm, not IT companies).
    size_t k = j, item_words = 1;
    bool first_item = true;
    while (k < NTok() && k < j + 14 && SameSentence(i, k) && !IsSectorHead(TokLower(k), strong_only)) {
      std::string_view w = TokLower(k);
      if (IsPunct(k, ',') || Eq(w, "and") || Eq(w, "or") || Eq(w, "&")) {
        item_words = 0;
        first_item = false;
      } else if (a_.tokens[k].shape == text::TokenShape::kWord && ++item_words <= (first_item ? 2u : 3u)) {
      } else {
        return false;
      }
      ++k;
    }
    // "Governments and companies": a head right after "and" is coordinated, not modified.
    if (k > j && k - 1 >= j &&
        (Eq(TokLower(k - 1), "and") || Eq(TokLower(k - 1), "or") || IsPunct(k - 1, ',')))
      return false;
    return k < NTok() && k > i && SameSentence(i, k) && IsSectorHead(TokLower(k), strong_only);
  }

  // The sector word(s) ending before token j modify a following noun that is no sector head
  // ("compromised the IT environments"), so they name no sector.
  bool ModifiesNextNoun(size_t j) const {
    if (j >= NTok() || a_.tokens[j].shape != text::TokenShape::kWord || IsCap(j)) return false;
    static constexpr std::string_view kFollowers[] = {
        "in", "of", "across", "and", "or", "at", "to", "with", "from", "since", "during", "between", "around",
        "throughout", "as", "for", "by", "that", "which", "who", "were", "was", "is", "are", "have", "has",
        "had", "worldwide", "globally", "alike", "among", "over", "on", "via", "through", "including", "such"};
    static const WordTable kFollowersSet = WordTable::Of(kFollowers);
    std::string_view w = TokLower(j);
    return !kFollowersSet.Contains(w) && !IsSectorHead(w);
  }

  // A targeting verb shortly before token i, with only list material between: "targeting energy",
  // "attacks against banking, retail and hospitality".
  bool TargetVerbBefore(size_t i) const {
    static constexpr std::string_view kVerbs[] = {"targeting", "targeted", "targets", "target", "attacking",
                                                  "attacked", "against", "hit", "hitting", "breached", "compromised",
                                                  "victims", "including", "such"};
    static const WordTable kVerbsSet = WordTable::Of(kVerbs);
    for (size_t back = 1; back <= 24 && back <= i; ++back) {
      size_t k = i - back;
      if (!SameSentence(k, i)) return false;
      std::string_view w = TokLower(k);
      if (kVerbsSet.Contains(w)) {
        // "including" and "such as" only count in a sentence about attacks, or after a sector
        // noun ("other industries, including chemical, pharmaceutical and software").
        if (Eq(w, "including") || Eq(w, "such")) {
          if (SentenceHasThreatWord(i)) return true;
          for (size_t h = k; h > 0 && k - h < 4 && SameSentence(h - 1, i); --h)
            if (IsSectorHead(TokLower(h - 1), true)) return true;
          return false;
        }
        return true;
      }
      bool list = IsPunct(k, ',') || Eq(w, "and") || Eq(w, "or") || Eq(w, "the") || Eq(w, "as") ||
                  Eq(w, "in") || a_.tokens[k].shape == text::TokenShape::kWord;
      if (!list) return false;
      if (back >= 2 && a_.tokens[k].shape == text::TokenShape::kWord && !IsPunct(k + 1, ',') &&
          !Eq(TokLower(k + 1), "and") && !Eq(TokLower(k + 1), "or") && !Eq(TokLower(k), "the") &&
          !Eq(TokLower(k), "as") && !Eq(TokLower(k), "in") && k + 1 != i)
        return false;
    }
    return false;
  }

  // Headlines in title case: (nearly) every word of the sentence capitalised.
  bool AllCapsLine(size_t i) const { return sent_title_[tok_sentence_[i]] != 0; }

  // Nouns after sector words that make them a sector: "energy companies", "banking sector".
  // Weak heads ("IT systems", "corporate networks", "health data") are enough only for words that
  // name a sector unambiguously.
  static bool IsSectorHead(std::string_view w, bool strong_only = false) {
    static constexpr std::string_view kStrong[] = {
        "sector", "sectors", "industry", "industries", "companies", "company", "firms", "firm", "providers",
        "provider", "operators", "operator", "organizations", "organisations", "organization", "organisation",
        "entities", "agencies", "agency", "institutions", "institution", "businesses", "contractors", "targets",
        "victims", "giants", "vendors", "carriers", "utilities", "suppliers", "manufacturers", "enterprises",
        "corporations", "giant", "verticals", "vertical"};
    static const WordTable kStrongSet = WordTable::Of(kStrong);
    static constexpr std::string_view kWeak[] = {
        "networks", "network", "infrastructure", "infrastructures", "data", "systems", "services", "groups",
        "bodies", "facilities", "plants", "employees", "customers", "clients", "departments", "offices",
        "ministries", "base", "supply", "space", "field"};
    static const WordTable kWeakSet = WordTable::Of(kWeak);
    if (kStrongSet.Contains(w)) return true;
    return !strong_only && kWeakSet.Contains(w);
  }

  // "Chinese government", "China's government", "the Russian military": the state as an actor.
  // A state organ ("Government of China", "Military of Russia") over bytes [begin, end).
  void AddStateOrgan(size_t begin, size_t end, std::string_view what, const GazetteerEntry& e, float score) {
    Candidate g;
    g.begin = begin;
    g.end = end;
    g.type = EntityType::kOrganization;
    g.canonical = Intern(std::string(what) + std::string(e.canonical));
    g.org_kind = what[0] == 'G' ? "government" : "military";
    g.country = e.code;
    g.rule = "pattern:state-organ";
    g.score = score;
    Add(std::move(g));
  }

  void AddGovernmentOf(const Candidate& country, const GazetteerEntry& e) {
    size_t i = TokAt(country.begin);
    // "the Government of China".
    if (i >= 2 && Eq(TokLower(i - 1), "of") && Eq(TokLower(i - 2), "government") && SameSentence(i - 2, i) &&
        country.end == a_.tokens[i].end) {
      AddStateOrgan(a_.tokens[i - 2].begin, country.end, "Government of ", e, 0.95f);
      return;
    }
    size_t j = TokAt(country.end);
    if (j < NTok() && (Eq(Tok(j), "'s") || Eq(Tok(j), "'"))) ++j;
    if (j >= NTok() || !SameSentence(TokAt(country.begin), j)) return;
    std::string_view next = TokLower(j);
    // "Iranian government-linked hackers", "Chinese government-backed": the state, as an adjective.
    if (next.size() > 11 && next.substr(0, 11) == "government-" && country.end < a_.tokens[j].begin) {
      AddStateOrgan(country.begin, a_.tokens[j].begin + 10, "Government of ", e, 0.9f);
      return;
    }
    std::string what;
    if (Eq(next, "government") || Eq(next, "governments") || Eq(next, "regime") || Eq(next, "authorities") ||
        Eq(next, "state")) {
      what = "Government of ";
    } else if (Eq(next, "military") || Eq(next, "army") || Eq(next, "armed")) {
      what = "Military of ";
    } else {
      return;
    }
    // "Russia's military intelligence service", "Chinese government hackers": the noun phrase goes
    // on and names something else. Only a phrase that ends here names the state organ itself.
    if (j + 1 < NTok() && SameSentence(j, j + 1) && a_.tokens[j + 1].shape == text::TokenShape::kWord &&
        !IsCap(j + 1)) {
      static constexpr std::string_view kClauseWords[] = {
          "and", "or", "of", "has", "have", "had", "is", "was", "were", "are", "said", "says", "denied", "denies",
          "to", "in", "for", "which", "that", "who", "would", "will", "also", "may", "could", "did", "does",
          "as", "on", "at", "by", "with", "from", "had", "claimed", "accused", "rejected", "responded", "the"};
      static const WordTable kClauseWordsSet = WordTable::Of(kClauseWords);
      std::string_view after = TokLower(j + 1);
      if (!kClauseWordsSet.Contains(after)) return;
    }
    AddStateOrgan(country.begin, a_.tokens[j].end, what, e, 0.9f);
  }


  void AddActorNames() {
    // Numbered names, "APT 40" and family nouns all start with a capital.
    for (size_t i = NextCap(0); i < NTok(); i = NextCap(i + 1)) {
      std::string_view t = Tok(i);
      if (lexicon::IsNumberedActorName(t)) {
        Candidate c = Make(i, i + 1, EntityType::kThreatActor, 0.9f, "naming-scheme:numbered");
        Add(std::move(c));
        continue;
      }
      // "APT 40", "APT-C - 36" written with spaces.
      if ((Eq(t, "APT") || Eq(t, "UNC") || Eq(t, "FIN") || Eq(t, "TA")) && i + 1 < NTok() &&
          a_.tokens[i + 1].shape == text::TokenShape::kNumber && Tok(i + 1).size() <= 4 &&
          SameSentence(i, i + 1)) {
        Candidate c = Make(i, i + 2, EntityType::kThreatActor, 0.85f, "naming-scheme:numbered");
        c.canonical = Intern(std::string(t) + std::string(Tok(i + 1)));
        Add(std::move(c));
        continue;
      }
      const lexicon::ActorFamily* fam = Is(i, lexicon::kActorFamily) ? lexicon::FindActorFamily(t) : nullptr;
      if (fam == nullptr) continue;
      size_t first = i, last = i + 1;
      if (fam->noun_first) {
        if (i + 1 >= NTok() || !SameSentence(i, i + 1)) continue;
        std::string_view next = Tok(i + 1);
        if (next.size() < 3 || !std::all_of(next.begin(), next.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
          continue;
        last = i + 2;
      } else {
        if (i == 0 || !SameSentence(i - 1, i) || !IsCap(i - 1) || !IsWordTok(i - 1)) continue;
        if (Is(i - 1, lexicon::kCommonCapitalised | lexicon::kOrgDesignator)) continue;
        first = i - 1;
        // "Old Bear Press", "Blue Panda Studios": a longer proper name that is no actor.
        if (i + 1 < NTok() && SameSentence(i, i + 1) && IsCap(i + 1) && IsWordTok(i + 1) &&
            !Is(i + 1, lexicon::kGroupNoun | lexicon::kCommonCapitalised) &&
            !(AllCapsLine(i) && IsEnglishWord(Tok(i + 1)) && !IsEnglishWord(Tok(i - 1))))
          continue;
      }
      Candidate c = Make(first, last, EntityType::kThreatActor, 0.85f, Intern("naming-scheme:" + utf8::AsciiLower(t)));
      c.country = fam->country;
      c.actor_type = fam->actor_type;
      Add(std::move(c));
    }
  }

  // Capitalised run starting at token i (proper-name tokens, alnum names), at most max tokens.
  size_t NameRunEnd(size_t i, size_t max) const {
    size_t j = i;
    while (j < NTok() && j - i < max && SameSentence(i, j) &&
           (IsNameTok(j) || (a_.tokens[j].shape == text::TokenShape::kAlnum && HasUpper(Tok(j))))) {
      ++j;
    }
    return j;
  }

  void AddCueNames() {
    // Every cue below starts at a name cue, a group noun or a comma: most tokens are none, and a
    // tight scan passes over them.
    auto next = [&](size_t i) {
      while (i < NTok() && !Is(i, lexicon::kNameCue | lexicon::kGroupNoun) && !IsPunct(i, ',')) ++i;
      return i;
    };
    for (size_t i = next(0); i < NTok(); i = next(i + 1)) {
      if (IsCap(i) && AllCapsLine(i)) continue;  // title-case headings: every word looks like a name
      std::string_view lw = TokLower(i);
      // (a) "... group known as X", "tracked as X", "dubbed X", "aka X".
      size_t name_at = kNone;
      if (!Is(i, lexicon::kNameCue)) {  // a group noun or a comma: rule (a) does not apply
      } else if ((Eq(lw, "known") || Eq(lw, "tracked") || Eq(lw, "referred")) && i + 2 < NTok() &&
                 Eq(TokLower(i + 1), "as")) {
        name_at = i + 2;
      } else if ((Eq(lw, "referred")) && i + 3 < NTok() && Eq(TokLower(i + 1), "to") &&
                 Eq(TokLower(i + 2), "as")) {
        name_at = i + 3;
      } else if (Eq(lw, "dubbed") || Eq(lw, "called") || Eq(lw, "named") || Eq(lw, "nicknamed") ||
                 Eq(lw, "codenamed") || Eq(lw, "aka") || Eq(lw, "a.k.a.")) {
        name_at = i + 1;
      }
      if (name_at != kNone && name_at < NTok() && SameSentence(i, name_at) && GroupContextBefore(i)) {
        AddNameAt(name_at, 0.8f, Intern("cue:" + std::string(lw)));
      }
      // (b) "threat actor TA505", "hacker group Winnti", "ransomware gang Conti".
      if (Is(i, lexicon::kGroupNoun) && !Eq(lw, "threat") && !Eq(lw, "unit") && !Eq(lw, "operation") &&
          !Eq(lw, "team") && !Eq(lw, "cluster") && i + 1 < NTok() && !AllCapsLine(i) &&
          SameSentence(i, i + 1) &&
          (IsNameTok(i + 1) || a_.tokens[i + 1].shape == text::TokenShape::kAlnum) && HasUpper(Tok(i + 1)) &&
          !Is(i + 1, lexicon::kActorFamily)) {
        bool threat_before = i > 0 && SameSentence(i - 1, i) &&
                             (Is(i - 1, lexicon::kThreatWord) || Eq(TokLower(i - 1), "threat") ||
                              Eq(TokLower(i - 1), "hacker") || Eq(TokLower(i - 1), "hacking"));
        if (threat_before || Eq(lw, "actor") || Eq(lw, "apt") || Eq(lw, "gang"))
          AddNameAt(i + 1, 0.7f, Intern("cue:" + std::string(lw) + "-name"));
      }
      // (c) "the Gorgon Group", "Lazarus group", "TrickBot gang" in a threat sentence.
      if (Is(i, lexicon::kGroupNoun) && (Eq(lw, "group") || Eq(lw, "gang") || Eq(lw, "crew")) && i > 0 &&
          SameSentence(i - 1, i) && !AllCapsLine(i) && IsNameTok(i - 1) &&
          !Is(i - 1, lexicon::kOrgDesignator) && SentenceHasThreatWord(i) &&
          !(SentenceStart(i - 1) && LooksLikeCommonWord(i - 1))) {
        size_t first = i - 1;
        while (first > 0 && SameSentence(first - 1, i) && IsNameTok(first - 1) && i - first < 3) --first;
        bool keep_noun = IsCap(i);
        Candidate c = Make(first, keep_noun ? i + 1 : i, EntityType::kThreatActor, 0.6f, Intern("cue:name-" + std::string(lw)));
        Add(std::move(c));
      }
      // (d) "APT41, a China-linked group" / "Foo, a hacking group".
      if (IsPunct(i, ',') && i > 0 && i + 2 < NTok() && SameSentence(i - 1, i + 2)) {
        std::string_view art = TokLower(i + 1);
        if (Eq(art, "a") || Eq(art, "an") || Eq(art, "the")) {
          for (size_t k = i + 2; k < NTok() && k < i + 8 && SameSentence(i, k); ++k) {
            std::string_view kl = TokLower(k);
            if (IsPunct(k, ',') || IsPunct(k, '.') || Is(k, lexicon::kMalwareNoun)) break;
            if (Eq(kl, "group") || Eq(kl, "actor") || Eq(kl, "gang") || Eq(kl, "apt") || Eq(kl, "crew") ||
                Eq(kl, "collective")) {
              size_t last = i, first = i - 1;
              while (first > 0 && SameSentence(first - 1, i) && IsNameTok(first - 1) && last - first < 3) --first;
              bool weak_single = first == i - 1 && SentenceStart(i - 1) && LooksLikeCommonWord(i - 1);
              if ((IsNameTok(i - 1) || a_.tokens[i - 1].shape == text::TokenShape::kAlnum) && !weak_single) {
                Add(Make(first, last, EntityType::kThreatActor, 0.75f, "cue:appositive-group"));
              }
              break;
            }
          }
        }
      }
    }
  }

  bool IsAcronym(size_t i) const {
    std::string_view t = Tok(i);
    return t.size() >= 2 && std::all_of(t.begin(), t.end(), [](char c) { return (c >= 'A' && c <= 'Z') || c == '.'; });
  }

  // A capitalised word that is probably an ordinary word: an adverb ("Additionally"), or plain
  // title case with no digit or inner capital.
  bool LooksLikeCommonWord(size_t i) const {
    std::string_view t = Tok(i);
    if (t.size() > 2 && t.substr(t.size() - 2) == "ly") return true;
    bool inner_cap = std::any_of(t.begin() + 1, t.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    bool digit = std::any_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
    return !inner_cap && !digit;
  }

  // A group noun within the six tokens before i, with no malware noun closer to i.
  bool GroupContextBefore(size_t i) const {
    for (size_t k = i; k > 0 && i - k < 6 && SameSentence(k - 1, i); --k) {
      std::string_view kl = TokLower(k - 1);
      if (Is(k - 1, lexicon::kMalwareNoun)) return false;
      if (Is(k - 1, lexicon::kGroupNoun) || Eq(kl, "hackers") || Eq(kl, "apt")) return true;
    }
    return false;
  }

  // The name that starts at token i: a quoted string or a capitalised run.
  void AddNameAt(size_t i, float score, std::string_view rule) {
    if (IsQuote(i)) {
      size_t j = i + 1;
      while (j < NTok() && j < i + 8 && SameSentence(i, j) && !IsQuote(j)) ++j;
      if (j >= NTok() || !IsQuote(j) || j == i + 1) return;
      // A sentence-final period may sit inside the quotes.
      size_t last = j;
      while (last > i + 1 && (IsPunct(last - 1, '.') || IsPunct(last - 1, ','))) --last;
      if (last == i + 1 || !HasUpper(SpanText(i + 1, last))) return;
      Add(Make(i + 1, last, EntityType::kThreatActor, score, rule));
      return;
    }
    size_t end = NameRunEnd(i, 4);
    if (end == i) return;
    Add(Make(i, end, EntityType::kThreatActor, score, rule));
  }

  // Whether rule (c) or (d) of AddOrganizations may fire at token i through a word of no lexicon
  // class: "at", "from", "executive", "officer", "founder".
  bool IsOrgCueWord(size_t i) const {
    std::string_view lw = TokLower(i);
    switch (lw.size()) {
      case 2: return Eq(lw, "at");
      case 4: return Eq(lw, "from");
      case 7: return Eq(lw, "officer") || Eq(lw, "founder");
      case 9: return Eq(lw, "executive");
      default: return false;
    }
  }

  void AddOrganizations() {
    // Each rule below starts at a token of one of these classes or at an IsOrgCueWord: most
    // tokens are none, and are passed over at once.
    constexpr lexicon::WordClasses kStarts =
        lexicon::kOrgDesignator | lexicon::kOrgOpener | lexicon::kOrgCueNoun | lexicon::kPersonTitle;
    for (size_t i = 0; i < NTok(); ++i) {
      if (!Is(i, kStarts) && !IsOrgCueWord(i)) continue;
      std::string_view t = Tok(i);
      // (a) a capitalised run that ends with a designator: "Sichuan Juxinhe Network Technology".
      // In title-case headings every word is capitalised, so only legal-form designators count.
      auto legal_form = [&] {  // only asked about capitalised designators
        return Eq(t, "Inc.") || Eq(t, "Inc") || Eq(t, "Ltd.") || Eq(t, "Ltd") || Eq(t, "Co.") ||
               Eq(t, "GmbH") || Eq(t, "Corp.") || Eq(t, "LLC") || Eq(t, "AG") || Eq(t, "PLC") ||
               Eq(t, "plc") || Eq(t, "S.A.") || Eq(t, "Limited") || Eq(t, "Corporation");
      };
      if (Is(i, lexicon::kOrgDesignator) && IsCap(i) && (legal_form() || !AllCapsLine(i))) {
        size_t first = i;
        bool has_name = false;
        while (first > 0 && SameSentence(first - 1, i)) {
          size_t p = first - 1;
          std::string_view pl = TokLower(p);
          if (IsNameTok(p) || (a_.tokens[p].shape == text::TokenShape::kAlnum && HasUpper(Tok(p))) ||
              ((Eq(pl, "and") || Eq(pl, "&") || Eq(pl, "of")) && p > 0 && IsNameTok(p - 1))) {
            if (!Is(p, lexicon::kOrgDesignator) && !Eq(pl, "and") && !Eq(pl, "&") && !Eq(pl, "of"))
              has_name = true;
            first = p;
            continue;
          }
          break;
        }
        size_t last = i + 1;
        // Further designators and "Co., Ltd." tails.
        for (;;) {
          if (last < NTok() && Is(last, lexicon::kOrgDesignator) && IsCap(last) && SameSentence(i, last)) {
            ++last;
          } else if (last + 1 < NTok() && IsPunct(last, ',') && SameSentence(i, last + 1) &&
                     (Tok(last + 1).back() == '.' || Eq(Tok(last + 1), "Ltd") ||
                      Eq(Tok(last + 1), "Limited") || Eq(Tok(last + 1), "Inc") || Eq(Tok(last + 1), "LLC") ||
                      Eq(Tok(last + 1), "GmbH") || Eq(Tok(last + 1), "AG") || Eq(Tok(last + 1), "PLC") ||
                      Eq(Tok(last + 1), "Corp")) &&
                     Is(last + 1, lexicon::kOrgDesignator)) {
            last += 2;
          } else {
            break;
          }
        }
        // A name with a legal form that fills a table cell or a line may have lower-case words
        // ("| Haining shengdun Network Information Technology Co., Ltd |").
        bool has_legal_form = false;
        for (size_t k = i; k < last; ++k) has_legal_form = has_legal_form || IsLegalForm(TokLower(k));
        if (has_legal_form && first > 0 && SameSentence(first - 1, i) && a_.tokens[first - 1].shape == text::TokenShape::kWord) {
          size_t b = first;
          while (b > 0 && first - b < 6 && SameSentence(b - 1, i) && IsWordTok(b - 1)) --b;
          bool cell_start = b == 0 || !SameSentence(b - 1, i) || IsPunct(b - 1, '|') ||
                            text_.substr(a_.tokens[b - 1].end, a_.tokens[b].begin - a_.tokens[b - 1].end).find('\n') !=
                                std::string_view::npos;
          if (cell_start && IsCap(b)) {
            first = b;
            has_name = true;
          }
        }
        // "National College of Nepal", "Bureau of Customs": an "of" and a proper name continue it.
        bool of_proper = false;
        if (!legal_form() && last + 1 < NTok() && Eq(TokLower(last), "of") && SameSentence(i, last + 1) &&
            IsNameTok(last + 1)) {
          size_t end = NameRunEnd(last + 1, 3);
          if (end > last + 1) {
            of_proper = !std::all_of(a_.tokens.begin() + static_cast<std::ptrdiff_t>(last + 1),
                                     a_.tokens.begin() + static_cast<std::ptrdiff_t>(end),
                                     [](const text::Token& tok) { return IsEnglishWord(tok.text); });
            last = end;
          }
        }
        // "Microsoft Office", "Google Cloud": a vendor and its product.
        bool product = first + 2 == last && IsProductWord(t);
        // "VP of Intelligence", "Director of Security": a title, not an organisation.
        bool title = Is(first, lexicon::kPersonTitle);
        if (has_name && last - first >= 2 && !product && !title) {
          // A run of ordinary capitalised words ("Risk Intelligence", "Business Services", "Cyber
          // Security") is a name only when a legal form or a proper name says so, or it recurs.
          // Public bodies ("National Security Agency", "Health Department") are often named in
          // ordinary words, so they are exempt.
          bool ordinary = !legal_form() && !of_proper && !IsPublicBodyDesignator(t);
          for (size_t k = first; k < i && ordinary; ++k) {
            std::string_view w = TokLower(k);
            if (Eq(w, "and") || Eq(w, "&") || Eq(w, "of") || Eq(w, "the")) continue;
            ordinary = IsEnglishWord(Tok(k)) || Is(k, lexicon::kOrgDesignator);
          }
          // "<Name> College of Nepal" outranks the country inside it.
          float score = of_proper ? 0.92f : ordinary ? 0.4f : 0.75f;
          Add(Make(first, last, EntityType::kOrganization, score, Intern("designator:" + std::string(t))));
        }
      }
      // (b) "Ministry of State Security", "Federal Bureau of Investigation".
      if (Is(i, lexicon::kOrgOpener) && i + 2 < NTok() && Eq(TokLower(i + 1), "of") &&
          SameSentence(i, i + 2)) {
        size_t j = i + 2;
        if (Eq(TokLower(j), "the") && j + 1 < NTok()) ++j;
        size_t end = j;
        while (end < NTok() && SameSentence(i, end)) {
          std::string_view el = TokLower(end);
          if (IsNameTok(end) || (a_.tokens[end].shape == text::TokenShape::kWord && IsCap(end))) {
            ++end;
          } else if ((Eq(el, "and") || Eq(el, "of") || Eq(el, "for")) && end + 1 < NTok() && IsCap(end + 1) &&
                     SameSentence(i, end + 1)) {
            end += 2;
          } else {
            break;
          }
        }
        if (end > j) {
          size_t first = i;
          while (first > 0 && SameSentence(first - 1, i) && IsNameTok(first - 1) &&
                 !Is(first - 1, lexicon::kOrgDesignator) && i - first < 3) {
            --first;
          }
          Add(Make(first, end, EntityType::kOrganization, 0.75f, Intern("designator:" + std::string(t) + "-of")));
        }
      }
      // (c) "cybersecurity firm Mandiant", "researchers at Acme Labs".
      std::string_view lw = TokLower(i);
      bool cue =
          Is(i, lexicon::kOrgCueNoun) && !Eq(lw, "group") && !IsCap(i);  // "firm X", not "University X"
      bool at = (Eq(lw, "at") || Eq(lw, "from")) && i > 0 &&
                (Eq(TokLower(i - 1), "researchers") || Eq(TokLower(i - 1), "analysts") ||
                 Eq(TokLower(i - 1), "experts"));
      if ((cue || at) && i + 1 < NTok() && SameSentence(i, i + 1) && IsNameTok(i + 1)) {
        size_t end = NameRunEnd(i + 1, 4);
        if (end > i + 1) Add(Make(i + 1, end, EntityType::kOrganization, 0.6f, Intern("cue:org-" + std::string(lw))));
      }
      // (d) "the chief executive of Bybit", "a spokesperson for Acme": the employer of a title.
      if (!IsCap(i) &&
          (Is(i, lexicon::kPersonTitle) || Eq(lw, "executive") || Eq(lw, "officer") || Eq(lw, "founder")) &&
          i + 2 < NTok() &&
          (Eq(TokLower(i + 1), "of") || Eq(TokLower(i + 1), "at") || Eq(TokLower(i + 1), "for")) &&
          SameSentence(i, i + 2) && IsNameTok(i + 2)) {
        size_t end = NameRunEnd(i + 2, 4);
        if (end > i + 2) Add(Make(i + 2, end, EntityType::kOrganization, 0.55f, "cue:title-of"));
      }
    }
  }

  // A personal name: two or three capitalised words (an initial like "A." allowed in the middle).
  size_t PersonNameEnd(size_t i) const {
    size_t j = i;
    while (j < NTok() && j - i < 3 && SameSentence(i, j)) {
      std::string_view t = Tok(j);
      bool initial = t.size() == 2 && t[1] == '.' && IsCap(j) && j > i;
      bool word = IsNameTok(j) && a_.tokens[j].shape == text::TokenShape::kWord && t.size() >= 2 &&
                  !std::all_of(t.begin(), t.end(), [](char c) { return c >= 'A' && c <= 'Z'; }) &&
                  !Is(j, lexicon::kOrgDesignator | lexicon::kActorFamily | lexicon::kPersonTitle) &&
                  t.find('.') == std::string_view::npos;
      if (!initial && !word) break;
      ++j;
    }
    while (j > i && Tok(j - 1).size() == 2 && Tok(j - 1)[1] == '.') --j;  // never end on an initial
    return j - i >= 2 ? j : i;
  }

  void AddPeople() {
    // Both rules start at a title or a capitalised word: the scan passes over the other tokens.
    auto next = [&](size_t i) {
      while (i < NTok() && !IsCap(i) && !Is(i, lexicon::kPersonTitle)) ++i;
      return i;
    };
    for (size_t i = next(0); i < NTok(); i = next(i + 1)) {
      // (a) titles: "FBI Deputy Assistant Director Brett Leatherman".
      if (Is(i, lexicon::kPersonTitle)) {
        size_t t_first = i, t_last = i + 1;
        while (t_last < NTok() && SameSentence(i, t_last) && Is(t_last, lexicon::kPersonTitle)) ++t_last;
        size_t end = PersonNameEnd(t_last);
        if (end > t_last) {
          while (t_first > 0 && SameSentence(t_first - 1, i) &&
                 (Is(t_first - 1, lexicon::kPersonTitle) ||
                  (IsCap(t_first - 1) && a_.tokens[t_first - 1].shape != text::TokenShape::kPunct &&
                   (!SentenceStart(t_first - 1) || IsAcronym(t_first - 1)) &&
                   !Is(t_first - 1, lexicon::kCommonCapitalised)))) {
            --t_first;
          }
          Candidate c = Make(t_last, end, EntityType::kPerson, 0.8f, "pattern:titled-person");
          std::string_view role = SpanText(t_first, t_last);  // never empty: t_last > t_first
          if (HasUpper(role) || role.size() > 3) c.role = role;
          Add(std::move(c));
          i = end - 1;
          continue;
        }
      }
      if (!IsNameTok(i) || (i > 0 && SameSentence(i - 1, i) && IsNameTok(i - 1))) continue;
      size_t end = PersonNameEnd(i);
      if (end == i) continue;
      // (b) appositive: "Brett Leatherman, the FBI's top cyber official, said".
      if (end + 2 < NTok() && IsPunct(end, ',') && SameSentence(i, end + 2)) {
        std::string_view art = TokLower(end + 1);
        size_t k = end + 1;
        bool titled = false;
        size_t stop = end + 1;
        while (stop < NTok() && SameSentence(i, stop) && stop < end + 12 && !IsPunct(stop, ',') &&
               !IsPunct(stop, '.')) {
          if (Is(stop, lexicon::kPersonTitle)) titled = true;
          ++stop;
        }
        if (titled &&
            (Eq(art, "the") || Eq(art, "a") || Eq(art, "an") || Is(k, lexicon::kPersonTitle) || IsCap(k))) {
          Candidate c = Make(i, end, EntityType::kPerson, 0.75f, "pattern:appositive-person");
          c.description = SpanText(end + 1, stop);  // never empty: `titled` saw a token
          c.role = c.description;
          Add(std::move(c));
          continue;
        }
      }
      // (c) speech: "Jane Doe said", "said Jane Doe".
      bool says_after = end < NTok() && SameSentence(i, end) && Is(end, lexicon::kSpeechVerb);
      bool says_before = i > 0 && SameSentence(i - 1, i) && Is(i - 1, lexicon::kSpeechVerb) &&
                         (end >= NTok() || !SameSentence(i, end) || IsPunct(end, ',') || IsPunct(end, '.'));
      if (says_after || says_before) Add(Make(i, end, EntityType::kPerson, 0.55f, "pattern:speaker"));
    }
  }

  // "Beijing denies ...", "Washington has long complained": the capital stands for the state.
  void AddMetonymy() {
    const Gazetteer& gaz = Gazetteer::Default();
    for (size_t i = NextWith(0, lexicon::kCapital); i < NTok(); i = NextWith(i + 1, lexicon::kCapital)) {
      std::string_view code = lexicon::CapitalCountry(Tok(i));
      if (code.empty()) continue;
      size_t j = i + 1;
      while (j < NTok() && j < i + 4 && SameSentence(i, j) &&
             (Eq(TokLower(j), "has") || Eq(TokLower(j), "have") || Eq(TokLower(j), "long") ||
              Eq(TokLower(j), "typically") || Eq(TokLower(j), "consistently") || Eq(TokLower(j), "also") ||
              Eq(TokLower(j), "often") || Eq(TokLower(j), "repeatedly") || Eq(TokLower(j), "quickly") ||
              Eq(TokLower(j), "not") || Eq(TokLower(j), "yet") || Eq(TokLower(j), "so") ||
              Eq(TokLower(j), "far"))) {
        ++j;
      }
      if (j >= NTok() || !SameSentence(i, j) || !Is(j, lexicon::kAgentVerb)) continue;
      const GazetteerEntry* country = gaz.CountryByCode(code);
      if (country == nullptr) continue;
      // The capital speaks for the state: the government, seated in the country.
      Candidate c = Make(i, i + 1, EntityType::kOrganization, 0.85f, "metonymy:capital");
      c.canonical = Intern("Government of " + std::string(country->canonical));
      c.org_kind = "government";
      c.country = code;
      c.metonymy = true;
      Add(std::move(c));
    }
  }

  // Cities, states and provinces from the lexicon's table, placed in their country.
  void AddCities() {
    for (size_t i = NextCap(0); i < NTok(); i = NextCap(i + 1)) {
      if (i > 0 && a_.tokens[i - 1].end == a_.tokens[i].begin && IsWordTok(i - 1)) continue;
      std::string_view country;
      size_t len = lexicon::MatchCity(text_.substr(a_.tokens[i].begin), &country);
      if (len == 0) continue;
      size_t end_byte = a_.tokens[i].begin + len;
      size_t j = TokAt(end_byte);
      // Followed by a capitalised word, the city is part of a longer name ("Washington Post",
      // "Paris Agreement", "London Stock Exchange").
      if (j < NTok() && SameSentence(i, j) && a_.tokens[j].begin == end_byte + 1 && IsCap(j) &&
          !Is(j, lexicon::kCommonCapitalised))
        continue;
      Candidate c;
      c.begin = a_.tokens[i].begin;
      c.end = end_byte;
      c.type = EntityType::kCity;
      c.canonical = text_.substr(c.begin, len);
      c.country = country;
      c.rule = "lexicon:city";
      c.score = 0.7f;
      Add(std::move(c));
      i = j > i ? j - 1 : i;
    }
  }

  void AddTagger() {
    const Tagger* tagger = Tagger::Default();
    if (tagger == nullptr) return;
    // Spans the other recognisers found, sorted by start, to skip sentences they fully explain.
    std::vector<std::pair<size_t, size_t>> spans;
    for (const Candidate& c : cands_) spans.emplace_back(c.begin, c.end);
    std::sort(spans.begin(), spans.end());
    cand_begin_.clear();
    cand_end_.clear();
    size_t max_end = 0;
    for (const auto& [b, e] : spans) {
      max_end = std::max(max_end, e);
      cand_begin_.push_back(b);
      cand_end_.push_back(max_end);  // running maximum: any earlier span reaching past b
    }
    const Gazetteer& gaz = Gazetteer::Default();
    std::vector<std::string_view> words;
    size_t i = 0;
    while (i < NTok()) {
      size_t s = tok_sentence_[i];
      size_t j = i;
      while (j < NTok() && tok_sentence_[j] == s) ++j;
      // The tagger is worth running only where a capitalised word that no rule or gazetteer
      // entry explains could start a name.
      bool interesting = false;
      for (size_t k = i + 1; k < j && !interesting; ++k) {
        if (!IsCap(k) || !IsWordTok(k) || Is(k, lexicon::kCommonCapitalised)) continue;
        size_t b = a_.tokens[k].begin;
        // Covered when the furthest end among spans starting at or before b passes b.
        auto it = std::upper_bound(cand_begin_.begin(), cand_begin_.end(), b);
        bool covered = it != cand_begin_.begin() && cand_end_[static_cast<size_t>(it - cand_begin_.begin()) - 1] > b;
        interesting = !covered;
      }
      if (interesting && j - i <= 200) {
        words.clear();
        for (size_t k = i; k < j; ++k) words.push_back(Tok(k));
        for (const TaggedSpan& span : tagger->Tag(words)) {
          size_t f = i + span.first_token, l = i + span.last_token;
          if (l <= f || l > j) continue;
          float score = (span.label == EntityLabel::kGroup ? 0.35f : 0.3f) + 0.3f * span.confidence;
          Candidate c = Make(f, l, EntityType::kOrganization, score, "");
          const std::string_view surface = c.canonical;
          switch (span.label) {
            case EntityLabel::kGroup:
              c.type = EntityType::kThreatActor;
              c.rule = "tagger:GROUP";
              break;
            case EntityLabel::kOrg:
              c.type = EntityType::kOrganization;
              c.rule = "tagger:ORG";
              break;
            case EntityLabel::kLoc: {
              const GazetteerEntry* e = gaz.Lookup(EntryKind::kCountry, surface);
              const GazetteerEntry* r = e ? nullptr : gaz.Lookup(EntryKind::kRegion, surface);
              if (e) {
                c.type = EntityType::kCountry;
                c.canonical = e->canonical;
                c.country = e->code;
              } else if (r) {
                c.type = EntityType::kRegion;
                c.canonical = r->canonical;
                c.region = r->code;
              } else {
                continue;  // a place STIX cannot locate without coordinates
              }
              c.rule = "tagger:LOC";
              break;
            }
            case EntityLabel::kSector: {
              const GazetteerEntry* e = gaz.Lookup(EntryKind::kSector, surface);
              if (e == nullptr) continue;
              c.type = EntityType::kSector;
              c.canonical = e->canonical;
              c.sector = e->code;
              c.rule = "tagger:SECTOR";
              break;
            }
            case EntityLabel::kNone:
              continue;
          }
          Add(std::move(c));
        }
      }
      i = j;
    }
  }

  // Bulleted lists of short names ("* UniCredit Group", "* BNL", "* Amazon"): the items of one
  // list are things of one kind. When organisations make up at least a third of the items and
  // outnumber every other kind, the items no rule typed are organisations too, and the
  // organisation reading of items with a weak other reading ("Amazon", "ING") gets support.
  void AddListItems() {
    struct Item {
      size_t first, last;  // tokens of the name, bullet and trailing punctuation excluded
    };
    auto bullet_item = [&](size_t s, Item* item) {
      const text::Sentence& sent = a_.sentences[s];
      // A line of its own (readers drop the bullet), or a line that starts with a bullet.
      bool own_line = (sent.begin == 0 || text_[sent.begin - 1] == '\n') &&
                      (sent.end >= text_.size() || text_[sent.end] == '\n');
      if (!own_line) return false;
      size_t f = TokAt(sent.begin);
      if (f >= NTok() || tok_sentence_[f] != s) return false;
      bool bullet = IsPunct(f, '*') || IsPunct(f, '-') || Eq(Tok(f), "\u2022");
      if (bullet) ++f;
      size_t l = f;
      while (l < NTok() && tok_sentence_[l] == s) ++l;
      while (l > f && a_.tokens[l - 1].shape == text::TokenShape::kPunct) --l;
      if (l <= f || l - f > 4 || !IsCap(f)) return false;
      for (size_t k = f; k < l; ++k)
        if (!IsWordTok(k) && !IsPunct(k, '&') && !IsPunct(k, '-')) return false;
      *item = {f, l};
      return true;
    };
    // The candidates found before the lists, by start, so that each item finds its own in
    // O(log n): indices, which the candidates the lists add do not invalidate. Sorted when the
    // first list turns up.
    const size_t before_lists = cands_.size();
    std::vector<uint32_t> by_begin;
    size_t s = 0;
    while (s < a_.sentences.size()) {
      std::vector<Item> items;
      Item it{};
      size_t e = s;
      while (e < a_.sentences.size() && bullet_item(e, &it)) {
        items.push_back(it);
        ++e;
      }
      if (items.size() >= 3) {
        if (by_begin.empty()) {
          by_begin.resize(before_lists);
          std::iota(by_begin.begin(), by_begin.end(), 0u);
          std::sort(by_begin.begin(), by_begin.end(),
                    [&](uint32_t x, uint32_t y) { return cands_[x].begin < cands_[y].begin; });
        }
        std::array<size_t, kTypeCount> kinds{};
        std::vector<int> typed(items.size(), -1);
        for (size_t n = 0; n < items.size(); ++n) {
          size_t b = a_.tokens[items[n].first].begin, en = a_.tokens[items[n].last - 1].end;
          float best = 0;
          auto from = std::lower_bound(by_begin.begin(), by_begin.end(), b,
                                       [&](uint32_t c, size_t pos) { return cands_[c].begin < pos; });
          for (; from != by_begin.end() && cands_[*from].begin < en; ++from) {
            const Candidate& c = cands_[*from];
            if (c.end <= en && c.score > best && c.score >= 0.4f) {
              best = c.score;
              typed[n] = TypeIndex(c.type);
            }
          }
          if (typed[n] >= 0) ++kinds[static_cast<size_t>(typed[n])];
          if (best < 0.6f) typed[n] = -1;  // a weak reading: the list may settle it
        }
        size_t orgs = kinds[static_cast<size_t>(TypeIndex(EntityType::kOrganization))];
        // The sentence that introduces the list may say what its items are: "sites", "banks".
        bool org_intro = false;
        if (s > 0) {
          static constexpr std::string_view kOrgNouns[] = {
              "sites", "websites", "portals", "companies", "organizations", "organisations", "banks", "brands",
              "vendors", "firms", "institutions", "victims", "customers", "providers", "entities", "agencies"};
          static const WordTable kOrgNounsSet = WordTable::Of(kOrgNouns);
          for (size_t k = TokAt(a_.sentences[s - 1].begin); k < NTok() && tok_sentence_[k] == s - 1 && !org_intro; ++k)
            org_intro = kOrgNounsSet.Contains(TokLower(k));
        }
        bool org_list = orgs >= 1 && (orgs * 3 >= items.size() || org_intro);
        for (int t = 0; t < kTypeCount && org_list; ++t)
          if (t != TypeIndex(EntityType::kOrganization) && kinds[static_cast<size_t>(t)] >= orgs) org_list = false;
        if (org_list) {
          for (size_t n = 0; n < items.size(); ++n) {
            if (typed[n] == TypeIndex(EntityType::kOrganization)) continue;
            if (items[n].last - items[n].first == 1 && IsEnglishWord(Tok(items[n].first)) &&
                !HasUpper(Tok(items[n].first).substr(1)))
              continue;  // "* Overview"
            Add(Make(items[n].first, items[n].last, EntityType::kOrganization, 0.6f, "list:organizations"));
          }
        }
      }
      s = e > s ? e : s + 1;
    }
  }

  // Coordinated names share a kind: in "groups such as APT33 and Gorgon" a capitalised name that
  // no rule typed, joined by a comma, "and" or "or" to a confidently typed actor after a group
  // noun, is an actor too. (Organisations are left alone: lists of vendors, tools and services
  // mix too freely.)
  void AddCoordinated() {
    std::vector<std::pair<size_t, size_t>> spans;  // every candidate span, sorted
    for (const Candidate& c : cands_) spans.emplace_back(c.begin, c.end);
    std::sort(spans.begin(), spans.end());
    auto covered = [&](size_t b, size_t e) {
      auto it = std::lower_bound(spans.begin(), spans.end(), std::make_pair(b, size_t{0}));
      return (it != spans.end() && it->first < e) || (it != spans.begin() && std::prev(it)->second > b);
    };
    auto joiner = [&](size_t k) {
      return IsPunct(k, ',') || Eq(TokLower(k), "and") || Eq(TokLower(k), "or");
    };
    std::vector<Candidate> added;
    size_t n = cands_.size();
    for (size_t ci = 0; ci < n; ++ci) {
      const Candidate& c = cands_[ci];
      if (c.score < 0.75f || c.type != EntityType::kThreatActor) continue;
      size_t f = TokAt(c.begin), l = TokAt(c.end);
      if (f >= NTok()) continue;
      // Only where the sentence speaks of groups: "groups such as A and B", "actors A, B".
      bool groups = false;
      for (size_t k = f; k > 0 && f - k < 6 && SameSentence(k - 1, f) && !groups; --k)
        groups = Is(k - 1, lexicon::kGroupNoun) && !Eq(TokLower(k - 1), "apt");
      if (!groups) continue;
      // Forward: ", X", "and X", ", and X"; backward: "X and", "X,".
      for (int dir : {1, -1}) {
        size_t k = dir > 0 ? l : f;
        for (int hops = 0; hops < 4; ++hops) {
          size_t start, end;
          if (dir > 0) {
            size_t j = k;
            if (j >= NTok() || !SameSentence(f, j) || !joiner(j)) break;
            ++j;
            if (j < NTok() && Eq(TokLower(j), "and") && SameSentence(f, j)) ++j;
            if (j >= NTok() || !SameSentence(f, j) || !IsNameTok(j) || IsEnglishWord(Tok(j)) != false) {
              // A dictionary word may start a name only with a proper name after it.
              if (j >= NTok() || !SameSentence(f, j) || !IsNameTok(j) || j + 1 >= NTok() || !IsNameTok(j + 1)) break;
            }
            start = j;
            end = NameRunEnd(j, 5);
            if (end <= start) break;
            k = end;
          } else {
            if (k < 2 || !SameSentence(k - 1, f) || !joiner(k - 1)) break;
            size_t e = k - 1;
            if (Eq(TokLower(e), "and") && e > 0 && IsPunct(e - 1, ',')) --e;
            if (e == 0 || !IsNameTok(e - 1) || !SameSentence(e - 1, f)) break;
            size_t b = e - 1;
            while (b > 0 && SameSentence(b - 1, f) && IsNameTok(b - 1) && e - b < 5) --b;
            if (SentenceStart(b) || (e - b == 1 && IsEnglishWord(Tok(b)))) break;
            start = b;
            end = e;
            k = b;
          }
          size_t bb = a_.tokens[start].begin, ee = a_.tokens[end - 1].end;
          if (covered(bb, ee)) continue;  // typed by some rule: leave it to the votes
          Candidate x = Make(start, end, c.type, 0.55f, Intern("coordinated:" + std::string(EntityTypeName(c.type))));
          added.push_back(std::move(x));
        }
      }
    }
    for (Candidate& x : added) Add(std::move(x));
  }

  // ---- overlaps ----------------------------------------------------------------------------
  static float Priority(const Group& g) {
    size_t len = g.end - g.begin;
    return g.best + std::min(0.1f, 0.004f * static_cast<float>(len));
  }

  void ResolveOverlaps() {
    // Candidates grouped by span, the groups in span order and each group's votes in the order
    // the recognisers proposed them: a stable sort of their indices.
    // The index breaks ties, which makes the sort stable; the votes of a group end up next to
    // each other in votes_.
    struct SpanKey {
      size_t begin, end;
      uint32_t index;
    };
    std::vector<SpanKey> by_span(cands_.size());
    for (size_t k = 0; k < cands_.size(); ++k) by_span[k] = {cands_[k].begin, cands_[k].end, static_cast<uint32_t>(k)};
    std::sort(by_span.begin(), by_span.end(), [](const SpanKey& x, const SpanKey& y) {
      return std::tie(x.begin, x.end, x.index) < std::tie(y.begin, y.end, y.index);
    });
    votes_.clear();
    votes_.reserve(cands_.size() + 16);
    for (const SpanKey& k : by_span) votes_.push_back(cands_[k.index]);
    std::vector<Group> groups;
    for (size_t k = 0; k < votes_.size();) {
      size_t e = k + 1;
      const Candidate& first = votes_[k];
      while (e < votes_.size() && votes_[e].begin == first.begin && votes_[e].end == first.end) ++e;
      Group& g = groups.emplace_back();
      g.begin = first.begin;
      g.end = first.end;
      g.first_vote = static_cast<uint32_t>(k);
      g.vote_count = static_cast<uint32_t>(e - k);
      for (; k < e; ++k) {
        g.best = std::max(g.best, votes_[k].score);
        g.blocked = g.blocked || votes_[k].blocked;
      }
    }
    std::vector<Group*> order;
    order.reserve(groups.size());
    for (Group& g : groups) {
      if (g.blocked) g.best = 2.0f;
      order.push_back(&g);
    }
    std::stable_sort(order.begin(), order.end(), [](const Group* x, const Group* y) {
      float px = Priority(*x), py = Priority(*y);
      if (px != py) return px > py;
      return x->begin < y->begin;
    });
    std::vector<std::pair<size_t, size_t>> taken;  // sorted spans
    for (Group* g : order) {
      auto it = std::lower_bound(taken.begin(), taken.end(), std::make_pair(g->begin, size_t{0}));
      bool clash = (it != taken.end() && it->first < g->end) || (it != taken.begin() && std::prev(it)->second > g->begin);
      if (clash) continue;
      taken.insert(it, {g->begin, g->end});
      if (!g->blocked) accepted_.push_back(*g);
    }
    blocked_spans_ = std::move(taken);
  }

  bool Covered(size_t b, size_t e) const {
    auto it = std::lower_bound(blocked_spans_.begin(), blocked_spans_.end(), std::make_pair(b, size_t{0}));
    return (it != blocked_spans_.end() && it->first < e) ||
           (it != blocked_spans_.begin() && std::prev(it)->second > b);
  }
  void Take(size_t b, size_t e) {
    auto it = std::lower_bound(blocked_spans_.begin(), blocked_spans_.end(), std::make_pair(b, size_t{0}));
    blocked_spans_.insert(it, {b, e});
  }

  static bool WordBoundary(std::string_view text, size_t b, size_t e) {
    auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80; };
    return (b == 0 || !is_word(text[b - 1])) && (e >= text.size() || !is_word(text[e]));
  }

  // Later short forms of long names ("Sichuan Juxinhe" for "Sichuan Juxinhe Network Technology"),
  // acronyms introduced as "Full Name (ACR)", and surnames of people named in full.
  void AddShortForms() {
    struct Form {
      std::string_view surface;  // a view into the text
      size_t of;  // index of the vote in votes_ (which the forms' own votes extend)
      float score;
      std::string_view rule;  // a literal
    };
    std::vector<Form> forms;
    // Accepted groups by start byte, built the first time a "(ACR)" needs it.
    std::unordered_map<size_t, size_t> accepted_at;
    auto group_at = [&](size_t begin) -> const Group* {
      if (accepted_at.empty())
        for (size_t gi = 0; gi < accepted_.size(); ++gi) accepted_at.emplace(accepted_[gi].begin, gi);
      auto it = accepted_at.find(begin);
      return it == accepted_at.end() ? nullptr : &accepted_[it->second];
    };
    for (const Group& g : accepted_) {
      const Candidate& best = BestVote(g);
      const size_t best_at = static_cast<size_t>(&best - votes_.data());
      size_t f = TokAt(g.begin), l = TokAt(g.end);
      if (best.type == EntityType::kOrganization && !best.from_gazetteer && l - f >= 3) {
        // Drop trailing designators: the remaining head (>= 2 tokens) is the short form.
        size_t head = l;
        while (head > f && (Is(head - 1, lexicon::kOrgDesignator) || IsPunct(head - 1, ','))) --head;
        if (head - f >= 2 && head < l) forms.push_back({SpanText(f, head), best_at, 0.7f, "short-form"});
      }
      if (best.type == EntityType::kPerson && l - f >= 2) {
        std::string_view surname = Tok(l - 1);
        if (surname.size() >= 4) forms.push_back({surname, best_at, 0.6f, "short-form:surname"});
      }
      // "Full Name (ACR)".
      if ((best.type == EntityType::kOrganization || best.type == EntityType::kThreatActor) && l + 2 < NTok() &&
          IsPunct(l, '(') && IsPunct(l + 2, ')')) {
        std::string_view acr = Tok(l + 1);
        // An acronym starts with the name's first letter ("Mahak Rayan Afraz (MRA)"), so that a
        // year or a section number in parentheses is none.
        // A known name in the parentheses ("Foreign Intelligence Service (SVR)") needs no match.
        bool known = false;
        if (const Group* og = group_at(a_.tokens[l + 1].begin); og != nullptr)
          known = og->end == a_.tokens[l + 1].end && BestVote(*og).type == best.type;
        if (acr.size() >= 2 && acr.size() <= 8 && acr[0] >= 'A' && acr[0] <= 'Z' && (acr[0] == Tok(f)[0] || known) &&
            std::all_of(acr.begin(), acr.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'; })) {
          forms.push_back({acr, best_at, 0.85f, "alias:acronym"});
          acronym_of_.emplace_back(acr, best.canonical);
        }
      }
    }
    std::vector<Group> added;
    for (const Form& form : forms) {
      for (size_t pos = text_.find(form.surface); pos != std::string_view::npos;
           pos = text_.find(form.surface, pos + 1)) {
        size_t e = pos + form.surface.size();
        if (!WordBoundary(text_, pos, e) || Covered(pos, e)) continue;
        Candidate c = votes_[form.of];
        c.begin = pos;
        c.end = e;
        c.score = form.score;
        c.rule = form.rule;
        c.role = {};
        c.description = {};
        Group g;
        g.begin = pos;
        g.end = e;
        g.best = c.score;
        g.first_vote = static_cast<uint32_t>(votes_.size());
        g.vote_count = 1;
        votes_.push_back(c);
        Take(pos, e);
        added.push_back(std::move(g));
      }
    }
    accepted_.insert(accepted_.end(), added.begin(), added.end());
  }

  std::span<const Candidate> Votes(const Group& g) const { return {votes_.data() + g.first_vote, g.vote_count}; }
  const Candidate& BestVote(const Group& g) const {
    std::span<const Candidate> votes = Votes(g);
    return *std::max_element(votes.begin(), votes.end(),
                             [](const Candidate& x, const Candidate& y) { return x.score < y.score; });
  }

  // ---- typing and merging ------------------------------------------------------------------
  struct Name {
    std::array<float, kTypeCount> votes{};
    int parent = -1;             // union-find over names
  };

  int Find(int x) {
    while (names_[static_cast<size_t>(x)].parent != x) {
      int p = names_[static_cast<size_t>(x)].parent;
      names_[static_cast<size_t>(x)].parent = names_[static_cast<size_t>(p)].parent;
      x = p;
    }
    return x;
  }
  void Union(int x, int y) {
    x = Find(x);
    y = Find(y);
    if (x != y) names_[static_cast<size_t>(y)].parent = x;
  }

  // The key a group's mentions are known by: a gazetteer entry's canonical name for gazetteer
  // matches (so "Fancy Bear" and "APT28" share one), else the written name.
  static std::string KeyOf(const Candidate& c) {
    std::string k = NameKey(c.canonical);
    if (c.type == EntityType::kCountry || c.type == EntityType::kRegion || c.type == EntityType::kSector ||
        c.type == EntityType::kCity)
      return std::string(EntityTypeName(c.type)) + ":" + k;
    return k;
  }

  void BuildEntities() {
    // Name per key; every vote of a group counts for the key of its best vote.
    std::vector<int> group_name(accepted_.size(), -1);
    for (size_t gi = 0; gi < accepted_.size(); ++gi) {
      const Group& g = accepted_[gi];
      const Candidate& best = BestVote(g);
      std::string key = KeyOf(best);
      if (key.empty() || IsGenericName(key)) continue;
      auto [it, inserted] = key_to_name_.try_emplace(key, static_cast<int>(names_.size()));
      if (inserted) {
        names_.emplace_back();
        names_.back().parent = it->second;
      }
      Name& n = names_[static_cast<size_t>(it->second)];
      for (const Candidate& c : Votes(g)) n.votes[static_cast<size_t>(TypeIndex(c.type))] += c.score;
      group_name[gi] = it->second;
    }
    MergeDeclaredAliases(group_name);
    // "Foreign Intelligence Service (SVR)": the acronym may be known to the gazetteer under
    // another canonical name, so it is found by its written form too (only documents with
    // acronyms pay for that index).
    std::unordered_map<std::string, int> written;  // NameKey of each group's text -> its name
    if (!acronym_of_.empty()) {
      for (size_t gi = 0; gi < accepted_.size(); ++gi) {
        const Group& g = accepted_[gi];
        if (group_name[gi] >= 0) written.try_emplace(NameKey(text_.substr(g.begin, g.end - g.begin)), group_name[gi]);
      }
    }
    auto name_of = [&](const std::string& k) {
      auto it = key_to_name_.find(k);
      if (it != key_to_name_.end()) return it->second;
      auto w = written.find(k);
      return w != written.end() ? w->second : -1;
    };
    for (const auto& [acr, full] : acronym_of_) {
      int a = name_of(NameKey(acr)), f = name_of(NameKey(full));
      if (a >= 0 && f >= 0) Union(f, a);
    }

    // One entity per union set, the sets in the order of their first name; a set's votes are
    // its names' votes added in name order.
    std::vector<int> set_of_root(names_.size(), -1), name_set(names_.size(), -1);
    std::vector<std::array<float, kTypeCount>> set_votes;
    for (size_t ni = 0; ni < names_.size(); ++ni) {
      const size_t r = static_cast<size_t>(Find(static_cast<int>(ni)));
      if (set_of_root[r] < 0) {
        set_of_root[r] = static_cast<int>(set_votes.size());
        set_votes.emplace_back();
      }
      const size_t si = static_cast<size_t>(set_of_root[r]);
      name_set[ni] = static_cast<int>(si);
      for (int t = 0; t < kTypeCount; ++t) set_votes[si][static_cast<size_t>(t)] += names_[ni].votes[static_cast<size_t>(t)];
    }
    // Each set's groups in text order, all in one array (a counting sort by set): accepted_ is
    // sorted by start, and no two accepted groups start at the same byte (they never overlap).
    std::vector<uint32_t> set_start(set_votes.size() + 1, 0), set_groups;
    for (size_t gi = 0; gi < accepted_.size(); ++gi)
      if (group_name[gi] >= 0) ++set_start[static_cast<size_t>(name_set[static_cast<size_t>(group_name[gi])]) + 1];
    for (size_t si = 0; si < set_votes.size(); ++si) set_start[si + 1] += set_start[si];
    set_groups.resize(set_start.back());
    {
      std::vector<uint32_t> fill(set_start.begin(), set_start.end() - 1);
      for (size_t gi = 0; gi < accepted_.size(); ++gi)
        if (group_name[gi] >= 0)
          set_groups[fill[static_cast<size_t>(name_set[static_cast<size_t>(group_name[gi])])]++] = static_cast<uint32_t>(gi);
    }

    a_.entities.reserve(a_.entities.size() + set_votes.size());
    a_.mentions.reserve(a_.mentions.size() + accepted_.size());
    std::vector<std::string> alias_keys;  // NameKey of each alias of the entity being built
    for (size_t si = 0; si < set_votes.size(); ++si) {
      const auto& votes = set_votes[si];
      size_t type_i = static_cast<size_t>(std::max_element(votes.begin(), votes.end()) - votes.begin());
      EntityType type = static_cast<EntityType>(type_i);
      float total = votes[type_i];
      if (total < 0.5f) continue;
      const std::span<const uint32_t> groups(set_groups.data() + set_start[si], set_start[si + 1] - set_start[si]);
      Entity e;
      e.type = type;
      e.score = std::min(1.0f, total);
      // The name: a gazetteer canonical of this type if any, else the longest written name of this type.
      const Candidate* name_from = nullptr;
      for (size_t gi : groups) {
        for (const Candidate& c : Votes(accepted_[gi])) {
          if (c.type != type) continue;
          bool better = name_from == nullptr || (c.from_gazetteer && !name_from->from_gazetteer) ||
                        (c.from_gazetteer == name_from->from_gazetteer && c.canonical.size() > name_from->canonical.size() &&
                         c.rule != "alias:acronym" && type != EntityType::kThreatActor) ||
                        (c.from_gazetteer == name_from->from_gazetteer && c.score > name_from->score + 0.1f);
          if (better) name_from = &c;
        }
      }
      if (name_from == nullptr) continue;
      e.name = CleanName(name_from->canonical, type);
      if (e.name.empty() || (!HasUpper(e.name) && type != EntityType::kSector)) continue;
      e.rule = name_from->rule;
      const std::string name_key = NameKey(e.name);
      alias_keys.clear();
      int entity_index = static_cast<int>(a_.entities.size());
      size_t first_mention = a_.mentions.size();
      for (size_t gi : groups) {
        const Group& g = accepted_[gi];
        const Candidate& best = BestVote(g);
        // Attributes from every vote of the chosen type.
        for (const Candidate& c : Votes(g)) {
          if (c.type != type) continue;
          if (e.country.empty() && !c.country.empty()) e.country = c.country;
          if (e.region.empty() && !c.region.empty()) e.region = c.region;
          if (e.sector.empty() && !c.sector.empty()) e.sector = c.sector;
          if (e.org_kind.empty() && !c.org_kind.empty()) e.org_kind = c.org_kind;
          if (!c.actor_type.empty() &&
              std::find(e.threat_actor_types.begin(), e.threat_actor_types.end(), c.actor_type) == e.threat_actor_types.end())
            e.threat_actor_types.emplace_back(c.actor_type);
          if (!c.role.empty() && std::find(e.roles.begin(), e.roles.end(), c.role) == e.roles.end())
            e.roles.emplace_back(c.role);
          if (e.description.empty() && !c.description.empty()) e.description = c.description;
        }
        const std::string_view alias = CleanName(type == EntityType::kThreatActor || type == EntityType::kOrganization
                                                     ? text_.substr(g.begin, g.end - g.begin)
                                                     : best.canonical,
                                                 type);
        if (best.type == type && best.rule != "short-form" && best.rule != "short-form:surname" && !best.metonymy &&
            !alias.empty() && HasUpper(alias) && (type == EntityType::kThreatActor || type == EntityType::kOrganization)) {
          std::string alias_key = NameKey(alias);
          if (alias_key != name_key && std::find(alias_keys.begin(), alias_keys.end(), alias_key) == alias_keys.end()) {
            e.aliases.emplace_back(alias);
            alias_keys.push_back(std::move(alias_key));
          }
        }
        Mention m;
        m.begin = g.begin;
        m.end = g.end;
        m.surface = std::string(text_.substr(g.begin, g.end - g.begin));
        m.type = type;
        m.entity = entity_index;
        m.sentence = SentenceOfByte(g.begin);
        m.rule = best.type == type ? std::string(best.rule)
                                    : std::string(best.rule) + " (typed " + std::string(EntityTypeName(type)) + " by evidence)";
        m.score = best.score;
        m.demonym = best.demonym;
        m.metonymy = best.metonymy;
        e.mentions.push_back(a_.mentions.size());
        a_.mentions.push_back(std::move(m));
      }
      bool incomplete = (type == EntityType::kSector && e.sector.empty()) ||
                        ((type == EntityType::kCountry || type == EntityType::kCity) && e.country.empty()) ||
                        (type == EntityType::kRegion && e.region.empty());
      if (incomplete) {  // STIX cannot express it: its mentions go
        for (size_t mi = first_mention; mi < a_.mentions.size(); ++mi) a_.mentions[mi].entity = -1;
        continue;
      }
      a_.entities.push_back(std::move(e));
    }
    // Mentions in text order.
    std::vector<size_t> order(a_.mentions.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return a_.mentions[x].begin < a_.mentions[y].begin; });
    std::vector<Mention> sorted;
    sorted.reserve(order.size());
    std::vector<size_t> new_index(order.size());
    for (size_t k = 0; k < order.size(); ++k) {
      new_index[order[k]] = k;
      sorted.push_back(std::move(a_.mentions[order[k]]));
    }
    a_.mentions = std::move(sorted);
    for (Entity& e : a_.entities) {
      for (size_t& m : e.mentions) m = new_index[m];
      std::sort(e.mentions.begin(), e.mentions.end());
    }
    a_.mentions.erase(std::remove_if(a_.mentions.begin(), a_.mentions.end(),
                                     [&](const Mention& m) {
                                       return m.entity < 0 || static_cast<size_t>(m.entity) >= a_.entities.size();
                                     }),
                      a_.mentions.end());
    ReindexMentions();
  }

  void ReindexMentions() {
    for (Entity& e : a_.entities) e.mentions.clear();
    for (size_t mi = 0; mi < a_.mentions.size(); ++mi) {
      Mention& m = a_.mentions[mi];
      a_.entities[static_cast<size_t>(m.entity)].mentions.push_back(mi);
    }
  }

  // `name` without surrounding spaces and quotes, a leading "the" and a trailing possessive: a
  // view into `name`, as every step only drops a prefix or a suffix.
  static std::string_view CleanName(std::string_view name, EntityType type) {
    auto trim = [](std::string_view& s) {
      while (!s.empty() && (s.back() == ' ' || s.back() == '"' || s.back() == ',' || s.back() == '.' ||
                            s.back() == '\'')) {
        if (s.back() == '.' && s.size() >= 3 && (s[s.size() - 3] == '.' || std::isupper(static_cast<unsigned char>(s[s.size() - 2])) ||
                                                 s.ends_with("Co.") || s.ends_with("Ltd.") || s.ends_with("Inc.")))
          break;
        s.remove_suffix(1);
      }
      size_t b = 0;
      while (b < s.size() && (s[b] == ' ' || s[b] == '"' || s[b] == '\'')) ++b;
      s.remove_prefix(b);
    };
    trim(name);
    if (type != EntityType::kSector && (name.starts_with("the ") || name.starts_with("The "))) name.remove_prefix(4);
    if (name.size() > 2 && name.ends_with("'s")) name.remove_suffix(2);
    trim(name);
    return name;
  }

  // "X, also known as Y", "X (aka Y, Z)", "Y, which Microsoft tracks as X", "X (Y)" between two
  // actor names.
  void MergeDeclaredAliases(const std::vector<int>& group_name) {
    const std::string_view lower_text = a_.lower_text;  // the text lower-cased, same offsets
    std::string squeezed;  // reused: it keeps its capacity
    for (size_t gi = 0; gi + 1 < accepted_.size(); ++gi) {
      if (group_name[gi] < 0) continue;
      const Candidate& a = BestVote(accepted_[gi]);
      if (a.type != EntityType::kThreatActor) continue;
      bool in_alias_list = false;
      for (size_t gj = gi + 1; gj < accepted_.size() && gj < gi + 6; ++gj) {
        if (group_name[gj] < 0) continue;
        const Candidate& b = BestVote(accepted_[gj]);
        if (SentenceOfByte(accepted_[gj].begin) != SentenceOfByte(accepted_[gi].begin)) break;
        std::string_view between = lower_text.substr(accepted_[gj - 1].end, accepted_[gj].begin - accepted_[gj - 1].end);
        squeezed.clear();
        for (char c : between)
          if (!std::isspace(static_cast<unsigned char>(c))) squeezed.push_back(c);
        bool alias_cue = Eq(squeezed, "(") || Eq(squeezed, "(aka") || Eq(squeezed, "(a.k.a.") ||
                         Eq(squeezed, "(alsoknownas") || Eq(squeezed, ",alsoknownas") ||
                         Eq(squeezed, "alsoknownas") || Eq(squeezed, "aka") || Eq(squeezed, ",aka") ||
                         Eq(squeezed, "/") || Eq(squeezed, "(trackedas") || Eq(squeezed, ",alsotrackedas") ||
                         Eq(squeezed, "(alsotrackedas") || Eq(squeezed, ",whichmicrosofttracksas") ||
                         Eq(squeezed, ",trackedas") || Eq(squeezed, "(alsocalled") ||
                         Eq(squeezed, ",alsocalled") || Eq(squeezed, "(formerly") ||
                         Eq(squeezed, ",formerly") || Eq(squeezed, "(or") || Eq(squeezed, "or") ||
                         Eq(squeezed, ",alsoreferredtoas") || Eq(squeezed, "(alsoreferredtoas") ||
                         (squeezed.find("tracksas") != std::string::npos && squeezed.size() < 30) ||
                         (squeezed.find("knownas") != std::string::npos && squeezed.size() < 24) ||
                         (squeezed.find("trackedas") != std::string::npos && squeezed.size() < 30);
        bool list_cont = in_alias_list && (Eq(squeezed, ",") || Eq(squeezed, ",and") || Eq(squeezed, "and") ||
                                           Eq(squeezed, ",or"));
        bool b_actorish = b.type == EntityType::kThreatActor ||
                          std::ranges::any_of(Votes(accepted_[gj]), [](const Candidate& c) { return c.type == EntityType::kThreatActor; });
        if ((alias_cue || list_cont) && b_actorish) {
          Union(group_name[gi], group_name[gj]);
          in_alias_list = true;
          continue;
        }
        break;
      }
    }
  }

  Analysis& a_;
  const ExtractOptions& opt_;
  std::string_view text_;
  std::deque<std::string> interned_;  // Intern(): a deque never moves its elements
  const std::vector<size_t>& tok_sentence_ = a_.token_sentence;
  std::vector<uint8_t> cap_;             // each token starts with a capital (IsCap)
  std::vector<uint8_t> sent_threat_, sent_title_, sent_machine_;
  std::vector<Candidate> cands_;
  std::vector<size_t> cand_begin_, cand_end_;  // AddTagger's index of candidate spans
  std::vector<Candidate> votes_;  // every group's votes, each group's together (ResolveOverlaps)
  std::vector<Group> accepted_;
  std::vector<std::pair<size_t, size_t>> blocked_spans_;
  std::vector<std::pair<std::string_view, std::string_view>> acronym_of_;  // views, as in Candidate
  std::vector<Name> names_;
  std::unordered_map<std::string, int> key_to_name_;
};

}  // namespace

void ExtractEntities(Analysis* analysis, const ExtractOptions& options) {
  Extractor(analysis, options).Run();
}

}  // namespace prose2stix::extract
