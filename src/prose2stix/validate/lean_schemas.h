// Lean schemas: copies of the STIX type schemas without the "pattern" keywords that the semantic
// checks (semantic_checks.h) already enforce at least as strictly, so that the validator spends
// no regex time on identifiers, references and timestamps it has parsed anyway.
//
// A lean schema gives exactly the full schema's verdict and first error on an object for which
// CheckObject() reported no error and that has a single "id" member, because on such an object
// every pattern it drops holds:
//  - "id" at the top of a type schema, when the pattern is an identifier pattern admitting that
//    type: CheckObject parses the (first) id and compares its type (012);
//  - a reference property (a *_ref string, the items of a *_refs array) that the semantic checks
//    know, nested anywhere but inside combinators, when the pattern is an identifier pattern
//    admitting every type the check allows: CheckObject parses every reference (015) and checks
//    its target type (014);
//  - a top-level timestamp property CheckObject parses (013), when the pattern is the schemas'
//    timestamp pattern; the millisecond-precision pattern becomes a check of the fraction alone.
// With caller checks, a top-level property's pattern that is one ASCII character class repeated
// ("^[a-z0-9-]+$", relationship_type's) is also left to the caller, who tests it byte by byte.
// Identifier patterns are "^<type>--<uuid>$", "^(<type>|<type>...)--<uuid>$" and
// "^[a-z0-9]+(-[a-z0-9]+)*--<uuid>$" with the schemas' RFC 4122 UUID pattern; any other pattern
// is kept. $refs on the way to a dropped pattern are replaced by a copy of their target, so shared
// definitions keep their patterns wherever else they are used.
#ifndef PROSE2STIX_VALIDATE_LEAN_SCHEMAS_H_
#define PROSE2STIX_VALIDATE_LEAN_SCHEMAS_H_

#include <rapidjson/document.h>

#include <bitset>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace prose2stix::validate {

// One schema file as SchemaStore loaded it.
struct SchemaFile {
  std::string_view name;  // the name cross-file $refs use ("common.json")
  std::string_view type;  // the STIX type it is the schema of, "" for definition-only files
  const rapidjson::Value* root = nullptr;
};

// Checks a lean copy leaves to its caller, when LeanSchemas() is given `caller_checks`.
struct CallerChecks {
  // Top-level properties whose string values must pass HasMillisecondFraction() (the
  // millisecond-precision timestamp pattern, relaxed to a check of the fraction).
  std::vector<std::string> millisecond_props;
  // An "anyOf" whose every branch is {"required": [...]} alone: it holds exactly when the value
  // is not an object or has every property of at least one branch.
  struct RequiredAnyOf {
    bool root = false;  // applies to the object itself; else to each element of the array `prop`
    std::string prop;   // a top-level property
    std::vector<std::vector<std::string>> branches;
  };
  std::vector<RequiredAnyOf> required_any_of;
  // Top-level properties whose string values must be one or more bytes of `allowed` (ASCII), as
  // the dropped pattern "^[<class>]+$" requires.
  struct CharClass {
    std::string prop;
    std::bitset<128> allowed;
  };
  std::vector<CharClass> char_class_props;
};

// True when `object` passes every check of `checks` (HasMillisecondFraction on the listed string
// members, the RequiredAnyOf rules, the character classes); then the lean copy gives the full schema's
// verdict and first error on an object that CheckObject() passed with a single "id".
bool CallerChecksHold(const rapidjson::Value& object, const CallerChecks& checks);

// The lean copy of each file, in the order of `files`: nullptr for a file with nothing to drop
// (use the original). `changes`, when given, receives one line per dropped or relaxed pattern
// (and per dropped anyOf): "<file>: <JSON pointer of the schema node in the lean copy>:
// dropped|relaxed <pattern>".
//
// The millisecond-precision timestamp pattern is relaxed to a check of the fraction alone.
// Without `caller_checks` the lean copy keeps that check as the pattern "^.{19}\\.[0-9]{3}" and
// keeps every anyOf; with it, (*caller_checks)[i] receives what the lean copy of files[i] leaves
// out and its caller must test with CallerChecksHold(): the millisecond checks, and the
// required-only anyOfs of the type schema itself and of the items of its top-level arrays
// (location's "region, country or latitude and longitude", external references' "description,
// url or external_id"), which RapidJSON evaluates with one sub-validator per branch, and the
// character-class patterns of top-level properties, which it runs through its regex engine.
std::vector<std::unique_ptr<rapidjson::Document>> LeanSchemas(std::span<const SchemaFile> files,
                                                              std::vector<std::string>* changes = nullptr,
                                                              std::vector<CallerChecks>* caller_checks = nullptr);
// The same for files[index] alone (the other files serve its $refs); `caller_checks` receives
// what that lean copy leaves out.
std::unique_ptr<rapidjson::Document> LeanSchema(std::span<const SchemaFile> files, size_t index,
                                                std::vector<std::string>* changes = nullptr,
                                                CallerChecks* caller_checks = nullptr);

// The relaxed millisecond check on a timestamp CheckObject() parsed ("YYYY-MM-DDTHH:MM:SS", an
// optional fraction, "Z"): true when the fraction has at least three digits.
bool HasMillisecondFraction(std::string_view timestamp);

}  // namespace prose2stix::validate

#endif  // PROSE2STIX_VALIDATE_LEAN_SCHEMAS_H_
