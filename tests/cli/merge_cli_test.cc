#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <string>

#include "prose2stix/stix/identifier.h"
#include "prose2stix/stix/json_writer.h"
#include "prose2stix/util/file.h"
#include "testutil.h"

namespace prose2stix {

namespace {

std::string ActorBundle(const std::string& bundle_uuid, const std::string& modified,
                        std::vector<std::string> aliases, const std::string& evidence) {
  stix::ThreatActor ta;
  ta.common.id = stix::ThreatActorId("APT28");
  ta.common.created = "2020-01-01T00:00:00.000Z";
  ta.common.modified = modified;
  ta.name = "APT28";
  ta.aliases = std::move(aliases);
  stix::Identity victim;
  victim.common.id = stix::IdentityId("Energy", "class");
  victim.common.created = victim.common.modified = "2020-01-01T00:00:00.000Z";
  victim.name = "Energy";
  victim.identity_class = "class";
  stix::Relationship rel;
  rel.common.id = stix::RelationshipId("targets", ta.common.id, victim.common.id);
  rel.common.created = rel.common.modified = modified;
  rel.relationship_type = "targets";
  rel.source_ref = ta.common.id;
  rel.target_ref = victim.common.id;
  rel.description = evidence;
  return stix::WriteBundle({"bundle--" + bundle_uuid, {ta, victim, rel}}, true);
}

void WriteText(const std::string& path, const std::string& text) { REQUIRE(WriteFileAtomic(path, text).ok()); }

}  // namespace

TEST_CASE("prose2stix merge: files, stdin, output file") {
  std::string dir = testing::TempDir();
  WriteText(dir + "/a.json", ActorBundle("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "2020-01-01T00:00:00.000Z",
                                         {"Sofacy"}, "APT28 hit energy firms."));
  std::string b = ActorBundle("bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", "2021-01-01T00:00:00.000Z",
                              {"Fancy Bear"}, "Energy utilities were targeted by APT28.");

  testing::ProcessResult r = testing::RunCli("merge --compact -o '" + dir + "/out.json' '" + dir + "/a.json' -", b);
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  std::string merged = testing::ReadTestFile(dir + "/out.json");
  CHECK(r.out.empty());
  CHECK(merged.find('\n') == merged.size() - 1);  // one line
  rapidjson::Document d;
  d.Parse(merged.c_str());
  REQUIRE(!d.HasParseError());
  REQUIRE(d["objects"].Size() == 3);
  const rapidjson::Value& ta = d["objects"][0];
  CHECK(ta["aliases"].Size() == 2);
  CHECK(std::string(ta["modified"].GetString()) == "2021-01-01T00:00:00.000Z");
  CHECK(std::string(d["objects"][2]["description"].GetString()) ==
        "APT28 hit energy firms.\nEnergy utilities were targeted by APT28.");

  // Default output: pretty, to standard output; a directory expands to its *.json files.
  r = testing::RunCli("merge --id bundle--cccccccc-cccc-4ccc-8ccc-cccccccccccc '" + dir + "'");
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out.find("\n  \"id\": \"bundle--cccccccc-cccc-4ccc-8ccc-cccccccccccc\"") != std::string::npos);
}

TEST_CASE("prose2stix merge: errors and exit codes") {
  std::string dir = testing::TempDir();
  WriteText(dir + "/good.json", ActorBundle("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "2020-01-01T00:00:00.000Z",
                                            {}, "x"));
  WriteText(dir + "/bad.json", "{\"type\": \"bundle\", \"objects\": [");

  testing::ProcessResult r = testing::RunCli("merge -o '" + dir + "/out.json' '" + dir + "/good.json' '" + dir + "/bad.json'");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("bad.json") != std::string::npos);
  CHECK(r.err.find("byte offset") != std::string::npos);
  std::ifstream none(dir + "/out.json");
  CHECK_FALSE(none.good());  // nothing written

  CHECK(testing::RunCli("merge").exit_code == 2);
  CHECK(testing::RunCli("merge --pretty --compact '" + dir + "/good.json'").exit_code == 2);
  CHECK(testing::RunCli("merge --id nope '" + dir + "/good.json'").exit_code == 2);
  CHECK(testing::RunCli("merge --bogus '" + dir + "/good.json'").exit_code == 2);
  r = testing::RunCli("merge '" + dir + "/missing.json'");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("missing.json") != std::string::npos);
  r = testing::RunCli("merge --help");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("--compact") != std::string::npos);
}

}  // namespace prose2stix
