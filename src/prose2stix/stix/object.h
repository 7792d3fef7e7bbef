// The STIX 2.1 objects prose2stix emits, as plain value types.
//
// These structs hold exactly what json_writer.h writes: an empty string, an empty vector and an
// unset optional are "absent" and never written. Timestamps are strings in the fixed
// millisecond form of timestamp.h; ids are "<type>--<uuid>" (see identifier.h for the
// deterministic ones). Nothing here validates; validate/ checks bundles from any source.
// The types are regular values: copy, compare and move them freely; no shared state.
#ifndef PROSE2STIX_STIX_OBJECT_H_
#define PROSE2STIX_STIX_OBJECT_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace prose2stix::stix {

// STIX 2.1 section 2.5. `hashes` are (algorithm, value) pairs written as an object in order.
struct ExternalReference {
  std::string source_name;
  std::string description;
  std::string url;
  std::string external_id;
  std::vector<std::pair<std::string, std::string>> hashes;

  bool operator==(const ExternalReference&) const = default;
};

// Properties shared by every object (STIX 2.1 section 3.2) plus custom string properties.
struct Common {
  std::string id;
  std::string created;   // required on SDOs/SROs and marking definitions
  std::string modified;  // required on SDOs/SROs; absent on marking definitions
  std::string created_by_ref;
  std::vector<std::string> object_marking_refs;
  std::vector<ExternalReference> external_references;
  std::optional<int> confidence;  // 0..100
  std::vector<std::string> labels;
  std::string lang;
  // Custom properties (names starting with "x_"), written last in this order, e.g.
  // x_opencti_location_type. Values are strings.
  std::vector<std::pair<std::string, std::string>> custom;
  // Custom string-list properties, written after `custom` in this order, e.g. x_opencti_aliases
  // (OpenCTI's aliases for identities and locations, which have no STIX aliases property).
  std::vector<std::pair<std::string, std::vector<std::string>>> custom_lists;

  bool operator==(const Common&) const = default;
};

// threat-actor (section 4.16).
struct ThreatActor {
  Common common;
  std::string name;
  std::string description;
  std::vector<std::string> threat_actor_types;  // threat-actor-type-ov
  std::vector<std::string> aliases;
  std::string first_seen;
  std::string last_seen;
  std::vector<std::string> roles;  // threat-actor-role-ov
  std::vector<std::string> goals;
  std::string sophistication;      // threat-actor-sophistication-ov
  std::string resource_level;      // attack-resource-level-ov
  std::string primary_motivation;  // attack-motivation-ov

  bool operator==(const ThreatActor&) const = default;
};

// intrusion-set (section 4.10).
struct IntrusionSet {
  Common common;
  std::string name;
  std::string description;
  std::vector<std::string> aliases;
  std::string first_seen;
  std::string last_seen;
  std::vector<std::string> goals;
  std::string resource_level;
  std::string primary_motivation;

  bool operator==(const IntrusionSet&) const = default;
};

// identity (section 4.8): victims' organisations and sectors, report authors.
struct Identity {
  Common common;
  std::string name;
  std::string description;
  std::vector<std::string> roles;
  std::string identity_class;  // identity-class-ov: individual, group, system, organization, class
  std::vector<std::string> sectors;  // industry-sector-ov
  std::string contact_information;

  bool operator==(const Identity&) const = default;
};

// location (section 4.11). STIX requires region, country or latitude+longitude; countries use
// ISO 3166-1 alpha-2 codes, regions the region-ov vocabulary.
struct Location {
  Common common;
  std::string name;
  std::string description;
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::string region;
  std::string country;
  std::string administrative_area;
  std::string city;

  bool operator==(const Location&) const = default;
};

// relationship (section 5.1). `description` carries the evidence sentence(s).
struct Relationship {
  Common common;
  std::string relationship_type;
  std::string description;
  std::string source_ref;
  std::string target_ref;
  std::string start_time;
  std::string stop_time;

  bool operator==(const Relationship&) const = default;
};

// report (section 4.14): one per converted document; object_refs lists what it found.
struct Report {
  Common common;
  std::string name;
  std::string description;
  std::vector<std::string> report_types;  // report-type-ov
  std::string published;
  std::vector<std::string> object_refs;

  bool operator==(const Report&) const = default;
};

// marking-definition (section 7.2). Either a STIX 2.1 definition (`definition_type` "tlp" or
// "statement" with `definition_value` written as {definition_type: definition_value}) or a TLP
// 2.0 marking carried by the OASIS extension (`tlp2_level` set, written under `extensions`).
struct MarkingDefinition {
  Common common;  // id and created; never modified
  std::string name;
  std::string definition_type;
  std::string definition_value;
  std::string tlp2_level;  // "clear", "green", "amber", "amber+strict", "red"

  bool operator==(const MarkingDefinition&) const = default;
};

using Object = std::variant<ThreatActor, IntrusionSet, Identity, Location, Relationship, Report,
                            MarkingDefinition>;

// The STIX type name: "threat-actor", "intrusion-set", "identity", "location", "relationship",
// "report", "marking-definition".
std::string_view TypeOf(const Object& object);
const std::string& IdOf(const Object& object);
const Common& CommonOf(const Object& object);
Common& CommonOf(Object& object);

// A STIX bundle (section 8). Bundles carry no spec_version in 2.1.
struct Bundle {
  std::string id;  // "bundle--<uuid>"
  std::vector<Object> objects;
};

// ---- TLP ------------------------------------------------------------------------------------

enum class Tlp { kClear, kGreen, kAmber, kAmberStrict, kRed };

// The OASIS extension definition under which TLP 2.0 markings are published.
inline constexpr std::string_view kTlp2ExtensionId =
    "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

// Parses "clear", "white" (TLP 1.0's name for clear), "green", "amber", "amber+strict" (also
// "amber-strict", "amber_strict"), "red"; any case, an optional "tlp:" prefix. False otherwise.
bool ParseTlp(std::string_view s, Tlp* out);
// "clear", "green", "amber", "amber+strict", "red".
std::string_view TlpName(Tlp tlp);

// The well-known marking-definition object for a TLP level (see object.cc for the ids and for
// how TLP:CLEAR and TLP:AMBER+STRICT are represented).
MarkingDefinition TlpMarking(Tlp tlp);

}  // namespace prose2stix::stix

#endif  // PROSE2STIX_STIX_OBJECT_H_
