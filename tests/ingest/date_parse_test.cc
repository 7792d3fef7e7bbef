#include "prose2stix/ingest/date_parse.h"

#include <doctest/doctest.h>

namespace prose2stix::ingest {

TEST_CASE("ParseDate normalizes the date forms of feeds and articles to UTC") {
  struct Case {
    const char* in;
    const char* want;  // "" = rejected
  };
  const Case cases[] = {
      {"Wed, 02 Oct 2002 13:00:00 GMT", "2002-10-02T13:00:00.000Z"},
      {"Wed, 02 Oct 2002 15:00:00 +0200", "2002-10-02T13:00:00.000Z"},
      {"2 Oct 02 08:00 EST", "2002-10-02T13:00:00.000Z"},
      {"Tue, 1 Jun 2021 23:30:00 -0100", "2021-06-02T00:30:00.000Z"},
      {"2020-06-02", "2020-06-02T00:00:00.000Z"},
      {"2020-06-02T13:45:10Z", "2020-06-02T13:45:10.000Z"},
      {"2020-06-02T13:45:10.123+02:00", "2020-06-02T11:45:10.000Z"},
      {"2020-06-02 13:45", "2020-06-02T13:45:00.000Z"},
      {"  20200602  ", "2020-06-02T00:00:00.000Z"},
      {"2026/01/15 15:52", "2026-01-15T15:52:00.000Z"},
      {"June 2, 2020", "2020-06-02T00:00:00.000Z"},
      {"Jun 2nd 2020 3:15 PM", "2020-06-02T15:15:00.000Z"},
      {"Sept. 9, 2021", "2021-09-09T00:00:00.000Z"},
      {"Tuesday, June 2, 2020", "2020-06-02T00:00:00.000Z"},
      {"2 June 2020", "2020-06-02T00:00:00.000Z"},
      {"02-Jun-2020", "2020-06-02T00:00:00.000Z"},
      {"29 February 2024", "2024-02-29T00:00:00.000Z"},
      {"29 February 2023", ""},
      {"2020-13-01", ""},
      {"June 2020", ""},
      {"1969-12-31", ""},
      {"yesterday", ""},
      {"", ""},
      {"12:30", ""},
  };
  for (const Case& c : cases) {
    std::string out;
    const bool ok = ParseDate(c.in, &out);
    CHECK_MESSAGE(ok == (c.want[0] != '\0'), c.in);
    if (ok) CHECK_MESSAGE(out == c.want, c.in);
  }
}

TEST_CASE("FindDate locates a date inside a short line") {
  std::string out;
  size_t b = 0, e = 0;
  REQUIRE(FindDate("Published: June 2, 2020 by Jane Roe", &out, &b, &e));
  CHECK(out == "2020-06-02T00:00:00.000Z");
  CHECK(b == 11);
  REQUIRE(FindDate("Wire2026/01/15 15:52", &out));
  CHECK(out == "2026-01-15T15:52:00.000Z");
  CHECK_FALSE(FindDate("Version 1.2.3 was released", &out));
  CHECK_FALSE(FindDate("Decision 5, 2020 was made", &out));
  CHECK_FALSE(FindDate(std::string(300, 'x') + " June 2, 2020", &out));
}

TEST_CASE("FindDate: only words that may name a month or weekday are tried, whole") {
  struct Case {
    const char* line;
    const char* want;  // "" when no date is found
    size_t begin;
  };
  const Case kCases[] = {
      {"Sunday, June 2, 2020", "2020-06-02T00:00:00.000Z", 0},
      {"SEPTEMBER 9th 2021 update", "2021-09-09T00:00:00.000Z", 0},
      {"Septic systems, then 2020-06-02", "2020-06-02T00:00:00.000Z", 21},  // "Sep..." fails, later date
      {"Marching orders: Mar 3, 2019", "2019-03-03T00:00:00.000Z", 17},
      {"xJune 2, 2020", "", 0},                                   // not at a word start
      {"Updated 12 Jan 2021 10:00 UTC", "2021-01-12T10:00:00.000Z", 8},
      {"Tue, 02 Oct 2002 13:00:00 +0200", "2002-10-02T11:00:00.000Z", 0},
      {"no digits here at all, June", "", 0},
      {"June 31, 2020 then June 30, 2020", "2020-06-30T00:00:00.000Z", 19},  // impossible day skipped
      {"Ju 2, 2020", "", 0},
  };
  for (const Case& c : kCases) {
    std::string out;
    size_t b = 0, e = 0;
    const bool ok = FindDate(c.line, &out, &b, &e);
    CHECK_MESSAGE(ok == (c.want[0] != '\0'), c.line);
    if (ok) {
      CHECK_MESSAGE(out == c.want, c.line);
      CHECK_MESSAGE(b == c.begin, c.line);
    }
  }
}

TEST_CASE("FormatUnixTime") {
  CHECK(FormatUnixTime(0) == "1970-01-01T00:00:00.000Z");
  CHECK(FormatUnixTime(951782400) == "2000-02-29T00:00:00.000Z");
  CHECK(FormatUnixTime(4133980799) == "2100-12-31T23:59:59.000Z");
  CHECK(FormatUnixTime(4133980800).empty());
  CHECK(FormatUnixTime(1591110245) == "2020-06-02T15:04:05.000Z");
  CHECK(FormatUnixTime(-1).empty());
}

}  // namespace prose2stix::ingest
