#include "prose2stix/stix/merge.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <string>
#include <vector>

#include "prose2stix/stix/identifier.h"
#include "prose2stix/stix/json_writer.h"

namespace prose2stix::stix {

namespace {

const std::string kApt28 = IntrusionSetId("APT28");
const std::string kFrance = LocationId("France", "Country");

rapidjson::Document ParseOut(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str(), json.size());
  REQUIRE_MESSAGE(!d.HasParseError(), json);
  return d;
}

const rapidjson::Value* FindById(const rapidjson::Document& d, const std::string& id) {
  for (const auto& o : d["objects"].GetArray()) {
    if (o["id"].GetString() == id) return &o;
  }
  return nullptr;
}

std::vector<std::string> Strings(const rapidjson::Value& arr) {
  std::vector<std::string> out;
  for (const auto& v : arr.GetArray()) out.emplace_back(v.GetString());
  return out;
}

Bundle FirstBundle() {
  IntrusionSet is;
  is.common.id = kApt28;
  is.common.created = "2020-01-01T00:00:00.000Z";
  is.common.modified = "2020-01-01T00:00:00.000Z";
  is.common.external_references = {{"vendor-a", "", "https://a.example/1", "", {}}};
  is.name = "APT28";
  is.description = "old description";
  is.aliases = {"Sofacy", "Fancy Bear"};
  is.first_seen = "2008-01-01T00:00:00.000Z";
  is.last_seen = "2019-01-01T00:00:00.000Z";

  Location fr;
  fr.common.id = kFrance;
  fr.common.created = fr.common.modified = "2020-01-01T00:00:00.000Z";
  fr.name = "France";
  fr.country = "FR";

  Relationship rel;
  rel.common.id = "relationship--11111111-1111-4111-8111-111111111111";
  rel.common.created = rel.common.modified = "2020-01-01T00:00:00.000Z";
  rel.common.confidence = 40;
  rel.relationship_type = "targets";
  rel.source_ref = kApt28;
  rel.target_ref = kFrance;
  rel.description = "APT28 targeted French ministries.";

  Report rep;
  rep.common.id = "report--6fda90dd-c85a-552c-a39b-714404acbd98";
  rep.common.created = rep.common.modified = "2020-01-01T00:00:00.000Z";
  rep.name = "A";
  rep.published = "2020-01-01T00:00:00.000Z";
  rep.object_refs = {kApt28, kFrance, rel.common.id};
  return Bundle{"bundle--aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", {is, fr, rel, rep}};
}

Bundle SecondBundle() {
  IntrusionSet is;
  is.common.id = kApt28;
  is.common.created = "2021-06-01T00:00:00.000Z";
  is.common.modified = "2021-06-01T00:00:00.000Z";
  is.common.external_references = {{"vendor-a", "dup", "https://a.example/1", "", {}},
                                   {"vendor-b", "", "https://b.example/2", "", {}}};
  is.name = "APT28";
  is.description = "new description";
  is.aliases = {"Strontium", "Fancy Bear"};
  is.first_seen = "2004-01-01T00:00:00.000Z";
  is.last_seen = "2018-01-01T00:00:00.000Z";

  Relationship rel;  // same triple, other id, newer, more evidence
  rel.common.id = "relationship--22222222-2222-4222-8222-222222222222";
  rel.common.created = rel.common.modified = "2021-06-01T00:00:00.000Z";
  rel.common.confidence = 85;
  rel.relationship_type = "targets";
  rel.source_ref = kApt28;
  rel.target_ref = kFrance;
  rel.description = "APT28 targeted French ministries.\nThe group sent phishing mail to Paris.";

  Report rep;
  rep.common.id = "report--0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a";
  rep.common.created = rep.common.modified = "2021-06-01T00:00:00.000Z";
  rep.name = "B";
  rep.published = "2021-06-01T00:00:00.000Z";
  rep.object_refs = {kApt28, rel.common.id};
  return Bundle{"bundle--bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", {is, rel, rep}};
}

}  // namespace

TEST_CASE("BundleMerger merges overlapping bundles") {
  BundleMerger m;
  REQUIRE(m.Add(WriteBundle(FirstBundle(), false), "a.json").ok());
  REQUIRE(m.Add(WriteBundle(SecondBundle(), true), "b.json").ok());
  CHECK(m.objects() == 5);  // one intrusion set, one location, one relationship, two reports
  rapidjson::Document d = ParseOut(m.Finish(false));
  REQUIRE(d["objects"].Size() == 5);

  // Order of first appearance.
  CHECK(std::string(d["objects"][0]["id"].GetString()) == kApt28);
  CHECK(std::string(d["objects"][1]["id"].GetString()) == kFrance);
  CHECK(std::string(d["objects"][2]["type"].GetString()) == "relationship");

  const rapidjson::Value* is = FindById(d, kApt28);
  REQUIRE(is != nullptr);
  CHECK(std::string((*is)["description"].GetString()) == "new description");  // newest wins
  CHECK(Strings((*is)["aliases"]) == std::vector<std::string>{"Fancy Bear", "Sofacy", "Strontium"});
  CHECK(std::string((*is)["first_seen"].GetString()) == "2004-01-01T00:00:00.000Z");
  CHECK(std::string((*is)["last_seen"].GetString()) == "2019-01-01T00:00:00.000Z");
  CHECK(std::string((*is)["created"].GetString()) == "2020-01-01T00:00:00.000Z");
  CHECK(std::string((*is)["modified"].GetString()) == "2021-06-01T00:00:00.000Z");
  REQUIRE((*is)["external_references"].Size() == 2);
  CHECK(std::string((*is)["external_references"][0]["source_name"].GetString()) == "vendor-a");
  CHECK(std::string((*is)["external_references"][1]["source_name"].GetString()) == "vendor-b");

  const rapidjson::Value& rel = d["objects"][2];
  const std::string kept = "relationship--11111111-1111-4111-8111-111111111111";
  CHECK(std::string(rel["id"].GetString()) == kept);
  CHECK(std::string(rel["description"].GetString()) ==
        "APT28 targeted French ministries.\nThe group sent phishing mail to Paris.");
  CHECK(rel["confidence"].GetInt() == 85);
  CHECK(std::string(rel["modified"].GetString()) == "2021-06-01T00:00:00.000Z");

  // The second report's ref to the merged-away relationship id now names the kept one.
  const rapidjson::Value* rep_b = FindById(d, "report--0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a");
  REQUIRE(rep_b != nullptr);
  CHECK(Strings((*rep_b)["object_refs"]) == std::vector<std::string>{kApt28, kept});
  CHECK(d.FindMember("spec_version") == d.MemberEnd());
}

TEST_CASE("BundleMerger: older versions do not win, and merging is idempotent") {
  BundleMerger m;
  REQUIRE(m.Add(WriteBundle(SecondBundle(), false), "b.json").ok());
  REQUIRE(m.Add(WriteBundle(FirstBundle(), false), "a.json").ok());
  rapidjson::Document d = ParseOut(m.Finish(false));
  const rapidjson::Value* is = FindById(d, kApt28);
  REQUIRE(is != nullptr);
  CHECK(std::string((*is)["description"].GetString()) == "new description");
  CHECK(Strings((*is)["aliases"]) == std::vector<std::string>{"Fancy Bear", "Sofacy", "Strontium"});
  // The kept relationship id is the first seen (the second bundle's here).
  CHECK(FindById(d, "relationship--22222222-2222-4222-8222-222222222222") != nullptr);
  CHECK(FindById(d, "relationship--11111111-1111-4111-8111-111111111111") == nullptr);
  const rapidjson::Value* rep_a = FindById(d, "report--6fda90dd-c85a-552c-a39b-714404acbd98");
  REQUIRE(rep_a != nullptr);
  CHECK(Strings((*rep_a)["object_refs"]) ==
        std::vector<std::string>{kApt28, kFrance, "relationship--22222222-2222-4222-8222-222222222222"});

  // Merging the merged output with one of its inputs changes nothing.
  std::string once = m.Finish(false, "bundle--cccccccc-cccc-4ccc-8ccc-cccccccccccc");
  BundleMerger again;
  REQUIRE(again.Add(once, "merged").ok());
  REQUIRE(again.Add(WriteBundle(FirstBundle(), false), "a.json").ok());
  CHECK(again.Finish(false, "cccccccc-cccc-4ccc-8ccc-cccccccccccc") == once);
}

TEST_CASE("BundleMerger bundle ids") {
  BundleMerger a, b;
  REQUIRE(a.Add(WriteBundle(FirstBundle(), false), "a").ok());
  Bundle reversed = FirstBundle();
  std::reverse(reversed.objects.begin(), reversed.objects.end());
  REQUIRE(b.Add(WriteBundle(reversed, false), "b").ok());
  rapidjson::Document da = ParseOut(a.Finish(false)), db = ParseOut(b.Finish(false));
  std::string id = da["id"].GetString();
  CHECK(id.rfind("bundle--", 0) == 0);
  CHECK(id == db["id"].GetString());  // derived from the set of ids, not their order
  CHECK(id != "bundle--aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa");
  BundleMerger empty;
  CHECK(empty.objects() == 0);
  rapidjson::Document de = ParseOut(empty.Finish(false));
  CHECK(de.FindMember("objects") == de.MemberEnd());
}

TEST_CASE("BundleMerger accepts single objects and arrays") {
  BundleMerger m;
  std::string obj = WriteObject(TlpMarking(Tlp::kGreen), false);
  REQUIRE(m.Add(obj, "one").ok());
  REQUIRE(m.Add("[" + obj + "," + WriteObject(TlpMarking(Tlp::kRed), false) + "]", "arr").ok());
  REQUIRE(m.Add(R"({"type":"bundle","id":"bundle--aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"})", "empty").ok());
  CHECK(m.objects() == 2);
}

TEST_CASE("BundleMerger rejects malformed input whole, naming it") {
  struct Case {
    std::string json;
    const char* context;  // expected substring of Status::context()
  };
  const std::vector<Case> cases = {
      {"", "x.json: byte offset 0 (line 1, column 1)"},
      {"{\"type\":\"bundle\",\n \"objects\": [}", "x.json: byte offset 31 (line 2, column 14)"},
      {"{\"type\":\"bundle\",\"objects\":{}}", "x.json: /objects"},
      {R"({"type":"bundle","objects":[{"type":"identity","id":"identity--1"},3]})", "x.json: /objects/1"},
      {R"({"type":"bundle","objects":[{"type":"identity"}]})", "x.json: /objects/0"},
      {R"([{"id":"identity--1"}])", "x.json: /0"},
      {R"({"type":"identity","id":""})", "x.json: top level"},
      {"42", "x.json: top level"},
      {"{\"type\":\"identity\",\"id\":\"identity--1\",\"name\":\"\xFF\"}", "x.json: byte offset"},
      {"{} {}", "x.json: byte offset 3"},
      {std::string(5000, '[') + std::string(5000, ']'), "x.json: byte offset 128"},
  };
  for (const Case& c : cases) {
    BundleMerger m;
    REQUIRE(m.Add(R"({"type":"identity","id":"identity--keep"})", "first").ok());
    Status s = m.Add(c.json, "x.json");
    CHECK_MESSAGE(s.code() == Status::Code::kInvalidInput, c.json.substr(0, 80));
    CHECK_MESSAGE(s.context().find(c.context) != std::string::npos, s.ToString());
    CHECK_MESSAGE(m.objects() == 1, c.json.substr(0, 80));  // nothing of the bad input kept
  }
}

TEST_CASE("BundleMerger keeps foreign properties and marking definitions as they are") {
  BundleMerger m;
  REQUIRE(m.Add(R"({"type":"malware","spec_version":"2.1","id":"malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",)"
                R"("created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"X",)"
                R"("is_family":true,"kill_chain_phases":[{"kill_chain_name":"k","phase_name":"p"}],"x_custom":{"a":[1,2.5]}})",
                "foreign")
            .ok());
  REQUIRE(m.Add(R"({"type":"malware","spec_version":"2.1","id":"malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",)"
                R"("created":"2020-01-01T00:00:00Z","modified":"2019-01-01T00:00:00Z","name":"older","aliases":["Y"]})",
                "older")
            .ok());
  rapidjson::Document d = ParseOut(m.Finish(false));
  const rapidjson::Value& mw = d["objects"][0];
  CHECK(std::string(mw["name"].GetString()) == "X");
  CHECK(mw["is_family"].GetBool());
  CHECK(mw["x_custom"]["a"][1].GetDouble() == 2.5);
  CHECK(Strings(mw["aliases"]) == std::vector<std::string>{"Y"});
}

TEST_CASE("BundleMerger: a relationship's triple does not change under its id") {
  BundleMerger m;
  const char* a = R"({"type":"relationship","id":"relationship--11111111-1111-4111-8111-111111111111",)"
                  R"("modified":"2020-01-01T00:00:00Z","relationship_type":"targets","source_ref":"x--1","target_ref":"y--1"})";
  const char* b = R"({"type":"relationship","id":"relationship--22222222-2222-4222-8222-222222222222",)"
                  R"("modified":"2020-01-01T00:00:00Z","relationship_type":"targets","source_ref":"x--1","target_ref":"y--2"})";
  // A newer version of the first relationship pointing at the second one's target.
  const char* a2 = R"({"type":"relationship","id":"relationship--11111111-1111-4111-8111-111111111111",)"
                   R"("modified":"2021-01-01T00:00:00Z","relationship_type":"targets","source_ref":"x--1","target_ref":"y--2",)"
                   R"("description":"newer"})";
  REQUIRE(m.Add(a, "a").ok());
  REQUIRE(m.Add(b, "b").ok());
  REQUIRE(m.Add(a2, "a2").ok());
  rapidjson::Document d = ParseOut(m.Finish(false));
  REQUIRE(d["objects"].Size() == 2);
  CHECK(std::string(d["objects"][0]["target_ref"].GetString()) == "y--1");
  CHECK(std::string(d["objects"][0]["description"].GetString()) == "newer");
  // Re-merging the output is stable.
  std::string out = m.Finish(false);
  BundleMerger again;
  REQUIRE(again.Add(out, "out").ok());
  CHECK(again.objects() == 2);
}

}  // namespace prose2stix::stix
