// Parsing the dates that articles, feeds and PDFs state into the one form Document::published uses:
// "YYYY-MM-DDTHH:MM:SS.000Z" (UTC).
//
// Accepted forms (case-insensitive month and weekday names, English):
//   RFC 822 / 1123   "Wed, 02 Oct 2002 13:00:00 GMT", "2 Oct 02 13:00 +0200"
//   ISO 8601         "2020-06-02", "2020-06-02T13:00:00Z", "2020-06-02 13:00:00.123+02:00", "20200602"
//   Slashed          "2020/06/02 15:52"
//   Month first      "June 2, 2020", "Jun 2nd 2020 3:15 PM", "June 2020" is not a date (no day)
//   Day first        "2 June 2020", "02-Jun-2020"
// Times with a zone are converted to UTC; times without one are taken as UTC. Years outside
// 1970..2100 and impossible days (Feb 30) are rejected. All functions are pure and thread-safe.
#ifndef PROSE2STIX_INGEST_DATE_PARSE_H_
#define PROSE2STIX_INGEST_DATE_PARSE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace prose2stix::ingest {

// Parses `s` (surrounding whitespace ignored) when it starts with a date in one of the forms above
// and nothing but a time, zone or whitespace follows. Sets *out on success.
bool ParseDate(std::string_view s, std::string* out);

// Finds the first date anywhere in a short line ("Published: June 2, 2020 by Jane", "Agbi2026/01/15").
// Lines longer than 200 bytes are not searched. On success sets *out and, when non-null, *begin and
// *end to the byte range of the date in `line`.
// FindDate() looks only at lines of at most this many bytes (a date line is short).
inline constexpr size_t kMaxDateLine = 200;
bool FindDate(std::string_view line, std::string* out, size_t* begin = nullptr, size_t* end = nullptr);

// Formats seconds since the Unix epoch (UTC) in the fixed form; empty for values outside
// 1970..2100.
std::string FormatUnixTime(int64_t seconds);

}  // namespace prose2stix::ingest

#endif  // PROSE2STIX_INGEST_DATE_PARSE_H_
