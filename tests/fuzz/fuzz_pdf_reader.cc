// Fuzz target: the PDF reader (poppler plus the line, column and paragraph reconstruction).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "prose2stix/ingest/pdf_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)prose2stix::ingest::ReadPdf(bytes, "fuzz.pdf");
  return 0;
}
