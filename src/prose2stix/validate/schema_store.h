// SchemaStore: the project's STIX 2.1 JSON Schemas (schemas/stix2.1/*.json), compiled for RapidJSON.
//
// Every schema file is draft-04 (RapidJSON 1.1.0 implements nothing newer). A file whose root schema
// declares "properties" is the schema of the STIX type named by its file stem ("threat-actor.json"
// -> "threat-actor", "bundle.json" -> "bundle"); other files (common.json) only hold shared
// "definitions" that the type schemas reach with cross-file $refs like
// "common.json#/definitions/timestamp". Loading checks what RapidJSON would silently get wrong: a
// keyword it ignores (const, if, $defs, format, ...), a pattern its regex engine cannot compile, a
// $ref that does not resolve, a $ref with sibling keywords. Any of these fails the load, naming the
// file and the JSON pointer inside it, so a compiled schema never accepts more than it says.
//
// Threads: a SchemaStore is immutable after loading and may be shared between threads. RapidJSON
// 1.1.0's regex engine keeps its match state inside the compiled pattern, so one compiled
// rapidjson::SchemaDocument must not validate on two threads at once; the store therefore compiles
// one private copy of each schema per calling thread, on that thread's first use of the schema,
// and of the lean schemas (lean_schemas.h) on the thread's first Checks::kLean validation of
// the type, each with its FastSchema (fast_schema.h), which Validate() asks first. (Loading
// compiles every full schema once, to prove they all compile.) ForType()
// returns the calling thread's copy: use it on that thread only. The pointers stay valid until
// the store is destroyed.
//
// This header is internal to validate/ and exposes RapidJSON types.
#ifndef PROSE2STIX_VALIDATE_SCHEMA_STORE_H_
#define PROSE2STIX_VALIDATE_SCHEMA_STORE_H_

#include <rapidjson/document.h>
#include <rapidjson/schema.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "prose2stix/util/result.h"
#include "prose2stix/validate/lean_schemas.h"
#include "prose2stix/validate/vocabularies.h"

namespace prose2stix::validate {

class FastSchema;

class SchemaStore {
 public:
  // A schema violation found by Validate().
  struct SchemaError {
    // JSON pointer inside the validated object: the offending value ("/created",
    // "/external_references/0/source_name"), the missing member for "required" ("/created"), or ""
    // for a rule on the whole object (e.g. a location without region, country or coordinates).
    std::string pointer;
    // The draft-04 keyword that failed: "required", "type", "pattern", "enum", "minItems", "anyOf",
    // "oneOf", "not", "dependencies", "minimum", ...
    std::string keyword;
    // One sentence for a person, e.g. "'created' must be a timestamp like 2016-05-12T08:17:27.000Z
    // (UTC, at least millisecond precision)" or "missing required property 'created'".
    std::string message;
  };

  // Compiles the schemas embedded in the binary (prose2stix::embedded::schemas()).
  static Result<std::unique_ptr<SchemaStore>> LoadEmbedded();
  // Compiles every *.json file in `dir` (for --schemas DIR); names are paths relative to `dir`, as
  // used by cross-file $refs. Errors name the file and, for malformed JSON, the parse error with its
  // byte offset, line and column; for bad schemas, the JSON pointer of the offending keyword.
  static Result<std::unique_ptr<SchemaStore>> LoadDirectory(const std::string& dir);

  SchemaStore(const SchemaStore&) = delete;
  SchemaStore& operator=(const SchemaStore&) = delete;
  ~SchemaStore();

  // The calling thread's compiled schema for a STIX type ("threat-actor", "bundle", ...), or nullptr
  // when there is none (custom types such as "x-mitre-tactic").
  const rapidjson::SchemaDocument* ForType(std::string_view type) const;

  // Which schemas Validate() runs.
  enum class Checks : uint8_t {
    kFull,  // the schemas as written
    // The lean schemas (lean_schemas.h): no regex on identifiers, references and timestamps that
    // CheckObject() parses. Same verdict and first error as kFull, but only for an object with a
    // single "id" member for which CheckObject() reported no error.
    kLean,
  };

  // Validates one parsed object against the schema of `type`. Returns true when it conforms, and also
  // when there is no schema for `type` (nothing to check: see ForType). Otherwise returns false and,
  // when `error` is not null, fills it with the first violation RapidJSON reports. Never recurses on
  // the object's nesting depth. `may_hold_nul` false promises that no string value of `object`
  // holds a NUL character (which then need not be looked for; see the .cc).
  bool Validate(const rapidjson::Value& object, std::string_view type, SchemaError* error,
                Checks checks = Checks::kFull, bool may_hold_nul = true) const;

  // The STIX types that have a schema, sorted.
  std::vector<std::string> Types() const;
  // Whether `type` has a schema (one hash lookup; custom types have none).
  bool HasSchema(std::string_view type) const { return TypeIndex(type) >= 0; }

 private:
  struct Source {
    std::string name;      // file name relative to the schema folder, e.g. "common.json"
    std::string type;      // STIX type for type schemas, empty for definition-only files
    rapidjson::Document json;
    // lean_schemas.h; null when the same as json. Made by EnsureLean(), under mu_; read once
    // lean_made was seen true under mu_ (each thread notes that in its Compiled).
    mutable std::unique_ptr<rapidjson::Document> lean;
    // What the lean copy leaves to Validate() (lean_schemas.h); made with `lean`.
    mutable CallerChecks lean_checks;
    mutable bool lean_made = false;  // guarded by mu_
  };
  class Compiled;  // one thread's compiled documents, in the order of sources_
  class RefProvider;

  SchemaStore();
  // `files` holds (name, text) pairs; `origin` prefixes names in error messages ("embedded:", "dir/").
  static Result<std::unique_ptr<SchemaStore>> Load(
      const std::vector<std::pair<std::string, std::string_view>>& files, std::string_view origin);
  Result<std::unique_ptr<Compiled>> Compile(Checks checks) const;
  // The calling thread's compiled schemas, each compiled on its first use by Doc().
  const Compiled& Local(Checks checks) const;
  // The compiled schema of sources_[index] in `compiled` (the calling thread's), compiled now
  // (with the files it refers to) if it was not yet.
  const rapidjson::SchemaDocument& Doc(const Compiled& compiled, Checks checks, size_t index) const;
  // The FastSchema (fast_schema.h) of the lean sources Doc() compiles for sources_[index], made on
  // first use, which also tests the caller checks (Source::lean_checks). nullptr when it cannot
  // help. (None is made from the full schemas: their identifier pattern is one FastSchema leaves
  // to RapidJSON, so it could never answer "conforms".)
  const FastSchema* Fast(const Compiled& compiled, size_t index) const;
  // Makes Source::lean and lean_checks of sources_[index] if they are not yet; takes mu_.
  void EnsureLean(size_t index) const;
  int SourceIndex(std::string_view name) const;
  int TypeIndex(std::string_view type) const;
  void Describe(const rapidjson::Value& object, int source, std::string pointer, std::string keyword,
                SchemaError* error) const;

  std::vector<Source> sources_;                  // sorted by name
  std::vector<std::pair<std::string, int>> types_;  // (type, index into sources_), sorted by type
  // The same as a hash map, for TypeIndex() on every validated object (looked up by string_view).
  std::unordered_map<std::string, int, NameHash, std::equal_to<>> type_index_;
  uint64_t serial_ = 0;                          // unique per store, keys the thread-local cache

  mutable std::mutex mu_;
  // Per thread, compiled on first use; guarded by mu_.
  mutable std::map<std::thread::id, std::unique_ptr<Compiled>> compiled_;       // Checks::kFull
  mutable std::map<std::thread::id, std::unique_ptr<Compiled>> compiled_lean_;  // Checks::kLean
};

}  // namespace prose2stix::validate

#endif  // PROSE2STIX_VALIDATE_SCHEMA_STORE_H_
