#include "prose2stix/extract/lexicon.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "prose2stix/extract/relation_cues.h"

namespace prose2stix::extract::lexicon {
namespace {

struct ClassInfo {
  WordClasses word_class;
  const char* name;
  bool any_case;  // matched on the lower-cased word (else as written)
};

const ClassInfo kClasses[] = {
    {kGroupNoun, "group noun", true},           {kThreatWord, "threat word", true},
    {kOrgCueNoun, "org cue noun", true},        {kPersonTitle, "person title", true},
    {kSpeechVerb, "speech verb", true},         {kAgentVerb, "agent verb", true},
    {kNameCue, "name cue", true},               {kMalwareNoun, "malware noun", true},
    {kOrgDesignator, "org designator", false},  {kOrgOpener, "org opener", false},
    {kCommonCapitalised, "common capitalised", false}, {kActorFamily, "actor family", false},
    {kCapital, "capital", false},
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}
std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return out;
}
std::string Capitalised(std::string_view s) {
  std::string out = Lower(s);
  if (!out.empty()) out[0] = Upper(out.substr(0, 1))[0];
  return out;
}

// The classes of `word` by searching the lists one by one: the reference Classify() must match.
WordClasses SlowClassify(std::string_view word) {
  WordClasses out = 0;
  for (const ClassInfo& c : kClasses) {
    const std::vector<std::string_view> words = ClassWords(c.word_class);
    const std::string key = c.any_case ? Lower(word) : std::string(word);
    if (std::find(words.begin(), words.end(), key) != words.end()) out |= c.word_class;
  }
  // The relation cue lists, lower case, in the high bits.
  for (const relation_cues::List& list : relation_cues::Lists()) {
    if (std::find(list.words.begin(), list.words.end(), Lower(word)) != list.words.end())
      out |= WordClasses{list.bits} << kRelationCueShift;
  }
  return out;
}

// Every list word, its case variants and its near misses: the words the checks below run over.
std::vector<std::string> Probes() {
  std::vector<std::string> out = {"", "a", "The", "the", "THE", "said", "Said", "Beijing", "beijing", "Typhoon",
                                  "typhoon", "TYPHOON", "Inc.", "inc.", "Inc", "PLC", "plc", "Plc", "Ms.", "MS.",
                                  "threat-actor", "Ministry", "ministry", "APT", "Apt", "apt", "New Delhi",
                                  "director\xC3\xA9", "\xC3\x89tat", std::string(40, 'a')};
  std::vector<std::string_view> words;
  for (const ClassInfo& c : kClasses) {
    const std::vector<std::string_view> list = ClassWords(c.word_class);
    words.insert(words.end(), list.begin(), list.end());
  }
  for (const relation_cues::List& list : relation_cues::Lists()) words.insert(words.end(), list.words.begin(), list.words.end());
  {
    for (std::string_view w : words) {
      const std::string word(w);
      for (const std::string& v : {word, Lower(word), Upper(word), Capitalised(word), word + "s", word + "x",
                                   word.substr(0, word.size() - 1), word.substr(1), "x" + word}) {
        out.push_back(v);
      }
    }
  }
  return out;
}

TEST_CASE("Lexicon classes: every list word is found, in the case rules of its list") {
  for (const ClassInfo& c : kClasses) {
    const std::vector<std::string_view> words = ClassWords(c.word_class);
    CHECK_MESSAGE(words.size() >= 5, c.name);
    for (std::string_view w : words) {
      CHECK_MESSAGE((Classify(w) & c.word_class) != 0, c.name << ": '" << w << "'");
      if (c.any_case) {
        // Lower-case lists match whatever the capitalisation.
        CHECK_MESSAGE((Classify(Upper(w)) & c.word_class) != 0, c.name << ": '" << Upper(w) << "'");
        CHECK_MESSAGE((Classify(Capitalised(w)) & c.word_class) != 0, c.name << ": '" << Capitalised(w) << "'");
      } else if (Lower(w) != w && std::find(words.begin(), words.end(), Lower(w)) == words.end()) {
        // Case-sensitive lists do not match another spelling ("inc." is not "Inc.").
        CHECK_MESSAGE((Classify(Lower(w)) & c.word_class) == 0, c.name << ": '" << Lower(w) << "'");
      }
    }
  }
}

TEST_CASE("Lexicon classes agree with a search of the lists, near misses included") {
  for (const std::string& p : Probes()) {
    CHECK_MESSAGE(Classify(p) == SlowClassify(p), "word '" << p << "'");
  }
}

TEST_CASE("Lexicon Is... functions agree with the classes") {
  for (const std::string& p : Probes()) {
    const WordClasses c = Classify(p);
    const std::string lower = Lower(p);
    const WordClasses cl = Classify(lower);
    INFO("word '" << p << "'");
    // The lower-case lists take the lower-cased word.
    CHECK(IsGroupNoun(lower) == ((c & kGroupNoun) != 0));
    CHECK(IsThreatWord(lower) == ((c & kThreatWord) != 0));
    CHECK(IsOrgCueNoun(lower) == ((c & kOrgCueNoun) != 0));
    CHECK(IsSpeechVerb(lower) == ((c & kSpeechVerb) != 0));
    CHECK(IsAgentVerb(lower) == ((c & kAgentVerb) != 0));
    // ... and only that: "Group" is not a group noun to IsGroupNoun.
    if (lower != p) CHECK_FALSE(IsGroupNoun(p));
    CHECK(IsPersonTitle(p) == ((c & kPersonTitle) != 0));
    CHECK(IsPersonTitle(lower) == ((cl & kPersonTitle) != 0));
    CHECK(IsOrgDesignator(p) == ((c & kOrgDesignator) != 0));
    CHECK(IsOrgOpener(p) == ((c & kOrgOpener) != 0));
    CHECK(IsCommonCapitalised(p) == ((c & kCommonCapitalised) != 0));
    CHECK((FindActorFamily(p) != nullptr) == ((c & kActorFamily) != 0));
    CHECK(!CapitalCountry(p).empty() == ((c & kCapital) != 0));
  }
}

struct Expect {
  const char* word;
  WordClasses want;
};

TEST_CASE("Lexicon classes of sample words") {
  static const Expect kCases[] = {
      {"group", kGroupNoun | kOrgCueNoun},
      {"Group", kGroupNoun | kOrgCueNoun | kOrgDesignator},
      {"apt", kGroupNoun | kThreatWord},
      {"APT", kGroupNoun | kThreatWord},
      {"Director", kPersonTitle},
      {"known", kNameCue},
      {"Dubbed", kNameCue},
      {"a.k.a.", kNameCue},
      {"A.K.A.", kNameCue},
      {"a.k.a", 0},
      {"knowns", 0},
      {"name", 0},
      {"ransomware", kMalwareNoun | kThreatWord},
      {"Website", kMalwareNoun},
      {"websites", 0},
      {"rats", 0},
      {"tools", 0},
      {"SPOKESPERSON", kPersonTitle},
      {"Dr.", kPersonTitle},
      {"Dr", 0},
      {"said", kSpeechVerb | kAgentVerb},
      {"Said", kSpeechVerb | kAgentVerb},
      {"Ministry", kOrgDesignator | kOrgOpener},
      {"ministry", 0},
      {"Inc.", kOrgDesignator},
      {"Inc", kOrgDesignator},
      {"INC.", 0},
      {"plc", kOrgDesignator},
      {"Plc", 0},
      {"However", kCommonCapitalised},
      {"however", 0},
      {"Typhoon", kActorFamily},
      {"typhoon", 0},
      {"BRONZE", kActorFamily},
      {"Bronze", 0},
      {"Beijing", kCapital},
      {"Kremlin", kCapital},
      {"Delhi", 0},
      {"ransomware", kThreatWord | kMalwareNoun},
      {"Ransomware", kThreatWord | kMalwareNoun},
      {"ransomwares", 0},
      {"vendor", kOrgCueNoun},
      {"hackers", kGroupNoun | kThreatWord},
      {"", 0},
      {"\xC3\x89tat", 0},
  };
  // The lexicon's own classes; the relation cue classes in the high bits are checked below.
  for (const Expect& e : kCases)
    CHECK_MESSAGE((Classify(e.word) & ~kRelationCueClasses) == e.want, "word '" << e.word << "'");
  CHECK(RelationCues(Classify("Targeted")) == relation_cues::kTargetVerb);
  CHECK(RelationCues(Classify("SAID")) ==
        (relation_cues::kReportingVerb | relation_cues::kObjectStop | relation_cues::kToldSaid));
  CHECK(RelationCues(Classify("Typhoon")) == 0);

  // The same words as tokens of one text, through ClassifyTokens; one-byte tokens too.
  std::string text;
  std::vector<text::Token> tokens;
  std::vector<WordClasses> want;
  auto add = [&](std::string_view w, WordClasses classes) {
    text::Token t;
    t.begin = text.size();
    text += w;
    t.end = text.size();
    text += ' ';
    tokens.push_back(t);
    want.push_back(classes);
  };
  for (const Expect& e : kCases) add(e.word, Classify(e.word));
  for (int c = 1; c < 256; ++c) {
    const std::string one(1, static_cast<char>(c));
    add(one, Classify(one));
  }
  // Every list word as written, lower-cased, capitalised and in capitals: the batch call's
  // first-letter filter must let each through.
  std::vector<std::string> spellings;
  std::vector<std::string_view> list_words;
  for (int bit = 0; bit < 32; ++bit) {
    const std::vector<std::string_view> words = ClassWords(WordClasses{1} << bit);
    list_words.insert(list_words.end(), words.begin(), words.end());
  }
  for (const relation_cues::List& list : relation_cues::Lists())
    list_words.insert(list_words.end(), list.words.begin(), list.words.end());
  {
    for (std::string_view w : list_words) {
      std::string lower(w), upper(w), capital;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      capital = lower;
      if (!capital.empty()) capital[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(capital[0])));
      for (const std::string& v : {std::string(w), lower, upper, capital}) spellings.push_back(v);
    }
  }
  for (const std::string& v : spellings) add(v, Classify(v));
  std::vector<WordClasses> got(tokens.size(), ~WordClasses{0});
  ClassifyTokens(text, tokens, got.data());
  for (size_t i = 0; i < tokens.size(); ++i) {
    CHECK_MESSAGE(got[i] == want[i], "token '" << text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin) << "'");
  }
}

TEST_CASE("Lexicon families and capitals keep their data") {
  const ActorFamily* f = FindActorFamily("Typhoon");
  REQUIRE(f != nullptr);
  CHECK(f->country == "CN");
  CHECK_FALSE(f->noun_first);
  f = FindActorFamily("GOLD");
  REQUIRE(f != nullptr);
  CHECK(f->actor_type == "crime-syndicate");
  CHECK(f->noun_first);
  CHECK(FindActorFamily("Gold") == nullptr);
  CHECK(CapitalCountry("Moscow") == "RU");
  CHECK(CapitalCountry("Kremlin") == "RU");
  CHECK(CapitalCountry("moscow").empty());
}

struct CityCase {
  const char* text;
  size_t want_len;
  const char* want_country;
};

TEST_CASE("Lexicon cities: the longest name on a word boundary") {
  static const CityCase kCases[] = {
      {"Washington, D.C. said", 16, "US"},
      {"Washington D.C. said", 15, "US"},
      {"Washington said", 10, "US"},
      {"New York City police", 13, "US"},
      {"New York police", 8, "US"},
      {"New Yorker magazine", 0, ""},
      {"Parisian cafes", 0, ""},
      {"Paris.", 5, "FR"},
      {"Paris", 5, "FR"},
      {"Ho Chi Minh City", 16, "VN"},
      {"St. Petersburg", 14, "RU"},
      {"Kyiv's", 4, "UA"},
      {"Kyivan", 0, ""},
      {"Romero", 0, ""},
      {"paris", 0, ""},
      {"P", 0, ""},
      {"", 0, ""},
      {"Zurich", 6, "CH"},
      {"The Hague", 9, "NL"},
  };
  for (const CityCase& c : kCases) {
    std::string_view country;
    const size_t len = MatchCity(c.text, &country);
    CHECK_MESSAGE(len == c.want_len, "text '" << c.text << "'");
    if (c.want_len > 0) CHECK_MESSAGE(country == c.want_country, "text '" << c.text << "'");
  }
}

}  // namespace
}  // namespace prose2stix::extract::lexicon
