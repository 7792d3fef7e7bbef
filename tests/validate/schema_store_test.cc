// SchemaStore loading and its guards against RapidJSON 1.1.0's silent failures: ignored keywords,
// uncompilable patterns, unresolved or truncated cross-file $refs; the regex dialect the schemas may
// use; thread safety; and robustness on hostile values.
#include "prose2stix/validate/schema_store.h"

#include <rapidjson/document.h>
#include <rapidjson/internal/regex.h>

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "prose2stix/util/embedded.h"
#include "prose2stix/util/file.h"
#include "testutil.h"

namespace prose2stix::validate {
namespace {

constexpr const char* kUuid = "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";

// Writes `files` (name, text) into a fresh directory and returns it.
std::string WriteDir(const std::vector<std::pair<std::string, std::string>>& files) {
  std::string dir = testing::TempDir();
  for (const auto& [name, text] : files) REQUIRE(WriteFileAtomic(dir + "/" + name, text).ok());
  return dir;
}

std::string EmbeddedCommon() {
  std::string_view common = embedded::Find(embedded::schemas(), "common.json");
  REQUIRE(!common.empty());
  return std::string(common);
}

bool Valid(const SchemaStore& store, const std::string& json, const std::string& type,
           SchemaStore::SchemaError* error = nullptr) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());  // length-based: no SSE2 over-read past the buffer
  REQUIRE_MESSAGE(!d.HasParseError(), json);
  SchemaStore::SchemaError scratch;
  return store.Validate(d, type, error ? error : &scratch);
}

TEST_CASE("Embedded schemas load; types are the file stems; common.json is not a type") {
  auto store = SchemaStore::LoadEmbedded();
  REQUIRE_MESSAGE(store.ok(), store.status().ToString());
  std::vector<std::string> types = (*store)->Types();
  CHECK(std::is_sorted(types.begin(), types.end()));
  CHECK(std::find(types.begin(), types.end(), "threat-actor") != types.end());
  CHECK(std::find(types.begin(), types.end(), "bundle") != types.end());
  CHECK(std::find(types.begin(), types.end(), "common") == types.end());
  CHECK((*store)->ForType("indicator") != nullptr);
  CHECK((*store)->ForType("x-mitre-tactic") == nullptr);
  CHECK((*store)->ForType("") == nullptr);
  CHECK((*store)->ForType("common") == nullptr);
  // No schema: nothing to check, so the object passes.
  CHECK(Valid(**store, R"({"type":"x-mitre-tactic"})", "x-mitre-tactic"));
  // One embedded file per type plus common.json.
  CHECK(embedded::schemas().size() == types.size() + 1);
}

// RapidJSON 1.1.0 hands the provider "common.jso" for "common.json#/..." (Tencent/rapidjson#726). If
// the provider failed, the $ref would compile to an always-valid schema; these values must be rejected.
TEST_CASE("Cross-file $refs resolve and are enforced") {
  auto store = SchemaStore::LoadEmbedded();
  REQUIRE(store.ok());
  std::string base = std::string(R"({"type":"identity","spec_version":"2.1","id":"identity--)") + kUuid +
                     R"(","modified":"2016-05-12T08:17:27.000Z","name":"n","created":)";
  CHECK(Valid(**store, base + "\"2016-05-12T08:17:27.000Z\"}", "identity"));
  SchemaStore::SchemaError error;
  CHECK_FALSE(Valid(**store, base + "\"yesterday\"}", "identity", &error));
  CHECK(error.keyword == "pattern");
  CHECK(error.pointer == "/created");
  CHECK_FALSE(Valid(**store, base + "17}", "identity", &error));
  CHECK(error.keyword == "type");

  // The same through LoadDirectory, with a schema of our own referring into common.json.
  std::string probe = R"({"$schema":"http://json-schema.org/draft-04/schema#","type":"object",
    "properties":{"when":{"$ref":"common.json#/definitions/timestamp"},
                  "who":{"$ref":"common.json#/definitions/identity_ref"},
                  "list":{"$ref":"common.json#/definitions/identifier_list"}}})";
  std::string dir = WriteDir({{"common.json", EmbeddedCommon()}, {"probe.json", probe}});
  auto loaded = SchemaStore::LoadDirectory(dir);
  REQUIRE_MESSAGE(loaded.ok(), loaded.status().ToString());
  CHECK((*loaded)->Types() == std::vector<std::string>{"probe"});
  CHECK(Valid(**loaded, R"({"when":"2016-05-12T08:17:27Z"})", "probe"));
  CHECK_FALSE(Valid(**loaded, R"({"when":"2016-05-12"})", "probe"));
  CHECK(Valid(**loaded, std::string(R"({"who":"identity--)") + kUuid + "\"}", "probe"));
  CHECK_FALSE(Valid(**loaded, std::string(R"({"who":"tool--)") + kUuid + "\"}", "probe"));
  // identifier_list reaches a second, local $ref inside common.json.
  CHECK_FALSE(Valid(**loaded, R"({"list":["nope"]})", "probe", &error));
  CHECK(error.pointer == "/list/0");
}

TEST_CASE("LoadDirectory reports bad files by name and place") {
  struct Case {
    const char* what;
    std::string schema;   // the text of bad.json (common.json is always present)
    std::string message;  // expected in the Status message
    std::string place;    // expected at the end of the context, after "<dir>/"
  };
  const std::vector<Case> cases = {
      {"malformed JSON", "{\"type\": \"object\",\n \"properties\": {,}}",
       "malformed JSON: Missing a name for object member.", "bad.json: byte 35 (line 2, column 17)"},
      {"not an object", "[1, 2]", "a schema file must hold a JSON object", "bad.json"},
      {"const", R"({"properties":{"type":{"const":"x"}}})", "keyword 'const' is not enforced by RapidJSON 1.1.0",
       "bad.json: /properties/type/const"},
      {"$defs", R"({"properties":{},"$defs":{}})", "keyword '$defs' is not enforced", "bad.json: /$defs"},
      {"if/then", R"({"properties":{},"if":{"required":["a"]},"then":{"required":["b"]}})",
       "keyword 'if' is not enforced", "bad.json: /if"},
      {"format", R"({"properties":{"u":{"type":"string","format":"uri"}}})", "keyword 'format' is not enforced",
       "bad.json: /properties/u/format"},
      {"typo", R"({"properties":{},"requried":["a"]})", "keyword 'requried'", "bad.json: /requried"},
      {"draft-07", R"({"$schema":"http://json-schema.org/draft-07/schema#","properties":{}})",
       "only draft-04 schemas are supported", "bad.json: /$schema"},
      {"\\d", R"({"properties":{"n":{"type":"string","pattern":"^\\d+$"}}})",
       "pattern \"^\\d+$\" is not supported by RapidJSON 1.1.0's regex engine: unsupported escape at offset 1",
       "bad.json: /properties/n/pattern"},
      {"\\w in patternProperties", R"({"properties":{},"patternProperties":{"^\\w+$":{}}})", "unsupported escape",
       "bad.json: /patternProperties/^\\w+$"},
      {"unbalanced pattern", R"j({"properties":{"n":{"pattern":"(ab"}}})j", "unbalanced '('",
       "bad.json: /properties/n/pattern"},
      {"empty group", R"j({"properties":{"n":{"pattern":"a()b"}}})j", "empty alternative", "bad.json: /properties/n/pattern"},
      {"empty alternative", R"j({"properties":{"n":{"pattern":"a(|b)"}}})j", "empty alternative",
       "bad.json: /properties/n/pattern"},
      {"leading quantifier", R"({"properties":{"n":{"pattern":"{3}"}}})", "quantifier without an atom",
       "bad.json: /properties/n/pattern"},
      {"double quantifier", R"({"properties":{"n":{"pattern":"a+?"}}})", "repeated quantifier",
       "bad.json: /properties/n/pattern"},
      {"huge repetition", R"({"properties":{"n":{"pattern":"a{99999}"}}})", "bad repetition",
       "bad.json: /properties/n/pattern"},
      {"empty class", R"({"properties":{"n":{"pattern":"[]"}}})", "empty character class",
       "bad.json: /properties/n/pattern"},
      {"anchor inside", R"({"properties":{"n":{"pattern":"a^b"}}})", "anchor inside the pattern",
       "bad.json: /properties/n/pattern"},
      {"missing file", R"({"properties":{"n":{"$ref":"nowhere.json#/definitions/x"}}})",
       "$ref \"nowhere.json#/definitions/x\" names no loaded schema file", "bad.json: /properties/n/$ref"},
      {"missing definition", R"({"properties":{"n":{"$ref":"common.json#/definitions/no_such"}}})",
       "does not resolve to a schema", "bad.json: /properties/n/$ref"},
      {"missing local definition", R"({"properties":{"n":{"$ref":"#/definitions/x"}}})",
       "does not resolve to a schema", "bad.json: /properties/n/$ref"},
      {"$ref with siblings", R"({"properties":{"n":{"$ref":"common.json#/definitions/timestamp","minLength":30}}})",
       "keyword 'minLength' beside $ref would be ignored", "bad.json: /properties/n/minLength"},
      {"boolean schema", R"({"properties":{"n":true}})", "draft-04 has no boolean schemas",
       "bad.json: /properties/n"},
      {"numeric exclusiveMinimum", R"({"properties":{"n":{"minimum":0,"exclusiveMinimum":0}}})",
       "must be a boolean in draft-04", "bad.json: /properties/n/exclusiveMinimum"},
      {"bad type name", R"({"properties":{"n":{"type":"text"}}})", "must be a JSON Schema type name",
       "bad.json: /properties/n/type"},
      {"empty enum", R"({"properties":{"n":{"enum":[]}}})", "must be a non-empty array", "bad.json: /properties/n/enum"},
  };
  for (const Case& c : cases) {
    std::string dir = WriteDir({{"common.json", EmbeddedCommon()}, {"bad.json", c.schema}});
    auto loaded = SchemaStore::LoadDirectory(dir);
    REQUIRE_MESSAGE(!loaded.ok(), std::string(c.what));
    Status st = loaded.status();
    CHECK(st.code() == Status::Code::kInvalidInput);
    CHECK_MESSAGE(st.message().find(c.message) != std::string::npos, c.what << "\n  got: " << st.ToString());
    CHECK_MESSAGE(st.context() == dir + "/" + c.place, c.what << "\n  got: " << st.ToString());
  }
  CHECK(SchemaStore::LoadDirectory(testing::TempDir()).status().code() == Status::Code::kNotFound);
  CHECK(SchemaStore::LoadDirectory(testing::TempDir() + "/missing").status().code() == Status::Code::kNotFound);
}

// The pattern dialect of RapidJSON 1.1.0's regex engine, which the schema files must stay within.
TEST_CASE("RapidJSON regex dialect") {
  using rapidjson::internal::Regex;
  struct Case {
    const char* pattern;
    bool compiles;
  };
  for (const Case& c : std::vector<Case>{{"^[0-9]{4}-[a-f0-9]{2}$", true},
                                          {"^(ab|cd)?e+$", true},
                                          {"^a\\.b$", true},
                                          {"^[a-z0-9-]+$", true},
                                          {"^[A-Za-z0-9+/]*=?=?$", true},
                                          {"^\\d$", false},
                                          {"^\\w$", false},
                                          {"^\\s$", false},
                                          {"^[a\\-z]$", false},
                                          {"^(?:a)$", false},
                                          {"^a{0}$", false}}) {
    CHECK_MESSAGE(Regex(c.pattern).IsValid() == c.compiles, c.pattern);
  }
  Regex year("^[0-9]{4}$");
  CHECK(year.Search("2016"));
  CHECK_FALSE(year.Search("20167"));
  CHECK_FALSE(year.Search("x2016"));
  Regex unanchored("[0-9]{4}");
  CHECK(unanchored.Search("x2016y"));  // without ^ and $ a pattern matches anywhere
  Regex hyphen_last("^[a-z-]+$");
  CHECK(hyphen_last.Search("attack-pattern"));
  CHECK_FALSE(hyphen_last.Search("attack_pattern"));
}

TEST_CASE("Concurrent validation from many threads gives the same answers") {
  auto store = SchemaStore::LoadEmbedded();
  REQUIRE(store.ok());
  const SchemaStore& s = **store;
  std::string good = std::string(R"({"type":"relationship","spec_version":"2.1","id":"relationship--)") + kUuid +
                     R"(","created":"2016-05-12T08:17:27.000Z","modified":"2016-05-12T08:17:27.000Z",)"
                     R"("relationship_type":"uses","source_ref":"intrusion-set--)" + kUuid +
                     R"(","target_ref":"malware--)" + kUuid + "\"}";
  std::string bad = good;
  bad.replace(bad.find("uses"), 4, "USES");
  rapidjson::Document good_doc, bad_doc;
  good_doc.Parse(good.data(), good.size());
  bad_doc.Parse(bad.data(), bad.size());
  std::atomic<int> wrong{0};
  std::vector<const rapidjson::SchemaDocument*> seen(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      seen[static_cast<size_t>(t)] = s.ForType("relationship");
      for (int i = 0; i < 3000; ++i) {
        SchemaStore::SchemaError error;
        if (!s.Validate(good_doc, "relationship", &error)) ++wrong;
        if (s.Validate(bad_doc, "relationship", &error) || error.pointer != "/relationship_type") ++wrong;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  CHECK(wrong.load() == 0);
  for (size_t i = 1; i < seen.size(); ++i) CHECK(seen[i] != seen[0]);  // one compiled copy per thread
  CHECK(s.ForType("relationship") == s.ForType("relationship"));        // stable within a thread
}

TEST_CASE("Deeply nested custom values do not exhaust the stack") {
  auto store = SchemaStore::LoadEmbedded();
  REQUIRE(store.ok());
  const int depth = 20000;  // RapidJSON's schema walk is quadratic in depth: 200000 took minutes
  std::string json = std::string(R"({"type":"mutex","id":"mutex--)") + kUuid + R"(","name":"m","x_deep":)" +
                     std::string(depth, '[') + std::string(depth, ']') + "}";
  rapidjson::Document d;
  d.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  REQUIRE(!d.HasParseError());
  SchemaStore::SchemaError error;
  CHECK((*store)->Validate(d, "mutex", &error));
  d["name"].SetInt(3);
  CHECK_FALSE((*store)->Validate(d, "mutex", &error));
  CHECK(error.pointer == "/name");
  // The Document's pool allocator releases the nested value without recursion.
}

TEST_CASE("Stores are independent and may be destroyed while others live") {
  auto a = SchemaStore::LoadEmbedded();
  REQUIRE(a.ok());
  const rapidjson::SchemaDocument* first = (*a)->ForType("tool");
  CHECK(first != nullptr);
  {
    auto b = SchemaStore::LoadEmbedded();
    REQUIRE(b.ok());
    CHECK((*b)->ForType("tool") != first);
    CHECK(Valid(**b, std::string(R"({"type":"mutex","id":"mutex--)") + kUuid + R"(","name":"m"})", "mutex"));
  }
  CHECK((*a)->ForType("tool") == first);
  CHECK(Valid(**a, std::string(R"({"type":"mutex","id":"mutex--)") + kUuid + R"(","name":"m"})", "mutex"));
}

}  // namespace
}  // namespace prose2stix::validate
