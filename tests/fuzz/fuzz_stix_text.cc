// Fuzz target for the text-facing helpers of stix/: date and timestamp normalisation, name
// normalisation and canonical JSON. Outputs must be well-formed and stable.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "prose2stix/stix/identifier.h"
#include "prose2stix/stix/timestamp.h"
#include "prose2stix/util/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string_view s(reinterpret_cast<const char*>(data), size);
  using namespace prose2stix;
  std::string date = stix::NormalizeDate(s);
  if (!date.empty() && (date.size() != 24 || stix::NormalizeTimestamp(date) != date)) __builtin_trap();
  std::string ts = stix::NormalizeTimestamp(s);
  if (!ts.empty() && stix::NormalizeDate(s) != ts) __builtin_trap();
  std::string name = stix::NormalizeName(s);
  if (utf8::FirstInvalid(name) != std::string_view::npos) __builtin_trap();
  if (stix::NormalizeName(name) != name) __builtin_trap();  // idempotent
  std::string json = stix::CanonicalJson({{std::string(s), name}, {"name", std::string(s)}});
  if (utf8::FirstInvalid(json) != std::string_view::npos) __builtin_trap();
  (void)stix::ThreatActorId(s);
  return 0;
}
