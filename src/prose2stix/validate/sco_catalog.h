// The catalogue of STIX 2.1 Cyber-observable Object (SCO) types: the 18 types of the
// specification's section 6, their properties (with the value kind, and for `_ref`/`_refs` the
// types they may point to), the properties that contribute to deterministic identifiers
// (section 2.9), and the 12 predefined SCO extensions with their properties.
//
// All data is static and immutable; every function is thread-safe and every returned pointer,
// span and string_view stays valid for the life of the program.
#ifndef PROSE2STIX_VALIDATE_SCO_CATALOG_H_
#define PROSE2STIX_VALIDATE_SCO_CATALOG_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace prose2stix::validate {

// What a property holds. Used to decide how an object path may continue after it (a dictionary
// takes any key, a list needs an index, an object has known sub-properties, a reference leads to
// the properties of the referenced types) and which literals it can sensibly be compared with.
enum class ValueKind : uint8_t {
  kString,
  kInteger,
  kFloat,
  kBoolean,
  kTimestamp,
  kHex,         // hexadecimal string (`*_hex` properties)
  kBinary,      // base64 string (payload_bin)
  kDictionary,  // free-form keys (environment_variables, ipfix, exif_tags, ...)
  kHashes,      // dictionary keyed by hashing-algorithm-ov names
  kStringList,  // list of strings (protocols, arguments, languages, ...)
  kObject,      // nested object with known `sub_properties`
  kObjectList,  // list of nested objects with known `sub_properties`
  kRef,         // identifier of another object (`*_ref`)
  kRefList,     // list of identifiers (`*_refs`)
  kExtensions,  // the `extensions` dictionary: keys are extension names
};

// True for kinds whose values are lists, which object paths index with [n] or [*].
bool IsListKind(ValueKind kind);

struct ScoProperty {
  std::string_view name;
  // True for `*_ref` (kind kRef) and `*_refs` (kind kRefList) properties.
  bool is_ref = false;
  // For references: the object types they may point to; empty means any SCO type.
  std::span<const std::string_view> ref_types;
  ValueKind kind = ValueKind::kString;
  // For kObject/kObjectList: the properties of the nested object.
  std::span<const ScoProperty> sub_properties;
};

struct ScoType {
  std::string_view name;
  // The type's own properties, without the common ones (see CommonScoProperties()).
  std::span<const ScoProperty> properties;
  // Properties hashed into the UUIDv5 of a deterministic identifier, in the specification's
  // order; empty for process, which uses UUIDv4.
  std::span<const std::string_view> id_contributing;
  // Names of the predefined extensions defined for this type (e.g. file: ntfs-ext, ...).
  std::span<const std::string_view> extensions;
};

struct ScoExtension {
  std::string_view name;        // e.g. "windows-pebinary-ext"
  std::string_view owner_type;  // the SCO type it extends, e.g. "file"
  std::span<const ScoProperty> properties;
};

// All 18 SCO types, sorted by name.
std::span<const ScoType> ScoTypes();
// The SCO type called `type` (exact, case-sensitive), or nullptr.
const ScoType* FindScoType(std::string_view type);

// Properties every SCO may carry: type, id, spec_version, object_marking_refs,
// granular_markings, defanged, extensions.
std::span<const ScoProperty> CommonScoProperties();

// The property `name` of `type`, looking at the type's own properties then the common ones;
// nullptr when unknown.
const ScoProperty* FindScoProperty(const ScoType& type, std::string_view name);
// The property `name` among `properties` (no common properties), or nullptr.
const ScoProperty* FindIn(std::span<const ScoProperty> properties, std::string_view name);

// All 12 predefined SCO extensions, sorted by name.
std::span<const ScoExtension> ScoExtensions();
// The predefined extension called `name`, or nullptr.
const ScoExtension* FindScoExtension(std::string_view name);

// The hashing-algorithm-ov vocabulary: MD5, SHA-1, SHA-256, SHA-512, SHA3-256, SHA3-512,
// SSDEEP, TLSH.
std::span<const std::string_view> HashAlgorithms();
// When `name` is not in the vocabulary but matches one of its entries ignoring case and
// hyphens (md5, sha256, SHA1), the vocabulary spelling; otherwise empty.
std::string_view SuggestHashAlgorithm(std::string_view name);

// The number of hexadecimal digits of a hash of `algorithm` (MD5 32, SHA-1 40, SHA-256 and
// SHA3-256 64, SHA-512 and SHA3-512 128), or 0 when the vocabulary entry has no fixed hex form
// (SSDEEP, TLSH) or `algorithm` is not in the vocabulary.
size_t HashHexLength(std::string_view algorithm);

// True when `type` is a STIX 2.1 SDO, SRO or meta object type (attack-pattern, indicator,
// relationship, marking-definition, ...): types that exist but are not observables.
bool IsNonObservableStixType(std::string_view type);

}  // namespace prose2stix::validate

#endif  // PROSE2STIX_VALIDATE_SCO_CATALOG_H_
