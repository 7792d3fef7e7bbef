// Tests of the relation rules that depend on sentence and clause structure: anaphora reach, clause
// boundaries, cue words far from the names, actor attributes, and sentences without names (which
// the extractor reads only when an anaphor may need them). Each case runs the whole analysis on
// text written for these tests and checks relations present and absent, and actor attributes.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "prose2stix/convert/pipeline.h"
#include "prose2stix/extract/entity_extractor.h"
#include "testutil.h"

namespace prose2stix::extract {
namespace {

const convert::Converter& Conv() { return testing::FixedTimeConverter(); }

// The entity named `name` (canonical name or alias, by NameKey), or -1.
int Find(const Analysis& a, const std::string& name) {
  const std::string key = NameKey(name);
  for (size_t i = 0; i < a.entities.size(); ++i) {
    const Entity& e = a.entities[i];
    if (NameKey(e.name) == key || NameKey(e.country) == key || NameKey(e.sector) == key) return static_cast<int>(i);
    for (const std::string& al : e.aliases)
      if (NameKey(al) == key) return static_cast<int>(i);
  }
  return -1;
}

// "Source|type|Target" by entity names.
bool Has(const Analysis& a, const std::string& spec) {
  const size_t p1 = spec.find('|'), p2 = spec.find('|', p1 + 1);
  const int s = Find(a, spec.substr(0, p1)), t = Find(a, spec.substr(p2 + 1));
  const std::string type = spec.substr(p1 + 1, p2 - p1 - 1);
  return s >= 0 && t >= 0 && std::any_of(a.relations.begin(), a.relations.end(), [&](const Relation& r) {
           return r.source == s && r.target == t && r.type == type;
         });
}

std::string Dump(const Analysis& a) {
  std::string out;
  for (const Relation& r : a.relations) {
    out += "[" + a.entities[static_cast<size_t>(r.source)].name + "|" + r.type + "|" +
           a.entities[static_cast<size_t>(r.target)].name + " " + r.cue + "] ";
  }
  return out;
}

struct Case {
  const char* text;
  std::vector<const char*> relations;
  std::vector<const char*> not_relations;
};

const Case kCases[] = {
    // "the group" three sentences later still refers to the actor; the sentences between name
    // nothing.
    {"Quartz Tempest is a new intrusion set. Its tooling is modular. Updates arrive weekly. "
     "The group targeted hospitals in Brazil.",
     {"Quartz Tempest|targets|healthcare", "Quartz Tempest|targets|Brazil"},
     {}},
    // Six sentences later it no longer does.
    {"Quartz Tempest is a new intrusion set. One. Two. Three. Four. Five. The group targeted hospitals.",
     {},
     {"Quartz Tempest|targets|healthcare"}},
    // A victim list after the actor's sentence.
    {"Quartz Tempest breached a telecom provider. Victims included banks in Chile.",
     {"Quartz Tempest|targets|financial services", "Quartz Tempest|targets|Chile"},
     {}},
    // ", while" starts a new clause: the first actor's verb does not reach the second clause.
    {"Quartz Tempest targeted banks in Chile, while Granite Harbor focused on its own tooling.",
     {"Quartz Tempest|targets|Chile"},
     {"Granite Harbor|targets|Chile"}},
    // A semicolon does the same.
    {"Granite Harbor stayed quiet; Quartz Tempest attacked hospitals.",
     {"Quartz Tempest|targets|healthcare"},
     {"Granite Harbor|targets|healthcare"}},
    // Passive voice: the patient comes before the verb.
    {"Hospitals in Peru were targeted by Quartz Tempest.",
     {"Quartz Tempest|targets|healthcare", "Quartz Tempest|targets|Peru"},
     {}},
    // The object list ends at a reporting clause.
    {"Quartz Tempest targeted universities, according to researchers in Germany.",
     {"Quartz Tempest|targets|education"},
     {"Quartz Tempest|targets|Germany"}},
};

TEST_CASE("relations: clause and sentence structure") {
  for (const Case& c : kCases) {
    const Analysis a = Conv().Analyze(c.text);
    const std::string text(c.text), dump = Dump(a);
    for (const char* r : c.relations) CHECK_MESSAGE(Has(a, r), text << "\nmissing " << std::string(r) << "\n" << dump);
    for (const char* r : c.not_relations)
      CHECK_MESSAGE(!Has(a, r), text << "\nunexpected " << std::string(r) << "\n" << dump);
  }
}

TEST_CASE("relations: actor attributes come from cue words in the actor's sentences") {
  struct AttrCase {
    const char* text;
    const char* actor;  // a numbered designation: no naming family implies a type
    std::vector<const char*> types;
    const char* first_seen;
  };
  const AttrCase cases[] = {
      {"UNC9876 is a state-sponsored espionage group active since 2016.", "UNC9876", {"nation-state", "spy"},
       "2016-01-01T00:00:00.000Z"},
      {"UNC9876, a financially motivated ransomware gang, has operated since at least 2019.", "UNC9876",
       {"crime-syndicate"}, "2019-01-01T00:00:00.000Z"},
      {"UNC9876 is a hacktivist collective first seen in 2022.", "UNC9876", {"activist"}, "2022-01-01T00:00:00.000Z"},
      // Cue words in a sentence without the actor say nothing about it.
      {"UNC9876 is new. Espionage is common in the region since 2010.", "UNC9876", {}, ""},
  };
  for (const AttrCase& c : cases) {
    const Analysis a = Conv().Analyze(c.text);
    const int e = Find(a, c.actor);
    REQUIRE_MESSAGE(e >= 0, c.text);
    const Entity& actor = a.entities[static_cast<size_t>(e)];
    std::string got;
    for (const std::string& t : actor.threat_actor_types) got += t + " ";
    for (const char* t : c.types) {
      CHECK_MESSAGE(std::find(actor.threat_actor_types.begin(), actor.threat_actor_types.end(), t) !=
                        actor.threat_actor_types.end(),
                    c.text << "\nmissing type " << t << "; got " << got);
    }
    if (c.types.empty()) CHECK_MESSAGE(actor.threat_actor_types.empty(), c.text << "\ngot " << got);
    CHECK_MESSAGE(actor.first_seen == c.first_seen, c.text << "\nfirst_seen " << actor.first_seen);
  }
}

TEST_CASE("relations: the same analysis whatever the text around a sentence") {
  // Unrelated sentences without names before and after change no relation of the middle one.
  const std::string core = "Quartz Tempest targeted hospitals in Brazil and banks in Chile.";
  const Analysis alone = Conv().Analyze(core);
  const Analysis padded = Conv().Analyze("The weather was mild. Nothing else happened. " + core + " Then it rained.");
  for (const char* r : {"Quartz Tempest|targets|healthcare", "Quartz Tempest|targets|Brazil",
                        "Quartz Tempest|targets|financial services", "Quartz Tempest|targets|Chile"}) {
    CHECK_MESSAGE(Has(alone, r), r << "\n" << Dump(alone));
    CHECK_MESSAGE(Has(padded, r), r << "\n" << Dump(padded));
  }
  CHECK(alone.relations.size() == padded.relations.size());
}

}  // namespace
}  // namespace prose2stix::extract
