#include "prose2stix/ingest/ndjson_reader.h"

#include <doctest/doctest.h>

#include <string>

namespace prose2stix::ingest {

TEST_CASE("ReadNdjson reads one document per line") {
  const std::string input =
      "{\"id\":\"a1\",\"text\":\"First report body text.\",\"title\":\"First\",\"published\":\"June 2, "
      "2020\","
      "\"url\":\"https://x.example/1\"}\n"
      "\n"
      "{\"id\":7,\"html\":\"<p>Second <b>report</b> body.</p>\"}\n";
  Result<std::vector<Document>> docs = ReadNdjson(input, "batch.ndjson");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 2);
  CHECK((*docs)[0].name == "batch.ndjson#a1");
  CHECK((*docs)[0].format == "ndjson");
  CHECK((*docs)[0].title == "First");
  CHECK((*docs)[0].published == "2020-06-02T00:00:00.000Z");
  CHECK((*docs)[0].url == "https://x.example/1");
  CHECK((*docs)[0].text == "First report body text.");
  CHECK((*docs)[1].name == "batch.ndjson#7");
  CHECK((*docs)[1].text == "Second report body.");
}

TEST_CASE("ReadNdjsonLine errors name the line") {
  struct Case {
    const char* line;
    const char* message;
  };
  const Case cases[] = {
      {"{\"text\": \"x\"", "invalid JSON"},
      {"[1,2]", "expected a JSON object"},
      {"{\"title\":\"t\"}", "neither \"text\" nor \"html\""},
      {"{\"text\":5}", "\"text\" must be a string"},
      {"{\"text\":\"x\",\"id\":[1]}", "\"id\" must be"},
      {"{\"text\":\"x\",\"published\":\"someday\"}", "not a date"},
  };
  for (const Case& c : cases) {
    Result<Document> doc = ReadNdjsonLine(c.line, 12, "in.ndjson");
    REQUIRE_MESSAGE(!doc.ok(), std::string(c.line));
    CHECK_MESSAGE(doc.status().message().find(c.message) != std::string::npos, doc.status().ToString());
    CHECK_MESSAGE(doc.status().context().find("in.ndjson, line 12") != std::string::npos,
                  doc.status().ToString());
  }
  Result<std::vector<Document>> docs = ReadNdjson("{\"text\":\"ok\"}\n{bad\n", "b.ndjson");
  REQUIRE_FALSE(docs.ok());
  CHECK(docs.status().context().find("line 2") != std::string::npos);
}

}  // namespace prose2stix::ingest
