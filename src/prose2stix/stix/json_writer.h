// Deterministic JSON for STIX objects and bundles.
//
// The same objects always give the same bytes: properties come in a fixed order (type,
// spec_version "2.1", id, created_by_ref, created, modified, the type's own properties in the
// order the STIX 2.1 specification lists them, then labels, confidence, lang,
// external_references, object_marking_refs, and last the custom x_ properties in their given
// order, strings before lists). Empty strings, empty lists and unset optionals are omitted.
// A bundle has type, id and objects, and no spec_version (STIX 2.1 section 8). Pretty output
// indents by two spaces; compact output is a single line without a trailing newline.
// Ill-formed UTF-8 in any string is written as U+FFFD so that the output is always valid JSON.
// Functions are pure and thread-safe.
#ifndef PROSE2STIX_STIX_JSON_WRITER_H_
#define PROSE2STIX_STIX_JSON_WRITER_H_

#include <string>

#include "prose2stix/stix/object.h"

namespace prose2stix::stix {

std::string WriteBundle(const Bundle& bundle, bool pretty);
std::string WriteObject(const Object& object, bool pretty);

}  // namespace prose2stix::stix

#endif  // PROSE2STIX_STIX_JSON_WRITER_H_
