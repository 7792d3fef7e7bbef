// Fuzz target for stix::BundleMerger: any bytes are added twice (the second time merging every
// object with itself), the merged bundle is written, and the result must be accepted again with
// no more objects than before.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "prose2stix/stix/merge.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1u << 18)) return 0;
  std::string_view json(reinterpret_cast<const char*>(data), size);
  prose2stix::stix::BundleMerger merger;
  if (!merger.Add(json, "fuzz").ok()) return 0;
  if (!merger.Add(json, "fuzz-again").ok()) __builtin_trap();  // accepted once, accepted twice
  std::string out = merger.Finish(size % 2 == 0);
  prose2stix::stix::BundleMerger again;
  if (!again.Add(out, "merged").ok()) __builtin_trap();
  if (again.objects() > merger.objects()) __builtin_trap();
  return 0;
}
