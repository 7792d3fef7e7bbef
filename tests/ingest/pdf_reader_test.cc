#include "prose2stix/ingest/pdf_reader.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "prose2stix/ingest/reader.h"
#include "testutil.h"

namespace prose2stix::ingest {

namespace {

std::string DataPath(const std::string& file) { return testing::SourceDir() + "/tests/ingest/data/" + file; }

// The paragraphs of the text the fixtures were made from (tools/make_pdf.py), joined as the
// reader joins them.
std::string ExpectedText() {
  const std::string src = testing::ReadTestFile(DataPath("sample_advisory.txt"));
  std::string out, para;
  size_t pos = 0;
  while (pos <= src.size()) {
    size_t eol = src.find('\n', pos);
    if (eol == std::string::npos) eol = src.size();
    const std::string line = src.substr(pos, eol - pos);
    if (line.empty()) {
      if (!para.empty()) out += (out.empty() ? "" : "\n\n") + para;
      para.clear();
    } else {
      para += (para.empty() ? "" : " ") + line;
    }
    pos = eol + 1;
  }
  if (!para.empty()) out += (out.empty() ? "" : "\n\n") + para;
  return out;
}

}  // namespace

TEST_CASE("ReadPdf: paragraphs, hyphen repair, headers and footers removed") {
  const std::string bytes = testing::ReadTestFile(DataPath("sample_advisory.pdf"));
  // The fixture really has hyphenated line ends and running headers/footers.
  REQUIRE(bytes.find("-) Tj") != std::string::npos);
  REQUIRE(bytes.find("(TLP:CLEAR  Joint Advisory AA-0001) Tj") != std::string::npos);
  Result<Document> doc = ReadPdf(bytes, "sample_advisory.pdf");
  REQUIRE(doc.ok());
  CHECK(doc->format == "pdf");
  CHECK(doc->title == "Joint Advisory: Router Proxy Network");
  CHECK(doc->published == "2024-05-01T12:00:00.000Z");
  CHECK(doc->text == ExpectedText());
  CHECK(doc->text.find("TLP:CLEAR") == std::string::npos);
  CHECK(doc->text.find("Page ") == std::string::npos);
  // Page-level anchors: the last paragraph starts on the second page.
  REQUIRE_FALSE(doc->source_map.empty());
  CHECK(doc->source_map.front().source_offset == 0);
  CHECK(doc->SourceOffset(doc->text.find("Mitigations.")) == 1);
}

TEST_CASE("ReadPdf: two columns are read left column first") {
  Result<Document> doc = ReadPdf(testing::ReadTestFile(DataPath("two_columns.pdf")), "two_columns.pdf");
  REQUIRE(doc.ok());
  CHECK(doc->text == ExpectedText());
}

TEST_CASE("ReadPdf: truncated and corrupt PDFs fail with the file name") {
  const std::string truncated = testing::ReadTestFile(DataPath("truncated.pdf"));
  Result<std::vector<Document>> docs = ReadDocuments(truncated, "truncated.pdf");
  REQUIRE_FALSE(docs.ok());
  CHECK(docs.status().code() == Status::Code::kInvalidInput);
  CHECK(docs.status().message() == "not a readable PDF");
  CHECK(docs.status().context() == "truncated.pdf");

  for (const std::string& bad :
       {std::string("%PDF-1.4\n") + std::string(500, 'x'), std::string("%PDF-"),
        std::string("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n")}) {
    Result<Document> doc = ReadPdf(bad, "bad.pdf");
    if (!doc.ok()) CHECK(doc.status().context() == "bad.pdf");
  }
}

}  // namespace prose2stix::ingest
