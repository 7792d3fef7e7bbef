#include "prose2stix/ingest/html_reader.h"

#include <doctest/doctest.h>

#include <string>

namespace prose2stix::ingest {

namespace {
bool Has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

const char kPage[] = R"(<!DOCTYPE html>
<html><head>
<title>Router botnet dismantled | Example Security News</title>
<meta property="article:published_time" content="2024-05-01T08:30:00+02:00">
<link rel="canonical" href="https://news.example.com/botnet-dismantled">
<script>var tracking = "Tracking script text";</script>
<style>.x { color: red }</style>
</head><body>
<header><a href="/">Example Security News</a><nav><a href="/a">World</a> <a href="/b">Tech</a></nav></header>
<div id="cookie-banner"><p>We use cookies to improve your experience. Accept all cookies?</p></div>
<div class="share-bar"><a href="#">Facebook</a> <a href="#">Twitter</a></div>
<main>
<article class="post">
<h1>Router botnet dismantled</h1>
<p class="byline">By Jane Roe</p>
<p>Law enforcement agencies in four countries took down a botnet of hijacked home routers that criminals
rented out as anonymizing proxies, officials said on Wednesday.</p>
<h2>How it worked</h2>
<p>The operators exploited an old authentication bypass, installed a small proxy agent, and sold access
to the infected devices through a subscription website, investigators said.</p>
<ul><li>More than 9,000 devices were infected.</li><li>Most were end-of-life models.</li></ul>
<p>Customers of the service included fraud rings and at least one espionage group, according to the
agencies, which published indicators such as 198.51.100.23 for defenders.</p>
<p>The agencies published the seized domains.<br>They asked providers to block them.</p>
</article>
</main>
<aside class="related"><h3>Related</h3><ul><li><a href="/c">Another story about something else entirely</a></li></ul></aside>
<div class="newsletter"><p>Sign up for our newsletter to get the top stories in your inbox.</p></div>
<footer><p>Copyright 2024 Example Security News. All rights reserved.</p></footer>
</body></html>)";
}  // namespace

TEST_CASE("ReadHtml keeps the article and drops the page furniture") {
  Result<Document> doc = ReadHtml(kPage, "page.html");
  REQUIRE(doc.ok());
  const std::string& t = doc->text;
  CHECK(doc->title == "Router botnet dismantled");
  CHECK(doc->published == "2024-05-01T06:30:00.000Z");
  CHECK(doc->url == "https://news.example.com/botnet-dismantled");
  CHECK(doc->format == "html");
  CHECK(Has(t,
            "Law enforcement agencies in four countries took down a botnet of hijacked home routers that "
            "criminals rented out as anonymizing proxies, officials said on Wednesday."));
  CHECK(Has(t, "\n\nHow it worked\n\nThe operators exploited"));
  CHECK(Has(t, "\n\nMore than 9,000 devices were infected.\n\nMost were end-of-life models.\n\n"));
  CHECK(Has(t, "198.51.100.23"));
  CHECK(Has(t, "The agencies published the seized domains.\n\nThey asked providers to block them."));
  for (const char* junk : {"Tracking script", "color: red", "World", "cookies", "Facebook", "Another story",
                           "newsletter", "All rights reserved", "Example Security News"}) {
    CHECK_MESSAGE(!Has(t, junk), std::string(junk));
  }
  // Anchors point at the text nodes in the input.
  const std::string page(kPage);
  const size_t pos = t.find("The operators exploited");
  CHECK(doc->SourceOffset(pos) == page.find("The operators exploited"));
}

TEST_CASE("ReadHtml chooses the dense block over link lists without <article>") {
  const std::string page =
      "<html><head><title>Short</title><meta property=\"og:title\" content=\"Wiper hits port operator\">"
      "<meta property=\"og:url\" content=\"https://x.example/wiper\"></head><body>"
      "<div class=\"top\"><a href=\"/1\">Home</a> <a href=\"/2\">News</a> <a href=\"/3\">Opinion</a></div>"
      "<div class=\"links\"><p><a href=\"/a\">First teaser headline that links away</a></p>"
      "<p><a href=\"/b\">Second teaser headline that links away</a></p></div>"
      "<div class=\"story-text\"><p>A wiper disguised as ransomware erased servers at a port operator, "
      "halting container traffic for two days, the company said.</p>"
      "<p>The malware spread through a compromised update server, overwriting disks and then rebooting "
      "the machines, investigators found.</p>"
      "<p>Published <time datetime=\"2023-11-20\">Nov 20</time></p></div>"
      "</body></html>";
  Result<Document> doc = ReadHtml(page, "p.html");
  REQUIRE(doc.ok());
  CHECK(doc->title == "Wiper hits port operator");
  CHECK(doc->url == "https://x.example/wiper");
  CHECK(doc->published == "2023-11-20T00:00:00.000Z");
  CHECK(Has(doc->text, "A wiper disguised as ransomware"));
  CHECK(Has(doc->text, "compromised update server"));
  CHECK_FALSE(Has(doc->text, "teaser"));
  CHECK_FALSE(Has(doc->text, "Opinion"));
}

TEST_CASE("ReadHtml reads JSON-LD dates, XHTML, and keeps everything when not cleaning") {
  const std::string page =
      "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>Advisory</title>"
      "<script type=\"application/ld+json\">{\"@graph\":[{\"@type\":\"NewsArticle\","
      "\"datePublished\":\"2022-02-03T04:05:06Z\"}]}</script></head>"
      "<body><nav><a href=\"/\">Home</a></nav><p>Body text of the advisory, with details.</p></body></html>";
  HtmlOptions opts;
  opts.xhtml = true;
  Result<Document> doc = ReadHtml(page, "a.xhtml", opts);
  REQUIRE(doc.ok());
  CHECK(doc->format == "xhtml");
  CHECK(doc->published == "2022-02-03T04:05:06.000Z");
  CHECK(doc->text == "Body text of the advisory, with details.");
  opts.clean = false;
  doc = ReadHtml(page, "a.xhtml", opts);
  REQUIRE(doc.ok());
  CHECK(doc->text == "Home\n\nBody text of the advisory, with details.");
}

TEST_CASE("ReadHtml survives hostile nesting") {
  std::string bomb;
  for (int i = 0; i < 200000; ++i) bomb += "<div>";
  bomb += "deep text";
  for (int i = 0; i < 200000; ++i) bomb += "</div>";
  Result<Document> doc = ReadHtml(bomb, "bomb.html");
  REQUIRE(doc.ok());
  CHECK(doc->text == "deep text");
  std::string unclosed = "<p>start";
  for (int i = 0; i < 100000; ++i) unclosed += "<b><i><span>";
  unclosed += "end";
  doc = ReadHtml(unclosed, "unclosed.html");
  REQUIRE(doc.ok());
  CHECK(Has(doc->text, "end"));
}

TEST_CASE("ReadHtml fragment mode keeps plain-text paragraphs") {
  HtmlOptions opts;
  opts.fragment = true;
  Result<Document> doc = ReadHtml("First paragraph of the item text.\n\nSecond paragraph of it.", "f", opts);
  REQUIRE(doc.ok());
  CHECK(doc->text == "First paragraph of the item text.\n\nSecond paragraph of it.");
}

}  // namespace prose2stix::ingest
