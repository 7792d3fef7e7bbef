// Fuzz target: the HTML reader in page and fragment mode, and the NDJSON line reader.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "prose2stix/ingest/html_reader.h"
#include "prose2stix/ingest/ndjson_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  prose2stix::ingest::HtmlOptions opts;
  (void)prose2stix::ingest::ReadHtml(bytes, "fuzz.html", opts);
  opts.fragment = true;
  (void)prose2stix::ingest::ReadHtml(bytes, "fuzz.html", opts);
  (void)prose2stix::ingest::ReadNdjsonLine(bytes, 1, "fuzz.ndjson");
  return 0;
}
