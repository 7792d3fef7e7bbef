#include "prose2stix/ingest/reader.h"

#include <doctest/doctest.h>

#include <string>

namespace prose2stix::ingest {

namespace {
bool Has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }
}  // namespace

TEST_CASE("ReadDocuments rejects empty and binary input, naming it") {
  struct Case {
    std::string bytes;
    const char* message;
  };
  const Case cases[] = {
      {"", "empty input"},
      {" \n\t\r\n", "empty input"},
      {std::string("ELF\x00\x01\x02\x03", 8) + std::string(64, '\x00'), "binary data"},
      {std::string(1000, '\x01'), "binary data"},
  };
  for (const Case& c : cases) {
    Result<std::vector<Document>> docs = ReadDocuments(c.bytes, "input.bin");
    REQUIRE_MESSAGE(!docs.ok(), c.message);
    CHECK(docs.status().code() == Status::Code::kInvalidInput);
    CHECK_MESSAGE(Has(docs.status().message(), c.message), docs.status().ToString());
    CHECK(docs.status().context() == "input.bin");
  }
}

TEST_CASE("ReadDocuments repairs text and survives garbage") {
  Result<std::vector<Document>> docs = ReadDocuments("Bad byte \xFF here, in a sentence.\n", "t.txt");
  REQUIRE(docs.ok());
  CHECK(docs->front().text == "Bad byte \xEF\xBF\xBD here, in a sentence.");

  // 5 MB on one line of printable junk: one paragraph, no crash, bounded time.
  std::string junk;
  junk.reserve(5u << 20);
  uint32_t x = 12345;
  while (junk.size() < (5u << 20)) {
    x = x * 1103515245u + 12345u;
    junk.push_back(static_cast<char>(33 + (x >> 16) % 94));
  }
  docs = ReadDocuments(junk, "junk.txt");
  REQUIRE(docs.ok());
  CHECK(docs->size() == 1);

  // UTF-16 with a BOM is converted.
  const std::string utf16(
      "\xFF\xFE"
      "H\0i\0 \0t\0h\0e\0r\0e\0.\0",
      20);
  docs = ReadDocuments(utf16, "u16.txt");
  REQUIRE(docs.ok());
  CHECK(docs->front().text == "Hi there.");
}

TEST_CASE("Readers stay linear on hostile lines") {
  // Each of these would be quadratic with a naive bracket/backtick/tag search or look-ahead.
  for (const char* unit : {"[", "`", "<", "![", "*_", "[a](", "\xE2\x80\xA6 [\xE2\x80\xA6]"}) {
    std::string line;
    while (line.size() < 400000) line += unit;
    Result<std::vector<Document>> docs = ReadDocuments("# T\n\n" + line + "\n", "hostile.md");
    CHECK_MESSAGE(docs.ok(), std::string(unit));
    docs = ReadDocuments(line, "hostile.txt");
    CHECK_MESSAGE(docs.ok(), std::string(unit));
  }
  std::string lines;
  for (int i = 0; i < 20000; ++i)
    lines += "Short headline " + std::to_string(i % 7) +
             "\n\nRepeated paragraph text that is long enough to be a duplicate.\n\n";
  Result<std::vector<Document>> docs = ReadDocuments(lines, "repeats.txt");
  REQUIRE(docs.ok());
  const std::string& text = docs->front().text;
  CHECK(text.find("Repeated paragraph") == text.rfind("Repeated paragraph"));
}

TEST_CASE("ReadDocuments dispatches on the detected or requested format") {
  Result<std::vector<Document>> docs = ReadDocuments("<p>Some <b>html</b> text here.</p>", "x");
  REQUIRE(docs.ok());
  CHECK(docs->front().format == "html");
  CHECK(docs->front().text == "Some html text here.");
  ReadOptions opts;
  opts.format = Format::kText;
  docs = ReadDocuments("<p>Some <b>html</b> text here.</p>", "x", opts);
  REQUIRE(docs.ok());
  CHECK(docs->front().format == "text");
  CHECK(Has(docs->front().text, "<b>"));
  docs = ReadDocuments("{\"text\":\"one\"}\n{\"text\":\"two\"}\n", "x.ndjson");
  REQUIRE(docs.ok());
  CHECK(docs->size() == 2);
}

}  // namespace prose2stix::ingest
