// ConvertOptions: every setting of a conversion, with its default. Each `prose2stix convert` flag
// maps to one field; defaults live only here.
#ifndef PROSE2STIX_CONVERT_OPTIONS_H_
#define PROSE2STIX_CONVERT_OPTIONS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "prose2stix/ingest/reader.h"
#include "prose2stix/util/file.h"

namespace prose2stix::convert {

struct ConvertOptions {
  // Input format; kAuto detects it from the bytes (--input-format).
  ingest::Format input_format = ingest::Format::kAuto;
  // Name of the producer identity every object's created_by_ref points at (--author).
  std::string author = "prose2stix";
  // TLP level marking every object: clear, green, amber, amber+strict, red (--tlp).
  std::string tlp = "clear";
  // When set, the confidence (0-100) of the report and every entity, and the ceiling of every
  // relationship's confidence (--confidence). Unset: relationships carry their cue's confidence.
  std::optional<int> confidence;
  // Emit named groups as intrusion-set objects (with originates-from) instead of threat-actor
  // (--intrusion-sets), as ATT&CK and OpenCTI model APT groups.
  bool intrusion_sets = false;
  // Timestamp used for created/modified (and published when the document states none), making the
  // output byte-for-byte reproducible (--fixed-time). Empty: the conversion time.
  std::string fixed_time;
  // Overrides every document's publication date (--published).
  std::string published;
  // Run the statistical tagger beside the rules (--no-tagger turns it off).
  bool use_tagger = true;
  // Validate every bundle with the bundled schemas before it is returned (never off in the CLI).
  bool validate = true;
  // Largest input read into memory.
  uint64_t max_input_bytes = kDefaultMaxInputBytes;
};

}  // namespace prose2stix::convert

#endif  // PROSE2STIX_CONVERT_OPTIONS_H_
