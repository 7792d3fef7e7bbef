#include "prose2stix/util/utf8.h"

#include <doctest/doctest.h>

namespace prose2stix::utf8 {

TEST_CASE("FirstInvalid finds ill-formed sequences") {
  struct Case {
    std::string in;
    size_t want;
  };
  const Case cases[] = {
      {"plain ascii", std::string_view::npos},
      {"caf\xC3\xA9", std::string_view::npos},
      {"\xEF\xBF\xBD literal replacement", std::string_view::npos},
      {"bad \xC3 end", 4},
      {"overlong \xC0\xAF", 9},
      {"surrogate \xED\xA0\x80", 10},
      {"too big \xF4\x90\x80\x80", 8},
      {"truncated \xE2\x82", 10},
  };
  for (const Case& c : cases) CHECK_MESSAGE(FirstInvalid(c.in) == c.want, c.in);
}

TEST_CASE("Repair replaces bad bytes or decodes Windows-1252") {
  bool repaired = false;
  CHECK(Repair("ok", &repaired) == "ok");
  CHECK_FALSE(repaired);
  CHECK(Repair("a\xFF" "b", &repaired) == "a\xEF\xBF\xBD" "b");
  CHECK(repaired);
  // Four Latin-1 bytes: decoded as Windows-1252.
  CHECK(Repair("\x93quoted\x94 caf\xE9 na\xEFve") == "\xE2\x80\x9Cquoted\xE2\x80\x9D caf\xC3\xA9 na\xC3\xAFve");
  CHECK(FirstInvalid(Repair("\xC0\xC1\xF5\xFF\x80")) == std::string_view::npos);
}

TEST_CASE("Append and Decode round-trip") {
  for (char32_t cp : {char32_t{0x41}, char32_t{0xE9}, char32_t{0x20AC}, char32_t{0x1F600}}) {
    std::string s;
    Append(cp, &s);
    size_t pos = 0;
    CHECK(Decode(s, &pos) == cp);
    CHECK(pos == s.size());
  }
}

TEST_CASE("LooksBinary") {
  CHECK(LooksBinary(std::string("PK\x03\x04\0\0", 6)));
  CHECK_FALSE(LooksBinary("An advisory.\n\nSecond paragraph.\r\n"));
  CHECK(LooksBinary(std::string(100, '\x01')));
  CHECK(AsciiLower("APT28 Fancy") == "apt28 fancy");
}

}  // namespace prose2stix::utf8
