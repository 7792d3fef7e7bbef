#include "prose2stix/stix/json_writer.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <vector>

#include "prose2stix/stix/identifier.h"

namespace prose2stix::stix {

namespace {

constexpr const char* kT = "2020-06-02T13:00:00.000Z";

Common MakeCommon(std::string id) {
  Common c;
  c.id = std::move(id);
  c.created = kT;
  c.modified = kT;
  return c;
}

}  // namespace

TEST_CASE("WriteObject compact golden strings for each type") {
  ThreatActor ta;
  ta.common = MakeCommon(ThreatActorId("APT28"));
  ta.common.created_by_ref = "identity--04c0e399-d37b-5be4-9c06-f1df88206cd0";
  ta.common.confidence = 75;
  ta.common.object_marking_refs = {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"};
  ta.common.custom = {{"x_opencti_type", "Threat-Actor-Group"}};
  ta.name = "APT28";
  ta.description = "Russian \"GRU\" unit";
  ta.threat_actor_types = {"nation-state"};
  ta.aliases = {"Fancy Bear", "Sofacy"};
  ta.first_seen = "2004-01-01T00:00:00.000Z";
  ta.sophistication = "expert";
  ta.primary_motivation = "organizational-gain";

  IntrusionSet is;
  is.common = MakeCommon(IntrusionSetId("Lazarus"));
  is.name = "Lazarus";
  is.aliases = {"Hidden Cobra"};
  is.last_seen = "2021-01-01T00:00:00.000Z";
  is.goals = {"money"};
  is.resource_level = "government";

  Identity id;
  id.common = MakeCommon(IdentityId("Energy", "class"));
  id.name = "Energy";
  id.identity_class = "class";
  id.sectors = {"energy"};
  id.common.custom = {{"x_opencti_identity_type", "Sector"}};

  Location loc;
  loc.common = MakeCommon(LocationId("France", "Country"));
  loc.name = "France";
  loc.country = "FR";
  loc.latitude = 46.5;
  loc.longitude = 2.25;
  loc.common.custom = {{"x_opencti_location_type", "Country"}};
  loc.common.custom_lists = {{"x_opencti_aliases", {"French Republic"}}, {"x_empty", {}}};

  Relationship rel;
  rel.common = MakeCommon("relationship--0575c4b5-3089-5423-91b8-8e3592180d1f");
  rel.relationship_type = "targets";
  rel.description = "APT28 targeted French ministries.";
  rel.source_ref = IntrusionSetId("apt28");
  rel.target_ref = LocationId("France", "Country");
  rel.common.external_references = {
      {"prose2stix", "sentence 3", "https://example.org/a", "", {{"SHA-256", "ab12"}}}};

  Report rep;
  rep.common = MakeCommon("report--6fda90dd-c85a-552c-a39b-714404acbd98");
  rep.common.labels = {"threat-report"};
  rep.common.lang = "en";
  rep.name = "My report";
  rep.report_types = {"threat-report"};
  rep.published = kT;
  rep.object_refs = {ta.common.id, loc.common.id};

  struct Case {
    Object object;
    std::string expected;
  };
  const Case cases[] = {
      {ta,
       R"({"type":"threat-actor","spec_version":"2.1","id":"threat-actor--90bd2396-8173-5dd4-92ad-31f3786e636d",)"
       R"("created_by_ref":"identity--04c0e399-d37b-5be4-9c06-f1df88206cd0","created":"2020-06-02T13:00:00.000Z",)"
       R"("modified":"2020-06-02T13:00:00.000Z","name":"APT28","description":"Russian \"GRU\" unit",)"
       R"("threat_actor_types":["nation-state"],"aliases":["Fancy Bear","Sofacy"],)"
       R"("first_seen":"2004-01-01T00:00:00.000Z","sophistication":"expert",)"
       R"("primary_motivation":"organizational-gain","confidence":75,)"
       R"("object_marking_refs":["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"],)"
       R"("x_opencti_type":"Threat-Actor-Group"})"},
      {is,
       R"({"type":"intrusion-set","spec_version":"2.1","id":")" + IntrusionSetId("Lazarus") +
           R"(","created":"2020-06-02T13:00:00.000Z","modified":"2020-06-02T13:00:00.000Z","name":"Lazarus",)"
           R"("aliases":["Hidden Cobra"],"last_seen":"2021-01-01T00:00:00.000Z","goals":["money"],)"
           R"("resource_level":"government"})"},
      {id,
       R"({"type":"identity","spec_version":"2.1","id":"identity--166544e2-ba1f-5a6c-89cf-a63d0c01e91c",)"
       R"("created":"2020-06-02T13:00:00.000Z","modified":"2020-06-02T13:00:00.000Z","name":"Energy",)"
       R"("identity_class":"class","sectors":["energy"],"x_opencti_identity_type":"Sector"})"},
      {loc,
       R"({"type":"location","spec_version":"2.1","id":"location--b8d0549f-de06-5ebd-a6e9-d31a581dba5d",)"
       R"("created":"2020-06-02T13:00:00.000Z","modified":"2020-06-02T13:00:00.000Z","name":"France",)"
       R"("latitude":46.5,"longitude":2.25,"country":"FR","x_opencti_location_type":"Country",)"
       R"("x_opencti_aliases":["French Republic"]})"},
      {rel,
       R"({"type":"relationship","spec_version":"2.1","id":"relationship--0575c4b5-3089-5423-91b8-8e3592180d1f",)"
       R"("created":"2020-06-02T13:00:00.000Z","modified":"2020-06-02T13:00:00.000Z",)"
       R"("relationship_type":"targets","description":"APT28 targeted French ministries.",)"
       R"("source_ref":"intrusion-set--f743ab1d-b2f2-58f8-975f-0993511c0b9d",)"
       R"("target_ref":"location--b8d0549f-de06-5ebd-a6e9-d31a581dba5d",)"
       R"("external_references":[{"source_name":"prose2stix","description":"sentence 3",)"
       R"("url":"https://example.org/a","hashes":{"SHA-256":"ab12"}}]})"},
      {rep,
       R"({"type":"report","spec_version":"2.1","id":"report--6fda90dd-c85a-552c-a39b-714404acbd98",)"
       R"("created":"2020-06-02T13:00:00.000Z","modified":"2020-06-02T13:00:00.000Z","name":"My report",)"
       R"("report_types":["threat-report"],"published":"2020-06-02T13:00:00.000Z",)"
       R"("object_refs":["threat-actor--90bd2396-8173-5dd4-92ad-31f3786e636d",)"
       R"("location--b8d0549f-de06-5ebd-a6e9-d31a581dba5d"],"labels":["threat-report"],"lang":"en"})"},
      {TlpMarking(Tlp::kGreen),
       R"({"type":"marking-definition","spec_version":"2.1","id":"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",)"
       R"("created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","name":"TLP:GREEN",)"
       R"("definition":{"tlp":"green"}})"},
      {TlpMarking(Tlp::kAmberStrict),
       R"({"type":"marking-definition","spec_version":"2.1","id":"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",)"
       R"("created":"2022-10-01T00:00:00.000Z","name":"TLP:AMBER+STRICT","extensions":{)"
       R"("extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":{"extension_type":"property-extension",)"
       R"("tlp_2_0":"amber+strict"}},"x_opencti_definition_type":"TLP","x_opencti_definition":"TLP:AMBER+STRICT"})"},
  };
  for (const Case& c : cases) {
    std::string got = WriteObject(c.object, false);
    CHECK_MESSAGE(got == c.expected, std::string(TypeOf(c.object)) << "\n got " << got);
    CHECK(got.find('\n') == std::string::npos);
    rapidjson::Document doc;
    doc.Parse(got.c_str(), got.size());
    CHECK_MESSAGE(!doc.HasParseError(), got);
    // Pretty output is the same JSON value.
    std::string pretty = WriteObject(c.object, true);
    rapidjson::Document pdoc;
    pdoc.Parse(pretty.c_str(), pretty.size());
    CHECK(pdoc == doc);
  }
}

TEST_CASE("WriteBundle pretty golden and empty values omitted") {
  Bundle b;
  b.id = "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d";
  Identity id;
  id.common.id = IdentityId("Microsoft", "organization");
  id.common.created = kT;
  id.common.modified = kT;
  id.name = "Microsoft";
  id.identity_class = "organization";
  id.description = "";   // omitted
  id.sectors = {};       // omitted
  b.objects.push_back(id);
  b.objects.push_back(TlpMarking(Tlp::kClear));
  const char* expected = R"({
  "type": "bundle",
  "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
  "objects": [
    {
      "type": "identity",
      "spec_version": "2.1",
      "id": "identity--04c0e399-d37b-5be4-9c06-f1df88206cd0",
      "created": "2020-06-02T13:00:00.000Z",
      "modified": "2020-06-02T13:00:00.000Z",
      "name": "Microsoft",
      "identity_class": "organization"
    },
    {
      "type": "marking-definition",
      "spec_version": "2.1",
      "id": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
      "created": "2017-01-20T00:00:00.000Z",
      "definition_type": "tlp",
      "name": "TLP:WHITE",
      "definition": {
        "tlp": "white"
      }
    }
  ]
})";
  CHECK(WriteBundle(b, true) == expected);
  std::string compact = WriteBundle(b, false);
  CHECK(compact.rfind(R"({"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{)", 0) == 0);
  CHECK(compact.find("spec_version") > compact.find("objects"));  // none on the bundle itself
  Bundle empty;
  empty.id = "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d";
  CHECK(WriteBundle(empty, false) == R"({"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"})");
}

TEST_CASE("Writer escapes and repairs strings") {
  Identity id;
  id.common.id = "identity--04c0e399-d37b-5be4-9c06-f1df88206cd0";
  id.name = std::string("a\x01\n\"\\/é\xFFz");
  std::string got = WriteObject(id, false);
  CHECK(got.find(R"("name":"a\u0001\n\"\\/é)" "\xEF\xBF\xBD" R"(z")") != std::string::npos);
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(got.c_str(), got.size());
  CHECK_FALSE(doc.HasParseError());
}

// RapidJSON's own rendering of `json` (which must be valid): compact or pretty with two spaces.
std::string RapidJsonRendering(const std::string& json, bool pretty) {
  // Padded: RapidJSON's SSE2 scanner reads whole 16-byte blocks.
  std::string padded = json;
  padded.append(16, '\0');
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseFullPrecisionFlag>(padded.c_str(), json.size());
  REQUIRE_MESSAGE(!doc.HasParseError(), json);
  rapidjson::StringBuffer sb;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(sb);
    w.SetIndent(' ', 2);
    doc.Accept(w);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    doc.Accept(w);
  }
  return std::string(sb.GetString(), sb.GetSize());
}

TEST_CASE("Writer output is byte for byte what RapidJSON's writers give") {
  // Strings that exercise every escape, the eight-byte fast path at each alignment, UTF-8 that is
  // well-formed and ill-formed at the start, middle and end, and empty nested containers.
  const std::vector<std::string> strings = {
      "plain ascii text that is longer than eight bytes",
      std::string("\x00\x01\x07\x08\x09\x0A\x0B\x0C\x0D\x0E\x1F\x20\x7F", 13),
      "quote\" backslash\\ slash/ tab\t end",
      "1234567\"",
      "12345678\\",
      "\"leading",
      "trailing\n",
      "caf\xC3\xA9 na\xC3\xAFve \xE2\x80\x94 \xF0\x9F\x98\x80 emoji",
      "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9 then \"quoted\"",
      "bad \xFF byte",
      "\xC3",
      "truncated at end \xE2\x80",
      "overlong \xC0\xAF and surrogate \xED\xA0\x80 text",
      "x",
      "",
  };
  for (size_t i = 0; i < strings.size(); ++i) {
    Report r;
    r.common.id = "report--0575c4b5-3089-5423-91b8-8e3592180d1f";
    r.common.created = kT;
    r.common.modified = kT;
    r.common.confidence = static_cast<int>(i) * 7 - 3;
    r.name = strings[i].empty() ? "n" : strings[i];
    r.description = strings[(i + 3) % strings.size()];
    r.report_types = {strings[(i + 5) % strings.size()], "threat-report"};
    r.published = kT;
    r.object_refs = {"identity--04c0e399-d37b-5be4-9c06-f1df88206cd0"};
    ExternalReference ref;
    ref.source_name = "url";
    ref.description = strings[(i + 7) % strings.size()];
    ref.hashes.emplace_back("SHA-256", strings[(i + 1) % strings.size()]);
    r.common.external_references.push_back(ref);
    r.common.custom.emplace_back("x_custom", strings[(i + 2) % strings.size()]);
    r.common.custom_lists.emplace_back("x_list", std::vector<std::string>{strings[i], "b"});
    Location loc;
    loc.common.id = "location--b8d0549f-de06-5ebd-a6e9-d31a581dba5d";
    loc.name = r.name;
    loc.latitude = 48.8566 + static_cast<double>(i) / 3.0;
    loc.longitude = -0.1 * static_cast<double>(i) - 1e-7;
    Bundle b;
    b.id = "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d";
    b.objects = {r, loc, TlpMarking(Tlp::kAmberStrict)};
    for (bool pretty : {false, true}) {
      std::string ours = WriteBundle(b, pretty);
      CHECK_MESSAGE(ours == RapidJsonRendering(ours, pretty), "string " << i << (pretty ? " pretty" : " compact"));
      std::string object = WriteObject(r, pretty);
      CHECK_MESSAGE(object == RapidJsonRendering(object, pretty), "object " << i);
    }
  }
}

TEST_CASE("Writer copies plain runs of every length and stops at a special byte in every position") {
  // Lengths around the 8- and 16-byte blocks and the last-block tail; one byte that needs
  // attention at each position (or none). Parsing the output back must give the string itself.
  const char kSpecials[] = {'"', '\\', '\n', '\x01', '\x1F'};
  for (size_t len = 0; len <= 48; ++len) {
    for (size_t at = 0; at <= len; ++at) {
      for (char special : kSpecials) {
        std::string s;
        for (size_t k = 0; k < len; ++k) s.push_back(static_cast<char>('a' + k % 26));
        if (at < len) s[at] = special;
        Identity id;
        id.common.id = "identity--04c0e399-d37b-5be4-9c06-f1df88206cd0";
        id.name = s.empty() ? "n" : s;
        id.description = s;
        id.common.custom.emplace_back("x_" + s, "v");  // custom names are escaped too
        const std::string json = WriteObject(id, false);
        rapidjson::Document doc;
        doc.Parse(json.c_str(), json.size());
        REQUIRE_MESSAGE(!doc.HasParseError(), json);
        const std::string what = "length " + std::to_string(len) + ", special at " + std::to_string(at);
        CHECK_MESSAGE(std::string(doc["name"].GetString(), doc["name"].GetStringLength()) == id.name, what);
        if (!s.empty()) {
          CHECK_MESSAGE(std::string(doc["description"].GetString(), doc["description"].GetStringLength()) == s, what);
        }
        CHECK_MESSAGE(doc.HasMember(rapidjson::Value(("x_" + s).c_str(), static_cast<rapidjson::SizeType>(s.size() + 2),
                                                     doc.GetAllocator())),
                      what);
      }
      // Non-ASCII at the same place: a two-byte character, and an ill-formed byte (repaired).
      std::string s(len, 'q');
      s.insert(at, "\xC3\xA9");
      Identity id;
      id.name = s;
      std::string json = WriteObject(id, false);
      rapidjson::Document doc;
      doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.c_str(), json.size());
      REQUIRE_MESSAGE(!doc.HasParseError(), json);
      CHECK(std::string(doc["name"].GetString(), doc["name"].GetStringLength()) == s);
      s.replace(at, 2, "\xFF");
      id.name = s;
      json = WriteObject(id, false);
      doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.c_str(), json.size());
      REQUIRE_MESSAGE(!doc.HasParseError(), json);
      std::string repaired = s;
      repaired.replace(at, 1, "\xEF\xBF\xBD");
      CHECK(std::string(doc["name"].GetString(), doc["name"].GetStringLength()) == repaired);
    }
  }
}

TEST_CASE("TLP parsing and markings") {
  struct Case {
    const char* in;
    bool ok;
    Tlp tlp;
    const char* id;
  };
  const Case cases[] = {
      {"clear", true, Tlp::kClear, "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"},
      {"WHITE", true, Tlp::kClear, "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"},
      {"TLP:GREEN", true, Tlp::kGreen, "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"},
      {"amber", true, Tlp::kAmber, "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"},
      {"amber+strict", true, Tlp::kAmberStrict, "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"},
      {"tlp:amber-strict", true, Tlp::kAmberStrict, "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"},
      {"red", true, Tlp::kRed, "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"},
      {"pink", false, Tlp::kClear, ""},
      {"", false, Tlp::kClear, ""},
      {"amber+", false, Tlp::kClear, ""},
  };
  for (const Case& c : cases) {
    Tlp t = Tlp::kRed;
    CHECK_MESSAGE(ParseTlp(c.in, &t) == c.ok, std::string(c.in));
    if (!c.ok) continue;
    CHECK_MESSAGE(t == c.tlp, std::string(c.in));
    MarkingDefinition m = TlpMarking(t);
    CHECK_MESSAGE(m.common.id == c.id, std::string(c.in));
    CHECK(m.common.modified.empty());
    Tlp back = Tlp::kRed;
    CHECK(ParseTlp(TlpName(t), &back));
    CHECK(back == t);
  }
  Object o = TlpMarking(Tlp::kRed);
  CHECK(TypeOf(o) == "marking-definition");
  CHECK(IdOf(o) == "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed");
}

}  // namespace prose2stix::stix
