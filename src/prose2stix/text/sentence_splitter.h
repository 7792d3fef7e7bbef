// Sentence splitting for normalised advisory text (see normalize.h).
//
// A sentence ends:
//   * at . ! ? (or a run of them, "..." included), optionally followed by closing quotes or
//     brackets, when whitespace follows and the next character is an uppercase letter (or a
//     letter of a caseless script), a digit, an opening quote or an opening bracket;
//   * at a paragraph break (a line holding only whitespace);
//   * at a line break ending a heading, list item or table row: a line without final punctuation
//     that is short or marked as such (bullet, number, '#', '|'), when the next line does not
//     continue it (does not start in lowercase, the line does not end with a comma, hyphen or
//     function word);
//   * at an ideographic full stop (U+3002);
//   * after kMaxSentenceBytes bytes without a boundary (at the last space before the limit), so
//     tables and blobs cannot make one huge sentence.
// A period is not a boundary after an abbreviation (a case-aware table: "Dr.", "U.S.", "Inc.",
// "e.g.", "Jan.", ...), after a dotted initialism ("N.Y.", "a.m."), or after a single capital
// initial ("Brett A. Leatherman"). Abbreviations that can also end a sentence ("U.S.", "Inc.",
// "etc.", initials) do end one when the next word is a common sentence starter ("The", "It",
// "However", a pronoun, ...). Periods not followed by whitespace (decimals, versions, domains,
// IPs, file names, defanged "[.]") are never boundaries.
//
// Sentences exclude surrounding whitespace; every non-whitespace byte of the text belongs to
// exactly one sentence; sentences are in text order and do not overlap. Runs in linear time.
// Pure and thread-safe. Sentence::text views point into `text`.
#ifndef PROSE2STIX_TEXT_SENTENCE_SPLITTER_H_
#define PROSE2STIX_TEXT_SENTENCE_SPLITTER_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "prose2stix/text/token.h"

namespace prose2stix::text {

// Upper bound on a sentence's length in bytes (longer runs are cut at a space).
inline constexpr size_t kMaxSentenceBytes = 4096;

std::vector<Sentence> SplitSentences(std::string_view text);

// How an abbreviation behaves before a capitalised word.
enum class AbbreviationKind : unsigned char {
  kNone,       // not an abbreviation
  kPrefix,     // always followed by more of the sentence: "Dr.", "Mr.", "Gen.", "No.", "e.g.", "vs."
  kMayEnd,     // may also end a sentence: "U.S.", "Inc.", "Ltd.", "etc.", "Jan.", "a.m."
};

// Looks up `word`, which must include its final period ("Dr.", "U.S."), in the case-aware
// abbreviation table; dotted initialisms not in the table ("N.Y.", "Ph.D.") are kMayEnd. Case
// matters: "No." is an abbreviation, "no." is not. Single capital initials ("A.") are not
// reported here; callers decide on them by context.
AbbreviationKind LookupAbbreviation(std::string_view word);

// True for words that commonly start a sentence ("The", "This", "It", "However", "We", ...),
// used to decide whether a period after "U.S." or an initial ends the sentence. Case-sensitive:
// expects the capitalised form.
bool IsSentenceStarter(std::string_view word);

}  // namespace prose2stix::text

#endif  // PROSE2STIX_TEXT_SENTENCE_SPLITTER_H_
