// Fuzz target: plain text and Markdown readers, the boilerplate cleaner, and format detection.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "prose2stix/ingest/reader.h"
#include "prose2stix/ingest/text_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)prose2stix::ingest::DetectFormat(bytes, "fuzz.txt");
  (void)prose2stix::ingest::ReadText(bytes, "fuzz.txt", /*clean=*/true);
  (void)prose2stix::ingest::ReadText(bytes, "fuzz.txt", /*clean=*/false);
  (void)prose2stix::ingest::ReadMarkdown(bytes, "fuzz.md", /*clean=*/true);
  return 0;
}
