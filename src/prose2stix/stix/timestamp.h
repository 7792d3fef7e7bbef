// STIX 2.1 timestamps: RFC 3339 in UTC, written here always with millisecond precision
// ("2020-06-02T13:00:00.000Z") so that the output is byte-stable and sorts as text.
//
// NormalizeDate() also reads the date forms prose and feeds use ("June 2, 2020", RFC 822
// pubDate values) so that the converter can turn them into `published` / `first_seen`.
// All functions are pure and thread-safe.
#ifndef PROSE2STIX_STIX_TIMESTAMP_H_
#define PROSE2STIX_STIX_TIMESTAMP_H_

#include <chrono>
#include <string>
#include <string_view>

namespace prose2stix::stix {

// "YYYY-MM-DDTHH:MM:SS.sssZ" (UTC, sub-millisecond part truncated towards the past). Years
// outside 0000..9999 are clamped to that range's ends.
std::string FormatTimestamp(std::chrono::system_clock::time_point t);

// The current time in FormatTimestamp form.
std::string NowTimestamp();

// Parses an RFC 3339 date-time: YYYY-MM-DD, 'T' (or 't' or one space), HH:MM:SS, an optional
// fraction of any length (digits past nanoseconds are ignored), then 'Z' / 'z' or a +HH:MM /
// -HH:MM offset. A leap second (:60) is accepted and counted as the next second. Fields are
// range-checked (February 29 only in leap years). Returns false, leaving *out unchanged, on
// anything else, and for instants the clock cannot represent (before 1678 or after 2261 with
// libstdc++'s nanosecond clock).
bool ParseTimestamp(std::string_view s, std::chrono::system_clock::time_point* out);

// Any RFC 3339 date-time (as ParseTimestamp, surrounding ASCII white space ignored, every year
// 0000..9999 accepted) -> FormatTimestamp form; "" when unparsable.
std::string NormalizeTimestamp(std::string_view s);

// Like NormalizeTimestamp, but also accepts the date forms of prose and feeds; a date without a
// time means midnight UTC, and a zone-less time means UTC. Accepted:
//   RFC 3339 / ISO 8601:  2020-06-02T13:00:00+02:00, 2020-06-02T13:00:00 (UTC), 2020-06-02,
//                         2020/06/02
//   RFC 822 / 1123:       Wed, 02 Oct 2002 13:00:00 GMT | +0200 | EST, 02 Oct 02 13:00 UT
//   prose:                June 2, 2020; Jun 02, 2020; Jun. 2nd, 2020; 2 June 2020;
//                         2nd of June, 2020; 02-Jun-2020; June 2020 (the 1st of the month)
// Month names are English, full or abbreviated, any case. Numeric forms where day and month
// could be swapped (06/02/2020) are refused. Returns "" when nothing matches.
std::string NormalizeDate(std::string_view s);

}  // namespace prose2stix::stix

#endif  // PROSE2STIX_STIX_TIMESTAMP_H_
