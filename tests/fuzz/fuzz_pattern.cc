// Fuzz target for the STIX pattern checker: any bytes must yield issues sorted by offset, each
// offset inside the input, and never a crash, a hang or unbounded recursion. The whole input is
// checked as one pattern, then each line as a pattern of its own (corpus files hold a few
// patterns, one per line).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "prose2stix/validate/pattern.h"

namespace {
void Check(std::string_view pattern) {
  const auto issues = prose2stix::validate::CheckPattern(pattern);
  size_t last = 0;
  for (const auto& issue : issues) {
    if (issue.offset > pattern.size() || issue.offset < last || issue.message.empty()) std::abort();
    last = issue.offset;
  }
  if (issues.size() > 2 * prose2stix::validate::kMaxPatternIssues + 1) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1u << 20)) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Check(input);
  size_t start = 0;
  while (start < input.size()) {
    size_t end = input.find('\n', start);
    if (end == std::string_view::npos) end = input.size();
    if (start > 0 || end < input.size()) Check(input.substr(start, end - start));
    start = end + 1;
  }
  return 0;
}
