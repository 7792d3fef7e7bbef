// Deterministic STIX identifiers, compatible with OpenCTI's standard ids.
//
// OpenCTI (and pycti's generate_id helpers) derive the id of an entity from the properties that
// make it unique: uuid5(OASIS namespace, RFC 8785 canonical JSON of those properties), with names
// lower-cased and trimmed. Emitting the same ids means that re-importing a bundle, or importing
// two bundles that mention the same actor, updates one entity instead of creating duplicates.
//
//   ThreatActorId("APT28 ")          == "threat-actor--90bd2396-8173-5dd4-92ad-31f3786e636d"
//   LocationId("France", "Country")  == "location--b8d0549f-de06-5ebd-a6e9-d31a581dba5d"
//
// The keys, per OpenCTI's identifier.js (stixBaseEntityContribution):
//   threat-actor (group)  {name, opencti_type: "Threat-Actor-Group"}
//   intrusion-set         {name}
//   identity              {name, identity_class}          (identity_class normalised like name)
//   location              {name, x_opencti_location_type}  (Country, Region, City, ...)
//   report                {name, published}                (published as YYYY-MM-DDTHH:MM:SS.sssZ)
//   relationship          {relationship_type, source_ref, target_ref[, start_time, stop_time]}
// Only names (and identity_class) are normalised; OpenCTI does not collapse inner whitespace.
// All functions are pure and thread-safe.
#ifndef PROSE2STIX_STIX_IDENTIFIER_H_
#define PROSE2STIX_STIX_IDENTIFIER_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace prose2stix::stix {

// The namespace OpenCTI uses for STIX standard ids (its OASIS_NAMESPACE).
inline constexpr std::string_view kOasisNamespace = "00abedb4-aa42-466c-9c01-fed23315a9b7";

using StringProperties = std::vector<std::pair<std::string, std::string>>;
using ArrayProperties = std::vector<std::pair<std::string, std::vector<std::string>>>;

// RFC 8785 (JCS) canonical JSON of a flat object: members sorted by the UTF-16 code units of
// their names, no whitespace, strings escaped as JCS requires (only '"', '\\' and control
// characters; \b \t \n \f \r by name, other controls as \u00xx lowercase; everything else
// written as UTF-8). Ill-formed UTF-8 is replaced by U+FFFD. When a name repeats, the last
// value wins (as in a JavaScript object literal). `arrays` holds string-array members.
std::string CanonicalJson(const StringProperties& strings, const ArrayProperties& arrays = {});

// OpenCTI's normalizeName: Unicode lower case, then leading and trailing white space removed
// (the characters JavaScript's String.prototype.trim removes). Lower-casing covers ASCII,
// Latin-1, Latin Extended-A, Latin Extended Additional, Greek (with final sigma), Cyrillic,
// Armenian and fullwidth Latin; other scripts are left unchanged.
std::string NormalizeName(std::string_view name);

// "<type>--" + uuid5(kOasisNamespace, CanonicalJson(props)). Properties are used as given (not
// normalised); empty values are dropped as OpenCTI drops them.
std::string DeterministicId(std::string_view type, const StringProperties& props);

// threat-actor--…: OpenCTI's Threat-Actor-Group key.
std::string ThreatActorId(std::string_view name);
// intrusion-set--…
std::string IntrusionSetId(std::string_view name);
// identity--…; identity_class "organization", "individual", "class" (OpenCTI sectors), "system".
std::string IdentityId(std::string_view name, std::string_view identity_class);
// location--…; x_opencti_location_type "Country", "Region", "City", "Administrative-Area",
// "Position" (used as given: OpenCTI does not normalise it).
std::string LocationId(std::string_view name, std::string_view x_opencti_location_type);
// relationship--…; refs as they appear in the bundle. start_time and stop_time join the key
// each when non-empty (the platform's rule), normalised to the millisecond Z form.
std::string RelationshipId(std::string_view relationship_type, std::string_view source_ref,
                           std::string_view target_ref, std::string_view start_time = {},
                           std::string_view stop_time = {});
// report--…; `published` is normalised to YYYY-MM-DDTHH:MM:SS.sssZ (OpenCTI keys the Date's
// toISOString()); used as given when it does not parse.
std::string ReportId(std::string_view name, std::string_view published);

}  // namespace prose2stix::stix

#endif  // PROSE2STIX_STIX_IDENTIFIER_H_
