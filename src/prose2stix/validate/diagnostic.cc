// The check catalogue is a static sorted table; lookups are binary searches over it.
#include "prose2stix/validate/diagnostic.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace prose2stix::validate {

namespace {

constexpr Severity kE = Severity::kError;
constexpr Severity kW = Severity::kWarning;

constexpr std::array kChecks = {
    CheckInfo{1, "json", kE, "the input is well-formed JSON: syntax, UTF-8, no NaN/Infinity, nesting <= 512"},
    CheckInfo{2, "structure", kE, "the top level is a bundle, a STIX object or an array of STIX objects"},
    CheckInfo{3, "bundle", kE, "the bundle has type \"bundle\", a bundle--UUID id and an array of objects"},
    CheckInfo{10, "schema", kE, "each object conforms to the JSON schema of its type"},
    CheckInfo{11, "type", kE, "type is present and uses a-z, 0-9 and '-', 3 to 250 characters"},
    CheckInfo{12, "identifier", kE, "id is <type>--<RFC 4122 UUID> and its prefix equals the type"},
    CheckInfo{13, "timestamp", kE,
              "timestamps are RFC 3339 UTC calendar dates; modified >= created, last >= first seen/observed"},
    CheckInfo{14, "reference-type", kE, "*_ref/*_refs point at objects of the types the spec allows"},
    CheckInfo{15, "reference-format", kE, "*_ref/*_refs values are STIX identifiers"},
    CheckInfo{16, "granular-marking", kE, "granular-marking selectors resolve inside the object"},
    CheckInfo{17, "required", kE, "required properties are present (objects the schemas do not cover)"},
    CheckInfo{18, "pattern", kE, "an indicator with pattern_type \"stix\" has a pattern that parses"},
    CheckInfo{19, "observation", kE, "observed-data embedded objects and their references resolve"},
    CheckInfo{20, "unresolved-reference", kE, "every referenced id is in the bundle (--enforce-refs)"},
    CheckInfo{21, "spec-version", kE, "spec_version is \"2.1\" where the spec requires it"},
    CheckInfo{22, "property-value", kE,
              "property values respect the spec's MUST rules the schema cannot say"},
    CheckInfo{101, "custom-prefix", kW,
              "custom object types start with \"x-\", custom properties with \"x_\""},
    CheckInfo{102, "custom-name-format", kW,
              "custom property names match [a-z0-9_]{3,250}, custom types [a-z0-9-]{3,250}"},
    CheckInfo{103, "uuid-check", kW, "SDO and SRO ids use UUIDv4, SCO ids UUIDv5"},
    CheckInfo{111, "open-vocab-format", kW, "open-vocabulary values are lowercase and hyphen-separated"},
    CheckInfo{121, "kill-chain-names", kW,
              "kill_chain_name and phase_name are lowercase and hyphen-separated"},
    CheckInfo{201, "marking-definition-type", kW,
              "definition_type is statement or tlp, and TLP markings are the spec's four predefined objects"},
    CheckInfo{202, "relationship-types", kW,
              "relationship types are those the spec lists for the pair of types"},
    CheckInfo{203, "duplicate-ids", kW,
              "objects sharing an id in a bundle have different modified timestamps"},
    CheckInfo{211, "attack-motivation", kW, "motivations are from attack-motivation-ov"},
    CheckInfo{212, "attack-resource-level", kW, "resource_level is from attack-resource-level-ov"},
    CheckInfo{213, "identity-class", kW, "identity_class is from identity-class-ov"},
    CheckInfo{214, "indicator-types", kW, "indicator_types are from indicator-type-ov"},
    CheckInfo{215, "industry-sector", kW, "sectors are from industry-sector-ov"},
    CheckInfo{216, "malware-types", kW, "malware_types are from malware-type-ov"},
    CheckInfo{218, "report-types", kW, "report_types are from report-type-ov"},
    CheckInfo{219, "threat-actor-types", kW, "threat_actor_types are from threat-actor-type-ov"},
    CheckInfo{220, "threat-actor-role", kW, "roles are from threat-actor-role-ov"},
    CheckInfo{221, "threat-actor-sophistication", kW,
              "sophistication is from threat-actor-sophistication-ov"},
    CheckInfo{222, "tool-types", kW, "tool_types are from tool-type-ov"},
    CheckInfo{223, "region", kW, "location.region is from region-ov"},
    CheckInfo{225, "grouping-context", kW, "grouping.context is from grouping-context-ov"},
    CheckInfo{226, "implementation-languages", kW,
              "implementation_languages are from implementation-language-ov"},
    CheckInfo{227, "infrastructure-types", kW, "infrastructure_types are from infrastructure-type-ov"},
    CheckInfo{228, "malware-capabilities", kW, "capabilities are from malware-capabilities-ov"},
    CheckInfo{230, "processor-architecture", kW,
              "architecture_execution_envs are from processor-architecture-ov"},
    CheckInfo{231, "malware-result", kW, "malware-analysis result is from malware-result-ov"},
    CheckInfo{241, "hash-algo", kW, "hashes keys are from hash-algorithm-ov (or x_ custom names)"},
    CheckInfo{242, "encryption-algo", kW, "artifact encryption_algorithm is from encryption-algorithm-ov"},
    CheckInfo{243, "windows-pebinary-type", kW, "pe_type is from windows-pebinary-type-ov"},
    CheckInfo{244, "account-type", kW, "user-account account_type is from account-type-ov"},
    CheckInfo{245, "indicator-pattern-types", kW, "pattern_type is from pattern-type-ov"},
    CheckInfo{277, "countries", kW, "location.country is an ISO 3166-1 alpha-2 code"},
    CheckInfo{304, "deprecated-properties", kW,
              "no deprecated STIX 2.0 constructs (observed-data objects, bundle spec_version)"},
    CheckInfo{401, "custom-properties", kW,
              "custom properties are carried by an extension, not placed at the top level"},
    CheckInfo{402, "extension-names", kW,
              "extension keys are extension-definition ids or predefined extension names"},
};

}  // namespace

bool ValidationReport::valid() const { return !parse_error && !read_error && errors() == 0; }

size_t ValidationReport::errors() const {
  return streamed_errors +
         static_cast<size_t>(std::count_if(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) {
           return d.severity == Severity::kError;
         }));
}

size_t ValidationReport::warnings() const {
  return streamed_warnings +
         static_cast<size_t>(std::count_if(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) {
           return d.severity == Severity::kWarning;
         }));
}

std::span<const CheckInfo> AllChecks() { return kChecks; }

const CheckInfo* FindCheck(int code) {
  auto it = std::lower_bound(kChecks.begin(), kChecks.end(), code,
                             [](const CheckInfo& c, int v) { return c.code < v; });
  return it != kChecks.end() && it->code == code ? &*it : nullptr;
}

std::string_view SeverityName(Severity severity) {
  return severity == Severity::kError ? "error" : "warning";
}

std::string FormatCode(int code) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%03d", code);
  return buf;
}

}  // namespace prose2stix::validate
