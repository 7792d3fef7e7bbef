// Fuzz target for the STIX validator: any bytes must give a report, never a crash, and the
// report must be self-consistent.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "prose2stix/validate/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using prose2stix::validate::Validator;
  using prose2stix::validate::ValidatorOptions;
  static const std::unique_ptr<Validator> validators[2] = {
      [] {
        auto v = Validator::Create(ValidatorOptions{});
        if (!v.ok()) std::abort();
        return std::move(*v);
      }(),
      [] {
        ValidatorOptions o;
        o.strict = true;
        o.enforce_refs = true;
        auto v = Validator::Create(o);
        if (!v.ok()) std::abort();
        return std::move(*v);
      }(),
  };
  if (size > (size_t{1} << 20)) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& v : validators) {
    auto report = v->ValidateString(text, "fuzz");
    if (report.parse_error && report.diagnostics.empty()) std::abort();
    if (report.valid() && report.errors() != 0) std::abort();
    for (const auto& d : report.diagnostics) {
      if (d.message.empty()) std::abort();
      if (!d.pointer.empty() && d.pointer[0] != '/') std::abort();
    }
  }
  return 0;
}
