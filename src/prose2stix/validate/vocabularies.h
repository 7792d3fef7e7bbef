// The STIX 2.1 open vocabularies, ISO 3166-1 alpha-2 country codes, the relationship summary
// table (which relationship types the spec lists for a source/target pair) and the object
// categories (SDO, SRO, SCO, meta objects). All tables are static and sorted; every function is
// pure and thread-safe.
#ifndef PROSE2STIX_VALIDATE_VOCABULARIES_H_
#define PROSE2STIX_VALIDATE_VOCABULARIES_H_

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace prose2stix::validate {

// Equality of two short strings (type, property and vocabulary names), compared in place: at
// these lengths a call to memcmp, which `a == b` makes whenever the lengths agree, costs more
// than the comparison. Eight bytes at a time, then the last four to seven as two overlapping
// words. (util/eq.h compares with literals; this compares two runtime strings.)
inline bool SameName(std::string_view a, std::string_view b) {
  size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  for (; n >= 8; n -= 8, p += 8, q += 8) {
    uint64_t x, y;
    std::memcpy(&x, p, 8);
    std::memcpy(&y, q, 8);
    if (x != y) return false;
  }
  if (n >= 4) {
    uint32_t x0, y0, x1, y1;
    std::memcpy(&x0, p, 4);
    std::memcpy(&y0, q, 4);
    std::memcpy(&x1, p + n - 4, 4);
    std::memcpy(&y1, q + n - 4, 4);
    return x0 == y0 && x1 == y1;
  }
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != q[i]) return false;
  }
  return true;
}

// A hash of a short name for the validator's hash tables of type and property names, read the
// same way: eight bytes at a time, the last one to seven bytes as one word, each mixed in with a
// multiply (std::hash calls out to a general byte hash that costs several times more at these
// lengths). Not for untrusted keys an attacker could choose to collide: the tables hashed with it
// hold the schemas' and the spec's names, and are only looked up.
struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    uint64_t h = (s.size() + 1) * 0x9E3779B97F4A7C15ull;
    const char* p = s.data();
    size_t n = s.size();
    for (; n >= 8; n -= 8, p += 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      h = (h ^ w) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 32;
    }
    if (n > 0) {
      uint64_t w = 0;
      for (size_t i = 0; i < n; ++i) w |= uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
      h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
      h ^= h >> 29;
    }
    return static_cast<size_t>(h);
  }
};

enum class Vocabulary {
  kAccountType,
  kAttackMotivation,
  kAttackResourceLevel,
  kEncryptionAlgorithm,
  kGroupingContext,
  kHashAlgorithm,
  kIdentityClass,
  kImplementationLanguage,
  kIndicatorType,
  kIndustrySector,
  kInfrastructureType,
  kMalwareCapabilities,
  kMalwareResult,
  kMalwareType,
  kPatternType,
  kProcessorArchitecture,
  kRegion,
  kReportType,
  kThreatActorRole,
  kThreatActorSophistication,
  kThreatActorType,
  kToolType,
  kWindowsPebinaryType,
};

// The values of `vocabulary`, sorted.
std::span<const std::string_view> VocabularyValues(Vocabulary vocabulary);
// True when `value` is one of the suggested values (exact, case-sensitive match).
bool InVocabulary(Vocabulary vocabulary, std::string_view value);
// The spec's name, e.g. "identity-class-ov".
std::string_view VocabularyName(Vocabulary vocabulary);

// True for an ISO 3166-1 alpha-2 code in upper case ("US", "DE").
bool IsCountryCode(std::string_view code);

enum class ObjectCategory {
  kUnknown,  // a custom or misspelled type
  kSdo,      // STIX Domain Object
  kSro,      // relationship, sighting
  kSco,      // STIX Cyber-observable Object
  kMeta,     // marking-definition, language-content, extension-definition
  kBundle,
};
// The category of a STIX 2.1 type name; kUnknown for types the spec does not define.
ObjectCategory CategoryOf(std::string_view type);

// True for derived-from, duplicate-of and related-to, which the spec allows between any objects.
bool IsCommonRelationship(std::string_view relationship_type);
// True when the spec's relationship summary lists `relationship_type` from `source_type` to
// `target_type` (or the relationship type is common).
bool IsRecommendedRelationship(std::string_view source_type, std::string_view relationship_type,
                               std::string_view target_type);
// The relationship types listed from `source_type` to `target_type`, comma-separated ("" if none).
std::string RecommendedRelationships(std::string_view source_type, std::string_view target_type);

// Predefined SCO extension names ("archive-ext", "ntfs-ext", ...).
bool IsPredefinedExtension(std::string_view name);

}  // namespace prose2stix::validate

#endif  // PROSE2STIX_VALIDATE_VOCABULARIES_H_
