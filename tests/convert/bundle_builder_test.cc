#include "prose2stix/convert/bundle_builder.h"

#include <string>
#include <utility>

#include <doctest/doctest.h>

#include "prose2stix/convert/pipeline.h"
#include "prose2stix/stix/json_writer.h"

namespace prose2stix::convert {
namespace {

TEST_CASE("BundleBuilder: Build() copies, std::move(builder).Build() moves, and both give one bundle") {
  ConvertOptions options;
  options.fixed_time = "2025-01-01T00:00:00.000Z";
  auto conv = Converter::Create(options);
  REQUIRE(conv.ok());
  auto builder = BundleBuilder::Create(options);
  REQUIRE(builder.ok());
  const char* kTexts[] = {"APT28 targeted banks in France.", "Lazarus Group attacked exchanges in South Korea."};
  for (const char* text : kTexts) {
    ingest::Document d;
    d.text = text;
    d.name = "doc.txt";
    d.sha256 = std::string(64, 'a');
    builder->Add(d, (*conv)->Analyze(d.text));
  }
  const std::string copied = stix::WriteBundle(builder->Build(), false);
  CHECK(stix::WriteBundle(builder->Build(), false) == copied);  // the copy left the builder whole
  CHECK(copied.find("APT28") != std::string::npos);
  CHECK(copied.find("Lazarus Group") != std::string::npos);
  const stix::Bundle moved = std::move(*builder).Build();
  CHECK(stix::WriteBundle(moved, false) == copied);
  // Moved out: only the marking and the author are left.
  CHECK(std::move(*builder).Build().objects.size() == 2);
}

}  // namespace
}  // namespace prose2stix::convert
