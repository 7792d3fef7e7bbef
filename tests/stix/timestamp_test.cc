#include "prose2stix/stix/timestamp.h"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

namespace prose2stix::stix {

using std::chrono::system_clock;

TEST_CASE("FormatTimestamp writes milliseconds and Z") {
  using namespace std::chrono;
  struct Case {
    system_clock::time_point t;
    const char* expected;
  };
  const Case cases[] = {
      {system_clock::time_point{}, "1970-01-01T00:00:00.000Z"},
      {system_clock::time_point{seconds{1591102800}}, "2020-06-02T13:00:00.000Z"},
      {system_clock::time_point{seconds{1591102800} + microseconds{123999}}, "2020-06-02T13:00:00.123Z"},
      {system_clock::time_point{seconds{951782400}}, "2000-02-29T00:00:00.000Z"},
      {system_clock::time_point{milliseconds{-1}}, "1969-12-31T23:59:59.999Z"},
  };
  for (const Case& c : cases) CHECK_MESSAGE(FormatTimestamp(c.t) == c.expected, std::string(c.expected));
  CHECK(NowTimestamp().size() == 24);
}

TEST_CASE("ParseTimestamp accepts RFC 3339 and rejects the rest") {
  struct Case {
    const char* in;
    const char* normalized;  // "" when it must be rejected
  };
  const Case cases[] = {
      {"2020-06-02T13:00:00Z", "2020-06-02T13:00:00.000Z"},
      {"2020-06-02t13:00:00z", "2020-06-02T13:00:00.000Z"},
      {"2020-06-02 13:00:00Z", "2020-06-02T13:00:00.000Z"},
      {"2020-06-02T13:00:00.5Z", "2020-06-02T13:00:00.500Z"},
      {"2020-06-02T13:00:00.123456789Z", "2020-06-02T13:00:00.123Z"},
      {"2020-06-02T13:00:00.1234567891234Z", "2020-06-02T13:00:00.123Z"},
      {"2020-06-02T15:00:00+02:00", "2020-06-02T13:00:00.000Z"},
      {"2020-06-02T08:30:00-04:30", "2020-06-02T13:00:00.000Z"},
      {"2020-06-02T00:30:00+01:00", "2020-06-01T23:30:00.000Z"},
      {"2020-12-31T23:59:60Z", "2021-01-01T00:00:00.000Z"},
      {"2020-02-29T00:00:00Z", "2020-02-29T00:00:00.000Z"},
      {"1900-02-28T00:00:00Z", "1900-02-28T00:00:00.000Z"},
      {"2019-02-29T00:00:00Z", ""},
      {"1900-02-29T00:00:00Z", ""},
      {"2020-13-01T00:00:00Z", ""},
      {"2020-00-01T00:00:00Z", ""},
      {"2020-04-31T00:00:00Z", ""},
      {"2020-06-02T24:00:00Z", ""},
      {"2020-06-02T13:60:00Z", ""},
      {"2020-06-02T13:00:61Z", ""},
      {"2020-06-02T13:00:00", ""},
      {"2020-06-02T13:00:00.Z", ""},
      {"2020-06-02T13:00:00+0200", ""},
      {"2020-06-02T13:00:00+24:00", ""},
      {"2020-06-02T13:00Z", ""},
      {"2020-06-02", ""},
      {"2020-6-2T13:00:00Z", ""},
      {"2020-06-02T13:00:00Zjunk", ""},
      {"", ""},
  };
  for (const Case& c : cases) {
    system_clock::time_point t{};
    bool ok = ParseTimestamp(c.in, &t);
    CHECK_MESSAGE(ok == (*c.normalized != 0), std::string(c.in));
    if (ok) CHECK_MESSAGE(FormatTimestamp(t) == c.normalized, std::string(c.in));
    CHECK_MESSAGE(NormalizeTimestamp(c.in) == c.normalized, std::string(c.in));
  }
}

TEST_CASE("NormalizeTimestamp covers years the clock cannot hold") {
  CHECK(NormalizeTimestamp("9999-12-31T23:59:59.999Z") == "9999-12-31T23:59:59.999Z");
  CHECK(NormalizeTimestamp("0001-01-01T00:00:00Z") == "0001-01-01T00:00:00.000Z");
  CHECK(NormalizeTimestamp("  2020-06-02T13:00:00Z\n") == "2020-06-02T13:00:00.000Z");
  system_clock::time_point t{};
  CHECK_FALSE(ParseTimestamp("9999-12-31T23:59:59Z", &t));  // beyond a nanosecond clock
}

TEST_CASE("NormalizeDate reads prose and feed dates") {
  struct Case {
    const char* in;
    const char* expected;  // "" when refused
  };
  const Case cases[] = {
      {"2020-06-02T15:00:00+02:00", "2020-06-02T13:00:00.000Z"},
      {"2020-06-02", "2020-06-02T00:00:00.000Z"},
      {"2020-06-02T13:00:00", "2020-06-02T13:00:00.000Z"},
      {"2020-06-02 13:00:00.25", "2020-06-02T13:00:00.250Z"},
      {"2020-06-02T13:00:00+0200", ""},
      {"2020-06-02T25:00:00", ""},
      {"2020/06/02", "2020-06-02T00:00:00.000Z"},
      {"2020-06-02 13:05", "2020-06-02T13:05:00.000Z"},
      {"Wed, 02 Oct 2002 13:00:00 GMT", "2002-10-02T13:00:00.000Z"},
      {"Wed, 02 Oct 2002 13:00:00 +0200", "2002-10-02T11:00:00.000Z"},
      {"Wed, 02 Oct 2002 08:00:00 EST", "2002-10-02T13:00:00.000Z"},
      {"Wed, 02 Oct 2002 15:00:00 -02:00", "2002-10-02T17:00:00.000Z"},
      {"02 Oct 02 13:00 UT", "2002-10-02T13:00:00.000Z"},
      {"2 Oct 1999 13:00:00 Z", "1999-10-02T13:00:00.000Z"},
      {"Thu, 2 Oct 99 13:00 PDT", "1999-10-02T20:00:00.000Z"},
      {"June 2, 2020", "2020-06-02T00:00:00.000Z"},
      {"june 2 2020", "2020-06-02T00:00:00.000Z"},
      {"Jun 02, 2020", "2020-06-02T00:00:00.000Z"},
      {"Jun. 2nd, 2020", "2020-06-02T00:00:00.000Z"},
      {"Sept 21, 2021", "2021-09-21T00:00:00.000Z"},
      {"2 June 2020", "2020-06-02T00:00:00.000Z"},
      {"2nd of June, 2020", "2020-06-02T00:00:00.000Z"},
      {"Tuesday, June 2, 2020", "2020-06-02T00:00:00.000Z"},
      {"02-Jun-2020", "2020-06-02T00:00:00.000Z"},
      {"June 2, 2020 at 3:15 PM", "2020-06-02T15:15:00.000Z"},
      {"June 2, 2020 12:00 am", "2020-06-02T00:00:00.000Z"},
      {"June 2020", "2020-06-01T00:00:00.000Z"},
      {"February 29, 2021", ""},
      {"June 31, 2020", ""},
      {"06/02/2020", ""},
      {"02.06.2020", ""},
      {"June", ""},
      {"June 2", ""},
      {"Junes 2, 2020", ""},
      {"June 2, 2020, March 3, 2021", ""},
      {"June 2, 2020 25:00", ""},
      {"June 2, 20200", ""},
      {"13:00 GMT", ""},
      {"yesterday", ""},
      {"", ""},
  };
  for (const Case& c : cases) {
    CHECK_MESSAGE(NormalizeDate(c.in) == std::string(c.expected), "'" << std::string(c.in) << "' -> '" << NormalizeDate(c.in) << "'");
  }
}

}  // namespace prose2stix::stix
