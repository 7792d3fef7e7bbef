// UTF-8 decoding, validation and repair. All functions are pure and thread-safe.
#ifndef PROSE2STIX_UTIL_UTF8_H_
#define PROSE2STIX_UTIL_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace prose2stix::utf8 {

inline constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point starting at s[*pos] and advances *pos past it. Overlong forms,
// surrogates, code points above U+10FFFF and truncated sequences decode as kReplacement and
// advance by one byte. Requires *pos < s.size().
char32_t Decode(std::string_view s, size_t* pos);

// Appends the UTF-8 encoding of `cp` (kReplacement for surrogates and values > U+10FFFF).
void Append(char32_t cp, std::string* out);

// Offset of the first byte that does not start a well-formed sequence, or npos when all of `s`
// is well-formed UTF-8.
size_t FirstInvalid(std::string_view s);

// Returns `s` with every ill-formed sequence replaced by U+FFFD. When more than a few sequences
// are ill-formed and `s` decodes as Windows-1252 without C1 gaps, decodes it as Windows-1252
// instead (common for old advisories saved in Latin-1). Sets *repaired when anything changed.
std::string Repair(std::string_view s, bool* repaired = nullptr);

// True when `s` looks like binary data rather than text: NUL bytes, or more than 10% of the
// first 64 KiB are C0 control characters other than tab, CR, LF and form feed.
bool LooksBinary(std::string_view s);

// ASCII-only case folding (bytes >= 0x80 unchanged).
std::string AsciiLower(std::string_view s);

}  // namespace prose2stix::utf8

#endif  // PROSE2STIX_UTIL_UTF8_H_
