// A dictionary of common English words (SCOWL via Debian wamerican: lower-case entries of three
// or more letters; data file english_words.txt). It tells a capitalised ordinary word ("Risk",
// "Business", "Children") from a proper name ("Juxinhe", "Kaseya"), which the organisation rules
// need when they judge a capitalised run.
#ifndef PROSE2STIX_EXTRACT_DICTIONARY_H_
#define PROSE2STIX_EXTRACT_DICTIONARY_H_

#include <cstddef>
#include <string_view>

namespace prose2stix::extract {

// True when `word` with its ASCII letters lower-cased is a dictionary word ("Risk", "RISK",
// "risk"). Words with non-letters, and words shorter than 3 or longer than 40 bytes, are not.
// Loaded from the embedded table on first use; thread-safe.
bool IsEnglishWord(std::string_view word);

// Number of words in the dictionary (0 when the table is missing: a build defect).
size_t EnglishWordCount();

}  // namespace prose2stix::extract

#endif  // PROSE2STIX_EXTRACT_DICTIONARY_H_
