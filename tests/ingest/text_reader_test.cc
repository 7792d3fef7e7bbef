#include "prose2stix/ingest/text_reader.h"

#include <doctest/doctest.h>

#include <string>

namespace prose2stix::ingest {

namespace {
std::vector<std::string> Texts(const std::vector<Block>& blocks) {
  std::vector<std::string> out;
  for (const Block& b : blocks) out.push_back(b.text);
  return out;
}
}  // namespace

TEST_CASE("SplitPlainText joins hard-wrapped lines and keeps short lines apart") {
  const std::string text =
      "Overview\n"
      "The operators used a signed driver to disable endpoint agents before\n"
      "deploying the encryptor across the domain, then deleted the shadow\n"
      "copies and cleared the event logs.\n"
      "\n\n"
      "The espio-\n"
      "nage tooling was written in Go and compiled for both Windows and Linux\n"
      "systems.\n"
      "\r\n"
      "- first bullet item\n"
      "- second bullet item\n";
  const std::vector<std::string> got = Texts(SplitPlainText(text));
  const std::vector<std::string> want = {
      "Overview",
      "The operators used a signed driver to disable endpoint agents before deploying the encryptor across "
      "the "
      "domain, then deleted the shadow copies and cleared the event logs.",
      "The espionage tooling was written in Go and compiled for both Windows and Linux systems.",
      "first bullet item",
      "second bullet item",
  };
  CHECK(got == want);
  for (size_t i = 0; i < got.size() && i < want.size(); ++i) CHECK(got[i] == want[i]);
}

TEST_CASE("SplitPlainText anchors point into the input") {
  const std::string text = "Title line\n\nSecond  paragraph here.\n";
  Document doc;
  AssembleText(SplitPlainText(text), &doc);
  REQUIRE(doc.text == "Title line\n\nSecond paragraph here.");
  const size_t second = doc.text.find("Second");
  CHECK(doc.SourceOffset(second) == text.find("Second"));
  const size_t para = doc.text.find("paragraph");
  CHECK(doc.SourceOffset(para) == text.find("paragraph"));
}

TEST_CASE("ReadText: title, date line, repaired UTF-8") {
  const std::string text =
      "Wiper strikes energy firms\n"
      "Published: March 3, 2024\n"
      "\n"
      "A destructive wiper overwrote the boot records of machines at two energy firms, caf\xE9 owners said.\n"
      "\n"
      "Responders restored most systems from offline backups within a week.\n";
  Result<Document> doc = ReadText(text, "wiper.txt");
  REQUIRE(doc.ok());
  CHECK(doc->title == "Wiper strikes energy firms");
  CHECK(doc->published == "2024-03-03T00:00:00.000Z");
  CHECK(doc->format == "text");
  CHECK(doc->name == "wiper.txt");
  CHECK(doc->text.find("caf\xEF\xBF\xBD owners") != std::string::npos);
  CHECK(doc->text.find("Published") == std::string::npos);
}

TEST_CASE("ReadMarkdown strips markup") {
  const std::string md =
      "---\n"
      "title: \"Loader analysis\"\n"
      "date: 2024-05-01\n"
      "url: https://blog.example.org/loader\n"
      "---\n"
      "# Loader *analysis*\n"
      "\n"
      "The **loader** reads its [configuration](https://example.org/cfg) from a `config.dat` file and\n"
      "drops ![diagram](img.png) a second stage named snake_case_name.dll.\n"
      "\n"
      "```\n"
      "code that must not appear\n"
      "```\n"
      "\n"
      "Setext heading\n"
      "==============\n"
      "\n"
      "* item one with ~~old~~ text\n"
      "* item two <span>tagged</span>\n"
      "\n"
      "| Indicator | Type |\n"
      "|-----------|------|\n"
      "| 203.0.113.9 | ip |\n"
      "\n"
      "> quoted line of analysis text\n"
      "\n"
      "[ref]: https://example.org/ref\n";
  Result<Document> doc = ReadMarkdown(md, "a.md", /*clean=*/false);
  REQUIRE(doc.ok());
  CHECK(doc->title == "Loader analysis");
  CHECK(doc->published == "2024-05-01T00:00:00.000Z");
  CHECK(doc->url == "https://blog.example.org/loader");
  CHECK(doc->format == "markdown");
  CHECK(doc->text ==
        "Loader analysis\n\n"
        "The loader reads its configuration from a config.dat file and drops a second stage named "
        "snake_case_name.dll.\n\n"
        "Setext heading\n\n"
        "item one with old text\n\n"
        "item two tagged\n\n"
        "Indicator; Type\n\n"
        "203.0.113.9; ip\n\n"
        "quoted line of analysis text");
  const size_t loader = doc->text.find("loader reads");
  CHECK(doc->SourceOffset(loader) == md.find("loader**"));
}

TEST_CASE("ReadMarkdown inline markup, table") {
  // One paragraph each; lines longer than 16 bytes put markup both inside 16-byte blocks and in
  // the tail the scanners finish byte by byte.
  struct Case {
    const char* md;
    const char* text;
  };
  const Case cases[] = {
      {"plain words with no markup at all in this line", "plain words with no markup at all in this line"},
      {"see [the report](https://example.org/r) for details", "see the report for details"},
      {"an escaped \\[bracket\\] stays [link](x) here", "an escaped [bracket] stays link here"},
      {"escaped \\(paren then [text](dest) follows", "escaped (paren then text follows"},
      {"unmatched [bracket and (paren stay as they are", "unmatched [bracket and (paren stay as they are"},
      {"reference [text][ref] and collapsed [name][] links", "reference text and collapsed name links"},
      {"nested [outer [inner](a) text](b) link", "nested outer inner text link"},
      {"an image ![alt text](img.png) is dropped", "an image is dropped"},
      {"autolink <https://example.org/a> kept", "autolink https://example.org/a kept"},
      {"a > before <b>bold</b> tags and x < y alone", "a > before bold tags and x < y alone"},
      {"a < b > c then <i>it</i> ends", "a < b > c then it ends"},
      {"code `a [b](c) *d*` stays literal", "code a [b](c) *d* stays literal"},
      {"double ``tick ` inside`` and `unclosed tick", "double tick ` inside and `unclosed tick"},
      {"*emphasis* and __strong__ and ~~gone~~ marks", "emphasis and strong and gone marks"},
      {"snake_case_name and 2 * 3 = 6 stay", "snake_case_name and 2 * 3 = 6 stay"},
      {"trailing link at the very end [x](y)", "trailing link at the very end x"},
      {"[a](b)", "a"},
      {"x\\", "x\\"},
  };
  for (const Case& c : cases) {
    Result<Document> doc = ReadMarkdown(c.md, "t.md", /*clean=*/false);
    REQUIRE_MESSAGE(doc.ok(), c.md);
    CHECK_MESSAGE(doc->text == c.text, c.md, " -> ", doc->text);
  }
}

TEST_CASE("ReadMarkdown inline scanner reuses its tables from line to line") {
  // A long line with brackets, then shorter ones whose brackets sit where the long line's did:
  // stale entries of the reused partner table must not pair them.
  const std::string md =
      "first line [with a long link text](https://example.org/aaaaaaaaaaaaaaaa) and more words\n"
      "\n"
      "[short] (x) unpaired\n"
      "\n"
      "second [link](y) then ] and ) strays\n";
  Result<Document> doc = ReadMarkdown(md, "t.md", /*clean=*/false);
  REQUIRE(doc.ok());
  CHECK(doc->text ==
        "first line with a long link text and more words\n\n"
        "[short] (x) unpaired\n\n"
        "second link then ] and ) strays");
}

TEST_CASE("InferPublished reads short date lines among the first blocks, not dates in long paragraphs") {
  const std::string long_para =
      "On March 3, 2021 the group sent a wave of messages to staff at several firms, and the "
      "attachments carried a loader that fetched its next stage from a server that the actors had "
      "rented a week before the campaign began.";
  REQUIRE(long_para.size() > 200);
  std::vector<Block> blocks(2);
  blocks[0].text = long_para;
  blocks[1].text = "Published June 2, 2020";
  Document doc;
  InferPublished(blocks, &doc);
  CHECK(doc.published == "2020-06-02T00:00:00.000Z");
  Document only_long;
  InferPublished(std::vector<Block>(1, blocks[0]), &only_long);
  CHECK(only_long.published.empty());
}

}  // namespace prose2stix::ingest
