// The two real news reports in ../shared/seeds describe one event. Both must convert to valid
// bundles that name the same actor, companies, agencies and countries with the same ids, state the
// relationships the text states, and take nothing from the web-page junk around the second one.
// Runs only where ../shared exists (CI has it).
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "prose2stix/convert/pipeline.h"
#include "prose2stix/extract/entity_extractor.h"
#include "testutil.h"

namespace prose2stix {

namespace {

struct Found {
  std::map<std::string, std::string> ids;  // "type:name key" -> STIX id
  std::set<std::string> relations;         // "source name|type|target name"
  std::string json;
};

Found Convert(const std::string& file) {
  convert::ConvertOptions opt;
  opt.fixed_time = "2025-09-01T00:00:00.000Z";
  auto conv = convert::Converter::Create(opt);
  REQUIRE(conv.ok());
  std::string path = testing::SharedDir() + "/seeds/" + file;
  auto r = (*conv)->Convert(testing::ReadTestFile(path), path);
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  Found f;
  f.json = r->json;
  std::map<std::string, std::string> name_of;
  for (const stix::Object& o : r->bundle.objects) {
    std::string type(stix::TypeOf(o)), name;
    if (auto* ta = std::get_if<stix::ThreatActor>(&o)) name = ta->name;
    if (auto* id = std::get_if<stix::Identity>(&o)) {
      name = id->name;
      type += ":" + id->identity_class;
    }
    if (auto* loc = std::get_if<stix::Location>(&o)) name = loc->country.empty() ? loc->name : loc->country;
    if (!name.empty()) {
      f.ids[type + ":" + extract::NameKey(name)] = stix::IdOf(o);
      name_of[stix::IdOf(o)] = extract::NameKey(name);
    }
  }
  for (const stix::Object& o : r->bundle.objects) {
    if (auto* rel = std::get_if<stix::Relationship>(&o)) {
      f.relations.insert(name_of[rel->source_ref] + "|" + rel->relationship_type + "|" + name_of[rel->target_ref]);
      CHECK_MESSAGE(!rel->description.empty(), rel->common.id);
    }
  }
  return f;
}

}  // namespace

TEST_CASE("seeds: both reports yield the same entities and the stated relationships") {
  if (!testing::SharedAvailable()) {
    MESSAGE("../shared not present: seed test skipped");
    return;
  }
  Found a = Convert("000_b3c07f2b0cd73737.txt");
  Found b = Convert("001_c4f016ae192d35a4.txt");
  const char* kEntities[] = {
      "threat-actor:salt typhoon",
      "identity:organization:sichuan juxinhe network technology",
      "identity:organization:beijing huanyu tianqiong information technology",
      "identity:organization:sichuan zhixin ruijie network technology",
      "location:cn", "location:us", "location:gb", "location:ca", "location:au", "location:nz",
      "location:de", "location:it", "location:jp", "location:cz", "location:fi", "location:nl",
      "location:pl", "location:es",
      "identity:class:telecommunications",
  };
  for (const char* key : kEntities) {
    INFO(key);
    CHECK_MESSAGE(a.ids.count(key) == 1, "missing in 000: " << key);
    CHECK_MESSAGE(b.ids.count(key) == 1, "missing in 001: " << key);
    if (a.ids.count(key) && b.ids.count(key)) CHECK(a.ids[key] == b.ids[key]);
  }
  // The two intelligence organisations and the sanctioning body, under whatever names the text
  // gives them (at least in the report that names them).
  auto has_org = [](const Found& f, std::initializer_list<const char*> keys) {
    return std::any_of(keys.begin(), keys.end(), [&](const char* k) {
      return f.ids.count(std::string("identity:organization:") + k) == 1;
    });
  };
  CHECK(has_org(a, {"ministry of state security", "mss"}));
  CHECK(has_org(a, {"peoples liberation army", "pla", "people s liberation army"}));
  CHECK(has_org(a, {"us treasury", "treasury", "department of the treasury", "us department of the treasury"}));
  CHECK(has_org(b, {"us treasury", "treasury", "department of the treasury", "us department of the treasury"}));

  for (const Found* f : {&a, &b}) {
    INFO(std::string(f == &a ? "000" : "001"));
    CHECK(f->relations.count("salt typhoon|attributed-to|sichuan juxinhe network technology") == 1);
    CHECK(f->relations.count("salt typhoon|targets|telecommunications") == 1);
    CHECK(f->relations.count("salt typhoon|located-at|cn") == 1);
    bool sanction = false;
    for (const std::string& r : f->relations)
      if (r.rfind("sichuan juxinhe network technology|related-to|", 0) == 0 && r.find("treasury") != std::string::npos)
        sanction = true;
    CHECK_MESSAGE(sanction, "the sanction by the U.S. Treasury");
  }
  // 000 says the companies provided tools and services to the PLA and the MSS.
  int supplies = 0;
  for (const std::string& r : a.relations)
    if (r.find("|related-to|") != std::string::npos &&
        (r.find("ministry of state security") != std::string::npos || r.find("liberation army") != std::string::npos))
      ++supplies;
  CHECK(supplies >= 3);

  // Nothing from the junk around the second article.
  for (const char* junk : {"Lucid", "MEXC", "CyberConnect", "Saudi", "Bitcoin", "Xi Jinping", "Trump", "Madrid",
                           "European Parliament", "Ministry of Commerce"}) {
    CHECK_MESSAGE(b.json.find(junk) == std::string::npos, "junk in bundle: " << junk);
  }
  // News outlets quoted as sources are not entities.
  for (const Found* f : {&a, &b})
    for (const auto& [key, id] : f->ids) CHECK_MESSAGE(key.find("wall street journal") == std::string::npos, key);
}

}  // namespace prose2stix
