// The cue words of relation extraction (relation_extractor.cc) as word classes: each list the
// rules consult is one bit, and one table lookup gives every bit of a lower-cased token, so the
// rules test bits instead of comparing a token against lists. The lookup is the lexicon's
// (lexicon::ClassifyTokens and lexicon::RelationCues), which holds these lists too.
//
//   relation_cues::Classes c = relation_cues::Classify("targeted");  // kTargetVerb
//   if (c & relation_cues::kTargetVerb) ...
//
// Words are matched exactly, byte for byte, against lower-case lists: callers pass the
// ASCII-lower-cased token. Static data; all functions are thread-safe.
#ifndef PROSE2STIX_EXTRACT_RELATION_CUES_H_
#define PROSE2STIX_EXTRACT_RELATION_CUES_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace prose2stix::extract::relation_cues {

using Classes = uint32_t;

// Verbs and nouns of attack: "targeted", "breached", "stealing", "attacks", "intrusion".
inline constexpr Classes kTargetVerb = 1u << 0;
// Supplying: "provided", "sold", "supplier", "aiding".
inline constexpr Classes kSupplyWord = 1u << 1;
// "sanctioned", "sanctions", "sanctioning", "indicted", "charged".
inline constexpr Classes kSanctionWord = 1u << 2;
// First words of the attribution cues: "sponsored" (by), "works" (for), "on" (behalf of), "behind".
inline constexpr Classes kAttribWord = 1u << 3;
// Verbs whose subject reports or attributes: "said", "linked", "observed", "tracks".
inline constexpr Classes kReportingVerb = 1u << 4;
// Contrast conjunctions that open a new clause after a comma: "while", "whereas", "but", "although".
inline constexpr Classes kContrast = 1u << 5;
// "victims", "targets": the head of "Victims included ...".
inline constexpr Classes kVictimNoun = 1u << 6;
// The verb of a victim list: "include", "included", "includes", "including", "were", "are".
inline constexpr Classes kVictimListVerb = 1u << 7;
// Determiners of an anaphor: "the", "this", "that".
inline constexpr Classes kDemonstrative = 1u << 8;
// Modifiers inside an actor anaphor: "threat", "hacking", "hacker", "cyber", "espionage", "apt".
inline constexpr Classes kAnaphorModifier = 1u << 9;
// Heads of an actor anaphor: "group", "hackers", "actor", "gang", "adversary", "collective" ...
inline constexpr Classes kAnaphorNoun = 1u << 10;
// Heads of a company anaphor: "company", "firm", "contractor", "vendor", "supplier".
inline constexpr Classes kCompanyNoun = 1u << 11;
// Attack nouns that need a preposition to be a cue: "target", "attack(s)", "breach", "intrusion(s)", "hacking".
inline constexpr Classes kNounCue = 1u << 12;
// The prepositions after such a noun: "on", "against", "into", "of".
inline constexpr Classes kNounCuePrep = 1u << 13;
// Articles: "the", "a", "an".
inline constexpr Classes kArticle = 1u << 14;
// Prepositions that make a name a modifier, not the patient: "for", "with", "by", "from", "than",
// "about", "like", "to".
inline constexpr Classes kModifierPrep = 1u << 15;
// Words that end the object list of an attack verb: "according", "said", "which", "using", "via" ...
inline constexpr Classes kObjectStop = 1u << 16;
// "its", "their".
inline constexpr Classes kPossessive = 1u << 17;
// Supply verbs whose object follows without "to": "aiding", "supported", "helped" ...
inline constexpr Classes kAidVerb = 1u << 18;
// One-word state sponsorship: "state-backed", "nation-state", "government-backed" ...
inline constexpr Classes kStateBacked = 1u << 19;
// The second half of "state -backed", "state sponsored": "-backed", "-sponsored", "sponsored", "backed".
inline constexpr Classes kStateSuffix = 1u << 20;
// Espionage: "espionage", "cyber-espionage", "cyberespionage", "spying", "spy".
inline constexpr Classes kSpyWord = 1u << 21;
// Crime: "cybercriminal(s)", "cybercrime", "criminal(s)".
inline constexpr Classes kCrimeWord = 1u << 22;
// Group nouns after "ransomware": "gang", "group", "operators", "crew", "affiliate".
inline constexpr Classes kRansomwareNoun = 1u << 23;
// "hacktivist", "hacktivists", "hacktivism".
inline constexpr Classes kActivistWord = 1u << 24;
// Words before "since"/"in" that date an actor: "active", "operating", "operational", "around", "existed".
inline constexpr Classes kActiveWord = 1u << 25;
// Words that may stand between a country and the name it modifies ("-linked", "state", "the" ...).
inline constexpr Classes kModifier = 1u << 26;
// ... and, before an actor's name only: "hacking", "group", "apt", "advanced", "persistent" ...
inline constexpr Classes kActorModifier = 1u << 27;
// ... and, before an organisation's name only: "firm", "technology", "state-owned", "defense" ...
inline constexpr Classes kOrgModifier = 1u << 28;
// "told", "said" right before a name: the name is a reporter.
inline constexpr Classes kToldSaid = 1u << 29;
// Every word that can start an actor attribute (threat-actor type or first-seen year): the
// kStateBacked, kSpyWord, kCrimeWord and kActivistWord words, and "state", "financially",
// "ransomware", "since", "in".
inline constexpr Classes kActorAttribute = 1u << 30;
// No class uses bit 31.
inline constexpr Classes kUnusedBit = 1u << 31;

// The classes of `lower` (an ASCII-lower-cased token), 0 for a word in no list (and for any word
// with a capital). Tokens of an analysed text need no call: lexicon::ClassifyTokens gives every
// token its cue classes (lexicon::RelationCues).
Classes Classify(std::string_view lower);

// One cue list: its class bits and its words (lower case).
struct List {
  Classes bits;
  std::span<const std::string_view> words;
};
// Every list, for the lexicon's table.
std::span<const List> Lists();

// The words of one class (a single bit above), list by list as written (a word may repeat when
// two lists tagged with the bit hold it); for tests.
std::vector<std::string_view> ClassWords(Classes one_class);

}  // namespace prose2stix::extract::relation_cues

#endif  // PROSE2STIX_EXTRACT_RELATION_CUES_H_
