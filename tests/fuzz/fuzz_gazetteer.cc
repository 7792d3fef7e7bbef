// Fuzz target for the gazetteer matcher: any bytes (invalid UTF-8, NULs, huge runs of
// separators) must be scanned without crashing, and the matches must be ordered, non-overlapping,
// inside the input, and start and end on word boundaries. Lookup() gets the same bytes.
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "prose2stix/extract/gazetteer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using prose2stix::extract::EntryKind;
  using prose2stix::extract::Gazetteer;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const Gazetteer& g = Gazetteer::Default();
  size_t last_end = 0;
  for (const auto& m : g.Find(text)) {
    if (m.begin < last_end || m.end <= m.begin || m.end > size || m.entry == nullptr) std::abort();
    auto alnum = [&](size_t i) { return std::isalnum(static_cast<unsigned char>(text[i])) != 0; };
    if ((m.begin > 0 && alnum(m.begin - 1)) || (m.end < size && alnum(m.end))) std::abort();
    last_end = m.end;
  }
  for (EntryKind k : {EntryKind::kThreatActor, EntryKind::kCountry, EntryKind::kRegion, EntryKind::kSector,
                      EntryKind::kOrganization, EntryKind::kNewsOutlet}) {
    if (const auto* e = g.Lookup(k, text.substr(0, 256)); e != nullptr && e->kind != k) std::abort();
  }
  (void)g.CountryByCode(text.substr(0, 2));
  return 0;
}
