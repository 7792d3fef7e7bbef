#include "prose2stix/text/normalize.h"

#include <doctest/doctest.h>

#include <string>

#include "prose2stix/util/utf8.h"

namespace prose2stix::text {
namespace {

struct Case {
  const char* name;
  std::string in;
  std::string want;
};

// Checks that every anchor is consistent: sorted, inside both texts, and that the mapping of
// every offset is monotonic and within the input.
void CheckAnchors(const std::string& in, const NormalizedText& nt) {
  REQUIRE(!nt.anchors.empty());
  CHECK(nt.anchors.front() == std::pair<size_t, size_t>(0, 0));
  for (size_t k = 1; k < nt.anchors.size(); ++k) {
    CHECK(nt.anchors[k - 1].first <= nt.anchors[k].first);
    CHECK(nt.anchors[k - 1].second <= nt.anchors[k].second);
  }
  size_t prev = 0;
  for (size_t off = 0; off <= nt.text.size(); ++off) {
    size_t mapped = nt.ToInput(off);
    CHECK(mapped <= in.size());
    CHECK(mapped >= prev);
    prev = mapped;
  }
  CHECK(nt.ToInput(nt.text.size()) == in.size());
}

TEST_CASE("Normalize folds typographic variants") {
  const Case cases[] = {
      {"ascii unchanged", "APT41 used CVE-2024-3400.\n\nNext paragraph.", "APT41 used CVE-2024-3400.\n\nNext paragraph."},
      {"curly apostrophe", "China\xE2\x80\x99s group", "China's group"},
      {"single quotes", "\xE2\x80\x98quoted\xE2\x80\x99 and \xE2\x80\x9Alow\xE2\x80\x9B", "'quoted' and 'low'"},
      {"prime", "5\xE2\x80\xB2 long", "5' long"},
      {"modifier apostrophe", "don\xCA\xBCt", "don't"},
      {"double quotes", "\xE2\x80\x9CHello\xE2\x80\x9D \xE2\x80\x9Elow\xE2\x80\x9F", "\"Hello\" \"low\""},
      {"guillemets", "\xC2\xAB" "Sofacy" "\xC2\xBB", "\"Sofacy\""},
      {"double prime", "12\xE2\x80\xB3", "12\""},
      {"backtick apostrophe", "don`t", "don't"},
      {"backtick code kept", "run `whoami` now", "run `whoami` now"},
      {"double backtick quote", "``quoted''", "\"quoted''"},
      {"markdown fence kept", "```\nls -la\n```", "```\nls -la\n```"},
      {"fence with language kept", "```python\nx\n```", "```python\nx\n```"},
      {"acute accent apostrophe", "it\xC2\xB4s", "it's"},
      {"nbsp", "Storm\xC2\xA0" "0558", "Storm 0558"},
      {"en quad to hair space", "a\xE2\x80\x80" "b\xE2\x80\x8A" "c", "a b c"},
      {"narrow nbsp, math space, ideographic space", "1\xE2\x80\xAF" "2\xE2\x81\x9F" "3\xE3\x80\x80" "4", "1 2 3 4"},
      {"hyphens", "state\xE2\x80\x90" "backed non\xE2\x80\x91" "breaking", "state-backed non-breaking"},
      {"en dash range", "2019\xE2\x80\x93" "2020", "2019-2020"},
      {"en dash spaced", "APT28 \xE2\x80\x93 also Fancy Bear", "APT28 - also Fancy Bear"},
      {"em dash spaced", "the group \xE2\x80\x94 which", "the group - which"},
      {"em dash glued", "attack\xE2\x80\x94which", "attack - which"},
      {"em dash at end", "end\xE2\x80\x94", "end -"},
      {"minus sign", "\xE2\x88\x92" "5", "-5"},
      {"ellipsis", "wait\xE2\x80\xA6 then", "wait... then"},
      {"zero width removed", "Lock\xE2\x80\x8B" "Bit \xEF\xBB\xBF" "x\xE2\x80\x8C" "y\xE2\x80\x8D" "z", "LockBit xyz"},
      {"soft hyphen removed", "ransom\xC2\xAD" "ware", "ransomware"},
      {"bidi controls removed", "a\xE2\x80\xAE" "b\xE2\x81\xA6" "c", "abc"},
      {"crlf", "one\r\ntwo\r\n\r\nthree", "one\ntwo\n\nthree"},
      {"lone cr", "one\rtwo", "one\ntwo"},
      {"tab", "a\tb", "a b"},
      {"form feed is a paragraph break", "page one\fpage two", "page one\n\npage two"},
      {"line and paragraph separators", "a\xE2\x80\xA8" "b\xE2\x80\xA9" "c", "a\nb\n\nc"},
      {"control characters", std::string("a\0b\x01" "c\x7F", 6), "a b c "},
      {"fullwidth ascii", "\xEF\xBC\xA1\xEF\xBC\xB0\xEF\xBC\xB4\xEF\xBC\x94\xEF\xBC\x91\xEF\xBC\x81", "APT41!"},
      {"ligatures", "\xEF\xAC\x81le \xEF\xAC\x82ow e\xEF\xAC\x80" "ect o\xEF\xAC\x83" "ce", "file flow effect office"},
      {"invalid utf8", "a\xFF" "b\xC3", "a\xEF\xBF\xBD" "b\xEF\xBF\xBD"},
      {"literal replacement kept", "\xEF\xBF\xBD", "\xEF\xBF\xBD"},
      {"accented letters kept", "caf\xC3\xA9 \xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0", "caf\xC3\xA9 \xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0"},
      {"newlines kept", "a\nb\n\n\nc", "a\nb\n\n\nc"},
      {"empty", "", ""},
  };
  for (const Case& c : cases) {
    NormalizedText nt = Normalize(c.in);
    CHECK_MESSAGE(nt.text == c.want, c.name);
    CHECK_MESSAGE(utf8::FirstInvalid(nt.text) == std::string_view::npos, c.name);
    CheckAnchors(c.in, nt);
  }
}

TEST_CASE("Normalize maps offsets back to the input") {
  // "a" + U+2019 (3 bytes) + "s b" + CRLF + "c"
  const std::string in = "a\xE2\x80\x99s b\r\nc";
  NormalizedText nt = Normalize(in);
  REQUIRE(nt.text == "a's b\nc");
  CHECK(nt.ToInput(0) == 0);  // a
  CHECK(nt.ToInput(1) == 1);  // ' <- start of U+2019
  CHECK(nt.ToInput(2) == 4);  // s
  CHECK(nt.ToInput(4) == 6);  // b
  CHECK(nt.ToInput(5) == 7);  // \n <- \r
  CHECK(nt.ToInput(6) == 9);  // c
  CHECK(nt.ToInput(7) == 10);
  CHECK(nt.ToInput(100) == 10);
  CHECK(in.substr(nt.ToInput(6), 1) == "c");

  // Removed characters: offsets after them skip them.
  NormalizedText zw = Normalize("x\xE2\x80\x8By");
  REQUIRE(zw.text == "xy");
  CHECK(zw.ToInput(1) == 4);
  CHECK(zw.ToInput(2) == 5);

  // Expanding replacement (1 bad byte -> 3 bytes): inside offsets stay within the bad byte.
  NormalizedText bad = Normalize("a\xFF" "b");
  REQUIRE(bad.text == "a\xEF\xBF\xBD" "b");
  CHECK(bad.ToInput(1) == 1);
  CHECK(bad.ToInput(2) <= 2);
  CHECK(bad.ToInput(3) <= 2);
  CHECK(bad.ToInput(4) == 2);

  // A mention found in normalised text maps to the right input bytes.
  const std::string report = "\xE2\x80\x9CSandworm\xE2\x80\x9D \xE2\x80\x94 APT44\xE2\x80\x99s unit";
  NormalizedText r = Normalize(report);
  size_t at = r.text.find("APT44");
  REQUIRE(at != std::string::npos);
  CHECK(report.substr(r.ToInput(at), r.ToInput(at + 5) - r.ToInput(at)) == "APT44");
  size_t sw = r.text.find("Sandworm");
  CHECK(report.substr(r.ToInput(sw), 8) == "Sandworm");
}

TEST_CASE("Normalize keeps few anchors for plain text") {
  std::string in;
  for (int k = 0; k < 1000; ++k) in += "The actor used PowerShell. ";
  NormalizedText nt = Normalize(in);
  CHECK(nt.text == in);
  CHECK(nt.anchors.size() == 1);
  // Same-length replacements need no anchor either.
  CHECK(Normalize("a\xE2\x80\xA6" "b").anchors.size() == 1);
}

}  // namespace
}  // namespace prose2stix::text
