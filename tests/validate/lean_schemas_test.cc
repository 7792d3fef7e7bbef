// The lean schemas: which patterns they drop from the embedded schemas, and that they give the full
// schemas' verdict and first error on every object CheckObject() passes (hand-made objects of many
// types with ids, references and timestamps spoiled one at a time, and the ATT&CK bundles).
#include "prose2stix/validate/lean_schemas.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "prose2stix/util/embedded.h"
#include "prose2stix/validate/schema_store.h"
#include "prose2stix/validate/semantic_checks.h"
#include "testutil.h"

namespace prose2stix::validate {
namespace {

const SchemaStore& Store() {
  static const std::unique_ptr<SchemaStore> kStore = [] {
    auto loaded = SchemaStore::LoadEmbedded();
    REQUIRE_MESSAGE(loaded.ok(), loaded.status().ToString());
    return std::move(*loaded);
  }();
  return *kStore;
}

// The changes LeanSchemas() makes to the embedded schemas.
std::vector<std::string> EmbeddedChanges(std::vector<CallerChecks>* caller_checks = nullptr) {
  std::vector<rapidjson::Document> docs;
  std::vector<std::string> names, types;
  for (const embedded::File& f : embedded::schemas()) {
    docs.emplace_back();
    docs.back().Parse(f.data.data(), f.data.size());
    REQUIRE(!docs.back().HasParseError());
    names.emplace_back(f.name);
    types.emplace_back(docs.back().HasMember("properties") && f.name.find('/') == std::string_view::npos
                           ? f.name.substr(0, f.name.size() - 5)
                           : "");
  }
  std::vector<SchemaFile> files;
  for (size_t i = 0; i < docs.size(); ++i) files.push_back({names[i], types[i], &docs[i]});
  std::vector<std::string> changes;
  LeanSchemas(files, &changes, caller_checks);
  return changes;
}

bool HasChange(const std::vector<std::string>& changes, const std::string& prefix) {
  return std::any_of(changes.begin(), changes.end(), [&](const std::string& c) { return c.rfind(prefix, 0) == 0; });
}

TEST_CASE("Lean schemas drop the id, reference and timestamp patterns the semantic checks enforce") {
  const std::vector<std::string> changes = EmbeddedChanges();
  struct Expect {
    const char* change;  // "<file>: <pointer>: dropped|relaxed"
    bool present;
  };
  static const Expect kExpect[] = {
      {"threat-actor.json: /properties/id: dropped ^threat-actor--", true},
      {"threat-actor.json: /properties/created: relaxed ", true},
      {"threat-actor.json: /properties/modified: relaxed ", true},
      {"threat-actor.json: /properties/first_seen: dropped ", true},
      {"threat-actor.json: /properties/created_by_ref: dropped ^identity--", true},
      {"threat-actor.json: /properties/object_marking_refs/items: dropped ^marking-definition--", true},
      {"threat-actor.json: /properties/granular_markings/items/properties/marking_ref: dropped", true},
      {"report.json: /properties/object_refs/items: dropped ^[a-z0-9]+(-[a-z0-9]+)*--", true},
      {"report.json: /properties/published: dropped ", true},
      {"relationship.json: /properties/source_ref: dropped ", true},
      {"relationship.json: /properties/start_time: dropped ", true},
      {"marking-definition.json: /properties/created: relaxed ", true},
      {"language-content.json: /properties/object_modified: relaxed ", true},
      {"process.json: /properties/extensions/properties/windows-service-ext/properties/service_dll_refs/items: dropped",
       true},
      {"email-message.json: /properties/body_multipart/items/properties/body_raw_ref: dropped", true},
      {"network-traffic.json: /properties/src_ref: dropped ^(ipv4-addr|ipv6-addr|mac-addr|domain-name)--", true},
      {"file.json: /properties/ctime: dropped ", true},
      // Kept: values the semantic checks do not parse, or parse with other rules.
      {"file.json: /properties/extensions/properties/windows-pebinary-ext/properties/time_date_stamp", false},
      {"bundle.json", false},
      {"common.json", false},
      {"observed-data.json: /properties/objects", false},
      {"relationship.json: /properties/relationship_type", false},
      {"ipv4-addr.json: /properties/value", false},
      {"file.json: /properties/hashes", false},
      {"artifact.json: /properties/payload_bin", false},
  };
  for (const Expect& e : kExpect) CHECK_MESSAGE(HasChange(changes, e.change) == e.present, e.change);
  // Nothing but identifier and timestamp patterns changes.
  for (const std::string& c : changes) {
    const bool id = c.find("--[0-9a-fA-F]{8}-") != std::string::npos;
    const bool ts = c.find("T([01][0-9]|2[0-3])") != std::string::npos;
    CHECK_MESSAGE((id || ts), c);
  }
}

struct Verdict {
  bool valid = true;
  SchemaStore::SchemaError error;
};

Verdict Run(const rapidjson::Value& v, std::string_view type, SchemaStore::Checks checks) {
  Verdict out;
  out.valid = Store().Validate(v, type, &out.error, checks);
  return out;
}

// True when CheckObject() reports no error on `v` and it has a single id: when lean is exact.
bool SemanticallyClean(const rapidjson::Value& v) {
  CheckFilter filter;
  std::vector<Diagnostic> out;
  Reporter reporter(&filter, false, &out);
  DocumentState state(false);
  CheckObject(v, "", true, &state, &reporter);
  size_t ids = 0;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    if (std::string_view(it->name.GetString(), it->name.GetStringLength()) == "id") ++ids;
  }
  return !reporter.HasErrorSince(0) && ids == 1;
}

std::string Dump(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return sb.GetString();
}

// Checks full == lean on `v` when the semantic checks pass it; returns whether they did.
bool Compare(const rapidjson::Value& v) {
  if (!v.IsObject() || !v.HasMember("type") || !v["type"].IsString()) return false;
  const std::string_view type(v["type"].GetString(), v["type"].GetStringLength());
  if (!SemanticallyClean(v)) return false;
  const Verdict full = Run(v, type, SchemaStore::Checks::kFull);
  const Verdict lean = Run(v, type, SchemaStore::Checks::kLean);
  CHECK_MESSAGE(full.valid == lean.valid, Dump(v));
  CHECK_MESSAGE(full.error.pointer == lean.error.pointer, Dump(v));
  CHECK_MESSAGE(full.error.keyword == lean.error.keyword, Dump(v));
  CHECK_MESSAGE(full.error.message == lean.error.message, Dump(v));
  return true;
}

constexpr const char* kU4 = "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
constexpr const char* kU5 = "44e6a8ed-0cf5-5c6f-9a1a-9cf5a6a5d4d7";
constexpr const char* kTs = "2016-05-12T08:17:27.000Z";

std::string Sdo(const std::string& type, const std::string& extra) {
  return "{\"type\":\"" + type + "\",\"spec_version\":\"2.1\",\"id\":\"" + type + "--" + kU4 +
         "\",\"created\":\"" + kTs + "\",\"modified\":\"" + kTs + "\"," + extra + "}";
}
std::string Sco(const std::string& type, const std::string& extra) {
  return "{\"type\":\"" + type + "\",\"spec_version\":\"2.1\",\"id\":\"" + type + "--" + kU5 + "\"," + extra + "}";
}

// Objects of many types, each with ids, references or timestamps, valid as written.
std::vector<std::string> Objects() {
  const std::string u4 = kU4, u5 = kU5;
  return {
      Sdo("threat-actor", R"("name":"x","first_seen":"2016-05-12T08:17:27Z","created_by_ref":"identity--)" + u4 +
                              R"(","object_marking_refs":["marking-definition--)" + u4 +
                              R"("],"granular_markings":[{"marking_ref":"marking-definition--)" + u4 +
                              R"(","selectors":["name"]}])"),
      Sdo("report", R"("name":"r","published":"2016-05-12T08:17:27Z","object_refs":["malware--)" + u4 +
                        R"(","x-custom--)" + u4 + R"("])"),
      Sdo("relationship", R"("relationship_type":"uses","source_ref":"malware--)" + u4 + R"(","target_ref":"tool--)" +
                              u4 + R"(","start_time":"2016-05-12T08:17:27Z","stop_time":"2017-05-12T08:17:27Z")"),
      Sdo("sighting", R"("sighting_of_ref":"malware--)" + u4 + R"(","where_sighted_refs":["identity--)" + u4 +
                          R"("],"observed_data_refs":["observed-data--)" + u4 + R"("])"),
      Sdo("note", R"("content":"c","object_refs":["report--)" + u4 + R"("])"),
      Sdo("indicator", R"("pattern":"[ipv4-addr:value = '198.51.100.1']","pattern_type":"stix","valid_from":"2016-05-12T08:17:27Z")"),
      Sdo("malware", R"("is_family":false,"sample_refs":["file--)" + u5 + R"("],"operating_system_refs":["software--)" +
                         u5 + R"("])"),
      Sdo("malware-analysis", R"("product":"p","result":"malicious","sample_ref":"file--)" + u5 +
                                  R"(","analysis_sco_refs":["file--)" + u5 + R"("],"submitted":"2016-05-12T08:17:27Z")"),
      Sdo("language-content", R"("object_ref":"malware--)" + u4 + R"(","object_modified":")" + std::string(kTs) +
                                  R"(","contents":{"de":{"name":"x"}})"),
      Sdo("observed-data", R"("first_observed":"2016-05-12T08:17:27Z","last_observed":"2016-05-12T08:17:27Z","number_observed":1,"object_refs":["file--)" +
                               u5 + R"("])"),
      R"({"type":"marking-definition","spec_version":"2.1","id":"marking-definition--)" + u4 +
          R"(","created":")" + kTs + R"(","definition_type":"statement","definition":{"statement":"s"}})",
      Sco("file", R"("name":"a","parent_directory_ref":"directory--)" + u5 + R"(","ctime":"2016-05-12T08:17:27Z","extensions":{"archive-ext":{"contains_refs":["file--)" +
                      u5 + R"("]},"windows-pebinary-ext":{"pe_type":"exe","time_date_stamp":"2016-05-12T08:17:27Z"}})"),
      Sco("process", R"("pid":1,"image_ref":"file--)" + u5 + R"(","extensions":{"windows-service-ext":{"service_name":"s","service_dll_refs":["file--)" +
                         u5 + R"("]}})"),
      Sco("email-message", R"("is_multipart":true,"body_multipart":[{"body_raw_ref":"artifact--)" + u5 +
                               R"("}],"from_ref":"email-addr--)" + u5 + R"(")"),
      Sco("network-traffic", R"("protocols":["tcp"],"src_ref":"ipv4-addr--)" + u5 +
                                 R"(","start":"2016-05-12T08:17:27Z","extensions":{"http-request-ext":{"request_method":"get","request_value":"/","message_body_data_ref":"artifact--)" +
                                 u5 + R"("}})"),
      Sco("user-account", R"("user_id":"1","account_created":"2016-05-12T08:17:27Z")"),
      Sco("directory", R"("path":"/","contains_refs":["file--)" + u5 + R"("])"),
  };
}

// Values that spoil an identifier, a reference or a timestamp in one way each.
const char* const kBadIds[] = {"x--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                               "malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                               "identity--8e2e2d2b-17d4-9cbf-938f-98ee46b3cd3f",
                               "identity--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f",
                               "identity--8E2E2D2B-17D4-4CBF-B38F-98EE46B3CD3F",
                               "file--44e6a8ed-0cf5-5c6f-9a1a-9cf5a6a5d4d7",
                               "directory--44e6a8ed-0cf5-5c6f-9a1a-9cf5a6a5d4d7",
                               "artifact--44e6a8ed-0cf5-5c6f-9a1a-9cf5a6a5d4d7",
                               "bogus",
                               ""};
const char* const kBadTimestamps[] = {"2016-05-12T08:17:27Z",      "2016-05-12T08:17:27.1Z",  "2016-05-12T08:17:27.12Z",
                                      "2016-05-12T08:17:27.1234Z", "2016-02-30T08:17:27.000Z", "2016-13-12T08:17:27.000Z",
                                      "2016-05-12T08:17:60.000Z",  "2016-05-12T08:17:27.000",  "2016-05-12 08:17:27.000Z",
                                      ""};
// Values that spoil relationship_type's character class ("^[a-z0-9-]+$"), and two it admits.
const char* const kBadNames[] = {"Uses", "a_b", "a b", "caf\xc3\xa9", "x\x01y", "~", "-", "9-to-5"};

// Every string member, nested ones too, replaced in turn by each of `values`.
void Spoil(rapidjson::Value& v, rapidjson::Document& doc, const std::vector<const char*>& values, int* clean,
           int* total) {
  if (v.IsObject()) {
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      if (it->value.IsString()) {
        if (std::string_view(it->name.GetString()) == "type") continue;
        rapidjson::Value saved(it->value, doc.GetAllocator());
        for (const char* bad : values) {
          it->value.SetString(rapidjson::StringRef(bad));
          ++*total;
          if (Compare(doc)) ++*clean;
        }
        it->value = saved;
      } else {
        Spoil(it->value, doc, values, clean, total);
      }
    }
  } else if (v.IsArray()) {
    for (auto& e : v.GetArray()) {
      if (e.IsString()) {
        rapidjson::Value saved(e, doc.GetAllocator());
        for (const char* bad : values) {
          e.SetString(rapidjson::StringRef(bad));
          ++*total;
          if (Compare(doc)) ++*clean;
        }
        e = saved;
      } else {
        Spoil(e, doc, values, clean, total);
      }
    }
  }
}

TEST_CASE("Lean schemas judge every object the semantic checks pass like the full schemas") {
  std::vector<const char*> values(std::begin(kBadIds), std::end(kBadIds));
  values.insert(values.end(), std::begin(kBadTimestamps), std::end(kBadTimestamps));
  values.insert(values.end(), std::begin(kBadNames), std::end(kBadNames));
  int clean = 0, total = 0;
  for (const std::string& text : Objects()) {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    REQUIRE_MESSAGE(!doc.HasParseError(), text);
    CHECK_MESSAGE(Compare(doc), "not semantically clean: " << text);
    CHECK_MESSAGE(Run(doc, doc["type"].GetString(), SchemaStore::Checks::kFull).valid, text);
    Spoil(doc, doc, values, &clean, &total);
  }
  MESSAGE(clean << " of " << total << " spoiled objects passed the semantic checks and were compared");
  CHECK(clean > 100);  // the millisecond rule, nested timestamps, custom references ...
}

TEST_CASE("Lean schemas rely on the semantic checks: alone they accept bad identifiers") {
  rapidjson::Document doc;
  const std::string text = Sdo("threat-actor", R"("name":"x")");
  doc.Parse(text.data(), text.size());
  doc["id"].SetString(rapidjson::StringRef("threat-actor--bogus"));
  CHECK_FALSE(SemanticallyClean(doc));
  CHECK_FALSE(Run(doc, "threat-actor", SchemaStore::Checks::kFull).valid);
  CHECK(Run(doc, "threat-actor", SchemaStore::Checks::kLean).valid);
  // The millisecond rule stays: the semantic checks accept whole seconds.
  doc["id"].SetString(rapidjson::StringRef("threat-actor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"));
  doc["created"].SetString(rapidjson::StringRef("2016-05-12T08:17:27Z"));
  CHECK(SemanticallyClean(doc));
  const Verdict lean = Run(doc, "threat-actor", SchemaStore::Checks::kLean);
  CHECK_FALSE(lean.valid);
  CHECK(lean.error.pointer == "/created");
  CHECK(lean.error.keyword == "pattern");
}

TEST_CASE("Lean schemas judge the ATT&CK objects like the full schemas") {
  if (!testing::SharedAvailable()) {
    MESSAGE("../shared not available: skipped");
    return;
  }
  std::string text = testing::ReadTestFile(testing::SharedDir() + "/data/attack/ics-attack.json");
  rapidjson::Document bundle;
  bundle.Parse(text.c_str(), text.size());
  REQUIRE(!bundle.HasParseError());
  int clean = 0;
  for (auto& object : bundle["objects"].GetArray()) {
    rapidjson::Document one;
    one.CopyFrom(object, one.GetAllocator());
    if (Compare(one)) ++clean;
    // The same object with its timestamps at whole seconds: the millisecond rule must still hold.
    for (const char* prop : {"created", "modified"}) {
      if (one.HasMember(prop)) one[prop].SetString(rapidjson::StringRef("2016-05-12T08:17:27Z"));
    }
    Compare(one);
  }
  CHECK(clean > 1000);
}

TEST_CASE("Required-only anyOfs left to the caller give the full schemas' verdicts") {
  // Locations need region, country or latitude with longitude; external references need a
  // description, url or external_id. Each object is compared lean against full as written.
  const std::string ref = R"("external_references":[)";
  const std::vector<std::string> objects = {
      Sdo("location", R"("region":"europe")"),
      Sdo("location", R"("country":"FR","name":"France")"),
      Sdo("location", R"("latitude":48.8,"longitude":2.3)"),
      Sdo("location", R"("latitude":48.8)"),  // dependencies fail, anyOf fails
      Sdo("location", R"("name":"nowhere")"),
      Sdo("location", R"("name":"nowhere","city":"Paris")"),
      Sdo("location", R"("region":"europe","country":"FR","latitude":1,"longitude":2)"),
      Sdo("location", R"("precision":5.0,"region":"europe")"),
      Sdo("identity", R"("name":"a",)" + ref + R"({"source_name":"s","url":"https://example.com"}])"),
      Sdo("identity", R"("name":"a",)" + ref + R"({"source_name":"s"}])"),
      Sdo("identity", R"("name":"a",)" + ref + R"({"source_name":"s","external_id":"T1"},{"source_name":"t"}])"),
      Sdo("identity", R"("name":"a",)" + ref + R"("not an object",{"source_name":"s","description":"d"}])"),
      Sdo("identity", R"("name":"a",)" + ref + R"(])"),
      Sdo("identity", R"("name":"a","external_references":{"source_name":"s"})"),
      Sdo("report", R"("name":"r","published":"2016-05-12T08:17:27Z","object_refs":["malware--)" + std::string(kU4) +
                        R"("],)" + ref + R"({"source_name":"s","hashes":{"SHA-256":"x"}}])"),
      R"({"type":"marking-definition","spec_version":"2.1","id":"marking-definition--)" + std::string(kU4) +
          R"(","created":")" + kTs + R"(","name":"no definition"})",
  };
  int failing = 0;
  for (const std::string& text : objects) {
    rapidjson::Document doc;
    prose2stix::testing::ParseJson(&doc, text);
    REQUIRE_MESSAGE(!doc.HasParseError(), text);
    CHECK_MESSAGE(Compare(doc), "not semantically clean: " << text);
    if (!Run(doc, doc["type"].GetString(), SchemaStore::Checks::kFull).valid) ++failing;
  }
  CHECK(failing >= 7);  // the table holds objects each rule rejects
}

TEST_CASE("With caller checks, a character-class pattern is left to the caller") {
  std::vector<CallerChecks> checks;
  const std::vector<std::string> changes = EmbeddedChanges(&checks);
  CHECK(HasChange(changes, "relationship.json: /properties/relationship_type: dropped ^[a-z0-9-]+$"));
  size_t found = 0;
  for (const CallerChecks& c : checks) {
    for (const CallerChecks::CharClass& rule : c.char_class_props) {
      ++found;
      CHECK(rule.prop == "relationship_type");
      CHECK(rule.allowed.count() == 26 + 10 + 1);
      CHECK(rule.allowed['-']);
      CHECK_FALSE(rule.allowed['_']);
    }
  }
  CHECK(found == 1);
}

TEST_CASE("CallerChecksHold applies character classes to top-level strings") {
  CallerChecks checks;
  CallerChecks::CharClass rule;
  rule.prop = "kind";
  for (char c = 'a'; c <= 'z'; ++c) rule.allowed.set(static_cast<size_t>(c));
  rule.allowed.set('-');
  checks.char_class_props.push_back(rule);
  struct Case {
    const char* json;
    bool holds;
  };
  const Case cases[] = {
      {R"({"kind":"uses"})", true},
      {R"({"kind":"related-to"})", true},
      {R"({"kind":""})", false},
      {R"({"kind":"Uses"})", false},
      {R"({"kind":"a_b"})", false},
      {R"({"kind":"caf\u00e9"})", false},
      {R"({"kind":"a\u0000b"})", false},
      {R"({"kind":7})", true},  // not a string: the pattern does not apply
      {R"({"kind":"ok","kind":"NO"})", false},
      {R"({"other":"NO","nested":{"kind":"NO"}})", true},  // only the top-level member
  };
  for (const Case& c : cases) {
    rapidjson::Document doc;
    prose2stix::testing::ParseJson(&doc, c.json);
    REQUIRE_MESSAGE(!doc.HasParseError(), std::string(c.json));
    CHECK_MESSAGE(CallerChecksHold(doc, checks) == c.holds, std::string(c.json));
  }
}

TEST_CASE("CallerChecksHold applies millisecond and required-anyOf rules") {
  CallerChecks checks;
  checks.millisecond_props = {"created"};
  checks.required_any_of.push_back({true, "", {{"a"}, {"b", "c"}}});
  checks.required_any_of.push_back({false, "list", {{"x"}}});
  struct Case {
    const char* json;
    bool holds;
  };
  const Case cases[] = {
      {R"({"a":1})", true},
      {R"({"b":1,"c":2})", true},
      {R"({"b":1})", false},
      {R"({})", false},
      {R"({"a":1,"created":"2016-05-12T08:17:27.000Z"})", true},
      {R"({"a":1,"created":"2016-05-12T08:17:27.12Z"})", false},
      {R"({"a":1,"created":"2016-05-12T08:17:27Z"})", false},
      {R"({"a":1,"created":5})", true},  // not a string: the schema's type rule speaks
      {R"({"a":1,"created":"2016-05-12T08:17:27.000Z","created":"2016-05-12T08:17:27Z"})", false},
      {R"({"a":1,"list":[{"x":1},"s",3]})", true},
      {R"({"a":1,"list":[{"x":1},{"y":1}]})", false},
      {R"({"a":1,"list":{"y":1}})", true},  // not an array: items do not apply
      {R"("not an object")", true},
  };
  for (const Case& c : cases) {
    rapidjson::Document doc;
    prose2stix::testing::ParseJson(&doc, c.json);
    REQUIRE_MESSAGE(!doc.HasParseError(), c.json);
    CHECK_MESSAGE(CallerChecksHold(doc, checks) == c.holds, c.json);
  }
}

}  // namespace
}  // namespace prose2stix::validate
