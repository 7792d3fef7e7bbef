// Tokenisation of normalised advisory text (see normalize.h), close to the AnnoCTR corpus
// conventions the sequence tagger is trained on, with a few deliberate differences that help the
// extractors (indicators stay whole).
//
// Tokens:
//   * words keep inner hyphens, underscores, apostrophes and dots: "state-backed", "don't",
//     "O'Brien", "wp_content", "Coinminer.Xmrig"; a final period is kept only for abbreviations
//     in the table of sentence_splitter.h ("Co.", "Inc.", "e.g."), dotted initialisms ("U.S."),
//     and capital initials followed by more text ("A." in "Brett A. Leatherman");
//   * a possessive or contracted "'s" is its own token: "China's" -> "China" "'s";
//   * letters-and-digits stay one token: "APT41", "Storm-0558", "CVE-2024-3400", "G0016";
//   * numbers keep grouping commas, decimal points and time colons: "1,000", "3.5", "10:26:16";
//   * URLs (any "scheme://", defanged "hxxp://", "www."), e-mail addresses, IPs, defanged
//     indicators ("1.2.3[.]4", "evil(.)com", "user[@]mail.com"), Windows/registry paths
//     ("C:\Windows\x.exe", "HKLM\Software\..."), absolute Unix paths and hex hashes are one kOther
//     token; trailing sentence punctuation and unbalanced closing brackets are left outside;
//   * every other punctuation or symbol character (one UTF-8 sequence) is its own kPunct token.
// Letters of any script count as word characters; U+FFFD and symbols do not.
//
// Offsets are absolute byte offsets into `text`; Token::text views point into `text`. Pure,
// thread-safe, linear time.
#ifndef PROSE2STIX_TEXT_TOKENIZER_H_
#define PROSE2STIX_TEXT_TOKENIZER_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "prose2stix/text/token.h"

namespace prose2stix::text {

// Tokens of text[begin, end) (clamped to the text). Nothing outside the range is read except the
// byte before `begin` (for Token::space_before). sentence_start is left false.
std::vector<Token> Tokenize(std::string_view text, size_t begin, size_t end);

// Tokens of every sentence in order; the first token of each sentence has sentence_start set.
std::vector<Token> TokenizeSentences(std::string_view text, const std::vector<Sentence>& sentences);

}  // namespace prose2stix::text

#endif  // PROSE2STIX_TEXT_TOKENIZER_H_
