#include "prose2stix/stix/identifier.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace prose2stix::stix {

TEST_CASE("DeterministicId reproduces OpenCTI standard ids") {
  struct Case {
    const char* type;
    StringProperties props;
    const char* expected;
  };
  const Case cases[] = {
      {"location", {{"name", "france"}, {"x_opencti_location_type", "Country"}},
       "location--b8d0549f-de06-5ebd-a6e9-d31a581dba5d"},
      {"identity", {{"identity_class", "class"}, {"name", "energy"}}, "identity--166544e2-ba1f-5a6c-89cf-a63d0c01e91c"},
      {"threat-actor", {{"name", "apt28"}, {"opencti_type", "Threat-Actor-Group"}},
       "threat-actor--90bd2396-8173-5dd4-92ad-31f3786e636d"},
      {"intrusion-set", {{"name", "apt28"}}, "intrusion-set--f743ab1d-b2f2-58f8-975f-0993511c0b9d"},
      {"identity", {{"identity_class", "organization"}, {"name", "microsoft"}},
       "identity--04c0e399-d37b-5be4-9c06-f1df88206cd0"},
      // Member order does not matter; empty values are dropped.
      {"location", {{"x_opencti_location_type", "Country"}, {"name", "france"}, {"region", ""}},
       "location--b8d0549f-de06-5ebd-a6e9-d31a581dba5d"},
  };
  for (const Case& c : cases) {
    CHECK_MESSAGE(DeterministicId(c.type, c.props) == c.expected, std::string(c.type) << " " << CanonicalJson(c.props));
  }
}

TEST_CASE("Typed id helpers normalise names like OpenCTI") {
  struct Case {
    std::string got;
    const char* expected;
  };
  const Case cases[] = {
      {ThreatActorId("APT28 "), "threat-actor--90bd2396-8173-5dd4-92ad-31f3786e636d"},
      {ThreatActorId("\tapt28\n"), "threat-actor--90bd2396-8173-5dd4-92ad-31f3786e636d"},
      {IntrusionSetId("Apt28"), "intrusion-set--f743ab1d-b2f2-58f8-975f-0993511c0b9d"},
      {IdentityId("Microsoft", "organization"), "identity--04c0e399-d37b-5be4-9c06-f1df88206cd0"},
      {IdentityId(" Energy", "Class"), "identity--166544e2-ba1f-5a6c-89cf-a63d0c01e91c"},
      {LocationId("France", "Country"), "location--b8d0549f-de06-5ebd-a6e9-d31a581dba5d"},
      // Values computed with Python: uuid5(ns, json.dumps(d, sort_keys=True, separators=(',', ':'),
      // ensure_ascii=False)).
      {ReportId("My Report", "2020-06-02T00:00:00Z"), "report--6fda90dd-c85a-552c-a39b-714404acbd98"},
      {ReportId("my report", "2020-06-02T02:00:00.000+02:00"), "report--6fda90dd-c85a-552c-a39b-714404acbd98"},
      {RelationshipId("targets", "intrusion-set--f743ab1d-b2f2-58f8-975f-0993511c0b9d",
                      "location--b8d0549f-de06-5ebd-a6e9-d31a581dba5d"),
       "relationship--0575c4b5-3089-5423-91b8-8e3592180d1f"},
      {IntrusionSetId("TÜRKİYE ΣΟΦΟΣ"), "intrusion-set--d38d35f1-3e43-5f93-8ac2-6ae8172330d3"},
      {IdentityId("Société Générale", "organization"), "identity--2ef13193-e6d4-5246-a806-c4a56952ee6a"},
  };
  for (const Case& c : cases) CHECK_MESSAGE(c.got == c.expected, std::string(c.expected));
  // Inner white space is significant (OpenCTI does not collapse it).
  CHECK(ThreatActorId("APT 28") != ThreatActorId("APT  28"));
  // start/stop times change a relationship's id.
  CHECK(RelationshipId("targets", "a", "b", "2020-01-01T00:00:00Z") != RelationshipId("targets", "a", "b"));
}

TEST_CASE("NormalizeName lower-cases and trims") {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"  APT28  ", "apt28"},
      {"Fancy Bear", "fancy bear"},
      {"\xC2\xA0Lazarus\xE3\x80\x80", "lazarus"},          // NBSP and ideographic space trimmed
      {"ÉTATS-UNIS", "états-unis"},
      {"ŁÓDŹ", "łódź"},
      {"ΟΔΥΣΣΕΥΣ", "οδυσσευς"},                           // final sigma
      {"Σ", "σ"},
      {"ΣΑ Σ.", "σα σ."},
      {"МОСКВА Ёж", "москва ёж"},
      {"İstanbul", "i\xCC\x87stanbul"},
      {"ＡＰＴ", "ａｐｔ"},
      {"Việt Nam", "việt nam"},
      {"ẞ", "ß"},
      {"東京", "東京"},
      {"", ""},
      {"   ", ""},
      {"bad\xFFutf8", "bad\xEF\xBF\xBDutf8"},
  };
  for (const Case& c : cases) CHECK_MESSAGE(NormalizeName(c.in) == c.out, std::string(c.in));
}

TEST_CASE("CanonicalJson follows RFC 8785") {
  struct Case {
    StringProperties strings;
    ArrayProperties arrays;
    const char* expected;
  };
  const Case cases[] = {
      {{}, {}, "{}"},
      {{{"b", "2"}, {"a", "1"}}, {}, R"({"a":"1","b":"2"})"},
      {{{"q", "say \"hi\"\\"}}, {}, R"({"q":"say \"hi\"\\"})"},
      {{{"c", std::string("\b\f\n\r\t\x01\x1f\x7f/", 9)}},
       {},
       "{\"c\":\"\\b\\f\\n\\r\\t\\u0001\\u001f\x7f/\"}"},
      {{{"u", "é€😀"}}, {}, "{\"u\":\"é€😀\"}"},
      // UTF-16 order: U+FFFD (one unit 0xFFFD) sorts after U+1F600 (surrogates 0xD83D ...),
      // the reverse of code point / UTF-8 order.
      {{{"\xEF\xBF\xBD", "1"}, {"\xF0\x9F\x98\x80", "2"}},
       {},
       "{\"\xF0\x9F\x98\x80\":\"2\",\"\xEF\xBF\xBD\":\"1\"}"},
      {{{"a", "1"}, {"a", "2"}}, {}, R"({"a":"2"})"},
      {{{"name", "x"}}, {{"aliases", {"b", "a"}}}, R"({"aliases":["b","a"],"name":"x"})"},
      {{}, {{"e", {}}}, R"({"e":[]})"},
      {{{"Z", "1"}, {"a", "2"}, {"_", "3"}}, {}, R"({"Z":"1","_":"3","a":"2"})"},
      // The last of repeated keys wins wherever they stand; ASCII keys sort among others.
      {{{"b", "1"}, {"a", "x"}, {"b", "2"}}, {{"c", {"y"}}}, R"({"a":"x","b":"2","c":["y"]})"},
      {{{"\xC3\xA9", "1"}, {"b", "2"}, {"a", "3"}}, {}, "{\"a\":\"3\",\"b\":\"2\",\"\xC3\xA9\":\"1\"}"},
      // Ill-formed keys that both become U+FFFD are one key in UTF-16: the last wins.
      {{{"\xFF", "1"}, {"\xFE", "2"}}, {}, "{\"\xEF\xBF\xBD\":\"2\"}"},
  };
  for (const Case& c : cases) {
    CHECK_MESSAGE(CanonicalJson(c.strings, c.arrays) == c.expected, std::string(c.expected));
  }
}

TEST_CASE("Typed id helpers agree with DeterministicId over the general canonical JSON") {
  // The helpers write their canonical JSON directly; DeterministicId sorts and escapes generally.
  const std::vector<std::string> names = {
      "APT28",          " \t\nLazarus Group\r\f\v ", "",       "   ",          "a\"b\\c",
      "ctrl\x01\x1f",   "Société Générale",          "ΣΟΦΟΣ", "bad \xFF byte", std::string("nul\0x", 5),
      "\xE2\x80\x83spaced\xE2\x80\x83"};
  for (const std::string& n : names) {
    const std::string norm = NormalizeName(n);
    CHECK_MESSAGE(ThreatActorId(n) == DeterministicId("threat-actor", {{"name", norm}, {"opencti_type", "Threat-Actor-Group"}}), n);
    CHECK_MESSAGE(IntrusionSetId(n) == DeterministicId("intrusion-set", {{"name", norm}}), n);
    CHECK_MESSAGE(IdentityId(n, "Organization ") ==
                      DeterministicId("identity", {{"name", norm}, {"identity_class", "organization"}}), n);
    CHECK_MESSAGE(IdentityId("x", n) == DeterministicId("identity", {{"name", "x"}, {"identity_class", norm}}), n);
    CHECK_MESSAGE(LocationId(n, "Country") ==
                      DeterministicId("location", {{"x_opencti_location_type", "Country"}, {"name", norm}}), n);
    CHECK_MESSAGE(ReportId(n, "2020-06-02T00:00:00Z") ==
                      DeterministicId("report", {{"published", "2020-06-02T00:00:00.000Z"}, {"name", norm}}), n);
    CHECK_MESSAGE(RelationshipId("uses", n, "b", "2020-01-01T00:00:00Z") ==
                      DeterministicId("relationship", {{"target_ref", "b"},
                                                       {"source_ref", n},
                                                       {"start_time", "2020-01-01T00:00:00.000Z"},
                                                       {"relationship_type", "uses"}}),
                  n);
  }
}

TEST_CASE("NormalizeName trims JavaScript white space and lower-cases") {
  struct Case {
    std::string in, out;
  };
  const Case cases[] = {
      {"  APT28\t", "apt28"},
      {"\x0B\x0C Mixed Case Name \r\n", "mixed case name"},
      {"inner  space", "inner  space"},
      {"\x01control\x01", "\x01control\x01"},  // controls are not white space
      {"", ""},
      {" \t ", ""},
      {"\xC2\xA0" "Nbsp\xC2\xA0", "nbsp"},
      {"\xE3\x80\x80Ideographic", "ideographic"},
      {"\xC3\x89T\xC3\x89", "\xC3\xA9t\xC3\xA9"},
  };
  for (const Case& c : cases) CHECK_MESSAGE(NormalizeName(c.in) == c.out, c.in);
}

}  // namespace prose2stix::stix

namespace prose2stix::stix {

TEST_CASE("CanonicalJson escapes a special byte wherever it stands in a long value") {
  // JCS escaping written out plainly, for values of ASCII and well-formed UTF-8.
  auto plain = [](const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
      if (c == '"')
        out += "\\\"";
      else if (c == '\\')
        out += "\\\\";
      else if (c == '\n')
        out += "\\n";
      else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "\\u%04x", c);
        out += buf;
      } else
        out += static_cast<char>(c);
    }
    return out + "\"";
  };
  const std::string specials[] = {"\"",           "\\", "\n",  std::string(1, '\x01'), "\x1f", "\xC3\xA9",
                                  "\xE2\x82\xAC", " ",  "\x7f"};
  for (size_t len = 0; len <= 24; ++len) {
    for (size_t at = 0; at <= len; ++at) {
      for (const std::string& sp : specials) {
        std::string v = std::string(len, 'x');
        v.insert(at, sp);
        CHECK_MESSAGE(CanonicalJson({{"k", v}}) == "{\"k\":" + plain(v) + "}", len << " " << at);
      }
    }
  }
}

}  // namespace prose2stix::stix

namespace prose2stix::stix {

TEST_CASE("CanonicalJson sorts many members, ASCII or not, keeping the last of repeated keys") {
  for (bool ascii : {true, false}) {
    StringProperties props;
    // 60 keys in reverse order, each twice (the second value wins), one non-ASCII key when !ascii.
    for (int round = 0; round < 2; ++round) {
      for (int i = 59; i >= 0; --i) {
        char key[8];
        std::snprintf(key, sizeof(key), "k%02d", i);
        props.emplace_back(key, std::to_string(round));
      }
    }
    if (!ascii) props.emplace_back("\xC3\xA9", "e");
    std::string expected = "{";
    for (int i = 0; i < 60; ++i) {
      char member[16];
      std::snprintf(member, sizeof(member), "\"k%02d\":\"1\"", i);
      if (i > 0) expected += ",";
      expected += member;
    }
    if (!ascii) expected += ",\"\xC3\xA9\":\"e\"";
    expected += "}";
    CHECK_MESSAGE(CanonicalJson(props) == expected, ascii);
  }
}

}  // namespace prose2stix::stix
