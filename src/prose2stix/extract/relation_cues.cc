// The cue lists as constant arrays, each tagged with its class bit. They are looked up through
// the lexicon's word table (lexicon.cc), which holds them beside its own lists with the classes
// shifted into the high 32 bits: the one lookup per token that classifies it for the entity
// rules classifies it for the relation rules too.
#include "prose2stix/extract/relation_cues.h"

#include <span>

#include "prose2stix/extract/lexicon.h"

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

}  // namespace

std::span<const List> Lists() { return kLists; }

Classes Classify(std::string_view lower) {
  // The lists are lower case and matched exactly: a word with a capital is in none of them.
  for (char c : lower)
    if (c >= 'A' && c <= 'Z') return 0;
  return lexicon::RelationCues(lexicon::Classify(lower));
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
