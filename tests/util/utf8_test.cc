#include "prose2stix/util/utf8.h"

#include <doctest/doctest.h>

#include <string>

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

// The block scans (16 bytes at a time) must find a bad byte or a control byte wherever it sits
// relative to the block boundaries, and count exactly like a byte-by-byte pass.
TEST_CASE("FirstInvalid and LooksBinary at every position around block boundaries") {
  for (size_t len = 1; len <= 70; ++len) {
    for (size_t at = 0; at < len; ++at) {
      std::string s(len, 'a');
      s[at] = '\xFF';
      CHECK_MESSAGE(FirstInvalid(s) == at, "len ", len, " at ", at);
      // A valid two-byte sequence before the bad byte does not hide it.
      if (at >= 2) {
        s[at - 2] = '\xC3';
        s[at - 1] = '\xA9';
        CHECK_MESSAGE(FirstInvalid(s) == at, "after e-acute, len ", len, " at ", at);
      }
      std::string nul(len, 'a');
      nul[at] = '\0';
      CHECK_MESSAGE(LooksBinary(nul), "NUL, len ", len, " at ", at);
    }
    CHECK(FirstInvalid(std::string(len, 'a')) == std::string_view::npos);
    CHECK_FALSE(LooksBinary(std::string(len, 'a')));
  }
  // A sequence cut by the end of the input, after a run of ASCII longer than a block.
  CHECK(FirstInvalid(std::string(37, 'x') + "\xE2\x82") == 37);
  CHECK(FirstInvalid(std::string(37, 'x') + "\xE2\x82\xAC" + std::string(20, 'y')) == std::string_view::npos);
}

TEST_CASE("LooksBinary counts C0 controls against the 10% threshold") {
  struct Case {
    size_t controls;  // spread over a 100-byte text
    char byte;
    bool want;
  };
  const Case cases[] = {
      {10, '\x01', false},  // exactly 10%: not more than 10%
      {11, '\x01', true},  {11, '\x1F', true}, {11, '\x1B', true}, {50, '\t', false},
      {50, '\n', false},   {50, '\r', false},  {50, '\f', false},  {50, '\x7F', false},  // DEL is not C0
      {50, '\x80', false},  // nor are bytes >= 0x80
      {50, '\xE0', false},
  };
  for (const Case& c : cases) {
    for (size_t start : {size_t{0}, size_t{7}, size_t{15}, size_t{16}, size_t{33}}) {
      std::string s(100, 'a');
      for (size_t k = 0; k < c.controls; ++k) s[(start + k * 7) % 100] = c.byte;
      CHECK_MESSAGE(LooksBinary(s) == c.want, c.controls, " x byte ",
                    static_cast<int>(static_cast<unsigned char>(c.byte)), " from ", start);
    }
  }
  // Only the first 64 KiB are looked at.
  std::string late(64 * 1024, 'a');
  late += std::string(16, '\0');
  CHECK_FALSE(LooksBinary(late));
}

}  // namespace prose2stix::utf8
