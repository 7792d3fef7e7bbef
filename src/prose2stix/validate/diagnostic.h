// Diagnostics of the STIX 2.1 validator: one finding, the report for one input, and the catalogue
// of check codes.
//
// Check codes. SHOULD checks ("best practices", warnings) reuse the numbers of the OASIS
// stix2-validator for the same check, so --enable/--disable lists carry over:
//   101 custom-prefix        custom object types start with "x-", custom properties with "x_"
//   102 custom-name-format   custom names use a-z, 0-9 and '_' ('-' for types), 3 to 250 chars
//   103 uuid-check           SDO/SRO ids use UUIDv4, SCO ids UUIDv5
//   111 open-vocab-format    open-vocabulary values are lowercase, hyphen-separated
//   121 kill-chain-names     kill-chain and phase names are lowercase, hyphen-separated
//   201 marking-definition-type  definition_type is statement or tlp; TLP uses the predefined ids
//   202 relationship-types   relationship_type is one the spec lists for the source/target pair
//   203 duplicate-ids        no two objects in a bundle share id and modified
//   211..245                 open vocabularies (attack-motivation, identity-class, ...; see AllChecks())
//   277 countries            location.country is an ISO 3166-1 alpha-2 code
//   304 deprecated-properties  observed-data "objects" (STIX 2.0 style), bundle spec_version
//   401 custom-properties    custom properties go in an extension, not at the top level
//   402 extension-names      extension keys are extension-definition ids or predefined names
// MUST checks (errors, always run, cannot be disabled) have codes of their own below 100, which
// the OASIS validator reports without a number:
//   001 json                 the input is not well-formed JSON (syntax, UTF-8, nesting > 512)
//   002 structure            the top level is not a bundle, an object or an array of objects
//   003 bundle               the bundle envelope is malformed (type, id, objects)
//   010 schema               the object violates its type's JSON schema
//   011 type                 the type is missing or malformed
//   012 identifier           the id is malformed, its prefix is not the type, or its UUID is bad
//   013 timestamp            a timestamp is malformed, not a calendar date, or out of order
//   014 reference-type       a *_ref(s) property points at an object of the wrong type
//   015 reference-format     a *_ref(s) value is not a STIX identifier
//   016 granular-marking     a granular-marking selector does not resolve in the object
//   017 required             a required property is missing (objects without a schema)
//   018 pattern              an indicator's STIX pattern does not parse
//   019 observation          observed-data embedded objects and their refs do not resolve
//   020 unresolved-reference a referenced id is not in the bundle (with enforce_refs)
//   021 spec-version         spec_version is missing or not "2.1" where required
//   022 property-value       a property has a value the spec forbids (see message)
#ifndef PROSE2STIX_VALIDATE_DIAGNOSTIC_H_
#define PROSE2STIX_VALIDATE_DIAGNOSTIC_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace prose2stix::validate {

enum class Severity { kError, kWarning };

// One finding about one place in a document.
struct Diagnostic {
  Severity severity = Severity::kError;
  int code = 0;           // a check code listed above
  std::string object_id;  // the id of the STIX object concerned; empty when unknown or none
  std::string pointer;    // JSON pointer from the document root, e.g. /objects/17/created
  std::string message;    // one sentence a person understands
};

// The outcome of validating one input.
struct ValidationReport {
  std::string name;  // file name or the name given by the caller
  std::vector<Diagnostic> diagnostics;
  size_t objects = 0;        // STIX objects examined
  bool parse_error = false;  // the input is not well-formed JSON (diagnostic 001 says where)
  bool read_error = false;   // the input could not be opened or read (diagnostic 001 says why)
  // Diagnostics handed to a DiagnosticSink instead of being kept in `diagnostics`.
  size_t streamed_errors = 0, streamed_warnings = 0;

  // No error diagnostics, no parse or read error; warnings are allowed.
  bool valid() const;
  // Counts include diagnostics that went to a sink.
  size_t errors() const;
  size_t warnings() const;
};

// A row of the check catalogue.
struct CheckInfo {
  int code;
  std::string_view name;
  Severity severity;  // kError: a MUST check (always run); kWarning: a SHOULD check
  std::string_view description;
};

// Every check code, sorted by code.
std::span<const CheckInfo> AllChecks();
// The row for `code`, or nullptr.
const CheckInfo* FindCheck(int code);

// "error" or "warning".
std::string_view SeverityName(Severity severity);

// Renders a code with three digits ("013", "213").
std::string FormatCode(int code);

}  // namespace prose2stix::validate

#endif  // PROSE2STIX_VALIDATE_DIAGNOSTIC_H_
