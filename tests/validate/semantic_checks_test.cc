#include "prose2stix/validate/semantic_checks.h"

#include <doctest/doctest.h>

#include <string>

#include "prose2stix/validate/vocabularies.h"

namespace prose2stix::validate {

TEST_CASE("ParseTimestamp accepts STIX timestamps and rejects everything else") {
  struct Case {
    std::string text;
    bool ok;
    std::string why;  // substring of the reason when rejected
  };
  const Case cases[] = {
      {"2020-01-01T00:00:00Z", true, ""},
      {"2020-01-01T00:00:00.000Z", true, ""},
      {"2020-02-29T23:59:59.123456789Z", true, ""},
      {"2000-02-29T12:00:00Z", true, ""},
      {"2016-12-31T23:59:60Z", true, ""},  // leap second
      {"2021-02-29T00:00:00Z", false, "day does not exist"},
      {"1900-02-29T00:00:00Z", false, "day does not exist"},
      {"2020-04-31T00:00:00Z", false, "day does not exist"},
      {"2020-13-01T00:00:00Z", false, "month"},
      {"2020-00-10T00:00:00Z", false, "month"},
      {"2020-01-01T24:00:00Z", false, "hour"},
      {"2020-01-01T00:60:00Z", false, "minute"},
      {"2020-01-01T00:00:61Z", false, "second"},
      {"2020-01-01 00:00:00Z", false, "upper-case T"},
      {"2020-01-01T00:00:00", false, "expected"},
      {"2020-01-01T00:00:00+00:00", false, "end with Z"},
      {"2020-01-01T00:00:00.Z", false, "followed by digits"},
      {"2020-01-01T00:00:00ZZ", false, "after Z"},
      {"20-01-01T00:00:00.000Z", false, "YYYY-MM-DD"},
      {"", false, "expected"},
  };
  for (const Case& c : cases) {
    std::string why;
    int64_t s = 0;
    uint32_t n = 0;
    bool ok = ParseTimestamp(c.text, &s, &n, &why);
    CHECK_MESSAGE(ok == c.ok, c.text);
    if (!c.ok) CHECK_MESSAGE(why.find(c.why) != std::string::npos, c.text << " -> " << why);
  }
  int64_t s = 0;
  uint32_t n = 0;
  REQUIRE(ParseTimestamp("1970-01-02T00:00:01.5Z", &s, &n, nullptr));
  CHECK(s == 86401);
  CHECK(n == 500000000u);
}

TEST_CASE("ParseIdentifier checks the type part and the RFC 4122 UUID") {
  struct Case {
    std::string id;
    bool ok;
    std::string type_or_why;
    int version;
  };
  const Case cases[] = {
      {"identity--311b2d2d-f010-4473-83ec-1edf84858f4c", true, "identity", 4},
      {"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", true, "ipv4-addr", 5},
      {"x-mitre-tactic--311B2D2D-F010-4473-A3EC-1EDF84858F4C", true, "x-mitre-tactic", 4},
      {"identity-311b2d2d-f010-4473-83ec-1edf84858f4c", false, "expected <type>--<UUID>", 0},
      {"identity--311b2d2d-f010-4473-83ec-1edf84858f4", false, "36 characters", 0},
      {"identity--311b2d2d-f010-0473-83ec-1edf84858f4c", false, "version digit is 0", 0},
      {"identity--311b2d2d-f010-4473-c3ec-1edf84858f4c", false, "variant digit is c", 0},
      {"identity--311b2d2d_f010-4473-83ec-1edf84858f4c", false, "8-4-4-4-12", 0},
      {"identity--311b2d2d-f010-4473-83ec-1edf84858g4c", false, "8-4-4-4-12", 0},
      {"Identity--311b2d2d-f010-4473-83ec-1edf84858f4c", false, "type part", 0},
      {"--311b2d2d-f010-4473-83ec-1edf84858f4c", false, "type part", 0},
  };
  for (const Case& c : cases) {
    std::string_view type;
    int version = 0;
    std::string why;
    bool ok = ParseIdentifier(c.id, &type, &version, &why);
    CHECK_MESSAGE(ok == c.ok, c.id << " -> " << why);
    if (c.ok) {
      CHECK_MESSAGE(type == c.type_or_why, c.id);
      CHECK_MESSAGE(version == c.version, c.id);
    } else {
      CHECK_MESSAGE(why.find(c.type_or_why) != std::string::npos, c.id << " -> " << why);
    }
  }
}

TEST_CASE("ParseIdentifier reads the type up to the first \"--\" and explains a bad type exactly") {
  const std::string u = "311b2d2d-f010-4473-83ec-1edf84858f4c";
  struct Case {
    std::string id;
    bool ok;
    std::string type_or_why;  // the type, or the whole message
  };
  const Case cases[] = {
      {"a-b--" + u, true, "a-b"},
      {"abc-d-e--" + u, true, "abc-d-e"},
      {"x9z--" + u, true, "x9z"},
      {std::string(250, 'a') + "--" + u, true, std::string(250, 'a')},
      {"ab--" + u, false, "its type part is malformed: it is shorter than 3 characters"},
      {std::string(251, 'a') + "--" + u, false,
       "its type part is malformed: it is 251 characters long; at most 250 are allowed"},
      {"9ab--" + u, false, "its type part is malformed: it must start with a lowercase letter"},
      {"abc_d--" + u, false, "its type part is malformed: character 4 is not a-z, 0-9 or '-'"},
      {"abC--" + u, false, "its type part is malformed: character 3 is not a-z, 0-9 or '-'"},
      {"abc---" + u, false, "the UUID part must be 36 characters (8-4-4-4-12 hex digits)"},
      {"abc-" + u, false, "expected <type>--<UUID>"},
      {"abc", false, "expected <type>--<UUID>"},
      {"", false, "expected <type>--<UUID>"},
      {"a", false, "expected <type>--<UUID>"},
      {"abc--", false, "the UUID part must be 36 characters (8-4-4-4-12 hex digits)"},
      {"ab c--" + u, false, "its type part is malformed: character 3 is not a-z, 0-9 or '-'"},
  };
  for (const Case& c : cases) {
    std::string_view type;
    int version = 0;
    std::string why;
    bool ok = ParseIdentifier(c.id, &type, &version, &why);
    CHECK_MESSAGE(ok == c.ok, c.id << " -> " << why);
    CHECK_MESSAGE((ok ? std::string(type) : why) == c.type_or_why,
                  c.id << " -> " << (ok ? std::string(type) : why));
  }
}

TEST_CASE("CheckTypeName is linear and explains rejections") {
  struct Case {
    std::string type;
    bool ok;
    std::string why;
  };
  const Case cases[] = {
      {"indicator", true, ""},
      {"x-acme-widget", true, ""},
      {"abc", true, ""},
      {"ab", false, "shorter than 3"},
      {"Indicator", false, "lowercase letter"},
      {"1ndicator", false, "lowercase letter"},
      {"x_acme", false, "character 2"},
      {"x--acme", false, "\"--\""},
      {std::string(251, 'a'), false, "251 characters"},
  };
  for (const Case& c : cases) {
    std::string why;
    CHECK_MESSAGE(CheckTypeName(c.type, &why) == c.ok, c.type);
    if (!c.ok) CHECK_MESSAGE(why.find(c.why) != std::string::npos, c.type << " -> " << why);
  }
  // The OASIS schema pattern ^([a-z][a-z0-9]*)+(-[a-z0-9]+)*\-?$ backtracks exponentially on such
  // input; the hand-written check is linear, so this case ends at once (a backtracking check
  // would not end within the test run's timeout; no clock is read here).
  std::string evil(100000, 'a');
  evil += '!';
  std::string why;
  CHECK_FALSE(CheckTypeName(evil, &why));
  std::string long_ok = "a";
  for (int i = 0; i < 30; ++i) long_ok += "a1";
  long_ok += "-";
  CHECK(CheckTypeName(long_ok, nullptr));
}

TEST_CASE("AppendPointer escapes ~ and /") {
  std::string p = "/objects/0";
  AppendPointer(&p, "a/b~c");
  CHECK(p == "/objects/0/a~1b~0c");
}

TEST_CASE("CheckFilter follows stix2-validator enable/disable semantics") {
  auto all = CheckFilter::Make({}, {});
  REQUIRE(all.ok());
  CHECK(all->Enabled(213));
  CHECK(all->Enabled(12));

  auto no_vocab = CheckFilter::Make({}, {213, 1});
  REQUIRE(no_vocab.ok());
  CHECK_FALSE(no_vocab->Enabled(213));
  CHECK_FALSE(no_vocab->Enabled(101));
  CHECK_FALSE(no_vocab->Enabled(111));
  CHECK(no_vocab->Enabled(215));
  CHECK(no_vocab->Enabled(13));  // MUST checks always run

  auto only = CheckFilter::Make({202, 4}, {202});
  REQUIRE(only.ok());
  CHECK(only->Enabled(202));  // enabling wins
  CHECK(only->Enabled(401));
  CHECK(only->Enabled(402));
  CHECK_FALSE(only->Enabled(213));
  CHECK(only->Enabled(18));

  auto vocabs = CheckFilter::Make({210}, {});
  REQUIRE(vocabs.ok());
  CHECK(vocabs->Enabled(213));
  CHECK(vocabs->Enabled(245));
  CHECK_FALSE(vocabs->Enabled(202));

  auto unknown = CheckFilter::Make({999}, {});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().ToString().find("999") != std::string::npos);
  auto must = CheckFilter::Make({}, {12});
  REQUIRE_FALSE(must.ok());
  CHECK(must.status().ToString().find("cannot be enabled or disabled") != std::string::npos);
}

TEST_CASE("Vocabularies, countries and relationship tables") {
  CHECK(InVocabulary(Vocabulary::kIdentityClass, "organization"));
  CHECK_FALSE(InVocabulary(Vocabulary::kIdentityClass, "company"));
  CHECK(InVocabulary(Vocabulary::kIndustrySector, "government-national"));
  CHECK(InVocabulary(Vocabulary::kHashAlgorithm, "SHA-256"));
  CHECK_FALSE(InVocabulary(Vocabulary::kHashAlgorithm, "SHA256"));
  CHECK(VocabularyName(Vocabulary::kThreatActorType) == "threat-actor-type-ov");
  CHECK(VocabularyName(Vocabulary::kWindowsPebinaryType) == "windows-pebinary-type-ov");
  CHECK(IsCountryCode("US"));
  CHECK(IsCountryCode("ZW"));
  CHECK(IsCountryCode("AX"));
  CHECK_FALSE(IsCountryCode("us"));
  CHECK_FALSE(IsCountryCode("UK"));  // the ISO code is GB
  CHECK_FALSE(IsCountryCode("USA"));
  CHECK(CategoryOf("malware") == ObjectCategory::kSdo);
  CHECK(CategoryOf("sighting") == ObjectCategory::kSro);
  CHECK(CategoryOf("url") == ObjectCategory::kSco);
  CHECK(CategoryOf("marking-definition") == ObjectCategory::kMeta);
  CHECK(CategoryOf("x-mitre-tactic") == ObjectCategory::kUnknown);
  CHECK(IsRecommendedRelationship("threat-actor", "attributed-to", "identity"));
  CHECK(IsRecommendedRelationship("threat-actor", "targets", "vulnerability"));
  CHECK(IsRecommendedRelationship("intrusion-set", "originates-from", "location"));
  CHECK(IsRecommendedRelationship("infrastructure", "consists-of", "ipv4-addr"));
  CHECK(IsRecommendedRelationship("tool", "related-to", "campaign"));
  CHECK_FALSE(IsRecommendedRelationship("threat-actor", "attributed-to", "malware"));
  CHECK_FALSE(IsRecommendedRelationship("identity", "uses", "malware"));
  CHECK(RecommendedRelationships("threat-actor", "identity") == "attributed-to, impersonates, targets");
  CHECK(IsPredefinedExtension("ntfs-ext"));
  CHECK_FALSE(IsPredefinedExtension("x-acme-ext"));
}

}  // namespace prose2stix::validate

namespace prose2stix::validate {

namespace {
// The 8-4-4-4-12 rule written out plainly, as the reference for ParseIdentifier's UUID scan.
bool PlainUuidShape(const std::string& u) {
  if (u.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    char c = u[i];
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (dash ? c != '-' : !hex) return false;
  }
  return true;
}
}  // namespace

TEST_CASE("ParseIdentifier's UUID scan agrees with the plain 8-4-4-4-12 rule at every position") {
  const std::string base = "311b2d2d-f010-4473-83ec-1edf84858f4c";
  const char replacements[] = {'0',    '9',    'a',    'f', 'A', 'F',    'g',    'G',
                               '-',    '/',    ':',    '@', '`', ' ',    '\0',   '\x7f',
                               '\x80', '\xc3', '\xff', '.', 'z', '\x2f', '\x3a', '\x60'};
  for (size_t pos = 0; pos < base.size(); ++pos) {
    for (char r : replacements) {
      std::string uuid = base;
      uuid[pos] = r;
      std::string id = "identity--" + uuid;
      std::string why;
      std::string_view type;
      int version = 0;
      bool ok = ParseIdentifier(id, &type, &version, &why);
      // Positions 14 (version) and 19 (variant) have further rules; judge the shape alone there.
      bool shape = ok || why.find("8-4-4-4-12 hex digits") == std::string::npos;
      CHECK_MESSAGE(shape == PlainUuidShape(uuid),
                    "position " << pos << " byte " << int(static_cast<unsigned char>(r)) << ": " << why);
    }
  }
}

TEST_CASE("DocumentState tells (id, modified) pairs apart and finds repeats") {
  DocumentState state(true);
  const std::string u = "-5a57fc5e-9f6d-5274-93e5-71bdc9056c52";
  std::vector<std::string> ids;
  for (int i = 0; i < 3000; ++i) ids.push_back("identity--" + std::to_string(i) + u);
  for (const std::string& id : ids) CHECK_MESSAGE(state.AddObject(id, "2020-01-01T00:00:00.000Z"), id);
  for (const std::string& id : ids) CHECK_MESSAGE(state.AddObject(id, "2020-01-02T00:00:00.000Z"), id);
  for (const std::string& id : ids) CHECK_MESSAGE(!state.AddObject(id, "2020-01-01T00:00:00.000Z"), id);
  // The split between id and modified matters; an empty modified is a value of its own.
  CHECK(state.AddObject("ab", "c"));
  CHECK(state.AddObject("a", "bc"));
  CHECK(state.AddObject("abc", ""));
  CHECK_FALSE(state.AddObject("abc", ""));
  CHECK_FALSE(state.IsUnresolved(ids[1234]));
  CHECK(state.IsUnresolved("identity--x" + u));
  CHECK(state.IsUnresolved(""));
}

}  // namespace prose2stix::validate

namespace prose2stix::validate {

TEST_CASE("SameName agrees with == on strings of every length up to 24, differing at every place") {
  const std::string base = "abcdefghijklmnopqrstuvwx";
  for (size_t n = 0; n <= base.size(); ++n) {
    const std::string a = base.substr(0, n);
    CHECK_MESSAGE(SameName(a, std::string(a)), a);
    if (n > 0) CHECK_MESSAGE(!SameName(a, a.substr(0, n - 1)), a);
    if (n > 1) CHECK_MESSAGE(!SameName(a.substr(1), a.substr(0, n - 1)), a);
    for (size_t i = 0; i < n; ++i) {
      std::string b = a;
      b[i] = static_cast<char>(b[i] ^ 0x20);
      CHECK_MESSAGE(!SameName(a, b), a << " vs " << b);
      b[i] = static_cast<char>(0x80 | b[i]);
      CHECK_MESSAGE(!SameName(b, a), a << " vs " << b);
    }
  }
  // Views into larger buffers: only the viewed bytes count.
  const std::string buf = "identity--x identity--y";
  CHECK(SameName(std::string_view(buf).substr(0, 8), std::string_view(buf).substr(12, 8)));
  CHECK_FALSE(SameName(std::string_view(buf).substr(0, 11), std::string_view(buf).substr(12, 11)));
}

}  // namespace prose2stix::validate

namespace prose2stix::validate {

TEST_CASE("ParseIdentifier's type scan agrees with CheckTypeName for types of every length to 40") {
  const std::string u = "311b2d2d-f010-4473-83ec-1edf84858f4c";
  const char replacements[] = {'a', 'z', '0', '9', '-', '_', 'A',    'Z',
                               '`', '{', '/', ':', ' ', '.', '\x80', '\xff'};
  for (size_t len = 1; len <= 40; ++len) {
    std::string base;
    for (size_t i = 0; i < len; ++i) base += static_cast<char>('a' + i % 26);
    for (size_t at = 0; at < len; ++at) {
      for (char r : replacements) {
        std::string type = base;
        type[at] = r;
        if (type.find("--") != std::string::npos || type.back() == '-') continue;  // "--" ends a type
        std::string why;
        std::string_view parsed;
        int version = 0;
        const std::string id = type + "--" + u;  // `parsed` points into it
        bool ok = ParseIdentifier(id, &parsed, &version, &why);
        bool expected = CheckTypeName(type, nullptr);
        CHECK_MESSAGE(ok == expected, type << " -> " << why);
        if (ok) CHECK_MESSAGE(parsed == type, type);
      }
    }
  }
  // The first "--" ends the type, wherever it falls in a 16-byte block.
  for (size_t len = 3; len <= 40; ++len) {
    const std::string type(len, 'k');
    const std::string id = type + "--" + u;
    std::string_view parsed;
    int version = 0;
    CHECK_MESSAGE(ParseIdentifier(id, &parsed, &version, nullptr), len);
    CHECK_MESSAGE(parsed.size() == len, len);
    CHECK_MESSAGE(!ParseIdentifier(type + "--x--" + u, &parsed, &version, nullptr), len);
  }
}

TEST_CASE("NameHash: equal names hash alike wherever they lie; names of every length spread") {
  // The same bytes at different addresses and alignments give the same hash.
  const std::string names[] = {"",
                               "a",
                               "id",
                               "type",
                               "created",
                               "modified",
                               "created_by_ref",
                               "object_marking_refs",
                               "x_mitre_deprecated_and_then_some_more"};
  for (const std::string& name : names) {
    std::string padded = "..." + name + "...";
    CHECK_MESSAGE(NameHash()(name) == NameHash()(std::string_view(padded).substr(3, name.size())), name);
  }
  // Names that differ in one byte, at every position of every length up to 40, hash apart.
  int collisions = 0, pairs = 0;
  for (size_t len = 1; len <= 40; ++len) {
    std::string base(len, 'a');
    for (size_t pos = 0; pos < len; ++pos) {
      std::string other = base;
      other[pos] = 'b';
      ++pairs;
      if (NameHash()(base) == NameHash()(other)) ++collisions;
    }
  }
  CHECK_MESSAGE(collisions == 0, collisions << " of " << pairs);
  CHECK(NameHash()("a") != NameHash()(std::string_view("a\0", 2)));  // the length counts
}

}  // namespace prose2stix::validate
