#include "prose2stix/stix/uuid.h"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace prose2stix::stix {

TEST_CASE("UuidV5 matches RFC 4122 / Python uuid.uuid5") {
  struct Case {
    const char* ns;
    const char* name;
    const char* expected;
  };
  const Case cases[] = {
      {"6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org", "886313e1-3b8a-5372-9b90-0c9aee199e5d"},
      {"6ba7b811-9dad-11d1-80b4-00c04fd430c8", "http://python.org/", "4c565f0d-3f5a-5890-b41b-20cf47701c5e"},
      // Upper-case namespaces are accepted.
      {"6BA7B810-9DAD-11D1-80B4-00C04FD430C8", "python.org", "886313e1-3b8a-5372-9b90-0c9aee199e5d"},
      {"00abedb4-aa42-466c-9c01-fed23315a9b7", R"({"name":"apt28"})", "f743ab1d-b2f2-58f8-975f-0993511c0b9d"},
  };
  for (const Case& c : cases) {
    CHECK_MESSAGE(UuidV5(c.ns, c.name) == c.expected, std::string(c.ns) << " / " << std::string(c.name));
  }
  CHECK(UuidV5("not-a-uuid", "x").empty());
  CHECK(UuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c", "x").empty());
  CHECK(UuidVersion(UuidV5(cases[0].ns, "anything")) == 5);
}

TEST_CASE("UuidV4 is valid, version 4, and unique across threads") {
  std::vector<std::vector<std::string>> per_thread(4);
  std::vector<std::thread> threads;
  for (auto& out : per_thread) {
    threads.emplace_back([&out] {
      for (int i = 0; i < 500; ++i) out.push_back(UuidV4());
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> seen;
  for (const auto& out : per_thread) {
    for (const std::string& u : out) {
      CHECK_MESSAGE(IsValidUuid(u), u);
      CHECK_MESSAGE(UuidVersion(u) == 4, u);
      seen.insert(u);
    }
  }
  CHECK(seen.size() == 2000);
}

TEST_CASE("IsValidUuid and UuidVersion") {
  struct Case {
    const char* s;
    int version;  // -1: invalid
  };
  const Case cases[] = {
      {"886313e1-3b8a-5372-9b90-0c9aee199e5d", 5},
      {"613f2e26-407d-48c7-9eca-b8e91df99dc9", 4},
      {"6ba7b810-9dad-11d1-80b4-00c04fd430c8", 1},
      {"886313E1-3B8A-5372-9B90-0C9AEE199E5D", -1},  // upper case
      {"886313e1-3b8a-5372-1b90-0c9aee199e5d", -1},  // NCS variant
      {"886313e1-3b8a-5372-cb90-0c9aee199e5d", -1},  // Microsoft variant
      {"00000000-0000-0000-0000-000000000000", -1},  // nil
      {"886313e1-3b8a-0372-9b90-0c9aee199e5d", -1},  // version 0
      {"886313e13b8a53729b900c9aee199e5d", -1},
      {"886313e1-3b8a-5372-9b90-0c9aee199e5", -1},
      {"886313e1-3b8a-5372-9b90-0c9aee199e5dd", -1},
      {"886313e1+3b8a-5372-9b90-0c9aee199e5d", -1},
      {"g86313e1-3b8a-5372-9b90-0c9aee199e5d", -1},
      {"", -1},
  };
  for (const Case& c : cases) {
    CHECK_MESSAGE(IsValidUuid(c.s) == (c.version > 0), std::string(c.s));
    CHECK_MESSAGE(UuidVersion(c.s) == c.version, std::string(c.s));
  }
}

TEST_CASE("ParseUuid and FormatUuid round-trip") {
  auto b = ParseUuid("886313E1-3b8a-5372-9b90-0c9aee199e5d");
  REQUIRE(b.has_value());
  CHECK((*b)[0] == 0x88);
  CHECK((*b)[15] == 0x5d);
  CHECK(FormatUuid(*b) == "886313e1-3b8a-5372-9b90-0c9aee199e5d");
  CHECK_FALSE(ParseUuid("886313e1-3b8a5-372-9b90-0c9aee199e5d").has_value());
}

TEST_CASE("AppendUuidV5 appends what UuidV5 returns") {
  const auto dns = ParseUuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  REQUIRE(dns.has_value());
  // Names around the 55- and 64-byte limits of one SHA-1 block (with the 16 namespace bytes).
  for (size_t n : {0, 1, 39, 40, 47, 48, 103, 200}) {
    std::string name(n, 'x');
    std::string out = "prefix--";
    AppendUuidV5(*dns, name, &out);
    CHECK_MESSAGE(out == "prefix--" + UuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", name), n);
  }
  std::string www = "type--";
  AppendUuidV5(*dns, "www.example.com", &www);
  CHECK(www == "type--2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

}  // namespace prose2stix::stix
