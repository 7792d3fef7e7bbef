#include "prose2stix/convert/bundle_builder.h"

#include <algorithm>
#include <string>
#include <vector>
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


TEST_CASE("BundleDefaults: options are checked once and a builder from them equals one from the options") {
  struct Bad {
    const char* what;
    void (*set)(ConvertOptions*);
  };
  const Bad kBad[] = {
      {"tlp", [](ConvertOptions* o) { o->tlp = "purple"; }},
      {"fixed_time", [](ConvertOptions* o) { o->fixed_time = "yesterday"; }},
      {"published", [](ConvertOptions* o) { o->published = "not a date"; }},
      {"author", [](ConvertOptions* o) { o->author.clear(); }},
  };
  for (const Bad& bad : kBad) {
    ConvertOptions o;
    bad.set(&o);
    CHECK_MESSAGE(!BundleDefaults::Create(o).ok(), bad.what);
    CHECK_MESSAGE(!BundleBuilder::Create(o).ok(), bad.what);
  }

  ConvertOptions options;
  options.fixed_time = "2025-01-01T00:00:00Z";
  options.published = "June 2, 2020";
  options.tlp = "amber";
  auto conv = Converter::Create(options);
  REQUIRE(conv.ok());
  auto defaults = BundleDefaults::Create(options);
  REQUIRE(defaults.ok());
  CHECK(defaults->fixed_now == "2025-01-01T00:00:00.000Z");
  CHECK(defaults->published == "2020-06-02T00:00:00.000Z");
  auto from_options = BundleBuilder::Create(options);
  REQUIRE(from_options.ok());
  BundleBuilder from_defaults(*defaults);
  ingest::Document d;
  d.text = "APT28 targeted banks in France and Germany.";
  d.name = "doc.txt";
  const extract::Analysis a = (*conv)->Analyze(d.text);
  from_options->Add(d, a);
  from_defaults.Add(d, a);
  // A builder moved after Create keeps pointing at its own defaults.
  BundleBuilder moved = std::move(*from_options);
  const std::string json = stix::WriteBundle(std::move(moved).Build(), false);
  CHECK(json == stix::WriteBundle(std::move(from_defaults).Build(), false));
  CHECK(json.find("\"published\":\"2020-06-02T00:00:00.000Z\"") != std::string::npos);
  CHECK(json.find("\"created\":\"2025-01-01T00:00:00.000Z\"") != std::string::npos);
  CHECK(json.find("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82") != std::string::npos);
}

TEST_CASE("BundleBuilder: one object per id over many documents (the id index grows and merges)") {
  ConvertOptions options;
  options.fixed_time = "2025-01-01T00:00:00.000Z";
  auto conv = Converter::Create(options);
  REQUIRE(conv.ok());
  auto builder = BundleBuilder::Create(options);
  REQUIRE(builder.ok());
  // The same actor and country in every document, and one new actor per document.
  const int kDocs = 150;
  for (int i = 0; i < kDocs; ++i) {
    ingest::Document d;
    d.text = "APT28 and APT" + std::to_string(100 + i) + " targeted banks in France.";
    d.name = "doc" + std::to_string(i) + ".txt";
    d.sha256 = std::string(64, static_cast<char>('a' + i % 6));
    builder->Add(d, (*conv)->Analyze(d.text));
  }
  const stix::Bundle b = std::move(*builder).Build();
  std::vector<std::string> ids;
  size_t actors = 0, reports = 0;
  for (const stix::Object& o : b.objects) {
    ids.push_back(stix::IdOf(o));
    actors += stix::TypeOf(o) == "threat-actor";
    reports += stix::TypeOf(o) == "report";
  }
  CHECK(actors == static_cast<size_t>(kDocs) + 1);
  CHECK(reports == static_cast<size_t>(kDocs));
  std::sort(ids.begin(), ids.end());
  CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());  // no id twice
  // More indexed objects than the first table holds (32), so the index has grown.
  CHECK(b.objects.size() - reports - 2 > 100);
}

}  // namespace
}  // namespace prose2stix::convert
