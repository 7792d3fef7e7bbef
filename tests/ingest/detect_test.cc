#include <doctest/doctest.h>

#include <string>

#include "prose2stix/ingest/reader.h"

namespace prose2stix::ingest {

TEST_CASE("DetectFormat sniffs the bytes and uses the extension only to break ties") {
  struct Case {
    std::string bytes;
    const char* name;
    Format want;
  };
  const Case cases[] = {
      {"%PDF-1.7\n...", "x.bin", Format::kPdf},
      {"garbage first\n%PDF-1.4\n", "x", Format::kPdf},
      {"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>", "f", Format::kRss},
      {"<?xml version=\"1.0\"?><!-- c --><rdf:RDF xmlns:rdf=\"x\"></rdf:RDF>", "f", Format::kRss},
      {"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'/>", "f", Format::kAtom},
      {"<rss><channel></channel></rss>", "f", Format::kRss},
      {"\xEF\xBB\xBF<?xml version=\"1.0\"?><atom:feed xmlns:atom=\"a\"/>", "f", Format::kAtom},
      {"<!DOCTYPE html><html><body><p>x</p></body></html>", "f", Format::kHtml},
      {"<!doctype HTML>\n<title>t</title>", "f.txt", Format::kHtml},
      {"<html lang=en><p>hi", "f", Format::kHtml},
      {"<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>", "f",
       Format::kXhtml},
      {"<div><p>One</p><p>Two</p><a href=x>l</a><br><span>s</span><b>b</b><i>i</i><p>3</p></div>", "f",
       Format::kHtml},
      {"Some text with <b>bold</b> and <i>it</i>.", "page.html", Format::kHtml},
      {"{\"id\":1,\"text\":\"a\"}\n{\"id\":2,\"text\":\"b\"}\n", "f", Format::kNdjson},
      {"{\"id\":1,\"text\":\"a\"}\nnot json\n", "f", Format::kText},
      {"# Title\n\nSome **bold** text.\n", "f", Format::kMarkdown},
      {"Intro\n\nSee [the report](http://x.example/r) for **details**.\n", "f", Format::kMarkdown},
      {"# Title\n\nplain paragraph\n", "notes.md", Format::kMarkdown},
      {"plain words only\n", "notes.md", Format::kMarkdown},
      {"- one\n- two\n", "f.txt", Format::kText},
      {"A plain advisory.\n\nWith two paragraphs, 3 < 4 and x > y.\n", "a.txt", Format::kText},
      {"\x01\x02\x03 not a pdf", "broken.pdf", Format::kPdf},
  };
  for (const Case& c : cases) {
    const Format got = DetectFormat(c.bytes, c.name);
    CHECK_MESSAGE(got == c.want, c.bytes, " -> ", FormatName(got));
  }
}

TEST_CASE("ParseFormat and FormatName round-trip") {
  for (Format f : {Format::kAuto, Format::kText, Format::kMarkdown, Format::kHtml, Format::kXhtml,
                   Format::kPdf, Format::kRss, Format::kAtom, Format::kNdjson}) {
    Format back = Format::kAuto;
    REQUIRE(ParseFormat(FormatName(f), &back));
    CHECK(back == f);
  }
  Format f = Format::kAuto;
  CHECK(ParseFormat("MD", &f));
  CHECK(f == Format::kMarkdown);
  CHECK(ParseFormat("xml", &f));
  CHECK(f == Format::kRss);
  CHECK(ParseFormat("txt", &f));
  CHECK(f == Format::kText);
  CHECK_FALSE(ParseFormat("docx", &f));
}

}  // namespace prose2stix::ingest
