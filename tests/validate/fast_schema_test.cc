// FastSchema: wherever it says an object conforms, RapidJSON's schema validator must accept it
// too (both on the lean schemas SchemaStore validates with). Checked on the sample bundles' objects, the
// ATT&CK ICS objects, and on every one of them with each member (top-level and one level down)
// removed or replaced by values of every JSON type; plus small schemas for each keyword.
#include "prose2stix/validate/fast_schema.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "prose2stix/util/embedded.h"
#include "prose2stix/util/file.h"
#include "prose2stix/validate/lean_schemas.h"
#include "testutil.h"

namespace prose2stix::validate {
namespace {

std::string Json(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return std::string(sb.GetString(), sb.GetSize());
}

// The embedded schema files, lean (lean_schemas.h, as SchemaStore validates objects the semantic
// checks passed), with a FastSchema and a RapidJSON SchemaDocument per STIX type.
struct Schemas : rapidjson::IRemoteSchemaDocumentProvider {
  std::vector<std::string> names;
  std::vector<std::unique_ptr<rapidjson::Document>> originals;
  std::vector<std::unique_ptr<rapidjson::Document>> lean;  // null: same as the original
  std::vector<std::unique_ptr<rapidjson::SchemaDocument>> compiled;
  std::map<std::string, std::pair<size_t, FastSchema>> fast;
  // The same with the caller checks of the lean copy (as SchemaStore uses them).
  std::vector<CallerChecks> caller_checks;
  std::map<std::string, FastSchema> fast_with_caller_checks;

  const rapidjson::Value& Doc(size_t i) const { return lean[i] ? *lean[i] : *originals[i]; }

  const rapidjson::SchemaDocument* Compiled(size_t i) {
    if (!compiled[i]) compiled[i] = std::make_unique<rapidjson::SchemaDocument>(Doc(i), this);
    return compiled[i].get();
  }
  // RapidJSON 1.1.0 passes the file name one character short (see schema_store.cc).
  const rapidjson::SchemaDocument* GetRemoteDocument(const char* uri, rapidjson::SizeType length) override {
    std::string_view asked(uri, length);
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == asked ||
          (names[i].size() == asked.size() + 1 && names[i].compare(0, asked.size(), asked) == 0)) {
        return Compiled(i);
      }
    }
    return nullptr;
  }

  Schemas() {
    std::vector<std::string> types;
    for (const embedded::File& f : embedded::schemas()) {
      names.emplace_back(f.name);
      originals.push_back(std::make_unique<rapidjson::Document>());
      originals.back()->Parse(f.data.data(), f.data.size());
      REQUIRE(!originals.back()->HasParseError());
      types.push_back(originals.back()->HasMember("properties")
                          ? names.back().substr(0, names.back().size() - 5)
                          : std::string());
    }
    std::vector<SchemaFile> files;
    for (size_t i = 0; i < names.size(); ++i) files.push_back({names[i], types[i], originals[i].get()});
    lean = LeanSchemas(files, nullptr, &caller_checks);
    compiled.resize(names.size());
    FastSchema::Resolver resolve = [this](int file,
                                          std::string_view ref) -> std::pair<int, const rapidjson::Value*> {
      size_t hash = ref.find('#');
      std::string_view name = ref.substr(0, hash);
      int target = file;
      if (!name.empty()) {
        target = -1;
        for (size_t i = 0; i < names.size(); ++i) {
          if (names[i] == name) target = static_cast<int>(i);
        }
      }
      if (target < 0) return {-1, nullptr};
      std::string_view ptr = hash == std::string_view::npos ? std::string_view() : ref.substr(hash + 1);
      return {target, rapidjson::Pointer(ptr.data(), ptr.size()).Get(Doc(static_cast<size_t>(target)))};
    };
    for (size_t i = 0; i < names.size(); ++i) {
      if (types[i].empty()) continue;
      fast.emplace(types[i], std::make_pair(i, FastSchema::Compile(static_cast<int>(i), Doc(i), resolve)));
      FastSchema with = FastSchema::Compile(static_cast<int>(i), Doc(i), resolve);
      if (!with.usable()) continue;  // a root keyword it does not implement (artifact's oneOf)
      REQUIRE_MESSAGE(with.AddCallerChecks(caller_checks[i]), types[i]);
      fast_with_caller_checks.emplace(types[i], std::move(with));
    }
  }

  // RapidJSON's verdict on the same lean schema.
  bool RapidJsonAccepts(const rapidjson::Value& object, size_t index) {
    rapidjson::SchemaValidator validator(*Compiled(index));
    object.Accept(validator);
    return validator.IsValid();
  }
};

Schemas& TheSchemas() {
  static Schemas schemas;  // destroyed at exit, so that the leak checker sees everything freed
  return schemas;
}

struct Tally {
  int conform = 0, unsure = 0, compared = 0, conform_with_caller_checks = 0;
};

// Compares the two on `object` (whose "type" names its schema).
void Compare(const rapidjson::Value& object, Tally* tally) {
  if (!object.IsObject() || !object.HasMember("type") || !object["type"].IsString()) return;
  const std::string type = object["type"].GetString();
  Schemas& s = TheSchemas();
  auto it = s.fast.find(type);
  if (it == s.fast.end()) return;
  ++tally->compared;
  if (it->second.second.Conforms(object)) {
    ++tally->conform;
    CHECK_MESSAGE(s.RapidJsonAccepts(object, it->second.first),
                  "FastSchema accepts what RapidJSON rejects: " << Json(object));
  } else {
    ++tally->unsure;
  }
  // With the caller checks: a "conforms" also implies CallerChecksHold().
  auto with = s.fast_with_caller_checks.find(type);
  if (with != s.fast_with_caller_checks.end() && with->second.Conforms(object)) {
    ++tally->conform_with_caller_checks;
    CHECK_MESSAGE(CallerChecksHold(object, s.caller_checks[it->second.first]),
                  "FastSchema accepts what the caller checks reject: " << Json(object));
    CHECK_MESSAGE(s.RapidJsonAccepts(object, it->second.first),
                  "FastSchema accepts what RapidJSON rejects: " << Json(object));
  }
}

// Replacement values of every JSON type, and strings that trip each implemented keyword.
const char* const kValues[] = {
    "null",
    "true",
    "false",
    "0",
    "-1",
    "50",
    "101",
    "1.5",
    "-90.5",
    "9223372036854775808",
    "\"\"",
    "\"x\"",
    "\"2.1\"",
    "\"threat-report\"",
    "\"uses\"",
    "\"USES\"",
    "\"2016-05-12T08:17:27Z\"",
    "\"2016-05-12T08:17:27.1Z\"",
    "\"2016-05-12T08:17:27.123Z\"",
    "[{\"source_name\":\"s\",\"hashes\":{\"MD5\":\"x\"}}]",
    "\"new-sdo\"",
    "\"\\u00e9\\u00e9\"",
    "\"0123456789abcdef0123456789abcdef\"",
    "\"0123456789abcdef0123456789abcdeg\"",
    "\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"",
    "[]",
    "[\"a\"]",
    "[1]",
    "[{}]",
    "[{\"source_name\":\"s\",\"url\":\"u\"}]",
    "[{\"source_name\":\"s\"}]",
    "{}",
    "{\"a\":1}",
    "{\"SHA-256\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}",
    "{\"MD5\":\"0\"}"};

// Every variant of `object` with one member (top level, or one level down) removed or replaced.
void Mutate(rapidjson::Document& doc, rapidjson::Value& at, int level, Tally* tally) {
  if (at.IsObject()) {
    for (rapidjson::SizeType m = 0; m < at.MemberCount(); ++m) {
      rapidjson::Value saved;
      saved.CopyFrom((at.MemberBegin() + m)->value, doc.GetAllocator());
      for (const char* text : kValues) {
        rapidjson::Document replacement;
        testing::ParseJson(&replacement, std::string(text));
        REQUIRE(!replacement.HasParseError());
        (at.MemberBegin() + m)->value.CopyFrom(replacement, doc.GetAllocator());
        Compare(doc, tally);
      }
      (at.MemberBegin() + m)->value.CopyFrom(saved, doc.GetAllocator());
      if (level == 0) Mutate(doc, (at.MemberBegin() + m)->value, 1, tally);
    }
    // Removal: move the member out and back in at the end.
    for (rapidjson::SizeType m = 0; m < at.MemberCount(); ++m) {
      rapidjson::Value name, value;
      name.CopyFrom((at.MemberBegin() + m)->name, doc.GetAllocator());
      value.CopyFrom((at.MemberBegin() + m)->value, doc.GetAllocator());
      at.EraseMember(at.MemberBegin() + m);
      Compare(doc, tally);
      at.AddMember(name, value, doc.GetAllocator());
    }
  } else if (at.IsArray() && level == 1 && !at.Empty()) {
    Mutate(doc, at[0], 0 + 2, tally);  // the first element's members, no deeper
    for (const char* text : kValues) {
      rapidjson::Value saved;
      saved.CopyFrom(at[0], doc.GetAllocator());
      rapidjson::Document replacement;
      testing::ParseJson(&replacement, std::string(text));
      at[0].CopyFrom(replacement, doc.GetAllocator());
      Compare(doc, tally);
      at[0].CopyFrom(saved, doc.GetAllocator());
    }
  }
}

void CompareBundle(const std::string& text, bool mutate, Tally* tally) {
  rapidjson::Document bundle;
  testing::ParseJson(&bundle, text);
  REQUIRE(!bundle.HasParseError());
  REQUIRE(bundle.HasMember("objects"));
  for (auto& object : bundle["objects"].GetArray()) {
    rapidjson::Document one;
    one.CopyFrom(object, one.GetAllocator());
    Compare(one, tally);
    if (mutate) Mutate(one, one, 0, tally);
  }
}

TEST_CASE("FastSchema never accepts what RapidJSON rejects: sample bundles, every member spoiled") {
  Tally tally;
  for (const char* name :
       {"advisories-feed.xml.json", "energy-sector-alert.pdf.json", "ransomware-healthcare.md.json",
        "telecom-espionage.html.json", "volt-typhoon-utilities.txt.json"}) {
    Tally one;
    CompareBundle(testing::ReadTestFile(testing::SourceDir() + "/samples/expected/" + name), false, &one);
    // The converter's own objects are all decided by the fast path.
    CHECK_MESSAGE(one.unsure == 0, name);
    CHECK_MESSAGE(one.conform > 5, name);
    CompareBundle(testing::ReadTestFile(testing::SourceDir() + "/samples/expected/" + name), true, &tally);
  }
  MESSAGE(tally.compared << " objects compared, " << tally.conform << " conform, " << tally.unsure
                         << " unsure, " << tally.conform_with_caller_checks
                         << " conform with the caller checks");
  CHECK(tally.conform > 1000);
  CHECK(tally.conform_with_caller_checks > 1000);
  CHECK(tally.conform_with_caller_checks < tally.conform);
  CHECK(tally.unsure > 1000);  // the spoiled ones
}

TEST_CASE("FastSchema never accepts what RapidJSON rejects: ATT&CK ICS objects") {
  if (!testing::SharedAvailable()) {
    MESSAGE("../shared not available: skipped");
    return;
  }
  Tally tally;
  CompareBundle(testing::ReadTestFile(testing::SharedDir() + "/data/attack/ics-attack.json"), false, &tally);
  MESSAGE(tally.compared << " objects compared, " << tally.conform << " conform, " << tally.unsure
                         << " unsure");
  CHECK(tally.conform > 500);
}

// Small schemas, one keyword each: {schema, value, conforms}. Every "conforms" is also checked
// against RapidJSON.
TEST_CASE("FastSchema keywords") {
  struct Case {
    const char* schema;
    const char* value;
    bool conforms;
  };
  const Case cases[] = {
      {R"({"type":"string"})", R"("a")", true},
      {R"({"type":"string"})", "1", false},
      {R"({"type":"integer"})", "1", true},
      {R"({"type":"integer"})", "1.0", false},
      {R"({"type":"number"})", "1", true},
      {R"({"type":"number"})", "1.5", true},
      {R"({"type":["string","null"]})", "null", true},
      {R"({"enum":["a","b"]})", R"("b")", true},
      {R"({"enum":["a","b"]})", R"("c")", false},
      {R"({"enum":[1]})", "1", false},  // non-string enums: unsure
      {R"({"required":["a"]})", R"({"a":1})", true},
      {R"({"required":["a"]})", R"({"b":1})", false},
      {R"({"required":["a"],"additionalProperties":false})", R"({"a":1})", true},  // as RapidJSON
      {R"({"properties":{"a":{"type":"string"}},"additionalProperties":false})", R"({"a":"x"})", true},
      {R"({"properties":{"a":{"type":"string"}},"additionalProperties":false})", R"({"b":"x"})", false},
      {R"({"properties":{"a":{"type":"string"}}})", R"({"a":1})", false},
      {R"({"additionalProperties":{"type":"string"}})", R"({"a":"x","b":"y"})", true},
      {R"({"additionalProperties":{"type":"string"}})", R"({"a":"x","b":2})", false},
      {R"({"minProperties":1})", R"({})", false},
      {R"({"maxProperties":1})", R"({"a":1,"b":2})", false},
      {R"({"items":{"type":"string"},"minItems":1})", R"(["a"])", true},
      {R"({"items":{"type":"string"},"minItems":1})", R"([])", false},
      {R"({"items":{"type":"string"}})", R"(["a",1])", false},
      {R"({"maxItems":1})", R"([1,2])", false},
      {R"({"items":[{"type":"string"}]})", R"(["a"])", false},  // tuples: unsure
      {R"({"minLength":2})", R"("\u00e9\u00e9")", true},
      {R"({"minLength":3})", R"("\u00e9\u00e9")", false},
      {R"({"maxLength":2})", R"("\u00e9\u00e9")", true},
      {R"({"maxLength":1})", R"("\u00e9\u00e9")", false},
      {R"({"minimum":0,"maximum":100})", "100", true},
      {R"({"minimum":0,"maximum":100})", "101", false},
      {R"({"minimum":0,"maximum":100})", "-1", false},
      {R"({"minimum":0})", "0.5", false},  // doubles against bounds: unsure
      {R"({"pattern":"^[0-9a-fA-F]{4}$"})", R"("0aF9")", true},
      {R"({"pattern":"^[0-9a-fA-F]{4}$"})", R"("0aF")", false},
      {R"({"pattern":"^[0-9a-fA-F]{4}$"})", R"("0aFg")", false},
      {R"({"pattern":"^[a-z]{2,3}$"})", R"("abc")", true},
      {R"({"pattern":"^[a-z]{2,3}$"})", R"("abcd")", false},
      {R"({"pattern":"^[a-z]+$"})", R"("")", false},
      {R"({"pattern":"^[a-z]*$"})", R"("")", true},
      {R"({"pattern":"^[a-z0-9-]+$"})", R"("a-b")", false},  // '-' outside a range: unsure
      {R"({"pattern":"^a.*$"})", R"("ab")", false},          // other patterns: unsure
      {R"({"dependencies":{"a":["b"]}})", R"({"a":1,"b":2})", true},
      {R"({"dependencies":{"a":["b"]}})", R"({"a":1})", false},
      {R"({"dependencies":{"a":["b"]}})", R"({"b":1})", true},
      {R"({"dependencies":{"a":{"required":["b"]}}})", R"({"b":1})", false},  // schema form: unsure
      {R"({"allOf":[{"type":"object"},{"required":["a"]}]})", R"({"a":1})", true},
      {R"({"allOf":[{"type":"object"},{"required":["a"]}]})", R"({"b":1})", false},
      {R"({"anyOf":[{"required":["a"]},{"required":["b"]}]})", R"({"b":1})", true},
      {R"({"anyOf":[{"required":["a"]},{"required":["b"]}]})", R"({"c":1})", false},
      {R"({"oneOf":[{"required":["a"]}]})", R"({"a":1})", false},  // unsure
      {R"({"not":{}})", R"(1)", false},
      {R"({"definitions":{"s":{"type":"string"}},"properties":{"a":{"$ref":"#/definitions/s"}}})",
       R"({"a":"x"})", true},
      {R"({"definitions":{"s":{"type":"string"}},"properties":{"a":{"$ref":"#/definitions/s"}}})",
       R"({"a":1})", false},
      {R"({"definitions":{"t":{"items":{"$ref":"#/definitions/t"}}},"$ref":"#/definitions/t"})", R"([[[]]])",
       true},
      {R"({"title":"t","description":"d"})", R"({"any":[1]})", true},
  };
  for (const Case& c : cases) {
    rapidjson::Document schema, value;
    testing::ParseJson(&schema, std::string(c.schema));
    testing::ParseJson(&value, std::string(c.value));
    REQUIRE_MESSAGE(!schema.HasParseError(), c.schema);
    REQUIRE_MESSAGE(!value.HasParseError(), c.value);
    FastSchema::Resolver resolve = [&](int, std::string_view ref) -> std::pair<int, const rapidjson::Value*> {
      std::string_view ptr = ref.substr(ref.find('#') + 1);
      return {0, rapidjson::Pointer(ptr.data(), ptr.size()).Get(schema)};
    };
    FastSchema fast = FastSchema::Compile(0, schema, resolve);
    CHECK_MESSAGE(fast.Conforms(value) == c.conforms, c.schema << " on " << c.value);
    if (c.conforms) {
      rapidjson::SchemaDocument doc(schema);
      rapidjson::SchemaValidator validator(doc);
      value.Accept(validator);
      CHECK_MESSAGE(validator.IsValid(), "RapidJSON rejects " << c.value << " for " << c.schema);
    }
  }
}

TEST_CASE("FastSchema leaves values nested beyond its depth to RapidJSON") {
  rapidjson::Document schema, value;
  testing::ParseJson(
      &schema,
      std::string(R"({"definitions":{"t":{"items":{"$ref":"#/definitions/t"}}},"$ref":"#/definitions/t"})"));
  FastSchema::Resolver resolve = [&](int, std::string_view ref) -> std::pair<int, const rapidjson::Value*> {
    std::string_view ptr = ref.substr(ref.find('#') + 1);
    return {0, rapidjson::Pointer(ptr.data(), ptr.size()).Get(schema)};
  };
  FastSchema fast = FastSchema::Compile(0, schema, resolve);
  std::string deep(FastSchema::kMaxDepth + 5, '[');
  deep += std::string(FastSchema::kMaxDepth + 5, ']');
  testing::ParseJson(&value, deep);
  REQUIRE(!value.HasParseError());
  CHECK_FALSE(fast.Conforms(value));
  testing::ParseJson(&value, std::string("[[[]]]"));
  CHECK(fast.Conforms(value));
}

}  // namespace
}  // namespace prose2stix::validate
