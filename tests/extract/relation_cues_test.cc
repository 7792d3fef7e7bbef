// Tests of the relation cue classes: spot checks of words the relation rules depend on, and
// agreement between Classify() and a plain search of the lists for every list word and its near
// misses (other case, plural, truncated, prefixed).
#include "prose2stix/extract/relation_cues.h"

#include <algorithm>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "prose2stix/extract/lexicon.h"
#include "prose2stix/text/token.h"

namespace prose2stix::extract::relation_cues {
namespace {

// Every class bit, named for failure messages.
struct ClassInfo {
  Classes bit;
  const char* name;
};
constexpr ClassInfo kClasses[] = {
    {kTargetVerb, "target verb"},       {kSupplyWord, "supply word"},         {kSanctionWord, "sanction word"},
    {kAttribWord, "attribution word"},  {kReportingVerb, "reporting verb"},   {kContrast, "contrast"},
    {kVictimNoun, "victim noun"},       {kVictimListVerb, "victim list verb"}, {kDemonstrative, "demonstrative"},
    {kAnaphorModifier, "anaphor modifier"}, {kAnaphorNoun, "anaphor noun"}, {kCompanyNoun, "company noun"},
    {kNounCue, "noun cue"},             {kNounCuePrep, "noun cue preposition"}, {kArticle, "article"},
    {kModifierPrep, "modifier preposition"}, {kObjectStop, "object stop"}, {kPossessive, "possessive"},
    {kAidVerb, "aid verb"},             {kStateBacked, "state-backed"},       {kStateSuffix, "state suffix"},
    {kSpyWord, "spy word"},             {kCrimeWord, "crime word"},           {kRansomwareNoun, "ransomware noun"},
    {kActivistWord, "activist word"},   {kActiveWord, "active word"},         {kModifier, "modifier"},
    {kActorModifier, "actor modifier"}, {kOrgModifier, "organisation modifier"}, {kToldSaid, "told/said"},
    {kActorAttribute, "actor attribute"},
};

Classes SlowClassify(std::string_view word) {
  Classes out = 0;
  for (const ClassInfo& c : kClasses) {
    const std::vector<std::string_view> words = ClassWords(c.bit);
    if (std::find(words.begin(), words.end(), word) != words.end()) out |= c.bit;
  }
  return out;
}

std::string Upper(std::string_view w) {
  std::string out(w);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

struct Spot {
  const char* word;
  Classes has;      // bits the word must have
  Classes has_not;  // bits it must not have
};

// What the rules need of particular words, from their descriptions in relation_extractor.cc.
const Spot kSpots[] = {
    {"targeted", kTargetVerb, kNounCue | kSupplyWord},
    {"attacks", kTargetVerb | kNounCue, 0},
    {"hacking", kTargetVerb | kNounCue | kAnaphorModifier | kActorModifier, kAnaphorNoun},
    {"provided", kSupplyWord, kAidVerb | kTargetVerb},
    {"helped", kSupplyWord | kAidVerb, 0},
    {"sanctions", kSanctionWord, kSupplyWord},
    {"sponsored", kAttribWord | kStateSuffix, kActorAttribute},
    {"on", kAttribWord | kNounCuePrep, kArticle},
    {"linked", kAttribWord | kReportingVerb | kModifier, kTargetVerb},
    {"said", kReportingVerb | kObjectStop | kToldSaid, 0},
    {"told", kReportingVerb | kObjectStop | kToldSaid, 0},
    {"while", kContrast | kObjectStop, 0},
    {"although", kContrast, kObjectStop},
    {"targets", kTargetVerb | kVictimNoun, kNounCue},
    {"were", kVictimListVerb, 0},
    {"including", kVictimListVerb | kObjectStop, 0},
    {"the", kDemonstrative | kArticle | kModifier, kPossessive},
    {"that", kDemonstrative | kObjectStop, kArticle},
    {"a", kArticle, kDemonstrative},
    {"apt", kAnaphorModifier | kAnaphorNoun | kActorModifier, 0},
    {"group", kAnaphorNoun | kRansomwareNoun | kActorModifier, kCompanyNoun},
    {"supplier", kCompanyNoun | kSupplyWord, kAnaphorNoun},
    {"by", kModifierPrep, kObjectStop},
    {"its", kPossessive, kArticle},
    {"state-backed", kStateBacked | kModifier | kActorAttribute, 0},
    {"state", kModifier | kActorAttribute, kStateBacked},
    {"-sponsored", kStateSuffix, kModifier},
    {"espionage", kSpyWord | kActorAttribute | kAnaphorModifier | kActorModifier, 0},
    {"criminals", kCrimeWord | kActorAttribute, 0},
    {"affiliate", kRansomwareNoun, kAnaphorNoun},
    {"hacktivism", kActivistWord | kActorAttribute, 0},
    {"financially", kActorAttribute, kCrimeWord},
    {"since", kActorAttribute, 0},
    {"in", kActorAttribute, kNounCuePrep},
    {"existed", kActiveWord, 0},
    {"'s", kModifier, 0},
    {"state-owned", kOrgModifier, kActorModifier},
    {"nation-state", kStateBacked | kActorModifier, kOrgModifier},
    // Words in no list, and list words in another form.
    {"malware", 0, ~Classes{0}},
    {"", 0, ~Classes{0}},
    {"Targeted", 0, ~Classes{0}},
    {"THE", 0, ~Classes{0}},
    {"targete", 0, ~Classes{0}},
    {"state-sponsoredx", 0, ~Classes{0}},
    {"government-backed-and-more-than-that", 0, ~Classes{0}},
};

TEST_CASE("relation cues: the words the rules depend on are in their classes") {
  for (const Spot& s : kSpots) {
    const Classes c = Classify(s.word);
    CHECK_MESSAGE((c & s.has) == s.has, "word '" << s.word << "' classes " << c);
    CHECK_MESSAGE((c & s.has_not) == 0, "word '" << s.word << "' classes " << c);
  }
}

TEST_CASE("relation cues: Classify agrees with a search of the lists, near misses included") {
  for (const ClassInfo& c : kClasses) {
    const std::vector<std::string_view> words = ClassWords(c.bit);
    CHECK_MESSAGE(words.size() >= 2, c.name);
    for (std::string_view w : words) {
      CHECK_MESSAGE((Classify(w) & c.bit) != 0, c.name << ": '" << w << "'");
      CHECK_MESSAGE((Classify(w) & kUnusedBit) == 0, c.name << ": '" << w << "'");
      const std::string word(w);
      for (const std::string& v : {word, Upper(word), word + "s", word + "x", word.substr(0, word.size() - 1),
                                   word.substr(1), "x" + word, " " + word}) {
        CHECK_MESSAGE(Classify(v) == SlowClassify(v), c.name << ": probe '" << v << "'");
      }
    }
  }
}

TEST_CASE("relation cues: the lexicon's token classes carry each token's cue classes") {
  // The tokens as written (capitals included) are classified by lexicon::ClassifyTokens; their
  // cue classes must be Classify() of the lower-cased token, up to the last bytes of the text.
  const std::string text =
      "The group, which was State-Backed, TARGETED suppliers; its Hacktivists said so. "
      "APT cyber-espionage sanctioned Government-backed x On";
  std::string lower = text;
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  std::vector<text::Token> tokens;
  for (size_t b = 0; b < text.size();) {
    size_t e = b;
    while (e < text.size() && text[e] != ' ' && text[e] != ',' && text[e] != ';' && text[e] != '.') ++e;
    if (e == b) ++e;  // a punctuation token
    text::Token t;
    t.begin = b;
    t.end = e;
    if (text[b] != ' ') tokens.push_back(t);
    b = e;
  }
  REQUIRE(tokens.size() > 20);
  std::vector<lexicon::WordClasses> got(tokens.size(), ~lexicon::WordClasses{0});
  lexicon::ClassifyTokens(text, tokens, got.data());
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string_view w = std::string_view(lower).substr(tokens[i].begin, tokens[i].end - tokens[i].begin);
    CHECK_MESSAGE(lexicon::RelationCues(got[i]) == Classify(w), "token '" << w << "'");
  }
  CHECK((lexicon::RelationCues(got.back()) & kAttribWord) != 0);  // "On", the text's last two bytes
  CHECK((lexicon::RelationCues(got.front()) & kDemonstrative) != 0);
  CHECK((lexicon::RelationCues(got[7]) & kTargetVerb) != 0);  // "TARGETED"
  CHECK((Classify("TARGETED") & kTargetVerb) == 0);          // Classify itself is exact
}

TEST_CASE("relation cues: a view into a longer text is classified by its own bytes") {
  const std::string text = "targeted, then attacks";
  CHECK((Classify(std::string_view(text).substr(0, 8)) & kTargetVerb) != 0);
  CHECK(Classify(std::string_view(text).substr(0, 9)) == 0);  // "targeted,"
  CHECK((Classify(std::string_view(text).substr(15, 6)) & kNounCue) != 0);  // "attack"
}

}  // namespace
}  // namespace prose2stix::extract::relation_cues
