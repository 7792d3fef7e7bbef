// The embedded STIX 2.1 schemas, checked against the specification type by type: a minimal valid
// object per type, the same object without each REQUIRED property, with a property of the wrong JSON
// type, a bad timestamp, an id of another type and a wrong "type"; then the rules the spec states
// across properties (location, malware, observed-data, artifact, ...), the shared data types, and the
// real ATT&CK bundles when ../shared is present.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "prose2stix/validate/schema_store.h"
#include "testutil.h"

namespace prose2stix::validate {
namespace {

constexpr const char* kUuid = "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
constexpr const char* kTs = "2016-05-12T08:17:27.000Z";

// Destroyed at exit, so LeakSanitizer does not see RapidJSON's 48-bit packed string pointers as leaks.
const SchemaStore& Store() {
  static const std::unique_ptr<SchemaStore> kStore = [] {
    auto loaded = SchemaStore::LoadEmbedded();
    REQUIRE_MESSAGE(loaded.ok(), loaded.status().ToString());
    return std::move(*loaded);
  }();
  return *kStore;
}

std::string Id(const std::string& type) { return type + "--" + kUuid; }

rapidjson::Document Parse(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());  // length-based: no SSE2 over-read past the buffer
  REQUIRE_MESSAGE(!d.HasParseError(), "test JSON does not parse: " << json);
  return d;
}

std::string Dump(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return sb.GetString();
}

enum class Kind { kSdo, kSco, kMarking, kBundle };

// One STIX type: its own members of a minimal valid object (JSON text without braces), the properties
// the spec marks REQUIRED beyond the common ones, a string property to give a wrong JSON type, and a
// timestamp property (empty when the type has none).
struct TypeCase {
  std::string type;
  Kind kind;
  std::string members;
  std::vector<std::string> required;
  std::string string_prop;
  std::string timestamp_prop;
};

std::string Minimal(const TypeCase& c) {
  std::string head = "\"type\":\"" + c.type + "\",\"id\":\"" + Id(c.type) + "\"";
  switch (c.kind) {
    case Kind::kSdo:
      head += ",\"spec_version\":\"2.1\",\"created\":\"" + std::string(kTs) + "\",\"modified\":\"" + kTs + "\"";
      break;
    case Kind::kMarking:
      head += ",\"spec_version\":\"2.1\",\"created\":\"" + std::string(kTs) + "\"";
      break;
    case Kind::kSco:
    case Kind::kBundle:
      break;
  }
  return "{" + head + (c.members.empty() ? "" : "," + c.members) + "}";
}

std::vector<std::string> CommonRequired(Kind kind) {
  switch (kind) {
    case Kind::kSdo: return {"type", "spec_version", "id", "created", "modified"};
    case Kind::kMarking: return {"type", "spec_version", "id", "created"};
    case Kind::kSco:
    case Kind::kBundle: return {"type", "id"};
  }
  return {};
}

const std::string kRefs = "\"object_refs\":[\"indicator--" + std::string(kUuid) + "\"]";

// Written from the STIX 2.1 property tables (sections 4-8).
const std::vector<TypeCase>& Cases() {
  static const auto* const kCases = new std::vector<TypeCase>{
      {"attack-pattern", Kind::kSdo, R"("name":"Spearphishing")", {"name"}, "name", "created"},
      {"campaign", Kind::kSdo, R"("name":"Green Group Attacks")", {"name"}, "objective", "first_seen"},
      {"course-of-action", Kind::kSdo, R"("name":"Add TCP port 80 filter")", {"name"}, "description", "created"},
      {"grouping", Kind::kSdo, R"("context":"suspicious-activity",)" + kRefs, {"context", "object_refs"},
       "context", "modified"},
      {"identity", Kind::kSdo, R"("name":"ACME Widget, Inc.")", {"name"}, "identity_class", "created"},
      {"incident", Kind::kSdo, R"("name":"Breach 42")", {"name"}, "name", "created"},
      {"indicator", Kind::kSdo,
       R"("pattern":"[file:name = 'x.exe']","pattern_type":"stix","valid_from":"2016-05-12T08:17:27Z")",
       {"pattern", "pattern_type", "valid_from"}, "pattern", "valid_from"},
      {"infrastructure", Kind::kSdo, R"("name":"Poison Ivy C2")", {"name"}, "name", "last_seen"},
      {"intrusion-set", Kind::kSdo, R"("name":"Bobcat Breakin")", {"name"}, "resource_level", "first_seen"},
      {"location", Kind::kSdo, R"("region":"south-eastern-asia")", {}, "country", "created"},
      {"malware", Kind::kSdo, R"("is_family":false)", {"is_family"}, "name", "first_seen"},
      {"malware-analysis", Kind::kSdo, R"("product":"microsoft","result":"malicious")", {"product"},
       "result", "analysis_started"},
      {"note", Kind::kSdo, R"("content":"Looks like a spear phishing campaign.",)" + kRefs,
       {"content", "object_refs"}, "abstract", "created"},
      {"observed-data", Kind::kSdo,
       R"("first_observed":"2015-12-21T19:00:00Z","last_observed":"2015-12-21T19:00:00Z","number_observed":50,)" +
           kRefs,
       {"first_observed", "last_observed", "number_observed"}, "", "first_observed"},
      {"opinion", Kind::kSdo, R"("opinion":"strongly-disagree",)" + kRefs, {"opinion", "object_refs"},
       "explanation", "created"},
      {"report", Kind::kSdo, R"("name":"The Black Vine Cyberespionage Group","published":"2016-01-20T17:00:00Z",)" +
                                 kRefs,
       {"name", "published", "object_refs"}, "name", "published"},
      {"threat-actor", Kind::kSdo, R"("name":"Evil Org")", {"name"}, "sophistication", "last_seen"},
      {"tool", Kind::kSdo, R"("name":"VNC")", {"name"}, "tool_version", "created"},
      {"vulnerability", Kind::kSdo, R"("name":"CVE-2016-1234")", {"name"}, "name", "modified"},
      {"relationship", Kind::kSdo,
       R"("relationship_type":"indicates","source_ref":"indicator--)" + std::string(kUuid) +
           R"(","target_ref":"malware--)" + kUuid + "\"",
       {"relationship_type", "source_ref", "target_ref"}, "description", "start_time"},
      {"sighting", Kind::kSdo, R"("sighting_of_ref":"indicator--)" + std::string(kUuid) + "\"",
       {"sighting_of_ref"}, "description", "first_seen"},
      {"marking-definition", Kind::kMarking,
       R"("definition_type":"statement","definition":{"statement":"Copyright 2019, Example Corp"})", {},
       "name", "created"},
      {"language-content", Kind::kSdo,
       R"("object_ref":"campaign--)" + std::string(kUuid) +
           R"(","contents":{"de":{"name":"Bank Angriff 1"}})",
       {"object_ref", "contents"}, "lang", "object_modified"},
      {"extension-definition", Kind::kSdo,
       R"("created_by_ref":"identity--)" + std::string(kUuid) +
           R"(","name":"Extension Foo Bar","schema":"https://www.example.com/schema-foo-1/v1/","version":"1.2.1","extension_types":["new-sdo"])",
       {"created_by_ref", "name", "schema", "version", "extension_types"}, "version", "created"},
      {"artifact", Kind::kSco, R"("mime_type":"image/jpeg","payload_bin":"VBORw0KGgoAAAANSUhEUgAAADI=")", {},
       "mime_type", ""},
      {"autonomous-system", Kind::kSco, R"("number":15139)", {"number"}, "name", ""},
      {"directory", Kind::kSco, R"("path":"C:\\Windows\\System32")", {"path"}, "path", "ctime"},
      {"domain-name", Kind::kSco, R"("value":"example.com")", {"value"}, "value", ""},
      {"email-addr", Kind::kSco, R"("value":"john@example.com")", {"value"}, "display_name", ""},
      {"email-message", Kind::kSco, R"("is_multipart":false,"body":"Hello")", {"is_multipart"}, "subject",
       "date"},
      {"file", Kind::kSco, R"("name":"qwerty.dll")", {}, "name", "mtime"},
      {"ipv4-addr", Kind::kSco, R"("value":"198.51.100.3")", {"value"}, "value", ""},
      {"ipv6-addr", Kind::kSco, R"("value":"2001:0db8:85a3:0000:0000:8a2e:0370:7334")", {"value"}, "value", ""},
      {"mac-addr", Kind::kSco, R"("value":"d2:fb:49:24:37:18")", {"value"}, "value", ""},
      {"mutex", Kind::kSco, R"("name":"__CLEANSWEEP__")", {"name"}, "name", ""},
      {"network-traffic", Kind::kSco,
       R"("src_ref":"ipv4-addr--)" + std::string(kUuid) + R"(","protocols":["ipv4","tcp"])", {"protocols"},
       "", "start"},
      {"process", Kind::kSco, R"("pid":1221)", {}, "command_line", "created_time"},
      {"software", Kind::kSco, R"("name":"Word","vendor":"Microsoft")", {"name"}, "version", ""},
      {"url", Kind::kSco, R"("value":"https://example.com/research/index.html")", {"value"}, "value", ""},
      {"user-account", Kind::kSco, R"("user_id":"1001")", {}, "account_login", "account_created"},
      {"windows-registry-key", Kind::kSco, R"("key":"hkey_local_machine\\system\\bar\\foo")", {}, "key",
       "modified_time"},
      {"x509-certificate", Kind::kSco, R"("serial_number":"36:f7:d4:32:f4:ab:70:ea:d3:ce:98:6e:ea:99:93:49")", {},
       "issuer", "validity_not_before"},
      {"bundle", Kind::kBundle, R"("objects":[{"type":"x-custom","id":"x-custom--)" + std::string(kUuid) + "\"}]",
       {}, "", ""},
  };
  return *kCases;
}

struct Outcome {
  bool valid;
  SchemaStore::SchemaError error;
};

Outcome Check(const rapidjson::Value& v, const std::string& type) {
  Outcome out;
  out.valid = Store().Validate(v, type, &out.error);
  return out;
}

Outcome CheckText(const std::string& json, const std::string& type) {
  rapidjson::Document d = Parse(json);
  return Check(d, type);
}

#define CHECK_REJECTS(outcome, want_keyword, want_pointer, input)                                    \
  do {                                                                                               \
    const Outcome& o_ = (outcome);                                                                   \
    CHECK_MESSAGE(!o_.valid, "accepted: " << (input));                                              \
    CHECK_MESSAGE(o_.error.keyword == (want_keyword), (input) << " -> " << o_.error.keyword << " at " \
                                                              << o_.error.pointer << ": " << o_.error.message); \
    CHECK_MESSAGE(o_.error.pointer == (want_pointer), (input) << " -> " << o_.error.pointer << ": "  \
                                                              << o_.error.message);                 \
    CHECK_MESSAGE(!o_.error.message.empty(), (input));                                              \
  } while (0)

TEST_CASE("Every schema type has a test case and every test case a schema") {
  std::set<std::string> tested;
  for (const TypeCase& c : Cases()) tested.insert(c.type);
  std::vector<std::string> types = Store().Types();
  CHECK(std::set<std::string>(types.begin(), types.end()) == tested);
  CHECK(types.size() == 43);  // 19 SDOs, 2 SROs, 18 SCOs, 3 meta objects, bundle
}

TEST_CASE("A minimal object of every type is valid") {
  for (const TypeCase& c : Cases()) {
    std::string json = Minimal(c);
    Outcome o = CheckText(json, c.type);
    CHECK_MESSAGE(o.valid, json << " -> " << o.error.pointer << " " << o.error.keyword << ": " << o.error.message);
  }
}

TEST_CASE("Removing any REQUIRED property is rejected with keyword required at its pointer") {
  for (const TypeCase& c : Cases()) {
    std::vector<std::string> required = CommonRequired(c.kind);
    required.insert(required.end(), c.required.begin(), c.required.end());
    for (const std::string& prop : required) {
      rapidjson::Document d = Parse(Minimal(c));
      REQUIRE_MESSAGE(d.RemoveMember(prop.c_str()), c.type << " minimal object lacks " << prop);
      CHECK_REJECTS(Check(d, c.type), "required", "/" + prop, c.type + " without " + prop);
    }
  }
}

TEST_CASE("Wrong JSON types, bad timestamps, foreign ids and wrong type values are rejected") {
  for (const TypeCase& c : Cases()) {
    const std::string input = Minimal(c);
    {  // wrong "type" value
      rapidjson::Document d = Parse(input);
      d["type"].SetString("x-not-this-type");
      CHECK_REJECTS(Check(d, c.type), "enum", "/type", c.type + " with type x-not-this-type");
    }
    {  // id of another type
      rapidjson::Document d = Parse(input);
      std::string other = Id(c.type == "tool" ? "malware" : "tool");
      d["id"].SetString(other.c_str(), d.GetAllocator());
      CHECK_REJECTS(Check(d, c.type), "pattern", "/id", c.type + " with id " + other);
    }
    {  // id that is not an identifier
      rapidjson::Document d = Parse(input);
      std::string bad = c.type + "--not-a-uuid";
      d["id"].SetString(bad.c_str(), d.GetAllocator());
      CHECK_REJECTS(Check(d, c.type), "pattern", "/id", c.type + " with id " + bad);
    }
    {  // the object is not an object
      rapidjson::Document d = Parse("[1,2]");
      CHECK_REJECTS(Check(d, c.type), "type", "", c.type + " given an array");
    }
    if (!c.string_prop.empty()) {
      rapidjson::Document d = Parse(input);
      d.RemoveMember(c.string_prop.c_str());
      d.AddMember(rapidjson::Value(c.string_prop.c_str(), d.GetAllocator()), rapidjson::Value(42), d.GetAllocator());
      CHECK_REJECTS(Check(d, c.type), "type", "/" + c.string_prop, c.type + " with " + c.string_prop + ": 42");
    }
    if (!c.timestamp_prop.empty()) {
      for (const char* bad : {"2016-05-12 08:17:27", "2016-05-12T08:17:27", "2016-05-12T08:17:27+01:00",
                              "2016-13-12T08:17:27.000Z", "2016-05-12T24:17:27.000Z", "12/05/2016"}) {
        rapidjson::Document d = Parse(input);
        d.RemoveMember(c.timestamp_prop.c_str());
        d.AddMember(rapidjson::Value(c.timestamp_prop.c_str(), d.GetAllocator()),
                    rapidjson::Value(bad, d.GetAllocator()), d.GetAllocator());
        CHECK_REJECTS(Check(d, c.type), "pattern", "/" + c.timestamp_prop,
                      c.type + " with " + c.timestamp_prop + ": " + bad);
      }
    }
    if (c.kind == Kind::kSdo || c.kind == Kind::kSco) {  // a common list property given a string
      const char* list = c.kind == Kind::kSdo ? "external_references" : "object_marking_refs";
      rapidjson::Document d = Parse(input);
      d.AddMember(rapidjson::StringRef(list), "none", d.GetAllocator());
      CHECK_REJECTS(Check(d, c.type), "type", std::string("/") + list, c.type + " with " + list + ": \"none\"");
    }
  }
}

// Every embedded schema, whatever the table says: a valid object of another type is rejected, and so is
// the type's own minimal object without an id. A schema whose type or required keyword were ignored by
// RapidJSON would accept both.
TEST_CASE("Meta: every schema rejects a foreign type and a missing id") {
  std::map<std::string, std::string> minimal;
  for (const TypeCase& c : Cases()) minimal[c.type] = Minimal(c);
  for (const std::string& type : Store().Types()) {
    REQUIRE_MESSAGE(minimal.count(type), type);
    const std::string& other_type = type == "campaign" ? "tool" : "campaign";
    rapidjson::Document foreign = Parse(minimal[other_type]);
    Outcome o = Check(foreign, type);
    CHECK_MESSAGE(!o.valid, type << " accepted a " << other_type);
    rapidjson::Document no_id = Parse(minimal[type]);
    no_id.RemoveMember("id");
    CHECK_REJECTS(Check(no_id, type), "required", "/id", type + " without id");
    rapidjson::Document empty = Parse("{}");
    CHECK_MESSAGE(!Check(empty, type).valid, type << " accepted {}");
  }
}

// Cross-property rules and value formats, each with an object that breaks exactly one of them.
TEST_CASE("Rules across properties and value formats") {
  struct Case {
    std::string type;
    std::string extra;  // members added to (or replacing those of) the minimal object
    std::vector<std::string> remove;
    bool valid;
    std::string keyword;
    std::string pointer;
  };
  const std::string uuid = kUuid;
  const std::vector<Case> cases = {
      // location: region, country, or latitude and longitude
      {"location", R"("country":"us")", {"region"}, true, "", ""},
      {"location", R"("latitude":48.8566,"longitude":2.3522)", {"region"}, true, "", ""},
      {"location", R"("name":"Paris")", {"region"}, false, "anyOf", ""},
      {"location", R"("latitude":48.8566)", {"region"}, false, "dependencies", "/latitude"},
      {"location", R"("longitude":2.3522)", {}, false, "dependencies", "/longitude"},
      {"location", R"("precision":100.0)", {}, false, "dependencies", "/precision"},
      {"location", R"("latitude":91,"longitude":0)", {}, false, "maximum", "/latitude"},
      {"location", R"("latitude":0,"longitude":-180.5)", {}, false, "minimum", "/longitude"},
      // malware: name required when is_family is true
      {"malware", R"("is_family":true,"name":"Cryptolocker")", {"is_family"}, true, "", ""},
      {"malware", R"("is_family":true)", {"is_family"}, false, "anyOf", ""},
      {"malware", R"("is_family":"yes")", {"is_family"}, false, "type", "/is_family"},
      {"malware", R"("sample_refs":["file--)" + uuid + "\"]", {}, true, "", ""},
      {"malware", R"("sample_refs":["url--)" + uuid + "\"]", {}, false, "pattern", "/sample_refs/0"},
      // malware-analysis: result or analysis_sco_refs
      {"malware-analysis", R"("analysis_sco_refs":["file--)" + uuid + "\"]", {"result"}, true, "", ""},
      {"malware-analysis", "", {"result"}, false, "anyOf", ""},
      // observed-data: exactly one of object_refs and objects
      {"observed-data", R"("objects":{"0":{"type":"file","name":"foo.exe"}})", {"object_refs"}, true, "", ""},
      {"observed-data", "", {"object_refs"}, false, "oneOf", ""},
      {"observed-data", R"("objects":{"0":{"type":"file","name":"foo.exe"}})", {}, false, "oneOf", ""},
      {"observed-data", R"("number_observed":0)", {"number_observed"}, false, "minimum", "/number_observed"},
      {"observed-data", R"("number_observed":1000000000)", {"number_observed"}, false, "maximum",
       "/number_observed"},
      {"observed-data", R"("object_refs":[])", {"object_refs"}, false, "minItems", "/object_refs"},
      // opinion and extension-definition enumerations
      {"opinion", R"("opinion":"maybe")", {"opinion"}, false, "enum", "/opinion"},
      {"extension-definition", R"("extension_types":["new-thing"])", {"extension_types"}, false, "enum",
       "/extension_types/0"},
      {"extension-definition", R"("extension_types":[])", {"extension_types"}, false, "minItems", "/extension_types"},
      // relationship_type characters; references must be identifiers
      {"relationship", R"("relationship_type":"Uses")", {"relationship_type"}, false, "pattern", "/relationship_type"},
      {"relationship", R"("relationship_type":"attributed-to")", {"relationship_type"}, true, "", ""},
      {"relationship", R"("source_ref":"indicator")", {"source_ref"}, false, "pattern", "/source_ref"},
      {"relationship", R"("target_ref":"x-mitre-tactic--)" + uuid + "\"", {"target_ref"}, true, "", ""},
      // sighting
      {"sighting", R"("count":-1)", {}, false, "minimum", "/count"},
      {"sighting", R"("where_sighted_refs":["location--)" + uuid + R"(","identity--)" + uuid + "\"]", {}, true, "", ""},
      {"sighting", R"("where_sighted_refs":["malware--)" + uuid + "\"]", {}, false, "pattern", "/where_sighted_refs/0"},
      {"sighting", R"("observed_data_refs":["indicator--)" + uuid + "\"]", {}, false, "pattern", "/observed_data_refs/0"},
      // common properties
      {"indicator", R"("created_by_ref":"identity--)" + uuid + "\"", {}, true, "", ""},
      {"indicator", R"("created_by_ref":"indicator--)" + uuid + "\"", {}, false, "pattern", "/created_by_ref"},
      {"indicator", R"("object_marking_refs":["marking-definition--)" + uuid + "\"]", {}, true, "", ""},
      {"indicator", R"("object_marking_refs":["identity--)" + uuid + "\"]", {}, false, "pattern",
       "/object_marking_refs/0"},
      {"indicator", R"("confidence":100)", {}, true, "", ""},
      {"indicator", R"("confidence":101)", {}, false, "maximum", "/confidence"},
      {"indicator", R"("confidence":5.5)", {}, false, "type", "/confidence"},
      {"indicator", R"("spec_version":"2.0")", {"spec_version"}, false, "enum", "/spec_version"},
      {"indicator", R"("labels":[])", {}, false, "minItems", "/labels"},
      {"indicator", R"("labels":[7])", {}, false, "type", "/labels/0"},
      {"indicator", R"("revoked":"no")", {}, false, "type", "/revoked"},
      {"indicator", R"("created":"2016-05-12T08:17:27Z")", {"created"}, false, "pattern", "/created"},
      {"indicator", R"("created":"2016-05-12T08:17:27.1234567Z")", {"created"}, true, "", ""},
      {"indicator", R"("valid_from":"2016-05-12T08:17:27.5Z")", {"valid_from"}, true, "", ""},
      {"indicator", R"("modified":"2016-05-12T08:17:27.00Z")", {"modified"}, false, "pattern", "/modified"},
      {"indicator", R"("x_acme_score":{"any":["custom","value"]})", {}, true, "", ""},
      {"indicator", R"("external_references":[{"source_name":"capec","external_id":"CAPEC-163"}])", {}, true, "", ""},
      {"indicator", R"("external_references":[{"source_name":"capec"}])", {}, false, "anyOf", "/external_references/0"},
      {"indicator", R"("external_references":[{"url":"https://example.com"}])", {}, false, "required",
       "/external_references/0/source_name"},
      {"indicator", R"("external_references":[{"source_name":"x","url":"u","hashes":{"SHA-256":"abc"}}])", {}, false,
       "pattern", "/external_references/0/hashes/SHA-256"},
      {"indicator", R"("kill_chain_phases":[{"kill_chain_name":"lockheed-martin-cyber-kill-chain","phase_name":"reconnaissance"}])",
       {}, true, "", ""},
      {"indicator", R"("kill_chain_phases":[{"kill_chain_name":"lockheed-martin-cyber-kill-chain"}])", {}, false,
       "required", "/kill_chain_phases/0/phase_name"},
      {"indicator", R"("granular_markings":[{"marking_ref":"marking-definition--)" + uuid + R"(","selectors":["description"]}])",
       {}, true, "", ""},
      {"indicator", R"("granular_markings":[{"lang":"en","selectors":["description"]}])", {}, true, "", ""},
      {"indicator", R"("granular_markings":[{"lang":"en","marking_ref":"marking-definition--)" + uuid +
                        R"(","selectors":["description"]}])",
       {}, false, "oneOf", "/granular_markings/0"},
      {"indicator", R"("granular_markings":[{"selectors":["description"]}])", {}, false, "oneOf", "/granular_markings/0"},
      {"indicator", R"("granular_markings":[{"lang":"en","selectors":[]}])", {}, false, "minItems",
       "/granular_markings/0/selectors"},
      {"indicator", R"("extensions":{"extension-definition--)" + uuid + R"(":{"extension_type":"property-extension"}})",
       {}, true, "", ""},
      {"indicator", R"("extensions":{})", {}, false, "minProperties", "/extensions"},
      {"indicator", R"("extensions":{"x":"y"})", {}, false, "patternProperties", "/extensions/x"},
      {"indicator", R"("extensions":{"extension-definition--)" + uuid + R"(":{"rank":5}})", {}, false,
       "patternProperties", "/extensions/extension-definition--" + uuid},
      {"indicator", R"("extensions":{"extension-definition--)" + uuid + R"(":{"extension_type":"new-thing"}})", {}, false,
       "patternProperties", "/extensions/extension-definition--" + uuid},
      {"file", R"("extensions":{"ntfs-ext":{"sid":"1"}})", {}, true, "", ""},
      // predefined SCO extensions (section 6)
      {"file", R"("extensions":{"archive-ext":{"contains_refs":["file--)" + uuid + "\"]}}", {}, true, "", ""},
      {"file", R"("extensions":{"archive-ext":{"comment":"zip"}})", {}, false, "patternProperties",
       "/extensions/archive-ext"},
      {"file", R"("extensions":{"windows-pebinary-ext":{"pe_type":"exe","machine_hex":"014c"}})", {}, true, "", ""},
      {"file", R"("extensions":{"windows-pebinary-ext":{"machine_hex":"014c"}})", {}, false, "patternProperties",
       "/extensions/windows-pebinary-ext"},
      {"file", R"("extensions":{"ntfs-ext":{"alternate_data_streams":[{"size":3}]}})", {}, false, "patternProperties",
       "/extensions/ntfs-ext"},
      {"network-traffic", R"("extensions":{"http-request-ext":{"request_method":"get","request_value":"/download.html"}})",
       {}, true, "", ""},
      {"network-traffic", R"("extensions":{"socket-ext":{"address_family":"AF_FOO"}})", {}, false, "patternProperties",
       "/extensions/socket-ext"},
      {"network-traffic", R"("extensions":{"icmp-ext":{"icmp_type_hex":"08","icmp_code_hex":"0"}})", {}, false,
       "patternProperties", "/extensions/icmp-ext"},
      {"process", R"("extensions":{"windows-process-ext":{"integrity_level":"extreme"}})", {}, false,
       "patternProperties", "/extensions/windows-process-ext"},
      {"process", R"("extensions":{"windows-service-ext":{"service_name":"sirvizio","start_type":"SERVICE_AUTO_START"}})",
       {"pid"}, true, "", ""},
      {"user-account", R"("extensions":{"unix-account-ext":{"gid":"wheel"}})", {}, false, "patternProperties",
       "/extensions/unix-account-ext"},
      // course-of-action: action is reserved
      {"course-of-action", R"("action":"x")", {}, false, "not", "/action"},
      // marking-definition: definition_type and definition, or extensions
      {"marking-definition", "", {"definition"}, false, "anyOf", ""},
      {"marking-definition", R"("extensions":{"extension-definition--)" + uuid + R"(":{"extension_type":"property-extension"}})",
       {"definition", "definition_type"}, true, "", ""},
      {"marking-definition", R"("modified":"not checked: not a marking-definition property")", {}, true, "", ""},
      // language-content
      {"language-content", R"("contents":{})", {"contents"}, false, "minProperties", "/contents"},
      {"language-content", R"("contents":{"de":"Bank"})", {"contents"}, false, "type", "/contents/de"},
      // artifact: exactly one of payload_bin and url; url needs hashes
      {"artifact", R"("url":"https://example.com/a.jpg","hashes":{"MD5":"6cc7a2b3c2b3e1e06a1a6b7a4d0c4a1f"})",
       {"payload_bin"}, true, "", ""},
      {"artifact", R"("url":"https://example.com/a.jpg")", {"payload_bin"}, false, "dependencies", "/url"},
      {"artifact", "", {"payload_bin"}, false, "oneOf", ""},
      {"artifact", R"("url":"https://example.com/a.jpg","hashes":{"MD5":"6cc7a2b3c2b3e1e06a1a6b7a4d0c4a1f"})", {},
       false, "oneOf", ""},
      {"artifact", R"("payload_bin":"not base64!")", {"payload_bin"}, false, "pattern", "/payload_bin"},
      {"artifact", R"("encryption_algorithm":"rot13")", {}, false, "enum", "/encryption_algorithm"},
      {"artifact", R"("decryption_key":"secret")", {}, false, "dependencies", "/decryption_key"},
      {"artifact", R"("hashes":{"MD5":"6CC7A2B3C2B3E1E06A1A6B7A4D0C4A1F","x-custom-hash":"anything"})", {}, true, "", ""},
      {"artifact", R"("hashes":{"SHA-1":"6cc7a2b3"})", {}, false, "pattern", "/hashes/SHA-1"},
      {"artifact", R"("hashes":{})", {}, false, "minProperties", "/hashes"},
      // email-message: body only when not multipart, body_multipart only when multipart
      {"email-message", R"("is_multipart":true,"body_multipart":[{"body":"part"}])", {"is_multipart", "body"}, true,
       "", ""},
      {"email-message", R"("is_multipart":true)", {"is_multipart"}, false, "anyOf", ""},
      {"email-message", R"("body_multipart":[{"body":"part"}])", {"body"}, false, "anyOf", ""},
      {"email-message", R"("is_multipart":true,"body_multipart":[{"content_type":"text/plain"}])",
       {"is_multipart", "body"}, false, "oneOf", "/body_multipart/0"},
      {"email-message", R"("from_ref":"email-addr--)" + uuid + "\"", {}, true, "", ""},
      {"email-message", R"("to_refs":["user-account--)" + uuid + "\"]", {}, false, "pattern", "/to_refs/0"},
      // file: hashes or name
      {"file", R"("hashes":{"SHA-256":"aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f"})",
       {"name"}, true, "", ""},
      {"file", R"("size":25536)", {"name"}, false, "anyOf", ""},
      {"file", R"("size":-1)", {}, false, "minimum", "/size"},
      {"file", R"("magic_number_hex":"FFD8")", {}, true, "", ""},
      {"file", R"("magic_number_hex":"FFD")", {}, false, "pattern", "/magic_number_hex"},
      {"file", R"("parent_directory_ref":"file--)" + uuid + "\"", {}, false, "pattern", "/parent_directory_ref"},
      // addresses
      {"ipv4-addr", R"("value":"198.51.100.0/24")", {"value"}, true, "", ""},
      {"ipv4-addr", R"("value":"256.1.1.1")", {"value"}, false, "pattern", "/value"},
      {"ipv4-addr", R"("value":"10.0.0.1/33")", {"value"}, false, "pattern", "/value"},
      {"ipv4-addr", R"("value":"example.com")", {"value"}, false, "pattern", "/value"},
      {"ipv6-addr", R"("value":"2001:db8::/32")", {"value"}, true, "", ""},
      {"ipv6-addr", R"("value":"198.51.100.3")", {"value"}, false, "pattern", "/value"},
      {"mac-addr", R"("value":"D2:FB:49:24:37:18")", {"value"}, false, "pattern", "/value"},
      {"mac-addr", R"("value":"d2-fb-49-24-37-18")", {"value"}, false, "pattern", "/value"},
      {"domain-name", R"("resolves_to_refs":["ipv4-addr--)" + uuid + "\"]", {}, true, "", ""},
      {"domain-name", R"("resolves_to_refs":["url--)" + uuid + "\"]", {}, false, "pattern", "/resolves_to_refs/0"},
      // network-traffic: src_ref or dst_ref; no end while active; ports
      {"network-traffic", R"("dst_ref":"domain-name--)" + uuid + "\"", {"src_ref"}, true, "", ""},
      {"network-traffic", "", {"src_ref"}, false, "anyOf", ""},
      {"network-traffic", R"("is_active":true,"end":"2016-05-12T08:17:27Z")", {}, false, "not", ""},
      {"network-traffic", R"("is_active":false,"end":"2016-05-12T08:17:27Z")", {}, true, "", ""},
      {"network-traffic", R"("dst_port":65536)", {}, false, "maximum", "/dst_port"},
      {"network-traffic", R"("protocols":[])", {"protocols"}, false, "minItems", "/protocols"},
      // at least one property: process, user-account, x509-certificate
      {"process", "", {"pid"}, false, "anyOf", ""},
      {"process", R"("command_line":"./gedit-bin --new-window")", {"pid"}, true, "", ""},
      {"process", R"("child_refs":["file--)" + uuid + "\"]", {}, false, "pattern", "/child_refs/0"},
      {"user-account", "", {"user_id"}, false, "anyOf", ""},
      {"user-account", R"("is_privileged":"yes")", {}, false, "type", "/is_privileged"},
      {"x509-certificate", "", {"serial_number"}, false, "anyOf", ""},
      {"x509-certificate", R"("x509_v3_extensions":{"basic_constraints":"critical,CA:TRUE"})", {}, true, "", ""},
      // windows-registry-key values
      {"windows-registry-key", R"("values":[{"name":"Foo","data":"qwerty","data_type":"REG_SZ"}])", {}, true, "", ""},
      {"windows-registry-key", R"("values":[{"name":"Foo","data_type":"REG_STRING"}])", {}, false, "enum",
       "/values/0/data_type"},
      {"autonomous-system", R"("number":"AS15139")", {"number"}, false, "type", "/number"},
      // bundle: objects need type and id; spec_version is not a bundle property and is not forbidden either
      {"bundle", R"("objects":[{"type":"x-custom"}])", {"objects"}, false, "required", "/objects/0/id"},
      {"bundle", R"("objects":[{"type":"X_Custom","id":"x-custom--)" + uuid + "\"}]", {"objects"}, false, "pattern",
       "/objects/0/type"},
      {"bundle", R"("objects":[])", {"objects"}, false, "minItems", "/objects"},
      {"bundle", R"("objects":["indicator--)" + uuid + "\"]", {"objects"}, false, "type", "/objects/0"},
      {"bundle", "", {"objects"}, true, "", ""},
  };
  std::map<std::string, TypeCase> by_type;
  for (const TypeCase& c : Cases()) by_type.emplace(c.type, c);
  for (const Case& c : cases) {
    REQUIRE_MESSAGE(by_type.count(c.type), c.type);
    rapidjson::Document d = Parse(Minimal(by_type.at(c.type)));
    for (const std::string& r : c.remove) d.RemoveMember(r.c_str());
    if (!c.extra.empty()) {
      rapidjson::Document extra = Parse("{" + c.extra + "}");
      for (auto& m : extra.GetObject()) {
        d.RemoveMember(m.name.GetString());
        d.AddMember(rapidjson::Value(m.name, d.GetAllocator()), rapidjson::Value(m.value, d.GetAllocator()),
                    d.GetAllocator());
      }
    }
    std::string input = c.type + " " + Dump(d);
    Outcome o = Check(d, c.type);
    if (c.valid) {
      CHECK_MESSAGE(o.valid, input << " -> " << o.error.keyword << " at " << o.error.pointer << ": " << o.error.message);
    } else {
      CHECK_REJECTS(o, c.keyword, c.pointer, input);
    }
  }
}

TEST_CASE("Messages name the property and say what is expected") {
  struct Case {
    std::string type;
    std::string json;
    std::string message;
  };
  const std::string sdo = R"("spec_version":"2.1","created":"2016-05-12T08:17:27.000Z","modified":"2016-05-12T08:17:27.000Z")";
  const std::string id = std::string("\"id\":\"threat-actor--") + kUuid + "\"";
  const std::vector<Case> cases = {
      {"threat-actor", "{\"type\":\"threat-actor\"," + id + "," + sdo + "}", "missing required property 'name'"},
      {"threat-actor",
       R"({"type":"threat-actor",)" + id +
           R"(,"spec_version":"2.1","created":"2016-05-12 08:17:27","modified":"2016-05-12T08:17:27.000Z","name":"x"})",
       "'created' must be a timestamp like 2016-05-12T08:17:27.000Z (UTC, at least millisecond precision)"},
      {"threat-actor", "{\"type\":\"threat-actor\"," + id + "," + sdo + R"(,"name":"x","first_seen":"yesterday"})",
       "'first_seen' must be a UTC timestamp like 2016-05-12T08:17:27Z or 2016-05-12T08:17:27.000Z (RFC 3339, "
       "ending in Z)"},
      {"threat-actor", "{\"type\":\"threat-actor\"," + id + "," + sdo + R"(,"name":"x","aliases":[]})",
       "'aliases' must be a non-empty list of strings"},
      {"threat-actor",
       "{\"type\":\"threat-actor\"," + id + "," + sdo + R"(,"name":"x","created_by_ref":"threat-actor--)" + kUuid + "\"}",
       std::string("'created_by_ref' must be an identifier of an identity like identity--") + kUuid},
      {"threat-actor",
       "{\"type\":\"threat-actor\"," + id + "," + sdo + R"(,"name":"x","external_references":[{"source_name":"a"}]})",
       "'external_references[0]' must be an external reference with source_name and at least one of description, "
       "url or external_id"},
      {"threat-actor", "{\"type\":\"threat-actor\"," + id + "," + sdo + R"(,"name":7})", "'name' must be a string"},
      {"threat-actor", "{\"type\":\"threat-actor\"," + id + "," + sdo + R"(,"name":"x","external_references":[{"url":"u"}]})",
       "missing required property 'source_name' in 'external_references[0]'"},
      {"location",
       R"({"type":"location","id":"location--)" + std::string(kUuid) + "\"," + sdo + R"(,"name":"Paris"})",
       "A location must have region, country, or both latitude and longitude."},
      {"location",
       R"({"type":"location","id":"location--)" + std::string(kUuid) + "\"," + sdo + R"(,"region":"x","precision":1})",
       "'precision' requires 'latitude' and 'longitude'"},
      {"opinion",
       R"({"type":"opinion","id":"opinion--)" + std::string(kUuid) + "\"," + sdo +
           R"(,"opinion":"maybe","object_refs":["note--)" + kUuid + "\"]}",
       "'opinion' must be one of strongly-disagree, disagree, neutral, agree, strongly-agree"},
      {"threat-actor",
       "{\"type\":\"threat-actor\"," + id + "," + sdo + R"(,"name":"x","extensions":{"extension-definition--)" + kUuid +
           R"(":{}}})",
       std::string("'extensions.extension-definition--") + kUuid + "' must be an extension object with an extension_type"},
      {"file",
       R"({"type":"file","id":"file--)" + std::string(kUuid) + R"(","name":"a.zip","extensions":{"archive-ext":{}}})",
       "'extensions.archive-ext' must be an archive extension with contains_refs"},
      {"bundle", R"({"type":"bundle","id":"bundle--)" + std::string(kUuid) + R"(","objects":[{"type":"x-a"}]})",
       "missing required property 'id' in 'objects[0]'"},
  };
  for (const Case& c : cases) {
    Outcome o = CheckText(c.json, c.type);
    CHECK_MESSAGE(!o.valid, c.json);
    CHECK_MESSAGE(o.error.message == c.message, c.json << "\n  got:  " << o.error.message);
  }
}

// The data types of common.json, through the properties that use them.
TEST_CASE("Identifier and timestamp formats") {
  struct Case {
    std::string value;
    bool valid;
  };
  const std::vector<Case> timestamps = {
      {"2016-05-12T08:17:27Z", true},       {"2016-05-12T08:17:27.1Z", true},
      {"2016-12-31T23:59:60Z", true},       {"0001-01-01T00:00:00.000000001Z", true},
      {"2016-05-12T08:17:27", false},       {"2016-05-12t08:17:27Z", false},
      {"2016-05-12T08:17:27.Z", false},     {"2016-5-12T08:17:27Z", false},
      {"2016-05-32T08:17:27Z", false},      {"2016-00-12T08:17:27Z", false},
      {"2016-05-12T08:60:27Z", false},      {"2016-05-12T08:17:61Z", false},
      {" 2016-05-12T08:17:27Z", false},     {"2016-05-12T08:17:27Z ", false},
      {"", false},                          {"2016-05-12T08:17:27.000+00:00", false},
  };
  for (const Case& c : timestamps) {
    std::string json = std::string(R"({"type":"campaign","spec_version":"2.1","id":"campaign--)") + kUuid +
                       R"(","created":"2016-05-12T08:17:27.000Z","modified":"2016-05-12T08:17:27.000Z","name":"c","first_seen":")" +
                       c.value + "\"}";
    CHECK_MESSAGE(CheckText(json, "campaign").valid == c.valid, c.value);
  }
  const std::vector<Case> refs = {
      {std::string("indicator--") + kUuid, true},
      {std::string("x-mitre-tactic--") + kUuid, true},
      {"indicator--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F", true},
      {"software--44e6a8ed-0cf5-5c6f-9a1a-9cf5a6a5d4d7", true},  // UUIDv5, as SCO ids use
      {"indicator--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f", false},  // version 0
      {"indicator--8e2e2d2b-17d4-4cbf-738f-98ee46b3cd3f", false},  // not the RFC 4122 variant
      {"indicator--8e2e2d2b17d44cbf938f98ee46b3cd3f", false},
      {"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3", false},
      {"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3ff", false},
      {"indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", false},
      {"Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", false},
      {"--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", false},
      {"indicator--{8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f}", false},
      {std::string("indicator--") + kUuid + std::string("\0junk", 5), false},  // NUL inside the string
  };
  for (const Case& c : refs) {
    rapidjson::Document d = Parse(std::string(R"({"type":"note","spec_version":"2.1","id":"note--)") + kUuid +
                                  R"(","created":"2016-05-12T08:17:27.000Z","modified":"2016-05-12T08:17:27.000Z","content":"c","object_refs":["x"]})");
    d["object_refs"][0].SetString(c.value.data(), static_cast<rapidjson::SizeType>(c.value.size()), d.GetAllocator());
    CHECK_MESSAGE(Check(d, "note").valid == c.valid, c.value);
  }
}

// ATT&CK bundles are valid STIX 2.1: every object of a type with a schema must pass.
TEST_CASE("Real ATT&CK objects validate") {
  if (!testing::SharedAvailable()) {
    MESSAGE("../shared not available: skipped");
    return;
  }
  for (const char* name : {"enterprise-attack.json", "mobile-attack.json", "ics-attack.json"}) {
    std::string text = testing::ReadTestFile(testing::SharedDir() + "/data/attack/" + name);
    rapidjson::Document bundle;
    bundle.Parse(text.c_str(), text.size());
    REQUIRE_MESSAGE(!bundle.HasParseError(), name);
    SchemaStore::SchemaError error;
    CHECK_MESSAGE(Store().Validate(bundle, "bundle", &error), name << ": " << error.pointer << ": " << error.message);
    size_t checked = 0, failed = 0;
    std::string first_failures;
    for (const auto& object : bundle["objects"].GetArray()) {
      std::string type = object["type"].GetString();
      if (Store().ForType(type) == nullptr) continue;
      ++checked;
      if (!Store().Validate(object, type, &error)) {
        if (++failed <= 5) {
          first_failures += std::string("\n  ") + object["id"].GetString() + " " + error.pointer + " " +
                            error.keyword + ": " + error.message;
        }
      }
    }
    CHECK_MESSAGE(failed == 0, name << ": " << failed << " of " << checked << " objects fail:" << first_failures);
    CHECK(checked > 1000);
  }
}

}  // namespace
}  // namespace prose2stix::validate
