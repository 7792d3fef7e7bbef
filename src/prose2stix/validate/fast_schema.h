// FastSchema: a quick pre-check that proves an object conforms to a draft-04 schema, so that
// SchemaStore::Validate() can skip RapidJSON's schema validator for it.
//
// RapidJSON's GenericSchemaValidator is driven by SAX events: every member name is written into a
// JSON pointer and taken out again, every property is found by a linear scan with string
// compares, and each value pushes and pops a validation context. For the small, well-formed
// objects the converter writes (and most objects of any bundle) that is most of the gate's cost.
// A FastSchema is the same schema compiled into a flat table of nodes and checked by walking the
// already-built DOM: properties are found through a small hash table, required properties are
// ticked off in a bitset, and nothing is allocated.
//
// It is deliberately one-sided. It implements only the keywords whose RapidJSON 1.1.0 semantics
// are simple and certain (type, enum of strings, properties, additionalProperties, required,
// minProperties/maxProperties, dependencies on properties, items as one schema, minItems/maxItems,
// minLength/maxLength in code points, integer minimum/maximum, patterns that are one repeated
// ASCII character class such as ^[0-9a-fA-F]{64}$, allOf, anyOf, $ref), and answers only
// "conforms" or "unsure". Any other keyword or form (other patterns, patternProperties, oneOf,
// not, schema dependencies, uniqueItems, ...), a
// value it cannot decide cheaply, a violation, or nesting deeper than kMaxDepth gives "unsure",
// and the caller then runs RapidJSON, which gives the verdict and the error exactly as before.
// So a FastSchema can make validation faster, never different: wherever it says "conforms",
// RapidJSON agrees (tests/validate/fast_schema_test.cc compares the two on mutated objects).
//
// Thread safety: immutable after Compile(); Conforms() may be called from many threads.
// This header is internal to validate/ and exposes RapidJSON types.
#ifndef PROSE2STIX_VALIDATE_FAST_SCHEMA_H_
#define PROSE2STIX_VALIDATE_FAST_SCHEMA_H_

#include <rapidjson/document.h>

#include <bitset>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "prose2stix/validate/lean_schemas.h"

namespace prose2stix::validate {

class FastSchema {
 public:
  // Where a $ref leads: the index of the file holding the target and the target schema, or
  // {-1, nullptr} when it does not resolve. `file` is the index of the file holding the $ref,
  // `ref` its text ("common.json#/definitions/timestamp", "#/definitions/hash").
  using Resolver = std::function<std::pair<int, const rapidjson::Value*>(int file, std::string_view ref)>;

  // Values nested deeper than this (counting from the object) are left to RapidJSON.
  static constexpr int kMaxDepth = 32;

  // Compiles `root`, the schema held by file `file`; `resolve` is only called during Compile().
  static FastSchema Compile(int file, const rapidjson::Value& root, const Resolver& resolve);

  // Move-only: the property tables point into the nodes' strings.
  FastSchema(FastSchema&&) = default;
  FastSchema& operator=(FastSchema&&) = default;
  FastSchema(const FastSchema&) = delete;
  FastSchema& operator=(const FastSchema&) = delete;

  // True when `value` certainly conforms to the schema (RapidJSON would accept it); false when
  // it may not (unsure: ask RapidJSON).
  bool Conforms(const rapidjson::Value& value) const;

  // Makes Conforms() also require `checks` (lean_schemas.h: the checks a lean schema leaves to its
  // caller), tested as the object's members are visited, so that a "conforms" implies
  // CallerChecksHold(). False, changing nothing, when they cannot be expressed here (a property
  // they name is not one of the root schema's properties).
  bool AddCallerChecks(const CallerChecks& checks);

  // False when the root schema itself uses a keyword this class does not implement, so that
  // Conforms() is always false and need not be called.
  bool usable() const {
    return root_ == kAny || (root_ >= 0 && !nodes_[static_cast<size_t>(root_)].unsupported);
  }

 private:
  static constexpr int32_t kAny = -1;   // an empty schema: every value conforms
  static constexpr int32_t kNone = -2;  // additionalProperties false: no value conforms
  static constexpr uint32_t kMaxProps = 256;

  enum TypeBit : uint8_t {
    kNull = 1,
    kBool = 2,
    kObject = 4,
    kArray = 8,
    kString = 16,
    kNumber = 32,   // any number
    kInteger = 64,  // a number without fraction or exponent (not parsed as a double)
    kAllTypes = 127,
  };

  struct Prop {
    std::string name;
    int32_t schema = kAny;
  };

  // A prop_table slot: the name in place (pointing into props[prop].name), so that a lookup
  // reads one cache line per probe.
  struct Slot {
    const char* name = nullptr;
    uint32_t length = 0;
    int32_t prop = -1;  // -1: empty
  };

  struct Node {
    bool unsupported = false;
    uint8_t types = kAllTypes;
    bool has_enum = false;
    std::vector<std::string> enum_strings;
    // Objects. props are hashed into prop_table (open addressing, -1 empty); required lists
    // indexes into props.
    std::vector<Prop> props;
    std::vector<Slot> prop_table;
    std::vector<uint32_t> required;
    int32_t additional = kAny;
    uint32_t min_props = 0, max_props = UINT32_MAX;
    // Arrays.
    int32_t items = kAny;
    uint32_t min_items = 0, max_items = UINT32_MAX;
    // "dependencies" in the array form: when props[first] is present, every props[i] of second
    // must be too.
    std::vector<std::pair<uint32_t, std::vector<uint32_t>>> dependencies;
    // Strings, in code points.
    uint32_t min_length = 0, max_length = UINT32_MAX;
    // A "pattern" of the form ^[class]{n}$, ^[class]{n,m}$, ^[class]+$ or ^[class]*$ over
    // printable ASCII: the string is pattern_min to pattern_max bytes of pattern_class.
    bool has_pattern = false;
    std::bitset<128> pattern_class;
    uint32_t pattern_min = 0, pattern_max = UINT32_MAX;
    // Numbers.
    bool has_minimum = false, has_maximum = false;
    int64_t minimum = 0, maximum = 0;
    std::vector<int32_t> all_of, any_of;
  };

  class Compiler;

  FastSchema() = default;

  // Caller checks on the root object's properties (AddCallerChecks), indexed like its props.
  struct RootRule {
    bool active = false;  // any of the below
    bool millisecond = false;
    int16_t char_class = -1;    // index into char_classes_
    int16_t items_any_of = -1;  // index into items_any_of_
  };

  bool Check(int32_t node, const rapidjson::Value& value, int depth) const;
  bool CheckRootRule(const RootRule& rule, const rapidjson::Value& value) const;
  bool CheckObject(const Node& n, const rapidjson::Value& value, int depth) const;
  int32_t FindProp(const Node& n, const char* name, uint32_t length) const;

  std::vector<Node> nodes_;
  int32_t root_ = kNone;
  std::vector<RootRule> root_rules_;  // empty without caller checks
  std::vector<std::bitset<128>> char_classes_;
  std::vector<std::vector<std::vector<std::string>>> items_any_of_;  // branches of required names
  std::vector<std::vector<uint32_t>> root_any_of_;                   // branches of root props
};

}  // namespace prose2stix::validate

#endif  // PROSE2STIX_VALIDATE_FAST_SCHEMA_H_
