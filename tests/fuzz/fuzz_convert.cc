// Fuzz target for the whole pipeline: any bytes, any detected format, through extraction, the
// bundle builder and the validator. A bundle that comes out must have validated; nothing crashes.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "prose2stix/convert/pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) return 0;
  // Destroyed at exit (not leaked): LeakSanitizer cannot follow RapidJSON's packed pointers, so
  // a leaked converter would be reported.
  static const std::unique_ptr<prose2stix::convert::Converter> conv = [] {
    prose2stix::convert::ConvertOptions opt;
    opt.fixed_time = "2025-01-01T00:00:00.000Z";
    auto c = prose2stix::convert::Converter::Create(opt);
    if (!c.ok()) std::abort();
    return std::move(*c);
  }();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto r = conv->Convert(bytes, "fuzz-input");
  // A validation failure of our own bundle is a bug: Internal is the only status that says so.
  if (!r.ok() && r.status().code() == prose2stix::Status::Code::kInternal) std::abort();
  return 0;
}
