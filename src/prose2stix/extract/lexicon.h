// Hand-written word lists the extraction rules consult: actor naming schemes and their families,
// organisation designators, personal titles, capitals used by metonymy, and relation cue words.
// Everything here is static data; lookups are case-sensitive unless a function says otherwise.
// All functions are thread-safe.
#ifndef PROSE2STIX_EXTRACT_LEXICON_H_
#define PROSE2STIX_EXTRACT_LEXICON_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "prose2stix/text/token.h"

namespace prose2stix::extract::lexicon {

// A vendor naming family: "<Word> Typhoon" is Microsoft's name for a China-based actor.
struct ActorFamily {
  std::string_view noun;     // "Typhoon", "Panda", "BRONZE"
  std::string_view country;  // ISO alpha-2 origin the family implies, or "" (financially motivated, ...)
  std::string_view actor_type;  // STIX threat-actor-type the family implies, or ""
  bool noun_first;           // Secureworks style "BRONZE BUTLER": the family word comes first
};
// The family whose noun is `word`, or nullptr. Nouns are title case ("Typhoon") except the
// Secureworks colours (all caps).
const ActorFamily* FindActorFamily(std::string_view word);

// Prefixes of numbered actor designations ("APT41", "UNC3886", "Storm-0558", "TA505", "FIN7",
// "DEV-0537", "UAC-0050", "TAG-22", "APT-C-36"). Returns true when `token` is such a name.
// Matching: "APT41" yes, "APT" no, "TA" no, "FINAL" no, "CVE-2024-1" no.
bool IsNumberedActorName(std::string_view token);

// True when the lower-cased word names a group of attackers: group, actor, gang, crew, APT, ...
bool IsGroupNoun(std::string_view lower);
// True when the lower-cased word marks threat context: hackers, espionage, malware, ransomware, ...
bool IsThreatWord(std::string_view lower);

// Organisation designators that end a name ("Technology", "Inc.", "GmbH", "Ministry" ...), or
// open it when followed by "of" ("Ministry of ...", "University of ...").
bool IsOrgDesignator(std::string_view word);
bool IsOrgOpener(std::string_view word);
// Nouns that, lower-cased, introduce an organisation name after them: company, firm, vendor ...
bool IsOrgCueNoun(std::string_view lower);

// Personal titles ("Director", "Senator", "CEO", "spokesperson"), matched case-insensitively.
bool IsPersonTitle(std::string_view word);
// Speech verbs ("said", "told", "says", "wrote", "added") that follow or precede a speaker.
bool IsSpeechVerb(std::string_view lower);

// Capital cities that stand for their governments ("Beijing denies"); returns the alpha-2 code
// or "".
std::string_view CapitalCountry(std::string_view word);
// Cities, states and provinces that CTI reports name, with the ISO alpha-2 code of their country
// ("Beirut" -> "LB", "Florida" -> "US"). Returns the length of the longest such name starting at
// `text` (which begins at a word boundary; case-sensitive) and sets *country, or returns 0.
size_t MatchCity(std::string_view text, std::string_view* country);

// Verbs (lower case) whose subject is an agent: deny, accuse, complain, claim, reject ...
bool IsAgentVerb(std::string_view lower);

// Words that look like names at the start of a sentence but are not ("The", "However" ...),
// and capitalised words that never start an organisation or person name.
bool IsCommonCapitalised(std::string_view word);

// ---- word classes ------------------------------------------------------------------------------
// The single-word lists above as bits, so that a caller can classify each token once and then
// test bits instead of searching lists. The first group is matched on the ASCII-lower-cased word,
// the second on the word as written.
using WordClasses = uint64_t;
inline constexpr WordClasses kGroupNoun = uint64_t{1} << 0;     // IsGroupNoun(lower)
inline constexpr WordClasses kThreatWord = uint64_t{1} << 1;    // IsThreatWord(lower)
inline constexpr WordClasses kOrgCueNoun = uint64_t{1} << 2;    // IsOrgCueNoun(lower)
inline constexpr WordClasses kPersonTitle = uint64_t{1} << 3;   // IsPersonTitle(word), any case
inline constexpr WordClasses kSpeechVerb = uint64_t{1} << 4;    // IsSpeechVerb(lower)
inline constexpr WordClasses kAgentVerb = uint64_t{1} << 5;     // IsAgentVerb(lower)
inline constexpr WordClasses kNameCue = uint64_t{1} << 6;       // known, tracked, dubbed, aka ...: a name follows
inline constexpr WordClasses kMalwareNoun = uint64_t{1} << 7;   // malware, tool, campaign, website ...: no group
inline constexpr WordClasses kOrgDesignator = uint64_t{1} << 16;      // IsOrgDesignator(word)
inline constexpr WordClasses kOrgOpener = uint64_t{1} << 17;          // IsOrgOpener(word)
inline constexpr WordClasses kCommonCapitalised = uint64_t{1} << 18;  // IsCommonCapitalised(word)
inline constexpr WordClasses kActorFamily = uint64_t{1} << 19;        // FindActorFamily(word) != nullptr
inline constexpr WordClasses kCapital = uint64_t{1} << 20;            // !CapitalCountry(word).empty()
// The high 32 bits hold the word's relation cue classes (relation_cues.h), matched like the first
// group on the lower-cased word: the same lookup classifies a token for the relation rules.
inline constexpr int kRelationCueShift = 32;
inline constexpr WordClasses kRelationCueClasses = WordClasses{0xFFFFFFFFu} << kRelationCueShift;
inline constexpr uint32_t RelationCues(WordClasses c) { return static_cast<uint32_t>(c >> kRelationCueShift); }

// Every class `word` (say, a token as written) belongs to, in one pass over its bytes and one
// table lookup (two when it has capitals): the first group's bits for its lower-cased form, the
// second group's for the word itself.
WordClasses Classify(std::string_view word);
// Classify() of every token of `text` (each token's bytes [begin, end)), into out[0 .. size):
// one call per document instead of one per token.
void ClassifyTokens(std::string_view text, std::span<const text::Token> tokens, WordClasses* out);

// The words of one class (a single bit above), as its list spells them; for tests.
std::vector<std::string_view> ClassWords(WordClasses one_class);

}  // namespace prose2stix::extract::lexicon

#endif  // PROSE2STIX_EXTRACT_LEXICON_H_
