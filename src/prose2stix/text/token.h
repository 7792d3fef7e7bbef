// Sentences and tokens: the text stage's value types, as byte ranges into one normalised text.
//
// Offsets are byte offsets into the string the splitter/tokenizer was given (the normalised
// Document text); `text` views point into that string and live as long as it does.
#ifndef PROSE2STIX_TEXT_TOKEN_H_
#define PROSE2STIX_TEXT_TOKEN_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace prose2stix::text {

struct Sentence {
  size_t begin = 0;  // first byte
  size_t end = 0;    // one past the last byte (trailing whitespace excluded)
  std::string_view text;
};

enum class TokenShape : uint8_t {
  kWord,         // letters, may contain inner hyphens/apostrophes/dots: "state-backed", "U.S."
  kNumber,       // digits, may contain , . : "2019", "3.5", "1,000"
  kAlnum,        // letters and digits: "APT41", "UNC3886", "Storm-0558", "CVE-2024-1234"
  kPunct,        // a single punctuation or symbol character (UTF-8 sequence)
  kOther,        // anything else (URLs, e-mail addresses, paths, hashes)
};

struct Token {
  size_t begin = 0;
  size_t end = 0;
  std::string_view text;
  TokenShape shape = TokenShape::kWord;
  bool space_before = false;   // whitespace precedes the token
  bool sentence_start = false;  // first token of a sentence
};

}  // namespace prose2stix::text

#endif  // PROSE2STIX_TEXT_TOKEN_H_
