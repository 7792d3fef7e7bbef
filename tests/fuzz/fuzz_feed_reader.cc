// Fuzz target: RSS / RDF / Atom feed reader.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "prose2stix/ingest/feed_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)prose2stix::ingest::ReadFeed(bytes, "fuzz.xml");
  return 0;
}
