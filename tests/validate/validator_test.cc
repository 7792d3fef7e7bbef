#include "prose2stix/validate/validator.h"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "testutil.h"

namespace prose2stix::validate {

namespace {

const Validator& DefaultValidator() {
  static std::unique_ptr<Validator> v = [] {
    auto r = Validator::Create(ValidatorOptions{});
    REQUIRE(r.ok());
    return std::move(*r);
  }();
  return *v;
}

std::string Dump(const ValidationReport& r) {
  std::ostringstream out;
  out << "objects=" << r.objects << " parse_error=" << r.parse_error << "\n";
  for (const Diagnostic& d : r.diagnostics) {
    out << "  " << SeverityName(d.severity) << "[" << FormatCode(d.code) << "] " << d.object_id << " "
        << d.pointer << ": " << d.message << "\n";
  }
  return out.str();
}

const Diagnostic* FindDiag(const ValidationReport& r, int code, const std::string& pointer) {
  for (const Diagnostic& d : r.diagnostics) {
    if (d.code == code && d.pointer == pointer) return &d;
  }
  return nullptr;
}

// A bundle around `objects` (JSON texts).
std::string Bundle(const std::vector<std::string>& objects) {
  std::string s = R"({"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[)";
  for (size_t i = 0; i < objects.size(); ++i) s += (i ? "," : "") + objects[i];
  return s + "]}";
}

constexpr const char* kCommon =
    R"("spec_version":"2.1","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-02T00:00:00.000Z")";

std::string Sdo(const std::string& type, const std::string& uuid, const std::string& extra) {
  return "{\"type\":\"" + type + "\",\"id\":\"" + type + "--" + uuid + "\"," + kCommon +
         (extra.empty() ? "" : "," + extra) + "}";
}

const std::string kIdentity =
    Sdo("identity", "311b2d2d-f010-4473-83ec-1edf84858f4c",
        R"("name":"ACME","identity_class":"organization","sectors":["technology"])");
const std::string kMalware =
    Sdo("malware", "0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
        R"("name":"Poison Ivy","is_family":true,"malware_types":["remote-access-trojan"])");
const std::string kActor = Sdo("threat-actor", "9a8a0d25-7636-429b-a99e-b2a73cd0f11f",
                               R"("name":"APT X","threat_actor_types":["nation-state"])");
const std::string kLocation = Sdo("location", "a6e9345f-5a15-4c29-8bb3-7dcc5d168d64", R"("country":"FR")");
const std::string kMarking =
    R"({"type":"marking-definition","spec_version":"2.1","id":"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","name":"TLP:GREEN","definition":{"tlp":"green"}})";
const std::string kIndicator = Sdo(
    "indicator", "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
    R"("pattern":"[ipv4-addr:value = '198.51.100.1']","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z","indicator_types":["malicious-activity"])");

std::string Rel(const std::string& type, const std::string& source, const std::string& target,
                const std::string& extra = "",
                const std::string& uuid = "44298a74-ba52-4f0c-87a3-1824e67d7fad") {
  return Sdo("relationship", uuid,
             "\"relationship_type\":\"" + type + "\",\"source_ref\":\"" + source + "\",\"target_ref\":\"" +
                 target + "\"" + (extra.empty() ? "" : "," + extra));
}

const std::string kActorId = "threat-actor--9a8a0d25-7636-429b-a99e-b2a73cd0f11f";
const std::string kIdentityId = "identity--311b2d2d-f010-4473-83ec-1edf84858f4c";
const std::string kMalwareId = "malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061";
const std::string kMarkingId = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";

}  // namespace

TEST_CASE("A well-formed bundle validates without errors or warnings") {
  std::string bundle =
      Bundle({kIdentity, kMalware, kActor, kLocation, kMarking, kIndicator,
              Rel("attributed-to", kActorId, kIdentityId),
              Rel("uses", kActorId, kMalwareId, "\"object_marking_refs\":[\"" + kMarkingId + "\"]",
                  "f2a5fc6b-4e1d-4f38-a6b3-8e1c50b2cd55")});
  ValidationReport r = DefaultValidator().ValidateString(bundle, "ok.json");
  CHECK_MESSAGE(r.valid(), Dump(r));
  CHECK_MESSAGE(r.diagnostics.empty(), Dump(r));
  CHECK(r.objects == 8);
  CHECK(r.name == "ok.json");
}

TEST_CASE("Each check reports its code, pointer and message") {
  struct Case {
    std::string name;
    std::string object;  // validated inside a bundle as /objects/0
    int code;
    std::string pointer;
    std::string message;  // substring
    Severity severity;
  };
  const std::string E = "error", W = "warning";
  const Case cases[] = {
      // 011 type
      {"type missing", R"({"id":"identity--311b2d2d-f010-4473-83ec-1edf84858f4c"})", 11, "/objects/0",
       "has no type", Severity::kError},
      {"type uppercase", R"({"type":"Identity","id":"identity--311b2d2d-f010-4473-83ec-1edf84858f4c"})", 11,
       "/objects/0/type", "must start with a lowercase letter", Severity::kError},
      // 012 identifier
      {"id prefix mismatch",
       R"({"type":"identity","id":"malware--311b2d2d-f010-4473-83ec-1edf84858f4c",)" + std::string(kCommon) +
           R"(,"name":"x","identity_class":"organization"})",
       12, "/objects/0/id", "does not match the object's type 'identity'", Severity::kError},
      {"id bad uuid version", Sdo("identity", "311b2d2d-f010-0473-83ec-1edf84858f4c", R"("name":"x")"), 12,
       "/objects/0/id", "version digit is 0", Severity::kError},
      {"id not v4", Sdo("identity", "311b2d2d-f010-1473-83ec-1edf84858f4c", R"("name":"x")"), 103,
       "/objects/0/id", "random UUIDv4", Severity::kWarning},
      // 013 timestamps
      {"impossible date",
       R"({"type":"identity","id":"identity--311b2d2d-f010-4473-83ec-1edf84858f4c","spec_version":"2.1","created":"2021-02-30T00:00:00Z","modified":"2021-03-01T00:00:00Z","name":"x"})",
       13, "/objects/0/created", "day does not exist in that month", Severity::kError},
      {"modified before created",
       R"({"type":"identity","id":"identity--311b2d2d-f010-4473-83ec-1edf84858f4c","spec_version":"2.1","created":"2021-02-03T00:00:00Z","modified":"2021-02-02T23:59:59.999Z","name":"x"})",
       13, "/objects/0/modified", "must be no earlier than created", Severity::kError},
      {"last_seen before first_seen",
       Sdo("campaign", "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
           R"("name":"c","first_seen":"2020-05-01T00:00:00Z","last_seen":"2020-04-01T00:00:00Z")"),
       13, "/objects/0/last_seen", "first_seen", Severity::kError},
      {"valid_until equal to valid_from",
       Sdo("indicator", "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
           R"("pattern":"[url:value = 'http://x']","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z","valid_until":"2020-01-01T00:00:00.000Z")"),
       13, "/objects/0/valid_until", "must be later than valid_from", Severity::kError},
      // 014 reference types
      {"created_by_ref to malware",
       Sdo("malware", "0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
           R"("name":"m","is_family":true,"created_by_ref":")" + kMalwareId + "\""),
       14, "/objects/0/created_by_ref", "must point at identity, not at a malware", Severity::kError},
      {"object_marking_refs to identity",
       Sdo("malware", "0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
           R"("name":"m","is_family":true,"object_marking_refs":[")" + kIdentityId + "\"]"),
       14, "/objects/0/object_marking_refs/0", "must point at marking-definition", Severity::kError},
      {"relationship to a relationship",
       Rel("related-to", kActorId, "relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad"), 14,
       "/objects/0/target_ref", "an SDO or SCO", Severity::kError},
      {"relationship from a marking", Rel("related-to", kMarkingId, kActorId), 14, "/objects/0/source_ref",
       "not at a marking-definition", Severity::kError},
      {"sighting of an SCO",
       Sdo("sighting", "ee20065d-2555-424f-ad9e-0f8428623c75",
           R"("sighting_of_ref":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd")"),
       14, "/objects/0/sighting_of_ref", "STIX Domain Object", Severity::kError},
      {"where_sighted_refs to malware",
       Sdo("sighting", "ee20065d-2555-424f-ad9e-0f8428623c75",
           R"("sighting_of_ref":")" + kMalwareId + R"(","where_sighted_refs":[")" + kMalwareId + "\"]"),
       14, "/objects/0/where_sighted_refs/0", "identity or location", Severity::kError},
      {"observed_data_refs to report",
       Sdo("sighting", "ee20065d-2555-424f-ad9e-0f8428623c75",
           R"("sighting_of_ref":")" + kMalwareId +
               R"(","observed_data_refs":["report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3"])"),
       14, "/objects/0/observed_data_refs/0", "observed-data", Severity::kError},
      // 015 reference format
      {"malformed ref",
       Sdo("malware", "0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
           R"("name":"m","is_family":true,"created_by_ref":"identity")"),
       15, "/objects/0/created_by_ref", "is not a STIX identifier", Severity::kError},
      // 016 granular markings
      {"selector past end",
       Sdo("malware", "0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
           R"("name":"m","is_family":true,"labels":["a"],"granular_markings":[{"marking_ref":")" +
               kMarkingId + R"(","selectors":["labels.[1]"]}])"),
       16, "/objects/0/granular_markings/0/selectors/0", "index 1 is past the end of a list of 1",
       Severity::kError},
      {"selector unknown property",
       Sdo("malware", "0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
           R"("name":"m","is_family":true,"granular_markings":[{"marking_ref":")" + kMarkingId +
               R"(","selectors":["description"]}])"),
       16, "/objects/0/granular_markings/0/selectors/0", "there is no property 'description'",
       Severity::kError},
      {"granular marking with both",
       Sdo("malware", "0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
           R"("name":"m","is_family":true,"granular_markings":[{"marking_ref":")" + kMarkingId +
               R"(","lang":"en","selectors":["name"]}])"),
       16, "/objects/0/granular_markings/0", "not both", Severity::kError},
      // 017 required (objects without a schema)
      {"custom object without created",
       R"({"type":"x-acme-widget","id":"x-acme-widget--311b2d2d-f010-4473-83ec-1edf84858f4c","spec_version":"2.1","modified":"2020-01-01T00:00:00Z"})",
       17, "/objects/0", "'created' is missing", Severity::kError},
      // 019 observed-data
      {"embedded ref does not resolve",
       Sdo("observed-data", "b67d30ff-02ac-498a-92f9-32f845f448cf",
           R"("first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"objects":{"0":{"type":"network-traffic","src_ref":"1","protocols":["tcp"]}})"),
       19, "/objects/0/objects/0/src_ref", "does not name an object", Severity::kError},
      {"embedded ref wrong type",
       Sdo("observed-data", "b67d30ff-02ac-498a-92f9-32f845f448cf",
           R"("first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"objects":{"0":{"type":"network-traffic","src_ref":"1","protocols":["tcp"]},"1":{"type":"file","name":"a"}}})"),
       14, "/objects/0/objects/0/src_ref", "not at a file", Severity::kError},
      {"objects deprecated",
       Sdo("observed-data", "b67d30ff-02ac-498a-92f9-32f845f448cf",
           R"("first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"objects":{"0":{"type":"domain-name","value":"example.com"}})"),
       304, "/objects/0/objects", "deprecated", Severity::kWarning},
      {"observed-data object_refs to an SDO",
       Sdo("observed-data", "b67d30ff-02ac-498a-92f9-32f845f448cf",
           R"("first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"object_refs":[")" +
               kMalwareId + "\"]"),
       14, "/objects/0/object_refs/0", "an SCO or SRO", Severity::kError},
      // 021 spec_version
      {"spec_version 2.0",
       R"({"type":"identity","id":"identity--311b2d2d-f010-4473-83ec-1edf84858f4c","spec_version":"2.0","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"x"})",
       21, "/objects/0/spec_version", "STIX 2.0 content", Severity::kError},
      // SHOULD checks
      {"identity class",
       Sdo("identity", "311b2d2d-f010-4473-83ec-1edf84858f4c", R"("name":"x","identity_class":"company")"),
       213, "/objects/0/identity_class", "'company' is not in identity-class-ov", Severity::kWarning},
      {"industry sector",
       Sdo("identity", "311b2d2d-f010-4473-83ec-1edf84858f4c", R"("name":"x","sectors":["banking"])"), 215,
       "/objects/0/sectors/0", "industry-sector-ov", Severity::kWarning},
      {"open vocab format",
       Sdo("identity", "311b2d2d-f010-4473-83ec-1edf84858f4c", R"("name":"x","sectors":["Banking Sector"])"),
       111, "/objects/0/sectors/0", "lowercase", Severity::kWarning},
      {"threat actor type",
       Sdo("threat-actor", "9a8a0d25-7636-429b-a99e-b2a73cd0f11f",
           R"("name":"x","threat_actor_types":["apt"])"),
       219, "/objects/0/threat_actor_types/0", "threat-actor-type-ov", Severity::kWarning},
      {"motivation",
       Sdo("intrusion-set", "9a8a0d25-7636-429b-a99e-b2a73cd0f11f",
           R"("name":"x","primary_motivation":"money")"),
       211, "/objects/0/primary_motivation", "attack-motivation-ov", Severity::kWarning},
      {"malware type",
       Sdo("malware", "0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
           R"("name":"x","is_family":true,"malware_types":["stealer"])"),
       216, "/objects/0/malware_types/0", "malware-type-ov", Severity::kWarning},
      {"tool type",
       Sdo("tool", "0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061", R"("name":"x","tool_types":["scanner"])"), 222,
       "/objects/0/tool_types/0", "tool-type-ov", Severity::kWarning},
      {"report type",
       Sdo("report", "0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
           R"("name":"x","published":"2020-01-01T00:00:00Z","report_types":["blog"],"object_refs":[")" +
               kMalwareId + "\"]"),
       218, "/objects/0/report_types/0", "report-type-ov", Severity::kWarning},
      {"pattern type",
       Sdo("indicator", "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
           R"("pattern":"x","pattern_type":"kql","valid_from":"2020-01-01T00:00:00Z")"),
       245, "/objects/0/pattern_type", "pattern-type-ov", Severity::kWarning},
      {"region", Sdo("location", "a6e9345f-5a15-4c29-8bb3-7dcc5d168d64", R"("region":"middle-earth")"), 223,
       "/objects/0/region", "region-ov", Severity::kWarning},
      {"country", Sdo("location", "a6e9345f-5a15-4c29-8bb3-7dcc5d168d64", R"("country":"fr")"), 277,
       "/objects/0/country", "upper case", Severity::kWarning},
      {"country UK", Sdo("location", "a6e9345f-5a15-4c29-8bb3-7dcc5d168d64", R"("country":"UK")"), 277,
       "/objects/0/country", "not an ISO 3166-1 alpha-2 code", Severity::kWarning},
      {"grouping context",
       Sdo("grouping", "0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
           R"("context":"weird","object_refs":[")" + kMalwareId + "\"]"),
       225, "/objects/0/context", "grouping-context-ov", Severity::kWarning},
      {"hash algorithm",
       Sdo("malware", "0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
           R"("name":"x","is_family":true,"external_references":[{"source_name":"a","url":"http://x","hashes":{"SHA256":"aa"}}])"),
       241, "/objects/0/external_references/0/hashes/SHA256", "did you mean SHA-256?", Severity::kWarning},
      {"kill chain",
       Sdo("attack-pattern", "0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
           R"("name":"x","kill_chain_phases":[{"kill_chain_name":"Lockheed","phase_name":"recon"}])"),
       121, "/objects/0/kill_chain_phases/0/kill_chain_name", "lowercase", Severity::kWarning},
      {"relationship type", Rel("attributed-to", kActorId, kMalwareId), 202, "/objects/0/relationship_type",
       "'attributed-to' from threat-actor to malware", Severity::kWarning},
      {"custom property without x_",
       Sdo("malware", "0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
           R"("name":"x","is_family":true,"acme_score":3)"),
       101, "/objects/0/acme_score", "should start with x_", Severity::kWarning},
      {"custom property bad name",
       Sdo("malware", "0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061", R"("name":"x","is_family":true,"x-Score":3)"),
       102, "/objects/0/x-Score", "only a-z, 0-9 and '_'", Severity::kWarning},
      {"custom property top level",
       Sdo("malware", "0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
           R"("name":"x","is_family":true,"x_acme_score":3)"),
       401, "/objects/0/x_acme_score", "1 custom property (x_acme_score)", Severity::kWarning},
      {"SCO custom property",
       R"({"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.1","asn":64500})",
       101, "/objects/0/asn", "not defined for ipv4-addr", Severity::kWarning},
      {"SCO id not v5",
       R"({"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--ff26c055-6336-4bc5-b98d-13d6226742dd","value":"198.51.100.1"})",
       103, "/objects/0/id", "UUIDv5", Severity::kWarning},
      {"TLP marking with its own id",
       R"({"type":"marking-definition","spec_version":"2.1","id":"marking-definition--311b2d2d-f010-4473-83ec-1edf84858f4c","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","name":"TLP:GREEN","definition":{"tlp":"green"}})",
       201, "/objects/0/id", "predefined object marking-definition--34098fce", Severity::kWarning},
      {"custom type without x-",
       R"({"type":"acme-widget","id":"acme-widget--311b2d2d-f010-4473-83ec-1edf84858f4c",)" +
           std::string(kCommon) + "}",
       101, "/objects/0/type", "should start with x-", Severity::kWarning},
      {"extension name",
       Sdo("malware", "0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
           R"("name":"x","is_family":true,"extensions":{"x-acme-ext":{}})"),
       402, "/objects/0/extensions/x-acme-ext", "neither an extension-definition id", Severity::kWarning},
  };
  for (const Case& c : cases) {
    ValidationReport r = DefaultValidator().ValidateString(Bundle({c.object}), c.name);
    const Diagnostic* d = FindDiag(r, c.code, c.pointer);
    CHECK_MESSAGE(d != nullptr, c.name << ": want " << FormatCode(c.code) << " at " << c.pointer << "\n"
                                       << Dump(r));
    if (d == nullptr) continue;
    CHECK_MESSAGE(d->message.find(c.message) != std::string::npos, c.name << ": " << d->message);
    CHECK_MESSAGE(d->severity == c.severity, c.name);
    CHECK_MESSAGE(r.valid() == (c.severity == Severity::kWarning && r.errors() == 0), c.name << "\n"
                                                                                             << Dump(r));
  }
}

TEST_CASE("Bundle-wide checks: duplicates, enforce_refs, envelope") {
  SUBCASE("duplicate id and modified") {
    ValidationReport r = DefaultValidator().ValidateString(Bundle({kIdentity, kMalware, kIdentity}), "dup");
    const Diagnostic* d = FindDiag(r, 203, "/objects/2/id");
    REQUIRE_MESSAGE(d != nullptr, Dump(r));
    CHECK(d->object_id == kIdentityId);
    CHECK(d->message.find("same id and modified (2020-01-02T00:00:00.000Z)") != std::string::npos);
    CHECK(r.valid());
  }
  SUBCASE("same id, new version is fine") {
    std::string v2 = kIdentity;
    v2.replace(v2.find("2020-01-02"), 10, "2020-01-03");
    ValidationReport r = DefaultValidator().ValidateString(Bundle({kIdentity, v2}), "versions");
    CHECK_MESSAGE(r.diagnostics.empty(), Dump(r));
  }
  SUBCASE("enforce_refs") {
    ValidatorOptions o;
    o.enforce_refs = true;
    auto v = Validator::Create(o);
    REQUIRE(v.ok());
    // The relationship comes first: forward references resolve.
    std::string bundle =
        Bundle({Rel("attributed-to", kActorId, kIdentityId), kActor, kIdentity,
                Rel("uses", kActorId, kMalwareId, "", "f2a5fc6b-4e1d-4f38-a6b3-8e1c50b2cd55")});
    ValidationReport r = (*v)->ValidateString(bundle, "refs");
    REQUIRE_FALSE(r.valid());
    REQUIRE(r.errors() == 1);
    const Diagnostic* d = FindDiag(r, 20, "/objects/3/target_ref");
    REQUIRE_MESSAGE(d != nullptr, Dump(r));
    CHECK(d->message == "referenced object " + kMalwareId + " is not in the bundle");
    // Without the option the same bundle is valid.
    CHECK(DefaultValidator().ValidateString(bundle, "refs").valid());
  }
  SUBCASE("bundle envelope") {
    ValidationReport r = DefaultValidator().ValidateString(
        R"({"type":"bundle","id":"report--5d0092c5-5f74-4287-9642-33f4c354e56d","spec_version":"2.0","objects":[]})",
        "env");
    CHECK_MESSAGE(FindDiag(r, 3, "/id") != nullptr, Dump(r));
    CHECK_MESSAGE(FindDiag(r, 304, "/spec_version") != nullptr, Dump(r));
    r = DefaultValidator().ValidateString(R"({"objects":[]})", "notype");
    CHECK_MESSAGE(FindDiag(r, 3, "") != nullptr, Dump(r));
    r = DefaultValidator().ValidateString(
        R"({"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":{}})", "objobj");
    CHECK_MESSAGE(FindDiag(r, 3, "/objects") != nullptr, Dump(r));
    r = DefaultValidator().ValidateString(Bundle({"42", Bundle({})}), "junk");
    CHECK_MESSAGE(FindDiag(r, 2, "/objects/0") != nullptr, Dump(r));
    CHECK_MESSAGE(FindDiag(r, 3, "/objects/1") != nullptr, Dump(r));
    CHECK(r.objects == 2);
  }
  SUBCASE("lone object, array of objects, scalar") {
    ValidationReport r = DefaultValidator().ValidateString(kIdentity, "one");
    CHECK_MESSAGE(r.valid(), Dump(r));
    CHECK(r.objects == 1);
    r = DefaultValidator().ValidateString(
        "[" + kIdentity + "," + kMalware + "," + Rel("uses", kActorId, kIdentityId) + "]", "arr");
    CHECK(r.objects == 3);
    const Diagnostic* d = FindDiag(r, 202, "/2/relationship_type");
    CHECK_MESSAGE(d != nullptr, Dump(r));
    r = DefaultValidator().ValidateString("\"hello\"", "scalar");
    CHECK_FALSE(r.valid());
    CHECK_MESSAGE(FindDiag(r, 2, "") != nullptr, Dump(r));
  }
  SUBCASE("objects before type and members after objects") {
    std::string s = R"({"objects":[)" + kIdentity +
                    R"(],"id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","type":"bundle"})";
    ValidationReport r = DefaultValidator().ValidateString(s, "order");
    CHECK_MESSAGE(r.diagnostics.empty(), Dump(r));
    CHECK(r.objects == 1);
  }
  SUBCASE("strict turns warnings into errors; disable drops them") {
    std::string obj =
        Sdo("identity", "311b2d2d-f010-4473-83ec-1edf84858f4c", R"("name":"x","identity_class":"company")");
    ValidatorOptions strict;
    strict.strict = true;
    auto sv = Validator::Create(strict);
    REQUIRE(sv.ok());
    ValidationReport r = (*sv)->ValidateString(obj, "strict");
    CHECK_FALSE(r.valid());
    REQUIRE(r.errors() == 1);
    CHECK(r.diagnostics[0].code == 213);
    ValidatorOptions off;
    off.disable = {2};
    auto dv = Validator::Create(off);
    REQUIRE(dv.ok());
    CHECK((*dv)->ValidateString(obj, "off").diagnostics.empty());
    ValidatorOptions bad;
    bad.enable = {12};
    CHECK_FALSE(Validator::Create(bad).ok());
  }
}

TEST_CASE("Malformed input is reported with line, column and byte offset") {
  struct Case {
    std::string name;
    std::string input;
    std::string where;    // substring: "line L, column C (byte offset O)"
    std::string message;  // substring
  };
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  const Case cases[] = {
      {"empty", "", "line 1, column 1 (byte offset 0)", "the input is empty"},
      {"whitespace only", "  \n ", "line 2, column 2 (byte offset 4)", "the input is empty"},
      {"missing colon", "{\n  \"type\" \"bundle\"}", "line 2, column 10 (byte offset 11)", "colon"},
      {"trailing comma in array", "[1,2,]", "line 1, column 6 (byte offset 5)", "trailing comma before ']'"},
      {"trailing comma in object", "{\"a\":1,\n}", "line 2, column 1 (byte offset 8)",
       "trailing comma before '}'"},
      {"NaN", "{\"a\":NaN}", "line 1, column 6 (byte offset 5)", "NaN is not a JSON value"},
      {"Infinity", "[-Infinity]", "line 1, column 3 (byte offset 2)", "Infinity is not a JSON value"},
      {"single quotes", "{'a':1}", "byte offset 1", "double-quoted property name"},
      {"invalid UTF-8", "{\"name\":\"caf\xC3\x28\"}", "line 1, column 13 (byte offset 12)",
       "invalid UTF-8: byte 0xC3"},
      {"overlong UTF-8", "[\"\xC0\xAF\"]", "byte offset 2", "byte 0xC0"},
      {"encoded surrogate", "[\"\xED\xA0\x80\"]", "byte offset 2", "byte 0xED"},
      {"lone high surrogate escape", "[\"\\ud800\"]", "byte offset 2", "lone UTF-16 surrogate"},
      {"lone low surrogate escape", "[\"a\\udc00b\"]", "line 1, column 4 (byte offset 3)",
       "lone UTF-16 low surrogate"},
      {"reversed surrogate pair", "[\"\\udc00\\ud800\"]", "byte offset 2", "lone UTF-16 low surrogate"},
      {"NUL byte", std::string("{\"a\":1}\0junk", 12), "byte offset 7", "a NUL byte"},
      {"binary", std::string("PK\x03\x04\x14\x00\x00\x00", 8), "line 1, column 1 (byte offset 0)",
       "invalid value"},
      {"truncated", "{\"type\":\"bundle\",\"objects\":[{\"type\":", "byte offset 36", ""},
      {"garbage after", "{} {}", "byte offset 3", "unexpected content after the end"},
      {"deep nesting", deep, "line 1, column 513 (byte offset 512)", "nesting deeper than 512 levels"},
  };
  for (const Case& c : cases) {
    ValidationReport r = DefaultValidator().ValidateString(c.input, c.name);
    CHECK_MESSAGE(r.parse_error, c.name << "\n" << Dump(r));
    CHECK_MESSAGE(!r.valid(), c.name);
    REQUIRE_MESSAGE(!r.diagnostics.empty(), c.name);
    const Diagnostic& d = r.diagnostics.back();
    CHECK_MESSAGE(d.code == 1, c.name);
    CHECK_MESSAGE(d.message.find(c.where) != std::string::npos, c.name << ": " << d.message);
    CHECK_MESSAGE(d.message.find(c.message) != std::string::npos, c.name << ": " << d.message);
  }
}

TEST_CASE("A parse error comes after the diagnostics of the objects before it") {
  std::string obj =
      Sdo("identity", "311b2d2d-f010-4473-83ec-1edf84858f4c", R"("name":"x","identity_class":"company")");
  std::string text = Bundle({obj, kMalware});
  text.insert(text.size() - 2, ",\n{\"type\": oops}");  // inside the third element
  ValidationReport r = DefaultValidator().ValidateString(text, "partial");
  REQUIRE(r.diagnostics.size() == 2);
  CHECK(r.diagnostics[0].code == 213);
  CHECK(r.diagnostics[1].code == 1);
  CHECK(r.diagnostics[1].pointer == "/objects/2");
  CHECK(r.diagnostics[1].message.find("line 2, column 10") != std::string::npos);
  CHECK(r.objects == 2);
}

TEST_CASE("ValidateFile streams files and matches ValidateString") {
  std::string dir = testing::TempDir();
  std::string path = dir + "/b.json";
  // Pad objects so the file spans several read buffers.
  std::vector<std::string> objects;
  for (int i = 0; i < 3000; ++i) {
    char uuid[40];
    std::snprintf(uuid, sizeof(uuid), "%08x-f010-4473-83ec-1edf84858f4c", i);
    objects.push_back(Sdo("identity", uuid,
                          R"("name":"org )" + std::to_string(i) +
                              R"(","identity_class":"organization","description":")" + std::string(200, 'd') +
                              "\""));
  }
  objects[2500] =
      Sdo("identity", "311b2d2d-f010-4473-83ec-1edf84858f4c", R"("name":"x","identity_class":"company")");
  std::string text = Bundle(objects);
  text.insert(text.size() - 2, "\n,\n  1.5e}");
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  ValidationReport from_file = DefaultValidator().ValidateFile(path);
  ValidationReport from_string = DefaultValidator().ValidateString(text, path);
  CHECK(from_file.parse_error);
  CHECK(from_file.objects == 3000);
  REQUIRE(from_file.diagnostics.size() == from_string.diagnostics.size());
  for (size_t i = 0; i < from_file.diagnostics.size(); ++i) {
    CHECK(from_file.diagnostics[i].message == from_string.diagnostics[i].message);
    CHECK(from_file.diagnostics[i].pointer == from_string.diagnostics[i].pointer);
  }
  CHECK(FindDiag(from_file, 213, "/objects/2500/identity_class") != nullptr);

  // With a sink the diagnostics arrive in the same order and are only counted in the report.
  std::vector<Diagnostic> sunk;
  ValidationReport streamed =
      DefaultValidator().ValidateFile(path, [&](const Diagnostic& d) { sunk.push_back(d); });
  CHECK(streamed.diagnostics.empty());
  CHECK(streamed.errors() == from_file.errors());
  CHECK(streamed.warnings() == from_file.warnings());
  CHECK(streamed.valid() == from_file.valid());
  REQUIRE(sunk.size() == from_file.diagnostics.size());
  for (size_t i = 0; i < sunk.size(); ++i) CHECK(sunk[i].message == from_file.diagnostics[i].message);
  CHECK(from_file.diagnostics.back().message.find("line 3, column 7") != std::string::npos);

  ValidationReport missing = DefaultValidator().ValidateFile(dir + "/nope.json");
  CHECK(missing.read_error);
  CHECK_FALSE(missing.valid());
  REQUIRE(missing.diagnostics.size() == 1);
  CHECK(missing.diagnostics[0].message.find("cannot open") != std::string::npos);

  // Invalid UTF-8 straddling a buffer boundary is found in the file path too.
  std::string big = "[\"" + std::string((size_t{1} << 18) - 3, 'a') + "\xE2\x82" + "x\"]";
  {
    std::ofstream out(path, std::ios::binary);
    out << big;
  }
  ValidationReport utf = DefaultValidator().ValidateFile(path);
  REQUIRE(utf.parse_error);
  CHECK_MESSAGE(utf.diagnostics.back().message.find("byte offset 262143") != std::string::npos,
                utf.diagnostics.back().message);
  CHECK(utf.diagnostics.back().message.find("0xE2") != std::string::npos);
}

TEST_CASE("Validator is safe to share between threads") {
  std::string bundle = Bundle({kIdentity, kMalware, Rel("attributed-to", kActorId, kMalwareId)});
  std::vector<std::thread> threads;
  std::atomic<int> bad{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        ValidationReport r = DefaultValidator().ValidateString(bundle, "t");
        if (r.diagnostics.size() != 1 || r.diagnostics[0].code != 202) ++bad;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(bad == 0);
}

TEST_CASE("MITRE ATT&CK bundles validate without errors") {
  if (!testing::SharedAvailable()) return;
  for (const char* name : {"enterprise-attack.json", "mobile-attack.json", "ics-attack.json"}) {
    std::string path = testing::SharedDir() + "/data/attack/" + name;
    ValidationReport r = DefaultValidator().ValidateFile(path);
    std::map<int, size_t> by_code;
    std::string first_errors;
    for (const Diagnostic& d : r.diagnostics) {
      ++by_code[d.code];
      if (d.severity == Severity::kError && first_errors.size() < 2000) {
        first_errors += d.pointer + ": " + d.message + "\n";
      }
    }
    std::ostringstream counts;
    for (const auto& [code, n] : by_code) counts << ' ' << FormatCode(code) << 'x' << n;
    MESSAGE(std::string(name) << ": " << r.objects << " objects, warnings by code:" << counts.str());
    CHECK_MESSAGE(r.errors() == 0, std::string(name) << "\n" << first_errors);
    CHECK(r.valid());
    CHECK(r.objects > 1000);
  }
}

}  // namespace prose2stix::validate

namespace prose2stix::validate {

TEST_CASE("Runs on one thread reuse their buffers: results do not depend on the run before") {
  // A large bundle (more objects and members than the pooled first blocks hold), then small ones,
  // then the large one again, and a malformed one in between that stops mid-object.
  std::vector<std::string> many;
  for (int i = 0; i < 400; ++i) many.push_back(i % 2 == 0 ? kIdentity : kMalware);
  many.push_back(Rel("attributed-to", kActorId, "identity--311b2d2d-f010-4473-83ec-1edf84858f4"));  // bad ref
  const std::string large = Bundle(many);
  const std::string small = Bundle({kIdentity, kActor});
  const std::string broken = Bundle({kIdentity}).substr(0, 120);
  const Validator& v = DefaultValidator();
  const std::string large_first = Dump(v.ValidateString(large, "large"));
  const std::string small_first = Dump(v.ValidateString(small, "small"));
  const std::string broken_first = Dump(v.ValidateString(broken, "broken"));
  CHECK_MESSAGE(large_first.find("[015]") != std::string::npos, large_first);
  CHECK(broken_first.find("malformed JSON") != std::string::npos);
  for (int round = 0; round < 3; ++round) {
    CHECK(Dump(v.ValidateString(broken, "broken")) == broken_first);
    CHECK(Dump(v.ValidateString(small, "small")) == small_first);
    CHECK(Dump(v.ValidateString(large, "large")) == large_first);
  }
}

TEST_CASE("A sink may validate on the same thread while its run is still going") {
  const Validator& v = DefaultValidator();
  const std::string inner = Bundle({kIdentity, Rel("attributed-to", kActorId, "bad-ref")});
  const std::string outer = Bundle({Sdo("identity", "311b2d2d-f010-4473-83ec-1edf84858f4c", R"("name":7)"),
                                    kActor, Rel("uses", kActorId, "x--y")});
  const std::string inner_alone = Dump(v.ValidateString(inner, "inner"));
  const std::string outer_alone = Dump(v.ValidateString(outer, "outer"));
  std::vector<std::string> nested;
  std::vector<Diagnostic> outer_diags;
  ValidationReport r = v.ValidateString(outer, "outer", [&](const Diagnostic& d) {
    outer_diags.push_back(d);
    nested.push_back(Dump(v.ValidateString(inner, "inner")));
  });
  REQUIRE_FALSE(nested.empty());
  for (const std::string& n : nested) CHECK(n == inner_alone);
  r.diagnostics = outer_diags;
  r.streamed_errors = r.streamed_warnings = 0;
  CHECK(Dump(r) == outer_alone);
}

}  // namespace prose2stix::validate
