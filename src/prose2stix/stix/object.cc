// Accessors over the Object variant and the TLP marking definitions.
//
// TLP representation. STIX 2.1 (section 7.2.1.4) predefines four TLP 1.0 marking objects
// (white, green, amber, red) that every consumer knows; TLP 2.0 adds CLEAR and AMBER+STRICT,
// published by OASIS as property-extension markings under kTlp2ExtensionId.
//  - GREEN, AMBER, RED: the STIX 2.1 predefined objects, byte-for-byte as the spec lists them.
//  - CLEAR: the predefined TLP:WHITE object (613f2e26-...). TLP 2.0 defines CLEAR as the renamed
//    WHITE, and OpenCTI stores its TLP:CLEAR marking under this very id, so the bundle stays
//    valid for STIX 2.1 validators that know only the predefined objects and imports into
//    OpenCTI's TLP:CLEAR. (The TLP 2.0 CLEAR object, 94868c89-..., would need every consumer to
//    know the extension and maps to no marking in OpenCTI.)
//  - AMBER+STRICT has no TLP 1.0 counterpart: the OASIS TLP 2.0 object (939a9414-...) is
//    emitted, plus x_opencti_definition_type/x_opencti_definition, which OpenCTI's importer reads
//    in preference to definition_type, mapping it to its own TLP:AMBER+STRICT marking.
#include "prose2stix/stix/object.h"

#include <type_traits>

namespace prose2stix::stix {

namespace {

template <typename T>
constexpr std::string_view TypeName() {
  if constexpr (std::is_same_v<T, ThreatActor>) return "threat-actor";
  if constexpr (std::is_same_v<T, IntrusionSet>) return "intrusion-set";
  if constexpr (std::is_same_v<T, Identity>) return "identity";
  if constexpr (std::is_same_v<T, Location>) return "location";
  if constexpr (std::is_same_v<T, Relationship>) return "relationship";
  if constexpr (std::is_same_v<T, Report>) return "report";
  if constexpr (std::is_same_v<T, MarkingDefinition>) return "marking-definition";
}

MarkingDefinition Tlp1(std::string_view uuid, std::string_view level, std::string_view name) {
  MarkingDefinition m;
  m.common.id = "marking-definition--" + std::string(uuid);
  m.common.created = "2017-01-20T00:00:00.000Z";
  m.name = std::string(name);
  m.definition_type = "tlp";
  m.definition_value = std::string(level);
  return m;
}

}  // namespace

std::string_view TypeOf(const Object& object) {
  return std::visit([](const auto& o) { return TypeName<std::decay_t<decltype(o)>>(); }, object);
}

const std::string& IdOf(const Object& object) { return CommonOf(object).id; }

const Common& CommonOf(const Object& object) {
  return std::visit([](const auto& o) -> const Common& { return o.common; }, object);
}

Common& CommonOf(Object& object) {
  return std::visit([](auto& o) -> Common& { return o.common; }, object);
}

bool ParseTlp(std::string_view s, Tlp* out) {
  std::string v;
  v.reserve(s.size());
  for (char c : s) v.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c);
  if (v.rfind("tlp:", 0) == 0) v.erase(0, 4);
  if (v == "clear" || v == "white") {
    *out = Tlp::kClear;
  } else if (v == "green") {
    *out = Tlp::kGreen;
  } else if (v == "amber") {
    *out = Tlp::kAmber;
  } else if (v == "amber+strict" || v == "amber-strict" || v == "amber_strict") {
    *out = Tlp::kAmberStrict;
  } else if (v == "red") {
    *out = Tlp::kRed;
  } else {
    return false;
  }
  return true;
}

std::string_view TlpName(Tlp tlp) {
  switch (tlp) {
    case Tlp::kClear: return "clear";
    case Tlp::kGreen: return "green";
    case Tlp::kAmber: return "amber";
    case Tlp::kAmberStrict: return "amber+strict";
    case Tlp::kRed: return "red";
  }
  return "clear";
}

MarkingDefinition TlpMarking(Tlp tlp) {
  switch (tlp) {
    case Tlp::kClear: return Tlp1("613f2e26-407d-48c7-9eca-b8e91df99dc9", "white", "TLP:WHITE");
    case Tlp::kGreen: return Tlp1("34098fce-860f-48ae-8e50-ebd3cc5e41da", "green", "TLP:GREEN");
    case Tlp::kAmber: return Tlp1("f88d31f6-486f-44da-b317-01333bde0b82", "amber", "TLP:AMBER");
    case Tlp::kRed: return Tlp1("5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "red", "TLP:RED");
    case Tlp::kAmberStrict: break;
  }
  MarkingDefinition m;
  m.common.id = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
  m.common.created = "2022-10-01T00:00:00.000Z";
  m.name = "TLP:AMBER+STRICT";
  m.tlp2_level = "amber+strict";
  m.common.custom = {{"x_opencti_definition_type", "TLP"}, {"x_opencti_definition", "TLP:AMBER+STRICT"}};
  return m;
}

}  // namespace prose2stix::stix
