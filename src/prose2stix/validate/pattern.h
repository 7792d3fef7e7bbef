// Checks STIX 2.1 patterns (Indicator `pattern` with pattern_type "stix", specification part 9):
// the grammar, the literals, the qualifiers, and the object paths against the SCO catalogue.
//
// Example:
//   for (const PatternIssue& i : CheckPattern("[file:hashes.MD5 = 'x'")) ...
//   // -> error at offset 23: "expected ']' at offset 23 near end of pattern"
//
// All functions are pure and thread-safe. Any byte string is accepted (binary, invalid UTF-8,
// megabytes long, deeply nested): the time is linear in the input and the recursion depth is
// bounded by kMaxPatternNesting.
#ifndef PROSE2STIX_VALIDATE_PATTERN_H_
#define PROSE2STIX_VALIDATE_PATTERN_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace prose2stix::validate {

struct PatternIssue {
  bool error = true;    // false: a warning (the pattern is valid but probably not what was meant)
  size_t offset = 0;    // byte offset in the pattern of the offending fragment
  std::string message;  // names the offset and quotes the fragment, e.g. "... at offset 42 near 'AND'"
};

// Deeper nesting of parentheses and brackets than this is reported as an error.
inline constexpr size_t kMaxPatternNesting = 256;
// At most this many errors and this many warnings are returned (counted separately, so warnings
// never hide an error); a final warning says when more were dropped.
inline constexpr size_t kMaxPatternIssues = 100;

// Checks a STIX pattern. An empty result means the pattern is valid and raised no warning.
// Issues are sorted by offset. Parsing stops at the first syntax error; issues found before it
// (bad literals, unknown types or properties) are kept.
//
// Errors: syntax errors; malformed literals (string escapes other than \' and \\, timestamps that
//   are not RFC 3339 UTC instants t'YYYY-MM-DDTHH:MM:SS[.s+]Z', odd-length hex, bad base64);
//   MATCHES regexes with unbalanced groups or classes, or quantifiers that follow nothing;
//   object types that are neither one of the 18 SCO types nor custom (`x-` prefix); AND between
//   comparisons that no single object type can satisfy; WITHIN without a positive number and
//   SECONDS; REPEATS without a positive integer and TIMES; START/STOP without timestamp
//   literals or with STOP not after START; nesting deeper than kMaxPatternNesting.
// Warnings: properties unknown for a known type (unless custom, `x_` prefix), unknown or
//   misplaced extensions, hash names that misspell hashing-algorithm-ov entries (md5, SHA256),
//   list properties used without an index or indexes on non-lists, negative list indexes,
//   literals whose type cannot match the property (file:size = '10'), and ISSUBSET/ISSUPERSET
//   on anything but an IP address value or with an operand that is not an IP or CIDR block.
std::vector<PatternIssue> CheckPattern(std::string_view pattern);

// True when `issues` holds at least one error.
bool HasPatternErrors(const std::vector<PatternIssue>& issues);

}  // namespace prose2stix::validate

#endif  // PROSE2STIX_VALIDATE_PATTERN_H_
